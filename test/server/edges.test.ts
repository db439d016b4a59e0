import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKEN_LIMIT } from '../../src/server/auth/service.js';
import { loadConfig, serverOrigin } from '../../src/server/config.js';
import { BROWSER_UA, DEMO_ORIGIN, sessionId, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { cookieOf, createUser, login } from '../helpers/session.js';
import { voterToken } from '../helpers/voters.js';

const FOREIGN = 'https://evil.example';
const PUBLIC_URL = 'https://widgets.example.gov.vn';

/** Rows of `table`. */
const rows = async (
  app: FastifyInstance,
  table: 'captcha_challenges' | 'comments' | 'poll_votes',
) =>
  Number(
    (
      await app.civic.storage.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describeEngines('edges: encoded site ids, the own origin, admin sign-in failures', (engine) => {
  const t = useTestApp(engine, {
    sites: ['t1', 'demo'],
    config: { publicUrl: PUBLIC_URL },
  });

  const post = (url: string, body: unknown, headers: Record<string, string> = {}, ip?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      ...(ip && { remoteAddress: ip }),
      headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, ...headers },
      payload: JSON.stringify(body),
    });
  const visitsTotal = async (site: string) => {
    await t.app.visits.flush();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/sites/${site}/visits` });
    return (res.json() as { total: number }).total;
  };

  it('refuses a foreign Origin on every public write under an encoded site id, and stores nothing', async () => {
    const poll = await t.admin('POST', '/sites/demo/polls', {
      id: 'p',
      question: 'Câu hỏi?',
      options: [
        { id: 'a', label: 'Có' },
        { id: 'b', label: 'Không' },
      ],
    });
    assert.equal(poll.statusCode, 201, poll.body);
    const voter = await voterToken(t.app, 'demo', 'p');
    const before = {
      visits: await visitsTotal('demo'),
      challenges: await rows(t.app, 'captcha_challenges'),
      comments: await rows(t.app, 'comments'),
      votes: await rows(t.app, 'poll_votes'),
    };
    const writes: Array<[string, unknown]> = [
      ['visits', { page: '/', session: sessionId() }],
      ['polls/p/votes', { choices: ['a'], voter }],
      ['captcha', { action: 'comment' }],
      [
        'threads/%2Ftin-tuc%2F1/comments',
        { name: 'An', email: 'an@example.vn', title: 'T', content: 'Nội dung', captcha: 'x' },
      ],
    ];
    // `de%6Do` and `%64emo` are "demo" once decoded, as the router sees them.
    for (const spelling of ['de%6Do', '%64emo', 'DE%6Do'.toLowerCase()]) {
      for (const [path, body] of writes) {
        const url = `/api/v1/sites/${spelling}/${path}`;
        const res = await post(url, body, { origin: FOREIGN });
        assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'origin_not_allowed', url);
        assert.equal(res.headers['access-control-allow-origin'], undefined, url);
        // The preflight gives the foreign page no permission either.
        const preflight = await t.app.inject({
          method: 'OPTIONS',
          url,
          headers: { origin: FOREIGN, 'access-control-request-method': 'POST' },
        });
        assert.equal(preflight.headers['access-control-allow-origin'], undefined, url);
      }
    }
    assert.deepEqual(
      {
        visits: await visitsTotal('demo'),
        challenges: await rows(t.app, 'captcha_challenges'),
        comments: await rows(t.app, 'comments'),
        votes: await rows(t.app, 'poll_votes'),
      },
      before,
      'nothing counted or stored',
    );
    // The listed origin still writes through the encoded spelling (it is the same site).
    const listed = await post(
      '/api/v1/sites/de%6Do/visits',
      { page: '/', session: sessionId() },
      {
        origin: DEMO_ORIGIN,
      },
    );
    assert.equal(listed.statusCode, 200, listed.body);
    assert.equal(listed.headers['access-control-allow-origin'], DEMO_ORIGIN);
  });

  it("takes the server's own origin from PUBLIC_URL, never from the Host header", async () => {
    // A page on a host the client names (DNS rebinding, a forged Host) is not this server.
    const forged = await post(
      '/api/v1/sites/t1/visits',
      { page: '/', session: sessionId() },
      { host: 'evil.example', origin: 'http://evil.example' },
    );
    assert.equal(forged.statusCode, 403, forged.body);
    assert.equal(forged.headers['access-control-allow-origin'], undefined);
    const own = await post(
      '/api/v1/sites/t1/visits',
      { page: '/', session: sessionId() },
      { host: 'internal:8080', origin: PUBLIC_URL },
    );
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.headers['access-control-allow-origin'], PUBLIC_URL);

    // The admin gate: a write with the session cookie and only an Origin (an older browser).
    await createUser(t.admin, 'origin-test@example.gov.vn', 'admin');
    const cookie = cookieOf(
      await login(t.app, 'origin-test@example.gov.vn', undefined, {
        headers: { origin: PUBLIC_URL },
      }),
    );
    const write = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/admin/sites/t1/captcha',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ mode: 'pow' }),
      });
    const rebound = await write({ host: 'evil.example', origin: 'http://evil.example' });
    assert.equal(rebound.statusCode, 403, rebound.body);
    assert.equal(rebound.json().error.code, 'cross_site');
    assert.equal((await t.admin('GET', '/sites/t1/captcha')).json().mode, 'code+pow');
    const ok = await write({ host: 'internal:8080', origin: PUBLIC_URL });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await t.admin('GET', '/sites/t1/captcha')).json().mode, 'pow');
  });

  it(`limits failed admin authentication per IP prefix: ${ADMIN_TOKEN_LIMIT} bad session cookies, then 429 + Retry-After`, async () => {
    const ip = '203.0.113.77';
    const bogus = () =>
      `civic_session=${Buffer.from(sessionId().repeat(2)).toString('base64url').slice(0, 43)}`;
    const ask = (cookie: string, from = ip) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/sites',
        remoteAddress: from,
        headers: { cookie },
      });
    for (let i = 0; i < ADMIN_TOKEN_LIMIT; i++) {
      const res = await ask(bogus());
      assert.equal(res.statusCode, 401, `attempt ${i + 1}: ${res.body}`);
    }
    const locked = await ask(bogus());
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(locked.json().error.code, 'rate_limited');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    // Bad bearer tokens from that network are refused too (one count per network).
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/sites',
      remoteAddress: ip,
      headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' },
    });
    assert.equal(bearer.statusCode, 429);
    // Another network is not held back, and a live session never is.
    assert.equal((await ask(bogus(), '198.51.100.77')).statusCode, 401);
    await createUser(t.admin, 'live-session@example.gov.vn', 'admin');
    const live = cookieOf(await login(t.app, 'live-session@example.gov.vn'));
    assert.equal((await ask(live)).statusCode, 200);
  });
});

it('defaults the own origin to http://localhost:<PORT> when PUBLIC_URL is unset', () => {
  assert.equal(serverOrigin(loadConfig({})), 'http://localhost:8080');
  assert.equal(serverOrigin(loadConfig({ PORT: '3000' })), 'http://localhost:3000');
  assert.equal(
    serverOrigin(loadConfig({ PUBLIC_URL: 'https://Widgets.Example.gov.vn/civic/' })),
    'https://widgets.example.gov.vn',
  );
});
