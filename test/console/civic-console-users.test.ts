import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/console/civic-console-users.js';
import type { CivicConsoleUsers } from '../../src/console/civic-console-users.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, FakeAdminApi, SITES } from './fake-admin-api.js';
import { deep, deepAll, focused, text, useColorScheme } from './utils.js';

async function open(lang = 'vi'): Promise<CivicConsoleUsers> {
  const el = await fixture<CivicConsoleUsers>(
    html`<civic-console-users lang=${lang} .sites=${SITES} .me=${ADMIN}></civic-console-users>`,
  );
  await waitUntil(() => deepAll(el, 'tbody tr').length, 'no accounts');
  return el;
}

const rows = (el: Element) => deepAll(el, 'section[aria-labelledby="accounts-title"] tbody tr');
const row = (el: Element, email: string) =>
  rows(el).find((r) => text(r.querySelector('td.email')) === email)!;
const cells = (r: Element) => [...r.children].map((c) => text(c));
const tokenRows = (el: Element) => deepAll(el, 'section[aria-labelledby="tokens-title"] tbody tr');
const button = (root: ParentNode, label: string) =>
  [...root.querySelectorAll('button')].find((b) => text(b) === label || b.id === label)!;
const live = (el: Element) => text(el.shadowRoot!.querySelector('[role="status"]'));
const field = (el: Element, id: string) => deep<HTMLInputElement>(el, `#${id}`)!;

