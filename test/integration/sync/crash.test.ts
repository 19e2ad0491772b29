// A sync process SIGKILLed at random moments while draining, restarted each time: the same
// exactly-once result — with national (5203 cannot look a lost reply up by msgid) each settlement is
// booked once or, when a kill or a lost reply left it unknown, reversed by its msgid; never twice. Bounded: a fixed number of kills, then one run to the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../native/db/open';
import { storeMigrations } from '../../../native/store/migrations';
import { SettlementStore } from '../../../native/sync/settlement-store';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { repoRoot } from '../../support/serve-process';
import { sandbox, storeDb } from '../centre/fixture';
import { expectOnceOrReversed, varietyOfSales } from './exactly-once';

const N = 400;
const KILLS = 25;
/** Workers still running; killed if the test fails half-way, so none outlives it. */
const live = new Set<ChildProcess>();
afterEach(() => { for (const child of live) child.kill('SIGKILL'); });

interface Worker { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null>; output: () => string }

function startWorker(dbPath: string, centre: string): Worker {
  // node --import tsx: one process, so SIGKILL hits the worker itself (the tsx CLI would leave its
  // child running).
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'native/sync/drain-worker.ts'), '--db', dbPath, '--centre', centre, '--timeout-ms', '1500', '--max-ms', '60000'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 20 s:\n${out}`)), 20_000);
    const check = (): void => { if (out.includes('drain-worker: ready')) { clearTimeout(timer); resolve(); } };
    child.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); if (!out.includes('drain-worker: ready')) reject(new Error(`worker exited ${code}:\n${out}`)); else resolve(); });
  });
  return { child, ready, exited, output: () => out };
}

describe('exactly once across SIGKILLs', () => {
  test(`${N} settlements, the sync process killed ${KILLS} times mid-drain`, async () => {
    const sb = await sandbox({ seed: 99, latencyMs: [3, 12], dropAfterCommitRate: 0.03, error5xxRate: 0.02, duplicateReplyRate: 0.03 });
    const { db, path, store } = storeDb();
    const sales = varietyOfSales(N, 31);
    db.transaction(() => sales.forEach((s, i) => store.record({ saleRef: `K${i}`, ...s })))();
    db.close();

    let seed = 12345;
    const rnd = (k: number): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed % k; };
    let kills = 0;
    let finishedEarly = false;
    for (let i = 0; i < KILLS; i++) {
      const worker = startWorker(path, sb.endpoint);
      await worker.ready;
      const done = await Promise.race([worker.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20 + rnd(180)))]);
      if (done) { finishedEarly = true; break; }
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBeNull();
      kills++;
    }
    const last = startWorker(path, sb.endpoint);
    const code = await Promise.race([last.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 40_000))]);
    if (code === 'timeout') last.child.kill('SIGKILL');
    expect(code, last.output()).toBe(0);
    expect(last.output()).toContain('drain-worker: idle');

    const reopened = openDatabase(path, storeMigrations);
    const check = new SettlementStore(reopened, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode });
    expect(finishedEarly).toBe(false);
    expect(kills).toBe(KILLS);
    // Some kills landed mid-call and were recovered as unknown outcomes.
    expect(reopened.prepare("SELECT count(*) FROM settlement_outbox_log WHERE event = 'crash_recovered'").pluck().get()).toBeGreaterThan(0);
    expect(expectOnceOrReversed(reopened, check, sb, N).reversed).toBeGreaterThan(0);
    reopened.close();
    await sb.close();
  }, 120_000);
});
