// 追溯码 and 进销存 sales reporting (3505/3506): the manager's per-day view, retries, a code's
// store-wide state, and the 执业药师 set per operator.
import { z } from 'zod';
import { DateText } from './common';

export const REPORT_ROW_STATES = ['queued', 'sending', 'accepted', 'rejected', 'void'] as const;
export const ReportRowState = z.enum(REPORT_ROW_STATES);

export const ReportRowView = z.object({
  id: z.number().int(),
  saleId: z.string(),
  kind: z.enum(['sale', 'return']),
  /** The row's key at the platform (fixmedins_bchno). */
  bchno: z.string(),
  businessDate: z.string(),
  catalogueCode: z.string(),
  name: z.string(),
  qty: z.string(),
  boxes: z.number().int(),
  state: ReportRowState,
  sends: z.number().int(),
  /** Why it was refused or is waiting (the platform's message when it gave one). */
  note: z.string(),
  updatedAt: z.string(),
  /** Waiting for the settlement to be confirmed by the centre (offline sales). */
  waitingForSettlement: z.boolean(),
});
export type ReportRowView = z.infer<typeof ReportRowView>;

export const ReportDayView = z.object({
  date: z.string(),
  rows: z.record(ReportRowState, z.number().int()),
  boxes: z.object({ reported: z.number().int(), waiting: z.number().int(), rejected: z.number().int() }),
  /** Only true when nothing of the day waits and nothing was refused. */
  complete: z.boolean(),
  list: z.array(ReportRowView),
});
export type ReportDayView = z.infer<typeof ReportDayView>;

export const ReportRetryRequest = z.object({
  /** The refused rows to send again; absent = every refused row of `date`. */
  ids: z.array(z.number().int().positive()).max(1000).optional(),
  date: DateText.optional(),
}).strict().refine((r) => r.ids !== undefined || r.date !== undefined, { message: 'ids or date: say which rows to retry', path: ['ids'] });

export const TRACE_CODE_TEXT = /^8\d{19}$/;
export const TraceCodeParam = z.object({ code: z.string().regex(TRACE_CODE_TEXT, 'code: 20 digits starting with 8') }).strict();

export const TraceCodeView = z.object({
  code: z.string(),
  /** unknown: never sold here; sold; split_open: a 拆零 box being sold from; returned: refunded, sellable again. */
  state: z.enum(['unknown', 'sold', 'split_open', 'returned']),
  saleId: z.string().nullable(),
  report: z.enum(['none', 'waiting', 'reported', 'rejected']),
  returnedAt: z.string().nullable(),
  /** Whether a whole-box sale of this code would be accepted at the basket now. */
  sellable: z.boolean(),
});
export type TraceCodeView = z.infer<typeof TraceCodeView>;

export const PharmacistSetting = z.object({
  name: z.string().trim().min(1, 'name: the pharmacist\'s name').max(50),
  /** 执业药师 执业资格证号 / 注册证号 (phar_prac_cert_no, char 50). */
  certNo: z.string().trim().regex(/^[0-9A-Za-z-]{1,50}$/, 'certNo: the certificate number (letters, digits or -, at most 50)'),
}).strict();
export type PharmacistSetting = z.infer<typeof PharmacistSetting>;

// ── 进销存 inventory uploads (3501–3504, 3507) ─────────────────────────────────────────────────
export const INVENTORY_UPLOAD_INFNOS = ['3501', '3502', '3503', '3504', '3507'] as const;
export const InventoryUploadInfno = z.enum(INVENTORY_UPLOAD_INFNOS);

export const InventoryUploadView = z.object({
  id: z.number().int(),
  /** The POS's own key: a repeat POST with the same key and row returns this record. */
  key: z.string(),
  infno: InventoryUploadInfno,
  name: z.string(),
  bchno: z.string(),
  businessDate: z.string(),
  origin: z.enum(['pos', 'import']),
  catalogueCode: z.string(),
  itemName: z.string(),
  state: ReportRowState,
  sends: z.number().int(),
  /** Why it was refused or is waiting (the platform's message when it gave one). */
  note: z.string(),
  updatedAt: z.string(),
  /** False when the POST repeated a stored movement. */
  created: z.boolean().optional(),
});
export type InventoryUploadView = z.infer<typeof InventoryUploadView>;

export const InventoryDayView = z.object({
  date: z.string(),
  rows: z.record(ReportRowState, z.number().int()),
  byInfno: z.record(z.string(), z.record(ReportRowState, z.number().int())),
  complete: z.boolean(),
  list: z.array(InventoryUploadView),
});
export type InventoryDayView = z.infer<typeof InventoryDayView>;

export const InventoryImportRequest = z.object({
  infno: InventoryUploadInfno,
  format: z.enum(['csv', 'xlsx']),
  /** The file: CSV as UTF-8 text, xlsx as base64. */
  content: z.string().min(1, 'content: the file is empty').max(20 * 1024 * 1024),
}).strict();
export type InventoryImportRequest = z.infer<typeof InventoryImportRequest>;

export const InventoryImportResult = z.object({
  infno: InventoryUploadInfno,
  rows: z.number().int(),
  created: z.number().int(),
  repeated: z.number().int(),
});
export type InventoryImportResult = z.infer<typeof InventoryImportResult>;

export const InventoryTemplateQuery = z.object({ format: z.enum(['csv', 'xlsx']) }).strict();
