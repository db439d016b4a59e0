import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_ORIGIN, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { CONSOLE_HOST, createUser, signIn, withCookie } from '../helpers/session.js';

function assertError(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().error.code, code);
  assert.ok(res.json().error.message);
}

interface AuditItem {
  actor: string;
  action: string;
  site: string | null;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

describeEngines('admin site settings: who may change what', (engine) => {
  const t = useTestApp(engine, { sites: ['t1', 't2'] });

  const site = async (id = 't1') => (await t.admin('GET', `/sites/${id}`)).json();
  const audit = async () => (await t.admin('GET', '/audit?site=t1')).json().items as AuditItem[];
  const editor = async (email: string) => {
    await createUser(t.admin, email, 'editor', ['t1']);
    return withCookie(t.app, await signIn(t.app, email));
  };

  it('an edit that omits the offset or the time zone keeps them', async () => {
    const res = await t.admin('PUT', '/sites/t2', { name: 'Sở Nội vụ', origins: [DEMO_ORIGIN] });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().legacyOffset, 1000);
    assert.equal(res.json().timeZone, 'Asia/Ho_Chi_Minh');
    assert.equal((await site('t2')).name, 'Sở Nội vụ');
  });

  it('an editor renames their site (audited before → after) but may not change its origins or visit offset', async () => {
    const send = await editor('bientap@t1.gov.vn');
    const put = (body: unknown) => send('PUT', '/api/v1/admin/sites/t1', body);

    // The same origins, spelled differently and in another order, are no change.
    const renamed = await put({
      name: 'Sở Y tế',
      origins: [`${DEMO_ORIGIN.toUpperCase()}/`],
      legacyOffset: 1000,
      timeZone: 'Asia/Bangkok',
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'Sở Y tế');
    assert.equal(renamed.json().timeZone, 'Asia/Bangkok');
    const [entry] = await audit();
    assert.equal(entry!.action, 'site.update');
    assert.equal(entry!.actor, 'bientap@t1.gov.vn');
    assert.deepEqual(
      [entry!.before!.name, entry!.after!.name, entry!.before!.timeZone, entry!.after!.timeZone],
      ['Test portal', 'Sở Y tế', 'Asia/Ho_Chi_Minh', 'Asia/Bangkok'],
    );
    const entries = (await audit()).length;

    for (const body of [
      { name: 'Khác', origins: [DEMO_ORIGIN, 'https://evil.example'] },
      { name: 'Khác', origins: [] },
      { name: 'Khác', origins: [DEMO_ORIGIN], legacyOffset: 999_999 },
      { name: 'Khác', origins: [DEMO_ORIGIN], legacyOffset: 0 },
    ]) {
      const res = await put(body);
      assertError(res, 403, 'forbidden');
      assert.match(res.json().error.message, /administrator/);
    }
    const after = await site();
    assert.equal(after.name, 'Sở Y tế', 'nothing changed');
    assert.deepEqual(after.origins, [DEMO_ORIGIN]);
    assert.equal(after.legacyOffset, 1000);
    assert.equal((await audit()).length, entries, 'refused edits are not audited');

    // Bad input is a 400 for editors too, and changes nothing.
    assertError(
      await put({ name: 'x', origins: [DEMO_ORIGIN], timeZone: 'Mars/Olympus' }),
      400,
      'invalid_request',
    );
    assertError(await put({ name: '', origins: [DEMO_ORIGIN] }), 400, 'invalid_request');
    assert.equal((await site()).timeZone, 'Asia/Bangkok');
    // Another site stays out of reach.
    assertError(
      await send('PUT', '/api/v1/admin/sites/t2', { name: 'Của tôi', origins: [DEMO_ORIGIN] }),
      403,
      'forbidden',
    );
  });

  it('an administrator changes origins and offset, audited before → after', async () => {
    const res = await t.admin('PUT', '/sites/t1', {
      name: 'Sở Y tế',
      origins: ['https://syt.example.gov.vn', DEMO_ORIGIN],
      legacyOffset: 2500,
    });
    assert.equal(res.statusCode, 200, res.body);
    const [entry] = await audit();
    assert.deepEqual(entry!.before!.origins, [DEMO_ORIGIN]);
    assert.deepEqual(entry!.after!.origins, ['https://syt.example.gov.vn', DEMO_ORIGIN]);
    assert.deepEqual([entry!.before!.legacyOffset, entry!.after!.legacyOffset], [1000, 2500]);
    // An editor may still save the form as it now is.
    const send = await editor('bientap2@t1.gov.vn');
    const again = await send('PUT', '/api/v1/admin/sites/t1', {
      name: 'Sở Y tế tỉnh',
      origins: [DEMO_ORIGIN, 'https://syt.example.gov.vn'],
      legacyOffset: 2500,
    });
    assert.equal(again.statusCode, 200, again.body);
  });

  it("gives the embed snippet's script addresses at the address the console is reached by", async () => {
    const send = await editor('bientap3@t1.gov.vn');
    const res = await send('GET', '/api/v1/admin/sites/t1/embed');
    assert.equal(res.statusCode, 200, res.body);
    const { loader, legacy } = res.json();
    assert.deepEqual(
      { loader, legacy },
      { loader: `http://${CONSOLE_HOST}/civic.js`, legacy: `http://${CONSOLE_HOST}/civic.iife.js` },
    );
    assertError(await send('GET', '/api/v1/admin/sites/t2/embed'), 403, 'forbidden');
    assertError(await t.admin('GET', '/sites/nope/embed'), 404, 'not_found');
  });
});

describeEngines('admin embed snippet with PUBLIC_URL', (engine) => {
  // A build of its own: the integrity values are read from its integrity.json.
  const distDir = mkdtempSync(join(tmpdir(), 'civic-dist-'));
  const t = useTestApp(engine, {
    config: { publicUrl: 'https://widgets.example.gov.vn/civic', distDir },
  });
  after(() => rmSync(distDir, { recursive: true, force: true }));

  it('uses the public address, with the integrity of the served build when it has one', async () => {
    const urls = {
      loader: 'https://widgets.example.gov.vn/civic/civic.js',
      legacy: 'https://widgets.example.gov.vn/civic/civic.iife.js',
    };
    let res = await t.admin('GET', '/sites/t1/embed');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), urls, 'no integrity.json: no integrity');
    writeFileSync(
      join(distDir, 'integrity.json'),
      JSON.stringify({ 'civic.js': 'sha384-AAAA', 'civic.iife.js': 'sha384-BBBB' }),
    );
    res = await t.admin('GET', '/sites/t1/embed');
    assert.deepEqual(res.json(), {
      ...urls,
      loaderIntegrity: 'sha384-AAAA',
      legacyIntegrity: 'sha384-BBBB',
    });
    // A new build in the same folder: the new values, without a restart.
    writeFileSync(join(distDir, 'integrity.json'), JSON.stringify({ 'civic.js': 'sha384-CCCC' }));
    res = await t.admin('GET', '/sites/t1/embed');
    assert.deepEqual(res.json(), { ...urls, loaderIntegrity: 'sha384-CCCC' });
  });
});
