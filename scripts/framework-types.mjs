/**
 * Writes the widgets' TypeScript declarations from custom-elements.json (npm run build:types,
 * after build:manifest):
 *
 *   dist/types/elements.d.ts  an interface per tag, HTMLElementTagNameMap, the events' types
 *   dist/types/react.d.ts     React 19 JSX IntrinsicElements (`oncivic-vote` listeners)
 *   dist/types/vue.d.ts       Vue GlobalComponents (templates) and its JSX elements (`onCivicVote`)
 *   dist/types/svelte.d.ts    svelte/elements SvelteHTMLElements (`oncivic-vote`)
 *
 * Attributes are typed as the manifest types them (string, number, boolean, unions of literals);
 * events as the `CustomEvent<…>` of their `@fires {type}`. Usage: node scripts/framework-types.mjs
 * [manifest] [outdir].
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [manifestPath = join(root, 'custom-elements.json'), outDir = join(root, 'dist/types')] =
  process.argv.slice(2);

/** `civic-poll` → `CivicPoll`; `civic-vote` → `CivicVote`. */
const pascal = (s) => s.replace(/(^|-)([a-z])/g, (_, _d, c) => c.toUpperCase());
/** Property key, quoted when it is not an identifier. */
const key = (s) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : `'${s}'`);
/** One line of doc comment, or none. */
const doc = (text, indent) =>
  text ? `${indent}/** ${text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/')} */\n` : '';
const isPublic = (m) =>
  !m.static && (!m.privacy || m.privacy === 'public') && !m.name.startsWith('#');
/** A type the manifest may hold that a declaration file cannot (a class's own type parameter). */
const safe = (type) => (!type || /^[A-Z]$/.test(type) ? 'unknown' : type);
/** A parameter's type, or the type of its default value. */
const paramType = (p) =>
  p.type?.text ? safe(p.type.text) : /^(true|false)$/.test(p.default) ? 'boolean' : 'unknown';

/** The custom elements of the manifest, with what the generators need. */
export function readElements(manifest) {
  const elements = [];
  for (const mod of manifest.modules)
    for (const d of mod.declarations ?? []) {
      if (!d.customElement || !d.tagName) continue;
      const events = (d.events ?? []).map((e) => ({
        name: e.name,
        type: e.type?.text ?? 'CustomEvent',
        description: e.description,
      }));
      elements.push({
        tag: d.tagName,
        name: `${d.name}Element`,
        summary: d.summary ?? d.description,
        attributes: (d.attributes ?? []).map((a) => ({
          name: a.name,
          type: safe(a.type?.text ?? 'string').replace(/\s*\|\s*undefined$/, ''),
          description: a.description,
        })),
        members: (d.members ?? []).filter(isPublic),
        events,
      });
    }
  return elements.sort((a, b) => a.tag.localeCompare(b.tag));
}

function elementsFile(elements) {
  const events = new Map();
  for (const el of elements)
    for (const e of el.events) {
      const seen = events.get(e.name);
      if (seen && seen !== e.type)
        throw new Error(`Event ${e.name} has two types: ${seen} and ${e.type} (${el.tag})`);
      events.set(e.name, e.type);
    }
  const out = [HEADER];
  for (const el of elements) {
    out.push(
      doc(`\`<${el.tag}>\`: ${el.summary ?? ''}`, ''),
      `export interface ${el.name} extends HTMLElement {\n`,
    );
    for (const m of el.members) {
      out.push(doc(m.description, '  '));
      if (m.kind === 'method') {
        const params = (m.parameters ?? [])
          .map((p) => `${p.name}${p.optional || p.default ? '?' : ''}: ${paramType(p)}`)
          .join(', ');
        out.push(`  ${m.name}(${params}): ${safe(m.return?.type?.text ?? 'void')};\n`);
      } else out.push(`  ${m.readonly ? 'readonly ' : ''}${m.name}: ${safe(m.type?.text)};\n`);
    }
    out.push('}\n\n');
  }
  out.push('declare global {\n  interface HTMLElementTagNameMap {\n');
  for (const el of elements) out.push(`    '${el.tag}': ${el.name};\n`);
  out.push('  }\n  interface GlobalEventHandlersEventMap {\n');
  for (const [name, type] of events) out.push(`    '${name}': ${type};\n`);
  out.push('  }\n}\n');
  return out.join('');
}

