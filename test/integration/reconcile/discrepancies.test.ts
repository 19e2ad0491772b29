// Issue 7 evidence: every discrepancy kind created for real against the sandbox centre (an offline
// sale priced with stale totals, replies dropped after the centre committed, a refund and a
// reversal made only at the centre, a self-pay fallback, a settlement the centre rejected, a
// settlement whose outcome stayed unknown), each resolved through the API by the manager, ending
// with a balanced, closed day whose xlsx export reads back with the screen's totals. National's 5203
// cannot look a settlement up by our msgid: an unconfirmed one is reversed by its msgid (2601) or,
// once the centre's 3202 names its setl_id and mdtrt_id, read by 5203 with those and booked.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { SKU, today, useTill } from '../../support/checkout';
import { settleElsewhere } from '../../support/elsewhere';
import { addAmounts, directCentre, Manager, waitForSyncState } from './support';

const env = useTill();
let manager: Manager;
const sales: Record<string, any> = {};
let date: string;
let found: any[] = [];

const byKind = (kind: string, saleId?: string) => {
  const d = found.find((x) => x.kind === kind && (saleId === undefined || x.saleId === saleId));
  if (!d) throw new Error(`no ${kind} discrepancy${saleId ? ` for ${saleId}` : ''} in ${JSON.stringify(found.map((x) => [x.kind, x.saleId]))}`);
  return d;
};

async function onlineSale(fixtureId: string, sku: string, price: string, useAccount = true): Promise<any> {
  const sale = await env.till.startByCard(fixtureId);
  await env.till.basket(sale.id, [{ sku, qty: '1', price }]);
  return env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount });
}

beforeAll(async () => {
  manager = new Manager(env.api, await env.api.login('2001', '2222'));
  date = today();
});

