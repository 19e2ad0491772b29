import { describe, expect, test } from 'vitest';
import { centreDayOf, settlementFacts, type SettlementSource } from '../../../core/reconcile/facts';
import { totalsView } from '../../../core/reconcile/totals';

const source: SettlementSource = {
  settlementId: 12, saleId: 'S20260601-00000001', msgid: 'M'.repeat(30), psnNo: 'PSN1', insuplcAdmdvs: '360100', insutype: '310',
  recordedAt: '2026-05-31T16:30:00.000Z', saleDay: '2026-06-01', outboxState: 'pending',
  provisional: { total: '80.00', fund: '0.00', account: '0.00', cash: '80.00' }, patient: null, centre: null, refundedAt: null,
};
const centre = {
  setlId: 'SETL12', mdtrtId: 'MD12', setlTime: '2026-06-02 00:10:00', confirmedAt: '2026-06-01T16:10:00.000Z',
  medfee: '80.00', fund: '48.00', account: '0.00', cash: '32.00', insutype: '310', clrType: '41', clrOptins: '360100',
};

describe('facts', () => {
  test('unconfirmed: the provisional split on the sale day; rejected or reversed: nothing', () => {
    const [f] = settlementFacts(source);
    expect(f).toMatchObject({ key: 'settlement:12', status: 'provisional', day: '2026-06-01', centreDay: null });
    expect(totalsView(f!.totals)).toEqual({ count: 1, medfee: '80.00', fund: '0.00', account: '0.00', cash: '80.00' });
    expect(settlementFacts({ ...source, outboxState: 'parked' })).toEqual([]);
    expect(settlementFacts({ ...source, outboxState: 'reversing' })).toEqual([]);
    expect(settlementFacts({ ...source, outboxState: 'unknown' })).toHaveLength(1);
  });

  test("confirmed: the centre's amounts on the centre's day (China time)", () => {
    const [f] = settlementFacts({ ...source, outboxState: 'confirmed', centre });
    expect(f).toMatchObject({ status: 'confirmed', day: '2026-06-02', centreDay: '2026-06-02', setlId: 'SETL12' });
    expect(totalsView(f!.totals).fund).toBe('48.00');
    expect(centreDayOf({ ...centre, setlTime: '' })).toBe('2026-06-02');
  });

  test('a refund is a second fact: negative amounts, one more count, booked on the refund day', () => {
    const facts = settlementFacts({ ...source, outboxState: 'confirmed', centre, refundedAt: '2026-06-03T02:00:00.000Z' });
    expect(facts.map((f) => [f.key, f.kind, f.day, f.centreDay, f.detail])).toEqual([
      ['settlement:12', 'sale', '2026-06-02', '2026-06-02', 'settlement'],
      ['refund:12', 'refund', '2026-06-03', '2026-06-02', 'refund'],
    ]);
    expect(totalsView(facts[1]!.totals)).toEqual({ count: 1, medfee: '-80.00', fund: '-48.00', account: '0.00', cash: '-32.00' });
  });
});
