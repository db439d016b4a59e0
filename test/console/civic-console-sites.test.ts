import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/console/civic-console-sites.js';
import type { CivicConsoleSites } from '../../src/console/civic-console-sites.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, EDITOR } from './fake-admin-api.js';
import { FakeListsSitesApi } from './fake-lists-sites.js';
import { deep, deepAll, focused, text, useColorScheme } from './utils.js';

async function open(role = 'admin', site = 'demo', lang = 'vi'): Promise<CivicConsoleSites> {
  const el = await fixture<CivicConsoleSites>(
    html`<civic-console-sites
      lang=${lang}
      site=${site}
      ?admin=${role === 'admin'}
    ></civic-console-sites>`,
  );
  await waitUntil(() => !el.shadowRoot!.querySelector('[aria-busy="true"]'), 'still loading');
  return el;
}

const root = (el: Element) => el.shadowRoot!;
const button = (scope: ParentNode, label: string) =>
  [...scope.querySelectorAll('button')].find((b) => text(b) === label)!;
const live = (el: Element) => text(root(el).querySelector('[role="status"]'));
const origins = (el: Element) => deepAll(el, 'ul.origins code').map(text);
const input = (el: Element, id: string) => deep<HTMLInputElement>(el, `#${id}`)!;
const errorOf = (el: Element, field: HTMLElement) =>
  text(
    root(el).getElementById(
      field
        .getAttribute('aria-describedby')!
        .split(' ')
        .find((id) => id.endsWith('-error'))!,
    ),
  );

async function type(field: HTMLInputElement, value: string): Promise<void> {
  field.focus();
  field.select();
  await sendKeys({ type: value });
}

