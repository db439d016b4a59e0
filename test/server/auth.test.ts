import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_TOKEN, adminClient, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import {
  CONSOLE_HOST,
  CONSOLE_ORIGIN,
  cookieOf,
  createUser,
  login,
  PASSWORD,
  setCookie,
  signIn,
  withCookie,
} from '../helpers/session.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse('2025-03-01T01:00:00Z');

function assertError(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const { error } = res.json() as { error: { code: string; message: string } };
  assert.equal(error.code, code, res.body);
  assert.ok(error.message.length > 5, 'a message');
}

/** The body of a two-option `POST …/polls`. */
const newPoll = (id: string) => ({
  id,
  question: 'Q?',
  options: [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B' },
  ],
});

/** No password, hash or salt in an answer. */
function assertNoSecrets(res: LightMyRequestResponse) {
  assert.ok(!res.body.includes(PASSWORD), 'no password');
  assert.ok(!/scrypt|password_hash|passwordHash/i.test(res.body), 'no hash');
}

describeEngines('accounts and sessions', (engine) => {
  let clock = START;
  // The console's address is the server's public one (its own origin comes from PUBLIC_URL).
  const t = useTestApp(engine, {
    sites: ['t1', 't2'],
    now: () => clock,
    config: { publicUrl: CONSOLE_ORIGIN },
  });
  const me = (cookie: string) => withCookie(t.app, cookie)('GET', '/api/v1/auth/me');
  let seq = 0;
  /** A fresh user of `role` (e-mail unique per test). */
  const user = (role: 'admin' | 'editor' = 'editor', sites = ['t1']) =>
    createUser(t.admin, `user${++seq}@so-tt.example.gov.vn`, role, sites);

  it('signs in with the right password only; the cookie is HttpOnly and SameSite=Strict over HTTP', async () => {
    const u = await createUser(t.admin, 'Bien.Tap@Example.gov.vn', 'editor', ['t1']);
    const res = await login(t.app, 'bien.tap@example.gov.vn');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      email: 'Bien.Tap@Example.gov.vn',
      name: 'Bien.Tap',
      role: 'editor',
      sites: ['t1'],
    });
    assertNoSecrets(res);
    assert.equal(res.headers['cache-control'], 'no-store');
    const cookie = setCookie(res);
    assert.match(cookie, /^civic_session=[A-Za-z0-9_-]{43}; /);
    const attributes = cookie.split('; ').slice(1);
    assert.deepEqual(attributes, ['Path=/', 'Max-Age=43200', 'HttpOnly', 'SameSite=Strict']);

    const who = await me(cookieOf(res));
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().email, u.email);

    // The stored session id is not the cookie's value.
    const value = cookieOf(res).split('=')[1]!;
    const rows = await t.storage.db.selectFrom('user_sessions').select('id').execute();
    assert.ok(rows.length > 0 && rows.every((r) => r.id !== value));

    for (const [email, password] of [
      ['bien.tap@example.gov.vn', `${PASSWORD}x`],
      ['nobody@example.gov.vn', PASSWORD],
      ['bien.tap@example.gov.vn', ''],
    ]) {
      const wrong = await login(t.app, email!, password, { ip: '192.0.2.200' });
      assertError(wrong, 401, 'invalid_credentials');
      assert.equal(wrong.headers['set-cookie'], undefined);
      assert.ok(!wrong.body.includes(email!), 'the answer does not repeat the e-mail');
    }
    assertError(
      await me('civic_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      401,
      'unauthorized',
    );
    assertError(await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' }), 401, 'unauthorized');
  });

  it('refuses malformed sign-in bodies with a 4xx and no session', async () => {
    const before = await t.storage.db.selectFrom('user_sessions').select('id').execute();
    for (const payload of [
      '{"email":"a@b.vn"',
      JSON.stringify({ email: 'a@b.vn' }),
      JSON.stringify({ email: 'a@b.vn', password: 5 }),
      JSON.stringify({ email: 'a@b.vn', password: 'x', admin: true }),
      JSON.stringify([]),
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      assert.ok(res.statusCode === 400, `${payload}: ${res.statusCode}`);
      assert.equal(typeof res.json().error.code, 'string');
    }
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'email=a',
    });
    assertError(text, 415, 'unsupported_media_type');
    const after = await t.storage.db.selectFrom('user_sessions').select('id').execute();
    assert.equal(after.length, before.length);
  });

  it('locks an account out after ten failures within 15 minutes, even for the right password', async () => {
    const u = await user();
    for (let i = 0; i < 10; i++) {
      const res = await login(t.app, u.email, 'wrong-password-here', { ip: `203.0.113.${i + 1}` });
      assertError(res, 401, 'invalid_credentials');
    }
    const locked = await login(t.app, u.email, PASSWORD, { ip: '198.51.100.50' });
    assertError(locked, 429, 'rate_limited');
    const retry = Number(locked.headers['retry-after']);
    assert.ok(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    assert.equal(locked.headers['set-cookie'], undefined);
    // Another account from the same networks is not locked.
    const other = await user();
    assert.equal(
      (await login(t.app, other.email, PASSWORD, { ip: '203.0.113.1' })).statusCode,
      200,
    );
    // Nothing stored names the account or the address.
    const keys = await t.storage.db.selectFrom('auth_failures').select('key').execute();
    assert.ok(keys.length >= 10);
    assert.ok(keys.every((k) => !k.key.includes('@') && !k.key.includes('203.0.113')));

    clock += 15 * MINUTE + 1000;
    assert.equal((await login(t.app, u.email, PASSWORD, { ip: '198.51.100.50' })).statusCode, 200);
  });

  it('locks a network (IP prefix) out after ten failures, also for the right password', async () => {
    const u = await user();
    for (let i = 0; i < 10; i++) {
      const res = await login(t.app, `guess${i}@example.gov.vn`, 'wrong-password-here', {
        ip: `2001:db8:aa:bb::${i + 1}`,
      });
      assertError(res, 401, 'invalid_credentials');
    }
    // Another address of the same /64.
    const locked = await login(t.app, u.email, PASSWORD, { ip: '2001:db8:aa:bb:ffff::9' });
    assertError(locked, 429, 'rate_limited');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    // Another network signs in.
    assert.equal(
      (await login(t.app, u.email, PASSWORD, { ip: '2001:db8:aa:cc::1' })).statusCode,
      200,
    );
    clock += 15 * MINUTE + 1000;
    assert.equal(
      (await login(t.app, u.email, PASSWORD, { ip: '2001:db8:aa:bb::1' })).statusCode,
      200,
    );
  });

  it('ends a session after 2 hours idle', async () => {
    const u = await user();
    const cookie = await signIn(t.app, u.email);
    clock += 2 * HOUR - MINUTE;
    assert.equal((await me(cookie)).statusCode, 200, 'used within 2 h');
    clock += 2 * HOUR - MINUTE;
    assert.equal((await me(cookie)).statusCode, 200, 'the idle time restarts with each use');
    clock += 2 * HOUR;
    assertError(await me(cookie), 401, 'unauthorized');
    // The admin API refuses it too, and it stays ended.
    clock += MINUTE;
    const res = await withCookie(t.app, cookie)('GET', '/api/v1/admin/sites/t1/polls');
    assertError(res, 401, 'unauthorized');
  });

  it('ends a session 12 hours after sign-in however busy', async () => {
    const u = await user();
    const cookie = await signIn(t.app, u.email);
    for (let h = 1; h < 12; h++) {
      clock += HOUR;
      assert.equal((await me(cookie)).statusCode, 200, `hour ${h}`);
    }
    clock += HOUR - 1;
    assert.equal((await me(cookie)).statusCode, 200, 'just under 12 h');
    clock += 1;
    assertError(await me(cookie), 401, 'unauthorized');
  });

  it('logout ends the session on the server and clears the cookie', async () => {
    const u = await user();
    const cookie = await signIn(t.app, u.email);
    const send = withCookie(t.app, cookie);
    const out = await send('POST', '/api/v1/auth/logout');
    assert.equal(out.statusCode, 204);
    assert.match(setCookie(out), /^civic_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    // The old cookie, sent again (as a copy of it would be), opens nothing.
    assertError(await me(cookie), 401, 'unauthorized');
    assertError(await send('GET', '/api/v1/admin/sites/t1/polls'), 401, 'unauthorized');
    const left = await t.storage.db
      .selectFrom('user_sessions')
      .select('id')
      .where('user_id', '=', u.id)
      .execute();
    assert.equal(left.length, 0);
  });

  it('a password change ends the other sessions; the old password stops working', async () => {
    const u = await user();
    const here = await signIn(t.app, u.email);
    const elsewhere = await signIn(t.app, u.email);
    const send = withCookie(t.app, here);
    const newPassword = 'một-mật-khẩu-mới-456';

    const wrong = await send('POST', '/api/v1/auth/password', {
      currentPassword: 'not-the-password',
      newPassword,
    });
    assertError(wrong, 400, 'invalid_credentials');
    const short = await send('POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'short',
    });
    assertError(short, 400, 'invalid_password');
    assert.equal((await me(elsewhere)).statusCode, 200, 'refused changes end nothing');

    const cross = await send(
      'POST',
      '/api/v1/auth/password',
      { currentPassword: PASSWORD, newPassword },
      { 'sec-fetch-site': 'cross-site' },
    );
    assertError(cross, 403, 'cross_site');
    assert.equal((await me(elsewhere)).statusCode, 200);

    const ok = await send('POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword,
    });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.equal((await me(here)).statusCode, 200, 'the session that changed it stays');
    assertError(await me(elsewhere), 401, 'unauthorized');
    assertError(await login(t.app, u.email, PASSWORD), 401, 'invalid_credentials');
    assert.equal((await login(t.app, u.email, newPassword)).statusCode, 200);

    // An administrator's reset ends every session of the user.
    const reset = await t.admin('POST', `/users/${u.id}/password`, { password: PASSWORD });
    assert.equal(reset.statusCode, 204, reset.body);
    assertError(await me(here), 401, 'unauthorized');
    assert.equal((await login(t.app, u.email, PASSWORD)).statusCode, 200);
  });

  it('refuses a cross-site write with the cookie, and changes nothing', async () => {
    const u = await user('editor', ['t1']);
    const send = withCookie(t.app, await signIn(t.app, u.email));
    const poll = newPoll('cross');
    for (const headers of [
      { 'sec-fetch-site': undefined },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': undefined, origin: 'https://evil.example' },
      { 'sec-fetch-site': undefined, origin: 'null' },
      { 'sec-fetch-site': undefined, origin: `https://${CONSOLE_HOST}` },
    ]) {
      const res = await send('POST', '/api/v1/admin/sites/t1/polls', poll, headers);
      assertError(res, 403, 'cross_site');
    }
    assertError(await send('GET', '/api/v1/admin/sites/t1/polls/cross'), 404, 'not_found');
    // Reads need no proof; writes from the console's own origin pass.
    assert.equal(
      (
        await send('GET', '/api/v1/admin/sites/t1/polls', undefined, {
          'sec-fetch-site': undefined,
        })
      ).statusCode,
      200,
    );
    const own = await send('POST', '/api/v1/admin/sites/t1/polls', poll, {
      'sec-fetch-site': undefined,
      origin: CONSOLE_ORIGIN,
    });
    assert.equal(own.statusCode, 201, own.body);
    // A sign-in posted from another site is refused too.
    const other = await login(t.app, u.email, PASSWORD, {
      headers: { host: CONSOLE_HOST, origin: 'https://evil.example' },
    });
    assertError(other, 403, 'cross_site');
    const marked = await login(t.app, u.email, PASSWORD, {
      headers: { host: CONSOLE_HOST, 'sec-fetch-site': 'cross-site' },
    });
    assertError(marked, 403, 'cross_site');
    // Fetch Metadata, when sent, decides (a proxy may have rewritten Host).
    const proxied = await login(t.app, u.email, PASSWORD, {
      headers: { host: 'backend:8080', origin: CONSOLE_ORIGIN, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(proxied.statusCode, 200, proxied.body);
  });

  it('an editor manages only their sites: 403 elsewhere and nothing changes', async () => {
    const question = 'Câu hỏi của t2?';
    const options = [
      { id: 'co', label: 'Có' },
      { id: 'khong', label: 'Không' },
    ];
    assert.equal(
      (await t.admin('POST', '/sites/t2/polls', { id: 'p-t2', question, options })).statusCode,
      201,
    );
    const u = await user('editor', ['t1']);
    const send = withCookie(t.app, await signIn(t.app, u.email));

    const attempts: Array<[string, string, unknown?]> = [
      ['PATCH', '/api/v1/admin/sites/t2/polls/p-t2', { question: 'Đã sửa?' }],
      ['DELETE', '/api/v1/admin/sites/t2/polls/p-t2'],
      ['POST', '/api/v1/admin/sites/t2/polls', { id: 'x', question: 'X?', options }],
      ['GET', '/api/v1/admin/sites/t2/polls'],
      ['PUT', '/api/v1/admin/sites/t2', { name: 'Mine now', origins: [] }],
      ['PUT', '/api/v1/admin/sites/t2/captcha', { mode: 'pow' }],
      ['GET', '/api/v1/admin/sites/t2/secret'],
      ['GET', '/api/v1/admin/sites/nope/polls'],
      ['POST', '/api/v1/admin/sites', { id: 'new-site', name: 'New', origins: [] }],
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users', { email: 'x@y.vn', role: 'admin', password: PASSWORD }],
      ['GET', '/api/v1/admin/tokens'],
      ['POST', '/api/v1/admin/tokens', { name: 'mine', role: 'admin' }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await send(method as 'GET', url, body);
      assertError(res, 403, 'forbidden');
    }
    const p = (await t.admin('GET', '/sites/t2/polls/p-t2')).json();
    assert.equal(p.question, question, 'the poll is unchanged');
    const site = (await t.admin('GET', '/sites/t2')).json();
    assert.equal(site.name, 'Test portal');
    assert.equal((await t.admin('GET', '/sites/t2/captcha')).json().mode, 'code+pow');
    assert.equal((await t.admin('GET', '/sites/new-site')).statusCode, 404);
    assert.equal((await t.admin('GET', '/sites/t2/polls/x')).statusCode, 404);
    const users = (await t.admin('GET', '/users')).json().items as Array<{ email: string }>;
    assert.ok(!users.some((x) => x.email === 'x@y.vn'));

    // Its own site works, and the site list shows only it.
    const own = await send('POST', '/api/v1/admin/sites/t1/polls', {
      id: 'mine',
      question: 'Q?',
      options,
    });
    assert.equal(own.statusCode, 201, own.body);
    const list = await send('GET', '/api/v1/admin/sites');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((s: { id: string }) => s.id),
      ['t1'],
    );
    // An admin's session lists every site.
    const boss = await user('admin', []);
    const bossList = await withCookie(t.app, await signIn(t.app, boss.email))(
      'GET',
      '/api/v1/admin/sites',
    );
    assert.deepEqual(
      bossList.json().items.map((s: { id: string }) => s.id),
      ['t1', 't2'],
    );
  });

  it('a role change applies to the open session at once', async () => {
    const u = await user('editor', ['t1']);
    const cookie = await signIn(t.app, u.email);
    const send = withCookie(t.app, cookie);
    assertError(await send('GET', '/api/v1/admin/sites/t2/polls'), 403, 'forbidden');
    assert.equal(
      (await t.admin('PATCH', `/users/${u.id}`, { sites: ['t1', 't2'] })).statusCode,
      200,
    );
    assert.equal((await send('GET', '/api/v1/admin/sites/t2/polls')).statusCode, 200);
    assert.deepEqual((await me(cookie)).json().sites, ['t1', 't2']);
    assert.equal((await t.admin('PATCH', `/users/${u.id}`, { sites: [] })).statusCode, 200);
    assertError(await send('GET', '/api/v1/admin/sites/t1/polls'), 403, 'forbidden');
  });
});

describeEngines('users admin API', (engine) => {
  const t = useTestApp(engine, { sites: ['t1', 't2'] });

  it('creates, lists, edits and deletes users; never shows a password or hash', async () => {
    const created = await t.admin('POST', '/users', {
      email: 'Nguyen.Van.A@Example.gov.vn',
      name: 'Nguyễn Văn A',
      role: 'editor',
      sites: ['t1', 't1'],
      password: PASSWORD,
    });
    assert.equal(created.statusCode, 201, created.body);
    assertNoSecrets(created);
    const u = created.json();
    assert.deepEqual(
      [u.email, u.name, u.role, u.sites],
      ['Nguyen.Van.A@Example.gov.vn', 'Nguyễn Văn A', 'editor', ['t1']],
    );
    const list = await t.admin('GET', '/users');
    assertNoSecrets(list);
    assert.ok(list.json().items.some((x: { id: string }) => x.id === u.id));

    const edited = await t.admin('PATCH', `/users/${u.id}`, { name: 'Trần Thị B', sites: ['t2'] });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual([edited.json().name, edited.json().sites], ['Trần Thị B', ['t2']]);

    const stored = await t.storage.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow();
    assert.match(stored.password_hash, /^scrypt\$ln=\d+,r=\d+,p=\d+\$[\w-]+\$[\w-]+$/);
    assert.ok(!stored.password_hash.includes(PASSWORD));

    assert.equal((await t.admin('DELETE', `/users/${u.id}`)).statusCode, 204);
    assert.equal((await t.admin('GET', `/users/${u.id}`)).statusCode, 404);
    assertError(await t.admin('DELETE', `/users/${u.id}`), 404, 'not_found');
  });

  it('refuses bad accounts with a clear 4xx and creates nothing', async () => {
    await createUser(t.admin, 'taken@example.gov.vn', 'editor', ['t1']);
    const count = async () => (await t.admin('GET', '/users')).json().items.length as number;
    const before = await count();
    const cases: Array<[unknown, number, string]> = [
      [
        { email: 'short@example.gov.vn', role: 'editor', password: 'short-pass1' },
        400,
        'invalid_password',
      ],
      [{ email: 'empty@example.gov.vn', role: 'editor', password: '' }, 400, 'invalid_password'],
      [{ email: 'TAKEN@example.gov.vn', role: 'editor', password: PASSWORD }, 409, 'user_exists'],
      [{ email: 'x@example.gov.vn', role: 'owner', password: PASSWORD }, 400, 'invalid_request'],
      [
        { email: 'x@example.gov.vn', role: 'editor', sites: ['nope'], password: PASSWORD },
        400,
        'unknown_site',
      ],
      [{ email: 'not-an-email', role: 'editor', password: PASSWORD }, 400, 'invalid_request'],
      [
        { email: 'x@example.gov.vn', role: 'editor', password: PASSWORD, admin: 1 },
        400,
        'invalid_request',
      ],
      [
        { email: 'x@example.gov.vn', name: 'a\u0007b', role: 'editor', password: PASSWORD },
        400,
        'invalid_request',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.admin('POST', '/users', body);
      assertError(res, status, code);
      assert.ok(!res.body.includes(PASSWORD));
    }
    assert.equal(await count(), before);
    assertError(await t.admin('PATCH', '/users/AAAAAAAAAAAAAAAA', { name: 'x' }), 404, 'not_found');
    assertError(await t.admin('PATCH', '/users/bad', { name: 'x' }), 400, 'invalid_request');
  });

  it('keeps the last administrator, and no one deletes themselves', async () => {
    const boss = await createUser(t.admin, 'boss@example.gov.vn', 'admin');
    const admins = (await t.admin('GET', '/users'))
      .json()
      .items.filter((u: { role: string }) => u.role === 'admin');
    assert.equal(admins.length, 1);
    assertError(await t.admin('DELETE', `/users/${boss.id}`), 409, 'last_admin');
    assertError(await t.admin('PATCH', `/users/${boss.id}`, { role: 'editor' }), 409, 'last_admin');
    assert.equal((await t.admin('GET', `/users/${boss.id}`)).json().role, 'admin');

    // An editor promoted: an administrator manages every site, so lists none.
    const second = await createUser(t.admin, 'second@example.gov.vn', 'editor', ['t1']);
    const promoted = await t.admin('PATCH', `/users/${second.id}`, { role: 'admin' });
    assert.deepEqual([promoted.json().role, promoted.json().sites], ['admin', []]);
    const send = withCookie(t.app, await signIn(t.app, boss.email));
    assertError(await send('DELETE', `/api/v1/admin/users/${boss.id}`), 409, 'cannot_delete_self');
    assert.equal((await send('DELETE', `/api/v1/admin/users/${second.id}`)).statusCode, 204);
    assert.equal((await t.admin('GET', `/users/${boss.id}`)).statusCode, 200);
  });

  it('disables an account: its sessions end, it cannot sign in, and enabling it restores it', async () => {
    const editor = await createUser(t.admin, 'tam.nghi@example.gov.vn', 'editor', ['t1']);
    const cookie = await signIn(t.app, editor.email);
    const send = withCookie(t.app, cookie);
    assert.equal((await send('GET', '/api/v1/auth/me')).statusCode, 200);

    const disabled = await t.admin('PATCH', `/users/${editor.id}`, { disabled: true });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json().disabled, true);
    assertError(await send('GET', '/api/v1/auth/me'), 401, 'unauthorized');
    assertError(await send('GET', '/api/v1/admin/sites/t1/polls'), 401, 'unauthorized');
    const sessions = await t.storage.db
      .selectFrom('user_sessions')
      .select('id')
      .where('user_id', '=', editor.id)
      .execute();
    assert.equal(sessions.length, 0);
    // The right password says the account is disabled; a wrong one says nothing more.
    const refused = await login(t.app, editor.email);
    assertError(refused, 403, 'account_disabled');
    assert.equal(refused.headers['set-cookie'], undefined);
    assertError(await login(t.app, editor.email, `${PASSWORD}x`), 401, 'invalid_credentials');
    const listed = (await t.admin('GET', '/users')).json().items as Array<{
      id: string;
      disabled: boolean;
    }>;
    assert.equal(listed.find((u) => u.id === editor.id)?.disabled, true);

    const enabled = await t.admin('PATCH', `/users/${editor.id}`, { disabled: false });
    assert.equal(enabled.json().disabled, false);
    assert.equal((await login(t.app, editor.email)).statusCode, 200);

    const entries = (await t.admin('GET', '/audit?action=user.update&limit=2')).json().items;
    assert.deepEqual(
      entries.map((e: { before: { disabled: boolean }; after: { disabled: boolean } }) => [
        e.before.disabled,
        e.after.disabled,
      ]),
      [
        [true, false],
        [false, true],
      ],
    );
  });

  it('never disables oneself or the last active administrator', async () => {
    // Disabled administrators do not count: one active administrator is the last one.
    const dormant = await createUser(t.admin, 'ngu.dong@example.gov.vn', 'admin');
    const active = await createUser(t.admin, 'dang.lam@example.gov.vn', 'admin');
    for (const u of (await t.admin('GET', '/users')).json().items as TestUserView[]) {
      if (u.role === 'admin' && u.id !== active.id && !u.disabled)
        assert.equal(
          (await t.admin('PATCH', `/users/${u.id}`, { disabled: true })).statusCode,
          200,
        );
    }
    assert.equal((await t.admin('GET', `/users/${dormant.id}`)).json().disabled, true);
    assertError(
      await t.admin('PATCH', `/users/${active.id}`, { disabled: true }),
      409,
      'last_admin',
    );
    assertError(
      await t.admin('PATCH', `/users/${active.id}`, { role: 'editor' }),
      409,
      'last_admin',
    );
    assertError(await t.admin('DELETE', `/users/${active.id}`), 409, 'last_admin');
    // A disabled administrator may go.
    assert.equal((await t.admin('DELETE', `/users/${dormant.id}`)).statusCode, 204);

    const send = withCookie(t.app, await signIn(t.app, active.email));
    const other = await createUser(t.admin, 'pho.phong@example.gov.vn', 'admin');
    assertError(
      await send('PATCH', `/api/v1/admin/users/${active.id}`, { disabled: true }),
      409,
      'cannot_disable_self',
    );
    const still = (await t.admin('GET', `/users/${active.id}`)).json();
    assert.deepEqual([still.role, still.disabled], ['admin', false]);
    // With another active administrator, the first can be disabled by them.
    const send2 = withCookie(t.app, await signIn(t.app, other.email));
    const res = await send2('PATCH', `/api/v1/admin/users/${active.id}`, { disabled: true });
    assert.equal(res.statusCode, 200, res.body);
    assertError(await send('GET', '/api/v1/auth/me'), 401, 'unauthorized');
  });
});

interface TestUserView {
  id: string;
  role: string;
  disabled: boolean;
}

describeEngines('API tokens', (engine) => {
  const t = useTestApp(engine, { sites: ['t1', 't2'] });
  const options = [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B' },
  ];

  it('creates a token shown once, scoped to a role and sites; revoking ends it', async () => {
    const res = await t.admin('POST', '/tokens', { name: 'bot-t1', role: 'editor', sites: ['t1'] });
    assert.equal(res.statusCode, 201, res.body);
    const { id, token, ...view } = res.json();
    assert.match(token, /^cwt_[\w-]{43}$/);
    assert.deepEqual(
      [view.name, view.role, view.sites, view.createdBy],
      ['bot-t1', 'editor', ['t1'], 'ADMIN_TOKEN'],
    );
    const list = await t.admin('GET', '/tokens');
    assert.ok(!list.body.includes(token), 'the list never shows a token');
    const row = await t.storage.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.token_hash, token);
    assert.ok(!JSON.stringify(row).includes(token.slice(4)), 'only its hash is stored');

    const bot = adminClient(t.app, token);
    assert.equal(
      (await bot('POST', '/sites/t1/polls', { id: 'bot', question: 'Q?', options })).statusCode,
      201,
    );
    assertError(
      await bot('POST', '/sites/t2/polls', { id: 'bot', question: 'Q?', options }),
      403,
      'forbidden',
    );
    assert.equal((await t.admin('GET', '/sites/t2/polls/bot')).statusCode, 404);
    assertError(await bot('GET', '/users'), 403, 'forbidden');
    assertError(await bot('POST', '/tokens', { name: 'more', role: 'admin' }), 403, 'forbidden');
    assertError(
      await bot('POST', '/sites', { id: 'bot-site', name: 'x', origins: [] }),
      403,
      'forbidden',
    );
    const used = (await t.admin('GET', '/tokens'))
      .json()
      .items.find((x: { id: string }) => x.id === id);
    assert.ok(used.lastUsedAt, 'its last use is shown');

    assert.equal((await t.admin('DELETE', `/tokens/${id}`)).statusCode, 204);
    assertError(await bot('GET', '/sites/t1/polls'), 401, 'unauthorized');
    assertError(await t.admin('DELETE', `/tokens/${id}`), 404, 'not_found');
  });

  it('an admin token manages everything; bad token requests change nothing', async () => {
    const res = await t.admin('POST', '/tokens', { name: 'ops', role: 'admin' });
    assert.equal(res.statusCode, 201);
    const ops = adminClient(t.app, res.json().token);
    assert.equal(
      (await ops('POST', '/sites', { id: 'from-ops', name: 'x', origins: [] })).statusCode,
      201,
    );
    assert.equal((await ops('GET', '/users')).statusCode, 200);
    const count = async () => (await t.admin('GET', '/tokens')).json().items.length as number;
    const before = await count();
    for (const [body, status, code] of [
      [{ name: 'ops', role: 'admin' }, 409, 'conflict'],
      [{ name: 'x', role: 'editor', sites: ['nope'] }, 400, 'unknown_site'],
      [{ name: 'x y', role: 'editor' }, 400, 'invalid_request'],
      [{ name: 'x', role: 'root' }, 400, 'invalid_request'],
    ] as Array<[unknown, number, string]>) {
      assertError(await t.admin('POST', '/tokens', body), status, code);
    }
    assert.equal(await count(), before);
  });

  it('limits bad bearer tokens per network: 429 after 20, even for a good one', async () => {
    const send = (token: string, ip: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/admin/sites',
        remoteAddress: ip,
        headers: { authorization: `Bearer ${token}` },
      });
    for (let i = 0; i < 20; i++) {
      const res = await send(`cwt_guess-${i}`, '192.0.2.77');
      assertError(res, 401, 'unauthorized');
      assert.match(String(res.headers['www-authenticate']), /^Bearer /);
    }
    const locked = await send(ADMIN_TOKEN, '192.0.2.77');
    assertError(locked, 429, 'rate_limited');
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal((await send(ADMIN_TOKEN, '192.0.2.78')).statusCode, 200, 'another network');
  });
});

