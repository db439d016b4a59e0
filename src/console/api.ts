/**
 * The console's requests: the same-origin admin API (`/api/v1/admin/…`) and the auth API
 * (`/api/v1/auth/…`), authenticated by the session cookie.
 *
 * The widgets' `request()` (client/api-client.ts) never sends cookies (`credentials: 'omit'`, as
 * an embedded widget must not) and expects JSON from every 2xx; the console needs the cookie
 * (`credentials: 'same-origin'`) and takes 204 answers, so it has this small fetch of its own
 * and reuses the client's typed `ApiError`. No retries: every console request is a person's
 * action, and a write must not be sent twice.
 */
import { ApiError } from '../client/api-client.js';
import { API_PREFIX } from '../shared/api.js';
import type { AdminComment, AdminCommentPage, CommentStatus } from '../shared/comments.js';
import type { AdminPoll, PollSettingsInput } from '../shared/polls.js';

export type { AdminComment, AdminCommentPage, AdminPoll, CommentStatus, PollSettingsInput };

const TIMEOUT_MS = 15_000;

export type Role = 'admin' | 'editor';

/** `GET /auth/me` and the answer of `POST /auth/login`. */
export interface Me {
  email: string;
  name: string;
  role: Role;
  /** The sites an editor may manage (an admin manages every site). */
  sites: string[];
}

export interface SiteSummary {
  id: string;
  name: string;
}

/** `GET /admin/sites/:site/visits/daily?days=N`. */
export interface DailyVisits {
  /** Oldest first, one entry per local day of the site (`YYYY-MM-DD`), the last one today. */
  days: { date: string; visits: number }[];
  today: number;
  month: number;
  total: number;
}

export type BulkAction = 'approve' | 'reject' | 'delete';

/** Called with every 401 of a request made while signed in (the session ended). */
let unauthorized: (() => void) | undefined;
export function onUnauthorized(handler: (() => void) | undefined): void {
  unauthorized = handler;
}

interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** One request to `/api/v1{path}` with the session cookie; `undefined` for a 204. */
export async function call<T>(path: string, { method = 'GET', body, signal }: CallOptions = {}) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, TIMEOUT_MS);
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort);
  let res: Response;
  let text: string;
  try {
    res = await fetch(API_PREFIX + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    text = await res.text();
  } catch {
    if (signal?.aborted) throw new ApiError('aborted', 'Request aborted');
    if (timedOut) throw new ApiError('timeout', 'Request timed out');
    throw new ApiError('network', 'Network error');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  if (res.status === 204) return undefined as T;
  let data: unknown;
  if (/\bjson\b/i.test(res.headers.get('Content-Type') ?? '')) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON after all.
    }
  }
  if (res.ok) {
    if (data === undefined) throw new ApiError('bad_response', 'Response is not JSON', res.status);
    return data as T;
  }
  const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code =
    typeof error?.code === 'string'
      ? error.code
      : res.status === 401
        ? 'unauthorized'
        : res.status === 429
          ? 'rate_limited'
          : res.status >= 500
            ? 'server_error'
            : `http_${res.status}`;
  if (res.status === 401 && !path.startsWith('/auth/')) unauthorized?.();
  throw new ApiError(
    code,
    String(error?.message ?? `HTTP ${res.status}`),
    res.status,
    retryAfterMs(res.headers.get('Retry-After')),
  );
}

const site = (id: string) => `/admin/sites/${encodeURIComponent(id)}`;
const poll = (siteId: string, id: string) => `${site(siteId)}/polls/${encodeURIComponent(id)}`;
const comment = (siteId: string, id: string) =>
  `${site(siteId)}/comments/${encodeURIComponent(id)}`;

export const api = {
  login: (email: string, password: string) =>
    call<Me>('/auth/login', { method: 'POST', body: { email, password } }),
  me: (signal?: AbortSignal) => call<Me>('/auth/me', { signal }),
  logout: () => call<void>('/auth/logout', { method: 'POST' }),

  /** Every site (administrators). */
  sites: (signal?: AbortSignal) =>
    call<{ items: SiteSummary[] }>('/admin/sites', { signal }).then((r) => r.items),
  site: (id: string, signal?: AbortSignal) => call<SiteSummary>(site(id), { signal }),

  dailyVisits: (siteId: string, days: number, signal?: AbortSignal) =>
    call<DailyVisits>(`${site(siteId)}/visits/daily?days=${days}`, { signal }),
  polls: (siteId: string, signal?: AbortSignal) =>
    call<{ items: AdminPoll[] }>(`${site(siteId)}/polls`, { signal }).then((r) => r.items),
  poll: (siteId: string, id: string, signal?: AbortSignal) =>
    call<AdminPoll>(poll(siteId, id), { signal }),
  createPoll: (siteId: string, body: Partial<PollSettingsInput> & { id: string }) =>
    call<AdminPoll>(`${site(siteId)}/polls`, { method: 'POST', body }),
  updatePoll: (siteId: string, id: string, body: Partial<PollSettingsInput>) =>
    call<AdminPoll>(poll(siteId, id), { method: 'PATCH', body }),
  setPollOpen: (siteId: string, id: string, open: boolean) =>
    call<AdminPoll>(`${poll(siteId, id)}/${open ? 'open' : 'close'}`, { method: 'POST' }),
  deletePoll: (siteId: string, id: string) => call<void>(poll(siteId, id), { method: 'DELETE' }),
  /** The address of a poll's results as CSV (a download link: the cookie goes with it). */
  pollCsvUrl: (siteId: string, id: string, interval: 'day' | 'hour') =>
    `${API_PREFIX}${poll(siteId, id)}/results.csv?interval=${interval}`,

  comments(
    siteId: string,
    query: { status?: CommentStatus; q?: string; cursor?: string; limit?: number },
    signal?: AbortSignal,
  ) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return call<AdminCommentPage>(`${site(siteId)}/comments${search ? `?${search}` : ''}`, {
      signal,
    });
  },
  setStatus: (siteId: string, id: string, action: 'approve' | 'reject') =>
    call<AdminComment>(`${comment(siteId, id)}/${action}`, { method: 'POST' }),
  deleteComment: (siteId: string, id: string) =>
    call<void>(comment(siteId, id), { method: 'DELETE' }),
  bulk: (siteId: string, action: BulkAction, ids: string[]) =>
    call<{ changed: number }>(`${site(siteId)}/comments/bulk`, {
      method: 'POST',
      body: { action, ids },
    }),
  setReply: (siteId: string, id: string, content: string) =>
    call<AdminComment>(`${comment(siteId, id)}/reply`, { method: 'PUT', body: { content } }),
  removeReply: (siteId: string, id: string) =>
    call<AdminComment>(`${comment(siteId, id)}/reply`, { method: 'DELETE' }),
  ban: (siteId: string, id: string) =>
    call<{ banned: boolean; expiresAt?: string }>(`${comment(siteId, id)}/ban`, {
      method: 'POST',
    }),
  unban: (siteId: string, id: string) =>
    call<{ banned: boolean }>(`${comment(siteId, id)}/ban`, { method: 'DELETE' }),
};
