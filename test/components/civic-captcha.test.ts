import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import type { CivicErrorDetail } from '../../src/client/civic-element.js';
import {
  CivicCaptcha,
  type CaptchaVerifyDetail,
} from '../../src/components/captcha/civic-captcha.js';
import type { CaptchaChallenge, PowChallenge } from '../../src/shared/captcha-types.js';
import { describe, it } from '../helpers/mocha.js';
import { catchUncaught, deferred } from '../helpers/mock-fetch.js';
import { API, part, useMockFetch } from '../helpers/widget.js';
import './captcha-pow.tests.js';

/** A 1 × 1 PNG: the widget shows whatever image the server drew. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC';
const HMAC_KEY = 'test-key';

let n = 0;
/** A challenge as the server sends it; `pow` is a real ALTCHA challenge (small, so it solves fast). */
async function challenge(
  overrides: Partial<CaptchaChallenge> = {},
  maxnumber = 3000,
): Promise<CaptchaChallenge> {
  n++;
  const pow = (await createChallenge({
    hmacKey: HMAC_KEY,
    maxnumber,
    expires: new Date(Date.now() + 600_000),
    params: { site: 'demo', action: 'comment' },
  })) as PowChallenge;
  return {
    mode: 'code+pow',
    id: `challenge${String(n).padStart(13, '0')}`,
    image: PNG,
    length: 5,
    pow,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    ...overrides,
  };
}

const input = (el: CivicCaptcha) => part(el, 'input') as HTMLInputElement;
const text = (el: CivicCaptcha, name: string) => part(el, name)?.textContent?.trim() ?? '';
const shown = (el: CivicCaptcha) =>
  waitUntil(() => part(el, 'image')?.tagName === 'IMG', 'the code image never showed');
const status = (el: CivicCaptcha) => (part(el, 'status')?.hidden ? '' : text(el, 'status'));
const live = (el: CivicCaptcha) => el.shadowRoot!.querySelector('[aria-live]')!.textContent ?? '';
const active = (el: CivicCaptcha) => el.shadowRoot!.activeElement as HTMLElement | null;
function type(el: CivicCaptcha, value: string) {
  const i = input(el);
  i.value = value;
  i.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}
/** Decodes a `p1.` token and checks it with altcha-lib, as the server does. */
async function powValid(token: string): Promise<boolean> {
  expect(token.startsWith('p1.')).to.equal(true);
  const json = atob(token.slice(3).replace(/-/g, '+').replace(/_/g, '/'));
  return verifySolution(JSON.parse(json), HMAC_KEY);
}

