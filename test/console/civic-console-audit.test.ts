import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/console/civic-console-audit.js';
import { changesOf, type CivicConsoleAudit } from '../../src/console/civic-console-audit.js';
import type { Role } from '../../src/console/api.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { auditEntry } from './fake-accounts.js';
import { ADMIN, EDITOR, FakeAdminApi, SITES } from './fake-admin-api.js';
import { deep, deepAll, text, useColorScheme } from './utils.js';

async function open(site = 'demo', role: Role = 'admin', lang = 'vi') {
  const el = await fixture<CivicConsoleAudit>(
    html`<civic-console-audit
      lang=${lang}
      site=${site}
      user-role=${role}
      .sites=${SITES}
    ></civic-console-audit>`,
  );
  await waitUntil(() => deep(el, 'form ~ *') && !deep(el, '[aria-busy="true"]'), 'not loaded');
  return el;
}

const entries = (el: Element) => deepAll(el, 'article');
const actions = (el: Element) => entries(el).map((a) => text(a.querySelector('h2 code')));
const lastPath = (server: FakeAdminApi) => server.callsTo('/admin/audit').at(-1)!.path;
/** The before → after table of an entry as rows of cell texts. */
const changes = (a: Element) =>
  [...a.querySelectorAll('table.changes tbody tr')].map((r) => [...r.children].map((c) => text(c)));

function filter(el: Element, values: { scope?: string; action?: string; actor?: string }): void {
  if (values.scope) deep<HTMLInputElement>(el, `#scope-${values.scope}`)!.click();
  if (values.action !== undefined) deep<HTMLSelectElement>(el, '#action')!.value = values.action;
  if (values.actor !== undefined) deep<HTMLInputElement>(el, '#actor')!.value = values.actor;
  deep<HTMLButtonElement>(el, 'form.filters button[type="submit"]')!.click();
}

