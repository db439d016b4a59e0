import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { brotliCompressSync, constants, gunzipSync } from 'node:zlib';
import { minifyHTMLLiterals } from 'minify-html-literals';
import { defineConfig, minifySync, type Plugin, type UserConfig } from 'vite';

/** Where the published widget files go; the server serves this folder and nothing else of dist/. */
export const WIDGETS_DIR = 'dist/widgets';

/**
 * Writes a Brotli (quality 11) and a gzip copy beside every file of the bundle, which the server
 * sends by `Accept-Encoding` (`@fastify/static`'s `preCompressed`): the bytes a browser receives,
 * compressed once at build time as small as the formats allow. The gzip copy comes from Zopfli
 * (100 iterations): a standard gzip stream that any client inflates, about 3.5 % smaller than
 * zlib's level 9 on these files (~900 B over the ESM files), for a few seconds of build time.
 * Gzip matters: browsers offer Brotli only over HTTPS, and many host pages are plain HTTP.
 */
function precompress(): Plugin {
  return {
    name: 'civic-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      // Loaded only here: its WebAssembly start-up is for builds, not for `vite` in development.
      const { gzipAsync } = await import('@gfx/zopfli');
      for (const file of Object.keys(bundle)) {
        const path = join(options.dir ?? WIDGETS_DIR, file);
        const data = readFileSync(path);
        const gzip = await gzipAsync(data, { numiterations: 100 });
        // Never ship a copy that is not the file.
        if (!gunzipSync(gzip).equals(data))
          throw new Error(`${file}.gz does not inflate to ${file}`);
        writeFileSync(`${path}.gz`, gzip);
        writeFileSync(
          `${path}.br`,
          brotliCompressSync(data, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 11,
              [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
            },
          }),
        );
      }
    },
  };
}

/** The Subresource Integrity value of `data`: the algorithm, `-` and the digest in base64. */
const sri = (data: string | Buffer, algorithm = 'sha384'): string =>
  `${algorithm}-${createHash(algorithm).update(data).digest('base64')}`;

/**
 * Subresource Integrity (README "Embedding").
 * - `generateBundle`, on the final (minified) code and before anything is written: each
 *   `preload([], 'SRI:<module under src/>')` of src/widgets.ts gets the `[file, hash]` pairs of the
 *   chunk that holds that module and of the chunks it imports statically (dependencies first), in
 *   place of both arguments; the loader preloads them under their integrity (src/preload.ts).
 *   SHA-256 there, not SHA-384: as safe against a changed file, and 40 B less gzip in the loader.
 *   The loader's own bytes, and so its hash, are final only after this.
 * - `writeBundle`: `integrity.json` beside the files, `{ "civic.js": "sha384-…", … }`, the hash of
 *   every `.js` file in the folder as written, so the second build (`--mode iife`, which keeps the
 *   folder) adds `civic.iife.js` to the first build's files. The pre-compressed copies
 *   ({@link precompress}) are made from the same written bytes.
 */
