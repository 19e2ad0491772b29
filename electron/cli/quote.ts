// `npm run --silent quote -- FILE [--store PATH]`: quotes the purchase in FILE (JSON, see
// core/copay/contract.ts; "-" reads stdin) and prints the result as JSON on stdout, nothing else.
// Without --store it uses the policy packages embedded in the app; with it, the policy store at PATH
// (created and seeded if missing). Bad arguments or malformed input: exit 2, the field named on stderr.
import { readFileSync } from 'node:fs';
import { describeIssues, QuoteInput } from '../../core/copay/contract';
import { quoteParsed } from '../../core/copay/engine';
import { embeddedPackages } from '../../core/policy/embedded';
import { openPolicyStore } from '../../native/policy-store/store';
import { parseWithPositionals, UsageError } from './flags';

const USAGE = 'usage: npm run --silent quote -- FILE [--store PATH]   (FILE "-" reads stdin)';

function readInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`FILE: cannot read ${JSON.stringify(file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`FILE: ${JSON.stringify(file)} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function main(argv: readonly string[]): void {
  const { values, positionals } = parseWithPositionals(argv, { store: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) { console.log(USAGE); return; }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'FILE: missing the input file' : `unexpected argument ${JSON.stringify(positionals[1])}`);
  const parsed = QuoteInput.safeParse(readInput(positionals[0]!));
  if (!parsed.success) throw new UsageError(`invalid input: ${describeIssues(parsed.error)}`);
  if (values.store !== undefined) {
    const { store, seed } = openPolicyStore(values.store);
    try {
      for (const r of seed.refused) process.stderr.write(`warning: embedded policy ${r.id} not imported: ${r.reason}\n`);
      print(quoteParsed(parsed.data, store));
    } finally {
      store.db.close();
    }
  } else {
    print(quoteParsed(parsed.data, embeddedPackages()));
  }
}

function print(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`quote: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`quote: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
