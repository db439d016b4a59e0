import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/console/civic-console-lists.js';
import type { CivicConsoleLists } from '../../src/console/civic-console-lists.js';
import type { ListItem } from '../../src/console/lists.api.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN } from './fake-admin-api.js';
import { FakeListsSitesApi } from './fake-lists-sites.js';
import { deep, deepAll, focused, text, useColorScheme } from './utils.js';

/** The real widgets, from their sources (the console loads the built `civic.iife.js`). */
const WIDGETS = '/src/iife.ts';

async function open(lang = 'vi', site = 'demo'): Promise<CivicConsoleLists> {
  const el = await fixture<CivicConsoleLists>(
    html`<civic-console-lists lang=${lang} site=${site} widgets=${WIDGETS}></civic-console-lists>`,
  );
  await waitUntil(() => !el.shadowRoot!.querySelector('[aria-busy="true"]'), 'still loading');
  return el;
}

const root = (el: Element) => el.shadowRoot!;
const items = (el: Element) => deepAll(el, 'ol.items > li');
const texts = (el: Element) =>
  deepAll<HTMLInputElement>(el, 'ol.items input[id^="text-"]').map((i) => i.value);
const button = (scope: ParentNode, label: string) =>
  [...scope.querySelectorAll('button')].find((b) => text(b) === label)!;
const live = (el: Element) => text(root(el).querySelector('[role="status"]'));
const alertText = (el: Element) => text(root(el).querySelector('form [role="alert"]'));

/** The first import of the widgets (compiled on demand by the test server) may take a while on a busy machine. */
const widgetsLoaded = () =>
  waitUntil(() => customElements.get('civic-link-list'), 'the widgets never loaded', {
    timeout: 25_000,
  });

async function type(input: HTMLInputElement, value: string): Promise<void> {
  input.focus();
  input.select();
  await sendKeys({ type: value });
}

/** The slogans the real marquee shows, in order (its second, hidden copy left out). */
function marqueeSlogans(el: Element): string[] {
  const marquee = deep(el, 'civic-marquee');
  const shown = [...(marquee?.shadowRoot?.querySelectorAll('[part~="item"]') ?? [])].filter(
    (item) => !item.closest('[aria-hidden="true"]'),
  );
  return shown.map(text);
}

