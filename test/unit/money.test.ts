import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decimal, fmt, money, round2, sum } from '../../core/money/money';

describe('money', () => {
  test('parses amounts with at most two decimals', () => {
    expect(fmt(money('12.3'))).toBe('12.30');
    expect(fmt(money('0'))).toBe('0.00');
    for (const bad of ['1.234', '', 'abc', '1e3', '١٢', ' 1', '1.']) expect(() => money(bad)).toThrow(/not an amount/);
  });

  test('rounds half-up to the cent, never to a negative zero', () => {
    expect(fmt(decimal('2.345'))).toBe('2.35');
    expect(fmt(decimal('2.344999'))).toBe('2.34');
    expect(fmt(decimal('-0.004'))).toBe('0.00');
    expect(round2(decimal('0.125')).toString()).toBe('0.13');
  });

  test('adding cents is exact where binary floating point is not', () => {
    expect(fmt(sum([money('0.10'), money('0.20')]))).toBe('0.30');
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 50 }), (cents) => {
      const total = sum(cents.map((c) => money((c / 100).toFixed(2))));
      expect(fmt(total)).toBe((cents.reduce((a, b) => a + b, 0) / 100).toFixed(2));
    }));
  });

  test('formatted amounts always have exactly two decimals', () => {
    fc.assert(fc.property(fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }), fc.integer({ min: 0, max: 6 }), (units, places) => {
      const text = fmt(decimal((units / 10 ** places).toFixed(places)));
      expect(text).toMatch(/^-?\d+\.\d{2}$/);
    }));
  });
});
