/**
 * A `window.fetch` stub that answers by route instead of by queue: for widgets that make several
 * requests in no fixed order (the comments list, the captcha inside the form, the post). No
 * network is used. Unhandled requests hang (until aborted), as a silent server would.
 *
 *   const api = installMockApi((call) => call.method === 'GET' ? { json: page } : undefined);
 *   …
 *   api.restore();
 */

export interface ApiCall {
  url: string;
  /** `pathname` + `search` of the URL. */
  path: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type ApiAnswer =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { html: string; status?: number }
  | 'network-error'
  | 'hang';

export interface MockApi {
  calls: ApiCall[];
  /** Calls whose path contains `part` (and, if given, with that method). */
  callsTo(part: string, method?: string): ApiCall[];
  restore(): void;
}

export function installMockApi(
  handler: (call: ApiCall) => ApiAnswer | Promise<ApiAnswer> | undefined,
): MockApi {
  const original = window.fetch;
  const api: MockApi = {
    calls: [],
    callsTo: (part, method) =>
      api.calls.filter((c) => c.path.includes(part) && (!method || c.method === method)),
    restore: () => void (window.fetch = original),
  };
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const u = new URL(url, location.href);
    const text = typeof init.body === 'string' ? init.body : undefined;
    const call: ApiCall = {
      url,
      path: u.pathname + u.search,
      method: (init.method ?? 'GET').toUpperCase(),
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: text === undefined ? undefined : JSON.parse(text),
    };
    api.calls.push(call);
    const signal = init.signal;
    const aborted = () =>
      signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
    if (signal?.aborted) throw aborted();
    const answer = (await handler(call)) ?? 'hang';
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    if (answer === 'hang') {
      return new Promise<Response>((_, reject) =>
        signal?.addEventListener('abort', () => reject(aborted()), { once: true }),
      );
    }
    if ('json' in answer) {
      return new Response(JSON.stringify(answer.json), {
        status: answer.status ?? 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ...answer.headers },
      });
    }
    return new Response(answer.html, {
      status: answer.status ?? 200,
      headers: { 'Content-Type': 'text/html' },
    });
  };
  return api;
}
