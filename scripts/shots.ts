/**
 * For the screenshot scripts: the real server on a throw-away SQLite file and Debian's Chromium
 * (nothing is downloaded), both stopped and the file deleted once `work` is done or has failed.
 */
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { sqliteEngine, type TestEngine } from '../test/helpers/engines.js';
import { startServer, type RunningServer } from '../test/helpers/server-process.js';

export async function withServerAndBrowser(
  env: Record<string, string>,
  work: (server: RunningServer, browser: Browser, engine: TestEngine) => Promise<void>,
): Promise<void> {
  const engine = await sqliteEngine();
  const server = await startServer({ ...engine.env, ...env }, { readyTimeoutMs: 90_000 });
  try {
    const browser = await launchChromium();
    try {
      await work(server, browser, engine);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
    await engine.drop();
  }
}
