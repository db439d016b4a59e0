/**
 * Subresource Integrity for the lazy chunks. `import()` takes no integrity, so before importing a
 * chunk the loader adds `<link rel="modulepreload" integrity crossorigin>` for the chunk and the
 * chunks it imports statically, and imports only once each has loaded: the browser has fetched
 * it under its hash and holds it in the module map, where `import()` then finds it. A chunk whose
 * bytes do not match is refused and never imported (the widget keeps its fallback). Waiting for
 * the links matters: Chromium's `import()` fetches a module again, without integrity, when its
 * preload failed. A `<link>` is no script injection: strict CSP and Trusted Types allow it.
 *
 * Each call is written `preload([], 'SRI:<module under src/>')`: the build (vite.config.ts,
 * `chunkIntegrity()`) replaces both arguments with the `[file, hash]` pairs of the chunk that holds
 * the module and of the chunks it imports, e.g. `[['chunks/civic-core-….js', 'sha256-…']]`, once
 * their bytes are final. Unbuilt (in development) the list is empty: nothing is preloaded.
 */
const preloads: Record<string, Promise<unknown>> = {};
/**
 * A browser without modulepreload (Safari before 17, Firefox before 115) would never load the
 * link, nor report an error: it imports the chunks as it did before, without their integrity.
 */
const supported = document.createElement('link').relList.supports('modulepreload');

/**
 * Resolves once every chunk of `pairs` is loaded and verified; rejects when one is refused. One
 * link per chunk: the tags of one chunk, and the chunks that import it, share it, and a refused
 * chunk is not tried again.
 */
export const preload: (pairs: string[][], placeholder?: string) => Promise<unknown> = (pairs) =>
  Promise.all(
    (supported ? pairs : []).map(
      ([file, integrity]) =>
        (preloads[file!] ??= new Promise((onload, onerror) =>
          document.head.append(
            Object.assign(document.createElement('link'), {
              rel: 'modulepreload',
              // Set as `href`, the URL object becomes its text.
              href: new URL(file!, import.meta.url),
              integrity,
              crossOrigin: '',
              onload,
              onerror,
            }),
          ),
        )),
    ),
  );
