/**
 * The command line run for real (`node --import tsx src/server/cli.ts …`, a child process) on a
 * SQLite file and on PostgreSQL; what it did is checked through the server (sign-in) and the
 * database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openStorage } from '../../src/server/db/open.js';
import type { Storage } from '../../src/server/db/storage.js';
import { testApp } from '../helpers/app.js';
import { describeEngines, type TestEngine } from '../helpers/engines.js';
import { login, PASSWORD, signIn, withCookie } from '../helpers/session.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args`, `input` on its standard input and the database settings `env`. */
function cli(args: string[], env: Record<string, string>, input = ''): Promise<Run> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.CIVIC_DB_FILE;
  delete base.ADMIN_TOKEN;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
    env: { ...base, LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Exit code 1 and exactly one line on stderr, matching `message`. */
function assertFails(run: Run, message: RegExp) {
  assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr, /^civic-widgets: [^\n]+\n$/, 'one line on stderr');
  assert.match(run.stderr, message);
}

/** Runs `runs` three at a time (the refusals change nothing, so their order does not matter). */
async function inBatches<T>(runs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < runs.length; i += 3)
    results.push(...(await Promise.all(runs.slice(i, i + 3).map((r) => r()))));
  return results;
}

function assertOk(run: Run) {
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
}

