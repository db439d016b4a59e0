#!/usr/bin/env node
// `civic-widgets <command>` (package.json "bin"): runs the compiled command line, dist/server/cli.js.
// `civic-widgets --help` lists the commands.
let cli;
try {
  cli = await import('../dist/server/cli.js');
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('cli.js')) {
    process.stderr.write(
      'civic-widgets: dist/server/cli.js is missing; run `npm run build` first\n',
    );
    process.exit(1);
  }
  throw err;
}
process.exitCode = await cli.run(process.argv.slice(2));