describe('<civic-console-audit>', () => {
  let server: FakeAdminApi;
  beforeEach(() => {
    server = new FakeAdminApi();
    server.me = ADMIN;
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-audit').forEach((el) => el.remove());
    server.restore();
    await useColorScheme('light');
  });

  it('lists the site’s entries newest first: who, what, which site, when', async () => {
    const el = await open();
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?site=demo&limit=25');
    expect(actions(el)).to.deep.equal(['poll.update', 'slogan.update']);
    const [poll, slogan] = entries(el);
    expect(text(poll!.querySelector('h2'))).to.equal('Thăm dò poll.update');
    const meta = poll!.querySelector('.meta')!;
    expect(text(meta.querySelector('.actor'))).to.equal('admin@example.gov.vn');
    expect(text(meta.querySelector('.site'))).to.equal('Cổng thông tin tỉnh');
    expect(text(meta.querySelector('.target'))).to.equal('danh-gia');
    expect(meta.querySelector('time')!.getAttribute('datetime')).to.equal(
      '2026-11-30T09:58:00.000Z',
    );
    expect(text(slogan!.querySelector('.actor'))).to.equal('token:ci-deploy');
  });

  it('shows before → after of settings: only the fields that changed', async () => {
    const el = await open();
    const [poll] = entries(el);
    expect(text(poll!.querySelector('caption'))).to.equal('Trước → sau');
    expect(changes(poll!)).to.deep.equal([
      [
        'question',
        'Bạn thấy cổng thông tin thế nào?',
        'Bạn đánh giá như thế nào về cổng thông tin này?',
      ],
      ['closesAt', '(trống)', '2026-12-31T16:59:59.000Z'],
    ]);
    // An entry without settings has no table.
    expect(entries(el)[1]!.querySelector('table')).to.equal(null);
  });

  it('reads every site’s entries for an administrator, with the fields of a creation', async () => {
    const el = await open();
    filter(el, { scope: 'all' });
    await waitUntil(() => entries(el).length === 4);
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?limit=25');
    const created = entries(el)[1]!;
    expect(text(created.querySelector('h2'))).to.equal('Người dùng user.create');
    expect(text(created.querySelector('.site'))).to.equal('không thuộc trang nào');
    expect(changes(created)).to.deep.equal([
      ['email', '(trống)', 'bientap@soyte.gov.vn'],
      ['role', '(trống)', 'editor'],
      ['sites', '(trống)', 'so-y-te'],
    ]);
  });

  it('filters by kind of change and by who made it', async () => {
    const el = await open();
    filter(el, { scope: 'all', action: 'comment' });
    await waitUntil(() => actions(el).join() === 'comment.reject');
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?action=comment&limit=25');
    filter(el, { action: '', actor: '  TOKEN:ci-deploy ' });
    await waitUntil(() => actions(el).join() === 'slogan.update');
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?actor=TOKEN%3Aci-deploy&limit=25');
    filter(el, { actor: 'ai-do@example.gov.vn' });
    await waitUntil(() => text(deep(el, 'form ~ p')) === 'Không có mục nào trong nhật ký.');
    deep<HTMLButtonElement>(el, 'form.filters button[type="button"]')!.click();
    await waitUntil(() => entries(el).length === 2);
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?site=demo&limit=25');
    expect(deep<HTMLInputElement>(el, '#actor')!.value).to.equal('');
    expect(deep<HTMLInputElement>(el, '#scope-site')!.checked).to.equal(true);
  });

  it('pages with the cursor', async () => {
    server.accounts.audit = Array.from({ length: 30 }, (_, i) => auditEntry(i + 1));
    const el = await open();
    expect(entries(el)).to.have.length(25);
    const more = [...deepAll<HTMLButtonElement>(el, 'button')].find((b) => text(b) === 'Xem thêm')!;
    more.click();
    await waitUntil(() => entries(el).length === 30);
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?site=demo&cursor=25&limit=25');
    expect(deepAll(el, 'button').map(text)).not.to.include('Xem thêm');
    expect(entries(el).map((a) => a.dataset.id)).to.deep.equal(
      server.accounts.audit.map((e) => e.id),
    );
  });

  it('shows an editor their site without the all-sites scope, accounts or any delete', async () => {
    server.me = EDITOR;
    const el = await open('so-y-te', 'editor');
    expect(lastPath(server)).to.equal('/api/v1/admin/audit?site=so-y-te&limit=25');
    expect(actions(el)).to.deep.equal(['comment.reject']);
    expect(deep(el, '#scope-all')).to.equal(null);
    const groups = [...deep<HTMLSelectElement>(el, '#action')!.options].map((o) => o.value);
    expect(groups).not.to.include('user');
    expect(groups).not.to.include('token');
    expect(text(deep(el, 'p.muted'))).to.contain('trang web của bạn');
    const labels = deepAll(el, 'button').map(text);
    expect(labels.filter((l) => /xoá|delete/i.test(l))).to.deep.equal([]);
  });

  it('shows loading, an error with a retry, and the empty log', async () => {
    const held = server.hold('GET', '/admin/audit');
    const el = await fixture<CivicConsoleAudit>(
      html`<civic-console-audit lang="vi" site="demo" user-role="admin"></civic-console-audit>`,
    );
    await waitUntil(() => deep(el, '[aria-busy="true"]'));
    server.answerNext('GET', '/admin/audit', { status: 500 });
    held.release();
    await waitUntil(() => entries(el).length === 2);
    filter(el, { action: 'poll' });
    await waitUntil(() => deep(el, '[role="alert"]'));
    expect(text(deep(el, '[role="alert"]'))).to.equal(
      'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
    );
    server.accounts.audit = [];
    [...deepAll<HTMLButtonElement>(el, 'button')].find((b) => text(b) === 'Thử lại')!.click();
    await waitUntil(() => text(deep(el, 'form ~ p')) === 'Không có mục nào trong nhật ký.');
  });

  it('speaks English', async () => {
    const el = await open('demo', 'admin', 'en');
    expect(text(entries(el)[0]!.querySelector('h2'))).to.equal('Polls poll.update');
    expect(text(entries(el)[0]!.querySelector('caption'))).to.equal('Before → after');
    expect(text(deep(el, 'label[for="actor"]'))).to.equal('Made by');
  });

  it('computes before → after', () => {
    expect(changesOf({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })).to.deep.equal([
      { field: 'b', before: [1, 2], after: [1, 3] },
    ]);
    expect(changesOf(undefined, { a: 1 })).to.deep.equal([
      { field: 'a', before: undefined, after: 1 },
    ]);
    expect(changesOf({ a: 1 }, undefined)).to.deep.equal([
      { field: 'a', before: 1, after: undefined },
    ]);
    expect(changesOf(undefined, undefined)).to.deep.equal([]);
    expect(changesOf([1], [2])).to.deep.equal([{ field: '', before: [1], after: [2] }]);
  });
});
