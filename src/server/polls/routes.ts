import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Routes } from '../core/api.js';
import { HttpError } from '../core/errors.js';
import { ipPrefix, widePrefix } from '../core/net.js';
import { sendReadyNow } from '../core/read-cache.js';
import {
  NewVoterBody,
  NewVoterView,
  PollParams,
  PollQuery,
  PollViewBody,
  VoteBody,
} from './schemas.js';

const HOUR_MS = 3_600_000;
/**
 * New voter tokens per site and hour from one address (IPv4 /32, IPv6 /64), and from one network
 * (IPv4 /24, IPv6 /48). A token is issued once per browser and poll (kept in localStorage), so
 * these count new visitors of the site behind that address; see README, "Polls".
 */
export const TOKENS_PER_HOUR = 600;
export const NET_TOKENS_PER_HOUR = 6000;

/** A voter's view: theirs alone (private), to be revalidated (`If-None-Match`) before each reuse. */
export const POLL_CACHE_CONTROL = 'private, no-cache';

/**
 * The limit of new voter tokens, as a function of a route that issues one: counts a new token for
 * the client's address and network; a 429 over either limit (also used by the pages without
 * JavaScript, nojs).
 */
export function newVoterLimit(app: FastifyInstance) {
  // In the shared state (this process, or Redis): a first-time reader costs no database write.
  const { sharedRates: rates, now } = app.civic;
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const site = (req.params as { site: string }).site;
    const [own, net] = await Promise.all([
      rates.hit(`voter-token\u0000${site}`, ipPrefix(req.ip), HOUR_MS),
      rates.hit(`voter-token-net\u0000${site}`, widePrefix(req.ip), HOUR_MS),
    ]);
    if (own <= TOKENS_PER_HOUR && net <= NET_TOKENS_PER_HOUR) return;
    const retry = Math.max(1, Math.ceil((HOUR_MS - (now() % HOUR_MS)) / 1000));
    reply.header('Retry-After', String(retry));
    throw new HttpError(
      429,
      'rate_limited',
      `Too many new voters from this network; retry in ${retry} s`,
    );
  };
}

/**
 * `GET /polls/:poll` reads a poll (results only when visible to this voter) from the read cache,
 * with an ETag (304 on `If-None-Match`); it changes nothing. `POST /polls/:poll/voters` issues a
 * voter token (limited per address and network), asked for by a reader about to cast a first
 * vote; `POST /polls/:poll/votes` counts a vote once per token. Votes are committed (grouped,
 * see `VoteQueue`) and the cached views dropped on every instance before the answer is sent, so
 * the next read anywhere shows them.
 */
export const pollRoutes: Routes = async (app) => {
  const { polls, captcha } = app;

  const limitTokens = newVoterLimit(app);

  app.get(
    '/polls/:poll',
    {
      compress: false,
      schema: { params: PollParams, querystring: PollQuery, response: { 200: PollViewBody } },
    },
    // Not async: a view in memory is sent in the same turn (no promise, as for visits).
    (req, reply) => {
      const [site, poll, voter] = [req.site.id, req.params.poll, req.query.voter];
      return sendReadyNow(req, reply, POLL_CACHE_CONTROL, polls.readNow(site, poll, voter), () =>
        polls.read(site, poll, voter),
      );
    },
  );

  // Only readers who vote get a token: reading a poll never spends the address's allowance of
  // new voters (a carrier's or a school's shared address would reach it by page views alone).
  app.post(
    '/polls/:poll/voters',
    {
      compress: false,
      schema: { params: PollParams, body: NewVoterBody, response: { 201: NewVoterView } },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      await limitTokens(req, reply);
      const voterToken = await polls.newVoter(req.site.id, req.params.poll);
      return reply.code(201).send({ voterToken });
    },
  );

  app.post(
    '/polls/:poll/votes',
    // A poll's answer (under 1 KB) is not worth compressing: no @fastify/compress hook (see visits).
    {
      compress: false,
      schema: { params: PollParams, body: VoteBody, response: { 200: PollViewBody } },
    },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      try {
        // A poll that requires proof takes a captcha token issued for the action `vote`.
        const proof = (token: string | undefined) => captcha.consume(req.site, 'vote', token);
        return await polls.vote(req.site.id, req.params.poll, req.body, req.ip, proof);
      } catch (err) {
        if (err instanceof HttpError && err.code === 'vote_limit')
          reply.header('Retry-After', String(polls.secondsUntilTomorrow()));
        throw err;
      }
    },
  );

  // A vote is never cast by a link: GET (and anything but POST) on the votes URL is refused.
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: '/polls/:poll/votes',
    schema: { params: PollParams },
    handler: async (_req, reply) => {
      reply.header('Allow', 'POST');
      throw new HttpError(
        405,
        'method_not_allowed',
        'Votes are cast with POST (JSON body {choices, voter})',
      );
    },
  });
};
