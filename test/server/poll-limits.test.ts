import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { NET_TOKENS_PER_HOUR, TOKENS_PER_HOUR } from '../../src/server/polls/routes.js';
import { NET_CEILING_FACTOR } from '../../src/server/polls/store.js';
import { DEMO_POLL } from '../../src/server/polls/seed.js';
import type { CaptchaChallenge } from '../../src/shared/captcha.js';
import type { PollView } from '../../src/shared/polls.js';
import { useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';
import { newVoter, voterToken } from '../helpers/voters.js';
import { solvePow } from '../helpers/pow.js';

const OPTIONS = DEMO_POLL.options;

describeEngines('poll limits and proof', (engine) => {
  // The shared per-minute limit out of the way: these tests send hundreds of reads from one address.
  const t = useTestApp(engine, { config: { rateLimitPerMinute: 1_000_000 } });
  let seq = 0;
  let hostSeq = 0;
  /** A new /24 (and /48) each call. */
  const freshNet = () => {
    hostSeq++;
    return `10.${(hostSeq >> 8) & 255}.${hostSeq & 255}`;
  };

  const read = (poll: string, ip: string, voter?: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/sites/t1/polls/${poll}${voter ? `?voter=${encodeURIComponent(voter)}` : ''}`,
      remoteAddress: ip,
    });
  const token = (poll: string, ip = `${freshNet()}.1`) => voterToken(t.app, 't1', poll, ip);
  const vote = (poll: string, body: Record<string, unknown>, ip: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/sites/t1/polls/${poll}/votes`,
      remoteAddress: ip,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  async function createPoll(extra: Record<string, unknown> = {}): Promise<string> {
    const id = `l${++seq}-${engine.name}`;
    const res = await t.admin('POST', '/sites/t1/polls', {
      id,
      question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
      options: OPTIONS,
      ...extra,
    });
    assert.equal(res.statusCode, 201, res.body);
    return id;
  }
  const voters = async (poll: string) =>
    Number(
      (
        await t.storage.db
          .selectFrom('poll_votes')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('poll', '=', poll)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const errorCode = (res: LightMyRequestResponse) =>
    (res.json() as { error: { code: string } }).error.code;

  /** A solved proof of work for `action`, as any client could make it. */
  async function proof(action: string): Promise<string> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/t1/captcha',
      remoteAddress: `${freshNet()}.9`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ action }),
    });
    assert.equal(res.statusCode, 200, res.body);
    return solvePow((res.json() as CaptchaChallenge).pow!);
  }

  it('takes a vote on a poll that requires proof only with a single-use captcha token for "vote"', async () => {
    const id = await createPoll({ requireProof: true });
    const ip = `${freshNet()}.5`;
    const voter = await token(id);
    for (const [body, code] of [
      [{ choices: ['tot'], voter }, 'captcha_required'],
      [{ choices: ['tot'], voter, captcha: '' }, 'captcha_required'],
      [{ choices: ['tot'], voter, captcha: 'p1.bm9wZQ' }, 'captcha_invalid'],
      [{ choices: ['tot'], voter, captcha: await proof('comment') }, 'captcha_mismatch'],
    ] as const) {
      const res = await vote(id, body, ip);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(errorCode(res), code);
    }
    assert.equal(await voters(id), 0, 'nothing counted without proof');

    const captcha = await proof('vote');
    const counted = await vote(id, { choices: ['tot'], voter, captcha }, ip);
    assert.equal(counted.statusCode, 200, counted.body);
    assert.equal((counted.json() as PollView).counted, true);
    // A repeat of the counted vote (a client's retry) answers without a new token…
    const repeat = await vote(id, { choices: ['tot'], voter }, ip);
    assert.equal(repeat.statusCode, 200, repeat.body);
    assert.equal((repeat.json() as PollView).counted, false);
    // …and the token is spent: another voter cannot reuse it.
    const reused = await vote(id, { choices: ['tot'], voter: await token(id), captcha }, ip);
    assert.equal(reused.statusCode, 400);
    assert.equal(errorCode(reused), 'captcha_used');
    assert.equal(await voters(id), 1);

    // A poll without the requirement takes votes without a token, as before.
    const open = await createPoll();
    assert.equal(
      (await vote(open, { choices: ['tot'], voter: await token(open) }, ip)).statusCode,
      200,
    );
    // The admin turning the requirement on applies to the next vote at once.
    assert.equal(
      (await t.admin('PATCH', `/sites/t1/polls/${open}`, { requireProof: true })).statusCode,
      200,
    );
    const now = await vote(open, { choices: ['tot'], voter: await token(open) }, ip);
    assert.equal(errorCode(now), 'captcha_required');
  });

  it(`counts votes per address and per network (/24, /48) with separate ceilings (×${NET_CEILING_FACTOR})`, async () => {
    const id = await createPoll({ ipCeiling: 2 });
    const net = freshNet();
    // 2 votes from each of 10 addresses of one /24: the network's 20.
    for (let host = 1; host <= NET_CEILING_FACTOR; host++) {
      for (let i = 0; i < 2; i++) {
        const res = await vote(id, { choices: ['tot'], voter: await token(id) }, `${net}.${host}`);
        assert.equal(res.statusCode, 200, `${net}.${host}: ${res.body}`);
      }
    }
    const third = await vote(id, { choices: ['tot'], voter: await token(id) }, `${net}.1`);
    assert.equal(third.statusCode, 429, 'a third vote from one address');
    assert.equal(errorCode(third), 'vote_limit');
    const fresh = await vote(id, { choices: ['tot'], voter: await token(id) }, `${net}.200`);
    assert.equal(fresh.statusCode, 429, 'a fresh address of the full /24');
    assert.equal(errorCode(fresh), 'vote_limit');
    assert.ok(Number(fresh.headers['retry-after']) > 0);
    const other = await vote(id, { choices: ['tot'], voter: await token(id) }, `${freshNet()}.1`);
    assert.equal(other.statusCode, 200, 'another /24');
    assert.equal(await voters(id), 2 * NET_CEILING_FACTOR + 1);

    // IPv6: the /64 is one address, the /48 one network.
    const v6 = await createPoll({ ipCeiling: 1 });
    for (let i = 1; i <= NET_CEILING_FACTOR; i++) {
      const res = await vote(
        v6,
        { choices: ['tot'], voter: await token(v6) },
        `2001:db8:99:${i}::1`,
      );
      assert.equal(res.statusCode, 200, res.body);
    }
    const sameNet = await vote(
      v6,
      { choices: ['tot'], voter: await token(v6) },
      '2001:db8:99:ff::1',
    );
    assert.equal(errorCode(sameNet), 'vote_limit', 'an 11th /64 of the /48');
    assert.equal(
      (await vote(v6, { choices: ['tot'], voter: await token(v6) }, '2001:db8:9a::1')).statusCode,
      200,
      'another /48',
    );
  });

  it(`limits new voter tokens per address (${TOKENS_PER_HOUR}/h) with 429 + Retry-After; reads go on`, async () => {
    const id = await createPoll();
    const net = freshNet();
    const ip = `${net}.1`;
    let issued = '';
    for (let i = 0; i < TOKENS_PER_HOUR; i++) {
      const res = await newVoter(t.app, 't1', id, ip);
      assert.equal(res.statusCode, 201, `token ${i}: ${res.body}`);
      issued = (res.json() as { voterToken: string }).voterToken;
    }
    const over = await newVoter(t.app, 't1', id, ip);
    assert.equal(over.statusCode, 429, over.body);
    assert.equal(errorCode(over), 'rate_limited');
    const retry = Number(over.headers['retry-after']);
    assert.ok(retry > 0 && retry <= 3600, `Retry-After ${retry}`);
    // Reading is never limited by it, with a token or without; another address of the network
    // still gets one; a token issued before votes.
    assert.equal((await read(id, ip, issued)).statusCode, 200);
    assert.equal((await read(id, ip)).statusCode, 200);
    assert.equal((await newVoter(t.app, 't1', id, `${net}.2`)).statusCode, 201);
    assert.equal((await vote(id, { choices: ['tot'], voter: issued }, ip)).statusCode, 200);
    assert.ok(NET_TOKENS_PER_HOUR >= 10 * TOKENS_PER_HOUR);
    // Nothing about the address is stored.
    const rows = JSON.stringify(await t.storage.db.selectFrom('rate_counts').selectAll().execute());
    assert.ok(!rows.includes(net), 'no address in rate_counts');
  });

  it('reads a poll and issues voter tokens without a database write', async () => {
    const id = await createPoll();
    assert.equal((await read(id, `${freshNet()}.1`)).statusCode, 200, 'the poll is read once');
    const rateCounts = async () =>
      JSON.stringify(
        await t.storage.db
          .selectFrom('rate_counts')
          .selectAll()
          .orderBy('key')
          .orderBy('slot')
          .execute(),
      );
    // SQLite tells the rows its connection (the server's only one) changed since it opened.
    const changes = async () =>
      engine.name === 'sqlite'
        ? Number(
            (await sql<{ n: number }>`select total_changes() as n`.execute(t.storage.db)).rows[0]!
              .n,
          )
        : 0;
    const [countsBefore, changesBefore] = [await rateCounts(), await changes()];
    for (let i = 0; i < 5; i++) {
      const ip = `${freshNet()}.1`;
      const res = await read(id, ip);
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(await token(id, ip), 'a new token');
    }
    assert.equal(await rateCounts(), countsBefore, 'rate_counts unchanged');
    assert.equal(await changes(), changesBefore, 'no row changed');
  });
});
