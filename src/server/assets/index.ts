/**
 * The files a host page loads from the widget server — the loader `civic.js`, its lazy chunks and
 * `civic.iife.js` (`dist/widgets/`) — the demo portal (`demo/`), and the admin console at
 * `/admin/` (`dist/console/`).
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
import { dirname, join, resolve, sep } from 'node:path';
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

/**
 * The admin console's policy: the demo's, and never inside a frame. Its own origin only: no
 * `Access-Control-Allow-Origin` and `Cross-Origin-Resource-Policy: same-origin` on its files.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

/**
 * `/admin/`: the console's page (`no-cache`, so a new build reaches it) and its hashed script and
 * stylesheet under `assets/` (immutable), from `dir` when it has been built.
 */
async function consoleFiles(app: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const hashed = join(dir, 'assets', sep);
  await app.register(fastifyStatic, {
    root: dir,
    // Without the trailing slash, so that `redirect` sends `/admin` to `/admin/`.
    prefix: '/admin',
    // The widgets' instance decorates the reply (`sendFile`); two may not.
    decorateReply: false,
    index: ['index.html'],
    redirect: true,
    cacheControl: false,
    setHeaders(reply, path) {
      reply.header(
        'Cache-Control',
        path.startsWith(hashed) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      reply.header('Content-Security-Policy', CONSOLE_CSP);
      reply.header('X-Content-Type-Options', 'nosniff');
      reply.header('Cross-Origin-Resource-Policy', 'same-origin');
      reply.header('Referrer-Policy', 'same-origin');
    },
  });
}

export async function assets(app: FastifyInstance, options: AssetsOptions): Promise<void> {
  // Built beside the widgets: dist/console next to dist/widgets.
  await consoleFiles(app, join(dirname(resolve(options.distDir)), 'console'));
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
