/**
 * Screenshots of every console screen for the README: `npm run build && npm run screenshots`.
 *
 * Starts the real server (built console, a throw-away SQLite file), fills it through the admin
 * API as a signed-in administrator (so the audit log holds real entries) and with 30 days of
 * visits and a few waiting comments written to the database, then signs in through the console
 * form in Debian's Chromium and saves `docs/console-<screen>-<light|dark>.png` for the sign-in
 * form and every screen of the menu, plus the comments in English. Nothing is downloaded.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CommentStore } from '../src/server/comments/store.js';
import type { TestEngine } from '../test/helpers/engines.js';
import { withServerAndBrowser } from './shots.js';

const OUT = process.argv[2] ?? 'docs';
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const ADMIN = { email: 'quantri@example.gov.vn', name: 'Nguyễn Văn An' };
const PASSWORD = 'mật-khẩu-ảnh-chụp-2026';
const VIEWPORT = { width: 1280, height: 900 };

/** What shows that a screen has loaded, inside the console's shadow roots. */
const SCREENS: Record<string, string> = {
  overview: 'civic-console-overview civic-console-chart',
  comments: 'civic-console-comments article',
  polls: 'civic-console-polls article',
  lists: 'civic-console-lists ol.items > li',
  sites: 'civic-console-sites #embed-heading',
  users: 'civic-console-users tbody tr',
  audit: 'civic-console-audit article',
};

async function main(): Promise<void> {
  await withServerAndBrowser({ ADMIN_TOKEN }, async (server, browser, engine) => {
    const base = server.url;
    await seed(base, engine);
    mkdirSync(OUT, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: VIEWPORT,
        colorScheme: scheme,
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
      });
      const page = await context.newPage();
      await page.goto(`${base}/admin/`);
      await page.getByLabel('E-mail').waitFor();
      await shoot(page, `login-${scheme}`);
      await page.getByLabel('E-mail').fill(ADMIN.email);
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('heading', { level: 1, name: /^Tổng quan/ }).waitFor();
      for (const [route, ready] of Object.entries(SCREENS)) {
        await page.goto(`${base}/admin/#/${route}`);
        await page.locator(ready).first().waitFor();
        await shoot(page, `${route}-${scheme}`);
      }
      await page.goto(`${base}/admin/#/comments`);
      await page.locator('#lang').selectOption('en');
      await page.getByRole('heading', { level: 1, name: /^Comments/ }).waitFor();
      await page.locator(SCREENS.comments!).first().waitFor();
      await shoot(page, `comments-en-${scheme}`);
      await page.locator('#lang').selectOption('vi');
      await context.close();
    }
  });
}

