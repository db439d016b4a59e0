import { expect } from '@open-wc/testing';
import { ApiError, request } from '../../src/client/api-client.js';
import { configure, getConfig } from '../../src/client/config.js';
import { afterEach, describe, it } from '../helpers/mocha.js';
import { installMockFetch, type MockFetch } from '../helpers/mock-fetch.js';

const URL = 'https://api.example.test/api/v1/sites/demo/visits';

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected the request to fail');
}

describe('request()', () => {
  let mock: MockFetch | undefined;
  const savedTimeout = getConfig().timeoutMs;
  afterEach(() => {
    mock?.restore();
    configure({ timeoutMs: savedTimeout ?? 10_000 });
  });

  it('returns the JSON of a GET and asks for JSON without a body', async () => {
    mock = installMockFetch({ json: { total: 7 } });
    expect(await request(URL)).to.deep.equal({ total: 7 });
    expect(mock.calls[0].method).to.equal('GET');
    expect(mock.calls[0].headers['accept']).to.equal('application/json');
    expect(mock.calls[0].headers).not.to.have.property('content-type');
  });

  it('sends a POST body as application/json', async () => {
    mock = installMockFetch({ json: { ok: true } });
    await request(URL, { method: 'POST', body: { page: '/', session: 's' } });
    expect(mock.calls[0].headers['content-type']).to.equal('application/json');
    expect(mock.calls[0].body).to.deep.equal({ page: '/', session: 's' });
  });

  it('times out a hanging request with code "timeout" and does not retry it', async () => {
    mock = installMockFetch('hang');
    const start = performance.now();
    const err = await rejection(request(URL, { timeoutMs: 100, retryDelayMs: 1 }));
    expect(err.code).to.equal('timeout');
    expect(performance.now() - start).to.be.within(90, 2000);
    expect(mock.calls).to.have.length(1);
  });

  it('uses the configured timeoutMs by default', async () => {
    configure({ timeoutMs: 80 });
    mock = installMockFetch('hang');
    const start = performance.now();
    expect((await rejection(request(URL))).code).to.equal('timeout');
    expect(performance.now() - start).to.be.below(2000);
  });

  it('reports an HTML page instead of JSON as "bad_response"', async () => {
    mock = installMockFetch({ html: '<!doctype html><h1>Welcome</h1>' });
    const err = await rejection(request(URL));
    expect(err.code).to.equal('bad_response');
    expect(err.status).to.equal(200);
    expect(mock.calls).to.have.length(1);
  });

  it('reports invalid JSON as "bad_response"', async () => {
    mock = installMockFetch({ text: '{"total":', headers: { 'Content-Type': 'application/json' } });
    expect((await rejection(request(URL))).code).to.equal('bad_response');
  });

  it('turns an {error} body into its code, message and status, without retrying a 4xx', async () => {
    mock = installMockFetch({
      status: 409,
      json: { error: { code: 'poll_closed', message: 'The poll is closed' } },
    });
    const err = await rejection(request(URL, { retryDelayMs: 1 }));
    expect([err.code, err.message, err.status]).to.deep.equal([
      'poll_closed',
      'The poll is closed',
      409,
    ]);
    expect(mock.calls).to.have.length(1);
  });

  it('names a status without a JSON error body (502 HTML from a proxy → server_error)', async () => {
    mock = installMockFetch({ status: 502, html: '<h1>Bad gateway</h1>' });
    const err = await rejection(request(URL, { retries: 0 }));
    expect([err.code, err.status]).to.deep.equal(['server_error', 502]);
  });

  it('maps a rejected fetch (offline, CORS, DNS) to "network"', async () => {
    mock = installMockFetch('network-error');
    expect((await rejection(request(URL, { retries: 0 }))).code).to.equal('network');
  });

  it('retries a GET after network errors and 5xx, then succeeds', async () => {
    mock = installMockFetch(
      'network-error',
      { status: 503, json: { error: { code: 'unavailable', message: '' } } },
      { json: { ok: 1 } },
    );
    expect(await request(URL, { retryDelayMs: 5 })).to.deep.equal({ ok: 1 });
    expect(mock.calls).to.have.length(3);
  });

  it('gives up after 2 retries by default with the last error', async () => {
    mock = installMockFetch(
      { status: 500, text: 'oops' },
      { status: 500, text: 'oops' },
      { status: 503, text: 'down' },
      { json: {} },
    );
    const err = await rejection(request(URL, { retryDelayMs: 5 }));
    expect([err.code, err.status]).to.deep.equal(['server_error', 503]);
    expect(mock.calls).to.have.length(3);
  });

  it('backs off exponentially with jitter between retries', async () => {
    mock = installMockFetch('network-error', 'network-error', { json: {} });
    await request(URL, { retryDelayMs: 100 });
    const [a, b, c] = mock.calls.map((call) => call.time);
    expect(b - a).to.be.within(45, 400); // 100 ms × [0.5, 1)
    expect(c - b).to.be.within(95, 600); // 200 ms × [0.5, 1)
  });

  it('honours Retry-After on 429 before retrying', async () => {
    mock = installMockFetch(
      {
        status: 429,
        headers: { 'Retry-After': '1' },
        json: { error: { code: 'rate_limited', message: 'slow down' } },
      },
      { json: { ok: true } },
    );
    expect(await request(URL, { retryDelayMs: 1 })).to.deep.equal({ ok: true });
    expect(mock.calls).to.have.length(2);
    expect(mock.calls[1].time - mock.calls[0].time).to.be.at.least(950);
  });

  it('does not wait for a long Retry-After: fails at once with retryAfterMs', async () => {
    mock = installMockFetch(
      { status: 429, headers: { 'Retry-After': '120' }, text: '' },
      { json: {} },
    );
    const err = await rejection(request(URL));
    expect([err.code, err.retryAfterMs]).to.deep.equal(['rate_limited', 120_000]);
    expect(mock.calls).to.have.length(1);
  });

  it('does not retry a POST unless asked', async () => {
    mock = installMockFetch({ status: 503, text: '' }, { json: { ok: true } });
    expect(
      (await rejection(request(URL, { method: 'POST', body: {}, retryDelayMs: 1 }))).status,
    ).to.equal(503);
    expect(mock.calls).to.have.length(1);
  });

  it('retries a POST when given retries (idempotent writes)', async () => {
    mock = installMockFetch('network-error', { json: { ok: true } });
    const res = await request(URL, { method: 'POST', body: {}, retries: 2, retryDelayMs: 1 });
    expect(res).to.deep.equal({ ok: true });
    expect(mock.calls).to.have.length(2);
  });

  it('stops with "aborted" when the caller aborts, also during backoff', async () => {
    mock = installMockFetch('network-error'); // then 'hang'
    const controller = new AbortController();
    const p = request(URL, { signal: controller.signal, retryDelayMs: 5_000 });
    setTimeout(() => controller.abort(), 30);
    expect((await rejection(p)).code).to.equal('aborted');
    expect(mock.calls).to.have.length(1);

    const c2 = new AbortController();
    const p2 = request(URL, { signal: c2.signal });
    setTimeout(() => c2.abort(), 30);
    expect((await rejection(p2)).code).to.equal('aborted');
  });
});
