import assert from 'node:assert/strict';
import { it } from 'node:test';
import { postVisit, sessionId, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { createUser, signIn, withCookie } from '../helpers/session.js';

/** 2026-11-30 18:30 UTC: already 1 December (01:30) in Asia/Ho_Chi_Minh, the test sites' zone. */
const NOW = Date.parse('2026-11-30T18:30:00Z');

describeEngines('admin visits per day', (engine) => {
  const t = useTestApp(engine, { sites: ['t1', 't2'], now: () => NOW });

  /** Stored visits, written as the counter's flush writes them. */
  const store = (site: string, counts: Record<string, number>) =>
    t.storage.applyVisits({
      increments: Object.entries(counts).map(([day, count]) => ({ site, day, count })),
      sessions: [],
    });
  const daily = (query = '', site = 't1') => t.admin('GET', `/sites/${site}/visits/daily${query}`);

  it('gives 30 local days ending today, today / month / total as the counter shows them', async () => {
    await store('t1', {
      '2026-10-31': 500, // 32 days back: outside the window, inside the total
      '2026-11-01': 7,
      '2026-11-15': 20,
      '2026-11-30': 30,
      '2026-12-01': 4,
    });
    await store('t2', { '2026-11-15': 999, '2026-12-01': 999 });
    // Two visits still in memory (not flushed): they count today.
    for (let i = 0; i < 2; i++)
      assert.equal(
        (await postVisit(t.app, { body: { page: '/', session: sessionId() } })).json().counted,
        true,
      );

    const res = await daily();
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.equal(body.days.length, 30);
    assert.deepEqual(body.days[0], { date: '2026-11-02', visits: 0 });
    assert.deepEqual(body.days.at(-1), { date: '2026-12-01', visits: 6 });
    const byDate = Object.fromEntries(
      body.days.map((d: { date: string; visits: number }) => [d.date, d.visits]),
    );
    assert.equal(byDate['2026-11-15'], 20);
    assert.equal(byDate['2026-11-30'], 30);
    assert.equal(byDate['2026-11-01'], undefined, 'the day before the window is not listed');
    assert.equal(body.days.filter((d: { visits: number }) => d.visits).length, 3);
    assert.equal(body.today, 6);
    assert.equal(body.month, 6, 'December in the site zone');
    // Every stored day of t1 plus the two in memory, plus the legacy offset (1000).
    assert.equal(body.total, 1000 + 500 + 7 + 20 + 30 + 4 + 2);
    const counter = (await t.app.inject({ method: 'GET', url: '/api/v1/sites/t1/visits' })).json();
    assert.deepEqual(
      [counter.today, counter.month, counter.total],
      [body.today, body.month, body.total],
    );

    // After the flush the figures are the same, now read from the database.
    await t.app.visits.flush();
    assert.deepEqual((await daily()).json(), body);
  });

  it('takes 1 to 366 days', async () => {
    const one = (await daily('?days=1')).json();
    assert.deepEqual(one.days, [{ date: '2026-12-01', visits: one.today }]);
    const year = (await daily('?days=366')).json();
    assert.equal(year.days.length, 366);
    assert.equal(year.days[0].date, '2025-12-01');
    assert.equal(year.days.at(-1).date, '2026-12-01');
  });

  it("answers an editor's session for their site only", async () => {
    const editor = await createUser(t.admin, 'bientap@t2.example.gov.vn', 'editor', ['t2']);
    const send = withCookie(t.app, await signIn(t.app, editor.email));
    const own = await send('GET', '/api/v1/admin/sites/t2/visits/daily?days=7');
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().days.length, 7);
    const other = await send('GET', '/api/v1/admin/sites/t1/visits/daily');
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, 'forbidden');
  });

  it('refuses bad input with a clear 4xx', async () => {
    for (const query of [
      '?days=0',
      '?days=367',
      '?days=abc',
      '?days=-1',
      '?days=1.5',
      '?other=1',
    ]) {
      const res = await daily(query);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().error.code, 'invalid_request', query);
    }
    const unknown = await daily('', 'no-such-site');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'not_found');
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/sites/t1/visits/daily',
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().error.code, 'unauthorized');
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/sites/t1/visits/daily',
      headers: { authorization: 'Bearer wrong-token' },
    });
    assert.equal(wrong.statusCode, 401);
  });
});
