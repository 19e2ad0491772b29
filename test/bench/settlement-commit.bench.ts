// Settlement commit: the checkout's real durable write — the settlement with its msgid, its outbox
// entry and log line, the traceability codes, the sale row update and the hash-chained journal line,
// all in one SQLite transaction (as CheckoutService.settle does it) — against a raw better-sqlite3
// INSERT + COMMIT of one row carrying the same number of bytes. Both databases are WAL with
// synchronous = FULL, in the same folder, in the same run, so the ratio is the cost of the extra
// tables, indexes and the journal's hash, not of the disk.
//
// The sale rows are real: one sale is driven through identify → prescription → basket → pre-settle
// over the local API of an in-process backend (sandbox centre), then cloned under fresh ids.
import { paperRx } from '../support/paper-rx';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { settleInputFromBasket } from '../../core/centre/build';
import { TRAINING_IDENTITY } from '../../core/centre/training';
import { type ResolvedLine } from '../../core/checkout/basket';
import { decimal, fmt, money, sum } from '../../core/money/money';
import { openDatabase, type Db } from '../../native/db/open';
import { Journal } from '../../native/store/journal';
import { storeMigrations } from '../../native/store/migrations';
import { type SaleRow, SaleStore } from '../../native/store/sale-store';
import { SettlementStore } from '../../native/sync/settlement-store';
import { startTestBackend } from '../support/backend';
import { SKU, Till, traceCode } from '../support/checkout';
import { median, type BenchResult, type BenchSuite } from './harness';

const SAMPLES = 200;
const WARMUP = 10;

/** One real pre-settled sale, made over the API; returns its data folder and sale id. */
async function presettledSale(): Promise<{ dataDir: string; saleId: string }> {
  const api = await startTestBackend();
  try {
    const till = new Till(api, await api.login('1001', '1111'));
    const sale = await till.startByCard('nanchang-active');
    await till.prescription(sale.id, 'TRAIN-H360102-L2', ['TRAIN-D-B01', 'TRAIN-D-A01', 'TRAIN-D-B02']);
    await till.basket(sale.id, [
      { sku: SKU.B01, qty: '2', price: '35.50' },
      { sku: SKU.A01, qty: '1', price: '18.00' },
      { sku: SKU.B02, qty: '3', price: '12.80' },
    ]);
    await till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
    return { dataDir: api.dataDir, saleId: sale.id };
  } finally {
    await api.close();
  }
}

interface SaleData {
  person: { record: { psnNo: string; region: string; insutype: string }; credential: { certType: '01' | '02' | '03'; certNo: string } };
  prescription: { entry: { issuerCode: string; rxNo: string } };
  lines: ResolvedLine[];
  split: { total: string; fund: string; account: string; cash: string; mode: 'online' | 'offline' };
}

/** Bytes of every column of the rows a query selects (as SQLite stores them as text/blobs). */
function rowBytes(db: Db, sql: string, ...params: unknown[]): number {
  let bytes = 0;
  for (const row of db.prepare(sql).all(...params) as Array<Record<string, unknown>>) {
    for (const value of Object.values(row)) bytes += value === null ? 0 : Buffer.byteLength(String(value), 'utf8');
  }
  return bytes;
}

