/**
 * The session cookie. Over HTTPS (`req.protocol`, which follows TRUST_PROXY's
 * `X-Forwarded-Proto`): `__Host-civic_session`, Secure, HttpOnly, SameSite=Strict, Path=/ (the
 * `__Host-` prefix makes browsers refuse it from a subdomain or over HTTP). Over plain HTTP
 * (local development, tests): `civic_session`, HttpOnly, SameSite=Strict. Each protocol reads
 * only its own name, so a cookie planted over HTTP is never taken over HTTPS.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const SECURE_NAME = '__Host-civic_session';
const PLAIN_NAME = 'civic_session';
const VALUE = /^[A-Za-z0-9_-]{43}$/;

const secure = (req: FastifyRequest) => req.protocol === 'https';
export const cookieName = (req: FastifyRequest) => (secure(req) ? SECURE_NAME : PLAIN_NAME);

/** The session cookie's value on `req`, when it has the shape of one. */
export function readSessionCookie(req: FastifyRequest): string | undefined {
  const name = cookieName(req);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (VALUE.test(value)) return value;
  }
  return undefined;
}

function attributes(req: FastifyRequest, maxAge: number): string {
  return `; Path=/; Max-Age=${maxAge}; HttpOnly${secure(req) ? '; Secure' : ''}; SameSite=Strict`;
}

/** Sets the session cookie; `maxAgeMs` is the session's absolute lifetime. */
export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  value: string,
  maxAgeMs: number,
): void {
  reply.header(
    'Set-Cookie',
    `${cookieName(req)}=${value}${attributes(req, Math.floor(maxAgeMs / 1000))}`,
  );
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('Set-Cookie', `${cookieName(req)}=${attributes(req, 0)}`);
}
