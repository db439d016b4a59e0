/**
 * The whole server in THIS test process, on a free port: `buildApp(options)` + `app.listen`.
 * For end-to-end tests that need a test-only seam (e.g. `captchaHooks`, which hands the test
 * each captcha answer): `src/server/main.ts` has no way to pass one, so production cannot.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { freePort } from './server-process.js';

export interface InProcessServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function listenInProcess(options: AppOptions): Promise<InProcessServer> {
  // The server knows its own origin from its configuration (PUBLIC_URL), never from `Host`: the
  // port is chosen first so that the address the browser uses is the configured one.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await buildApp({
    ...options,
    config: {
      distDir: 'dist/widgets',
      demoDir: 'demo',
      demo: true,
      port,
      publicUrl: url,
      ...options.config,
    },
  });
  await app.listen({ host: '127.0.0.1', port });
  return { app, url, close: () => app.close() };
}
