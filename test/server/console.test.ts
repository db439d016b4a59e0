import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONSOLE_CSP } from '../../src/server/assets/index.js';
import { BROWSER_UA, useTestApp } from '../helpers/app.js';

const INDEX = 'dist/console/index.html';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'";

describe('the admin console at /admin/', () => {
  const t = useTestApp();
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { 'user-agent': BROWSER_UA, ...headers } });

  /** The script and stylesheet the built page loads. */
  function assetsOf(html: string): string[] {
    return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="(\/admin\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
  }

  it('has been built (`npm run build:console`)', () => {
    assert.ok(existsSync(INDEX), `${INDEX} is missing: run \`npm run build:console\``);
  });

  it('serves the page under the strict CSP, never cached stale, for this origin only', async () => {
    assert.equal(CONSOLE_CSP, CSP);
    for (const headers of [{}, { origin: 'https://evil.example.org' }] as Record<
      string,
      string
    >[]) {
      const res = await get('/admin/', headers);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['content-security-policy'], CSP);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.headers['access-control-allow-origin'], undefined, 'no CORS');
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin');
      assert.equal(res.body, readFileSync(INDEX, 'utf8'));
    }
  });

  it('has no inline script, style or handler in the page', async () => {
    const html = (await get('/admin/')).body;
    assert.match(html, /<civic-console>/);
    for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
      assert.match(tag, /\ssrc="\/admin\//, tag);
    assert.doesNotMatch(html, /<script\b[^>]*>[^<]+<\/script>/, 'no inline script');
    assert.doesNotMatch(html, /<style\b/i, 'no style element');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no event handler attribute');
    const assets = assetsOf(html);
    assert.ok(
      assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')),
      assets.join(),
    );
  });

  it('serves the hashed script and stylesheet immutably, without CORS', async () => {
    for (const asset of assetsOf((await get('/admin/')).body)) {
      assert.match(asset, /^\/admin\/assets\/[\w-]+-[\w-]{8}\.(?:js|css)$/, 'hashed name');
      const res = await get(asset, { origin: 'https://evil.example.org' });
      assert.equal(res.statusCode, 200, asset);
      assert.match(
        String(res.headers['content-type']),
        asset.endsWith('.js') ? /javascript/ : /text\/css/,
      );
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(res.headers['access-control-allow-origin'], undefined, `${asset}: no CORS`);
      assert.equal(res.headers['cross-origin-resource-policy'], 'same-origin');
    }
  });

  it('sends /admin to /admin/, and a missing file is a 404 without CORS', async () => {
    const bare = await get('/admin');
    assert.ok([301, 302, 308].includes(bare.statusCode), String(bare.statusCode));
    assert.equal(bare.headers.location, '/admin/');
    const missing = await get('/admin/assets/nothing-here.js', {
      origin: 'https://evil.example.org',
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['access-control-allow-origin'], undefined);
  });

  it('leaves the widget files as they are (CORS for every origin)', async () => {
    const res = await get('/civic.js', { origin: 'https://evil.example.org' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });
});
