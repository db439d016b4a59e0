/**
 * Typed handles on the mocha globals that @web/test-runner installs before a test file loads
 * (the project has no @types/mocha; importing them also keeps test files free of ambient globals).
 */
type Done = (err?: unknown) => void;
interface Context {
  skip(): never;
  timeout(ms: number): void;
}
type Fn = (this: Context, done: Done) => void | Promise<unknown>;
interface TestFn {
  (title: string, fn?: Fn): unknown;
  only(title: string, fn?: Fn): unknown;
  skip(title: string, fn?: Fn): unknown;
}
interface SuiteFn {
  (title: string, fn: () => void): unknown;
  only(title: string, fn: () => void): unknown;
  skip(title: string, fn: () => void): unknown;
}
type HookFn = (fn: Fn) => void;

const g = globalThis as unknown as {
  describe: SuiteFn;
  it: TestFn;
  before: HookFn;
  after: HookFn;
  beforeEach: HookFn;
  afterEach: HookFn;
};

export const { describe, it, before, after, beforeEach, afterEach } = g;