function chunkIntegrity(): Plugin {
  let root = '';
  return {
    name: 'civic-integrity',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
      const placeholder = /\[\],\s*(["'`])SRI:([\w/.-]+)\1/g;
      for (const chunk of chunks) {
        chunk.code = chunk.code.replace(placeholder, (_, _quote: string, module: string) => {
          const id = join(root, 'src', module);
          const target = chunks.find((c) => c.moduleIds.includes(id));
          if (!target) throw new Error(`${chunk.fileName}: no chunk holds src/${module}`);
          const files: string[] = [];
          const add = (file: string) => {
            if (files.includes(file)) return;
            byFile.get(file)!.imports.forEach(add);
            files.push(file);
          };
          add(target.fileName);
          const pairs = files.map((file) => {
            const { code } = byFile.get(file)!;
            if (code.includes('SRI:')) throw new Error(`${file} has an integrity placeholder`);
            return [file, sri(code, 'sha256')];
          });
          return JSON.stringify(pairs);
        });
        if (chunk.code.includes('SRI:'))
          throw new Error(`${chunk.fileName}: an integrity placeholder is left`);
      }
    },
    writeBundle(options) {
      const dir = options.dir ?? WIDGETS_DIR;
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.js'))
        .sort();
      const hashes = Object.fromEntries(
        files.map((file) => [file.split(sep).join('/'), sri(readFileSync(join(dir, file)))]),
      );
      writeFileSync(join(dir, 'integrity.json'), `${JSON.stringify(hashes, null, 2)}\n`);
    },
  };
}

/**
 * Minifies the CSS and HTML inside Lit's css`` and html`` templates, which the JS minifier leaves
 * as written (indentation and all): about a quarter of the widgets' bytes.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'civic-minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      // Unquoted attribute values where HTML allows them (Lit binds `a=${x}` like `a="${x}"`).
      const result = minifyHTMLLiterals(code, {
        fileName: id,
        minifyOptions: { removeAttributeQuotes: true, conservativeCollapse: true },
      });
      return result ? { code: result.code, map: result.map as never } : null;
    },
  };
}

/**
 * Members of the widgets' own classes that only the bundle itself reads: renamed in the build to
 * `_a`, `_b`… (the minifier keeps every property name as written; these come back on every
 * `this.`). One fixed name each, so the two chunks, minified apart, agree, and so do the ESM and
 * the classic build. A name is renamed everywhere in a chunk, on any object, so the list holds
 * only names that are never:
 * - a Lit reactive property (`static properties`: attribute names, `changed.has('…')` keys);
 * - public API (`emit`, `announce`, `define`, `reset`, `value`, `navigate`, the events' details,
 *   the global configuration, `registerTranslation()`'s dictionaries) or sent to the server;
 * - a member of a DOM or ECMAScript type, or a name in Lit's code (`load`, `content`, `signal`,
 *   `host`, `lang`, `format`, `step`…): the same property of a DOM or Lit object would be renamed;
 * - read by a computed name (`this[name]`) or written in a string.
 * `checkPrivateMembers()` refuses the build when a name breaks a rule it can check. In order:
 * CivicElement; LocalizeController; request()'s options and ApiError; ListElement; the visit
 * counter; the marquee; the link list; the poll; the comment form; the captcha.
 */
const PRIVATE_MEMBERS = `
  localize failure failureBox failureText fallbackSlot liveRegion announceTimer aborter siteId
  apiUrl guard fail recover failed showFailure
  term translation observer
  retries retryDelayMs retryAfterMs
  fetchList readLight fromServer fromSource loadedKey seq lightObserver
  handleVisibilityChange schedule timer renderRow
  motion handleSense handleToggle renderCopy renderSlogan
  warned handleGo renderSelect
  thanked focusNext say handleChange handleSubmit handleResults renderForm renderResults renderVoted
  renderStatus
  showErrors postErrorText counterText handleInput handleMore renderField renderError renderList
  internals generation expiry solve handlePow
`
  .trim()
  .split(/\s+/);

const DIGITS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** `_a` … `_9`, then `_ba`, `_bb` …: `_` and the index in base 62. */
const shortName = (i: number): string =>
  (i >= DIGITS.length ? shortName(Math.floor(i / DIGITS.length)) : '_') + DIGITS[i % DIGITS.length];
const MANGLED = Object.fromEntries(PRIVATE_MEMBERS.map((name, i) => [name, shortName(i)]));

/** Refuses a {@link PRIVATE_MEMBERS} name that is reactive, in a string, or a DOM/ES/Lit name. */
function checkPrivateMembers(root: string): void {
  const require = createRequire(join(root, 'package.json'));
  const read = (dir: string, test: RegExp): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => test.test(f))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
  const src = ['client', 'components']
    .flatMap((d) => read(join(root, 'src', d), /\.ts$/))
    .join('\n');
  const tsLib = dirname(require.resolve('typescript/lib/lib.dom.d.ts'));
  const members = new Set(
    read(tsLib, /^lib\..*\.d\.ts$/)
      .join('\n')
      .match(/^\s+(?:readonly\s+)?[\w$]+(?=\??\s*[:(<])/gm)
      ?.map((m) => m.trim().replace(/^readonly\s+/, '')),
  );
  const lit = ['lit-html', '@lit/reactive-element', 'lit-element']
    .flatMap((p) => read(join(root, 'node_modules', p), /^[\w-]+\.js$/))
    .join('\n');
  const reactive = [...src.matchAll(/properties: PropertyDeclarations = \{([^]*?)\};/g)].flatMap(
    (m) => [...m[1]!.matchAll(/(\w+): \{/g)].map((k) => k[1]),
  );
  const problems = PRIVATE_MEMBERS.flatMap((name, i) => {
    const why = [
      reactive.includes(name) && 'a reactive property',
      members.has(name) && 'a DOM or ECMAScript member',
      new RegExp(`\\b${name}\\b`).test(lit) && "in Lit's code",
      new RegExp(`['"\`]${name}['"\`]`).test(src) && 'written in a string',
      PRIVATE_MEMBERS.indexOf(name) !== i && 'listed twice',
    ].filter(Boolean);
    return why.length ? [`${name}: ${why.join(', ')}`] : [];
  });
  if (problems.length) throw new Error(`PRIVATE_MEMBERS must not hold:\n${problems.join('\n')}`);
}

/** Renames {@link PRIVATE_MEMBERS} in every chunk, before the minifier runs. */
function manglePrivateMembers(): Plugin {
  const include = new RegExp(`^(?:${PRIVATE_MEMBERS.join('|')})$`);
  const inUse = new RegExp(`\\.(?:${Object.values(MANGLED).join('|')})\\b`);
  return {
    name: 'civic-mangle-private-members',
    apply: 'build',
    configResolved(config) {
      checkPrivateMembers(config.root);
    },
    renderChunk(code, chunk) {
      // A short name already in use would be shared with a renamed member.
      const taken = code.match(inUse);
      if (taken) throw new Error(`${chunk.fileName} already has a property ${taken[0]}`);
      const result = minifySync(chunk.fileName, code, {
        module: true,
        compress: false,
        mangle: false,
        codegen: { removeWhitespace: false },
        mangleProps: { include, cache: MANGLED },
      });
      if (result.errors.length) throw new Error(result.errors.map((e) => e.message).join('\n'));
      return { code: result.code, map: null };
    },
  };
}

/**
 * The widgets' private custom properties (`--_primary`, `--_space-m`…, STYLE.md: never
 * documented) renamed to `--_a`, `--_b`… in every chunk: in the css`` templates and in the
 * strings that set them (`style.setProperty('--_pct', …)`). The names come from the sources, most
 * used first, so both builds and both chunks rename alike. A name the sources do not spell out
 * (built at run time) stops the build.
 */
function shortenCustomProperties(): Plugin {
  let short = new Map<string, string>();
  return {
    name: 'civic-short-custom-properties',
    apply: 'build',
    configResolved(config) {
      const counts = new Map<string, number>();
      for (const dir of ['client', 'components']) {
        const path = join(config.root, 'src', dir);
        for (const file of readdirSync(path, { recursive: true, encoding: 'utf8' })) {
          if (!file.endsWith('.ts')) continue;
          for (const [name] of readFileSync(join(path, file), 'utf8').matchAll(/--_[\w-]+/g)) {
            counts.set(name, (counts.get(name) ?? 0) + 1);
          }
        }
      }
      const names = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1));
      short = new Map(names.map(([name], i) => [name, `--${shortName(i)}`]));
    },
    renderChunk(code, chunk) {
      return code.replace(/--_[\w-]*/g, (name) => {
        const to = short.get(name);
        if (!to) throw new Error(`${chunk.fileName}: ${name} is not spelled out in src/`);
        return to;
      });
    },
  };
}

