/**
 * The members of one group of the in-process shared state (the sessions of a site) and when each
 * was last seen, in typed arrays: an open-addressing table (linear probing) of 128-bit keys.
 *
 * Why not a `Map<string, number>`: a session kept as a string in a map cost about 112 bytes on
 * the V8 heap, and every one of them was an object the garbage collector copied out of the young
 * generation and marked again in each full collection of a heap that grows all day. Here a member
 * is 24 bytes of a slot (its 16-byte key and a time) outside the heap; a table is kept 0.4 to 0.8
 * full as it grows (30–60 bytes a member; 35 measured) and rebuilt smaller when sweeps leave it
 * under 0.3 full (at most 80 bytes a member); and there is nothing in it for the collector to trace.
 *
 * A member's key is the 128 bits of its UUID when it is one, written in lower case as the visit
 * route has it (every session is): two different UUIDs never share a key. Any other string is
 * keyed by the first 128 bits of its SHA-256 (no realistic collision, and no caller sends one on
 * a hot path).
 */
import { createHash, randomFillSync } from 'node:crypto';

/** A table grows (doubles) when its members would pass this part of its slots… */
const MAX_LOAD = 0.8;
/** …and is rebuilt smaller when a prune leaves it under this part (0.4–0.8 full after either). */
const MIN_LOAD = 0.3;
/** Slots of a new table; a table is never rebuilt smaller than this. */
const MIN_SLOTS = 8;
/** The time of an empty slot: after every time, so a prune's reads pass over it. */
const EMPTY = Infinity;

/** Value of each lower-case hex digit by its char code, -1 for any other character. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;

/** The key of the member last given to {@link keyOf} (4 words), read by {@link MemberTable}. */
const KEY = new Uint32Array(4);

/** Where the 32 hex digits of a UUID are, 8 to a word of its key. */
const DIGITS = Uint8Array.from({ length: 36 }, (_, i) => i).filter(
  (i) => i !== 8 && i !== 13 && i !== 18 && i !== 23,
);

/** Fills {@link KEY} with the 128 bits of a lower-case UUID; false if `s` is not one. */
function uuidKey(s: string): boolean {
  if (
    s.length !== 36 ||
    s.charCodeAt(8) !== 45 || // '-'
    s.charCodeAt(13) !== 45 ||
    s.charCodeAt(18) !== 45 ||
    s.charCodeAt(23) !== 45
  )
    return false;
  // A character that is not a lower-case hex digit sets `bad`'s sign bit.
  let bad = 0;
  for (let w = 0; w < 4; w++) {
    let word = 0;
    for (let k = w * 8; k < w * 8 + 8; k++) {
      const c = s.charCodeAt(DIGITS[k]!);
      const v = HEX[c & 127]!;
      bad |= v | (127 - c); // 127 - c < 0 past ASCII
      word = (word << 4) | v;
    }
    KEY[w] = word;
  }
  return bad >= 0;
}

/**
 * Puts the key of `member` in {@link KEY} and returns its hash (see {@link hashOf}).
 */
export function keyOf(member: string): number {
  if (!uuidKey(member)) {
    const digest = createHash('sha256').update(member).digest();
    for (let i = 0; i < 4; i++) KEY[i] = digest.readUInt32BE(i * 4);
  }
  return hashOf(KEY[0]!, KEY[1]!, KEY[2]!, KEY[3]!);
}

/**
 * Mixed into every hash, chosen at start: session ids are the client's choice, and with a hash
 * anyone can compute, a script could send ids that all land in one run of one table and make each
 * sighting walk all of them (V8 seeds its own string hashes for the same reason).
 */
const SEED = randomFillSync(new Uint32Array(4));

/**
 * A key's 32-bit hash: the top 6 bits choose one of a group's 64 tables, the low bits a slot, so
 * every bit of the key counts (a UUID v7 starts with its time, which the sessions of one second
 * share). MurmurHash3's finaliser, each word and {@link SEED} mixed in.
 */
