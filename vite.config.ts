import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minifyHTMLLiterals } from 'minify-html-literals';
import { defineConfig, type Plugin } from 'vite';

/** Where the published widget files go; the server serves this folder and nothing else of dist/. */
export const WIDGETS_DIR = 'dist/widgets';

/**
 * Writes a Brotli (quality 11) and a gzip (level 9) copy beside every file of the bundle, which the
 * server sends by `Accept-Encoding` (`@fastify/static`'s `preCompressed`): the bytes a browser
 * receives, compressed once at build time at the highest level.
 */
function precompress(): Plugin {
  return {
    name: 'civic-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        const path = join(options.dir ?? WIDGETS_DIR, file);
        const data = readFileSync(path);
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
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
      const result = minifyHTMLLiterals(code, { fileName: id, minifyOptions: { removeAttributeQuotes: true, conservativeCollapse: true } });
      return result ? { code: result.code, map: result.map as never } : null;
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
  { name: 'civic-comments', test: /src[\\/]components[\\/](comments|captcha)[\\/]/, priority: 1 },
];

export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    plugins: [minifyTemplates(), precompress()],
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
        ? { entry: 'src/iife.ts', formats: ['iife'], name: 'civicWidgets', fileName: () => 'civic.iife.js' }
        : { entry: 'src/embed.ts', formats: ['es'], fileName: () => 'civic.js' },
      rolldownOptions: {
        output: {
          // Library mode keeps ES output unminified by default; these files ship to browsers as-is.
          minify: true,
          // Not even `@__PURE__` annotations: nothing bundles these files again.
          comments: false,
          chunkFileNames: 'chunks/[name]-[hash].js',
          ...(iife ? {} : { codeSplitting: { groups: CHUNK_GROUPS } }),
        },
      },
    },
  };
});