/**
 * Lit's code for what the widgets never use, cut from the widget build (not the console's): 3 KB
 * of minified code, 1 KB gzip over a page with every widget. Each cut is an exact text of the
 * installed Lit (`lit-html` 3.3, `@lit/reactive-element` 2.1, `lit-element` 4.2) that must occur
 * as often as written (once unless said), so an update of Lit that changes one stops the build
 * instead of shipping a half-cut Lit: then check each cut against the new code. What goes:
 * - directives (`lit/directive.js`, `lit/directives/*`) and all they need: a value is rendered as
 *   it is, never resolved as a directive; no connection state (async directives), no part
 *   `type`, `parentNode`, `startNode`, `endNode`, `tagName` (the console uses `repeat`; its build
 *   keeps Lit whole);
 * - decorators (`lit/decorators.js`, `addInitializer`, `Symbol.metadata`) and the `useDefault`
 *   property option: the widgets declare `static properties`;
 * - the JSON attribute converter of `type: Object` / `type: Array` properties;
 * - `svg` and `mathml` templates; bindings inside `<textarea>`, `<title>`, `<style>`, `<script>`;
 * - event listener objects (`handleEvent`) and listener options: `@event` binds a function;
 * - the ShadyDOM / ShadyCSS polyfill and hydration (SSR) hooks, and the `CSSStyleSheet` in
 *   `static styles` of browsers without constructable stylesheets: no browser the widgets run in
 *   needs the polyfills, the widgets are never server-rendered and their styles are css``;
 * - the text of Lit's errors for misuse of `css` and `html` (the errors stay, with short text).
 * `checkLitUse()` refuses the build when a widget source uses one of these.
 */
