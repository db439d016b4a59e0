import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../src/server/config.js';
import { isSpecialAddress, webhookUrlProblem } from '../../src/server/notify/webhook.js';
import { adminClient, useTestApp, type TestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { createUser } from '../helpers/session.js';

const MINUTE = 60_000;
const COMMENTER_EMAIL = 'nguoi.binh.luan@example.vn';
const COMMENTER_NAME = 'Trần Thị Bình Luận';
const PUBLIC_URL = 'https://widgets.example.gov.vn';

let ipCounter = 0;
const freshIp = () => {
  ipCounter++;
  return `10.9.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free port that keeps every message it is given. */
async function startSmtp(): Promise<{
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The text of a message: headers dropped, quoted-printable and base64 parts decoded. */
function bodyText(raw: string): string {
  const [, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/Content-Transfer-Encoding: base64/i.test(raw))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(raw)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver that answers `status()` and keeps every request. */
async function startReceiver() {
  const hits: Hit[] = [];
  let status = 204;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/civic?k=1`,
    hits,
    answer: (s: number) => void (status = s),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Comment posting with a solved captcha (the test seam hands over the answers). */
function commenter(t: TestApp, answers: Map<string, string>) {
  return async (site = 't1', thread = '/tin-tuc/1') => {
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site}/captcha`,
      remoteAddress: freshIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ action: 'comment' }),
    });
    assert.equal(issued.statusCode, 200, issued.body);
    const { id } = issued.json() as { id: string };
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site}/threads/${encodeURIComponent(thread)}/comments`,
      remoteAddress: freshIp(),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: COMMENTER_NAME,
        email: COMMENTER_EMAIL,
        title: 'Góp ý',
        content: 'Nội dung cần duyệt',
        captcha: `c1.${id}.${answers.get(id)}`,
      }),
    });
    assert.equal(res.statusCode, 202, res.body);
    return res;
  };
}

const pendingIds = async (t: TestApp, site = 't1') =>
  (
    await t.storage.db
      .selectFrom('comments')
      .select('id')
      .where('site', '=', site)
      .where('status', '=', 'pending')
      .execute()
  ).map((r) => r.id);

const logSink = () => {
  const sink = { text: '' };
  return {
    sink,
    logger: {
      level: 'trace',
      stream: new Writable({ write: (c, _e, cb) => ((sink.text += c.toString()), cb()) }),
    },
  };
};

it('reads the notification settings from the environment', () => {
  const config = loadConfig({});
  assert.equal(config.notifyIntervalMinutes, 15);
  assert.equal(config.smtpUrl, undefined);
  assert.equal(config.notifyAllowPrivate, false);
  const set = loadConfig({
    SMTP_URL: 'smtp://u:p@mail.example.gov.vn:587',
    NOTIFY_FROM: 'no-reply@example.gov.vn',
    NOTIFY_INTERVAL_MINUTES: '5',
    PUBLIC_URL: 'https://widgets.example.gov.vn/',
  });
  assert.equal(set.notifyIntervalMinutes, 5);
  assert.equal(set.publicUrl, 'https://widgets.example.gov.vn');
  assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.gov.vn' }), /NOTIFY_FROM/);
  assert.throws(() => loadConfig({ NOTIFY_INTERVAL_MINUTES: '0' }), /NOTIFY_INTERVAL_MINUTES/);
  assert.throws(
    () => loadConfig({ SMTP_URL: 'http://secret-pass@x', NOTIFY_FROM: 'a@b.c' }),
    (err: Error) => /SMTP_URL/.test(err.message) && !err.message.includes('secret-pass'),
  );
});

it('tells loopback, private and special addresses from public ones', () => {
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254'])
    assert.ok(isSpecialAddress(ip), ip);
  for (const ip of ['::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0', '100.64.0.1'])
    assert.ok(isSpecialAddress(ip), ip);
  for (const ip of ['203.113.131.1', '2001:ee0:4041::1', '::ffff:14.225.1.1'])
    assert.ok(!isSpecialAddress(ip), ip);
  assert.equal(webhookUrlProblem('https://hooks.example.gov.vn/x', false), undefined);
  assert.match(webhookUrlProblem('http://localhost:9000/', false)!, /loopback/);
  assert.match(webhookUrlProblem('http://[::1]/', false)!, /loopback/);
  assert.equal(webhookUrlProblem('http://127.0.0.1:9000/', true), undefined);
  assert.match(webhookUrlProblem('file:///etc/passwd', true)!, /http/);
});

