// The whole sale at the counter, over the local API of an in-process backend: card read over a real
// pty at 38400 baud (socat, simulated reader) → identify → prescription → basket → pre-settle →
// settle → receipt. Against its floor in the same run: the card's wire time (bytes exchanged ×
// 10 bit / baud, from a direct read over the same pty) plus the sandbox's fixed latency × the centre
// calls the sale made (counted by the sandbox). What is left is the till's own overhead.
import { performance } from 'node:perf_hooks';
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
    const api = await startTestBackend();
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
      const sandbox = rt.sandbox!;
      sandbox.setFaults({ latencyMs: [LATENCY_MS, LATENCY_MS] });
      const till = new Till(api, await api.login('1001', '1111'));
      const overheads: number[] = [];
      const totals: number[] = [];
      const calls: number[] = [];
      const byInfno = new Map<string, number>();
      const steps: Record<string, number[]> = {};
      for (let i = 0; i < SALES + WARMUP; i++) {
        const before = sandbox.stats();
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
        const after = sandbox.stats();
        const n = after.requests - before.requests;
        if (i < WARMUP) continue; // the first sale signs in (9001) and warms the JIT
        for (const [infno, count] of Object.entries(after.byInfno)) {
          const delta = count - (before.byInfno[infno] ?? 0);
          if (delta > 0) byInfno.set(infno, Math.max(byInfno.get(infno) ?? 0, delta));
        }
        calls.push(n);
        totals.push(elapsed);
        overheads.push(elapsed - (wireMs + LATENCY_MS * n));
      }
      const perSale = median(calls);
      const floor = wireMs + LATENCY_MS * perSale;
      const which = [...byInfno].map(([infno, n]) => (n > 1 ? `${infno}×${n}` : infno)).join(', ');
      return [{
        name: `whole sale over the API, card at ${BAUD} baud, ${LATENCY_MS} ms per centre call`,
        unit: 'ms', median: median(totals), baselineName: `floor: card wire ${wireMs.toFixed(0)} ms + ${perSale} calls × ${LATENCY_MS} ms`, baseline: floor,
        note: `card read alone through the backend's reader: ${median(viaBackend).toFixed(0)} ms; ${SALES} sales; centre calls per sale: ${perSale} (${which}); median per step: ${Object.entries(steps).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', ')}`,
      }, {
        name: 'local overhead above the floor, p99',
        unit: 'ms', median: percentile(overheads, 99), baselineName: 'target 20 ms', baseline: 20,
        note: `median ${median(overheads).toFixed(1)} ms: framing and turn-arounds of the card read, validation, pricing, the durable settle commit, the receipt`,
      }];
    } finally {
      await api.close();
      await simulator.close();
      await pair.kill();
    }
  },
};
