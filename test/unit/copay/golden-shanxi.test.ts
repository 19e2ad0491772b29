// 山西 14xxxx, 晋医保发〔2022〕12号 (forwarded by 晋城 晋市医保发〔2022〕20号), worked by hand.
import { describe, expect, it } from 'vitest';
import { drugA, q } from './build';

const R = '140500'; // 晋城; every 14xxxx code uses the provincial measure
const D = '2023-05-10';
const basket = [drugA('2', '100.00')];

describe('山西 晋医保发〔2022〕12号', () => {
  it.each([
    [1, 'active', '80.00', '0.50', '60.00'],
    [2, 'active', '50.00', '0.55', '82.50'],
    [3, 'active', '30.00', '0.60', '102.00'],
    [1, 'retired', '80.00', '0.55', '66.00'],
    [2, 'retired', '50.00', '0.60', '90.00'],
    [3, 'retired', '30.00', '0.65', '110.50'],
  ] as const)('第八条/第九条: 价格类别 %i, %s — per-visit deductible %s, ratio %s, fund %s on 200.00', (priceClass, status, deductible, ratio, fund) => {
    const r = q({ region: R, date: D, status, level: 2, priceClass, lines: basket });
    expect(r).toMatchObject({ inScope: '200.00', deductible, ratio, fund, reasons: [] });
  });

  it('第八条: the deductible is per visit — applies again however much was met this year', () => {
    const r = q({ region: R, date: D, level: 3, priceClass: 1, met: '800.00', lines: basket });
    expect(r).toMatchObject({ deductible: '80.00', fund: '60.00' });
    expect(r.year.deductibleMet).toBe('880.00');
    expect(r.explain).toContain('起付标准：每次 80.00 元，本次扣除 80.00 元（晋医保发〔2022〕12号 第八条）');
  });

  it('第八条: a visit under the per-visit deductible pays no fund', () => {
    expect(q({ region: R, date: D, level: 3, priceClass: 1, lines: [drugA('1', '20.00')] })).toMatchObject({ deductible: '20.00', fund: '0.00' });
  });

  it.each([
    [3, '80.00', '0.50'], [2, '50.00', '0.55'], [1, '30.00', '0.60'],
  ] as const)('第九条 + issue rule: no price class, issuer level %i counts as class 4 − level', (level, deductible, ratio) => {
    const r = q({ region: R, date: D, level, lines: basket });
    expect(r).toMatchObject({ deductible, ratio });
    expect(r.explain.some((l) => l.includes('处方未注明收费类别'))).toBe(true);
  });

  it('第九条: the price class wins over the level when both are given', () => {
    expect(q({ region: R, date: D, level: 3, priceClass: 3, lines: basket })).toMatchObject({ deductible: '30.00', ratio: '0.60' });
  });

  it('第八条: caps 1800 active / 2000 retired', () => {
    const lines = [drugA('1', '130.00')];
    expect(q({ region: R, date: D, level: 1, priceClass: 3, paid: '1790.00', lines })).toMatchObject({ fund: '10.00', reasons: ['CAP_REACHED'] });
    expect(q({ region: R, date: D, status: 'retired', level: 1, priceClass: 3, paid: '1790.00', lines })).toMatchObject({ fund: '65.00', reasons: [] });
  });

  it('第十条: in hospital (or 家庭病床) pays no fund', () => {
    const r = q({ region: R, date: D, hospitalized: true, lines: basket });
    expect(r).toMatchObject({ fund: '0.00', reasons: ['HOSPITALIZED'] });
    expect(r.explain.some((l) => l.includes('晋医保发〔2022〕12号 第十条'))).toBe(true);
  });

  it.each([
    ['2022-12-31', ['NOT_IN_FORCE']], ['2023-01-01', []], ['2027-12-31', []], ['2028-01-01', ['NOT_IN_FORCE']],
  ])('第二十一条: from 2023-01-01, valid 5 years — %s gives %j', (date, reasons) => {
    expect(q({ region: R, date, lines: basket }).reasons).toEqual(reasons);
  });

  it('other codes of the province (太原 140100) use it too; 河北 130100 is REGION_UNKNOWN', () => {
    expect(q({ region: '140100', date: D, level: 1, priceClass: 3, lines: basket }).fund).toBe('102.00');
    const hebei = q({ region: '130100', date: D, lines: basket });
    expect(hebei).toMatchObject({ fund: '0.00', reasons: ['REGION_UNKNOWN'] });
    expect(hebei.explain[0]).toContain('没有该地区的政策包');
  });

  it('乙类 device with limit, 丙类 and non-medical goods in one basket, account short', () => {
    const r = q({ region: R, date: D, level: 2, priceClass: 2, balance: '100.00', lines: [
      { code: 'V', qty: '1', price: '95.00', listClass: 'B', selfPayRatio: '0.20', limitPrice: '80.00', kind: 'device' },
      { code: 'C', qty: '2', price: '12.50', listClass: 'C' },
      { code: 'O', qty: '1', price: '9.90', listClass: 'C', kind: 'other' },
      drugA('1', '120.00'),
    ] });
    // device: over 15.00, 先自付 80 × 20% = 16.00, in scope 64.00; 甲 120.00 → in scope 184.00
    // deductible 50 (二类), fund (184 − 50) × 55% = 73.70; personal 249.90 − 73.70 = 176.20; account min(100, 176.20 − 9.90)
    expect(r).toMatchObject({ total: '249.90', overLimit: '15.00', preSelfPay: '16.00', fullSelfPay: '34.90', inScope: '184.00',
      deductible: '50.00', fund: '73.70', account: '100.00', cash: '76.20' });
  });

  it('no prescription, or a non-designated issuer (第十条(二)): no fund, no per-visit deductible counted', () => {
    expect(q({ region: R, date: D, level: null, lines: basket })).toMatchObject({ deductible: '0.00', fund: '0.00', reasons: ['NO_PRESCRIPTION'] });
    const r = q({ region: R, date: D, level: 2, designated: false, lines: basket });
    expect(r).toMatchObject({ fund: '0.00', reasons: ['NO_PRESCRIPTION'] });
    expect(r.explain.some((l) => l.includes('不是定点医疗机构') && l.includes('第十条第（二）项'))).toBe(true);
  });
});
