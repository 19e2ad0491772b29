// 3505/3506 sales reporting against the sandbox (batch edition 3505A/3506A): every box of an insured
// sale reported once after its settlement is confirmed, a refund reported as 3506 and its boxes
// sellable again, a refused row retried alone, offline sales reported after they sync.
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { SalesRow } from '../../../core/centre/tx/inventory';
import { SKU, traceCode, useTill } from '../../support/checkout';

const env = useTill();

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sandbox = () => env.api.runtime.sandbox!;
const reports = () => env.api.runtime.reports.store;
const FIXMEDINS = () => env.api.runtime.identity.fixmedinsCode;

async function sell(lines: Array<{ sku: string; qty: string; price: string; split?: boolean; traceCodes?: string[] }>, fixture = 'nanchang-active', items = ['TRAIN-D-A01', 'TRAIN-D-B01', 'TRAIN-D-B02']) {
  const sale = await env.till.startByCard(fixture);
  await env.till.prescription(sale.id, 'TRAIN-H360102-L1', items);
  await env.till.basket(sale.id, lines);
  return env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
}

const rowsOf = (saleId: string) => reports().list({ saleId });
const settledRows = (saleId: string, n: number) => waitFor(() => {
  const rows = rowsOf(saleId);
  return rows.length === n && rows.every((r) => r.entry.state === 'accepted') ? rows : undefined;
});

describe('3505 after the settlement is confirmed', () => {
  test('an online sale: one row per line, one drugtracinfo per box, reported once with its setl_id', async () => {
    const codes = [traceCode(), traceCode(), traceCode()];
    const sale = await sell([
      { sku: SKU.A01, qty: '2', price: '12.50', traceCodes: codes.slice(0, 2) },
      { sku: SKU.B01, qty: '1', price: '30.00', traceCodes: codes.slice(2) },
    ]);
    expect(sale.state).toBe('settled');
    const rows = await settledRows(sale.id, 2);
    const atCentre = sandbox().reports.codeCounts(FIXMEDINS());
    for (const c of codes) expect(atCentre.get(c)).toBe(1);
    const stored = sandbox().db.prepare('SELECT row_json FROM sales_report_row WHERE bchno = ?').get(rows[0]!.bchno) as { row_json: string };
    const row = JSON.parse(stored.row_json);
    expect(row).toMatchObject({ setl_id: sale.centre.setlId, trdn_flag: '0', sel_retn_cnt: '2', rxno: expect.stringMatching(/^RX-/), phar_name: '【培训】药师甲', phar_prac_cert_no: 'TRAIN-PHAR-0001', psn_no: 'PSN36010002' });
    expect(row.drugtracinfo).toEqual(codes.slice(0, 2).map((c) => ({ drug_trac_codg: c })));
    // The code's store-wide state follows.
    expect(reports().codeState(codes[0]!)).toMatchObject({ state: 'sold', report: 'reported', saleId: sale.id });
  });

  test('a 拆零 line carries the opened box and trdn_flag 1; the same box may open again', async () => {
    const box = traceCode();
    const first = await sell([{ sku: SKU.A01, qty: '0.5', price: '10.00', split: true, traceCodes: [box] }]);
    const second = await sell([{ sku: SKU.A01, qty: '0.5', price: '10.00', split: true, traceCodes: [box] }]);
    await settledRows(first.id, 1);
    const [row] = await settledRows(second.id, 1);
    expect(row!.row).toMatchObject({ trdn_flag: '1' });
    expect(sandbox().reports.codeCounts(FIXMEDINS()).get(box)).toBe(2);
    expect(reports().codeState(box).state).toBe('split_open');
  });

  test('a refund reports 3506 after 2103, and the returned boxes can be sold again', async () => {
    const codes = [traceCode(), traceCode()];
    const sale = await sell([{ sku: SKU.B01, qty: '2', price: '20.00', traceCodes: codes }]);
    await settledRows(sale.id, 1);
    const refunded = await env.till.ok('POST', `/api/sales/${sale.id}/refund`, { reason: '顾客退货' });
    expect(refunded.state).toBe('refunded');
    await waitFor(() => rowsOf(sale.id).find((r) => r.kind === 'return' && r.entry.state === 'accepted'));
    for (const c of codes) expect(sandbox().reports.codeState(c).state).toBe('returned');
    expect(reports().codeState(codes[0]!)).toMatchObject({ state: 'returned' });
    // Sold again, to someone else: accepted at the till and at the platform.
    const again = await sell([{ sku: SKU.B01, qty: '2', price: '20.00', traceCodes: codes }], 'jincheng-active');
    expect(again.state).toBe('settled');
    await settledRows(again.id, 1);
    expect(sandbox().reports.codeState(codes[0]!)).toMatchObject({ state: 'sold', timesSold: 2 });
  });

  test('a row the platform refuses is retried alone; the others are not sent again', async () => {
    const codes = [traceCode(), traceCode(), traceCode()];
    sandbox().reports.refuseCodesOnce([codes[1]!]);
    const sale = await sell([
      { sku: SKU.A01, qty: '1', price: '5.00', traceCodes: [codes[0]!] },
      { sku: SKU.B01, qty: '1', price: '6.00', traceCodes: [codes[1]!] },
      { sku: SKU.B02, qty: '1', price: '7.00', traceCodes: [codes[2]!] },
    ]);
    const rows = await settledRows(sale.id, 3);
    const middle = rows.find((r) => r.bchno === `${sale.id}.1-2`)!;
    expect(reports().history(middle.id).map((h) => h.to)).toEqual(['queued', 'sending', 'rejected', 'sending', 'accepted']);
    expect(middle.entry.sends).toBe(2);
    // The first call carried all three rows; the retry only the refused one.
    const calls = env.api.runtime.store.db.prepare("SELECT msgid, rows FROM sales_report_call").all() as Array<{ msgid: string; rows: number }>;
    const accepted = sandbox().db.prepare('SELECT msgid FROM sales_report_row WHERE bchno = ?').get(middle.bchno) as { msgid: string };
    expect(calls.find((c) => c.msgid === accepted.msgid)?.rows).toBe(1);
    for (const r of rows.filter((x) => x.id !== middle.id)) expect(r.entry.sends).toBe(1);
    expect(sandbox().reports.codeCounts(FIXMEDINS()).get(codes[1]!)).toBe(1);
  });

  test('an offline sale waits for its settlement to sync, then reports', async () => {
    const first = await env.till.startByCard('shiyan-active'); // seen online once, so it can be identified offline
    expect(first.person.source).toBe('centre');
    await env.till.centreOnline(false);
    const code = traceCode();
    const sale = await sell([{ sku: SKU.A01, qty: '1', price: '8.00', traceCodes: [code] }], 'shiyan-active');
    expect(sale.state).toBe('provisional');
    await new Promise((r) => setTimeout(r, 300));
    expect(rowsOf(sale.id).map((r) => r.entry.state)).toEqual(['queued']);
    expect(sandbox().reports.codeCounts(FIXMEDINS()).get(code)).toBeUndefined();
    expect(reports().day(sale.businessDate).complete).toBe(false);
    await env.till.centreOnline(true);
    await settledRows(sale.id, 1);
    expect(sandbox().reports.codeCounts(FIXMEDINS()).get(code)).toBe(1);
  });
});

