/**
 * The captcha service: issues challenges (a code image drawn here, and an ALTCHA proof-of-work)
 * and checks the tokens that `<civic-captcha>` submits. Features call {@link CaptchaService.consume}
 * on every protected write; a host site's backend reaches the same check through
 * `POST /api/v1/captcha/verify`. Single use, expiry and attempt counting live in the database
 * (`CaptchaStore`), so any number of instances may share one PostgreSQL.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1';
import type { Kysely } from 'kysely';
import {
  CODE_TOKEN,
  POW_BASE,
  POW_CEILING,
  POW_TOKEN,
  powCost,
  type CaptchaChallenge,
  type PowPayload,
} from '../../shared/captcha.js';
import { widePrefix } from '../core/net.js';
import type { RateCounter } from '../core/rates.js';
import { keysOf, type ServerKeys } from '../core/secrets.js';
import type { Database } from '../db/database.js';
import type { SiteRecord } from '../db/storage.js';
import { drawCaptcha, randomCode } from './image.js';
import { CaptchaStore, MAX_ATTEMPTS } from './store.js';

export type CaptchaFailureCode =
  'captcha_required' | 'captcha_invalid' | 'captcha_expired' | 'captcha_used' | 'captcha_mismatch';
export type CaptchaResult = { ok: true } | { ok: false; code: CaptchaFailureCode; message: string };
export interface CaptchaHooks {
  /** Test-only seam: called with the plain answer of each code challenge issued. */
  onIssue?(id: string, answer: string): void;
}

/** A challenge lives this long (DESIGN.md: ≤ 10 minutes). */
export const CAPTCHA_TTL_MS = 10 * 60 * 1000;
/** The window over which a network's challenges raise its proof-of-work cost. */
export const POW_WINDOW_MS = 60 * 60 * 1000;
/** The rate counter's scope of issued challenges. */
export const POW_SCOPE = 'captcha';

/** How the proof-of-work cost adapts (defaults: `POW_BASE`, `POW_CEILING`). */
export interface PowCostOptions {
  /** Counts challenges per network (IPv4 /24, IPv6 /48) over the last hour. */
  rates: RateCounter;
  base?: number;
  ceiling?: number;
}

const ID = /^[A-Za-z0-9_-]{22}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_TOKEN = 1024;
/** Expired challenges and used proofs are deleted this long after they expired (maintenance). */
export const CAPTCHA_KEEP_MS = 60 * 60 * 1000;
/** No issued cost is above the configuration's highest ceiling. */
const MAX_POW_NUMBER = 100_000_000;

const fail = (code: CaptchaFailureCode, message: string): CaptchaResult => ({
  ok: false,
  code,
  message,
});

/** The result of a check, with the action the token was issued for. */
export type CaptchaCheck = CaptchaResult & { action?: string };

export class CaptchaService {
  readonly store: CaptchaStore;
  private readonly serverKeys: ServerKeys;
  /** When this instance started: a proof signed with an older key must have been issued before. */
  private readonly startedAt: number;

  private readonly rates: RateCounter;
  readonly powBase: number;
  readonly powCeiling: number;

  constructor(
    db: Kysely<Database>,
    dialect: 'sqlite' | 'postgres',
    cost: PowCostOptions,
    private readonly hooks: CaptchaHooks = {},
    private readonly now: () => number = Date.now,
  ) {
    this.store = new CaptchaStore(db, dialect);
    this.serverKeys = keysOf(db);
    this.startedAt = now();
    this.rates = cost.rates;
    this.powBase = cost.base ?? POW_BASE;
    this.powCeiling = Math.max(this.powBase, cost.ceiling ?? POW_CEILING);
  }

  /**
   * The proof-of-work cost of a new challenge for a client at `ip`: its network's (IPv4 /24,
   * IPv6 /48) challenges of the last hour, this one included, double the base from the 10th on
   * and at every further 10th, up to the ceiling.
   */
  async powCostFor(ip: string): Promise<number> {
    const n = await this.rates.hit(POW_SCOPE, widePrefix(ip), POW_WINDOW_MS);
    return powCost(n, this.powBase, this.powCeiling);
  }

