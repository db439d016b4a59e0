/** The demo article's readers' comment, with the agency's reply (created only when the thread is empty). */
import type { Storage } from '../db/storage.js';
import { CommentStore } from './store.js';

/** The demo article is the page at `/`: `<civic-comments>` uses the page path as its thread. */
export const DEMO_THREAD = '/';

export async function seedDemoComments(storage: Storage): Promise<boolean> {
  const existing = await storage.db
    .selectFrom('comments')
    .select('id')
    .where('site', '=', 'demo')
    .where('thread', '=', DEMO_THREAD)
    .limit(1)
    .executeTakeFirst();
  if (existing) return false;
  // The reply is dated the day after the comment (the store's clock stamps it).
  const store = new CommentStore(storage.db, () => Date.UTC(2018, 3, 21, 1, 30));
  const comment = await store.create(
    {
      site: 'demo',
      thread: DEMO_THREAD,
      name: 'Nguyễn Thị Lan',
      email: 'demo@example.invalid',
      title: 'Đề nghị thêm điểm vui chơi cho trẻ em',
      content:
        'Tôi rất đồng tình với bài viết. Đề nghị tỉnh xây thêm sân chơi cho trẻ em ở các xã vùng sâu.\nThông tin tham khảo: https://treem.gov.vn',
      status: 'approved',
      // Seeded, not posted: no network to hash.
      ipHash: 'seed',
      saltDay: '1970-01-01',
    },
    Date.UTC(2018, 3, 20, 2, 15),
  );
  await store.setReply(
    'demo',
    comment.id,
    'Cảm ơn bạn đã góp ý. Sở Lao động – Thương binh và Xã hội đã tiếp nhận và sẽ đưa vào kế hoạch năm tới.',
  );
  return true;
}
