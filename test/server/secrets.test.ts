/**
 * Server keys from one master secret (core/secrets.ts): the key file is created private, a
 * readable one is refused, the database holds no key, two instances with the same secret agree
 * (and with another secret do not), and what older keys signed still verifies within its limits,
 * on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/server/config.js';
import { loadMasterSecret } from '../../src/server/core/secrets.js';
import { openStorage, storageOptions } from '../../src/server/db/open.js';
import type { Storage } from '../../src/server/db/storage.js';
import { seedTestSite, testApp } from '../helpers/app.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';
import { createTestDatabase } from '../helpers/pg.js';
import { solvePow } from '../helpers/pow.js';
import { voterToken } from '../helpers/voters.js';

const SECRET = 'a-test-master-secret-of-more-than-32-characters';
const OTHER = 'another-master-secret-of-more-than-32-characters';

describe('the master secret', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'civic-secret-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the key file with mode 0600 on first start, then reads it', async () => {
    const dbFile = join(dir, 'data', 'civic.db');
    const storage = await openStorage({ dbFile });
    await storage.close();
    const file = join(dir, 'data', 'secret.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = readFileSync(file, 'utf8').trim();
    assert.match(content, /^[0-9a-f]{64}$/);
    // The next start reads the same file.
    const again = await openStorage({ dbFile });
    await again.close();
    assert.equal(readFileSync(file, 'utf8').trim(), content);
    assert.equal(
      loadMasterSecret({ secretFile: file }).toString('utf8'),
      content,
      'the file is the secret',
    );
  });

  it('refuses a key file other users can read, and a short one', () => {
    const file = join(dir, 'open.key');
    writeFileSync(file, randomBytes(32).toString('hex'));
    chmodSync(file, 0o644);
    assert.throws(() => loadMasterSecret({ secretFile: file }), /chmod 600/);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'too short', { mode: 0o600 });
    assert.throws(() => loadMasterSecret({ secretFile: short }), /fewer than 32/);
  });

  it('takes CIVIC_SECRET over the file, CIVIC_SECRET_FILE and CIVIC_SECRET_PREVIOUS from the environment', () => {
    const c = loadConfig({
      CIVIC_SECRET: SECRET,
      CIVIC_SECRET_FILE: '/etc/civic/secret.key',
      CIVIC_SECRET_PREVIOUS: OTHER,
    });
    assert.deepEqual(
      { secret: c.secret, secretFile: c.secretFile, secretPrevious: c.secretPrevious },
      { secret: SECRET, secretFile: '/etc/civic/secret.key', secretPrevious: OTHER },
    );
    assert.throws(
      () => loadConfig({ CIVIC_SECRET: 'short' }),
      (err: Error) => {
        assert.match(err.message, /CIVIC_SECRET must be at least 32 characters/);
        assert.doesNotMatch(err.message, /short"/, 'the value is never echoed');
        return true;
      },
    );
    // With CIVIC_SECRET no file is read or created.
    const missing = join(dir, 'never', 'secret.key');
    assert.equal(loadMasterSecret({ secret: SECRET, secretFile: missing }).toString(), SECRET);
    assert.throws(() => statSync(missing));
  });
});

/** A poll `p` with two options on site t1 (through the admin API). */
async function createPoll(app: FastifyInstance): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/sites/t1/polls',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      id: 'p',
      question: 'Bạn thấy cổng thông tin thế nào?',
      options: [{ label: 'Tốt' }, { label: 'Chưa tốt' }],
    }),
  });
  assert.equal(res.statusCode, 201, res.body);
}

const ADMIN = 'test-admin-token-0123456789abcdef';
const readPoll = (app: FastifyInstance, voter?: string) =>
  app.inject({
    method: 'GET',
    url: `/api/v1/sites/t1/polls/p${voter ? `?voter=${encodeURIComponent(voter)}` : ''}`,
  });
const vote = (app: FastifyInstance, voter: string, ip = '198.51.100.7') =>
  app.inject({
    method: 'POST',
    url: '/api/v1/sites/t1/polls/p/votes',
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ voter, choices: ['o1'] }),
  });