describeEngines('CLI', (engine) => {
  let db: TestEngine;
  let storage: Storage;
  let app: FastifyInstance;
  const run = (args: string[], input?: string) => cli(args, db.env, input);
  const users = async () =>
    (await storage.db.selectFrom('users').select(['email', 'role', 'sites']).execute()).map(
      (u) => u.email,
    );

  before(async () => {
    db = await engine.create();
    // The CLI migrates the new database itself.
    assertOk(await run(['migrate']));
    storage = await db.open();
    app = await testApp(storage);
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  it('adds and lists sites; refuses bad or duplicate ones', async () => {
    const added = await run([
      'site',
      'add',
      'so-tu-phap',
      '--origin',
      'https://STP.example.gov.vn/',
      '--origin',
      'http://stp.example.gov.vn',
      '--name',
      'Sở Tư pháp',
      '--legacy-visits',
      '414428',
    ]);
    assertOk(added);
    const site = await storage.getSite('so-tu-phap');
    assert.deepEqual(
      [site?.name, site?.origins, site?.legacyOffset],
      ['Sở Tư pháp', ['https://stp.example.gov.vn', 'http://stp.example.gov.vn'], 414428],
    );
    assertOk(await run(['site', 'add', 't1', '--origin', 'https://t1.example.gov.vn']));
    assertOk(await run(['site', 'add', 't2', '--origin', 'https://t2.example.gov.vn']));

    const list = await run(['site', 'list']);
    assertOk(list);
    assert.match(
      list.stdout,
      /^so-tu-phap\tSở Tư pháp\thttps:\/\/stp\.example\.gov\.vn,http:\/\/stp\.example\.gov\.vn\t414428$/m,
    );
    assert.match(list.stdout, /^t1\tt1\thttps:\/\/t1\.example\.gov\.vn\t0$/m);

    const before = (await storage.listSites()).length;
    const refusals: Array<[string[], RegExp]> = [
      [['site', 'add', 't1', '--origin', 'https://x.example.gov.vn'], /already exists/],
      [['site', 'add', 'bad', '--origin', 'javascript:alert(1)'], /not an http\(s\) origin/],
      [['site', 'add', 'bad', '--origin', 'https://a.example/path'], /not an http\(s\) origin/],
      [['site', 'add', 'bad'], /--origin/],
      [['site', 'add', 'Bad Id', '--origin', 'https://a.example'], /not a site id/],
      [
        ['site', 'add', 'bad', '--origin', 'https://a.example', '--legacy-visits', '-5'],
        /legacy-visits/,
      ],
      [
        ['site', 'add', 'bad', '--origin', 'https://a.example', '--legacy-visits', '1.5'],
        /legacy-visits/,
      ],
      [['site', 'add', 'bad', '--origin', 'https://a.example', '--colour', 'red'], /colour/],
      [['site'], /unknown command/],
    ];
    const results = await inBatches(
      refusals.map(
        ([args]) =>
          () =>
            run(args),
      ),
    );
    refusals.forEach(([, message], i) => assertFails(results[i]!, message));
    assert.equal((await storage.listSites()).length, before, 'nothing was added');
  });

  it('adds users with the password from standard input; they can sign in', async () => {
    const admin = await run(
      ['user', 'add', 'Quan.Tri@example.gov.vn', '--role', 'admin', '--name', 'Quản trị'],
      `${PASSWORD}\n`,
    );
    assertOk(admin);
    assert.ok(!admin.stdout.includes(PASSWORD));
    const editor = await run(
      [
        'user',
        'add',
        'bien.tap@example.gov.vn',
        '--role',
        'editor',
        '--site',
        't1',
        '--site',
        't2',
      ],
      // One line: what follows the first line break is not part of the password.
      `${PASSWORD}\nignored\n`,
    );
    assertOk(editor);

    const res = await login(app, 'quan.tri@example.gov.vn');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().name, res.json().role], ['Quản trị', 'admin']);
    const me = await login(app, 'bien.tap@example.gov.vn');
    assert.equal(me.statusCode, 200, me.body);
    assert.deepEqual(me.json().sites, ['t1', 't2']);

    const list = await run(['user', 'list']);
    assertOk(list);
    assert.match(list.stdout, /^Quan\.Tri@example\.gov\.vn\tadmin\t\*\tQuản trị$/m);
    assert.match(list.stdout, /^bien\.tap@example\.gov\.vn\teditor\tt1,t2\tbien\.tap$/m);
    assert.ok(!/scrypt/.test(list.stdout));
  });

  it('refuses bad accounts with exit code 1 and one line; nothing is added', async () => {
    const before = await users();
    const cases: Array<[string[], string, RegExp]> = [
      [['user', 'add', 'new@example.gov.vn', '--role', 'admin'], '', /at least 12 characters/],
      [['user', 'add', 'new@example.gov.vn', '--role', 'admin'], '\n', /at least 12 characters/],
      [
        ['user', 'add', 'new@example.gov.vn', '--role', 'admin'],
        'short-pass\n',
        /at least 12 characters/,
      ],
      [['user', 'add', 'new@example.gov.vn', '--role', 'owner'], `${PASSWORD}\n`, /not a role/],
      [['user', 'add', 'new@example.gov.vn'], `${PASSWORD}\n`, /--role/],
      [
        ['user', 'add', 'new@example.gov.vn', '--role', 'editor', '--site', 'nope'],
        `${PASSWORD}\n`,
        /no site "nope"/,
      ],
      [
        ['user', 'add', 'not-an-email', '--role', 'admin'],
        `${PASSWORD}\n`,
        /email is not an e-mail address/,
      ],
      [
        ['user', 'add', 'BIEN.TAP@example.gov.vn', '--role', 'admin'],
        `${PASSWORD}\n`,
        /already exists/,
      ],
      [['user', 'add', '--role', 'admin'], `${PASSWORD}\n`, /e-mail/],
    ];
    const results = await inBatches(
      cases.map(
        ([args, input]) =>
          () =>
            run(args, input),
      ),
    );
    cases.forEach(([, , message], i) => {
      assertFails(results[i]!, message);
      assert.ok(!results[i]!.stderr.includes(PASSWORD));
    });
    assert.deepEqual(await users(), before);
  });

  it('user passwd sets a new password and ends the sessions', async () => {
    const cookie = await signIn(app, 'bien.tap@example.gov.vn');
    const me = () => withCookie(app, cookie)('GET', '/api/v1/auth/me');
    assert.equal((await me()).statusCode, 200);
    const next = 'mật-khẩu-mới-từ-cli-789';
    assertFails(await run(['user', 'passwd', 'bien.tap@example.gov.vn'], 'short\n'), /at least 12/);
    assert.equal((await me()).statusCode, 200, 'a refused change ends nothing');
    assertOk(await run(['user', 'passwd', 'Bien.Tap@example.gov.vn'], `${next}\n`));
    assert.equal((await me()).statusCode, 401);
    assert.equal((await login(app, 'bien.tap@example.gov.vn')).statusCode, 401);
    assert.equal((await login(app, 'bien.tap@example.gov.vn', next)).statusCode, 200);
    assertFails(await run(['user', 'passwd', 'nobody@example.gov.vn'], `${next}\n`), /no user/);
  });

  it('logs its changes in the audit log as "cli"', async () => {
    const rows = await storage.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'site', 'target', 'after'])
      .orderBy('id')
      .execute();
    assert.ok(rows.every((r) => r.actor === 'cli'));
    const actions = rows.map((r) => `${r.action} ${r.site ?? ''}`.trim());
    assert.deepEqual(actions.slice(0, 3), [
      'site.create so-tu-phap',
      'site.create t1',
      'site.create t2',
    ]);
    assert.deepEqual(actions.slice(3), ['user.create', 'user.create', 'user.password']);
    assert.ok(!JSON.stringify(rows).includes(PASSWORD));
  });

  it('backs up the database', { skip: engine.name !== 'sqlite' && 'SQLite only' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civic-backup-'));
    try {
      const file = join(dir, 'nested', 'civic-backup.db');
      const res = await run(['backup', file]);
      assertOk(res);
      assert.match(res.stdout, /written to/);
      const copy = await openStorage({ dbFile: file });
      try {
        assert.deepEqual(
          (await copy.listSites()).map((s) => s.id),
          ['so-tu-phap', 't1', 't2'],
        );
        const emails = await copy.db.selectFrom('users').select('email').orderBy('email').execute();
        assert.equal(emails.length, 2);
      } finally {
        await copy.close();
      }
      assertFails(await run(['backup', file]), /already exists/);
      assertFails(await run(['backup']), /file name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI backup of PostgreSQL', () => {
  it('prints the pg_dump command without the password and exits 0', async () => {
    const res = await cli(['backup', '/var/backups/civic.dump'], {
      DATABASE_URL: 'postgres://civic:s3cr%40t@db.internal:5433/civic',
    });
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /pg_dump --format=custom --no-owner --file='\/var\/backups\/civic\.dump' 'postgres:\/\/civic@db\.internal:5433\/civic'/,
    );
    assert.ok(!res.stdout.includes('s3cr'));
  });

  it('says when the SQLite file is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civic-nodb-'));
    try {
      const res = await cli(['backup', join(dir, 'b.db')], { CIVIC_DB_FILE: join(dir, 'none.db') });
      assertFails(res, /no SQLite database/);
      assert.ok(!existsSync(join(dir, 'b.db')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI serve', () => {
  it('refuses a bad DEMO value before it starts, naming the setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civic-demo-'));
    try {
      const res = await cli(['serve'], { DEMO: 'maybe', CIVIC_DB_FILE: join(dir, 'civic.db') });
      assert.equal(res.code, 1, res.stderr);
      assert.match(
        res.stderr,
        /^civic-widgets: Invalid configuration:\n {2}- DEMO must be on or off \(got "maybe"\)\n$/,
      );
      assert.ok(!existsSync(join(dir, 'civic.db')), 'no database opened');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
