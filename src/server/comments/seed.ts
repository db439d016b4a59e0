/** Approved readers' comments of the demo's pages (created only when their thread is empty). */
import type { Storage } from '../db/storage.js';
import { CommentStore } from './store.js';

/** The demo article is the page at `/`: `<civic-comments>` uses the page path as its thread. */
export const DEMO_THREAD = '/';

/** One seeded comment: posted at `at`, with the agency's `reply` at `replyAt` (epoch ms). */
export interface SeedComment {
  name: string;
  title: string;
  content: string;
  at: number;
  reply?: string;
  replyAt?: number;
}

/** Creates `comments`, approved, in `thread` of `site` unless it has any; true when created. */
export async function seedComments(
  storage: Storage,
  site: string,
  thread: string,
  comments: SeedComment[],
): Promise<boolean> {
  const existing = await storage.db
    .selectFrom('comments')
    .select('id')
    .where('site', '=', site)
    .where('thread', '=', thread)
    .limit(1)
    .executeTakeFirst();
  if (existing) return false;
  for (const { at, reply, replyAt = at, ...text } of comments) {
    // The store's clock stamps the reply.
    const store = new CommentStore(storage.db, () => replyAt);
    const comment = await store.create(
      {
        site,
        thread,
        ...text,
        email: 'demo@example.invalid',
        status: 'approved',
        // Seeded, not posted: no network to hash.
        ipHash: 'seed',
        saltDay: '1970-01-01',
      },
      at,
    );
    if (reply) await store.setReply(site, comment.id, reply);
  }
  return true;
}

/** The demo article's readers' comment, with the agency's reply. */
export function seedDemoComments(storage: Storage): Promise<boolean> {
  return seedComments(storage, 'demo', DEMO_THREAD, [
    {
      name: 'Nguyễn Thị Lan',
      title: 'Đề nghị thêm điểm vui chơi cho trẻ em',
      content:
        'Tôi rất đồng tình với bài viết. Đề nghị tỉnh xây thêm sân chơi cho trẻ em ở các xã vùng sâu.\nThông tin tham khảo: https://treem.gov.vn',
      at: Date.UTC(2018, 3, 20, 2, 15),
      replyAt: Date.UTC(2018, 3, 21, 1, 30),
      reply:
        'Cảm ơn bạn đã góp ý. Sở Lao động – Thương binh và Xã hội đã tiếp nhận và sẽ đưa vào kế hoạch năm tới.',
    },
  ]);
}
