/**
 * The gallery's server side: its seeded content (SQLite and PostgreSQL, created once), and its two
 * routes — `/gallery/slow/…` answers a 307 to the real route after GALLERY_DELAY_MS,
 * `/gallery/down/…` closes the connection — only for the gallery's sites, and only when the
 * gallery page is there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemo } from '../../src/server/app.js';
import { GALLERY_DELAY_MS } from '../../src/server/gallery/index.js';
import { BROWSER_UA, useTestApp } from '../helpers/app.js';
import { listenInProcess, type InProcessServer } from '../helpers/app-server.js';
import { describeEngines, sqliteEngine, type TestEngine } from '../helpers/engines.js';

const CONFIG = { port: 8080, demoOrigins: [] };
const ORIGIN = 'http://localhost:8080';

describeEngines('the gallery content', (engine) => {
  const t = useTestApp(engine, {
    sites: [],
    // Twice, as two starts of the server: nothing is created again.
    seed: async (storage) => {
      await seedDemo(storage, CONFIG);
      await seedDemo(storage, CONFIG);
    },
  });
  const get = async (path: string) => {
    const res = await t.app.inject({
      url: `/api/v1/sites/${path}`,
      headers: { 'user-agent': BROWSER_UA, origin: ORIGIN },
    });
    assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
    return res.json<any>();
  };

  it('has an open, a multiple-choice and a closed poll with their votes', async () => {
    const voters = async (poll: string) => (await get(`gallery/polls/${poll}`)).results.voters;
    assert.equal((await get('gallery/polls/gallery-open')).status, 'open');
    assert.equal(await voters('gallery-open'), 16);
    assert.equal(await voters('gallery-voted'), 12);
    const multi = await get('gallery/polls/gallery-multi');
    assert.deepEqual([multi.multiple, multi.maxChoices, multi.results.voters], [true, 2, 13]);
    const closed = await get('gallery/polls/gallery-closed');
    assert.deepEqual(
      [closed.status, closed.closesAt, closed.results.voters],
      ['closed', '2025-03-31T10:00:00.000Z', 24],
    );
  });

  it('has a thread with two approved comments, one with a reply, and the lists', async () => {
    const { items, total } = await get('gallery/threads/%2Fgallery%2Fbinh-luan/comments');
    assert.equal(total, 2);
    assert.equal(items.filter((c: { reply?: unknown }) => c.reply).length, 1);
    assert.equal((await get('gallery/threads/%2Fgallery%2Ftrong/comments')).total, 0);
    assert.equal((await get('gallery/slogans/khau-hieu')).items.length, 5);
    assert.equal((await get('gallery/links/lien-ket-banner')).items.length, 3);
  });

  it('gallery-pow asks for a proof of work only; gallery for a code or one', async () => {
    const challenge = async (site: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/sites/${site}/captcha`,
          headers: { 'user-agent': BROWSER_UA, origin: ORIGIN, 'content-type': 'application/json' },
          payload: JSON.stringify({ action: 'comment' }),
        })
      ).json<{ mode: string; image: string | null }>();
    const pow = await challenge('gallery-pow');
    assert.deepEqual([pow.mode, pow.image], ['pow', null]);
    assert.equal((await challenge('gallery')).mode, 'code+pow');
  });
});

describe('the gallery routes', () => {
  let engine: TestEngine;
  let server: InProcessServer;
  before(async () => {
    engine = await sqliteEngine();
    const storage = await engine.open();
    await seedDemo(storage, CONFIG);
    server = await listenInProcess({ storage });
  });
  after(async () => {
    await server?.close();
    await engine?.drop();
  });

  it('/gallery/slow/… answers a 307 to the real route after the delay', async () => {
    const started = Date.now();
    const res = await fetch(`${server.url}/gallery/slow/api/v1/sites/gallery/polls/gallery-open`, {
      redirect: 'manual',
    });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get('location'), '/api/v1/sites/gallery/polls/gallery-open');
    assert.ok(Date.now() - started >= GALLERY_DELAY_MS - 50, 'it waited');
  });

  it("/gallery/down/… closes the connection; neither route serves another site's API", async () => {
    await assert.rejects(fetch(`${server.url}/gallery/down/api/v1/sites/gallery/visits`));
    for (const path of [
      '/gallery/slow/api/v1/sites/demo/polls/danh-gia-cong-thong-tin',
      '/gallery/down/api/v1/sites/demo/visits',
      '/gallery/slow/admin/',
    ]) {
      const started = Date.now();
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      assert.equal(res.status, 404, path);
      assert.equal((await res.json()).error.code, 'not_found');
      assert.ok(Date.now() - started < GALLERY_DELAY_MS, 'at once');
    }
  });

  it('a stopping server does not wait for the delays', async () => {
    const engine2 = await sqliteEngine();
    const storage = await engine2.open();
    await seedDemo(storage, CONFIG);
    const other = await listenInProcess({ storage });
    const pending = fetch(`${other.url}/gallery/slow/api/v1/sites/gallery/visits`, {
      redirect: 'manual',
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await other.close();
    await pending;
    assert.ok(Date.now() - started < GALLERY_DELAY_MS / 2, `closed in ${Date.now() - started} ms`);
    await engine2.drop();
  });
});

describe('without the gallery page', () => {
  let engine: TestEngine;
  let server: InProcessServer;
  before(async () => {
    engine = await sqliteEngine();
    server = await listenInProcess({
      storage: await engine.open(),
      config: { demoDir: 'test/fixtures' },
    });
  });
  after(async () => {
    await server?.close();
    await engine?.drop();
  });

  it('has no gallery routes', async () => {
    const res = await fetch(`${server.url}/gallery/slow/api/v1/sites/gallery/polls/x`, {
      redirect: 'manual',
    });
    assert.equal(res.status, 404);
  });
});
