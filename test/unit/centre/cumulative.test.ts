// 5206 cuminfo → the year's deductible met and pooled fund paid (core/centre/tx/cumulative.ts).
import { describe, expect, test } from 'vitest';
import { CumulativeInput, CumulativeOutput, yearFigures } from '../../../core/centre/tx/cumulative';

const row = (cum_type_code: string, cum: string | number, extra: Partial<{ insutype: string; year: string | number; cum_ym: string }> = {}) =>
  ({ insutype: '310', year: '2026', cum_ym: '202611', cum_type_code, cum, ...extra });

describe('5206 year figures', () => {
  test('sums Q0000 and D<insutype>101 over months, for the asked insurance type and year only', () => {
    const out = CumulativeOutput.parse({ cuminfo: [
      row('Q0000', '400.00', { cum_ym: '202603' }), row('Q0000', 200, { cum_ym: '202611' }),
      row('D310101', '120.50', { cum_ym: '202603' }), row('D310101', '30.25'),
      row('D390101', '999.00', { insutype: '390' }), row('Q0000', '600.00', { year: 2025 }), row('S0000', '5000.00'), row('C0000', '3'),
    ] });
    expect(yearFigures(out, '310', 2026)).toEqual({ deductibleMet: '600.00', fundPaid: '150.75', codes: ['D310101', 'Q0000'] });
    expect(yearFigures(out, '390', 2026)).toMatchObject({ deductibleMet: '0.00', fundPaid: '999.00' });
  });

  test('med_type splits (_BIZ..) count only when the plain total is absent', () => {
    const split = CumulativeOutput.parse({ cuminfo: [row('D310101_BIZ41', '10.00'), row('D310101_BIZ11', '5.00'), row('Q0000_BIZ41', '80.00')] });
    expect(yearFigures(split, '310', 2026)).toMatchObject({ deductibleMet: '80.00', fundPaid: '15.00' });
    const both = CumulativeOutput.parse({ cuminfo: [row('D310101', '15.00'), row('D310101_BIZ41', '10.00'), row('D310101_BIZ11', '5.00')] });
    expect(yearFigures(both, '310', 2026).fundPaid).toBe('15.00');
  });

  test('bad input and replies name the field', () => {
    expect(CumulativeInput.safeParse({ data: { psn_no: 'P1', cum_ym: '2026-11' } }).error?.issues[0]?.path).toEqual(['data', 'cum_ym']);
    expect(CumulativeInput.safeParse({ data: { psn_no: 'P1' } }).success).toBe(true);
    const bad = CumulativeOutput.safeParse({ cuminfo: [row('Q0000', '12.345')] });
    expect(bad.error?.issues[0]?.path).toEqual(['cuminfo', 0, 'cum']);
    expect(CumulativeOutput.parse({}).cuminfo).toEqual([]);
  });
});
