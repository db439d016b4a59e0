import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server tests may create databases on, if any. */
export const POSTGRES_ADMIN_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;

let warned = false;
/** Says, once and loudly, that the PostgreSQL tests do not run. */
export function warnPostgresSkipped(): void {
  if (warned) return;
  warned = true;
  const bar = '!'.repeat(78);
  console.warn(
    `\n${bar}\n!! PostgreSQL tests SKIPPED: set TEST_DATABASE_URL=postgres://user@host:5432/postgres\n${bar}\n`,
  );
}

/** A throwaway PostgreSQL database and how to get rid of it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database `civic_test_<pid>_<random>` on the server named by
 * `TEST_DATABASE_URL` (fallback `DATABASE_URL`). Without either it warns loudly and returns
 * undefined, so callers skip their PostgreSQL suites.
 */
export async function createTestDatabase(): Promise<TestDatabase | undefined> {
  const adminUrl = POSTGRES_ADMIN_URL;
  if (!adminUrl) {
    warnPostgresSkipped();
    return undefined;
  }
  const name = `civic_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin(adminUrl, (admin) => admin.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      asAdmin(adminUrl, async (admin) => {
        // Connections a test has just closed can still be on their way out: give them 3 s before
        // terminating what is left (a termination reaches a client still reading as an error,
        // "terminating connection due to administrator command", and failed a test once in CI).
        const others = async () =>
          (
            await admin.query<{ n: number }>(
              'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
              [name],
            )
          ).rows[0]!.n;
        for (let i = 0; i < 30 && (await others()) > 0; i++)
          await new Promise((resolve) => setTimeout(resolve, 100));
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        );
        await admin.query(`drop database if exists "${name}"`);
      }),
  };
}

async function asAdmin(url: string, work: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
