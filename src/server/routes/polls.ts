import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';
import { PollParams, PollQuery, PollViewBody, VoteBody } from '../poll-schemas.js';
import { pollsOf } from '../polls.js';
import { ErrorBody } from '../schemas.js';

type Params = Static<typeof PollParams>;

/**
 * `GET /polls/:poll` reads a poll (results only when visible to this voter) and issues a voter
 * token to a client that sent none; `POST /polls/:poll/votes` counts a vote once per token.
 * Votes are written before the answer is sent. Nothing is cached: results are live.
 */
export async function pollRoutes(app: FastifyInstance): Promise<void> {
  const { sites } = app.civic;
  const polls = pollsOf(app.civic);
  const errors = { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody };

  app.get<{ Params: Params; Querystring: Static<typeof PollQuery> }>(
    '/polls/:poll',
    { schema: { params: PollParams, querystring: PollQuery, response: { 200: PollViewBody, ...errors } } },
    async (req, reply) => {
      await sites.get(req.params.site);
      reply.header('Cache-Control', 'no-store');
      return polls.read(req.params.site, req.params.poll, req.query.voter);
    },
  );

  app.post<{ Params: Params; Body: Static<typeof VoteBody> }>(
    '/polls/:poll/votes',
    { schema: { params: PollParams, body: VoteBody, response: { 200: PollViewBody, ...errors } } },
    async (req, reply) => {
      await sites.get(req.params.site);
      reply.header('Cache-Control', 'no-store');
      try {
        return await polls.vote(req.params.site, req.params.poll, req.body, req.ip);
      } catch (err) {
        if (err instanceof HttpError && err.code === 'vote_limit') reply.header('Retry-After', String(polls.secondsUntilTomorrow()));
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
      throw new HttpError(405, 'method_not_allowed', 'Votes are cast with POST (JSON body {choices, voter})');
    },
  });
}
