import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CommentSubmitDetail } from '../../src/components/comments/civic-comments.js';
import {
  CivicComments,
  checkField,
  linkify,
} from '../../src/components/comments/civic-comments.js';
import type { CommentPage, PublicComment } from '../../src/shared/comments.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { installMockApi, type ApiAnswer, type ApiCall, type MockApi } from '../helpers/mock-api.js';
import { API, describeColorSchemes, part, SURFACE, text } from '../helpers/widget.js';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const CHALLENGE_ID = 'Q2hhbGxlbmdlSWQxMjM0NQ';
/** A published comment without a title or a reply. */
function published(id: string, name: string, content: string, createdAt: string): PublicComment {
  return { id, name, title: '', content, createdAt };
}
const PAGE: CommentPage = {
  items: [
    {
      id: 'AAAAAAAAAAAAAAA2',
      name: 'Trần Thị B',
      title: 'Về đường sá',
      content: 'Đường ở xã tôi đã xuống cấp.\nXem ảnh: https://anh.example.vn/duong.jpg.',
      createdAt: '2026-11-20T03:04:00.000Z',
      reply: { content: 'Sở Giao thông đã tiếp nhận.', createdAt: '2026-11-21T08:00:00.000Z' },
    },
    published('AAAAAAAAAAAAAAA1', 'Lê C', 'Cảm ơn.', '2026-11-19T01:00:00.000Z'),
  ],
  total: 2,
  next: null,
};

let challenges = 0;
function challenge(): ApiAnswer {
  challenges++;
  return {
    json: {
      mode: 'code+pow',
      id: `${CHALLENGE_ID}${challenges}`,
      image: PNG,
      length: 6,
      expiresAt: new Date(Date.now() + 6e5).toISOString(),
      pow: {
        algorithm: 'SHA-256',
        challenge: 'a'.repeat(64),
        maxnumber: 1000,
        salt: 's',
        signature: 'b'.repeat(64),
      },
    },
  };
}

type Handler = (call: ApiCall) => ApiAnswer | Promise<ApiAnswer> | undefined;
/** Answers the captcha with a fresh challenge, the list with `page`, and posts with `onPost`. */
function api(
  page: CommentPage | ((call: ApiCall) => ApiAnswer) = PAGE,
  onPost: Handler = () => ({ json: { status: 'pending' }, status: 202 }),
): MockApi {
  return installMockApi((call) => {
    if (call.path.endsWith('/captcha')) return challenge();
    if (call.method === 'GET' && call.path.includes('/comments'))
      return typeof page === 'function' ? page(call) : { json: page };
    if (call.method === 'POST' && call.path.includes('/comments')) return onPost(call);
    return undefined;
  });
}

const $ = <T extends Element = HTMLElement>(el: Element, sel: string) =>
  el.shadowRoot!.querySelector<T>(sel);
