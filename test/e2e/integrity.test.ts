/**
 * Subresource Integrity (README "Embedding"): the build's integrity.json holds the hash of every
 * file a page loads, as the server sends it; a page whose civic.js, or one of whose lazy chunks,
 * is not the built file keeps its fallback content, with no error thrown into the page. The
 * page that loads every widget under integrity is fixture (8) of fixtures.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { transformSync } from 'esbuild';
import { sqliteEngine, type TestEngine } from '../helpers/engines.js';
import { hostCsp } from '../helpers/host-site.js';
import { listenLocal, startServer, type RunningServer } from '../helpers/server-process.js';
import { assertClean, chromiumTabs, firefoxTabs, type Tab } from '../helpers/tab.js';

const DIST = 'dist/widgets';
const TAGS = [
  'civic-visit-counter',
  'civic-poll',
  'civic-marquee',
  'civic-link-list',
  'civic-comments',
  'civic-captcha',
];
/**
 * What the browser says when it refuses a file for its integrity (Chromium; Firefox, which
 * reports it as a page error): not an error of the page.
 */
const REFUSED =
  /Failed to find a valid digest in the 'integrity' attribute|hashes in the integrity attribute match the content/;

const sha = (algorithm: string, data: Buffer) =>
  `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;

/** Every `.js` file of the build, as integrity.json names them. */
const builtFiles = () =>
  readdirSync(DIST, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.split('\\').join('/'))
    .sort();

describe('integrity.json', () => {
  let engine: TestEngine;
  let server: RunningServer;
  before(async () => {
    engine = await sqliteEngine();
    server = await startServer(engine.env, { readyTimeoutMs: 60_000 });
  });
  after(async () => {
    await server?.stop();
    await engine?.drop();
  });

  it('holds the sha384 of every file a page loads, as the server sends it, and the loader the chunks’', async () => {
    const res = await fetch(`${server.url}/integrity.json`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', 'any page or tool reads it');
    const hashes = (await res.json()) as Record<string, string>;
    assert.deepEqual(Object.keys(hashes).sort(), builtFiles(), 'every file of both builds');
    assert.ok(hashes['civic.iife.js'] && hashes['civic.js']);
    for (const [file, integrity] of Object.entries(hashes)) {
      // Each encoding the server sends (the pre-compressed copies and the file itself).
      for (const encoding of ['br', 'gzip', 'identity']) {
        const body = await fetch(`${server.url}/${file}`, {
          headers: { 'accept-encoding': encoding },
        });
        assert.equal(body.status, 200, file);
        if (encoding !== 'identity')
          assert.equal(body.headers.get('content-encoding'), encoding, `${file} as ${encoding}`);
        const bytes = Buffer.from(await body.arrayBuffer());
        assert.equal(sha('sha384', bytes), integrity, `${file} as ${encoding}`);
      }
    }
    // The loader carries each chunk's SHA-256 for its preload links.
    const loader = readFileSync(join(DIST, 'civic.js'), 'utf8');
    const carried = [...loader.matchAll(/"(chunks\/[\w.-]+\.js)","(sha256-[\w+/=]+)"/g)].map(
      (m) => [m[1], m[2]] as const,
    );
    const chunks = builtFiles().filter((f) => f.startsWith('chunks/'));
    assert.deepEqual([...new Set(carried.map(([file]) => file))].sort(), chunks);
    for (const [file, integrity] of carried)
      assert.equal(integrity, sha('sha256', readFileSync(join(DIST, file))), file);
  });
});

/**
 * A copy of the build with one byte of `file` changed, served with the widget server's headers
 * (CORS `*`) by a small static server on its own origin; a host page on a third origin loads it
 * with the integrity of the real build.
 */
for (const [label, launch] of [
  ['Chromium', chromiumTabs],
  ['Firefox ESR', firefoxTabs],
] as const) {
  describe(`a changed file is refused in ${label}`, () => {
    const dirs: Record<string, string> = {};
    /** The paths the static server was asked for. */
    const requests: string[] = [];
    let files: { origin: string; close: () => Promise<void> };
    let host: { origin: string; close: () => Promise<void> };
    let browser: Awaited<ReturnType<typeof launch>>;
    const integrity = () =>
      JSON.parse(readFileSync(join(DIST, 'integrity.json'), 'utf8')) as Record<string, string>;

    before(async () => {
      const core = builtFiles().find((f) => f.startsWith('chunks/civic-core-'))!;
      // One byte inside a string of the code: the file stays valid and works, only its hash changes.
      for (const [name, file, from, to] of [
        ['loader', 'civic.js', '1.05lh', '1.06lh'],
        ['chunk', core, '`Loading', '`Loadinh'],
      ] as const) {
        const dir = mkdtempSync(join(tmpdir(), `civic-sri-${name}-`));
        cpSync(DIST, dir, { recursive: true });
        const path = join(dir, file);
        const code = readFileSync(path, 'utf8');
        assert.ok(code.includes(from), `${file} has ${from}`);
        writeFileSync(path, code.replace(from, to));
        transformSync(readFileSync(path, 'utf8'), { loader: 'js', format: 'esm' });
        // Its compressed copies are of the old bytes: gone.
        rmSync(`${path}.br`, { force: true });
        rmSync(`${path}.gz`, { force: true });
        dirs[name] = dir;
      }
      dirs.intact = mkdtempSync(join(tmpdir(), 'civic-sri-intact-'));
      cpSync(DIST, dirs.intact, { recursive: true });
      files = await listenLocal(
        createServer((req, res) => {
          requests.push(new URL(req.url!, 'http://x').pathname);
          const [, name, ...rest] = normalize(new URL(req.url!, 'http://x').pathname).split('/');
          try {
            if (!dirs[name!] || rest.some((p) => p === '..')) throw new Error('not served');
            const body = readFileSync(join(dirs[name!]!, ...rest));
            res.writeHead(200, {
              'Content-Type': 'text/javascript; charset=utf-8',
              'Access-Control-Allow-Origin': '*',
            });
            res.end(body);
          } catch {
            res.writeHead(404).end();
          }
        }),
      );
      const markup = readFileSync('test/fixtures/widgets.html', 'utf8');
      host = await listenLocal(
        createServer((req, res) => {
          // `/loader`, `/chunk`; `/loader-plain`: the changed loader without integrity.
          const page = new URL(req.url!, 'http://x').pathname.slice(1);
          const name = page.replace(/-plain$/, '');
          if (!dirs[name]) return void res.writeHead(page === 'favicon.ico' ? 204 : 404).end();
          const sri = page.endsWith('-plain') ? '' : `integrity="${integrity()['civic.js']}"`;
          res.writeHead(200, {
            'Content-Type': 'text/html; charset=utf-8',
            'Content-Security-Policy': hostCsp(files.origin),
          });
          res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>SRI</title>
<script type="module" src="${files.origin}/${name}/civic.js" ${sri}
  crossorigin="anonymous" data-site="demo"></script></head><body>${markup}</body></html>`);
        }),
      );
      browser = await launch();
    });
    after(async () => {
      await browser?.close();
      await host?.close();
      await files?.close();
      for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
    });

    /** Opens the page, waits until a URL matching `failing` has failed to load (an `error` event), checks the rest. */
    const refused = async (name: string, failing: RegExp, check: (tab: Tab) => Promise<void>) => {
      const tab = await browser.newTab(() => {
        const w = window as unknown as { __failed: string[] };
        w.__failed = [];
        // Load errors of <script> and <link> do not bubble: caught on the way down.
        window.addEventListener(
          'error',
          (e) => {
            const el = e.target as Partial<HTMLScriptElement & HTMLLinkElement>;
            if (el !== window && (el.src || el.href)) w.__failed.push(el.src || el.href!);
          },
          true,
        );
      });
      try {
        await tab.goto(`${host.origin}/${name}`);
        await tab.waitFor(
          (source) =>
            (window as unknown as { __failed: string[] }).__failed.some((u) =>
              new RegExp(source).test(u),
            ),
          failing.source,
        );
        // Time for anything that would still run (an import after the refused preload).
        await new Promise((r) => setTimeout(r, 1500));
        const page = await tab.evaluate(
          (tags) => ({
            defined: tags.filter((t) => customElements.get(t)),
            shadow: tags.filter((t) => document.querySelector(t)?.shadowRoot),
            fallback: (document.querySelector('civic-poll > p') as HTMLElement).innerText.trim(),
          }),
          TAGS,
        );
        assert.deepEqual(
          page,
          {
            defined: [],
            shadow: [],
            fallback: 'Bạn đánh giá như thế nào về cổng thông tin này?',
          },
          'no widget is defined; the fallback content shows',
        );
        // The browser says it refused the file; nothing else goes wrong in the page.
        assert.ok(
          tab.problems.some((p) => REFUSED.test(p) && failing.test(p)),
          `the browser reports the refusal: ${tab.problems}`,
        );
        await assertClean(tab, REFUSED);
        await check(tab);
      } finally {
        await tab.close();
      }
    };

    it('imports each chunk as preloaded under its integrity: one request each', async () => {
      const tab = await browser.newTab();
      try {
        await tab.goto(`${host.origin}/intact`);
        await tab.waitFor((tags) => tags.every((t) => customElements.get(t)), TAGS);
        const chunks = Object.keys(integrity()).filter((f) => f.startsWith('chunks/'));
        assert.deepEqual(
          requests.filter((p) => p.startsWith('/intact/')).sort(),
          ['/intact/civic.js', ...chunks.map((f) => `/intact/${f}`)].sort(),
          'no chunk is fetched a second time (by import(), without integrity)',
        );
      } finally {
        await tab.close();
      }
    });

    it('without modulepreload (Safari before 17) imports the chunks as before, with no link', async () => {
      const tab = await browser.newTab(() => {
        const supports = DOMTokenList.prototype.supports;
        DOMTokenList.prototype.supports = function (token) {
          return token !== 'modulepreload' && supports.call(this, token);
        };
      });
      try {
        await tab.goto(`${host.origin}/intact`);
        await tab.waitFor((tags) => tags.every((t) => customElements.get(t)), TAGS);
        assert.equal(
          await tab.evaluate(() => document.querySelectorAll('link[rel="modulepreload"]').length),
          0,
        );
      } finally {
        await tab.close();
      }
    });

    it('refuses civic.js with one byte changed: nothing runs, the fallback stays', () =>
      refused('loader', /\/loader\/civic\.js(?![\w.])/, async (tab) => {
        assert.equal(
          await tab.evaluate(() => document.querySelectorAll('link[rel="modulepreload"]').length),
          0,
          'the loader did not run',
        );
        // The same changed file without integrity on the tag runs: only its hash was refused.
        await tab.goto(`${host.origin}/loader-plain`);
        await tab.waitFor(() => !!customElements.get('civic-poll'));
      }));

    it('refuses the core chunk with one byte changed under a correct loader: the fallback stays', () =>
      refused('chunk', /\/chunk\/chunks\/civic-core-[\w-]+\.js(?![\w.])/, async (tab) => {
        const links = await tab.evaluate(() =>
          [...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map(
            (l) => `${new URL(l.href).pathname} ${l.integrity}`,
          ),
        );
        const hashes = integrity();
        const expected = Object.keys(hashes)
          .filter((f) => f.startsWith('chunks/'))
          .map((f) => `/chunk/${f} ${sha('sha256', readFileSync(join(DIST, f)))}`);
        assert.deepEqual(
          links.sort(),
          expected.sort(),
          'both chunks preloaded with the build’s hashes',
        );
      }));
  });
}
