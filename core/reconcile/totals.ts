// Counts and amounts of a set of settlements, kept as decimals while summing and serialised with
// two decimals only at the edge (the screen, the export and the 3201 request all use `totalsView`).
import { type Totals as TotalsView } from '../contracts/reconciliation';
import { Dec, fmt, money, type Money, ZERO } from '../money/money';

export interface Amounts {
  readonly medfee: Money;
  readonly fund: Money;
  readonly account: Money;
  readonly cash: Money;
}

export interface Totals extends Amounts {
  readonly count: number;
}

export const NO_AMOUNTS: Amounts = { medfee: ZERO, fund: ZERO, account: ZERO, cash: ZERO };
export const NO_TOTALS: Totals = { count: 0, ...NO_AMOUNTS };

export const PARTS = ['medfee', 'fund', 'account', 'cash'] as const;

export function amountsOf(text: { medfee: string; fund: string; account: string; cash: string }): Amounts {
  return { medfee: money(text.medfee), fund: money(text.fund), account: money(text.account), cash: money(text.cash) };
}

export function addTotals(a: Totals, b: Totals): Totals {
  return { count: a.count + b.count, medfee: a.medfee.plus(b.medfee), fund: a.fund.plus(b.fund), account: a.account.plus(b.account), cash: a.cash.plus(b.cash) };
}

export function subtractTotals(a: Totals, b: Totals): Totals {
  return addTotals(a, negateTotals(b));
}

export function negateTotals(t: Totals): Totals {
  return { count: -t.count, medfee: t.medfee.negated(), fund: t.fund.negated(), account: t.account.negated(), cash: t.cash.negated() };
}

export function sumTotals(items: Iterable<Totals>): Totals {
  let total = NO_TOTALS;
  for (const t of items) total = addTotals(total, t);
  return total;
}

export function isZeroTotals(t: Totals): boolean {
  return t.count === 0 && PARTS.every((p) => t[p].isZero());
}

export function sameTotals(a: Totals, b: Totals): boolean {
  return a.count === b.count && PARTS.every((p) => a[p].equals(b[p]));
}

export function totalsView(t: Totals): TotalsView {
  return { count: t.count, medfee: fmt(t.medfee), fund: fmt(t.fund), account: fmt(t.account), cash: fmt(t.cash) };
}

export function totalsFromView(v: TotalsView): Totals {
  return { count: v.count, ...amountsOf(v) };
}

/** medfee − fund − account: the patient's cash share when the centre reports no cash figure. */
export function cashOf(medfee: Money, fund: Money, account: Money): Money {
  return new Dec(medfee).minus(fund).minus(account);
}
