/**
 * `civic-widgets backup <file>`: the SQLite database copied online (SQLite's backup API through
 * better-sqlite3: consistent while the server keeps writing). For PostgreSQL, the `pg_dump`
 * command to run instead (printed, without the password).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function backup(
  where: { databaseUrl?: string; dbFile: string },
  file: string,
): Promise<string> {
  if (where.databaseUrl) {
    const url = new URL(where.databaseUrl);
    url.password = '';
    return [
      'PostgreSQL is backed up with its own tool; run:',
      `  pg_dump --format=custom --no-owner --file=${quote(file)} ${quote(url.toString())}`,
      '(it takes the password from PGPASSWORD or ~/.pgpass; pg_restore puts it back)',
    ].join('\n');
  }
  if (where.dbFile === ':memory:' || !existsSync(where.dbFile))
    throw new Error(`there is no SQLite database at ${where.dbFile} (CIVIC_DB_FILE)`);
  if (existsSync(file)) throw new Error(`${file} already exists; give a new file name`);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const db = new SQLite(where.dbFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(file);
  } finally {
    db.close();
  }
  return `backup of ${where.dbFile} written to ${file}`;
}
