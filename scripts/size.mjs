#!/usr/bin/env node
// `npm run size`: the bytes a browser receives for every published widget file — the Brotli and
// gzip copies the build writes beside each file, which the server sends by Accept-Encoding —
// checked against DESIGN.md's budgets (written in gzip bytes; Brotli is always smaller).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

const DIST = 'dist/widgets';
const KB = 1024;
const BUDGETS = { loader: 3 * KB, all: 25 * KB, counterPage: 18 * KB, iife: 30 * KB };

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') ? [path] : [];
  });
}

if (!existsSync(join(DIST, 'civic.js'))) {
  console.error(`size: no ${DIST}/civic.js — run \`npm run build\` first`);
  process.exit(1);
}

const missing = [];
/** Size of the build's pre-compressed copy (what the server sends); missing copies are an error. */
function copy(path, ext) {
  if (!existsSync(path + ext)) {
    missing.push(relative(DIST, path) + ext);
    return Infinity;
  }
  return statSync(path + ext).size;
}

const rows = files(DIST).map((path) => {
  const gzip = copy(path, '.gz');
  return {
    file: relative(DIST, path),
    raw: statSync(path).size,
    br: copy(path, '.br'),
    gzip,
    // Each copy must be the file it stands for: it inflates to the file's bytes.
    stale: [
      ['.gz', gunzipSync],
      ['.br', brotliDecompressSync],
    ].some(
      ([ext, inflate]) =>
        existsSync(path + ext) && !inflate(readFileSync(path + ext)).equals(readFileSync(path)),
    ),
  };
});
const byName = (pred) => rows.filter((r) => pred(r.file));
const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
const loader = byName((f) => f === 'civic.js');
const iife = byName((f) => f === 'civic.iife.js');
// Every ESM file: what a page with every widget downloads (the loader and every lazy chunk).
const all = byName((f) => !f.endsWith('.iife.js'));
// The counter alone: the loader and the chunk that holds the counter (chunks/civic-core-*).
const counterPage = byName((f) => f === 'civic.js' || /^chunks[\\/]civic-core-/.test(f));

const pad = (s, n) => String(s).padStart(n);
console.log(`${'file'.padEnd(44)} ${pad('bytes', 8)} ${pad('brotli', 8)} ${pad('gzip', 8)}`);
for (const r of rows.sort((a, b) => a.file.localeCompare(b.file))) {
  console.log(`${r.file.padEnd(44)} ${pad(r.raw, 8)} ${pad(r.br, 8)} ${pad(r.gzip, 8)}`);
}

const checks = [
  ['loader civic.js', loader, BUDGETS.loader],
  ['page with every widget', all, BUDGETS.all],
  ['page with only the counter', counterPage, BUDGETS.counterPage],
  ['civic.iife.js', iife, BUDGETS.iife],
];
let failed = 0;
console.log('');
for (const [what, list, budget] of checks) {
  const gzip = list.length ? sum(list, 'gzip') : Infinity;
  const br = list.length ? sum(list, 'br') : Infinity;
  const ok = gzip <= budget;
  if (!ok) failed++;
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${what.padEnd(28)} ${pad(br, 7)} B brotli ${pad(gzip, 7)} B gzip  (budget ${budget} gzip)`,
  );
}
for (const file of missing) console.log(`MISSING pre-compressed copy ${file}`);
for (const r of rows.filter((row) => row.stale))
  console.log(`STALE ${r.file}.gz or .br does not inflate to ${r.file}`);
failed += missing.length + rows.filter((r) => r.stale).length;
process.exit(failed ? 1 : 0);