/**
 * The attributes and event listeners of one element as a framework spells them: `listener`
 * turns an event name into the prop that listens to it.
 */
function props(el, listener) {
  const lines = [];
  for (const a of el.attributes)
    lines.push(doc(a.description, '  '), `  ${key(a.name)}?: ${a.type};\n`);
  for (const e of el.events)
    lines.push(
      doc(e.description, '  '),
      `  ${key(listener(e.name))}?: (event: ${e.type}) => void;\n`,
    );
  return `{\n${lines.join('')}}`;
}

/** `export type CivicPollProps = {…}` for every element. */
const propTypes = (elements, listener) =>
  elements.map((el) => `export type ${pascal(el.tag)}Props = ${props(el, listener)};\n`).join('\n');

const HEADER =
  '// Generated from custom-elements.json by scripts/framework-types.mjs. Do not edit.\n\n';
const importElements = (elements) =>
  `import type { ${elements.map((el) => el.name).join(', ')} } from './elements.js';\n`;

function reactFile(elements) {
  return `${HEADER}import type { DetailedHTMLProps, HTMLAttributes } from 'react';
${importElements(elements)}
// React 19 sets a prop as a property when the element has one, else as an attribute (our
// widgets load lazily, so before the upgrade that is the attribute), and listens to \`on<event>\`.
${propTypes(elements, (name) => `on${name}`)}
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${elements
  .map(
    (el) =>
      `      '${el.tag}': DetailedHTMLProps<HTMLAttributes<${el.name}>, ${el.name}> & ${pascal(el.tag)}Props;`,
  )
  .join('\n')}
    }
  }
}
`;
}

function vueFile(elements) {
  return `${HEADER}import type { DefineComponent, HTMLAttributes, ReservedProps } from 'vue';
import type {} from './elements.js'; // HTMLElementTagNameMap and the events

// Vue listens to \`onCivicVote\` as \`civic-vote\` (it hyphenates the name after \`on\`).
${propTypes(elements, (name) => `on${pascal(name)}`)}
declare module 'vue' {
  /** Templates (vue-tsc, Volar). */
  interface GlobalComponents {
${elements.map((el) => `    '${el.tag}': DefineComponent<${pascal(el.tag)}Props>;`).join('\n')}
  }
  /** JSX / TSX with \`jsxImportSource: 'vue'\`. */
  interface IntrinsicElementAttributes {
${elements.map((el) => `    '${el.tag}': HTMLAttributes & ${pascal(el.tag)}Props & ReservedProps;`).join('\n')}
  }
}
`;
}

function svelteFile(elements) {
  return `${HEADER}import type { HTMLAttributes } from 'svelte/elements';
${importElements(elements)}
// Svelte 5 listens to \`oncivic-vote\` on a custom element.
${propTypes(elements, (name) => `on${name}`)}
declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${elements.map((el) => `    '${el.tag}': HTMLAttributes<${el.name}> & ${pascal(el.tag)}Props;`).join('\n')}
  }
}
`;
}

export function generate(manifest) {
  const elements = readElements(manifest);
  return {
    'elements.d.ts': elementsFile(elements),
    'react.d.ts': reactFile(elements),
    'vue.d.ts': vueFile(elements),
    'svelte.d.ts': svelteFile(elements),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = generate(JSON.parse(readFileSync(manifestPath, 'utf8')));
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
  console.log(`framework types: ${Object.keys(files).join(', ')} in ${outDir}`);
}
