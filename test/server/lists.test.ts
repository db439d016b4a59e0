import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seedDemo } from '../../src/server/app.js';
import { DEMO_BANNERS, DEMO_LINKS, DEMO_SLOGANS } from '../../src/server/lists/seed.js';
import { ListStore } from '../../src/server/lists/store.js';
import { DEMO_ORIGIN, useTestApp } from '../helpers/app.js';
import { describeEngines } from '../helpers/engines.js';

describeEngines('slogan and link lists', (engine) => {
  const t = useTestApp(engine);
  const { admin } = t;
  const pub = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/api/v1/sites${url}`, headers });

  it('serves a saved slogan list with ETag and Cache-Control, and 304 on If-None-Match', async () => {
    const created = await admin('POST', '/sites/t1/slogans', {
      id: 'khau-hieu',
      title: ' Khẩu hiệu ',
      items: [
        { text: '  Chào mừng Quốc khánh 2/9 ' },
        { text: 'Dịch vụ công trực tuyến', href: 'https://dichvucong.gov.vn' },
      ],
    });
    assert.equal(created.statusCode, 201, created.body);
    const c = created.json();
    assert.equal(c.version, 1);
    assert.equal(c.title, 'Khẩu hiệu');
    assert.equal(c.items[0].text, 'Chào mừng Quốc khánh 2/9', 'text is trimmed');
    assert.match(c.items[0].id, /^[A-Za-z0-9_-]+$/);

    const res = await pub('/t1/slogans/khau-hieu');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.deepEqual(res.json(), {
      id: 'khau-hieu',
      title: 'Khẩu hiệu',
      items: [
        { text: 'Chào mừng Quốc khánh 2/9' },
        { text: 'Dịch vụ công trực tuyến', href: 'https://dichvucong.gov.vn' },
      ],
    });
    const etag = res.headers.etag as string;
    assert.match(etag, /^"[A-Za-z0-9_-]{10,}"$/);
    assert.match(res.headers['cache-control'] as string, /^public, max-age=\d+/);

    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await pub('/t1/slogans/khau-hieu', { 'if-none-match': inm });
      assert.equal(again.statusCode, 304, inm);
      assert.equal(again.body, '');
      assert.equal(again.headers.etag, etag);
      assert.equal(again.headers['cache-control'], res.headers['cache-control']);
    }
    assert.equal(
      (await pub('/t1/slogans/khau-hieu', { 'if-none-match': '"stale"' })).statusCode,
      200,
    );

    // An edit changes the ETag: the old one now gets the new body.
    const edited = await admin('PUT', '/sites/t1/slogans/khau-hieu', {
      items: [{ text: 'Một khẩu hiệu mới' }],
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().title, 'Khẩu hiệu', 'title kept when not sent');
    const fresh = await pub('/t1/slogans/khau-hieu', { 'if-none-match': etag });
    assert.equal(fresh.statusCode, 200);
    assert.notEqual(fresh.headers.etag, etag);
    assert.deepEqual(fresh.json().items, [{ text: 'Một khẩu hiệu mới' }]);
  });

  it('answers CORS for a listed origin on the public GET', async () => {
    const res = await pub('/t1/slogans/khau-hieu', { origin: DEMO_ORIGIN });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], DEMO_ORIGIN);
    const other = await pub('/t1/slogans/khau-hieu', { origin: 'https://evil.example' });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('creates, lists, edits, reorders and deletes link lists', async () => {
    const items = [
      { id: 'cp', text: 'Cổng Chính phủ', href: 'https://chinhphu.vn', group: 'Chính phủ' },
      { id: 'dvc', text: 'Dịch vụ công', href: 'https://dichvucong.gov.vn' },
      { id: 'mail', text: 'Hộp thư', href: 'mailto:lienhe@example.gov.vn' },
      { id: 'tel', text: 'Đường dây nóng', href: 'tel:+842583883040' },
      { id: 'rel', text: 'Giới thiệu', href: '/gioi-thieu' },
      {
        id: 'ban',
        text: 'Banner',
        href: 'http://vbpl.vn',
        image: '/banners/vbpl.svg',
        alt: 'Văn bản pháp luật',
      },
    ];
    const created = await admin('POST', '/sites/t1/links', { id: 'lien-ket', items });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(
      (await admin('POST', '/sites/t1/links', { id: 'lien-ket', items: [] })).statusCode,
      409,
    );
    // Slogans and links are separate namespaces.
    assert.equal((await pub('/t1/slogans/lien-ket')).statusCode, 404);

    const listed = (await admin('GET', '/sites/t1/links')).json().items;
    assert.deepEqual(
      listed.map((l: { id: string }) => l.id),
      ['lien-ket'],
    );

    const pubItems = (await pub('/t1/links/lien-ket')).json().items;
    assert.deepEqual(
      pubItems,
      items.map(({ id: _id, ...rest }) => rest),
      'public items carry no ids',
    );

    const reordered = await admin('PUT', '/sites/t1/links/lien-ket/order', {
      order: ['tel', 'cp', 'dvc', 'mail', 'rel', 'ban'],
      version: 1,
    });
    assert.equal(reordered.statusCode, 200, reordered.body);
    assert.equal(reordered.json().version, 2);
    assert.deepEqual(
      (await pub('/t1/links/lien-ket'))
        .json()
        .items.map((i: { text: string }) => i.text)
        .slice(0, 2),
      ['Đường dây nóng', 'Cổng Chính phủ'],
    );

    // A stale version is refused and changes nothing.
    const stale = await admin('PUT', '/sites/t1/links/lien-ket', { items: [], version: 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'conflict');
    assert.equal((await admin('GET', '/sites/t1/links/lien-ket')).json().items.length, 6);

    for (const order of [
      ['tel', 'cp'],
      ['tel', 'cp', 'dvc', 'mail', 'rel', 'ban', 'nope'],
      ['tel', 'tel', 'dvc', 'mail', 'rel', 'ban'],
    ]) {
      const bad = await admin('PUT', '/sites/t1/links/lien-ket/order', { order });
      assert.equal(bad.statusCode, 400, JSON.stringify(order));
      assert.equal(bad.json().error.code, 'invalid_request');
    }
    assert.equal(
      (
        await admin('PUT', '/sites/t1/links/lien-ket/order', {
          order: ['tel', 'cp', 'dvc', 'mail', 'rel', 'ban'],
          version: 1,
        })
      ).statusCode,
      409,
    );

    const edited = await admin('PUT', '/sites/t1/links/lien-ket', {
      title: 'Liên kết',
      items: [items[0]],
      version: 2,
    });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().version, 3);
    assert.deepEqual((await pub('/t1/links/lien-ket')).json(), {
      id: 'lien-ket',
      title: 'Liên kết',
      items: [{ text: 'Cổng Chính phủ', href: 'https://chinhphu.vn', group: 'Chính phủ' }],
    });

    assert.equal((await admin('DELETE', '/sites/t1/links/lien-ket')).statusCode, 204);
    assert.equal((await pub('/t1/links/lien-ket')).statusCode, 404);
    assert.equal((await admin('DELETE', '/sites/t1/links/lien-ket')).statusCode, 404);
    assert.equal((await admin('PUT', '/sites/t1/links/lien-ket', { items: [] })).statusCode, 404);
  });

  it('refuses javascript: and data: URLs with a 400 naming the item, and changes nothing', async () => {
    const good = { text: 'Cổng Chính phủ', href: 'https://chinhphu.vn' };
    assert.equal(
      (await admin('POST', '/sites/t1/links', { id: 'an-toan', items: [good] })).statusCode,
      201,
    );
    assert.equal(
      (await admin('POST', '/sites/t1/slogans', { id: 'an-toan', items: [{ text: 'Khẩu hiệu' }] }))
        .statusCode,
      201,
    );
    const bad: Array<[string, string]> = [
      ['javascript:alert(1)', 'javascript:'],
      ['  JaVaScRiPt:alert(document.domain)', 'javascript:'],
      ['data:text/html,<script>alert(1)</script>', 'data:'],
      ['vbscript:msgbox(1)', 'vbscript:'],
      ['file:///etc/passwd', 'file:'],
      ['http://[bad', 'an invalid URL'],
    ];
    for (const [href, scheme] of bad) {
      for (const kind of ['links', 'slogans']) {
        const res = await admin('PUT', `/sites/t1/${kind}/an-toan`, {
          items: [good, { text: 'Mục độc hại', href }],
        });
        assert.equal(res.statusCode, 400, `${kind} ${href}`);
        const { code, message } = res.json().error;
        assert.equal(code, 'invalid_request');
        assert.match(message, /items\.1\.href/);
        assert.match(message, /item 2 \("Mục độc hại"\)/, 'names the item');
        assert.ok(message.includes(scheme), message);
        assert.ok(!message.includes('alert'), 'does not echo the URL');
        const created = await admin('POST', `/sites/t1/${kind}`, {
          id: 'moi',
          items: [{ text: 'Mục độc hại', href }],
        });
        assert.equal(created.statusCode, 400);
      }
    }
    // A tab hidden inside the scheme is a control character: refused by the schema.
    assert.equal(
      (
        await admin('PUT', '/sites/t1/links/an-toan', {
          items: [{ text: 'x', href: 'java\tscript:alert(1)' }],
        })
      ).statusCode,
      400,
    );
    const image = await admin('PUT', '/sites/t1/links/an-toan', {
      items: [{ ...good, image: 'data:image/svg+xml,<svg onload=alert(1)>' }],
    });
    assert.equal(image.statusCode, 400);
    assert.match(image.json().error.message, /items\.0\.image.*item 1/);

    for (const kind of ['links', 'slogans']) {
      const list = (await admin('GET', `/sites/t1/${kind}/an-toan`)).json();
      assert.equal(list.version, 1, `${kind}: nothing changed`);
      assert.equal(
        (await admin('GET', `/sites/t1/${kind}/moi`)).statusCode,
        404,
        `${kind}: nothing created`,
      );
    }
  });

  it('rejects malformed bodies and unknown sites', async () => {
    for (const body of [
      { id: 'x', items: [{ text: '' }] },
      { id: 'x', items: [{ text: '   ' }] },
      { id: 'x', items: [{ text: 'ok', extra: 1 }] },
      { id: 'x', items: [{ text: 'ok', image: '/a.png' }] },
      { id: 'x', items: [{ text: 'a\u0007b' }] },
      { id: 'X Y', items: [] },
      {
        id: 'x',
        items: [
          { id: 'same', text: 'a' },
          { id: 'same', text: 'b' },
        ],
      },
      { id: 'x', items: Array.from({ length: 101 }, () => ({ text: 'a' })) },
    ]) {
      const res = await admin('POST', '/sites/t1/slogans', body);
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(res.json().error.code, 'invalid_request');
    }
    assert.equal(
      (await admin('POST', '/sites/t1/links', { id: 'x', items: [{ text: 'no href' }] }))
        .statusCode,
      400,
    );
    assert.equal((await admin('GET', '/sites/t1/slogans/x')).statusCode, 404);
    assert.equal(
      (await admin('POST', '/sites/nope/slogans', { id: 'x', items: [] })).statusCode,
      404,
    );
    assert.equal((await pub('/nope/slogans/x')).statusCode, 404);
    const badId = await pub('/t1/links/Bad%20Id');
    assert.equal(badId.statusCode, 400);
    assert.equal(badId.json().error.code, 'invalid_request');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/admin/sites/t1/slogans' });
    assert.equal(anon.statusCode, 401);
    const missing = await pub('/t1/links/khong-co');
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(Object.keys(missing.json().error).sort(), ['code', 'message']);
  });

  it('drops an unsafe URL that reached the database by other means from the public list', async () => {
    const store = new ListStore(t.storage.db, t.storage.dialect);
    await store.create('t1', 'links', 'cu', {
      title: '',
      items: [
        { id: 'a', text: 'Xấu', href: 'javascript:alert(1)' },
        { id: 'b', text: 'Tốt', href: 'https://vbpl.vn', image: 'data:image/png;base64,AAAA' },
      ],
    });
    await store.create('t1', 'slogans', 'cu', {
      title: '',
      items: [{ id: 'a', text: 'Khẩu hiệu', href: 'data:text/html,x' }],
    });
    assert.deepEqual((await pub('/t1/links/cu')).json().items, [
      { text: 'Tốt', href: 'https://vbpl.vn' },
    ]);
    assert.deepEqual((await pub('/t1/slogans/cu')).json().items, [{ text: 'Khẩu hiệu' }]);
  });

  it('seeds the demo lists once, from the seed page, with banner images served here', async () => {
    const config = { port: 8080, demoOrigins: [] };
    await seedDemo(t.storage, config);
    await admin('PUT', '/sites/demo/links/lien-ket-web', { items: [DEMO_LINKS[0]] });
    await seedDemo(t.storage, config); // a second start keeps the edit
    assert.equal((await pub('/demo/links/lien-ket-web')).json().items.length, 1);

    const slogans = (await pub('/demo/slogans/khau-hieu'))
      .json()
      .items.map((s: { text: string }) => s.text);
    assert.deepEqual(
      slogans,
      DEMO_SLOGANS.map((s) => s.text),
    );
    // Split from the seed page's header line, nothing added or lost.
    // (The header line of the seed portal page, copied here so the test needs nothing outside the repo.)
    const seedLine =
      'TÍCH CỰC CHUẨN BỊ VÀ TỔ CHỨC THÀNH CÔNG ĐẠI HỘI ĐẢNG BỘ CÁC CẤP TIẾN TỚI ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG - Kỷ niệm 74 năm Cách mạng Tháng Tám (19/8/1945-19/8/2019) và Quốc khánh nước Cộng hòa XHCN Việt Nam (2/9/1945-2/9/2019)-DI CHÚC CỦA CHỦ TỊCH HỒ CHÍ MINH, LỜI CỦA NON SÔNG ĐẤT NƯỚC - Toàn Đảng, toàn dân và toàn quân quyết tâm phấn đấu thực hiện thành công Di chúc của Chủ tịch Hồ Chí Minh - SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI';
    const squash = (s: string) => s.replace(/[\s-]+/g, '');
    assert.equal(squash(slogans.join('')), squash(seedLine));
    assert.ok(slogans.length >= 4);

    const banners = (await pub('/demo/links/lien-ket-banner')).json().items;
    assert.equal(banners.length, DEMO_BANNERS.length);
    for (const b of banners) {
      assert.ok(b.alt && b.alt.length > 3, 'alt text');
      assert.match(b.image, /^\/banners\/[a-z]+\.svg$/, 'served by this server');
      const img = await t.app.inject({ method: 'GET', url: b.image });
      assert.equal(img.statusCode, 200, b.image);
      assert.match(img.headers['content-type'] as string, /^image\/svg\+xml/);
    }
  });
});
