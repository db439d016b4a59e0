import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/console/civic-console.js';
import type { CivicConsole } from '../../src/console/civic-console.js';
import type { CivicConsoleSites } from '../../src/console/civic-console-sites.js';
import { describe, it } from '../helpers/mocha.js';
import { ADMIN, EDITOR } from './fake-admin-api.js';
import { FakeListsSitesApi } from './fake-lists-sites.js';
import { deep, text, useConsoleShell } from './utils.js';

async function open(hash: string): Promise<CivicConsole> {
  location.hash = hash;
  const el = await fixture<CivicConsole>(html`<civic-console></civic-console>`);
  await waitUntil(() => deep(el, 'nav'), 'not signed in');
  return el;
}

const heading = (el: CivicConsole) => text(deep(el, 'h1'));

describe('<civic-console> with the slogans-and-links and sites screens', () => {
  let server: FakeListsSitesApi;
  useConsoleShell(() => (server = new FakeListsSitesApi()));

  it("shows the chosen site's lists", async () => {
    server.me = ADMIN;
    const el = await open('#/lists');
    await waitUntil(() => heading(el) === 'Khẩu hiệu và liên kết — Cổng thông tin tỉnh');
    const lists = deep(el, 'civic-console-lists')!;
    expect(lists.getAttribute('site')).to.equal('demo');
    await waitUntil(() => deep(lists, '#list'));
    expect(server.callsTo('/admin/sites/demo/slogans', 'GET')).to.have.length(1);
  });

  it('gives the sites screen the role, and shows a renamed site in the header and the picker', async () => {
    server.me = ADMIN;
    const el = await open('#/sites');
    await waitUntil(() => heading(el) === 'Trang web — Cổng thông tin tỉnh');
    const sites = deep<CivicConsoleSites>(el, 'civic-console-sites')!;
    expect(sites.admin).to.equal(true);
    await waitUntil(() => deep(sites, '#name'));
    const name = deep<HTMLInputElement>(sites, '#name')!;
    name.value = 'Cổng thông tin điện tử tỉnh';
    deep<HTMLButtonElement>(sites, 'form button[type="submit"]')!.click();
    await waitUntil(() => heading(el) === 'Trang web — Cổng thông tin điện tử tỉnh');
    expect(text(deep(el, '#site option[value="demo"]'))).to.equal('Cổng thông tin điện tử tỉnh');
  });

  it("an editor's sites screen is an editor's", async () => {
    server.me = EDITOR;
    const el = await open('#/sites');
    await waitUntil(() => heading(el) === 'Trang web — Sở Y tế');
    const sites = deep<CivicConsoleSites>(el, 'civic-console-sites')!;
    expect(sites.admin).to.equal(false);
    await waitUntil(() => deep(sites, '#name'));
    expect(deep(sites, '#new-origin')).to.equal(null);
  });
});
