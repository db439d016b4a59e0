// Browser tests: `npx wtr` runs every group in Chromium (playwright) and Firefox ESR (puppeteer,
// WebDriver BiDi) with the system browsers; nothing is downloaded. `npx wtr --group visit-counter`
// runs one component. Writes test-results/browser.json ({passed, failed, skipped}) at the end.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { ariaSnapshotPlugin } from './test/helpers/aria-snapshot-plugin.mjs';
import { browserPath, CHROMIUM_ARGS } from './test/helpers/browsers.mjs';

/**
 * One group per component test file (`--group visit-counter`), one for the client core.
 * Component groups also run in a Firefox that prefers a dark colour scheme: WebDriver BiDi cannot
 * emulate `prefers-color-scheme` (emulateMedia is Chromium-only), so that is how the dark-mode
 * tests reach Firefox.
 */
function groups() {
  const list = (dir) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.test.ts'))
      : [];
  const result = list('test/components').map((file) => ({
    name: file.replace(/^.*?civic-|\.test\.ts$/g, ''),
    files: `test/components/${file}`,
    browsers: [chromium, firefox, firefoxDark],
  }));
  if (list('test/client').length)
    result.push({ name: 'client', files: 'test/client/**/*.test.ts' });
  // The admin console (src/console), light and dark like the widgets.
  if (list('test/console').length) {
    result.push({
      name: 'console',
      files: 'test/console/**/*.test.ts',
      browsers: [chromium, firefox, firefoxDark],
    });
  }
  return result;
}

/** Counts tests over every browser and file; a file that failed outside any test counts once. */
function resultsFileReporter(outFile = 'test-results/browser.json') {
  return {
    stop({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        let failedTests = 0;
        const walk = (suite) => {
          for (const test of suite?.tests ?? []) {
            if (test.skipped) totals.skipped++;
            else if (test.passed) totals.passed++;
            else failedTests++;
          }
          (suite?.suites ?? []).forEach(walk);
        };
        walk(session.testResults);
        totals.failed += failedTests || (session.passed === false ? 1 : 0);
      }
      mkdirSync('test-results', { recursive: true });
      writeFileSync(outFile, `${JSON.stringify(totals)}\n`);
    },
  };
}

const chromium = playwrightLauncher({
  product: 'chromium',
  launchOptions: { executablePath: browserPath('chromium'), args: CHROMIUM_ARGS },
});
const firefoxPath = browserPath('firefox');
const firefox = puppeteerLauncher({
  launchOptions: { browser: 'firefox', executablePath: firefoxPath, headless: true },
});
const firefoxDark = puppeteerLauncher({
  launchOptions: {
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    extraPrefsFirefox: { 'layout.css.prefers-color-scheme.content-override': 0 },
  },
});
firefoxDark.name = 'Firefox (dark)';

export default {
  groups: groups(),
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 30_000 } },
  browserStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' }), ariaSnapshotPlugin()],
  browsers: [chromium, firefox],
  concurrentBrowsers: 2,
  // Lit's development build announces itself once per page; everything else is shown.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  reporters: [defaultReporter(), resultsFileReporter()],
};
