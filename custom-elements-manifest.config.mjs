/**
 * custom-elements.json (npm run build:manifest): every widget's attributes, properties, events,
 * slots, parts and CSS properties, read from the components' JSDoc and Lit `static properties`.
 * The base classes are analysed too, so each tag inherits `site`, `api`, `source`, the error
 * parts and the global `--civic-*` tokens.
 */
export default {
  globs: [
    'src/components/*/civic-*.ts',
    'src/client/civic-element.ts',
    'src/client/list-element.ts',
  ],
  exclude: ['src/**/*.api.ts', 'src/**/*.strings.ts', 'src/**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  plugins: [litState(), documentedEventsOnly()],
};

/** Lit's `{ state: true }` in `static properties` is internal state: no attribute, not public. */
function litState() {
  return {
    name: 'civic-lit-state',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node)) return;
      const cls = moduleDoc.declarations?.find((d) => d.name === node.name?.getText());
      const props = node.members.find(
        (m) => ts.isPropertyDeclaration(m) && m.name.getText() === 'properties',
      )?.initializer;
      if (!cls || !props || !ts.isObjectLiteralExpression(props)) return;
      for (const p of props.properties) {
        const options = ts.isPropertyAssignment(p) && p.initializer;
        const isState =
          options &&
          ts.isObjectLiteralExpression(options) &&
          options.properties.some(
            (o) =>
              o.name?.getText() === 'state' && o.initializer?.kind === ts.SyntaxKind.TrueKeyword,
          );
        if (!isState) continue;
        const name = p.name.getText();
        cls.attributes = cls.attributes?.filter((a) => a.fieldName !== name);
        cls.members = cls.members?.filter((m) => m.name !== name);
      }
    },
  };
}

/**
 * Only events documented with `@fires`: the analyser also reports the base class's generic
 * `emit(name, …)` as an event called "name".
 */
function documentedEventsOnly() {
  return {
    name: 'civic-documented-events',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules)
        for (const d of mod.declarations ?? [])
          if (d.events) d.events = d.events.filter((e) => e.description);
    },
  };
}
