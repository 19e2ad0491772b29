// 重庆 500000 (渝府办发〔2022〕16号 publishes no numbers) and 楚雄 532300 (楚政规〔2022〕2号, our text
// truncated): a quote that needs an unknown parameter pays no fund and says PARAMETER_UNKNOWN.
import { describe, expect, it } from 'vitest';
import { drugA, q } from './build';

describe('重庆 渝府办发〔2022〕16号: nothing published', () => {
  it('二（二）1: deductible, ratio (only a floor "不低于50%") and cap unknown → PARAMETER_UNKNOWN, no fund', () => {
    const r = q({ region: '500000', level: 1, balance: '1000.00', lines: [drugA('2', '300.00')] });
    expect(r).toMatchObject({ inScope: '600.00', deductible: '0.00', ratio: '0.00', fund: '0.00', account: '600.00', cash: '0.00', reasons: ['PARAMETER_UNKNOWN'] });
    const unknowns = r.explain.filter((l) => l.startsWith('参数未知'));
    expect(unknowns.some((l) => l.includes('施行日期'))).toBe(true);
    expect(unknowns.some((l) => l.includes('年度起付标准（在职）'))).toBe(true);
    expect(unknowns.some((l) => l.includes('支付比例（在职，一级（及以下））') && l.includes('不低于50%'))).toBe(true);
    expect(unknowns.some((l) => l.includes('年度最高支付限额（在职）'))).toBe(true);
  });

  it('an unknown effective date is never NOT_IN_FORCE, even for a date long ago', () => {
    expect(q({ region: '500103', date: '2001-01-01' }).reasons).toEqual(['PARAMETER_UNKNOWN']);
  });

  it('gates still report alongside: no prescription and unknown parameters', () => {
    expect(q({ region: '500000', level: null }).reasons).toEqual(['NO_PRESCRIPTION', 'PARAMETER_UNKNOWN']);
  });
});

describe('楚雄 楚政规〔2022〕2号: truncated text', () => {
  it('第十三条: per-visit deductible truncated → PARAMETER_UNKNOWN even at 一级 where the ratio (60%) is known', () => {
    const r = q({ region: '532300', level: 1, lines: [drugA('1', '500.00')] });
    expect(r).toMatchObject({ fund: '0.00', reasons: ['PARAMETER_UNKNOWN'] });
    expect(r.explain.some((l) => l.includes('每次起付标准（在职，一级（及以下））') && l.includes('第十三条'))).toBe(true);
    expect(r.explain.some((l) => l.includes('支付比例（在职，一级'))).toBe(false);
  });

  it('第十三条: the tier-3 ratio is truncated ("三级定…") and named as unknown', () => {
    const r = q({ region: '532301', level: 3 });
    expect(r.explain.some((l) => l.includes('支付比例（在职，三级）'))).toBe(true);
  });

  it('retired: ratio and cap are unknown in our text', () => {
    const r = q({ region: '532300', status: 'retired', level: 2 });
    expect(r.explain.some((l) => l.includes('支付比例（退休，二级）'))).toBe(true);
    expect(r.explain.some((l) => l.includes('年度最高支付限额（退休）'))).toBe(true);
  });

  it('the effective date is unknown: PARAMETER_UNKNOWN, not NOT_IN_FORCE', () => {
    const r = q({ region: '532300', date: '2022-01-01' });
    expect(r.reasons).toEqual(['PARAMETER_UNKNOWN']);
    expect(r.explain.some((l) => l.startsWith('参数未知：施行日期'))).toBe(true);
  });
});
