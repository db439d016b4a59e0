/** Accounts in server tests: create users through the admin API, sign in, send the session cookie. */
import assert from 'node:assert/strict';
import type { FastifyInstance, HTTPMethods, LightMyRequestResponse } from 'fastify';
import type { AdminClient } from './app.js';

/** A password long enough for the server (≥ 12 characters). */
export const PASSWORD = 'mật-khẩu-đủ-dài-123';

/** The host the console is served from in these tests, and its origin. */
export const CONSOLE_HOST = 'admin.example.gov.vn';
export const CONSOLE_ORIGIN = `http://${CONSOLE_HOST}`;

export interface TestUser {
  id: string;
  email: string;
  role: 'admin' | 'editor';
  sites: string[];
}

/** Creates a user through the admin API (201 expected). */
export async function createUser(
  admin: AdminClient,
  email: string,
  role: 'admin' | 'editor',
  sites: string[] = [],
  password = PASSWORD,
): Promise<TestUser> {
  const res = await admin('POST', '/users', { email, role, sites, password });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as TestUser;
}

export interface LoginOptions {
  ip?: string;
  headers?: Record<string, string>;
}

/** `POST /api/v1/auth/login`. */
export function login(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
  { ip, headers = {} }: LoginOptions = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    ...(ip && { remoteAddress: ip }),
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ email, password }),
  });
}

/** The `Set-Cookie` header of `res` (one cookie). */
export function setCookie(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  assert.ok(header, 'a Set-Cookie header');
  return Array.isArray(header) ? header.join('\n') : String(header);
}

/** `name=value` of the session cookie `res` set, to send back as `Cookie`. */
export function cookieOf(res: LightMyRequestResponse): string {
  return setCookie(res).split(';')[0]!;
}

/** Signs in (200 expected) and returns the cookie to send. */
export async function signIn(app: FastifyInstance, email: string, password = PASSWORD) {
  const res = await login(app, email, password);
  assert.equal(res.statusCode, 200, res.body);
  return cookieOf(res);
}

/**
 * Requests with the session `cookie`, as the console sends them: from its own origin
 * (`Sec-Fetch-Site: same-origin`) unless `headers` say otherwise. `url` is the full path.
 */
export function withCookie(app: FastifyInstance, cookie: string) {
  return (
    method: HTTPMethods,
    url: string,
    payload?: unknown,
    headers: Record<string, string | undefined> = {},
  ) => {
    const all: Record<string, string | undefined> = {
      host: CONSOLE_HOST,
      cookie,
      'sec-fetch-site': 'same-origin',
      ...(payload !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    };
    const sent = Object.fromEntries(
      Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined),
    );
    return app.inject({
      method,
      url,
      headers: sent,
      payload: payload !== undefined ? JSON.stringify(payload) : undefined,
    });
  };
}
