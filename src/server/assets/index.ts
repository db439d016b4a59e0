/**
 * The files a host page loads from the widget server — the loader `civic.js`, its lazy chunks and
 * `civic.iife.js` (`dist/widgets/`) — and the demo portal (`demo/`).
 *
 * - Every file but HTML carries `Access-Control-Allow-Origin: *` (no credentials): a module script
 *   is fetched in CORS mode, so without it the snippet fails on every page whose origin is not this
 *   server's. The files are public code; the API keeps its exact per-site origin check.
 * - The build writes `.br` and `.gz` copies beside each widget file; they are served by
 *   `Accept-Encoding` with `Vary: Accept-Encoding` (`preCompressed`), so the bytes a browser
 *   receives are the bytes `npm run size` reports.
 * - Hashed chunks are immutable for a year; the stable names (`civic.js`, `civic.iife.js`) for
 *   five minutes, so an upgrade reaches pages.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface AssetsOptions {
  /** Built widgets (`dist/widgets`). */
  distDir: string;
  /** The demo portal (`demo`). */
  demoDir: string;
}

/** The strict policy the demo portal is served under (no inline script or style, Trusted Types). */
export const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'";

const HASHED = /[\\/]chunks[\\/]/;

export async function assets(app: FastifyInstance, options: AssetsOptions): Promise<void> {
  // The demo first: with pre-compressed files, @fastify/static does not find a directory index
  // (`/` → index.html) in a second root when the first has none.
  const roots = [resolve(options.demoDir), resolve(options.distDir)].filter((dir) =>
    existsSync(dir),
  );
  if (!roots.length) return;
  await app.register(fastifyStatic, {
    root: roots,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    preCompressed: true,
    setHeaders(reply, path) {
      if (path.endsWith('.html')) {
        reply.header('Cache-Control', 'no-cache');
        // The demo proves the widgets under a strict CSP with Trusted Types.
        reply.header('Content-Security-Policy', DEMO_CSP);
      } else {
        reply.header('Access-Control-Allow-Origin', '*');
        reply.header(
          'Cache-Control',
          HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        );
      }
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    },
  });
}
