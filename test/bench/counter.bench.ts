// The whole sale at the counter, over the local API of an in-process backend: card read over a real
// pty at 38400 baud (socat, simulated reader) → identify → prescription → basket → pre-settle →
// settle → receipt. Against its floor in the same run: the card's wire time (bytes exchanged ×
// 10 bit / baud, from a direct read over the same pty) plus the sandbox's fixed answer time × the
// centre calls the cashier waits for (counted by the sandbox). What is left is the till's own overhead.
// The sandbox answers each call exactly ANSWER_MS after it arrived, its own work included (answerMs),
// as a platform of fixed latency would: the sandbox's SQLite work is the centre's, not the till's.
// The 3505 sales reports the sale causes go out afterwards from the background reporter, which no
// step waits for: counted and shown, but not in the floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tillDataDir } from '../integration/ledger/support';
import { startSandboxProcess } from './sandbox-process';
import { saveReaderSettings } from '../../native/serial/settings';
import { startSerialSimulator } from '../../native/reader-sim/serial-sim';
import { simCardFor, trainingCard } from '../../native/reader-sim/training-cards';
import { createSerialCardReader } from '../../native/serial/serial-reader';
import { startTestBackend } from '../support/backend';
import { SKU, Till } from '../support/checkout';
import { openPtyPair } from '../support/pty';
import { median, type BenchResult, type BenchSuite } from './harness';

const BAUD = 38400;
const LATENCY_MS = 100;
/** Sent by the background reporter after the settlement; no cashier step waits for them. */
const BACKGROUND = /^35\d\d/;
const SALES = 40;
const WARMUP = 3;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Bytes one full card read exchanges on the wire, from the driver's trace on the same pty. */
async function wireMsPerRead(path: string): Promise<number> {
  let bytes = 0;
  const reader = createSerialCardReader({ path, baud: BAUD, trace: (e) => { if ('bytes' in e) bytes += e.bytes.length; } });
  try {
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      bytes = 0;
      const outcome = await reader.readCard();
      if (!outcome.ok) throw new Error(`card read failed: ${outcome.error}`);
      counts.push(bytes);
    }
    return (median(counts) * 10 * 1000) / BAUD;
  } finally {
    await reader.close();
  }
}

export const suite: BenchSuite = {
  name: 'counter',
  async run(): Promise<BenchResult[]> {
    const pair = await openPtyPair();
    const simulator = await startSerialSimulator(pair.a, { card: simCardFor(trainingCard('shiyan-active')), baud: BAUD });
    // The centre in its own process (another machine, really); the till talks to it over HTTP as the
    // training pharmacy, exactly as to a standalone `npm run sandbox`.
    const sandboxDir = mkdtempSync(join(tmpdir(), 'ybjs-bench-sb-'));
    const sandbox = await startSandboxProcess(sandboxDir);
    const api = await startTestBackend({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: null, tillId: null }) });
    try {
      const wireMs = await wireMsPerRead(pair.b);
      const rt = api.runtime;
      saveReaderSettings(rt.store.settings, rt.terminalId, { model: 'reference-serial', port: pair.b, baud: BAUD });
      await rt.reloadReader();
      const viaBackend: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        const outcome = await rt.reader().port.readCard();
        if (!outcome.ok) throw new Error(`card read through the backend failed: ${outcome.error}`);
        if (i >= 2) viaBackend.push(performance.now() - t);
      }
      await sandbox.setFaults({ answerMs: [LATENCY_MS, LATENCY_MS] });
      // Outside training mode a first sign-in must change the PIN (issue 13): set a new one, then back.
      const token = await api.login('1001', '1111');
      for (const [currentPin, newPin] of [['1111', '11119'], ['11119', '1111']] as const) {
        const changed = await api.call('POST', '/api/session/pin', { token, body: { currentPin, newPin } });
        if (changed.status !== 200) throw new Error(`PIN change: ${changed.status} ${JSON.stringify(changed.body)}`);
      }
      const till = new Till(api, token);
      const overheads: number[] = [];
      const totals: number[] = [];
      const calls: number[] = [];
      const byInfno = new Map<string, number>();
      const steps: Record<string, number[]> = {};
      for (let i = 0; i < SALES + WARMUP; i++) {
        const before = await sandbox.stats();
        const started = performance.now();
        let mark = started;
        const lap = (step: string): void => { const t = performance.now(); if (i >= WARMUP) (steps[step] ??= []).push(t - mark); mark = t; };
        const sale = await till.ok('POST', '/api/sales', { identify: { method: 'card' } });
        lap('identify');
        await till.prescription(sale.id, 'TRAIN-H420302-L2', ['TRAIN-D-B01', 'TRAIN-D-A01']);
        lap('prescription');
        await till.basket(sale.id, [{ sku: SKU.B01, qty: '2', price: '35.50' }, { sku: SKU.A01, qty: '1', price: '18.00' }]);
        lap('basket');
        await till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
        lap('presettle');
        const done = await till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
        lap('settle');
        const receipt = await till.call('GET', `/api/sales/${sale.id}/receipt`);
        lap('receipt');
        const elapsed = performance.now() - started;
        if (done.state !== 'settled' || receipt.status !== 200) throw new Error(`sale ${i} did not complete: ${done.state} / receipt ${receipt.status}`);
        const after = await sandbox.stats();
        if (i < WARMUP) continue; // the first sale signs in (9001) and warms the JIT
        let n = 0;
        for (const [infno, count] of Object.entries(after.byInfno)) {
          const delta = count - (before.byInfno[infno] ?? 0);
          if (delta > 0) byInfno.set(infno, Math.max(byInfno.get(infno) ?? 0, delta));
          if (!BACKGROUND.test(infno)) n += Math.max(0, delta);
        }
        calls.push(n);
        totals.push(elapsed);
        overheads.push(elapsed - (wireMs + LATENCY_MS * n));
      }
      const perSale = median(calls);
      const floor = wireMs + LATENCY_MS * perSale;
      const name = ([infno, n]: [string, number]): string => (n > 1 ? `${infno}×${n}` : infno);
      const which = [...byInfno].filter(([infno]) => !BACKGROUND.test(infno)).map(name).join(', ');
      const behind = [...byInfno].filter(([infno]) => BACKGROUND.test(infno)).map(name).join(', ') || 'none';
      return [{
        name: `whole sale over the API, card at ${BAUD} baud, ${LATENCY_MS} ms per centre call (answer time)`,
        unit: 'ms', median: median(totals), baselineName: `floor: card wire ${wireMs.toFixed(0)} ms + ${perSale} calls × ${LATENCY_MS} ms`, baseline: floor,
        note: `card read alone through the backend's reader: ${median(viaBackend).toFixed(0)} ms; ${SALES} sales; centre calls the cashier waits for per sale: ${perSale} (${which}); in the background afterwards: ${behind}; median per step: ${Object.entries(steps).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', ')}`,
      }, {
        name: 'local overhead above the floor, p99',
        unit: 'ms', median: percentile(overheads, 99), baselineName: 'target 20 ms', baseline: 20,
        note: `median ${median(overheads).toFixed(1)} ms: framing and turn-arounds of the card read, validation, pricing, the durable settle commit, the receipt`,
      }];
    } finally {
      await api.close();
      await sandbox.close();
      rmSync(sandboxDir, { recursive: true, force: true });
      await simulator.close();
      await pair.kill();
    }
  },
};
