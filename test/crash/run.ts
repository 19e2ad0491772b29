// `npm run test:crash [-- --kills 200] [--seed N] [--points checkout,sync,day-close]`: the full crash
// suite (test/crash/suite.ts). Prints progress and a report; exits 1 on any violated invariant, 2 on
// bad arguments. The CI version (bounded) is test/integration/crash/backend-crash.test.ts.
import { parseArgs } from 'node:util';
import { KILL_POINTS, type KillPoint, runCrashSuite } from './suite';

function usage(message: string): never {
  console.error(`test:crash: ${message}`);
  process.exit(2);
}

function flags(): { kills: number; seed: number | undefined; points: KillPoint[] | undefined } {
  let values;
  try {
    ({ values } = parseArgs({ options: { kills: { type: 'string' }, seed: { type: 'string' }, points: { type: 'string' } }, strict: true }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const whole = (text: string | undefined, name: string, fallback: number | undefined, max: number): number | undefined => {
    if (text === undefined) return fallback;
    if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max) usage(`--${name}: a whole number from 1 to ${max}, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  const points = values.points?.split(',').map((p) => p.trim());
  for (const p of points ?? []) if (!(KILL_POINTS as readonly string[]).includes(p)) usage(`--points: each one of ${KILL_POINTS.join(', ')}, got ${JSON.stringify(p)}`);
  return { kills: whole(values.kills, 'kills', 200, 100_000)!, seed: whole(values.seed, 'seed', undefined, 2 ** 31 - 1), points: points as KillPoint[] | undefined };
}

const { kills, seed, points } = flags();
const report = await runCrashSuite({ kills, ...(seed !== undefined && { seed }), ...(points && { points }), log: (line) => console.log(line) });
const { failures, ...figures } = report;
console.log(JSON.stringify(figures, null, 2));
if (failures.length) {
  console.error(`\n${failures.length} invariant violation(s) (data kept in ${report.workDir}):`);
  for (const f of failures) console.error(`  ✗ ${f}`);
  process.exit(1);
}
console.log(`\n${report.kills} kills, every invariant held (${report.seconds.toFixed(0)} s).`);
