/** The CLI's site commands (entries in cli.ts): `site add`, `site list`. */
import { AuditStore } from '../audit/store.js';
import { normalizeOrigin } from '../../shared/origins.js';
import { commandLine } from '../core/args.js';
import { SLUG } from '../core/schemas.js';
import type { Storage } from '../db/storage.js';
import { cleanLine } from '../core/text.js';

/** `site add <id> --origin <url>... [--name <name>] [--legacy-visits N]`. */
export async function siteAdd(storage: Storage, args: string[]): Promise<string> {
  const { values, positionals } = commandLine(args, {
    origin: { type: 'string', multiple: true },
    name: { type: 'string' },
    'legacy-visits': { type: 'string' },
  });
  if (positionals.length !== 1) throw new Error('give one site id: site add <id> --origin <url>…');
  const id = positionals[0]!;
  if (!new RegExp(SLUG).test(id))
    throw new Error(`"${id}" is not a site id: lower-case letters, digits and "-", at most 63`);
  if (!values.origin?.length) throw new Error('at least one --origin <url> is required');
  const origins = values.origin.map((o) => {
    const origin = normalizeOrigin(o);
    if (!origin) throw new Error(`"${o}" is not an http(s) origin like https://example.gov.vn`);
    return origin;
  });
  const raw = values['legacy-visits'] ?? '0';
  const legacyOffset = Number(raw);
  if (!/^\d{1,13}$/.test(raw) || legacyOffset > 1_000_000_000_000)
    throw new Error(
      `--legacy-visits must be a whole number from 0 to 1000000000000 (got "${raw}")`,
    );
  const name = cleanLine(values.name) || id;
  // eslint-disable-next-line no-control-regex
  if (name.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(name))
    throw new Error('--name must be at most 200 printable characters');
  const site = { id, name, origins: [...new Set(origins)], legacyOffset };
  if (!(await storage.createSite(site))) throw new Error(`site "${id}" already exists`);
  await new AuditStore(storage.db).add(
    { actor: 'cli', userId: null, action: 'site.create', site: id, target: id, after: site },
    Date.now(),
  );
  return `site ${id} added (${site.origins.join(', ')})`;
}

/** `site list`: one line a site, tab-separated: id, name, origins, legacy visits. */
export async function siteList(storage: Storage): Promise<string> {
  return (await storage.listSites())
    .map((s) => [s.id, s.name, s.origins.join(','), s.legacyOffset].join('\t'))
    .join('\n');
}
