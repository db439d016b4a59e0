import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEMO_POLL } from '../../src/server/polls/seed.js';
import { Polls } from '../../src/server/polls/service.js';
import { PollStore } from '../../src/server/polls/store.js';
import type { PollView } from '../../src/shared/polls.js';
import { ADMIN_TOKEN, adminClient, DEMO_ORIGIN, testApp, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { newVoter, voterToken } from '../helpers/voters.js';
import { createUser, signIn, withCookie } from '../helpers/session.js';

/** The demo poll's four options (`rat-tot`, `tot`, `binh-thuong`, `chua-tot`). */
const OPTIONS = DEMO_POLL.options;
const HOUR = 3_600_000;
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();

type Reply = LightMyRequestResponse;

describeEngines('polls API', (engine) => {
  const t = useTestApp(engine, { sites: ['t1', 't2'] });
  let seq = 0;

  /** Requests to `target` (default: the suite's app, looked up at call time). */
  const on = (target?: FastifyInstance) => {
    const server = () => target ?? t.app;
    return {
      admin: adminClient(server),
      read: (poll: string, voter?: string, site = 't1') =>
        server().inject({
          method: 'GET',
          url: `/api/v1/sites/${site}/polls/${poll}${voter ? `?voter=${encodeURIComponent(voter)}` : ''}`,
        }),
      vote: (
        poll: string,
        body: unknown,
        opts: { ip?: string; site?: string; headers?: Record<string, string> } = {},
      ) =>
        server().inject({
          method: 'POST',
          url: `/api/v1/sites/${opts.site ?? 't1'}/polls/${poll}/votes`,
          remoteAddress: opts.ip ?? '203.0.113.10',
          headers: { 'content-type': 'application/json', ...opts.headers },
          payload: typeof body === 'string' ? body : JSON.stringify(body),
        }),
    };
  };
  const { admin, read, vote } = on();

  /** Creates a poll through the admin API; returns its id. */
  async function createPoll(extra: Record<string, unknown> = {}, site = 't1'): Promise<string> {
    const id = `p${++seq}-${engine.name}`;
    const res = await admin('POST', `/sites/${site}/polls`, {
      id,
      question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
      options: OPTIONS,
      ...extra,
    });
    assert.equal(res.statusCode, 201, res.body);
    return id;
  }
  async function token(poll: string, site = 't1'): Promise<string> {
    return voterToken(t.app, site, poll);
  }
  /** What the database holds: counted voters, option counters, vote rows. */
  async function stored(poll: string, site = 't1') {
    const p = (await new PollStore(t.storage.db, t.storage.dialect).get(site, poll))!;
    const rows = await t.storage.db
      .selectFrom('poll_votes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('site', '=', site)
      .where('poll', '=', poll)
      .executeTakeFirstOrThrow();
    return {
      voters: p.voters,
      options: Object.fromEntries(p.options.map((o) => [o.id, o.votes])),
      rows: Number(rows.n),
    };
  }
  /** The database holds `voters` counted votes, one row each, and `votes` per option (in OPTIONS order). */
  async function assertStored(poll: string, voters: number, votes: number[]) {
    const options = Object.fromEntries(OPTIONS.map((o, i) => [o.id, votes[i]]));
    assert.deepEqual(await stored(poll), { voters, options, rows: voters });
  }
  /** The days of the polls' IP salts kept in the database. */
  async function saltDays(): Promise<string[]> {
    const rows = await t.storage.db
      .selectFrom('daily_salts')
      .select('day')
      .where('scope', '=', 'poll')
      .orderBy('day')
      .execute();
    return rows.map((r) => r.day);
  }
  function assertError(res: Reply, status: number, code: string, what: string) {
    assert.equal(res.statusCode, status, `${what}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /application\/json/, what);
    const body = res.json();
    assert.equal(body.error.code, code, what);
    assert.equal(typeof body.error.message, 'string', what);
    assert.ok(body.error.message.length > 5, `${what}: a message`);
    assert.ok(!/at .*\.(ts|js):\d+/.test(body.error.message), `${what}: no stack trace`);
    return body.error.message as string;
  }

  it('reads a poll without writing anything, issues a signed voter token on request, counts a vote once and shows the results', async () => {
    const id = await createPoll();
    const first = await read(id);
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['cache-control'], 'private, no-cache');
    const view = first.json() as PollView & { voterToken?: string };
    assert.equal(view.question, 'Bạn đánh giá như thế nào về cổng thông tin này?');
    assert.deepEqual(view.options, OPTIONS);
    assert.deepEqual(
      [view.multiple, view.maxChoices, view.status, view.voted, view.resultsVisibility],
      [false, 1, 'open', false, 'always'],
    );
    assert.deepEqual(view.results, {
      voters: 0,
      options: OPTIONS.map((o) => ({ id: o.id, votes: 0 })),
    });
    assert.equal(view.voterToken, undefined, 'a read issues no token');
    // The read is a cached, shared answer: revalidated with its ETag.
    const etag = String(first.headers.etag);
    const revalidated = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sites/t1/polls/${id}`,
      headers: { 'if-none-match': etag },
    });
    assert.equal(revalidated.statusCode, 304);

    const issued = await newVoter(t.app, 't1', id);
    assert.equal(issued.statusCode, 201, issued.body);
    assert.equal(issued.headers['cache-control'], 'no-store');
    const voter = (issued.json() as { voterToken: string }).voterToken;
    assert.match(voter, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    // The id starts with the time of issue (ids issued together sit together in the votes' index);
    // the 10 bytes after it are random.
    const idBytes = (token: string) => Buffer.from(token.split('.')[0]!, 'base64url');
    const issuedAt = idBytes(voter).readUIntBE(0, 6);
    assert.ok(Math.abs(issuedAt - Date.now()) < 60_000, `issued at ${issuedAt}`);
    const [a, b] = await Promise.all([token(id), token(id)]);
    assert.notEqual(a, b, 'each reader gets its own token');
    assert.notDeepEqual(
      idBytes(a!).subarray(6),
      idBytes(b!).subarray(6),
      'the random part differs',
    );
    assert.equal((await newVoter(t.app, 't1', 'khong-co')).statusCode, 404, 'an unknown poll');
    assert.equal((await newVoter(t.app, 't9', id)).statusCode, 404, 'an unknown site');

    const res = await vote(id, { choices: ['tot'], voter });
    assert.equal(res.statusCode, 200, res.body);
    const voted = res.json() as PollView;
    assert.equal(voted.counted, true);
    assert.equal(voted.voted, true);
    assert.deepEqual(voted.choices, ['tot']);
    assert.deepEqual(
      voted.results!.options.find((o) => o.id === 'tot'),
      { id: 'tot', votes: 1 },
    );
    assert.equal(voted.results!.voters, 1);

    const again = (await read(id, voter)).json() as PollView;
    assert.deepEqual([again.voted, again.choices], [true, ['tot']], 'the token remembers the vote');
    await assertStored(id, 1, [0, 1, 0, 0]);
  });

  it('answers a repeated vote like the first one and counts nothing, whatever it chooses', async () => {
    const id = await createPoll();
    const voter = await token(id);
    const first = (await vote(id, { choices: ['rat-tot'], voter })).json() as PollView;
    const retry = await vote(id, { choices: ['rat-tot'], voter });
    assert.equal(retry.statusCode, 200);
    const r = retry.json() as PollView;
    assert.equal(r.counted, false);
    assert.deepEqual(r.results, first.results);
    const other = (await vote(id, { choices: ['chua-tot'], voter })).json() as PollView;
    assert.deepEqual([other.counted, other.choices], [false, ['rat-tot']], 'the first vote stands');
    await assertStored(id, 1, [1, 0, 0, 0]);
  });

  it('counts a multiple-choice vote up to its maximum', async () => {
    const id = await createPoll({ multiple: true, maxChoices: 2 });
    const view = (await read(id)).json() as PollView;
    assert.deepEqual([view.multiple, view.maxChoices], [true, 2]);
    const ok = await vote(id, { choices: ['tot', 'rat-tot'], voter: await token(id) });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual((ok.json() as PollView).choices, ['tot', 'rat-tot']);
    const msg = assertError(
      await vote(id, { choices: ['tot', 'rat-tot', 'chua-tot'], voter: await token(id) }),
      400,
      'invalid_choices',
      'three of two',
    );
    assert.match(msg, /at most 2/);
    await assertStored(id, 1, [1, 1, 0, 0]);
  });

  it('refuses every bad input with a clear 4xx and counts nothing', async () => {
    const id = await createPoll();
    const other = await createPoll({
      options: [
        { id: 'co', label: 'Có' },
        { id: 'khong', label: 'Không' },
      ],
    });
    const sameIdElsewhere = await createPoll({}, 't2');
    const closed = await createPoll({ closesAt: isoIn(-HOUR) });
    const upcoming = await createPoll({ opensAt: isoIn(HOUR) });
    const voter = await token(id);
    const [sig, idPart] = [voter.split('.')[1]!, voter.split('.')[0]!];
    const forged = `${idPart}.${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
    const otherPollToken = await token(other);
    // The same poll id on another site: a token of t2 is not one of t1.
    await admin('POST', '/sites/t2/polls', { id, question: 'Q?', options: OPTIONS });
    const otherSiteToken = await token(id, 't2');
    const before = await stored(id);

    const cases: Array<[string, Promise<Reply>, number, string, RegExp?]> = [
      ['unknown poll', vote('khong-co', { choices: ['tot'], voter }), 404, 'not_found', /khong-co/],
      [
        'unknown site',
        vote(id, { choices: ['tot'], voter }, { site: 'khong-co' }),
        404,
        'not_found',
        /khong-co/,
      ],
      [
        'closed poll',
        vote(closed, { choices: ['tot'], voter: await token(closed) }),
        409,
        'poll_closed',
        /closed/,
      ],
      [
        'not yet open',
        vote(upcoming, { choices: ['tot'], voter: await token(upcoming) }),
        409,
        'poll_not_open',
        /opens at/,
      ],
      [
        'two choices on a single-choice poll',
        vote(id, { choices: ['tot', 'rat-tot'], voter }),
        400,
        'invalid_choices',
        /one choice/,
      ],
      ['empty choice list', vote(id, { choices: [], voter }), 400, 'invalid_choices', /empty/],
      [
        'duplicated choices',
        vote(id, { choices: ['tot', 'tot'], voter }),
        400,
        'invalid_choices',
        /twice/,
      ],
      [
        'unknown option',
        vote(id, { choices: ['tuyet-voi'], voter }),
        400,
        'invalid_choices',
        /tuyet-voi/,
      ],
      [
        'an option of another poll',
        vote(id, { choices: ['co'], voter }),
        400,
        'invalid_choices',
        /"co"/,
      ],
      [
        'forged voter token',
        vote(id, { choices: ['tot'], voter: forged }),
        400,
        'invalid_voter',
        /voter token/,
      ],
      [
        "another poll's voter token",
        vote(id, { choices: ['tot'], voter: otherPollToken }),
        400,
        'invalid_voter',
      ],
      [
        "another site's voter token",
        vote(id, { choices: ['tot'], voter: otherSiteToken }),
        400,
        'invalid_voter',
      ],
      [
        'a token of this poll used on the other',
        vote(other, { choices: ['co'], voter }),
        400,
        'invalid_voter',
      ],
      [
        'malformed voter token',
        vote(id, { choices: ['tot'], voter: 'abc' }),
        400,
        'invalid_request',
        /voter/,
      ],
      ['missing voter', vote(id, { choices: ['tot'] }), 400, 'invalid_request', /voter/],
      [
        'choices not a list',
        vote(id, { choices: 'tot', voter }),
        400,
        'invalid_request',
        /choices/,
      ],
      ['unknown field', vote(id, { choices: ['tot'], voter, weight: 100 }), 400, 'invalid_request'],
      ['malformed JSON', vote(id, '{"choices": ["tot"], "voter": '), 400, 'invalid_json'],
      ['empty body', vote(id, ''), 400, 'invalid_json'],
      [
        'text/plain body',
        vote(id, JSON.stringify({ choices: ['tot'], voter }), {
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'unsupported_media_type',
      ],
      [
        '1 MB body',
        vote(id, { choices: ['x'.repeat(1024 * 1024)], voter }),
        413,
        'payload_too_large',
      ],
      ['invalid poll id', vote('Bad%20Poll', { choices: ['tot'], voter }), 400, 'invalid_request'],
      [
        'a GET to the vote URL',
        t.app.inject({
          method: 'GET',
          url: `/api/v1/sites/t1/polls/${id}/votes?choices=tot&voter=${voter}`,
        }),
        405,
        'method_not_allowed',
        /POST/,
      ],
      ['a forged token on GET', read(id, forged), 400, 'invalid_voter'],
      ['a malformed token on GET', read(id, 'x'), 400, 'invalid_request'],
      ['a GET of an unknown poll', read('khong-co'), 404, 'not_found'],
    ];
    for (const [name, pending, status, code, message] of cases) {
      const msg = assertError(await pending, status, code, name);
      if (message) assert.match(msg, message, name);
    }
    const getVotes = await t.app.inject({
      method: 'GET',
      url: `/api/v1/sites/t1/polls/${id}/votes`,
    });
    assert.equal(getVotes.headers.allow, 'POST');
    assert.deepEqual(await stored(id), before, 'nothing was counted');
    for (const p of [other, closed, upcoming]) assert.equal((await stored(p)).voters, 0, p);
    assert.equal((await stored(sameIdElsewhere, 't2')).voters, 0);
    assert.equal((await stored(id, 't2')).voters, 0);
    // The token still works for its own poll afterwards.
    assert.equal((await vote(id, { choices: ['tot'], voter })).json().counted, true);
  });

  it('counts 50 concurrent identical votes once and 50 votes of 50 tokens 50 times, across two instances', async () => {
    // A second instance on its own connection to the same database.
    const second = await testApp(await t.engine.open(), { config: { adminToken: ADMIN_TOKEN } });
    try {
      const id = await createPoll({ ipCeiling: 0 });
      const voter = await token(id);
      const instances = [on(t.app), on(second)];
      const same = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          instances[i % 2]!.vote(id, { choices: ['tot'], voter }),
        ),
      );
      assert.deepEqual(
        [...new Set(same.map((r) => r.statusCode))],
        [200],
        same.find((r) => r.statusCode !== 200)?.body,
      );
      assert.equal(same.filter((r) => r.json().counted).length, 1, 'exactly one counted');
      assert.ok(
        same.every((r) => r.json().results.voters === 1 && r.json().voted),
        'every answer shows the one vote',
      );
      await assertStored(id, 1, [0, 1, 0, 0]);

      const tokens = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? token(id) : voterToken(second, 't1', id))),
      );
      const many = await Promise.all(
        tokens.map((v, i) =>
          instances[i % 2]!.vote(id, { choices: [OPTIONS[i % 4]!.id], voter: v }),
        ),
      );
      assert.deepEqual(
        [...new Set(many.map((r) => r.statusCode))],
        [200],
        many.find((r) => r.statusCode !== 200)?.body,
      );
      assert.equal(many.filter((r) => r.json().counted).length, 50);
      await assertStored(id, 51, [13, 14, 12, 12]);
    } finally {
      await second.close();
    }
  });

  it('checks every vote against the poll as it is now, even when another instance changed it', async () => {
    const second = await testApp(await t.engine.open(), { config: { adminToken: ADMIN_TOKEN } });
    try {
      const id = await createPoll({ multiple: true, maxChoices: 2 });
      // This instance reads (and keeps) the poll while checking a vote.
      assertError(
        await vote(id, { choices: ['nope'], voter: await token(id) }),
        400,
        'invalid_choices',
        'warm-up',
      );
      assert.equal(
        (await on(second).admin('PATCH', `/sites/t1/polls/${id}`, { multiple: false })).statusCode,
        200,
      );
      assertError(
        await vote(id, { choices: ['tot', 'rat-tot'], voter: await token(id) }),
        400,
        'invalid_choices',
        'now single-choice',
      );
      assert.equal(
        (await on(second).admin('PATCH', `/sites/t1/polls/${id}`, { resultsVisibility: 'never' }))
          .statusCode,
        200,
      );
      const hidden = await vote(id, { choices: ['tot'], voter: await token(id) });
      assert.equal(hidden.statusCode, 200, hidden.body);
      assert.equal(
        hidden.json().results,
        undefined,
        'the new visibility applies to the very next vote',
      );
      assert.equal((await on(second).admin('POST', `/sites/t1/polls/${id}/close`)).statusCode, 200);
      assertError(
        await vote(id, { choices: ['tot'], voter: await token(id) }),
        409,
        'poll_closed',
        'closed elsewhere',
      );
      assert.equal((await stored(id)).voters, 1);
    } finally {
      await second.close();
    }
  });

  it('derives the voter key from the master secret, not the database: a restart accepts the tokens', async () => {
    const id = await createPoll();
    const voter = await token(id);
    const keys = await t.storage.db
      .selectFrom('server_secrets')
      .select('name')
      .where('name', '=', 'poll-voter-key')
      .execute();
    assert.equal(keys.length, 0, 'no key in the database');
    const restarted = await testApp(await t.engine.open());
    try {
      const res = await on(restarted).vote(id, { choices: ['binh-thuong'], voter });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().counted, true);
      assert.equal((await on(restarted).read(id, voter)).json().voted, true);
    } finally {
      await restarted.close();
    }
  });

  it('refuses votes over the per-IP-prefix ceiling with 429 vote_limit, storing no address', async () => {
    const id = await createPoll({ ipCeiling: 3 });
    const counted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const v = await token(id);
      const res = await vote(
        id,
        { choices: ['tot'], voter: v },
        { ip: `2001:db8:7:7::${i + 1}`, headers: { 'x-forwarded-for': `198.51.100.${i}` } },
      );
      assert.equal(res.statusCode, 200, res.body);
      counted.push(v);
    }
    const over = await vote(
      id,
      { choices: ['tot'], voter: await token(id) },
      { ip: '2001:db8:7:7:ffff::1', headers: { 'x-forwarded-for': '198.51.100.99' } },
    );
    assertError(
      over,
      429,
      'vote_limit',
      'fourth vote from the same /64 (a forged X-Forwarded-For buys nothing)',
    );
    const retryAfter = Number(over.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 86_400, `Retry-After ${retryAfter}`);
    const repeat = await vote(
      id,
      { choices: ['tot'], voter: counted[0] },
      { ip: '2001:db8:7:7::1' },
    );
    assert.equal(repeat.statusCode, 200, 'a repeat of a counted vote still answers');
    assert.equal(repeat.json().counted, false);
    assert.equal(
      (await vote(id, { choices: ['tot'], voter: await token(id) }, { ip: '2001:db8:7:8::1' }))
        .statusCode,
      200,
      'another /64 votes',
    );
    const elsewhere = await createPoll({ ipCeiling: 3 });
    assert.equal(
      (
        await vote(
          elsewhere,
          { choices: ['tot'], voter: await token(elsewhere) },
          { ip: '2001:db8:7:7::1' },
        )
      ).statusCode,
      200,
      'the ceiling is per poll',
    );
    assert.equal((await stored(id)).voters, 4);
    const rows = await t.storage.db
      .selectFrom('poll_ip_counts')
      .selectAll()
      .where('poll', '=', id)
      .execute();
    // The two /64s and their /48 (one network).
    assert.deepEqual(rows.map((r) => Number(r.count)).sort(), [1, 3, 4]);
    const dump =
      JSON.stringify(rows) +
      JSON.stringify(
        await t.storage.db.selectFrom('poll_votes').selectAll().where('poll', '=', id).execute(),
      );
    for (const secret of ['2001:db8', '198.51.100', '203.0.113'])
      assert.ok(!dump.includes(secret), `stored ${secret}`);
    assert.deepEqual(
      await saltDays(),
      [new Date().toISOString().slice(0, 10)],
      "only today's salt",
    );
  });

  it('shows results only as the poll says, through every public route', async () => {
    /** No result figure anywhere in a public answer. */
    const noResults = (res: Reply, what: string) => {
      assert.ok(res.statusCode < 500, what);
      assert.ok(!/"results"|"votes"|"voters"/.test(res.body), `${what} leaks results: ${res.body}`);
    };
    const hasResults = (res: Reply, voters: number, what: string) => {
      assert.equal(res.statusCode, 200, what);
      assert.equal((res.json() as PollView).results?.voters, voters, what);
    };
    const close = async (id: string) =>
      assert.equal((await admin('POST', `/sites/t1/polls/${id}/close`)).statusCode, 200);

    // never: not before voting, not after, not after closing; the admin API sees them.
    const never = await createPoll({ resultsVisibility: 'never' });
    const n1 = await token(never);
    noResults(await read(never), 'never: GET');
    noResults(await read(never, n1), 'never: GET with token');
    noResults(await vote(never, { choices: ['tot'], voter: n1 }), 'never: POST');
    noResults(await vote(never, { choices: ['tot'], voter: n1 }), 'never: repeat POST');
    noResults(await read(never, n1), 'never: GET after voting');
    noResults(await vote(never, { choices: ['bad'], voter: n1 }), 'never: error');
    noResults(
      await t.app.inject({ method: 'GET', url: `/api/v1/sites/t1/polls/${never}/votes` }),
      'never: GET votes URL',
    );
    await close(never);
    noResults(await read(never, n1), 'never: GET after closing');
    noResults(
      await vote(never, { choices: ['tot'], voter: await token(never) }),
      'never: vote on closed',
    );
    noResults(await vote(never, { choices: ['tot'], voter: n1 }), 'never: repeat on closed');
    assert.equal((await admin('GET', `/sites/t1/polls/${never}`)).json().voters, 1);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/admin/sites/t1/polls/${never}/results` }))
        .statusCode,
      401,
      'admin results need the token',
    );

    // after_vote: a voter who voted sees them; others do not, until the poll closes.
    const afterVote = await createPoll({ resultsVisibility: 'after_vote' });
    const a1 = await token(afterVote);
    const a2 = await token(afterVote);
    noResults(await read(afterVote), 'after_vote: GET');
    noResults(await read(afterVote, a1), 'after_vote: GET before voting');
    noResults(await vote(afterVote, { choices: ['tuyet-voi'], voter: a1 }), 'after_vote: bad vote');
    hasResults(await vote(afterVote, { choices: ['tot'], voter: a1 }), 1, 'after_vote: POST');
    hasResults(await read(afterVote, a1), 1, 'after_vote: GET by the voter');
    noResults(await read(afterVote, a2), 'after_vote: GET by someone else');
    noResults(await read(afterVote), 'after_vote: GET without token');
    await close(afterVote);
    hasResults(await read(afterVote, a2), 1, 'after_vote: GET after closing');

    // after_close: nobody before closing, not even voters; everybody after.
    const afterClose = await createPoll({ resultsVisibility: 'after_close' });
    const c1 = await token(afterClose);
    const voted = await vote(afterClose, { choices: ['tot'], voter: c1 });
    noResults(voted, 'after_close: POST');
    assert.equal(voted.json().voted, true);
    noResults(await vote(afterClose, { choices: ['tot'], voter: c1 }), 'after_close: repeat POST');
    noResults(await read(afterClose, c1), 'after_close: GET by the voter');
    noResults(await read(afterClose), 'after_close: GET');
    await close(afterClose);
    hasResults(await read(afterClose), 1, 'after_close: GET after closing');
    hasResults(
      await vote(afterClose, { choices: ['tot'], voter: c1 }),
      1,
      'after_close: repeat after closing',
    );

    // always
    const always = await createPoll();
    hasResults(await read(always), 0, 'always: GET');
  });

  it('opens and closes on schedule and by the admin', async () => {
    const opensAt = isoIn(2 * HOUR);
    const id = await createPoll({ opensAt, closesAt: isoIn(5 * HOUR) });
    const view = (await read(id)).json() as PollView;
    assert.equal(view.status, 'upcoming');
    assert.equal(view.opensAt, opensAt);
    const voter = await token(id);
    assertError(await vote(id, { choices: ['tot'], voter }), 409, 'poll_not_open', 'upcoming');
    const opened = await admin('POST', `/sites/t1/polls/${id}/open`);
    assert.equal(opened.json().status, 'open');
    assert.equal((await vote(id, { choices: ['tot'], voter })).statusCode, 200);
    const closed = await admin('POST', `/sites/t1/polls/${id}/close`);
    assert.equal(closed.json().status, 'closed');
    assert.equal((await read(id)).json().status, 'closed');
    assertError(
      await vote(id, { choices: ['tot'], voter: await token(id) }),
      409,
      'poll_closed',
      'closed',
    );
    const repeat = await vote(id, { choices: ['tot'], voter });
    assert.deepEqual(
      [repeat.statusCode, repeat.json().counted],
      [200, false],
      'a retry after closing answers like the vote',
    );
    assert.equal(
      (await admin('POST', `/sites/t1/polls/${id}/open`)).json().status,
      'open',
      'reopened',
    );
    assert.equal((await vote(id, { choices: ['tot'], voter: await token(id) })).statusCode, 200);
    assert.equal((await stored(id)).voters, 2);
  });

  it('lets the admin create, list, edit (options only before the first vote) and delete polls', async () => {
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/admin/sites/t1/polls',
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        })
      ).statusCode,
      401,
    );
    const id = await createPoll({
      resultsVisibility: 'after_vote',
      ipCeiling: 20,
      requireProof: true,
    });
    const got = (await admin('GET', `/sites/t1/polls/${id}`)).json();
    assert.deepEqual(
      [got.resultsVisibility, got.ipCeiling, got.requireProof, got.voters, got.status],
      ['after_vote', 20, true, 0, 'open'],
    );
    assert.equal((await read(id)).json().requireProof, true);
    assertError(
      await admin('POST', '/sites/t1/polls', { id, question: 'again', options: OPTIONS }),
      409,
      'conflict',
      'duplicate id',
    );
    assertError(
      await admin('POST', '/sites/khong-co/polls', { id: 'x', question: 'Q', options: OPTIONS }),
      404,
      'not_found',
      'unknown site',
    );
    assert.ok(
      (await admin('GET', '/sites/t1/polls')).json().items.some((p: { id: string }) => p.id === id),
    );

    const edited = await admin('PATCH', `/sites/t1/polls/${id}`, {
      options: [{ id: 'co', label: 'Có' }, { id: 'khong', label: 'Không' }, { label: 'Chưa rõ' }],
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(
      edited.json().options.map((o: { id: string }) => o.id),
      ['co', 'khong', 'o3'],
    );
    // (Without the proof requirement, so that this vote counts without a captcha.)
    await admin('PATCH', `/sites/t1/polls/${id}`, { requireProof: false });
    assert.equal((await vote(id, { choices: ['co'], voter: await token(id) })).statusCode, 200);
    assertError(
      await admin('PATCH', `/sites/t1/polls/${id}`, { options: OPTIONS }),
      409,
      'poll_has_votes',
      'options after a vote',
    );
    assertError(
      await admin('PATCH', `/sites/t1/polls/${id}`, { multiple: true }),
      409,
      'poll_has_votes',
      'multiple after a vote',
    );
    const reworded = await admin('PATCH', `/sites/t1/polls/${id}`, {
      question: 'Bạn thấy cổng thông tin thế nào?',
      resultsVisibility: 'always',
      closesAt: isoIn(HOUR),
    });
    assert.equal(reworded.statusCode, 200, reworded.body);
    assert.equal(reworded.json().question, 'Bạn thấy cổng thông tin thế nào?');
    assert.equal((await read(id)).json().results.voters, 1, 'the new visibility applies at once');
    assert.equal(reworded.json().options.find((o: { id: string }) => o.id === 'co').votes, 1);

    const bad: Array<[string, unknown]> = [
      ['one option', { id: 'x1', question: 'Q', options: [{ label: 'A' }] }],
      [
        'duplicate option ids',
        {
          id: 'x2',
          question: 'Q',
          options: [
            { id: 'a', label: 'A' },
            { id: 'a', label: 'B' },
          ],
        },
      ],
      ['duplicate labels', { id: 'x3', question: 'Q', options: [{ label: 'A' }, { label: 'a' }] }],
      [
        'maxChoices on a single-choice poll',
        { id: 'x4', question: 'Q', options: OPTIONS, maxChoices: 2 },
      ],
      [
        'maxChoices above the options',
        { id: 'x5', question: 'Q', options: OPTIONS, multiple: true, maxChoices: 5 },
      ],
      [
        'closes before it opens',
        { id: 'x6', question: 'Q', options: OPTIONS, opensAt: isoIn(HOUR), closesAt: isoIn(-HOUR) },
      ],
      ['not a date', { id: 'x7', question: 'Q', options: OPTIONS, closesAt: 'next week' }],
      [
        'unknown visibility',
        { id: 'x8', question: 'Q', options: OPTIONS, resultsVisibility: 'sometimes' },
      ],
      ['unknown field', { id: 'x9', question: 'Q', options: OPTIONS, colour: 'red' }],
      ['control characters', { id: 'x10', question: 'Q\u0000', options: OPTIONS }],
      ['bad id', { id: 'Bad Id', question: 'Q', options: OPTIONS }],
      ['blank question', { id: 'x11', question: '   ', options: OPTIONS }],
    ];
    for (const [name, body] of bad)
      assertError(await admin('POST', '/sites/t1/polls', body), 400, 'invalid_request', name);
    assertError(
      await admin('PATCH', `/sites/t1/polls/${id}`, {}),
      400,
      'invalid_request',
      'empty patch',
    );
    assert.equal(
      (await admin('GET', '/sites/t1/polls'))
        .json()
        .items.filter((p: { id: string }) => /^x\d/.test(p.id)).length,
      0,
      'nothing created',
    );

    assert.equal((await admin('DELETE', `/sites/t1/polls/${id}`)).statusCode, 204);
    assertError(await read(id), 404, 'not_found', 'deleted poll');
    assertError(await admin('DELETE', `/sites/t1/polls/${id}`), 404, 'not_found', 'deleted twice');
    const left = await t.storage.db
      .selectFrom('poll_votes')
      .select('voter')
      .where('site', '=', 't1')
      .where('poll', '=', id)
      .execute();
    assert.equal(left.length, 0, 'its votes are gone');
  });

  it('gives the admin results over time and a CSV export', async () => {
    const id = await createPoll({
      options: [
        { id: 'a', label: '=HYPERLINK("http://evil")' },
        { id: 'b', label: 'Tốt, rất tốt' },
      ],
    });
    for (const choice of ['a', 'b', 'b'])
      await vote(id, { choices: [choice], voter: await token(id) });
    const res = await admin('GET', `/sites/t1/polls/${id}/results?interval=hour`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.timeZone, 'Asia/Ho_Chi_Minh');
    assert.equal(body.poll.voters, 3);
    const total = body.series.reduce((n: number, r: { voters: number }) => n + r.voters, 0);
    assert.equal(total, 3);
    assert.match(body.series.at(-1).period, /^\d{4}-\d{2}-\d{2}T\d{2}:00$/);
    const hourNow = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Ho_Chi_Minh',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(Date.now());
    assert.ok(
      body.series.at(-1).period.endsWith(`T${hourNow}:00`) || body.series.length > 1,
      'periods are in the site time zone',
    );
    const day = (await admin('GET', `/sites/t1/polls/${id}/results`)).json();
    assert.equal(day.interval, 'day');
    assert.match(day.series[0].period, /^\d{4}-\d{2}-\d{2}$/);

    const csv = await admin('GET', `/sites/t1/polls/${id}/results.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="t1-.*\.csv"/);
    assert.ok(csv.body.startsWith('\uFEFF'), 'UTF-8 byte-order mark for spreadsheets');
    const lines = csv.body.slice(1).trim().split('\r\n');
    assert.equal(lines[0], `day,voters,"'=HYPERLINK(""http://evil"")","Tốt, rất tốt"`);
    assert.equal(lines.at(-1), 'total,3,1,2');
    assertError(
      await admin('GET', `/sites/t1/polls/${id}/results?interval=year`),
      400,
      'invalid_request',
      'bad interval',
    );
  });

  it('exports CSV a spreadsheet reads as text: formula starts defused, quotes doubled, by hour', async () => {
    const labels = ['+84 hotline', '-1 điểm', '@admin', 'Nói "có"', 'Bình thường'];
    const id = await createPoll({
      question: '=1+1 câu hỏi',
      options: labels.map((label, i) => ({ id: `c${i}`, label })),
      multiple: true,
    });
    await vote(id, { choices: ['c0', 'c3'], voter: await token(id) });
    await vote(id, { choices: ['c3'], voter: await token(id) }, { ip: '203.0.113.11' });
    const csv = await admin('GET', `/sites/t1/polls/${id}/results.csv?interval=hour`);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(csv.headers['content-disposition'], `attachment; filename="t1-${id}-hour.csv"`);
    assert.equal(csv.headers['cache-control'], 'no-store');
    assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
    const lines = csv.body.slice(1).split('\r\n');
    assert.equal(lines.at(-1), '', 'every line ends with CRLF');
    assert.equal(lines[0], `hour,voters,'+84 hotline,'-1 điểm,'@admin,"Nói ""có""",Bình thường`);
    assert.match(lines[1]!, /^\d{4}-\d{2}-\d{2}T\d{2}:00,2,1,0,0,2,0$/);
    assert.equal(lines.at(-2), 'total,2,1,0,0,2,0');
    assert.ok(!/^[=+\-@]|,[=+\-@]/m.test(csv.body.slice(1)), 'no cell starts a formula');
  });

  it("refuses another site's editor the results and the CSV, and gives them to its own", async () => {
    const id = await createPoll({}, 't2');
    const editor = await createUser(admin, `csv-${engine.name}@so-tt.example.gov.vn`, 'editor', [
      't1',
    ]);
    const send = withCookie(t.app, await signIn(t.app, editor.email));
    for (const path of ['results.csv', 'results', '']) {
      const res = await send(
        'GET',
        `/api/v1/admin/sites/t2/polls/${id}/${path}`.replace(/\/$/, ''),
      );
      assertError(res, 403, 'forbidden', `t2 ${path}`);
      assert.ok(!res.body.includes('Bạn đánh giá'), 'nothing of the poll');
    }
    const own = await createPoll({}, 't1');
    const res = await send('GET', `/api/v1/admin/sites/t1/polls/${own}/results.csv`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(
      res.body,
      /^\uFEFFday,voters,Rất tốt,Tốt,Bình thường,Chưa tốt\r\ntotal,0,0,0,0,0\r\n$/,
    );
    assertError(
      await send('GET', `/api/v1/admin/sites/t1/polls/khong-co/results.csv`),
      404,
      'not_found',
      'unknown poll',
    );
  });

  it('rotates the IP salt daily: the next day deletes the old salt and its counts', async () => {
    let now = Date.parse('2026-03-01T23:59:00Z');
    const polls = new Polls(t.storage, () => now);
    const id = `salt-${engine.name}`;
    await polls.store.create({ ...DEMO_POLL, site: 't1', id, question: 'Q?', ipCeiling: 1 }, now);
    const ip = '198.51.100.7';
    const voteFromIp = async () =>
      polls.vote('t1', id, { choices: ['tot'], voter: await polls.issueToken('t1', id) }, ip);
    assert.equal((await voteFromIp()).counted, true);
    await assert.rejects(voteFromIp(), (err: { code?: string }) => err.code === 'vote_limit');
    const saltsOf = async () => (await saltDays()).filter((day) => day.startsWith('2026-03'));
    const days = async () => {
      const rows = await t.storage.db
        .selectFrom('poll_ip_counts')
        .select('day')
        .where('poll', '=', id)
        .execute();
      // One day per row: the address's count and its network's.
      return [...new Set(rows.map((r) => r.day))].sort();
    };
    assert.deepEqual(await saltsOf(), ['2026-03-01']);
    assert.deepEqual(await days(), ['2026-03-01']);
    now = Date.parse('2026-03-02T00:01:00Z');
    assert.equal((await voteFromIp()).counted, true, 'a new day, a new count');
    // The deletion runs after the vote's answer; idle() waits for it.
    await polls.idle();
    assert.deepEqual(await saltsOf(), ['2026-03-02'], "yesterday's salt is gone");
    assert.deepEqual(await days(), ['2026-03-02'], "yesterday's counts are gone");
  });

  it('allows browser votes only from the listed origins', async () => {
    const id = await createPoll();
    const voter = await token(id);
    assertError(
      await vote(id, { choices: ['tot'], voter }, { headers: { origin: 'https://evil.example' } }),
      403,
      'origin_not_allowed',
      'unlisted origin',
    );
    assert.equal((await stored(id)).voters, 0);
    const ok = await vote(id, { choices: ['tot'], voter }, { headers: { origin: DEMO_ORIGIN } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['access-control-allow-origin'], DEMO_ORIGIN);
  });
});

describe('polls: logs', () => {
  let logs = '';
  const stream = new Writable({ write: (chunk, _enc, cb) => ((logs += chunk.toString()), cb()) });
  // Every request's lines (LOG_REQUESTS=on): what they carry is checked too.
  const t = useTestApp(undefined, {
    logger: { level: 'trace', stream },
    config: { logRequests: true },
  });

  it('never writes the voter address into a log line', async () => {
    await t.admin('POST', '/sites/t1/polls', { id: 'p', question: 'Q?', options: OPTIONS });
    const voter = await voterToken(t.app, 't1', 'p', '203.0.113.77');
    for (const choices of [['tot'], ['nope']]) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sites/t1/polls/p/votes',
        remoteAddress: '203.0.113.77',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ choices, voter }),
      });
    }
    assert.ok(logs.includes('/api/v1/sites/t1/polls/p/votes'), 'requests are logged');
    assert.ok(!logs.includes('203.0.113.77'), 'no address in the logs');
  });
});
