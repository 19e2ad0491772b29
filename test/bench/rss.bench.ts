// Backend memory with a year of history: the resident set (RSS, /proc/PID/status) of the backend
// process serving a store that holds 20,000 settled sales spread over the last 365 days (a busy
// pharmacy books ~50 insured sales a day: this is a year at that rate and more), against the same
// program's RSS on an empty store, measured in the same run after the same requests.
//
// The history is made with the real stores (settlement + outbox + journal + sale + traceability
// codes, confirmed with a centre result) from one sale really settled over the API.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TRAINING_IDENTITY } from '../../core/centre/training';
import { type SettleOutput } from '../../core/centre/tx/settle';
import { businessDate } from '../../core/checkout/business-date';
import { openDatabase } from '../../native/db/open';
import { Journal } from '../../native/store/journal';
import { storeMigrations } from '../../native/store/migrations';
import { type SaleRow, SaleStore } from '../../native/store/sale-store';
import { SettlementStore } from '../../native/sync/settlement-store';
import { startTestBackend } from '../support/backend';
import { SKU, Till } from '../support/checkout';
import { bundleBackend, spawnToHealth } from './cold-start.bench';
import { BACKEND_EXEC_ARGV } from '../../electron/shell/layout';
import { median, type BenchResult, type BenchSuite } from './harness';

export const HISTORY_SALES = 20_000;
const DAY_MS = 86_400_000;

/** Resident set and its peak of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** A store with one sale settled online over the API (training mode); its folder and the sale id. */
async function storeWithOneSettledSale(): Promise<{ dataDir: string; saleId: string }> {
  const api = await startTestBackend();
  try {
    const till = new Till(api, await api.login('1001', '1111'));
    const sale = await till.startByCard('nanchang-active');
    await till.prescription(sale.id, 'TRAIN-H360102-L2', ['TRAIN-D-B01', 'TRAIN-D-A01']);
    await till.basket(sale.id, [{ sku: SKU.B01, qty: '2', price: '35.50' }, { sku: SKU.A01, qty: '1', price: '18.00' }]);
    const done = await till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
    if (done.state !== 'settled') throw new Error(`template sale not settled: ${JSON.stringify(done)}`);
    return { dataDir: api.dataDir, saleId: sale.id };
  } finally {
    await api.close();
  }
}

/**
 * Adds `count` settled sales, evenly over the 365 days before `end`, cloned from a settled sale of
 * the same store through the real stores (so the journal chains, msgids are issued, outbox logged).
 */
export function addHistory(storePath: string, templateSaleId: string, count: number, end = new Date()): void {
  let now = new Date(end.getTime() - 365 * DAY_MS);
  const clock = (): Date => now;
  const db = openDatabase(storePath, storeMigrations);
  try {
    const settlements = new SettlementStore(db, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, clock });
    const sales = new SaleStore(db, clock);
    const journal = new Journal(db, clock);
    const template = sales.get(templateSaleId)!;
    const record = settlements.get(Number(template.settlement_id))!;
    const output = record.centre!.output;
    const lines = JSON.parse(template.lines_json) as Array<{ sku: string; split: boolean; traceCodes: string[] }>;
    const step = (365 * DAY_MS) / count;
    const batch = 1_000;
    for (let from = 0; from < count; from += batch) {
      db.transaction(() => {
        for (let i = from; i < Math.min(count, from + batch); i++) {
          now = new Date(end.getTime() - 365 * DAY_MS + Math.round(i * step));
          const day = businessDate(now);
          const id = `S${day.replace(/-/g, '')}-${i.toString(16).toUpperCase().padStart(8, '0')}`;
          const row: SaleRow = { ...template, id, created_at: now.toISOString(), business_date: day, state: 'open', settlement_id: null };
          sales.insert(row);
          const sold = lines.map((l, j) => ({ ...l, traceCodes: l.traceCodes.map((_, k) => `8${String(i).padStart(12, '0')}${String(j).padStart(3, '0')}${String(k).padStart(4, '0')}`) }));
          const rec = settlements.record({ saleRef: `${id}/1`, insuplcAdmdvs: record.insuplcAdmdvs, request: record.request, provisional: record.provisional, quote: record.quote }, (r) => {
            sales.markSold(id, sold);
            sales.update(id, { state: 'provisional', settlement_id: String(r.id), lines_json: JSON.stringify(sold), split_json: template.split_json, prescription_json: template.prescription_json });
            journal.append('sale.recorded', { sale: id, msgid: r.msgid, mode: 'online', ...record.provisional });
          });
          const booked: SettleOutput = { ...output, setlinfo: { ...output.setlinfo, setl_id: `HSETL${String(i).padStart(10, '0')}`, mdtrt_id: `HMDTRT${String(i).padStart(10, '0')}`, medins_setl_id: rec.msgid } };
          settlements.apply(rec.id, { type: 'send_started' });
          settlements.confirm(rec.id, booked, '2102');
          sales.update(id, { state: 'settled' });
          journal.append('sale.settled', { sale: id, setlId: booked.setlinfo.setl_id, fund: record.centre!.split.fund, account: record.centre!.split.account, cash: record.centre!.split.cash });
        }
      })();
    }
  } finally {
    db.close();
  }
}