describe('every discrepancy kind, created for real and resolved through the API', () => {
  test('the day is set up: online, offline, refused, dropped and unknown settlements', async () => {
    const { till, api } = env;
    const sandbox = api.runtime.sandbox!;
    const centre = directCentre(api);
    // The store learns these people online first (so it can identify them offline later).
    await till.startByCard('nanchang-near-cap');
    await till.startByCard('jincheng-active');

    // D · a refund made only at the centre (another system's 2103, not this checkout).
    sales.D = await onlineSale('nanchang-active', SKU.A02, '40.00');
    expect(sales.D.state).toBe('settled');
    const d = api.runtime.settlements.bySaleRef(`${sales.D.id}/1`)!;
    const cancelled = await centre.cancel({ data: { setl_id: d.centre!.setlId, mdtrt_id: d.centre!.mdtrtId, psn_no: d.psnNo } }, { msgid: api.runtime.settlements.allocateMsgid(), insuplcAdmdvs: d.insuplcAdmdvs });
    expect(cancelled.kind).toBe('ok');

    // E · a reversal made only at the centre (2601 by the settlement's msgid).
    sales.E = await onlineSale('jincheng-active', SKU.A02, '25.00');
    expect(sales.E.state).toBe('settled');
    const e = api.runtime.settlements.bySaleRef(`${sales.E.id}/1`)!;
    expect((await centre.reverse({ data: { psn_no: e.psnNo, omsgid: e.msgid, oinfno: '2102' } }, { msgid: api.runtime.settlements.allocateMsgid(), insuplcAdmdvs: e.insuplcAdmdvs })).kind).toBe('ok');

    // A · offline, priced from year figures that went stale: the till cached the centre's 5206
    // figures with a purchase at another pharmacy in them, which was then refunded there (the till
    // cannot know), so the centre pays more fund than the till estimated; G · the same person again
    // offline: over the per-person limit → self-pay.
    const elsewhere = await settleElsewhere(sandbox.endpoint, 'nanchang-near-cap', 'TRAIN-H360102-L1', [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '100.00' }]);
    await till.startByCard('nanchang-near-cap');
    await elsewhere.cancel();
    await till.centreOnline(false);
    const a = await till.startByCard('nanchang-near-cap');
    expect(a.person.source).toBe('cache');
    await till.prescription(a.id, 'TRAIN-H360102-L1', ['TRAIN-D-A01']);
    await till.basket(a.id, [{ sku: SKU.A01, qty: '1', price: '80.00' }]);
    sales.A = await till.ok('POST', `/api/sales/${a.id}/settle`, { useAccount: false });
    expect(sales.A).toMatchObject({ state: 'provisional', provisional: true });
    const g = await till.startByCard('nanchang-near-cap');
    await till.prescription(g.id, 'TRAIN-H360102-L1', ['TRAIN-D-A01']);
    await till.basket(g.id, [{ sku: SKU.A01, qty: '1', price: '30.00' }]);
    sales.G = await till.ok('POST', `/api/sales/${g.id}/settle`, { useAccount: false, acceptSelfPay: true });
    expect(sales.G.state).toBe('selfpay');
    await till.centreOnline(true);
    sales.A = await waitForSyncState(till, a.id, ['confirmed']);
    expect(sales.A.centre.difference.cash).not.toBe('0.00');

    // H · offline provisional sale the centre then rejects (parked).
    sandbox.setFaults({ businessErrorRate: 1, infnos: ['2102'] });
    await till.centreOnline(false);
    const h = await till.startByCard('jincheng-active');
    await till.basket(h.id, [{ sku: SKU.A01, qty: '1', price: '10.00' }]);
    sales.H = await till.ok('POST', `/api/sales/${h.id}/settle`, { useAccount: true });
    expect(sales.H.state).toBe('provisional');
    await till.centreOnline(true);
    sales.H = await waitForSyncState(till, h.id, ['parked']);

    // B, C · online, the centre commits and the reply is lost.
    sandbox.setFaults({ dropAfterCommitRate: 1, infnos: ['2102'] });
    sales.B = await onlineSale('nanchang-active', SKU.A01, '30.00');
    sales.C = await onlineSale('jincheng-active', SKU.A01, '20.00');
    // F · online, the centre fails before doing anything: unknown to the store, absent at the centre.
    // The sync engine reverses unknown ones (2601): the centre fails those too, so they stay unresolved.
    sandbox.setFaults({ error5xxRate: 1, infnos: ['2102', '2601'] });
    sales.F = await onlineSale('nanchang-active', SKU.A01, '15.00');
    for (const k of ['B', 'C', 'F']) expect(sales[k]).toMatchObject({ state: 'provisional', syncState: 'unknown' });
    // What the sync engine does next under national: give up looking (no 5203 by msgid) and reverse — which fails.
    for (const k of ['B', 'C', 'F']) {
      const id = api.runtime.settlements.bySaleRef(`${sales[k].id}/1`)!.id;
      expect((await api.runtime.sync.syncOne(id)).outbox.state).toBe('reversing');
    }
  });

  test('the check finds each kind, and 3201 does not balance until they are resolved', async () => {
    const day = await manager.check(date);
    expect(day.lastCheck.result).toBe('unbalanced');
    expect(day.lastCheck.detailChecked).toBe(true);
    expect(day.balanced).toBe(false);
    found = day.discrepancies;
    expect(byKind('provisional_difference', sales.A.id).allowed).toEqual(['refund_to_patient', 'write_off']);
    expect(byKind('centre_only', sales.B.id)).toMatchObject({ label: '中心多', allowed: ['reverse_at_centre', 'record_locally'] });
    expect(byKind('centre_only', sales.C.id).msgid).toBe(env.api.runtime.settlements.bySaleRef(`${sales.C.id}/1`)!.msgid);
    expect(byKind('mismatch', sales.D.id)).toMatchObject({ label: '数据不一致', allowed: ['record_locally', 'collect_from_patient', 'write_off'] });
    expect(byKind('mismatch', sales.D.id).cause).toContain('退费只在中心');
    expect(byKind('store_only', sales.E.id)).toMatchObject({ label: '本地多', allowed: ['collect_from_patient', 'write_off'] });
    expect(byKind('not_at_centre', sales.G.id).allowed).toEqual(['resettle', 'write_off']);
    expect(byKind('not_at_centre', sales.H.id).allowed).toEqual(['resettle', 'collect_from_patient', 'write_off']);
    expect(byKind('outcome_unknown', sales.F.id).allowed).toEqual(['reverse_at_centre']);
    // Nothing promises a lookup by our msgid; the 3202 row gave B's setl_id and mdtrt_id.
    expect(found.map((x) => x.cause).join()).not.toContain('按原报文ID）确认');
    expect(byKind('outcome_unknown', sales.F.id).cause).toContain('2601');
    expect(byKind('centre_only', sales.B.id).cause).toContain('5203');
    expect(found).toHaveLength(8);
    // The 3202 rows carry the per-settlement results.
    const results = day.detail.map((r: any) => r.result).sort();
    expect(results).toEqual(expect.arrayContaining(['centre_only', 'centre_only', 'mismatch', 'store_only']));
    // The patient is masked; the full name and ID number never appear.
    const text = JSON.stringify(day);
    expect(text).not.toContain('测试庚');
    expect(text).not.toContain('360102197502140073');
    expect(byKind('provisional_difference', sales.A.id).patient).toEqual({ name: '测**', idNumber: '360102********0073' });
    // Closing an unbalanced day needs an explicit acknowledgement.
    const refused = await manager.call('POST', `/api/reconciliation/days/${date}/close`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'DAY_NOT_BALANCED', field: 'acknowledgeUnbalanced' });
  });

  test('only a manager may resolve, with an allowed action and, for a write-off, a reason', async () => {
    const cashier = await env.api.call('POST', `/api/reconciliation/discrepancies/${byKind('store_only').id}/resolve`, { token: env.till.token, body: { action: 'write_off', reason: '测试原因' } });
    expect(cashier.status).toBe(403);
    const wrong = await manager.resolve(byKind('store_only').id, 'resettle');
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ error: 'RESOLUTION_NOT_ALLOWED', field: 'action' });
    const noReason = await manager.resolve(byKind('store_only').id, 'write_off', '  ');
    expect(noReason.status).toBe(422);
    expect(noReason.body).toMatchObject({ error: 'REASON_REQUIRED', field: 'reason' });
  });

  test('resolutions that work while the centre still fails reversals', async () => {
    // C · a reversal the centre does not answer leaves the discrepancy open (safe to retry).
    const c = await manager.resolve(byKind('centre_only', sales.C.id).id, 'reverse_at_centre');
    expect(c.status).toBe(503);
    expect(c.body.error).toBe('CENTRE_UNAVAILABLE');
    expect((await manager.ok('GET', `/api/reconciliation/discrepancies/${byKind('centre_only', sales.C.id).id}`)).status).toBe('open');
    // A · the centre's cash share is lower than what the patient paid offline: refund the difference.
    const aDiff = byKind('provisional_difference', sales.A.id).difference.cash;
    const a = await manager.resolve(byKind('provisional_difference', sales.A.id).id, 'refund_to_patient', '患者到店领取');
    expect(a.status).toBe(200);
    expect(a.body.resolution.amount).toBe(aDiff.replace('-', ''));
    // D · the centre's refund is booked in the store.
    const d = await manager.resolve(byKind('mismatch', sales.D.id).id, 'record_locally');
    expect(d.status).toBe(200);
    // E · the centre holds nothing any more: the store gives it up and collects from the patient.
    const e = await manager.resolve(byKind('store_only', sales.E.id).id, 'collect_from_patient');
    expect(e.status).toBe(200);
    expect(e.body.resolution.amount).toBe('25.00');
    // Twice is refused.
    expect((await manager.resolve(byKind('store_only', sales.E.id).id, 'collect_from_patient')).status).toBe(409);
  });

  test('resolutions that need the centre answering again, never resending under a new msgid', async () => {
    const { api } = env;
    const runtime = api.runtime;
    // Reversals still fail (so the sync engine cannot reverse B meanwhile); 2102 and 5203 answer.
    runtime.sandbox!.setFaults({ error5xxRate: 1, infnos: ['2601'] });
    const msgidsBefore = new Set(runtime.sandbox!.centre.summary().msgids);
    const bRecord = runtime.settlements.bySaleRef(`${sales.B.id}/1`)!;
    expect(msgidsBefore.has(bRecord.msgid)).toBe(true);
    const queriesBefore = runtime.sandbox!.stats().byInfno['5203'] ?? 0;
    // B · the centre's settlement under our own msgid is read by 5203 with the setl_id + mdtrt_id of
    // its 3202 row and recorded on the settlement (its pending reversal is never sent), not booked again.
    const b = await manager.resolve(byKind('centre_only', sales.B.id).id, 'record_locally');
    expect(b.status).toBe(200);
    const bAfter = runtime.settlements.bySaleRef(`${sales.B.id}/1`)!;
    expect(bAfter.outbox.state).toBe('confirmed');
    expect(bAfter.centre?.setlId).toBe(byKind('centre_only', sales.B.id).setlId);
    expect(runtime.settlements.history(bAfter.id).at(-1)).toMatchObject({ event: 'settled', detail: expect.stringContaining('via 5203') });
    expect(runtime.sandbox!.stats().byInfno['5203']).toBe(queriesBefore + 1);
    // C, F · reversed by their msgids through their own outbox entries (2601), once the centre answers.
    runtime.sandbox!.setFaults({});
    const c = await manager.resolve(byKind('centre_only', sales.C.id).id, 'reverse_at_centre');
    expect(c.status).toBe(200);
    expect(c.body.resolution).toMatchObject({ action: 'reverse_at_centre', by: '2001', bookedOn: date });
    expect(runtime.settlements.bySaleRef(`${sales.C.id}/1`)!.outbox.state).toBe('reversed');
    const fMsgid = runtime.settlements.bySaleRef(`${sales.F.id}/1`)!.msgid;
    const f = await manager.resolve(byKind('outcome_unknown', sales.F.id).id, 'reverse_at_centre');
    expect(f.status).toBe(200);
    expect(f.body.resolution.detail).toContain(fMsgid);
    expect(runtime.settlements.bySaleRef(`${sales.F.id}/1`)!.outbox.state).toBe('reversed');
    // H · the rejected settlement is re-queued under its own msgid.
    const hBefore = runtime.settlements.bySaleRef(`${sales.H.id}/1`)!;
    const h = await manager.resolve(byKind('not_at_centre', sales.H.id).id, 'resettle');
    expect(h.status).toBe(200);
    const hAfter = runtime.settlements.bySaleRef(`${sales.H.id}/1`)!;
    expect(hAfter.msgid).toBe(hBefore.msgid);
    expect(hAfter.outbox.state).toBe('confirmed');
    expect(runtime.settlements.bySaleRef(`${sales.H.id}/2`)).toBeUndefined();
    // G · nothing was ever sent for the self-pay sale: a new settlement; the fund's share goes back.
    expect(runtime.settlements.bySaleRef(`${sales.G.id}/1`)).toBeUndefined();
    const g = await manager.resolve(byKind('not_at_centre', sales.G.id).id, 'resettle');
    expect(g.status).toBe(200);
    const gRecord = runtime.settlements.bySaleRef(`${sales.G.id}/1`)!;
    expect(gRecord.outbox.state).toBe('confirmed');
    expect(g.body.resolution.amount).toBe(addAmounts(gRecord.centre!.split.fund, gRecord.centre!.split.account));
    expect((await env.till.ok('GET', `/api/sales/${sales.G.id}`)).state).toBe('settled');
    // Each msgid is booked at most once at the centre.
    const msgids = runtime.sandbox!.centre.summary().msgids;
    expect(new Set(msgids).size).toBe(msgids.length);
  });

  test('the reversed sales surface as not at the centre; once resolved the day balances and closes', async () => {
    let day = await manager.check(date);
    const open = day.discrepancies.filter((d: any) => d.status === 'open');
    expect(open.map((d: any) => [d.kind, d.saleId]).sort()).toEqual([['not_at_centre', sales.C.id], ['not_at_centre', sales.F.id]].sort());
    expect(open.every((d: any) => d.cause.includes('冲正'))).toBe(true);
    for (const d of open) {
      const r = await manager.resolve(d.id, 'collect_from_patient');
      expect(r.status).toBe(200);
      if (d.saleId === sales.C.id) expect(r.body.resolution.amount).toBe('20.00');
    }

    day = await manager.check(date);
    expect(day.lastCheck.result).toBe('balanced');
    expect(day.openDiscrepancies).toBe(0);
    expect(day.balanced).toBe(true);
    expect(day.groups.every((g: any) => g.result === 'balanced')).toBe(true);
    expect(day.discrepancies.every((d: any) => d.status === 'resolved')).toBe(true);
    expect(day.discrepancies).toHaveLength(10);

    const closed = await manager.ok('POST', `/api/reconciliation/days/${date}/close`, { note: '日结' });
    expect(closed).toMatchObject({ state: 'closed', balanced: true, closedBy: '2001' });
    expect(closed.totals).toEqual(day.totals);
    // Every resolution is in the journal, and the chain verifies.
    const kinds = [...env.api.runtime.store.journal.entries()].map((e) => e.kind);
    expect(kinds.filter((k) => k === 'reconciliation.resolved')).toHaveLength(10);
    expect(kinds).toContain('reconciliation.day_closed');
    expect(env.api.runtime.store.journal.verify().ok).toBe(true);
  });

  test('the day exports to xlsx and CSV with the totals of the screen, to the cent', async () => {
    const range = await manager.ok('GET', `/api/reconciliation/range?from=${date}&to=${date}`);
    const day = range.days[0];
    const xlsx = await env.api.call('GET', `/api/reconciliation/export?from=${date}&to=${date}&format=xlsx`, { token: manager.token });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = await (await fetch(new URL(`api/reconciliation/export?from=${date}&to=${date}&format=xlsx`, env.api.url), { headers: { authorization: `Bearer ${manager.token}` } })).arrayBuffer();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes);
    const summary = book.getWorksheet('汇总')!;
    const row = summary.getRow(2);
    expect(row.getCell(1).value).toBe(date);
    const cents = (v: unknown): string => (v as number).toFixed(2);
    // confirmed: columns 5–9, provisional 10–14, all 15–19
    expect(row.getCell(15).value).toBe(day.totals.all.count);
    expect([16, 17, 18, 19].map((c) => cents(row.getCell(c).value))).toEqual([day.totals.all.medfee, day.totals.all.fund, day.totals.all.account, day.totals.all.cash]);
    expect([6, 7, 8, 9].map((c) => cents(row.getCell(c).value))).toEqual([day.totals.confirmed.medfee, day.totals.confirmed.fund, day.totals.confirmed.account, day.totals.confirmed.cash]);
    // The detail sheet's entry rows add up to the day's figures.
    const detail = book.getWorksheet('明细')!;
    const entries: number[][] = [];
    detail.eachRow((r, n) => { if (n > 1 && r.getCell(1).value === date && !String(r.getCell(2).value).startsWith('小计')) entries.push([12, 13, 14, 15, 16].map((c) => r.getCell(c).value as number)); });
    const sumCol = (i: number): string => addAmounts(...entries.map((e) => e[i]!.toFixed(2)));
    expect([sumCol(1), sumCol(2), sumCol(3), sumCol(4)]).toEqual([day.totals.all.medfee, day.totals.all.fund, day.totals.all.account, day.totals.all.cash]);
    expect(entries.reduce((n, e) => n + e[0]!, 0)).toBe(day.totals.all.count);
    expect(book.getWorksheet('差异')!.rowCount).toBe(11);
    expect(book.getWorksheet('差额处理')!.rowCount).toBe(11);

    const csv = await env.api.call('GET', `/api/reconciliation/export?from=${date}&to=${date}&format=csv`, { token: manager.token });
    expect(csv.status).toBe(200);
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    const total = lines.find((l) => l.includes('总计·合计'))!.split(',');
    expect(total.slice(11, 16)).toEqual([String(day.totals.all.count), day.totals.all.medfee, day.totals.all.fund, day.totals.all.account, day.totals.all.cash]);
    expect(range.total).toEqual(day.totals);
  });
});
