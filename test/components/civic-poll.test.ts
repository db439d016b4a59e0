import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createChallenge } from 'altcha-lib/v1';
import type { CivicCaptcha } from '../../src/components/captcha/civic-captcha.js';
import { CivicPoll } from '../../src/components/poll/civic-poll.js';
import { stored } from '../../src/client/storage.js';
import type { CaptchaChallenge, PowChallenge } from '../../src/shared/captcha-types.js';
import type { PollView } from '../../src/shared/poll-types.js';
import { describeLoadFailures, loadFailure, watchFailures } from '../helpers/failures.js';
import { beforeEach, describe, it } from '../helpers/mocha.js';
import { OPTIONS, poll, QUESTION, results, TOKEN, voted } from '../helpers/polls.js';
import { deferred, type MockFetch, type MockResponse } from '../helpers/mock-fetch.js';
import {
  API,
  describeColorSchemes,
  itKeepsTheFirstDefinition,
  part,
  text,
  SURFACE,
  useMockFetch,
  withStorageBlocked,
} from '../helpers/widget.js';

const POLL_URL = `${API}/api/v1/sites/demo/polls/danh-gia`;
const KEY = 'civic-poll:demo:danh-gia';

const root = (el: CivicPoll) => el.shadowRoot!;
const parts = (el: CivicPoll, name: string) => [
  ...root(el).querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];
const inputs = (el: CivicPoll) => [...root(el).querySelectorAll<HTMLInputElement>('input')];
const live = (el: CivicPoll) => text(root(el).querySelector('[aria-live]'));
const focused = (el: CivicPoll) => root(el).activeElement as HTMLElement | null;
const ready = (el: CivicPoll) =>
  waitUntil(() => part(el, 'base')?.getAttribute('aria-busy') === 'false', 'poll never loaded');
/** What the results say: each option's votes and share, the total and who leads. */
const shownResults = (el: CivicPoll) => ({
  values: parts(el, 'result-value').map(text),
  total: text(part(el, 'total')),
  leader: text(part(el, 'leader')),
});
const votesOf = (mock: MockFetch) => mock.calls.filter((c) => c.url.endsWith('/votes'));
/** The server's answer to `POST /polls/{poll}/voters`: a new voter token. */
const NEW_VOTER = { status: 201, json: { voterToken: TOKEN } };

async function open(
  over: Partial<PollView> = {},
  lang = 'vi',
  mock?: MockFetch,
): Promise<CivicPoll> {
  mock?.queue({ json: poll(over) });
  const el = await fixture<CivicPoll>(
    html`<civic-poll lang=${lang} site="demo" api=${API} poll-id="danh-gia"><p>Thăm dò ý kiến</p></civic-poll>`,
  );
  await ready(el);
  return el;
}

