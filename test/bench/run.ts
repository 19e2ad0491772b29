// `npm run bench`: runs every suite in test/bench/*.bench.ts and prints one table.
// `npm run bench -- quote` runs only suites whose name contains "quote".
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ratio, type BenchResult, type BenchSuite } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];

function fmtNumber(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

async function main(): Promise<void> {
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows: Array<[string, BenchResult]> = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { suite: BenchSuite };
    if (filter && !mod.suite.name.includes(filter)) continue;
    process.stderr.write(`running ${mod.suite.name}…\n`);
    for (const result of await mod.suite.run()) rows.push([mod.suite.name, result]);
  }
  if (rows.length === 0) { console.error('no benchmark matched'); process.exit(1); }
  const table = rows.map(([suite, r]) => ({
    suite, figure: r.name, median: `${fmtNumber(r.median)} ${r.unit}`,
    baseline: `${fmtNumber(r.baseline)} ${r.unit} (${r.baselineName})`, ratio: `${ratio(r).toFixed(2)}×`,
  }));
  console.table(table);
  for (const [suite, r] of rows) if (r.note) console.log(`- ${suite} / ${r.name}: ${r.note}`);
}

// exit explicitly: the PC/SC binding keeps a monitoring thread for the life of the process.
main().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
