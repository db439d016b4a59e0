/**
 * A webmaster's site on another origin than the widget server: a small static server (its own
 * port) that serves the demo portal's files with the README's snippet pointing at the widget
 * server by its full URL, under the strict policy the README recommends for host pages.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { listenLocal } from './server-process.js';

export interface HostSite {
  /** The host page's origin, e.g. http://127.0.0.1:41234 (to list in the site's origins). */
  origin: string;
  /** The policy the pages are served under. */
  csp: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The README's Content-Security-Policy for a host page that embeds the widgets from `widgets`. */
export function hostCsp(widgets: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${widgets}`,
    "style-src 'self'",
    `img-src 'self' data: ${widgets}`,
    `connect-src 'self' ${widgets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
  ].join('; ');
}

/**
 * Starts the host site on a free port of 127.0.0.1; `widgets` is the widget server's origin.
 * `pages`: more HTML pages of the host, by path (e.g. `{ '/snippet.html': '<!doctype html>…' }`).
 */
export async function startHostSite(
  widgets: string,
  port?: number,
  pages: Record<string, string> = {},
): Promise<HostSite> {
  const root = 'demo';
  const csp = hostCsp(widgets);
  const index = readFileSync(join(root, 'index.html'), 'utf8').replace(
    'src="/civic.js"',
    `src="${widgets}/civic.js"`,
  );
  if (!index.includes(`src="${widgets}/civic.js"`))
    throw new Error('demo/index.html no longer has the snippet');
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname));
    const headers = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' };
    if (path === '/' || path === '/index.html' || pages[path] !== undefined) {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html']! });
      return res.end(pages[path] ?? index);
    }
    try {
      if (path.includes('..') || !TYPES[extname(path)]) throw new Error('not served');
      const body = readFileSync(join(root, path));
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)]! });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return { ...(await listenLocal(server, port)), csp };
}
