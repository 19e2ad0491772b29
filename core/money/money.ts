// Money is decimal.js end to end. Amounts cross every boundary as strings with two decimals.
import Decimal from 'decimal.js';

/** A private Decimal constructor so nobody's global precision setting can change our arithmetic. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 30 });
export type Money = Decimal;

export const ZERO: Money = new Dec(0);

const AMOUNT = /^-?\d{1,12}(\.\d{1,2})?$/;
const DECIMAL = /^-?\d{1,12}(\.\d{1,6})?$/;

/** Parse a money string such as "12.30" (at most two decimals). Throws on anything else. */
export function money(text: string): Money {
  if (!AMOUNT.test(text)) throw new Error(`not an amount with at most two decimals: ${JSON.stringify(text)}`);
  return new Dec(text);
}

/** Parse a plain decimal (quantities, prices with more places, ratios). */
export function decimal(text: string): Decimal {
  if (!DECIMAL.test(text)) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
  return new Dec(text);
}

export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

/** Round half-up to the cent. */
export function round2(value: Decimal): Money {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Serialise as a string with exactly two decimals, never "-0.00". */
export function fmt(value: Decimal): string {
  const rounded = round2(value);
  return rounded.isZero() ? '0.00' : rounded.toFixed(2);
}

export function min(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return a.greaterThan(b) ? a : b;
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total: Decimal = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
