import { describe, expect, test } from 'vitest';
import { checkLineTraceCodes, isTraceCode } from '../../../core/checkout/trace-code';
import { addDays, checkPrescription, daysBetween, type Institution } from '../../../core/checkout/prescription';
import { checkProvisionalRisk, DEFAULT_RISK_LIMITS } from '../../../core/checkout/risk';
import { decimal, ZERO } from '../../../core/money/money';

const hospital: Institution = { code: 'H42030000003', name: '培训三级医院', region: '420300', level: 3, priceClass: 1, designated: true };
const rx = { issuerCode: hospital.code, rxNo: 'RX1', issuedOn: '2023-03-13', prescriber: '王医生', items: ['X1'] };

describe('prescription checks', () => {
  test('valid within the window, the issue day counting as day one', () => {
    const c = checkPrescription(rx, hospital, '2023-03-15', 3);
    expect(c).toMatchObject({ valid: true, validUntil: '2023-03-15', problems: [] });
  });
  test('expired the day after the window', () => {
    const c = checkPrescription(rx, hospital, '2023-03-16', 3);
    expect(c.valid).toBe(false);
    expect(c.problems.map((p) => p.code)).toEqual(['RX_EXPIRED']);
    expect(c.problems[0]!.message).toContain('2023-03-15');
  });
  test('a date in the future, an unknown or non-designated issuer are refused with reasons', () => {
    expect(checkPrescription({ ...rx, issuedOn: '2023-03-20' }, hospital, '2023-03-15', 3).problems.map((p) => p.code)).toEqual(['RX_DATE_IN_FUTURE']);
    expect(checkPrescription(rx, undefined, '2023-03-15', 3).problems.map((p) => p.code)).toEqual(['RX_ISSUER_UNKNOWN']);
    expect(checkPrescription(rx, { ...hospital, designated: false }, '2023-03-15', 3).problems.map((p) => p.code)).toEqual(['RX_ISSUER_NOT_DESIGNATED']);
  });
  test('calendar arithmetic crosses months and leap days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(addDays('2023-12-30', 3)).toBe('2024-01-02');
  });
});

describe('traceability codes', () => {
  test('20 digits starting with 8', () => {
    expect(isTraceCode('81234567890123456789')).toBe(true);
    for (const bad of ['71234567890123456789', '8123456789012345678', '812345678901234567890', '8123456789012345678a']) expect(isTraceCode(bad)).toBe(false);
  });
  test('one code per box; duplicates and codes already sold are refused; split packs may reuse', () => {
    const seen = new Set<string>();
    const sold = new Set(['80000000000000000002']);
    expect(checkLineTraceCodes({ sku: 'A', qty: '2', split: false, traceCodes: ['80000000000000000001', '80000000000000000001'] }, (c) => sold.has(c), seen).map((p) => p.code))
      .toEqual(['TRACE_CODE_DUPLICATE']);
    expect(checkLineTraceCodes({ sku: 'B', qty: '1', split: false, traceCodes: ['80000000000000000002'] }, (c) => sold.has(c), new Set()).map((p) => p.code))
      .toEqual(['TRACE_CODE_ALREADY_SOLD']);
    expect(checkLineTraceCodes({ sku: 'C', qty: '3', split: false, traceCodes: ['80000000000000000003'] }, () => false, new Set()).map((p) => p.code))
      .toEqual(['TRACE_CODE_COUNT']);
    expect(checkLineTraceCodes({ sku: 'D', qty: '0.5', split: true, traceCodes: ['80000000000000000002'] }, (c) => sold.has(c), new Set())).toEqual([]);
  });
});

describe('provisional risk limits', () => {
  const usage = { dayFund: ZERO, personSalesToday: 0, personDataAgeDays: 1 };
  test('within every limit', () => {
    expect(checkProvisionalRisk(decimal('200.00'), DEFAULT_RISK_LIMITS, usage)).toEqual([]);
  });
  test('each limit refuses with its own code', () => {
    expect(checkProvisionalRisk(decimal('200.01'), DEFAULT_RISK_LIMITS, usage).map((r) => r.code)).toEqual(['RISK_PER_SALE']);
    expect(checkProvisionalRisk(decimal('10'), DEFAULT_RISK_LIMITS, { ...usage, dayFund: decimal('1995') }).map((r) => r.code)).toEqual(['RISK_PER_DAY']);
    expect(checkProvisionalRisk(decimal('10'), DEFAULT_RISK_LIMITS, { ...usage, personSalesToday: 1 }).map((r) => r.code)).toEqual(['RISK_PER_PERSON']);
    expect(checkProvisionalRisk(decimal('10'), DEFAULT_RISK_LIMITS, { ...usage, personDataAgeDays: 31 }).map((r) => r.code)).toEqual(['RISK_STALE_PERSON']);
  });
});