describe('<civic-console-sites>', () => {
  let server: FakeListsSitesApi;
  let copied: string[];
  beforeEach(() => {
    server = new FakeListsSitesApi();
    server.me = ADMIN;
    copied = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (t: string) => void copied.push(t) },
    });
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-sites').forEach((el) => el.remove());
    server.restore();
    delete (navigator as { clipboard?: unknown }).clipboard;
    await useColorScheme('light');
  });

  it("shows the site's settings and a ready-to-paste snippet for every widget, each with a copy button", async () => {
    const el = await open();
    expect(input(el, 'name').value).to.equal('Cổng thông tin tỉnh');
    expect(deep<HTMLSelectElement>(el, '#time-zone')!.value).to.equal('Asia/Ho_Chi_Minh');
    expect(input(el, 'offset').value).to.equal('414428');
    expect(input(el, 'offset').readOnly).to.equal(false);
    expect(origins(el)).to.deep.equal(['https://tinh.example.gov.vn', 'http://localhost:8080']);
    const snippets = deepAll(el, 'pre').map(text);
    expect(snippets).to.deep.equal([
      '<script type="module" src="https://widgets.example.gov.vn/civic.js" integrity="sha384-loader" crossorigin="anonymous" data-site="demo"></script>',
      '<script src="https://widgets.example.gov.vn/civic.iife.js" integrity="sha384-legacy" crossorigin="anonymous" data-site="demo"></script>',
      '<civic-visit-counter></civic-visit-counter>',
      '<civic-marquee source="khau-hieu"></civic-marquee>',
      '<civic-link-list source="lien-ket-web"></civic-link-list>',
      '<civic-poll poll-id="danh-gia"></civic-poll>',
      '<civic-poll poll-id="cu"></civic-poll>',
      '<civic-comments></civic-comments>',
      '<civic-captcha name="captcha" required></civic-captcha>',
    ]);
    const copy = root(el).querySelector<HTMLButtonElement>(
      'button[aria-label="Chép mã: Khẩu hiệu chạy: khau-hieu"]',
    )!;
    copy.click();
    await waitUntil(() => copied.length === 1);
    expect(copied).to.deep.equal(['<civic-marquee source="khau-hieu"></civic-marquee>']);
    await waitUntil(() => live(el) === 'Đã chép.');
    button(root(el), 'Chép').click();
    await waitUntil(() => copied.length === 2);
    expect(copied[1]).to.equal(snippets[0]);
  });

  it('selects the snippet for the person to copy when the browser refuses', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
    const el = await open();
    button(root(el), 'Chép').click();
    await waitUntil(
      () => live(el) === 'Không chép tự động được. Mã đã được chọn, hãy nhấn Ctrl+C.',
    );
    expect(String(getSelection())).to.equal(deepAll(el, 'pre').map(text)[0]);
  });

  it('adds and removes exact origins, and saves the settings (audited by the server)', async () => {
    const el = await open();
    const origin = input(el, 'new-origin');
    for (const [value, message] of [
      ['', 'Vui lòng nhập một nguồn, ví dụ https://soyte.example.gov.vn.'],
      [
        'https://moi.example.gov.vn/trang-chu',
        'Nguồn phải là http(s)://tên-miền[:cổng], không có đường dẫn, ví dụ https://soyte.example.gov.vn.',
      ],
      [
        'javascript:alert(1)',
        'Nguồn phải là http(s)://tên-miền[:cổng], không có đường dẫn, ví dụ https://soyte.example.gov.vn.',
      ],
      ['HTTPS://Tinh.Example.gov.vn/', 'https://tinh.example.gov.vn đã có trong danh sách.'],
    ]) {
      await type(origin, value || ' ');
      if (!value) origin.value = '';
      button(root(el), 'Thêm').click();
      await el.updateComplete;
      expect(errorOf(el, origin), value).to.equal(message);
      expect(origin.getAttribute('aria-invalid')).to.equal('true');
    }
    expect(origins(el)).to.have.length(2);
    await type(origin, 'HTTPS://Moi.Example.gov.vn:8443/');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => origins(el).length === 3);
    expect(origins(el)[2]).to.equal('https://moi.example.gov.vn:8443');
    expect(origin.value).to.equal('');
    expect(origin.getAttribute('aria-invalid')).to.equal('false');
    expect(focused()).to.equal(origin);
    root(el)
      .querySelector<HTMLButtonElement>('button[aria-label="Xoá nguồn http://localhost:8080"]')!
      .click();
    await waitUntil(() => origins(el).length === 2);
    expect(focused()).to.equal(origin);
    expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);

    await type(input(el, 'name'), 'Cổng thông tin điện tử tỉnh');
    await type(input(el, 'offset'), '500000');
    const renamed = oneEvent(el, 'civic-site-rename');
    button(root(el), 'Lưu thông tin').click();
    await waitUntil(() => server.callsTo('/admin/sites/demo', 'PUT').length === 1);
    expect(server.callsTo('/admin/sites/demo', 'PUT')[0]!.body).to.deep.equal({
      name: 'Cổng thông tin điện tử tỉnh',
      origins: ['https://tinh.example.gov.vn', 'https://moi.example.gov.vn:8443'],
      legacyOffset: 500000,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect((await renamed).detail).to.deep.equal({
      id: 'demo',
      name: 'Cổng thông tin điện tử tỉnh',
    });
    await waitUntil(() => live(el) === 'Đã lưu thông tin trang web.');
    expect(server.settings.demo!.legacyOffset).to.equal(500000);
  });

  it('checks the name and the offset before sending', async () => {
    const el = await open();
    await type(input(el, 'name'), ' ');
    await type(input(el, 'offset'), '12,5');
    button(root(el), 'Lưu thông tin').click();
    await el.updateComplete;
    expect(text(root(el).querySelector('form [role="alert"]'))).to.equal(
      'Chưa lưu: còn 2 ô cần sửa.',
    );
    expect(errorOf(el, input(el, 'name'))).to.equal('Vui lòng nhập tên trang web.');
    expect(errorOf(el, input(el, 'offset'))).to.equal(
      'Nhập một số nguyên từ 0 đến 1.000.000.000.000.',
    );
    expect(focused()).to.equal(input(el, 'name'));
    expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
  });

  it('lets an editor rename the site but not change its origins or offset', async () => {
    server.me = EDITOR;
    const el = await open('editor', 'so-y-te');
    expect(deep(el, '#new-origin')).to.equal(null);
    expect(root(el).querySelector('ul.origins button')).to.equal(null);
    expect(input(el, 'offset').readOnly).to.equal(true);
    expect(text(deep(el, '#offset-hint'))).to.contain('Chỉ quản trị viên thay đổi được.');
    await type(input(el, 'name'), 'Sở Y tế tỉnh');
    button(root(el), 'Lưu thông tin').click();
    await waitUntil(() => live(el) === 'Đã lưu thông tin trang web.');
    expect(server.callsTo('/admin/sites/so-y-te', 'PUT')[0]!.body).to.deep.equal({
      name: 'Sở Y tế tỉnh',
      origins: ['https://soyte.example.gov.vn'],
      legacyOffset: 0,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    server.answerNext('PUT', '/admin/sites/so-y-te', {
      status: 403,
      json: { error: { code: 'forbidden', message: 'no' } },
    });
    button(root(el), 'Lưu thông tin').click();
    await waitUntil(() => text(root(el).querySelector('form [role="alert"]')));
    expect(text(root(el).querySelector('form [role="alert"]'))).to.equal(
      'Tài khoản của bạn không có quyền với trang web này.',
    );
  });

  it('changes the captcha mode, shows the secret and makes a new one after a confirmation', async () => {
    const el = await open();
    expect(deep<HTMLInputElement>(el, '#mode-code\\+pow')!.checked).to.equal(true);
    deep<HTMLInputElement>(el, '#mode-code')!.click();
    button(root(el), 'Lưu cách xác minh').click();
    await waitUntil(() => live(el) === 'Đã lưu cách xác minh.');
    expect(server.callsTo('/captcha', 'PUT')[0]!.body).to.deep.equal({ mode: 'code' });
    expect(server.captchaModes.demo).to.equal('code');

    expect(deep(el, '#secret')).to.equal(null);
    button(root(el), 'Hiện khoá').click();
    await waitUntil(() => deep(el, '#secret'));
    expect(input(el, 'secret').value).to.equal('bi-mat-demo-0001');
    root(el).querySelector<HTMLButtonElement>('button[aria-label="Chép khoá bí mật"]')!.click();
    await waitUntil(() => copied.length === 1);
    expect(copied[0]).to.equal('bi-mat-demo-0001');

    button(root(el), 'Tạo khoá mới').click();
    await waitUntil(() => focused()?.id === 'confirm-rotate');
    expect(text(deep(el, '#rotate-warning'))).to.equal(
      'Khoá cũ ngừng hoạt động ngay. Tạo khoá mới?',
    );
    button(root(el), 'Huỷ').click();
    await waitUntil(() => focused()?.id === 'rotate');
    expect(server.callsTo('/secret', 'POST')).to.have.length(0);
    button(root(el), 'Tạo khoá mới').click();
    await waitUntil(() => deep(el, '#confirm-rotate'));
    deep<HTMLButtonElement>(el, '#confirm-rotate')!.click();
    await waitUntil(() => input(el, 'secret').value.startsWith('bi-mat-moi-'));
    expect(server.callsTo('/secret', 'POST')).to.have.length(1);
    expect(input(el, 'secret').value).to.equal(server.secrets.demo);
    await waitUntil(() => live(el) === 'Đã tạo khoá mới; khoá cũ không còn dùng được.');
  });

  it('says why the settings could not be loaded, and retries; speaks English', async () => {
    server.answerNext('GET', '/embed', { status: 500 });
    const el = await open('admin', 'demo', 'en');
    expect(text(root(el).querySelector('[role="alert"]'))).to.equal(
      'The server has a problem. Please try again later.',
    );
    button(root(el), 'Try again').click();
    await waitUntil(() => deep(el, '#name'));
    expect(text(deep(el, '#settings-heading'))).to.equal('Site settings');
    expect(text(deep(el, 'label[for="new-origin"]'))).to.equal('Add an origin');
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible with the settings, errors, the secret and the confirmation', async () => {
        const el = await open();
        await expect(el).to.be.accessible();
        await type(input(el, 'name'), ' ');
        button(root(el), 'Lưu thông tin').click();
        await type(input(el, 'new-origin'), 'ftp://x');
        button(root(el), 'Thêm').click();
        button(root(el), 'Hiện khoá').click();
        await waitUntil(() => deep(el, '#secret'));
        button(root(el), 'Tạo khoá mới').click();
        await waitUntil(() => deep(el, '#confirm-rotate'));
        await expect(el).to.be.accessible();
      });

      it("is accessible in an editor's view and on a load error", async () => {
        server.me = EDITOR;
        const el = await open('editor', 'so-y-te', 'en');
        await expect(el).to.be.accessible();
        server.answerNext('GET', '/captcha', { status: 500 });
        const failed = await open('editor', 'so-y-te');
        await expect(failed).to.be.accessible();
      });
    });
  }
});
