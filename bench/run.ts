/**
 * `npm run bench`: the public routes under load, each beside a bare Fastify GET route (with a
 * response schema) measured in the same run. wrk (Debian's package) is the load generator: the
 * servers are pinned to core 1 (`taskset`), wrk to core 0; 50 connections; every route is measured
 * once per round, `BENCH_ROUNDS` rounds (3), right after the bare route (and, for a write, the bare
 * POST) for `BENCH_BARE_DURATION` (3s): a route's ratio is to the bare route measured just before
 * it, so the machine's drift between measurements a minute apart does not enter it (on a shared
 * machine the bare route's own rate moved between 8 900 and 22 100 req/s within one run). Reported:
 * medians of the rates and of the rounds' ratios, and the ratios' range. Also the servers' CPU time
 * per response over each measurement (Linux's /proc: user + system, every thread), and how busy
 * that kept core 1 (CPU time ÷ wrk's duration): near 100 % the rate is what the server's own work
 * allows; well below, it waited (on PostgreSQL, Redis, its timers, or a core). The CPU time of
 * this machine's PostgreSQL and Redis processes per response, and the share of all cores left
 * idle: PostgreSQL and Redis are not pinned, so they take their time from both cores; with the
 * machine near 0 % idle a server under 100 % busy waited for its core, not for an answer.
 *
 * Modes (`BENCH_MODES`, default all that can run here):
 * - `sqlite`: one instance on a SQLite file;
 * - `postgres`: one instance on a fresh PostgreSQL database (`TEST_DATABASE_URL` / `DATABASE_URL`);
 * - `redis`: two instances on PostgreSQL sharing Redis (`REDIS_URL`, default
 *   redis://127.0.0.1:6379, a unique key prefix removed afterwards), both on core 1, the load split
 *   over both (two wrk processes, 25 connections each; req/s summed, p99 the worse one).
 *
 * The servers run the compiled server (`npm run build:server` first, as `civic-widgets serve` runs
 * it); the bare route and the bench itself run through tsx.
 * `BENCH_DURATION` (default 5s) is wrk's duration per measurement; a full run (3 modes, 3 rounds)
 * takes about 6 minutes per mode at 5s. `BENCH_OUT=bench/RESULTS.md` also writes the results there.
 * A one-instance server starts as one does in the middle of a busy day: its database holds
 * `BENCH_SESSIONS` (1 000 000) sessions seen over the last day, which it reads back at start
 * (with Redis the sessions are Redis's, and none are written).
 * `BENCH_ROUTES=votes,polls` measures only the routes whose name contains one of the words;
 * `BENCH_PROFILE=<folder>` has each server write a V8 CPU profile there when it stops (summed up
 * by `npm run bench:profile -- <folder>`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CommentStore } from '../src/server/comments/store.js';
import { openStorage } from '../src/server/db/open.js';
import { Polls } from '../src/server/polls/service.js';
import { PERSON_UA } from '../test/helpers/browsers.mjs';
import { createTestDatabase } from '../test/helpers/pg.js';
import { freePort, startServer, type RunningServer } from '../test/helpers/server-process.js';
import { median, NO_RATE_LIMIT } from './lib.js';

const DURATION = process.env.BENCH_DURATION ?? '5s';
const BARE_DURATION = process.env.BENCH_BARE_DURATION ?? '3s';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const SERVER_CORE = '1';
const LOAD_CORE = '0';
const seconds = Number(/^(\d+(?:\.\d+)?)s?$/.exec(DURATION)?.[1] ?? 10);
const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROFILE = process.env.BENCH_PROFILE;
const ROUTES = process.env.BENCH_ROUTES?.split(',');
const DAY_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);

const work = mkdtempSync(join(tmpdir(), 'civic-bench-'));
const children: Array<{ kill: () => void }> = [];
process.once('exit', () => {
  for (const c of children) c.kill();
  rmSync(work, { recursive: true, force: true });
});

function need(cmd: string, args: string[], hint: string): void {
  if (spawnSync(cmd, args).error) {
    console.error(`npm run bench needs ${cmd}: ${hint}`);
    process.exit(1);
  }
}
need('wrk', ['--version'], 'apt-get install -y wrk');
// The server as it is deployed (compiled JavaScript), not through tsx's loader and its helpers.
if (!existsSync('dist/server/main.js') || process.env.BENCH_BUILD !== 'no') {
  console.log('building the server (npm run build:server; BENCH_BUILD=no skips it)');
  if (spawnSync('npm', ['run', '-s', 'build:server'], { stdio: 'inherit' }).status !== 0)
    process.exit(1);
}
need('taskset', ['-V'], 'apt-get install -y util-linux');

/** Pins every thread of `pid` to `core`. */
function pin(pid: number, core: string): void {
  spawnSync('taskset', ['-a', '-p', '-c', core, String(pid)], { stdio: 'ignore' });
}

