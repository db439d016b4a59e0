/**
 * Accounts and sign-in: sessions (idle 2 h, absolute 12 h, server-side), the lockout after ten
 * failed sign-ins for one account or one IP prefix in 15 minutes (counted in the database, so
 * every instance sees them; refused with 429 even for the right password), the admin API's
 * authentication (ADMIN_TOKEN, API tokens, the session cookie; bad bearer tokens and unknown
 * session cookies limited per IP prefix), and the checks every way of creating or changing an account shares (admin API, CLI).
 */
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  adminDisabled,
  BOOTSTRAP,
  bearerOf,
  tokenMatches,
  unauthorized,
  type Authenticate,
  type Principal,
  type Role,
} from '../core/admin.js';
import { HttpError } from '../core/errors.js';
import { ipPrefix } from '../core/net.js';
import { SLUG } from '../core/schemas.js';
import { keysOf } from '../core/secrets.js';
import { cleanLine } from '../core/text.js';
import type { Storage } from '../db/storage.js';
import { readSessionCookie } from './cookie.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { EMAIL } from './schemas.js';
import {
  AuthStore,
  emailKey,
  sha256,
  type SessionRecord,
  type TokenRecord,
  type UserRecord,
} from './store.js';

const MINUTE = 60_000;
export const IDLE_MS = 120 * MINUTE;
export const ABSOLUTE_MS = 720 * MINUTE;
export const FAILURE_WINDOW_MS = 15 * MINUTE;
/** Failed sign-ins per account, and per IP prefix, within the window. */
export const LOGIN_LIMIT = 10;
/** Bad admin bearer tokens per IP prefix within the window. */
export const ADMIN_TOKEN_LIMIT = 20;
/** A session's or token's last use is written at most this often. */
const TOUCH_MS = MINUTE;

export const ROLES: readonly Role[] = ['admin', 'editor'];

/** Input of a new account, from the admin API or the CLI. */
export interface UserInput {
  email: string;
  name?: string;
  role: string;
  sites?: string[];
  password: string;
}

const invalid = (field: string, code: string, reason: string) =>
  new HttpError(400, code, `Invalid field "${field}": ${reason}`);

export class Auth {
  readonly store: AuthStore;
  private readonly key: () => Promise<Buffer>;

  constructor(
    private readonly storage: Storage,
    readonly now: () => number,
    private readonly adminToken?: string,
  ) {
    this.store = new AuthStore(storage.db, storage.dialect);
    // Derived from the master secret; the failures counted under the key an older version kept
    // in the database (at most 15 minutes' worth) are not carried over.
    const key = keysOf(storage.db).key('auth-failure-key');
    this.key = () => Promise.resolve(key);
  }

  // Accounts

  /** The role, checked (the CLI passes any word). */
  checkRole(role: string): Role {
    if (!ROLES.includes(role as Role))
      throw invalid('role', 'invalid_role', `"${role}" is not a role (admin or editor)`);
    return role as Role;
  }

  /** The sites, each one existing; none for an admin. */
  async checkSites(role: Role, sites: string[] = []): Promise<string[]> {
    if (role === 'admin') return [];
    const unique = [...new Set(sites)];
    for (const id of unique) {
      if (!new RegExp(SLUG).test(id) || !(await this.storage.getSite(id)))
        throw invalid('sites', 'unknown_site', `there is no site "${id}"`);
    }
    return unique;
  }

  checkPassword(password: string, field = 'password'): void {
    const problem = passwordProblem(password);
    if (problem) throw invalid(field, 'invalid_password', problem);
  }

  async createUser(input: UserInput): Promise<UserRecord> {
    const email = input.email.trim().normalize('NFC');
    if (email.length > 254 || !new RegExp(EMAIL).test(email))
      throw invalid('email', 'invalid_email', 'is not an e-mail address');
    const role = this.checkRole(input.role);
    const sites = await this.checkSites(role, input.sites);
    this.checkPassword(input.password);
    const name = cleanLine(input.name) || email.slice(0, email.indexOf('@'));
    const user = await this.store.createUser(
      { email, name, role, sites, passwordHash: await hashPassword(input.password) },
      this.now(),
    );
    if (!user) throw new HttpError(409, 'user_exists', 'A user with this e-mail already exists');
    return user;
  }

  /** Sets a user's password and ends their sessions (but `keep`); false for an unknown user. */
  async setPassword(userId: string, password: string, keep?: string): Promise<boolean> {
    this.checkPassword(password);
    return this.store.setPassword(userId, await hashPassword(password), this.now(), keep);
  }

  // Failed attempts

  private async failureKey(scope: string, value: string): Promise<string> {
    return createHmac('sha256', await this.key())
      .update(`${scope}:${value}`)
      .digest('base64url');
  }

  /**
   * 429 (with Retry-After) when one of `keys` had `limit` failures within the window: until
   * enough of them are older than the window.
   */
  private async refuseWhenLocked(
    keys: string[],
    limit: number,
    reply: FastifyReply,
    message: string,
  ): Promise<void> {
    const now = this.now();
    const failures = await this.store.failures(keys, now - FAILURE_WINDOW_MS);
    let until = 0;
    for (const times of failures.values()) {
      if (times.length >= limit)
        until = Math.max(until, times[times.length - limit]! + FAILURE_WINDOW_MS);
    }
    if (until <= now) return;
    const seconds = Math.max(1, Math.ceil((until - now) / 1000));
    reply.header('Retry-After', String(seconds));
    throw new HttpError(429, 'rate_limited', `${message}; try again in ${seconds} s`);
  }

