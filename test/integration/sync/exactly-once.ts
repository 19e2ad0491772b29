// The exactly-once checks shared by the fault-injection and crash tests. expectExactlyOnce: the centre
// holds exactly the store's settlements (one per msgid), every one confirmed with the centre's id, and
// the sums agree to the cent. expectOnceOrReversed (national, whose 5203 cannot look a lost reply up
// by msgid): every settlement is either confirmed — booked once at the centre, same amounts — or
// reversed by its msgid, and then the centre holds nothing for it.
import { expect } from 'vitest';
import { fmt, money, sum } from '../../../core/money/money';
import { trainingCatalogue } from '../../../core/policy/reference';
import { type Db } from '../../../native/db/open';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { type SettlementStore } from '../../../native/sync/settlement-store';
import { PERSONS, sale, type Sale } from '../centre/fixture';

/** A deterministic variety of baskets over every training person and catalogue item. */
export function varietyOfSales(n: number, seed = 7): Sale[] {
  let s = seed >>> 0;
  const rnd = (k: number): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % k; };
  const items = trainingCatalogue();
  return Array.from({ length: n }, () => {
    const p = PERSONS[rnd(PERSONS.length)]!;
    const lines = Array.from({ length: 1 + rnd(3) }, () => ({ medListCodg: items[rnd(items.length)]!.code, qty: String(1 + rnd(4)), price: `${1 + rnd(120)}.${String(rnd(100)).padStart(2, '0')}` }));
    const level = [null, 1, 2, 3][rnd(4)] as 1 | 2 | 3 | null;
    return sale(p, lines, { useAccount: rnd(5) !== 0, issuerLevel: level });
  });
}

interface CentreRow { msgid: string; setl_id: string; medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string; psn_cash_pay: string; status: string }

export function expectExactlyOnce(db: Db, store: SettlementStore, sb: RunningSandbox, n: number): void {
  const counts = store.counts();
  expect(counts).toMatchObject({ confirmed: n, pending: 0, sending: 0, unknown: 0, querying: 0, reversing: 0, parked: 0, reversed: 0 });
  const centre = sb.db.prepare('SELECT msgid, setl_id, medfee_sumamt, fund_pay_sumamt, acct_pay, psn_cash_pay, status FROM settlement').all() as CentreRow[];
  expect(centre).toHaveLength(n);
  expect(centre.every((r) => r.status === 'settled')).toBe(true);
  const byMsgid = new Map(centre.map((r) => [r.msgid, r]));
  expect(byMsgid.size).toBe(n);
  const local = db.prepare('SELECT msgid, centre_setl_id, centre_total, centre_fund, centre_account, centre_cash FROM settlement').all() as Array<{ msgid: string; centre_setl_id: string | null; centre_total: string; centre_fund: string; centre_account: string; centre_cash: string }>;
  expect(local).toHaveLength(n);
  for (const row of local) {
    const c = byMsgid.get(row.msgid);
    expect(c, `centre has ${row.msgid}`).toBeDefined();
    expect(row.centre_setl_id).toBe(c!.setl_id);
    expect([row.centre_total, row.centre_fund, row.centre_account, row.centre_cash]).toEqual([c!.medfee_sumamt, c!.fund_pay_sumamt, c!.acct_pay, c!.psn_cash_pay]);
  }
  const total = (rows: string[]) => fmt(sum(rows.map(money)));
  expect(total(local.map((r) => r.centre_total))).toBe(total(centre.map((r) => r.medfee_sumamt)));
  expect(total(local.map((r) => r.centre_fund))).toBe(total(centre.map((r) => r.fund_pay_sumamt)));
  expect(total(local.map((r) => r.centre_account))).toBe(total(centre.map((r) => r.acct_pay)));
  expect(total(local.map((r) => r.centre_cash))).toBe(total(centre.map((r) => r.psn_cash_pay)));
  expect(sb.centre.summary()).toMatchObject({ settled: n, reversed: 0, cancelled: 0, medfee: total(local.map((r) => r.centre_total)) });
}

export function expectOnceOrReversed(db: Db, store: SettlementStore, sb: RunningSandbox, n: number): { confirmed: number; reversed: number } {
  const counts = store.counts();
  expect(counts).toMatchObject({ pending: 0, sending: 0, unknown: 0, querying: 0, reversing: 0, parked: 0 });
  expect(counts.confirmed + counts.reversed).toBe(n);
  const centre = sb.db.prepare('SELECT msgid, setl_id, medfee_sumamt, fund_pay_sumamt, acct_pay, psn_cash_pay, status FROM settlement').all() as CentreRow[];
  const byMsgid = new Map(centre.map((r) => [r.msgid, r]));
  expect(byMsgid.size, 'one centre settlement per msgid').toBe(centre.length);
  const local = db.prepare(`SELECT s.msgid, o.state, s.centre_setl_id, s.centre_total, s.centre_fund, s.centre_account, s.centre_cash FROM settlement s
    JOIN settlement_outbox o ON o.settlement_id = s.id`).all() as Array<{ msgid: string; state: string; centre_setl_id: string | null; centre_total: string; centre_fund: string; centre_account: string; centre_cash: string }>;
  expect(local).toHaveLength(n);
  const confirmed = local.filter((r) => r.state === 'confirmed');
  for (const row of local) {
    const c = byMsgid.get(row.msgid);
    if (row.state === 'reversed') {
      expect(c?.status ?? 'absent', `centre holds nothing for reversed ${row.msgid}`).not.toBe('settled');
      expect(row.centre_setl_id).toBeNull();
      continue;
    }
    expect(c?.status, `centre has ${row.msgid}`).toBe('settled');
    expect(row.centre_setl_id).toBe(c!.setl_id);
    expect([row.centre_total, row.centre_fund, row.centre_account, row.centre_cash]).toEqual([c!.medfee_sumamt, c!.fund_pay_sumamt, c!.acct_pay, c!.psn_cash_pay]);
  }
  const settled = centre.filter((r) => r.status === 'settled');
  expect(settled).toHaveLength(confirmed.length);
  const total = (rows: string[]) => fmt(sum(rows.map(money)));
  expect(total(confirmed.map((r) => r.centre_total))).toBe(total(settled.map((r) => r.medfee_sumamt)));
  expect(total(confirmed.map((r) => r.centre_fund))).toBe(total(settled.map((r) => r.fund_pay_sumamt)));
  expect(total(confirmed.map((r) => r.centre_cash))).toBe(total(settled.map((r) => r.psn_cash_pay)));
  expect(sb.centre.summary()).toMatchObject({ settled: confirmed.length, cancelled: 0 });
  return { confirmed: confirmed.length, reversed: counts.reversed };
}
