/**
 * `civic-widgets <command>`: the package's command line. `bin/civic-widgets.js` runs the compiled
 * copy (`dist/server/cli.js`); in a clone, `npm start -- <command>` runs this file through tsx.
 * Every command reads the server's environment variables (README "Configuration"). Exit code 0 on
 * success; 1 with a one-line message on stderr otherwise.
 *
 * A command is one entry of `COMMANDS`, keyed by its words (`serve`; later `user add`,
 * `site add`, `backup`): a summary line for `--help`, the arguments it takes, and `run`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { userAdd, userList, userPasswd } from './auth/commands.js';
import { loadConfig } from './config.js';
import { backup } from './db/backup.js';
import { openStorage, storageOptions } from './db/open.js';
import type { Storage } from './db/storage.js';
import { siteAdd, siteList } from './sites/commands.js';

export interface Command {
  /** One line for `--help`. */
  summary: string;
  /** Its arguments as `--help` shows them (e.g. `<email> <name>`); without it, it takes none. */
  args?: string;
  /**
   * Does the work; throws on failure (the Error's message is the line printed). `serve` resolves
   * once it listens, and the process runs on until SIGTERM/SIGINT.
   */
  run(args: string[]): Promise<void>;
}

/** Names the database the way the server's start line does. */
function where(config: { databaseUrl?: string; dbFile: string }): string {
  return config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.dbFile}`;
}

/** Runs `work` on the configured database (migrated first) and prints what it returns. */
async function withStorage(work: (storage: Storage) => Promise<string>): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(storageOptions(config));
  try {
    const out = await work(storage);
    if (out) process.stdout.write(`${out}\n`);
  } finally {
    await storage.close();
  }
}

export const COMMANDS: Record<string, Command> = {
  serve: {
    summary:
      'serve the API, the widgets (/civic.js) and (DEMO=on) the demo portal until SIGTERM/SIGINT',
    async run() {
      // Loaded here: the other commands start without the whole server.
      const { serve, startFailure } = await import('./main.js');
      try {
        await serve();
      } catch (err) {
        throw new Error(startFailure(err), { cause: err });
      }
    },
  },
  migrate: {
    summary: 'create the database or apply pending migrations, then exit',
    async run() {
      const config = loadConfig();
      const storage = await openStorage(storageOptions(config));
      await storage.close();
      process.stdout.write(`civic-widgets: database is up to date (${where(config)})\n`);
    },
  },
  'user add': {
    summary: 'add an account; its password is read from standard input (one line, ≥ 12 characters)',
    args: '<email> --role admin|editor [--site <id>]... [--name <name>]',
    run: (args) => withStorage((storage) => userAdd(storage, args)),
  },
  'user passwd': {
    summary: 'set an account’s password (read from standard input); its sessions end',
    args: '<email>',
    run: (args) => withStorage((storage) => userPasswd(storage, args)),
  },
  'user list': {
    summary: 'list the accounts: e-mail, role, sites, name',
    run: () => withStorage(userList),
  },
  'site add': {
    summary: 'add a site with the origins allowed to embed the widgets',
    args: '<id> --origin <url>... [--name <name>] [--legacy-visits N]',
    run: (args) => withStorage((storage) => siteAdd(storage, args)),
  },
  'site list': {
    summary: 'list the sites: id, name, origins, legacy visits',
    run: () => withStorage(siteList),
  },
  backup: {
    summary: 'copy the SQLite database while it runs (PostgreSQL: print the pg_dump command)',
    args: '<file>',
    async run(args) {
      if (args.length !== 1) throw new Error('give one file name: backup <file>');
      process.stdout.write(`${await backup(loadConfig(), args[0]!)}\n`);
    },
  },
};

function version(): string {
  // package.json sits two levels up from src/server/cli.ts and from dist/server/cli.js alike.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function help(): string {
  const names = Object.keys(COMMANDS).map((name) =>
    COMMANDS[name]!.args ? `${name} ${COMMANDS[name]!.args}` : name,
  );
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const rows = Object.values(COMMANDS).map((c, i) => `  ${names[i]!.padEnd(width)}${c.summary}`);
  return [
    'Usage: civic-widgets <command>',
    '',
    'Commands:',
    ...rows,
    '',
    'Options: --help, --version',
    '',
    'Settings are environment variables: PORT (8080), HOST (0.0.0.0), DATABASE_URL (postgres://…;',
    'unset: the SQLite file CIVIC_DB_FILE, default ./data/civic.db under the current folder),',
    'ADMIN_TOKEN, LOG_LEVEL, TRUST_PROXY, RATE_LIMIT_PER_MINUTE, FLUSH_INTERVAL_MS, DEMO (on|off;',
    'off: no demo portal, gallery or demo sites), DEMO_ORIGINS, CIVIC_DIST_DIR and CIVIC_DEMO_DIR',
    '(default: the files inside this package).',
    '',
  ].join('\n');
}

/** The command `argv` names: the longest entry of COMMANDS whose words start it. */
function find(argv: string[]): [string, Command] | undefined {
  const matches = Object.keys(COMMANDS)
    .filter((name) => name.split(' ').every((word, i) => argv[i] === word))
    .sort((a, b) => b.length - a.length);
  return matches[0] === undefined ? undefined : [matches[0], COMMANDS[matches[0]]!];
}

function fail(message: string): number {
  process.stderr.write(`civic-widgets: ${message}\n`);
  return 1;
}

/** Runs the command line `argv` (without `node` and the script); resolves with the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(help());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!argv.length) {
    process.stderr.write(help());
    return 1;
  }
  const found = find(argv);
  if (!found)
    return fail(`unknown command "${argv.join(' ')}" (civic-widgets --help lists the commands)`);
  const [name, command] = found;
  const args = argv.slice(name.split(' ').length);
  if (!command.args && args.length) {
    return fail(
      `"${name}" takes no arguments (settings are environment variables; see civic-widgets --help)`,
    );
  }
  try {
    await command.run(args);
    return 0;
  } catch (err) {
    // A configuration error lists each bad setting on its own line, as the server's start does.
    return fail(err instanceof Error ? err.message : String(err));
  }
}

/** True when this file is the script node runs (`node --import tsx src/server/cli.ts …`). */
function isEntryPoint(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await run(process.argv.slice(2));
