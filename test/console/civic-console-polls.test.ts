import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/console/civic-console-polls.js';
import type { CivicConsolePolls } from '../../src/console/civic-console-polls.js';
import '../../src/console/civic-console-poll-results.js';
import type { CivicConsolePollResults } from '../../src/console/civic-console-poll-results.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, FakeAdminApi, poll } from './fake-admin-api.js';
import { deep, deepAll, focused, text, useColorScheme } from './utils.js';

const FORM = 'civic-console-poll-form';
const RESULTS = 'civic-console-poll-results';

async function open(lang = 'vi'): Promise<CivicConsolePolls> {
  const el = await fixture<CivicConsolePolls>(
    html`<civic-console-polls lang=${lang} site="demo"></civic-console-polls>`,
  );
  await waitUntil(() => deepAll(el, 'article').length, 'no polls');
  return el;
}

const cards = (el: Element) => deepAll(el, 'article');
const card = (el: Element, id: string) => deep(el, `#poll-${id}`)!;
const button = (root: ParentNode, label: string) =>
  [...root.querySelectorAll('button')].find((b) => text(b) === label)!;
const live = (el: Element) => text(el.shadowRoot!.querySelector('[role="status"]'));
const form = (el: Element) => deep<HTMLElement & { updateComplete: Promise<boolean> }>(el, FORM)!;
/** A field of the form, by id. */
const field = <T extends HTMLElement = HTMLInputElement>(el: Element, id: string) =>
  deep<T>(el, FORM, `#${id}`)!;
const optionInputs = (el: Element) => deepAll<HTMLInputElement>(el, FORM, 'li input');
const errorOf = (el: Element, id: string) => text(deep(el, FORM, `#${id}-error`));

/** Types into a field as a person does (value, then an input event). */
function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function openForm(el: CivicConsolePolls): Promise<HTMLElement> {
  button(el.shadowRoot!, 'Tạo thăm dò mới').click();
  await waitUntil(() => deep(el, FORM, '#question'), 'no form');
  return form(el);
}

const submit = (el: Element) => deep<HTMLButtonElement>(el, FORM, 'button[type="submit"]')!.click();

