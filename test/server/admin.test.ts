import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADMIN_TOKEN, postVisit, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

describeEngines('admin sites API', (engine) => {
  const t = useTestApp(engine, { sites: [] });
  const { admin } = t;

  it('refuses missing or wrong tokens and cross-site browsers', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/admin/sites' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, 'unauthorized');
    assert.equal(
      (await admin('GET', '/sites', undefined, { authorization: `Bearer ${ADMIN_TOKEN}x` }))
        .statusCode,
      401,
    );
    const cross = await admin(
      'POST',
      '/sites',
      { id: 'x', name: 'x', origins: [] },
      { 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(cross.statusCode, 403);
    assert.equal((await admin('GET', '/sites/x')).statusCode, 404, 'nothing was created');
  });

  it('creates, edits and lists sites; the new origin and offset take effect', async () => {
    const created = await admin('POST', '/sites', {
      id: 'so-tu-phap',
      name: 'Sở Tư pháp',
      origins: ['https://STP.example.gov.vn/'],
      legacyOffset: 5000,
    });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(created.json().origins, ['https://stp.example.gov.vn']);
    assert.equal(
      (await admin('POST', '/sites', { id: 'so-tu-phap', name: 'again', origins: [] })).statusCode,
      409,
    );
    const visit = () =>
      postVisit(t.app, { site: 'so-tu-phap', headers: { origin: 'https://new.example.gov.vn' } });
    assert.equal((await visit()).statusCode, 403, 'origin not listed yet');
    const edited = await admin('PUT', '/sites/so-tu-phap', {
      name: 'Sở Tư pháp tỉnh',
      origins: ['https://new.example.gov.vn'],
      legacyOffset: 7000,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    assert.equal(edited.statusCode, 200);
    const res = await visit();
    assert.equal(res.statusCode, 200, 'the edit applies at once');
    assert.equal(res.json().total, 7001);
    const list = (await admin('GET', '/sites')).json().items.map((s: { id: string }) => s.id);
    assert.ok(list.includes('so-tu-phap'));
  });

  it('rejects bad site data and changes nothing', async () => {
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

describeEngines('admin sites API: a new site is created at the app clock', (engine) => {
  // A clock a year behind the machine's: the stored time must be the app's, not the machine's.
  const at = Date.parse('2025-06-01T03:04:05.000Z');
  const t = useTestApp(engine, { sites: [], now: () => at });

  it('answers and reads back the site with createdAt of the app clock', async () => {
    const created = await t.admin('POST', '/sites', {
      id: 'so-xay-dung',
      name: 'Sở Xây dựng',
      origins: [],
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().createdAt, '2025-06-01T03:04:05.000Z');
    assert.equal(
      (await t.admin('GET', '/sites/so-xay-dung')).json().createdAt,
      '2025-06-01T03:04:05.000Z',
    );
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  const t = useTestApp(undefined, { config: { adminToken: undefined } });

  it('is off', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/sites',
      headers: { authorization: 'Bearer anything-at-all-here-123456' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'admin_disabled');
  });
});
