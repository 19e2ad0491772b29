// Drain benchmark: 10,000 queued settlements drained by the sync engine to the sandbox centre over
// loopback, against the sandbox's raw accept rate (the same 2102 envelopes posted straight at it,
// one at a time over the same transport, no store) measured in the same run. The ratio is the cost
// of exactly-once bookkeeping: the msgid persisted first, every transition a durable SQLite write.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCentreClient } from '../../core/centre/client';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { SyncEngine } from '../../native/sync/engine';
import { HttpJsonTransport } from '../../native/centre/http-transport';
import { median, type BenchSuite } from './harness';
import { client, sandbox, storeDb, tempDir } from '../integration/centre/fixture';
import { varietyOfSales } from '../integration/sync/exactly-once';

const QUEUED = 10_000;
const RAW_BATCH = 500;
const RAW_BATCHES = 5;

async function rawAcceptRate(): Promise<number> {
  const dir = tempDir('bench-raw');
  const sb = await sandbox({}, { dataDir: dir });
  const c = client(sb);
  await c.centre.signIn();
  const sales = varietyOfSales(RAW_BATCH * RAW_BATCHES, 3);
  const rates: number[] = [];
  for (let b = 0; b < RAW_BATCHES; b++) {
    const batch = sales.slice(b * RAW_BATCH, (b + 1) * RAW_BATCH);
    const start = process.hrtime.bigint();
    for (const s of batch) {
      const outcome = await c.centre.settle(s.request, { msgid: c.nextMsgid(), insuplcAdmdvs: s.insuplcAdmdvs });
      if (outcome.kind !== 'ok') throw new Error(`raw accept failed: ${JSON.stringify(outcome)}`);
    }
    rates.push(RAW_BATCH / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  await c.transport.close();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
  return median(rates);
}

async function drainRate(): Promise<{ rate: number; recordPerSecond: number }> {
  const dir = tempDir('bench-drain');
  const sb = await sandbox({}, { dataDir: join(dir, 'centre') });
  const { db, store } = storeDb(join(dir, 'store.db'));
  const transport = new HttpJsonTransport({ url: sb.endpoint });
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => new Date(), nextMsgid: () => store.allocateMsgid(), terminal: TRAINING_TERMINAL });
  const sales = varietyOfSales(QUEUED, 5);
  const recordStart = process.hrtime.bigint();
  db.transaction(() => sales.forEach((s, i) => store.record({ saleRef: `B${i}`, ...s })))();
  const recordPerSecond = QUEUED / (Number(process.hrtime.bigint() - recordStart) / 1e9);
  const engine = new SyncEngine({ store, centre });
  const start = process.hrtime.bigint();
  const report = await engine.drainOnce();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const counts = store.counts();
  if (report.stoppedBy !== 'empty' || counts.confirmed !== QUEUED) throw new Error(`drain incomplete: ${JSON.stringify({ report, counts })}`);
  await transport.close();
  db.close();
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate: QUEUED / seconds, recordPerSecond };
}

export const suite: BenchSuite = {
  name: 'sync drain',
  async run() {
    const raw = await rawAcceptRate();
    const drained = await drainRate();
    return [{
      name: `drain ${QUEUED.toLocaleString('en')} queued settlements`,
      unit: 'ops/s',
      median: drained.rate,
      baselineName: 'sandbox raw 2102 accept rate',
      baseline: raw,
      note: `settlements/s through the outbox vs straight at the sandbox (ratio < 1 is the bookkeeping cost); recording ${Math.round(drained.recordPerSecond)} settlements/s into the queue. A busy till settles a few a minute.`,
    }];
  },
};
