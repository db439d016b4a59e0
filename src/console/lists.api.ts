/**
 * The console's requests of the slogans-and-links and sites screens: a site's slogan and link
 * lists (`/admin/sites/:site/{slogans|links}`), its settings, captcha mode and secret, and the
 * addresses of its embed snippet. Through the console's `call()` (session cookie, no retries).
 */
import { call } from './api.js';

export type ListKind = 'slogans' | 'links';

/** One item as the admin API stores it: `text` always, `href` (required for links), the rest for links. */
export interface ListItem {
  /** Stable within the list; a new item has none until it is saved. */
  id?: string;
  text: string;
  href?: string;
  group?: string;
  image?: string;
  alt?: string;
}

/** `GET /admin/sites/:site/{kind}/:list`. */
export interface AdminList {
  id: string;
  title: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  items: ListItem[];
}

/** `GET /admin/sites/:site`. */
export interface SiteSettings {
  id: string;
  name: string;
  origins: string[];
  legacyOffset: number;
  timeZone: string;
  createdAt: string;
}

export type CaptchaMode = 'code+pow' | 'code' | 'pow';

/** `GET /admin/sites/:site/embed`: the script addresses at the server's public URL. */
export interface EmbedUrls {
  loader: string;
  legacy: string;
  /** Subresource Integrity of each script, when the served build has `integrity.json`. */
  loaderIntegrity?: string;
  legacyIntegrity?: string;
}

const site = (id: string) => `/admin/sites/${encodeURIComponent(id)}`;
const list = (siteId: string, kind: ListKind, id: string) =>
  `${site(siteId)}/${kind}/${encodeURIComponent(id)}`;

export const listsApi = {
  lists: (siteId: string, kind: ListKind, signal?: AbortSignal) =>
    call<{ items: AdminList[] }>(`${site(siteId)}/${kind}`, { signal }).then((r) => r.items),
  create: (
    siteId: string,
    kind: ListKind,
    body: { id: string; title: string; items: ListItem[] },
  ) => call<AdminList>(`${site(siteId)}/${kind}`, { method: 'POST', body }),
  /** Replaces title and items (their order too), if the list is still at `version` (else 409). */
  save: (
    siteId: string,
    kind: ListKind,
    id: string,
    body: { title: string; items: ListItem[]; version: number },
  ) => call<AdminList>(list(siteId, kind, id), { method: 'PUT', body }),

  site: (siteId: string, signal?: AbortSignal) => call<SiteSettings>(site(siteId), { signal }),
  saveSite: (
    siteId: string,
    body: { name: string; origins: string[]; legacyOffset: number; timeZone: string },
  ) => call<SiteSettings>(site(siteId), { method: 'PUT', body }),
  captcha: (siteId: string, signal?: AbortSignal) =>
    call<{ mode: CaptchaMode }>(`${site(siteId)}/captcha`, { signal }).then((r) => r.mode),
  setCaptcha: (siteId: string, mode: CaptchaMode) =>
    call<{ mode: CaptchaMode }>(`${site(siteId)}/captcha`, { method: 'PUT', body: { mode } }),
  secret: (siteId: string) =>
    call<{ secret: string }>(`${site(siteId)}/secret`).then((r) => r.secret),
  rotateSecret: (siteId: string) =>
    call<{ secret: string }>(`${site(siteId)}/secret`, { method: 'POST' }).then((r) => r.secret),
  embed: (siteId: string, signal?: AbortSignal) =>
    call<EmbedUrls>(`${site(siteId)}/embed`, { signal }),
};