describe('<civic-captcha>', () => {
  const mock = useMockFetch('civic-captcha');

  describe('code', () => {
    it('is accessible while loading and with the code shown (vi)', async () => {
      const gate = deferred<{ json: unknown }>();
      mock.queue({ wait: gate.promise });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha lang="vi" site="demo" api=${API}></civic-captcha>`,
      );
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
      expect(input(el).disabled).to.equal(true);
      await expect(el).to.be.accessible();

      gate.resolve({ json: await challenge() });
      await shown(el);
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('false');
      expect(part(el, 'image')!.getAttribute('alt')).to.equal('Mã xác nhận');
      expect(text(el, 'refresh-button')).to.equal('Đổi mã khác');
      expect(text(el, 'label')).to.equal('Mã code');
      expect(text(el, 'pow-button')).to.equal('Không đọc được mã?');
      const i = input(el);
      expect([
        i.getAttribute('autocomplete'),
        i.getAttribute('autocapitalize'),
        i.getAttribute('spellcheck'),
      ]).to.deep.equal(['off', 'characters', 'false']);
      expect(i.labels?.[0]?.textContent?.trim()).to.equal('Mã code');
      await expect(el).to.be.accessible();
    });

    it('speaks English from the closest [lang]', async () => {
      mock.queue({ json: await challenge() });
      const wrap = await fixture(
        html`<div lang="en-GB"><civic-captcha site="demo" api=${API}></civic-captcha></div>`,
      );
      const el = wrap.querySelector('civic-captcha')!;
      await shown(el);
      expect(part(el, 'image')!.getAttribute('alt')).to.equal('Verification code image');
      expect([text(el, 'refresh-button'), text(el, 'label'), text(el, 'pow-button')]).to.deep.equal(
        ['New code', 'Code', "Can't read the code?"],
      );
      await expect(el).to.be.accessible();
    });

    it('POSTs {action} to the site and api from its attributes', async () => {
      mock.queue({ json: await challenge() });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha site="so-y-te" api="https://w.example.test/" action="contact"></civic-captcha>`,
      );
      await shown(el);
      expect(mock.calls[0].url).to.equal('https://w.example.test/api/v1/sites/so-y-te/captcha');
      expect(mock.calls[0].method).to.equal('POST');
      expect(mock.calls[0].body).to.deep.equal({ action: 'contact' });
    });

    it('has a token once the whole code is typed, and fires civic-captcha-verify once', async () => {
      const c = await challenge();
      mock.queue({ json: c });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha site="demo" api=${API}></civic-captcha>`,
      );
      await shown(el);
      const events: CaptchaVerifyDetail[] = [];
      el.addEventListener('civic-captcha-verify', (e) => events.push(e.detail));
      type(el, 'ab3');
      expect(el.value).to.equal('');
      type(el, 'ab3 k9');
      expect(el.value).to.equal(`c1.${c.id}.ab3 k9`);
      expect(events).to.deep.equal([{ token: `c1.${c.id}.ab3 k9`, method: 'code' }]);
      type(el, 'ab3k');
      expect(el.value).to.equal('', 'shortened again: no token');
    });

    it('gets a new code with the refresh button, by keyboard, and says so', async () => {
      mock.queue({ json: await challenge() });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha lang="vi" site="demo" api=${API}></civic-captcha>`,
      );
      await shown(el);
      const second = await challenge({ image: PNG.replace('AAAAA', 'AAAAB') });
      mock.queue({ json: second });
      type(el, 'XXXXX');
      part(el, 'refresh-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => mock.calls.length === 2);
      await waitUntil(() => (part(el, 'image') as HTMLImageElement).src === second.image);
      expect(input(el).value).to.equal('');
      expect(el.value).to.equal('');
      expect(active(el)).to.equal(part(el, 'refresh-button'), 'focus stays on the button');
      await waitUntil(() => live(el) === 'Đã tải mã mới.');
    });

    it('can be filled and used by keyboard alone', async () => {
      const c = await challenge();
      mock.queue({ json: c });
      const form = await fixture<HTMLFormElement>(html`<form>
        <label>Tên <input name="ten" /></label>
        <civic-captcha name="captcha" lang="vi" site="demo" api=${API}></civic-captcha>
        <button>Gửi</button>
      </form>`);
      const el = form.querySelector('civic-captcha')!;
      await shown(el);
      form.querySelector<HTMLInputElement>('[name=ten]')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(active(el)).to.equal(part(el, 'refresh-button'));
      await sendKeys({ press: 'Tab' });
      expect(active(el)).to.equal(input(el));
      await sendKeys({ type: 'hk7p3' });
      expect(el.value).to.equal(`c1.${c.id}.hk7p3`);
      await sendKeys({ press: 'Tab' });
      expect(active(el)).to.equal(part(el, 'pow-button'));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => el.value.startsWith('p1.'), 'the proof of work never finished');
      expect(await powValid(el.value)).to.equal(true);
      expect(el.shadowRoot!.activeElement ?? document.activeElement).to.not.equal(
        document.body,
        'focus is not lost',
      );
    });
  });

  describe('in a plain host <form>', () => {
    it('submits its token under its name and blocks the form while required and empty', async () => {
      const c = await challenge();
      mock.queue({ json: c });
      const form = await fixture<HTMLFormElement>(html`<form action="/contact" method="post">
        <input name="title" value="Góp ý" />
        <civic-captcha name="captcha" required lang="vi" site="demo" api=${API}></civic-captcha>
        <button>Gửi</button>
      </form>`);
      const el = form.querySelector('civic-captcha')!;
      await shown(el);
      expect(form.checkValidity()).to.equal(false);
      expect(el.matches(':invalid')).to.equal(true);
      expect(el.validationMessage).to.equal('Vui lòng nhập mã xác nhận.');
      expect(new FormData(form).get('captcha')).to.equal('');

      type(el, 'HK7P3');
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(true);
      let submitted: FormData | undefined;
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        submitted = new FormData(form);
      });
      form.requestSubmit();
      expect(submitted?.get('captcha')).to.equal(`c1.${c.id}.HK7P3`);
      expect(submitted?.get('title')).to.equal('Góp ý');
    });

    it('takes a new challenge on form reset, and reset() does the same for the host', async () => {
      mock.queue({ json: await challenge() });
      const form = await fixture<HTMLFormElement>(
        html`<form><civic-captcha name="captcha" site="demo" api=${API}></civic-captcha></form>`,
      );
      const el = form.querySelector('civic-captcha')!;
      await shown(el);
      type(el, 'HK7P3');
      expect(el.value).to.not.equal('');
      const next = await challenge();
      mock.queue({ json: next });
      form.reset();
      await waitUntil(() => mock.calls.length === 2);
      expect(el.value).to.equal('');
      expect(new FormData(form).get('captcha')).to.equal('');
      mock.queue({ json: await challenge() });
      el.reset();
      await waitUntil(() => mock.calls.length === 3);
    });
  });

  describe('proof of work', () => {
    it('switches on request, says it is working and how long it took; accessible throughout', async function () {
      this.timeout(30_000);
      // An unsolvable challenge keeps it in the "solving" state for as long as we look.
      const hard = await challenge({}, 5_000_000);
      mock.queue({ json: { ...hard, pow: { ...hard.pow!, challenge: '0'.repeat(64) } } });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha lang="vi" site="demo" api=${API}></civic-captcha>`,
      );
      await shown(el);
      part(el, 'pow-button')!.click();
      await waitUntil(() => status(el).startsWith('Đang xác minh…'));
      expect(part(el, 'image')).to.equal(null, 'the image is gone');
      expect(part(el, 'input')).to.equal(null);
      await waitUntil(
        () => /^Đang xác minh… \(khoảng \d+ giây\)$/.test(status(el)),
        'no estimate shown',
      );
      await waitUntil(() => live(el) === status(el), 'the estimate is announced');
      await expect(el).to.be.accessible();

      // The host asks for a fresh challenge (e.g. the server refused): it solves that one.
      mock.queue({ json: await challenge() });
      const verified = oneEvent(el, 'civic-captcha-verify');
      el.reset();
      const { detail } = await verified;
      expect(detail.method).to.equal('pow');
      expect(detail.token).to.equal(el.value);
      expect(await powValid(el.value)).to.equal(true);
      expect(status(el)).to.match(/^Đã xác minh \(mất \d+(,\d)? giây\)\.$/);
      await waitUntil(() => live(el) === status(el));
      await expect(el).to.be.accessible();
    });

    it('solves at once without an image when the site is in pow mode (en)', async () => {
      mock.queue({ json: await challenge({ mode: 'pow', id: null, image: null, length: null }) });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha lang="en" site="demo" api=${API}></civic-captcha>`,
      );
      await waitUntil(() => el.value.startsWith('p1.'));
      expect(part(el, 'image')).to.equal(null);
      expect(part(el, 'input')).to.equal(null);
      expect(part(el, 'pow-button')).to.equal(null);
      expect(status(el)).to.match(/^Verified \(took \d+(\.\d)? s\)\.$/);
      expect(await powValid(el.value)).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('offers no proof of work in code-only mode', async () => {
      mock.queue({ json: await challenge({ mode: 'code', pow: null }) });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha site="demo" api=${API}></civic-captcha>`,
      );
      await shown(el);
      expect(part(el, 'pow-button')).to.equal(null);
    });

    it('solves with the plain-JS SHA-256 where crypto.subtle is missing (plain-HTTP pages)', async () => {
      mock.queue({ json: await challenge({ mode: 'pow', id: null, image: null, length: null }) });
      Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });
      try {
        expect(crypto.subtle).to.equal(undefined);
        const el = await fixture<CivicCaptcha>(
          html`<civic-captcha site="demo" api=${API}></civic-captcha>`,
        );
        await waitUntil(() => el.value.startsWith('p1.'));
      } finally {
        delete (crypto as { subtle?: unknown }).subtle;
      }
      expect(crypto.subtle).to.not.equal(undefined);
      const el = document.querySelector('civic-captcha')!;
      expect(await powValid(el.value)).to.equal(true);
    });
  });

  describe('failures', () => {
    it('shows a localized error and the fallback, accessible, without throwing into the page', async () => {
      const uncaught = catchUncaught();
      mock.queue('network-error');
      const errors: CivicErrorDetail[] = [];
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha lang="vi" site="demo" api=${API} @civic-error=${(e: CustomEvent<CivicErrorDetail>) => errors.push(e.detail)}
          ><a href="/lien-he">Gửi qua trang liên hệ</a></civic-captcha
        >`,
      );
      await waitUntil(() => errors.length === 1);
      expect(errors[0]!.code).to.equal('network');
      expect(text(el, 'error-message')).to.equal(
        'Không thể kết nối tới máy chủ. Vui lòng kiểm tra mạng.',
      );
      expect(el.shadowRoot!.querySelector('slot')!.assignedElements()[0]?.textContent).to.equal(
        'Gửi qua trang liên hệ',
      );
      await expect(el).to.be.accessible();
      uncaught.stop();
      expect(uncaught.errors).to.deep.equal([]);

      // reset() recovers once the server answers again.
      mock.queue({ json: await challenge() });
      el.reset();
      await shown(el);
      expect(part(el, 'error')!.hidden).to.equal(true);
    });

    it('refuses a response that is not a challenge', async () => {
      mock.queue({ json: { id: 5 } });
      const el = await fixture<CivicCaptcha>(
        html`<civic-captcha lang="en" site="demo" api=${API}></civic-captcha>`,
      );
      await waitUntil(() => text(el, 'error-message'));
      expect(text(el, 'error-message')).to.equal('The server sent an invalid response.');
    });
  });
});
