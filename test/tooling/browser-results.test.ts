import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs module of the test setup, without typings
import { browserResults } from '../helpers/browser-results.mjs';

const DID_NOT_FINISH =
  'Browser tests did not finish within 180000ms. You can increase this timeout with the testsFinishTimeout option.';

/** A web-test-runner session as its reporters see it (the fields `browserResults` reads). */
function session(
  browser: string,
  file: string,
  tests: { passed: boolean; skipped?: boolean }[],
  errors: string[] = [],
) {
  return {
    group: { name: file.replace(/^.*civic-|\.test\.ts$/g, '') },
    browser: { name: browser },
    testFile: `/repo/test/components/${file}`,
    passed: errors.length === 0 && tests.every((t) => t.passed || t.skipped),
    errors: errors.map((message) => ({ message })),
    testResults: {
      name: '',
      tests: [],
      suites: [
        {
          name: 'suite',
          suites: [],
          tests: tests.map((t, i) => ({ name: `t${i}`, skipped: !!t.skipped, ...t })),
        },
      ],
    },
  };
}

describe('browser results (npm test)', () => {
  it('counts passed, failed and skipped tests over every browser and file', () => {
    const r = browserResults([
      session('Chromium', 'civic-poll.test.ts', [{ passed: true }, { passed: true }]),
      session('Firefox', 'civic-poll.test.ts', [{ passed: true }, { passed: false }]),
      session('Firefox', 'civic-marquee.test.ts', [{ passed: false, skipped: true }]),
    ]);
    assert.deepEqual(r, { passed: 3, failed: 1, skipped: 1, stalled: [] });
  });

  it('sets apart a page that ran no test before web-test-runner gave up on it', () => {
    const r = browserResults([
      session('Chromium', 'civic-marquee.test.ts', [{ passed: true }]),
      session('Firefox', 'civic-marquee.test.ts', [], [DID_NOT_FINISH]),
    ]);
    assert.deepEqual(r, {
      passed: 1,
      failed: 0,
      skipped: 0,
      stalled: [
        {
          group: 'marquee',
          browser: 'Firefox',
          file: '/repo/test/components/civic-marquee.test.ts',
        },
      ],
    });
  });

  it('fails a page that ran tests and then timed out: only a page that ran none is run again', () => {
    const r = browserResults([
      session('Firefox', 'civic-marquee.test.ts', [{ passed: true }], [DID_NOT_FINISH]),
    ]);
    assert.deepEqual(r, { passed: 1, failed: 1, skipped: 0, stalled: [] });
  });

  it('fails a file that failed outside any test (an import that threw), once', () => {
    const r = browserResults([
      session('Firefox', 'civic-poll.test.ts', [], ['SyntaxError: Unexpected token']),
      session('Chromium', 'civic-poll.test.ts', [], [DID_NOT_FINISH, 'TypeError: x is undefined']),
    ]);
    assert.deepEqual(r, { passed: 0, failed: 2, skipped: 0, stalled: [] });
  });
});