describeEngines('server keys', (engineKind) => {
  let engine: TestEngine;
  let dbUrl: string | undefined;
  let dbFile: string | undefined;
  const apps: FastifyInstance[] = [];
  const open = async (secret: string, secretPrevious?: string): Promise<Storage> =>
    openStorage({ databaseUrl: dbUrl, dbFile, secret, secretPrevious });
  const start = async (secret: string, secretPrevious?: string) => {
    const app = await testApp(await open(secret, secretPrevious), {
      config: { adminToken: ADMIN },
    });
    apps.push(app);
    return app;
  };

  before(async () => {
    engine = await engineKind.create();
    dbUrl = engine.env.DATABASE_URL;
    dbFile = engine.env.CIVIC_DB_FILE;
    const storage = await open(SECRET);
    await seedTestSite(storage);
    await storage.close();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await engine?.drop();
  });

  it('two instances with the same secret accept each other’s tokens; another secret does not', async () => {
    const a = await start(SECRET);
    const b = await start(SECRET);
    const c = await start(OTHER);
    await createPoll(a);
    const token = await voterToken(a, 't1', 'p');
    assert.equal((await readPoll(b, token)).statusCode, 200);
    assert.equal((await vote(b, token)).json().counted, true, 'b counts a’s voter');
    assert.equal((await readPoll(a, token)).json().voted, true);
    const refused = await readPoll(c, token);
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'invalid_voter');
    // The captcha too: a's challenge is checked by b.
    const challenge = await a.inject({
      method: 'POST',
      url: '/api/v1/sites/t1/captcha',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ action: 'comment' }),
    });
    assert.equal(challenge.statusCode, 200, challenge.body);
    const proof = solvePow(challenge.json().pow);
    const site = (await a.civic.storage.getSite('t1'))!;
    assert.equal((await c.captcha.check(site, 'comment', proof)).ok, false, 'another secret');
    assert.deepEqual(await b.captcha.check(site, 'comment', proof), {
      ok: true,
      action: 'comment',
    });
  });

  it('keeps no key in the database', async () => {
    const db = apps[0]!.civic.storage.db;
    const rows = await db.selectFrom('server_secrets').selectAll().execute();
    assert.deepEqual(rows, [], 'no key stored by this version');
    const salts = await db.selectFrom('daily_salts').select('salt').execute();
    assert.ok(salts.length > 0, 'the vote made a salt');
    for (const { salt } of salts) assert.match(salt, /^k1:[0-9a-f]{64}$/, 'keyed by the secret');
  });

  it('verifies voter tokens of the key an older version stored: the votes cast with them only', async () => {
    const app = apps[0]!;
    const db = app.civic.storage.db;
    // What an older version had: a random key in server_secrets, and tokens signed with it.
    const legacy = randomBytes(32);
    await db
      .insertInto('server_secrets')
      .values({ name: 'poll-voter-key', value: legacy.toString('hex'), created_at: Date.now() })
      .execute();
    const oldToken = (id: string) =>
      `${id}.${createHmac('sha256', legacy).update(`civic-poll-voter\0t1\0p\0${id}`).digest().subarray(0, 16).toString('base64url')}`;
    const votedBefore = oldToken('b2xkLXZvdGVyLTAwMDAwMA');
    // Its vote, as the older version stored it (the tallies are not what this test is about).
    await db
      .insertInto('poll_votes')
      .values({
        site: 't1',
        poll: 'p',
        voter: 'b2xkLXZvdGVyLTAwMDAwMA',
        choices: '["o2"]',
        created_at: Date.now(),
      })
      .execute();

    // A fresh instance (the key is read once) after the upgrade.
    const upgraded = await start(SECRET);
    const read = await readPoll(upgraded, votedBefore);
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(
      { voted: read.json().voted, choices: read.json().choices },
      { voted: true, choices: ['o2'] },
    );
    const repeat = await vote(upgraded, votedBefore);
    assert.equal(repeat.statusCode, 200);
    assert.equal(repeat.json().counted, false, 'the earlier vote, not a new one');
    // A token of the old key that never voted cannot vote now (a leaked backup mints no voters).
    const mintedToken = oldToken(randomBytes(16).toString('base64url'));
    const minted = await vote(upgraded, mintedToken);
    assert.equal(minted.statusCode, 400);
    assert.equal(minted.json().error.code, 'invalid_voter');
    assert.equal((await readPoll(upgraded, mintedToken)).statusCode, 200);
  });

  it('rotates: CIVIC_SECRET_PREVIOUS verifies what the old secret signed, new tokens use the new one', async () => {
    const old = apps[0]!;
    const token = await voterToken(old, 't1', 'p');
    assert.equal((await vote(old, token, '198.51.100.20')).json().counted, true);
    const rotated = await start(OTHER, SECRET);
    const read = await readPoll(rotated, token);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().voted, true, 'the voter is still known');
    const fresh = await voterToken(rotated, 't1', 'p');
    assert.equal((await vote(rotated, fresh, '198.51.100.21')).json().counted, true);
    assert.equal((await readPoll(old, fresh)).statusCode, 400, 'signed with the new secret');
  });
});

describe('the key file with several instances', () => {
  it('is created once when instances start together', async () => {
    const db = await createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'civic-secret-'));
    const secretFile = join(dir, 'secret.key');
    try {
      const options = db
        ? { databaseUrl: db.url, secretFile }
        : { dbFile: join(dir, 'civic.db'), secretFile };
      const storages = await Promise.all([openStorage(options), openStorage(options)]);
      for (const s of storages) await s.close();
      assert.equal(statSync(secretFile).mode & 0o777, 0o600);
      assert.match(readFileSync(secretFile, 'utf8'), /^[0-9a-f]{64}\n$/);
      assert.deepEqual(
        storageOptions(loadConfig({ CIVIC_SECRET_FILE: secretFile })).secretFile,
        secretFile,
      );
    } finally {
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
