/**
 * JSON bodies taken as Node receives them (core/body.ts), on a real listening server and raw
 * sockets: in the packet of the headers, in pieces (a character split between them), chunked,
 * after an async hook, pipelined, aborted, too large, empty, malformed, and through the app.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { BodyCapture, jsonBodies } from '../../src/server/core/body.js';
import { listenInProcess } from '../helpers/app-server.js';
import { answers, exchange, postHead as post } from '../helpers/raw-http.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JSON bodies as Node receives them', () => {
  let app: FastifyInstance;
  let port: number;
  /** Bodies the routes were called with (an aborted request must not call them). */
  let calls = 0;

  before(async () => {
    app = Fastify({ http: { IncomingMessage: BodyCapture }, bodyLimit: 1000 });
    jsonBodies(app);
    // `streamed`: whether the body went through the stream's `end` (the fallback path).
    const echo = async (req: { body: unknown; raw: { readableEnded: boolean } }) => {
      calls++;
      return { body: req.body, streamed: req.raw.readableEnded };
    };
    app.post('/echo', echo);
    app.post('/small', { bodyLimit: 100 }, echo);
    app.post('/late', { onRequest: async () => sleep(40) }, echo);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  after(() => app.close());

  it('takes a body in the packet of its headers without the stream', async () => {
    const body = JSON.stringify({ page: '/', session: 'a' });
    const [a] = answers(await exchange(port, [post('/echo', body) + body]));
    assert.deepEqual(a, {
      status: 200,
      body: { body: { page: '/', session: 'a' }, streamed: false },
    });
  });

  it('takes a body in pieces, with a character split between two of them', async () => {
    const text = 'Thăm dò ý kiến — Gửi bình chọn';
    const bytes = Buffer.from(JSON.stringify({ text }));
    const cut = bytes.indexOf(Buffer.from('ă')) + 1; // inside the two bytes of "ă"
    const [a] = answers(
      await exchange(port, [
        post('/echo', bytes),
        bytes.subarray(0, cut),
        bytes.subarray(cut, cut + 9),
        bytes.subarray(cut + 9),
      ]),
    );
    assert.deepEqual(a, { status: 200, body: { body: { text }, streamed: false } });
  });

  it('reads a chunked body, and one that came while an async hook ran, from the stream', async () => {
    const json = '{"text":"Mã code"}';
    const chunked =
      'POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
      `5\r\n${json.slice(0, 5)}\r\n` +
      `${Buffer.byteLength(json.slice(5)).toString(16)}\r\n${json.slice(5)}\r\n0\r\n\r\n`;
    const [a] = answers(await exchange(port, [chunked]));
    assert.deepEqual(a, { status: 200, body: { body: { text: 'Mã code' }, streamed: true } });

    const [b] = answers(await exchange(port, [post('/late', json) + json]));
    assert.deepEqual(b, { status: 200, body: { body: { text: 'Mã code' }, streamed: true } });
  });

  it('answers pipelined requests in order, each with its own body', async () => {
    const bodies = [1, 2, 3].map((n) => JSON.stringify({ n }));
    const raw = bodies.map((b, i) => post('/echo', b, '', i === 2) + b).join('');
    const got = answers(await exchange(port, [raw]));
    assert.deepEqual(
      got.map((a) => [a.status, a.body.body.n]),
      [
        [200, 1],
        [200, 2],
        [200, 3],
      ],
    );
  });

  it('refuses too large, empty, malformed and __proto__ bodies with Fastify’s errors', async () => {
    // The length alone says too large: answered without waiting for the body.
    const big = answers(await exchange(port, [post('/small', 'x'.repeat(101))]));
    assert.equal(big[0]!.status, 413);
    assert.equal(big[0]!.body.code, 'FST_ERR_CTP_BODY_TOO_LARGE');

    const chunkedBig =
      'POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n65\r\n${'x'.repeat(101)}\r\n0\r\n\r\n`;
    const [c] = answers(await exchange(port, [chunkedBig]));
    assert.equal(c!.status, 413);

    const cases: [string, string][] = [
      ['', 'FST_ERR_CTP_EMPTY_JSON_BODY'],
      ['{"page":', 'FST_ERR_CTP_INVALID_JSON_BODY'],
      ['{"__proto__":{"admin":true}}', 'FST_ERR_CTP_INVALID_JSON_BODY'],
    ];
    for (const [body, code] of cases) {
      const [a] = answers(await exchange(port, [post('/echo', body) + body]));
      assert.equal(a!.status, 400, body);
      assert.equal(a!.body.code, code, body);
    }
  });

  it('lets an aborted body go and answers the next request', async () => {
    const before = calls;
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`${post('/echo', '{"page":"/x"}', '', false)}{"pa`);
    await sleep(50);
    socket.destroy();
    await sleep(50);
    const [a] = answers(await exchange(port, [`${post('/echo', '{"n":4}')}{"n":4}`]));
    assert.deepEqual(a!.body.body, { n: 4 });
    assert.equal(calls, before + 1, 'the aborted request never reached its route');
  });

  it('reads the body of an injected request (no socket) from its stream', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { n: 5 } });
    assert.deepEqual(res.json(), { body: { n: 5 }, streamed: true });
  });
});

describe('the app takes its bodies as Node receives them', () => {
  let engine: TestEngine;
  before(async () => {
    engine = await sqliteEngine();
  });
  after(async () => engine.drop());

  it('counts a visit sent in pieces once, and pipelined visits each', async () => {
    const storage = await engine.open();
    await storage.createSite({ id: 't1', name: 'T', origins: ['https://portal.example.gov.vn'] });
    const server = await listenInProcess({ storage });
    try {
      const kinds: boolean[] = [];
      server.app.server.on('request', (req) => kinds.push(req instanceof BodyCapture));
      const port = Number(new URL(server.url).port);
      const path = '/api/v1/sites/t1/visits';
      const ua = 'User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\r\n';
      const body = (n: number) =>
        JSON.stringify({ page: '/', session: `0190d5a0-0000-7000-a000-00000000000${n}` });
      const [one] = answers(
        await exchange(port, [post(path, body(1), ua), body(1).slice(0, 20), body(1).slice(20)]),
      );
      assert.equal(one!.status, 200);
      assert.equal(one!.body.counted, true);
      assert.equal(one!.body.total, 1);

      // The same session again, and two new ones, in one write.
      const raw = [1, 2, 3].map((n, i) => post(path, body(n), ua, i === 2) + body(n)).join('');
      const got = answers(await exchange(port, [raw]));
      assert.deepEqual(
        got.map((a) => [a.status, a.body.counted, a.body.total]),
        [
          [200, false, 1],
          [200, true, 2],
          [200, true, 3],
        ],
      );
      assert.deepEqual(kinds, [true, true, true, true], 'the server makes BodyCapture requests');
    } finally {
      await server.close();
      await storage.close();
    }
  });
});
