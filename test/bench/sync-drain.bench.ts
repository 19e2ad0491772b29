// Drain benchmarks.
// 1. A day offline: 50 queued settlements (ten people) against a sandbox answering every 2102 after a
//    fixed 800 ms (the platform's typical time), drained with N calls in flight, against the same 50
//    drained one at a time in the same run; N = 4, the default and 16 as the evidence for the default.
//    The sandbox knows ten people, so each comes five times: a person's sales stay in order, which
//    makes this harsher than a real day (mostly different people).
// 2. Throughput: 10,000 queued settlements drained to a sandbox with no latency, against the
//    sandbox's raw accept rate (the same 2102 envelopes posted straight at it, one at a time over the
//    same transport, no store) measured in the same run. The ratio is the cost of exactly-once
//    bookkeeping: the msgid persisted first, every transition a durable SQLite write. Both sides are
//    The sandbox runs in a process of its own for both (test/bench/sandbox-process.ts), as for the
//    counter bench: the platform is another machine, so the till's commits overlap its work instead
//    of stopping it (in one process each fsync of the till stalled the sandbox too). Both sides are
//    measured in five interleaved rounds (raw batch, raw batch 8 in flight, 2,000 drained): the disk's
//    fsync time swings 2–3× within minutes on a shared machine, and a ratio of two figures taken
//    minutes apart measured that swing instead of the code.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCentreClient } from '../../core/centre/client';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { DEFAULT_SYNC_CONCURRENCY, SyncEngine } from '../../native/sync/engine';
import { HttpJsonTransport } from '../../native/centre/http-transport';
import { median, type BenchResult, type BenchSuite } from './harness';
import { startSandboxProcess } from './sandbox-process';
import { client, PERSONS, sale, sandbox, storeDb, tempDir } from '../integration/centre/fixture';
import { trainingCatalogue } from '../../core/policy/reference';
import { varietyOfSales } from '../integration/sync/exactly-once';

const QUEUED = 10_000;
const DAY = 50;
const PLATFORM_MS = 800;
const RAW_BATCH = 500;
/** Rounds of (raw batch, raw batch in parallel, QUEUED / ROUNDS drained), interleaved. */
const ROUNDS = 5;

/** The sandbox's accept rate for 2102 posted straight at it, `inFlight` at a time: one batch. */
async function rawAcceptRate(inFlight: number, seed: number): Promise<number> {
  const dir = tempDir('bench-raw');
  const sb = await startSandboxProcess(dir);
  const c = client(sb);
  await c.centre.signIn();
  const batch = varietyOfSales(RAW_BATCH, seed);
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < batch.length) {
      const s = batch[next++]!;
      const outcome = await c.centre.settle(s.request, { msgid: c.nextMsgid(), insuplcAdmdvs: s.insuplcAdmdvs });
      if (outcome.kind !== 'ok') throw new Error(`raw accept failed: ${JSON.stringify(outcome)}`);
    }
  }));
  const rate = RAW_BATCH / (Number(process.hrtime.bigint() - start) / 1e9);
  await c.transport.close();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

/** 50 sales, the ten training people in turn, one to three lines each. */
function daySales() {
  const items = trainingCatalogue();
  return Array.from({ length: DAY }, (_, i) => sale(PERSONS[i % PERSONS.length]!, Array.from({ length: 1 + (i % 3) }, (_, j) => ({
    medListCodg: items[(i * 7 + j) % items.length]!.code, qty: String(1 + (j % 2)), price: `${5 + ((i * 13 + j) % 90)}.50`,
  }))));
}

