/** Site lookups with a short cache (sites change rarely; the visit route is hot). */
import type { SiteRecord, Storage } from '../db/storage.js';
import { notFound } from './errors.js';

const TTL_MS = 5_000;
/**
 * While the database does not answer, a site read within this long is still used (sites change
 * rarely, and an edit drops the cached site on every instance): its CORS and its routes' 503s
 * still reach the pages it allows.
 */
const STALE_MS = 10 * 60_000;

export class Sites {
  private cache = new Map<string, { site: SiteRecord | undefined; until: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached lookup of `id` while it is fresh (`site` undefined: no such site), else undefined. */
  cached(id: string): { site: SiteRecord | undefined } | undefined {
    const hit = this.cache.get(id);
    return hit && hit.until > this.now() ? hit : undefined;
  }

  async find(id: string): Promise<SiteRecord | undefined> {
    const now = this.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.site;
    let site: SiteRecord | undefined;
    try {
      site = await this.storage.getSite(id);
    } catch (err) {
      if (hit && hit.until + STALE_MS > now) return hit.site;
      throw err;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { site, until: now + TTL_MS });
    return site;
  }

  /** The site, or a 404 `not_found` error; `fresh` reads the database, not the cache. */
  async get(id: string, fresh = false): Promise<SiteRecord> {
    const site = fresh ? await this.storage.getSite(id) : await this.find(id);
    if (!site) throw notFound(`Site "${id}"`);
    return site;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  forgetAll(): void {
    this.cache.clear();
  }
}

/** True when `origin` may call the site's public API from a browser: exact match only. */
export function originAllowed(site: SiteRecord, origin: string, ownOrigin: string): boolean {
  return origin === ownOrigin || site.origins.includes(origin);
}
