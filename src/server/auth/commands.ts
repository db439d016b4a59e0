/**
 * The CLI's account commands (entries in cli.ts): `user add`, `user passwd`, `user list`. The
 * password is read from standard input, one line (hidden when it is a terminal), never from an
 * argument: arguments end up in shell histories and process lists.
 */
import { AuditStore } from '../audit/store.js';
import { commandLine } from '../core/args.js';
import { HttpError } from '../core/errors.js';
import type { Storage } from '../db/storage.js';
import { Auth } from './service.js';

/** An API refusal as one plain line: `Invalid field "email": is not…` → `email is not…`. */
function plain(err: unknown): unknown {
  if (!(err instanceof HttpError)) return err;
  const m = /^Invalid field "([^"]+)": (.*)$/.exec(err.message);
  if (!m) return new Error(err.message);
  return new Error(m[2]!.startsWith('is ') ? `${m[1]} ${m[2]}` : m[2]);
}

/** One line of standard input, without its line break; hidden while typed on a terminal. */
export function readLine(prompt: string, input = process.stdin): Promise<string> {
  if (input.isTTY) return readHidden(prompt, input);
  return new Promise((resolve, reject) => {
    let data = '';
    const finish = (line: string) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', reject);
      input.destroy();
      resolve(line.replace(/\r$/, ''));
    };
    const onData = (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\n');
      if (end >= 0) finish(data.slice(0, end));
    };
    const onEnd = () => finish(data);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', reject);
  });
}

function readHidden(prompt: string, input: NodeJS.ReadStream): Promise<string> {
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const stop = () => {
      input.setRawMode(false);
      input.off('data', onData);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stop();
          return resolve(value);
        }
        if (ch === '\u0003') {
          stop();
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

const audit = (storage: Storage) => new AuditStore(storage.db);

/** `user add <email> --role admin|editor [--site <id>]... [--name <name>]`. */
export async function userAdd(storage: Storage, args: string[], read = readLine): Promise<string> {
  const { values, positionals } = commandLine(args, {
    role: { type: 'string' },
    site: { type: 'string', multiple: true },
    name: { type: 'string' },
  });
  if (positionals.length !== 1)
    throw new Error('give one e-mail address: user add <email> --role …');
  if (values.role === undefined) throw new Error('--role admin or --role editor is required');
  const auth = new Auth(storage, Date.now);
  try {
    // Role and sites are checked before the password is asked for.
    const role = auth.checkRole(values.role);
    const sites = await auth.checkSites(role, values.site);
    const password = await read('Password: ');
    const user = await auth.createUser({
      email: positionals[0]!,
      name: values.name,
      role,
      sites,
      password,
    });
    await audit(storage).add(
      {
        actor: 'cli',
        userId: null,
        action: 'user.create',
        site: null,
        target: user.id,
        after: { email: user.email, name: user.name, role: user.role, sites: user.sites },
      },
      Date.now(),
    );
    const where = role === 'admin' ? 'every site' : sites.join(', ') || 'no site yet';
    return `user ${user.email} added: ${role} (${where})`;
  } catch (err) {
    throw plain(err);
  }
}

/** `user passwd <email>`: a new password (from standard input); the user's sessions end. */
export async function userPasswd(
  storage: Storage,
  args: string[],
  read = readLine,
): Promise<string> {
  const { positionals } = commandLine(args, {});
  if (positionals.length !== 1) throw new Error('give one e-mail address: user passwd <email>');
  const auth = new Auth(storage, Date.now);
  const found = await auth.store.userForLogin(positionals[0]!);
  if (!found) throw new Error('there is no user with this e-mail');
  try {
    const password = await read('New password: ');
    await auth.setPassword(found.user.id, password);
  } catch (err) {
    throw plain(err);
  }
  await audit(storage).add(
    {
      actor: 'cli',
      userId: null,
      action: 'user.password',
      site: null,
      target: found.user.id,
    },
    Date.now(),
  );
  return `password of ${found.user.email} changed; their sessions have ended`;
}

/** `user list`: one line a user, tab-separated: e-mail, role, sites, name. */
export async function userList(storage: Storage): Promise<string> {
  const users = await new Auth(storage, Date.now).store.users();
  return users
    .map((u) => [u.email, u.role, u.role === 'admin' ? '*' : u.sites.join(','), u.name].join('\t'))
    .join('\n');
}