describeEngines('the session cookie over HTTPS', (engine) => {
  const t = useTestApp(engine, {
    config: { trustProxy: ['127.0.0.1'], publicUrl: `https://${CONSOLE_HOST}` },
  });

  it('is __Host- prefixed and Secure when the proxy says HTTPS, and read over HTTPS only', async () => {
    const u = await createUser(t.admin, 'https@example.gov.vn', 'editor', ['t1']);
    const https = { 'x-forwarded-proto': 'https', host: CONSOLE_HOST };
    const res = await login(t.app, u.email, PASSWORD, { headers: https });
    assert.equal(res.statusCode, 200, res.body);
    const cookie = setCookie(res);
    assert.match(cookie, /^__Host-civic_session=[\w-]{43}; /);
    assert.deepEqual(cookie.split('; ').slice(1), [
      'Path=/',
      'Max-Age=43200',
      'HttpOnly',
      'Secure',
      'SameSite=Strict',
    ]);
    const value = cookieOf(res).split('=')[1]!;
    const me = (headers: Record<string, string>) =>
      t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    assert.equal((await me({ ...https, cookie: cookieOf(res) })).statusCode, 200);
    // The same value under the plain name, or the secure name over HTTP, is not a session.
    assert.equal((await me({ ...https, cookie: `civic_session=${value}` })).statusCode, 401);
    assert.equal((await me({ cookie: cookieOf(res) })).statusCode, 401);

    // A cookie write over HTTPS: the own origin is PUBLIC_URL's, https://<host>.
    const send = withCookie(t.app, cookieOf(res));
    const poll = newPoll('https');
    const wrongScheme = await send('POST', '/api/v1/admin/sites/t1/polls', poll, {
      ...https,
      'sec-fetch-site': undefined,
      origin: CONSOLE_ORIGIN,
    });
    assertError(wrongScheme, 403, 'cross_site');
    const ok = await send('POST', '/api/v1/admin/sites/t1/polls', poll, {
      ...https,
      'sec-fetch-site': undefined,
      origin: `https://${CONSOLE_HOST}`,
    });
    assert.equal(ok.statusCode, 201, ok.body);

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...https, cookie: cookieOf(res) },
    });
    assert.equal(out.statusCode, 204);
    assert.match(
      setCookie(out),
      /^__Host-civic_session=; Path=\/; Max-Age=0; HttpOnly; Secure; SameSite=Strict$/,
    );
  });

  it('ignores X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    const u = await createUser(t.admin, 'spoof@example.gov.vn', 'editor', ['t1']);
    const res = await login(t.app, u.email, PASSWORD, {
      ip: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(res.statusCode, 200);
    assert.match(setCookie(res), /^civic_session=/);
    assert.ok(!setCookie(res).includes('Secure'));
  });
});

