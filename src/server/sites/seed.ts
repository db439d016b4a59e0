/** The `demo` site that `npm start` shows, created on first start and never overwritten. */
import type { ServerConfig } from '../config.js';
import type { Storage } from '../db/storage.js';

/** The seed portal showed "Số lượt truy cập : 414428": the demo keeps counting from there. */
export const DEMO_LEGACY_OFFSET = 414_428;

/** The origins of the demo's sites: this server's own (localhost, 127.0.0.1) and `DEMO_ORIGINS`. */
export const demoSiteOrigins = (config: Pick<ServerConfig, 'port' | 'demoOrigins'>): string[] => [
  `http://localhost:${config.port}`,
  `http://127.0.0.1:${config.port}`,
  ...config.demoOrigins,
];

/** Creates the demo site when missing; true when it was created now. */
export async function seedDemoSite(
  storage: Storage,
  config: Pick<ServerConfig, 'port' | 'demoOrigins'>,
): Promise<boolean> {
  return storage.createSite({
    id: 'demo',
    name: 'Cổng thông tin điện tử tỉnh (demo)',
    origins: demoSiteOrigins(config),
    legacyOffset: DEMO_LEGACY_OFFSET,
    timeZone: 'Asia/Ho_Chi_Minh',
  });
}
