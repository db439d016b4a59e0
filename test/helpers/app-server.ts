/**
 * The whole server in THIS test process, on a free port: `buildApp(options)` + `app.listen`.
 * For end-to-end tests that need a test-only seam (e.g. `captchaHooks`, which hands the test
 * each captcha answer): `src/server/main.ts` has no way to pass one, so production cannot.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.js';

export interface InProcessServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function listenInProcess(options: AppOptions): Promise<InProcessServer> {
  const app = await buildApp({
    ...options,
    config: { distDir: 'dist/widgets', demoDir: 'demo', ...options.config },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
