import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { niceScale, type CivicConsoleChart } from '../../src/console/civic-console-chart.js';
import '../../src/console/civic-console-overview.js';
import type { CivicConsoleOverview } from '../../src/console/civic-console-overview.js';
import { afterEach, beforeEach, describe, it } from '../helpers/mocha.js';
import { ADMIN, FakeAdminApi, SITES } from './fake-admin-api.js';
import { deep, deepAll, text, useColorScheme } from './utils.js';

async function open(lang = 'vi', sites = [SITES[0]!]): Promise<CivicConsoleOverview> {
  const el = await fixture<CivicConsoleOverview>(
    html`<civic-console-overview
      lang=${lang}
      site="demo"
      .sites=${sites}
    ></civic-console-overview>`,
  );
  await waitUntil(() => deep(el, 'civic-console-chart'), 'no figures');
  return el;
}

const figures = (el: Element) =>
  deepAll(el, '.figures > div').map((d) => [
    text(d.querySelector('dt')),
    // The figure, without the link beside it.
    text(d.querySelector('dd'))
      .replace(text(d.querySelector('dd a')), '')
      .trim(),
  ]);
const chart = (el: Element) => deep<CivicConsoleChart>(el, 'civic-console-chart')!;

describe('<civic-console-overview>', () => {
  let server: FakeAdminApi;
  beforeEach(() => {
    server = new FakeAdminApi();
    server.me = ADMIN;
  });
  afterEach(async () => {
    document.querySelectorAll('civic-console-overview').forEach((el) => el.remove());
    server.restore();
    await useColorScheme('light');
  });

  it('shows visits today, this month and in all, comments waiting and open polls', async () => {
    const el = await open();
    expect(figures(el)).to.deep.equal([
      ['Lượt truy cập hôm nay', '390'],
      ['Tháng này', '12.345'],
      ['Tổng số lượt truy cập', '1.414.428'],
      ['Bình luận chờ duyệt', '3'],
      ['Thăm dò đang mở', '1'],
    ]);
    expect(deep<HTMLAnchorElement>(el, '.figures a')!.getAttribute('href')).to.equal('#/comments');
    expect(text(deep(el, '.figures a'))).to.equal('Duyệt bình luận');
    expect(deepAll(el, 'ul.polls li').map(text)).to.deep.equal([
      'Bạn đánh giá như thế nào về cổng thông tin này?',
    ]);
    expect(server.callsTo('/admin/sites/demo/visits/daily?days=30')).to.have.length(1);
    expect(server.callsTo('/admin/sites/demo/comments?status=pending&limit=1')).to.have.length(1);
  });

  it('prints the figures for English readers', async () => {
    const el = await open('en');
    expect(figures(el)[2]).to.deep.equal(['Total visits', '1,414,428']);
    expect(text(deep(el, '#polls-heading'))).to.equal('Open polls');
  });

  it('draws 30 days as bars on labelled axes, summed up for screen readers', async () => {
    const el = await open();
    const svg = deep<SVGSVGElement>(el, 'civic-console-chart', 'svg')!;
    const bars = [...svg.querySelectorAll<SVGRectElement>('rect.bar')];
    expect(bars).to.have.length(30);
    // Heights follow the figures: the peak (987 on 20 November) is the tallest bar.
    const heights = bars.map((b) => Number(b.getAttribute('height')));
    expect(heights.indexOf(Math.max(...heights))).to.equal(19);
    expect(heights[0]! / heights[29]!).to.be.closeTo(100 / 390, 0.01);
    const labels = [...svg.querySelectorAll('text')].map(text);
    expect(labels).to.include.members(['Lượt truy cập', 'Ngày', '0', '1.000', '30 thg 11']);
    expect(svg.getAttribute('role')).to.equal('img');
    expect(text(svg.querySelector('title'))).to.equal('Lượt truy cập 30 ngày qua');
    expect(text(svg.querySelector('desc'))).to.match(
      /^Biểu đồ cột lượt truy cập mỗi ngày: tổng 8\.047, cao nhất 987 vào ngày 20 tháng 11, 2026\.$/,
    );
    // Sizes are attributes, never inline styles (strict CSP).
    expect(svg.outerHTML).not.to.contain('style=');
  });

  it('has the same figures in a table, shown on request', async () => {
    const el = await open();
    const rows = deepAll(el, 'civic-console-chart', 'tbody tr');
    expect(rows).to.have.length(30);
    expect(text(rows[19]!.querySelector('td'))).to.equal('987');
    expect(text(rows[29]!.querySelector('th'))).to.contain('30 tháng 11, 2026');
    const wrapper = deep(el, 'civic-console-chart', '#chart-table')!;
    expect(wrapper.classList.contains('visually-hidden')).to.equal(true);
    const toggle = deep<HTMLButtonElement>(el, 'civic-console-chart', 'button.toggle')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await chart(el).updateComplete;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(text(toggle)).to.equal('Ẩn bảng số liệu');
    expect(wrapper.classList.contains('visually-hidden')).to.equal(false);
    expect(wrapper.getBoundingClientRect().height).to.be.greaterThan(100);
  });

  it('lists every site of the user with its visits', async () => {
    const el = await open('vi', SITES);
    await waitUntil(() => deepAll(el, '#sites-heading + table tbody td.number').length === 6);
    const rows = deepAll(el, '#sites-heading + table tbody tr').map((r) =>
      [...r.children].map(text),
    );
    expect(rows).to.deep.equal([
      ['Cổng thông tin tỉnh', '390', '12.345', '1.414.428'],
      ['Sở Y tế', '395', '12.350', '1.414.433'],
    ]);
  });

  it('reloads for another site', async () => {
    const el = await open();
    el.site = 'so-y-te';
    await waitUntil(() => figures(el)[0]?.[1] === '395');
    expect(figures(el)[3]).to.deep.equal(['Bình luận chờ duyệt', '1']);
    expect(text(deep(el, 'section p.muted'))).to.equal('Không có thăm dò nào đang mở.');
  });

  it('says why the figures are missing and tries again', async () => {
    server.answerNext('GET', '/visits/daily', {
      status: 403,
      json: { error: { code: 'forbidden', message: 'no' } },
    });
    const el = await fixture<CivicConsoleOverview>(
      html`<civic-console-overview lang="vi" site="demo"></civic-console-overview>`,
    );
    await waitUntil(() => deep(el, '[role="alert"]'));
    expect(text(deep(el, '[role="alert"]'))).to.equal(
      'Tài khoản của bạn không có quyền với trang web này.',
    );
    deep<HTMLButtonElement>(el, 'button')!.click();
    await waitUntil(() => deep(el, 'civic-console-chart'));
  });

  it('scales the y axis to round steps', () => {
    expect(niceScale(0)).to.deep.equal({ top: 5, step: 1 });
    expect(niceScale(3)).to.deep.equal({ top: 3, step: 1 });
    expect(niceScale(987)).to.deep.equal({ top: 1000, step: 200 });
    expect(niceScale(1234)).to.deep.equal({ top: 1500, step: 500 });
    expect(niceScale(41)).to.deep.equal({ top: 50, step: 10 });
    expect(niceScale(41, 4)).to.deep.equal({ top: 60, step: 20 });
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`accessibility (${scheme})`, () => {
      beforeEach(async function () {
        if (!(await useColorScheme(scheme))) this.skip();
      });

      it('is accessible with the chart, and with the table shown', async () => {
        const el = await open('vi', SITES);
        await waitUntil(() => deepAll(el, '#sites-heading + table td.number').length === 6);
        await expect(el).to.be.accessible();
        deep<HTMLButtonElement>(el, 'civic-console-chart', 'button.toggle')!.click();
        await chart(el).updateComplete;
        await expect(el).to.be.accessible();
      });
    });
  }
});