describe('<civic-console-lists>', () => {
  let server: FakeListsSitesApi;
  beforeEach(() => {
    server = new FakeListsSitesApi();
    server.me = ADMIN;
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-lists').forEach((el) => el.remove());
    server.restore();
    await useColorScheme('light');
  });

  it("loads the site's slogan and link lists and shows the first one in the real marquee", async () => {
    const el = await open();
    expect(server.callsTo('/admin/sites/demo/slogans', 'GET')).to.have.length(1);
    expect(server.callsTo('/admin/sites/demo/links', 'GET')).to.have.length(1);
    const groups = deepAll<HTMLOptGroupElement>(el, '#list optgroup').map((g) => [
      g.label,
      [...g.querySelectorAll('option')].map(text),
    ]);
    expect(groups).to.deep.equal([
      ['Khẩu hiệu', ['Khẩu hiệu (khau-hieu)']],
      ['Liên kết', ['Liên kết web (lien-ket-web)']],
    ]);
    expect(texts(el)).to.deep.equal([
      'MỪNG ĐẢNG, MỪNG XUÂN',
      'Chào mừng Quốc khánh 2/9',
      'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI',
    ]);
    expect(
      deep<HTMLInputElement>(
        el,
        'input[id^="href-"][value], ol.items li:nth-child(2) input[id^="href-"]',
      )!.value,
    ).to.equal('/quoc-khanh');
    await widgetsLoaded();
    await waitUntil(() => marqueeSlogans(el).length === 3, 'the marquee shows no slogans');
    expect(marqueeSlogans(el)).to.deep.equal(texts(el));
    const link = deep(el, 'civic-marquee')!.shadowRoot!.querySelector('a[part~="link"]');
    expect(link!.getAttribute('href')).to.equal(new URL('/quoc-khanh', location.href).href);
    expect(text(deep(el, 'section code'))).to.equal(
      '<civic-marquee source="khau-hieu"></civic-marquee>',
    );
  });

  it('previews each edit at once, before it is saved', async () => {
    const el = await open();
    await widgetsLoaded();
    await waitUntil(() => marqueeSlogans(el).length === 3);
    const first = deepAll<HTMLInputElement>(el, 'ol.items input[id^="text-"]')[0]!;
    await type(first, 'CHÀO MỪNG NĂM MỚI 2027');
    await waitUntil(() => marqueeSlogans(el)[0] === 'CHÀO MỪNG NĂM MỚI 2027', 'not previewed');
    expect(text(root(el).querySelector('.actions'))).to.contain('Có thay đổi chưa lưu.');
    expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
  });

  it('reorders with the keyboard, keeping the focus on the moved item, then saves the new order', async () => {
    const el = await open();
    const down = deepAll<HTMLButtonElement>(el, 'ol.items button[id^="down-"]')[0]!;
    expect(down.getAttribute('aria-label')).to.equal('Chuyển xuống: MỪNG ĐẢNG, MỪNG XUÂN');
    down.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => texts(el)[1] === 'MỪNG ĐẢNG, MỪNG XUÂN');
    expect(focused()!.id).to.equal(down.id);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => texts(el)[2] === 'MỪNG ĐẢNG, MỪNG XUÂN');
    expect(focused()!.id).to.equal(down.id);
    expect(down.getAttribute('aria-disabled')).to.equal('true');
    await waitUntil(() => live(el) === 'Đã chuyển "MỪNG ĐẢNG, MỪNG XUÂN" tới vị trí 3.');
    // At the bottom it stays there.
    await sendKeys({ press: 'Enter' });
    expect(texts(el)[2]).to.equal('MỪNG ĐẢNG, MỪNG XUÂN');
    const up = deepAll<HTMLButtonElement>(el, 'ol.items button[id^="up-"]')[1]!;
    up.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => texts(el)[1] === 'Chào mừng Quốc khánh 2/9');
    expect(texts(el)).to.deep.equal([
      'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI',
      'Chào mừng Quốc khánh 2/9',
      'MỪNG ĐẢNG, MỪNG XUÂN',
    ]);
    await waitUntil(() => marqueeSlogans(el)[0]?.startsWith('SỐNG'), 'preview not reordered');

    button(root(el), 'Lưu danh sách').click();
    await waitUntil(() => server.callsTo('/slogans/khau-hieu', 'PUT').length === 1);
    expect(server.callsTo('/slogans/khau-hieu', 'PUT')[0]!.body).to.deep.equal({
      title: 'Khẩu hiệu',
      items: [
        { id: 's3', text: 'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI' },
        { id: 's2', text: 'Chào mừng Quốc khánh 2/9', href: '/quoc-khanh' },
        { id: 's1', text: 'MỪNG ĐẢNG, MỪNG XUÂN' },
      ],
      version: 3,
    });
    await waitUntil(() => live(el) === 'Đã lưu danh sách Khẩu hiệu.');
    expect(server.lists.demo!.slogans[0]!.version).to.equal(4);
    expect(text(root(el).querySelector('.actions'))).not.to.contain('chưa lưu');
  });

  it('adds, edits and removes items, and saves them (new items without an id)', async () => {
    const el = await open();
    button(root(el), 'Thêm khẩu hiệu').click();
    await waitUntil(() => items(el).length === 4);
    const input = focused() as HTMLInputElement;
    expect(input.id).to.match(/^text-/);
    await sendKeys({ type: 'Chào mừng ngày Nhà giáo Việt Nam 20/11' });
    const remove = deepAll<HTMLButtonElement>(el, 'ol.items li:nth-child(1) button').at(-1)!;
    expect(remove.getAttribute('aria-label')).to.equal('Xoá: MỪNG ĐẢNG, MỪNG XUÂN');
    remove.click();
    await waitUntil(() => items(el).length === 3);
    expect((focused() as HTMLInputElement).value).to.equal('Chào mừng Quốc khánh 2/9');
    await type(deep<HTMLInputElement>(el, '#title')!, 'Khẩu hiệu tháng 11');
    button(root(el), 'Lưu danh sách').click();
    await waitUntil(() => server.callsTo('/slogans/khau-hieu', 'PUT').length === 1);
    expect(server.callsTo('/slogans/khau-hieu', 'PUT')[0]!.body).to.deep.equal({
      title: 'Khẩu hiệu tháng 11',
      items: [
        { id: 's2', text: 'Chào mừng Quốc khánh 2/9', href: '/quoc-khanh' },
        { id: 's3', text: 'SỐNG, CHIẾN ĐẤU, LAO ĐỘNG VÀ HỌC TẬP THEO GƯƠNG BÁC HỒ VĨ ĐẠI' },
        { text: 'Chào mừng ngày Nhà giáo Việt Nam 20/11' },
      ],
      version: 3,
    });
    await waitUntil(() => live(el) === 'Đã lưu danh sách Khẩu hiệu tháng 11.');
    const saved = server.lists.demo!.slogans[0]!.items as ListItem[];
    expect(saved.map((i) => i.text)).to.deep.equal(texts(el));
    expect(saved[2]!.id).to.match(/^new/);
  });

  it('checks every field before sending: localized errors inline, nothing sent', async () => {
    server.me = ADMIN;
    const el = await open();
    deep<HTMLSelectElement>(el, '#list')!.value = 'links/lien-ket-web';
    deep<HTMLSelectElement>(el, '#list')!.dispatchEvent(new Event('change'));
    await waitUntil(() => texts(el)[0] === 'Cổng Thông tin điện tử Chính phủ');
    const hrefs = () => deepAll<HTMLInputElement>(el, 'ol.items input[id^="href-"]');
    await type(hrefs()[0]!, 'javascript:alert(1)');
    await type(
      deepAll<HTMLInputElement>(el, 'ol.items input[id^="image-"]')[1]!,
      'data:image/png;base64,AAAA',
    );
    button(root(el), 'Thêm liên kết').click();
    await waitUntil(() => items(el).length === 3);
    button(root(el), 'Lưu danh sách').click();
    await waitUntil(() => alertText(el));
    expect(alertText(el)).to.equal('Chưa lưu: còn 4 ô cần sửa.');
    const errorOf = (input: HTMLInputElement) => {
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      return text(root(el).getElementById(input.getAttribute('aria-describedby')!));
    };
    expect(errorOf(hrefs()[0]!)).to.equal(
      'Chỉ dùng địa chỉ http(s), mailto hoặc tel (hoặc đường dẫn trên trang, bắt đầu bằng /).',
    );
    expect(errorOf(deepAll<HTMLInputElement>(el, 'ol.items input[id^="image-"]')[1]!)).to.equal(
      'Ảnh phải là địa chỉ http(s) hoặc đường dẫn trên máy chủ này.',
    );
    expect(errorOf(deepAll<HTMLInputElement>(el, 'ol.items input[id^="text-"]')[2]!)).to.equal(
      'Vui lòng nhập tên liên kết.',
    );
    expect(errorOf(hrefs()[2]!)).to.equal('Vui lòng nhập địa chỉ liên kết.');
    expect(focused()).to.equal(hrefs()[0]);
    expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
    // The unsafe link never reaches the preview's DOM.
    expect(deep(el, 'civic-link-list')!.querySelector('a[href^="javascript"]')).to.equal(null);
  });

  it('shows the field the server refuses, a conflict, and a 403, and keeps the edits', async () => {
    const el = await open();
    server.answerNext('PUT', '/slogans/khau-hieu', {
      status: 400,
      json: {
        error: {
          code: 'invalid_request',
          message: 'Invalid field "items.1.href": item 2 links to an "ftp:" URL',
        },
      },
    });
    button(root(el), 'Lưu danh sách').click();
    await waitUntil(() => alertText(el));
    expect(alertText(el)).to.equal(
      'Không thực hiện được: Invalid field "items.1.href": item 2 links to an "ftp:" URL',
    );
    const second = deepAll<HTMLInputElement>(el, 'ol.items input[id^="href-"]')[1]!;
    expect(second.getAttribute('aria-invalid')).to.equal('true');
    expect(focused()).to.equal(second);

    server.lists.demo!.slogans[0]!.version = 9;
    await type(deepAll<HTMLInputElement>(el, 'ol.items input[id^="text-"]')[0]!, 'Bản của tôi');
    button(root(el), 'Lưu danh sách').click();
    await waitUntil(() => alertText(el).startsWith('Danh sách vừa được người khác sửa'));
    expect(texts(el)[0]).to.equal('Bản của tôi');
    expect(server.lists.demo!.slogans[0]!.items[0]!.text).to.equal('MỪNG ĐẢNG, MỪNG XUÂN');
    button(root(el), 'Tải lại danh sách').click();
    await waitUntil(() => texts(el)[0] === 'MỪNG ĐẢNG, MỪNG XUÂN');

    server.answerNext('PUT', '/slogans/khau-hieu', {
      status: 403,
      json: { error: { code: 'forbidden', message: 'no' } },
    });
    button(root(el), 'Lưu danh sách').click();
    await waitUntil(() => alertText(el));
    expect(alertText(el)).to.equal('Tài khoản của bạn không có quyền với trang web này.');
  });

  it('previews a link list in the variant chosen', async () => {
    const el = await open('en');
    deep<HTMLSelectElement>(el, '#list')!.value = 'links/lien-ket-web';
    deep<HTMLSelectElement>(el, '#list')!.dispatchEvent(new Event('change'));
    await widgetsLoaded();
    await waitUntil(() => deep(el, 'civic-link-list')?.shadowRoot?.querySelector('[part="link"]'));
    const links = () =>
      [...deep(el, 'civic-link-list')!.shadowRoot!.querySelectorAll('[part="link"]')].map((a) =>
        a.getAttribute('href'),
      );
    expect(links()).to.deep.equal(['https://chinhphu.vn/', 'https://dichvucong.gov.vn/']);
    const variant = deep<HTMLSelectElement>(el, '#variant')!;
    variant.value = 'select';
    variant.dispatchEvent(new Event('change'));
    await waitUntil(() => deep(el, 'civic-link-list')!.shadowRoot!.querySelector('select'));
    const optgroup = deep(el, 'civic-link-list')!.shadowRoot!.querySelector('optgroup')!;
    expect(optgroup.label).to.equal('Chính phủ');
    expect(text(deep(el, 'section code'))).to.equal(
      '<civic-link-list source="lien-ket-web" variant="select"></civic-link-list>',
    );
    expect(text(deep(el, 'label[for="variant"]'))).to.equal('Display');
  });

  it('says when a site has no list, and creates one', async () => {
    const el = await open('vi', 'so-y-te');
    expect(text(root(el))).to.contain('Trang web này chưa có danh sách nào.');
    button(root(el), 'Tạo danh sách mới').click();
    await waitUntil(() => deep(el, '#new-id'));
    button(root(el), 'Tạo danh sách').click();
    await el.updateComplete;
    expect(text(deep(el, '#new-id-error'))).to.equal('Vui lòng nhập mã danh sách.');
    await type(deep<HTMLInputElement>(el, '#new-id')!, 'Khẩu Hiệu Tết');
    button(root(el), 'Tạo danh sách').click();
    await el.updateComplete;
    expect(text(deep(el, '#new-id-error'))).to.equal(
      'Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang.',
    );
    expect(server.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    await type(deep<HTMLInputElement>(el, '#new-id')!, 'khau-hieu-tet');
    await type(deep<HTMLInputElement>(el, '#new-title')!, 'Khẩu hiệu Tết');
    button(root(el), 'Tạo danh sách').click();
    await waitUntil(() => deep(el, '#editor-heading'));
    expect(server.callsTo('/admin/sites/so-y-te/slogans', 'POST')[0]!.body).to.deep.equal({
      id: 'khau-hieu-tet',
      title: 'Khẩu hiệu Tết',
      items: [],
    });
    expect(text(root(el))).to.contain('Danh sách chưa có mục nào.');
  });

  it('says why the lists could not be loaded, and retries', async () => {
    server.answerNext('GET', '/slogans', { status: 500 });
    const el = await open();
    expect(text(root(el).querySelector('[role="alert"]'))).to.equal(
      'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
    );
    button(root(el), 'Thử lại').click();
    await waitUntil(() => texts(el).length === 3);
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible with a list and its preview, and with errors', async () => {
        const el = await open();
        await widgetsLoaded();
        await waitUntil(() => marqueeSlogans(el).length === 3);
        await expect(el).to.be.accessible();
        await type(
          deepAll<HTMLInputElement>(el, 'ol.items input[id^="href-"]')[0]!,
          'javascript:x',
        );
        button(root(el), 'Lưu danh sách').click();
        await waitUntil(() => alertText(el));
        await expect(el).to.be.accessible();
      });

      it('is accessible with a link list, when empty, and on a load error', async () => {
        const el = await open('en');
        deep<HTMLSelectElement>(el, '#list')!.value = 'links/lien-ket-web';
        deep<HTMLSelectElement>(el, '#list')!.dispatchEvent(new Event('change'));
        await widgetsLoaded();
        await waitUntil(() => deep(el, 'civic-link-list')?.shadowRoot?.querySelector('a'));
        await expect(el).to.be.accessible();
        const empty = await open('vi', 'so-y-te');
        button(root(empty), 'Tạo danh sách mới').click();
        await expect(empty).to.be.accessible();
        server.answerNext('GET', '/links', { status: 500 });
        const failed = await open();
        await expect(failed).to.be.accessible();
      });
    });
  }
});
