/**
 * The real widgets for the console's previews: the server's built `civic.iife.js` (every widget
 * in one file, defined as it runs), imported once. Not bundled into the console: the preview
 * shows exactly the code the sites load. Imported, not added as a `<script>` element, so it
 * needs no Trusted Types policy under the console's CSP (a same-origin script is allowed).
 */
let loading: Promise<void> | undefined;
let loadedFrom: string | undefined;

/** Defines the widgets from `url` (once); rejects when the file cannot be loaded. */
export function loadWidgets(url: string): Promise<void> {
  if (!loading || loadedFrom !== url) {
    loadedFrom = url;
    loading = import(/* @vite-ignore */ url).then(
      () => undefined,
      (e: unknown) => {
        loading = undefined;
        throw e;
      },
    );
  }
  return loading;
}
