// `npm run soak -- --minutes N [--rate 20] [--flap 10-40] [--seed S] [--json FILE]`: a soak test,
// not part of CI. The backend runs as its own process (bundled with esbuild as it ships, under plain
// Node) against the sandbox centre (in this process,
// over loopback HTTP, mode http with the training institution). One till sells continuously at a
// steady rate (sales per minute) while the centre flaps online/offline through the training network
// switch (POST /api/training/centre {online}), each phase lasting a random number of seconds.
// At the end the centre comes back, the outbox drains, and the final reconciliation runs: the
// store's confirmed settlements against the centre's bookings, the day's check with the centre
// (POST /api/reconciliation/days/:date/check) and the journal. Reports throughput, latency
// percentiles, RSS over time and the reconciliation; exits 1 if anything does not reconcile.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { businessDate } from '../core/checkout/business-date';
import { checkNothingBookedTwice, openEntries, tally, withStore } from '../test/crash/checks';
import { bundleBackend } from '../test/bench/cold-start.bench';
import { Durations, Rig } from '../test/crash/rig';

function usage(message: string): never {
  console.error(`soak: ${message}`);
  console.error('usage: npm run soak -- --minutes N [--rate SALES_PER_MINUTE] [--flap MIN-MAX seconds] [--seed N] [--json FILE]');
  process.exit(2);
}

interface Options { minutes: number; rate: number; flap: [number, number]; seed: number; json: string | null }

