import { buildApp, type AppOptions } from '../../src/server/app.js';
import type { Storage } from '../../src/server/storage/storage.js';

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const DEMO_ORIGIN = 'https://portal.example.gov.vn';

/** A site `t1` with one allowed origin and a legacy offset of 1000. */
export async function seedTestSite(storage: Storage, id = 't1'): Promise<void> {
  await storage.createSite({ id, name: 'Test portal', origins: [DEMO_ORIGIN], legacyOffset: 1000, timeZone: 'Asia/Ho_Chi_Minh' });
}

export async function testApp(storage: Storage, options: Partial<AppOptions> = {}) {
  const app = await buildApp({ storage, ...options, config: { distDir: 'dist/widgets', demoDir: 'demo', ...options.config } });
  await app.ready();
  return app;
}

let n = 0;
/** A fresh RFC 4122-shaped session id. */
export function sessionId(): string {
  n++;
  const hex = (n.toString(16) + Math.random().toString(16).slice(2)).padEnd(32, '0').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
