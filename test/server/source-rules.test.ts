/**
 * Rules of DESIGN.md that the source itself must keep: strict-CSP safety, no HTML injection
 * sinks, the client/server boundary, and a client core that knows no widget.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The code without comments (docs may name the APIs they avoid). */
const code = (path: string) =>
  readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const source = (dir: string) => files(dir).map((path) => ({ path, text: code(path) }));
/** Every module specifier of `import … from`, `export … from`, `import '…'` and `import('…')`. */
const specifiers = (text: string) =>
  [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
const browserCode = [
  ...source('src/client'),
  ...source('src/components'),
  ...source('src/shared'),
  ...['src/embed.ts', 'src/widgets.ts', 'src/preload.ts'].map((path) => ({
    path,
    text: code(path),
  })),
];

describe('source rules', () => {
  it('uses no HTML-injection sink, eval or style binding in browser code', () => {
    const forbidden: Array<[RegExp, string]> = [
      [/unsafeHTML|unsafeSVG|unsafeStatic/, 'unsafe Lit directive'],
      [/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, 'HTML sink'],
      [/\beval\(|new Function\(/, 'eval'],
      [/styleMap/, 'styleMap'],
      [/\sstyle=\$\{|\sstyle="[^"]*\$\{/, 'style attribute binding'],
      [/new Worker\(\s*URL\.createObjectURL|['"`]blob:/, 'blob: worker'],
    ];
    const hits = browserCode.flatMap(({ path, text }) =>
      forbidden.filter(([re]) => re.test(text)).map(([, what]) => `${path}: ${what}`),
    );
    assert.deepEqual(hits, []);
  });

  it('keeps client and server apart (both may use src/shared)', () => {
    const crossing = [
      ...browserCode
        .filter(({ text }) => /from ['"][./]*(\.\.\/)+server\//.test(text))
        .map(({ path }) => path),
      ...source('src/server')
        .filter(({ text }) => /from ['"](\.\.\/)+(client|components)\//.test(text))
        .map(({ path }) => path),
      ...source('src/shared')
        .filter(({ text }) => /from ['"](\.\.\/)+(client|components|server)\//.test(text))
        .map(({ path }) => path),
    ];
    assert.deepEqual(crossing, []);
  });

  it('keeps the client core free of widgets (src/client imports nothing from src/components)', () => {
    const components = resolve('src/components');
    const inside = (path: string) => !relative(components, path).startsWith('..');
    const crossing = source('src/client').flatMap(({ path, text }) =>
      specifiers(text)
        .filter((spec) => spec.startsWith('.') && inside(resolve(dirname(path), spec)))
        .map((spec) => `${path}: ${spec}`),
    );
    assert.deepEqual(crossing, []);
    // Comments included: the core's docs speak of "a widget", not of a widget's path.
    const named = files('src/client').filter((path) =>
      readFileSync(path, 'utf8').includes('components/'),
    );
    assert.deepEqual(named, []);
  });
});
