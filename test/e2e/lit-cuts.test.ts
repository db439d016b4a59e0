/**
 * The parts of Lit cut from the widget build (vite.config.ts, LIT_CUTS): gone from the built
 * files, and refused in a widget source that would need them. That the widgets still work on the
 * cut Lit is every other test of this folder, which loads the built files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkLitUse } from '../../vite.config.js';

const DIST = 'dist/widgets';
const built = readdirSync(DIST, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .map((file) => [file, readFileSync(join(DIST, file), 'utf8')] as const);

describe('Lit cut from the widget build', () => {
  it('the built files hold none of the cut code, and Lit is still in them', () => {
    assert.ok(
      built.some(([, code]) => code.includes('litHtmlVersions')),
      'Lit is bundled',
    );
    for (const [file, code] of built) {
      for (const gone of [
        '_$litDirective$',
        'litPropertyMetadata',
        'PolyfillSupport',
        'HydrateSupport',
        'handleEvent(e)}',
        '<math>',
        'CSSResult is not constructable',
      ])
        assert.ok(!code.includes(gone), `${file} still holds ${gone}`);
    }
  });

  const root = mkdtempSync(join(tmpdir(), 'civic-lit-cuts-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const source = (code: string) => {
    for (const dir of ['client', 'components/x'])
      mkdirSync(join(root, 'src', dir), { recursive: true });
    writeFileSync(join(root, 'src/components/x/x.ts'), code);
  };

  it('the widgets as they are pass the check', () => {
    assert.doesNotThrow(() => checkLitUse('.'));
  });

  for (const [what, code] of [
    ['a directive', "import { repeat } from 'lit/directives/repeat.js';"],
    ['a decorator', 'class X {\n  @property({ type: Number })\n  n = 1;\n}'],
    ['a JSON property', 'const p = { data: { type: Object } };'],
    ['useDefault', 'const p = { a: { useDefault: true } };'],
    ['an svg template', 'const t = svg`<circle r=${r}></circle>`;'],
    ['a binding inside a textarea', 'const t = html`<textarea>${text}</textarea>`;'],
  ]) {
    it(`refuses ${what} in a widget source`, () => {
      source(code);
      assert.throws(() => checkLitUse(root), /LIT_CUTS[^]*src\/components\/x\/x\.ts/);
    });
  }

  it('accepts what the widgets do use', () => {
    source('html`<textarea id=${id}></textarea><p>${a}</p>`;\nconst p = { n: { type: Number } };');
    assert.doesNotThrow(() => checkLitUse(root));
  });
});