  // Sign-in and sessions

  /**
   * Checks e-mail and password (refused while the account or the network is locked out) and
   * opens a session; returns its user and the cookie's value.
   */
  async login(
    email: string,
    password: string,
    ip: string,
    reply: FastifyReply,
  ): Promise<{ user: UserRecord; value: string }> {
    const accountKey = await this.failureKey('login-account', emailKey(email));
    const keys = [accountKey, await this.failureKey('login-ip', ipPrefix(ip))];
    await this.refuseWhenLocked(keys, LOGIN_LIMIT, reply, 'Too many failed sign-ins');
    const found = await this.store.userForLogin(email);
    // An unknown e-mail costs the same time as a wrong password.
    const ok = await verifyPassword(password, found?.hash ?? (await decoyHash()));
    const now = this.now();
    if (!found || !ok) {
      await this.store.addFailure(keys, now);
      throw new HttpError(401, 'invalid_credentials', 'Wrong e-mail or password');
    }
    await this.store.clearFailures(accountKey);
    if (found.user.disabled)
      throw new HttpError(
        403,
        'account_disabled',
        'This account is disabled; ask an administrator',
      );
    await this.store.pruneFailures(now - FAILURE_WINDOW_MS);
    await this.store.pruneSessions(now - IDLE_MS, now - ABSOLUTE_MS);
    return { user: found.user, value: await this.store.createSession(found.user.id, now) };
  }

  /** The live session of `req`'s cookie; an expired one is deleted. */
  async session(req: FastifyRequest): Promise<SessionRecord | undefined> {
    const value = readSessionCookie(req);
    if (!value) return undefined;
    const session = await this.store.session(sha256(value));
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastSeen >= IDLE_MS || now - session.createdAt >= ABSOLUTE_MS) {
      await this.store.deleteSession(session.id);
      return undefined;
    }
    if (now - session.lastSeen >= TOUCH_MS) await this.store.touchSession(session.id, now);
    return session;
  }

  /** Changes the signed-in user's own password; their other sessions end. */
  async changeOwnPassword(
    session: SessionRecord,
    current: string,
    next: string,
    ip: string,
    reply: FastifyReply,
  ): Promise<void> {
    const accountKey = await this.failureKey('login-account', emailKey(session.user.email));
    const keys = [accountKey, await this.failureKey('login-ip', ipPrefix(ip))];
    await this.refuseWhenLocked(keys, LOGIN_LIMIT, reply, 'Too many failed attempts');
    const found = await this.store.userForLogin(session.user.email);
    if (!found || !(await verifyPassword(current, found.hash))) {
      await this.store.addFailure(keys, this.now());
      throw new HttpError(
        400,
        'invalid_credentials',
        'Invalid field "currentPassword": the current password is wrong',
      );
    }
    this.checkPassword(next, 'newPassword');
    await this.setPassword(session.user.id, next, session.id);
  }

  // The admin API

  /**
   * The failure key of the request's network for admin sign-ins (bearer tokens and stale session
   * cookies), after a 429 when that network is locked out.
   */
  private async refuseLockedNetwork(req: FastifyRequest, reply: FastifyReply): Promise<string> {
    const ipKey = await this.failureKey('admin-ip', ipPrefix(req.ip));
    await this.refuseWhenLocked(
      [ipKey],
      ADMIN_TOKEN_LIMIT,
      reply,
      'Too many failed admin sign-ins from this network',
    );
    return ipKey;
  }

  /** The admin gate's authentication: bearer token (ADMIN_TOKEN or an API token), else the session. */
  readonly authenticate: Authenticate = async (req, reply) => {
    if (req.headers.authorization !== undefined) {
      const ipKey = await this.refuseLockedNetwork(req, reply);
      const bearer = bearerOf(req);
      if (bearer && this.adminToken && tokenMatches(bearer, this.adminToken)) return BOOTSTRAP;
      const token = bearer ? await this.store.tokenBySecret(bearer) : undefined;
      if (token) {
        const now = this.now();
        if (token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_MS)
          await this.store.touchToken(token.id, now);
        return tokenPrincipal(token);
      }
      await this.store.addFailure([ipKey], this.now());
      if (!this.adminToken && !(await this.store.hasAccounts())) throw adminDisabled();
      throw unauthorized(reply, 'A valid admin bearer token is required');
    }
    const session = await this.session(req);
    if (session) return sessionPrincipal(session);
    // A session cookie that is no (longer a) session counts as a failure of this network, like a
    // bad bearer token: guessing either ends in 429. A live session is never held back.
    if (readSessionCookie(req)) {
      const ipKey = await this.refuseLockedNetwork(req, reply);
      await this.store.addFailure([ipKey], this.now());
    }
    if (!this.adminToken && !(await this.store.hasAccounts())) throw adminDisabled();
    throw unauthorized(reply, 'Sign in, or send a valid admin bearer token');
  };
}

export function sessionPrincipal(session: SessionRecord): Principal {
  const { user } = session;
  return {
    kind: 'session',
    actor: user.email,
    userId: user.id,
    role: user.role,
    sites: user.sites,
    sessionId: session.id,
  };
}

export function tokenPrincipal(token: TokenRecord): Principal {
  return {
    kind: 'token',
    actor: `token:${token.name}`,
    userId: null,
    role: token.role,
    sites: token.sites,
  };
}
