import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/console/civic-console-comments.js';
import type { CivicConsoleComments } from '../../src/console/civic-console-comments.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, comment, FakeAdminApi } from './fake-admin-api.js';
import { deep, deepAll, focused, text, useColorScheme } from './utils.js';

async function open(lang = 'vi'): Promise<CivicConsoleComments> {
  const el = await fixture<CivicConsoleComments>(
    html`<civic-console-comments lang=${lang} site="demo"></civic-console-comments>`,
  );
  await waitUntil(() => deepAll(el, 'article').length, 'no comments');
  return el;
}

const articles = (el: Element) => deepAll(el, 'article');
const article = (el: Element, i: number) => articles(el)[i]!;
const status = (a: Element) => text(a.querySelector('.badge'));
const names = (el: Element) => articles(el).map((a) => text(a.querySelector('h2')));
const button = (a: ParentNode, label: string) =>
  [...a.querySelectorAll('button')].find((b) => text(b) === label)!;
const live = (el: Element) => text(el.shadowRoot!.querySelector('[role="status"]'));

describe('<civic-console-comments>', () => {
  let server: FakeAdminApi;
  beforeEach(() => {
    server = new FakeAdminApi();
    server.me = ADMIN;
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-comments').forEach((el) => el.remove());
    server.restore();
    await useColorScheme('light');
  });

  describe('the queue', () => {
    it('shows the comments waiting first, as plain text', async () => {
      server.comments.demo!.unshift(
        comment(0, { name: '<b>Kẻ xấu</b>', content: '<img src=x onerror="alert(1)">\nDòng hai' }),
      );
      const el = await open();
      expect(server.calls[0]!.path).to.equal(
        '/api/v1/admin/sites/demo/comments?status=pending&limit=20',
      );
      expect(names(el)).to.deep.equal(['<b>Kẻ xấu</b>', 'Bạn đọc 1', 'Bạn đọc 2', 'Bạn đọc 3']);
      const first = article(el, 0);
      expect(first.querySelector('img, b')).to.equal(null);
      expect(first.querySelector('.text')!.textContent).to.equal(
        '<img src=x onerror="alert(1)">\nDòng hai',
      );
      expect(status(first)).to.equal('Chờ duyệt');
      expect(text(first.querySelector('.meta'))).to.equal(
        'Trang: /tin-tuc/0 · Người gửi: bandoc0@example.com',
      );
      expect(text(deep(el, '.bulk'))).to.contain('4 bình luận');
    });

    it('filters by status and searches', async () => {
      const el = await open();
      button(deep(el, '[role="group"]')!, 'Đã duyệt').click();
      await waitUntil(() => names(el).join() === 'Bạn đọc 4');
      expect(server.calls.at(-1)!.path).to.equal(
        '/api/v1/admin/sites/demo/comments?status=approved&limit=20',
      );
      button(deep(el, '[role="group"]')!, 'Tất cả').click();
      await waitUntil(() => articles(el).length === 4);
      const search = deep<HTMLInputElement>(el, '#search')!;
      search.value = 'số 2';
      deep<HTMLButtonElement>(el, 'form[role="search"] button')!.click();
      await waitUntil(() => names(el).join() === 'Bạn đọc 2');
      expect(server.calls.at(-1)!.path).to.equal(
        '/api/v1/admin/sites/demo/comments?q=s%E1%BB%91+2&limit=20',
      );
    });

    it('loads more pages', async () => {
      server.comments.demo = Array.from({ length: 25 }, (_, i) => comment(i + 10));
      const el = await open();
      expect(articles(el)).to.have.length(20);
      button(el.shadowRoot!, 'Xem thêm').click();
      await waitUntil(() => articles(el).length === 25);
      expect(server.calls.at(-1)!.path).to.contain('cursor=20');
      expect(button(el.shadowRoot!, 'Xem thêm')).to.equal(undefined);
    });
  });

  describe('moderating one comment', () => {
    it('approves at once, then as the server answers', async () => {
      const el = await open();
      const held = server.hold('POST', '/approve');
      button(article(el, 0), 'Duyệt').click();
      await el.updateComplete;
      expect(status(article(el, 0))).to.equal('Đã duyệt');
      expect(article(el, 0).getAttribute('aria-busy')).to.equal('true');
      expect(text(deep(el, '.bulk'))).to.contain('2 bình luận');
      held.release();
      await waitUntil(() => article(el, 0).getAttribute('aria-busy') === 'false');
      expect(server.callsTo('/comments/comment000000001/approve', 'POST')).to.have.length(1);
      expect(server.comments.demo![0]!.status).to.equal('approved');
      await waitUntil(() => live(el) === 'Đã duyệt bình luận của Bạn đọc 1.');
      expect(button(article(el, 0), 'Duyệt')).to.equal(undefined);
    });

    it('puts a comment back and says why when the server refuses', async () => {
      const el = await open();
      server.answerNext('POST', '/reject', {
        status: 500,
        json: { error: { code: 'internal', message: 'boom' } },
      });
      button(article(el, 1), 'Từ chối').click();
      await waitUntil(() => article(el, 1).querySelector('[role="alert"]'));
      expect(status(article(el, 1))).to.equal('Chờ duyệt');
      expect(text(article(el, 1).querySelector('[role="alert"]'))).to.equal(
        'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
      );
      expect(server.comments.demo![1]!.status).to.equal('pending');
    });

    it("writes, edits and removes the agency's reply", async () => {
      const el = await open();
      button(article(el, 0), 'Trả lời').click();
      await el.updateComplete;
      const area = deep<HTMLTextAreaElement>(el, '#reply-comment000000001')!;
      expect(focused()).to.equal(area);
      // Empty: refused here, nothing sent.
      button(article(el, 0), 'Lưu trả lời').click();
      await el.updateComplete;
      expect(text(deep(el, '#reply-error-comment000000001'))).to.equal(
        'Vui lòng nhập nội dung trả lời.',
      );
      expect(server.callsTo('/reply')).to.have.length(0);
      area.value = 'Cảm ơn bạn, Sở sẽ trả lời trong tuần.';
      button(article(el, 0), 'Lưu trả lời').click();
      await waitUntil(() => article(el, 0).querySelector('.reply'));
      expect(server.callsTo('/comments/comment000000001/reply', 'PUT')[0]!.body).to.deep.equal({
        content: 'Cảm ơn bạn, Sở sẽ trả lời trong tuần.',
      });
      expect(text(article(el, 0).querySelector('.reply'))).to.equal(
        'Trả lời của cơ quan Cảm ơn bạn, Sở sẽ trả lời trong tuần.',
      );
      await waitUntil(() => focused() === article(el, 0));
      button(article(el, 0), 'Sửa trả lời').click();
      await el.updateComplete;
      button(article(el, 0), 'Xoá trả lời').click();
      await waitUntil(() => server.callsTo('/reply', 'DELETE').length === 1);
      await waitUntil(() => !server.comments.demo![0]!.reply && live(el) === 'Đã xoá trả lời.');
    });

    it('deletes only after confirmation', async () => {
      const el = await open();
      button(article(el, 1), 'Xoá').click();
      await el.updateComplete;
      const confirm = button(article(el, 1), 'Xoá hẳn');
      expect(focused()).to.equal(confirm);
      button(article(el, 1), 'Huỷ').click();
      await el.updateComplete;
      expect(server.callsTo('/comments/comment000000002', 'DELETE')).to.have.length(0);
      button(article(el, 1), 'Xoá').click();
      await el.updateComplete;
      button(article(el, 1), 'Xoá hẳn').click();
      await waitUntil(() => names(el).join() === 'Bạn đọc 1,Bạn đọc 3');
      await waitUntil(() => server.callsTo('/comments/comment000000002', 'DELETE').length === 1);
      expect(server.comments.demo!.map((c) => c.id)).not.to.include('comment000000002');
      await waitUntil(() => live(el) === 'Đã xoá bình luận của Bạn đọc 2.');
    });

    it('bans the network of a comment, and says so when it is too old to ban', async () => {
      const el = await open();
      button(article(el, 0), 'Chặn mạng gửi').click();
      await waitUntil(() => text(article(el, 0)).includes('Mạng gửi bình luận này đang bị chặn.'));
      expect(server.callsTo('/comments/comment000000001/ban', 'POST')).to.have.length(1);
      await waitUntil(() => button(article(el, 0), 'Bỏ chặn'));
      server.answerNext('POST', '/ban', {
        status: 409,
        json: { error: { code: 'ban_unavailable', message: 'too old' } },
      });
      button(article(el, 1), 'Chặn mạng gửi').click();
      await waitUntil(() => article(el, 1).querySelector('[role="alert"]'));
      expect(text(article(el, 1).querySelector('[role="alert"]'))).to.equal(
        'Bình luận này đã quá cũ, không còn nhận ra mạng đã gửi nó; không chặn được.',
      );
      expect(button(article(el, 1), 'Chặn mạng gửi')).not.to.equal(undefined);
    });
  });

  describe('bulk actions', () => {
    it('approves the selected comments in one request', async () => {
      const el = await open();
      const boxes = deepAll<HTMLInputElement>(el, 'article input[type="checkbox"]');
      expect(boxes[0]!.getAttribute('aria-label')).to.equal('Chọn bình luận của Bạn đọc 1');
      boxes[0]!.click();
      boxes[2]!.click();
      await el.updateComplete;
      expect(text(deep(el, '.bulk'))).to.contain('Đã chọn 2');
      expect(deep<HTMLInputElement>(el, '#select-all')!.indeterminate).to.equal(true);
      button(deep(el, '.bulk')!, 'Duyệt các mục đã chọn').click();
      await waitUntil(() => live(el) === 'Đã duyệt 2 bình luận.');
      expect(server.callsTo('/comments/bulk', 'POST')[0]!.body).to.deep.equal({
        action: 'approve',
        ids: ['comment000000001', 'comment000000003'],
      });
      expect(articles(el).map(status)).to.deep.equal(['Đã duyệt', 'Chờ duyệt', 'Đã duyệt']);
      expect(server.comments.demo!.map((c) => c.status)).to.deep.equal([
        'approved',
        'pending',
        'approved',
        'approved',
      ]);
    });

    it('rejects all, and undoes it when the server refuses', async () => {
      const el = await open();
      deep<HTMLInputElement>(el, '#select-all')!.click();
      await el.updateComplete;
      server.answerNext('POST', '/comments/bulk', {
        status: 403,
        json: { error: { code: 'forbidden', message: 'no' } },
      });
      button(deep(el, '.bulk')!, 'Từ chối các mục đã chọn').click();
      await waitUntil(() => deep(el, '.bulk + [role="alert"]'));
      expect(text(deep(el, '.bulk + [role="alert"]'))).to.equal(
        'Tài khoản của bạn không có quyền với trang web này.',
      );
      expect(articles(el).map(status)).to.deep.equal(['Chờ duyệt', 'Chờ duyệt', 'Chờ duyệt']);
    });
  });

  describe('keyboard', () => {
    it('lists its shortcuts on the page', async () => {
      const el = await open('en');
      expect(text(deep(el, '#keys-heading'))).to.equal('Keyboard shortcuts');
      expect(deepAll(el, 'dl.keys kbd').map(text)).to.deep.equal([
        'j',
        'k',
        'x',
        'a',
        'r',
        'e',
        'Delete',
        '/',
      ]);
    });

    it('moves with j and k, selects with x, approves with a and rejects with r', async () => {
      const el = await open();
      expect(articles(el).map((a) => a.tabIndex)).to.deep.equal([0, -1, -1]);
      article(el, 0).focus();
      await sendKeys({ press: 'j' });
      await waitUntil(() => focused() === article(el, 1));
      expect(articles(el).map((a) => a.tabIndex)).to.deep.equal([-1, 0, -1]);
      await sendKeys({ press: 'k' });
      await waitUntil(() => focused() === article(el, 0));
      await sendKeys({ press: 'x' });
      await el.updateComplete;
      expect(deepAll<HTMLInputElement>(el, 'article input[type="checkbox"]')[0]!.checked).to.equal(
        true,
      );
      await sendKeys({ press: 'a' });
      await waitUntil(() => server.comments.demo![0]!.status === 'approved');
      // After a decision the next comment has the focus.
      await waitUntil(() => focused() === article(el, 1));
      await sendKeys({ press: 'r' });
      await waitUntil(() => server.comments.demo![1]!.status === 'rejected');
      expect(articles(el).map(status)).to.deep.equal(['Đã duyệt', 'Đã từ chối', 'Chờ duyệt']);
    });

    it('opens the reply with e; letters typed there are text, Escape closes it', async () => {
      const el = await open();
      article(el, 2).focus();
      await sendKeys({ press: 'e' });
      await waitUntil(() => focused() === deep(el, '#reply-comment000000003'));
      await sendKeys({ type: 'ja' });
      expect(deep<HTMLTextAreaElement>(el, '#reply-comment000000003')!.value).to.equal('ja');
      expect(server.comments.demo![2]!.status).to.equal('pending');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => focused() === article(el, 2));
      expect(deep(el, '#reply-comment000000003')).to.equal(null);
    });

    it('asks to confirm a Delete, and / goes to the search field', async () => {
      const el = await open();
      article(el, 1).focus();
      await sendKeys({ press: 'Delete' });
      await waitUntil(() => focused() === button(article(el, 1), 'Xoá hẳn'));
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => focused() === article(el, 1));
      expect(server.calls.filter((c) => c.method === 'DELETE')).to.have.length(0);
      await sendKeys({ press: '/' });
      expect(focused()).to.equal(deep(el, '#search'));
    });

    it('takes no shortcut outside the list', async () => {
      const el = await open();
      deep<HTMLInputElement>(el, '#search')!.focus();
      await sendKeys({ type: 'ar' });
      expect(deep<HTMLInputElement>(el, '#search')!.value).to.equal('ar');
      expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
    });
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible with the queue, a reply open, a selection and an error', async () => {
        server.comments.demo![1]!.reply = {
          content: 'Đã tiếp nhận.',
          createdAt: '2026-11-30T09:00:00.000Z',
        };
        server.comments.demo![2]!.banned = true;
        const el = await open();
        await expect(el).to.be.accessible();
        deepAll<HTMLInputElement>(el, 'article input[type="checkbox"]')[0]!.click();
        button(article(el, 0), 'Trả lời').click();
        server.answerNext('POST', '/reject', { status: 500 });
        button(article(el, 1), 'Từ chối').click();
        await waitUntil(() => article(el, 1).querySelector('[role="alert"]'));
        await expect(el).to.be.accessible();
      });

      it('is accessible when empty', async () => {
        server.comments.demo = [];
        const el = await fixture<CivicConsoleComments>(
          html`<civic-console-comments lang="en" site="demo"></civic-console-comments>`,
        );
        await waitUntil(() => text(el.shadowRoot).includes('No comments.'));
        await expect(el).to.be.accessible();
      });
    });
  }
});