describe('bad input', () => {
  test('a 3505 naming a settlement that was never booked is refused by the platform', async () => {
    const centre = env.api.runtime.centre;
    const msgid = env.api.runtime.settlements.allocateMsgid();
    const row = {
      med_list_codg: 'TRAIN-D-A01', fixmedins_hilist_id: SKU.A01, fixmedins_hilist_name: '甲类', fixmedins_bchno: 'NEVER-SETTLED-1',
      phar_name: '药师', phar_prac_cert_no: 'X1', hi_feesetl_type: '1', setl_id: 'S000000000000000', mdtrt_sn: 'NEVER', psn_no: 'PSN36010002',
      psn_cert_type: '01', rx_flag: '0', trdn_flag: '0', rx_circ_flag: '0', rtal_docno: 'NEVER', sel_retn_cnt: '1', sel_retn_time: '2026-12-02 10:00:00',
      sel_retn_opter_name: '收银员', drugtracinfo: [{ drug_trac_codg: traceCode() }],
    };
    const outcome = await centre.uploadSales('3505', { selinfo: { ...row, prsc_dr_name: '王医生' } }, { msgid });
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(outcome.output[0]).toMatchObject({ accepted: false, message: expect.stringContaining('不存在') });
  });

  test('the store refuses to queue a report for a settlement that does not exist', () => {
    expect(() => reports().queueSale('S-NONE', 999_999, '2026-12-02', [])).toThrow(/does not exist/);
  });

  test('a malformed code and a code twice in one basket are refused at the basket, with the reason', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const bad = await env.till.call('PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '1', price: '1.00', traceCodes: ['12345'] }] });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'TRACE_CODE_FORMAT', field: 'lines.0.traceCodes.0' });
    const c = traceCode();
    const twice = await env.till.call('PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '2', price: '1.00', traceCodes: [c, c] }] });
    expect(twice.status).toBe(422);
    expect(twice.body).toMatchObject({ error: 'TRACE_CODE_DUPLICATE' });
  });

  test('the platform refuses a box still sold elsewhere (another pharmacy\'s report)', async () => {
    const code = traceCode();
    const msgid = env.api.runtime.settlements.allocateMsgid();
    // Another pharmacy of the same sandbox reported this box as sold (self-pay sale, no setl_id).
    const env2 = { infno: '3505A', msgid, fixmedins_code: 'P99999999999' } as never;
    const other = sandbox().reports.batch([SalesRow.parse({
      med_list_codg: 'TRAIN-D-A01', fixmedins_hilist_id: 'X', fixmedins_hilist_name: 'X', fixmedins_bchno: 'OTHER-1', setl_id: '', psn_no: '', psn_cert_type: '01',
      certno: '', psn_name: '', manu_lotnum: '', manu_date: '', expy_end: '', rx_flag: '0', trdn_flag: '0', sel_retn_cnt: '1', sel_retn_time: '2026-12-02 10:00:00',
      sel_retn_opter_name: 'x', memo: '', mdtrt_sn: 'O', drugtracinfo: [{ drug_trac_codg: code }], prsc_dr_cert_type: '', prsc_dr_certno: '', prsc_dr_name: '',
      phar_cert_type: '', phar_certno: '', phar_name: 'y', phar_prac_cert_no: 'z', hi_feesetl_type: '0', rxno: '', rx_circ_flag: '0', rtal_docno: 'O', stoout_no: '',
      bchno: '', drug_prod_barc: '', shelf_posi: '', mdtrt_setl_type: '2',
    })], (r) => sandbox().reports.sale(env2, r, () => false));
    expect(other.result[0]!.retRslt).toBe('1');
    // Our till has never seen it, so it sells; the platform refuses the report and the manager sees why.
    const sale = await sell([{ sku: SKU.A01, qty: '1', price: '3.00', traceCodes: [code] }]);
    const row = await waitFor(() => rowsOf(sale.id).find((r) => r.entry.state === 'rejected'));
    expect(row.entry.note).toContain('疑似重复销售');
    expect(reports().codeState(code).report).toBe('rejected');
    expect(reports().day(sale.businessDate).complete).toBe(false);
  });
});

describe('the manager\'s 进销存上传 API and the pharmacist per operator', () => {
  test('a sale by an operator without a pharmacist is held back with the reason, and goes once one is set', async () => {
    const manager = await env.api.login('2001', '2222');
    const api = (method: string, path: string, body?: unknown) => env.api.call(method, path, { token: manager, body });
    expect((await api('PUT', '/api/operators/1001/pharmacist', { name: '', certNo: 'x' })).body).toMatchObject({ field: 'name' });
    expect((await api('DELETE', '/api/operators/1001/pharmacist')).status).toBe(200);
    const code = traceCode();
    const sale = await sell([{ sku: SKU.A01, qty: '1', price: '4.00', traceCodes: [code] }]);
    const held = await waitFor(() => rowsOf(sale.id).find((r) => r.entry.state === 'rejected'));
    expect(held.entry.note).toContain('执业药师');
    const day = await api('GET', `/api/trace-reports/days/${sale.businessDate}`);
    expect(day.status).toBe(200);
    expect(day.body.complete).toBe(false);
    expect(day.body.list.find((r: { id: number }) => r.id === held.id)).toMatchObject({ state: 'rejected', boxes: 1 });
    const cashier = await env.api.call('GET', `/api/trace-codes/${code}`, { token: env.till.token });
    expect(cashier.body).toMatchObject({ state: 'sold', report: 'rejected', sellable: false });
    const set = await api('PUT', '/api/operators/1001/pharmacist', { name: '李药师', certNo: 'ZY-2026-0001' });
    expect(set.body).toEqual({ name: '李药师', certNo: 'ZY-2026-0001' });
    await settledRows(sale.id, 1);
    const stored = sandbox().db.prepare('SELECT row_json FROM sales_report_row WHERE bchno = ?').get(held.bchno) as { row_json: string };
    expect(JSON.parse(stored.row_json)).toMatchObject({ phar_name: '李药师', phar_prac_cert_no: 'ZY-2026-0001' });
    expect((await env.api.call('GET', '/api/trace-codes/123', { token: env.till.token })).status).toBe(400);
  });

  test('a sale without a prescription waits for the store\'s 无处方开方医师姓名 (3505 requires prsc_dr_name), and goes once the manager sets it', async () => {
    const manager = await env.api.login('2001', '2222');
    const sale = await env.till.startByCard('nanchang-active');
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '6.00', traceCodes: [traceCode()] }]);
    expect((await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true })).state).toBe('settled');
    const held = await waitFor(() => rowsOf(sale.id).find((r) => r.entry.state === 'rejected'));
    expect(held.entry.note).toMatch(/prsc_dr_name[^]*无处方销售的开方医师姓名/);
    expect(sandbox().db.prepare('SELECT 1 FROM sales_report_row WHERE bchno = ?').get(held.bchno)).toBeUndefined();
    const settings = (await env.api.call('GET', '/api/store-settings', { token: manager })).body;
    expect((await env.api.call('PUT', '/api/store-settings', { token: manager, body: { ...settings, otcPrescriberName: '' } })).body).toMatchObject({ field: 'otcPrescriberName' });
    const saved = await env.api.call('PUT', '/api/store-settings', { token: manager, body: { ...settings, otcPrescriberName: '药店无处方' } });
    expect(saved.body.otcPrescriberName).toBe('药店无处方');
    await settledRows(sale.id, 1);
    const stored = sandbox().db.prepare('SELECT row_json FROM sales_report_row WHERE bchno = ?').get(held.bchno) as { row_json: string };
    expect(JSON.parse(stored.row_json)).toMatchObject({ prsc_dr_name: '药店无处方', rx_circ_flag: '0' });
    // Our own row still says what the sale had: no prescriber.
    expect((rowsOf(sale.id)[0]!.row as { prsc_dr_name?: unknown }).prsc_dr_name).toBe('');
    await env.api.call('PUT', '/api/store-settings', { token: manager, body: settings });
  });

  test('the manager\'s retry sends a refused row again', async () => {
    const manager = await env.api.login('2001', '2222');
    const code = traceCode();
    // Refused more often than the automatic retries allow.
    sandbox().reports.refuseCodesOnce([code], 1000);
    const sale = await sell([{ sku: SKU.A01, qty: '1', price: '4.00', traceCodes: [code] }]);
    const row = await waitFor(() => rowsOf(sale.id).find((r) => r.entry.state === 'rejected' && r.entry.refusals >= 1));
    expect(row.entry.note).toContain('模拟行级拒绝');
    sandbox().reports.clearRefusals();
    const retried = await env.api.call('POST', '/api/trace-reports/retry', { token: manager, body: { ids: [row.id] } });
    expect(retried.body.retried).toBe(1);
    await settledRows(sale.id, 1);
  });
});

describe('the day\'s xlsx export', () => {
  test('carries the 进销存上传 sheet: every row of the day with its state, and whether the day is fully reported', async () => {
    const manager = await env.api.login('2001', '2222');
    const date = reports().list({}).at(-1)!.businessDate;
    const day = reports().day(date);
    const list = reports().list({ date, limit: 5000 });
    const bytes = await (await fetch(new URL(`api/reconciliation/export?from=${date}&to=${date}&format=xlsx`, env.api.url), { headers: { authorization: `Bearer ${manager}` } })).arrayBuffer();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes);
    const sheet = book.getWorksheet('进销存上传')!;
    expect(sheet.rowCount).toBe(1 + list.length + 1);
    const bchnos = sheet.getColumn(5).values.slice(2, 2 + list.length);
    expect(bchnos).toEqual(list.map((r) => r.bchno));
    // Some rows of this file's day were refused, so the day is not shown as fully reported.
    expect(day.complete).toBe(false);
    expect(sheet.getRow(2).getCell(2).value).toBe('否');
    expect(String(sheet.getRow(sheet.rowCount).getCell(7).value)).toContain(`已上报 ${day.boxes.reported} 盒`);
  });
});
