/**
 * Hostile host pages (test/fixtures/*.html) on another origin than the widget server: a small
 * static server on its own port that serves each page with `{{WIDGETS}}` replaced by the widget
 * server's origin, `{{INTEGRITY}}` by the built loader's integrity (dist/widgets/integrity.json),
 * `<!-- widgets -->` by the shared widget markup (test/fixtures/widgets.html),
 * under the page's own policy (FIXTURES), plus the host's own vendor files: RequireJS, jQuery 1,
 * Bootstrap 3's stylesheet and a second copy of Lit bundled apart from ours.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { hostCsp } from './host-site.js';
import { listenLocal } from './server-process.js';

/** Each fixture page and the Content-Security-Policy it is served under (none: a legacy CMS). */
export const FIXTURES = {
  'strict-csp': 'strict',
  legacy: 'none',
  'global-css': 'strict',
  twice: 'strict',
  'no-subtle': 'strict',
  dynamic: 'strict',
  rtl: 'strict',
  sri: 'strict',
} as const;
export type FixtureName = keyof typeof FIXTURES;

export interface FixtureSite {
  /** The fixture pages' origin, e.g. http://127.0.0.1:41234. */
  origin: string;
  close(): Promise<void>;
}

const DIR = 'test/fixtures';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
/** The host's own third-party files, as a CMS would ship them. */
const VENDOR: Record<string, string> = {
  '/vendor/require.js': 'node_modules/requirejs/require.js',
  '/vendor/jquery.js': 'node_modules/jquery/dist/jquery.js',
  '/vendor/bootstrap.css': 'node_modules/bootstrap/dist/css/bootstrap.css',
};

/** The build's Subresource Integrity values, read when a page asks (a build may come later). */
const integrity = (): Record<string, string> =>
  JSON.parse(readFileSync('dist/widgets/integrity.json', 'utf8'));

/** The host's own Lit component (test/fixtures/host-lit.ts) with its own copy of Lit, one classic script. */
async function hostLit(): Promise<string> {
  const out = await build({
    entryPoints: [join(DIR, 'host-lit.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    minify: false,
    target: 'es2021',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/**
 * Starts the fixture site on `port` (a free one by default) of 127.0.0.1; `widgets` is the widget
 * server's origin. Pages may also be reached under another host name mapped to 127.0.0.1.
 */
export async function startFixtureSite(widgets: string, port?: number): Promise<FixtureSite> {
  const markup = readFileSync(join(DIR, 'widgets.html'), 'utf8');
  const lit = await hostLit();
  const page = (name: string) =>
    readFileSync(join(DIR, `${name}.html`), 'utf8')
      .replace('<!-- widgets -->', markup)
      .replaceAll('{{WIDGETS}}', widgets)
      .replace('{{INTEGRITY}}', () => integrity()['civic.js'] ?? '');
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname));
    const name = path.slice(1).replace(/\.html$/, '');
    const policy = FIXTURES[name as FixtureName];
    const headers: Record<string, string> = { 'X-Content-Type-Options': 'nosniff' };
    if (policy === 'strict') headers['Content-Security-Policy'] = hostCsp(widgets);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    try {
      let body: string | Buffer;
      if (policy) body = page(name);
      else if (path === '/host-lit.js') body = lit;
      else if (VENDOR[path]) body = readFileSync(VENDOR[path]);
      else if (!path.includes('..') && /^\/[\w-]+\.(css|js)$/.test(path))
        body = readFileSync(join(DIR, path));
      else throw new Error('not served');
      const type = policy ? TYPES['.html']! : TYPES[extname(path)]!;
      res.writeHead(200, { ...headers, 'Content-Type': type });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return listenLocal(server, port);
}
