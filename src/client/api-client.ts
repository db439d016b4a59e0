import type { ApiErrorBody } from '../shared/api-types.js';
import { config } from './config.js';

/**
 * Every failure of {@link request}. `code` is the server's `error.code`, or one of the client's
 * own: `network` (offline, DNS, CORS refusal), `timeout`, `bad_response` (not JSON, e.g. an HTML
 * page), `aborted` (the caller's signal), or for an error status without a JSON error body
 * `server_error` (5xx), `rate_limited` (429), `not_found` (404), `http_<status>`.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no response arrived. */
    readonly status = 0,
    /** From a `Retry-After` header, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `e` as an ApiError (code `unexpected` for anything else thrown). */
export const toApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError('unexpected', String(e));

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON with `Content-Type: application/json`. */
  body?: unknown;
  /** Aborting it rejects with code `aborted` and stops retrying. */
  signal?: AbortSignal;
  /** Per attempt; defaults to the configured `timeoutMs`, else 10 s. */
  timeoutMs?: number;
  /** Extra attempts on network errors, 5xx and 429. Default 2 for GET, 0 otherwise. */
  retries?: number;
  /** First backoff step in ms (doubled per attempt, jittered). Default 300. */
  retryDelayMs?: number;
}

const JSON_TYPE = 'application/json';

/** A `Retry-After` longer than this is not waited for: the error is returned instead. */
const MAX_RETRY_WAIT_MS = 30_000;

/** Fetches JSON with a timeout, typed errors and (for GETs) jittered exponential backoff. */
export async function request<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const retries = options.retries ?? (method === 'GET' ? 2 : 0);
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptOnce<T>(url, method, options);
    } catch (e) {
      const err = e as ApiError;
      const retryable = err.code === 'network' || err.status === 429 || err.status >= 500;
      const wait =
        err.retryAfterMs ??
        (options.retryDelayMs ?? 300) * 2 ** attempt * (0.5 + Math.random() / 2);
      if (!retryable || attempt >= retries || wait > MAX_RETRY_WAIT_MS) throw err;
      await sleep(wait, options.signal);
    }
  }
}

async function attemptOnce<T>(url: string, method: string, options: RequestOptions): Promise<T> {
  const { signal, body } = options;
  if (signal?.aborted) throw aborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    options.timeoutMs ?? config.timeoutMs ?? 10_000,
  );
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      headers: { Accept: JSON_TYPE, ...(body !== undefined && { 'Content-Type': JSON_TYPE }) },
      // undefined stays undefined: no body.
      body: JSON.stringify(body),
      signal: controller.signal,
      credentials: 'omit',
    });
    text = await res.text();
  } catch {
    if (timedOut) throw new ApiError('timeout', 'Request timed out');
    if (signal?.aborted) throw aborted();
    throw new ApiError('network', 'Network error');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }

  const status = res.status;
  const isJson = /\bjson\b/i.test(res.headers.get('Content-Type') ?? '');
  let data: unknown;
  try {
    if (isJson) data = JSON.parse(text);
  } catch {
    // Not JSON after all: `data` stays undefined.
  }
  if (res.ok) {
    if (data === undefined) throw new ApiError('bad_response', 'Response is not JSON', status);
    return data as T;
  }
  const retryAfterMs = parseRetryAfter(res.headers.get('Retry-After'));
  const error = (data as Partial<ApiErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string') {
    throw new ApiError(error.code, String(error.message ?? error.code), status, retryAfterMs);
  }
  const code =
    status >= 500
      ? 'server_error'
      : status === 429
        ? 'rate_limited'
        : status === 404
          ? 'not_found'
          : `http_${status}`;
  throw new ApiError(code, `HTTP ${status}`, status, retryAfterMs);
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

function aborted(): ApiError {
  return new ApiError('aborted', 'Request aborted');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
