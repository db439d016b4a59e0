import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/console/civic-console.js';
import type { CivicConsole } from '../../src/console/civic-console.js';
import { beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, EDITOR, FakeAdminApi, PASSWORD } from './fake-admin-api.js';
import {
  deep,
  deepAll,
  focused,
  found,
  openConsole,
  text,
  useColorScheme,
  useConsoleShell,
} from './utils.js';

const LOGIN = 'civic-console-login';

const open = openConsole;

async function signIn(el: CivicConsole, email: string, password: string): Promise<void> {
  const login = await found(el, LOGIN);
  await (login as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  deep<HTMLInputElement>(login, '#email')!.value = email;
  deep<HTMLInputElement>(login, '#password')!.value = password;
  deep<HTMLButtonElement>(login, 'button[type="submit"]')!.click();
}

const alertText = (el: CivicConsole) => text(deep(el, LOGIN, '[role="alert"]'));
const heading = (el: CivicConsole) => text(deep(el, 'h1'));
const navLinks = (el: CivicConsole) => deepAll<HTMLAnchorElement>(el, 'nav a');

describe('<civic-console>', () => {
  let server: FakeAdminApi;
  useConsoleShell(() => (server = new FakeAdminApi()));

  describe('signing in', () => {
    it('shows the sign-in form when there is no session', async () => {
      const el = await open();
      expect(server.callsTo('/auth/me')).to.have.length(1);
      const login = deep(el, LOGIN)!;
      expect(text(deep(login, 'h1'))).to.equal('Đăng nhập');
      expect(deep<HTMLInputElement>(login, '#email')!.autocomplete).to.equal('username');
      expect(deep<HTMLInputElement>(login, '#password')!.type).to.equal('password');
      expect(deep(el, 'nav')).to.equal(null);
    });

    it('names the empty fields and sends nothing', async () => {
      const el = await open();
      await signIn(el, '', '');
      const login = deep(el, LOGIN)!;
      await waitUntil(() => text(deep(login, '#email-error')));
      expect(text(deep(login, '#email-error'))).to.equal('Vui lòng nhập e-mail.');
      expect(text(deep(login, '#password-error'))).to.equal('Vui lòng nhập mật khẩu.');
      expect(deep(login, '#email')!.getAttribute('aria-invalid')).to.equal('true');
      expect(focused()).to.equal(deep(login, '#email'));
      expect(server.callsTo('/auth/login')).to.have.length(0);
    });

    it('says when the e-mail or password is wrong (401), and clears the password', async () => {
      const el = await open();
      await signIn(el, ADMIN.email, 'sai-mat-khau');
      await waitUntil(() => alertText(el));
      expect(alertText(el)).to.equal('E-mail hoặc mật khẩu không đúng.');
      const password = deep<HTMLInputElement>(el, LOGIN, '#password')!;
      expect(password.value).to.equal('');
      expect(focused()).to.equal(password);
      expect(server.callsTo('/auth/login')[0]!.body).to.deep.equal({
        email: ADMIN.email,
        password: 'sai-mat-khau',
      });
    });

    it('gives the wait of a 429 in minutes or seconds, in the page language', async () => {
      const el = await open();
      server.answerNext('POST', '/auth/login', {
        status: 429,
        headers: { 'Retry-After': '900' },
        json: { error: { code: 'too_many_attempts', message: 'Too many failed logins' } },
      });
      await signIn(el, ADMIN.email, PASSWORD);
      await waitUntil(() => alertText(el));
      expect(alertText(el)).to.equal('Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.');

      document.documentElement.lang = 'en';
      server.answerNext('POST', '/auth/login', {
        status: 429,
        headers: { 'Retry-After': '1' },
        json: { error: { code: 'too_many_attempts', message: 'Too many failed logins' } },
      });
      await signIn(el, ADMIN.email, PASSWORD);
      await waitUntil(() => alertText(el).includes('second'));
      expect(alertText(el)).to.equal('Too many failed sign-ins. Please try again in 1 second.');
      expect(deep(el, 'nav')).to.equal(null);
    });

    it('signs in, with the session cookie, and shows the overview', async () => {
      const el = await open();
      await signIn(el, ADMIN.email, PASSWORD);
      await found(el, 'nav');
      expect(text(deep(el, 'header'))).to.contain('Nguyễn Văn An');
      expect(text(deep(el, 'header'))).to.contain('Quản trị viên');
      await waitUntil(() => heading(el) === 'Tổng quan — Cổng thông tin tỉnh');
      expect(focused()).to.equal(deep(el, 'h1'));
      expect(document.title).to.equal('Tổng quan — Quản trị civic-widgets');
      for (const call of server.calls) expect(call.credentials, call.path).to.equal('same-origin');
    });

    it('lists every screen, the ones not built yet marked as coming soon', async () => {
      server.me = ADMIN;
      const el = await open();
      expect(navLinks(el).map(text)).to.deep.equal([
        'Tổng quan',
        'Bình luận',
        'Thăm dò',
        'Khẩu hiệu và liên kết',
        'Trang web',
        'Người dùng',
        'Nhật ký',
      ]);
      expect(navLinks(el)[0]!.getAttribute('aria-current')).to.equal('page');
    });

    it('shows an editor only their sites, without the users screen', async () => {
      server.me = EDITOR;
      const el = await open();
      await waitUntil(() => heading(el) === 'Tổng quan — Sở Y tế');
      expect(navLinks(el).map(text)).not.to.include('Người dùng');
      expect(navLinks(el).map(text)).to.include('Nhật ký');
      // One site: no picker.
      expect(deep(el, '#site')).to.equal(null);
      expect(server.callsTo('/admin/sites/so-y-te', 'GET').length).to.be.greaterThan(0);
      expect(server.callsTo('/admin/sites/demo')).to.have.length(0);
    });
  });

  describe('routing, sites and language', () => {
    it('follows the hash route and moves the focus to the new heading', async () => {
      server.me = ADMIN;
      const el = await open();
      location.hash = '#/comments';
      await waitUntil(() => heading(el).startsWith('Bình luận'));
      await waitUntil(() => focused() === deep(el, 'h1'));
      expect(deep(el, 'civic-console-comments')).not.to.equal(null);
      expect(navLinks(el)[1]!.getAttribute('aria-current')).to.equal('page');
      location.hash = '#/polls';
      await waitUntil(() => heading(el).startsWith('Thăm dò'));
      expect(deep(el, 'civic-console-polls')).not.to.equal(null);
      location.hash = '#/audit';
      await waitUntil(() => heading(el).startsWith('Nhật ký'));
      expect(deep(el, 'civic-console-audit')).not.to.equal(null);
      // Accounts belong to no site: the heading names none.
      location.hash = '#/users';
      await waitUntil(() => deep(el, 'civic-console-users'));
      expect(heading(el)).to.equal('Người dùng');
    });

    it('starts on the screen of the hash', async () => {
      server.me = ADMIN;
      location.hash = '#/comments';
      const el = await open();
      await waitUntil(() => heading(el).startsWith('Bình luận'));
    });

    it('switches site with the picker and remembers it', async () => {
      server.me = ADMIN;
      const el = await open();
      const picker = await found<HTMLSelectElement>(el, '#site');
      expect([...picker.options].map((o) => o.textContent!.trim())).to.deep.equal([
        'Cổng thông tin tỉnh',
        'Sở Y tế',
      ]);
      picker.value = 'so-y-te';
      picker.dispatchEvent(new Event('change'));
      await waitUntil(() => heading(el) === 'Tổng quan — Sở Y tế');
      await waitUntil(() => server.callsTo('/admin/sites/so-y-te/visits/daily?days=30').length);
      expect(localStorage.getItem('civic-console-site')).to.equal('so-y-te');
    });

    it('switches to English and back, and remembers the choice', async () => {
      server.me = ADMIN;
      const el = await open();
      const select = deep<HTMLSelectElement>(el, '#lang')!;
      expect(select.value).to.equal('vi');
      select.value = 'en';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => heading(el).startsWith('Overview'));
      expect(document.documentElement.lang).to.equal('en');
      expect(localStorage.getItem('civic-console-lang')).to.equal('en');
      expect(navLinks(el).map(text)[1]).to.equal('Comments');
      expect(text(deep(el, 'header button'))).to.equal('Sign out');
    });

    it('takes the language from <html lang> and a stored choice', async () => {
      localStorage.setItem('civic-console-lang', 'en');
      const el = await open();
      expect(document.documentElement.lang).to.equal('en');
      expect(text(deep(el, LOGIN, 'h1'))).to.equal('Sign in');
    });
  });

  describe('the session ends', () => {
    it('signs out', async () => {
      server.me = ADMIN;
      const el = await open();
      const button = await found<HTMLButtonElement>(el, 'header button');
      button.click();
      await found(el, LOGIN);
      expect(server.callsTo('/auth/logout', 'POST')).to.have.length(1);
      expect(deep(el, 'nav')).to.equal(null);
    });

    it('returns to the sign-in form when a request gets a 401, then back to the same screen', async () => {
      server.me = ADMIN;
      location.hash = '#/comments';
      const el = await open();
      await found(el, 'civic-console-comments');
      // The session expires on the server; the next request is refused.
      server.me = null;
      deep<HTMLButtonElement>(el, 'civic-console-comments', 'form[role="search"] button')!.click();
      await found(el, LOGIN);
      expect(text(deep(el, LOGIN, '.notice'))).to.equal(
        'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
      );
      await signIn(el, ADMIN.email, PASSWORD);
      await waitUntil(() => heading(el).startsWith('Bình luận'));
    });

    it('offers to try again when the server cannot be reached', async () => {
      server.answerNext('GET', '/auth/me', { status: 503 });
      const el = await open();
      expect(text(deep(el, '[role="alert"]'))).to.equal(
        'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
      );
      server.me = ADMIN;
      deep<HTMLButtonElement>(el, 'main button')!.click();
      await found(el, 'nav');
    });
  });

  it('skips to the main content from the first Tab', async () => {
    server.me = ADMIN;
    const el = await open();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(deep(el, '.skip'));
    await sendKeys({ press: 'Enter' });
    expect(focused()).to.equal(deep(el, 'main'));
    expect(location.hash).to.equal('');
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible on the sign-in form, also with an error', async () => {
        const el = await open();
        const bg = getComputedStyle(el).backgroundColor;
        expect(bg).to.equal(scheme === 'dark' ? 'rgb(28, 31, 36)' : 'rgb(255, 255, 255)');
        await expect(el).to.be.accessible();
        await signIn(el, ADMIN.email, 'sai');
        await waitUntil(() => alertText(el));
        await expect(el).to.be.accessible();
      });
    });
  }
});
