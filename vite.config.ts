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
      const result = minifyHTMLLiterals(code, { fileName: id });
      return result ? { code: result.code, map: result.map as never } : null;
    },
  };
}

/**
 * `vite build`: dist/civic.js (the loader, ESM) with one lazy chunk per widget and shared
 * chunks for Lit and the client core under dist/chunks/ (hashed, cached immutably).
 * `vite build --mode iife`: dist/civic.iife.js, everything in one classic script.
 * Budgets are checked by `npm run size` (scripts/size.mjs).
 */
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
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  };
});
