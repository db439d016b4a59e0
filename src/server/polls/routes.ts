import type { Routes } from '../core/api.js';
import { HttpError } from '../core/errors.js';
import { PollParams, PollQuery, PollViewBody, VoteBody } from './schemas.js';

/**
 * `GET /polls/:poll` reads a poll (results only when visible to this voter) and issues a voter
 * token to a client that sent none; `POST /polls/:poll/votes` counts a vote once per token.
 * Votes are written before the answer is sent. Nothing is cached: results are live.
 */
export const pollRoutes: Routes = async (app) => {
  const { polls } = app;

  app.get(
    '/polls/:poll',
    { schema: { params: PollParams, querystring: PollQuery, response: { 200: PollViewBody } } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      return polls.read(req.site.id, req.params.poll, req.query.voter);
    },
  );

  app.post(
    '/polls/:poll/votes',
    { schema: { params: PollParams, body: VoteBody, response: { 200: PollViewBody } } },
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      try {
        return await polls.vote(req.site.id, req.params.poll, req.body, req.ip);
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
