import type { NewVoter, PollView, VoteRequest } from '../../shared/poll-types.js';
import { request } from '../../client/api-client.js';

// `base`: the site's API URL, `{api}/api/v1/sites/{site}` (CivicElement's `apiUrl()`).

/** `GET /polls/{id}`: the poll as this voter sees it (`voter`: the token of an earlier vote). */
export const getPoll = (base: string, id: string, signal: AbortSignal, voter?: string) =>
  request<PollView>(
    `${base}/polls/${encodeURIComponent(id)}${voter ? `?voter=${encodeURIComponent(voter)}` : ''}`,
    { signal },
  );

/** `POST /polls/{id}/voters`: a voter token, asked for once, just before the first vote. */
export const postVoter = (base: string, id: string, signal: AbortSignal) =>
  request<NewVoter>(`${base}/polls/${encodeURIComponent(id)}/voters`, {
    method: 'POST',
    body: {},
    signal,
  });

/** `POST /polls/{id}/votes`: idempotent per voter token, so a retry never counts twice. */
export const postVote = (base: string, id: string, body: VoteRequest, signal: AbortSignal) =>
  request<PollView>(`${base}/polls/${encodeURIComponent(id)}/votes`, {
    method: 'POST',
    body,
    signal,
    retries: 2,
  });
