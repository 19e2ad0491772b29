// The co-pay quote contract: what `npm run quote -- FILE` reads and prints, and what the engine
// (core/copay/engine.ts) takes and returns. Amounts are strings at this boundary, never JS numbers.
// Every object is strict so a misspelt field is named in the error instead of silently ignored.
import { z } from 'zod';

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date "YYYY-MM-DD" that exists (2023-02-29 does not). */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

export const DateText = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');
/** A non-negative amount with at most two decimals, e.g. "1000", "12.30". */
export const AmountText = z.string().regex(AMOUNT, 'must be a non-negative amount string with at most two decimals, e.g. "12.30"');
/** A non-negative decimal with at most six decimals (quantities, unit prices, limits). */
export const DecimalText = z.string().regex(DECIMAL, 'must be a non-negative decimal string, e.g. "2" or "12.345"');
const PositiveDecimalText = DecimalText.refine((t) => !/^0+(\.0+)?$/.test(t), 'must be greater than zero');
/** A ratio string between 0 and 1 inclusive, e.g. "0.10". */
export const RatioText = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'must be a ratio string between 0 and 1, e.g. "0.10"');

export const ListClass = z.enum(['A', 'B', 'C']); // 甲 / 乙 / 丙
export const ItemKind = z.enum(['drug', 'device', 'consumable', 'other']); // other = non-medical goods
export const PersonStatus = z.enum(['active', 'retired']);
export const Tier = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const QuoteLine = z.strictObject({
  code: z.string().min(1, 'must not be empty'),
  qty: PositiveDecimalText,
  price: DecimalText,
  listClass: ListClass,
  /** 乙类 先自付 ratio; ignored for 甲/丙 and non-medical goods; absent = 0. */
  selfPayRatio: RatioText.optional(),
  /** 支付标准 / price limit per unit; the part of the price above it is over-limit self-pay. */
  limitPrice: DecimalText.optional(),
  kind: ItemKind.default('drug'),
});

export const QuoteInput = z.strictObject({
  /** The insured person's region (参保地), six digits. */
  region: z.string().regex(/^\d{6}$/, 'must be a six-digit region code'),
  date: DateText,
  person: z.strictObject({
    status: PersonStatus,
    /** The date retirement was completed (南昌: retired rates from the following month). */
    retiredOn: DateText.optional(),
    hospitalized: z.boolean().default(false),
    suspended: z.boolean().default(false),
  }),
  /** Running totals for the calendar year before this purchase. */
  year: z.strictObject({ deductibleMet: AmountText, fundPaid: AmountText }),
  account: z.strictObject({ balance: AmountText, use: z.boolean() }),
  /** The external prescription (外配处方); null = none. */
  prescription: z.strictObject({
    /** 1 = 一级 (and below), 2 = 二级, 3 = 三级. */
    issuerLevel: Tier,
    /** 1 = 一类, 2 = 二类, 3 = 三类 (山西 pays by this). */
    issuerPriceClass: Tier.optional(),
    /** Whether the issuer is a designated (定点) institution; absent = the caller checked it is. */
    issuerDesignated: z.boolean().default(true),
  }).nullable(),
  lines: z.array(QuoteLine).min(1, 'must hold at least one line'),
});
export type QuoteInput = z.input<typeof QuoteInput>;
export type ParsedQuoteInput = z.output<typeof QuoteInput>;
export type QuoteLine = z.output<typeof QuoteLine>;

export const ReasonCode = z.enum([
  'NO_PRESCRIPTION', 'HOSPITALIZED', 'SUSPENDED', 'NOT_IN_FORCE', 'PARAMETER_UNKNOWN', 'REGION_UNKNOWN', 'CAP_REACHED',
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

const OutAmount = z.string().regex(/^\d+\.\d{2}$/, 'must be an amount with exactly two decimals');

export const QuoteResult = z.strictObject({
  total: OutAmount,
  /** 丙类 and non-medical goods. */
  fullSelfPay: OutAmount,
  overLimit: OutAmount,
  /** 乙类 先自付. */
  preSelfPay: OutAmount,
  inScope: OutAmount,
  deductible: OutAmount,
  /** The pooled-fund ratio applied, "0.00" when no fund applies. */
  ratio: z.string().regex(/^(0\.\d{2}|1\.00)$/),
  fund: OutAmount,
  account: OutAmount,
  cash: OutAmount,
  /** Running totals after this purchase. */
  year: z.strictObject({ deductibleMet: OutAmount, fundPaid: OutAmount }),
  reasons: z.array(ReasonCode),
  /** One Chinese sentence per step, with its amount and source article, fit to show a cashier. */
  explain: z.array(z.string()),
});
export type QuoteResult = z.infer<typeof QuoteResult>;

/** "lines.0.qty: must be …" — the offending field first, for CLI stderr and API errors. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ');
}
