/**
 * The files a host page loads from the widget server — the loader `civic.js`, its lazy chunks and
 * `civic.iife.js` (`dist/widgets/`) — the demo portal (`demo/`, only with `DEMO=on`; without it
 * `/` is a short page saying what this server is), and the admin console at `/admin/`
 * (`dist/console/`).
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
  /** The demo portal (`demo`); none with `DEMO=off`. */
  demoDir?: string;
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
async function consoleFiles(app: FastifyInstance, dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
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
  return true;
}

/**
 * `/` without the demo portal: what this server is, in Vietnamese and English, with a link to the
 * console when it is built. Plain markup in the browser's light or dark scheme, no script or style.
 */
function homePage(hasConsole: boolean): string {
  const admin = (text: string) => (hasConsole ? `<a href="/admin/">${text}</a>` : text);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>civic-widgets</title>
</head>
<body>
<main>
<h1>civic-widgets</h1>
<p>Máy chủ tiện ích của cổng thông tin: tập lệnh <code>/civic.js</code>, API <code>/api/v1/</code>, ${admin('trang quản trị')}.</p>
<p lang="en">The portals' widget server: the script <code>/civic.js</code>, the API <code>/api/v1/</code>, the ${admin('admin console')}. The demo portal and the gallery are off (<code>DEMO=off</code>).</p>
</main>
</body>
</html>
`;
}

export async function assets(app: FastifyInstance, options: AssetsOptions): Promise<void> {
  // Built beside the widgets: dist/console next to dist/widgets.
  const hasConsole = await consoleFiles(app, join(dirname(resolve(options.distDir)), 'console'));
  if (options.demoDir === undefined) {
    const page = homePage(hasConsole);
    app.get('/', async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .header('Content-Security-Policy', CONSOLE_CSP)
        .header('X-Content-Type-Options', 'nosniff')
        .send(page),
    );
  }
  // The demo first: with pre-compressed files, @fastify/static does not find a directory index
  // (`/` → index.html) in a second root when the first has none.
  const roots = [options.demoDir, options.distDir]
    .filter((dir) => dir !== undefined)
    .map((dir) => resolve(dir))
    .filter((dir) => existsSync(dir));
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
