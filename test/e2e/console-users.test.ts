import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PERSON_UA } from '../helpers/browser.js';
import { addUser, signIn, useRealServer } from '../helpers/e2e.js';

const ADMIN = 'quantri.nguoidung@example.gov.vn';
const PASSWORD = 'mật-khẩu-quản-trị-2026';
const EDITOR = 'bientap.moi@example.gov.vn';

/**
 * The users and audit log screens against the real server: an administrator (made with the CLI)
 * adds an editor in the console with a generated password, shown once; the editor signs in with
 * it and sees neither the users screen nor another site's entries; the administrator disables
 * the account and the editor's sign-in is refused; the audit log lists all of it.
 */
describe('users and audit log in the console, end to end', () => {
  const e2e = useRealServer();
  const problems: string[] = [];

  before(() => addUser(e2e, ADMIN, PASSWORD, ['--role', 'admin']));

  /** A new browser context at /admin/, signed in as `email`. */
  async function signInAs(email: string, password: string): Promise<Page> {
    const context = await e2e.browser.newContext({ userAgent: PERSON_UA });
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    await page.goto(`${e2e.server.url}/admin/`);
    await signIn(page, email, password);
    return page;
  }

  it('adds an editor with a generated password; the editor signs in; disabled, they cannot', async () => {
    const admin = await signInAs(ADMIN, PASSWORD);
    await admin.getByRole('heading', { level: 1, name: /^Tổng quan/ }).waitFor();
    await admin.getByRole('link', { name: 'Người dùng', exact: true }).click();
    await admin.getByRole('button', { name: 'Thêm người dùng' }).click();
    await admin.getByLabel('E-mail').fill(EDITOR);
    await admin.getByLabel('Họ tên (không bắt buộc)').fill('Biên Tập Mới');
    await admin.locator('civic-console-users input[name="sites"][value="demo"]').check();
    await admin.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const secret = admin.locator('#secret-value');
    await secret.waitFor();
    const generated = await secret.inputValue();
    assert.match(generated, /^[A-Za-z2-9]{20}$/);
    const row = admin.locator('civic-console-users tbody tr', { hasText: EDITOR });
    assert.match(await row.innerText(), /Biên tập viên/);
    await admin.getByRole('button', { name: 'Đã ghi lại, đóng' }).click();
    assert.equal(await secret.count(), 0);

    const editor = await signInAs(EDITOR, generated);
    await editor.getByRole('heading', { level: 1, name: /^Tổng quan/ }).waitFor();
    const menu = await editor.locator('nav').innerText();
    assert.ok(!menu.includes('Người dùng'), menu);
    await editor.getByRole('link', { name: 'Nhật ký', exact: true }).click();
    await editor.locator('civic-console-audit form.filters').waitFor();
    // The editor's own site only: the account's creation is not a site's entry.
    assert.equal(await editor.locator('#scope-all').count(), 0);
    const users = await fetch(`${e2e.server.url}/api/v1/admin/users`, {
      headers: {
        Cookie: (await editor.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; '),
      },
    });
    assert.equal(users.status, 403);

    // Disabled: the editor's session ends and the sign-in is refused in words.
    await row.getByRole('button', { name: `Khoá ${EDITOR}` }).click();
    await row.getByText('Đã khoá', { exact: true }).waitFor();
    await editor.getByRole('link', { name: 'Bình luận', exact: true }).click();
    await editor.getByLabel('E-mail').waitFor({ timeout: 10_000 });
    const again = await signInAs(EDITOR, generated);
    await again.getByText('Tài khoản này đã bị khoá. Vui lòng liên hệ quản trị viên.').waitFor();

    // The audit log: the creation and the change, by the administrator, before → after.
    await admin.getByRole('link', { name: 'Nhật ký', exact: true }).click();
    await admin.locator('#scope-all').check();
    await admin.getByRole('button', { name: 'Lọc', exact: true }).click();
    const update = admin.locator('civic-console-audit article', { hasText: 'user.update' });
    await update.waitFor();
    assert.match(await update.innerText(), new RegExp(ADMIN.replace(/\./g, '\\.')));
    const change = update.locator('table.changes tbody tr', { hasText: 'disabled' });
    assert.deepEqual(await change.locator('td').allInnerTexts(), ['không', 'có']);
    // The administrator made by the CLI, then the editor made in the console.
    const created = admin.locator('civic-console-audit article', { hasText: 'user.create' });
    assert.equal(await created.count(), 2);
    assert.match(await created.first().innerText(), new RegExp(EDITOR.replace(/\./g, '\\.')));
    assert.match(await created.last().innerText(), /Người thực hiện: cli/);
    const log = await admin.locator('civic-console-audit').innerText();
    assert.ok(!log.includes(generated), 'the password is in no entry');
    assert.deepEqual(problems, []);
  });
});
