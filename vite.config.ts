import { minifyHTMLLiterals } from 'minify-html-literals';
import { defineConfig, type Plugin } from 'vite';

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
 * `vite build`: dist/civic.js (the loader, ESM) and the two lazy chunks below under dist/chunks/
 * (hashed, cached immutably).
 * `vite build --mode iife`: dist/civic.iife.js, everything in one classic script.
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
    plugins: [minifyTemplates()],
    publicDir: false,
    // The classic script has no import.meta; config.ts falls back to the page's own origin.
    define: iife ? { 'import.meta.url': 'undefined' } : {},
    build: {
      outDir: 'dist',
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
