#!/usr/bin/env node
// `npm run size`: gzip -9 size of every built file, checked against DESIGN.md's budgets.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = 'dist';
const BUDGETS = { loader: 3 * 1024, esm: 25 * 1024, iife: 30 * 1024 };

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') ? [path] : [];
  });
}

let all;
try {
  all = files(DIST);
} catch {
  console.error('size: no dist/ — run `npm run build` first');
  process.exit(1);
}
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const rows = all.map((path) => ({ file: relative(DIST, path), raw: statSync(path).size, gzip: gz(path) }));
const esm = rows.filter((r) => !r.file.endsWith('.iife.js'));
const loader = rows.find((r) => r.file === 'civic.js');
const iife = rows.find((r) => r.file === 'civic.iife.js');
const esmTotal = esm.reduce((sum, r) => sum + r.gzip, 0);

const pad = (s, n) => String(s).padStart(n);
console.log(`${'file'.padEnd(48)} ${pad('bytes', 8)} ${pad('gzip', 8)}`);
for (const r of rows.sort((a, b) => a.file.localeCompare(b.file))) console.log(`${r.file.padEnd(48)} ${pad(r.raw, 8)} ${pad(r.gzip, 8)}`);

const checks = [
  ['loader civic.js', loader?.gzip ?? Infinity, BUDGETS.loader],
  ['all ESM chunks together', esmTotal, BUDGETS.esm],
  ['civic.iife.js', iife?.gzip ?? Infinity, BUDGETS.iife],
];
let failed = 0;
console.log('');
for (const [what, size, budget] of checks) {
  const ok = size <= budget;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${what.padEnd(26)} ${pad(size, 7)} B gzip  (budget ${budget})`);
}
process.exit(failed ? 1 : 0);
