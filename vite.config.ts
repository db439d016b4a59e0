import { defineConfig } from 'vite';

/**
 * `vite build`: dist/civic.js (the loader, ESM) with one lazy chunk per widget and shared
 * chunks for Lit and the client core under dist/chunks/ (hashed, cached immutably).
 * `vite build --mode iife`: dist/civic.iife.js, everything in one classic script.
 * Budgets are checked by `npm run size` (scripts/size.mjs).
 */
export default defineConfig(({ mode }) => {
  const iife = mode === 'iife';
  return {
    publicDir: false,
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
      rollupOptions: {
        output: {
          chunkFileNames: 'chunks/[name]-[hash].js',
          ...(iife ? { inlineDynamicImports: true } : {}),
        },
      },
    },
  };
});
