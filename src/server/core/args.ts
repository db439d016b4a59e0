/** Command-line options of the CLI's commands: `node:util` parseArgs, its refusals on one line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function commandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node explains some refusals over three lines; the CLI prints one.
    throw new Error((err instanceof Error ? err.message : String(err)).split('\n')[0], {
      cause: err,
    });
  }
}
