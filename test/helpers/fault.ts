/**
 * Fault tests' tools: a load of visits, votes and comments against a real server process that
 * records every acknowledged write; captcha proofs of work solved in Node; a TCP proxy that
 * cuts the server off its PostgreSQL (the machine's server stays up for everyone else).
 */
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { solveChallenge } from 'altcha-lib/v1';
import { sql } from 'kysely';
import { seedDemo } from '../../src/server/app.js';
import type { Storage } from '../../src/server/db/storage.js';
import { BROWSER_UA } from './app.js';

export const SITE = 'demo';

let client = 0;
/** A new client address (its own /24 and /16), sent as X-Forwarded-For: no per-network limit applies. */
export function nextClient(): string {
  client++;
  return `10.${(client >> 8) & 255}.${client & 255}.${1 + ((client >> 16) & 127)}`;
}

/** JSON request to the server as a browser behind a trusted proxy. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'user-agent': BROWSER_UA,
      'x-forwarded-for': nextClient(),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A `p1.` captcha token for a comment on `site`: the challenge's proof of work solved here. */
export async function powToken(base: string, site = SITE): Promise<string> {
  const res = await call(base, 'POST', `/api/v1/sites/${site}/captcha`, { action: 'comment' });
  if (res.status !== 200 || !res.body.pow) throw new Error(`no challenge: ${JSON.stringify(res)}`);
  const pow = res.body.pow as {
    algorithm: string;
    challenge: string;
    maxnumber: number;
    salt: string;
    signature: string;
  };
  const solution = await solveChallenge(pow.challenge, pow.salt, pow.algorithm, pow.maxnumber)
    .promise;
  if (!solution) throw new Error('proof of work not solved');
  const payload = {
    algorithm: pow.algorithm,
    challenge: pow.challenge,
    number: solution.number,
    salt: pow.salt,
    signature: pow.signature,
  };
  return `p1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}

/** The site's captcha accepts the proof of work alone (what a script can do, and what this load does). */
export async function powOnly(storage: Storage, site = SITE): Promise<void> {
  await storage.db
    .updateTable('sites')
    .set({ captcha_mode: 'pow' })
    .where('id', '=', site)
    .execute();
}

/** The host page the demo site allows in the fault tests (the load itself sends no Origin). */
export const LOAD_ORIGIN = 'https://portal.example.gov.vn';

/**
 * The demo site as a fault test loads it: seeded (allowing {@link LOAD_ORIGIN} only), its captcha
 * by proof of work alone; resolves with its poll and that poll's first option.
 */
export async function seedForLoad(
  storage: Storage,
): Promise<{ poll: { id: string }; option: { id: string } }> {
  await seedDemo(storage, { port: 0, demoOrigins: [LOAD_ORIGIN] });
  await powOnly(storage);
  const poll = await storage.db
    .selectFrom('polls')
    .select('id')
    .where('site', '=', SITE)
    .executeTakeFirstOrThrow();
  const option = await storage.db
    .selectFrom('poll_options')
    .select('id')
    .where('poll', '=', poll.id)
    .executeTakeFirstOrThrow();
  return { poll, option };
}

/** Every answer of a load, and the writes that were acknowledged. */
export interface LoadLog {
  /** Visits answered `counted: true`, with the time of the answer. */
  visits: number[];
  /** Voter tokens whose vote was answered 200 (counted). */
  votes: string[];
  /** Contents of comments answered 201/202. */
  comments: string[];
  /** status → count, per kind of request; `error` when no answer came (connection refused/reset). */
  statuses: Record<string, Record<string, number>>;
  /** Answers of 5xx other than 503, and 503s without the error shape. */
  bad: string[];
  /** `code` of every 503 answer. */
  unavailable: Record<string, number>;
}

export interface Load {
  log: LoadLog;
  /** Stops the workers and waits for them. */
  stop(): Promise<void>;
}

/**
 * Starts `workers` loops per kind against `base()` (read on each request, so a restarted server
 * may be targeted): visits (new sessions), votes (a voter token, then the vote) and comments
 * (one per prepared captcha token, content unique). Keeps going through refused connections.
 */
export function startLoad(
  base: () => string,
  {
    poll,
    option,
    tokens,
    workers = 3,
  }: { poll: string; option: string; tokens: string[]; workers?: number },
): Load {
  const log: LoadLog = {
    visits: [],
    votes: [],
    comments: [],
    statuses: {},
    bad: [],
    unavailable: {},
  };
  let running = true;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
  const note = (kind: string, status: number | 'error', body?: any) => {
    const byStatus = (log.statuses[kind] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status === 'error' || status < 500) return;
    const code = body?.error?.code;
    if (status === 503 && typeof code === 'string' && typeof body.error.message === 'string')
      log.unavailable[code] = (log.unavailable[code] ?? 0) + 1;
    else log.bad.push(`${kind} → ${status} ${JSON.stringify(body).slice(0, 200)}`);
  };
  const pause = () => new Promise((r) => setTimeout(r, 5));
  const guard = async (kind: string, work: () => Promise<void>) => {
    while (running) {
      try {
        await work();
      } catch {
        note(kind, 'error');
        await new Promise((r) => setTimeout(r, 50));
      }
      await pause();
    }
  };
  const site = `/api/v1/sites/${SITE}`;
  const visit = async () => {
    const res = await call(base(), 'POST', `${site}/visits`, { page: '/', session: randomUUID() });
    note('visit', res.status, res.body);
    if (res.status === 200 && res.body.counted === true) log.visits.push(Date.now());
  };
  const vote = async () => {
    const read = await call(base(), 'POST', `${site}/polls/${poll}/voters`, {});
    note('voter token', read.status, read.body);
    if (read.status !== 201) return;
    const voter = read.body.voterToken as string;
    const res = await call(base(), 'POST', `${site}/polls/${poll}/votes`, {
      voter,
      choices: [option],
    });
    note('vote', res.status, res.body);
    if (res.status === 200 && res.body.voted === true) log.votes.push(voter);
  };
  let next = 0;
  const comment = async () => {
    const token = tokens[next++];
    if (token === undefined) {
      await new Promise((r) => setTimeout(r, 100));
      return;
    }
    const content = `Ý kiến ${randomUUID()}`;
    const res = await call(base(), 'POST', `${site}/threads/${encodeURIComponent('/')}/comments`, {
      name: 'Người đọc',
      email: 'doc-gia@example.gov.vn',
      content,
      captcha: token,
    });
    note('comment', res.status, res.body);
    if (res.status === 201 || res.status === 202) log.comments.push(content);
  };
  const loops = [
    ...Array.from({ length: workers }, () => guard('visit', visit)),
    ...Array.from({ length: workers }, () => guard('vote', vote)),
    guard('comment', comment),
  ];
  return {
    log,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** What the database holds for the site: visits counted, votes, comment contents. */
export async function stored(storage: Storage, poll: string) {
  const visits = await storage.db
    .selectFrom('visit_days')
    .select(sql<string>`coalesce(sum(count), 0)`.as('n'))
    .where('site', '=', SITE)
    .executeTakeFirstOrThrow();
  const votes = await storage.db
    .selectFrom('poll_votes')
    .select(sql<string>`count(*)`.as('n'))
    .where('site', '=', SITE)
    .where('poll', '=', poll)
    .executeTakeFirstOrThrow();
  const comments = await storage.db
    .selectFrom('comments')
    .select('content')
    .where('site', '=', SITE)
    .execute();
  return {
    visits: Number(visits.n),
    votes: Number(votes.n),
    comments: new Set(comments.map((c) => c.content)),
  };
}

/** Acknowledged votes missing from the server (`voted` false on a read with the voter's token). */
export async function missingVotes(base: string, poll: string, voters: string[]): Promise<number> {
  let missing = 0;
  for (const voter of voters) {
    const res = await call(base, 'GET', `/api/v1/sites/${SITE}/polls/${poll}?voter=${voter}`);
    if (res.status !== 200 || res.body.voted !== true) missing++;
  }
  return missing;
}

/** A TCP proxy to `target` that can cut every connection and refuse new ones, then let them through again. */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(host: string, port: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (downstream) => proxy.accept(downstream, host, port));
    return proxy;
  }

  private accept(downstream: Socket, host: string, port: number): void {
    if (this.down) {
      downstream.destroy();
      return;
    }
    const upstream = connect(port, host);
    for (const [a, b] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      this.sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  }

  /** Every open connection reset, every new one refused (as a database that went away). */
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