describeEngines('moderator notifications', (engine) => {
  let clock = Date.UTC(2026, 10, 30, 2, 0, 0);
  const answers = new Map<string, string>();
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  const { sink, logger } = logSink();
  before(async () => {
    smtp = await startSmtp();
    hook = await startReceiver();
  });
  const config = {
    notifyFrom: 'Cổng thông tin <no-reply@example.gov.vn>',
    notifyIntervalMinutes: 15,
    publicUrl: PUBLIC_URL,
    notifyAllowPrivate: true,
    // Read when the app is built, after the SMTP server above has its port.
    get smtpUrl() {
      return `smtp://127.0.0.1:${smtp.port}`;
    },
  };
  const t = useTestApp(engine, {
    sites: ['t1', 't2'],
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
    now: () => clock,
    logger,
    config,
  });
  after(async () => {
    await smtp?.close();
    await hook?.close();
  });
  const post = commenter(t, answers);
  const idle = () => t.app.notify.notifier.idle();

  it('mails the site’s moderators once per window: at once, then the gathered count', async () => {
    await createUser(t.admin, 'quan.tri@example.gov.vn', 'admin');
    await createUser(t.admin, 'bien.tap.t1@example.gov.vn', 'editor', ['t1']);
    await createUser(t.admin, 'bien.tap.t2@example.gov.vn', 'editor', ['t2']);

    for (let i = 0; i < 3; i++) {
      await post();
      clock += MINUTE;
    }
    await idle();
    assert.equal(smtp.mails.length, 1, 'one mail for three comments within the window');
    const [first] = smtp.mails;
    assert.deepEqual(first!.to.sort(), ['bien.tap.t1@example.gov.vn', 'quan.tri@example.gov.vn']);
    assert.equal(first!.from, 'no-reply@example.gov.vn');
    const firstText = bodyText(first!.raw);
    assert.match(firstText, /1 bình luận đang chờ duyệt/);
    assert.ok(
      firstText.indexOf('bình luận') < firstText.indexOf('comment'),
      'Vietnamese comes first',
    );

    // Still inside the window: the timer's sweep sends nothing.
    await t.app.notify.notifier.flush();
    assert.equal(smtp.mails.length, 1);

    clock += 15 * MINUTE;
    await t.app.notify.notifier.flush();
    await idle();
    assert.equal(smtp.mails.length, 2, 'the gathered comments go out after the window');
    const second = smtp.mails[1]!;
    assert.deepEqual(second.to.sort(), ['bien.tap.t1@example.gov.vn', 'quan.tri@example.gov.vn']);
    const text = bodyText(second.raw);
    assert.match(text, /3 bình luận đang chờ duyệt/);
    assert.match(text, /3 comments are waiting/);
    assert.ok(text.includes(`${PUBLIC_URL}/admin/#/comments?site=t1`), text);
    for (const mail of smtp.mails) {
      assert.ok(!mail.raw.includes(COMMENTER_EMAIL), 'never the commenter’s e-mail');
      assert.ok(!bodyText(mail.raw).includes(COMMENTER_NAME), 'never the commenter’s name');
      assert.ok(!mail.raw.includes('bien.tap.t2'), 'not another site’s editor');
    }
    // Nothing owed any more: a later sweep sends nothing.
    clock += 30 * MINUTE;
    await t.app.notify.notifier.flush();
    assert.equal(smtp.mails.length, 2);

    // A site's own editor gets t2's mail; t1's editor does not.
    await post('t2');
    await idle();
    assert.equal(smtp.mails.length, 3);
    assert.deepEqual(smtp.mails[2]!.to.sort(), [
      'bien.tap.t2@example.gov.vn',
      'quan.tri@example.gov.vn',
    ]);

    // A disabled account gets no mail.
    const users = (await t.admin('GET', '/users')).json().items as Array<{
      id: string;
      email: string;
    }>;
    const t2 = users.find((u) => u.email === 'bien.tap.t2@example.gov.vn')!;
    assert.equal((await t.admin('PATCH', `/users/${t2.id}`, { disabled: true })).statusCode, 200);
    clock += 60 * MINUTE;
    await post('t2');
    await idle();
    assert.equal(smtp.mails.length, 4);
    assert.deepEqual(smtp.mails[3]!.to, ['quan.tri@example.gov.vn']);
    assert.equal((await t.admin('PATCH', `/users/${t2.id}`, { disabled: false })).statusCode, 200);
  });

  it('sends no mail when the site turned e-mails off', async () => {
    clock += 60 * MINUTE;
    const off = await t.admin('PUT', '/sites/t2/notify', { webhookUrl: null, emails: false });
    assert.equal(off.statusCode, 200, off.body);
    const before = smtp.mails.length;
    await post('t2');
    await idle();
    clock += 60 * MINUTE;
    await t.app.notify.notifier.flush();
    assert.equal(smtp.mails.length, before);
  });

  it('POSTs each waiting comment to the webhook, signed; the secret is shown once', async () => {
    const set = await t.admin('PUT', '/sites/t1/notify', { webhookUrl: hook.url, emails: true });
    assert.equal(set.statusCode, 200, set.body);
    const { secret } = set.json() as { secret: string };
    assert.ok(secret && secret.length >= 40, 'the new secret, once');
    const read = await t.admin('GET', '/sites/t1/notify');
    assert.deepEqual(read.json(), { webhookUrl: hook.url, emails: true, hasSecret: true });
    const again = await t.admin('PUT', '/sites/t1/notify', { webhookUrl: hook.url, emails: true });
    assert.equal(again.json().secret, undefined, 'an existing secret is not shown again');

    const beforePost = new Set(await pendingIds(t));
    await post('t1', '/tin-tuc/webhook');
    await idle();
    assert.equal(hook.hits.length, 1);
    const [hit] = hook.hits;
    const expected = createHmac('sha256', secret).update(hit!.body).digest('hex');
    const given = String(hit!.headers['x-civic-signature']);
    assert.ok(given.startsWith('sha256='));
    assert.ok(
      timingSafeEqual(Buffer.from(given.slice(7), 'hex'), Buffer.from(expected, 'hex')),
      'the signature verifies with the secret',
    );
    const payload = JSON.parse(hit!.body) as Record<string, unknown>;
    const ids = await pendingIds(t);
    const newId = ids.find((id) => !beforePost.has(id));
    assert.deepEqual(payload, {
      site: 't1',
      thread: '/tin-tuc/webhook',
      commentId: newId,
      pending: ids.length,
      timestamp: Number(hit!.headers['x-civic-timestamp']),
    });
    assert.ok(!hit!.body.includes(COMMENTER_EMAIL) && !hit!.body.includes(COMMENTER_NAME));
    assert.ok(!JSON.stringify(hit!.headers).includes('10.9.'), 'no client address');

    // Rotation: the new secret signs, the old one no longer does.
    const rotated = await t.admin('POST', '/sites/t1/notify/secret');
    assert.equal(rotated.statusCode, 200, rotated.body);
    const fresh = rotated.json().secret as string;
    assert.notEqual(fresh, secret);
    await post();
    await idle();
    const last = hook.hits.at(-1)!;
    const sign = (key: string) =>
      `sha256=${createHmac('sha256', key).update(last.body).digest('hex')}`;
    assert.equal(last.headers['x-civic-signature'], sign(fresh));
    assert.notEqual(last.headers['x-civic-signature'], sign(secret));
    // The audit log names the rotation and never holds a secret.
    const log = JSON.stringify(
      await t.storage.db.selectFrom('audit_log').selectAll().where('site', '=', 't1').execute(),
    );
    assert.ok(log.includes('notify.secret.rotate') && log.includes('notify.update'));
    assert.ok(!log.includes(secret) && !log.includes(fresh));
  });

  it('keeps the comment when the webhook answers 500, retrying with backoff', async () => {
    hook.answer(500);
    const hitsBefore = hook.hits.length;
    const countBefore = (await pendingIds(t)).length;
    const res = await post('t1', '/tin-tuc/500');
    assert.equal(res.statusCode, 202);
    assert.equal((await pendingIds(t)).length, countBefore + 1, 'stored');
    await idle();
    assert.equal(hook.hits.length - hitsBefore, 3, 'one call and two retries');
    hook.answer(204);
  });

  it('logs no commenter or moderator e-mail', async () => {
    await idle();
    assert.ok(sink.text.includes('moderators notified by e-mail'), 'the sending is logged');
    assert.ok(!sink.text.includes(COMMENTER_EMAIL));
    assert.ok(!sink.text.includes('quan.tri@'));
    assert.ok(!sink.text.includes('bien.tap'));
  });
});

