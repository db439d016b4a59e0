// Browser tests: `npx wtr` runs every group in Chromium (playwright) and Firefox ESR (puppeteer,
// WebDriver BiDi) with the system browsers; nothing is downloaded. `npx wtr --group visit-counter`
// runs one component. Writes test-results/browser.json ({passed, failed, skipped, stalled}) at the
// end (`WTR_RESULTS` names another file). `npm test` runs a stalled session again with
// `WTR_BROWSER` (a launcher's name: Chromium, Firefox, "Firefox (dark)": that browser only) and
// `WTR_FILE` (of a group of several files: that one only).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { browserResults } from './test/helpers/browser-results.mjs';
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
    browsers: only([chromium, firefox, firefoxDark]),
  }));
  if (list('test/client').length)
    result.push({ name: 'client', files: within('test/client/**/*.test.ts') });
  // The admin console (src/console), light and dark like the widgets.
  if (list('test/console').length) {
    result.push({
      name: 'console',
      files: within('test/console/**/*.test.ts'),
      browsers: only([chromium, firefox, firefoxDark]),
    });
  }
  return result;
}

/** `WTR_FILE` when it lies in the folder of `glob` (one file of a group run again), else `glob`. */
function within(glob) {
  const file = relative(process.cwd(), process.env.WTR_FILE ?? '');
  return file && file.startsWith(glob.slice(0, glob.indexOf('*'))) ? file : glob;
}

/**
 * The launchers of `list` that `WTR_BROWSER` names; all of them without it, or when none is named
 * (the default list serves the groups without their own: web-test-runner wants one).
 */
function only(list) {
  const named = list.filter((launcher) => launcher.name === process.env.WTR_BROWSER);
  return named.length ? named : list;
}

/** Writes what {@link browserResults} makes of the run to `outFile`. */
function resultsFileReporter(outFile = process.env.WTR_RESULTS || 'test-results/browser.json') {
  return {
    stop({ sessions }) {
      mkdirSync('test-results', { recursive: true });
      writeFileSync(outFile, `${JSON.stringify(browserResults(sessions))}\n`);
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
  browsers: only([chromium, firefox]),
  concurrentBrowsers: 2,
  // Lit's development build announces itself once per page; everything else is shown.
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  reporters: [defaultReporter(), resultsFileReporter()],
};