const LIT_CUTS: [file: string, from: string, to: string, times?: number][] = [
  [
    'lit-html/lit-html.js',
    'if(i===E)return i;let h=void 0!==e?s._$Co?.[e]:s._$Cl;const o=a(i)?void 0:i._$litDirective$;return h?.constructor!==o&&(h?._$AO?.(!1),void 0===o?h=void 0:(h=new o(t),h._$AT(t,s,e)),void 0!==e?(s._$Co??=[])[e]=h:s._$Cl=h),void 0!==h&&(i=M(t,h._$AS(t,i.values),h,e)),i',
    'return i',
  ],
  ['lit-html/lit-html.js', 'l=2===i?"<svg>":3===i?"<math>":""', 'l=""'],
  ['lit-html/lit-html.js', '+(2===i?"</svg>":3===i?"</math>":"")', ''],
  [
    'lit-html/lit-html.js',
    ',2===i||3===i){const t=this.el.content.firstChild;t.replaceWith(...t.childNodes)}',
    ')',
  ],
  ['lit-html/lit-html.js', 'this._$AN=void 0,', '', 4],
  ['lit-html/lit-html.js', 'get _$AU(){return this._$AM._$AU}', '', 3],
  ['lit-html/lit-html.js', 'get _$AU(){return this._$AM?._$AU??this._$Cv}', ''],
  ['lit-html/lit-html.js', ',this._$Cv=e?.isConnected??!0', ''],
  ['lit-html/lit-html.js', 'for(this._$AP?.(!1,!0,s);', 'for(;'],
  ['lit-html/lit-html.js', 'setConnected(t){void 0===this._$AM&&(this._$Cv=t,this._$AP?.(t))}', ''],
  ['lit-html/lit-html.js', 't=M(this,t,i),', ''],
  ['lit-html/lit-html.js', 't=M(this,t,i,0),', ''],
  ['lit-html/lit-html.js', 'r=M(this,e[s+n],i,n),', 'r=e[s+n],'],
  ['lit-html/lit-html.js', '(t=M(this,t,i,0)??A)===E', '(t??=A)===E'],
  ['lit-html/lit-html.js', '_$AI(t){M(this,t)}', '_$AI(t){}'],
  [
    'lit-html/lit-html.js',
    'if(y.test(r.tagName)){const t=r.textContent.split(o),i=t.length-1;if(i>0){r.textContent=s?s.emptyScript:"";for(let s=0;s<i;s++)r.append(t[s],c()),P.nextNode(),d.push({type:2,index:++l});r.append(t[i],c())}}',
    '',
  ],
  ['lit-html/lit-html.js', '||t.capture!==s.capture||t.once!==s.once||t.passive!==s.passive', ''],
  [
    'lit-html/lit-html.js',
    '"function"==typeof this._$AH?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)',
    'this._$AH.call(this.options?.host??this.element,t)',
  ],
  ['lit-html/lit-html.js', 'get parentNode(){return this._$AM.parentNode}', ''],
  [
    'lit-html/lit-html.js',
    'get parentNode(){let t=this._$AA.parentNode;const i=this._$AM;return void 0!==i&&11===t?.nodeType&&(t=i.parentNode),t}',
    '',
  ],
  ['lit-html/lit-html.js', 'get startNode(){return this._$AA}get endNode(){return this._$AB}', ''],
  ['lit-html/lit-html.js', 'get tagName(){return this.element.tagName}', ''],
  ['lit-html/lit-html.js', 'this.type=2,', ''],
  ['lit-html/lit-html.js', 'this.type=1,', ''],
  ['lit-html/lit-html.js', 'constructor(){super(...arguments),this.type=3}', ''],
  ['lit-html/lit-html.js', 'constructor(){super(...arguments),this.type=4}', ''],
  ['lit-html/lit-html.js', 'constructor(t,i,s,e,h){super(t,i,s,e,h),this.type=5}', ''],
  ['lit-html/lit-html.js', 'this.type=6,', ''],
  ['lit-html/lit-html.js', 'throw Error("invalid template strings array")', 'throw Error("html")'],
  ['lit-html/lit-html.js', ',B=t.litHtmlPolyfillSupport;B?.(S,k),', ';'],
  [
    '@lit/reactive-element/reactive-element.js',
    'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;',
    '',
  ],
  [
    '@lit/reactive-element/reactive-element.js',
    'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}',
    '',
  ],
  [
    '@lit/reactive-element/reactive-element.js',
    'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}',
    '',
  ],
  ['@lit/reactive-element/reactive-element.js', ',this.constructor.l?.forEach(t=>t(this))', ''],
  ['@lit/reactive-element/reactive-element.js', ',void 0!==t.l&&(this.l=[...t.l])', ''],
  ['@lit/reactive-element/reactive-element.js', 'useDefault:!1,', ''],
  [
    '@lit/reactive-element/reactive-element.js',
    '||i.useDefault&&i.reflect&&h===this._$Ej?.get(t)&&!this.hasAttribute(r._$Eu(t,i))',
    '',
  ],
  [
    '@lit/reactive-element/reactive-element.js',
    'i&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,r??s??this[t]),!0!==h||void 0!==r)||',
    '',
  ],
  [
    '@lit/reactive-element/reactive-element.js',
    'this.hasUpdated||i||(s=void 0)',
    'this.hasUpdated||(s=void 0)',
  ],
  ['@lit/reactive-element/reactive-element.js', 'this[e]=r??this._$Ej?.get(e)??r', 'this[e]=r'],
  ['@lit/reactive-element/reactive-element.js', 'd=(t,s)=>t,', ''],
  ['@lit/reactive-element/reactive-element.js', 'd("elementProperties")', '"elementProperties"', 2],
  ['@lit/reactive-element/reactive-element.js', 'd("finalized")', '"finalized"', 2],
  ['@lit/reactive-element/reactive-element.js', 'd("properties")', '"properties"'],
  [
    '@lit/reactive-element/reactive-element.js',
    ';case Object:case Array:t=null==t?t:JSON.stringify(t)',
    '',
  ],
  [
    '@lit/reactive-element/reactive-element.js',
    ';case Object:case Array:try{i=JSON.parse(t)}catch(t){i=null}',
    '',
  ],
  ['@lit/reactive-element/reactive-element.js', 'p=a.reactiveElementPolyfillSupport,', ''],
  ['@lit/reactive-element/reactive-element.js', 'p?.({ReactiveElement:y}),', ''],
  ['@lit/reactive-element/css-tag.js', '(void 0===t.ShadyCSS||t.ShadyCSS.nativeShadow)&&', ''],
  [
    '@lit/reactive-element/css-tag.js',
    '"CSSResult is not constructable. Use `unsafeCSS` or `css` instead."',
    '"css"',
  ],
  [
    '@lit/reactive-element/css-tag.js',
    `"Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security."`,
    '"css"',
  ],
  [
    '@lit/reactive-element/css-tag.js',
    'c=e?t=>t:t=>t instanceof CSSStyleSheet?(t=>{let e="";for(const s of t.cssRules)e+=s.cssText;return r(e)})(t):t',
    'c=t=>t',
  ],
  [
    'lit-element/lit-element.js',
    'this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),',
    '',
  ],
  [
    'lit-element/lit-element.js',
    'connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}',
    '',
  ],
  [
    'lit-element/lit-element.js',
    ',s.litElementHydrateSupport?.({LitElement:i});const o=s.litElementPolyfillSupport;o?.({LitElement:i});',
    ';',
  ],
];

