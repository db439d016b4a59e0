/**
 * One real server process (`src/server/main.ts`) on a fresh SQLite file and one Debian Chromium
 * for a `describe` block of end-to-end tests; both are stopped and the file deleted afterwards.
 * Fields are filled in `before`, so read them inside tests, not at definition time.
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
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
