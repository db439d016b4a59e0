/**
 * Global widget configuration. The loader (`src/embed.ts`) calls {@link configure} with the
 * `data-site` / `data-api` of its script tag; any element may override both by attribute.
 */

export interface CivicConfig {
  /** Site identifier on the server (`/api/v1/sites/{site}/…`). */
  site?: string;
  /** API origin (and optional base path), e.g. `https://widgets.example.gov.vn`. */
  api?: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
}

/**
 * Kept on `globalThis` under a registered symbol, so the loader can set it without importing this
 * module (no extra request before the first widget) and every copy of the widgets on a page
 * (loaded twice, or the IIFE next to the ESM build) reads the same settings.
 */
export const CONFIG_KEY = Symbol.for('civic-widgets.config');
export const config: Readonly<CivicConfig> = ((
  globalThis as Record<symbol, CivicConfig | undefined>
)[CONFIG_KEY] ??= {});

/** Merges the defined fields of `c` into the global configuration. */
export function configure(c: CivicConfig): void {
  for (const key of Object.keys(c) as (keyof CivicConfig)[]) {
    if (c[key] !== undefined) (config as Record<string, unknown>)[key] = c[key];
  }
}

/** A snapshot of the global configuration. */
export function getConfig(): Readonly<CivicConfig> {
  return { ...config };
}

/** The origin this script was served from (the default API). */
export function scriptOrigin(): string {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    // Classic-script (IIFE) builds may have no usable import.meta.url.
    return location.origin;
  }
}
