/**
 * custom-elements.json and the framework typings generated from it (npm run build:types):
 * - the manifest lists every tag the loader knows, with the attributes, events, parts and CSS
 *   properties the components' source actually has (compared both ways, so an undocumented part
 *   and a documented part that no longer exists both fail);
 * - the manifest's attribute and event types are the source's own (tsc on the components);
 * - the examples in docs/frameworks (React 19, Vue, Svelte) type-check against dist/types, and
 *   tsc rejects exactly the lines marked `// rejected` in test/package/types-bad.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Item {
  name: string;
  type?: { text: string };
  fieldName?: string;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Item[];
  events?: Item[];
  slots?: Item[];
  cssParts?: Item[];
  cssProperties?: Item[];
}
interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}

/** Runs tsc; its diagnostics as `file:line` → message, paths relative to the repository. */
function tsc(args: string[]): {
  status: number | null;
  errors: Map<string, string>;
  output: string;
} {
  const r = spawnSync(process.execPath, [TSC, '--pretty', 'false', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const errors = new Map<string, string>();
  for (const m of r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/gm))
    errors.set(`${m[1]!.replace(`${ROOT}/`, '')}:${m[2]}`, m[3]!);
  return { status: r.status, errors, output: r.stdout + r.stderr };
}

const names = (items?: Item[]) => (items ?? []).map((i) => i.name).sort();
const unique = (list: Iterable<string>) => [...new Set(list)].sort();

/** The component's source, its styles, and the base classes every widget inherits from. */
function sources(modulePath: string) {
  const base = read('src/client/civic-element.ts');
  const list = read('src/client/list-element.ts');
  const own = read(modulePath);
  const isList = /extends ListElement</.test(own);
  return {
    own,
    code: [own, base, ...(isList ? [list] : [])].join('\n'),
    styles: [
      read(modulePath.replace(/\.ts$/, '.styles.ts')),
      read('src/client/styles/base.styles.ts'),
    ].join('\n'),
    properties: [own, base, ...(isList ? [list] : [])],
  };
}

/** Every part name a template or the base class can set: `part="a b"`, `part=${x ? 'a' : 'b'}`, `part: 'a'`. */
function partsIn(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/\bpart="([^"]*)"/g))
    found.push(...m[1]!.replace(/\$\{[^}]*\}/g, ' ').split(/\s+/));
  for (const m of code.matchAll(/\bpart=\$\{([^}]*)\}/g))
    for (const s of m[1]!.matchAll(/'([^']*)'/g)) found.push(...s[1]!.split(/\s+/));
  for (const m of code.matchAll(/\bpart: '([^']*)'/g)) found.push(...m[1]!.split(/\s+/));
  return unique(found.filter(Boolean));
}

/** Attribute names declared in `static properties` (not `state`, not `attribute: false`). */
function attributesIn(files: string[]): string[] {
  const found: string[] = [];
  for (const code of files) {
    const block = code.match(
      /static override properties: PropertyDeclarations = \{([\s\S]*?)\};/,
    )?.[1];
    for (const m of (block ?? '').matchAll(/(\w+): \{([^}]*)\}/g)) {
      const [, prop, options] = m;
      if (/state: true|attribute: false/.test(options!)) continue;
      found.push(options!.match(/attribute: '([^']+)'/)?.[1] ?? prop!.toLowerCase());
    }
  }
  return unique(found);
}