function hashOf(k0: number, k1: number, k2: number, k3: number): number {
  let h = k0 ^ SEED[0]! ^ Math.imul(k1 ^ SEED[1]!, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ k2 ^ SEED[2]!;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ k3 ^ SEED[3]!;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Called for each member a table lets go, with when it was last seen. */
export type Dropped = (at: number) => void;

/** The members of a group's table (one of 64 by hash) and when each was last seen. */
export class MemberTable {
  /** Four words a slot. */
  private keys: Uint32Array;
  /** Last seen (epoch ms) of each slot; {@link EMPTY} if free. */
  private seen: Float64Array;
  private mask: number;
  size = 0;

  constructor(slots = MIN_SLOTS) {
    this.keys = new Uint32Array(slots * 4);
    this.seen = new Float64Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  /** Slots of the table (what it costs: 24 bytes each). */
  get slots(): number {
    return this.seen.length;
  }

  /**
   * The slot of the member whose key {@link keyOf} just made (`hash` is what it returned), or
   * `~slot` of the free slot where it would go.
   */
  find(hash: number): number {
    return this.slotOf(KEY[0]!, KEY[1]!, KEY[2]!, KEY[3]!, hash);
  }

  private slotOf(k0: number, k1: number, k2: number, k3: number, hash: number): number {
    const { keys, seen, mask } = this;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      if (seen[i] === EMPTY) return ~i;
      const o = i * 4;
      if (keys[o] === k0 && keys[o + 1] === k1 && keys[o + 2] === k2 && keys[o + 3] === k3)
        return i;
    }
  }

  /** When the member in `slot` (from {@link find}) was last seen. */
  lastSeen(slot: number): number {
    return this.seen[slot]!;
  }

  /** Sets when the member in `slot` was last seen. */
  see(slot: number, at: number): void {
    this.seen[slot] = at;
  }

  /**
   * Adds the member whose key {@link keyOf} just made, not in the table ({@link find} gave
   * `~free`), seen at `at`. Past {@link MAX_LOAD} the table first doubles.
   */
  add(hash: number, free: number, at: number): void {
    const k0 = KEY[0]!,
      k1 = KEY[1]!,
      k2 = KEY[2]!,
      k3 = KEY[3]!;
    if (this.size + 1 > this.slots * MAX_LOAD) {
      this.resize(this.slots * 2);
      free = ~this.slotOf(k0, k1, k2, k3, hash);
    }
    this.put(free, k0, k1, k2, k3, at);
  }

  /**
   * Lets go of the members seen before `before`, and of up to `spare` of those seen in
   * [`before`, `binEnd`) (in the order of the slots), calling `dropped` for each. Returns how
   * many of `spare` went. A table left under {@link MIN_LOAD} full is rebuilt smaller.
   */
  prune(before: number, dropped: Dropped, spare = 0, binEnd = before): number {
    const { seen } = this;
    let used = 0;
    // A tight first loop up to the first member to let go (empty slots are after every time):
    // most of a sweep is this read, and the general loop alone made a sweep 14–16 % longer.
    let i = 0;
    while (i < seen.length && seen[i]! >= binEnd) i++;
    while (i < seen.length) {
      const at = seen[i]!;
      if (at >= binEnd || (at >= before && used >= spare)) {
        i++;
        continue;
      }
      if (at >= before) used++;
      dropped(at);
      // The slot is filled again from further on in its run, or emptied: it is read again.
      this.remove(i);
    }
    if (this.slots > MIN_SLOTS && this.size < this.slots * MIN_LOAD)
      this.resize(fitting(this.size));
    return used;
  }

  private put(slot: number, k0: number, k1: number, k2: number, k3: number, at: number): void {
    const o = slot * 4;
    this.keys[o] = k0;
    this.keys[o + 1] = k1;
    this.keys[o + 2] = k2;
    this.keys[o + 3] = k3;
    this.seen[slot] = at;
    this.size++;
  }

  /**
   * Empties slot `i` (linear probing's deletion without markers): each later member of its run
   * that may sit at or before the hole (its home slot is not between the hole and itself) moves
   * into it, and the hole moves on to where that member was.
   */
  private remove(i: number): void {
    const { keys, seen, mask } = this;
    let hole = i;
    for (let j = (i + 1) & mask; seen[j] !== EMPTY; j = (j + 1) & mask) {
      const o = j * 4;
      const home = hashOf(keys[o]!, keys[o + 1]!, keys[o + 2]!, keys[o + 3]!) & mask;
      if (((j - home) & mask) < ((j - hole) & mask)) continue;
      keys.copyWithin(hole * 4, o, o + 4);
      seen[hole] = seen[j]!;
      hole = j;
    }
    seen[hole] = EMPTY;
    this.size--;
  }

  /** Moves every member into new arrays of `slots` slots. */
  private resize(slots: number): void {
    const { keys, seen } = this;
    this.keys = new Uint32Array(slots * 4);
    this.seen = new Float64Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    this.size = 0;
    for (let i = 0; i < seen.length; i++) {
      if (seen[i] === EMPTY) continue;
      const o = i * 4;
      const k0 = keys[o]!,
        k1 = keys[o + 1]!,
        k2 = keys[o + 2]!,
        k3 = keys[o + 3]!;
      this.put(~this.slotOf(k0, k1, k2, k3, hashOf(k0, k1, k2, k3)), k0, k1, k2, k3, seen[i]!);
    }
  }
}

/** The fewest slots (a power of two) that hold `n` members within {@link MAX_LOAD}. */
function fitting(n: number): number {
  let slots = MIN_SLOTS;
  while (n > slots * MAX_LOAD) slots *= 2;
  return slots;
}
