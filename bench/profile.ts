/**
 * `npm run bench:profile -- <folder> [top]`: sums up the V8 CPU profiles (`*.cpuprofile`) in a
 * folder, as written by `BENCH_PROFILE=<folder> npm run bench` — the functions with the most
 * samples of their own ("self"), with the most samples under them ("total", the project's own
 * functions), and per source file, in % of all samples (idle excluded).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  parent?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [folder, topArg] = process.argv.slice(2);
if (!folder) {
  console.error('usage: npm run bench:profile -- <folder with .cpuprofile files> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 40);
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const files = new Map<string, number>();
let total = 0;

for (const name of readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) byId.get(c)!.parent = n.id;
  const describe = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*?\/(node_modules|src|dist)\//, '$1/') || '(native)';
    return { file, key: `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}` };
  };
  for (const id of profile.samples) {
    const node = byId.get(id)!;
    const { functionName } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total++;
    const { file, key } = describe(node);
    self.set(key, (self.get(key) ?? 0) + 1);
    files.set(file, (files.get(file) ?? 0) + 1);
    // Every function of the project on the stack, once per sample.
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = node; n; n = n.parent ? byId.get(n.parent) : undefined) {
      const d = describe(n);
      if (!/^(src|dist)\//.test(d.file) || seen.has(d.key)) continue;
      seen.add(d.key);
      inclusive.set(d.key, (inclusive.get(d.key) ?? 0) + 1);
    }
  }
}

const print = (title: string, counts: Map<string, number>) => {
  console.log(`\n${title} (${total} samples)`);
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${key}`);
};
print('functions, self', self);
print("the project's functions, total", inclusive);
print('files, self', files);
