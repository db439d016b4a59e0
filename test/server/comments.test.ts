import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { COMMENT_POSTS_PER_HOUR } from '../../src/server/comments/routes.js';
import {
  CommentStore,
  fold,
  SALT_KEEP_DAYS,
  type NewCommentRow,
} from '../../src/server/comments/store.js';
import { ipPrefix } from '../../src/server/core/net.js';
import { DEMO_ORIGIN, testApp, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

const DAY = 86_400_000;
const EMAIL = 'nguoi.dan@example.vn';

let ipCounter = 0;
/** A fresh client address per call, so the per-IP post limit never trips by accident. */
const freshIp = () => {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

const thread = (t: string) => encodeURIComponent(t);

/** A comment as the store takes it: these defaults, `fields` on top. */
const newRow = (fields: Partial<NewCommentRow> = {}): NewCommentRow => ({
  site: 't1',
  thread: '/x',
  name: 'A',
  email: EMAIL,
  title: '',
  content: 'x',
  status: 'pending',
  ipHash: 'h',
  saltDay: '2000-01-01',
  ...fields,
});

function body(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Nguyễn Văn A',
    email: EMAIL,
    title: 'Góp ý',
    content: 'Nội dung góp ý\nDòng hai',
    ...overrides,
  };
}

describeEngines('comments', (engine) => {
  let clock = Date.now();
  const answers = new Map<string, string>();
  /** Every public response body, checked at the end for e-mails, IPs and hashes. */
  const publicBodies: string[] = [];
  const usedIps = new Set<string>();
  let logs = '';
  const t = useTestApp(engine, {
    sites: ['t1', 't2'],
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
    now: () => clock,
    logger: {
      level: 'trace',
      stream: new Writable({ write: (chunk, _enc, cb) => ((logs += chunk.toString()), cb()) }),
    },
    // Every request's lines (LOG_REQUESTS=on): what they carry is checked too.
    config: { logRequests: true },
  });
  const { admin } = t;

  const store = (now = () => Date.now()) => new CommentStore(t.storage.db, now);
  const count = async (site = 't1') =>
    Number(
      (
        await t.storage.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('site', '=', site)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const track = (res: LightMyRequestResponse) => (publicBodies.push(res.body), res);

  /** Issues a challenge for `site`/`action` and returns a correctly solved token. */
  async function solve(site = 't1', action = 'comment'): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site}/captcha`,
      remoteAddress: freshIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ action }),
    });
    assert.equal(res.statusCode, 200, res.body);
    const { id } = res.json() as { id: string };
    const answer = answers.get(id);
    assert.ok(answer, 'the seam handed over the answer');
    return `c1.${id}.${answer}`;
  }

  async function post(
    payload: unknown,
    opts: {
      site?: string;
      thread?: string;
      ip?: string;
      headers?: Record<string, string>;
      raw?: string;
    } = {},
  ) {
    const ip = opts.ip ?? freshIp();
    usedIps.add(ip);
    return track(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/sites/${opts.site ?? 't1'}/threads/${thread(opts.thread ?? '/tin-tuc/123')}/comments`,
        remoteAddress: ip,
        headers: { 'content-type': 'application/json', ...opts.headers },
        payload: opts.raw ?? JSON.stringify(payload),
      }),
    );
  }
  const list = async (path = '/tin-tuc/123', cursor?: string, site = 't1') =>
    track(
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/sites/${site}/threads/${thread(path)}/comments${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      }),
    );
  const pendingIds = async (q = '') =>
    (await admin('GET', `/sites/t1/comments?status=pending&limit=100${q}`))
      .json()
      .items.map((c: { id: string }) => c.id) as string[];

  it('stores a new comment as pending (202) and lists it only once approved', async () => {
    const res = await post(body({ captcha: await solve(), title: 'Tiêu đề 1' }), {
      thread: '/tin-tuc/1',
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json(), { status: 'pending' });
    assert.deepEqual(
      (await list('/tin-tuc/1')).json(),
      { items: [], total: 0, next: null },
      'pending comments are not public',
    );

    const [id] = await pendingIds();
    assert.ok(id);
    const approved = await admin('POST', `/sites/t1/comments/${id}/approve`);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'approved');

    const page = (await list('/tin-tuc/1')).json();
    assert.equal(page.total, 1);
    assert.equal(page.next, null);
    const [item] = page.items;
    assert.deepEqual(Object.keys(item).sort(), ['content', 'createdAt', 'id', 'name', 'title']);
    assert.equal(item.name, 'Nguyễn Văn A');
    assert.equal(item.title, 'Tiêu đề 1');
    assert.equal(item.content, 'Nội dung góp ý\nDòng hai', 'line breaks survive');
    assert.ok(!Number.isNaN(Date.parse(item.createdAt)));

    const row = await store().get('t1', id);
    assert.equal(row?.email, EMAIL, 'the e-mail is stored for the moderators');
    assert.equal(row?.thread, '/tin-tuc/1');
  });

  it('keeps threads and sites apart, and refuses bad thread ids and unknown sites', async () => {
    const s = store();
    await s.create(newRow({ thread: '/tin-tuc/2', status: 'approved' }));
    await s.create(
      newRow({ site: 't2', thread: '/tin-tuc/2', name: 'B', content: 'y', status: 'approved' }),
    );
    await s.create(newRow({ thread: '/tin-tức/2', name: 'C', content: 'z', status: 'approved' }));
    assert.deepEqual(
      (await list('/tin-tuc/2')).json().items.map((c: { name: string }) => c.name),
      ['A'],
    );
    assert.deepEqual(
      (await list('/tin-tuc/2', undefined, 't2')).json().items.map((c: { name: string }) => c.name),
      ['B'],
    );
    assert.deepEqual(
      (await list('/tin-tức/2')).json().items.map((c: { name: string }) => c.name),
      ['C'],
      'Unicode paths are threads too',
    );
    const long = `/tin-tức/${'ữ'.repeat(150)}`;
    assert.equal(
      (await list(long)).statusCode,
      200,
      'a long Unicode thread fits in one path segment',
    );
    for (const bad of ['/a b', '/a\nb', `/${'x'.repeat(200)}`, '/<script>', '/a"b']) {
      const res = await list(bad);
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().error.code, 'invalid_thread', bad);
      const p = await post(body({ captcha: 'c1.x.y' }), { thread: bad });
      assert.equal(p.json().error.code, 'invalid_thread', bad);
    }
    assert.equal((await list('/x', undefined, 'nope')).statusCode, 404);
    const unknown = await post(body({ captcha: await solve() }), { site: 'nope' });
    assert.equal(unknown.statusCode, 404);
  });

  it('pages approved comments newest first, 10 a page, with an opaque cursor', async () => {
    const base = Date.now() - 1000 * DAY;
    const s = store();
    // 23 comments; some share a timestamp, so the id breaks ties.
    for (let i = 0; i < 23; i++) {
      await s.create(
        newRow({ thread: '/paged', name: `N${i}`, content: `c${i}`, status: 'approved' }),
        base + Math.floor(i / 2) * 1000,
      );
    }
    await s.create(newRow({ thread: '/paged', name: 'pending', content: 'p' }), base + 99_000);
    await s.create(
      newRow({ thread: '/paged', name: 'rejected', content: 'r', status: 'rejected' }),
      base + 99_000,
    );
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    let previous = Infinity;
    do {
      const page = (await list('/paged', cursor)).json();
      assert.equal(page.total, 23);
      sizes.push(page.items.length);
      for (const item of page.items) {
        const at = Date.parse(item.createdAt);
        assert.ok(at <= previous, 'newest first');
        previous = at;
        seen.push(item.name);
      }
      cursor = page.next ?? undefined;
      if (cursor) assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    } while (cursor);
    assert.deepEqual(sizes, [10, 10, 3]);
    assert.equal(new Set(seen).size, 23, 'no comment twice, none skipped');
    assert.ok(!seen.includes('pending') && !seen.includes('rejected'));

    for (const bad of ['abc', Buffer.from('1.x').toString('base64url'), 'a'.repeat(65), '!!']) {
      const res = await list('/paged', bad);
      assert.equal(res.statusCode, 400, bad);
      assert.match(res.json().error.code, /^invalid_(cursor|request)$/);
    }
  });

  it('names the field of every invalid input, stores nothing and leaves the captcha unused', async () => {
    const token = await solve();
    const before = await count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: undefined }, 'invalid_name'],
      [{ name: '   ' }, 'invalid_name'],
      [{ name: 'x'.repeat(81) }, 'invalid_name'],
      [{ name: 'A\u0007B' }, 'invalid_name'],
      [{ name: 'A\nB' }, 'invalid_name'],
      [{ name: 42 }, 'invalid_name'],
      [{ email: undefined }, 'invalid_email'],
      [{ email: '' }, 'invalid_email'],
      [{ email: 'not-an-email' }, 'invalid_email'],
      [{ email: 'a@b' }, 'invalid_email'],
      [{ email: 'a b@example.vn' }, 'invalid_email'],
      [{ email: `${'a'.repeat(250)}@example.vn` }, 'invalid_email'],
      [{ title: 'x'.repeat(151) }, 'invalid_title'],
      [{ title: 'a\tb' }, 'invalid_title'],
      [{ content: undefined }, 'invalid_content'],
      [{ content: '' }, 'invalid_content'],
      [{ content: ' \n ' }, 'invalid_content'],
      [{ content: 'x'.repeat(3001) }, 'invalid_content'],
      [{ content: 'a\u0000b' }, 'invalid_content'],
      [{ content: 'a\u001b[31mb' }, 'invalid_content'],
      [{ content: 'a\u0085b' }, 'invalid_content'],
      [{ captcha: 12 }, 'captcha_invalid'],
      [{ extra: 1 }, 'invalid_request'],
    ];
    for (const [change, code] of cases) {
      const res = await post(body({ captcha: token, ...change }));
      assert.equal(res.statusCode, 400, `${JSON.stringify(change).slice(0, 60)} → ${res.body}`);
      const error = res.json().error;
      assert.equal(error.code, code, JSON.stringify(change).slice(0, 60));
      const field =
        code === 'invalid_request'
          ? 'extra'
          : code === 'captcha_invalid'
            ? 'captcha'
            : code.slice(8);
      assert.match(error.message, new RegExp(`"${field}"`), 'the message names the field');
      assert.ok(!error.message.includes(EMAIL), 'the message never echoes the value');
    }
    const plain = await post(undefined, {
      raw: JSON.stringify(body({ captcha: token })),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(plain.statusCode, 415);
    assert.equal(plain.json().error.code, 'unsupported_media_type');
    const broken = await post(undefined, { raw: '{"name":' });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'invalid_json');
    const array = await post([body({ captcha: token })]);
    assert.equal(array.statusCode, 400);
    const huge = await post(body({ captcha: token, content: 'x'.repeat(20_000) }));
    assert.equal(huge.statusCode, 413);
    assert.equal(await count(), before, 'nothing stored');

    // The captcha was not used up by any of those: it still works once.
    const ok = await post(
      body({ captcha: token, content: 'Hợp lệ\r\nsau khi sửa', title: undefined }),
    );
    assert.equal(ok.statusCode, 202, ok.body);
    const stored = await store().listForModeration('t1', { q: 'hop le', limit: 5 });
    assert.equal(stored.rows[0]?.content, 'Hợp lệ\nsau khi sửa', 'CRLF is stored as LF');
    assert.equal(stored.rows[0]?.title, '', 'the title is optional');
  });

  it('refuses a missing, wrong, malformed, replayed, expired or foreign captcha', async () => {
    const before = await count();
    const expect = async (captcha: string | undefined, code: string, what: string) => {
      const res = await post(body({ captcha }));
      assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
      assert.equal(res.json().error.code, code, what);
    };
    await expect(undefined, 'captcha_required', 'missing');
    await expect('', 'captcha_required', 'empty');
    await expect('garbage', 'captcha_invalid', 'malformed');
    const right = await solve();
    const wrong = right.replace(/\.[^.]+$/, '.ZZZZZZ');
    await expect(wrong, 'captcha_invalid', 'wrong code');
    await expect(await solve('t2'), 'captcha_mismatch', 'issued for another site');
    await expect(await solve('t1', 'contact'), 'captcha_mismatch', 'issued for another action');
    const late = await solve();
    clock += 11 * 60_000;
    try {
      await expect(late, 'captcha_expired', 'expired');
    } finally {
      clock = Date.now();
    }
    assert.equal(await count(), before, 'nothing stored');

    const solved = await solve();
    assert.equal((await post(body({ captcha: solved }))).statusCode, 202);
    await expect(solved, 'captcha_used', 'replay of a solved challenge');
    assert.equal(await count(), before + 1);
  });

  it('lets exactly one of two concurrent posts with one challenge through', async () => {
    const before = await count();
    const token = await solve();
    const results = await Promise.all([
      post(body({ captcha: token, content: 'one' })),
      post(body({ captcha: token, content: 'two' })),
    ]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [202, 400]);
    assert.equal(results.find((r) => r.statusCode === 400)!.json().error.code, 'captcha_used');
    assert.equal(await count(), before + 1, 'exactly one stored');
  });

  it('refuses a filled honeypot with spam_detected and stores nothing', async () => {
    const before = await count();
    const token = await solve();
    const res = await post(body({ captcha: token, website: 'http://spam.example' }));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'spam_detected');
    assert.match(res.json().error.message, /"website"/);
    assert.equal(await count(), before);
    assert.equal(
      (await post(body({ captcha: token, website: '' }))).statusCode,
      202,
      'an empty honeypot is fine, and the captcha was still unused',
    );
  });

  it('bans the network of a comment (not the IP itself), across salt days, until lifted', async () => {
    const ip = '2001:db8:aa:bb::1';
    assert.equal(
      (await post(body({ captcha: await solve(), content: 'spam spam' }), { ip })).statusCode,
      202,
    );
    const [id] = await pendingIds('&q=spam%20spam');
    const row = await store().get('t1', id!);
    assert.ok(
      row && row.ip_hash.length >= 40 && !row.ip_hash.includes('2001'),
      'a hash, not the address',
    );
    const columns = Object.keys(row!);
    assert.ok(!columns.some((c) => /^ip$|addr/.test(c)), 'no raw IP column');

    const ban = await admin('POST', `/sites/t1/comments/${id}/ban`, { days: 2 });
    assert.equal(ban.statusCode, 200, ban.body);
    assert.equal(ban.json().banned, true);
    assert.ok(!ban.body.includes(row!.ip_hash), 'the admin API does not hand out the hash either');
    assert.equal((await admin('GET', `/sites/t1/comments/${id}`)).json().banned, true);

    const before = await count();
    const refused = await post(body({ captcha: await solve() }), { ip: '2001:db8:aa:bb:ffff::2' });
    assert.equal(refused.statusCode, 403, 'same /64');
    assert.equal(refused.json().error.code, 'banned');
    assert.equal(await count(), before);
    assert.equal(
      (await post(body({ captcha: await solve() }), { ip: '2001:db8:aa:cc::1' })).statusCode,
      202,
      'another network',
    );
    assert.equal(
      (await post(body({ captcha: await solve('t2') }), { ip, site: 't2' })).statusCode,
      202,
      'bans are per site',
    );

    // Tomorrow the network hashes differently, yet the ban still recognises it; after it expires, not.
    assert.equal(await store(() => Date.now() + DAY).isBanned('t1', ipPrefix(ip)), true);
    assert.notEqual(
      (await store(() => Date.now() + DAY).ipHash('t1', ipPrefix(ip))).hash,
      row!.ip_hash,
    );
    assert.equal(await store(() => Date.now() + 3 * DAY).isBanned('t1', ipPrefix(ip)), false);

    const lifted = await admin('DELETE', `/sites/t1/comments/${id}/ban`);
    assert.deepEqual(lifted.json(), { banned: false });
    assert.equal((await post(body({ captcha: await solve() }), { ip })).statusCode, 202);

    // A comment older than the salt window cannot be banned any more: said clearly.
    const old = await store().create(newRow());
    const gone = await admin('POST', `/sites/t1/comments/${old.id}/ban`);
    assert.equal(gone.statusCode, 409);
    assert.equal(gone.json().error.code, 'ban_unavailable');
    assert.equal((await admin('POST', '/sites/t1/comments/AAAAAAAAAAAAAAAA/ban')).statusCode, 404);
  });

  it('limits posting per IP prefix: 5 a minute in memory, and a per-hour ceiling in the database', async () => {
    const ip = '198.51.100.50';
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        (await post(body({ captcha: await solve(), content: `r${i}` }), { ip })).statusCode,
      );
    assert.deepEqual(codes, [202, 202, 202, 202, 202, 429]);

    // The hourly ceiling is counted in the database, so it holds across instances and restarts.
    const other = '198.51.100.51';
    const s = store();
    const { hash, day } = await s.ipHash('t1', ipPrefix(other));
    for (let i = 0; i < COMMENT_POSTS_PER_HOUR; i++) {
      await s.create(newRow({ ipHash: hash, saltDay: day }), Date.now() - 30 * 60_000);
    }
    const before = await count();
    const limited = await post(body({ captcha: await solve() }), { ip: other });
    assert.equal(limited.statusCode, 429, limited.body);
    assert.equal(limited.json().error.code, 'rate_limited');
    const retry = Number(limited.headers['retry-after']);
    assert.ok(retry > 25 * 60 && retry <= 30 * 60 + 5, `Retry-After ${retry}`);
    assert.equal(await count(), before);
  });

  it('approves at once when the site says so (201 with the comment, still without the e-mail)', async () => {
    assert.deepEqual((await admin('GET', '/sites/t2/comment-settings')).json(), {
      autoApprove: false,
      purgeDays: 30,
    });
    const set = await admin('PUT', '/sites/t2/comment-settings', {
      autoApprove: true,
      purgeDays: 14,
    });
    assert.equal(set.statusCode, 200);
    assert.equal(
      (await admin('PUT', '/sites/t2/comment-settings', { autoApprove: 'yes', purgeDays: 14 }))
        .statusCode,
      400,
    );
    assert.equal(
      (await admin('PUT', '/sites/nope/comment-settings', { autoApprove: true, purgeDays: 1 }))
        .statusCode,
      404,
    );
    const res = await post(body({ captcha: await solve('t2'), content: 'Tự động duyệt' }), {
      site: 't2',
      thread: '/auto',
    });
    assert.equal(res.statusCode, 201, res.body);
    const { status, comment } = res.json();
    assert.equal(status, 'approved');
    assert.deepEqual(Object.keys(comment).sort(), ['content', 'createdAt', 'id', 'name', 'title']);
    assert.equal((await list('/auto', undefined, 't2')).json().items[0].id, comment.id);
    await admin('PUT', '/sites/t2/comment-settings', { autoApprove: false, purgeDays: 30 });
  });

  it('moderates: list by status with search, reject, delete, bulk actions, official reply', async () => {
    const s = store();
    const mk = (name: string, content: string, status: 'pending' | 'approved' = 'pending') =>
      s.create(newRow({ thread: '/mod', name, title: 'Về dịch vụ công', content, status }));
    const a = await mk('Trần Thị Huế', 'Đường sá ở Huế cần sửa');
    const b = await mk('Lê B', 'Cảm ơn cơ quan');
    const c = await mk('Phạm C', 'Đề nghị trả lời');

    const search = async (q: string, status = 'pending') =>
      (await admin('GET', `/sites/t1/comments?status=${status}&q=${encodeURIComponent(q)}`))
        .json()
        .items.map((x: { id: string }) => x.id);
    assert.deepEqual(await search('hue'), [a.id], 'search ignores case and diacritics');
    assert.deepEqual(await search('ĐƯỜNG SÁ'), [a.id]);
    assert.deepEqual(await search('co quan'), [b.id]);
    assert.deepEqual(await search('100%'), [], 'LIKE wildcards are literal');
    assert.equal((await admin('GET', '/sites/t1/comments?status=maybe')).statusCode, 400);
    const listed = (
      await admin(
        'GET',
        `/sites/t1/comments?status=pending&q=${encodeURIComponent('dịch vụ công')}`,
      )
    ).json();
    assert.equal(listed.total, 3);
    assert.equal(listed.items[0].email, EMAIL, 'moderators see the e-mail (only they do)');
    assert.ok(!('ip_hash' in listed.items[0]) && !JSON.stringify(listed).includes('"h"'));

    const rejected = await admin('POST', `/sites/t1/comments/${a.id}/reject`);
    assert.equal(rejected.json().status, 'rejected');
    assert.deepEqual(await search('hue', 'rejected'), [a.id]);

    const bulk = await admin('POST', '/sites/t1/comments/bulk', {
      action: 'approve',
      ids: [b.id, c.id, 'AAAAAAAAAAAAAAAA'],
    });
    assert.deepEqual(bulk.json(), { changed: 2 });
    assert.equal((await list('/mod')).json().total, 2);
    assert.equal(
      (await admin('POST', '/sites/t1/comments/bulk', { action: 'reject', ids: [] })).statusCode,
      400,
    );
    assert.equal(
      (await admin('POST', '/sites/t1/comments/bulk', { action: 'nuke', ids: [b.id] })).statusCode,
      400,
    );
    assert.equal(
      (
        await admin('POST', '/sites/t1/comments/bulk', {
          action: 'delete',
          ids: Array.from({ length: 101 }, (_, i) => `A${String(i).padStart(15, '0')}`),
        })
      ).statusCode,
      400,
    );

    const reply = await admin('PUT', `/sites/t1/comments/${c.id}/reply`, {
      content: 'Sở Giao thông đã tiếp nhận.\nXin cảm ơn.',
    });
    assert.equal(reply.statusCode, 200, reply.body);
    const item = (await list('/mod')).json().items.find((x: { id: string }) => x.id === c.id);
    assert.equal(item.reply.content, 'Sở Giao thông đã tiếp nhận.\nXin cảm ơn.');
    assert.ok(!Number.isNaN(Date.parse(item.reply.createdAt)));
    assert.equal(
      (await admin('PUT', `/sites/t1/comments/${c.id}/reply`, { content: 'a\u0000' })).statusCode,
      400,
    );
    assert.equal((await admin('DELETE', `/sites/t1/comments/${c.id}/reply`)).statusCode, 200);
    assert.equal(
      (await list('/mod')).json().items.find((x: { id: string }) => x.id === c.id).reply,
      undefined,
    );

    assert.equal((await admin('DELETE', `/sites/t1/comments/${b.id}`)).statusCode, 204);
    assert.equal((await admin('DELETE', `/sites/t1/comments/${b.id}`)).statusCode, 404);
    assert.deepEqual(
      (
        await admin('POST', '/sites/t1/comments/bulk', { action: 'delete', ids: [a.id, c.id] })
      ).json(),
      { changed: 2 },
    );
    assert.equal((await list('/mod')).json().total, 0);

    assert.equal((await admin('POST', `/sites/t1/comments/bad-id/approve`)).statusCode, 400);
    assert.equal(
      (await admin('POST', `/sites/t1/comments/AAAAAAAAAAAAAAAA/approve`)).statusCode,
      404,
    );
    assert.equal((await admin('GET', '/sites/nope/comments')).statusCode, 404);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/admin/sites/t1/comments' })).statusCode,
      401,
    );
    assert.equal(
      (
        await admin('POST', `/sites/t1/comments/${a.id}/approve`, undefined, {
          'sec-fetch-site': 'cross-site',
        })
      ).statusCode,
      403,
    );
  });

  it('purges old pending comments on demand and by the per-site timer, keeping the rest', async () => {
    await t.storage.db.deleteFrom('comments').where('status', '=', 'pending').execute();
    const s = store();
    const mk = (status: 'pending' | 'approved', daysAgo: number, site = 't1') =>
      s.create(
        newRow({ site, thread: '/purge', name: `${status}${daysAgo}`, status }),
        Date.now() - daysAgo * DAY,
      );
    await mk('pending', 10);
    await mk('pending', 2);
    await mk('approved', 10);
    const purged = await admin('POST', '/sites/t1/comments/purge', { olderThanDays: 7 });
    assert.deepEqual(purged.json(), { purged: 1 });
    const names = async (site = 't1') =>
      (
        await t.storage.db
          .selectFrom('comments')
          .select('name')
          .where('thread', '=', '/purge')
          .where('site', '=', site)
          .orderBy('name')
          .execute()
      ).map((r) => r.name);
    assert.deepEqual(await names(), ['approved10', 'pending2']);
    assert.equal(
      (await admin('POST', '/sites/t1/comments/purge', { olderThanDays: -1 })).statusCode,
      400,
    );

    // The timer's job: each site's own setting (t1: 30 days by default; t2: 1 day; 0 = never).
    await mk('pending', 40);
    await mk('pending', 3, 't2');
    await admin('PUT', '/sites/t2/comment-settings', { autoApprove: false, purgeDays: 1 });
    const result = await s.maintain();
    assert.ok(result.purged >= 2);
    assert.deepEqual(await names(), ['approved10', 'pending2']);
    assert.deepEqual(await names('t2'), []);
    await admin('PUT', '/sites/t2/comment-settings', { autoApprove: false, purgeDays: 0 });
    await mk('pending', 400, 't2');
    await s.maintain();
    assert.deepEqual(await names('t2'), ['pending400'], 'purgeDays 0 keeps them');
    await admin('PUT', '/sites/t2/comment-settings', { autoApprove: false, purgeDays: 30 });

    // The hourly round (core/maintenance.ts) runs it: a fresh app does once the round is due.
    await mk('pending', 31);
    await t.storage.db.updateTable('maintenance_runs').set({ next_at: 0 }).execute();
    const second = await testApp(await t.engine.open());
    try {
      const deadline = Date.now() + 5000;
      while ((await names()).includes('pending31') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(!(await names()).includes('pending31'), 'the due round purged it on start');
    } finally {
      await second.close();
    }
  });

  it('rotates salts daily and deletes old ones unless a live ban needs them', async () => {
    // 100 days ago, so that the clean-ups below never touch today's salt.
    const at = (days: number) => store(() => Date.now() + (days - 100) * DAY);
    const prefix = '203.0.113.9';
    const today = await at(0).ipHash('t1', prefix);
    const later = await at(1).ipHash('t1', prefix);
    assert.notEqual(today.hash, later.hash, 'a new salt each day');
    assert.equal((await at(0).ipHash('t1', prefix)).hash, today.hash, 'stable within the day');
    assert.notEqual((await at(0).ipHash('t2', prefix)).hash, today.hash, 'per site');

    // A banned comment from today keeps today's salt alive past the window; others go.
    const c = await at(0).create(
      newRow({ thread: '/salt', ipHash: today.hash, saltDay: today.day }),
    );
    const ban = await at(0).ban('t1', c.id, 30);
    assert.ok(typeof ban === 'object');
    await at(2).ipHash('t1', prefix); // a salt for day +2, unbanned
    const days = async () =>
      (
        await t.storage.db
          .selectFrom('daily_salts')
          .select('day')
          .where('scope', '=', 'comment')
          .execute()
      ).map((r) => r.day);
    await at(SALT_KEEP_DAYS + 3).maintain();
    const left = await days();
    assert.ok(left.includes(today.day), 'kept: a live ban needs it');
    assert.ok(!left.includes(later.day), 'deleted: older than the window and unbanned');
    assert.equal(await at(SALT_KEEP_DAYS + 3).isBanned('t1', prefix), true);
    await at(31).maintain();
    assert.ok(!(await days()).includes(today.day), 'deleted once the ban expired');
    assert.equal(await at(31).isBanned('t1', prefix), false);
  });

  it('folds text for search', () => {
    assert.equal(fold('Đường Sá ở HUẾ'), 'duong sa o hue');
  });

  it('never puts an e-mail, an IP or a hash of either in a public response or a log line', async () => {
    // One more request through a trusted-proxy-free path with X-Forwarded-For, and an error.
    await post(body({ captcha: await solve(), email: 'khac@example.vn' }), {
      headers: { 'x-forwarded-for': '192.0.2.200', origin: DEMO_ORIGIN },
    });
    await post(body({ captcha: 'c1.x.y', email: 'loi@example.vn' }));
    // Today's hash of every address used, on both sites (what a leak would show).
    const hashes: string[] = [];
    for (const ip of usedIps)
      for (const site of ['t1', 't2']) hashes.push((await store().ipHash(site, ipPrefix(ip))).hash);
    const stored = (
      await t.storage.db.selectFrom('comments').select('ip_hash').distinct().execute()
    ).map((r) => r.ip_hash);
    assert.ok(
      hashes.filter((h) => stored.includes(h)).length >= 2,
      'the hashes checked are the stored ones',
    );
    assert.ok(usedIps.size > 10, `ips: ${usedIps.size}`);
    assert.ok(publicBodies.length > 40, `bodies: ${publicBodies.length}`);
    assert.ok(logs.includes('/comments'), 'requests were logged');
    for (const secret of [
      EMAIL,
      'khac@example.vn',
      'loi@example.vn',
      '192.0.2.200',
      ...usedIps,
      ...hashes,
    ]) {
      for (const b of publicBodies)
        assert.ok(!b.includes(secret), `a public response contains ${secret}`);
      assert.ok(!logs.includes(secret), `the log contains ${secret}`);
    }
  });
});
