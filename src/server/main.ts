/**
 * `civic-widgets serve` (see cli.ts; `npm start` in a clone): validates the configuration, opens
 * the database (SQLite file by default), serves the API and the widgets — and with `DEMO=on`
 * seeds the demo and gallery sites and serves the demo portal and the gallery. SIGTERM/SIGINT:
 * stop accepting, flush pending visits, close the database, exit 0.
 * Run directly (`node dist/server/main.js`, `node --import tsx src/server/main.ts`) it serves too.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp, logSerializers, seedDemo } from './app.js';
import { ConfigError, loadConfig, serverOrigin } from './config.js';
import { openStorage, storageOptions } from './db/open.js';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage(storageOptions(config));
  // DEMO=off: no demo or gallery site is created (those an earlier start created are left alone).
  if (config.demo) await seedDemo(storage, config);
  const app = await buildApp({
    storage,
    config,
    logger: { level: config.logLevel, serializers: logSerializers },
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: flushing visits and closing the database');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  if (!config.publicUrl && process.env.NODE_ENV === 'production')
    app.log.warn(
      `PUBLIC_URL is not set: this server takes ${serverOrigin(config)} as its own origin (admin console, CORS); set PUBLIC_URL to its public address`,
    );
  await app.listen({ host: config.host, port: config.port });
  const where = storage.dialect === 'postgres' ? 'PostgreSQL' : `SQLite ${config.dbFile}`;
  const demo = config.demo ? 'demo portal and gallery on' : 'DEMO=off: no demo portal or gallery';
  app.log.info(`civic-widgets ready on http://localhost:${config.port}/ (${where}; ${demo})`);
}

/** What a failed start prints: the configuration's own message, or "Could not start: …". */
export function startFailure(err: unknown): string {
  return err instanceof ConfigError
    ? err.message
    : `Could not start: ${err instanceof Error ? err.message : String(err)}`;
}

function isEntryPoint(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  serve().catch((err: unknown) => {
    process.stderr.write(`${startFailure(err)}\n`);
    process.exit(1);
  });
}
