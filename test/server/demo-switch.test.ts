/**
 * `DEMO=on|off`: the real server (`src/server/main.ts`, a child process) on one database, started
 * off, then on, then off again. Off, it creates no demo or gallery site, serves neither the demo
 * portal nor `/gallery/` (404) and answers `/` with a short page; the widgets and the API are
 * unchanged, and the sites an earlier start created are left alone. On, all is as `npm start` has
 * it. A bad value stops the start with a clear message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/server/config.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

const DEMO_SITES = ['demo', 'gallery', 'gallery-pow'];
/** The demo portal's and the gallery's files and routes. */
const DEMO_PATHS = [
  '/index.html',
  '/demo.css',
  '/banners/chinhphu.svg',
  '/gallery/',
  '/gallery/gallery.js',
  '/gallery/slow/api/v1/sites/gallery/polls/gallery-open',
  '/gallery/down/api/v1/sites/gallery/polls/gallery-open',
];

describeEngines('DEMO switch', (engine) => {
  let db: TestEngine;
  const sites = async () => {
    const storage = await db.open();
    try {
      return (await storage.listSites()).map((s) => s.id).sort();
    } finally {
      await storage.close();
    }
  };
  /** Runs the server with DEMO=`demo` on `db` through `check`, then stops it (exit 0). */
  const withServer = async (demo: string, check: (url: string) => Promise<void>) => {
    let server: RunningServer | undefined;
    try {
      server = await startServer({ ...db.env, DEMO: demo }, { readyTimeoutMs: 60_000 });
      await check(server.url);
    } finally {
      if (server) assert.equal(await server.stop(), 0, server.output());
    }
  };
  /** DEMO=off: no demo page or gallery route; `/` a short page; the widgets and the API served. */
  const assertOff = async (url: string) => {
    for (const path of DEMO_PATHS)
      assert.equal((await fetch(`${url}${path}`)).status, 404, `${path} with DEMO=off`);
    const home = await fetch(`${url}/`);
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(home.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const page = await home.text();
    assert.match(page, /DEMO=off/);
    assert.doesNotMatch(page, /<script|data-site/, 'not the demo portal');
    const loader = await fetch(`${url}/civic.js`);
    assert.equal(loader.status, 200);
    assert.equal(loader.headers.get('access-control-allow-origin'), '*');
    assert.equal((await fetch(`${url}/health/ready`)).status, 200);
  };

  before(async () => {
    db = await engine.create();
  });
  after(async () => {
    await db?.drop();
  });

  it('off on a new database: no demo or gallery site, no demo routes', async () => {
    await withServer('off', assertOff);
    assert.deepEqual(await sites(), []);
  });

  it('on: the demo and gallery sites, the demo portal and the gallery, as today', async () => {
    await withServer('on', async (url) => {
      const portal = await fetch(`${url}/`);
      assert.equal(portal.status, 200);
      assert.match(await portal.text(), /data-site="demo"/);
      const gallery = await fetch(`${url}/gallery/`);
      assert.equal(gallery.status, 200);
      assert.match(await gallery.text(), /gallery\.js/);
      for (const path of DEMO_PATHS.slice(0, 5))
        assert.equal((await fetch(`${url}${path}`)).status, 200, path);
      // The slow route answers after its delay; its existence is enough here (404 when off).
      const down = await fetch(`${url}${DEMO_PATHS[6]}`).catch((err: unknown) => err);
      assert.ok(down instanceof Error, 'the unreachable route closes the connection');
    });
    assert.deepEqual(await sites(), [...DEMO_SITES].sort());
  });

  it('off again: the demo sites an earlier start created are left alone, their pages are gone', async () => {
    await withServer('off', assertOff);
    assert.deepEqual(await sites(), [...DEMO_SITES].sort());
  });
});

describe('LOG_REQUESTS setting', () => {
  it('is off when unset, on or off as given; anything else is a start-up error', () => {
    assert.equal(loadConfig({}).logRequests, false);
    assert.equal(loadConfig({ LOG_REQUESTS: 'on' }).logRequests, true);
    assert.equal(loadConfig({ LOG_REQUESTS: 'off' }).logRequests, false);
    assert.throws(() => loadConfig({ LOG_REQUESTS: 'all' }), /LOG_REQUESTS must be on or off/);
  });
});

describe('DEMO setting', () => {
  it('is on or off, off when unset; anything else is a start-up error', () => {
    assert.equal(loadConfig({}).demo, false);
    assert.equal(loadConfig({ DEMO: '' }).demo, false);
    for (const on of ['on', 'ON', 'true', 'yes', '1'])
      assert.equal(loadConfig({ DEMO: on }).demo, true);
    for (const off of ['off', 'Off', 'false', 'no', '0'])
      assert.equal(loadConfig({ DEMO: off }).demo, false);
    assert.throws(() => loadConfig({ DEMO: 'maybe' }), /DEMO must be on or off \(got "maybe"\)/);
  });
});
