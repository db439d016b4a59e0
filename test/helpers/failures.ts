/**
 * Registers beforeEach/afterEach hooks that collect, for each test, the `civic-error` events and
 * the uncaught errors / unhandled rejections of the page. The arrays are cleared in place before
 * each test, so callers may destructure them once.
 */
import { expect } from '@open-wc/testing';
import type { CivicErrorDetail } from '../../src/client/civic-element.js';
import { afterEach, beforeEach } from './mocha.js';
import { catchUncaught } from './mock-fetch.js';

export function watchFailures(options: { expectNoUncaught?: boolean } = {}): {
  errors: CivicErrorDetail[];
  uncaught: { errors: unknown[] };
} {
  const errors: CivicErrorDetail[] = [];
  const uncaught = { errors: [] as unknown[] };
  let stop = () => {};
  const onError = (e: CustomEvent<CivicErrorDetail>) => errors.push(e.detail);
  beforeEach(() => {
    errors.length = 0;
    const caught = catchUncaught();
    uncaught.errors = caught.errors;
    stop = caught.stop;
    document.addEventListener('civic-error', onError);
  });
  afterEach(() => {
    stop();
    document.removeEventListener('civic-error', onError);
    if (options.expectNoUncaught) expect(uncaught.errors).to.deep.equal([]);
  });
  return { errors, uncaught };
}
