// fast-check generators for valid quote inputs (amount strings, baskets, people, prescriptions).
import fc from 'fast-check';
import { type QuoteInput } from '../../../core/copay/contract';

/** An amount string with two decimals between 0 and max yuan. */
export const amount = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max: max * 100 }).map(cents);
export const cents = (n: number): string => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

const ratio = fc.integer({ min: 0, max: 100 }).map((n) => (n === 100 ? '1' : `0.${String(n).padStart(2, '0')}`));
const qty = fc.oneof(fc.integer({ min: 1, max: 20 }).map(String), fc.integer({ min: 1, max: 999 }).map((n) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`).filter((t) => t !== '0.00'));
const price = fc.oneof(amount(500).filter((t) => t !== '0.00'), fc.integer({ min: 1, max: 99999 }).map((n) => `${Math.floor(n / 1000)}.${String(n % 1000).padStart(3, '0')}`));

export const line: fc.Arbitrary<QuoteInput['lines'][number]> = fc.record({
  code: fc.constantFrom('X1', 'X2', 'X3'),
  qty,
  price,
  listClass: fc.constantFrom('A', 'B', 'C'),
  selfPayRatio: fc.option(ratio, { nil: undefined }),
  limitPrice: fc.option(price, { nil: undefined }),
  kind: fc.constantFrom('drug', 'device', 'consumable', 'other'),
}, { requiredKeys: ['code', 'qty', 'price', 'listClass'] });

const tier = fc.constantFrom(1 as const, 2 as const, 3 as const);
const day = fc.integer({ min: 0, max: 364 }).map((n) => new Date(Date.UTC(2023, 0, 1 + n)).toISOString().slice(0, 10));

/** Mostly false, so that most generated purchases reach the fund step. */
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, { arbitrary: fc.constant(true), weight: 1 });

export interface InputOptions {
  lines?: fc.Arbitrary<QuoteInput['lines']>;
  /** Every gate open: a designated prescription, not in hospital, not suspended. */
  eligible?: boolean;
}

export const quoteInput = (regions: readonly string[], options: InputOptions = {}): fc.Arbitrary<QuoteInput> => fc.record({
  region: fc.constantFrom(...regions),
  date: day,
  person: fc.record({
    status: fc.constantFrom('active' as const, 'retired' as const),
    retiredOn: fc.option(day, { nil: undefined }),
    hospitalized: options.eligible ? fc.constant(false) : rarely,
    suspended: options.eligible ? fc.constant(false) : rarely,
  }, { requiredKeys: ['status'] }),
  year: fc.record({ deductibleMet: amount(700), fundPaid: amount(3200) }),
  account: fc.record({ balance: amount(2000), use: fc.boolean() }),
  prescription: fc.option(fc.record({
    issuerLevel: tier,
    issuerPriceClass: fc.option(tier, { nil: undefined }),
    issuerDesignated: options.eligible ? fc.constant(true) : rarely.map((b) => !b),
  }, { requiredKeys: ['issuerLevel'] }), { nil: null, freq: options.eligible ? Number.MAX_SAFE_INTEGER : 6 }),
  lines: options.lines ?? fc.array(line, { minLength: 1, maxLength: 20 }),
});
