// One inventory movement the POS (or an imported file) hands in: which upload it is (3501–3504, 3507),
// the POS's own key for it, and its row in the platform's field names (core/centre/tx/stock.ts).
// Pure: validation that names the failing field, the business day a movement belongs to, and the
// content hash a repeat under the same key must match.
import { z } from 'zod';
import { INVENTORY_INFNOS, INVENTORY_KINDS, type InventoryInfno } from '../centre/tx/stock';
import { TRACE_CODE_TEXT } from '../contracts/trace';

export const InventoryKey = z.string().regex(/^[0-9A-Za-z._:-]{1,100}$/, 'key: the POS\'s own id for this movement (letters, digits . _ : -, at most 100)');

export const InventoryMovementRequest = z.object({
  key: InventoryKey,
  infno: z.enum(INVENTORY_INFNOS),
  row: z.record(z.string(), z.unknown()),
}).strict();
export type InventoryMovementRequest = z.infer<typeof InventoryMovementRequest>;

export interface ValidMovement {
  readonly key: string;
  readonly infno: InventoryInfno;
  readonly row: Record<string, unknown>;
  readonly bchno: string;
}

export type MovementCheck = { readonly ok: true; readonly movement: ValidMovement } | { readonly ok: false; readonly field: string; readonly message: string };

/** Validates a movement's row against its kind; the first problem names its field (`row.<field>`). */
export function checkMovement(key: string, infno: InventoryInfno, row: unknown): MovementCheck {
  const parsed = INVENTORY_KINDS[infno].row.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(row)';
    const message = issue.code === 'unrecognized_keys' ? `${infno} 没有字段 ${issue.keys.join(', ')}` : issue.message;
    return { ok: false, field: issue.code === 'unrecognized_keys' ? issue.keys[0]! : field, message };
  }
  const value = parsed.data as Record<string, unknown>;
  const codes = Array.isArray(value.drugtracinfo) ? (value.drugtracinfo as Array<{ drug_trac_codg: string }>).map((c) => c.drug_trac_codg) : [];
  const bad = codes.findIndex((c) => !TRACE_CODE_TEXT.test(c));
  if (bad >= 0) return { ok: false, field: `drugtracinfo.${bad}.drug_trac_codg`, message: '追溯码应为以 8 开头的 20 位数字' };
  if (new Set(codes).size !== codes.length) return { ok: false, field: 'drugtracinfo', message: '同一行中追溯码重复' };
  return { ok: true, movement: { key, infno, row: value, bchno: String(value.fixmedins_bchno) } };
}

/** The business day of a movement (China time): its own date where the row has one, else `today`. */
export function movementDay(infno: InventoryInfno, row: Record<string, unknown>, today: string): string {
  switch (infno) {
    case '3501': return String(row.invdate);
    case '3502': return String(row.inv_chg_time).slice(0, 10);
    case '3503':
    case '3504': return String(row.purc_retn_stoin_time).slice(0, 10);
    case '3507': return today;
  }
}

/** A stable text of the row (keys sorted), so a repeat with the same content is recognised. */
export function canonicalRow(row: Record<string, unknown>): string {
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(row));
}