describe('custom-elements.json and the framework typings', { timeout: 5 * 60_000 }, () => {
  let manifest: Manifest;
  let elements: Array<Declaration & { path: string }>;

  before(() => {
    const build = spawnSync('npm', ['run', 'build:types'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, `npm run build:types failed:\n${build.stdout}${build.stderr}`);
    manifest = JSON.parse(read('custom-elements.json')) as Manifest;
    elements = manifest.modules.flatMap((m) =>
      (m.declarations ?? [])
        .filter((d) => d.customElement && d.tagName)
        .map((d) => ({ ...d, path: m.path })),
    );
  });

  it('is what package.json points tools to, and ships', () => {
    const pkg = JSON.parse(read('package.json'));
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.ok(pkg.files.includes('custom-elements.json') && pkg.files.includes('dist/types/'));
    for (const fw of ['react', 'vue', 'svelte'])
      assert.equal(pkg.exports[`./${fw}`].types, `./dist/types/${fw}.d.ts`);
  });

  it('lists every tag the loader knows, each once, in the module that defines it', () => {
    const loader = unique(
      [...read('src/widgets.ts').matchAll(/'(civic-[a-z-]+)':/g)].map((m) => m[1]!),
    );
    const defined: string[] = [];
    for (const dir of readdirSync(join(ROOT, 'src/components'), { withFileTypes: true }))
      if (dir.isDirectory())
        for (const file of readdirSync(join(ROOT, 'src/components', dir.name)))
          for (const m of read(`src/components/${dir.name}/${file}`).matchAll(
            /\.define\('(civic-[a-z-]+)'\)/g,
          ))
            defined.push(m[1]!);
    assert.deepEqual(elements.map((e) => e.tagName).sort(), loader);
    assert.deepEqual(unique(defined), loader);
    for (const el of elements)
      assert.match(read(el.path), new RegExp(`\\.define\\('${el.tagName}'\\)`), el.path);
  });

  it('lists each tag’s parts, events, CSS properties, attributes and slot as its source has them', () => {
    for (const el of elements) {
      const src = sources(el.path);
      const tag = el.tagName!;
      const parts = names(el.cssParts);
      const used = partsIn(src.code);
      for (const p of used) assert.ok(parts.includes(p), `<${tag}> part "${p}" is in the manifest`);
      // A documented part that only a variable names (`part="value ${name}"`) is a string there.
      for (const p of parts)
        assert.ok(
          used.includes(p) || src.own.includes(`'${p}'`),
          `<${tag}> has the documented part "${p}"`,
        );

      const emitted = unique(
        [...src.code.matchAll(/\bemit(?:<\w+>)?\('([a-z-]+)'/g)].map((m) => m[1]!),
      );
      assert.deepEqual(names(el.events), emitted, `<${tag}> events`);
      for (const e of el.events ?? [])
        assert.match(e.type?.text ?? '', /^CustomEvent</, `<${tag}> ${e.name} type`);

      const vars = unique([...src.styles.matchAll(/var\((--civic-[a-z0-9-]+)/g)].map((m) => m[1]!));
      assert.deepEqual(names(el.cssProperties), vars, `<${tag}> CSS custom properties`);

      assert.deepEqual(names(el.attributes), attributesIn(src.properties), `<${tag}> attributes`);
      assert.deepEqual(names(el.slots), [''], `<${tag}> documents its default (fallback) slot`);
    }
  });

  it('types attributes and events as the components do', () => {
    // A file that imports the real components and asserts each manifest type equals theirs.
    const dir = mkdtempSync(join(tmpdir(), 'civic-types-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const lines = ['type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;'];
    for (const el of elements) {
      lines.push(
        `import type { ${el.name} } from '${join(ROOT, el.path).replace(/\.ts$/, '.js')}';`,
      );
      for (const a of el.attributes ?? [])
        lines.push(
          `export const _${lines.length}: Same<NonNullable<${el.name}['${a.fieldName}']>, NonNullable<${a.type!.text}>> = true;`,
        );
      for (const e of el.events ?? [])
        lines.push(
          `export const _${lines.length}: Same<GlobalEventHandlersEventMap['${e.name}'], ${e.type!.text}> = true;`,
        );
    }
    writeFileSync(join(dir, 'check.ts'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, 'tsconfig.json'),
        compilerOptions: { types: [] },
        include: [join(dir, 'check.ts')],
      }),
    );
    const r = tsc(['-p', dir]);
    assert.equal(
      r.status,
      0,
      `manifest types differ from the source:\n${r.output}\n${lines.join('\n')}`,
    );
    assert.ok(lines.length > 20, 'checked every attribute and event');
  });

  it('the framework examples type-check against the generated typings', () => {
    const r = tsc(['-p', 'docs/frameworks']);
    assert.equal(r.status, 0, r.output);
    for (const fw of ['react', 'vue', 'svelte'])
      assert.match(read(`dist/types/${fw}.d.ts`), /'civic-poll'/, `${fw}.d.ts has the tags`);
  });

  it('rejects wrong attribute types, unknown attributes and wrong event details', () => {
    const dir = 'test/package/types-bad';
    const marked = new Set<string>();
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => /\.tsx?$/.test(f)))
      read(`${dir}/${file}`)
        .split('\n')
        .forEach((line, i) => line.includes('rejected') && marked.add(`${dir}/${file}:${i + 1}`));
    assert.ok(marked.size >= 15, 'the bad examples are there');
    const r = tsc(['-p', dir]);
    assert.notEqual(r.status, 0, 'tsc accepted the bad examples');
    const missed = [...marked].filter((l) => !r.errors.has(l));
    const extra = [...r.errors].filter(([l]) => !marked.has(l));
    assert.deepEqual(missed, [], `tsc accepted these wrong lines:\n${r.output}`);
    assert.deepEqual(extra, [], 'tsc rejected only the marked lines');
  });
});