/** What a widget source must not use, {@link LIT_CUTS} having removed it (`@x(`: a decorator). */
const LIT_CUT_USE = new RegExp(
  [
    String.raw`['"]lit/(directives?|decorators)\b`,
    String.raw`^\s*@\w+\(`,
    String.raw`type: (Object|Array)\b`,
    String.raw`\b(useDefault|handleEvent|CSSStyleSheet)\b`,
    String.raw`\b(svg|mathml)\s*\``,
    String.raw`<(textarea|title|style|script)\b[^>]*>[^<]*\$\{`,
  ].join('|'),
  'm',
);

/** Refuses a widget source that uses what {@link LIT_CUTS} removes. */
export function checkLitUse(root: string): void {
  const problems = ['client', 'components'].flatMap((dir) =>
    readdirSync(join(root, 'src', dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => {
        const code = readFileSync(join(root, 'src', dir, file), 'utf8');
        const use = LIT_CUT_USE.exec(code);
        return use ? [`src/${dir}/${file}: ${use[0].trim()}`] : [];
      }),
  );
  if (problems.length)
    throw new Error(`Lit features cut from the widgets (LIT_CUTS) in use:\n${problems.join('\n')}`);
}

/** Applies {@link LIT_CUTS} to Lit's files as they are loaded. */
function trimLit(): Plugin {
  return {
    name: 'civic-trim-lit',
    apply: 'build',
    configResolved(config) {
      checkLitUse(config.root);
    },
    transform(code, id) {
      const path = id.split(sep).join('/');
      const cuts = LIT_CUTS.filter(([file]) => path.endsWith(`/node_modules/${file}`));
      if (!cuts.length) return null;
      for (const [file, from, to, times = 1] of cuts) {
        const parts = code.split(from);
        if (parts.length !== times + 1)
          throw new Error(`${file}: not ${times}× (Lit updated?): ${from.slice(0, 60)}`);
        code = parts.join(to);
      }
      return { code, map: null };
    },
  };
}

/**
 * `vite build`: dist/widgets/civic.js (the loader, ESM) and the two lazy chunks below under
 * dist/widgets/chunks/ (hashed, cached immutably), each with .br and .gz copies.
 * `vite build --mode iife`: dist/widgets/civic.iife.js, everything in one classic script.
 * Budgets are checked by `npm run size` (scripts/size.mjs).
 */
/**
 * Two chunks, each gzipped on its own (so fewer, larger chunks cost fewer bytes in all; splitting
 * the core widgets into chunks of their own cost 1.8 KB more in all):
 * - civic-core: Lit, the client core and the widgets a portal shows on every page — the visit
 *   counter (footer), the slogan band (header), the poll and the link lists (sidebar). One
 *   request for all of them, whichever of their tags the page has.
 * - civic-comments: the comment form with its captcha (the largest part, only on article and
 *   contact pages), loaded only when `<civic-comments>` or `<civic-captcha>` is on the page.
 */
const CHUNK_GROUPS = [
  {
    name: 'civic-core',
    test: /node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]|src[\\/](client|shared[\\/](api-types|lists|poll-types)|components[\\/](visit-counter|marquee|link-list|poll|furniture))[\\/.]/,
    priority: 2,
  },
  {
    name: 'civic-comments',
    test: /src[\\/]components[\\/](comments|captcha|comment-form)[\\/.]/,
    priority: 1,
  },
];