describe('<civic-console-polls>', () => {
  let server: FakeAdminApi;
  beforeEach(() => {
    server = new FakeAdminApi();
    server.me = ADMIN;
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-polls, civic-console-poll-results').forEach((el) => {
      el.remove();
    });
    server.restore();
    await useColorScheme('light');
  });

  describe('the list', () => {
    it("shows the site's polls with their status, dates and voters", async () => {
      const el = await open();
      expect(server.calls[0]!.path).to.equal('/api/v1/admin/sites/demo/polls');
      expect(cards(el).map((a) => text(a.querySelector('h2')))).to.deep.equal([
        'Bạn đánh giá như thế nào về cổng thông tin này?',
        'Thăm dò đã đóng',
      ]);
      const first = card(el, 'danh-gia');
      expect(text(first.querySelector('.badge'))).to.equal('Đang mở');
      expect(text(first)).to.contain('42 người đã bình chọn');
      expect(text(first)).to.contain('Đóng: không hẹn giờ');
      const closed = card(el, 'cu');
      expect(text(closed.querySelector('.badge'))).to.equal('Đã đóng');
      expect(text(closed)).to.contain('7 người đã bình chọn');
      const when = new Intl.DateTimeFormat('vi', { dateStyle: 'medium', timeStyle: 'short' });
      expect(text(closed)).to.contain(
        `Mở: ${when.format(Date.parse('2026-11-01T01:00Z'))} · Đóng: ${when.format(Date.parse('2026-11-20T10:00Z'))}`,
      );
      expect(button(closed, 'Mở ngay')).to.not.equal(undefined);
      expect(button(first, 'Đóng ngay')).to.not.equal(undefined);
    });

    it('says when the site has no polls, in English too', async () => {
      server.polls.demo = [];
      const el = await fixture<CivicConsolePolls>(
        html`<civic-console-polls lang="en" site="demo"></civic-console-polls>`,
      );
      await waitUntil(() => text(el.shadowRoot).includes('This site has no polls yet.'));
      expect(button(el.shadowRoot!, 'New poll')).to.not.equal(undefined);
    });

    it('says why the list did not load, and loads it again', async () => {
      server.answerNext('GET', '/polls', { status: 503 });
      const el = await fixture<CivicConsolePolls>(
        html`<civic-console-polls lang="vi" site="demo"></civic-console-polls>`,
      );
      await waitUntil(() => deep(el, '[role="alert"]'));
      expect(text(deep(el, '[role="alert"]'))).to.equal(
        'Máy chủ đang gặp sự cố. Vui lòng thử lại sau.',
      );
      button(el.shadowRoot!, 'Thử lại').click();
      await waitUntil(() => cards(el).length === 2);
    });

    it('closes and opens a poll now, keeping the focus on the button', async () => {
      const el = await open();
      button(card(el, 'danh-gia'), 'Đóng ngay').click();
      await waitUntil(() => text(card(el, 'danh-gia').querySelector('.badge')) === 'Đã đóng');
      expect(server.callsTo('/polls/danh-gia/close', 'POST')).to.have.length(1);
      expect(server.polls.demo![0]!.status).to.equal('closed');
      await waitUntil(() => focused() === deep(el, '#toggle-danh-gia'));
      expect(text(deep(el, '#toggle-danh-gia'))).to.equal('Mở ngay');
      await waitUntil(
        () => live(el) === 'Đã đóng thăm dò “Bạn đánh giá như thế nào về cổng thông tin này?”.',
      );
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => text(card(el, 'danh-gia').querySelector('.badge')) === 'Đang mở');
      expect(server.callsTo('/polls/danh-gia/open', 'POST')).to.have.length(1);
    });

    it('says why an action was refused, and changes nothing', async () => {
      const el = await open();
      server.answerNext('POST', '/close', {
        status: 403,
        json: { error: { code: 'forbidden', message: 'no' } },
      });
      button(card(el, 'danh-gia'), 'Đóng ngay').click();
      await waitUntil(() => card(el, 'danh-gia').querySelector('[role="alert"]'));
      expect(text(card(el, 'danh-gia').querySelector('[role="alert"]'))).to.equal(
        'Tài khoản của bạn không có quyền với trang web này.',
      );
      expect(text(card(el, 'danh-gia').querySelector('.badge'))).to.equal('Đang mở');
    });

    it('deletes only after confirmation', async () => {
      const el = await open();
      button(card(el, 'cu'), 'Xoá').click();
      await waitUntil(() => focused() === deep(el, '#confirm-cu'));
      expect(text(card(el, 'cu'))).to.contain('Xoá thăm dò này cùng 7 phiếu bầu của nó?');
      button(card(el, 'cu'), 'Huỷ').click();
      await waitUntil(() => focused() === deep(el, '#delete-cu'));
      expect(server.calls.filter((c) => c.method === 'DELETE')).to.have.length(0);
      button(card(el, 'cu'), 'Xoá').click();
      await el.updateComplete;
      button(card(el, 'cu'), 'Xoá hẳn').click();
      await waitUntil(() => cards(el).length === 1);
      expect(server.callsTo('/polls/cu', 'DELETE')).to.have.length(1);
      expect(server.polls.demo!.map((p) => p.id)).to.deep.equal(['danh-gia']);
      await waitUntil(() => live(el) === 'Đã xoá thăm dò “Thăm dò đã đóng”.');
      expect(focused()).to.equal(card(el, 'danh-gia'));
    });
  });

  describe('creating and editing', () => {
    it('creates a poll: id from the question, options added, moved and removed', async () => {
      const el = await open();
      await openForm(el);
      expect(text(deep(el, '#view-heading'))).to.equal('Thăm dò mới');
      await waitUntil(() => focused() === deep(el, '#view-heading'));
      type(field<HTMLTextAreaElement>(el, 'question'), 'Bạn có hài lòng với dịch vụ công?');
      await form(el).updateComplete;
      expect(field(el, 'poll-id').value).to.equal('ban-co-hai-long-voi-dich-vu-cong');
      type(optionInputs(el)[0]!, 'Không');
      type(optionInputs(el)[1]!, 'Có');
      button(form(el).shadowRoot!, 'Thêm lựa chọn').click();
      await waitUntil(() => optionInputs(el).length === 3);
      expect(focused()).to.equal(optionInputs(el)[2]);
      type(optionInputs(el)[2]!, 'Tạm được');
      // "Có" goes first: up, from the keyboard; the focus follows it.
      const up = deepAll<HTMLButtonElement>(el, FORM, 'li button')[3]!;
      expect(up.getAttribute('aria-label')).to.equal('Chuyển lên (Lựa chọn 2)');
      up.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(
        () =>
          optionInputs(el)
            .map((i) => i.value)
            .join() === 'Có,Không,Tạm được',
      );
      expect(focused()).to.equal(up);
      expect(up.getAttribute('aria-disabled')).to.equal('true');
      await waitUntil(() => live(form(el)) === 'Đã chuyển “Có” đến vị trí 1.');
      field<HTMLInputElement>(el, 'kind-multiple').click();
      await form(el).updateComplete;
      expect(field(el, 'maxChoices').value).to.equal('3');
      type(field(el, 'maxChoices'), '2');
      // "Tạm được" goes again.
      deepAll<HTMLButtonElement>(el, FORM, 'li button')[8]!.click();
      await waitUntil(() => optionInputs(el).length === 2);
      type(field(el, 'opensAt'), '2026-12-01T08:00');
      type(field(el, 'closesAt'), '2026-12-31T17:30');
      const visibility = field<HTMLSelectElement>(el, 'visibility');
      visibility.value = 'after_vote';
      visibility.dispatchEvent(new Event('change'));
      field(el, 'require-proof').click();
      submit(el);
      await waitUntil(() => cards(el).length === 3, 'back to the list');
      expect(server.callsTo('/admin/sites/demo/polls', 'POST')[0]!.body).to.deep.equal({
        id: 'ban-co-hai-long-voi-dich-vu-cong',
        question: 'Bạn có hài lòng với dịch vụ công?',
        resultsVisibility: 'after_vote',
        ipCeiling: 100,
        requireProof: true,
        opensAt: new Date('2026-12-01T08:00').toISOString(),
        closesAt: new Date('2026-12-31T17:30').toISOString(),
        options: [
          { id: 'o1', label: 'Có' },
          { id: 'o2', label: 'Không' },
        ],
        multiple: true,
        maxChoices: 2,
      });
      expect(text(cards(el)[0]!.querySelector('h2'))).to.equal('Bạn có hài lòng với dịch vụ công?');
      await waitUntil(() => focused() === card(el, 'ban-co-hai-long-voi-dich-vu-cong'));
      await waitUntil(() => live(el) === 'Đã tạo thăm dò “Bạn có hài lòng với dịch vụ công?”.');
    });

    it('names each problem of a malformed poll next to its field and sends nothing', async () => {
      const el = await open();
      await openForm(el);
      type(field(el, 'poll-id'), 'Sai Mã!');
      type(optionInputs(el)[0]!, 'Có');
      type(optionInputs(el)[1]!, ' có ');
      type(field(el, 'opensAt'), '2026-12-10T08:00');
      type(field(el, 'closesAt'), '2026-12-01T08:00');
      submit(el);
      await waitUntil(() => errorOf(el, 'question'));
      expect(errorOf(el, 'poll-id')).to.contain('Mã chỉ gồm chữ thường không dấu');
      expect(errorOf(el, 'question')).to.equal('Vui lòng nhập câu hỏi.');
      const keys = optionInputs(el).map((i) => i.id);
      expect(errorOf(el, keys[0]!)).to.equal('');
      expect(errorOf(el, keys[1]!)).to.equal('Lựa chọn này trùng với một lựa chọn ở trên.');
      expect(optionInputs(el)[1]!.getAttribute('aria-invalid')).to.equal('true');
      expect(errorOf(el, 'closesAt')).to.equal('Thời điểm đóng phải sau thời điểm mở.');
      expect(text(deep(el, FORM, '[role="alert"]'))).to.equal(
        'Chưa lưu: vui lòng sửa 4 lỗi bên dưới.',
      );
      expect(focused()).to.equal(field(el, 'poll-id'));

      // Fewer than two options.
      type(field(el, 'poll-id'), 'mot-lua-chon');
      type(field<HTMLTextAreaElement>(el, 'question'), 'Một lựa chọn?');
      type(field(el, 'closesAt'), '');
      deepAll<HTMLButtonElement>(el, FORM, 'li button')[5]!.click();
      await waitUntil(() => optionInputs(el).length === 1);
      submit(el);
      await waitUntil(() => errorOf(el, 'options'));
      expect(errorOf(el, 'options')).to.equal('Cần ít nhất 2 lựa chọn.');
      expect(errorOf(el, 'question')).to.equal('');
      expect(focused()).to.equal(deep(el, FORM, '#add-option'));
      expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
      expect(server.polls.demo).to.have.length(2);
    });

    it('names the problems in English', async () => {
      const el = await open('en');
      button(el.shadowRoot!, 'New poll').click();
      await waitUntil(() => deep(el, FORM, '#question'));
      type(optionInputs(el)[0]!, 'Yes');
      submit(el);
      await waitUntil(() => errorOf(el, 'question'));
      expect(errorOf(el, 'question')).to.equal('Please write the question.');
      expect(errorOf(el, optionInputs(el)[1]!.id)).to.equal('This option is empty.');
      expect(text(deep(el, FORM, '[role="alert"]'))).to.equal(
        'Not saved: please correct the 3 problems below.',
      );
    });

    it("shows the server's refusal in words and saves nothing", async () => {
      const el = await open();
      await openForm(el);
      type(field<HTMLTextAreaElement>(el, 'question'), 'Câu hỏi?');
      type(optionInputs(el)[0]!, 'A');
      type(optionInputs(el)[1]!, 'B');
      server.answerNext('POST', '/admin/sites/demo/polls', {
        status: 400,
        json: {
          error: {
            code: 'invalid_request',
            message: 'Invalid field "closesAt": it must be after "opensAt"',
          },
        },
      });
      submit(el);
      await waitUntil(() => text(deep(el, FORM, '[role="alert"]')));
      expect(text(deep(el, FORM, '[role="alert"]'))).to.equal(
        'Không thực hiện được: Invalid field "closesAt": it must be after "opensAt"',
      );
      expect(focused()).to.equal(deep(el, FORM, '.summary'));
      expect(deep(el, FORM)).to.not.equal(null, 'still on the form');
      expect(server.polls.demo).to.have.length(2);
    });

    it('says under the id field when the id is taken', async () => {
      const el = await open();
      await openForm(el);
      type(field(el, 'poll-id'), 'danh-gia');
      type(field<HTMLTextAreaElement>(el, 'question'), 'Câu hỏi khác?');
      type(optionInputs(el)[0]!, 'A');
      type(optionInputs(el)[1]!, 'B');
      submit(el);
      await waitUntil(() => errorOf(el, 'poll-id'));
      expect(server.callsTo('/admin/sites/demo/polls', 'POST')).to.have.length(1);
      expect(errorOf(el, 'poll-id')).to.equal(
        'Trang web đã có một thăm dò với mã này; vui lòng chọn mã khác.',
      );
      expect(field(el, 'poll-id').getAttribute('aria-invalid')).to.equal('true');
      expect(focused()).to.equal(field(el, 'poll-id'));
      expect(server.polls.demo!.map((p) => p.question)).to.not.include('Câu hỏi khác?');
    });

    it('says so when votes arrived while the options were being edited', async () => {
      server.polls.demo!.unshift(poll('moi', 'Câu hỏi mới?', { A: 0, B: 0 }));
      const el = await open('en');
      button(card(el, 'moi'), 'Edit').click();
      await waitUntil(() => deep(el, FORM, '#question'));
      type(optionInputs(el)[1]!, 'B2');
      server.answerNext('PATCH', '/polls/moi', {
        status: 409,
        json: { error: { code: 'poll_has_votes', message: 'Poll "moi" has votes' } },
      });
      submit(el);
      await waitUntil(() => text(deep(el, FORM, '[role="alert"]')));
      expect(text(deep(el, FORM, '[role="alert"]'))).to.equal(
        'Not saved: the poll has just received votes, so its options can no longer change. Go back to the list and edit it again.',
      );
      expect(server.polls.demo![0]!.options.map((o) => o.label)).to.deep.equal(['A', 'B']);
    });

    it('edits a poll without votes: the options keep their ids when moved', async () => {
      server.polls.demo!.unshift(poll('moi', 'Câu hỏi mới?', { A: 0, B: 0 }));
      const el = await open();
      button(card(el, 'moi'), 'Sửa').click();
      await waitUntil(() => deep(el, FORM, '#question'));
      expect(text(deep(el, '#view-heading'))).to.equal('Sửa thăm dò: Câu hỏi mới?');
      expect(deep(el, FORM, '#poll-id')).to.equal(null, 'the id does not change');
      expect(field<HTMLTextAreaElement>(el, 'question').value).to.equal('Câu hỏi mới?');
      deepAll<HTMLButtonElement>(el, FORM, 'li button')[1]!.click();
      await waitUntil(
        () =>
          optionInputs(el)
            .map((i) => i.value)
            .join() === 'B,A',
      );
      button(form(el).shadowRoot!, 'Thêm lựa chọn').click();
      await waitUntil(() => optionInputs(el).length === 3);
      type(optionInputs(el)[2]!, 'C');
      submit(el);
      await waitUntil(() => server.callsTo('/polls/moi', 'PATCH').length === 1);
      expect(server.callsTo('/polls/moi', 'PATCH')[0]!.body).to.deep.equal({
        question: 'Câu hỏi mới?',
        resultsVisibility: 'always',
        ipCeiling: 100,
        requireProof: false,
        options: [
          { id: 'o2', label: 'B' },
          { id: 'o1', label: 'A' },
          { id: 'o3', label: 'C' },
        ],
        multiple: false,
        maxChoices: 1,
      });
      await waitUntil(() => live(el) === 'Đã lưu thăm dò “Câu hỏi mới?”.');
      await waitUntil(() => focused() === card(el, 'moi'));
    });

    it('keeps the options of a poll with votes, and says why', async () => {
      const el = await open();
      button(card(el, 'danh-gia'), 'Sửa').click();
      await waitUntil(() => deep(el, FORM, '#question'));
      expect(text(deep(el, FORM, '#options-locked'))).to.equal(
        'Thăm dò đã có phiếu bầu: không đổi được các lựa chọn, cách chọn và số lựa chọn tối đa.',
      );
      expect(optionInputs(el).every((i) => i.disabled)).to.equal(true);
      expect(deep(el, FORM, '#add-option')).to.equal(null);
      type(field<HTMLTextAreaElement>(el, 'question'), 'Bạn thấy cổng thông tin thế nào?');
      type(field(el, 'closesAt'), '2027-01-01T00:00');
      submit(el);
      await waitUntil(() => server.callsTo('/polls/danh-gia', 'PATCH').length === 1);
      expect(server.callsTo('/polls/danh-gia', 'PATCH')[0]!.body).to.deep.equal({
        question: 'Bạn thấy cổng thông tin thế nào?',
        resultsVisibility: 'always',
        ipCeiling: 100,
        requireProof: false,
        closesAt: new Date('2027-01-01T00:00').toISOString(),
      });
      await waitUntil(() => text(card(el, 'danh-gia')?.querySelector('h2')).startsWith('Bạn thấy'));
    });

    it('leaves the form with Cancel, the focus back on the poll', async () => {
      const el = await open();
      button(card(el, 'cu'), 'Sửa').click();
      await waitUntil(() => deep(el, FORM, '#question'));
      button(form(el).shadowRoot!, 'Huỷ').click();
      await waitUntil(() => focused() === card(el, 'cu'));
      expect(server.calls.filter((c) => c.method !== 'GET')).to.have.length(0);
    });
  });

  describe('results', () => {
    const rows = (el: Element) =>
      deepAll(el, 'tbody tr').map((tr) => [...tr.children].map((c) => text(c)));

    it('shows labelled bars with the votes and shares, and the CSV downloads', async () => {
      const el = await open();
      button(card(el, 'danh-gia'), 'Xem kết quả').click();
      const results = await waitUntil(() => deep(el, RESULTS)).then(() => deep(el, RESULTS)!);
      await waitUntil(() => focused() === deep(el, '#view-heading'));
      expect(text(deep(el, '#view-heading'))).to.equal('Kết quả thăm dò');
      await waitUntil(() => deepAll(results, 'tbody tr').length === 4);
      expect(text(deep(results, 'caption'))).to.equal(
        'Bạn đánh giá như thế nào về cổng thông tin này?',
      );
      expect(text(deep(results, '.figures'))).to.equal('42 người đã bình chọn');
      expect(rows(results)).to.deep.equal([
        ['Rất tốt', '20', '47,6%'],
        ['Tốt', '12', '28,6%'],
        ['Bình thường', '7', '16,7%'],
        ['Chưa tốt', '3', '7,1%'],
      ]);
      const fills = deepAll(results, 'rect.fill').map((r) => Number(r.getAttribute('width')));
      expect(fills.map((w) => Math.round(w))).to.deep.equal([48, 29, 17, 7]);
      expect(deep(results, 'svg')!.getAttribute('aria-hidden')).to.equal('true');
      const links = deepAll<HTMLAnchorElement>(results, 'a[download]');
      expect(
        links.map((a) => [text(a), new URL(a.href).pathname + new URL(a.href).search]),
      ).to.deep.equal([
        ['Tải CSV theo ngày', '/api/v1/admin/sites/demo/polls/danh-gia/results.csv?interval=day'],
        ['Tải CSV theo giờ', '/api/v1/admin/sites/demo/polls/danh-gia/results.csv?interval=hour'],
      ]);
      expect(text(deep(results, 'code'))).to.equal('<civic-poll poll-id="danh-gia"></civic-poll>');
      button(el.shadowRoot!, 'Quay lại danh sách thăm dò').click();
      await waitUntil(() => focused() === card(el, 'danh-gia'));
    });

    describe('live refresh', () => {
      let hidden: boolean;
      const setHidden = (on: boolean) => {
        hidden = on;
        document.dispatchEvent(new Event('visibilitychange'));
      };
      beforeEach(() => {
        hidden = false;
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => (hidden ? 'hidden' : 'visible'),
        });
      });
      afterEach(() => {
        delete (document as unknown as Record<string, unknown>).visibilityState;
      });

      it('reads the votes again while shown, stops while hidden, reads at once when shown again', async () => {
        const el = await fixture<CivicConsolePollResults>(
          html`<civic-console-poll-results
            lang="vi"
            site="demo"
            poll-id="danh-gia"
            refresh="100"
          ></civic-console-poll-results>`,
        );
        await waitUntil(() => rows(el).length === 4);
        server.polls.demo![0]!.options[3]!.votes = 10;
        server.polls.demo![0]!.voters = 49;
        await waitUntil(() => rows(el)[3]![1] === '10', 'the new votes show');
        expect(text(deep(el, '.figures'))).to.equal('49 người đã bình chọn');
        expect(text(el.shadowRoot)).to.match(/Cập nhật lúc \d{1,2}:\d{2}:\d{2}/);

        setHidden(true);
        const reads = server.callsTo('/polls/danh-gia').length;
        await new Promise((r) => setTimeout(r, 450));
        expect(server.callsTo('/polls/danh-gia')).to.have.length(reads, 'no reads while hidden');

        server.polls.demo![0]!.options[0]!.votes = 21;
        setHidden(false);
        await waitUntil(() => rows(el)[0]![1] === '21');
        await waitUntil(() => server.callsTo('/polls/danh-gia').length >= reads + 2, 'ticks again');
        el.remove();
        const after = server.callsTo('/polls/danh-gia').length;
        await new Promise((r) => setTimeout(r, 300));
        expect(server.callsTo('/polls/danh-gia')).to.have.length(after, 'none once removed');
      });

      it('keeps the last figures when a read fails, and says so', async () => {
        const el = await fixture<CivicConsolePollResults>(
          html`<civic-console-poll-results
            lang="en"
            site="demo"
            poll-id="danh-gia"
            refresh="100"
          ></civic-console-poll-results>`,
        );
        await waitUntil(() => rows(el).length === 4);
        server.answerNext('GET', '/polls/danh-gia', { status: 503 });
        await waitUntil(() => text(deep(el, '.error')));
        expect(text(deep(el, '.error'))).to.equal(
          'The results could not be updated; trying again: The server has a problem. Please try again later.',
        );
        expect(rows(el)[0]).to.deep.equal(['Rất tốt', '20', '47.6%']);
        await waitUntil(() => !deep(el, '.error'), 'the next read clears it');
      });
    });
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible in the list, with a confirmation and an error', async () => {
        const el = await open();
        await expect(el).to.be.accessible();
        button(card(el, 'cu'), 'Xoá').click();
        server.answerNext('POST', '/close', { status: 500 });
        button(card(el, 'danh-gia'), 'Đóng ngay').click();
        await waitUntil(() => card(el, 'danh-gia').querySelector('[role="alert"]'));
        await expect(el).to.be.accessible();
      });

      it('is accessible while loading, empty and failed', async () => {
        server.polls.demo = [];
        const held = server.hold('GET', '/polls');
        const el = await fixture<CivicConsolePolls>(
          html`<civic-console-polls lang="en" site="demo"></civic-console-polls>`,
        );
        await waitUntil(() => deep(el, '[aria-busy="true"]'));
        await expect(el).to.be.accessible();
        held.release();
        await waitUntil(() => text(el.shadowRoot).includes('This site has no polls yet.'));
        await expect(el).to.be.accessible();
        server.answerNext('GET', '/polls', { status: 500 });
        await el.load();
        await waitUntil(() => deep(el, '[role="alert"]'));
        await expect(el).to.be.accessible();
      });

      it('is accessible in the form, also with errors and a locked poll', async () => {
        const el = await open();
        await openForm(el);
        await expect(el).to.be.accessible();
        field<HTMLInputElement>(el, 'kind-multiple').click();
        type(field(el, 'closesAt'), '2020-01-01T00:00');
        type(field(el, 'opensAt'), '2021-01-01T00:00');
        submit(el);
        await waitUntil(() => errorOf(el, 'question'));
        await expect(el).to.be.accessible();
        button(form(el).shadowRoot!, 'Huỷ').click();
        await el.updateComplete;
        button(card(el, 'danh-gia'), 'Sửa').click();
        await waitUntil(() => deep(el, FORM, '#options-locked'));
        await expect(el).to.be.accessible();
      });

      it('is accessible with the results', async () => {
        const el = await open('en');
        button(card(el, 'danh-gia'), 'Results').click();
        await waitUntil(() => deepAll(el, RESULTS, 'tbody tr').length === 4);
        await expect(el).to.be.accessible();
      });
    });
  }
});
