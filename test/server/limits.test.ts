import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { ipPrefix, widePrefix } from '../../src/server/core/net.js';
import { localDay } from '../../src/server/visits/service.js';
import { DEMO_ORIGIN, postVisit, preflightVisit, seedTestSite, testApp } from '../helpers/app.js';
import { listenInProcess } from '../helpers/app-server.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';
import { answers, exchange, postHead } from '../helpers/raw-http.js';

describe('ipPrefix', () => {
  it('keys IPv4 by address and IPv6 by /64', () => {
    assert.equal(ipPrefix('203.0.113.7'), '203.0.113.7');
    assert.equal(ipPrefix('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(ipPrefix('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(ipPrefix('2001:0db8:0001:0002::9'), '2001:db8:1:2::/64');
    assert.equal(ipPrefix('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(ipPrefix('2001:db8::1'), ipPrefix('2001:db8:0:0:ffff::2'));
  });

  it('keys the wider network by IPv4 /24 and IPv6 /48', () => {
    assert.equal(widePrefix('203.0.113.7'), '203.0.113.0/24');
    assert.equal(widePrefix('::ffff:203.0.113.250'), '203.0.113.0/24');
    assert.equal(widePrefix('2001:0db8:0001:0002::9'), '2001:db8:1::/48');
    assert.equal(widePrefix('2001:db8:1:ffff::1'), widePrefix('2001:db8:1::2'));
    assert.notEqual(widePrefix('2001:db8:1::1'), widePrefix('2001:db8:2::1'));
    assert.notEqual(widePrefix('203.0.113.7'), widePrefix('203.0.114.7'));
  });
});

describe('localDay', () => {
  it('uses the site time zone', () => {
    const t = Date.UTC(2026, 10, 28, 18, 30); // 01:30 on the 29th in Hanoi
    assert.equal(localDay('Asia/Ho_Chi_Minh', t), '2026-11-29');
    assert.equal(localDay('UTC', t), '2026-11-28');
  });
});

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.dbFile, './data/civic.db');
    assert.equal(c.trustProxy, false);
    assert.ok(c.flushIntervalMs <= 1000);
  });
  it('lists every bad setting in one clear error', () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          ADMIN_TOKEN: 'short',
          TRUST_PROXY: 'true',
          FLUSH_INTERVAL_MS: '5000',
          DEMO_ORIGINS: 'ftp://x',
        }),
      (err: Error) =>
        [
          'PORT',
          'DATABASE_URL',
          'ADMIN_TOKEN',
          'TRUST_PROXY',
          'FLUSH_INTERVAL_MS',
          'DEMO_ORIGINS',
        ].every((name) => err.message.includes(name)),
    );
  });
  it('parses proxy hops and addresses', () => {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: '1' }),
      /TRUST_PROXY/,
      'hop counts cannot verify the peer',
    );
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy, ['loopback']);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.1.0/24' }).trustProxy, [
      '10.0.0.1',
      '10.0.1.0/24',
    ]);
  });
});

