/**
 * A `window.fetch` stub with queued responses; records every call. No network is used.
 *
 *   const mock = installMockFetch({ json: { total: 1 } }, 'network-error');
 *   …
 *   mock.restore();
 *
 * When the queue is empty, `mock.fallback` answers (default: 'hang', which honours abort).
 */

export type MockResponse =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { html: string; status?: number; headers?: Record<string, string> }
  | { text: string; status?: number; headers?: Record<string, string> }
  /** Waits for the promise, then answers with what it resolves to. */
  | { wait: Promise<MockResponse> }
  /** Never resolves (until the request's signal aborts it, as real fetch does). */
  | 'hang'
  /** Rejects like fetch does when offline, on DNS/CORS failure or a reset. */
  | 'network-error';

export interface MockCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Parsed JSON body, if any. */
  body: unknown;
  time: number;
}

export interface MockFetch {
  calls: MockCall[];
  fallback: MockResponse;
  queue(...responses: MockResponse[]): void;
  restore(): void;
}

/** A promise with its resolver, for `{ wait }` responses. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

async function respond(r: MockResponse, signal?: AbortSignal | null): Promise<Response> {
  if (signal?.aborted) throw abortError(signal);
  if (r === 'network-error') throw new TypeError('Failed to fetch');
  if (r === 'hang') {
    return new Promise((_, reject) =>
      signal?.addEventListener('abort', () => reject(abortError(signal)), { once: true }),
    );
  }
  if ('wait' in r) {
    const next = await Promise.race([
      r.wait,
      new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => reject(abortError(signal)), { once: true }),
      ),
    ]);
    return respond(next, signal);
  }
  const headers = new Headers(r.headers);
  let body: string;
  if ('json' in r) {
    body = JSON.stringify(r.json);
    if (!headers.has('Content-Type'))
      headers.set('Content-Type', 'application/json; charset=utf-8');
  } else if ('html' in r) {
    body = r.html;
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'text/html; charset=utf-8');
  } else {
    body = r.text;
  }
  return new Response(body, { status: r.status ?? 200, headers });
}

export function installMockFetch(...responses: MockResponse[]): MockFetch {
  const original = window.fetch;
  const queue = [...responses];
  const mock: MockFetch = {
    calls: [],
    fallback: 'hang',
    queue: (...more) => void queue.push(...more),
    restore: () => void (window.fetch = original),
  };
  window.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const text = typeof init.body === 'string' ? init.body : undefined;
    mock.calls.push({
      url: input instanceof Request ? input.url : String(input),
      method: (init.method ?? 'GET').toUpperCase(),
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: text === undefined ? undefined : JSON.parse(text),
      time: performance.now(),
    });
    return respond(queue.shift() ?? mock.fallback, init.signal);
  };
  return mock;
}

/**
 * Collects window 'error' and 'unhandledrejection' events (and stops them from failing the run,
 * so the test can assert on them instead).
 */
export function catchUncaught(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (e: ErrorEvent) => {
    errors.push(e.error ?? e.message);
    e.preventDefault();
  };
  const onRejection = (e: PromiseRejectionEvent) => {
    errors.push(e.reason);
    e.preventDefault();
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}
