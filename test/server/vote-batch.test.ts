/**
 * Votes by group commit (polls/service.ts `VoteQueue`, polls/store.ts `voteBatch`): many
 * concurrent votes are written in few transactions, each answered only once its vote is
 * committed; exactness, "one vote per voter" and the per-IP ceiling are unchanged.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_POLL } from '../../src/server/polls/seed.js';
import type { VoteInput } from '../../src/server/polls/store.js';
import { useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
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
    store.voteBatch = (inputs: VoteInput[]) => (batches.push(inputs.length), original(inputs));
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