/** What a manager's and a cashier's day ask of the backend; the same for both runs. */
async function exercise(url: string): Promise<void> {
  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<any> => {
    const response = await fetch(new URL(path.slice(1), url), {
      method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
  const manager = (await call('POST', '/api/session', undefined, { operatorId: '2001', pin: '2222' })).token as string;
  for (let round = 0; round < 3; round++) {
    await call('GET', '/api/status', manager);
    const verify = await call('GET', '/api/journal/verify', manager);
    if (!verify.ok) throw new Error(`journal does not verify: ${JSON.stringify(verify)}`);
    // A month of daily sales lists (the refund screen's look-up), newest first.
    for (let d = 0; d < 30; d++) await call('GET', `/api/sales?date=${businessDate(new Date(Date.now() - d * DAY_MS))}`, manager);
    // The settled list, three pages deep (the manager scrolling back): paged, never the whole year.
    let before = '';
    for (let page = 0; page < 3; page++) {
      const rows = (await call('GET', `/api/sales?state=settled${before ? `&before=${before}` : ''}`, manager)) as Array<{ id: string }>;
      if (rows.length === 0) break;
      before = rows.at(-1)!.id;
    }
  }
}

/** How long the backend is left idle after the look-ups before its settled RSS is read. */
const SETTLE_MS = 15_000;

async function measure(bundle: string, dataDir: string): Promise<{ idle: number; rss: number; settled: number; peak: number; entries: number }> {
  const run = await spawnToHealth([process.execPath, ...BACKEND_EXEC_ARGV, bundle, '--port', '0', '--data-dir', dataDir]);
  try {
    await new Promise((r) => setTimeout(r, 500));
    const idle = median(Array.from({ length: 5 }, () => rssMiB(run.pid).rss));
    await exercise(run.url);
    await new Promise((r) => setTimeout(r, 500));
    const samples = Array.from({ length: 5 }, () => rssMiB(run.pid));
    // The same process after a quiet spell: V8's memory reducer runs its major GCs once allocation
    // stops (seconds, not at once), which is what a till's memory looks like between customers.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const settled = median(Array.from({ length: 5 }, () => rssMiB(run.pid).rss));
    const entries = await entriesOf(run.url);
    return { idle, rss: median(samples.map((s) => s.rss)), settled, peak: Math.max(...samples.map((s) => s.peak)), entries };
  } finally {
    await run.stop();
  }
}

async function entriesOf(url: string): Promise<number> {
  const login = await fetch(new URL('api/session', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operatorId: '2001', pin: '2222' }) });
  const { token } = (await login.json()) as { token: string };
  const verify = await fetch(new URL('api/journal/verify', url), { headers: { authorization: `Bearer ${token}` } });
  return ((await verify.json()) as { entries: number }).entries;
}

export const suite: BenchSuite = {
  name: 'rss',
  async run(): Promise<BenchResult[]> {
    const bundle = await bundleBackend();
    const { dataDir, saleId } = await storeWithOneSettledSale();
    try {
      const empty = await measure(bundle, dataDir);
      const started = process.hrtime.bigint();
      addHistory(join(dataDir, 'store.db'), saleId, HISTORY_SALES);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const loaded = await measure(bundle, dataDir);
      const fileMiB = statSync(join(dataDir, 'store.db')).size / 1024 / 1024;
      if (loaded.entries < 2 * HISTORY_SALES) throw new Error(`history not loaded: ${loaded.entries} journal entries`);
      return [{
        name: `backend RSS just started, ${HISTORY_SALES.toLocaleString('en')} settled sales in the store`,
        unit: 'MiB', median: loaded.idle, baselineName: 'same backend just started on an empty store', baseline: empty.idle,
        note: 'start-up does not load the history: it stays on disk until asked for',
      }, {
        name: `backend RSS after look-ups, ${HISTORY_SALES.toLocaleString('en')} settled sales (a year) in the store`,
        unit: 'MiB', median: loaded.rss, baselineName: 'same backend, empty store, same requests', baseline: empty.rss,
        note: `look-ups ×3: journal verify (all ${loaded.entries.toLocaleString('en')} entries), 30 daily sale lists (a page each), three pages of settled sales (50 a page); peak ${loaded.peak.toFixed(0)} MiB vs ${empty.peak.toFixed(0)} MiB empty. Mostly garbage not yet collected: V8 frees it at its next major GC. store.db holds the year in ${fileMiB.toFixed(0)} MiB (written in ${seconds.toFixed(1)} s)`,
      }, {
        name: `same, after ${SETTLE_MS / 1000} s idle (V8's memory reducer has run)`,
        unit: 'MiB', median: loaded.settled, baselineName: 'same backend, empty store, same requests, same wait', baseline: empty.settled,
        note: 'what the till holds between customers: the garbage of the look-ups is gone, what is left is retained (target 1.15× on both rows)',
      }];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