interface Target {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** The body, or a Lua expression for one (per request). */
  body?: string;
  lua?: string;
  headers?: Record<string, string>;
}

interface Measure {
  rps: number;
  p99: number;
  errors: number;
  /** Responses wrk counted. */
  requests: number;
  /** The servers' CPU time per response, µs (NaN where /proc cannot tell). */
  cpu: number;
  /** PostgreSQL's and Redis's CPU time per response, µs (their processes on this machine). */
  dbCpu: number;
  /** The share of the machine's cores (all of them) that stayed idle meanwhile. */
  idle: number;
}

/** What wrk itself tells of a measurement (the rest is read from /proc around it). */
type WrkMeasure = Omit<Measure, 'cpu' | 'dbCpu' | 'idle'>;

/** A route's measure with the bare routes' rates measured just before it. */
interface Paired extends Measure {
  bare: number;
  barePost?: number;
}

/** The share of a core that a measure's servers kept busy. */
const busy = (m: Measure) => (m.cpu * m.rps) / 1e6;

const percent = (share: number) => (Number.isNaN(share) ? '–' : `${Math.round(share * 100)} %`);

const TICK_US =
  1e6 / (Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100);

/**
 * The CPU time `pid` has used so far (user + system, every thread: the SQLite worker too), µs;
 * NaN without Linux's /proc. PostgreSQL's and Redis's own time is not in it.
 */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name in brackets: field 3 (state) on; utime and stime are fields 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return NaN;
  }
}

/**
 * The processes of this machine's PostgreSQL and Redis servers (by their command name), and the
 * CPU time each has used so far (µs).
 */
function databaseCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      const comm = readFileSync(`/proc/${e}/comm`, 'utf8').trim();
      if (comm === 'postgres' || comm.startsWith('redis-server')) out.set(+e, cpuOf(+e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Idle and total CPU time of every core so far (/proc/stat's first line, in ticks). */
function machineTicks(): { idle: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const t = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { idle: t[3]! + t[4]!, total: t.reduce((a, b) => a + b, 0) };
  } catch {
    return { idle: NaN, total: NaN };
  }
}

/**
 * `run`'s measure with the CPU that `pids` used during it, per response counted; the same of the
 * database processes (a process that started meanwhile counts from nothing; one that ended is
 * lost: the servers keep their connections), and how idle the machine stayed.
 */
async function withCpu(pids: number[], run: () => Promise<WrkMeasure>): Promise<Measure> {
  const before = pids.map(cpuOf);
  const dbBefore = databaseCpu();
  const ticks = machineTicks();
  const m = await run();
  const used = pids.reduce((a, pid, i) => a + cpuOf(pid) - before[i]!, 0);
  let dbUsed = 0;
  for (const [pid, now] of databaseCpu()) dbUsed += now - (dbBefore.get(pid) ?? 0);
  const after = machineTicks();
  return {
    ...m,
    cpu: m.requests ? used / m.requests : NaN,
    dbCpu: m.requests ? dbUsed / m.requests : NaN,
    idle: (after.idle - ticks.idle) / (after.total - ticks.total),
  };
}

/** A wrk script for `target` (per-request bodies and headers). */
function script(target: Target, file: string, tokensFile?: string): string {
  const headers = {
    'User-Agent': PERSON_UA,
    'Accept-Encoding': 'gzip, deflate, br',
    ...(target.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
    ...target.headers,
  };
  const lua = [
    `wrk.method = "${target.method}"`,
    `local headers = {}`,
    ...Object.entries(headers).map(([k, v]) => `headers["${k}"] = "${v}"`),
    // Each wrk process gets its own 32-bit run id (the first part of its session ids).
    'local run = "00000000"',
    // args[2]: where this run starts in the token file (each round spends tokens of its own).
    'local offset = 0',
    'init = function(args) run = string.format("%08x", tonumber(args[1])) math.randomseed(tonumber(args[1])) offset = tonumber(args[2] or "0") end',
    'local n = 0',
    'local tokens = {}',
    tokensFile ? `for line in io.lines("${tokensFile}") do tokens[#tokens + 1] = line end` : '',
    'request = function()',
    '  n = n + 1',
    target.lua ??
      `  return wrk.format(nil, "${target.path}", headers, ${JSON.stringify(target.body ?? null).replace(/^null$/, 'nil')})`,
    'end',
  ];
  writeFileSync(file, lua.join('\n'));
  return file;
}

function parseWrk(out: string): WrkMeasure {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const p = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  const p99 = p
    ? Number(p[1]) * ({ us: 0.001, ms: 1, s: 1000 }[p[2] as 'us' | 'ms' | 's'] ?? 1)
    : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, p99, errors, requests };
}

/**
 * wrk on core 0 against each of `urls` at once (connections split), each with its own script
 * (`luaFiles`, or one for all); rates and counts summed, worst p99, and the CPU `pids` used per
 * response.
 */
function wrk(
  urls: string[],
  luaFiles: string | string[],
  duration = DURATION,
  offset = 0,
  pids: number[] = [],
): Promise<Measure> {
  const per = Math.floor(CONNECTIONS / urls.length);
  const lua = (i: number) => (typeof luaFiles === 'string' ? luaFiles : luaFiles[i]!);
  return withCpu(pids, async () => {
    const all = await Promise.all(urls.map((url, i) => wrkOne(url, lua(i), per, duration, offset)));
    return {
      rps: all.reduce((a, m) => a + m.rps, 0),
      p99: Math.max(...all.map((m) => m.p99)),
      errors: all.reduce((a, m) => a + m.errors, 0),
      requests: all.reduce((a, m) => a + m.requests, 0),
    };
  });
}

function wrkOne(
  url: string,
  luaFile: string,
  per: number,
  duration: string,
  offset: number,
): Promise<WrkMeasure> {
  return new Promise((resolve) => {
    const child = spawn(
      'taskset',
      [
        ...['-c', LOAD_CORE, 'wrk', '-t1', `-c${per}`, `-d${duration}`, '--latency'],
        ...['-s', luaFile, url, '--', String(randomInt(1, 2 ** 31)), String(offset)],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(parseWrk(out)));
  });
}

async function startBare(): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push({ kill: () => child.kill('SIGTERM') });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  pin(child.pid!, SERVER_CORE);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

/**
 * Writes `count` sessions of the bench's site, seen at random over the last day but not within
 * the last 10 minutes (nobody online), with ids shaped as the widget makes them (UUID v7).
 */
async function seedDaySessions(options: Parameters<typeof openStorage>[0], count: number) {
  const storage = await openStorage(options);
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0');
  const rand = (below: number) => Math.floor(Math.random() * below);
  const now = Date.now();
  const started = performance.now();
  try {
    for (let done = 0; done < count;) {
      const rows: (string | number)[] = [];
      for (const end = Math.min(count, done + 50_000); done < end; done++) {
        const at = now - 600_000 - rand(23 * 3_600_000);
        rows.push(
          'demo',
          `${hex(at / 65536, 8)}-${hex(at % 65536, 4)}-7${hex(rand(4096), 3)}-a${hex(rand(4096), 3)}-${hex(rand(2 ** 24), 6)}${hex(rand(2 ** 24), 6)}`,
          at,
        );
      }
      await storage.applyVisits({ increments: [], sessions: rows });
    }
  } finally {
    await storage.close();
  }
  console.log(
    `${count} sessions of the last day written in ${Math.round(performance.now() - started)} ms`,
  );
}

interface Mode {
  name: string;
  label: string;
  instances: number;
  env: () => Promise<{
    env: Record<string, string>;
    storage: Parameters<typeof openStorage>[0];
    cleanup: () => Promise<void>;
  }>;
}

const MODES: Mode[] = [
  {
    name: 'sqlite',
    label: 'one instance, SQLite',
    instances: 1,
    env: async () => {
      const dbFile = join(work, `bench-${Date.now()}.db`);
      return { env: { CIVIC_DB_FILE: dbFile }, storage: { dbFile }, cleanup: async () => {} };
    },
  },
  {
    name: 'postgres',
    label: 'one instance, PostgreSQL',
    instances: 1,
    env: async () => {
      const db = (await createTestDatabase())!;
      return { env: { DATABASE_URL: db.url }, storage: { databaseUrl: db.url }, cleanup: db.drop };
    },
  },
  {
    name: 'redis',
    label: 'two instances, PostgreSQL + Redis',
    instances: 2,
    env: async () => {
      const db = (await createTestDatabase())!;
      const prefix = `civic-bench-${process.pid}-${Date.now()}:`;
      return {
        env: { DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix },
        storage: { databaseUrl: db.url },
        cleanup: async () => {
          await db.drop();
          const redis = new Redis(REDIS_URL);
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
            if (keys.length) await redis.del(...keys);
            cursor = next;
          } while (cursor !== '0');
          await redis.quit();
        },
      };
    },
  },
];

const wanted = (process.env.BENCH_MODES ?? 'sqlite,postgres,redis').split(',');
const modes = MODES.filter((m) => wanted.includes(m.name)).filter((m) => {
  if (m.name !== 'sqlite' && !PG_URL) {
    console.warn(`skipping ${m.name}: set TEST_DATABASE_URL or DATABASE_URL`);
    return false;
  }
  return true;
});

interface Row {
  mode: string;
  route: string;
  rps: number;
  p99: number;
  /** Median of the rounds' ratios to the bare GET just before, and their range. */
  ratio: number;
  ratioRange: [number, number];
  /** The same to the bare POST (writes only). */
  postRatio?: number;
  errors: number;
  bareRps: number;
  bareP99: number;
  /** The bare POST route's median (the floor of every write: reading a JSON body). */
  barePostRps: number;
  /** Median of the bare POST ÷ the bare GET measured just before it. */
  postFloor?: number;
  post: boolean;
  /** The servers' CPU µs per response (median), and the bare GET's. */
  cpu: number;
  bareCpu: number;
  barePostCpu: number;
  /** Median of the rounds' share of core 1 the servers used (CPU time ÷ duration). */
  busy: number;
  bareBusy: number;
  barePostBusy: number;
  /** PostgreSQL's and Redis's CPU µs per response (median); the machine's idle share (median). */
  dbCpu: number;
  idle: number;
  bareIdle: number;
}
const rows: Row[] = [];
const VOTES_PER_SECOND_CEILING = 40_000;
/** A returning visitor's body (also the bare POST's). */
const VISIT_BODY = '{"page":"/","session":"0b1e5e7a-1111-4222-a333-444455556666"}';

for (const mode of modes) {
  console.log(`\n== ${mode.label} ==`);
  const db = await mode.env();
  if (mode.instances === 1 && DAY_SESSIONS > 0) await seedDaySessions(db.storage, DAY_SESSIONS);
  const servers: RunningServer[] = [];
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    const env = {
      ...db.env,
      ...(PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE}` } : {}),
      RATE_LIMIT_PER_MINUTE: NO_RATE_LIMIT,
      // The captcha's own limit (30 a minute per address) stays on: each request says it comes
      // from another address (X-Forwarded-For from the loopback proxy).
      TRUST_PROXY: 'loopback',
    };
    for (let i = 0; i < mode.instances; i++) {
      const server = await startServer(env, { built: true });
      children.push({ kill: () => void server.stop() });
      pin(server.process.pid!, SERVER_CORE);
      servers.push(server);
    }
    bare = await startBare();
    console.log(`${servers.length} server(s) and the bare route up; preparing content`);

    // Content of the run: a poll to read (with a vote), one to vote on, a thread of 50 approved
    // comments, and voter tokens signed with the servers' key (kept in the database).
    const storage = await openStorage(db.storage);
    const polls = new Polls(storage);
    const poll = {
      site: 'demo',
      question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
      options: ['rat-tot', 'tot', 'binh-thuong', 'chua-tot'].map((id) => ({ id, label: id })),
      multiple: false,
      maxChoices: 1,
      opensAt: null,
      closesAt: null,
      resultsVisibility: 'always' as const,
      ipCeiling: 0,
      requireProof: false,
    };
    await polls.store.create({ ...poll, id: 'bench-read' });
    await polls.store.create({ ...poll, id: 'bench-votes' });
    const reader = await polls.issueToken('demo', 'bench-read');
    await polls.vote('demo', 'bench-read', { choices: ['tot'], voter: reader }, '192.0.2.1');
    const comments = new CommentStore(storage.db);
    for (let i = 0; i < 50; i++) {
      await comments.create(
        {
          site: 'demo',
          thread: '/bench',
          name: 'Nguyễn Thị Lan',
          email: 'lan@example.com',
          title: 'Góp ý về sân chơi cho trẻ em',
          content: 'Xã tôi cũng cần sân chơi cho các cháu. '.repeat(6),
          status: 'approved',
          ipHash: 'h',
          saltDay: '2000-01-01',
        },
        Date.now() - 60_000 + i,
      );
    }
    const tokenCount = Math.ceil(VOTES_PER_SECOND_CEILING * seconds * (ROUNDS + 1));
    const tokenFiles: string[] = [];
    const perInstance = Math.ceil(tokenCount / mode.instances);
    for (let i = 0; i < mode.instances; i++) {
      const lines: string[] = [];
      for (let j = 0; j < perInstance; j++)
        lines.push(await polls.issueToken('demo', 'bench-votes'));
      const file = join(work, `tokens-${mode.name}-${i}.txt`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      tokenFiles.push(file);
    }
    await storage.close();
    console.log(`${tokenCount} voter tokens ready`);

    const api = '/api/v1/sites/demo';
    const session = '  local s = n\n';
    const allTargets: Array<Target & { tokens?: boolean }> = [
      {
        // Ids shaped as the widget makes them (UUID v7): the time in ms (here a random ms of the
        // current second: many browsers), then random bits, this wrk's run id and a counter.
        name: 'POST /visits, a new visitor each request',
        method: 'POST',
        path: `${api}/visits`,
        lua:
          `${session}  local t = os.time() * 1000 + math.random(0, 999)\n` +
          `  local body = string.format('{"page":"/","session":"%08x-%04x-7%03x-a%03x-%s%04x"}', math.floor(t / 65536), t % 65536, math.random(0, 4095), math.random(0, 4095), run, s % 65536)\n` +
          `  return wrk.format(nil, "${api}/visits", headers, body)`,
      },
      {
        // What a script may send instead: random v4 ids, written all over the session index.
        name: 'POST /visits, a new visitor with a random v4 id',
        method: 'POST',
        path: `${api}/visits`,
        lua:
          `  local body = string.format('{"page":"/","session":"%04x%04x-%04x-4%03x-a%03x-%04x%04x%04x"}', math.random(0, 65535), math.random(0, 65535), math.random(0, 65535), math.random(0, 4095), math.random(0, 4095), math.random(0, 65535), math.random(0, 65535), math.random(0, 65535))\n` +
          `  return wrk.format(nil, "${api}/visits", headers, body)`,
      },
      {
        name: 'POST /visits, a returning session',
        method: 'POST',
        path: `${api}/visits`,
        body: VISIT_BODY,
      },
      {
        name: 'GET /polls/{poll}, a reader without a token',
        method: 'GET',
        path: `${api}/polls/bench-read`,
      },
      {
        name: 'GET /polls/{poll}?voter=, a voter who voted',
        method: 'GET',
        path: `${api}/polls/bench-read?voter=${encodeURIComponent(reader)}`,
      },
      {
        name: 'POST /polls/{poll}/voters (a new voter token)',
        method: 'POST',
        path: `${api}/polls/bench-votes/voters`,
        // New tokens are limited per address and network: each request comes from another one.
        lua:
          `  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))\n` +
          `  return wrk.format(nil, "${api}/polls/bench-votes/voters", headers, "{}")`,
      },
      {
        name: 'POST /polls/{poll}/votes, a new voter each request',
        method: 'POST',
        path: `${api}/polls/bench-votes/votes`,
        tokens: true,
        lua:
          '  local t = tokens[offset + n] or tokens[((offset + n) % #tokens) + 1]\n' +
          `  return wrk.format(nil, "${api}/polls/bench-votes/votes", headers, '{"choices":["' .. ({"rat-tot","tot","binh-thuong","chua-tot"})[(n % 4) + 1] .. '"],"voter":"' .. t .. '"}')`,
      },
      {
        name: 'GET /threads/{t}/comments (10 of 50)',
        method: 'GET',
        path: `${api}/threads/${encodeURIComponent('/bench')}/comments`,
      },
      { name: 'GET /slogans/{list}', method: 'GET', path: `${api}/slogans/khau-hieu` },
      {
        name: 'POST /captcha (a challenge)',
        method: 'POST',
        path: `${api}/captcha`,
        lua:
          `  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))\n` +
          `  return wrk.format(nil, "${api}/captcha", headers, '{"action":"comment"}')`,
      },
    ];
    const targets = allTargets.filter((t) => !ROUTES || ROUTES.some((r) => t.name.includes(r)));
    const bareLua = script({ name: 'bare', method: 'GET', path: '/bare' }, join(work, 'bare.lua'));
    // A bare POST with a visit's JSON body: what reading a body costs before any work of ours.
    const barePostLua = script(
      { name: 'bare POST', method: 'POST', path: '/bare', body: VISIT_BODY },
      join(work, 'bare-post.lua'),
    );
    const urls = servers.map((s) => s.url);
    const pids = servers.map((s) => s.process.pid!);
    // Warm-up (JIT, caches): every target once, briefly.
    await wrk([bare.url], bareLua, '2s');
    await wrk([bare.url], barePostLua, '2s');
    for (const [i, target] of targets.entries()) {
      if (target.tokens) continue; // tokens are not to be spent on warming up
      await wrk(urls, script(target, join(work, `t${i}.lua`)), '2s');
    }
    const results = new Map<string, Paired[]>();
    const bareRounds: Measure[] = [];
    const barePostRounds: Measure[] = [];
    /** Bare POST ÷ bare GET, each pair measured one after the other. */
    const postFloor: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, target] of targets.entries()) {
        const bareNow = await wrk([bare.url], bareLua, BARE_DURATION, 0, [bare.pid]);
        bareRounds.push(bareNow);
        let barePostNow: Measure | undefined;
        if (target.method === 'POST') {
          barePostNow = await wrk([bare.url], barePostLua, BARE_DURATION, 0, [bare.pid]);
          barePostRounds.push(barePostNow);
          postFloor.push(barePostNow.rps / bareNow.rps);
        }
        const files = target.tokens
          ? tokenFiles.map((f, k) => script(target, join(work, `t${i}-${k}.lua`), f))
          : [script(target, join(work, `t${i}.lua`))];
        // With tokens, each instance gets its own file (its own voters), and each round its own
        // part of it: a round that sent the tokens of an earlier one would measure repeats.
        const offset = target.tokens ? round * Math.floor(perInstance / (ROUNDS + 1)) : 0;
        const m = await wrk(urls, files.length === 1 ? files[0]! : files, DURATION, offset, pids);
        const paired: Paired = { ...m, bare: bareNow.rps, barePost: barePostNow?.rps };
        results.set(target.name, [...(results.get(target.name) ?? []), paired]);
        console.log(
          `round ${round + 1}: ${target.name.padEnd(52)} ${m.rps.toFixed(0).padStart(7)} req/s  p99 ${m.p99.toFixed(1)} ms${m.errors ? `  errors ${m.errors}` : ''}  (bare GET just before: ${bareNow.rps.toFixed(0)}${barePostNow ? `, bare POST ${barePostNow.rps.toFixed(0)}` : ''}; ratio ${(m.rps / bareNow.rps).toFixed(2)}; CPU ${m.cpu.toFixed(1)} µs a request, ${percent(busy(m))} of core ${SERVER_CORE}; the bare GET's ${bareNow.cpu.toFixed(1)} µs; PostgreSQL and Redis ${m.dbCpu.toFixed(1)} µs; machine ${percent(m.idle)} idle)`,
        );
      }
    }
    // The votes the rounds sent were new voters: the poll counts about as many (requests in flight
    // when wrk stops are answered after it stopped counting).
    const voting = targets.find((t) => t.tokens);
    if (voting) {
      const sent = results.get(voting.name)!.reduce((a, m) => a + m.requests, 0);
      const check = await openStorage(db.storage);
      const voters = (await new Polls(check).store.get('demo', 'bench-votes'))?.voters ?? 0;
      await check.close();
      console.log(
        `bench-votes: ${voters} votes counted; the rounds sent about ${Math.round(sent)}`,
      );
      const perRound = Math.floor(perInstance / (ROUNDS + 1)) * mode.instances;
      if (results.get(voting.name)!.some((m) => m.requests > perRound))
        console.log(`bench-votes: a round sent more than its ${perRound} tokens: repeats counted`);
    }
    const bareRps = median(bareRounds.map((m) => m.rps));
    const bareP99 = median(bareRounds.map((m) => m.p99));
    const barePostRps = median(barePostRounds.map((m) => m.rps));
    const bareCpu = median(bareRounds.map((m) => m.cpu));
    const barePostCpu = median(barePostRounds.map((m) => m.cpu));
    const bareBusy = median(bareRounds.map(busy));
    const barePostBusy = median(barePostRounds.map(busy));
    const bareIdle = median(bareRounds.map((m) => m.idle));
    for (const target of targets) {
      const ms = results.get(target.name)!;
      const ratios = ms.map((m) => m.rps / m.bare);
      rows.push({
        mode: mode.label,
        route: target.name,
        rps: median(ms.map((m) => m.rps)),
        p99: median(ms.map((m) => m.p99)),
        ratio: median(ratios),
        ratioRange: [Math.min(...ratios), Math.max(...ratios)],
        postRatio:
          target.method === 'POST' ? median(ms.map((m) => m.rps / m.barePost!)) : undefined,
        postFloor: postFloor.length ? median(postFloor) : undefined,
        errors: ms.reduce((a, m) => a + m.errors, 0),
        bareRps,
        bareP99,
        barePostRps,
        post: target.method === 'POST',
        cpu: median(ms.map((m) => m.cpu)),
        bareCpu,
        barePostCpu,
        busy: median(ms.map(busy)),
        bareBusy,
        barePostBusy,
        dbCpu: median(ms.map((m) => m.dbCpu)),
        idle: median(ms.map((m) => m.idle)),
        bareIdle,
      });
    }
  } finally {
    bare?.stop();
    for (const s of servers) await s.stop();
    await db.cleanup();
  }
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
const header = [
  '# Benchmark results (`npm run bench`)',
  '',
  'Targets (ratio to the bare route in the same run, one instance on SQLite): new-visitor visits ≥ 0.6',
  'with p99 ≤ 25 ms; poll read, comment page, slogans ≥ 0.5; votes ≥ 0.2.',
  '',
  `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${nproc} cores (${cpu}), Node ${process.version}.`,
  `wrk -t1 -c${CONNECTIONS} -d${DURATION} on core ${LOAD_CORE}, servers on core ${SERVER_CORE}; ${ROUNDS} rounds, medians. The bare route is a Fastify GET with a response schema, measured for ${BARE_DURATION} just before each route in each round: "÷ bare" is the median of the rounds' ratios to it (their range in brackets). For the writes, "÷ bare POST" is the same to a bare Fastify POST that reads a visit's JSON body, measured right after that bare GET (reading a body is the floor of every write). "CPU µs" is the servers' own CPU time (user + system, every thread; not PostgreSQL's or Redis's) per response, and "busy" that time ÷ wrk's duration, the share of core ${SERVER_CORE} they used: near 100 % the rate is what their own work allows, well below it they waited (on the database, Redis, timers). "DB CPU µs" is the CPU time of this machine's PostgreSQL and Redis processes per response (they are not pinned: they share both cores with wrk and the servers), and "idle" the share of all cores left idle: near 0 %, a server below 100 % busy waited for a core, not for an answer.${DAY_SESSIONS > 0 ? ` Each one-instance server started with ${DAY_SESSIONS.toLocaleString('en')} sessions of the last day in its database, as after a restart in the middle of a busy day.` : ''}`,
  '',
];
const table = [
  '| mode | route | req/s | p99 | ÷ bare | ÷ bare POST | CPU µs | busy | DB CPU µs | idle | non-2xx, errors |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
let lastMode = '';
for (const r of rows) {
  if (r.mode !== lastMode) {
    table.push(
      `| ${r.mode} | bare Fastify GET (schema) | ${r.bareRps.toFixed(0)} | ${r.bareP99.toFixed(1)} ms | 1.00 | | ${r.bareCpu.toFixed(1)} | ${percent(r.bareBusy)} | | ${percent(r.bareIdle)} | |`,
      ...(r.postFloor === undefined
        ? []
        : [
            `| ${r.mode} | bare Fastify POST (JSON body) | ${r.barePostRps.toFixed(0)} | | ${r.postFloor.toFixed(2)} | 1.00 | ${r.barePostCpu.toFixed(1)} | ${percent(r.barePostBusy)} | | | |`,
          ]),
    );
    lastMode = r.mode;
  }
  table.push(
    `| ${r.mode} | ${r.route} | ${r.rps.toFixed(0)} | ${r.p99.toFixed(1)} ms | ${r.ratio.toFixed(2)} (${r.ratioRange.map((x) => x.toFixed(2)).join('–')}) | ${r.postRatio === undefined ? '' : r.postRatio.toFixed(2)} | ${r.cpu.toFixed(1)} | ${percent(r.busy)} | ${r.dbCpu.toFixed(1)} | ${percent(r.idle)} | ${r.errors || ''} |`,
  );
}
const text = [...header, ...table].join('\n');
console.log(`\n${text}`);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${text}\n`);
// The exit handler stops whatever child is left (the load generators' servers keep the loop alive).
process.exit(0);
