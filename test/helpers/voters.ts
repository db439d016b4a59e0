/**
 * Voter tokens for the tests: `POST /api/v1/sites/{site}/polls/{poll}/voters` (a reader asks for
 * one just before a first vote), on an app (inject) or a running server (HTTP).
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const votersUrl = (site: string, poll: string) =>
  `/api/v1/sites/${site}/polls/${encodeURIComponent(poll)}/voters`;

/** The answer of a new-voter request to `app` from `ip`. */
export function newVoter(
  app: FastifyInstance,
  site: string,
  poll: string,
  ip = '203.0.113.10',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: votersUrl(site, poll),
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    payload: '{}',
  });
}

/** A new voter token from `app` (asserts the 201). */
export async function voterToken(
  app: FastifyInstance,
  site: string,
  poll: string,
  ip?: string,
): Promise<string> {
  const res = await newVoter(app, site, poll, ip);
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { voterToken: string }).voterToken;
}

/** A new voter token from the server at `origin` (asserts the 201). */
export async function fetchVoterToken(
  origin: string,
  site: string,
  poll: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await fetch(`${origin}${votersUrl(site, poll)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });
  const body = await res.text();
  assert.equal(res.status, 201, body);
  return (JSON.parse(body) as { voterToken: string }).voterToken;
}
