// Issue 15: the chain is asked again at settle, and a cash-only refund frees its boxes in the chain.
// Two till backends (real processes) on one sandbox centre and a real PostgreSQL ledger:
// - both tills put the same box in their baskets (each basket is checked and clean); T1 settles and its
//   fact reaches the ledger; T2's settle is refused (TRACE_CODE_SOLD_IN_CHAIN), with no 2102 sent and
//   nothing booked;
// - a self-pay (自费) sale's refund frees its box locally and as a ledger 'freed' fact: T2 then sells it;
// - with the ledger stopped a settle still books, and the sale says the codes were not re-checked.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { businessDate } from '../../../core/checkout/business-date';
import { trainingDoctorCode } from '../../../core/policy/training-doctors';
import { traceCode } from '../../support/checkout';
import { PERSONS } from '../../crash/pos';
import { ledgerQuery, ledgerRig, type Pos, waitFor } from './support';

const rig = ledgerRig('recheck');

const PERSON = PERSONS[0];
const SKU_A01 = '6901000000011';
/** Not in the training catalogue: sold as self-pay (自费). */
const SKU_OWN = '6909999999990';

async function insuredSale(pos: Pos): Promise<string> {
  const sale = await pos.identify(PERSON, false);
  const issuerCode = `TRAIN-H${PERSON.district}-L1`;
  await pos.ok('PUT', `/api/sales/${sale.id}/prescription`, {
    issuerCode, prescriberCode: trainingDoctorCode(issuerCode), rxNo: `RX-${sale.id.slice(-8)}`, issuedOn: businessDate(new Date()), prescriber: '王医生', items: ['TRAIN-D-A01'],
  });
  return sale.id as string;
}

const basket = (pos: Pos, saleId: string, sku: string, codes: string[]) => pos.call('PUT', `/api/sales/${saleId}/basket`, {
  token: pos.cashier, body: { lines: [{ sku, name: sku === SKU_A01 ? '药品A01' : '自费商品', qty: String(codes.length), price: '6.50', traceCodes: codes }] },
});
const held = async (code: string) => (await ledgerQuery<{ till_id: string }>(rig.url, 'SELECT till_id FROM ledger_trace_code WHERE code = $1 AND returned_at IS NULL', [code])).map((r) => r.till_id).join();
const settles = (): number => rig.sandbox.stats().byInfno['2102'] ?? 0;

it('a box sold on T1 after T2 scanned it is refused at T2\'s settle; a self-pay refund frees its box in the chain; with the ledger stopped the settle books and says it was not re-checked', async () => {
  const dirs = { T1: rig.tillDir('T1'), T2: rig.tillDir('T2') };
  const T1 = await rig.launch('T1', dirs.T1);
  const T2 = await rig.launch('T2', dirs.T2);
  await waitFor('both tills registered', async () => (await ledgerQuery(rig.url, 'SELECT 1 FROM ledger_till')).length === 2);

  // Both baskets hold the same box, and both are clean when scanned.
  const box = traceCode();
  const s1 = await insuredSale(T1);
  const s2 = await insuredSale(T2);
  expect((await basket(T1, s1, SKU_A01, [box])).body.chainCheck).toMatchObject({ state: 'checked' });
  expect((await basket(T2, s2, SKU_A01, [box])).body.chainCheck).toMatchObject({ state: 'checked' });
  expect((await T1.settle(s1, { acceptSelfPay: true })).body.state).toBe('settled');
  await waitFor('T1 pushed the code', async () => (await held(box)) === 'T1');

  // T2's settle asks again: refused, nothing sent to the centre, nothing booked.
  const before = settles();
  const refused = await T2.settle(s2, { acceptSelfPay: true });
  expect(refused.status).toBe(422);
  expect(refused.body).toMatchObject({ error: 'TRACE_CODE_SOLD_IN_CHAIN', field: 'lines.0.traceCodes.0' });
  expect(refused.body.message).toContain('T1');
  expect(settles()).toBe(before);
  const afterRefusal = await T2.ok('GET', `/api/sales/${s2}`);
  expect(['open', 'presettled']).toContain(afterRefusal.state);
  expect(afterRefusal.syncState).toBeNull();
  const t2db = new Database(join(dirs.T2, 'store.db'), { readonly: true });
  try {
    expect(t2db.prepare('SELECT count(*) FROM trace_code WHERE code = ?').pluck().get(box)).toBe(0);
    expect(t2db.prepare('SELECT count(*) FROM settlement').pluck().get()).toBe(0);
  } finally { t2db.close(); }
  expect(await held(box)).toBe('T1');

  // A self-pay sale on T1, refunded in cash: the box is freed on T1 and in the chain, and T2 sells it.
  const own = traceCode();
  const cashSale = (await T1.identify(PERSON, false)).id as string;
  expect((await basket(T1, cashSale, SKU_OWN, [own])).status).toBe(200);
  expect((await T1.settle(cashSale, { acceptSelfPay: true })).body.state).toBe('selfpay');
  await waitFor('T1 pushed the self-pay code', async () => (await held(own)) === 'T1');
  const onT2 = (await T2.identify(PERSON, false)).id as string;
  expect((await basket(T2, onT2, SKU_OWN, [own])).body).toMatchObject({ error: 'TRACE_CODE_SOLD_IN_CHAIN' });
  const refund = await T1.call('POST', `/api/sales/${cashSale}/refund`, { token: T1.cashier, body: { reason: '顾客退货' } });
  expect(refund.status).toBe(200);
  expect(refund.body.state).toBe('refunded');
  await waitFor('T1 pushed the freed code', async () => (await held(own)) === '');
  // Locally too: T1 could sell it again.
  expect((await basket(T1, (await T1.identify(PERSON, false)).id, SKU_OWN, [own])).status).toBe(200);
  expect((await basket(T2, onT2, SKU_OWN, [own])).body.chainCheck).toMatchObject({ state: 'checked' });
  expect((await T2.settle(onT2, { acceptSelfPay: true })).body.state).toBe('selfpay');
  await waitFor('T2 pushed the code', async () => (await held(own)) === 'T2');

  // The ledger stopped between basket and settle: the settle books (till autonomy) and says so.
  const late = await insuredSale(T2);
  expect((await basket(T2, late, SKU_A01, [traceCode()])).body.chainCheck).toMatchObject({ state: 'checked' });
  await rig.server.stop();
  const started = Date.now();
  const booked = await T2.settle(late, { acceptSelfPay: true });
  expect(Date.now() - started).toBeLessThan(3_000);
  expect(booked.status).toBe(200);
  expect(booked.body.state).toBe('settled');
  expect(booked.body.problems).toContainEqual({ code: 'TRACE_CODE_CHAIN_UNCHECKED', message: expect.stringContaining('未能复核') });
  const journal = new Database(join(dirs.T2, 'store.db'), { readonly: true });
  try {
    const recorded = journal.prepare("SELECT payload FROM journal WHERE kind = 'sale.recorded' AND payload LIKE ?").pluck().all(`%${late}%`) as string[];
    expect(recorded.map((p) => JSON.parse(p))).toEqual([expect.objectContaining({ sale: late, traceCodesRechecked: false })]);
  } finally { journal.close(); }
  await rig.server.start();
}, 180_000);
