/**
 * The gallery's content (`/gallery/`): two sites — `gallery` (captcha code or proof of work) and
 * `gallery-pow` (proof of work only, which the gallery's own script can pass to send a comment)
 * — with an open poll, one to vote in, a multiple-choice one and a closed one with results, a
 * thread with approved comments (one with the agency's reply), the demo's slogans and link
 * lists. Each part is created only when missing.
 */
import { CaptchaStore } from '../captcha/store.js';
import { seedComments, type SeedComment } from '../comments/seed.js';
import type { ServerConfig } from '../config.js';
import type { Storage } from '../db/storage.js';
import { seedDemoLists } from '../lists/seed.js';
import { DEMO_POLL } from '../polls/seed.js';
import { PollStore, type NewPoll } from '../polls/store.js';
import { DEMO_LEGACY_OFFSET, demoSiteOrigins } from '../sites/seed.js';

export const GALLERY_SITES = ['gallery', 'gallery-pow'] as const;

/** The thread whose approved comments the gallery lists. */
export const GALLERY_THREAD = '/gallery/binh-luan';

/** The demo's poll (its four options, results always shown), with no ceiling per network. */
const poll = (id: string, question: string, settings: Partial<NewPoll> = {}): NewPoll => ({
  ...DEMO_POLL,
  site: 'gallery',
  id,
  question,
  ipCeiling: 0,
  ...settings,
});

/** Each poll with the votes it starts with (by option, in order), counted at `at` (epoch ms). */
const POLLS: Array<[NewPoll, number[], number?]> = [
  [poll('gallery-open', 'Bạn đánh giá như thế nào về cổng thông tin này?'), [8, 5, 2, 1]],
  [poll('gallery-voted', 'Bạn có thường xuyên đọc tin trên cổng thông tin?'), [6, 3, 3, 0]],
  [
    poll('gallery-multi', 'Bạn muốn cổng thông tin bổ sung những chuyên mục nào?', {
      multiple: true,
      maxChoices: 2,
      options: [
        { id: 'dich-vu-cong', label: 'Dịch vụ công trực tuyến' },
        { id: 'hoi-dap', label: 'Hỏi đáp' },
        { id: 'lich-tiep-dan', label: 'Lịch tiếp công dân' },
      ],
    }),
    [4, 7, 2],
  ],
  [
    poll('gallery-closed', 'Bạn có hài lòng với thủ tục cấp đổi giấy phép lái xe?', {
      opensAt: Date.UTC(2025, 0, 1),
      closesAt: Date.UTC(2025, 2, 31, 10),
    }),
    [12, 7, 3, 2],
    Date.UTC(2025, 1, 1),
  ],
];

async function seedPolls(storage: Storage): Promise<void> {
  const store = new PollStore(storage.db, storage.dialect);
  for (const [p, votes, at = Date.now()] of POLLS) {
    if (!(await store.create(p, at))) continue;
    const version = (await store.get(p.site, p.id))!.updatedAt;
    let n = 0;
    for (const [i, count] of votes.entries())
      for (let k = 0; k < count; k++)
        await store.vote({
          site: p.site,
          poll: p.id,
          voter: `seed-${++n}`,
          // The multiple-choice poll: the second choice of every third voter too.
          choices:
            p.multiple && n % 3 === 0 && i + 1 < votes.length
              ? [p.options[i]!.id, p.options[i + 1]!.id]
              : [p.options[i]!.id],
          ipKey: 'seed',
          day: new Date(at).toISOString().slice(0, 10),
          ipCeiling: 0,
          version,
          now: at,
        });
  }
}

const COMMENTS: SeedComment[] = [
  {
    name: 'Nguyễn Thị Lan',
    title: 'Đề nghị thêm điểm vui chơi cho trẻ em',
    content:
      'Đề nghị tỉnh xây thêm sân chơi cho trẻ em ở các xã vùng sâu.\nThông tin tham khảo: https://treem.gov.vn',
    at: Date.UTC(2025, 4, 5, 2, 15),
    reply:
      'Cảm ơn bạn đã góp ý. Sở Lao động – Thương binh và Xã hội đã tiếp nhận và sẽ đưa vào kế hoạch năm tới.',
    replyAt: Date.UTC(2025, 4, 6, 2),
  },
  {
    name: 'Trần Văn Minh',
    title: 'Thủ tục trực tuyến',
    content: 'Thủ tục cấp đổi giấy phép lái xe trên cổng dịch vụ công rất nhanh, cảm ơn Sở.',
    at: Date.UTC(2025, 4, 7, 9, 40),
  },
];

/** Creates the gallery's sites and content when missing. */
export async function seedGallery(
  storage: Storage,
  config: Pick<ServerConfig, 'port' | 'demoOrigins'>,
): Promise<void> {
  for (const id of GALLERY_SITES) {
    const created = await storage.createSite({
      id,
      name: id === 'gallery' ? 'Bộ sưu tập widget' : 'Bộ sưu tập widget (xác minh tự động)',
      origins: demoSiteOrigins(config),
      legacyOffset: DEMO_LEGACY_OFFSET,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    if (created && id === 'gallery-pow')
      await new CaptchaStore(storage.db, storage.dialect).setMode(id, 'pow');
  }
  await seedPolls(storage);
  await seedComments(storage, 'gallery', GALLERY_THREAD, COMMENTS);
  await seedDemoLists(storage, 'gallery');
}
