import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fmt, money } from '../../../core/money/money';
import { addDays, Calendar } from '../../../core/reconcile/calendar';
import { centreDayGroups, dayFigures, type LedgerEntry, type LedgerFact, postings, storeDetailRows, summariseLocked } from '../../../core/reconcile/ledger';
import { addTotals, isZeroTotals, NO_TOTALS, sameTotals, subtractTotals, type Totals, totalsView } from '../../../core/reconcile/totals';
import { fact, GROUP } from './fixtures';

const D1 = '2026-06-01';
const D2 = '2026-06-02';
const D3 = '2026-06-03';

describe('postings', () => {
  test('on open days a fact is booked on its own day, unchanged', () => {
    const entries = postings([fact('settlement:1'), fact('settlement:2', { day: D2, centreDay: D2 })], new Map(), new Calendar([]));
    expect(entries.map((e) => [e.key, e.kind, e.date, e.belongsTo])).toEqual([['settlement:1', 'sale', D1, null], ['settlement:2', 'sale', D2, null]]);
  });

  test('a fact of a closed day not yet locked lands on the next open day, naming its day', () => {
    const [e] = postings([fact('refund:1', { kind: 'refund', day: D1 })], new Map(), new Calendar([D1]));
    expect(e).toMatchObject({ kind: 'refund', date: D2, belongsTo: D1 });
  });

  test('a provisional fact locked on a closed day, later confirmed: two adjustments on the next open day', () => {
    const provisional = fact('settlement:1', { status: 'provisional', centreDay: null, medfee: '10.00', fund: '0.00', account: '0.00', cash: '10.00' });
    const locked = postings([provisional], new Map(), new Calendar([])).map((e) => ({ ...e, date: D1 }));
    const confirmed = fact('settlement:1', { day: D2, centreDay: D2, fund: '6.00', account: '0.00', cash: '4.00' });
    const entries = postings([confirmed], summariseLocked(locked), new Calendar([D1]));
    expect(entries.map((e) => [e.kind, e.status, e.date, e.belongsTo, e.totals.count, fmt(e.totals.cash)])).toEqual([
      ['adjustment', 'confirmed', D2, D1, 1, '4.00'],
      ['adjustment', 'provisional', D2, D1, -1, '-10.00'],
    ]);
  });

  test('a fact gone since its day was locked is undone on the next open day', () => {
    const locked = postings([fact('settlement:9', { status: 'provisional', centreDay: null })], new Map(), new Calendar([])).map((e) => ({ ...e, date: D1 }));
    const entries = postings([], summariseLocked(locked), new Calendar([D1, D2]));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'adjustment', status: 'provisional', date: D3, belongsTo: D1 });
    expect(totalsView(entries[0]!.totals)).toEqual({ count: -1, medfee: '-10.00', fund: '-4.00', account: '-3.00', cash: '-3.00' });
  });

  test('an unchanged locked fact adds nothing', () => {
    const f = fact('settlement:1');
    const locked = postings([f], new Map(), new Calendar([])).map((e) => ({ ...e }));
    expect(postings([f], summariseLocked(locked), new Calendar([D1]))).toEqual([]);
  });

  // The invariant behind "never edit the past": whatever happens to the facts and whichever days
  // are closed along the way, closed days keep exactly what they were closed with, and closed plus
  // open days together always add up to the facts as they are now — nothing lost, nothing twice.
  test('property: closed days never change and every fact is counted exactly once', () => {
    const days = [0, 1, 2, 3, 4, 5].map((n) => addDays(D1, n));
    const amount = fc.integer({ min: 0, max: 50_000 }).map((c) => fmt(money(String(c)).dividedBy(100)));
    const change = fc.record({
      key: fc.integer({ min: 1, max: 6 }).map((n) => `settlement:${n}`),
      present: fc.boolean(),
      status: fc.constantFrom('confirmed' as const, 'provisional' as const),
      day: fc.integer({ min: 0, max: 5 }),
      fund: amount, cash: amount,
    });
    const step = fc.oneof(change.map((c) => ({ type: 'change' as const, ...c })), fc.integer({ min: 0, max: 5 }).map((d) => ({ type: 'close' as const, day: d })));
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const current = new Map<string, LedgerFact>();
      const closed: string[] = [];
      const lockedByDay = new Map<string, LedgerEntry[]>();
      const allLocked = (): LedgerEntry[] => [...lockedByDay.values()].flat();
      const entriesNow = (): LedgerEntry[] => postings([...current.values()], summariseLocked(allLocked()), new Calendar(closed));
      for (const s of steps) {
        if (s.type === 'change') {
          if (!s.present) current.delete(s.key);
          else {
            const medfee = fmt(money(s.fund).plus(money(s.cash)));
            current.set(s.key, fact(s.key, { status: s.status, day: days[s.day]!, centreDay: s.status === 'confirmed' ? days[s.day]! : null, medfee, fund: s.fund, account: '0.00', cash: s.cash }));
          }
        } else {
          const day = days[s.day]!;
          if (closed.includes(day)) continue;
          const snapshot = entriesNow().filter((e) => e.date === day);
          closed.push(day);
          lockedByDay.set(day, snapshot);
        }
        // Closed days keep their entries: nothing computed now is dated on them.
        expect(entriesNow().every((e) => !closed.includes(e.date))).toBe(true);
      }
      const everything = [...allLocked(), ...entriesNow()];
      for (const status of ['confirmed', 'provisional'] as const) {
        const keys = new Set([...current.keys(), ...everything.map((e) => e.key)]);
        for (const key of keys) {
          const booked = everything.filter((e) => e.key === key && e.status === status).reduce<Totals>((t, e) => addTotals(t, e.totals), NO_TOTALS);
          const f = current.get(key);
          const expected = f && f.status === status ? f.totals : NO_TOTALS;
          if (!isZeroTotals(subtractTotals(booked, expected))) return false;
        }
      }
      return true;
    }), { numRuns: 300 });
  });
});

