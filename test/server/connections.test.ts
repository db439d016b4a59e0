/**
 * Socket limits on a real listening server: stalled requests are closed, idle keep-alive sockets
 * end, one client IP cannot hold more than its share of sockets, and normal requests are answered
 * while hundreds of stalled sockets are open.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import { listenInProcess, type InProcessServer } from '../helpers/app-server.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';

interface RawSocket {
  socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves with the ms from opening to the close. */
  closed: Promise<number>;
  isClosed(): boolean;
}

/** A raw TCP connection to `url` from `localAddress` (127.0.0.x: Linux routes all of 127/8 to lo). */
async function rawSocket(url: string, localAddress = '127.0.0.1'): Promise<RawSocket> {
  const { port } = new URL(url);
  const opened = Date.now();
  const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress });
  let data = '';
  let done = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (data += chunk));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      done = true;
      resolve(Date.now() - opened);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed, isClosed: () => done };
}

/** Headers of a JSON POST announcing 100 bytes of body, and 10 of them: the rest never comes. */
const STALLED_POST =
  'POST /api/v1/sites/t1/visits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
  'Content-Length: 100\r\n\r\n{"page":"/';

const GET_LIVE = 'GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** Resolves once `predicate` holds (checked every 20 ms); rejects after `ms`. */
async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('socket limits', () => {
  let engine: TestEngine;
  before(async () => {
    engine = await sqliteEngine();
  });
  after(async () => engine.drop());

  const serve = async (config: Partial<ServerConfig>): Promise<InProcessServer> => {
    const storage = await engine.open();
    await storage.createSite({ id: 't1', name: 'T', origins: ['https://portal.example.gov.vn'] });
    return listenInProcess({ storage, config });
  };

  it('has safe defaults that close a stalled body within 30 s', async () => {
    const c = loadConfig({});
    assert.equal(c.requestTimeoutMs, 20_000);
    assert.equal(c.headersTimeoutMs, 10_000);
    assert.equal(c.connectionTimeoutMs, 30_000);
    assert.equal(c.keepAliveTimeoutMs, 10_000);
    assert.equal(c.maxRequestsPerSocket, 1000);
    assert.equal(c.maxConnectionsPerIp, 500);
    assert.equal(loadConfig({ TRUST_PROXY: 'loopback' }).maxConnectionsPerIp, 0);
    assert.equal(
      loadConfig({ TRUST_PROXY: 'loopback', MAX_CONNECTIONS_PER_IP: '50' }).maxConnectionsPerIp,
      50,
    );
    assert.throws(
      () => loadConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '9000' }),
      /HEADERS_TIMEOUT_MS/,
    );
    assert.throws(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' }), /REQUEST_TIMEOUT_MS/);

    // The server built from the defaults carries them (Node checks every second, not every 30).
    const storage = await engine.open();
    const app = await buildApp({ storage, config: { distDir: 'dist/widgets', demoDir: 'demo' } });
    try {
      const server = app.server;
      assert.equal(server.requestTimeout, 20_000);
      assert.equal(server.headersTimeout, 10_000);
      assert.equal(server.timeout, 30_000);
      assert.equal(server.keepAliveTimeout, 10_000);
      assert.equal(server.maxRequestsPerSocket, 1000);
      // requestTimeout + the check interval: a stalled body is closed within 21 s < 30 s.
      assert.ok(server.requestTimeout + 1000 < 30_000);
    } finally {
      await app.close();
    }
  });

  it('closes a stalled body and stalled headers with 408, and idle sockets', async () => {
    const server = await serve({
      requestTimeoutMs: 1500,
      headersTimeoutMs: 1000,
      connectionTimeoutMs: 2500,
      keepAliveTimeoutMs: 1000,
    });
    try {
      const body = await rawSocket(server.url);
      body.socket.write(STALLED_POST);
      const headers = await rawSocket(server.url);
      headers.socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const silent = await rawSocket(server.url);
      const [bodyMs, headersMs, silentMs] = await Promise.all([
        body.closed,
        headers.closed,
        silent.closed,
      ]);
      assert.match(body.received(), /^HTTP\/1\.1 408 /, 'a stalled body gets 408');
      assert.match(headers.received(), /^HTTP\/1\.1 408 /, 'stalled headers get 408');
      // The limit plus Node's 1 s check, with room for a loaded machine.
      assert.ok(bodyMs >= 1400 && bodyMs < 6000, `stalled body closed after ${bodyMs} ms`);
      assert.ok(
        headersMs >= 900 && headersMs < 6000,
        `stalled headers closed after ${headersMs} ms`,
      );
      assert.ok(silentMs >= 900 && silentMs < 6000, `a silent socket closed after ${silentMs} ms`);

      // Keep-alive: answered, then closed after the idle time.
      const idle = await rawSocket(server.url);
      idle.socket.write(GET_LIVE);
      await until(() => idle.received().includes('"ok"'), 10_000, 'the answer');
      const idleMs = await idle.closed;
      assert.match(idle.received(), /^HTTP\/1\.1 200 /);
      assert.match(idle.received(), /keep-alive: timeout=1\b/i);
      assert.ok(idleMs < 6000, `an idle keep-alive socket closed after ${idleMs} ms`);
    } finally {
      await server.close();
    }
  });

  it('closes a keep-alive socket after maxRequestsPerSocket requests', async () => {
    const server = await serve({ maxRequestsPerSocket: 2, keepAliveTimeoutMs: 1000 });
    try {
      const s = await rawSocket(server.url);
      const answers = () => s.received().match(/HTTP\/1\.1 \d+/g) ?? [];
      s.socket.write(GET_LIVE);
      await until(() => answers().length === 1, 10_000, 'the first answer');
      assert.doesNotMatch(s.received(), /connection: close/i);
      s.socket.write(GET_LIVE);
      const ms = await s.closed;
      assert.deepEqual(answers(), ['HTTP/1.1 200', 'HTTP/1.1 200'], 'two answers, then the close');
      assert.match(s.received().split('HTTP/1.1 200').at(-1)!, /connection: close/i);
      assert.ok(ms < 6000, `closed after the second answer (${ms} ms)`);
    } finally {
      await server.close();
    }
  });

  it('answers a normal request in under 1 s while 500 stalled sockets are open', async (t) => {
    const server = await serve({ maxConnectionsPerIp: 0 });
    const stalled: RawSocket[] = [];
    try {
      for (let i = 0; i < 500; i++) {
        const s = await rawSocket(server.url);
        s.socket.write(STALLED_POST);
        stalled.push(s);
      }
      await sleep(300);
      const started = performance.now();
      const res = await fetch(`${server.url}/health/live`);
      const ms = performance.now() - started;
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
      t.diagnostic(`answered in ${ms.toFixed(0)} ms with 500 stalled sockets open`);
      assert.ok(ms < 1000, `answered in ${ms.toFixed(0)} ms`);
      assert.equal(stalled.filter((s) => s.isClosed()).length, 0, 'the 500 sockets were open');
    } finally {
      for (const s of stalled) s.socket.destroy();
      await server.close();
    }
  });

  it('caps the open sockets of one IP prefix; other clients are still served', async () => {
    const server = await serve({ maxConnectionsPerIp: 20 });
    const held: RawSocket[] = [];
    try {
      for (let i = 0; i < 25; i++) held.push(await rawSocket(server.url, '127.0.0.1'));
      const extra = held.slice(20);
      await Promise.all(extra.map((s) => s.closed));
      assert.ok(
        extra.every((s) => s.received() === ''),
        'sockets over the cap are closed unanswered',
      );
      await sleep(200);
      assert.equal(held.slice(0, 20).filter((s) => s.isClosed()).length, 0, 'the first 20 stay');

      // Another address is not affected.
      const other = await rawSocket(server.url, '127.0.0.2');
      other.socket.write(GET_LIVE);
      await until(() => other.received().includes('"ok"'), 10_000, 'the other client');
      other.socket.destroy();

      // Once sockets close, the client may open new ones.
      for (const s of held.slice(0, 5)) s.socket.destroy();
      await Promise.all(held.slice(0, 5).map((s) => s.closed));
      await sleep(100);
      const again = await rawSocket(server.url, '127.0.0.1');
      again.socket.write(GET_LIVE);
      await until(() => again.received().includes('"ok"'), 10_000, 'a freed slot');
      again.socket.destroy();
    } finally {
      for (const s of held) s.socket.destroy();
      await server.close();
    }
  });
});
