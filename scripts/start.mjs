#!/usr/bin/env node
// `npm start` in a clone: builds the widgets when dist/widgets/ is missing or older than their
// sources, then runs the server from its TypeScript sources through tsx (a dev dependency; no
// server build needed while developing). `npm start -- migrate` (or any other command of
// `civic-widgets --help`) runs that command instead of `serve`. An installed package runs the
// compiled server instead: `npx civic-widgets serve`. In a clone the demo portal and the gallery
// are on unless DEMO says otherwise (the installed package's default is off).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function builtAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

// Everything under src/ but the server goes into the widgets.
const widgetSources = readdirSync('src')
  .filter((name) => name !== 'server')
  .map((name) => join('src', name));
const sources = Math.max(...[...widgetSources, 'vite.config.ts'].map(newest));
if (Math.min(builtAt('dist/widgets/civic.js'), builtAt('dist/widgets/civic.iife.js')) < sources) {
  console.log('Building the widgets (dist/widgets/)…');
  const vite = ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'];
  execFileSync(process.execPath, vite, { stdio: 'inherit' });
  execFileSync(process.execPath, [...vite, '--mode', 'iife'], { stdio: 'inherit' });
}

if (!process.env.DEMO) process.env.DEMO = 'on';

register();
const { run } = await import('../src/server/cli.ts');
const args = process.argv.slice(2);
process.exitCode = await run(args.length ? args : ['serve']);