describe("the centre's comparisons", () => {
  test('3201 groups sum the confirmed facts the centre counts on the day, with empty groups asked too', () => {
    const facts = [
      fact('settlement:1'),
      fact('refund:1', { kind: 'refund', detail: 'refund', day: D2, centreDay: D1, medfee: '-10.00', fund: '-4.00', account: '-3.00', cash: '-3.00' }),
      fact('settlement:2', { group: { ...GROUP, setlOptins: '140500' } }),
      fact('settlement:3', { status: 'provisional', centreDay: null }),
      fact('settlement:4', { day: D2, centreDay: D2 }),
    ];
    const groups = centreDayGroups(facts, D1, [{ insutype: '310', clrType: '41', setlOptins: '420300' }]);
    expect(groups.map((g) => [g.group.setlOptins, totalsView(g.totals)])).toEqual([
      ['140500', { count: 1, medfee: '10.00', fund: '4.00', account: '3.00', cash: '3.00' }],
      ['360100', { count: 2, medfee: '0.00', fund: '0.00', account: '0.00', cash: '0.00' }],
      ['420300', { count: 0, medfee: '0.00', fund: '0.00', account: '0.00', cash: '0.00' }],
    ]);
  });

  test('3202 rows: one per settlement, flagged when refunded, dropped when the store gave it up', () => {
    const facts = [
      fact('settlement:1'),
      fact('refund:1', { kind: 'refund', detail: 'refund', setlId: 'SETL-settlement:1', medfee: '-10.00', fund: '-4.00', account: '-3.00', cash: '-3.00' }),
      fact('settlement:2'),
      fact('adjustment:1', { kind: 'adjustment', detail: 'remove', setlId: 'SETL-settlement:2', count: -1, medfee: '-10.00', fund: '-4.00', account: '-3.00', cash: '-3.00' }),
      fact('adjustment:2', { kind: 'adjustment', detail: 'settlement', setlId: 'SETL-C', mdtrtId: 'M-C', psnNo: 'PSN9', medfee: '5.00', fund: '5.00', account: '0.00', cash: '0.00' }),
      fact('settlement:3', { status: 'provisional', centreDay: null, setlId: null }),
    ];
    const rows = storeDetailRows(facts, D1);
    expect(rows.map((r) => [r.setlId, r.refunded, fmt(r.totals.medfee), r.psnNo])).toEqual([['SETL-C', false, '5.00', 'PSN9'], ['SETL-settlement:1', true, '10.00', 'PSN1']]);
  });

  test('day figures separate confirmed, provisional and what belongs to earlier days', () => {
    const open = postings([fact('settlement:1', { day: D2, centreDay: D2 }), fact('settlement:2', { status: 'provisional', day: D2, centreDay: null }), fact('refund:3', { kind: 'refund', day: D1, medfee: '-1.00', fund: '-1.00', account: '0.00', cash: '0.00' })], new Map(), new Calendar([D1]));
    const f = dayFigures(open.filter((e) => e.date === D2));
    expect(totalsView(f.confirmed).count).toBe(2);
    expect(totalsView(f.provisional)).toEqual({ count: 1, medfee: '10.00', fund: '4.00', account: '3.00', cash: '3.00' });
    expect(totalsView(f.adjustments)).toEqual({ count: 1, medfee: '-1.00', fund: '-1.00', account: '0.00', cash: '0.00' });
    expect(sameTotals(f.all, addTotals(f.confirmed, f.provisional))).toBe(true);
  });
});
