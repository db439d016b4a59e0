/**
 * The site cache (core/sites.ts) on the app's clock: a site is read again 5 s after it was
 * cached, and while the database does not answer, one read within 10 minutes is still used.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Sites } from '../../src/server/core/sites.js';
import type { Storage } from '../../src/server/db/storage.js';
import { seedTestSite } from '../helpers/app.js';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';

describe('site cache', () => {
  let engine: TestEngine;
  let storage: Storage;
  let down = false;
  /** The real storage, whose site reads fail while `down`, as during a database outage. */
  let flaky: Storage;
  before(async () => {
    engine = await sqliteEngine();
    storage = await engine.open();
    await seedTestSite(storage);
    flaky = new Proxy(storage, {
      get(target, name, receiver) {
        if (name === 'getSite' && down)
          return () => Promise.reject(new Error('connection refused'));
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
  });
  after(async () => {
    await storage?.close();
    await engine?.drop();
  });

  const rename = async (name: string) => {
    const site = (await storage.getSite('t1'))!;
    assert.equal(await storage.updateSite({ ...site, name }), true);
  };

  it("reads a site again 5 s after it was cached, on the app's clock", async () => {
    let clock = Date.UTC(2030, 0, 1);
    const sites = new Sites(storage, () => clock);
    await rename('First');
    assert.equal((await sites.get('t1')).name, 'First');
    await rename('Second');
    clock += 4_999;
    assert.equal(sites.cached('t1')?.site?.name, 'First', 'still fresh');
    assert.equal((await sites.get('t1')).name, 'First');
    clock += 1;
    assert.equal(sites.cached('t1'), undefined, 'no longer fresh');
    assert.equal((await sites.get('t1')).name, 'Second');
  });

  it('uses a site read within 10 minutes while the database does not answer, and none older', async () => {
    let clock = Date.UTC(2030, 0, 1);
    const sites = new Sites(flaky, () => clock);
    await rename('Cached');
    assert.equal((await sites.get('t1')).name, 'Cached');
    down = true;
    try {
      clock += 5_000 + 10 * 60_000 - 1;
      assert.equal((await sites.get('t1')).name, 'Cached', 'within 10 minutes of going stale');
      clock += 1;
      await assert.rejects(sites.get('t1'), /connection refused/);
    } finally {
      down = false;
    }
    assert.equal((await sites.get('t1')).name, 'Cached', 'read again once the database answers');
  });
});