describe('accounts in the logs', () => {
  let logs = '';
  const stream = new Writable({ write: (chunk, _enc, cb) => ((logs += chunk.toString()), cb()) });
  // Every request's lines (LOG_REQUESTS=on): what they carry is checked too.
  const t = useTestApp(undefined, {
    logger: { level: 'trace', stream },
    config: { logRequests: true },
  });

  it('never writes an e-mail, a password or a hash into a log line', async () => {
    const email = 'secret.person@example.gov.vn';
    const u = await createUser(t.admin, email, 'editor', ['t1']);
    await login(t.app, email, 'wrong-password-here');
    await login(t.app, email.toUpperCase(), PASSWORD);
    const cookie = await signIn(t.app, email);
    await withCookie(t.app, cookie)('GET', '/api/v1/auth/me');
    await t.admin('PATCH', `/users/${u.id}`, { name: 'Renamed' });
    await t.admin('POST', `/users/${u.id}/password`, { password: `${PASSWORD}-2` });
    assert.ok(logs.includes('/api/v1/auth/login'), 'requests are logged');
    for (const secret of [email, email.toUpperCase(), PASSWORD, 'wrong-password-here', 'scrypt$'])
      assert.ok(!logs.includes(secret), `no ${secret} in the logs`);
  });
});

describe('the admin API without ADMIN_TOKEN', () => {
  const t = useTestApp(undefined, { config: { adminToken: undefined } });

  it('is off until an account exists, then takes sessions (and no bootstrap token)', async () => {
    const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const off = await t.app.inject({ method: 'GET', url: '/api/v1/admin/sites', headers: bearer });
    assertError(off, 403, 'admin_disabled');
    const { Auth } = await import('../../src/server/auth/service.js');
    await new Auth(t.storage, Date.now).createUser({
      email: 'first@example.gov.vn',
      role: 'admin',
      password: PASSWORD,
    });
    assertError(
      await t.app.inject({ method: 'GET', url: '/api/v1/admin/sites', headers: bearer }),
      401,
      'unauthorized',
    );
    const send = withCookie(t.app, await signIn(t.app, 'first@example.gov.vn'));
    assert.equal((await send('GET', '/api/v1/admin/sites')).statusCode, 200);
  });
});
