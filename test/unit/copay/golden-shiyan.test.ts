// 十堰 420300, 十政办发〔2022〕61号, worked by hand from the articles.
import { describe, expect, it } from 'vitest';
import { drugA, q } from './build';

const R = '420300';

describe('十堰 十政办发〔2022〕61号', () => {
  it('第五条1/2: first purchase of the year, 一级, active: 600 in scope − 500 deductible = 100 × 80% = 80.00', () => {
    const r = q({ region: R, level: 1, balance: '1000.00', lines: [drugA('2', '300.00')] });
    expect(r).toMatchObject({ total: '600.00', inScope: '600.00', deductible: '500.00', ratio: '0.80', fund: '80.00', account: '520.00', cash: '0.00', reasons: [] });
    expect(r.year).toEqual({ deductibleMet: '500.00', fundPaid: '80.00' });
    expect(r.explain).toContain('起付标准：年度 500.00 元，本年度已累计 0.00 元，本次扣除 500.00 元（十政办发〔2022〕61号 第五条第1项）');
    expect(r.explain).toContain('统筹基金：（600.00 − 500.00）× 80% = 80.00 元（十政办发〔2022〕61号 第五条第2项）');
  });

  it('第五条1: deductible straddling — 300 met, 200 left, 400 in scope at 二级 65%: fund 130.00', () => {
    const r = q({ region: R, level: 2, met: '300.00', balance: '50.00', lines: [drugA('4', '100.00')] });
    expect(r).toMatchObject({ deductible: '200.00', ratio: '0.65', fund: '130.00', account: '50.00', cash: '220.00' });
    expect(r.year).toEqual({ deductibleMet: '500.00', fundPaid: '130.00' });
    expect(r.explain).toContain('起付标准：年度 500.00 元，本年度已累计 300.00 元，本次扣除 200.00 元（十政办发〔2022〕61号 第五条第1项）');
  });

  it('第五条1: a purchase entirely under the deductible pays no fund and counts towards it', () => {
    const r = q({ region: R, level: 1, met: '100.00', lines: [drugA('1', '150.00')] });
    expect(r).toMatchObject({ deductible: '150.00', fund: '0.00', reasons: [] });
    expect(r.year.deductibleMet).toBe('250.00');
  });

  it('第五条3: the annual cap 3000 cuts the fund — 2950 paid, 90.00 due, 50.00 paid, CAP_REACHED', () => {
    const r = q({ region: R, level: 1, status: 'retired', met: '500.00', paid: '2950.00', lines: [drugA('1', '100.00')] });
    expect(r).toMatchObject({ ratio: '0.90', fund: '50.00', cash: '50.00', reasons: ['CAP_REACHED'] });
    expect(r.year.fundPaid).toBe('3000.00');
  });

  it('第五条3: cap already used up — no fund, CAP_REACHED; exactly at the cap is not CAP_REACHED', () => {
    expect(q({ region: R, met: '500.00', paid: '3000.00' })).toMatchObject({ fund: '0.00', reasons: ['CAP_REACHED'] });
    expect(q({ region: R, met: '500.00', paid: '2920.00' })).toMatchObject({ fund: '80.00', reasons: [] });
  });

  it.each([
    ['active', 1, '0.80', '80.00'], ['active', 2, '0.65', '65.00'], ['active', 3, '0.50', '50.00'],
    ['retired', 1, '0.90', '90.00'], ['retired', 2, '0.75', '75.00'], ['retired', 3, '0.60', '60.00'],
  ] as const)('第五条2 + 第十七条: %s, issuer level %i pays %s of 100.00 after the deductible', (status, level, ratio, fund) => {
    const r = q({ region: R, status, level, met: '500.00' });
    expect(r).toMatchObject({ ratio, fund, reasons: [] });
  });

  it('第十七条: the ratio follows the issuer level, not its price class', () => {
    expect(q({ region: R, level: 3, priceClass: 3, met: '500.00' }).ratio).toBe('0.50');
  });

  it('乙类 without a limit: 先自付 3 × 20.00 × 10% = 6.00; with limit 15.00: over-limit 15.00, 先自付 4.50', () => {
    const plain = q({ region: R, met: '500.00', lines: [{ code: 'B1', qty: '3', price: '20.00', listClass: 'B', selfPayRatio: '0.10' }] });
    expect(plain).toMatchObject({ total: '60.00', preSelfPay: '6.00', overLimit: '0.00', inScope: '54.00', fund: '43.20' });
    const limited = q({ region: R, met: '500.00', lines: [{ code: 'B2', qty: '3', price: '20.00', listClass: 'B', selfPayRatio: '0.10', limitPrice: '15.00' }] });
    expect(limited).toMatchObject({ total: '60.00', overLimit: '15.00', preSelfPay: '4.50', inScope: '40.50', fund: '32.40' });
  });

  it('乙类 rounding per line: 3 × 3.33 = 9.99, 先自付 15% = 1.4985 → 1.50, in scope 8.49, fund 6.79', () => {
    const r = q({ region: R, met: '500.00', lines: [{ code: 'B3', qty: '3', price: '3.33', listClass: 'B', selfPayRatio: '0.15' }] });
    expect(r).toMatchObject({ total: '9.99', preSelfPay: '1.50', inScope: '8.49', fund: '6.79' });
  });

  it('甲类 above its limit: only the over-limit part is self-paid, no 先自付 even if a ratio is sent', () => {
    const r = q({ region: R, met: '500.00', lines: [drugA('2', '150.00', { limitPrice: '120.00', selfPayRatio: '0.10' })] });
    expect(r).toMatchObject({ overLimit: '60.00', preSelfPay: '0.00', inScope: '240.00', fund: '192.00' });
  });

  it('丙类 is fully self-paid but the personal account may pay it', () => {
    const r = q({ region: R, met: '500.00', balance: '1000.00', lines: [drugA('1', '100.00'), { code: 'C1', qty: '1', price: '50.00', listClass: 'C' }] });
    expect(r).toMatchObject({ total: '150.00', fullSelfPay: '50.00', inScope: '100.00', fund: '80.00', account: '70.00', cash: '0.00' });
  });

  it('non-medical goods are fully self-paid and never paid from the personal account (第十三条)', () => {
    const r = q({ region: R, met: '500.00', balance: '1000.00', lines: [drugA('1', '100.00'), { code: 'O1', qty: '1', price: '30.00', listClass: 'A', kind: 'other' }] });
    expect(r).toMatchObject({ total: '130.00', fullSelfPay: '30.00', inScope: '100.00', fund: '80.00', account: '20.00', cash: '30.00' });
  });

  it('no prescription: NO_PRESCRIPTION, no fund, no deductible counted, the account still pays (第十七条)', () => {
    const r = q({ region: R, level: null, balance: '1000.00', lines: [drugA('2', '300.00')] });
    expect(r).toMatchObject({ deductible: '0.00', ratio: '0.00', fund: '0.00', account: '600.00', cash: '0.00', reasons: ['NO_PRESCRIPTION'] });
    expect(r.year).toEqual({ deductibleMet: '0.00', fundPaid: '0.00' });
    expect(r.explain.some((l) => l.startsWith('无外配处方') && l.includes('第十七条'))).toBe(true);
  });

  it('a prescription from a non-designated institution counts as none (第五条)', () => {
    expect(q({ region: R, designated: false }).reasons).toEqual(['NO_PRESCRIPTION']);
  });

  it('第九条: in hospital — HOSPITALIZED, no fund', () => {
    const r = q({ region: R, hospitalized: true, met: '500.00' });
    expect(r).toMatchObject({ fund: '0.00', reasons: ['HOSPITALIZED'] });
    expect(r.explain.some((l) => l.includes('第九条'))).toBe(true);
  });

  it('every applicable reason is listed: no prescription, in hospital and suspended together', () => {
    expect(q({ region: R, level: null, hospitalized: true, suspended: true }).reasons).toEqual(['NO_PRESCRIPTION', 'HOSPITALIZED', 'SUSPENDED']);
  });

  it.each([
    ['2022-12-30', ['NOT_IN_FORCE'], '0.00'],
    ['2022-12-31', [], '80.00'],
    ['2023-12-30', [], '80.00'],
    ['2023-12-31', ['NOT_IN_FORCE'], '0.00'],
  ])('第二十五条: in force from 2022-12-31 for one year (试行期一年) — on %s reasons %j', (date, reasons, fund) => {
    expect(q({ region: R, date, met: '500.00' })).toMatchObject({ reasons, fund });
  });

  it('a county code of the city (420302 茅箭区) uses the city policy', () => {
    expect(q({ region: '420302', met: '500.00' }).fund).toBe('80.00');
  });

  it('account not used: all of the personal part is cash', () => {
    expect(q({ region: R, met: '500.00', balance: '1000.00', useAccount: false })).toMatchObject({ fund: '80.00', account: '0.00', cash: '20.00' });
  });
});
