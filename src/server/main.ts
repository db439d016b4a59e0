/**
 * `npm start`: validates the configuration, opens the database (SQLite file by default),
 * seeds the demo site, serves the API, the widgets and the demo portal. SIGTERM/SIGINT:
 * stop accepting, flush pending visits, close the database, exit 0.
 */
import { buildApp, logSerializers } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { seedDemo } from './seed.js';
import { openStorage } from './storage/open.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dbFile: config.dbFile });
  await seedDemo(storage, config);
  const app = await buildApp({ storage, config, logger: { level: config.logLevel, serializers: logSerializers } });

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

  await app.listen({ host: config.host, port: config.port });
  const where = storage.dialect === 'postgres' ? 'PostgreSQL' : `SQLite ${config.dbFile}`;
  app.log.info(`civic-widgets ready on http://localhost:${config.port}/ (${where})`);
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `Could not start: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(message + '\n');
  process.exit(1);
});
