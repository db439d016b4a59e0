import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEMO_ORIGIN, postVisit, preflightVisit, sessionId, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

describeEngines('visits API', (engine) => {
  const t = useTestApp(engine);

  const visit = (body: unknown, headers: Record<string, string> = {}, site = 't1') =>
    postVisit(t.app, { site, headers, body });
  const figures = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/sites/t1/visits' })).json();
  /** Stored total read straight from the database after a flush. */
  const stored = async () => {
    await t.app.visits.flush();
    return (await t.storage.visitTotals('t1', '0000-00-00', '0000-00')).stored;
  };

  it('counts a visit once per session and adds the legacy offset', async () => {
    const before = await stored();
    const session = sessionId();
    const first = await visit({ page: '/tin-tuc/1', session });
    assert.equal(first.statusCode, 200);
    const a = first.json();
    assert.equal(a.counted, true);
    assert.equal(a.total, 1000 + before + 1);
    const again = (await visit({ page: '/tin-tuc/2', session })).json();
    assert.equal(again.counted, false, 'a reload in the same session does not count');
    assert.equal(again.total, a.total);
    assert.equal((await figures()).total, a.total, 'GET reads without counting');
    assert.equal(await stored(), before + 1);
    assert.ok(a.today >= 1 && a.month >= a.today && a.online >= 1);
  });

  it('stores exactly the acknowledged visits under 200 concurrent requests', async () => {
    const before = await stored();
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => visit({ page: '/', session: sessionId() })),
    );
    const acknowledged = replies.filter((r) => r.statusCode === 200 && r.json().counted).length;
    assert.equal(acknowledged, 200);
    assert.equal((await figures()).total, 1000 + before + 200);
    assert.equal(await stored(), before + 200);
  });

  it('does not count bots or clients without a user agent', async () => {
    const before = await stored();
    const bot = await visit(
      { page: '/', session: sessionId() },
      { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
    );
    assert.equal(bot.statusCode, 200);
    assert.equal(bot.json().counted, false);
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/t1/visits',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ page: '/', session: sessionId() }),
    });
    assert.equal(none.json().counted, false);
    assert.equal(await stored(), before);
  });

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const before = await stored();
    const cases: Array<[string, Awaited<ReturnType<typeof visit>>, number, string]> = [
      ['malformed JSON', await visit('{"page": "/", "session": '), 400, 'invalid_json'],
      ['empty body', await visit(''), 400, 'invalid_json'],
      ['wrong type', await visit({ page: 42, session: sessionId() }), 400, 'invalid_request'],
      ['not a uuid', await visit({ page: '/', session: 'abc' }), 400, 'invalid_request'],
      ['missing field', await visit({ page: '/' }), 400, 'invalid_request'],
      [
        'unknown field',
        await visit({ page: '/', session: sessionId(), extra: 1 }),
        400,
        'invalid_request',
      ],
      [
        'control characters',
        await visit({ page: '/a\u0000b', session: sessionId() }),
        400,
        'invalid_request',
      ],
      [
        '1 MB body',
        await visit({ page: 'x'.repeat(1024 * 1024), session: sessionId() }),
        413,
        'payload_too_large',
      ],
      [
        'text/plain write',
        await visit(JSON.stringify({ page: '/', session: sessionId() }), {
          'content-type': 'text/plain',
        }),
        415,
        'unsupported_media_type',
      ],
      [
        'unknown site',
        await visit({ page: '/', session: sessionId() }, {}, 'no-such-site'),
        404,
        'not_found',
      ],
      [
        'unknown site, from a browser',
        await visit({ page: '/', session: sessionId() }, { origin: DEMO_ORIGIN }, 'no-such-site'),
        404,
        'not_found',
      ],
      [
        'invalid site id',
        await visit({ page: '/', session: sessionId() }, {}, 'Bad%20Site'),
        400,
        'invalid_request',
      ],
    ];
    for (const [name, res, status, code] of cases) {
      assert.equal(res.statusCode, status, name);
      assert.match(res.headers['content-type'] as string, /application\/json/, name);
      const body = res.json();
      assert.equal(body.error.code, code, name);
      assert.equal(typeof body.error.message, 'string', name);
      assert.ok(!/at .*\.(ts|js):\d+/.test(body.error.message), `${name}: no stack trace`);
    }
    assert.match(cases[2]![1].json().error.message, /page/, 'the message names the field');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/sites/t1/visits/nope' })).json().error
        .code,
      'not_found',
    );
    assert.equal(await stored(), before, 'nothing was counted');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode,
      200,
      'the server stays up',
    );
  });

  it('allows exactly the listed origins and counts nothing for others', async () => {
    const before = await stored();
    const ok = await visit({ page: '/', session: sessionId() }, { origin: DEMO_ORIGIN });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['access-control-allow-origin'], DEMO_ORIGIN);
    assert.match(String(ok.headers.vary), /Origin/);
    assert.equal(ok.headers['access-control-allow-credentials'], undefined);
    for (const origin of [
      'https://evil.example',
      `${DEMO_ORIGIN}.evil.example`,
      'https://x.portal.example.gov.vn',
      'null',
      DEMO_ORIGIN.replace('https', 'http'),
    ]) {
      const res = await visit({ page: '/', session: sessionId() }, { origin });
      assert.equal(res.statusCode, 403, origin);
      assert.equal(res.json().error.code, 'origin_not_allowed');
      assert.equal(res.headers['access-control-allow-origin'], undefined, origin);
      const preflight = await preflightVisit(t.app, 't1', origin);
      assert.equal(
        preflight.headers['access-control-allow-origin'],
        undefined,
        `preflight ${origin}`,
      );
    }
    const preflight = await preflightVisit(t.app, 't1', DEMO_ORIGIN);
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], DEMO_ORIGIN);
    assert.match(String(preflight.headers['access-control-allow-headers']), /Content-Type/i);
    assert.equal(await stored(), before + 1, 'only the allowed origin counted');
  });

  it('keeps the flush atomic: a failed write keeps the visits for the next flush', async () => {
    const before = await stored();
    const { storage } = t;
    const original = storage.applyVisits.bind(storage);
    let failures = 1;
    storage.applyVisits = async (batch) => {
      if (failures-- > 0) throw new Error('database went away');
      return original(batch);
    };
    try {
      for (let i = 0; i < 5; i++) await visit({ page: '/', session: sessionId() });
      await assert.rejects(t.app.visits.flush());
      assert.equal(
        (await figures()).total,
        1000 + before + 5,
        'figures still include the unflushed visits',
      );
      assert.equal(await stored(), before + 5);
    } finally {
      storage.applyVisits = original;
    }
  });
});
