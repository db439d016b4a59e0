/**
 * The one rule for a site's allowed origins, applied alike by the server (configuration, admin
 * API, CLI) and by the console before it sends them. Pure: no client or server imports.
 */

/** `https://Example.gov.vn/` → `https://example.gov.vn`; anything but a bare http(s) origin → undefined. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password)
      return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
