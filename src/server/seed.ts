/** The `demo` site that `npm start` shows, created on first start and never overwritten. */
import type { ServerConfig } from './config.js';
import { seedDemoLists } from './seed-lists.js';
import { seedDemoPoll } from './polls.js';
import { seedDemoComments } from './seed-comments.js';
import type { Storage } from './storage/storage.js';

/** The seed portal showed "Số lượt truy cập : 414428": the demo keeps counting from there. */
export const DEMO_LEGACY_OFFSET = 414_428;

export async function seedDemo(storage: Storage, config: Pick<ServerConfig, 'port' | 'demoOrigins'>): Promise<boolean> {
  const created = await storage.createSite({
    id: 'demo',
    name: 'Cổng thông tin điện tử tỉnh (demo)',
    origins: [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`, ...config.demoOrigins],
    legacyOffset: DEMO_LEGACY_OFFSET,
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  // Slogans and link lists of the demo page (each created only when missing).
  await seedDemoLists(storage);
  // The sidebar poll "Bạn đánh giá như thế nào về cổng thông tin này?" (created only when missing).
  await seedDemoPoll(storage);
  // One approved readers' comment with the agency's reply under the demo article (only when none).
  await seedDemoComments(storage);
  return created;
}