/** Wall time to drain a day's 50 offline sales against a centre taking 800 ms per 2102. */
async function dayOffline(concurrency: number): Promise<number> {
  const dir = tempDir('bench-day');
  const sb = await sandbox({ latencyMs: [PLATFORM_MS, PLATFORM_MS], infnos: ['2102'] }, { dataDir: join(dir, 'centre') });
  const { db, store } = storeDb(join(dir, 'store.db'));
  const transport = new HttpJsonTransport({ url: sb.endpoint, responseTimeoutMs: 10_000 });
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => new Date(), nextMsgid: () => store.allocateMsgid(), terminal: TRAINING_TERMINAL });
  await centre.signIn();
  db.transaction(() => daySales().forEach((s, i) => store.record({ saleRef: `D${i}`, ...s })))();
  const engine = new SyncEngine({ store, centre, concurrency });
  const start = process.hrtime.bigint();
  const report = await engine.drainOnce();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (report.stoppedBy !== 'empty' || store.counts().confirmed !== DAY || sb.centre.summary().settled !== DAY) throw new Error(`day drain incomplete: ${JSON.stringify({ report, counts: store.counts() })}`);
  await transport.close();
  db.close();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function drainRate(queued: number, seed: number): Promise<{ rate: number; recordPerSecond: number }> {
  const dir = tempDir('bench-drain');
  const sb = await startSandboxProcess(join(dir, 'centre'));
  const { db, store } = storeDb(join(dir, 'store.db'));
  const transport = new HttpJsonTransport({ url: sb.endpoint });
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => new Date(), nextMsgid: () => store.allocateMsgid(), terminal: TRAINING_TERMINAL });
  const sales = varietyOfSales(queued, seed);
  const recordStart = process.hrtime.bigint();
  db.transaction(() => sales.forEach((s, i) => store.record({ saleRef: `B${i}`, ...s })))();
  const recordPerSecond = queued / (Number(process.hrtime.bigint() - recordStart) / 1e9);
  const engine = new SyncEngine({ store, centre });
  const start = process.hrtime.bigint();
  const report = await engine.drainOnce();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const counts = store.counts();
  const atCentre = (await sb.stats()).byInfno['2102'] ?? 0;
  if (report.stoppedBy !== 'empty' || counts.confirmed !== queued || atCentre < queued) throw new Error(`drain incomplete: ${JSON.stringify({ report, counts })}`);
  await transport.close();
  db.close();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate: queued / seconds, recordPerSecond };
}

export const suite: BenchSuite = {
  name: 'sync drain',
  async run() {
    const serial = await dayOffline(1);
    const day: BenchResult[] = [];
    for (const n of [4, DEFAULT_SYNC_CONCURRENCY, 16]) {
      const ms = await dayOffline(n);
      day.push({
        name: `day offline: ${DAY} sales, ${PLATFORM_MS} ms per 2102, ${n} in flight${n === DEFAULT_SYNC_CONCURRENCY ? ' (default)' : ''}`,
        unit: 'ms', median: ms, baselineName: 'the same 50 drained one at a time', baseline: serial,
        note: n === DEFAULT_SYNC_CONCURRENCY ? `target ≤ 0.25×. One run each (the serial one takes ~${Math.round(DAY * PLATFORM_MS / 1000)} s); ten people, whose sales stay in order, so at most ten go at once.` : undefined,
      });
    }
    const raws: number[] = [];
    const rawParallels: number[] = [];
    const drains: Array<{ rate: number; recordPerSecond: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      raws.push(await rawAcceptRate(1, 3 + round));
      rawParallels.push(await rawAcceptRate(DEFAULT_SYNC_CONCURRENCY, 3 + round));
      drains.push(await drainRate(QUEUED / ROUNDS, 5 + round));
    }
    const raw = median(raws);
    const rawParallel = median(rawParallels);
    const drained = { rate: median(drains.map((d) => d.rate)), recordPerSecond: median(drains.map((d) => d.recordPerSecond)) };
    return [...day, {
      name: `drain ${QUEUED.toLocaleString('en')} queued settlements`,
      unit: 'ops/s',
      median: drained.rate,
      baselineName: 'sandbox raw 2102 accept rate',
      baseline: raw,
      note: `target ≥ 0.8×. Medians of ${ROUNDS} interleaved rounds (${(QUEUED / ROUNDS).toLocaleString('en')} drained, ${RAW_BATCH} raw). Settlements/s through the outbox (${DEFAULT_SYNC_CONCURRENCY} in flight) vs one at a time straight at the sandbox (ratio < 1 is the bookkeeping cost); recording ${Math.round(drained.recordPerSecond)} settlements/s into the queue. A busy till settles a few a minute.`,
    }, {
      name: `drain ${QUEUED.toLocaleString('en')} queued settlements (same figure)`,
      unit: 'ops/s',
      median: drained.rate,
      baselineName: `sandbox raw 2102 accept rate, ${DEFAULT_SYNC_CONCURRENCY} in flight`,
      baseline: rawParallel,
      note: 'the stricter comparison: the same concurrency on both sides, so the ratio is the bookkeeping alone.',
    }];
  },
};
