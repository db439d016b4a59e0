import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { BROWSER_UA, sessionId, testApp } from '../helpers/app.js';
import { ENGINE_FACTORIES, type TestEngine } from '../helpers/engines.js';

const TOKEN = 'test-admin-token-0123456789abcdef';

for (const [engineName, factory] of ENGINE_FACTORIES) {
  describe(`admin sites API on ${engineName}`, () => {
    let engine: TestEngine | undefined;
    let app: FastifyInstance;
    before(async () => {
      engine = await factory();
      if (engine) app = await testApp(await engine.open(), { config: { adminToken: TOKEN } });
    });
    after(async () => {
      await app?.close();
      await engine?.drop();
    });
    const admin = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method, url: `/api/v1/admin${url}`, headers: { authorization: `Bearer ${TOKEN}`, ...(payload ? { 'content-type': 'application/json' } : {}), ...headers }, payload: payload ? JSON.stringify(payload) : undefined });

    it('refuses missing or wrong tokens and cross-site browsers', async (t) => {
      if (!engine) return t.skip('PostgreSQL not configured');
      const none = await app.inject({ method: 'GET', url: '/api/v1/admin/sites' });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error.code, 'unauthorized');
      assert.equal((await admin('GET', '/sites', undefined, { authorization: `Bearer ${TOKEN}x` })).statusCode, 401);
      const cross = await admin('POST', '/sites', { id: 'x', name: 'x', origins: [] }, { 'sec-fetch-site': 'cross-site' });
      assert.equal(cross.statusCode, 403);
      assert.equal((await admin('GET', '/sites/x')).statusCode, 404, 'nothing was created');
    });

    it('creates, edits and lists sites; the new origin and offset take effect', async (t) => {
      if (!engine) return t.skip('PostgreSQL not configured');
      const created = await admin('POST', '/sites', { id: 'so-tu-phap', name: 'Sở Tư pháp', origins: ['https://STP.example.gov.vn/'], legacyOffset: 5000 });
      assert.equal(created.statusCode, 201);
      assert.deepEqual(created.json().origins, ['https://stp.example.gov.vn']);
      assert.equal((await admin('POST', '/sites', { id: 'so-tu-phap', name: 'again', origins: [] })).statusCode, 409);
      const visit = () =>
        app.inject({ method: 'POST', url: '/api/v1/sites/so-tu-phap/visits', headers: { 'content-type': 'application/json', 'user-agent': BROWSER_UA, origin: 'https://new.example.gov.vn' }, payload: JSON.stringify({ page: '/', session: sessionId() }) });
      assert.equal((await visit()).statusCode, 403, 'origin not listed yet');
      const edited = await admin('PUT', '/sites/so-tu-phap', { name: 'Sở Tư pháp tỉnh', origins: ['https://new.example.gov.vn'], legacyOffset: 7000, timeZone: 'Asia/Ho_Chi_Minh' });
      assert.equal(edited.statusCode, 200);
      const res = await visit();
      assert.equal(res.statusCode, 200, 'the edit applies at once');
      assert.equal(res.json().total, 7001);
      const list = (await admin('GET', '/sites')).json().items.map((s: { id: string }) => s.id);
      assert.ok(list.includes('so-tu-phap'));
    });

    it('rejects bad site data and changes nothing', async (t) => {
      if (!engine) return t.skip('PostgreSQL not configured');
      for (const body of [
        { id: 'bad', name: 'x', origins: ['javascript:alert(1)'] },
        { id: 'bad', name: 'x', origins: ['https://a.example/path'] },
        { id: 'bad', name: 'x', origins: [], timeZone: 'Mars/Olympus' },
        { id: 'Bad Id', name: 'x', origins: [] },
        { id: 'bad', name: '', origins: [] },
        { id: 'bad', name: 'x', origins: [], extra: true },
      ]) {
        const res = await admin('POST', '/sites', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error.code, 'invalid_request');
      }
      assert.equal((await admin('GET', '/sites/bad')).statusCode, 404);
      assert.equal((await admin('PUT', '/sites/nope', { name: 'x', origins: [] })).statusCode, 404);
    });
  });
}

describe('admin API without ADMIN_TOKEN', () => {
  it('is off', async () => {
    const { sqliteEngine } = await import('../helpers/engines.js');
    const engine = await sqliteEngine();
    const app = await testApp(await engine.open());
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/admin/sites', headers: { authorization: 'Bearer anything-at-all-here-123456' } });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'admin_disabled');
    } finally {
      await app.close();
      await engine.drop();
    }
  });
});