describeEngines('moderator notifications with the SMTP server down', (engine) => {
  let clock = Date.UTC(2026, 10, 30, 2, 0, 0);
  const answers = new Map<string, string>();
  let port = 0;
  const { sink, logger } = logSink();
  before(async () => {
    port = await closedPort();
  });
  const t = useTestApp(engine, {
    sites: ['t1', 't2'],
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
    now: () => clock,
    logger,
    config: {
      notifyFrom: 'no-reply@example.gov.vn',
      get smtpUrl() {
        return `smtp://127.0.0.1:${port}`;
      },
    },
  });
  const post = commenter(t, answers);

  it('answers 202 and stores the comment; the mail stays owed for the next window', async () => {
    await createUser(t.admin, 'quan.tri@example.gov.vn', 'admin');
    const res = await post();
    assert.equal(res.statusCode, 202);
    assert.equal((await pendingIds(t)).length, 1);
    await t.app.notify.notifier.idle();
    const state = await t.storage.db
      .selectFrom('notify_state')
      .selectAll()
      .where('site', '=', 't1')
      .executeTakeFirstOrThrow();
    assert.notEqual(state.due_since, null, 'owed again: retried at the next window');
    assert.match(sink.text, /notification e-mail failed/);
    assert.match(sink.text, /ECONNREFUSED|ESOCKET|ECONNECTION/);
    assert.ok(!sink.text.includes('quan.tri@'), 'the log names no address');
    assert.ok(!sink.text.includes(COMMENTER_EMAIL));
    // Next window: tried again (and fails again, the comment still there).
    clock += 16 * MINUTE;
    await t.app.notify.notifier.flush();
    assert.equal(sink.text.match(/notification e-mail failed/g)?.length, 2);
    assert.equal((await pendingIds(t)).length, 1);
  });

  it('refuses bad settings with a 4xx error body and changes nothing', async () => {
    const bad: Array<[unknown, number, string]> = [
      [{ webhookUrl: 'ftp://hooks.example.gov.vn/', emails: true }, 400, 'invalid_webhook_url'],
      [{ webhookUrl: 'not a url', emails: true }, 400, 'invalid_webhook_url'],
      [{ webhookUrl: 'http://127.0.0.1:9/', emails: true }, 400, 'invalid_webhook_url'],
      [{ webhookUrl: 'http://10.0.0.5/', emails: true }, 400, 'invalid_webhook_url'],
      [{ webhookUrl: 'http://[::1]/', emails: true }, 400, 'invalid_webhook_url'],
      [{ webhookUrl: 'http://localhost/', emails: true }, 400, 'invalid_webhook_url'],
      [
        { webhookUrl: 'https://u:p@hooks.example.gov.vn/', emails: true },
        400,
        'invalid_webhook_url',
      ],
      [{ webhookUrl: 'https://hooks.example.gov.vn/' }, 400, ''],
      [{ webhookUrl: 'https://hooks.example.gov.vn/', emails: 'yes' }, 400, ''],
      [{ webhookUrl: 42, emails: true }, 400, ''],
      [{ webhookUrl: null, emails: true, extra: 1 }, 400, ''],
    ];
    for (const [payload, status, code] of bad) {
      const res = await t.admin('PUT', '/sites/t1/notify', payload);
      assert.equal(res.statusCode, status, JSON.stringify(payload));
      const { error } = res.json() as { error: { code: string; message: string } };
      assert.ok(error.message, JSON.stringify(payload));
      if (code) assert.equal(error.code, code);
    }
    const raw = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/sites/t1/notify',
      headers: {
        authorization: `Bearer test-admin-token-0123456789abcdef`,
        'content-type': 'application/json',
      },
      payload: '{"webhookUrl":',
    });
    assert.equal(raw.statusCode, 400);
    assert.ok(raw.json().error.code);
    const noHook = await t.admin('POST', '/sites/t1/notify/secret');
    assert.equal(noHook.statusCode, 409);
    assert.equal(noHook.json().error.code, 'no_webhook');
    assert.equal((await t.admin('GET', '/sites/nope/notify')).statusCode, 404);

    const editor = await createUser(t.admin, 'bien.tap.t2@example.gov.vn', 'editor', ['t2']);
    assert.ok(editor.id);
    const token = await t.admin('POST', '/tokens', {
      name: 'ed-t2',
      role: 'editor',
      sites: ['t2'],
    });
    assert.equal(token.statusCode, 201, token.body);
    const asEditor = adminClient(t.app, (token.json() as { token: string }).token);
    const refused = await asEditor('PUT', '/sites/t1/notify', {
      webhookUrl: 'https://hooks.example.gov.vn/',
      emails: true,
    });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'forbidden');
    const own = await asEditor('PUT', '/sites/t2/notify', {
      webhookUrl: 'https://hooks.example.gov.vn/t2',
      emails: false,
    });
    assert.equal(own.statusCode, 200, 'an editor manages their own site');

    const settings = await t.admin('GET', '/sites/t1/notify');
    assert.deepEqual(settings.json(), { webhookUrl: null, emails: true, hasSecret: false });
    const rows = await t.storage.db
      .selectFrom('notify_settings')
      .select('site')
      .where('site', '=', 't1')
      .execute();
    assert.equal(rows.length, 0, 'nothing stored for t1');
  });
});
