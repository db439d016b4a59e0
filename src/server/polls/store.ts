/**
 * Poll storage over Kysely (SQLite and PostgreSQL, same queries but for PostgreSQL's row locks).
 * Every guarantee lives in the database, so any number of instances may share it:
 * - one vote per (site, poll, voter): the `poll_votes` primary key, `insert … on conflict do
 *   nothing`; a retry or a race finds the row and counts nothing;
 * - a vote, its tallies and its IP-prefix count are written in ONE transaction, only while the
 *   poll is open and unchanged since the vote was checked;
 * - tallies are spread over {@link SHARDS} rows per option (a random shard per vote, summed on
 *   read), so concurrent votes on one PostgreSQL poll do not queue behind one hot row;
 * - on PostgreSQL a vote holds a share lock on the poll row until it commits, and an admin change
 *   takes it exclusively: an option edit therefore sees every vote that could use the options.
 *   Locks are taken in one order — poll rows, vote rows, IP-count rows, tally rows, each sorted
 *   in code-point order — so writers cannot deadlock. SQLite runs one write transaction at a time.
 * - on PostgreSQL a batch of votes is one statement when no IP ceiling applies (two in one
 *   transaction when one does), and sends its polls' change notices with its commit.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ResultsVisibility } from '../../shared/polls.js';
import { commitNoticesOf, type CommitNotices } from '../core/changes.js';
import type { Database } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { PollsTable } from './tables.js';

export interface PollOptionRecord {
  id: string;
  label: string;
  votes: number;
}

export interface PollSettings {
  question: string;
  options: { id: string; label: string }[];
  multiple: boolean;
  maxChoices: number;
  /** Epoch ms, or null for "from now on" / "until closed". */
  opensAt: number | null;
  closesAt: number | null;
  resultsVisibility: ResultsVisibility;
  /** Votes per IP prefix per UTC day; 0 = no ceiling. */
  ipCeiling: number;
  requireProof: boolean;
}

export interface NewPoll extends PollSettings {
  site: string;
  id: string;
}

export interface PollRecord extends Omit<NewPoll, 'options'> {
  options: PollOptionRecord[];
  /** Votes counted (people, not option ticks). */
  voters: number;
  createdAt: number;
  updatedAt: number;
}

export interface VoteInput {
  site: string;
  poll: string;
  /** The voter id from a verified token. */
  voter: string;
  /** Distinct option ids, already checked against the poll. */
  choices: string[];
  /** HMAC of the IP prefix under the day's salt, and that UTC day. */
  ipKey: string;
  day: string;
  /** The poll's ceiling as read before the vote (0 = none). */
  ipCeiling: number;
  /**
   * The same for the client's wider network (IPv4 /24, IPv6 /48): its key and ceiling, counted
   * in the same table beside the address's own count.
   */
  netKey?: string;
  netCeiling?: number;
  /**
   * `updatedAt` of the poll the choices were checked against: the vote is refused as `stale`
   * when the poll has changed since (so a cached poll never lets a vote through unchecked).
   */
  version: number;
  now: number;
}

export type VoteOutcome =
  /**
   * Counted: the poll's voter count and option counters right after this vote (same
   * transaction). `noticeSent`: its commit also sent the poll's change notice to the other
   * instances (PostgreSQL, core/changes.ts `CommitNotices`).
   */
  | { kind: 'counted'; voters: number; votes: Record<string, number>; noticeSent?: true }
  /** This voter had already voted: nothing changed; `choices` are the stored ones. */
  | { kind: 'repeat'; poll: PollRecord; choices: string[] }
  /** The poll changed since `version`: check the vote against `poll` and try again. */
  | { kind: 'stale'; poll: PollRecord }
  | { kind: 'not_found' | 'closed' | 'upcoming' | 'ceiling' };

export type UpdateOutcome = 'updated' | 'not_found' | 'has_votes';

/** Votes counted per time bucket, per option (admin results over time). */
export interface VoteBucket {
  /** Bucket start, epoch ms. */
  start: number;
  voters: number;
  options: Record<string, number>;
}

class HasVotes extends Error {}

class Abort extends Error {
  constructor(readonly kind: 'repeat' | 'not_open' | 'ceiling') {
    super(kind);
  }
}

/** PostgreSQL deadlock / serialization failure: the transaction may simply be run again. */
const RETRYABLE = new Set(['40P01', '40001']);

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
/** Code-point order (the same in JavaScript and in both databases' binary collation of ASCII keys). */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Votes per day from one network (IPv4 /24, IPv6 /48) on one poll, as a multiple of the poll's
 * ceiling per address (IPv4 /32, IPv6 /64). See README, "Polls", for the reasoning.
 */
