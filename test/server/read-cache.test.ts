/**
 * The read cache (core/read-cache.ts) behind the public read paths: every write shows in the next
 * read, `If-None-Match` gets 304 for the current ETag only, sites / threads / voters are never
 * mixed, large answers go out pre-compressed, a poll's view ends when the poll opens or closes,
 * and a change on one instance reaches the cache of another through the change bus.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { LocalChanges } from '../../src/server/core/changes.js';
import { CommentStore } from '../../src/server/comments/store.js';
import { DEMO_POLL } from '../../src/server/polls/seed.js';
import { ADMIN_TOKEN, DEMO_ORIGIN, testApp, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { voterToken } from '../helpers/voters.js';

type Reply = LightMyRequestResponse;
const OPTIONS = DEMO_POLL.options;

describeEngines('read cache', (engine) => {
  const answers = new Map<string, string>();
  /** Shared with the second instance of the last test: what a Redis or NOTIFY bus does between processes. */
  const bus = new LocalChanges();
  const t = useTestApp(engine, {
    sites: ['t1', 't2'],
    changes: bus,
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
  });
  const { admin } = t;
  let ip = 0;
  const nextIp = () => `198.51.100.${++ip}`;

  const get = (url: string, headers: Record<string, string> = {}, app?: FastifyInstance) =>
    (app ?? t.app).inject({ method: 'GET', url: `/api/v1/sites${url}`, headers });
  const ok = (res: Reply, what: string) => {
    assert.equal(res.statusCode, 200, `${what}: ${res.body}`);
    return res;
  };
  const pollUrl = (site: string, poll: string, voter?: string) =>
    `/${site}/polls/${poll}${voter ? `?voter=${encodeURIComponent(voter)}` : ''}`;
  const vote = (poll: string, voter: string, choices: string[], app?: FastifyInstance) =>
    (app ?? t.app).inject({
      method: 'POST',
      url: `/api/v1/sites/t1/polls/${poll}/votes`,
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ choices, voter }),
    });
  const newToken = (poll: string) => voterToken(t.app, 't1', poll, nextIp());

  it('lists: an edit shows in the next read, 304 only for the current ETag, sites kept apart', async () => {
    for (const [site, text] of [
      ['t1', 'Khẩu hiệu của t1'],
      ['t2', 'Khẩu hiệu của t2'],
    ]) {
      const res = await admin('POST', `/sites/${site}/slogans`, { id: 'kh', items: [{ text }] });
      assert.equal(res.statusCode, 201, res.body);
    }
    const first = ok(await get('/t1/slogans/kh'), 't1');
    const etag = first.headers.etag as string;
    assert.equal(first.json().items[0].text, 'Khẩu hiệu của t1');
    assert.equal(ok(await get('/t2/slogans/kh'), 't2').json().items[0].text, 'Khẩu hiệu của t2');
    assert.notEqual((await get('/t2/slogans/kh')).headers.etag, etag, 'each site its own answer');
    assert.equal((await get('/t1/slogans/kh')).body, first.body, 'the same bytes again');
    // The answers carry no language: a reader in Vietnamese and one in English get the same bytes.
    const vi = await get('/t1/slogans/kh', { 'accept-language': 'vi-VN' });
    const en = await get('/t1/slogans/kh', { 'accept-language': 'en' });
    assert.equal(vi.body, en.body);
    assert.equal(vi.headers.etag, en.headers.etag);

    const notModified = await get('/t1/slogans/kh', { 'if-none-match': etag });
    assert.equal(notModified.statusCode, 304);
    assert.equal(notModified.body, '');
    assert.equal(notModified.headers.etag, etag);
    assert.match(String(notModified.headers.vary), /Origin/);

    const edited = await admin('PUT', '/sites/t1/slogans/kh', { items: [{ text: 'Mới' }] });
    assert.equal(edited.statusCode, 200, edited.body);
    const after = ok(await get('/t1/slogans/kh', { 'if-none-match': etag }), 'after the edit');
    assert.deepEqual(after.json().items, [{ text: 'Mới' }]);
    assert.notEqual(after.headers.etag, etag);
    assert.equal(
      ok(await get('/t2/slogans/kh'), 't2 after').json().items[0].text,
      'Khẩu hiệu của t2',
      'the other site keeps its list',
    );

    const order = await admin('GET', '/sites/t1/slogans/kh');
    assert.equal(
      (await admin('PUT', '/sites/t1/slogans/kh', { title: 'Tiêu đề', items: order.json().items }))
        .statusCode,
      200,
    );
    assert.equal(ok(await get('/t1/slogans/kh'), 'title').json().title, 'Tiêu đề');
    assert.equal((await admin('DELETE', '/sites/t1/slogans/kh')).statusCode, 204);
    assert.equal((await get('/t1/slogans/kh')).statusCode, 404, 'deleted: gone from the cache');
    assert.equal((await get('/t2/slogans/kh')).statusCode, 200);
    // A list created again under the same id is read afresh.
    await admin('POST', '/sites/t1/slogans', { id: 'kh', items: [{ text: 'Lại' }] });
    assert.deepEqual(ok(await get('/t1/slogans/kh'), 'again').json().items, [{ text: 'Lại' }]);
  });

  it('lists: a large answer is kept compressed (br, gzip) with its own ETag and Vary', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      text: `Cổng dịch vụ công trực tuyến số ${i}`,
      href: `https://dichvucong.gov.vn/p/${i}`,
    }));
    assert.equal((await admin('POST', '/sites/t1/links', { id: 'lk', items })).statusCode, 201);
    const plain = ok(await get('/t1/links/lk', { origin: DEMO_ORIGIN }), 'identity');
    assert.ok(plain.rawPayload.length > 1024, `large: ${plain.rawPayload.length} bytes`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['access-control-allow-origin'], DEMO_ORIGIN);
    const vary = String(plain.headers.vary).split(/\s*,\s*/);
    assert.deepEqual(vary.sort(), ['Accept-Encoding', 'Origin']);

    const br = ok(await get('/t1/links/lk', { 'accept-encoding': 'gzip, deflate, br' }), 'br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(br.rawPayload.length < plain.rawPayload.length);
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
    const gz = ok(await get('/t1/links/lk', { 'accept-encoding': 'br;q=0, gzip' }), 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
    const etags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
    assert.equal(etags.size, 3, 'one ETag per coding');

    const brAgain = await get('/t1/links/lk', {
      'accept-encoding': 'br',
      'if-none-match': br.headers.etag as string,
    });
    assert.equal(brAgain.statusCode, 304);
    assert.equal(brAgain.headers['content-encoding'], undefined, 'a 304 has no body to encode');
    const mismatch = await get('/t1/links/lk', {
      'accept-encoding': 'br',
      'if-none-match': plain.headers.etag as string,
    });
    assert.equal(mismatch.statusCode, 200, 'the ETag of another coding does not match');
  });

  it('polls: a vote shows in the next read; what a voter chose is never shared', async () => {
    const created = await admin('POST', '/sites/t1/polls', {
      id: 'cache-poll',
      question: 'Câu hỏi?',
      options: OPTIONS,
    });
    assert.equal(created.statusCode, 201, created.body);
    const [a, b, c] = [
      await newToken('cache-poll'),
      await newToken('cache-poll'),
      await newToken('cache-poll'),
    ];
    assert.notEqual(a, b, 'a new token each time');
    // A reader without a token gets the shared view, revalidated by its ETag like any other.
    const anon = ok(await get(pollUrl('t1', 'cache-poll')), 'anonymous');
    assert.equal(anon.headers['cache-control'], 'private, no-cache');
    assert.equal(anon.json().voterToken, undefined);
    assert.equal(
      (await get(pollUrl('t1', 'cache-poll'), { 'if-none-match': anon.headers.etag as string }))
        .statusCode,
      304,
    );

    const before = ok(await get(pollUrl('t1', 'cache-poll', a)), 'a before');
    assert.equal(before.json().voted, false);
    assert.equal(before.json().results.voters, 0);
    assert.equal(before.json().voterToken, undefined);
    assert.equal(before.headers['cache-control'], 'private, no-cache');
    const etag = before.headers.etag as string;
    const same = await get(pollUrl('t1', 'cache-poll', a), { 'if-none-match': etag });
    assert.equal(same.statusCode, 304);

    assert.equal(ok(await vote('cache-poll', a, ['tot']), 'vote a').json().counted, true);
    const afterA = ok(
      await get(pollUrl('t1', 'cache-poll', a), { 'if-none-match': etag }),
      'a after',
    );
    assert.equal(afterA.json().voted, true);
    assert.deepEqual(afterA.json().choices, ['tot']);
    assert.equal(afterA.json().results.voters, 1);
    const forB = ok(await get(pollUrl('t1', 'cache-poll', b), { 'if-none-match': etag }), 'b');
    assert.equal(forB.json().voted, false, "a's vote is not b's");
    assert.equal(forB.json().choices, undefined);
    assert.equal(forB.json().results.voters, 1, 'but b sees the new tally');
    assert.equal(ok(await get(pollUrl('t1', 'cache-poll')), 'anon').json().results.voters, 1);

    assert.equal(ok(await vote('cache-poll', c, ['rat-tot']), 'vote c').json().counted, true);
    const forC = ok(await get(pollUrl('t1', 'cache-poll', c)), 'c').json();
    assert.deepEqual([forC.voted, forC.choices, forC.results.voters], [true, ['rat-tot'], 2]);
    const forA = ok(await get(pollUrl('t1', 'cache-poll', a)), 'a again').json();
    assert.deepEqual([forA.choices, forA.results.voters], [['tot'], 2], 'per choices, never mixed');
    const tot = (view: { results: { options: { id: string; votes: number }[] } }) =>
      view.results.options.find((o) => o.id === 'tot')!.votes;
    assert.equal(tot(forA), 1);

    // A repeated vote changes nothing; an admin change shows at once.
    assert.equal(ok(await vote('cache-poll', a, ['chua-tot']), 'repeat').json().counted, false);
    const patched = await admin('PATCH', '/sites/t1/polls/cache-poll', {
      question: 'Câu hỏi mới?',
      resultsVisibility: 'after_vote',
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const forB2 = ok(await get(pollUrl('t1', 'cache-poll', b)), 'b after patch').json();
    assert.equal(forB2.question, 'Câu hỏi mới?');
    assert.equal(forB2.results, undefined, 'after_vote: hidden from b, who has not voted');
    assert.equal(ok(await get(pollUrl('t1', 'cache-poll', a)), 'a').json().results.voters, 2);
    // Same poll id on another site: its own answer.
    assert.equal((await get(pollUrl('t2', 'cache-poll'))).statusCode, 404);
    assert.equal((await admin('POST', '/sites/t1/polls/cache-poll/close')).statusCode, 200);
    assert.equal(ok(await get(pollUrl('t1', 'cache-poll', b)), 'closed').json().status, 'closed');
    assert.equal((await admin('DELETE', '/sites/t1/polls/cache-poll')).statusCode, 204);
    assert.equal((await get(pollUrl('t1', 'cache-poll', b))).statusCode, 404);
  });

  it('polls: a cached view ends when the poll closes by its schedule', async () => {
    const closesAt = new Date(Date.now() + 1500).toISOString();
    const created = await admin('POST', '/sites/t1/polls', {
      id: 'closing',
      question: 'Sắp đóng?',
      options: OPTIONS,
      closesAt,
      resultsVisibility: 'after_close',
    });
    assert.equal(created.statusCode, 201, created.body);
    const voter = await newToken('closing');
    const open = ok(await get(pollUrl('t1', 'closing', voter)), 'open').json();
    assert.deepEqual([open.status, open.results], ['open', undefined]);
    // A reader without a token: the shared view, read twice (the second from memory).
    for (let i = 0; i < 2; i++)
      assert.equal(ok(await get(pollUrl('t1', 'closing')), 'open').json().status, 'open');
    await sleep(Date.parse(closesAt) - Date.now() + 50);
    const shared = ok(await get(pollUrl('t1', 'closing')), 'closed').json();
    assert.deepEqual([shared.status, shared.results?.voters], ['closed', 0], 'the shared view too');
    const closed = ok(await get(pollUrl('t1', 'closing', voter)), 'closed').json();
    assert.equal(closed.status, 'closed');
    assert.equal(closed.results.voters, 0, 'after_close: the results now show');
  });

  it('comments: a published or moderated comment shows in the next page; threads and sites kept apart', async () => {
    const path = (site: string, thread: string, cursor?: string) =>
      `/${site}/threads/${encodeURIComponent(thread)}/comments${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = async (site: string, thread: string, headers = {}, cursor?: string) =>
      ok(await get(path(site, thread, cursor), headers), `${site} ${thread}`);
    const settings = await admin('PUT', '/sites/t1/comment-settings', {
      autoApprove: true,
      purgeDays: 0,
    });
    assert.equal(settings.statusCode, 200, settings.body);

    const empty = await page('t1', '/a');
    assert.deepEqual(empty.json(), { items: [], total: 0, next: null });
    assert.equal(empty.headers['cache-control'], 'public, no-cache');
    const emptyTag = empty.headers.etag as string;
    assert.equal((await get(path('t1', '/a'), { 'if-none-match': emptyTag })).statusCode, 304);
    await page('t1', '/b');
    await page('t2', '/a');

    // Published through the public API (auto-approved): in the next page of its thread only.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/t1/threads/${encodeURIComponent('/a')}/comments`,
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: 'Lan',
        email: 'lan@example.com',
        title: '',
        content: 'Ý kiến thứ nhất',
        captcha: await solveCaptcha(),
      }),
    });
    assert.equal(res.statusCode, 201, res.body);
    const one = await page('t1', '/a', { 'if-none-match': emptyTag });
    assert.deepEqual(
      one.json().items.map((c: { content: string }) => c.content),
      ['Ý kiến thứ nhất'],
    );
    assert.equal((await page('t1', '/b')).json().total, 0, 'another thread');
    assert.equal((await page('t2', '/a')).json().total, 0, 'another site');

    // Stored as pending (not public: no change), then approved by a moderator: public at once.
    const store = new CommentStore(t.storage.db);
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      const row = await store.create(
        {
          site: 't1',
          thread: '/a',
          name: 'Bình',
          email: '',
          title: '',
          content: `Chờ duyệt ${i}`,
          status: 'pending',
          ipHash: 'h',
          saltDay: '2000-01-01',
        },
        Date.now() - 60_000 + i,
      );
      ids.push(row.id);
    }
    assert.equal((await page('t1', '/a')).json().total, 1, 'pending comments are not shown');
    const bulk = await admin('POST', '/sites/t1/comments/bulk', { action: 'approve', ids });
    assert.equal(bulk.statusCode, 200, bulk.body);
    const first = (await page('t1', '/a')).json();
    assert.equal(first.total, 12);
    assert.equal(first.items.length, 10);
    const second = (await page('t1', '/a', {}, first.next)).json();
    assert.equal(second.items.length, 2);

    // Each moderation change shows on every page of the thread, the cursor's included.
    const oldest = second.items.at(-1).id as string;
    assert.equal(
      (await admin('PUT', `/sites/t1/comments/${oldest}/reply`, { content: 'Cảm ơn bạn' }))
        .statusCode,
      200,
    );
    const replied = (await page('t1', '/a', {}, first.next)).json();
    assert.equal(replied.items.at(-1).reply.content, 'Cảm ơn bạn');
    assert.equal((await admin('POST', `/sites/t1/comments/${oldest}/reject`)).statusCode, 200);
    assert.equal((await page('t1', '/a', {}, first.next)).json().total, 11);
    assert.equal((await admin('DELETE', `/sites/t1/comments/${ids[5]}`)).statusCode, 204);
    const last = (await page('t1', '/a')).json();
    assert.equal(last.total, 10);
    assert.ok(!last.items.some((c: { id: string }) => c.id === ids[5]));
  });

  it('two instances: a vote or an edit on one shows in the next read on the other', async () => {
    const second = await testApp(await t.engine.open(), {
      changes: bus,
      config: { adminToken: ADMIN_TOKEN },
    });
    try {
      const created = await admin('POST', '/sites/t1/polls', {
        id: 'shared',
        question: 'Hai máy chủ?',
        options: OPTIONS,
      });
      assert.equal(created.statusCode, 201, created.body);
      const voter = await newToken('shared');
      // The second instance has the poll in its cache before the vote.
      assert.equal(
        ok(await get(pollUrl('t1', 'shared', voter), {}, second), 'b').json().voted,
        false,
      );
      assert.equal(ok(await vote('shared', voter, ['tot']), 'vote on a').json().counted, true);
      const there = ok(await get(pollUrl('t1', 'shared', voter), {}, second), 'b after').json();
      assert.deepEqual([there.voted, there.results.voters], [true, 1]);
      const other = await newToken('shared');
      assert.equal(
        ok(await vote('shared', other, ['rat-tot'], second), 'vote on b').json().counted,
        true,
      );
      assert.equal(ok(await get(pollUrl('t1', 'shared', voter)), 'a').json().results.voters, 2);

      await admin('POST', '/sites/t1/slogans', { id: 'hai', items: [{ text: 'Một' }] });
      assert.equal(
        ok(await get('/t1/slogans/hai', {}, second), 'list on b').json().items[0].text,
        'Một',
      );
      await admin('PUT', '/sites/t1/slogans/hai', { items: [{ text: 'Hai' }] });
      assert.equal(
        ok(await get('/t1/slogans/hai', {}, second), 'edited').json().items[0].text,
        'Hai',
      );
    } finally {
      await second.close();
    }
  });

  it("two instances: a voter's vote is remembered until its poll is deleted on either", async () => {
    const second = await testApp(await t.engine.open(), {
      changes: bus,
      config: { adminToken: ADMIN_TOKEN },
    });
    try {
      const create = async () =>
        assert.equal(
          (
            await admin('POST', '/sites/t1/polls', {
              id: 'again',
              question: 'Lại?',
              options: OPTIONS,
            })
          ).statusCode,
          201,
        );
      await create();
      const voter = await newToken('again');
      assert.equal(ok(await vote('again', voter, ['tot']), 'vote').json().counted, true);
      // Read (and remembered) as voted on both instances.
      for (const app of [t.app, second]) {
        const seen = ok(await get(pollUrl('t1', 'again', voter), {}, app), 'voted').json();
        assert.deepEqual([seen.voted, seen.choices], [true, ['tot']]);
      }
      // Deleted on the first instance and made again under the same id: the token is still
      // signed for it, and neither instance says this voter voted.
      assert.equal((await admin('DELETE', '/sites/t1/polls/again')).statusCode, 204);
      await create();
      for (const app of [second, t.app]) {
        const seen = ok(await get(pollUrl('t1', 'again', voter), {}, app), 'again').json();
        assert.equal(seen.voted, false, 'the deleted vote is not remembered');
      }
      assert.equal(ok(await vote('again', voter, ['rat-tot'], second), 'new').json().counted, true);
      const now = ok(await get(pollUrl('t1', 'again', voter)), 'now').json();
      assert.deepEqual([now.voted, now.choices], [true, ['rat-tot']]);
    } finally {
      await second.close();
    }
  });

  async function solveCaptcha(): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/t1/captcha',
      remoteAddress: nextIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ action: 'comment' }),
    });
    assert.equal(res.statusCode, 200, res.body);
    const { id } = res.json() as { id: string };
    return `c1.${id}.${answers.get(id)}`;
  }
});
