// Field parsers shared by the centre's schemas. Amounts travel as strings with two decimals; a real
// centre often sends JSON numbers, which are accepted only when they read back as an exact amount
// (at most 12 integer digits and 2 decimals, so the double round-trips) and are normalised to text.
import { z } from 'zod';
import { fmt, isDecimalText, money } from '../money/money';
import { isDateTimeText, isDayText } from './time';

const AMOUNT_TEXT = /^-?\d{1,12}(\.\d{1,2})?$/;

function amountFrom(value: string | number): string | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  return AMOUNT_TEXT.test(text) ? fmt(money(text)) : null;
}

/** A money amount, string or number on the wire, "12.30" after parsing. */
export const amount = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = amountFrom(value);
  if (parsed === null) {
    ctx.issues.push({ code: 'custom', message: `not an amount with at most two decimals: ${JSON.stringify(value)}`, input: value });
    return z.NEVER;
  }
  return parsed;
});

/** An amount that may be absent or null in a reply (read as "0.00"). */
export const optionalAmount = z.union([amount, z.null()]).optional().transform((v) => v ?? '0.00');

/** A non-negative amount (for what we send). */
export const nonNegativeAmount = amount.refine((v) => !v.startsWith('-'), { message: 'must not be negative' });

/** A decimal such as a quantity, a unit price (up to 6 places) or a ratio. */
export const decimalText = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  if (!isDecimalText(text)) {
    ctx.issues.push({ code: 'custom', message: `not a decimal number: ${JSON.stringify(value)}`, input: value });
    return z.NEVER;
  }
  return text;
});

export const ratioText = decimalText.refine((v) => !v.startsWith('-') && Number(v) <= 1, { message: 'must be a ratio from 0 to 1' });

const requiredCode = (max: number) => z.union([z.string(), z.number().int()]).transform(String).pipe(z.string().min(1).max(max));
const absentAsEmptyCode = (max: number) => z.union([z.string(), z.number().int(), z.null()]).optional()
  .transform((v) => (v === null || v === undefined ? '' : String(v))).pipe(z.string().max(max));
type RequiredCode = ReturnType<typeof requiredCode>;
type AbsentAsEmptyCode = ReturnType<typeof absentAsEmptyCode>;
// One schema per length, shared by every field of that length: the transaction tables use these
// ~300 times with some 30 lengths, and each is seven zod schemas built at start-up. Sharing is
// safe because a zod schema is immutable (every method returns a new one).
const requiredCodes = new Map<number, RequiredCode>();
const absentAsEmptyCodes = new Map<number, AbsentAsEmptyCode>();

/** A code or text field of at most `max` characters; numbers are accepted and read as text. */
export const code = (max: number): RequiredCode => {
  let schema = requiredCodes.get(max);
  if (!schema) requiredCodes.set(max, schema = requiredCode(max));
  return schema;
};
/** The same, optional: absent or null reads as ''. */
export const optionalCode = (max: number): AbsentAsEmptyCode => {
  let schema = absentAsEmptyCodes.get(max);
  if (!schema) absentAsEmptyCodes.set(max, schema = absentAsEmptyCode(max));
  return schema;
};

export const flag01 = z.union([z.literal('0'), z.literal('1'), z.literal(0), z.literal(1)]).transform((v) => String(v) as '0' | '1');
export const admdvs = z.string().regex(/^\d{6}$/, 'must be a 6-digit administrative division code');
export const dateTimeText = z.string().refine(isDateTimeText, { message: 'must be yyyy-MM-dd HH:mm:ss' });
export const dayText = z.string().refine(isDayText, { message: 'must be yyyy-MM-dd' });

/** Names each failing field, e.g. "output.setlinfo.hifp_pay: not an amount …". */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${issue.message}`;
  }).join('; ');
}
