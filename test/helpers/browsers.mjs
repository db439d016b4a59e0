/**
 * The system browsers every browser test uses (nothing is downloaded), shared by
 * `web-test-runner.config.mjs` and the end-to-end helpers.
 */
import { existsSync } from 'node:fs';

const BROWSERS = {
  chromium: { env: 'CHROME_PATH', paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'] },
  firefox: { env: 'FIREFOX_PATH', paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'] },
};

/** Headless browsers announce themselves as bots (not counted as visits): browse as a person. */
export const PERSON_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** Headless Chromium in a container: no sandbox, no GPU, no traffic of its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The executable: `CHROME_PATH` / `FIREFOX_PATH` when set, else the first Debian path that
 * exists; a one-line failure (no stack) otherwise.
 * @param {'chromium' | 'firefox'} name
 * @returns {string}
 */
export function browserPath(name) {
  const { env, paths } = BROWSERS[name];
  const candidates = process.env[env] ? [process.env[env]] : paths;
  const path = candidates.find((p) => existsSync(p));
  if (path) return path;
  const error = new Error(
    `${candidates.join(' or ')} not found: set ${env} or run \`apt-get install -y chromium firefox-esr\``,
  );
  error.stack = error.message; // one line, no trace
  throw error;
}