const $$ = (el: Element, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const input = (el: Element, name: string) => $<HTMLInputElement>(el, `[name="${name}"]`)!;
const captchaOf = (el: Element) =>
  $(el, 'civic-captcha') as HTMLElement & { value: string; reset(): void };
const captchaInput = (el: Element) =>
  captchaOf(el).shadowRoot?.querySelector<HTMLInputElement>('input') ?? null;
const listed = (el: CivicComments) =>
  waitUntil(
    () => part(el, 'heading') && /\(\d+\)/.test(text(part(el, 'heading'))),
    'the list never loaded',
  );
const captchaReady = (el: Element) =>
  waitUntil(() => captchaInput(el) && !captchaInput(el)!.disabled, 'the captcha never loaded');
const liveText = (el: Element) =>
  el.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent ?? '';
/** The focused element, through shadow roots. */
function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** The widget in `lang` on the mocked API, once its captcha (and, unless `no-list`, its list) is ready. */
async function openForm(lang: 'vi' | 'en', noList = false): Promise<CivicComments> {
  const el = await fixture<CivicComments>(
    html`<civic-comments lang=${lang} site="demo" api=${API} ?no-list=${noList}></civic-comments>`,
  );
  if (!noList) await listed(el);
  await captchaReady(el);
  return el;
}

/** Fills the fields (and the captcha code) programmatically, as typing would. */
async function fill(
  el: CivicComments,
  values: Partial<Record<'name' | 'email' | 'title' | 'content' | 'code', string>>,
) {
  for (const [name, value] of Object.entries(values)) {
    const target = name === 'code' ? captchaInput(el)! : input(el, name);
    target.value = value!;
    target.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    target.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
  await el.updateComplete;
}
const VALID = {
  name: 'Nguyễn Văn A',
  email: 'a@example.vn',
  title: 'Góp ý',
  content: 'Nội dung góp ý',
  code: 'ABCDEF',
};

describe('<civic-comments>', () => {
  let mock: MockApi | undefined;
  beforeEach(() => {
    challenges = 0;
  });
  afterEach(() => {
    document.querySelectorAll('civic-comments').forEach((el) => el.remove());
    mock?.restore();
    mock = undefined;
  });

  describe('list', () => {
    it('shows approved comments newest first with the total, dates via Intl and the agency reply (vi)', async () => {
      mock = api();
      const el = await fixture<CivicComments>(
        html`<civic-comments lang="vi" site="demo" api=${API} thread="/tin-tuc/123"></civic-comments>`,
      );
      await listed(el);
      expect(text(part(el, 'heading'))).to.equal('Ý kiến độc giả (2)');
      expect(part(el, 'heading')!.getAttribute('role')).to.equal('heading');
      const items = $$(el, '[part~="item"]');
      expect(items.map((i) => text(i.querySelector('[part~="author"]')))).to.deep.equal([
        'Trần Thị B',
        'Lê C',
      ]);
      expect(text(items[0].querySelector('[part~="item-title"]'))).to.equal('Về đường sá');
      expect(items[1].querySelector('[part~="item-title"]')).to.equal(null, 'no empty title');
      const time = items[0].querySelector('time')!;
      expect(time.getAttribute('datetime')).to.equal('2026-11-20T03:04:00.000Z');
      expect(time.textContent).to.equal(
        new Intl.DateTimeFormat('vi-VN', { dateStyle: 'short', timeStyle: 'short' }).format(
          new Date('2026-11-20T03:04:00.000Z'),
        ),
      );
      const reply = items[0].querySelector('[part~="reply"]')!;
      expect(text(reply.querySelector('[part~="reply-label"]'))).to.match(
        /^Trả lời của cơ quan · /,
      );
      expect(text(reply.querySelector('[part~="content"]'))).to.equal(
        'Sở Giao thông đã tiếp nhận.',
      );
      expect(items[1].querySelector('[part~="reply"]')).to.equal(null);
      // The link, without the sentence's full stop.
      const link = items[0].querySelector('a')!;
      expect(link.getAttribute('href')).to.equal('https://anh.example.vn/duong.jpg');
      expect(link.rel).to.equal('nofollow ugc noopener noreferrer');
      expect(mock.callsTo('/comments', 'GET')[0].url).to.equal(
        `${API}/api/v1/sites/demo/threads/%2Ftin-tuc%2F123/comments`,
      );
      await expect(el).to.be.accessible();
    });

    it('speaks English from the closest [lang], and says when there are no comments', async () => {
      mock = api({ items: [], total: 0, next: null });
      const wrap = await fixture(
        html`<div lang="en"><civic-comments site="demo" api=${API}></civic-comments></div>`,
      );
      const el = wrap.querySelector('civic-comments')!;
      await listed(el);
      expect(text(part(el, 'heading'))).to.equal("Readers' comments (0)");
      expect(text(part(el, 'empty'))).to.equal('No comments yet.');
      expect(text(part(el, 'submit-button'))).to.equal('Send comment');
      expect([...el.shadowRoot!.querySelectorAll('label[part~="label"]')].map(text)).to.deep.equal([
        'Name *',
        'Email *',
        'Title',
        'Content *',
      ]);
      // thread defaults to the page path, sent as one encoded segment
      expect(mock.callsTo('/comments', 'GET')[0].path).to.equal(
        `/api/v1/sites/demo/threads/${encodeURIComponent(location.pathname)}/comments`,
      );
      await expect(el).to.be.accessible();
    });

    it('loads more with the cursor, appends, moves focus to the first new comment and announces it', async () => {
      const more = published('AAAAAAAAAAAAAAA0', 'Cũ', 'Ý kiến cũ', '2026-11-01T00:00:00.000Z');
      mock = api((call) =>
        call.path.includes('cursor=')
          ? { json: { items: [more], total: 3, next: null } }
          : { json: { ...PAGE, total: 3, next: 'Y3Vyc29y' } },
      );
      const el = await fixture<CivicComments>(
        html`<civic-comments lang="vi" site="demo" api=${API} thread="/a"></civic-comments>`,
      );
      await listed(el);
      const button = part(el, 'more-button')!;
      expect(text(button)).to.equal('Xem thêm');
      await expect(el).to.be.accessible();
      button.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => $$(el, '[part~="item"]').length === 3);
      expect(mock.callsTo('cursor=Y3Vyc29y', 'GET')).to.have.length(1);
      expect(part(el, 'more-button')).to.equal(null, 'no more pages');
      await waitUntil(() => deepActive() === $$(el, '[part~="item"]')[2]);
      await waitUntil(() => liveText(el) === 'Đã tải thêm 1 ý kiến.');
      await expect(el).to.be.accessible();
    });

    it('shows a localized error and the fallback when the list cannot load', async () => {
      mock = api(() => ({ html: '<h1>502</h1>', status: 502 }));
      const el = await fixture<CivicComments>(
        html`<civic-comments lang="vi" site="demo" api=${API}><p>Gửi ý kiến qua <a href="mailto:x@example.vn">email</a></p></civic-comments>`,
      );
      await waitUntil(() => text(part(el, 'error-message')), 'no error', { timeout: 8000 });
      expect(text(part(el, 'error-message'))).to.equal(
        'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
      );
      expect(part(el, 'error')!.querySelector('slot')).to.not.equal(null);
      await expect(el).to.be.accessible();
    });

    it('shows only the list with no-form, only the form with no-list (and then loads nothing)', async () => {
      mock = api();
      const listOnly = await fixture<CivicComments>(
        html`<civic-comments site="demo" api=${API} no-form heading-level="2"></civic-comments>`,
      );
      await listed(listOnly);
      expect(part(listOnly, 'form')).to.equal(null);
      expect(part(listOnly, 'heading')!.getAttribute('aria-level')).to.equal('2');
      await expect(listOnly).to.be.accessible();
      const formOnly = await fixture<CivicComments>(
        html`<civic-comments site="demo" api=${API} no-list></civic-comments>`,
      );
      await captchaReady(formOnly);
      expect(part(formOnly, 'list')).to.equal(null);
      expect(mock.callsTo('/comments', 'GET')).to.have.length(1, 'only the list-only widget asked');
      await expect(formOnly).to.be.accessible();
    });
  });

  describe('stored XSS corpus', () => {
    const CORPUS = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '<svg><style><img src=x onerror=alert(1)></style></svg>',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
      '<a href="javascript:alert(1)">bấm</a>',
      '"><iframe srcdoc="<script>alert(1)</script>">',
      'https://ok.example.vn/"><img src=x onerror=alert(1)>',
      '\u202Egnp.exe',
      '{{constructor.constructor("alert(1)")()}} ${alert(1)}',
    ];

    it('renders every string as literal text: no element created, no script run, only http(s) links', async () => {
      const items: PublicComment[] = CORPUS.map((s, i) => ({
        id: `XSSXSSXSSXSSXSS${i.toString(16)}`,
        name: s,
        title: s,
        content: s,
        createdAt: '2026-11-20T03:04:00.000Z',
        reply: { content: s, createdAt: '2026-11-21T03:04:00.000Z' },
      }));
      mock = api({ items, total: items.length, next: null });
      const calls: unknown[] = [];
      const alert = window.alert;
      window.alert = (...args: unknown[]) => void calls.push(args);
      try {
        const el = await fixture<CivicComments>(
          html`<civic-comments lang="vi" site="demo" api=${API} no-form></civic-comments>`,
        );
        await listed(el);
        await aTimeout(300);
        const rendered = $$(el, '[part~="item"]');
        expect(rendered).to.have.length(CORPUS.length);
        rendered.forEach((item, i) => {
          expect(item.querySelector('[part~="author"]')!.textContent).to.equal(CORPUS[i]);
          expect(item.querySelector('[part~="item-title"]')!.textContent).to.equal(CORPUS[i]);
          const contents = [...item.querySelectorAll('[part~="content"]')];
          expect(contents.map((c) => c.textContent)).to.deep.equal([CORPUS[i], CORPUS[i]]);
        });
        const list = part(el, 'list')!;
        expect(
          list.querySelectorAll('script, img, svg, style, iframe, noscript, object, embed'),
        ).to.have.length(0);
        const links = [...list.querySelectorAll('a')];
        expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(
          ['https://ok.example.vn/', 'https://ok.example.vn/'],
          'only the http(s) address, cut at the quote',
        );
        expect(
          [...list.querySelectorAll('*')].every((n) =>
            [...n.attributes].every((a) => !a.name.startsWith('on')),
          ),
        ).to.equal(true);
        expect(
          getComputedStyle(rendered[9].querySelector('[part~="author"]')!).unicodeBidi,
        ).to.equal('isolate');
        expect(calls).to.deep.equal([]);
      } finally {
        window.alert = alert;
      }
    });

    it('linkifies only http(s) URLs, trimming trailing punctuation', () => {
      const parts = linkify(
        'Xem https://a.vn/x?y=1, http://b.vn. Không: javascript:alert(1) ftp://c.vn',
      );
      const urls = parts
        .filter((p) => typeof p !== 'string')
        .map((p) => (p as { values: unknown[] }).values[0]);
      expect(urls).to.deep.equal(['https://a.vn/x?y=1', 'http://b.vn']);
      expect(parts.filter((p) => typeof p === 'string').join('|')).to.equal(
        'Xem |, |. Không: javascript:alert(1) ftp://c.vn',
      );
    });
  });

  describe('form', () => {
    it('has labelled fields, the e-mail hint, a hidden honeypot and the captcha; accessible (vi)', async () => {
      mock = api();
      const el = await openForm('vi');
      expect([...el.shadowRoot!.querySelectorAll('label[part~="label"]')].map(text)).to.deep.equal([
        'Tên *',
        'Email *',
        'Tiêu đề',
        'Nội dung *',
      ]);
      const email = input(el, 'email');
      expect(email.type).to.equal('email');
      expect(email.getAttribute('aria-describedby')).to.equal('email-hint');
      expect(text($(el, '#email-hint'))).to.equal('Không hiển thị công khai.');
      expect(text(part(el, 'counter'))).to.equal('Còn 3.000 ký tự');
      const hp = input(el, 'website');
      expect(hp.tabIndex).to.equal(-1);
      expect(hp.getAttribute('autocomplete')).to.equal('off');
      expect(hp.closest('[aria-hidden="true"]')).to.not.equal(null);
      expect(hp.parentElement!.getBoundingClientRect().width).to.be.at.most(1);
      const captcha = captchaOf(el);
      expect(captcha.getAttribute('name')).to.equal('captcha');
      expect(captcha.getAttribute('action')).to.equal('comment');
      expect(mock.callsTo('/captcha', 'POST')[0].url).to.equal(
        `${API}/api/v1/sites/demo/captcha`,
        'the captcha uses the same site and API',
      );
      await expect(el).to.be.accessible();
    });

    it('validates on the client, in the visitor language, and sends nothing', async () => {
      mock = api();
      const el = await fixture<CivicComments>(
        html`<civic-comments lang="vi" site="demo" api=${API}></civic-comments>`,
      );
      await captchaReady(el);
      part(el, 'submit-button')!.click();
      await waitUntil(() => $$(el, '[part~="field-error"]').length === 4);
      expect($$(el, '[part~="field-error"]').map(text)).to.deep.equal([
        'Vui lòng nhập tên.',
        'Vui lòng nhập email.',
        'Vui lòng nhập nội dung.',
        'Vui lòng nhập mã xác nhận.',
      ]);
      expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('true');
      expect(input(el, 'name').getAttribute('aria-describedby')).to.equal('name-error');
      expect(input(el, 'title').getAttribute('aria-invalid')).to.equal(
        'false',
        'the title is optional',
      );
      await waitUntil(
        () => deepActive() === input(el, 'name'),
        'focus moves to the first field in error',
      );
      await expect(el).to.be.accessible();

      await fill(el, { name: 'A\u0007', email: 'khong-phai-email', title: 'x'.repeat(151) });
      expect(text($(el, '#name-error'))).to.equal('Tên có ký tự không được phép.');
      expect(text($(el, '#email-error'))).to.equal('Email không hợp lệ (ví dụ: ten@example.vn).');
      expect(text($(el, '#title-error'))).to.equal('Tiêu đề quá dài: tối đa 150 ký tự.');
      expect(input(el, 'email').getAttribute('aria-describedby')).to.equal(
        'email-hint email-error',
      );
      await fill(el, { email: 'a@example.vn' });
      expect($(el, '#email-error')).to.equal(null, 'fixed: the error goes');
      await fill(el, { code: 'AB' });
      expect($(el, '#captcha-error')).to.equal(null, 'typing a code clears the captcha message');
      expect(mock.callsTo('/comments', 'POST')).to.have.length(0);
      el.setAttribute('lang', 'en');
      await waitUntil(
        () => text($(el, '#name-error')) === 'Name contains characters that are not allowed.',
        'messages follow a lang change',
      );
      await expect(el).to.be.accessible();
    });

    it('checks lengths in characters like the server (an emoji is one)', () => {
      expect(checkField('name', '😀'.repeat(80))).to.equal(undefined);
      expect(checkField('name', '😀'.repeat(81))).to.deep.equal([
        'commentsTooLong',
        { field: 'name', max: 80 },
      ]);
      expect(checkField('content', 'a\nb\tc')).to.equal(undefined);
      expect(checkField('content', 'a\u0000b')?.[0]).to.equal('commentsBadChars');
      expect(checkField('title', '')).to.equal(undefined);
    });

    it('counts characters and announces the count only when crossing 200, 50 and 0 left', async () => {
      mock = api();
      const el = await fixture<CivicComments>(
        html`<civic-comments lang="en" site="demo" api=${API} no-list></civic-comments>`,
      );
      const said: string[] = [];
      const announce = el.announce.bind(el);
      el.announce = (t: string) => (said.push(t), announce(t));
      const type = (n: number) => fill(el, { content: 'x'.repeat(n) });
      for (const n of [1, 2, 3, 100, 2000, 2799]) await type(n);
      expect(said).to.deep.equal([], 'nothing while far from the limit');
      expect(text(part(el, 'counter'))).to.equal('201 characters left');
      expect(input(el, 'content').getAttribute('aria-describedby')).to.equal('content-count');
      await type(2800);
      await type(2801);
      await type(2900);
      expect(said).to.deep.equal(['200 characters left']);
      await type(2950);
      await type(2960);
      await type(3000);
      await type(3001);
      await type(3005);
      expect(said).to.deep.equal([
        '200 characters left',
        '50 characters left',
        '1 character too many',
      ]);
      expect(text(part(el, 'counter'))).to.equal('5 characters too many');
      expect(part(el, 'counter')!.classList.contains('over')).to.equal(true);
      expect(text($(el, '#content-error'))).to.equal(
        'Content is too long: at most 3,000 characters.',
      );
      expect(input(el, 'content').getAttribute('aria-describedby')).to.equal(
        'content-count content-error',
      );
    });

    it('can be filled and sent entirely by keyboard; says it awaits moderation and resets', async () => {
      let posted: ApiCall | undefined;
      mock = api(PAGE, (call) => ((posted = call), { json: { status: 'pending' }, status: 202 }));
      const wrap = await fixture(
        html`<div><button id="before">before</button><civic-comments lang="vi" site="demo" api=${API} thread="/tin-tuc/123"></civic-comments></div>`,
      );
      const el = wrap.querySelector('civic-comments')!;
      await listed(el);
      await captchaReady(el);
      wrap.querySelector<HTMLButtonElement>('#before')!.focus();
      const order: string[] = [];
      const values: Record<string, string> = {
        name: 'Nguyen Van A',
        email: 'a@example.vn',
        title: 'Gop y',
        content: 'Noi dung',
      };
      for (const name of ['name', 'email', 'title', 'content']) {
        await sendKeys({ press: 'Tab' });
        order.push((deepActive() as HTMLInputElement).name);
        await sendKeys({ type: values[name] });
      }
      expect(order).to.deep.equal(
        ['name', 'email', 'title', 'content'],
        'fields in order; the honeypot is skipped',
      );
      // Into the captcha: Tab until its code input, type the code; then on to the send button.
      for (let i = 0; i < 5 && deepActive() !== captchaInput(el); i++)
        await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(captchaInput(el));
      await sendKeys({ type: 'ABCDEF' });
      await waitUntil(() => captchaOf(el).value);
      for (let i = 0; i < 5 && deepActive() !== part(el, 'submit-button'); i++)
        await sendKeys({ press: 'Tab' });
      expect(deepActive()).to.equal(part(el, 'submit-button'));
      const submitted = oneEvent(el, 'civic-comment-submit');
      await sendKeys({ press: 'Enter' });
      const event = (await submitted) as CustomEvent<CommentSubmitDetail>;
      expect(event.detail).to.deep.equal({ status: 'pending' });
      expect(posted!.url).to.equal(`${API}/api/v1/sites/demo/threads/%2Ftin-tuc%2F123/comments`);
      expect(posted!.headers['content-type']).to.equal('application/json');
      expect(posted!.body).to.deep.equal({
        ...values,
        captcha: `c1.${CHALLENGE_ID}1.ABCDEF`,
        website: '',
      });
      await waitUntil(() => text(part(el, 'notice')) === 'Ý kiến của bạn đang chờ kiểm duyệt.');
      await waitUntil(() => liveText(el) === 'Ý kiến của bạn đang chờ kiểm duyệt.', 'announced');
      expect(input(el, 'name').value).to.equal('', 'the form is reset');
      await waitUntil(
        () => mock!.callsTo('/captcha').length === 2,
        'a fresh captcha for the next comment',
      );
      expect(text(part(el, 'heading'))).to.equal(
        'Ý kiến độc giả (2)',
        'pending comments are not listed',
      );
      await captchaReady(el);
      await expect(el).to.be.accessible();
    });

    it('shows an auto-approved comment at the top at once (201)', async () => {
      const comment = published('NEWNEWNEWNEWNEW1', 'Mới', 'Đăng ngay', new Date().toISOString());
      mock = api(PAGE, () => ({ json: { status: 'approved', comment }, status: 201 }));
      const el = await openForm('en');
      await fill(el, VALID);
      part(el, 'submit-button')!.click();
      await waitUntil(() => text(part(el, 'notice')) === 'Your comment has been published.');
      expect(text(part(el, 'heading'))).to.equal("Readers' comments (3)");
      expect(text($$(el, '[part~="item"]')[0].querySelector('[part~="content"]'))).to.equal(
        'Đăng ngay',
      );
      await expect(el).to.be.accessible();
    });

    it('maps server field errors back onto the fields', async () => {
      const answers: ApiAnswer[] = [
        {
          json: {
            error: {
              code: 'invalid_email',
              message: 'Invalid field "email": is not an e-mail address',
            },
          },
          status: 400,
        },
        {
          json: {
            error: {
              code: 'invalid_name',
              message: 'Invalid field "name": contains control characters',
            },
          },
          status: 400,
        },
      ];
      mock = api(PAGE, () => answers.shift());
      const el = await openForm('vi', true);
      await fill(el, { ...VALID, email: 'a@b.c' });
      part(el, 'submit-button')!.click();
      await waitUntil(() => $(el, '#email-error'));
      // The client found the address plausible: the server's reason, in the visitor's words.
      expect(text($(el, '#email-error'))).to.equal('Email không hợp lệ.');
      await waitUntil(() => deepActive() === input(el, 'email'));
      await expect(el).to.be.accessible();
      part(el, 'submit-button')!.click();
      await waitUntil(() => $(el, '#name-error'));
      expect(text($(el, '#name-error'))).to.equal('Tên không hợp lệ.');
      expect($(el, '#email-error')).to.equal(null);
    });

    for (const [code, message] of [
      ['captcha_invalid', 'Mã xác nhận không đúng. Vui lòng nhập mã mới.'],
      ['captcha_used', 'Mã xác nhận đã hết hạn hoặc đã được dùng. Vui lòng nhập mã mới.'],
      ['captcha_expired', 'Mã xác nhận đã hết hạn hoặc đã được dùng. Vui lòng nhập mã mới.'],
      ['captcha_mismatch', 'Mã xác nhận đã hết hạn hoặc đã được dùng. Vui lòng nhập mã mới.'],
    ]) {
      it(`on ${code}: a new captcha, the reason next to it, announced`, async () => {
        mock = api(PAGE, () => ({ json: { error: { code, message: 'x' } }, status: 400 }));
        const el = await openForm('vi', true);
        await fill(el, VALID);
        const resets: number[] = [];
        const captcha = captchaOf(el);
        const reset = captcha.reset.bind(captcha);
        captcha.reset = () => (resets.push(1), reset());
        part(el, 'submit-button')!.click();
        await waitUntil(() => $(el, '#captcha-error'));
        expect(text($(el, '#captcha-error'))).to.equal(message);
        expect(resets).to.have.length(1);
        await waitUntil(() => mock!.callsTo('/captcha').length === 2);
        await waitUntil(() => liveText(el) === message);
        expect(input(el, 'content').value).to.equal(VALID.content, 'what the visitor wrote stays');
        await captchaReady(el);
        await expect(el).to.be.accessible();
      });
    }

    for (const [name, answer, message] of [
      [
        'banned',
        { json: { error: { code: 'banned', message: 'x' } }, status: 403 },
        'Không thể gửi ý kiến từ mạng của bạn tới trang này.',
      ],
      [
        'honeypot',
        { json: { error: { code: 'spam_detected', message: 'x' } }, status: 400 },
        'Không gửi được ý kiến. Vui lòng tải lại trang rồi thử lại.',
      ],
      [
        'rate limited',
        {
          json: { error: { code: 'rate_limited', message: 'x' } },
          status: 429,
          headers: { 'Retry-After': '40' },
        },
        'Quá nhiều yêu cầu. Thử lại sau 40 giây.',
      ],
      ['offline', 'network-error', 'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.'],
    ] as Array<[string, ApiAnswer, string]>) {
      it(`when ${name}: a form-level message, the form stays usable`, async () => {
        mock = api(PAGE, () => answer);
        const el = await openForm('vi');
        await fill(el, VALID);
        part(el, 'submit-button')!.click();
        await waitUntil(() => text(part(el, 'form-error')));
        expect(text(part(el, 'form-error'))).to.equal(message);
        await waitUntil(() => liveText(el) === message);
        expect(part(el, 'form')!.closest('[hidden]')).to.equal(null);
        expect(mock.callsTo('/comments', 'POST')).to.have.length(1, 'a post is never retried');
        await expect(el).to.be.accessible();
      });
    }
  });

  describeColorSchemes((scheme) => {
    it('is accessible while loading, loaded, and with errors, in the scheme colours', async () => {
      mock = installMockApi(() => 'hang');
      const loading = await fixture<CivicComments>(
        html`<civic-comments lang="vi" site="demo" api=${API}></civic-comments>`,
      );
      expect(text(part(loading, 'heading'))).to.equal('Đang tải…');
      await expect(loading).to.be.accessible();
      mock.restore();
      mock = api();
      const el = await openForm('en');
      expect(getComputedStyle(part(el, 'form')!).backgroundColor).to.equal(SURFACE[scheme]);
      await expect(el).to.be.accessible();
      part(el, 'submit-button')!.click();
      await waitUntil(() => $$(el, '[part~="field-error"]').length);
      await expect(el).to.be.accessible();
    });
  });
});
