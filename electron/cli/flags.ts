// Command-line flags for every entry point (serve, quote, card, sandbox), on node:util's parseArgs.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thrown for bad arguments; entry points print the message and exit 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string };

export function parseFlags<O extends Options>(argv: readonly string[], options: O): Values<O> {
  const { values, positionals } = parseWithPositionals(argv, options);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  return values;
}

export function parseWithPositionals<O extends Options>(argv: readonly string[], options: O): { values: Values<O>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    return { values: parsed.values as Values<O>, positionals: parsed.positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs says e.g. "Unknown option '--colour'" or "Option '--port <value>' argument missing".
    throw new UsageError(message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('. To specify')[0]!);
  }
}
