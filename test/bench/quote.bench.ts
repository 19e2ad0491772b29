// Quote benchmark: a 20-line basket quoted in-process, against the same arithmetic done bare with
// decimal.js (no validation, no policy lookup, no explanation) in the same run.
import { QuoteInput } from '../../core/copay/contract';
import { quote, quoteParsed } from '../../core/copay/engine';
import { Dec } from '../../core/money/money';
import { embeddedPackages } from '../../core/policy/embedded';
import { timeMedian, type BenchSuite } from './harness';

const classes = ['A', 'B', 'B', 'C'] as const;
/** 20 lines: 甲, 乙 with and without limits, 丙, and one non-medical item. */
export const basket: QuoteInput['lines'] = Array.from({ length: 20 }, (_, i) => ({
  code: `L${i}`,
  qty: String(1 + (i % 3)),
  price: `${10 + i * 7}.${String((i * 37) % 100).padStart(2, '0')}`,
  listClass: classes[i % 4]!,
  ...(i % 4 === 1 || i % 4 === 2 ? { selfPayRatio: '0.10' } : {}),
  ...(i % 4 === 2 || i % 5 === 0 ? { limitPrice: `${10 + i * 6}.00` } : {}),
  kind: i === 19 ? 'other' as const : 'drug' as const,
}));

export const benchInput: QuoteInput = {
  region: '420300', date: '2023-06-15',
  person: { status: 'retired', hospitalized: false, suspended: false },
  year: { deductibleMet: '320.00', fundPaid: '2900.00' },
  account: { balance: '150.00', use: true },
  prescription: { issuerLevel: 2 },
  lines: basket,
};

/** The same arithmetic with nothing around it: the floor any implementation pays for decimal.js. */
export function bareQuote(): string {
  let total = new Dec(0); let full = new Dec(0); let over = new Dec(0); let pre = new Dec(0); let other = new Dec(0);
  for (const l of basket) {
    const qty = new Dec(l.qty); const price = new Dec(l.price);
    const amount = qty.times(price).toDecimalPlaces(2);
    total = total.plus(amount);
    if (l.listClass === 'C' || l.kind === 'other') { full = full.plus(amount); if (l.kind === 'other') other = other.plus(amount); continue; }
    const limit = l.limitPrice ? new Dec(l.limitPrice) : undefined;
    const o = limit && price.greaterThan(limit) ? qty.times(price.minus(limit)).toDecimalPlaces(2) : new Dec(0);
    over = over.plus(o);
    if (l.listClass === 'B') pre = pre.plus(qty.times(limit && limit.lessThan(price) ? limit : price).times(l.selfPayRatio ?? '0').toDecimalPlaces(2));
  }
  const inScope = total.minus(full).minus(over).minus(pre);
  const ded = Dec.min(inScope, Dec.max(0, new Dec(500).minus('320.00')));
  const fund = Dec.min(inScope.minus(ded).times('0.75').toDecimalPlaces(2), Dec.max(0, new Dec(3000).minus('2900.00')));
  const account = Dec.min(new Dec('150.00'), total.minus(fund).minus(other));
  return total.minus(fund).minus(account).toFixed(2);
}

export const suite: BenchSuite = {
  name: 'quote',
  async run() {
    const packages = embeddedPackages();
    const parsed = QuoteInput.parse(benchInput);
    // Same arithmetic, or the ratio means nothing.
    const cash = quote(benchInput, packages).cash;
    if (bareQuote() !== cash) throw new Error(`baseline disagrees with the engine: ${bareQuote()} vs ${cash}`);
    const options = { samples: 40, batch: 200, warmup: 3 };
    const bare = await timeMedian(bareQuote, options);
    const full = await timeMedian(() => quote(benchInput, packages), options);
    const engine = await timeMedian(() => quoteParsed(parsed, packages), options);
    return [
      { name: 'quote(), 20-line basket (validate + policy + explain)', unit: 'µs', median: full * 1000, baselineName: 'bare decimal.js, same arithmetic', baseline: bare * 1000,
        note: 'per quote, in-process; a cashier notices nothing under a millisecond' },
      { name: 'quoteParsed(), 20-line basket (already validated)', unit: 'µs', median: engine * 1000, baselineName: 'bare decimal.js, same arithmetic', baseline: bare * 1000 },
    ];
  },
};