describe('rate limits, proxies and logs', () => {
  let engine: TestEngine;
  before(async () => {
    engine = await sqliteEngine();
    const storage = await engine.open();
    await seedTestSite(storage);
    await storage.close();
  });
  after(async () => engine.drop());
  /** Each app owns (and closes) its own connection. */
  const makeApp = async (options: Parameters<typeof testApp>[1]) =>
    testApp(await engine.open(), options);

  const post = (server: FastifyInstance, ip: string, headers: Record<string, string> = {}) =>
    postVisit(server, { ip, headers, query: '?email=someone%40example.com' });

  it('answers 429 with Retry-After per IPv6 /64 and IPv4 address', async () => {
    const app = await makeApp({ config: { rateLimitPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await post(app, `2001:db8:1:2::${i + 1}`)).statusCode, 200);
      const limited = await post(app, '2001:db8:1:2:ffff::9');
      assert.equal(limited.statusCode, 429, 'same /64 shares the limit');
      assert.equal(limited.json().error.code, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal(
        (await post(app, '2001:db8:1:3::1')).statusCode,
        200,
        'another /64 is not limited',
      );
      assert.equal((await post(app, '198.51.100.1')).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('counts one budget per client across the public API (preflights aside), with CORS headers on the 429', async () => {
    const app = await makeApp({ config: { rateLimitPerMinute: 3 } });
    const ip = '198.51.100.77';
    const get = (url: string) =>
      app.inject({ method: 'GET', url, remoteAddress: ip, headers: { origin: DEMO_ORIGIN } });
    try {
      assert.equal((await post(app, ip)).statusCode, 200);
      for (let i = 0; i < 4; i++) {
        const preflight = await preflightVisit(app, 't1', DEMO_ORIGIN, ip);
        assert.equal(preflight.statusCode, 204, 'a preflight is not counted');
      }
      const missing = await get('/api/v1/sites/t1/polls/khong-co');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.headers['access-control-allow-origin'], DEMO_ORIGIN);
      // Exposed only where there is a Retry-After to read.
      assert.equal(missing.headers['access-control-expose-headers'], undefined);
      assert.equal((await get('/api/v1/sites/t1/slogans/khong-co')).statusCode, 404);
      const limited = await get('/api/v1/sites/t1/visits');
      assert.equal(limited.statusCode, 429, 'the fourth request of any route');
      assert.equal(limited.headers['access-control-allow-origin'], DEMO_ORIGIN);
      assert.match(String(limited.headers['access-control-expose-headers']), /Retry-After/);
    } finally {
      await app.close();
    }
  });

  it('says the limit and when it resets on the 429 only, in the same headers as @fastify/rate-limit', async () => {
    const app = await makeApp({ config: { rateLimitPerMinute: 2 } });
    try {
      const ip = '198.51.100.5';
      for (let i = 0; i < 2; i++) {
        const answered = await post(app, ip);
        assert.equal(answered.statusCode, 200);
        const limitHeaders = Object.keys(answered.headers).filter((h) => /ratelimit|retry/.test(h));
        assert.deepEqual(limitHeaders, [], 'no limit headers within the limit');
      }
      const limited = await post(app, ip);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['x-ratelimit-limit'], '2');
      assert.equal(limited.headers['x-ratelimit-remaining'], '0');
      const reset = Number(limited.headers['x-ratelimit-reset']);
      assert.ok(reset > 0 && reset <= 60, `reset in ${reset} s`);
      assert.equal(limited.headers['retry-after'], limited.headers['x-ratelimit-reset']);
      assert.match(limited.json().error.message, /retry in \d+ s/);
    } finally {
      await app.close();
    }
  });

  it("counts the window on the app's clock: a minute later on it, the client may go on", async () => {
    let clock = Date.UTC(2030, 0, 1, 10);
    const app = await makeApp({ config: { rateLimitPerMinute: 2 }, now: () => clock });
    try {
      const ip = '198.51.100.6';
      for (let i = 0; i < 2; i++) assert.equal((await post(app, ip)).statusCode, 200);
      const limited = await post(app, ip);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['retry-after'], '60', 'the window began on this clock');
      clock += 59_000;
      assert.equal((await post(app, ip)).statusCode, 429, 'still within the minute');
      clock += 1_000;
      assert.equal((await post(app, ip)).statusCode, 200, 'a new window');
    } finally {
      await app.close();
    }
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the hops', async () => {
    const direct = await makeApp({ config: { rateLimitPerMinute: 2 } });
    const proxied = await makeApp({
      config: { rateLimitPerMinute: 2, trustProxy: ['10.0.0.0/8'] },
    });
    try {
      // Without trust, forged headers do not buy new quota.
      const forged = [];
      for (let i = 0; i < 3; i++)
        forged.push(
          (await post(direct, '192.0.2.1', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode,
        );
      assert.deepEqual(forged, [200, 200, 429]);
      // Behind one trusted proxy, the client address is the forwarded one.
      const viaProxy = [];
      for (let i = 0; i < 3; i++)
        viaProxy.push(
          (await post(proxied, '10.0.0.1', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode,
        );
      assert.deepEqual(viaProxy, [200, 200, 200]);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });

  it('keys a connection by its address once, and each proxied request by its own client', async () => {
    const storage = await engine.open();
    const server = await listenInProcess({
      storage,
      config: { rateLimitPerMinute: 3, trustProxy: ['127.0.0.2'] },
    });
    try {
      const port = Number(new URL(server.url).port);
      const body = JSON.stringify({ page: '/', session: randomUUID() });
      const ua = 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\r\n';
      /** `n` visits pipelined on one keep-alive connection from `from`: their statuses. */
      const visits = async (from: string, n: number, client?: (i: number) => string) => {
        const raw = Array.from({ length: n }, (_, i) => {
          const xff = client ? `X-Forwarded-For: ${client(i)}\r\n` : '';
          return postHead('/api/v1/sites/t1/visits', body, ua + xff, i === n - 1) + body;
        }).join('');
        return answers(await exchange(port, [raw], { localAddress: from })).map((a) => a.status);
      };
      // Through the trusted proxy, four clients on one connection: each its own budget.
      assert.deepEqual(
        await visits('127.0.0.2', 4, (i) => `198.51.100.${i + 1}`),
        [200, 200, 200, 200],
      );
      // One of them again, on a new connection of the proxy: its budget went on.
      assert.deepEqual(await visits('127.0.0.2', 3, () => '198.51.100.1'), [200, 200, 429]);
      // A client without a proxy: one budget over its connections; another address, its own.
      assert.deepEqual(await visits('127.0.0.3', 2), [200, 200]);
      assert.deepEqual(await visits('127.0.0.3', 2), [200, 429]);
      assert.deepEqual(await visits('127.0.0.4', 1), [200]);
      // Without X-Forwarded-For, the proxy's own requests count as its address.
      assert.deepEqual(await visits('127.0.0.2', 4), [200, 200, 200, 429]);
    } finally {
      await server.close();
      await storage.close();
    }
  });

  it('never writes an IP address or e-mail into the logs', async () => {
    let logs = '';
    const stream = new Writable({ write: (chunk, _enc, cb) => ((logs += chunk.toString()), cb()) });
    const app = await makeApp({
      logger: { level: 'trace', stream },
      config: { trustProxy: ['203.0.113.0/24'], logRequests: true },
    });
    try {
      await post(app, '203.0.113.77', { 'x-forwarded-for': '198.51.100.23' });
      await app.inject({
        method: 'POST',
        url: '/api/v1/sites/t1/visits',
        remoteAddress: '203.0.113.77',
        payload: '{bad',
        headers: { 'content-type': 'application/json' },
      });
    } finally {
      await app.close();
    }
    assert.ok(logs.includes('/api/v1/sites/t1/visits'), 'requests are logged');
    for (const secret of ['203.0.113.77', '198.51.100.23', 'someone', 'example.com', '127.0.0.1']) {
      assert.ok(!logs.includes(secret), `log contains ${secret}`);
    }
  });

  describe('request logs', () => {
    /**
     * An app logging at `level` into a string (every request's lines with `logRequests`),
     * counting the child loggers pino makes; `/boom` fails.
     */
    async function loggingApp(level: string, logRequests = false) {
      const out = { logs: '', children: 0 };
      const stream = new Writable({
        write: (chunk, _enc, cb) => ((out.logs += chunk.toString()), cb()),
      });
      const app = await buildApp({
        storage: await engine.open(),
        config: { distDir: 'dist/widgets', demoDir: 'demo', demo: false, logRequests },
        logger: { level, stream, onChild: () => void out.children++ },
      });
      app.get('/boom', async () => {
        throw new Error('boom');
      });
      await app.ready();
      return {
        app,
        out,
        lines: () =>
          out.logs
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
      };
    }

    for (const level of ['warn', 'info'])
      it(`at ${level}, writes no line and makes no child logger for a request that succeeds`, async () => {
        const { app, out, lines } = await loggingApp(level);
        try {
          // What the start wrote (the visit sessions read back) is not a request's.
          out.logs = '';
          const before = out.children;
          for (let i = 0; i < 3; i++)
            assert.equal((await postVisit(app, { ip: '198.51.100.8' })).statusCode, 200);
          assert.equal(
            (await app.inject({ method: 'GET', url: '/api/v1/sites/t1/visits' })).statusCode,
            200,
          );
          assert.equal(out.children, before, 'no child logger made');
          assert.equal(out.logs, '', 'no "incoming request" or "request completed" line');
          // A failing request is still logged.
          assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
          assert.deepEqual(
            lines().map((l) => l.msg),
            ['request failed'],
          );
        } finally {
          await app.close();
        }
      });

    it('puts the request id on the lines of a failing request', async () => {
      const { app, out, lines } = await loggingApp('warn');
      try {
        const before = out.children;
        assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
        assert.equal((await app.inject({ method: 'GET', url: '/boom' })).statusCode, 500);
        const failed = lines().filter((l) => l.msg === 'request failed');
        assert.equal(failed.length, 2);
        for (const line of failed) {
          assert.equal(line.level, 50);
          assert.equal(typeof line.reqId, 'string');
          assert.equal(line.err.message, 'boom');
        }
        assert.notEqual(failed[0].reqId, failed[1].reqId, 'each request its own id');
        assert.equal(out.children, before + 2, 'one child logger per failing request');
      } finally {
        await app.close();
      }
    });

    it('logs every request with its id at the info level with LOG_REQUESTS on', async () => {
      const { app, lines } = await loggingApp('info', true);
      try {
        assert.equal((await postVisit(app, { ip: '198.51.100.9' })).statusCode, 200);
        const request = lines().filter((l) => l.req?.path === '/api/v1/sites/t1/visits');
        const completed = lines().filter((l) => l.msg === 'request completed');
        assert.equal(request.length, 1);
        assert.equal(completed.length, 1);
        assert.equal(completed[0].reqId, request[0].reqId);
        assert.equal(completed[0].res.statusCode, 200);
      } finally {
        await app.close();
      }
    });
  });
});