/**
 * `vite build --mode console`: the admin console (`src/console/index.html`) → `dist/console/`:
 * index.html and hashed JS and CSS under `assets/`, no inline script or style (the server sends
 * it at `/admin/` under a strict CSP). Its own build, apart from the widgets: nothing of it is in
 * dist/widgets or the embed budgets. `vite --mode console` serves it in development, with the
 * API (and the built widgets of the preview) proxied to a local server (`npm start`, port 8080).
 */
function consoleConfig(): UserConfig {
  return {
    root: 'src/console',
    base: '/admin/',
    publicDir: false,
    plugins: [minifyTemplates()],
    // The API, and the built widgets and banners the slogans-and-links preview loads.
    server: {
      proxy: Object.fromEntries(
        ['/api', '/civic.iife.js', '/banners'].map((path) => [path, 'http://127.0.0.1:8080']),
      ),
    },
    build: {
      // Relative to `root`: dist/console.
      outDir: '../../dist/console',
      emptyOutDir: true,
      target: 'es2021',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      // Every browser the console supports has modulepreload; no polyfill code.
      modulePreload: { polyfill: false },
      // Files, never data: URLs.
      assetsInlineLimit: 0,
    },
  };
}

export default defineConfig(({ mode }) => {
  if (mode === 'console') return consoleConfig();
  const iife = mode === 'iife';
  return {
    plugins: [
      trimLit(),
      minifyTemplates(),
      manglePrivateMembers(),
      shortenCustomProperties(),
      chunkIntegrity(),
      precompress(),
    ],
    publicDir: false,
    // The classic script has no import.meta; config.ts falls back to the page's own origin.
    define: iife ? { 'import.meta.url': 'undefined' } : {},
    build: {
      outDir: WIDGETS_DIR,
      emptyOutDir: !iife,
      target: 'es2021',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      lib: iife
        ? {
            entry: 'src/iife.ts',
            formats: ['iife'],
            name: 'civicWidgets',
            fileName: () => 'civic.iife.js',
          }
        : { entry: 'src/embed.ts', formats: ['es'], fileName: () => 'civic.js' },
      rolldownOptions: {
        // The pre-compression step dominates the build by design: no timing report for it.
        checks: { pluginTimings: false },
        output: {
          // Library mode keeps ES output unminified by default; these files ship to browsers as-is.
          minify: true,
          // Not even `@__PURE__` annotations: nothing bundles these files again.
          comments: false,
          generatedCode: { symbols: false },
          chunkFileNames: 'chunks/[name]-[hash].js',
          ...(iife ? {} : { codeSplitting: { groups: CHUNK_GROUPS } }),
        },
      },
    },
  };
});
