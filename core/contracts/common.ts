// Shared pieces of the local API contract.
import { z } from 'zod';

/** Money on the wire: a string with exactly two decimals (never a JSON number). */
export const Amount = z.string().regex(/^-?\d{1,12}\.\d{2}$/, 'an amount is a string with two decimals, e.g. "12.30"');
/** A non-negative money input: at most two decimals. */
export const AmountInput = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'a non-negative amount with at most two decimals, e.g. "12.3"');
export const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}, 'not a real calendar date');

/** headoffice (总部): a chain's head office, over the store ledger (every store's days, publications). */
export const Role = z.enum(['cashier', 'manager', 'technician', 'headoffice']);
export type Role = z.infer<typeof Role>;
export const ROLE_LABELS: Record<Role, string> = { cashier: '收银员', manager: '店长', technician: '技术员', headoffice: '总部' };

export const ErrorResponse = z.object({
  error: z.string(),
  message: z.string(),
  /** The offending field, dotted (e.g. "lines.0.qty"), when the error is about one. */
  field: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;
