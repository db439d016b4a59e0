/**
 * Votes by group commit (polls/service.ts `VoteQueue`, polls/store.ts `voteBatch`): many
 * concurrent votes are written in few transactions, each answered only once its vote is
 * committed; exactness, "one vote per voter" and the per-IP ceiling are unchanged. On
 * PostgreSQL without Redis, a batch's change notice is sent by its own commit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { PG_CHANNEL, PostgresChanges } from '../../src/server/core/changes.js';
import { DEMO_POLL } from '../../src/server/polls/seed.js';
import type { VoteInput } from '../../src/server/polls/store.js';
import { ADMIN_TOKEN, adminClient, seedTestSite, testApp, useTestApp } from '../helpers/app.js';
import { describeEngines, POSTGRES, type TestEngine } from '../helpers/engines.js';
import { voterToken } from '../helpers/voters.js';

const OPTIONS = DEMO_POLL.options.map((o) => o.id);

describeEngines('votes by group commit', (engine) => {
  const t = useTestApp(engine);
  const { admin } = t;
  /** Sizes of the batches the store was given. */
  const batches: number[] = [];

  const createPoll = async (id: string, extra: Record<string, unknown> = {}) => {
    const res = await admin('POST', '/sites/t1/polls', {
      id,
      question: 'Nhiều phiếu cùng lúc?',
      options: DEMO_POLL.options,
      multiple: true,
      maxChoices: 2,
      ...extra,
    });
    assert.equal(res.statusCode, 201, res.body);
  };
  const token = (poll: string) => voterToken(t.app, 't1', poll);
  const vote = (poll: string, voter: string, choices: string[], ip: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/t1/polls/${poll}/votes`,
      remoteAddress: ip,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ choices, voter }),
    });
  /** The stored vote rows of `poll`: voter id → choices. */
  const rows = async (poll: string) => {
    const all = await t.storage.db
      .selectFrom('poll_votes')
      .select(['voter', 'choices'])
      .where('site', '=', 't1')
      .where('poll', '=', poll)
      .execute();
    return new Map(all.map((r) => [r.voter, JSON.parse(r.choices) as string[]]));
  };
  const voterId = (token: string) => token.split('.')[0]!;

  it('groups concurrent votes; each acknowledged vote is stored, duplicates are refused', async () => {
    const store = t.app.polls.store;
    const original = store.voteBatch.bind(store);
    /** Votes the batches counted themselves (the others were answered one by one). */
    let countedByBatch = 0;
    store.voteBatch = async (inputs: VoteInput[]) => {
      batches.push(inputs.length);
      const outcomes = await original(inputs);
      countedByBatch += outcomes.filter((o) => o?.kind === 'counted').length;
      return outcomes;
    };
    await createPoll('many', { ipCeiling: 0 });
    await createPoll('other', { ipCeiling: 0 });
    const tokens = await Promise.all(Array.from({ length: 120 }, () => token('many')));
    const otherTokens = await Promise.all(Array.from({ length: 30 }, () => token('other')));
    /** Each token once, a third of them a second time with other choices, two polls mixed. */
    const requests: Array<{ poll: string; voter: string; choices: string[] }> = [];
    tokens.forEach((voter, i) => {
      requests.push({ poll: 'many', voter, choices: [OPTIONS[i % 4]!] });
      if (i % 3 === 0)
        requests.push({
          poll: 'many',
          voter,
          choices: [OPTIONS[(i + 1) % 4]!, OPTIONS[(i + 2) % 4]!],
        });
    });
    otherTokens.forEach((voter, i) =>
      requests.push({ poll: 'other', voter, choices: [OPTIONS[i % 2]!] }),
    );
    /** For each answer: was its vote row in the database when the answer arrived? */
    const storedOnAnswer: boolean[] = [];
    const answers: LightMyRequestResponse[] = await Promise.all(
      requests.map((r, i) =>
        vote(r.poll, r.voter, r.choices, `203.0.113.${i % 200}`).then(async (res) => {
          const row = await t.storage.db
            .selectFrom('poll_votes')
            .select('voter')
            .where('site', '=', 't1')
            .where('poll', '=', r.poll)
            .where('voter', '=', voterId(r.voter))
            .executeTakeFirst();
          storedOnAnswer[i] = !!row;
          return res;
        }),
      ),
    );
    for (const res of answers) assert.equal(res.statusCode, 200, res.body);
    assert.ok(storedOnAnswer.every(Boolean), 'every answer came after its vote was committed');
    assert.ok(
      batches.some((n) => n > 1),
      `votes arriving together share a transaction (batches: ${batches.join(', ')})`,
    );
    // Every first vote of a voter is counted by its batch: none fell back to a vote on its own
    // (a batch that fails is answered vote by vote, which would hide the failure).
    assert.equal(countedByBatch, 150);

    for (const poll of ['many', 'other']) {
      const stored = await rows(poll);
      const counted = new Map<string, string[]>();
      answers.forEach((res, i) => {
        const r = requests[i]!;
        if (r.poll !== poll) return;
        const body = res.json();
        assert.equal(body.voted, true);
        if (body.counted) {
          assert.ok(!counted.has(r.voter), 'a voter is counted once');
          counted.set(r.voter, r.choices);
        }
        assert.deepEqual(
          body.choices,
          stored.get(voterId(r.voter)),
          'every answer shows the stored choices',
        );
      });
      const voters = poll === 'many' ? 120 : 30;
      assert.equal(counted.size, voters, `${poll}: one counted vote per token`);
      assert.equal(stored.size, voters);
      for (const [voter, choices] of counted) assert.deepEqual(stored.get(voterId(voter)), choices);
      // Tallies: exactly the stored votes.
      const expected = Object.fromEntries(OPTIONS.map((o) => [o, 0]));
      for (const choices of stored.values()) for (const c of choices) expected[c]!++;
      const poll2 = (await t.app.polls.store.get('t1', poll))!;
      assert.equal(poll2.voters, voters);
      assert.deepEqual(Object.fromEntries(poll2.options.map((o) => [o.id, o.votes])), expected);
      const last = (
        await t.app.inject({ method: 'GET', url: `/api/v1/sites/t1/polls/${poll}` })
      ).json();
      assert.equal(last.results.voters, voters, 'the next read shows them all');
    }
    store.voteBatch = original;
  });

  it('keeps the per-IP ceiling exact when the votes of one network arrive together', async () => {
    await createPoll('ceiling', { ipCeiling: 5 });
    const tokens = await Promise.all(Array.from({ length: 30 }, () => token('ceiling')));
    const answers = await Promise.all(
      tokens.map((v) => vote('ceiling', v, ['tot'], '198.51.100.77')),
    );
    const counted = answers.filter((r) => r.statusCode === 200 && r.json().counted);
    const refused = answers.filter((r) => r.statusCode === 429);
    assert.equal(counted.length, 5, answers.map((r) => r.statusCode).join(','));
    assert.equal(refused.length, 25);
    for (const r of refused) assert.equal(r.json().error.code, 'vote_limit');
    assert.equal((await rows('ceiling')).size, 5, 'refused votes left no row');
    assert.equal((await t.app.polls.store.get('t1', 'ceiling'))!.voters, 5);
  });

  it("keeps the network's ceiling exact too, giving back the address's count of a refused vote", async () => {
    // Ceiling 1 per address, so 10 (NET_CEILING_FACTOR) per /24 network.
    await createPoll('network', { ipCeiling: 1 });
    const tokens = await Promise.all(Array.from({ length: 30 }, () => token('network')));
    const answers = await Promise.all(
      tokens.map((v, i) => vote('network', v, ['tot'], `198.51.100.${i + 1}`)),
    );
    const counted = answers.filter((r) => r.statusCode === 200 && r.json().counted).length;
    assert.equal(counted, 10, answers.map((r) => r.statusCode).join(','));
    assert.equal(answers.filter((r) => r.json().error?.code === 'vote_limit').length, 20);
    assert.equal((await rows('network')).size, 10);
    const counts = await t.storage.db
      .selectFrom('poll_ip_counts')
      .select(['ip_key', 'count'])
      .where('site', '=', 't1')
      .where('poll', '=', 'network')
      .execute();
    const total = counts.reduce((a, r) => a + Number(r.count), 0);
    assert.equal(total, 20, 'ten on the addresses that voted, ten on their network, nothing else');
  });

  it('keeps the poll it checks votes against after a vote: the next votes do not read it again', async () => {
    await createPoll('kept', { ipCeiling: 0 });
    const tokens = await Promise.all(Array.from({ length: 3 }, () => token('kept')));
    assert.equal((await vote('kept', tokens[0]!, ['tot'], '192.0.2.50')).json().counted, true);
    const store = t.app.polls.store;
    const original = store.get.bind(store);
    let reads = 0;
    store.get = (site: string, id: string) => (reads++, original(site, id));
    try {
      for (const [i, voter] of tokens.slice(1).entries()) {
        const res = await vote('kept', voter, ['rat-tot'], `192.0.2.${51 + i}`);
        assert.equal(res.json().counted, true, res.body);
        assert.equal(res.json().results.voters, i + 2, 'the answer has the tallies of the vote');
      }
    } finally {
      store.get = original;
    }
    assert.equal(reads, 0, 'a counted vote changes no setting of the poll');
  });

  it('reads the poll once for all the votes that find it expired at once', async () => {
    await createPoll('herd', { ipCeiling: 0 });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => token('herd')));
    t.app.polls.forget('t1', 'herd');
    const store = t.app.polls.store;
    const original = store.get.bind(store);
    let reads = 0;
    store.get = (site: string, id: string) => (reads++, original(site, id));
    try {
      const answers = await Promise.all(
        tokens.map((v, i) => vote('herd', v, ['tot'], `192.0.2.${100 + i}`)),
      );
      for (const res of answers) assert.equal(res.json().counted, true, res.body);
    } finally {
      store.get = original;
    }
    assert.equal(reads, 1);
  });

  it('answers a vote on a poll closed meanwhile with 409, beside votes that count', async () => {
    await createPoll('closing', { ipCeiling: 0 });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => token('closing')));
    const before = await Promise.all(
      tokens.slice(0, 5).map((v, i) => vote('closing', v, ['tot'], `192.0.2.${i}`)),
    );
    assert.ok(before.every((r) => r.json().counted));
    assert.equal((await admin('POST', '/sites/t1/polls/closing/close')).statusCode, 200);
    const after = await Promise.all(
      tokens.slice(5).map((v, i) => vote('closing', v, ['tot'], `192.0.2.${i + 5}`)),
    );
    for (const r of after) assert.equal(r.json().error?.code, 'poll_closed', r.body);
    assert.equal((await rows('closing')).size, 5);
  });
});

describe(
  'votes on PostgreSQL: the change notice goes with the commit',
  { skip: POSTGRES.skip },
  () => {
    let engine: TestEngine;
    const apps: FastifyInstance[] = [];
    /** Handed to the apps, closed here (core/index.ts). */
    const buses: PostgresChanges[] = [];
    let listener: pg.Client;
    /** The notices of poll `notice` heard on the channel by a client of its own. */
    let heard = 0;
    before(async () => {
      engine = await POSTGRES.create();
      for (let i = 0; i < 2; i++) {
        const storage = await engine.open();
        if (i === 0) await seedTestSite(storage);
        const changes = await PostgresChanges.open(engine.env.DATABASE_URL!, storage.db);
        buses.push(changes);
        apps.push(await testApp(storage, { changes, config: { adminToken: ADMIN_TOKEN } }));
      }
      listener = new pg.Client({ connectionString: engine.env.DATABASE_URL });
      await listener.connect();
      listener.on('notification', (n) => {
        const m = JSON.parse(n.payload ?? '{}') as { kind?: string; id?: string };
        if (n.channel === PG_CHANNEL && m.kind === 'poll' && m.id === 'notice') heard++;
      });
      await listener.query(`listen ${PG_CHANNEL}`);
    });
    after(async () => {
      await listener?.end();
      for (const app of apps) await app.close();
      for (const bus of buses) await bus.close();
      await engine?.drop();
    });

    it('sends one notice per batch, with the commit, heard by the other instance', async () => {
      const [a, b] = apps as [FastifyInstance, FastifyInstance];
      const created = await adminClient(a)('POST', '/sites/t1/polls', {
        id: 'notice',
        question: 'Một thông báo mỗi lô?',
        options: DEMO_POLL.options,
        ipCeiling: 0,
      });
      assert.equal(created.statusCode, 201, created.body);
      const read = async (app: FastifyInstance) =>
        (await app.inject({ method: 'GET', url: '/api/v1/sites/t1/polls/notice' })).json();
      const tokens = await Promise.all(
        Array.from({ length: 60 }, () => voterToken(a, 't1', 'notice')),
      );
      assert.equal(
        (await read(b)).results.voters,
        0,
        'the other instance keeps the poll in memory',
      );
      await until(() => heard > 0, 'the notice of the poll made');
      heard = 0;

      const store = a.polls.store;
      const original = store.voteBatch.bind(store);
      let batches = 0;
      store.voteBatch = async (inputs: VoteInput[]) => {
        const outcomes = await original(inputs);
        if (outcomes.some((o) => o?.kind === 'counted')) batches++;
        return outcomes;
      };
      // Notices sent by a statement of their own (not with a vote's commit).
      const bus = a.civic.changes as unknown as { send: (c: unknown) => Promise<void> };
      const send = bus.send.bind(bus);
      let separate = 0;
      bus.send = (c) => (separate++, send(c));
      try {
        const answers = await Promise.all(
          tokens.map((voter, i) =>
            a.inject({
              method: 'POST',
              url: '/api/v1/sites/t1/polls/notice/votes',
              remoteAddress: `192.0.2.${i + 1}`,
              headers: { 'content-type': 'application/json' },
              payload: JSON.stringify({ choices: ['tot'], voter }),
            }),
          ),
        );
        for (const res of answers) assert.equal(res.json().counted, true, res.body);
      } finally {
        store.voteBatch = original;
        bus.send = send;
      }
      assert.ok(batches >= 1 && batches < 60, `votes were grouped (${batches} batches)`);
      assert.equal(separate, 0, 'no notice needed a statement of its own');
      await until(
        async () => (await read(b)).results.voters === 60,
        'the votes read on the other instance',
      );
      await sleep(200);
      assert.equal(heard, batches, 'one notice per batch');

      // A change outside a vote (an admin edit) still sends its own notice.
      const closed = await adminClient(a)('POST', '/sites/t1/polls/notice/close');
      assert.equal(closed.statusCode, 200, closed.body);
      await until(
        async () => (await read(b)).status === 'closed',
        'the close read on the other instance',
      );
    });
  },
);

/** Waits (up to 5 s) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