function options(): Options {
  let values;
  try {
    ({ values } = parseArgs({ options: { minutes: { type: 'string' }, rate: { type: 'string' }, flap: { type: 'string' }, seed: { type: 'string' }, json: { type: 'string' } }, strict: true }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const number = (text: string | undefined, name: string, fallback: number, min: number, max: number): number => {
    if (text === undefined) return fallback;
    if (!/^\d+(\.\d+)?$/.test(text) || Number(text) < min || Number(text) > max) usage(`--${name}: a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return Number(text);
  };
  if (values.minutes === undefined) usage('--minutes is required');
  const flap = /^(\d{1,4})-(\d{1,4})$/.exec(values.flap ?? '10-40');
  if (!flap || Number(flap[1]) < 1 || Number(flap[2]) < Number(flap[1])) usage(`--flap: MIN-MAX seconds, e.g. 10-40, got ${JSON.stringify(values.flap)}`);
  return {
    minutes: number(values.minutes, 'minutes', 3, 0.1, 24 * 60),
    rate: number(values.rate, 'rate', 20, 1, 600),
    flap: [Number(flap[1]), Number(flap[2])],
    seed: number(values.seed, 'seed', 2026, 0, 2 ** 31 - 1),
    json: values.json ?? null,
  };
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function percentiles(values: readonly number[]): { n: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

const ms = (n: number): string => (Number.isNaN(n) ? '—' : `${n.toFixed(0)} ms`);

async function main(): Promise<void> {
  const o = options();
  let seed = o.seed >>> 0;
  const rnd = (k: number): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return k <= 1 ? 0 : seed % k; };
  const dir = mkdtempSync(join(tmpdir(), 'ybjs-soak-'));
  console.log(`soak: ${o.minutes} min, ${o.rate} sales/min, centre flapping every ${o.flap[0]}–${o.flap[1]} s; data in ${dir}`);
  // The backend as it ships: bundled, under plain Node (no on-the-fly TypeScript in its memory).
  const rig = await Rig.create(dir, rnd, new Durations(), seed % 100_000, [process.execPath, await bundleBackend()]);
  // A store that allows more offline provisional sales than the cautious default (1 per person per
  // day), so the queue has something to drain after each outage; beyond it the POS takes self-pay.
  const limits = await rig.pos.call('PUT', '/api/store-settings', {
    token: rig.pos.manager,
    body: { riskLimits: { perSaleFund: '500.00', perDayFund: '100000.00', perPersonSalesPerDay: 20, maxPersonDataAgeDays: 30 }, rxValidityDays: { default: 3, byRegion: {} } },
  });
  if (limits.status !== 200) throw new Error(`store settings: ${limits.status} ${JSON.stringify(limits.body)}`);
  const started = Date.now();
  const end = started + o.minutes * 60_000;
  const latency: Record<'sale' | 'settle online' | 'settle offline', number[]> = { sale: [], 'settle online': [], 'settle offline': [] };
  const states: Record<string, number> = {};
  const errors: string[] = [];
  const rss: Array<{ atSeconds: number; mib: number; sales: number; queued: number }> = [];
  let online = true;
  let flips = 0;
  let sales = 0;

  const sample = (): void => {
    const queued = withStore(rig.storePath, openEntries);
    rss.push({ atSeconds: Math.round((Date.now() - started) / 1000), mib: rssMiB(rig.pid()), sales, queued });
    const last = rss[rss.length - 1]!;
    console.log(`  t=${String(last.atSeconds).padStart(5)} s  RSS ${last.mib.toFixed(1)} MiB  sales ${sales}  queued ${queued}  centre ${online ? 'online' : 'OFFLINE'}`);
  };
  sample();
  const sampler = setInterval(sample, 10_000);
  let flipAt = Date.now() + (o.flap[0] + rnd(o.flap[1] - o.flap[0] + 1)) * 1000;
  const interval = 60_000 / o.rate;
  try {
    for (let i = 0; Date.now() < end; i++) {
      const due = started + i * interval;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      if (Date.now() >= end) break;
      if (Date.now() >= flipAt) {
        online = !online;
        flips++;
        await rig.pos.ok('POST', '/api/training/centre', { online });
        flipAt = Date.now() + (o.flap[0] + rnd(o.flap[1] - o.flap[0] + 1)) * 1000;
      }
      const t0 = performance.now();
      try {
        const id = await rig.prepare(null, 'soak');
        const t1 = performance.now();
        const reply = await rig.pos.settle(id!, { acceptSelfPay: true });
        const t2 = performance.now();
        if (reply.status >= 300) { errors.push(`sale ${id}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`); continue; }
        rig.ack(id!, reply.body.state);
        states[reply.body.state] = (states[reply.body.state] ?? 0) + 1;
        latency[reply.body.state === 'settled' ? 'settle online' : 'settle offline'].push(t2 - t1);
        latency.sale.push(t2 - t0);
        sales++;
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
    const sellingSeconds = (Date.now() - started) / 1000;
    // The centre comes back for good; the queue drains; then the final reconciliation.
    if (!online) await rig.pos.ok('POST', '/api/training/centre', { online: true });
    online = true;
    const drainStart = Date.now();
    await rig.settleUp('final');
    const drainSeconds = (Date.now() - drainStart) / 1000;
    clearInterval(sampler);
    sample();
    const date = businessDate(new Date());
    const check = await rig.pos.call('POST', `/api/reconciliation/days/${date}/check`, { token: rig.pos.manager });
    const journal = await rig.pos.call('GET', '/api/journal/verify', { token: rig.pos.manager });
    const open = await rig.pos.call('GET', `/api/reconciliation/discrepancies?date=${date}&status=open`, { token: rig.pos.manager });
    const discrepancies: Record<string, number> = {};
    for (const d of (open.status === 200 ? open.body : []) as Array<{ kind: string }>) discrepancies[d.kind] = (discrepancies[d.kind] ?? 0) + 1;
    // settleUp compared store and centre in full (into rig.failures); this adds the double-booking check.
    const centre = withStore(rig.storePath, (db) => ({ ...tally(db, rig.sandbox.db), twice: checkNothingBookedTwice(db, rig.sandbox.db) }));
    const problems = [...rig.failures, ...centre.twice];
    if (journal.body?.ok !== true) problems.push(`journal does not verify: ${JSON.stringify(journal.body)}`);
    const dayResult = check.status === 200 ? `${check.body.lastCheck?.result ?? '?'}; ${check.body.openDiscrepancies} open discrepancies; confirmed ${check.body.totals.confirmed.count} / ${check.body.totals.confirmed.medfee}` : `${check.status} ${JSON.stringify(check.body).slice(0, 200)}`;
    const mibs = rss.map((r) => r.mib);
    const report = {
      minutes: o.minutes, rate: o.rate, flips, sales, errors: errors.length,
      throughputPerMinute: Number((sales / (sellingSeconds / 60)).toFixed(1)),
      states, latency: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, percentiles(v)])),
      rss: { startMiB: mibs[0], maxMiB: Math.max(...mibs), endMiB: mibs[mibs.length - 1], samples: rss },
      maxQueued: Math.max(...rss.map((r) => r.queued)), drainSeconds, reconciliation: { storeConfirmed: centre.storeConfirmed, centreBooked: centre.centreBooked, medfee: centre.medfee, dayCheck: dayResult, discrepancies, journal: journal.body },
      problems, errorSamples: errors.slice(0, 10),
    };
    console.log(`\nsold ${sales} in ${(sellingSeconds / 60).toFixed(1)} min (${report.throughputPerMinute}/min asked ${o.rate}); ${flips} centre flips; ${errors.length} errors`);
    console.log(`states: ${JSON.stringify(states)}`);
    for (const [k, v] of Object.entries(report.latency)) console.log(`${k.padEnd(15)} n=${String(v.n).padStart(4)}  p50 ${ms(v.p50)}  p90 ${ms(v.p90)}  p99 ${ms(v.p99)}  max ${ms(v.max)}`);
    console.log(`RSS: start ${report.rss.startMiB?.toFixed(1)} MiB, max ${report.rss.maxMiB.toFixed(1)} MiB, end ${report.rss.endMiB?.toFixed(1)} MiB`);
    console.log(`queue: at most ${Math.max(...rss.map((r) => r.queued))} waiting at a 10 s sample; drained in ${drainSeconds.toFixed(1)} s after the centre came back for good`);
    console.log(`reconciliation: store confirmed ${centre.storeConfirmed}, centre booked ${centre.centreBooked} (${centre.medfee} yuan); day check: ${dayResult}; journal ${journal.body?.ok ? `verifies (${journal.body.entries} entries)` : 'BROKEN'}`);
    console.log(`open discrepancies for the manager (expected: provisional_difference when the centre priced an offline sale differently, not_at_centre for self-pay sales of insured people): ${JSON.stringify(discrepancies)}`);
    if (o.json) writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    if (problems.length || errors.length) {
      console.error(`\n${problems.length} reconciliation problem(s), ${errors.length} error(s):`);
      for (const p of [...problems, ...errors].slice(0, 30)) console.error(`  ✗ ${p}`);
      process.exitCode = 1;
    }
  } finally {
    clearInterval(sampler);
    await rig.close();
    if (!process.exitCode) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`soak: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
