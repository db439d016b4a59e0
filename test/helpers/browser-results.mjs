// What a web-test-runner run did, for `npm test`'s summary: tests passed, failed and skipped over
// every browser and file, and the sessions that stalled. A stalled session is a browser's page
// for one file that never ran a single test before web-test-runner gave up on it ("Browser tests
// did not start…" / "…did not finish…"). CI has seen Firefox do that once for a file whose tests
// passed before and after, unchanged; `npm test` runs such a session once more, alone, and says so
// (scripts/test.mjs). A session that ran any test and then hung is a failure, as is every error.

/** web-test-runner's messages for a session it timed out (TestSessionTimeoutHandler). */
const STALL = /^Browser tests did not (start|finish)\b/;

/**
 * @param {readonly import('@web/test-runner-core').TestSession[]} sessions
 * @returns {{ passed: number, failed: number, skipped: number,
 *   stalled: { group: string, browser: string, file: string }[] }}
 */
export function browserResults(sessions) {
  const totals = { passed: 0, failed: 0, skipped: 0, stalled: [] };
  for (const session of sessions) {
    let ran = 0;
    let failedTests = 0;
    const walk = (suite) => {
      for (const test of suite?.tests ?? []) {
        ran++;
        if (test.skipped) totals.skipped++;
        else if (test.passed) totals.passed++;
        else failedTests++;
      }
      (suite?.suites ?? []).forEach(walk);
    };
    walk(session.testResults);
    const errors = session.errors ?? [];
    if (
      session.passed === false &&
      ran === 0 &&
      errors.length > 0 &&
      errors.every((e) => STALL.test(e.message ?? ''))
    ) {
      totals.stalled.push({
        group: session.group?.name ?? '',
        browser: session.browser?.name ?? '',
        file: session.testFile,
      });
      continue;
    }
    // A file that failed outside any test (an import that threw) counts once.
    totals.failed += failedTests || (session.passed === false ? 1 : 0);
  }
  return totals;
}
