/** Demo content of the slogan and link lists, created for the `demo` site when missing. */
import type { LinkItem, Slogan } from '../../shared/lists.js';
import type { Storage } from '../db/storage.js';
import { ListStore, type ListKind } from './store.js';

/** The seed portal's header line (`../shared/seed/portal-page.txt`), one slogan per part. */
export const DEMO_SLOGANS: Slogan[] = [
  {
    text: 'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP TIẾN TỚI ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG',
  },
  {
    text: 'Kỷ niệm 74 năm Cách mạng Tháng Tám (19/8/1945-19/8/2019) và Quốc khánh nước Cộng hòa XHCN Việt Nam (2/9/1945-2/9/2019)',
  },
  { text: 'DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH, LỜI CỦA NON SÔNG ĐẤT NƯỚC' },
  {
    text: 'Toàn Đảng, toàn dân và toàn quân quyết tâm phấn đấu thực hiện thành công Di chúc của Chủ tịch Hồ Chí Minh',
  },
  { text: 'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI' },
];

/** "Liên kết web": national government sites, grouped for the select's optgroups. */
export const DEMO_LINKS: LinkItem[] = [
  { text: 'Cổng Thông tin điện tử Chính phủ', href: 'https://chinhphu.vn', group: 'Chính phủ' },
  { text: 'Cổng Dịch vụ công quốc gia', href: 'https://dichvucong.gov.vn', group: 'Chính phủ' },
  {
    text: 'Cơ sở dữ liệu quốc gia về văn bản pháp luật',
    href: 'https://vbpl.vn',
    group: 'Chính phủ',
  },
  { text: 'Bộ Thông tin và Truyền thông', href: 'https://mic.gov.vn', group: 'Bộ, ngành' },
];

/** "Liên kết banner": images served by this server (demo/banners/), each with its alt text. */
export const DEMO_BANNERS: LinkItem[] = [
  {
    text: 'Cổng Thông tin điện tử Chính phủ',
    href: 'https://chinhphu.vn',
    image: '/banners/chinhphu.svg',
    alt: 'Cổng Thông tin điện tử Chính phủ',
  },
  {
    text: 'Cổng Dịch vụ công quốc gia',
    href: 'https://dichvucong.gov.vn',
    image: '/banners/dichvucong.svg',
    alt: 'Cổng Dịch vụ công quốc gia',
  },
  {
    text: 'Cơ sở dữ liệu quốc gia về văn bản pháp luật',
    href: 'https://vbpl.vn',
    image: '/banners/vbpl.svg',
    alt: 'Cơ sở dữ liệu quốc gia về văn bản pháp luật',
  },
];

const DEMO_LISTS: Array<[ListKind, string, string, Array<Slogan | LinkItem>]> = [
  ['slogans', 'khau-hieu', 'Khẩu hiệu', DEMO_SLOGANS],
  ['links', 'lien-ket-web', 'Liên kết web', DEMO_LINKS],
  ['links', 'lien-ket-banner', 'Liên kết banner', DEMO_BANNERS],
];

/** Creates each demo list that is missing; an edited list is never overwritten. */
export async function seedDemoLists(storage: Storage, site = 'demo'): Promise<void> {
  const store = new ListStore(storage.db, storage.dialect);
  for (const [kind, id, title, items] of DEMO_LISTS) {
    await store.create(site, kind, id, {
      title,
      items: items.map((item, i) => ({ id: `${id}-${i + 1}`, ...item })),
    });
  }
}
