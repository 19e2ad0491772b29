// 南昌 360100, 职工医保门诊共济实施细则（征求意见稿 — a draft), worked by hand from the articles.
import { describe, expect, it } from 'vitest';
import { drugA, q } from './build';

const R = '360100';
const D = '2023-06-15';

describe('南昌 实施细则（征求意见稿）', () => {
  it('第七条: first purchase, 一级, active: 700 − 600 deductible = 100 × 60% = 60.00', () => {
    const r = q({ region: R, date: D, level: 1, lines: [drugA('1', '700.00')] });
    expect(r).toMatchObject({ deductible: '600.00', ratio: '0.60', fund: '60.00', reasons: [] });
    expect(r.year).toEqual({ deductibleMet: '600.00', fundPaid: '60.00' });
  });

  it('the explain lines say the policy is a draft', () => {
    expect(q({ region: R, date: D }).explain[0]).toContain('征求意见稿');
  });

  it('第七条: straddling — 500 met, 100 left, 300 in scope at 二级 55%: fund 110.00', () => {
    expect(q({ region: R, date: D, level: 2, met: '500.00', lines: [drugA('3', '100.00')] })).toMatchObject({ deductible: '100.00', fund: '110.00' });
  });

  it.each([
    ['active', 1, '0.60', '60.00'], ['active', 2, '0.55', '55.00'], ['active', 3, '0.50', '50.00'],
    ['retired', 1, '0.65', '65.00'], ['retired', 2, '0.60', '60.00'], ['retired', 3, '0.55', '55.00'],
  ] as const)('第七条 (retired +5 points): %s at level %i pays %s of 100.00', (status, level, ratio, fund) => {
    expect(q({ region: R, date: D, status, level, met: '600.00' })).toMatchObject({ ratio, fund, reasons: [] });
  });

  it('第七条: cap 1800 for active staff cuts 60.00 to 10.00; the retired cap 2000 leaves 65.00 whole', () => {
    expect(q({ region: R, date: D, met: '600.00', paid: '1790.00' })).toMatchObject({ fund: '10.00', reasons: ['CAP_REACHED'] });
    expect(q({ region: R, date: D, status: 'retired', met: '600.00', paid: '1790.00' })).toMatchObject({ fund: '65.00', reasons: [] });
  });

  it('第八条: retired on 2023-05-20 — still active rates and cap on 2023-05-31, retired from 2023-06-01', () => {
    const may = q({ region: R, date: '2023-05-31', status: 'retired', retiredOn: '2023-05-20', met: '600.00', paid: '1790.00' });
    expect(may).toMatchObject({ ratio: '0.60', fund: '10.00', reasons: ['CAP_REACHED'] });
    expect(may.explain.some((l) => l.includes('2023-06-01') && l.includes('第八条'))).toBe(true);
    const june = q({ region: R, date: '2023-06-01', status: 'retired', retiredOn: '2023-05-20', met: '600.00', paid: '1790.00' });
    expect(june).toMatchObject({ ratio: '0.65', fund: '65.00', reasons: [] });
  });

  it('第八条: retirement completed in December applies from January 1st', () => {
    expect(q({ region: R, date: '2023-12-31', status: 'retired', retiredOn: '2023-12-05', met: '600.00' }).ratio).toBe('0.60');
    expect(q({ region: R, date: '2024-01-01', status: 'retired', retiredOn: '2023-12-05', met: '600.00' }).ratio).toBe('0.65');
  });

  it('retired without a completion date: retired rates (the caller says the person is retired)', () => {
    expect(q({ region: R, date: D, status: 'retired', met: '600.00' }).ratio).toBe('0.65');
  });

  it('第十五条(二)(三): in hospital or suspended pays no fund', () => {
    const r = q({ region: R, date: D, hospitalized: true, suspended: true, met: '600.00' });
    expect(r).toMatchObject({ fund: '0.00', reasons: ['HOSPITALIZED', 'SUSPENDED'] });
    expect(r.explain.some((l) => l.includes('第十五条第（二）项'))).toBe(true);
    expect(r.explain.some((l) => l.includes('第十五条第（三）项'))).toBe(true);
  });

  it('第四十七条: in force from 2023-01-01 with no end set', () => {
    expect(q({ region: R, date: '2022-12-31', met: '600.00' })).toMatchObject({ fund: '0.00', reasons: ['NOT_IN_FORCE'] });
    expect(q({ region: R, date: '2023-01-01', met: '600.00' })).toMatchObject({ fund: '60.00', reasons: [] });
    expect(q({ region: R, date: '2031-07-01', met: '600.00' })).toMatchObject({ fund: '60.00', reasons: [] });
  });

  it('乙类 with a limit and 丙类 together', () => {
    const r = q({ region: R, date: D, met: '600.00', balance: '20.00', lines: [
      { code: 'B', qty: '2', price: '50.00', listClass: 'B', selfPayRatio: '0.05', limitPrice: '45.50' },
      { code: 'C', qty: '1', price: '8.80', listClass: 'C' },
    ] });
    // over 2 × 4.50 = 9.00; 先自付 2 × 45.50 × 5% = 4.55; in scope 100 − 9 − 4.55 = 86.45; fund 86.45 × 60% = 51.87
    expect(r).toMatchObject({ total: '108.80', overLimit: '9.00', preSelfPay: '4.55', fullSelfPay: '8.80', inScope: '86.45', fund: '51.87', account: '20.00', cash: '36.93' });
  });

  it('no prescription pays no fund', () => {
    expect(q({ region: R, date: D, level: null, met: '600.00' })).toMatchObject({ fund: '0.00', reasons: ['NO_PRESCRIPTION'] });
  });

  it('第二十四条: non-medical goods stay cash even with a large account balance', () => {
    const r = q({ region: R, date: D, met: '600.00', balance: '5000.00', lines: [drugA('1', '100.00'), { code: 'O', qty: '3', price: '6.66', listClass: 'A', kind: 'other' }] });
    // other: 3 × 6.66 = 19.98, fully self-paid; fund 100 × 60% = 60.00; account 119.98 − 60 − 19.98 = 40.00
    expect(r).toMatchObject({ total: '119.98', fullSelfPay: '19.98', fund: '60.00', account: '40.00', cash: '19.98' });
  });
});