  /** A new challenge for `site` and `action` from a client at `ip`, as the site's captcha mode asks. */
  async issue(site: SiteRecord, action: string, ip: string): Promise<CaptchaChallenge> {
    const now = this.now();
    const mode = (await this.store.getMode(site.id)) ?? 'code+pow';
    const expiresAt = now + CAPTCHA_TTL_MS;
    const keys = await this.getKeys();

    let id: string | null = null;
    let image: string | null = null;
    let length: number | null = null;
    if (mode !== 'pow') {
      id = randomBytes(16).toString('base64url');
      const code = randomCode();
      await this.store.insertChallenge({
        id,
        site: site.id,
        action,
        answer: answerMac(keys.answer, id, code),
        createdAt: now,
        expiresAt,
      });
      image = `data:image/png;base64,${drawCaptcha(code).toString('base64')}`;
      length = code.length;
      this.hooks.onIssue?.(id, code);
    }
    let pow: CaptchaChallenge['pow'] = null;
    if (mode !== 'code') {
      const maxnumber = await this.powCostFor(ip);
      // The cost rides in the signed salt: a solution is accepted only within it.
      pow = (await createChallenge({
        algorithm: 'SHA-256',
        hmacKey: keys.altcha,
        maxnumber,
        expires: new Date(expiresAt),
        params: { site: site.id, action, max: String(maxnumber) },
      })) as CaptchaChallenge['pow'];
    }
    return { mode, id, image, length, pow, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Checks a token from <civic-captcha> for this site and action and consumes it (single use, atomic in the DB). */
  async consume(
    site: SiteRecord,
    action: string,
    token: string | undefined,
  ): Promise<CaptchaResult> {
    const { action: _, ...result } = await this.check(site, action, token);
    return result as CaptchaResult;
  }

  /**
   * Like {@link consume}; `action` may be left out (server-to-server verification), and the
   * result names the action the token was issued for.
   */
  async check(
    site: SiteRecord,
    action: string | undefined,
    token: string | undefined,
  ): Promise<CaptchaCheck> {
    if (typeof token !== 'string' || token.trim() === '') {
      return fail('captcha_required', 'Complete the captcha');
    }
    const code = token.startsWith(CODE_TOKEN);
    if (token.length > MAX_TOKEN || (!code && !token.startsWith(POW_TOKEN))) {
      return fail('captcha_invalid', 'The captcha token is malformed');
    }
    const mode = (await this.store.getMode(site.id)) ?? 'code+pow';
    if (code) {
      if (mode === 'pow')
        return fail(
          'captcha_invalid',
          'This site accepts only the automatic check; get a new captcha',
        );
      return this.checkCode(site, action, token.slice(CODE_TOKEN.length));
    }
    if (mode === 'code')
      return fail(
        'captcha_invalid',
        'This site requires the code from the image; get a new captcha',
      );
    return this.checkPow(site, action, token.slice(POW_TOKEN.length));
  }

  private async checkCode(
    site: SiteRecord,
    action: string | undefined,
    rest: string,
  ): Promise<CaptchaCheck> {
    const dot = rest.indexOf('.');
    const id = rest.slice(0, dot);
    const code = normalizeCode(rest.slice(dot + 1));
    if (dot < 0 || !ID.test(id)) return fail('captcha_invalid', 'The captcha token is malformed');
    if (!code) return fail('captcha_required', 'Type the code shown in the image');
    const now = this.now();
    const row = await this.store.getChallenge(id);
    if (!row) return fail('captcha_invalid', 'Unknown captcha; get a new code');
    if (row.site !== site.id || (action !== undefined && row.action !== action)) {
      return fail('captcha_mismatch', 'This captcha was issued for another site or form');
    }
    const dead = this.state(row.usedAt, row.expiresAt, row.attempts, now);
    if (dead) return dead;
    const keys = [await this.getKeys(), ...(await this.olderKeys())];
    // An older key can only match the stored MAC with the right code: it verifies a challenge
    // issued before the upgrade, and nothing else.
    if (!keys.some((k) => macEqual(answerMac(k.answer, id, code), row.answer))) {
      const attempts = await this.store.addAttempt(id, now);
      return attempts >= MAX_ATTEMPTS
        ? fail('captcha_invalid', 'Wrong code, and too many tries: get a new code')
        : fail('captcha_invalid', 'Wrong code; try again');
    }
    if (await this.store.markUsed(id, now)) return { ok: true, action: row.action };
    // Lost a race (or expired in between): say why.
    const again = await this.store.getChallenge(id);
    return (
      (again && this.state(again.usedAt, again.expiresAt, again.attempts, now)) ||
      fail('captcha_used', 'This captcha was already used; get a new one')
    );
  }

  private state(
    usedAt: number | null,
    expiresAt: number,
    attempts: number,
    now: number,
  ): CaptchaResult | undefined {
    if (usedAt !== null)
      return fail('captcha_used', 'This captcha was already used; get a new one');
    if (expiresAt <= now) return fail('captcha_expired', 'The captcha expired; get a new one');
    if (attempts >= MAX_ATTEMPTS)
      return fail('captcha_invalid', 'Too many wrong codes; get a new code');
    return undefined;
  }

  private async checkPow(
    site: SiteRecord,
    action: string | undefined,
    rest: string,
  ): Promise<CaptchaCheck> {
    const payload = parsePow(rest);
    if (!payload) return fail('captcha_invalid', 'The captcha token is malformed');
    const keys = await this.getKeys();
    // Signature and hash first: the parameters in the salt are only trusted once they check out.
    if (!(await verifySolution(payload, keys.altcha, false)) && !(await this.olderPow(payload)))
      return fail('captcha_invalid', 'The proof of work is not valid');
    const params = extractParams(payload);
    // The cost the server issued (signed): the number must lie within it.
    const max = Number(params.max);
    if (!Number.isSafeInteger(max) || max < 1 || payload.number > max)
      return fail('captcha_invalid', 'The proof of work does not match the issued cost');
    if (params.site !== site.id || (action !== undefined && params.action !== action)) {
      return fail('captcha_mismatch', 'This captcha was issued for another site or form');
    }
    const expiresAt = Number(params.expires) * 1000;
    if (!Number.isFinite(expiresAt) || expiresAt <= this.now())
      return fail('captcha_expired', 'The captcha expired; get a new one');
    if (!(await this.store.usePow(payload.signature, site.id, expiresAt)))
      return fail('captcha_used', 'This captcha was already used; get a new one');
    return { ok: true, action: params.action ?? '' };
  }

  /** The keys derived from the master secret (core/secrets.ts), the same on every instance. */
  private getKeys(): Promise<CaptchaKeys> {
    return Promise.resolve(captchaKeys(this.serverKeys.key('captcha')));
  }

  /**
   * A proof signed with an older key counts only if its challenge expires within one lifetime
   * of this instance's start (so it was issued before): a key from an old backup cannot sign
   * cheap challenges for long.
   */
  private async olderPow(payload: PowPayload): Promise<boolean> {
    const expiresAt = Number(extractParams(payload).expires) * 1000;
    if (!(expiresAt <= this.startedAt + CAPTCHA_TTL_MS)) return false;
    for (const keys of await this.olderKeys())
      if (await verifySolution(payload, keys.altcha, false)) return true;
    return false;
  }

  /**
   * Keys that verify only challenges issued before: under `CIVIC_SECRET_PREVIOUS`, and under the
   * random `captcha_key` older versions kept in the database.
   */
  private async olderKeys(): Promise<CaptchaKeys[]> {
    return (await this.serverKeys.olderKeys('captcha', 'captcha_key')).map(captchaKeys);
  }
}

/** Upper case, without spaces or dashes: visitors may type `ab c-12`. */
export function normalizeCode(typed: string): string {
  return typed
    .replace(/[\s-]+/g, '')
    .toUpperCase()
    .slice(0, 16);
}

interface CaptchaKeys {
  answer: Buffer;
  altcha: string;
}

/** The two keys of a captcha key: code answers, and ALTCHA's challenge signatures. */
function captchaKeys(key: Buffer): CaptchaKeys {
  return {
    answer: createHmac('sha256', key).update('captcha answer').digest(),
    altcha: createHmac('sha256', key).update('captcha altcha').digest('hex'),
  };
}

function answerMac(key: Buffer, id: string, code: string): string {
  return createHmac('sha256', key).update(`${id}:${code}`).digest('base64url');
}

function macEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parsePow(b64: string): PowPayload | undefined {
  try {
    const p = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')) as Partial<PowPayload>;
    if (
      p &&
      p.algorithm === 'SHA-256' &&
      typeof p.challenge === 'string' &&
      HEX64.test(p.challenge) &&
      typeof p.signature === 'string' &&
      HEX64.test(p.signature) &&
      typeof p.salt === 'string' &&
      p.salt.length <= 300 &&
      Number.isSafeInteger(p.number) &&
      p.number! >= 0 &&
      p.number! <= MAX_POW_NUMBER
    ) {
      return {
        algorithm: p.algorithm,
        challenge: p.challenge,
        number: p.number!,
        salt: p.salt,
        signature: p.signature,
      };
    }
  } catch {
    // Not base64url JSON.
  }
  return undefined;
}
