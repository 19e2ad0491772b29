// 进销存 upload benchmark: a month of a busy store's sales (1,500 insured sales, 4,000 boxes with
// their 追溯码) reported through the sales reporter (every row persisted, its call's msgid persisted
// before sending, every verdict a durable write), against the sandbox's raw accept rate for the same
// rows posted straight at it, one call at a time over the same transport, measured in the same run.
// The national edition's single-row 3505 is used (one call per row), as the training till does.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createCentreClient } from '../../core/centre/client';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { saleRows } from '../../core/trace/sales-rows';
import { HttpJsonTransport } from '../../native/centre/http-transport';
import { SyncEngine } from '../../native/sync/engine';
import { SalesReporter } from '../../native/trace-report/reporter';
import { SalesReportStore } from '../../native/trace-report/store';
import { varietyOfSales } from '../integration/sync/exactly-once';
import { sandbox, storeDb, tempDir } from '../integration/centre/fixture';
import { type BenchSuite } from './harness';

const SALES = 1_500;
const BOXES = 4_000;

let code = 0;
const nextCode = (): string => `8${String(++code).padStart(19, '0')}`;

/** 1,500 settled sales with 4,000 boxes: recorded, synced (confirmed) and queued for reporting. */
async function month() {
  const dir = tempDir('bench-report');
  const sb = await sandbox({}, { dataDir: join(dir, 'centre') });
  const { db, store } = storeDb(join(dir, 'store.db'));
  const transport = new HttpJsonTransport({ url: sb.endpoint });
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => new Date(), nextMsgid: () => store.allocateMsgid(), terminal: TRAINING_TERMINAL });
  const sales = varietyOfSales(SALES, 11);
  db.transaction(() => sales.forEach((s, i) => store.record({ saleRef: `M${i}/1`, ...s })))();
  await new SyncEngine({ store, centre }).drainOnce();
  const reports = new SalesReportStore(db);
  // Spread 4,000 boxes over the sales' lines: every line gets one, the rest go round.
  const lines = sales.map((s) => s.request.drugdetail.length);
  const boxes = lines.map((n) => Array.from({ length: n }, () => 1));
  for (let left = BOXES - lines.reduce((a, b) => a + b, 0), i = 0; left > 0; left--, i++) boxes[i % SALES]![Math.floor(i / SALES) % lines[i % SALES]!]! += 1;
  db.prepare("INSERT INTO operator (operator_id, name, role, pin_hash, created_at) VALUES ('1001', '收银员', 'cashier', 'x', '2026-01-01')").run();
  reports.setPharmacist('1001', { name: '药师', certNo: 'ZY-1' });
  db.transaction(() => sales.forEach((s, i) => {
    const id = `M${String(i).padStart(6, '0')}`;
    db.prepare("INSERT INTO sale (id, terminal_id, operator_id, created_at, updated_at, business_date, state, online) VALUES (?, 'T01', '1001', ?, ?, '2026-12-02', 'settled', 1)").run(id, '2026-12-02T02:00:00Z', '2026-12-02T02:00:00Z');
    const settlement = store.bySaleRef(`M${i}/1`)!;
    const rows = saleRows({
      saleId: id, attempt: 1, psnNo: settlement.psnNo, insuredRegion: settlement.insuplcAdmdvs, storeArea: '420302',
      prescription: { rxNo: 'RX1', prescriber: '王医生' }, operatorName: '收银员', pharmacist: { name: '药师', certNo: 'ZY-1' }, at: new Date(),
      lines: s.request.drugdetail.map((d, j) => ({
        sku: String(d.medins_list_codg), name: String(d.med_list_codg), qty: String(boxes[i]![j]), price: String(d.pric), split: false,
        traceCodes: Array.from({ length: boxes[i]![j]! }, nextCode), catalogueCode: String(d.med_list_codg), prescribed: true,
      })),
    });
    reports.queueSale(id, settlement.id, '2026-12-02', rows);
  }))();
  return { dir, sb, db, store, reports, centre, transport };
}

export const suite: BenchSuite = {
  name: 'sales report upload',
  async run() {
    const m = await month();
    const rows = m.reports.list({ limit: 100_000 });
    // Raw: the same rows, each posted once straight at the sandbox (a second sandbox, so nothing is a repeat).
    const rawSb = await sandbox({}, { dataDir: join(m.dir, 'raw') });
    // The raw sandbox must know the settlements: book them there too.
    const rawStore = storeDb(join(m.dir, 'raw-store.db'));
    const rawTransport = new HttpJsonTransport({ url: rawSb.endpoint });
    const rawCentre = createCentreClient({ transport: rawTransport, identity: TRAINING_IDENTITY, clock: () => new Date(), nextMsgid: () => rawStore.store.allocateMsgid(), terminal: TRAINING_TERMINAL });
    const sales = varietyOfSales(SALES, 11);
    rawStore.db.transaction(() => sales.forEach((s, i) => rawStore.store.record({ saleRef: `M${i}/1`, ...s })))();
    await new SyncEngine({ store: rawStore.store, centre: rawCentre }).drainOnce();
    const setlIdOf = new Map(rows.map((r) => [r.id, rawStore.store.bySaleRef(`M${Number(r.saleId.slice(1))}/1`)!.centre!.setlId]));
    const rawStart = process.hrtime.bigint();
    for (const r of rows) {
      const outcome = await rawCentre.uploadSales('3505', { selinfo: { ...r.row, setl_id: setlIdOf.get(r.id) } }, { msgid: rawStore.store.allocateMsgid() });
      if (outcome.kind !== 'ok' || !outcome.output[0]!.accepted) throw new Error(`raw upload failed: ${JSON.stringify(outcome)}`);
    }
    const rawRate = rows.length / (Number(process.hrtime.bigint() - rawStart) / 1e9);

    const reporter = new SalesReporter({ store: m.reports, centre: m.centre, allocateMsgid: () => m.store.allocateMsgid(), edition: 'classic' });
    const start = process.hrtime.bigint();
    const report = await reporter.drainOnce();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const summary = m.sb.reports.summary();
    if (report.stoppedBy !== 'empty' || summary.codesReported !== BOXES || summary.saleRows !== rows.length) throw new Error(`upload incomplete: ${JSON.stringify({ report, summary })}`);
    await m.transport.close();
    await rawTransport.close();
    m.db.close();
    rawStore.db.close();
    await m.sb.close();
    await rawSb.close();
    rmSync(m.dir, { recursive: true, force: true });
    return [{
      name: `a month's sales report: ${SALES} sales, ${rows.length} rows, ${BOXES} boxes (3505, one row per call)`,
      unit: 'ops/s', median: rows.length / seconds, baselineName: 'the sandbox\'s raw 3505 accept rate (same rows, no store)', baseline: rawRate,
      note: `uploaded in ${seconds.toFixed(1)} s; the platform holds exactly ${BOXES} codes`,
    }];
  },
};
