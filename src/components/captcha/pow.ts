/**
 * Solves an ALTCHA (v1) proof-of-work on the main thread, in slices of about 20 ms with a
 * `setTimeout` yield between them, so the page stays responsive. No worker (a blob: worker would
 * break a strict CSP; a worker file would be one more request). SHA-256 comes from
 * `crypto.subtle` when the page has it, else from the small fallback in `sha256.ts`.
 */
import type { PowChallenge } from '../../shared/captcha-types.js';
import { sha256 } from './sha256.js';

const SLICE_MS = 20;
const BATCH = 50;

/** Hashes a batch: `crypto.subtle` in parallel when present, else the plain-JS fallback. */
export function digester(
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): (inputs: Uint8Array[]) => Promise<Uint8Array[]> | Uint8Array[] {
  return subtle
    ? (inputs) =>
        Promise.all(
          inputs.map((d) =>
            subtle.digest('SHA-256', d as Uint8Array<ArrayBuffer>).then((b) => new Uint8Array(b)),
          ),
        )
    : (inputs) => inputs.map(sha256);
}

/**
 * Finds the number. `onProgress(tried, ms)` is called after each slice; `stale()` stops the
 * search (returns -1) when the caller no longer needs it. Throws when no number matches.
 */
export async function solvePow(
  ch: PowChallenge,
  onProgress: (tried: number, ms: number) => void = () => {},
  stale: () => boolean = () => false,
  digest = digester(),
): Promise<number> {
  const enc = new TextEncoder();
  const target = ch.challenge.toLowerCase();
  const start = performance.now();
  for (let n = 0; n <= ch.maxnumber;) {
    const until = performance.now() + SLICE_MS;
    while (n <= ch.maxnumber && performance.now() < until) {
      const inputs: Uint8Array[] = [];
      for (let k = 0; k < BATCH && n + k <= ch.maxnumber; k++)
        inputs.push(enc.encode(ch.salt + (n + k)));
      const found = (await digest(inputs)).findIndex((h) => hex(h) === target);
      if (found >= 0) return n + found;
      n += inputs.length;
    }
    onProgress(n, performance.now() - start);
    await new Promise((r) => setTimeout(r));
    if (stale()) return -1;
  }
  throw new Error('pow_unsolved');
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}
