/** The captcha's proof of work, solved in the test the way any client could. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { PowChallenge } from '../../src/shared/captcha.js';

/**
 * Solves an ALTCHA (v1) challenge: SHA-256(salt + n) = challenge → the `p1.` token (base64url
 * JSON). `tamper` may change the payload before it is encoded, to forge a token.
 */
export function solvePow(
  pow: PowChallenge,
  tamper?: (payload: Record<string, unknown>) => void,
): string {
  let number = 0;
  while (
    number <= pow.maxnumber &&
    createHash('sha256')
      .update(pow.salt + number)
      .digest('hex') !== pow.challenge
  )
    number++;
  assert.ok(number <= pow.maxnumber, 'the challenge has a solution within maxnumber');
  const { algorithm, challenge, salt, signature } = pow;
  const payload: Record<string, unknown> = { algorithm, challenge, number, salt, signature };
  tamper?.(payload);
  return `p1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}