export const NET_CEILING_FACTOR = 10;

/** Tally rows per option (and for the voter count); a vote adds to one, chosen at random. */
export const SHARDS = 16;
/** The tally "option" that counts voters. */
const VOTERS = '';

interface Tallies {
  voters: number;
  votes: Record<string, number>;
}

/** Sums of the poll's tallies. */
async function tallies(db: Kysely<Database>, site: string, poll: string): Promise<Tallies> {
  const rows = await db
    .selectFrom('poll_tallies')
    .select(['option', (eb) => eb.fn.sum<number | string>('count').as('n')])
    .where('site', '=', site)
    .where('poll', '=', poll)
    .groupBy('option')
    .execute();
  const votes: Record<string, number> = {};
  for (const r of rows) votes[r.option] = Number(r.n);
  const voters = votes[VOTERS] ?? 0;
  delete votes[VOTERS];
  return { voters, votes };
}

export class PollStore {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  /** Creates the poll; false (nothing changed) when the id is taken on that site. */
  async create(poll: NewPoll, now = Date.now()): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('polls')
        .values({
          site: poll.site,
          id: poll.id,
          ...columns(poll),
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['site', 'id']).doNothing())
        .executeTakeFirst();
      if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
      await insertOptions(trx, poll.site, poll.id, poll.options);
      return true;
    });
  }

  async get(site: string, id: string): Promise<PollRecord | undefined> {
    const [row, options, counts] = await Promise.all([
      this.db
        .selectFrom('polls')
        .selectAll()
        .where('site', '=', site)
        .where('id', '=', id)
        .executeTakeFirst(),
      this.db
        .selectFrom('poll_options')
        .select(['id', 'label'])
        .where('site', '=', site)
        .where('poll', '=', id)
        .orderBy('position')
        .execute(),
      tallies(this.db, site, id),
    ]);
    return row && toPoll(row, options, counts);
  }

  async list(site: string): Promise<PollRecord[]> {
    const rows = await this.db
      .selectFrom('polls')
      .selectAll()
      .where('site', '=', site)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const options = await this.db
      .selectFrom('poll_options')
      .select(['poll', 'id', 'label'])
      .where('site', '=', site)
      .orderBy('poll')
      .orderBy('position')
      .execute();
    return Promise.all(
      rows.map(async (row) =>
        toPoll(
          row,
          options.filter((o) => o.poll === row.id),
          await tallies(this.db, site, row.id),
        ),
      ),
    );
  }

  /**
   * Replaces the poll's settings. When `optionsChanged` (options, multiple, maxChoices), only
   * while no vote has been counted: the poll row is locked first, so a vote in progress commits
   * before the check (PostgreSQL) or cannot run beside it (SQLite).
   */
  async update(
    site: string,
    id: string,
    settings: PollSettings,
    optionsChanged: boolean,
    now = Date.now(),
  ): Promise<UpdateOutcome> {
    return this.db
      .transaction()
      .execute(async (trx) => {
        // Strictly increasing, even for two edits in one millisecond: votes check it (VoteInput.version).
        const updatedAt =
          this.dialect === 'postgres'
            ? sql<number>`greatest(updated_at + 1, ${now}::bigint)`
            : sql<number>`max(updated_at + 1, ${now})`;
        const result = await trx
          .updateTable('polls')
          .set({ ...columns(settings), updated_at: updatedAt })
          .where('site', '=', site)
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return 'not_found';
        if (optionsChanged) {
          const voted = await trx
            .selectFrom('poll_votes')
            .select('voter')
            .where('site', '=', site)
            .where('poll', '=', id)
            .limit(1)
            .executeTakeFirst();
          if (voted) throw new HasVotes();
          await trx
            .deleteFrom('poll_options')
            .where('site', '=', site)
            .where('poll', '=', id)
            .execute();
          await insertOptions(trx, site, id, settings.options);
        }
        return 'updated';
      })
      .catch((err: unknown) => {
        if (err instanceof HasVotes) return 'has_votes' as const;
        throw err;
      });
  }

  /** Deletes the poll with its options, votes and IP counts; false when unknown. */
  async delete(site: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // The poll row first: the lock order of a vote.
      const result = await trx
        .deleteFrom('polls')
        .where('site', '=', site)
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) return false;
      for (const table of [
        'poll_votes',
        'poll_ip_counts',
        'poll_tallies',
        'poll_options',
      ] as const) {
        await trx.deleteFrom(table).where('site', '=', site).where('poll', '=', id).execute();
      }
      return true;
    });
  }

  /** The choices this voter's counted vote holds, or undefined. */
  async voteOf(site: string, poll: string, voter: string): Promise<string[] | undefined> {
    const row = await this.db
      .selectFrom('poll_votes')
      .select('choices')
      .where('site', '=', site)
      .where('poll', '=', poll)
      .where('voter', '=', voter)
      .executeTakeFirst();
    return row && (JSON.parse(row.choices) as string[]);
  }

  /** Counts one vote, exactly once, or explains why not. */
  async vote(input: VoteInput): Promise<VoteOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute((trx) => this.voteOnce(trx, input));
      } catch (err) {
        if (err instanceof Abort) {
          const outcome = await this.explain(err.kind, input);
          // Opened (or reopened) between the vote and the explanation: vote again.
          if (outcome || attempt >= 4) return outcome ?? { kind: 'closed' };
          continue;
        }
        const code = (err as { code?: string }).code;
        if (attempt < 4 && code && RETRYABLE.has(code)) continue;
        throw err;
      }
    }
  }

  /**
   * Group commit: counts `inputs` in ONE transaction, and answers each with `counted` (the
   * tallies right after the batch, which include it) or `undefined` when it was not counted here
   * (a repeat, a poll that is not open or has changed, the IP ceiling, a voter twice in the
   * batch): nothing of it is written, and {@link vote} alone gives its answer. Rows are locked
   * in the order of {@link vote} (poll rows, vote rows, IP-count rows, tally rows, each sorted),
   * so concurrent batches and single votes on other instances cannot deadlock.
   */
  async voteBatch(inputs: VoteInput[]): Promise<Array<VoteOutcome | undefined>> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.dialect === 'postgres') return await this.voteBatchPostgres(inputs);
        return await this.db.transaction().execute((trx) => this.voteBatchSqlite(trx, inputs));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt < 4 && code && RETRYABLE.has(code)) continue;
        throw err;
      }
    }
  }

  /**
   * {@link voteBatch} on PostgreSQL in as few round trips as the votes allow: each round trip
   * waits for a turn of this process's event loop, which under load costs far more than the
   * statement itself (a batch of 25 took 25 ms in seven statements). Without an IP ceiling the
   * whole batch is ONE statement, committed on its own: the poll rows share-locked, the votes
   * inserted, the tallies raised and summed, and the poll's change notice sent with the commit
   * (core/changes.ts, {@link commitNoticesOf}). With a ceiling, one transaction of two
   * statements: the votes and their IP-count rows (locked, as they are), then, once the votes
   * within the ceilings are known here, the counts, the refused votes deleted, the tallies and
   * the notice.
   */
  private async voteBatchPostgres(inputs: VoteInput[]): Promise<Array<VoteOutcome | undefined>> {
    const out: Array<VoteOutcome | undefined> = inputs.map(() => undefined);
    const pollKey = (v: { site: string; poll: string }) => `${v.site}\0${v.poll}`;
    const voteKey = (v: { site: string; poll: string; voter: string }) =>
      `${pollKey(v)}\0${v.voter}`;
    // Each voter once, in the order rows are locked (a second vote of the same voter in the
    // batch is answered alone: a repeat).
    const seen = new Set<string>();
    const live = inputs
      .map((_, i) => i)
      .sort((a, b) => cmp(voteKey(inputs[a]!), voteKey(inputs[b]!)))
      .filter((i) => {
        const key = voteKey(inputs[i]!);
        return !seen.has(key) && !!seen.add(key);
      });
    if (!live.length) return out;
    const votes = live.map((i) => inputs[i]!);
    const polls = [...new Set(votes.map(pollKey))].map((key) => {
      const [site = '', poll = ''] = key.split('\0');
      return { site, poll };
    });
    const notices = commitNoticesOf(this.db);
    const shard = Math.floor(Math.random() * SHARDS);
    const ceilings = votes.some((v) => v.ipCeiling > 0 || (v.netCeiling ?? 0) > 0);

    let counted: Array<{ site: string; poll: string; voter: string }>;
    let sums: TallyRow[];
    if (!ceilings) {
      // Prepared: its text is the same for every batch (values are arrays).
      const rows = await prepared(
        this.db,
        sql<TallyRow & { voter: string | null }>`
        with ${insertVotes(polls, votes)},
        counted as (select site, poll, choices from ins),
        ${tallySums(shard, polls, notices)}
        select site, poll, voter, null as option, null as n from ins
        union all select site, poll, null, option, n from sums
        where (select count(*) from notified) >= 0`.compile(this.db),
      );
      counted = rows.filter((r) => r.voter !== null) as typeof counted;
      sums = rows.filter((r) => r.voter === null);
    } else {
      ({ counted, sums } = await this.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{
          site: string;
          poll: string;
          voter: string | null;
          day: string | null;
          ip_key: string | null;
          count: number | null;
        }>`
          with ${insertVotes(polls, votes)},
          ip as (
            select distinct v.site, v.poll, v.day, k.key
            from ins join v on v.site = ins.site and v.poll = ins.poll and v.voter = ins.voter
            cross join lateral (values (v.ip_key, v.ip_ceiling), (v.net_key, v.net_ceiling))
              as k(key, ceiling)
            where k.key is not null and k.ceiling > 0
          ),
          -- Every count row the votes need, made or locked as it is now (sorted: the lock order).
          locked as (
            insert into poll_ip_counts (site, poll, day, ip_key, count)
            select site, poll, day, key, 0 from ip
            order by site collate "C", poll collate "C", day collate "C", key collate "C"
            on conflict (site, poll, day, ip_key) do update set count = poll_ip_counts.count
            returning site, poll, day, ip_key, count
          )
          select site, poll, voter, null as day, null as ip_key, null as count from ins
          union all select site, poll, null, day, ip_key, count from locked`.execute(trx);
        const fresh = new Set(
          rows.flatMap((r) => (r.voter === null ? [] : [voteKey({ ...r, voter: r.voter })])),
        );
        const used = new Map<string, number>();
        for (const r of rows)
          if (r.ip_key !== null) used.set(`${pollKey(r)}\0${r.day}\0${r.ip_key}`, Number(r.count));
        // Votes in the order of their address's key, each taken while its address and its
        // network are below their ceilings (as one vote at a time would be).
        const byIp = votes
          .filter((v) => fresh.has(voteKey(v)))
          .sort((x, y) =>
            cmp(`${pollKey(x)}\0${x.day}\0${x.ipKey}`, `${pollKey(y)}\0${y.day}\0${y.ipKey}`),
          );
        const taken: VoteInput[] = [];
        const refused: VoteInput[] = [];
        for (const v of byIp) {
          const keys: Array<[string, number]> = [];
          if (v.ipCeiling > 0) keys.push([v.ipKey, v.ipCeiling]);
          if (v.netKey && v.netCeiling && v.netCeiling > 0) keys.push([v.netKey, v.netCeiling]);
          const full = keys.some(
            ([key, ceiling]) => (used.get(`${pollKey(v)}\0${v.day}\0${key}`) ?? 0) >= ceiling,
          );
          if (full) {
            refused.push(v);
            continue;
          }
          for (const [key] of keys) {
            const k = `${pollKey(v)}\0${v.day}\0${key}`;
            used.set(k, (used.get(k) ?? 0) + 1);
          }
          taken.push(v);
        }
        const raised = new Map<string, { v: VoteInput; key: string; n: number }>();
        for (const v of taken)
          for (const [key, ceiling] of [
            [v.ipKey, v.ipCeiling],
            [v.netKey, v.netCeiling ?? 0],
          ] as const) {
            if (!key || ceiling <= 0) continue;
            const k = `${pollKey(v)}\0${v.day}\0${key}`;
            const r = raised.get(k);
            if (r) r.n++;
            else raised.set(k, { v, key, n: 1 });
          }
        const counts = [...raised.values()];
        const { rows: tallied } = await sql<TallyRow>`
          with ip_raised as (
            update poll_ip_counts c set count = c.count + r.n
            from unnest(
              ${counts.map((r) => r.v.site)}::text[], ${counts.map((r) => r.v.poll)}::text[],
              ${counts.map((r) => r.v.day)}::text[], ${counts.map((r) => r.key)}::text[],
              ${counts.map((r) => r.n)}::int[]
            ) as r(site, poll, day, ip_key, n)
            where c.site = r.site and c.poll = r.poll and c.day = r.day and c.ip_key = r.ip_key
            returning 1
          ),
          undone as (
            delete from poll_votes d
            using unnest(
              ${refused.map((v) => v.site)}::text[], ${refused.map((v) => v.poll)}::text[],
              ${refused.map((v) => v.voter)}::text[]
            ) as r(site, poll, voter)
            where d.site = r.site and d.poll = r.poll and d.voter = r.voter
            returning 1
          ),
          counted as (
            select * from unnest(
              ${taken.map((v) => v.site)}::text[], ${taken.map((v) => v.poll)}::text[],
              ${taken.map((v) => JSON.stringify(v.choices))}::text[]
            ) as c(site, poll, choices)
          ),
          ${tallySums(shard, polls, notices)}
          select site, poll, option, n from sums
          where (select count(*) from notified) >= 0`.execute(trx);
        return { counted: taken, sums: tallied };
      }));
    }

    const perPoll = new Map<string, Tallies>();
    for (const r of sums) {
      let t = perPoll.get(pollKey(r));
      if (!t) perPoll.set(pollKey(r), (t = { voters: 0, votes: {} }));
      if (r.option === VOTERS) t.voters = Number(r.n);
      else t.votes[r.option!] = Number(r.n);
    }
    const done = new Set(counted.map(voteKey));
    for (const i of live) {
      const v = inputs[i]!;
      const t = perPoll.get(pollKey(v));
      if (t && done.has(voteKey(v)))
        out[i] = {
          kind: 'counted',
          voters: t.voters,
          votes: t.votes,
          // The notice went out with the commit: the poll's `changed()` sends nothing more.
          ...(notices && { noticeSent: true as const }),
        };
    }
    return out;
  }

  /** {@link voteBatch} on SQLite (one writer at a time: no row locks to order). */
  private async voteBatchSqlite(
    trx: Transaction<Database>,
    inputs: VoteInput[],
  ): Promise<Array<VoteOutcome | undefined>> {
    const out: Array<VoteOutcome | undefined> = inputs.map(() => undefined);
    const pollKey = (v: VoteInput) => `${v.site}\0${v.poll}`;
    const voteKey = (v: VoteInput) => `${pollKey(v)}\0${v.voter}`;
    const order = inputs
      .map((_, i) => i)
      .sort((a, b) => cmp(voteKey(inputs[a]!), voteKey(inputs[b]!)));
    const pollKeys = [...new Set(order.map((i) => pollKey(inputs[i]!)))];

    // The polls as they are now, read after the first write (which takes the write lock), as in
    // `voteOnce`.
    const rows = new Map<
      string,
      { updated_at: number; opens_at: number | null; closes_at: number | null }
    >();
    const readPolls = async () => {
      for (const key of pollKeys) {
        const [site = '', poll = ''] = key.split('\0');
        const row = await trx
          .selectFrom('polls')
          .select(['updated_at', 'opens_at', 'closes_at'])
          .where('site', '=', site)
          .where('id', '=', poll)
          .executeTakeFirst();
        if (row)
          rows.set(key, {
            updated_at: Number(row.updated_at),
            opens_at: num(row.opens_at),
            closes_at: num(row.closes_at),
          });
      }
    };
    const open = (v: VoteInput) => {
      const row = rows.get(pollKey(v));
      return (
        !!row &&
        row.updated_at === v.version &&
        (row.opens_at === null || row.opens_at <= v.now) &&
        (row.closes_at === null || row.closes_at > v.now)
      );
    };
    // Each voter once (a second vote of the same voter in the batch is answered alone: a repeat).
    const seen = new Set<string>();
    let live = order.filter((i) => {
      const v = inputs[i]!;
      if (seen.has(voteKey(v))) return false;
      seen.add(voteKey(v));
      return true;
    });
    if (!live.length) return out;
    const inserted = await trx
      .insertInto('poll_votes')
      .values(
        live.map((i) => {
          const v = inputs[i]!;
          return {
            site: v.site,
            poll: v.poll,
            voter: v.voter,
            choices: JSON.stringify(v.choices),
            created_at: v.now,
          };
        }),
      )
      .onConflict((oc) => oc.columns(['site', 'poll', 'voter']).doNothing())
      .returning(['site', 'poll', 'voter'])
      .execute();
    const fresh = new Set(inserted.map((r) => `${r.site}\0${r.poll}\0${r.voter}`));
    live = live.filter((i) => fresh.has(voteKey(inputs[i]!)));
    /** Votes inserted but not to be counted: their rows go again (same transaction). */
    const undo: number[] = [];
    await readPolls();
    live = live.filter((i) => open(inputs[i]!) || (undo.push(i), false));

    // The IP prefix's count for today, then its network's, each raised only below its ceiling
    // (votes in the order of their address's key; per vote address then network, as in `vote`).
    // A vote the network's ceiling refuses gives its address's count back.
    const byIp = live
      .filter((i) => inputs[i]!.ipCeiling > 0 || (inputs[i]!.netCeiling ?? 0) > 0)
      .sort((a, b) => {
        const [x, y] = [inputs[a]!, inputs[b]!];
        return cmp(`${pollKey(x)}\0${x.day}\0${x.ipKey}`, `${pollKey(y)}\0${y.day}\0${y.ipKey}`);
      });
    const refused = new Set<number>();
    for (const i of byIp) {
      const v = inputs[i]!;
      const own = v.ipCeiling > 0;
      if (own && !(await raiseCount(trx, v, v.ipKey, v.ipCeiling))) {
        refused.add(i);
        continue;
      }
      if (
        v.netKey &&
        v.netCeiling &&
        v.netCeiling > 0 &&
        !(await raiseCount(trx, v, v.netKey, v.netCeiling))
      ) {
        refused.add(i);
        if (own)
          await trx
            .updateTable('poll_ip_counts')
            .set((eb) => ({ count: eb('count', '-', 1) }))
            .where('site', '=', v.site)
            .where('poll', '=', v.poll)
            .where('day', '=', v.day)
            .where('ip_key', '=', v.ipKey)
            .execute();
      }
    }
    live = live.filter((i) => !refused.has(i) || (undo.push(i), false));
    for (const i of undo) {
      const v = inputs[i]!;
      await trx
        .deleteFrom('poll_votes')
        .where('site', '=', v.site)
        .where('poll', '=', v.poll)
        .where('voter', '=', v.voter)
        .execute();
    }

    // Per poll: one more voter per vote and one more vote per choice, in one statement.
    const perPoll = new Map<string, Map<string, number>>();
    for (const i of live) {
      const v = inputs[i]!;
      let counts = perPoll.get(pollKey(v));
      if (!counts) perPoll.set(pollKey(v), (counts = new Map()));
      for (const option of [VOTERS, ...v.choices])
        counts.set(option, (counts.get(option) ?? 0) + 1);
    }
    const shard = Math.floor(Math.random() * SHARDS);
    for (const [key, counts] of perPoll) {
      const [site = '', poll = ''] = key.split('\0');
      await trx
        .insertInto('poll_tallies')
        .values(
          [...counts.keys()].sort().map((option) => ({
            site,
            poll,
            option,
            shard,
            count: counts.get(option)!,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['site', 'poll', 'option', 'shard']).doUpdateSet((eb) => ({
            count: eb('poll_tallies.count', '+', eb.ref('excluded.count')),
          })),
        )
        .execute();
      const sums = await tallies(trx, site, poll);
      for (const i of live) if (pollKey(inputs[i]!) === key) out[i] = { kind: 'counted', ...sums };
    }
    return out;
  }

  /** One transaction: begin, poll check, vote, IP count, tallies, sums, commit. */
  private async voteOnce(trx: Transaction<Database>, v: VoteInput): Promise<VoteOutcome> {
    const pg = this.dialect === 'postgres';
    // PostgreSQL: share-lock the poll row first (admin changes wait for this vote). SQLite: write
    // first, so the transaction holds the write lock and reads the latest poll.
    if (pg && !(await this.openNow(trx, v))) throw new Abort('not_open');

    // The vote itself: the primary key makes a second one a no-op.
    const inserted = await trx
      .insertInto('poll_votes')
      .values({
        site: v.site,
        poll: v.poll,
        voter: v.voter,
        choices: JSON.stringify(v.choices),
        created_at: v.now,
      })
      .onConflict((oc) => oc.columns(['site', 'poll', 'voter']).doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) throw new Abort('repeat');
    if (!pg && !(await this.openNow(trx, v))) throw new Abort('not_open');

    // The IP prefix's count for today and its network's, each raised only below its ceiling
    // (always in key order: two votes never wait on each other's rows crosswise).
    const counts: Array<[string | undefined, number | undefined]> = [
      [v.ipKey, v.ipCeiling],
      [v.netKey, v.netCeiling],
    ];
    // In key order, as a batch locks them (`voteBatch`).
    counts.sort(([a = ''], [b = '']) => cmp(a, b));
    for (const [key, ceiling] of counts) {
      if (!key || !ceiling || ceiling <= 0) continue;
      if (!(await raiseCount(trx, v, key, ceiling))) throw new Abort('ceiling');
    }

    // One more voter and one more vote per choice, in one statement, rows in sorted order.
    const shard = Math.floor(Math.random() * SHARDS);
    await trx
      .insertInto('poll_tallies')
      .values(
        [VOTERS, ...[...v.choices].sort()].map((option) => ({
          site: v.site,
          poll: v.poll,
          option,
          shard,
          count: 1,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['site', 'poll', 'option', 'shard'])
          .doUpdateSet((eb) => ({ count: eb('poll_tallies.count', '+', 1) })),
      )
      .execute();

    return { kind: 'counted', ...(await tallies(trx, v.site, v.poll)) };
  }

  /** The poll exists, is open at `v.now` and unchanged since `v.version` (share-locked on PostgreSQL). */
  private async openNow(trx: Transaction<Database>, v: VoteInput): Promise<boolean> {
    let query = trx
      .selectFrom('polls')
      .select(['updated_at', 'opens_at', 'closes_at'])
      .where('site', '=', v.site)
      .where('id', '=', v.poll);
    if (this.dialect === 'postgres') query = query.forShare();
    const row = await query.executeTakeFirst();
    if (!row || Number(row.updated_at) !== v.version) return false;
    const opensAt = num(row.opens_at);
    const closesAt = num(row.closes_at);
    return (opensAt === null || opensAt <= v.now) && (closesAt === null || closesAt > v.now);
  }

  /** After a rolled-back vote: the stored vote of a repeat, else why the poll refused it. */
  private async explain(kind: Abort['kind'], v: VoteInput): Promise<VoteOutcome | undefined> {
    if (kind === 'ceiling') return { kind };
    const [poll, choices] = await Promise.all([
      this.get(v.site, v.poll),
      this.voteOf(v.site, v.poll, v.voter),
    ]);
    if (!poll) return { kind: 'not_found' };
    // A repeat of a counted vote answers the same, even once the poll has closed.
    if (choices) return { kind: 'repeat', poll, choices };
    if (poll.updatedAt !== v.version) return { kind: 'stale', poll };
    if (poll.opensAt !== null && poll.opensAt > v.now) return { kind: 'upcoming' };
    if (poll.closesAt !== null && poll.closesAt <= v.now) return { kind: 'closed' };
    return undefined;
  }

  /**
   * Counted votes per `bucketMs` bucket (aligned to the epoch), oldest first. Grouped in SQL by
   * (bucket, choices), so the rows returned stay few even for a large poll.
   */
  async buckets(site: string, poll: string, bucketMs: number): Promise<VoteBucket[]> {
    if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0)
      throw new RangeError('bucketMs must be a positive integer');
    // A literal (a checked integer), so that the select and the group by are the same expression.
    const size = sql.lit(bucketMs);
    const { rows } = await sql<{ b: number | string; choices: string; n: number | string }>`
      select created_at / ${size} as b, choices, count(*) as n
      from poll_votes
      where site = ${site} and poll = ${poll}
      group by created_at / ${size}, choices
      order by b`.execute(this.db);
    const out: VoteBucket[] = [];
    for (const row of rows) {
      const start = Math.floor(Number(row.b)) * bucketMs;
      let bucket = out[out.length - 1];
      if (!bucket || bucket.start !== start) out.push((bucket = { start, voters: 0, options: {} }));
      const n = Number(row.n);
      bucket.voters += n;
      for (const id of JSON.parse(row.choices) as string[])
        bucket.options[id] = (bucket.options[id] ?? 0) + n;
    }
    return out;
  }

  /** Drops the IP-prefix counts of days before `day` (their salt is gone: they identify nothing). */
  async pruneIpCounts(day: string): Promise<number> {
    const result = await this.db
      .deleteFrom('poll_ip_counts')
      .where('day', '<', day)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** A row of a poll's summed tallies (option {@link VOTERS} counts voters). */
interface TallyRow {
  site: string;
  poll: string;
  option: string | null;
  n: number | string | null;
}

/**
 * PostgreSQL, the first CTEs of a vote batch: `p`, the polls' rows share-locked (all of them
 * before any vote row: the lock order of {@link PollStore.vote}); `v`, the votes (sorted); `ins`,
 * the votes inserted, those of voters who had not voted yet, on polls open and unchanged since
 * each vote was checked.
 */
function insertVotes(polls: Array<{ site: string; poll: string }>, votes: VoteInput[]) {
  return sql`p as materialized (
      select polls.site, polls.id, polls.updated_at, polls.opens_at, polls.closes_at
      from unnest(${polls.map((p) => p.site)}::text[], ${polls.map((p) => p.poll)}::text[])
        with ordinality as k(site, id, ord)
      join polls on polls.site = k.site and polls.id = k.id
      order by k.ord
      for share of polls
    ),
    v as (
      select * from unnest(
        ${votes.map((v) => v.site)}::text[], ${votes.map((v) => v.poll)}::text[],
        ${votes.map((v) => v.voter)}::text[], ${votes.map((v) => JSON.stringify(v.choices))}::text[],
        ${votes.map((v) => v.now)}::bigint[], ${votes.map((v) => v.version)}::bigint[],
        ${votes.map((v) => v.day)}::text[],
        ${votes.map((v) => v.ipKey)}::text[], ${votes.map((v) => v.ipCeiling)}::int[],
        ${votes.map((v) => v.netKey ?? null)}::text[], ${votes.map((v) => v.netCeiling ?? 0)}::int[]
      ) with ordinality as v(site, poll, voter, choices, now, version, day,
        ip_key, ip_ceiling, net_key, net_ceiling, ord)
    ),
    ins as (
      insert into poll_votes (site, poll, voter, choices, created_at)
      select v.site, v.poll, v.voter, v.choices, v.now
      from v join p on p.site = v.site and p.id = v.poll
      where (select count(*) from p) > 0
        and p.updated_at = v.version
        and (p.opens_at is null or p.opens_at <= v.now)
        and (p.closes_at is null or p.closes_at > v.now)
      order by v.ord
      on conflict (site, poll, voter) do nothing
      returning site, poll, voter, choices
    )`;
}

/**
 * PostgreSQL, the last CTEs of a vote batch, after `counted` (site, poll, choices: the votes
 * counted): one more voter per vote and one more vote per choice on shard `shard` (rows in
 * code-point order, as {@link PollStore.vote} takes them), `sums`: the polls' tallies with
 * them, and `notified`: the polls' change notices (sent at the commit; the main query must read it).
 */
function tallySums(
  shard: number,
  polls: Array<{ site: string; poll: string }>,
  notices: CommitNotices | undefined,
) {
  // Referenced by the main query (a plain CTE that nothing reads is never run).
  const notify = notices
    ? sql`notified as (
      select pg_notify(${notices.channel}, k.payload)
      from unnest(
        ${polls.map((p) => p.site)}::text[], ${polls.map((p) => p.poll)}::text[],
        ${polls.map((p) => notices.payload({ site: p.site, kind: 'poll', id: p.poll }))}::text[]
      ) as k(site, poll, payload)
      where exists (select 1 from counted c where c.site = k.site and c.poll = k.poll)
    )`
    : sql`notified as (select 1 where false)`;
  return sql`added as (
      select c.site, c.poll, o.option, count(*) as n
      from counted c
      cross join lateral (
        select ${VOTERS}::text union all select jsonb_array_elements_text(c.choices::jsonb)
      ) as o(option)
      group by c.site, c.poll, o.option
    ),
    raised as (
      insert into poll_tallies (site, poll, option, shard, count)
      select site, poll, option, ${shard}, n from added
      order by site collate "C", poll collate "C", option collate "C"
      on conflict (site, poll, option, shard)
        do update set count = poll_tallies.count + excluded.count
      returning site, poll, option, count
    ),
    sums as (
      select site, poll, option, sum(count) as n from (
        select t.site, t.poll, t.option, t.count from poll_tallies t
        join (select distinct site, poll from counted) k on t.site = k.site and t.poll = k.poll
        where t.shard <> ${shard}
        union all select site, poll, option, count from raised
      ) all_shards
      group by site, poll, option
    ),
    ${notify}`;
}

function columns(s: PollSettings) {
  return {
    question: s.question,
    multiple: s.multiple ? 1 : 0,
    max_choices: s.maxChoices,
    opens_at: s.opensAt,
    closes_at: s.closesAt,
    results_visibility: s.resultsVisibility,
    ip_ceiling: s.ipCeiling,
    require_proof: s.requireProof ? 1 : 0,
  };
}

/**
 * Adds one to the day's vote count of an IP prefix or network (`key`) on the poll, unless it has
 * reached `ceiling`; resolves with whether it was added.
 */
async function raiseCount(
  trx: Transaction<Database>,
  v: VoteInput,
  key: string,
  ceiling: number,
): Promise<boolean> {
  const counted = await trx
    .insertInto('poll_ip_counts')
    .values({ site: v.site, poll: v.poll, day: v.day, ip_key: key, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['site', 'poll', 'day', 'ip_key'])
        .doUpdateSet((eb) => ({ count: eb('poll_ip_counts.count', '+', 1) }))
        .where('poll_ip_counts.count', '<', ceiling),
    )
    .executeTakeFirst();
  return (counted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

async function insertOptions(
  trx: Transaction<Database>,
  site: string,
  poll: string,
  options: { id: string; label: string }[],
) {
  await trx
    .insertInto('poll_options')
    .values(options.map((o, position) => ({ site, poll, id: o.id, label: o.label, position })))
    .execute();
}

function toPoll(
  row: Selectable<PollsTable>,
  options: { id: string; label: string }[],
  counts: Tallies,
): PollRecord {
  return {
    site: row.site,
    id: row.id,
    question: row.question,
    options: options.map((o) => ({ id: o.id, label: o.label, votes: counts.votes[o.id] ?? 0 })),
    multiple: Number(row.multiple) === 1,
    maxChoices: Number(row.max_choices),
    opensAt: num(row.opens_at),
    closesAt: num(row.closes_at),
    resultsVisibility: row.results_visibility as ResultsVisibility,
    ipCeiling: Number(row.ip_ceiling),
    requireProof: Number(row.require_proof) === 1,
    voters: counts.voters,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
