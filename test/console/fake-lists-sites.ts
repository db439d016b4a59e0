/**
 * The fake admin API (fake-admin-api.ts) with the routes of the slogans-and-links and sites
 * screens: a site's lists (versioned, checked as the server checks them), its settings (origins
 * checked, administrators only for origins and the legacy offset), captcha mode and secret, and
 * the embed addresses.
 */
import type {
  AdminList,
  CaptchaMode,
  ListItem,
  ListKind,
  SiteSettings,
} from '../../src/console/lists.api.js';
import { IMAGE_PROTOCOLS, safeUrl } from '../../src/shared/lists.js';
import { normalizeOrigin } from '../../src/shared/origins.js';
import { FakeAdminApi, type FakeAnswer, type FakeCall } from './fake-admin-api.js';

const error = (status: number, code: string, message = code): FakeAnswer => ({
  status,
  json: { error: { code, message } },
});
const invalid = (field: string, message: string) =>
  error(400, 'invalid_request', `Invalid field "${field}": ${message}`);

const CHECK_BASE = 'https://civic-widgets.invalid/';
const AT = '2026-11-30T08:00:00.000Z';

export function list(id: string, title: string, items: ListItem[], version = 3): AdminList {
  return { id, title, version, createdAt: AT, updatedAt: AT, items };
}

export const SLOGANS = (): AdminList =>
  list('khau-hieu', 'Khẩu hiệu', [
    { id: 's1', text: 'MỪNG ĐẢNG, MỪNG XUÂN' },
    { id: 's2', text: 'Chào mừng Quốc khánh 2/9', href: '/quoc-khanh' },
    { id: 's3', text: 'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI' },
  ]);

export const LINKS = (): AdminList =>
  list('lien-ket-web', 'Liên kết web', [
    {
      id: 'l1',
      text: 'Cổng Thông tin điện tử Chính phủ',
      href: 'https://chinhphu.vn',
      group: 'Chính phủ',
    },
    {
      id: 'l2',
      text: 'Cổng Dịch vụ công quốc gia',
      href: 'https://dichvucong.gov.vn',
      group: 'Chính phủ',
    },
  ]);

export const SETTINGS = (): Record<string, SiteSettings> => ({
  demo: {
    id: 'demo',
    name: 'Cổng thông tin tỉnh',
    origins: ['https://tinh.example.gov.vn', 'http://localhost:8080'],
    legacyOffset: 414_428,
    timeZone: 'Asia/Ho_Chi_Minh',
    createdAt: AT,
  },
  'so-y-te': {
    id: 'so-y-te',
    name: 'Sở Y tế',
    origins: ['https://soyte.example.gov.vn'],
    legacyOffset: 0,
    timeZone: 'Asia/Ho_Chi_Minh',
    createdAt: AT,
  },
});

let ids = 0;

export class FakeListsSitesApi extends FakeAdminApi {
  lists: Record<string, Record<ListKind, AdminList[]>> = {
    demo: { slogans: [SLOGANS()], links: [LINKS()] },
    'so-y-te': { slogans: [], links: [] },
  };
  settings = SETTINGS();
  captchaModes: Record<string, CaptchaMode> = { demo: 'code+pow', 'so-y-te': 'code+pow' };
  secrets: Record<string, string> = { demo: 'bi-mat-demo-0001', 'so-y-te': 'bi-mat-syt-0001' };