export const suite: BenchSuite = {
  name: 'settlement commit',
  async run(): Promise<BenchResult[]> {
    const { dataDir, saleId } = await presettledSale();
    const db = openDatabase(join(dataDir, 'store.db'), storeMigrations);
    const raw = new Database(join(dataDir, 'raw.db'));
    try {
      const settlements = new SettlementStore(db, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode });
      const sales = new SaleStore(db);
      const journal = new Journal(db);
      const template = sales.get(saleId)!;
      const data: SaleData = {
        person: JSON.parse(template.person_json!), prescription: JSON.parse(template.prescription_json!),
        lines: JSON.parse(template.lines_json), split: JSON.parse(template.split_json!),
      };
      if (data.lines.some((l) => !l.insured)) throw new Error('bench sale should be fully insured');
      const request = settleInputFromBasket({
        psnNo: data.person.record.psnNo, certType: data.person.credential.certType, certNo: data.person.credential.certNo,
        insutype: data.person.record.insutype, saleTime: new Date(), useAccount: true, rx: paperRx(data.prescription.entry.issuerCode),
        lines: data.lines.map((l) => ({ medListCodg: l.catalogueCode!, medinsListCodg: l.sku, qty: l.qty, price: fmt(decimal(l.price)), rxno: data.prescription.entry.rxNo })),
      });
      const split = data.split;
      if (!money(split.total).equals(sum(data.lines.map((l) => money(l.amount))))) throw new Error('bench sale split does not cover the basket');

      let n = 0;
      /** A fresh copy of the pre-settled sale with its own id and traceability codes (not timed). */
      const cloneSale = (): { id: string; lines: ResolvedLine[] } => {
        n += 1;
        const id = `S20990101-${n.toString(16).toUpperCase().padStart(8, '0')}`;
        const lines = data.lines.map((l) => ({ ...l, traceCodes: l.traceCodes.map(() => traceCode()) }));
        const row: SaleRow = { ...template, id, lines_json: JSON.stringify(lines) };
        sales.insert(row);
        sales.update(id, { lines_json: row.lines_json, prescription_json: row.prescription_json, split_json: row.split_json, state: 'presettled' });
        return { id, lines };
      };
      /** Exactly the settle transaction of CheckoutService.settle (online mode). */
      const commit = (sale: { id: string; lines: ResolvedLine[] }): number => settlements.record({
        saleRef: `${sale.id}/1`, insuplcAdmdvs: data.person.record.region, request,
        provisional: { total: split.total, fund: split.fund, account: split.account, cash: split.cash }, quote: split,
      }, (rec) => {
        sales.markSold(sale.id, sale.lines);
        sales.update(sale.id, { state: 'provisional', provisional: 0, settlement_id: String(rec.id), split_json: JSON.stringify(split) });
        journal.append('sale.recorded', { sale: sale.id, msgid: rec.msgid, mode: split.mode, total: split.total, fund: split.fund, account: split.account, cash: split.cash });
      }).id;

      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = FULL');
      raw.exec('CREATE TABLE blob_row (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
      const insert = raw.prepare('INSERT INTO blob_row (body) VALUES (?)');
      const bytesOf = (id: number, saleId: string): number => rowBytes(db, 'SELECT * FROM settlement WHERE id = ?', id)
        + rowBytes(db, 'SELECT * FROM settlement_outbox WHERE settlement_id = ?', id)
        + rowBytes(db, 'SELECT * FROM settlement_outbox_log WHERE settlement_id = ?', id)
        + rowBytes(db, 'SELECT * FROM trace_code WHERE sale_id = ?', saleId)
        + rowBytes(db, 'SELECT * FROM sale WHERE id = ?', saleId)
        + rowBytes(db, 'SELECT * FROM journal WHERE seq = (SELECT max(seq) FROM journal)');
      // What one commit writes (the new rows and the updated sale row), measured on a first one.
      const first = cloneSale();
      const bytes = bytesOf(commit(first), first.id);
      const body = 'x'.repeat(bytes);

      // Interleaved, one of each per round: both see the same disk and the same machine load (on a
      // shared machine, running all of one then all of the other measured the load, not the write).
      const times: number[] = [];
      const rawTimes: number[] = [];
      for (let i = 0; i < SAMPLES + WARMUP; i++) {
        const sale = cloneSale();
        let start = process.hrtime.bigint();
        commit(sale);
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        start = process.hrtime.bigint();
        raw.transaction(() => insert.run(body)).immediate();
        const rawElapsed = Number(process.hrtime.bigint() - start) / 1e6;
        if (i >= WARMUP) { times.push(elapsed); rawTimes.push(rawElapsed); }
      }
      if (!journal.verify().ok) throw new Error('journal does not verify after the bench');
      return [{
        name: `settle commit (settlement + outbox + journal + sale, ${(bytes / 1024).toFixed(1)} KiB)`,
        unit: 'ms',
        median: median(times),
        baselineName: `raw INSERT+COMMIT of one ${bytes}-byte row`,
        baseline: median(rawTimes),
        note: 'both WAL + synchronous=FULL on the same disk: the ratio is the bookkeeping (msgid, outbox, indexes, hash chain); the centre round trip (~0.8 s nationally) dwarfs either',
      }];
    } finally {
      raw.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
