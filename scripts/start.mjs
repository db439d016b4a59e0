#!/usr/bin/env node
// `npm start`: builds the widgets when dist/ is missing or older than src/, then runs the server.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

function builtAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

const sources = Math.max(newest('src/client'), newest('src/components'), newest('src/shared'), statSync('src/embed.ts').mtimeMs);
if (Math.min(builtAt('dist/civic.js'), builtAt('dist/civic.iife.js')) < sources) {
  console.log('Building the widgets (dist/)…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--mode', 'iife', '--logLevel', 'warn'], { stdio: 'inherit' });
}

register();
await import('../src/server/main.ts');
