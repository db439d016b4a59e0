import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AuditView } from '../../src/server/audit/schemas.js';
import { actionOf } from '../../src/server/core/admin.js';
import { adminClient, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { createUser, PASSWORD, signIn, withCookie } from '../helpers/session.js';

const OPTIONS = [
  { id: 'co', label: 'Có' },
  { id: 'khong', label: 'Không' },
];

it('names audit actions after the route', () => {
  const cases: Array<[string, string, string]> = [
    ['POST', '/api/v1/admin/sites', 'site.create'],
    ['PUT', '/api/v1/admin/sites/:site', 'site.update'],
    ['POST', '/api/v1/admin/sites/:site/polls', 'poll.create'],
    ['PATCH', '/api/v1/admin/sites/:site/polls/:poll', 'poll.update'],
    ['POST', '/api/v1/admin/sites/:site/polls/:poll/open', 'poll.open'],
    ['DELETE', '/api/v1/admin/sites/:site/polls/:poll', 'poll.delete'],
    ['POST', '/api/v1/admin/sites/:site/comments/:id/approve', 'comment.approve'],
    ['POST', '/api/v1/admin/sites/:site/comments/bulk', 'comment.bulk'],
    ['PUT', '/api/v1/admin/sites/:site/comments/:id/reply', 'comment.reply.update'],
    ['DELETE', '/api/v1/admin/sites/:site/comments/:id/ban', 'comment.ban.delete'],
    ['PUT', '/api/v1/admin/sites/:site/comment-settings', 'comment-settings.update'],
    ['PUT', '/api/v1/admin/sites/:site/slogans/:list/order', 'slogan.order.update'],
    ['POST', '/api/v1/admin/users/:user/password', 'user.password'],
    ['DELETE', '/api/v1/admin/tokens/:token', 'token.delete'],
  ];
  for (const [method, url, action] of cases) assert.equal(actionOf(method, url), action, url);
});

describeEngines('audit log', (engine) => {
  const t = useTestApp(engine, { sites: ['t1', 't2'] });
  const read = async (query = '', as = t.admin) => {
    const res = await as('GET', `/audit${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: AuditView[]; next: string | null };
  };
  const count = async () => {
    const row = await t.storage.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('records every successful change with who, what, which site, and before → after for settings', async () => {
    const poll = { id: 'danh-gia', question: 'Bạn đánh giá thế nào?', options: OPTIONS };
    assert.equal((await t.admin('POST', '/sites/t1/polls', poll)).statusCode, 201);
    assert.equal(
      (await t.admin('PATCH', '/sites/t1/polls/danh-gia', { question: 'Đánh giá lại?' }))
        .statusCode,
      200,
    );
    const site = { name: 'Sở Tư pháp', origins: ['https://stp.example.gov.vn'], legacyOffset: 5 };
    assert.equal((await t.admin('PUT', '/sites/t1', site)).statusCode, 200);
    assert.equal((await t.admin('PUT', '/sites/t1/captcha', { mode: 'pow' })).statusCode, 200);
    const settings = { autoApprove: true, purgeDays: 7 };
    assert.equal((await t.admin('PUT', '/sites/t1/comment-settings', settings)).statusCode, 200);
    const rotated = await t.admin('POST', '/sites/t1/secret');
    assert.equal(rotated.statusCode, 200);
    // Reads are not changes.
    const before = await count();
    await t.admin('GET', '/sites/t1/polls');
    await t.admin('GET', '/sites/t1');
    assert.equal(await count(), before);

    const { items } = await read('?site=t1');
    const [secret, comments, captcha, siteEdit, pollEdit, pollCreate] = items;
    for (const e of items) {
      assert.equal(e.actor, 'ADMIN_TOKEN');
      assert.equal(e.userId, null);
      assert.equal(e.site, 't1');
      assert.ok(!Number.isNaN(Date.parse(e.at)));
    }
    assert.deepEqual(
      items.slice(0, 6).map((e) => e.action),
      [
        'captcha.secret.rotate',
        'comment-settings.update',
        'captcha.update',
        'site.update',
        'poll.update',
        'poll.create',
      ],
    );
    assert.equal(pollCreate!.target, 'danh-gia');
    assert.equal(pollEdit!.target, 'danh-gia');
    assert.equal((pollEdit!.before as { question: string }).question, 'Bạn đánh giá thế nào?');
    assert.equal((pollEdit!.after as { question: string }).question, 'Đánh giá lại?');
    assert.deepEqual(
      [(siteEdit!.before as { name: string }).name, (siteEdit!.after as { name: string }).name],
      ['Test portal', 'Sở Tư pháp'],
    );
    assert.deepEqual((siteEdit!.after as { origins: string[] }).origins, site.origins);
    assert.deepEqual([captcha!.before, captcha!.after], [{ mode: 'code+pow' }, { mode: 'pow' }]);
    assert.deepEqual(comments!.after, settings);
    assert.equal((comments!.before as { autoApprove: boolean }).autoApprove, false);
    // The rotated secret is never in the log.
    assert.equal(secret!.before, undefined);
    assert.equal(secret!.after, undefined);
    const stored = await t.storage.db.selectFrom('audit_log').selectAll().execute();
    assert.ok(!JSON.stringify(stored).includes(rotated.json().secret));
  });

  it('records nothing for refused requests', async () => {
    const before = await count();
    await t.admin('POST', '/sites/t1/polls', { id: 'x', question: '', options: OPTIONS });
    await t.admin('PATCH', '/sites/t1/polls/nope', { question: 'Q?' });
    await t.admin('PUT', '/sites/t1/captcha', { mode: 'none' });
    await t.admin('POST', '/users', { email: 'a@b.vn', role: 'editor', password: 'short' });
    await adminClient(t.app, 'wrong-token-0123456789abcdef')('DELETE', '/sites/t1/polls/danh-gia');
    assert.equal(await count(), before);
    assert.equal((await t.admin('GET', '/sites/t1/polls/danh-gia')).statusCode, 200);
  });

  it('names sessions by user id and e-mail and tokens by name; never a password', async () => {
    const editor = await createUser(t.admin, 'editor.t2@example.gov.vn', 'editor', ['t2']);
    const send = withCookie(t.app, await signIn(t.app, editor.email));
    const res = await send('POST', '/api/v1/admin/sites/t2/polls', {
      id: 'p2',
      question: 'Q?',
      options: OPTIONS,
    });
    assert.equal(res.statusCode, 201, res.body);
    const token = (
      await t.admin('POST', '/tokens', { name: 'ci', role: 'editor', sites: ['t2'] })
    ).json().token as string;
    assert.equal(
      (await adminClient(t.app, token)('POST', '/sites/t2/polls/p2/close')).statusCode,
      200,
    );

    const { items } = await read('?site=t2');
    assert.deepEqual(
      items.map((e) => [e.action, e.actor, e.userId, e.target]),
      [
        ['poll.close', 'token:ci', null, 'p2'],
        ['poll.create', 'editor.t2@example.gov.vn', editor.id, 'p2'],
      ],
    );
    const all = await read();
    const created = all.items.find((e) => e.action === 'user.create' && e.target === editor.id);
    assert.deepEqual(created?.after, {
      email: editor.email,
      name: 'editor.t2',
      role: 'editor',
      sites: ['t2'],
      disabled: false,
    });
    const tokenEntry = all.items.find((e) => e.action === 'token.create');
    assert.deepEqual(tokenEntry?.after, { name: 'ci', role: 'editor', sites: ['t2'] });
    const stored = JSON.stringify(await t.storage.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of [PASSWORD, token, 'scrypt$']) assert.ok(!stored.includes(secret));

    // A user's own password change is logged under their name.
    const changed = await send('POST', '/api/v1/auth/password', {
      currentPassword: PASSWORD,
      newPassword: `${PASSWORD}-new`,
    });
    assert.equal(changed.statusCode, 204);
    const [latest] = (await read()).items;
    assert.deepEqual(
      [latest!.action, latest!.actor, latest!.target],
      ['user.password', editor.email, editor.id],
    );
  });

  it('shows an editor only their sites’ entries; no one can delete them', async () => {
    const editor = await createUser(t.admin, 'editor.t1@example.gov.vn', 'editor', ['t1']);
    const cookie = await signIn(t.app, editor.email);
    const send = withCookie(t.app, cookie);
    const own = await send('GET', '/api/v1/admin/audit');
    assert.equal(own.statusCode, 200, own.body);
    const items = own.json().items as AuditView[];
    assert.ok(items.length >= 6);
    assert.ok(items.every((e) => e.site === 't1'));
    const other = await send('GET', '/api/v1/admin/audit?site=t2');
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().error.code, 'forbidden');
    assert.ok((await read('?site=t2')).items.length > 0, 'there are t2 entries to hide');

    const before = await count();
    for (const method of ['DELETE', 'PUT', 'PATCH', 'POST'] as const) {
      assert.equal((await send(method, '/api/v1/admin/audit', {})).statusCode, 404);
      assert.equal((await t.admin(method, '/audit', {})).statusCode, 404);
    }
    assert.equal(await count(), before);
  });

  it('filters by action, group of actions and who made the change', async () => {
    const editor = await createUser(t.admin, 'Loc.Theo@Example.gov.vn', 'editor', ['t1']);
    const send = withCookie(t.app, await signIn(t.app, editor.email));
    const poll = { id: 'loc', question: 'Lọc?', options: OPTIONS };
    assert.equal((await send('POST', '/api/v1/admin/sites/t1/polls', poll)).statusCode, 201);
    assert.equal((await send('POST', '/api/v1/admin/sites/t1/polls/loc/close')).statusCode, 200);
    assert.equal((await t.admin('POST', '/sites/t1/polls/loc/open')).statusCode, 200);

    const byEditor = await read('?actor=loc.theo%40example.gov.vn');
    assert.deepEqual(
      byEditor.items.map((e) => [e.action, e.actor]),
      [
        ['poll.close', editor.email],
        ['poll.create', editor.email],
      ],
    );
    const polls = (await read('?site=t1&action=poll')).items;
    assert.ok(polls.length >= 5);
    assert.ok(polls.every((e) => e.action.startsWith('poll.')));
    assert.equal(polls[0]!.action, 'poll.open');
    const opened = (await read('?action=poll.open&actor=ADMIN_TOKEN')).items;
    assert.deepEqual(
      opened.map((e) => [e.target, e.actor]),
      [['loc', 'ADMIN_TOKEN']],
    );
    // A prefix that is not a whole word matches nothing: `pol` is not `poll`.
    assert.deepEqual((await read('?action=pol')).items, []);
    // An editor's filter stays within their sites.
    const own = await send('GET', '/api/v1/admin/audit?action=user');
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(own.json().items, []);
    for (const query of ['?action=poll%25', '?action=Poll', '?action=poll_', '?actor=']) {
      const res = await t.admin('GET', `/audit${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().error.code, 'invalid_request', query);
    }
  });

  it('pages newest first with an opaque cursor', async () => {
    const all = (await read('?limit=200')).items;
    assert.ok(all.length >= 8);
    const seen: AuditView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await read(query);
      assert.ok(page.items.length <= 3);
      seen.push(...page.items);
      cursor = page.next;
    } while (cursor);
    assert.deepEqual(
      seen.map((e) => e.id),
      all.map((e) => e.id),
    );
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]!.at >= seen[i]!.at, 'newest first');

    for (const query of ['?cursor=bm9wZQ', '?limit=0', '?limit=500', '?site=Bad%20Site', '?x=1']) {
      const res = await t.admin('GET', `/audit${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(typeof res.json().error.code, 'string');
    }
  });
});
