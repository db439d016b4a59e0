import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { seedDemo } from '../../src/server/app.js';
import { BROWSER_UA, postVisit, preflightVisit, useTestApp } from '../helpers/app.js';

const DIST = 'dist/widgets';
const HOST = 'http://127.0.0.1:18655';

/** The published files a host page loads: the loader, each lazy chunk and the classic script. */
function published(): string[] {
  const chunks = readdirSync(join(DIST, 'chunks')).filter((f) => f.endsWith('.js'));
  assert.ok(chunks.length >= 2, 'the build wrote its lazy chunks');
  return ['civic.js', 'civic.iife.js', ...chunks.map((f) => `chunks/${f}`)];
}

describe('widget files as a page on another origin loads them', () => {
  const t = useTestApp(undefined, {
    sites: [],
    seed: (storage) => seedDemo(storage, { port: 8080, demoOrigins: [] }),
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { 'user-agent': BROWSER_UA, ...headers } });

  it('serves civic.js, every chunk and civic.iife.js with Access-Control-Allow-Origin: *, with and without Origin', async () => {
    for (const file of published()) {
      for (const headers of [{}, { origin: HOST }, { origin: 'https://any.example.org' }] as Record<
        string,
        string
      >[]) {
        const res = await get(`/${file}`, headers);
        assert.equal(res.statusCode, 200, file);
        assert.equal(
          res.headers['access-control-allow-origin'],
          '*',
          `${file} ${JSON.stringify(headers)}`,
        );
        assert.equal(
          res.headers['access-control-allow-credentials'],
          undefined,
          'never credentials',
        );
        assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.match(String(res.headers['content-type']), /javascript/);
        const cache = String(res.headers['cache-control']);
        if (file.startsWith('chunks/')) assert.match(cache, /immutable/, file);
        else assert.equal(cache, 'public, max-age=300', file);
      }
    }
  });

  it('sends the pre-compressed Brotli and gzip copies by Accept-Encoding, within the budgets', async () => {
    let brAll = 0;
    let gzipAll = 0;
    for (const file of published()) {
      const raw = readFileSync(join(DIST, file));
      const br = await get(`/${file}`, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(br.headers['content-encoding'], 'br', file);
      assert.match(String(br.headers.vary), /accept-encoding/i);
      assert.equal(br.headers['access-control-allow-origin'], '*');
      assert.match(String(br.headers['content-type']), /javascript/);
      assert.equal(br.rawPayload.length, statSync(join(DIST, `${file}.br`)).size);
      assert.ok(brotliDecompressSync(br.rawPayload).equals(raw), `${file}.br is the file`);

      const gz = await get(`/${file}`, { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip', file);
      assert.ok(gunzipSync(gz.rawPayload).equals(raw), `${file}.gz is the file`);
      assert.ok(br.rawPayload.length < gz.rawPayload.length, `${file}: Brotli is smaller`);

      const plain = await get(`/${file}`);
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.ok(plain.rawPayload.equals(raw));
      assert.match(
        String(plain.headers.vary),
        /accept-encoding/i,
        'a shared cache must not mix encodings',
      );

      if (file === 'civic.js') assert.ok(gz.rawPayload.length <= 3 * 1024, 'loader ≤ 3 KB gzip');
      if (file === 'civic.iife.js')
        assert.ok(gz.rawPayload.length <= 30 * 1024, 'IIFE ≤ 30 KB gzip');
      else {
        brAll += br.rawPayload.length;
        gzipAll += gz.rawPayload.length;
      }
    }
    assert.ok(
      gzipAll <= 25 * 1024,
      `a page with every widget receives ${gzipAll} B gzip (≤ 25 KB)`,
    );
    assert.ok(brAll < gzipAll);
  });

  it('compresses JSON answers over 1 KB and leaves the small ones (a visit) alone', async () => {
    // A header band of twelve slogans is over 1 KB; a visit's figures are not.
    const items = Array.from({ length: 12 }, (_, i) => ({
      text: `Khẩu hiệu số ${i + 1}: toàn dân đoàn kết xây dựng đời sống văn hóa`,
    }));
    const created = await t.admin('POST', '/sites/demo/slogans', {
      id: 'dai',
      title: 'Khẩu hiệu dài',
      items,
    });
    assert.equal(created.statusCode, 201, created.body);
    const plain = await get('/api/v1/sites/demo/slogans/dai');
    assert.equal(plain.statusCode, 200);
    assert.ok(plain.rawPayload.length > 1024, `the slogan list is ${plain.rawPayload.length} B`);
    const big = await get('/api/v1/sites/demo/slogans/dai', { 'accept-encoding': 'br, gzip' });
    assert.equal(big.headers['content-encoding'], 'br');
    assert.match(String(big.headers.vary), /accept-encoding/i);
    assert.ok(brotliDecompressSync(big.rawPayload).equals(plain.rawPayload));
    assert.ok(big.rawPayload.length < plain.rawPayload.length / 1.5, 'smaller on the wire');

    const gz = await get('/api/v1/sites/demo/slogans/dai', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gz.rawPayload).equals(plain.rawPayload));

    const small = await get('/api/v1/sites/demo/visits', { 'accept-encoding': 'br, gzip' });
    assert.equal(small.statusCode, 200);
    assert.equal(small.headers['content-encoding'], undefined);
    assert.ok(small.rawPayload.length < 1024);
  });

  it('never decompresses a request body', async () => {
    const body = Buffer.from('{"page":"/","session":"x"}');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/demo/visits',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'user-agent': BROWSER_UA,
      },
      payload: (await import('node:zlib')).gzipSync(body),
    });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `refused: ${res.statusCode}`);
    assert.ok(res.json().error.code, 'with the error shape');
  });

  it('keeps the API on its exact per-site origin check', async () => {
    const res = await get('/api/v1/sites/demo/visits', { origin: HOST });
    assert.equal(
      res.headers['access-control-allow-origin'],
      undefined,
      'an unlisted origin gets no CORS header',
    );
    const own = await get('/api/v1/sites/demo/visits', { origin: 'http://localhost:8080' });
    assert.equal(own.headers['access-control-allow-origin'], 'http://localhost:8080');
  });

  it('lets a page on any origin read that a site does not exist (a mistyped data-site), changing nothing', async () => {
    const preflight = await preflightVisit(t.app, 'khong-ton-tai', HOST);
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], HOST);
    assert.match(String(preflight.headers.vary), /origin/i);
    const post = await postVisit(t.app, { site: 'khong-ton-tai', headers: { origin: HOST } });
    assert.equal(post.statusCode, 404);
    assert.equal(post.headers['access-control-allow-origin'], HOST);
    assert.equal(post.headers['access-control-allow-credentials'], undefined);
    assert.equal(post.json().error.code, 'not_found');
    // A known site still refuses the unlisted origin's write.
    const refused = await postVisit(t.app, { site: 'demo', headers: { origin: HOST } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    // Nor does an encoded spelling of its id pass for an unknown site.
    const before = (await get('/api/v1/sites/demo/visits')).json().total;
    const encoded = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sites/de%6Do/visits',
      headers: { origin: HOST, 'content-type': 'application/json', 'user-agent': BROWSER_UA },
      payload: { page: '/', session: '1f1e2d3c-4b5a-4978-a695-8473a2b1c0d9' },
    });
    assert.equal(encoded.statusCode, 403);
    assert.equal(encoded.headers['access-control-allow-origin'], undefined);
    await t.app.visits.flush();
    assert.equal((await get('/api/v1/sites/demo/visits')).json().total, before, 'nothing counted');
  });

  it('serves the demo page under its strict CSP, without the CORS header', async () => {
    // As a browser asks for it (the directory index with every encoding accepted), and as curl does.
    for (const headers of [{ 'accept-encoding': 'gzip, deflate, br' }, {}] as Record<
      string,
      string
    >[]) {
      const page = await get('/', headers);
      assert.equal(page.statusCode, 200, JSON.stringify(headers));
      assert.match(String(page.headers['content-type']), /text\/html/);
    }
    const res = await get('/');
    assert.equal(res.statusCode, 200);
    assert.match(
      String(res.headers['content-security-policy']),
      /require-trusted-types-for 'script'/,
    );
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});
