/** Debian's Chromium for end-to-end tests (no browser download): CHROME_PATH, then /usr/bin/chromium. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const path = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p && existsSync(p),
  );
  if (!path)
    throw new Error('No Chromium found: set CHROME_PATH or run `apt-get install -y chromium`');
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Debian's Firefox ESR (WebDriver BiDi through puppeteer-core): FIREFOX_PATH, then /usr/bin/firefox-esr. */
export function firefoxPath(): string {
  const path = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].find(
    (p) => p && existsSync(p),
  );
  if (!path)
    throw new Error('No Firefox found: set FIREFOX_PATH or run `apt-get install -y firefox-esr`');
  return path;
}
