/**
 * The admin API `/api/v1/admin/…`: bearer `ADMIN_TOKEN` (for the CLI and automation), JSON only,
 * and a Fetch-Metadata check so a browser on another site cannot drive it. Without ADMIN_TOKEN
 * every admin route answers 403 (`admin_disabled`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The admin scope's `onRequest` hook for the configured token (none: the admin API is off). */
export function adminAuth(expected: string | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.header('Cache-Control', 'no-store');
    if (!expected)
      throw new HttpError(
        403,
        'admin_disabled',
        'The admin API is off: set ADMIN_TOKEN to enable it',
      );
    // A cross-site browser request never reaches the admin API, whatever it carries.
    const site = req.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none') {
      throw new HttpError(403, 'cross_site', 'Cross-site requests to the admin API are refused');
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!token || !tokenMatches(token, expected)) {
      reply.header('WWW-Authenticate', 'Bearer realm="civic-admin"');
      throw new HttpError(401, 'unauthorized', 'A valid admin bearer token is required');
    }
  };
}
