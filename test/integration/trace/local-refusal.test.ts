// A 3505 row our own data cannot make valid for the edition (the client refuses it; nothing is sent):
// not retried on a timer, and in a batch it does not hold the good rows back. The real case: a sale
// without a prescription has no 开方医师姓名, which both editions require in 3505 (S2 Medical3505Param
// "开方医师姓名（字符型，50位，必填）", openhis-itaii) — what a platform accepts there is unknown.
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createCentreClient } from '../../../core/centre/client';
import { editionById } from '../../../core/centre/editions';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { saleRows } from '../../../core/trace/sales-rows';
import { writeSecret } from '../../../native/centre/security/keys';
import { createCentreTransport } from '../../../native/centre/transport';
import { SyncEngine } from '../../../native/sync/engine';
import { SalesReporter } from '../../../native/trace-report/reporter';
import { SalesReportStore } from '../../../native/trace-report/store';
import { sandbox, storeDb, tempDir } from '../centre/fixture';
import { varietyOfSales } from '../sync/exactly-once';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of closers) await c(); closers = []; });

const PHARMACIST_ID = '420302198001011232';
let code = 0;
const nextCode = (): string => `8${String(++code).padStart(19, '0')}`;

/** Three synced sales queued for reporting; the second has no prescription. */
async function rig(editionId: 'national' | 'jilin') {
  const edition = editionById(editionId);
  const dir = tempDir('local-refusal');
  const sb = await sandbox({}, { dataDir: join(dir, 'centre'), edition });
  // The gateway as the app builds it (Jilin's wants an OAuth token first), plain JSON.
  const keys = join(dir, 'keys');
  writeSecret(keys, 'oauth-client-secret', 'client-secret');
  writeSecret(keys, 'oauth-password', 'password');
  const transport = createCentreTransport({ url: sb.endpoint, security: 'plain', dataDir: keys, edition, oauth: { clientId: 'c1', username: 'u1', scope: '' } });
  closers.push(async () => { await transport.close(); await sb.close(); });
  const { db, store } = storeDb(join(dir, 'store.db'));
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => new Date(), nextMsgid: () => store.allocateMsgid(), terminal: TRAINING_TERMINAL, edition });
  const sales = varietyOfSales(3, 5);
  db.transaction(() => sales.forEach((s, i) => store.record({ saleRef: `L${i}/1`, ...s })))();
  expect((await new SyncEngine({ store, centre }).drainOnce()).stoppedBy).toBe('empty');
  const reports = new SalesReportStore(db);
  db.prepare("INSERT INTO operator (operator_id, name, role, pin_hash, created_at) VALUES ('1001', '收银员', 'cashier', 'x', '2026-01-01')").run();
  reports.setPharmacist('1001', { name: '药师', certNo: 'ZY-1', idType: '01', idNo: PHARMACIST_ID });
  const bchnos: string[][] = [];
  db.transaction(() => sales.forEach((s, i) => {
    const id = `L${i}`;
    db.prepare("INSERT INTO sale (id, terminal_id, operator_id, created_at, updated_at, business_date, state, online) VALUES (?, 'T01', '1001', ?, ?, '2026-12-02', 'settled', 1)").run(id, '2026-12-02T02:00:00Z', '2026-12-02T02:00:00Z');
    const settlement = store.bySaleRef(`L${i}/1`)!;
    const rows = saleRows({
      saleId: id, attempt: 1, psnNo: settlement.psnNo, insuredRegion: settlement.insuplcAdmdvs, storeArea: '420302',
      prescription: i === 1 ? null : { rxNo: `RX${i}`, prescriber: '王医生' }, operatorName: '收银员', pharmacist: { name: '药师', certNo: 'ZY-1' }, at: new Date(),
      lines: s.request.drugdetail.map((d) => ({
        sku: String(d.medins_list_codg), name: String(d.med_list_codg), qty: '1', price: String(d.pric), split: false,
        traceCodes: [nextCode()], catalogueCode: String(d.med_list_codg), prescribed: i !== 1,
      })),
    });
    bchnos.push(rows.map((r) => r.bchno));
    reports.queueSale(id, settlement.id, '2026-12-02', rows);
  }))();
  let now = Date.now();
  const reporter = new SalesReporter({
    store: reports, centre, allocateMsgid: () => store.allocateMsgid(), now: () => now,
    edition: '3505A' in edition.transactions ? 'batch' : 'classic',
  });
  return { sb, reports, reporter, bchnos, advance: (ms: number) => { now += ms; } };
}

describe.each(['national', 'jilin'] as const)('a row the edition refuses locally (%s)', (editionId) => {
  test('the rows of the sale without 开方医师姓名 wait for the manager; the others are reported; nothing is retried on a timer', async () => {
    const r = await rig(editionId);
    await r.reporter.drainOnce();
    const byKey = new Map(r.reports.list({ limit: 100 }).map((row) => [row.bchno, row]));
    for (const key of [...r.bchnos[0]!, ...r.bchnos[2]!]) expect(byKey.get(key)?.entry.state).toBe('accepted');
    for (const key of r.bchnos[1]!) {
      expect(byKey.get(key)?.entry).toMatchObject({ state: 'rejected', note: expect.stringMatching(/prsc_dr_name[^]*没有处方的销售没有开方医师姓名/) });
      expect(byKey.get(key)?.nextAttemptAt).toBe(Number.MAX_SAFE_INTEGER);
    }
    // The pharmacist's 证件类型/号码 went with the rows, but is not kept in ours (personal data, kept for ever).
    const sent = JSON.parse((r.sb.db.prepare('SELECT row_json FROM sales_report_row WHERE bchno = ?').get(r.bchnos[0]![0]) as { row_json: string }).row_json) as Record<string, unknown>;
    expect(sent).toMatchObject({ phar_name: '药师', phar_cert_type: '01', phar_certno: PHARMACIST_ID });
    expect(JSON.stringify(r.reports.list({ limit: 100 }).map((row) => row.row))).not.toContain(PHARMACIST_ID);
    const atCentre = r.sb.reports.summary(TRAINING_IDENTITY.fixmedinsCode);
    expect(atCentre.saleRows).toBe(r.bchnos[0]!.length + r.bchnos[2]!.length);
    // A day later nothing has been tried again (a timer cannot fix our data).
    const sends = r.reports.list({ saleId: 'L1' }).map((row) => row.entry.sends);
    r.advance(24 * 3600_000);
    expect((await r.reporter.drainOnce()).calls).toBe(0);
    expect(r.reports.list({ saleId: 'L1' }).map((row) => row.entry.sends)).toEqual(sends);
    // The manager's 重试 tries it once more (after the data or the edition was fixed); here it is still refused.
    expect(r.reports.retry(r.reports.list({ saleId: 'L1' }).map((row) => row.id))).toBe(r.bchnos[1]!.length);
    await r.reporter.drainOnce();
    expect(r.reports.list({ saleId: 'L1' }).map((row) => [row.entry.state, row.entry.sends, row.nextAttemptAt])).toEqual(sends.map((n) => ['rejected', n + 1, Number.MAX_SAFE_INTEGER]));
    expect(r.sb.reports.summary(TRAINING_IDENTITY.fixmedinsCode).saleRows).toBe(atCentre.saleRows);
  });
});
