/**
 * SQLite's disk fills up under load. The database lives on a small tmpfs mounted for the test
 * (root only: elsewhere the test is skipped and says why), which a filler file then fills. While
 * it is full, writes get a clear 503 `storage_full` (never a 500) and the server lives; once
 * space is freed, writes succeed again in the same process; nothing acknowledged is lost, and the
 * database is intact.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { openStorage } from '../../src/server/db/open.js';
import { missingVotes, powToken, seedForLoad, startLoad, stored } from '../helpers/fault.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

const SIZE = '32m';
/**
 * Given back with the filler: the writes put back while the disk was full (a second of visits:
 * thousands of session rows spread over the index pages) must fit in what is freed, whatever the
 * log had grown to when the filler took the rest (under load, the filler alone was once too small).
 */
const SPARE_BYTES = 8 * 1024 * 1024;
const COMMENTS = 6;

/** Mounts a tmpfs of SIZE on a new folder; undefined (and why) when this machine does not allow it. */
function mountTmpfs(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'civic-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs is not allowed here (${String((err as Error).message).split('\n')[0]}): run as root`;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes zeros to `file` until the disk refuses; returns the bytes written. */
function fill(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}

async function waitFor(what: string, check: () => boolean, ms: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mounted = process.getuid?.() === 0 ? mountTmpfs() : 'not root: a tmpfs cannot be mounted';

test(
  'SQLite disk full under load: 503 storage_full, no crash, nothing acknowledged lost',
  {
    skip: typeof mounted === 'string' ? mounted : false,
  },
  async () => {
    if (typeof mounted === 'string') return;
    const dbFile = join(mounted.dir, 'civic.db');
    const filler = join(mounted.dir, 'filler');
    const spare = join(mounted.dir, 'spare');
    const servers: RunningServer[] = [];
    after(async () => {
      for (const s of servers) await s.stop('SIGKILL');
      mounted.unmount();
    });
    writeFileSync(spare, Buffer.alloc(SPARE_BYTES));
    const setup = await openStorage({ dbFile });
    const { poll, option } = await seedForLoad(setup);
    const before = await stored(setup, poll.id);
    await setup.close();
    const server = await startServer(
      {
        CIVIC_DB_FILE: dbFile,
        TRUST_PROXY: 'loopback',
        RATE_LIMIT_PER_MINUTE: '100000',
        FLUSH_INTERVAL_MS: '200',
      },
      { readyTimeoutMs: 60_000 },
    );
    servers.push(server);
    const base = server.url;
    const tokens: string[] = [];
    for (let i = 0; i < COMMENTS; i++) tokens.push(await powToken(base));

    const load = startLoad(() => base, { poll: poll.id, option: option.id, tokens });
    await new Promise((r) => setTimeout(r, 1000));
    const filled = fill(filler);
    // Full: the next writes that need a new page fail.
    await waitFor('a 503 storage_full', () => (load.log.unavailable.storage_full ?? 0) > 0, 30_000);
    const fullFor = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    const alive = server.process.exitCode === null;
    const duringFull = structuredClone(load.log.statuses);

    unlinkSync(filler);
    unlinkSync(spare);
    const votesBefore = load.log.votes.length;
    await waitFor('a vote after space is freed', () => load.log.votes.length > votesBefore, 30_000);
    const recoveredIn = Date.now() - fullFor;
    await load.stop();
    const log = load.log;
    const lostVotes = await missingVotes(base, poll.id, log.votes);
    assert.equal(await server.stop('SIGTERM'), 0, server.output());

    const after_ = await openStorage({ dbFile });
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
      after_.db,
    );
    const now = await stored(after_, poll.id);
    await after_.close();
    const lostComments = log.comments.filter((c) => !now.comments.has(c)).length;
    const storedVisits = now.visits - before.visits;

    console.log(
      `SQLite disk full (tmpfs ${SIZE}, filler ${filled} bytes): 503 codes ${JSON.stringify(log.unavailable)}; ` +
        `writes again ${recoveredIn} ms after the first full answer; acknowledged ${log.visits.length} visits (${storedVisits} stored), ` +
        `${log.votes.length} votes (${lostVotes} lost), ${log.comments.length} comments (${lostComments} lost); ` +
        `answers while full ${JSON.stringify(duringFull)}, in all ${JSON.stringify(log.statuses)}`,
    );
    assert.ok(alive, 'the server died with the disk full');
    assert.deepEqual(log.bad, [], 'answers other than 503 in the error shape');
    assert.deepEqual(integrity.rows, [{ integrity_check: 'ok' }]);
    assert.equal(lostVotes, 0, 'acknowledged votes lost');
    assert.equal(lostComments, 0, 'acknowledged comments lost');
    assert.ok(
      storedVisits >= log.visits.length,
      `visits lost: ${log.visits.length} acknowledged, ${storedVisits} stored`,
    );
  },
);
