import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { COMMENT_POSTS_PER_MINUTE } from '../../src/server/comments/service.js';
import { CommentStore } from '../../src/server/comments/store.js';
import { serverOrigin } from '../../src/server/config.js';
import { NOJS_CSP } from '../../src/server/nojs/routes.js';
import { DEMO_ORIGIN, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

const FORM = 'application/x-www-form-urlencoded';
const POLL = '/s/t1/polls/p1';
const THREAD = '/tin-tuc/42';
const COMMENTS = `/s/t1/comments?thread=${encodeURIComponent(THREAD)}`;
const EMAIL = 'ban.doc@example.vn';

let ipCounter = 0;
const freshIp = () => {
  ipCounter++;
  return `10.9.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) params.append(k, x);
  return params.toString();
};

/** The text of the page without tags (entities decoded), for "the page says …" checks. */
const text = (res: LightMyRequestResponse) =>
  res.body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describeEngines('pages without JavaScript', (engine) => {
  const answers = new Map<string, string>();
  const t = useTestApp(engine, {
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
  });
  const { admin } = t;

  const voters = async (poll = 'p1') =>
    (await admin('GET', `/sites/t1/polls/${poll}`)).json<{ voters: number }>().voters;
  const commentCount = async () =>
    Number(
      (
        await t.storage.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** GET the poll page; returns the response and the voter cookie it set. */
  async function openPoll(url = POLL, headers: Record<string, string> = {}) {
    const res = await t.app.inject({ url, headers, remoteAddress: freshIp() });
    const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    return { res, cookie };
  }
  function vote(
    payload: string,
    headers: Record<string, string>,
    { url = POLL, ip = freshIp() } = {},
  ) {
    return t.app.inject({
      method: 'POST',
      url,
      remoteAddress: ip,
      headers: { 'content-type': FORM, ...headers },
      payload,
    });
  }

  it('creates the polls', async () => {
    const one = await admin('POST', '/sites/t1/polls', {
      id: 'p1',
      question: 'Ý kiến <b>"của" bạn</b> & tôi?',
      options: [
        { id: 'a', label: 'Đồng ý <i>' },
        { id: 'b', label: 'Không' },
      ],
    });
    assert.equal(one.statusCode, 201, one.body);
    const many = await admin('POST', '/sites/t1/polls', {
      id: 'p2',
      question: 'Chọn hai',
      options: [{ label: 'Một' }, { label: 'Hai' }, { label: 'Ba' }],
      multiple: true,
      maxChoices: 2,
    });
    assert.equal(many.statusCode, 201, many.body);
    const capped = await admin('POST', '/sites/t1/polls', {
      id: 'p3',
      question: 'Trần',
      options: [{ label: 'Một' }, { label: 'Hai' }],
      ipCeiling: 1,
    });
    assert.equal(capped.statusCode, 201, capped.body);
  });

  it('GET shows the poll as a form, every value escaped, under the strict policy, with a voter cookie', async () => {
    const { res, cookie } = await openPoll();
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.equal(res.headers['content-security-policy'], NOJS_CSP);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(cookie, /^civic_voter=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /Path=\/s\/t1\/polls\/p1;/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.ok(!res.body.includes('<b>'), 'the question is escaped');
    assert.ok(!res.body.includes('<i>'), 'an option label is escaped');
    assert.ok(res.body.includes('Ý kiến &lt;b&gt;&quot;của&quot; bạn&lt;/b&gt; &amp; tôi?'));
    assert.match(res.body, /<html lang="vi">/);
    assert.match(res.body, /<form method="post" action="\/s\/t1\/polls\/p1\?lang=vi"/);
    assert.match(res.body, /<legend><h1>/);
    assert.match(
      res.body,
      /<input type="radio" name="choice" value="a" id="choice-a"><label for="choice-a">/,
    );
    assert.ok(!/<script|style=/.test(res.body), 'no script, no inline style');
    // Results are visible by default ('always'): none yet.
    assert.match(text(res), /0 người đã biểu quyết/);
  });

  it('speaks English by Accept-Language or ?lang=, ?lang= first', async () => {
    const byHeader = await openPoll(POLL, { 'accept-language': 'en-GB,en;q=0.9,vi;q=0.5' });
    assert.match(byHeader.res.body, /<html lang="en">/);
    assert.match(text(byHeader.res), /Choose one option\./);
    const byQuery = await openPoll(`${POLL}?lang=vi`, { 'accept-language': 'en' });
    assert.match(byQuery.res.body, /<html lang="vi">/);
    assert.match(text(byQuery.res), /Chọn một phương án\./);
  });

  it('POST counts the vote once and answers 303 back to the page with a notice; a second vote is not counted', async () => {
    const { cookie } = await openPoll();
    const before = await voters();
    const first = await vote(form({ choice: 'a' }), { cookie, origin: DEMO_ORIGIN });
    assert.equal(first.statusCode, 303, first.body);
    assert.equal(first.headers.location, `${POLL}?voted=1`);
    assert.equal(await voters(), before + 1);

    const again = await vote(form({ choice: 'b' }), { cookie, origin: DEMO_ORIGIN });
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `${POLL}?voted=again`);
    assert.equal(await voters(), before + 1, 'the second vote is not counted');

    const page = await t.app.inject({ url: `${POLL}?voted=again&lang=en`, headers: { cookie } });
    const words = text(page);
    assert.match(words, /You have already voted in this poll/);
    assert.match(words, /Your choice: Đồng ý <i>/, 'the first choice stays');
    assert.ok(!page.body.includes('<form'), 'no vote form once voted');
    assert.match(words, /Đồng ý <i> 1 100%/);
  });

  it('the page itself (its own origin) may post, and ?lang= survives the redirect', async () => {
    const { cookie } = await openPoll();
    // Behind a proxy the Host is the proxy's upstream: the own origin is the configured one.
    const res = await vote(
      form({ choice: 'b' }),
      { cookie, origin: serverOrigin(t.app.civic.config), host: '10.0.0.5:3000' },
      {
        url: `${POLL}?lang=en`,
      },
    );
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `${POLL}?voted=1&lang=en`);
    // An Origin that only matches the Host sent is not the server's own.
    const again = await openPoll();
    const hostOnly = await vote(form({ choice: 'b' }), {
      cookie: again.cookie,
      origin: 'http://cong.example',
      host: 'cong.example',
    });
    assert.equal(hostOnly.statusCode, 403, hostOnly.body);
  });

  it('a foreign Origin is refused with 403 and nothing is counted; no Origin needs an allowed Referer', async () => {
    const { cookie } = await openPoll();
    const before = await voters();
    const foreign = await vote(form({ choice: 'a' }), { cookie, origin: 'https://evil.example' });
    assert.equal(foreign.statusCode, 403);
    assert.match(String(foreign.headers['content-type']), /^text\/html/);
    assert.equal(foreign.headers['content-security-policy'], NOJS_CSP);
    assert.match(text(foreign), /chỉ được gửi từ trang của cổng thông tin/);
    const nullOrigin = await vote(form({ choice: 'a' }), { cookie, origin: 'null' });
    assert.equal(nullOrigin.statusCode, 403);
    const none = await vote(form({ choice: 'a' }), { cookie });
    assert.equal(none.statusCode, 403);
    const foreignReferer = await vote(form({ choice: 'a' }), {
      cookie,
      referer: 'https://evil.example/page',
    });
    assert.equal(foreignReferer.statusCode, 403);
    assert.equal(await voters(), before, 'nothing counted');

    const referer = await vote(form({ choice: 'a' }), {
      cookie,
      referer: `${DEMO_ORIGIN}/tin-tuc`,
    });
    assert.equal(referer.statusCode, 303, referer.body);
    assert.equal(await voters(), before + 1);
  });

  it('bad votes come back as a message on the page; nothing is counted', async () => {
    const { cookie } = await openPoll();
    const before = await voters();
    const cases: Array<[string, Record<string, string>, string]> = [
      [form({}), { cookie }, 'invalid_choices'],
      [form({ choice: 'zzz' }), { cookie }, 'invalid_choices'],
      [form({ choice: ['a', 'b'] }), { cookie }, 'invalid_choices'],
      [form({ choice: 'a' }), {}, 'no_voter'],
      [
        form({ choice: 'a' }),
        { cookie: 'civic_voter=AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' },
        'invalid_voter',
      ],
    ];
    for (const [payload, headers, code] of cases) {
      const res = await vote(payload, { origin: DEMO_ORIGIN, ...headers });
      assert.equal(res.statusCode, 303, `${payload}: ${res.body}`);
      assert.equal(res.headers.location, `${POLL}?error=${code}`);
    }
    assert.equal(await voters(), before);
    const page = await t.app.inject({ url: `${POLL}?error=invalid_choices`, headers: { cookie } });
    assert.match(page.body, /<div class="error-summary" role="alert"/);
    assert.match(page.body, /<a href="#choice-a">Hãy chọn một phương án hợp lệ\.<\/a>/);
    assert.match(page.body, /aria-describedby="choice-hint choice-error"/);
  });

  it('malformed requests get an HTML 4xx, never a crash', async () => {
    const { cookie } = await openPoll();
    const before = await voters();
    const json = await t.app.inject({
      method: 'POST',
      url: POLL,
      headers: { cookie, origin: DEMO_ORIGIN, 'content-type': 'application/json' },
      payload: '{"choice":"a"}',
    });
    assert.equal(json.statusCode, 415);
    assert.match(String(json.headers['content-type']), /^text\/html/);
    const long = await vote(form({ choice: 'x'.repeat(100) }), { cookie, origin: DEMO_ORIGIN });
    assert.equal(long.statusCode, 400);
    const extra = await vote(form({ choice: 'a', admin: '1' }), { cookie, origin: DEMO_ORIGIN });
    assert.equal(extra.statusCode, 400);
    const proto = await vote('__proto__=1&choice=a', { cookie, origin: DEMO_ORIGIN });
    assert.equal(proto.statusCode, 400);
    assert.equal(await voters(), before);
    for (const url of ['/s/t1/polls/nope', '/s/nope/polls/p1']) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(text(res), /Không tìm thấy trang/);
    }
    const badQuery = await t.app.inject({ url: `${POLL}?lang=fr` });
    assert.equal(badQuery.statusCode, 400);
    const badSite = await t.app.inject({ url: '/s/NOPE!/polls/p1' });
    assert.equal(badSite.statusCode, 400);
  });

  it('a multiple-choice poll takes checkboxes up to its maximum', async () => {
    const url = '/s/t1/polls/p2';
    const { res, cookie } = await openPoll(url);
    assert.match(res.body, /<input type="checkbox" name="choice" value="o1" id="choice-o1">/);
    assert.match(text(res), /Chọn tối đa 2 phương án\./);
    const three = await vote(
      form({ choice: ['o1', 'o2', 'o3'] }),
      { cookie, origin: DEMO_ORIGIN },
      { url },
    );
    assert.equal(three.headers.location, `${url}?error=invalid_choices`);
    const two = await vote(
      form({ choice: ['o1', 'o3'] }),
      { cookie, origin: DEMO_ORIGIN },
      { url },
    );
    assert.equal(two.headers.location, `${url}?voted=1`);
    const view = (await admin('GET', '/sites/t1/polls/p2')).json<{
      voters: number;
      options: Array<{ id: string; votes: number }>;
    }>();
    assert.equal(view.voters, 1);
    assert.deepEqual(
      view.options.map((o) => o.votes),
      [1, 0, 1],
    );
  });

  it('the per-network ceiling and a closed poll hold as in the API', async () => {
    const url = '/s/t1/polls/p3';
    const ip = freshIp();
    const a = await openPoll(url);
    const b = await openPoll(url);
    const first = await vote(
      form({ choice: 'o1' }),
      { cookie: a.cookie, origin: DEMO_ORIGIN },
      { url, ip },
    );
    assert.equal(first.headers.location, `${url}?voted=1`);
    const second = await vote(
      form({ choice: 'o1' }),
      { cookie: b.cookie, origin: DEMO_ORIGIN },
      { url, ip },
    );
    assert.equal(second.headers.location, `${url}?error=vote_limit`);
    assert.equal(await voters('p3'), 1);

    assert.equal((await admin('POST', '/sites/t1/polls/p3/close')).statusCode, 200);
    const closed = await vote(
      form({ choice: 'o1' }),
      { cookie: b.cookie, origin: DEMO_ORIGIN },
      { url },
    );
    assert.equal(closed.headers.location, `${url}?error=poll_closed`);
    const page = await t.app.inject({ url, headers: { cookie: b.cookie } });
    assert.match(text(page), /Cuộc thăm dò đã kết thúc\./);
    assert.ok(!page.body.includes('<form'));
    assert.equal(await voters('p3'), 1);
  });

  it('a poll that requires proof shows the captcha image; the code is checked and used once', async () => {
    const created = await admin('POST', '/sites/t1/polls', {
      id: 'p4',
      question: 'Có bằng chứng',
      options: [{ label: 'Một' }, { label: 'Hai' }],
      requireProof: true,
    });
    assert.equal(created.statusCode, 201, created.body);
    const url = '/s/t1/polls/p4';
    const a = await openPoll(url);
    const id = /name="captcha_id" value="([A-Za-z0-9_-]{22})"/.exec(a.res.body)?.[1];
    assert.ok(id, 'the vote form carries a captcha');
    assert.match(a.res.body, /<img src="data:image\/png;base64,/);
    const answer = answers.get(id)!;
    const none = await vote(
      form({ choice: 'o1' }),
      { cookie: a.cookie, origin: DEMO_ORIGIN },
      { url },
    );
    assert.equal(none.headers.location, `${url}?error=captcha_required`);
    const ok = await vote(
      form({ choice: 'o1', captcha_id: id, code: answer }),
      { cookie: a.cookie, origin: DEMO_ORIGIN },
      { url },
    );
    assert.equal(ok.headers.location, `${url}?voted=1`);
    const b = await openPoll(url);
    const reused = await vote(
      form({ choice: 'o1', captcha_id: id, code: answer }),
      { cookie: b.cookie, origin: DEMO_ORIGIN },
      { url },
    );
    assert.equal(reused.headers.location, `${url}?error=captcha_used`);
    assert.equal(await voters('p4'), 1);
    const page = await t.app.inject({
      url: `${url}?error=captcha_used`,
      headers: { cookie: b.cookie },
    });
    assert.match(page.body, /<a href="#code">Mã xác nhận đã được dùng/);
  });

  // ---- comments ----

  /** GET the comment page; returns it with its captcha id and answer. */
  async function openComments(url = COMMENTS) {
    const res = await t.app.inject({ url, remoteAddress: freshIp() });
    assert.equal(res.statusCode, 200, res.body);
    const id = /name="captcha_id" value="([A-Za-z0-9_-]{22})"/.exec(res.body)?.[1];
    assert.ok(id, 'the page carries a captcha challenge');
    const answer = answers.get(id);
    assert.ok(answer);
    return { res, id, answer };
  }
  function postComment(
    fields: Record<string, string>,
    headers: Record<string, string> = { origin: DEMO_ORIGIN },
    { url = COMMENTS, ip = freshIp() } = {},
  ) {
    return t.app.inject({
      method: 'POST',
      url,
      remoteAddress: ip,
      headers: { 'content-type': FORM, ...headers },
      payload: form(fields),
    });
  }
  const good = (id: string, code: string) => ({
    name: 'Nguyễn Văn A',
    email: EMAIL,
    title: '',
    content: 'Góp ý về thủ tục',
    captcha_id: id,
    code,
  });

  it('GET shows the form with the captcha image and the approved comments, escaped', async () => {
    const store = new CommentStore(t.storage.db);
    const row = await store.create({
      site: 't1',
      thread: THREAD,
      name: 'Bạn <script>đọc</script>',
      email: EMAIL,
      title: '',
      content: 'Dòng một\n<img src=x onerror=alert(1)>',
      status: 'approved',
      ipHash: 'h',
      saltDay: '2000-01-01',
    });
    await store.create({
      site: 't1',
      thread: THREAD,
      name: 'Chưa duyệt',
      email: EMAIL,
      title: '',
      content: 'chờ',
      status: 'pending',
      ipHash: 'h',
      saltDay: '2000-01-01',
    });
    assert.ok(row.id);
    const { res } = await openComments();
    assert.equal(res.headers['content-security-policy'], NOJS_CSP);
    assert.match(
      res.body,
      /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="[^"]+" width="240" height="90">/,
    );
    assert.match(
      res.body,
      /<form method="post" action="\/s\/t1\/comments\?thread=%2Ftin-tuc%2F42&amp;lang=vi"/,
    );
    for (const id of ['name', 'email', 'title', 'content', 'code'])
      assert.match(res.body, new RegExp(`<label for="${id}">`), id);
    assert.ok(!res.body.includes('<script>'));
    assert.ok(!res.body.includes('<img src=x'));
    assert.match(text(res), /Bạn <script>đọc<\/script>/);
    assert.match(text(res), /Dòng một <img src=x onerror=alert\(1\)>/);
    assert.ok(!text(res).includes('Chưa duyệt'), 'pending comments are not shown');
    assert.ok(!res.body.includes(EMAIL), 'no e-mail on the page');
    assert.match(text(res), /1 ý kiến/);
  });

  it('POST with the right code stores the comment (normalized) and answers 303 with a notice', async () => {
    const { id, answer } = await openComments();
    const before = await commentCount();
    const res = await postComment({
      ...good(id, answer.toLowerCase()),
      name: '  Nguye\u0302\u0303n Văn B ',
      content: 'Dòng một\r\nDòng hai',
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `${COMMENTS}&sent=pending`);
    assert.equal(await commentCount(), before + 1);
    const row = await t.storage.db
      .selectFrom('comments')
      .selectAll()
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.name, 'Nguyễn Văn B');
    assert.equal(row.content, 'Dòng một\nDòng hai');
    assert.equal(row.status, 'pending');
    const page = await t.app.inject({ url: `${COMMENTS}&sent=pending&lang=en` });
    assert.match(text(page), /will appear once it is approved/);

    // The same captcha again: used, refused, nothing stored, the typed values kept.
    const again = await postComment({ ...good(id, answer), content: 'Lần hai <b>' });
    assert.equal(again.statusCode, 400);
    assert.equal(await commentCount(), before + 1);
    assert.match(text(again), /Mã xác nhận đã được dùng/);
    assert.match(again.body, /<a href="#code">/);
    assert.match(again.body, />\nLần hai &lt;b&gt;<\/textarea>/);
    assert.match(again.body, /name="captcha_id" value="(?!${id})/, 'a new challenge');
  });

  it('field errors are all listed in a summary linking to the fields; nothing stored, the captcha not used', async () => {
    const { id, answer } = await openComments();
    const before = await commentCount();
    const res = await postComment({
      ...good(id, answer),
      name: '',
      email: 'không-phải-thư',
      content: '',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<title>Có lỗi: /);
    for (const target of ['name', 'email', 'content'])
      assert.match(res.body, new RegExp(`<li><a href="#${target}">`), target);
    assert.match(
      res.body,
      /id="email" name="email"[^>]*value="không-phải-thư" aria-describedby="email-hint email-error" aria-invalid="true"/,
    );
    assert.equal(await commentCount(), before);
    // The code was not spent on a refused form.
    const ok = await postComment(good(id, answer));
    assert.equal(ok.statusCode, 303, ok.body);
  });

  it('a wrong or missing code, a foreign Origin and a missing thread are refused; nothing stored', async () => {
    const { id, answer } = await openComments();
    const before = await commentCount();
    const wrong = await postComment(good(id, answer === 'AAAAA' ? 'BBBBB' : 'AAAAA'));
    assert.equal(wrong.statusCode, 400);
    assert.match(text(wrong), /Mã xác nhận không đúng/);
    const missing = await postComment(good(id, ''));
    assert.equal(missing.statusCode, 400);
    assert.match(text(missing), /Nhập mã xác nhận trong hình/);
    const foreign = await postComment(good(id, answer), { origin: 'https://evil.example' });
    assert.equal(foreign.statusCode, 403);
    const noThread = await postComment(
      good(id, answer),
      { origin: DEMO_ORIGIN },
      { url: '/s/t1/comments' },
    );
    assert.equal(noThread.statusCode, 400);
    assert.match(String(noThread.headers['content-type']), /^text\/html/);
    const honeypot = await postComment({ ...good(id, answer), website: 'http://spam' });
    assert.equal(honeypot.statusCode, 400);
    assert.equal(await commentCount(), before);
    // Still usable (a foreign post did not consume it).
    const ok = await postComment(good(id, answer));
    assert.equal(ok.statusCode, 303, ok.body);
  });

  it('the per-minute post limit of the API holds (429 page)', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i <= COMMENT_POSTS_PER_MINUTE; i++) {
      const res = await postComment(
        { name: '', email: '', content: '' },
        { origin: DEMO_ORIGIN },
        { ip },
      );
      statuses.push(res.statusCode);
    }
    assert.deepEqual(
      statuses.slice(0, COMMENT_POSTS_PER_MINUTE),
      Array(COMMENT_POSTS_PER_MINUTE).fill(400),
    );
    assert.equal(statuses.at(-1), 429);
  });

  it('serves the stylesheet', async () => {
    const res = await t.app.inject({ url: '/s/civic.css' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/css/);
    assert.match(res.body, /prefers-color-scheme: dark/);
    const again = await t.app.inject({
      url: '/s/civic.css',
      headers: { 'if-none-match': String(res.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });
});