describe('<civic-poll>', () => {
  const mock = useMockFetch('civic-poll');
  beforeEach(() => localStorage.clear());

  describe('voting', () => {
    it('shows the question as a legend with one radio per option, in Vietnamese', async () => {
      const el = await open({}, 'vi', mock);
      expect(mock.calls[0]!.url).to.equal(POLL_URL);
      expect(mock.calls[0]!.method).to.equal('GET');
      const fieldset = root(el).querySelector('fieldset')!;
      expect(text(fieldset.querySelector('legend'))).to.equal(QUESTION);
      expect(inputs(el).map((i) => i.type)).to.deep.equal(['radio', 'radio', 'radio', 'radio']);
      expect(parts(el, 'option').map(text)).to.deep.equal(OPTIONS.map((o) => o.label));
      expect(text(part(el, 'submit-button'))).to.equal('Gửi bình chọn');
      expect(text(part(el, 'results-button'))).to.equal('Xem kết quả');
      expect(localStorage.getItem(KEY), 'a reader gets no token before voting').to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('can be voted with the keyboard alone, then shows and announces the results', async () => {
      mock.queue({ json: poll() }, NEW_VOTER, {
        json: voted(['tot'], { results: results([3, 2, 0, 0]), counted: true }),
      });
      const wrap = await fixture(
        html`<div><button id="before">trước</button><civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia"></civic-poll></div>`,
      );
      const el = wrap.querySelector('civic-poll')!;
      await ready(el);
      const votes: CustomEvent[] = [];
      el.addEventListener('civic-vote', (e) => votes.push(e));
      wrap.querySelector<HTMLButtonElement>('#before')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(focused(el)).to.equal(inputs(el)[0]);
      await sendKeys({ press: 'ArrowDown' });
      expect(inputs(el)[1]!.checked).to.be.true;
      await sendKeys({ press: 'Tab' });
      expect(focused(el)).to.equal(part(el, 'submit-button'));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => part(el, 'results'), 'no results after voting');
      // A token is asked for first (the reader had none), then the vote is sent with it.
      expect(mock.calls.map((c) => `${c.method} ${c.url}`)).to.deep.equal([
        `GET ${POLL_URL}`,
        `POST ${POLL_URL}/voters`,
        `POST ${POLL_URL}/votes`,
      ]);
      expect(mock.calls[1]!.headers['content-type']).to.equal('application/json');
      expect(mock.calls[1]!.body).to.deep.equal({});
      expect(localStorage.getItem(KEY), 'the new token is kept').to.equal(TOKEN);
      const [post] = votesOf(mock);
      expect(post!.url).to.equal(`${POLL_URL}/votes`);
      expect(post!.headers['content-type']).to.equal('application/json');
      expect(post!.body).to.deep.equal({ choices: ['tot'], voter: TOKEN });
      expect(shownResults(el)).to.deep.equal({
        values: ['3 phiếu (60%)', '2 phiếu (40%)', '0 phiếu (0%)', '0 phiếu (0%)'],
        total: 'Tổng cộng 5 người đã bình chọn.',
        leader: 'Dẫn đầu: Rất tốt (60%).',
      });
      expect(text(part(el, 'result-mine'))).to.contain('Tốt (bạn chọn)');
      expect(text(part(el, 'notice'))).to.equal('Cảm ơn bạn đã bình chọn.');
      expect(part(el, 'back-button'), 'no way back after voting').to.equal(null);
      expect(focused(el)).to.equal(part(el, 'question'), 'focus moves to the results');
      await waitUntil(() => live(el).includes('Cảm ơn bạn đã bình chọn.'));
      expect(live(el)).to.contain('Dẫn đầu: Rất tốt (60%).');
      expect(votes).to.have.length(1);
      expect(votes[0]!.detail).to.deep.equal({ pollId: 'danh-gia', choices: ['tot'] });
      await expect(el).to.be.accessible();
    });

    it('draws each bar as the share of votes through a CSS variable, hidden from assistive technology', async () => {
      const el = await open(voted(['tot'], { results: results([3, 1, 0, 0]) }), 'vi', mock);
      const bars = parts(el, 'bar');
      expect(bars.every((b) => b.getAttribute('aria-hidden') === 'true')).to.be.true;
      const widths = parts(el, 'bar-fill').map((f) => f.getBoundingClientRect().width);
      const track = bars[0]!.clientWidth;
      expect(widths[0]! / track).to.be.closeTo(0.75, 0.02);
      expect(widths[1]! / track).to.be.closeTo(0.25, 0.02);
      expect(widths[2]).to.equal(0);
      expect(root(el).querySelector('[style*="width"]'), 'no width in a style attribute').to.equal(
        null,
      );
    });

    it('asks for a choice before sending, and sends nothing', async () => {
      const el = await open({}, 'en', mock);
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'message'));
      expect(text(part(el, 'message'))).to.equal('Please choose an option.');
      expect(focused(el)).to.equal(inputs(el)[0]);
      await waitUntil(() => live(el) === 'Please choose an option.');
      expect(votesOf(mock)).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it('enforces the multiple-choice maximum with a clear message', async () => {
      const el = await open({ multiple: true, maxChoices: 2 }, 'vi', mock);
      expect(inputs(el).every((i) => i.type === 'checkbox')).to.be.true;
      expect(text(part(el, 'hint'))).to.equal('Chọn tối đa 2 phương án.');
      expect(root(el).querySelector('fieldset')!.getAttribute('aria-describedby')).to.equal('hint');
      inputs(el)[0]!.click();
      inputs(el)[2]!.click();
      await el.updateComplete;
      inputs(el)[3]!.click();
      await el.updateComplete;
      expect(inputs(el).map((i) => i.checked)).to.deep.equal([true, false, true, false]);
      expect(text(part(el, 'message'))).to.equal('Bạn chỉ được chọn tối đa 2 phương án.');
      await waitUntil(() => live(el) === 'Bạn chỉ được chọn tối đa 2 phương án.');
      await expect(el).to.be.accessible();
      // Unticking one makes room again.
      inputs(el)[0]!.click();
      inputs(el)[3]!.click();
      await el.updateComplete;
      expect(inputs(el).map((i) => i.checked)).to.deep.equal([false, false, true, true]);
      expect(part(el, 'message')).to.equal(null);
      mock.queue(NEW_VOTER, {
        json: poll({
          multiple: true,
          maxChoices: 2,
          voted: true,
          choices: ['binh-thuong', 'chua-tot'],
          results: results([3, 1, 1, 1], 5),
        }),
      });
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'results'));
      expect(votesOf(mock)[0]!.body).to.deep.equal({
        choices: ['binh-thuong', 'chua-tot'],
        voter: TOKEN,
      });
      expect(parts(el, 'result-mine')).to.have.length(2);
    });

    it('toggles checkboxes with the Space key', async () => {
      const el = await open({ multiple: true, maxChoices: 2 }, 'en', mock);
      inputs(el)[0]!.focus();
      await sendKeys({ press: ' ' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: ' ' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: ' ' });
      await el.updateComplete;
      expect(inputs(el).map((i) => i.checked)).to.deep.equal([true, true, false, false]);
      expect(text(part(el, 'message'))).to.equal('You can choose at most 2 options.');
    });
  });

  describe('results', () => {
    it('shows the results without voting, and goes back to voting', async () => {
      const el = await open({ results: results([1, 1, 2, 0]) }, 'en', mock);
      inputs(el)[1]!.click();
      await el.updateComplete;
      part(el, 'results-button')!.click();
      await waitUntil(() => part(el, 'results'));
      expect(
        parts(el, 'result').map((r) => text(r.querySelector('[part~="result-label"]'))),
      ).to.deep.equal(OPTIONS.map((o) => o.label));
      expect(shownResults(el)).to.deep.equal({
        values: ['1 vote (25%)', '1 vote (25%)', '2 votes (50%)', '0 votes (0%)'],
        total: '4 people have voted.',
        leader: 'Leading: Bình thường (50%).',
      });
      expect(part(el, 'notice')).to.equal(null);
      expect(text(part(el, 'back-button'))).to.equal('Back to voting');
      expect(focused(el)).to.equal(part(el, 'question'));
      await waitUntil(() => live(el) === '4 people have voted. Leading: Bình thường (50%).');
      await expect(el).to.be.accessible();
      part(el, 'back-button')!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => root(el).querySelector('fieldset'));
      expect(inputs(el)[1]!.checked, 'the choice is kept').to.be.true;
      expect(focused(el)).to.equal(inputs(el)[1]);
      expect(votesOf(mock)).to.have.length(0);
    });

    it('states a tie and an empty poll in words', async () => {
      const tie = await open(voted(['tot'], { results: results([2, 2, 1, 0]) }), 'en', mock);
      expect(text(part(tie, 'leader'))).to.equal('Tied for the lead: Rất tốt and Tốt (40%).');
      tie.remove();
      const empty = await open({ results: results([0, 0, 0, 0]) }, 'vi', mock);
      part(empty, 'results-button')!.click();
      await waitUntil(() => part(empty, 'leader'));
      expect(text(part(empty, 'leader'))).to.equal('Chưa có lượt bình chọn nào.');
      expect(text(part(empty, 'total'))).to.equal('Tổng cộng 0 người đã bình chọn.');
    });

    it('keeps the already-voted state after a reload, with the stored voter token', async () => {
      mock.queue({ json: poll() }, NEW_VOTER, {
        json: voted(['rat-tot'], { results: results([4, 1, 0, 0]), counted: true }),
      });
      const first = await fixture<CivicPoll>(
        html`<civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
      );
      await ready(first);
      inputs(first)[0]!.click();
      part(first, 'submit-button')!.click();
      await waitUntil(() => part(first, 'results'));
      first.remove();
      // A reload: a new element, the same localStorage.
      mock.queue({ json: voted(['rat-tot'], { results: results([4, 1, 0, 0]) }) });
      const el = await fixture<CivicPoll>(
        html`<civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
      );
      await ready(el);
      expect(mock.calls[3]!.url).to.equal(`${POLL_URL}?voter=${encodeURIComponent(TOKEN)}`);
      expect(root(el).querySelector('fieldset'), 'no form').to.equal(null);
      expect(text(part(el, 'notice'))).to.equal('Bạn đã bình chọn.');
      expect(text(part(el, 'result-mine'))).to.contain('Rất tốt (bạn chọn)');
      expect(part(el, 'back-button')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('says where the results are when the poll hides them', async () => {
      const hidden = await open(
        voted(['tot'], { results: undefined, resultsVisibility: 'after_close' }),
        'vi',
        mock,
      );
      expect(text(part(hidden, 'notice'))).to.equal('Bạn đã bình chọn. Bạn đã chọn: Tốt.');
      expect(parts(hidden, 'status').map(text)).to.deep.equal([
        'Kết quả sẽ được công bố khi cuộc thăm dò kết thúc.',
      ]);
      expect(part(hidden, 'results')).to.equal(null);
      await expect(hidden).to.be.accessible();
      hidden.remove();
      const never = await open({ results: undefined, resultsVisibility: 'never' }, 'en', mock);
      expect(part(never, 'results-button'), 'no results button').to.equal(null);
      expect(text(part(never, 'status'))).to.equal('The results are not published here.');
      never.remove();
      const afterVote = await open(
        { results: undefined, resultsVisibility: 'after_vote' },
        'en',
        mock,
      );
      expect(part(afterVote, 'results-button')).to.equal(null);
      expect(text(part(afterVote, 'status'))).to.equal(
        'The results are shown once you have voted.',
      );
      await expect(afterVote).to.be.accessible();
    });
  });

  describe('schedule', () => {
    const closesAt = '2026-11-30T10:00:00.000Z';
    const opensAt = '2026-12-01T01:00:00.000Z';
    const when = (iso: string, locale: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(
        Date.parse(iso),
      );

    it("shows a closed poll with its closing date in the visitor's language", async () => {
      const el = await open(
        { status: 'closed', closesAt, results: results([3, 1, 0, 0]) },
        'vi',
        mock,
      );
      expect(root(el).querySelector('form')).to.equal(null);
      expect(part(el, 'results')).to.exist;
      expect(part(el, 'back-button')).to.equal(null);
      const status = part(el, 'status')!;
      expect(text(status)).to.equal(`Cuộc thăm dò đã kết thúc (${when(closesAt, 'vi-VN')}).`);
      expect(status.querySelector('time')!.getAttribute('datetime')).to.equal(closesAt);
      await expect(el).to.be.accessible();
      el.lang = 'en';
      await waitUntil(
        () => text(part(el, 'status')) === `This poll closed on ${when(closesAt, 'en-US')}.`,
        'not re-rendered in English',
      );
    });

    it('shows a closed poll whose results are hidden', async () => {
      const el = await open(
        { status: 'closed', results: undefined, resultsVisibility: 'never' },
        'en',
        mock,
      );
      expect(parts(el, 'status').map(text)).to.deep.equal([
        'This poll is closed.',
        'The results are not published here.',
      ]);
      await expect(el).to.be.accessible();
    });

    it('shows a poll that is not open yet, with its opening date', async () => {
      const el = await open({ status: 'upcoming', opensAt, closesAt: null }, 'vi', mock);
      expect(inputs(el)).to.have.length(0);
      expect(part(el, 'results'), 'no results before it opens').to.equal(null);
      expect(text(part(el, 'question'))).to.equal(QUESTION);
      expect(text(part(el, 'status'))).to.equal(
        `Cuộc thăm dò chưa bắt đầu. Thời gian bắt đầu: ${when(opensAt, 'vi-VN')}.`,
      );
      await expect(el).to.be.accessible();
    });

    it('shows when voting closes while it is open', async () => {
      const el = await open({ closesAt: opensAt }, 'en', mock);
      expect(text(part(el, 'status'))).to.equal(`Voting closes on ${when(opensAt, 'en-US')}.`);
    });
  });

  describeLoadFailures(
    mock,
    [
      loadFailure.serverError('vi'),
      loadFailure.html('en', '<!doctype html><h1>Trang chủ</h1>'),
      loadFailure.wrongJson('en', 'JSON that is not a poll', { question: 5 }),
      loadFailure.network('vi'),
      {
        name: '404 unknown poll',
        responses: [
          { status: 404, json: { error: { code: 'not_found', message: 'Poll "x" not found' } } },
        ],
        lang: 'en',
        code: 'not_found',
        message: 'Nothing was found.',
      },
    ],
    (lang) =>
      fixture(
        html`<civic-poll lang=${lang} site="demo" api=${API} poll-id="danh-gia"><p>Thăm dò ý kiến: <a href="/tham-do">xem trang thăm dò</a></p></civic-poll>`,
      ),
  );

  describe('failures', () => {
    const { errors, uncaught } = watchFailures();

    it('is accessible while loading', async () => {
      const pending = deferred<MockResponse>();
      mock.queue({ wait: pending.promise });
      const el = await fixture<CivicPoll>(
        html`<civic-poll lang="vi" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
      );
      await el.updateComplete;
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
      expect(text(part(el, 'base'))).to.equal('Đang tải…');
      await expect(el).to.be.accessible();
      pending.resolve({ json: poll() });
      await ready(el);
    });

    it('keeps the form and the choice when the network fails while voting, and retries with the same token', async () => {
      const el = await open({}, 'en', mock);
      inputs(el)[2]!.click();
      mock.queue(NEW_VOTER, 'network-error', 'network-error', 'network-error');
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'message'), 'no message', { timeout: 5000 });
      expect(text(part(el, 'message'))).to.equal(
        'Cannot reach the server. Please check your connection.',
      );
      expect(inputs(el)[2]!.checked).to.be.true;
      expect(votesOf(mock)).to.have.length(3);
      expect(
        new Set(votesOf(mock).map((c) => JSON.stringify(c.body))).size,
        'every retry is the same vote',
      ).to.equal(1);
      expect(errors).to.deep.equal([], 'the poll stays usable');
      await expect(el).to.be.accessible();
      mock.queue({ json: voted(['binh-thuong']) });
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'results'));
    });

    it('explains the per-network vote limit', async () => {
      const el = await open({}, 'vi', mock);
      inputs(el)[0]!.click();
      mock.queue(NEW_VOTER, {
        status: 429,
        headers: { 'Retry-After': '40000' },
        json: { error: { code: 'vote_limit', message: 'Too many votes' } },
      });
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'message'));
      expect(text(part(el, 'message'))).to.equal(
        'Mạng của bạn đã gửi quá nhiều lượt bình chọn hôm nay. Vui lòng thử lại vào ngày mai.',
      );
      await waitUntil(() => live(el).startsWith('Mạng của bạn'));
      expect(votesOf(mock)).to.have.length(1);
    });

    it('says so when the network may not have more new voters now, sends no vote, and tries again on the next click', async () => {
      const el = await open({}, 'en', mock);
      inputs(el)[1]!.click();
      mock.queue({
        status: 429,
        headers: { 'Retry-After': '600' },
        json: { error: { code: 'rate_limited', message: 'Too many new voters' } },
      });
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'message'));
      expect(text(part(el, 'message'))).to.match(/too many/i);
      expect(votesOf(mock), 'no vote without a token').to.have.length(0);
      expect(localStorage.getItem(KEY)).to.equal(null);
      expect(inputs(el)[1]!.checked, 'the choice is kept').to.be.true;
      mock.queue(NEW_VOTER, { json: voted(['tot'], { counted: true }) });
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'results'));
      expect(votesOf(mock)[0]!.body).to.deep.equal({ choices: ['tot'], voter: TOKEN });
      expect(errors).to.deep.equal([]);
    });

    it('shows the closed state when the poll closed before the vote arrived', async () => {
      const el = await open({}, 'en', mock);
      inputs(el)[0]!.click();
      mock.queue(
        NEW_VOTER,
        { status: 409, json: { error: { code: 'poll_closed', message: 'closed' } } },
        { json: poll({ status: 'closed', closesAt: '2026-11-30T10:00:00.000Z' }) },
      );
      part(el, 'submit-button')!.click();
      await waitUntil(
        () => root(el).querySelector('fieldset') === null && part(el, 'results'),
        'no closed state',
      );
      expect(text(part(el, 'status'))).to.match(/^This poll closed on /);
      await waitUntil(() => live(el) === 'This poll is closed.');
      expect(mock.calls[3]!.url, 'reloaded with the token').to.contain('?voter=');
    });

    it('forgets a voter token the server refuses and starts afresh', async () => {
      localStorage.setItem(KEY, `${'C'.repeat(22)}.${'D'.repeat(22)}`);
      mock.queue(
        { status: 400, json: { error: { code: 'invalid_voter', message: 'bad token' } } },
        { json: poll() },
      );
      const el = await fixture<CivicPoll>(
        html`<civic-poll lang="en" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
      );
      await ready(el);
      expect(mock.calls.map((c) => c.url)).to.deep.equal([
        `${POLL_URL}?voter=${encodeURIComponent(`${'C'.repeat(22)}.${'D'.repeat(22)}`)}`,
        POLL_URL,
      ]);
      expect(localStorage.getItem(KEY), 'forgotten').to.equal(null);
      // The next vote asks for a new one.
      inputs(el)[0]!.click();
      mock.queue(NEW_VOTER, { json: voted(['rat-tot'], { counted: true }) });
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'results'));
      expect(votesOf(mock)[0]!.body).to.deep.equal({ choices: ['rat-tot'], voter: TOKEN });
      expect(localStorage.getItem(KEY)).to.equal(TOKEN);
      expect(errors).to.deep.equal([]);
    });

    it('keeps the token in memory when localStorage throws', async () => {
      await withStorageBlocked(async () => {
        const el = await open({}, 'en', mock);
        inputs(el)[0]!.click();
        mock.queue(NEW_VOTER, { json: voted(['rat-tot']) });
        part(el, 'submit-button')!.click();
        await waitUntil(() => part(el, 'results'));
      });
      expect(votesOf(mock)[0]!.body).to.deep.equal({ choices: ['rat-tot'], voter: TOKEN });
      expect(uncaught.errors).to.deep.equal([]);
      // The page's in-memory copy goes too: the next test starts without a token.
      stored('localStorage', KEY, null);
    });
  });

  describeColorSchemes((scheme) => {
    it('is accessible while voting, with the scheme colours', async () => {
      const el = await open(
        { multiple: true, maxChoices: 2, closesAt: '2026-12-01T01:00:00.000Z' },
        'vi',
        mock,
      );
      const bg = getComputedStyle(part(el, 'base')!).backgroundColor;
      expect(bg).to.equal(SURFACE[scheme]);
      await expect(el).to.be.accessible();
    });

    it('is accessible with the results', async () => {
      const el = await open(voted(['tot'], { results: results([5, 3, 1, 1]) }), 'en', mock);
      await expect(el).to.be.accessible();
    });
  });

  it('sends nothing twice while a vote is on its way', async () => {
    const el = await open({}, 'vi', mock);
    inputs(el)[0]!.click();
    const answer = deferred<MockResponse>();
    mock.queue(NEW_VOTER, { wait: answer.promise });
    part(el, 'submit-button')!.click();
    await el.updateComplete;
    expect(text(part(el, 'submit-button'))).to.equal('Đang gửi bình chọn…');
    expect(part(el, 'submit-button')!.getAttribute('aria-disabled')).to.equal('true');
    part(el, 'submit-button')!.click();
    answer.resolve({ json: voted(['rat-tot']) });
    await oneEvent(el, 'civic-vote');
    expect(votesOf(mock)).to.have.length(1);
  });

  describe('a poll that requires proof', () => {
    /** A `pow` challenge for the action `vote`, real and small (it solves in a moment). */
    async function voteChallenge(): Promise<CaptchaChallenge> {
      const pow = (await createChallenge({
        hmacKey: 'test-key',
        maxnumber: 2000,
        expires: new Date(Date.now() + 600_000),
        params: { site: 'demo', action: 'vote', max: '2000' },
      })) as PowChallenge;
      return {
        mode: 'pow',
        id: null,
        image: null,
        length: null,
        pow,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      };
    }
    const votePosts = () => mock.calls.filter((c) => c.url.endsWith('/votes'));
    const captchaPosts = () =>
      mock.calls.filter((c) => c.url === `${API}/api/v1/sites/demo/captcha`);
    const captchaOf = (el: CivicPoll) => part(el, 'captcha') as CivicCaptcha | null;
    async function openWithProof(lang = 'vi'): Promise<CivicPoll> {
      mock.queue({ json: poll({ requireProof: true }) }, { json: await voteChallenge() });
      const el = await fixture<CivicPoll>(
        html`<civic-poll lang=${lang} site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
      );
      // The first time, the captcha's module is fetched too.
      await waitUntil(() => part(el, 'base')?.getAttribute('aria-busy') === 'false', 'no poll', {
        timeout: 10_000,
      });
      await waitUntil(() => captchaOf(el)?.value, 'the proof of work was never solved', {
        timeout: 10_000,
      });
      return el;
    }

    it('shows the captcha step in its form and sends its token with the vote', async () => {
      const el = await openWithProof('vi');
      const captcha = captchaOf(el)!;
      expect(captcha.tagName).to.equal('CIVIC-CAPTCHA');
      expect(captcha.getAttribute('action')).to.equal('vote');
      expect(part(el, 'form')!.contains(captcha), 'inside the voting form').to.equal(true);
      expect(captchaPosts()[0]!.body).to.deep.equal({ action: 'vote' });
      await expect(el).to.be.accessible();

      inputs(el)[1]!.click();
      mock.queue(NEW_VOTER, { json: voted(['tot']) });
      part(el, 'submit-button')!.click();
      await oneEvent(el, 'civic-vote');
      const [sent] = votePosts();
      const body = sent!.body as { choices: string[]; voter: string; captcha: string };
      expect(body.choices).to.deep.equal(['tot']);
      expect(body.voter).to.equal(TOKEN);
      expect(body.captcha).to.equal(captcha.value);
      expect(body.captcha).to.match(/^p1\./);
      await waitUntil(() => part(el, 'results'));
      expect(part(el, 'captcha'), 'gone once voted').to.equal(null);
    });

    it('sends nothing until the captcha has a token, and says so', async () => {
      mock.queue({ json: poll({ requireProof: true }) }, 'hang');
      const el = await fixture<CivicPoll>(
        html`<civic-poll lang="en" site="demo" api=${API} poll-id="danh-gia"></civic-poll>`,
      );
      await waitUntil(() => captchaOf(el), 'no captcha step', { timeout: 10_000 });
      inputs(el)[0]!.click();
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'message'));
      expect(text(part(el, 'message'))).to.equal('Please complete the check below, then vote.');
      await waitUntil(() => live(el) === 'Please complete the check below, then vote.');
      expect(votePosts()).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it('gets a new check when the server refuses the token, and votes with the new one', async () => {
      const el = await openWithProof('vi');
      const first = captchaOf(el)!.value;
      inputs(el)[0]!.click();
      mock.queue(
        NEW_VOTER,
        { status: 400, json: { error: { code: 'captcha_used', message: 'used' } } },
        { json: await voteChallenge() },
      );
      part(el, 'submit-button')!.click();
      await waitUntil(() => part(el, 'message'));
      expect(text(part(el, 'message'))).to.equal(
        'Bước xác minh không được chấp nhận. Vui lòng làm lại rồi gửi bình chọn.',
      );
      await waitUntil(
        () => captchaOf(el)?.value && captchaOf(el)!.value !== first,
        'no new token after the refusal',
        { timeout: 10_000 },
      );
      expect(captchaPosts()).to.have.length(2);
      expect(inputs(el)[0]!.checked, 'the choice is kept').to.equal(true);
      const second = captchaOf(el)!.value;
      mock.queue({ json: voted(['rat-tot']) });
      part(el, 'submit-button')!.click();
      await oneEvent(el, 'civic-vote');
      const bodies = votePosts().map((c) => (c.body as { captcha: string }).captcha);
      expect(bodies).to.deep.equal([first, second]);
    });

    it('loads no captcha for a poll without the requirement', async () => {
      const el = await open({}, 'vi', mock);
      expect(part(el, 'captcha')).to.equal(null);
      expect(captchaPosts()).to.have.length(0);
    });
  });

  itKeepsTheFirstDefinition(CivicPoll, 'civic-poll');
});
