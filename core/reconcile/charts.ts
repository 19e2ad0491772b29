// Chart data: fund vs personal account vs cash, confirmed (the centre's amounts) vs provisional
// (the store's offline estimates not yet confirmed). Amounts as two-decimal strings.
import { type DayChart } from '../contracts/reconciliation';
import { fmt, money } from '../money/money';
import { type LedgerEntry } from './ledger';
import { sumTotals } from './totals';

export type ChartParts = DayChart['parts'];

export function chartParts(entries: ReadonlyArray<Pick<LedgerEntry, 'status' | 'totals'>>): ChartParts {
  const part = (status: LedgerEntry['status']) => {
    const t = sumTotals(entries.filter((e) => e.status === status).map((e) => e.totals));
    return { fund: fmt(t.fund), account: fmt(t.account), cash: fmt(t.cash) };
  };
  return { confirmed: part('confirmed'), provisional: part('provisional') };
}

export function sumChartParts(parts: readonly ChartParts[]): ChartParts {
  const add = (status: 'confirmed' | 'provisional', k: 'fund' | 'account' | 'cash'): string =>
    fmt(parts.reduce((acc, p) => acc.plus(money(p[status][k])), money('0')));
  return {
    confirmed: { fund: add('confirmed', 'fund'), account: add('confirmed', 'account'), cash: add('confirmed', 'cash') },
    provisional: { fund: add('provisional', 'fund'), account: add('provisional', 'account'), cash: add('provisional', 'cash') },
  };
}
