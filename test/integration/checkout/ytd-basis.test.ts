// yearBasis: the 5206 figures plus this store's later settlements of the person, without the ones
// whose sale was refunded or cancelled, found by the sale each settlement belongs to.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openStore } from '../../../electron/backend/store';
import { yearBasis } from '../../../electron/backend/checkout/ytd';
import { type PersonRecord } from '../../../electron/backend/checkout/person';

const stores: Array<{ close(): void }> = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });

test('later settlements count by their own sale\'s state: a refunded sale and an earlier refused attempt add nothing', () => {
  const store = openStore(mkdtempSync(join(tmpdir(), 'ybjs-ytd-')));
  stores.push(store);
  const db = store.db;
  const addSale = (id: string, state: string, settlementId: number | null): void => {
    db.prepare(`INSERT INTO sale (id, terminal_id, operator_id, created_at, updated_at, business_date, state, online, psn_no, settlement_id)
      VALUES (?, 'T01', '1001', 'x', 'x', '2026-12-04', ?, 1, 'P1', ?)`).run(id, state, settlementId === null ? null : String(settlementId));
  };
  const addSettlement = (id: number, saleRef: string, outboxState: string, fund: string): void => {
    db.prepare(`INSERT INTO settlement (id, sale_ref, msgid, fixmedins_code, psn_no, insuplc_admdvs, recorded_at, request_json, quote_json, prov_total, prov_fund, prov_account, prov_cash)
      VALUES (?, ?, ?, 'H', 'P1', '420300', '2026-12-04T10:00:00.000Z', '{}', ?, '9.00', ?, '0.00', '0.00')`).run(id, saleRef, String(id).padStart(30, '0'), JSON.stringify({ deductible: '0.00', fund }), fund);
    db.prepare(`INSERT INTO settlement_outbox (settlement_id, state, sends, query_failures, note, next_attempt_at, updated_at) VALUES (?, ?, 1, 0, '', 0, 'x')`).run(id, outboxState);
  };
  addSettlement(1, 'SA/1', 'pending', '1.00'); addSale('SA', 'provisional', 1);
  addSettlement(2, 'SB/1', 'pending', '2.00'); addSale('SB', 'refunded', 2);
  // SC's first attempt was refused (parked) and is not its sale's settlement any more; the second is.
  addSettlement(3, 'SC/1', 'parked', '4.00'); addSettlement(4, 'SC/2', 'pending', '8.00'); addSale('SC', 'provisional', 4);
  // A settlement named in no sale's settlement_id (the sale row points elsewhere) still counts as booked.
  addSettlement(5, 'SD/1', 'pending', '16.00'); addSale('SD', 'open', null);
  const person = { psnNo: 'P1', year: { year: 2026, deductibleMet: '0.00', fundPaid: '0.00' }, centreYear: { year: 2026, deductibleMet: '0.00', fundPaid: '100.00', readAt: '2026-12-04T09:00:00.000Z' } } as unknown as PersonRecord;
  const basis = yearBasis(db, person, new Date('2026-12-04T12:00:00Z'));
  expect(basis).toMatchObject({ source: 'centre', fundPaid: '125.00', pending: 3, confirmed: 0 });
});