  protected override route(call: FakeCall): FakeAnswer {
    const p = new URL(call.path, location.origin).pathname.replace(/^\/api\/v1/, '');
    const m = /^\/admin\/sites\/([^/]+)(\/.*)?$/.exec(p);
    if (!this.me || !m) return super.route(call);
    const site = decodeURIComponent(m[1]!);
    if (this.me.role !== 'admin' && !this.me.sites.includes(site)) return super.route(call);
    const rest = m[2] ?? '';
    const { method, body } = call;
    const lm = /^\/(slogans|links)(?:\/([^/]+))?$/.exec(rest);
    if (lm) return this.routeLists(site, lm[1] as ListKind, lm[2], method, body);
    const settings = this.settings[site];
    if (!settings) return super.route(call);
    if (rest === '' && method === 'GET') return { status: 200, json: settings };
    if (rest === '' && method === 'PUT') return this.saveSite(settings, body as SiteSettings);
    if (rest === '/captcha' && method === 'GET')
      return { status: 200, json: { mode: this.captchaModes[site] } };
    if (rest === '/captcha' && method === 'PUT') {
      this.captchaModes[site] = (body as { mode: CaptchaMode }).mode;
      return { status: 200, json: body };
    }
    if (rest === '/secret' && method === 'GET')
      return { status: 200, json: { secret: this.secrets[site] } };
    if (rest === '/secret' && method === 'POST') {
      this.secrets[site] = `bi-mat-moi-${++ids}`;
      return { status: 200, json: { secret: this.secrets[site] } };
    }
    if (rest === '/embed')
      return {
        status: 200,
        json: {
          loader: 'https://widgets.example.gov.vn/civic.js',
          legacy: 'https://widgets.example.gov.vn/civic.iife.js',
          loaderIntegrity: 'sha384-loader',
          legacyIntegrity: 'sha384-legacy',
        },
      };
    return super.route(call);
  }

  private saveSite(settings: SiteSettings, body: SiteSettings): FakeAnswer {
    const origins: string[] = [];
    for (const o of body.origins) {
      const n = normalizeOrigin(o);
      if (!n)
        return invalid('origins', `"${o}" is not an http(s) origin like https://example.gov.vn`);
      origins.push(n);
    }
    if (this.me!.role !== 'admin') {
      if ([...origins].sort().join() !== [...settings.origins].sort().join())
        return error(
          403,
          'forbidden',
          'Only an administrator may change the allowed origins of a site',
        );
      if (body.legacyOffset !== settings.legacyOffset)
        return error(403, 'forbidden', 'Only an administrator may change the legacy visit offset');
    }
    Object.assign(settings, {
      name: body.name,
      origins,
      legacyOffset: body.legacyOffset,
      timeZone: body.timeZone,
    });
    return { status: 200, json: settings };
  }

  private routeLists(
    site: string,
    kind: ListKind,
    id: string | undefined,
    method: string,
    body: unknown,
  ): FakeAnswer {
    const all = (this.lists[site] ??= { slogans: [], links: [] })[kind];
    if (!id && method === 'GET') return { status: 200, json: { items: all } };
    if (!id && method === 'POST') {
      const b = body as { id: string; title: string; items: ListItem[] };
      if (all.some((l) => l.id === b.id)) return error(409, 'conflict', 'already exists');
      const created = list(b.id, b.title, [], 1);
      all.push(created);
      return { status: 201, json: created };
    }
    const current = all.find((l) => l.id === id);
    if (!current) return error(404, 'not_found');
    if (method !== 'PUT') return error(404, 'not_found');
    const b = body as { title: string; items: ListItem[]; version?: number };
    if (b.version !== undefined && b.version !== current.version)
      return error(409, 'conflict', `was changed meanwhile (not version ${b.version})`);
    const items: ListItem[] = [];
    for (const [i, item] of b.items.entries()) {
      if (!item.text.trim()) return invalid(`items.${i}.text`, `item ${i + 1} has no text`);
      if (item.href !== undefined && !safeUrl(item.href, CHECK_BASE))
        return invalid(`items.${i}.href`, `item ${i + 1} links to an invalid URL`);
      if (item.image !== undefined && !safeUrl(item.image, CHECK_BASE, IMAGE_PROTOCOLS))
        return invalid(`items.${i}.image`, `item ${i + 1} has an invalid image`);
      items.push({ ...item, id: item.id ?? `new${++ids}` });
    }
    Object.assign(current, {
      title: b.title,
      items,
      version: current.version + 1,
      updatedAt: '2026-11-30T09:30:00.000Z',
    });
    return { status: 200, json: current };
  }
}
