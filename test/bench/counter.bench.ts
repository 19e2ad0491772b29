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
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { tillDataDir } from '../integration/ledger/support';
import { addHistory } from './rss.bench';
import { startSandboxProcess } from './sandbox-process';
import { saveReaderSettings } from '../../native/serial/settings';
import { startSerialSimulator } from '../../native/reader-sim/serial-sim';
import { simCardFor, trainingCard } from '../../native/reader-sim/training-cards';
import { createSerialCardReader } from '../../native/serial/serial-reader';
import { startTestBackend, type TestBackend } from '../support/backend';
import { SKU, Till } from '../support/checkout';
import { openPtyPair } from '../support/pty';
import { median, type BenchResult, type BenchSuite } from './harness';

const BAUD = 38400;
const LATENCY_MS = 100;
/** Sent by the background reporter after the settlement; no cashier step waits for them. */
const BACKGROUND = /^35\d\d/;
const SALES = 40;
const WARMUP = 3;

/** A POS's HTTP client: node:http over one keep-alive connection, the answer parsed as JSON. */
function plainHttpClient(base: string): TestBackend['call'] {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return (method, path, o = {}) => new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const body = o.body === undefined ? o.rawBody : JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const request = http.request(new URL(path.replace(/^\//, ''), base), { method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
        const answerHeaders = new Headers();
        for (const [k, v] of Object.entries(response.headers)) if (v !== undefined) answerHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: response.statusCode ?? 0, body: parsed, headers: answerHeaders });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

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
      // The POS is another program: it drives the API through a plain keep-alive HTTP client here, so
      // the bench's own client (fetch and its web streams: 10–28 ms more CPU a sale, measured) weighs little on the
      // backend's event loop, which this in-process bench shares with it.
      const till = new Till({ ...api, call: plainHttpClient(api.url) }, token);
      // COUNTER_HISTORY=N: the store first gets N settled sales spread over the past year (another
      // person's, cloned from one sale settled here), to see what a year of history costs a sale.
      const history = Number(process.env.COUNTER_HISTORY ?? 0);
      if (history > 0) {
        const template = await till.ok('POST', '/api/sales', { identify: { method: 'idNumber', idNumber: trainingCard('nanchang-active').profile.ssn } });
        await till.basket(template.id, [{ sku: SKU.A01, qty: '1', price: '18.00' }]);
        const settled = await till.ok('POST', `/api/sales/${template.id}/settle`, { useAccount: true });
        if (settled.state !== 'settled') throw new Error(`history template not settled: ${settled.state}`);
        addHistory(join(api.dataDir, 'store.db'), template.id, history);
      }
      const overheads: number[] = [];
      const totals: number[] = [];
      const calls: number[] = [];
      const byInfno = new Map<string, number>();
      const steps: Record<string, number[]> = {};
      /** Each measured sale's step times, to name where the slowest sale's time went. */
      const laps: Array<Record<string, number>> = [];
      /** CPU time of this process (backend, the bench's client and the simulated reader) per sale. */
      const cpuMs: number[] = [];
      for (let i = 0; i < SALES + WARMUP; i++) {
        const before = await sandbox.stats();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        let mark = started;
        const saleLaps: Record<string, number> = {};
        const lap = (step: string): void => { const t = performance.now(); saleLaps[step] = t - mark; if (i >= WARMUP) (steps[step] ??= []).push(t - mark); mark = t; };
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
        const cpu = process.cpuUsage(cpuBefore);
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
        laps.push(saleLaps);
        cpuMs.push((cpu.user + cpu.system) / 1000);
        totals.push(elapsed);
        overheads.push(elapsed - (wireMs + LATENCY_MS * n));
      }
      const perSale = median(calls);
      const slowest = overheads.indexOf(Math.max(...overheads));
      const slowestSteps = Object.entries(laps[slowest] ?? {}).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
      const floor = wireMs + LATENCY_MS * perSale;
      const name = ([infno, n]: [string, number]): string => (n > 1 ? `${infno}×${n}` : infno);
      const which = [...byInfno].filter(([infno]) => !BACKGROUND.test(infno)).map(name).join(', ');
      const behind = [...byInfno].filter(([infno]) => BACKGROUND.test(infno)).map(name).join(', ') || 'none';
      return [{
        name: `whole sale over the API, card at ${BAUD} baud, ${LATENCY_MS} ms per centre call (answer time)${history > 0 ? `, ${history.toLocaleString('en')} sales of history` : ''}`,
        unit: 'ms', median: median(totals), baselineName: `floor: card wire ${wireMs.toFixed(0)} ms + ${perSale} calls × ${LATENCY_MS} ms`, baseline: floor,
        note: `card read alone through the backend's reader: ${median(viaBackend).toFixed(0)} ms; ${SALES} sales; CPU of the bench process per sale (backend + client + simulated reader) ${median(cpuMs).toFixed(0)} ms; centre calls the cashier waits for per sale: ${perSale} (${which}); in the background afterwards: ${behind}; median per step: ${Object.entries(steps).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', ')}`,
      }, {
        name: 'local overhead above the floor, p99',
        unit: 'ms', median: percentile(overheads, 99), baselineName: 'target 20 ms', baseline: 20,
        note: `median ${median(overheads).toFixed(1)} ms; slowest sale ${Math.max(...overheads).toFixed(0)} ms over its floor (${calls[slowest]} calls; steps ms: ${slowestSteps}): framing and turn-arounds of the card read, validation, pricing, the durable settle commit, the receipt`,
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