/** Waits until nothing in the page is busy, then saves the whole page. */
async function shoot(page: Page, name: string): Promise<void> {
  // A string, not a function: tsx would wrap the inner function in a helper the page lacks.
  await page.waitForFunction(`(() => {
    const busy = (root) =>
      [...root.querySelectorAll('*')].some(
        (el) => el.getAttribute('aria-busy') === 'true' || (!!el.shadowRoot && busy(el.shadowRoot)),
      );
    return !busy(document);
  })()`);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const path = join(OUT, `console-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(path);
}

/** The data the screens show. */
async function seed(base: string, engine: TestEngine) {
  const send = async (
    method: string,
    path: string,
    body?: unknown,
    auth: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` },
  ) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...auth,
        Origin: base,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };

  await send('POST', '/admin/users', { ...ADMIN, role: 'admin', password: PASSWORD });
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ email: ADMIN.email, password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!login.ok || !cookie) throw new Error(`sign-in: ${login.status}`);
  /** As the administrator in the console: the audit log names them. */
  const admin = (method: string, path: string, body?: unknown) =>
    send(method, `/admin${path}`, body, { Cookie: cookie });

  await admin('PUT', '/sites/demo', {
    name: 'Cổng thông tin điện tử tỉnh',
    origins: [base, 'https://tinh.example.gov.vn'],
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  await admin('POST', '/sites', {
    id: 'so-y-te',
    name: 'Sở Y tế',
    origins: ['https://soyte.example.gov.vn'],
  });
  const editor = await admin('POST', '/users', {
    email: 'bientap@soyte.example.gov.vn',
    name: 'Trần Thị Bình',
    role: 'editor',
    sites: ['so-y-te'],
    password: `${PASSWORD}-b`,
  });
  const leaving = await admin('POST', '/users', {
    email: 'le.van.c@example.gov.vn',
    name: 'Lê Văn Cường',
    role: 'editor',
    sites: ['demo'],
    password: `${PASSWORD}-c`,
  });
  await admin('PATCH', `/users/${String(leaving!.id)}`, { disabled: true });
  await admin('PATCH', `/users/${String(editor!.id)}`, { sites: ['so-y-te', 'demo'] });
  await admin('POST', '/tokens', { name: 'trang-tin-tuc', role: 'editor', sites: ['demo'] });

  await admin('POST', '/sites/demo/polls', {
    id: 'danh-gia',
    question: 'Bạn thấy cổng thông tin thế nào?',
    options: [
      { id: 'rat-tot', label: 'Rất tốt' },
      { id: 'tot', label: 'Tốt' },
      { id: 'binh-thuong', label: 'Bình thường' },
      { id: 'chua-tot', label: 'Chưa tốt' },
    ],
  });
  await admin('PATCH', '/sites/demo/polls/danh-gia', {
    question: 'Bạn đánh giá như thế nào về cổng thông tin này?',
  });
  await admin('POST', '/sites/demo/slogans', {
    id: 'ngay-le',
    title: 'Khẩu hiệu ngày lễ',
    items: [
      { text: 'Nhiệt liệt chào mừng kỷ niệm 81 năm Quốc khánh 2/9' },
      { text: 'Chung tay xây dựng chính quyền số', href: '/chinh-quyen-so' },
    ],
  });
  await admin('POST', '/sites/demo/links', {
    id: 'lien-ket-nhanh',
    title: 'Liên kết nhanh',
    items: [
      { text: 'Cổng Dịch vụ công quốc gia', href: 'https://dichvucong.gov.vn/' },
      { text: 'Chính phủ', href: 'https://chinhphu.vn/' },
    ],
  });

  const storage = await engine.open();
  try {
    const today = new Date();
    const rows = Array.from({ length: 45 }, (_, i) => {
      const d = new Date(today.getTime() - i * 86_400_000);
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      return {
        site: 'demo',
        day: d.toISOString().slice(0, 10),
        count: (weekend ? 140 : 380) + ((i * 37) % 120) + (i === 12 ? 560 : 0),
      };
    });
    await storage.db.deleteFrom('visit_days').execute();
    await storage.db.insertInto('visit_days').values(rows).execute();
    const comments = new CommentStore(storage.db, Date.now);
    const posted = [
      ['Hoàng Minh Tuấn', 'Lịch tiếp công dân', 'Đề nghị đăng lịch tiếp công dân của tháng tới.'],
      ['Phạm Thu Hà', 'Thủ tục đất đai', 'Xin hỏi hồ sơ cấp đổi giấy chứng nhận nộp ở đâu?'],
      ['Đỗ Văn Nam', 'Cảm ơn', 'Trang web mới dễ dùng hơn nhiều, cảm ơn ban biên tập.'],
    ];
    for (const [i, [name, title, content]] of posted.entries()) {
      await comments.create(
        {
          site: 'demo',
          thread: '/tin-tuc/lich-tiep-cong-dan',
          name: name!,
          email: `ban-doc-${i}@example.com`,
          title: title!,
          content: content!,
          status: 'pending',
          ipHash: `screenshot-${i}`,
          saltDay: today.toISOString().slice(0, 10),
        },
        Date.now() - (i + 1) * 3_600_000,
      );
    }
  } finally {
    await storage.close();
  }
}

await main();
