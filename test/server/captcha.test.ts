import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ISSUE_PER_MINUTE } from '../../src/server/captcha/routes.js';
import { CAPTCHA_TTL_MS, CaptchaService } from '../../src/server/captcha/service.js';
import { DbRateCounter } from '../../src/server/core/rates.js';
import { POW_BASE, POW_CEILING, type CaptchaChallenge } from '../../src/shared/captcha.js';
import { DEMO_ORIGIN, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { solvePow } from '../helpers/pow.js';
import { decodePng } from '../helpers/png-decode.js';

const MINUTE = 60_000;

let ipCounter = 0;
/** A fresh client address per issuance, so the issuance limit only trips where a test wants it. */
const freshIp = () => {
  ipCounter++;
  // A new /24 each time: the proof-of-work cost rises per /24, only where a test wants it.
  return `10.${(ipCounter >> 8) & 255}.${ipCounter & 255}.77`;
};

describeEngines('captcha', (engine) => {
  let skew = 0;
  const answers = new Map<string, string>();
  const t = useTestApp(engine, {
    sites: ['t1', 't2'],
    captchaHooks: { onIssue: (id, answer) => answers.set(id, answer) },
    now: () => Date.now() + skew,
  });
  const { admin } = t;

  const site = async (id = 't1') => (await t.storage.getSite(id))!;
  const issueRes = (
    siteId = 't1',
    body: unknown = {},
    headers: Record<string, string> = {},
    ip = freshIp(),
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${siteId}/captcha`,
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const issue = async (
    siteId = 't1',
    action?: string,
  ): Promise<CaptchaChallenge & { answer: string }> => {
    const res = await issueRes(siteId, action ? { action } : {});
    assert.equal(res.statusCode, 200, res.body);
    const c = res.json() as CaptchaChallenge;
    return { ...c, answer: c.id ? answers.get(c.id)! : '' };
  };
  const codeToken = (c: { id: string | null; answer: string }, typed = c.answer) =>
    `c1.${c.id}.${typed}`;
  const consume = async (token: string | undefined, siteId = 't1', action = 'comment') =>
    t.app.captcha.consume(await site(siteId), action, token);
  const verify = (body: unknown, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/captcha/verify',
      remoteAddress: '192.0.2.10',
      headers: { 'content-type': contentType },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const challengeRows = async () =>
    Number(
      (
        await t.storage.db
          .selectFrom('captcha_challenges')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('issues a PNG code image and a proof-of-work, never the answer', async () => {
    const res = await issueRes();
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const c = res.json() as CaptchaChallenge;
    assert.equal(c.mode, 'code+pow');
    assert.match(c.id!, /^[A-Za-z0-9_-]{22}$/);
    const answer = answers.get(c.id!)!;
    assert.match(answer, /^[ACEHJKMNPTWXY3479]{5,6}$/);
    assert.equal(c.length, answer.length);
    assert.ok(!res.body.includes(answer), 'the answer is not in the response');
    assert.ok(
      !JSON.stringify({ ...c, image: '' })
        .toLowerCase()
        .includes(answer.toLowerCase()),
    );
    // A real PNG of sane size.
    assert.match(c.image!, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(c.image!.split(',')[1]!, 'base64');
    assert.ok(png.length > 3_000 && png.length < 60_000, `PNG of ${png.length} bytes`);
    const decoded = decodePng(png);
    assert.deepEqual([decoded.width, decoded.height], [240, 90]);
    // The proof of work is bound to the site and action, and expires with the challenge.
    assert.equal(c.pow!.algorithm, 'SHA-256');
    assert.match(c.pow!.salt, /[?&]site=t1&/);
    assert.match(c.pow!.salt, /[?&]action=comment&/);
    const ttl = Date.parse(c.expiresAt) - Date.now();
    assert.ok(
      ttl > 9 * MINUTE && ttl <= CAPTCHA_TTL_MS && CAPTCHA_TTL_MS <= 10 * MINUTE,
      `expires in ${ttl} ms`,
    );
    const row = await t.storage.db
      .selectFrom('captcha_challenges')
      .selectAll()
      .where('id', '=', c.id!)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.answer.toUpperCase(), answer, 'only an HMAC of the answer is stored');
    assert.ok(!row.answer.includes(answer));
  });

  it('accepts the right code once, in any case and with spaces; a reuse is refused', async () => {
    const c = await issue();
    const typed = ` ${c.answer.slice(0, 3).toLowerCase()} ${c.answer.slice(3)} `;
    assert.deepEqual(await consume(codeToken(c, typed)), { ok: true });
    const again = await consume(codeToken(c));
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.code, 'captcha_used');
  });

  it('counts wrong answers; after 3 the challenge is dead and says to get a new code', async () => {
    const c = await issue();
    const wrong =
      c.answer.split('').reverse().join('') === c.answer
        ? 'XXXXXX'
        : c.answer.split('').reverse().join('');
    for (let i = 1; i <= 3; i++) {
      const r = await consume(codeToken(c, wrong === c.answer ? 'NOPE' : wrong));
      assert.equal(!r.ok && r.code, 'captcha_invalid', `attempt ${i}`);
      if (i === 3) assert.match(!r.ok ? r.message : '', /new code/);
    }
    const after = await consume(codeToken(c));
    assert.equal(
      !after.ok && after.code,
      'captcha_invalid',
      'even the right answer is refused now',
    );
    assert.match(!after.ok ? after.message : '', /new code/);
    // Two wrong, then right: still accepted.
    const d = await issue();
    await consume(codeToken(d, 'AAAAA'));
    await consume(codeToken(d, 'AAAAA'));
    assert.deepEqual(await consume(codeToken(d)), { ok: true });
  });

  it('refuses expired challenges and proofs of work', async () => {
    const c = await issue();
    skew = CAPTCHA_TTL_MS + 1000;
    try {
      const code = await consume(codeToken(c));
      assert.equal(!code.ok && code.code, 'captcha_expired');
      const pow = await consume(solvePow(c.pow!));
      assert.equal(!pow.ok && pow.code, 'captcha_expired');
    } finally {
      skew = 0;
    }
  });

  it('refuses a token of another site or action, without using it up', async () => {
    const c = await issue('t1', 'comment');
    const other = await consume(codeToken(c), 't2');
    assert.equal(!other.ok && other.code, 'captcha_mismatch');
    const action = await consume(codeToken(c), 't1', 'contact');
    assert.equal(!action.ok && action.code, 'captcha_mismatch');
    const p = await issue('t1', 'contact');
    const pow = solvePow(p.pow!);
    assert.equal(
      ((await consume(pow, 't2', 'contact')) as { code?: string }).code,
      'captcha_mismatch',
    );
    assert.equal(
      ((await consume(pow, 't1', 'comment')) as { code?: string }).code,
      'captcha_mismatch',
    );
    assert.deepEqual(await consume(codeToken(c)), { ok: true }, 'still good where it belongs');
    assert.deepEqual(await consume(pow, 't1', 'contact'), { ok: true });
  });

  it('lets exactly one of many concurrent uses win, across two server instances', async () => {
    // A second Storage = a second connection pool, like a second instance on the same database.
    const second = await t.engine.open();
    try {
      const a = t.app.captcha;
      const b = new CaptchaService(second.db, second.dialect, {
        rates: new DbRateCounter(second.db),
      });
      const s = await site();
      for (let round = 0; round < 3; round++) {
        const c = await issue();
        const token = codeToken(c);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).consume(s, 'comment', token)),
        );
        assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
        assert.ok(results.every((r) => r.ok || r.code === 'captcha_used'));
        const p = await issue();
        const pow = solvePow(p.pow!);
        const powResults = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? b : a).consume(s, 'comment', pow)),
        );
        assert.equal(powResults.filter((r) => r.ok).length, 1, JSON.stringify(powResults));
      }
    } finally {
      await second.close();
    }
  });

  it('accepts a solved proof of work once; a replay or a forged one is refused', async () => {
    const c = await issue();
    const token = solvePow(c.pow!);
    assert.deepEqual(await consume(token), { ok: true });
    const replay = await consume(token);
    assert.equal(!replay.ok && replay.code, 'captcha_used');
    const d = await issue();
    const wrongNumber = solvePow(d.pow!, (p) => (p.number = (p.number as number) + 1));
    assert.equal(((await consume(wrongNumber)) as { code?: string }).code, 'captcha_invalid');
    const otherSite = solvePow(
      d.pow!,
      (p) => (p.salt = String(p.salt).replace('site=t1', 'site=t2')),
    );
    assert.equal(
      ((await consume(otherSite, 't2')) as { code?: string }).code,
      'captcha_invalid',
      'the salt is signed',
    );
    for (const bad of [undefined, '', '   '])
      assert.equal(((await consume(bad)) as { code?: string }).code, 'captcha_required');
    for (const bad of [
      'x',
      'c1.',
      'c1.short.ABCDE',
      'p1.!!!',
      `p1.${Buffer.from('{"a":1}').toString('base64url')}`,
      `c1.${'a'.repeat(22)}.ABCDE`,
      `c1.${'a'.repeat(2000)}`,
    ]) {
      const r = await consume(bad);
      assert.equal(!r.ok && r.code, 'captcha_invalid', bad);
    }
    assert.deepEqual(
      await consume(solvePow(d.pow!)),
      { ok: true },
      'the genuine solution still works',
    );
  });

  it('follows the site mode: code, pow or either (admin API)', async () => {
    assert.deepEqual((await admin('GET', '/sites/t2/captcha')).json(), { mode: 'code+pow' });
    const before = await issue('t2');
    const beforePow = await issue('t2');

    assert.equal((await admin('PUT', '/sites/t2/captcha', { mode: 'pow' })).statusCode, 200);
    const p = await issue('t2');
    assert.deepEqual([p.mode, p.id, p.image, p.length], ['pow', null, null, null]);
    assert.ok(p.pow);
    const refused = await consume(codeToken(before), 't2');
    assert.equal(
      !refused.ok && refused.code,
      'captcha_invalid',
      'a code is not accepted in pow mode',
    );
    assert.deepEqual(await consume(solvePow(p.pow!), 't2'), { ok: true });

    assert.equal((await admin('PUT', '/sites/t2/captcha', { mode: 'code' })).statusCode, 200);
    const c = await issue('t2');
    assert.equal(c.mode, 'code');
    assert.equal(c.pow, null);
    const powRefused = await consume(solvePow(beforePow.pow!), 't2');
    assert.equal(
      !powRefused.ok && powRefused.code,
      'captcha_invalid',
      'a PoW is not accepted in code mode',
    );
    assert.deepEqual(await consume(codeToken(c), 't2'), { ok: true });

    assert.equal((await admin('PUT', '/sites/t2/captcha', { mode: 'everything' })).statusCode, 400);
    assert.equal(
      (await admin('PUT', '/sites/t2/captcha', { mode: 'pow', extra: 1 })).statusCode,
      400,
    );
    assert.equal((await admin('PUT', '/sites/nope/captcha', { mode: 'pow' })).statusCode, 404);
    assert.deepEqual(
      (await admin('GET', '/sites/t2/captcha')).json(),
      { mode: 'code' },
      'bad input changed nothing',
    );
    assert.equal((await admin('PUT', '/sites/t2/captcha', { mode: 'code+pow' })).statusCode, 200);
    const unauth = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/sites/t2/captcha',
      headers: { 'content-type': 'application/json' },
      payload: '{"mode":"pow"}',
    });
    assert.equal(unauth.statusCode, 401);
  });

  it('verifies a token server-to-server with the site secret, once', async () => {
    const secretRes = await admin('GET', '/sites/t1/secret');
    assert.equal(secretRes.statusCode, 200);
    const { secret } = secretRes.json() as { secret: string };
    assert.ok(secret.length >= 32);
    assert.equal(
      (await admin('GET', '/sites/t1/secret')).json().secret,
      secret,
      'stable until rotated',
    );

    const c = await issue('t1', 'contact');
    const token = codeToken(c);
    for (const wrong of [
      { site: 't1', secret: `${secret}x`, token },
      { site: 't1', secret: 'guess', token },
      { site: 'nope', secret, token },
    ]) {
      const res = await verify(wrong);
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().error.code, 'invalid_secret');
    }
    assert.equal(
      (await verify({ site: 't2', secret, token })).statusCode,
      401,
      "another site's secret",
    );
    assert.equal(
      (await verify(JSON.stringify({ site: 't1', secret, token }), 'text/plain')).statusCode,
      415,
    );
    assert.equal((await verify({ site: 't1', secret, token, extra: true })).statusCode, 400);
    assert.equal((await verify({ site: 't1', secret })).statusCode, 400);

    const mismatch = await verify({ site: 't1', secret, token, action: 'comment' });
    assert.deepEqual(mismatch.json().success, false);
    assert.equal(mismatch.json().code, 'captcha_mismatch');
    const ok = await verify({ site: 't1', secret, token, action: 'contact' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(
      ok.json(),
      { success: true, action: 'contact' },
      'nothing was consumed by the refused calls',
    );
    const again = await verify({ site: 't1', secret, token });
    assert.equal(again.json().success, false);
    assert.equal(again.json().code, 'captcha_used');

    const p = await issue('t1');
    const pow = solvePow(p.pow!);
    assert.deepEqual(
      (await verify({ site: 't1', secret, token: pow })).json(),
      { success: true, action: 'comment' },
      'action optional',
    );
    assert.equal((await verify({ site: 't1', secret, token: pow })).json().code, 'captcha_used');

    const rotated = await admin('POST', '/sites/t1/secret');
    assert.equal(rotated.statusCode, 200);
    assert.notEqual(rotated.json().secret, secret);
    const fresh = await issue('t1');
    assert.equal(
      (await verify({ site: 't1', secret, token: codeToken(fresh) })).statusCode,
      401,
      'the old secret is dead',
    );
    assert.equal(
      (await verify({ site: 't1', secret: rotated.json().secret, token: codeToken(fresh) })).json()
        .success,
      true,
    );
    assert.equal((await admin('POST', '/sites/nope/secret')).statusCode, 404);
    const noCors = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/captcha/verify',
      headers: { origin: DEMO_ORIGIN, 'access-control-request-method': 'POST' },
    });
    assert.equal(
      noCors.headers['access-control-allow-origin'],
      undefined,
      'no CORS: browsers cannot call it',
    );
  });

  it('refuses bad issuance requests with a clear 4xx and stores nothing', async () => {
    const before = await challengeRows();
    const cases: Array<[string, unknown, number, Record<string, string>?]> = [
      ['nope', {}, 404],
      ['t1', { action: 'Bad Action' }, 400],
      ['t1', { action: 'x'.repeat(40) }, 400],
      ['t1', { action: 'comment', extra: 1 }, 400],
      ['t1', '{bad', 400],
      ['t1', '{}', 415, { 'content-type': 'text/plain' }],
      ['t1', {}, 403, { origin: 'https://evil.example' }],
    ];
    for (const [s, body, status, headers] of cases) {
      const res = await issueRes(s, body, headers);
      assert.equal(res.statusCode, status, `${s} ${JSON.stringify(body)}: ${res.body}`);
      assert.ok(res.json().error.code && res.json().error.message);
    }
    assert.equal(await challengeRows(), before);
    const allowed = await issueRes('t1', {}, { origin: DEMO_ORIGIN });
    assert.equal(allowed.statusCode, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], DEMO_ORIGIN);
  });

  it('raises the proof-of-work cost per network: ×2 from the 10th challenge in an hour, ×2 every 10 more, up to the ceiling; counted in the database', async () => {
    const { powBase, powCeiling } = t.app.captcha;
    assert.equal(powBase, POW_BASE);
    assert.equal(powCeiling, POW_CEILING);
    const costs: number[] = [];
    // Different addresses of one /24 count together.
    for (let i = 1; i <= 45; i++) {
      const res = await issueRes('t1', {}, {}, `198.51.100.${i}`);
      assert.equal(res.statusCode, 200, res.body);
      const { pow } = res.json() as CaptchaChallenge;
      costs.push(pow!.maxnumber);
      // The cost is signed into the challenge.
      assert.match(pow!.salt, new RegExp(`[?&]max=${pow!.maxnumber}&`));
      // Issuance is limited to 30 a minute per address prefix: half a minute later per ten.
      if (i % 10 === 0) skew += 30_000;
    }
    const expected = (n: number) => Math.min(POW_CEILING, POW_BASE * 2 ** Math.floor(n / 10));
    assert.deepEqual(
      costs,
      costs.map((_, i) => expected(i + 1)),
    );
    assert.deepEqual(
      [costs[8], costs[9], costs[19], costs[29], costs[44]],
      [POW_BASE, 2 * POW_BASE, 4 * POW_BASE, Math.min(8 * POW_BASE, POW_CEILING), POW_CEILING],
    );
    // Another /24 starts at the base; IPv6 counts per /48.
    assert.equal((await issue()).pow!.maxnumber, POW_BASE);
    const v6 = async (ip: string) =>
      ((await issueRes('t1', {}, {}, ip)).json() as CaptchaChallenge).pow!.maxnumber;
    for (let i = 1; i <= 9; i++) assert.equal(await v6(`2001:db8:4a:${i}::1`), POW_BASE);
    assert.equal(await v6('2001:db8:4a:ff::2'), 2 * POW_BASE, 'the 10th of one /48');
    assert.equal(await v6('2001:db8:4b::1'), POW_BASE, 'another /48');
    // The count lives in the database: a second instance on it sees the same network's count.
    const second = await t.engine.open();
    try {
      const other = new CaptchaService(second.db, second.dialect, {
        rates: new DbRateCounter(second.db, () => Date.now() + skew),
      });
      assert.equal(await other.powCostFor('198.51.100.200'), POW_CEILING);
      assert.equal(await other.powCostFor('198.51.101.1'), POW_BASE);
    } finally {
      await second.close();
    }
    // An hour later the network is back to the base cost.
    skew += 2 * 60 * MINUTE;
    assert.equal(
      ((await issueRes('t1', {}, {}, '198.51.100.9')).json() as CaptchaChallenge).pow!.maxnumber,
      POW_BASE,
    );
  });

  it('accepts a proof of work only within the cost it issued', async () => {
    const c = await issue();
    // A lowered cost in the salt breaks its signature.
    const cheaper = solvePow(c.pow!, (p) => {
      p.salt = String(p.salt).replace(/max=\d+/, 'max=1000');
    });
    assert.equal(((await consume(cheaper)) as { code?: string }).code, 'captcha_invalid');
    assert.deepEqual(await consume(solvePow(c.pow!)), { ok: true });
  });

  it(`rate-limits issuance per IP prefix (${ISSUE_PER_MINUTE}/min) with 429 + Retry-After`, async () => {
    const ip = '2001:db8:77::1';
    const codes: number[] = [];
    for (let i = 0; i < ISSUE_PER_MINUTE; i++)
      codes.push((await issueRes('t1', {}, {}, ip)).statusCode);
    assert.ok(codes.every((c) => c === 200));
    const limited = await issueRes('t1', {}, {}, '2001:db8:77::2');
    assert.equal(limited.statusCode, 429, 'the same /64');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal(limited.json().error.code, 'rate_limited');
    assert.equal((await issueRes('t1', {}, {}, '2001:db8:78::1')).statusCode, 200, 'another /64');
  });
});