function fill(el: Element, id: string, value: string): void {
  const input = field(el, id);
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

async function choose(el: Element, id: string): Promise<void> {
  field(el, id).click();
  await (el as CivicConsoleUsers).updateComplete;
}

function submit(el: Element): void {
  deep<HTMLButtonElement>(el, '#panel button[type="submit"]')!.click();
}

describe('<civic-console-users>', () => {
  let server: FakeAdminApi;
  beforeEach(() => {
    server = new FakeAdminApi();
    server.me = ADMIN;
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-users').forEach((el) => el.remove());
    server.restore();
    await useColorScheme('light');
  });

  describe('accounts', () => {
    it('lists every account with its role, sites and status; one’s own cannot be disabled or deleted', async () => {
      const el = await open();
      expect(server.callsTo('/admin/users', 'GET')).to.have.length(1);
      expect(rows(el).map((r) => cells(r).slice(0, 5))).to.deep.equal([
        [
          'Nguyễn Văn An (bạn)',
          'admin@example.gov.vn',
          'Quản trị viên',
          'Mọi trang web',
          'Đang hoạt động',
        ],
        ['Trần Thị Bình', 'bientap@soyte.gov.vn', 'Biên tập viên', 'Sở Y tế', 'Đang hoạt động'],
        ['Lê Văn Nghỉ', 'nghi@example.gov.vn', 'Biên tập viên', 'Cổng thông tin tỉnh', 'Đã khoá'],
      ]);
      const own = row(el, ADMIN.email);
      expect([...own.querySelectorAll('button')].map((b) => b.id.split('-')[0])).to.deep.equal([
        'edit',
        'reset',
      ]);
      const other = row(el, 'bientap@soyte.gov.vn');
      // Each button names the account it acts on.
      expect([...other.querySelectorAll('button')].map(text)).to.deep.equal([
        'Sửa bientap@soyte.gov.vn',
        'Đặt lại mật khẩu bientap@soyte.gov.vn',
        'Khoá bientap@soyte.gov.vn',
        'Xoá bientap@soyte.gov.vn',
      ]);
      const disabled = server.accounts.users[2]!;
      expect(text(deep(el, `#disable-${disabled.id}`))).to.equal('Mở khoá nghi@example.gov.vn');
    });

    it('adds an editor with a generated password, shown once with a copy button', async () => {
      const copied: string[] = [];
      const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: async (s: string) => void copied.push(s) },
      });
      try {
        const el = await open();
        deep<HTMLButtonElement>(el, '#add-user')!.click();
        await waitUntil(() => focused() === field(el, 'email'));
        expect(deep(el, '#add-user')!.getAttribute('aria-expanded')).to.equal('true');
        fill(el, 'email', 'moi@soyte.gov.vn');
        fill(el, 'name', 'Phạm Thị Mới');
        field(el, 'site-1').click();
        submit(el);
        await waitUntil(() => deep(el, '#secret-value'), 'the password is shown');
        const [call] = server.callsTo('/admin/users', 'POST');
        const body = call!.body as { password: string };
        expect(body).to.deep.include({
          email: 'moi@soyte.gov.vn',
          name: 'Phạm Thị Mới',
          role: 'editor',
          sites: ['so-y-te'],
        });
        expect(body.password).to.match(/^[A-Za-z2-9]{20}$/);
        expect(field(el, 'secret-value').value).to.equal(body.password);
        expect(field(el, 'secret-value').readOnly).to.equal(true);
        expect(text(deep(el, '#secret-title'))).to.equal('Mật khẩu của moi@soyte.gov.vn');
        expect(focused()).to.equal(deep(el, '#secret-title'));
        await waitUntil(() => live(el) === 'Đã tạo tài khoản moi@soyte.gov.vn.');
        expect(cells(row(el, 'moi@soyte.gov.vn')).slice(0, 5)).to.deep.equal([
          'Phạm Thị Mới',
          'moi@soyte.gov.vn',
          'Biên tập viên',
          'Sở Y tế',
          'Đang hoạt động',
        ]);
        expect(deep(el, '#panel')).to.equal(null);

        button(deep(el, '.secret')!, 'Sao chép').click();
        await waitUntil(() => copied.length === 1);
        expect(copied).to.deep.equal([body.password]);
        await waitUntil(() => live(el) === 'Đã sao chép.');
        button(deep(el, '.secret')!, 'Đã ghi lại, đóng').click();
        await waitUntil(() => !deep(el, '.secret'));
        expect(el.shadowRoot!.innerHTML).not.to.contain(body.password);
        expect(focused()).to.equal(deep(el, '#add-user'));

        // A second one gets a different password.
        deep<HTMLButtonElement>(el, '#add-user')!.click();
        await waitUntil(() => deep(el, '#email'));
        fill(el, 'email', 'hai@soyte.gov.vn');
        field(el, 'site-0').click();
        submit(el);
        await waitUntil(() => deep(el, '#secret-value'));
        expect(field(el, 'secret-value').value).not.to.equal(body.password);
      } finally {
        if (clipboard) delete (navigator as { clipboard?: unknown }).clipboard;
      }
    });

    it('adds an administrator with an entered password, which is never shown', async () => {
      const el = await open();
      deep<HTMLButtonElement>(el, '#add-user')!.click();
      await waitUntil(() => deep(el, '#email'));
      fill(el, 'email', 'quantri2@example.gov.vn');
      await choose(el, 'role-admin');
      expect(deep(el, '#site-0'), 'no sites for an administrator').to.equal(null);
      await choose(el, 'pw-enter');
      expect(field(el, 'password').type).to.equal('password');
      fill(el, 'password', 'mật-khẩu-đủ-dài-2026');
      submit(el);
      await waitUntil(() => row(el, 'quantri2@example.gov.vn'));
      expect(server.callsTo('/admin/users', 'POST')[0]!.body).to.deep.equal({
        email: 'quantri2@example.gov.vn',
        role: 'admin',
        sites: [],
        password: 'mật-khẩu-đủ-dài-2026',
      });
      expect(deep(el, '.secret')).to.equal(null);
      expect(el.shadowRoot!.innerHTML).not.to.contain('mật-khẩu-đủ-dài-2026');
      await waitUntil(() => focused() === deep(el, '#add-user'));
    });

    it('names what is wrong in the form and sends nothing', async () => {
      const el = await open();
      deep<HTMLButtonElement>(el, '#add-user')!.click();
      await waitUntil(() => deep(el, '#email'));
      fill(el, 'email', 'không-phải-email');
      await choose(el, 'pw-enter');
      fill(el, 'password', 'ngắn-quá');
      submit(el);
      await waitUntil(() => text(deep(el, '#email-error')));
      expect(text(deep(el, '#email-error'))).to.equal('Vui lòng nhập một địa chỉ e-mail hợp lệ.');
      expect(text(deep(el, '#site-0-error'))).to.equal(
        'Hãy chọn ít nhất một trang web cho biên tập viên.',
      );
      expect(text(deep(el, '#password-error'))).to.equal('Mật khẩu cần ít nhất 12 ký tự.');
      expect(field(el, 'email').getAttribute('aria-invalid')).to.equal('true');
      expect(field(el, 'password').getAttribute('aria-invalid')).to.equal('true');
      expect(focused()).to.equal(field(el, 'email'));
      expect(server.callsTo('/admin/users', 'POST')).to.have.length(0);
    });

    it('shows the server’s refusal in words and keeps the form', async () => {
      const el = await open();
      deep<HTMLButtonElement>(el, '#add-user')!.click();
      await waitUntil(() => deep(el, '#email'));
      fill(el, 'email', 'BIENTAP@soyte.gov.vn');
      field(el, 'site-1').click();
      submit(el);
      await waitUntil(() => deep(el, '#panel [role="alert"]'));
      expect(text(deep(el, '#panel [role="alert"]'))).to.equal('Đã có tài khoản với e-mail này.');
      expect(field(el, 'email').value).to.equal('BIENTAP@soyte.gov.vn');
      expect(deep(el, '.secret')).to.equal(null);
      expect(rows(el)).to.have.length(3);
      // Escape closes the form; the focus returns to its button.
      field(el, 'email').focus();
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !deep(el, '#panel'));
      expect(focused()).to.equal(deep(el, '#add-user'));
    });

    it('changes a user’s name, role and sites', async () => {
      const el = await open();
      const id = server.accounts.users[1]!.id;
      deep<HTMLButtonElement>(el, `#edit-${id}`)!.click();
      await waitUntil(() => deep(el, '#panel'));
      expect(text(deep(el, '#panel-title'))).to.equal('Sửa tài khoản bientap@soyte.gov.vn');
      expect(field(el, 'name').value).to.equal('Trần Thị Bình');
      expect(field(el, 'role-editor').checked).to.equal(true);
      expect([field(el, 'site-0').checked, field(el, 'site-1').checked]).to.deep.equal([
        false,
        true,
      ]);
      fill(el, 'name', 'Trần Thị Bình An');
      field(el, 'site-0').click();
      submit(el);
      await waitUntil(() => !deep(el, '#panel'));
      expect(server.callsTo(`/admin/users/${id}`, 'PATCH')[0]!.body).to.deep.equal({
        name: 'Trần Thị Bình An',
        role: 'editor',
        sites: ['demo', 'so-y-te'],
      });
      expect(cells(row(el, 'bientap@soyte.gov.vn')).slice(0, 4)).to.deep.equal([
        'Trần Thị Bình An',
        'bientap@soyte.gov.vn',
        'Biên tập viên',
        'Cổng thông tin tỉnh, Sở Y tế',
      ]);
      expect(focused()).to.equal(deep(el, `#edit-${id}`));
      await waitUntil(() => live(el) === 'Đã lưu tài khoản bientap@soyte.gov.vn.');

      // Made an administrator: every site.
      deep<HTMLButtonElement>(el, `#edit-${id}`)!.click();
      await waitUntil(() => deep(el, '#panel'));
      await choose(el, 'role-admin');
      submit(el);
      await waitUntil(() => !deep(el, '#panel'));
      expect(server.callsTo(`/admin/users/${id}`, 'PATCH')[1]!.body).to.deep.equal({
        name: 'Trần Thị Bình An',
        role: 'admin',
      });
      expect(cells(row(el, 'bientap@soyte.gov.vn'))[3]).to.equal('Mọi trang web');
    });

    it('resets a password: generated and shown once, or entered', async () => {
      const el = await open();
      const id = server.accounts.users[1]!.id;
      deep<HTMLButtonElement>(el, `#reset-${id}`)!.click();
      await waitUntil(() => deep(el, '#panel'));
      expect(text(deep(el, '#panel'))).to.contain(
        'Mọi phiên đăng nhập của tài khoản này sẽ kết thúc.',
      );
      submit(el);
      await waitUntil(() => deep(el, '#secret-value'));
      const sent = (
        server.callsTo(`/admin/users/${id}/password`, 'POST')[0]!.body as {
          password: string;
        }
      ).password;
      expect(sent).to.match(/^[A-Za-z2-9]{20}$/);
      expect(field(el, 'secret-value').value).to.equal(sent);
      await waitUntil(() => live(el) === 'Đã đặt lại mật khẩu của bientap@soyte.gov.vn.');
      button(deep(el, '.secret')!, 'Đã ghi lại, đóng').click();
      await waitUntil(() => focused() === deep(el, `#reset-${id}`));

      deep<HTMLButtonElement>(el, `#reset-${id}`)!.click();
      await waitUntil(() => deep(el, '#panel'));
      await choose(el, 'pw-enter');
      fill(el, 'password', 'một-mật-khẩu-mới-dài');
      submit(el);
      await waitUntil(() => !deep(el, '#panel'));
      expect(server.callsTo(`/admin/users/${id}/password`, 'POST')[1]!.body).to.deep.equal({
        password: 'một-mật-khẩu-mới-dài',
      });
      expect(deep(el, '.secret')).to.equal(null);
    });

    it('disables and enables an account', async () => {
      const el = await open();
      const id = server.accounts.users[1]!.id;
      deep<HTMLButtonElement>(el, `#disable-${id}`)!.click();
      await waitUntil(() => cells(row(el, 'bientap@soyte.gov.vn'))[4] === 'Đã khoá');
      expect(server.callsTo(`/admin/users/${id}`, 'PATCH')[0]!.body).to.deep.equal({
        disabled: true,
      });
      expect(row(el, 'bientap@soyte.gov.vn').className).to.equal('disabled');
      await waitUntil(
        () =>
          live(el) ===
          'Đã khoá tài khoản bientap@soyte.gov.vn; các phiên đăng nhập của tài khoản đã kết thúc.',
      );
      expect(text(deep(el, `#disable-${id}`))).to.equal('Mở khoá bientap@soyte.gov.vn');
      deep<HTMLButtonElement>(el, `#disable-${id}`)!.click();
      await waitUntil(() => cells(row(el, 'bientap@soyte.gov.vn'))[4] === 'Đang hoạt động');
      expect(server.accounts.users[1]!.disabled).to.equal(false);
    });

    it('deletes after a confirmation; says why the last administrator stays', async () => {
      const el = await open();
      const id = server.accounts.users[2]!.id;
      deep<HTMLButtonElement>(el, `#delete-${id}`)!.click();
      await waitUntil(() => focused() === deep(el, `#confirm-user-${id}`));
      expect(text(row(el, 'nghi@example.gov.vn').querySelector('td.actions p'))).to.equal(
        'Xoá hẳn tài khoản nghi@example.gov.vn? Không thể hoàn tác.',
      );
      button(row(el, 'nghi@example.gov.vn'), 'Huỷ').click();
      await waitUntil(() => focused() === deep(el, `#delete-${id}`));
      expect(server.callsTo(`/admin/users/${id}`, 'DELETE')).to.have.length(0);

      deep<HTMLButtonElement>(el, `#delete-${id}`)!.click();
      await waitUntil(() => deep(el, `#confirm-user-${id}`));
      deep<HTMLButtonElement>(el, `#confirm-user-${id}`)!.click();
      await waitUntil(() => rows(el).length === 2);
      expect(server.callsTo(`/admin/users/${id}`, 'DELETE')).to.have.length(1);
      await waitUntil(() => live(el) === 'Đã xoá tài khoản nghi@example.gov.vn.');

      // Another administrator is the last active one: the server keeps them.
      const other = server.accounts.users[1]!;
      server.answerNext('DELETE', `/admin/users/${other.id}`, {
        status: 409,
        json: { error: { code: 'last_admin', message: 'The last active administrator' } },
      });
      deep<HTMLButtonElement>(el, `#delete-${other.id}`)!.click();
      await waitUntil(() => deep(el, `#confirm-user-${other.id}`));
      deep<HTMLButtonElement>(el, `#confirm-user-${other.id}`)!.click();
      await waitUntil(() => row(el, other.email).querySelector('[role="alert"]'));
      expect(text(row(el, other.email).querySelector('[role="alert"]'))).to.equal(
        'Không thể xoá, khoá hay hạ quyền quản trị viên cuối cùng còn hoạt động.',
      );
      expect(rows(el)).to.have.length(2);
    });
  });

  describe('API tokens', () => {
    it('creates a token scoped to a role and sites, shown once; revokes one after a confirmation', async () => {
      const el = await open();
      expect(tokenRows(el).map((r) => cells(r).slice(0, 4))).to.deep.equal([
        ['ci-deploy', 'Biên tập viên', 'Cổng thông tin tỉnh', 'admin@example.gov.vn'],
      ]);
      expect(cells(tokenRows(el)[0]!)[5]).to.equal('Chưa dùng');

      deep<HTMLButtonElement>(el, '#add-token')!.click();
      await waitUntil(() => focused() === deep(el, '#token-name'));
      fill(el, 'token-name', 'bản tin');
      submit(el);
      await waitUntil(() => text(deep(el, '#token-name-error')));
      expect(text(deep(el, '#token-name-error'))).to.equal(
        'Tên mã chỉ gồm chữ cái không dấu, chữ số, ".", "_" hoặc "-".',
      );
      expect(server.callsTo('/admin/tokens', 'POST')).to.have.length(0);
      fill(el, 'token-name', 'ban-tin');
      field(el, 'site-1').click();
      submit(el);
      await waitUntil(() => deep(el, '#secret-value'));
      expect(server.callsTo('/admin/tokens', 'POST')[0]!.body).to.deep.equal({
        name: 'ban-tin',
        role: 'editor',
        sites: ['so-y-te'],
      });
      expect(field(el, 'secret-value').value).to.equal(`cwt_${'x'.repeat(43)}`);
      expect(text(deep(el, '#secret-title'))).to.equal('Mã truy cập ban-tin');
      expect(tokenRows(el).map((r) => cells(r)[0])).to.deep.equal(['ban-tin', 'ci-deploy']);

      const id = server.accounts.tokens[0]!.id;
      deep<HTMLButtonElement>(el, `#revoke-${id}`)!.click();
      await waitUntil(() => focused() === deep(el, `#confirm-token-${id}`));
      deep<HTMLButtonElement>(el, `#confirm-token-${id}`)!.click();
      await waitUntil(() => tokenRows(el).length === 1);
      expect(server.callsTo(`/admin/tokens/${id}`, 'DELETE')).to.have.length(1);
      await waitUntil(() => live(el) === 'Đã thu hồi mã ci-deploy.');
    });

    it('says when a token name is taken', async () => {
      const el = await open();
      deep<HTMLButtonElement>(el, '#add-token')!.click();
      await waitUntil(() => deep(el, '#token-name'));
      fill(el, 'token-name', 'ci-deploy');
      await choose(el, 'role-admin');
      submit(el);
      await waitUntil(() => deep(el, '#panel [role="alert"]'));
      expect(text(deep(el, '#panel [role="alert"]'))).to.equal('Đã có mã truy cập với tên này.');
      expect(deep(el, '.secret')).to.equal(null);
    });
  });

  describe('states', () => {
    it('shows loading, then an error with a retry', async () => {
      const held = server.hold('GET', '/admin/users');
      server.answerNext('GET', '/admin/tokens', { status: 503 });
      const el = await fixture<CivicConsoleUsers>(
        html`<civic-console-users lang="vi" .sites=${SITES} .me=${ADMIN}></civic-console-users>`,
      );
      expect(text(deep(el, '[aria-busy="true"]'))).to.not.equal('');
      held.release();
      await waitUntil(() => deep(el, '[role="alert"]'));
      expect(text(deep(el, '[role="alert"]'))).to.equal(
        'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
      );
      button(el.shadowRoot!, 'Thử lại').click();
      await waitUntil(() => rows(el).length === 3);
    });

    it('says so when the account may not see it (an editor: 403)', async () => {
      server.me = { ...ADMIN, role: 'editor', sites: ['demo'] };
      const el = await fixture<CivicConsoleUsers>(
        html`<civic-console-users lang="vi" .sites=${SITES}></civic-console-users>`,
      );
      await waitUntil(() => deep(el, '[role="alert"]'));
      expect(text(deep(el, '[role="alert"]'))).to.equal(
        'Tài khoản của bạn không có quyền với trang web này.',
      );
      expect(deepAll(el, 'table')).to.have.length(0);
    });

    it('speaks English', async () => {
      const el = await open('en');
      expect(text(deep(el, '#accounts-title'))).to.equal('Accounts');
      expect(cells(row(el, 'nghi@example.gov.vn')).slice(2, 5)).to.deep.equal([
        'Editor',
        'Cổng thông tin tỉnh',
        'Disabled',
      ]);
      expect(text(deep(el, '#add-token'))).to.equal('Create token');
    });
  });
});
