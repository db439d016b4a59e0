#!/usr/bin/env node
// `npm test`: build, size budgets, server + storage tests (SQLite and PostgreSQL), several
// instances (PostgreSQL + Redis), browser tests (Chromium + Firefox ESR), end-to-end tests (real
// server + Chromium). Ends with one line "N passed, N failed". A browser page that ran no test
// before it timed out is run once more (see below).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';

const node = process.execPath;
const results = [];
mkdirSync('test-results', { recursive: true });

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} ===`);
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status ?? 1;
}

/** `*.test.ts` files under the folders (Node 20's test runner takes no globs). */
function testFiles(...dirs) {
  const walk = (dir) =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
    });
  return dirs.flatMap(walk).sort();
}

/** Runs node's test runner, printing spec output and reading the counts from a TAP copy. */
function nodeTests(name, files, env) {
  const tap = `test-results/${name}.tap`;
  rmSync(tap, { force: true });
  const status = run(
    name,
    node,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  let text = '';
  try {
    text = readFileSync(tap, 'utf8');
  } catch {}
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled') + (status !== 0 && count('fail') === 0 ? 1 : 0);
  results.push({ name, passed, failed, skipped: count('skipped') });
}

async function reachable(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const env = {};
if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL && (await reachable(5432))) {
  env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
}
if (!process.env.TEST_REDIS_URL && !process.env.REDIS_URL && (await reachable(6379))) {
  env.TEST_REDIS_URL = 'redis://127.0.0.1:6379';
}

/** One summary line for a step that passes or fails as a whole; returns its exit status. */
function step(name, status) {
  results.push({ name, passed: status ? 0 : 1, failed: status ? 1 : 0, skipped: 0 });
  return status;
}

/** `vite build` for one mode (the widgets when none); stops at the first build that fails. */
const vite = (mode) =>
  run(mode ? `build (${mode})` : 'build', node, [
    'node_modules/vite/bin/vite.js',
    'build',
    ...(mode ? ['--mode', mode] : []),
    '--logLevel',
    'warn',
  ]);
const buildStatus = step('build', vite() || vite('iife') || vite('console'));
step(
  'typecheck',
  run('typecheck', node, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']),
);
// `npm run lint`: ESLint, then Prettier's check (both run, so one report shows every problem).
const eslintStatus = run('lint (eslint)', node, ['node_modules/eslint/bin/eslint.js', '.']);
const prettierStatus = run('lint (prettier --check)', node, [
  'node_modules/prettier/bin/prettier.cjs',
  '--check',
  '.',
]);
step('lint', eslintStatus || prettierStatus);
step('size', run('size budgets', node, ['scripts/size.mjs']));

nodeTests('server', testFiles('test/server', 'test/storage', 'test/tooling'), env);
// Several instances: two server processes on a fresh PostgreSQL database and Redis.
nodeTests('scale', testFiles('test/scale'), env);
// Faults with real processes: kill -9 under load, PostgreSQL cut off, SQLite's disk full.
nodeTests('fault', testFiles('test/fault'), env);

rmSync('test-results/browser.json', { force: true });
const wtr = (name, argv, env) =>
  run(name, node, ['node_modules/@web/test-runner/dist/bin.js', ...argv], env);
const readResults = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};
const wtrStatus = wtr('browser (Chromium + Firefox ESR)', []);
const b = readResults('test-results/browser.json');
if (!b) step('browser', 1);
else {
  // The run's exit status fails when a session stalled: that is told apart by the stalls below.
  const unexplained = wtrStatus && !b.failed && !b.stalled.length ? 1 : 0;
  results.push({
    name: 'browser',
    passed: b.passed,
    failed: b.failed + unexplained,
    skipped: b.skipped,
  });
  // A browser's page that ran no test of its file before web-test-runner gave up on it (seen once
  // in CI, from Firefox, on a file that passed before and after): that file runs once more in that
  // browser alone, and the summary says so. A second stall, or any failure, fails the run.
  for (const { group, browser, file } of b.stalled.slice(0, 3)) {
    const out = `test-results/browser-again-${results.length}.json`;
    rmSync(out, { force: true });
    console.log(`\n${browser} ran no test of ${file} before it timed out: running it once more.`);
    const status = wtr(`browser again (${group}, ${browser})`, ['--group', group], {
      WTR_BROWSER: browser,
      WTR_FILE: file,
      WTR_RESULTS: out,
    });
    const again = readResults(out);
    const failed = !again
      ? 1
      : again.failed +
        again.stalled.length +
        (status && !again.failed && !again.stalled.length ? 1 : 0);
    results.push({
      name: `browser again: ${group} in ${browser}`,
      passed: again?.passed ?? 0,
      failed,
      skipped: again?.skipped ?? 0,
    });
  }
  if (b.stalled.length > 3) step(`browser: ${b.stalled.length - 3} more stalled sessions`, 1);
}

if (buildStatus === 0) nodeTests('e2e', testFiles('test/e2e'), env);
else step('e2e', 1);

// Last: `npm pack` rebuilds dist/ (prepack), then the tarball is installed and served elsewhere.
nodeTests('package', testFiles('test/package'), env);

console.log('\n=== summary ===');
let passed = 0,
  failed = 0,
  skipped = 0;
for (const r of results) {
  console.log(
    `${r.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`,
  );
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
