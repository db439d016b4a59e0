/**
 * `npm run bench:pow`: how long the proof of work takes at the base cost and at the ceiling, for
 * a visitor and for a script. For each cost it starts the real server (its own process, SQLite,
 * `CAPTCHA_POW_BASE` = `CAPTCHA_POW_CEILING` = that cost, the demo site in `pow` mode) and
 *  - in Debian's Chromium, on a page of the server's origin that loads the built `civic.js`,
 *    times `--samples` `<civic-captcha>` elements from insertion to their `civic-captcha-verify`
 *    event (fetching the challenge and solving it: what a visitor waits);
 *  - in this Node process, times the same number of challenges fetched from the server and solved
 *    with node:crypto (what a script pays).
 * Prints the median and the spread of each. Needs `npm run build:widgets` first.
 *   --samples 15   --base POW_BASE   --ceiling POW_CEILING
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { POW_BASE, POW_CEILING, type CaptchaChallenge } from '../src/shared/captcha.js';
import { launchChromium, PERSON_UA } from '../test/helpers/browser.js';
import { startServer } from '../test/helpers/server-process.js';
import { benchDatabase } from './lib.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '15' },
    base: { type: 'string', default: String(POW_BASE) },
    ceiling: { type: 'string', default: String(POW_CEILING) },
  },
});
const samples = Number(values.samples);
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

if (!existsSync('dist/widgets/civic.js')) {
  process.stderr.write('dist/widgets/civic.js is missing: run `npm run build:widgets` first\n');
  process.exit(1);
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const summary = (xs: number[]) =>
  `median ${seconds(quantile(xs, 0.5))} (p10 ${seconds(quantile(xs, 0.1))}, p90 ${seconds(quantile(xs, 0.9))}, n ${xs.length})`;

/** Solves like any script would: SHA-256(salt + n) until it matches. */
function solve(pow: NonNullable<CaptchaChallenge['pow']>): number {
  for (let n = 0; n <= pow.maxnumber; n++) {
    if (
      createHash('sha256')
        .update(pow.salt + n)
        .digest('hex') === pow.challenge
    )
      return n;
  }
  throw new Error('no solution within maxnumber');
}

async function measure(cost: number): Promise<{ browser: number[]; node: number[] }> {
  const db = benchDatabase();
  const server = await startServer({
    ...db.env,
    ADMIN_TOKEN,
    CAPTCHA_POW_BASE: String(cost),
    CAPTCHA_POW_CEILING: String(cost),
  });
  const browser = await launchChromium();
  try {
    const mode = await fetch(`${server.url}/api/v1/admin/sites/demo/captcha`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'pow' }),
    });
    if (!mode.ok) throw new Error(`setting the pow mode failed: ${mode.status}`);

    const page = await (await browser.newContext({ userAgent: PERSON_UA })).newPage();
    await page.goto(`${server.url}/health/live`);
    await page.evaluate((src) => {
      const script = document.createElement('script');
      script.type = 'module';
      script.src = src;
      script.dataset.site = 'demo';
      document.head.append(script);
    }, `${server.url}/civic.js`);
    const inBrowser: number[] = [];
    for (let i = 0; i < samples; i++) {
      const ms = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const el = document.createElement('civic-captcha');
            el.setAttribute('action', 'bench');
            const start = performance.now();
            const timer = setTimeout(() => reject(new Error('no token in 120 s')), 120_000);
            el.addEventListener('civic-captcha-verify', () => {
              clearTimeout(timer);
              el.remove();
              resolve(performance.now() - start);
            });
            document.body.append(el);
          }),
      );
      inBrowser.push(ms);
    }

    const inNode: number[] = [];
    for (let i = 0; i < samples; i++) {
      const res = await fetch(`${server.url}/api/v1/sites/demo/captcha`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'bench' }),
      });
      const { pow } = (await res.json()) as CaptchaChallenge;
      if (!pow || pow.maxnumber !== cost) throw new Error(`unexpected challenge cost`);
      const start = performance.now();
      solve(pow);
      inNode.push(performance.now() - start);
    }
    return { browser: inBrowser, node: inNode };
  } finally {
    await browser.close();
    await server.stop();
    db.cleanup();
  }
}

console.log(
  `Proof of work, ${samples} solves per cost (the secret number is uniform in 0…maxnumber)`,
);
for (const [name, cost] of [
  ['base', Number(values.base)],
  ['ceiling', Number(values.ceiling)],
] as const) {
  const { browser, node } = await measure(cost);
  console.log(`${name} (maxnumber ${cost}):`);
  console.log(`  Chromium, <civic-captcha> from insertion to token: ${summary(browser)}`);
  console.log(`  Node script (node:crypto), solve only:             ${summary(node)}`);
}
