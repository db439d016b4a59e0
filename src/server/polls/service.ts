/**
 * Poll rules between the routes and `PollStore`: voter tokens, the per-IP-prefix key, the
 * status of a poll at a given time, who may see results, and the public view.
 *
 * Voter token: `<id>.<sig>`, where `id` is 16 bytes (the time of issue and 10 random ones) and
 * `sig` an HMAC-SHA256 (first 16 bytes) of (site, poll, id) under the `poll-voter-key` derived
 * from the master secret (core/secrets.ts), so every instance accepts every instance's tokens and
 * a token of another poll or site is refused. A token of an older key only shows the vote cast
 * with it. Only `id` is stored with a vote. A reader asks for one only to vote
 * (`POST /polls/{poll}/voters`).
 *
 * IP prefix: HMAC of (site, IPv4 address or IPv6 /64) under the polls' salt of the UTC day
 * (core/daily-salt.ts), deleted the next day with that day's counts. No address is stored or
 * logged.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PollStatus, PollView } from '../../shared/polls.js';
import { DailySalt, saltedHash } from '../core/daily-salt.js';
import { utcDay } from '../core/time.js';
import { HttpError, notFound } from '../core/errors.js';
import { ipPrefix, widePrefix } from '../core/net.js';
import { keysOf, type ServerKeys } from '../core/secrets.js';
import { ReadCache, type Ready } from '../core/read-cache.js';
import { cleanLine } from '../core/text.js';
import type { Storage } from '../db/storage.js';
import {
  NET_CEILING_FACTOR,
  PollStore,
  type PollRecord,
  type PollSettings,
  type VoteInput,
  type VoteOutcome,
} from './store.js';

const b64 = (buf: Buffer) => buf.toString('base64url');

/** Random bytes are drawn 4 KB at a time (one call to the system's generator per 409 tokens). */
let pool = Buffer.alloc(0);
let poolAt = 0;
/** 10 random bytes, never handed out twice. */
function randomPart(): Buffer {
  if (poolAt + 10 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool.subarray(poolAt, (poolAt += 10));
}

/** Checks (and uses up) the captcha token of a vote on a poll that requires proof. */
export type ProofCheck = (
  token: string | undefined,
) => Promise<{ ok: true } | { ok: false; code: string; message: string }>;

const refuseProof: ProofCheck = async () => ({
  ok: false,
  code: 'captcha_required',
  message: 'This poll requires a captcha',
});

/** The name of the voter-token key (derived, and the random one older versions stored). */
const VOTER_KEY = 'poll-voter-key';

const invalidVoter = (poll: string) =>
  new HttpError(
    400,
    'invalid_voter',
    `The voter token is not valid for poll "${poll}": get a new one from GET /polls/${poll}`,
  );

/** `open` between opensAt (inclusive) and closesAt (exclusive). */
export function pollStatus(p: Pick<PollRecord, 'opensAt' | 'closesAt'>, now: number): PollStatus {
  if (p.closesAt !== null && now >= p.closesAt) return 'closed';
  if (p.opensAt !== null && now < p.opensAt) return 'upcoming';
  return 'open';
}

/** Whether the public API may show the results now, to a voter who has (not) voted. */
export function resultsVisible(
  p: Pick<PollRecord, 'resultsVisibility'>,
  status: PollStatus,
  voted: boolean,
): boolean {
  switch (p.resultsVisibility) {
    case 'always':
      return true;
    case 'after_vote':
      return voted || status === 'closed';
    case 'after_close':
      return status === 'closed';
    default:
      return false;
  }
}

/** The read cache's variant of a poll's view: for someone who has not voted, or per choices. */
const variantOf = (choices: string[] | undefined) =>
  choices ? `voted\0${choices.join('\0')}` : '';

/** How long a poll read for checking votes is reused (a changed poll is caught by its version anyway). */
const CACHE_MS = 2_000;
/** The change notice (core/changes.ts) that a poll's votes are gone: see {@link Polls.deleted}. */
export const POLL_VOTERS = 'poll-voters';
/** Voters whose stored choices are remembered (all polls together); past it the memory starts over. */
const MAX_VOTERS_KNOWN = 200_000;
/** Client addresses whose salted keys of the day are remembered; past it the memory starts over. */
const MAX_ADDRESSES_KNOWN = 50_000;
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the public and the admin view of a poll share. */
export function viewFields(poll: PollRecord, now: number) {
  const { id, question, multiple, maxChoices, resultsVisibility, requireProof } = poll;
  const [opensAt, closesAt, status] = [
    iso(poll.opensAt),
    iso(poll.closesAt),
    pollStatus(poll, now),
  ];
  return {
    id,
    question,
    multiple,
    maxChoices,
    opensAt,
    closesAt,
    status,
    resultsVisibility,
    requireProof,
  };
}

/** The next moment the poll's status (and so its public view) changes by itself; undefined: never. */
export function nextChange(
  p: Pick<PollRecord, 'opensAt' | 'closesAt'>,
  now: number,
): number | undefined {
  const times = [p.opensAt, p.closesAt].filter((t): t is number => t !== null && t > now);
  return times.length ? Math.min(...times) : undefined;
}

/** Votes per transaction at most (a batch is what arrived while the previous one was written). */
const MAX_BATCH = 256;

interface Queued {
  input: VoteInput;
  resolve: (outcome: VoteOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit of votes: the votes that arrive while a transaction is being written (or within
 * the same turn of the event loop) are written together in the next one. Each is answered only
 * after its transaction has committed and the poll's cached answers have been dropped
 * (`onCounted`, here and on every instance). A vote the batch did not count (a repeat, a poll
 * that changed, the IP ceiling) is then written alone, as before, for its exact answer.
 */
export class VoteQueue {
  private queue: Queued[] = [];
  private running = false;

  constructor(
    private readonly store: PollStore,
    /** `noticeSent`: the batch's commit told the other instances (PostgreSQL, `CommitNotices`). */
    private readonly onCounted: (site: string, poll: string, noticeSent?: boolean) => Promise<void>,
  ) {}

  vote(input: VoteInput): Promise<VoteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let outcomes: Array<VoteOutcome | undefined>;
      try {
        outcomes = await this.store.voteBatch(batch.map((q) => q.input));
      } catch {
        // Nothing of the batch was written: each vote on its own gives its own answer or error.
        outcomes = batch.map(() => undefined);
      }
      /** The polls of the batch, and whether its commit sent their notices. */
      const counted = new Map<string, boolean>();
      batch.forEach((q, i) => {
        const outcome = outcomes[i];
        if (!outcome) return;
        const key = `${q.input.site}\0${q.input.poll}`;
        const sent = outcome.kind === 'counted' && outcome.noticeSent === true;
        counted.set(key, (counted.get(key) ?? false) || sent);
      });
      // Not awaited: the next batch is written while this one's notices are answered (with
      // Redis, by every other instance); its votes are answered once they are.
      void Promise.all(
        [...counted].map(([key, sent]) => {
          const [site = '', poll = ''] = key.split('\0');
          return this.onCounted(site, poll, sent);
        }),
      ).then(() =>
        batch.forEach((q, i) => {
          const outcome = outcomes[i];
          if (outcome) q.resolve(outcome);
          else void this.alone(q);
        }),
      );
    }
    this.running = false;
  }

  private async alone(q: Queued): Promise<void> {
    try {
      const outcome = await this.store.vote(q.input);
      if (outcome.kind === 'counted') await this.onCounted(q.input.site, q.input.poll);
      q.resolve(outcome);
    } catch (err) {
      q.reject(err);
    }
  }
}

/** Where the public poll answers are kept, and how a change is announced (core/read-cache.ts). */
export interface PollCache {
  reads: ReadCache;
  changed: (site: string, kind: string, id?: string, noticeSent?: boolean) => Promise<void>;
}

export class Polls {
  readonly store: PollStore;
  private readonly votes: VoteQueue;
  private readonly reads: ReadCache;
  private readonly announce: PollCache['changed'];
  /** Polls as last read, for checking votes; a vote on a changed poll is refused as stale and re-checked. */
  private cache = new Map<string, { poll: PollRecord; until: number }>();
  /** Reads of a poll for {@link cache} under way: the votes that find it expired share one. */
  private reading = new Map<string, Promise<PollRecord>>();
  /**
   * (site, poll) → voter token → their stored choices. A counted vote never changes; it goes only
   * with its poll, whose deletion notice (from any instance) drops its voters here. Only votes
   * found are kept: a voter not found is asked of the database again next time.
   */
  private voted = new Map<string, Map<string, string[]>>();
  private votedCount = 0;
  /** Bumped by every drop: a lookup that started before it does not store what it read. */
  private votedGen = 0;
  private readonly keys: ServerKeys;
  private readonly salts: DailySalt;
  /** The UTC day whose salt was last used: the first vote of a new day deletes the older ones. */
  private saltDay?: string;
  /** That deletion while it runs (see {@link idle}). */
  private pruning = new Set<Promise<unknown>>();
  /** (day, site, address) → its salted keys, for the day of {@link ipKeysDay}: two HMACs a vote saved. */
  private ipKeys = new Map<string, { day: string; ipKey: string; netKey: string }>();
  private ipKeysDay?: string;

  constructor(
    storage: Storage,
    readonly now: () => number = Date.now,
    cache: PollCache = { reads: new ReadCache(now), changed: async () => {} },
  ) {
    this.store = new PollStore(storage.db, storage.dialect);
    this.keys = keysOf(storage.db);
    this.reads = cache.reads;
    this.announce = cache.changed;
    // A vote changes no setting of the poll: the poll kept for checking votes stays (dropping it
    // made every vote of the next batch read the poll again, three queries each), only its
    // cached answers go.
    this.votes = new VoteQueue(this.store, (site, id, noticeSent) =>
      this.announce(site, 'poll', id, noticeSent),
    );
    this.salts = new DailySalt(storage.db, 'poll', now);
  }

  /**
   * Resolves once the deletion of older salts and counts that a day's first vote started (not
   * awaited by that vote) has ended: the server waits for it before its storage closes.
   */
  async idle(): Promise<void> {
    await Promise.all(this.pruning);
  }

  /** The poll, or a 404 naming it. */
  async get(site: string, id: string): Promise<PollRecord> {
    const poll = await this.store.get(site, id);
    if (!poll) throw notFound(`Poll "${id}"`);
    return poll;
  }

  /**
   * A new voter token for (site, poll). Its id is 16 bytes: the time of issue in milliseconds (6
   * bytes, big-endian) and 10 random bytes (80 bits, never guessed; the signature is what makes a
   * token genuine). Ids issued close in time sort close together, so the votes' unique index
   * (site, poll, voter) grows at its recent end instead of at random places: a batch of 45 votes
   * touched 45 index pages to write, now a few (commit 973 → 262 µs measured, bench/RESULTS.md).
   */
  async issueToken(site: string, poll: string): Promise<string> {
    const bytes = Buffer.allocUnsafe(16);
    randomPart().copy(bytes, 6);
    bytes.writeUIntBE(this.now(), 0, 6);
    const id = b64(bytes);
    return `${id}.${this.sign(this.keys.key(VOTER_KEY), site, poll, id)}`;
  }

  /** The voter id of a genuine token for (site, poll); a 400 `invalid_voter` otherwise. */
  async voterOf(site: string, poll: string, token: string): Promise<string> {
    return (await this.voter(site, poll, token)).id;
  }

  /**
   * The voter id of a token for (site, poll), and whether an older key signed it (before the
   * keys were derived from the master secret, or before a rotation).
   */
  private async voter(
    site: string,
    poll: string,
    token: string,
  ): Promise<{ id: string; older: boolean }> {
    const [id = '', sig = ''] = token.split('.');
    const given = Buffer.from(sig);
    const signedBy = (key: Buffer) => {
      const expected = Buffer.from(this.sign(key, site, poll, id));
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
    if (signedBy(this.keys.key(VOTER_KEY))) return { id, older: false };
    for (const key of await this.keys.olderKeys(VOTER_KEY, VOTER_KEY))
      if (signedBy(key)) return { id, older: true };
    throw invalidVoter(poll);
  }

  /**
   * {@link read} when the answer is in memory (the cached view, and for a token the choices
   * remembered under it), in the same turn; else undefined.
   */
  readNow(site: string, id: string, token?: string): Ready | undefined {
    const choices = token ? this.voted.get(`${site}\0${id}`)?.get(token) : undefined;
    if (token && !choices) return undefined;
    return this.reads.peek('poll', site, id, variantOf(choices));
  }

  /**
   * `GET /polls/{poll}`: the poll for this voter, from the read cache. The shared entries hold
   * the view of someone who has not voted and the views per set of choices; which one a voter
   * gets is their stored vote (remembered once found, see {@link voted}). Without a token: the
   * shared view (a reader gets a token only to vote, {@link newVoter}).
   */
  async read(site: string, id: string, token?: string): Promise<Ready> {
    const choices = token ? await this.storedVote(site, id, token) : undefined;
    return this.ready(site, id, choices);
  }

  /** `POST /polls/{poll}/voters`: a new voter token for an existing poll (404 otherwise). */
  async newVoter(site: string, id: string): Promise<string> {
    await this.ready(site, id, undefined);
    return this.issueToken(site, id);
  }

  /**
   * The stored choices of the voter of `token` (a 400 `invalid_voter` for a token that is not
   * genuine), or undefined. A vote found is remembered under its token, which was checked when
   * it was stored: a voter's later reads need neither the signature check nor the database.
   */
  private async storedVote(site: string, id: string, token: string): Promise<string[] | undefined> {
    const key = `${site}\0${id}`;
    const known = this.voted.get(key)?.get(token);
    if (known) return known;
    const gen = this.votedGen;
    const voter = await this.voterOf(site, id, token);
    const choices = await this.store.voteOf(site, id, voter);
    if (choices && gen === this.votedGen) {
      if (this.votedCount >= MAX_VOTERS_KNOWN) this.forgetVoters();
      let voters = this.voted.get(key);
      if (!voters) this.voted.set(key, (voters = new Map()));
      voters.set(token, choices);
      this.votedCount++;
    }
    return choices;
  }

  /** Drops the remembered voters of a poll, or of every poll (no argument). */
  forgetVoters(site?: string, id?: string): void {
    this.votedGen++;
    if (site === undefined) {
      this.voted.clear();
      this.votedCount = 0;
      return;
    }
    const key = `${site}\0${id}`;
    this.votedCount -= this.voted.get(key)?.size ?? 0;
    this.voted.delete(key);
  }

  /** The ready public view of the poll for a voter whose stored choices are `choices` (or none). */
  private async ready(site: string, id: string, choices: string[] | undefined): Promise<Ready> {
    const ready = await this.reads.get('poll', site, id, variantOf(choices), async () => {
      const poll = await this.store.get(site, id);
      if (!poll) return undefined;
      const now = this.now();
      return { value: this.view(poll, choices), until: nextChange(poll, now) };
    });
    if (!ready) throw notFound(`Poll "${id}"`);
    return ready;
  }

  /**
   * After a change of the poll (a vote counted, an admin edit): drops its cached answers here
   * and on every instance, before the change is answered.
   */
  async changed(site: string, id: string): Promise<void> {
    this.forget(site, id);
    await this.announce(site, 'poll', id);
  }

  /**
   * After the poll and its votes were deleted: also drops the votes remembered of its voters, on
   * every instance (a poll made again under the same id starts with none).
   */
  async deleted(site: string, id: string): Promise<void> {
    this.forgetVoters(site, id);
    await this.announce(site, POLL_VOTERS, id);
    await this.changed(site, id);
  }

  /**
   * `POST /polls/{poll}/votes`: counts the vote once; a repeat answers like the first time. A poll
   * that requires proof takes the vote only with a captcha token `proof` accepts (single use,
   * action `vote`); a repeat of a counted vote needs none.
   */
  async vote(
    site: string,
    id: string,
    body: { choices: string[]; voter: string; captcha?: string },
    ip: string,
    proof: ProofCheck = refuseProof,
  ): Promise<PollView> {
    let poll = await this.cached(site, id);
    const { id: voter, older } = await this.voter(site, id, body.voter);
    // A token of an older key still shows the vote cast with it; a new vote needs a current
    // token, so a key from an old backup cannot mint voters.
    if (older && !(await this.store.voteOf(site, id, voter))) throw invalidVoter(id);
    const now = this.now();
    const { day, ipKey, netKey } = await this.ipKey(site, ip, now);
    let proven = false;
    for (let attempt = 0; ; attempt++) {
      const choices = checkChoices(poll, body.choices);
      if (poll.requireProof && !proven) {
        const counted = await this.store.voteOf(site, id, voter);
        if (counted) return { ...this.view(poll, counted), counted: false };
        const check = await proof(body.captcha);
        if (!check.ok) throw new HttpError(400, check.code, check.message);
        proven = true;
      }
      const outcome = await this.votes.vote({
        site,
        poll: id,
        voter,
        choices,
        ipKey,
        netKey,
        day,
        ipCeiling: poll.ipCeiling,
        netCeiling: poll.ipCeiling * NET_CEILING_FACTOR,
        version: poll.updatedAt,
        now,
      });
      switch (outcome.kind) {
        case 'counted': {
          const counted = {
            ...poll,
            voters: outcome.voters,
            options: poll.options.map((o) => ({ ...o, votes: outcome.votes[o.id] ?? 0 })),
          };
          return { ...this.view(counted, choices), counted: true };
        }
        case 'repeat':
          return { ...this.view(outcome.poll, outcome.choices), counted: false };
        case 'stale':
          // Changed since it was cached (an admin edit, open or close): check against the poll as it is.
          poll = outcome.poll;
          this.cache.set(`${site}\0${id}`, { poll, until: now + CACHE_MS });
          if (attempt < 3) continue;
          throw new HttpError(409, 'poll_changed', `Poll "${id}" is being changed; try again`);
        case 'not_found':
          this.forget(site, id);
          throw notFound(`Poll "${id}"`);
        case 'closed':
          throw new HttpError(
            409,
            'poll_closed',
            `Poll "${id}" is closed${poll.closesAt !== null ? ` since ${iso(poll.closesAt)}` : ''}`,
          );
        case 'upcoming':
          throw new HttpError(409, 'poll_not_open', `Poll "${id}" opens at ${iso(poll.opensAt)}`);
        case 'ceiling':
          throw new HttpError(
            429,
            'vote_limit',
            `Too many votes on poll "${id}" from this network today`,
          );
      }
    }
  }

  /** The IP-prefix counts and salts of the UTC days before `now`'s (maintenance); rows deleted. */
  async prune(now: number): Promise<number> {
    const day = utcDay(now);
    const salts = await this.salts.deleteBefore(day);
    return salts + (await this.store.pruneIpCounts(day));
  }

  /** Drops the cached poll (after an admin change in this process; others notice by its version). */
  forget(site: string, id: string): void {
    this.cache.delete(`${site}\0${id}`);
    this.reading.delete(`${site}\0${id}`);
  }

  private async cached(site: string, id: string): Promise<PollRecord> {
    const key = `${site}\0${id}`;
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.poll;
    // One read for all (under load up to 50 votes found it expired at once, three queries each).
    let read = this.reading.get(key);
    if (!read) {
      read = this.get(site, id);
      this.reading.set(key, read);
      const done = () => this.reading.get(key) === read && this.reading.delete(key);
      read.then(done, done);
    }
    const poll = await read;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { poll, until: now + CACHE_MS });
    return poll;
  }

  /** The public view of `poll` for a voter whose stored choices are `choices` (none: not voted). */
  view(poll: PollRecord, choices: string[] | undefined): PollView {
    const voted = choices !== undefined;
    const options = poll.options.map((o) => ({ id: o.id, label: o.label }));
    const view: PollView = { ...viewFields(poll, this.now()), options, voted };
    if (voted) view.choices = choices;
    if (resultsVisible(poll, view.status, voted)) {
      view.results = {
        voters: poll.voters,
        options: poll.options.map((o) => ({ id: o.id, votes: o.votes })),
      };
    }
    return view;
  }

  /** Seconds until the next UTC day, when today's IP-prefix counts start over. */
  secondsUntilTomorrow(): number {
    const now = this.now();
    return Math.ceil((Date.parse(utcDay(now)) + 86_400_000 - now) / 1000);
  }

  private sign(key: Buffer, site: string, poll: string, id: string): string {
    return b64(
      createHmac('sha256', key)
        .update(`civic-poll-voter\0${site}\0${poll}\0${id}`)
        .digest()
        .subarray(0, 16),
    );
  }

  /** Today's salted key of the client's IP prefix; a new day deletes the older salts and counts. */
  private async ipKey(
    site: string,
    ip: string,
    now: number,
  ): Promise<{ day: string; ipKey: string; netKey: string }> {
    const day = utcDay(now);
    const salt = this.salts.of(day);
    if (this.saltDay !== day) {
      this.saltDay = day;
      const pruned = salt.then(
        () =>
          Promise.all([this.salts.deleteBefore(day), this.store.pruneIpCounts(day)]).catch(
            () => {},
          ),
        () => {
          if (this.saltDay === day) this.saltDay = undefined;
        },
      );
      this.pruning.add(pruned);
      void pruned.then(() => this.pruning.delete(pruned));
    }
    const known = `${day}\0${site}\0${ip}`;
    const hit = this.ipKeys.get(known);
    if (hit) return hit;
    // The salt's raw bytes are the key, 16 bytes of the MAC the IP key (the format of the counts stored).
    const key = Buffer.from(await salt, 'hex');
    const keys = {
      day,
      ipKey: saltedHash(key, site, ipPrefix(ip), 16),
      netKey: saltedHash(key, site, `net:${widePrefix(ip)}`, 16),
    };
    // Kept for the day (many voters share an office's or a school's address); a full memory starts over.
    if (this.ipKeys.size >= MAX_ADDRESSES_KNOWN || this.ipKeysDay !== day) this.ipKeys.clear();
    this.ipKeysDay = day;
    this.ipKeys.set(known, keys);
    return keys;
  }
}

/** Distinct, known option ids within the poll's limit; a 400 `invalid_choices` naming the problem. */
export function checkChoices(poll: PollRecord, choices: string[]): string[] {
  const bad = (message: string) => new HttpError(400, 'invalid_choices', message);
  if (choices.length === 0) throw bad('Choose at least one option: "choices" is empty');
  const seen = new Set<string>();
  for (const c of choices) {
    if (seen.has(c)) throw bad(`Option "${c}" is chosen twice`);
    seen.add(c);
    if (!poll.options.some((o) => o.id === c)) throw bad(`Poll "${poll.id}" has no option "${c}"`);
  }
  if (!poll.multiple && choices.length > 1)
    throw bad(`Poll "${poll.id}" takes one choice (got ${choices.length})`);
  if (choices.length > poll.maxChoices)
    throw bad(`Poll "${poll.id}" takes at most ${poll.maxChoices} choices (got ${choices.length})`);
  return choices;
}

/** Settings of a poll after applying admin input to `base`; a 400 naming the first problem. */
export function pollSettings(
  input: Partial<Omit<PollSettings, 'options' | 'opensAt' | 'closesAt'>> & {
    options?: { id?: string; label: string }[];
    opensAt?: string | null;
    closesAt?: string | null;
  },
  base?: PollSettings,
): PollSettings {
  const bad = (message: string) => new HttpError(400, 'invalid_request', message);
  const time = (
    name: string,
    value: string | null | undefined,
    fallback: number | null,
  ): number | null => {
    if (value === undefined) return fallback;
    if (value === null) return null;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw bad(`Invalid field "${name}": "${value}" is not a date-time`);
    return ms;
  };
  const options = input.options
    ? input.options.map((o, i) => ({ id: o.id ?? `o${i + 1}`, label: cleanLine(o.label) }))
    : (base?.options ?? []);
  const ids = new Set<string>();
  const labels = new Set<string>();
  for (const o of options) {
    if (ids.has(o.id)) throw bad(`Invalid field "options": the id "${o.id}" is used twice`);
    if (!o.label) throw bad('Invalid field "options": a label is empty');
    if (labels.has(o.label.toLowerCase()))
      throw bad(`Invalid field "options": the label "${o.label}" is used twice`);
    ids.add(o.id);
    labels.add(o.label.toLowerCase());
  }
  const multiple = input.multiple ?? base?.multiple ?? false;
  const maxChoices =
    input.maxChoices ??
    (input.multiple !== undefined || !base ? (multiple ? options.length : 1) : base.maxChoices);
  if (!multiple && maxChoices !== 1)
    throw bad('Invalid field "maxChoices": a single-choice poll takes 1');
  if (multiple && (maxChoices < 2 || maxChoices > options.length)) {
    throw bad(
      `Invalid field "maxChoices": a multiple-choice poll takes 2 to ${options.length} (the number of options)`,
    );
  }
  const opensAt = time('opensAt', input.opensAt, base?.opensAt ?? null);
  const closesAt = time('closesAt', input.closesAt, base?.closesAt ?? null);
  if (opensAt !== null && closesAt !== null && closesAt <= opensAt)
    throw bad('Invalid field "closesAt": it must be after "opensAt"');
  const question = cleanLine(input.question ?? base?.question ?? '');
  if (!question) throw bad('Invalid field "question": it is empty');
  return {
    question,
    options,
    multiple,
    maxChoices,
    opensAt,
    closesAt,
    resultsVisibility: input.resultsVisibility ?? base?.resultsVisibility ?? 'always',
    ipCeiling: input.ipCeiling ?? base?.ipCeiling ?? 100,
    requireProof: input.requireProof ?? base?.requireProof ?? false,
  };
}
