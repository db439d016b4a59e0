/**
 * Subresource Integrity for the lazy chunks. `import()` takes no integrity, so before importing a
 * chunk the loader adds `<link rel="modulepreload" integrity crossorigin>` for the chunk and the
 * chunks it imports statically, and imports only once each has loaded: the browser has fetched
 * it under its hash and holds it in the module map, where `import()` then finds it. A chunk whose
 * bytes do not match is refused and never imported (the widget keeps its fallback). Waiting for
 * the links matters: Chromium's `import()` fetches a module again, without integrity, when its
 * preload failed. A `<link>` is no script injection: strict CSP and Trusted Types allow it.
 *
 * `list` is a placeholder (`SRI:<module under src/>`) that the build (vite.config.ts,
 * `chunkIntegrity()`) replaces with the chunk's and its dependencies' `file hash` pairs, e.g.
 * `chunks/civic-core-….js sha256-…`, once their bytes are final. Unbuilt (in development), the
 * placeholder has no pair: nothing is preloaded.
 */
const added: Record<string, Promise<unknown>> = {};

/** Resolves once every chunk of `list` is loaded and verified; rejects when one is refused. */
export const preload = (list: string): Promise<unknown> =>
  Promise.all(
    [...list.matchAll(/(\S+) (\S+)/g)].map(([, file, integrity]) => {
      // Set as `href`, the URL object becomes its text; as a key too.
      const href = new URL(file!, import.meta.url);
      return (added[href as never] ??= new Promise((onload, onerror) =>
        document.head.append(
          Object.assign(document.createElement('link'), {
            rel: 'modulepreload',
            href,
            integrity,
            crossOrigin: '',
            onload,
            onerror,
          }),
        ),
      ));
    }),
  );
