// 追溯码 and 进销存 sales reporting (3505/3506): the manager's per-day view, retries, a code's
// store-wide state, and the 执业药师 set per operator.
import { z } from 'zod';
import { isResidentIdNumber } from '../card/resident-id';
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

// ── e-prescription write-offs (7206) for the manager ─────────────────────────────────────────
/** A write-off's state as the manager sees it: the row states, plus `held` (waiting for OUR data: not retried on a timer). */
export const WriteOffState = z.enum(['queued', 'sending', 'accepted', 'rejected', 'void', 'held']);
export const WriteOffView = z.object({
  id: z.number().int(),
  saleId: z.string(),
  hiRxno: z.string(),
  businessDate: z.string(),
  state: WriteOffState,
  /** Held: the fields it waits for (e.g. `pharmacist`, `selinfo.drug_dosform`). */
  heldFor: z.string().nullable(),
  sends: z.number().int(),
  note: z.string(),
  refunded: z.boolean(),
  waitingForSettlement: z.boolean(),
  log: z.array(z.object({ at: z.string(), from: z.string(), to: z.string(), event: z.string(), detail: z.string() })),
});
export type WriteOffView = z.infer<typeof WriteOffView>;

export const WriteOffRetryRequest = z.object({
  /** The refused or held write-offs to send again; absent = every refused or held one of `date`. */
  ids: z.array(z.number().int().positive()).max(1000).optional(),
  date: DateText.optional(),
}).strict().refine((r) => r.ids !== undefined || r.date !== undefined, { message: 'ids or date: say which write-offs to retry', path: ['ids'] });

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

/**
 * 药师证件类型 (phar_cert_type, "参照人员证件类型" psn_cert_type; S1 binzhe12123/Medical CFZX/CFSH7204.cs).
 * Only the value a public source gives is offered: 01 居民身份证 (the repo's 7201 cert_type note [P];
 * a public 4208 request sends psn_cert_type "01" with the patient's ID-card number [C]). The rest of
 * the national 人员证件类型 dictionary is not in any source found [U]: not offered.
 */
export const PHARMACIST_CERT_TYPES = { '01': '居民身份证' } as const;
export const PharmacistCertType = z.enum(['01']);

export const PharmacistSetting = z.object({
  name: z.string().trim().min(1, 'name: the pharmacist\'s name').max(50),
  /** 执业药师 执业资格证号 / 注册证号 (phar_prac_cert_no, char 50). */
  certNo: z.string().trim().regex(/^[0-9A-Za-z-]{1,50}$/, 'certNo: the certificate number (letters, digits or -, at most 50)'),
  /** 证件类型 (phar_cert_type): with idNo, or both absent. */
  idType: PharmacistCertType.optional(),
  /** 证件号码 (phar_certno): personal data. For 01 an 18-character resident ID number with a valid check character. */
  idNo: z.string().trim().toUpperCase().optional(),
}).strict().superRefine((v, ctx) => {
  if ((v.idType === undefined) !== (v.idNo === undefined || v.idNo === '')) {
    ctx.addIssue({ code: 'custom', path: [v.idType === undefined ? 'idType' : 'idNo'], message: 'idType and idNo: give both (证件类型 and 证件号码) or neither' });
    return;
  }
  if (v.idType === '01' && !isResidentIdNumber(v.idNo!)) {
    ctx.addIssue({ code: 'custom', path: ['idNo'], message: 'idNo: not a valid 18-character resident ID number (居民身份证号码, check character wrong or wrong length)' });
  }
});
export type PharmacistSetting = z.infer<typeof PharmacistSetting>;

/** The setting as a list shows it (and as a cashier's account may see it): the ID number masked. */
export const PharmacistListEntry = z.object({
  operatorId: z.string(),
  operatorName: z.string(),
  name: z.string(),
  certNo: z.string(),
  idType: PharmacistCertType.nullable(),
  /** "420302********1234", or null when no ID number is set. */
  idNoMasked: z.string().nullable(),
  /** Whether this pharmacist is the store's default 复核药师. */
  recheckDefault: z.boolean(),
});
export type PharmacistListEntry = z.infer<typeof PharmacistListEntry>;

/** The store's default 复核药师 (the second pharmacist re-checking a 7204 review): an operator with a pharmacist setting, or none. */
export const RecheckPharmacistSetting = z.object({ operatorId: z.string().min(1).max(100).nullable() }).strict();
export type RecheckPharmacistSetting = z.infer<typeof RecheckPharmacistSetting>;

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
