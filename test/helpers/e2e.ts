/**
 * One real server process (`src/server/main.ts`) on a fresh SQLite file and one Debian Chromium
 * for a `describe` block of end-to-end tests; both are stopped and the file deleted afterwards.
 * Fields are filled in `before`, so read them inside tests, not at definition time. Also: a
 * console account made with the CLI, the console's sign-in, and a watched page of the server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, PERSON_UA } from './browser.js';
import { sqliteEngine, type TestEngine } from './engines.js';
import { startServer, type RunningServer } from './server-process.js';

export interface RealServer {
  engine: TestEngine;
  server: RunningServer;
  browser: Browser;
}

export function useRealServer(env: Record<string, string> = {}): RealServer {
  const e2e = {} as RealServer;
  before(async () => {
    e2e.engine = await sqliteEngine();
    e2e.server = await startServer({ ...e2e.engine.env, ...env });
    e2e.browser = await launchChromium();
  });
  after(async () => {
    await e2e.browser?.close();
    await e2e.server?.stop();
    await e2e.engine?.drop();
  });
  return e2e;
}

/**
 * Adds a console account with the CLI, as an operator would (`user add <email> …args`, e.g.
 * `['--role', 'editor', '--site', 'demo']`), the password typed on its standard input.
 */
export function addUser(e2e: RealServer, email: string, password: string, args: string[]): void {
  const cli = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli.ts', 'user', 'add', email, ...args],
    { input: `${password}\n`, env: { ...process.env, ...e2e.engine.env }, encoding: 'utf8' },
  );
  assert.equal(cli.status, 0, cli.stderr);
}

/** Fills in and sends the console's sign-in form (at /admin/) on `page`. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/**
 * `path` of the server in a new browser context (a person's user agent) that pushes onto
 * `problems` every page error, CSP violation, console error and failed response — but the
 * session check's 401 before signing in and, on the demo portal (`/`), the 404 of the widget of
 * an unknown site it shows on purpose.
 */
export async function openWatched(
  e2e: RealServer,
  problems: string[],
  path: string,
): Promise<Page> {
  const context = await e2e.browser.newContext({ userAgent: PERSON_UA });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    const expected = res.url().endsWith('/api/v1/auth/me') ? 401 : path === '/' ? 404 : 0;
    if (res.status() >= 400 && res.status() !== expected)
      problems.push(`${res.status()} ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of (401|404)/.test(msg.text()))
      problems.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.goto(`${e2e.server.url}${path}`);
  return page;
}
