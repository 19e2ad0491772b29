// The reconciliation API contract (the store manager's end-of-day screens, issue 7).
//
//   GET  /api/reconciliation/days?from&to                 DaySummary[]  one line per business date
//   GET  /api/reconciliation/days/:date                   DayView       the day: entries, groups, 3202 rows, discrepancies
//   POST /api/reconciliation/days/:date/check             DayView       3201 per group (3202 when unbalanced); day stays as it is
//   POST /api/reconciliation/days/:date/close  CloseDayRequest → DayView  check, then lock the day
//   GET  /api/reconciliation/discrepancies?…  DiscrepancyQuery → Discrepancy[]
//   GET  /api/reconciliation/discrepancies/:id            Discrepancy
//   POST /api/reconciliation/discrepancies/:id/resolve  ResolveRequest → Discrepancy
//   GET  /api/reconciliation/range?from&to                RangeView     per-day totals and the grand total (the export's figures)
//   GET  /api/reconciliation/export?from&to&format=xlsx|csv   the file (attachment)
//   GET  /api/reconciliation/days/:date/report            printable HTML daily report (print to PDF)
//   GET  /api/reconciliation/charts/day/:date             DayChart
//   GET  /api/reconciliation/charts/month/:month          MonthChart (month = YYYY-MM)
//
// All of it needs the manager role. Amounts are strings with two decimals; counts are integers.
// Business dates are Asia/Shanghai calendar days. A closed day is locked: its figures never change;
// anything learnt later (a refund, a late sync result, a resolution) is booked on the first open day
// after it as an adjustment that names the day it belongs to (`belongsTo`).
import { z } from 'zod';
import { Amount, DateText } from './common';

export const MonthText = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

// ── totals ─────────────────────────────────────────────────────────────────────────────────
/** Count and amounts of a set of settlements. medfee = fund + account + cash (+ an institution's share, zero at a pharmacy). */
export const Totals = z.object({
  count: z.number().int(),
  medfee: Amount,
  fund: Amount,
  account: Amount,
  cash: Amount,
});
export type Totals = z.infer<typeof Totals>;

/** One 3201 group: insurance type × clearing type (41 药店购药) × clearing agency. */
export const GroupKey = z.object({
  insutype: z.string(),
  clrType: z.string(),
  /** 结算经办机构 (the patient's insured division in practice). */
  setlOptins: z.string(),
});
export type GroupKey = z.infer<typeof GroupKey>;

export const CENTRE_CHECK_RESULTS = ['balanced', 'unbalanced', 'unavailable', 'not_checked'] as const;
export const CentreCheckResult = z.enum(CENTRE_CHECK_RESULTS);
export type CentreCheckResult = z.infer<typeof CentreCheckResult>;
export const CENTRE_CHECK_LABELS: Record<CentreCheckResult, string> = {
  balanced: '对账平', unbalanced: '对账不平', unavailable: '医保中心未应答', not_checked: '尚未对账',
};

export const GroupView = GroupKey.extend({
  /** What the store sent in 3201 (the centre's own amounts of every settlement it confirmed). */
  store: Totals,
  result: CentreCheckResult,
  /** The centre's stmt_rslt_dscr, or why the call failed. */
  description: z.string(),
});
export type GroupView = z.infer<typeof GroupView>;

// ── entries (the day's ledger lines) ──────────────────────────────────────────────────────────
export const ENTRY_KINDS = ['sale', 'refund', 'adjustment'] as const;
export const EntryKind = z.enum(ENTRY_KINDS);
export const ENTRY_KIND_LABELS: Record<z.infer<typeof EntryKind>, string> = { sale: '结算', refund: '退费', adjustment: '调整' };

export const ENTRY_STATUSES = ['confirmed', 'provisional'] as const;
export const EntryStatus = z.enum(ENTRY_STATUSES);
export const ENTRY_STATUS_LABELS: Record<z.infer<typeof EntryStatus>, string> = { confirmed: '中心已确认', provisional: '暂估（待中心确认）' };

export const EntryView = z.object({
  id: z.string(),
  kind: EntryKind,
  /** confirmed: the centre's amounts; provisional: the store's offline estimate, not yet known to the centre. */
  status: EntryStatus,
  at: z.string(),
  /** The day this entry is booked on (the report it belongs to). */
  date: DateText,
  /** For an adjustment or a late entry booked on a later day: the (closed) day it belongs to. */
  belongsTo: DateText.nullable(),
  saleId: z.string().nullable(),
  msgid: z.string().nullable(),
  setlId: z.string().nullable(),
  insutype: z.string(),
  setlOptins: z.string(),
  /** Masked: family name only, and the ID number as 110101********1234. */
  patient: z.object({ name: z.string(), idNumber: z.string() }).nullable(),
  /** What the line adds to the day's count: 1 for a settlement or a refund; an adjustment may add −1, 0 or 1. */
  count: z.number().int(),
  medfee: Amount,
  fund: Amount,
  account: Amount,
  cash: Amount,
  note: z.string(),
});
export type EntryView = z.infer<typeof EntryView>;

// ── 3202 detail rows ─────────────────────────────────────────────────────────────────────────
export const DETAIL_RESULTS = ['matched', 'centre_only', 'store_only', 'mismatch'] as const;
export const DetailResult = z.enum(DETAIL_RESULTS);
export type DetailResult = z.infer<typeof DetailResult>;
export const DETAIL_RESULT_LABELS: Record<DetailResult, string> = { matched: '对平', centre_only: '中心多', store_only: '本地多', mismatch: '数据不一致' };

export const DetailAmounts = z.object({ medfee: Amount, fund: Amount, account: Amount, refunded: z.boolean() });

export const DetailRowView = z.object({
  setlId: z.string(),
  mdtrtId: z.string(),
  msgid: z.string(),
  result: DetailResult,
  memo: z.string(),
  /** What the store reported, or null when the store did not report it. */
  store: DetailAmounts.nullable(),
  /** What the centre holds, or null when it holds nothing. */
  centre: DetailAmounts.nullable(),
});
export type DetailRowView = z.infer<typeof DetailRowView>;

// ── discrepancies and their resolutions ──────────────────────────────────────────────────────
export const DISCREPANCY_KINDS = [
  /** 中心多: the centre booked a settlement the store did not report. */
  'centre_only',
  /** 本地多: the store reported a settlement the centre does not hold. */
  'store_only',
  /** 数据不一致: both hold it, but the amounts or the refund flag differ. */
  'mismatch',
  /** The centre priced an offline provisional settlement differently from the store's estimate. */
  'provisional_difference',
  /** An insured sale the centre never booked: sold as self-pay offline, or rejected (parked). */
  'not_at_centre',
  /** A settlement whose outcome at the centre is still unknown at day close. */
  'outcome_unknown',
] as const;
export const DiscrepancyKind = z.enum(DISCREPANCY_KINDS);
export type DiscrepancyKind = z.infer<typeof DiscrepancyKind>;
export const DISCREPANCY_KIND_LABELS: Record<DiscrepancyKind, string> = {
  centre_only: '中心多', store_only: '本地多', mismatch: '数据不一致', provisional_difference: '暂估差额',
  not_at_centre: '中心无此结算', outcome_unknown: '结果未明',
};

export const RESOLUTION_ACTIONS = [
  /** 2601 at the centre: undo a settlement the store does not stand behind. */
  'reverse_at_centre',
  /** The centre is right: book its version in the store (5203 by the setl_id + mdtrt_id the 3202 named: on our own settlement, else as an adjustment). */
  'record_locally',
  /** Settle a sale the centre lacks: a NEW settlement only when nothing was ever sent for it; a rejected one is re-queued under its own msgid. */
  'resettle',
  /** The patient pays the difference (the centre's cash share is higher than what was collected). */
  'collect_from_patient',
  /** The patient gets the difference back (the centre's cash share is lower than what was collected). */
  'refund_to_patient',
  /** Accept the difference as the store's loss or gain, with a reason. */
  'write_off',
] as const;
export const ResolutionAction = z.enum(RESOLUTION_ACTIONS);
export type ResolutionAction = z.infer<typeof ResolutionAction>;
export const RESOLUTION_LABELS: Record<ResolutionAction, string> = {
  reverse_at_centre: '中心冲正 (2601)', record_locally: '按中心记账', resettle: '补结算', collect_from_patient: '向患者补收',
  refund_to_patient: '退还患者', write_off: '核销',
};

export const DiscrepancyStatus = z.enum(['open', 'resolved']);
export type DiscrepancyStatus = z.infer<typeof DiscrepancyStatus>;

export const Difference = z.object({ medfee: Amount, fund: Amount, account: Amount, cash: Amount });
export type Difference = z.infer<typeof Difference>;

export const ResolutionView = z.object({
  action: ResolutionAction,
  by: z.string(),
  at: z.string(),
  reason: z.string(),
  /** Money that changed hands with the patient (collect/refund), or the amount written off. */
  amount: Amount,
  /** What was done at the centre, if anything (msgid of a 2601 or a new settlement, the 5203 result …). */
  detail: z.string(),
  /** The day its effect is booked on (the first open day when the discrepancy's day is closed). */
  bookedOn: DateText,
});
export type ResolutionView = z.infer<typeof ResolutionView>;

export const Discrepancy = z.object({
  id: z.string(),
  /** The business date whose reconciliation found it. */
  date: DateText,
  kind: DiscrepancyKind,
  label: z.string(),
  /** Why it arose, in words for the manager. */
  cause: z.string(),
  saleId: z.string().nullable(),
  msgid: z.string().nullable(),
  setlId: z.string().nullable(),
  patient: z.object({ name: z.string(), idNumber: z.string() }).nullable(),
  /** The store's figures (provisional estimate, or what it reported), null when it has none. */
  store: Difference.nullable(),
  /** The centre's figures, null when it holds none. */
  centre: Difference.nullable(),
  /** centre − store, per part (store or centre counted as zero when absent). */
  difference: Difference,
  allowed: z.array(ResolutionAction),
  status: DiscrepancyStatus,
  resolution: ResolutionView.nullable(),
});
export type Discrepancy = z.infer<typeof Discrepancy>;

export const DiscrepancyQuery = z.object({
  date: DateText.optional(),
  from: DateText.optional(),
  to: DateText.optional(),
  status: z.enum(['open', 'resolved', 'all']).default('all'),
}).strict();
export type DiscrepancyQuery = z.infer<typeof DiscrepancyQuery>;

export const ResolveRequest = z.object({
  action: ResolutionAction,
  /** Required for write_off (at least 4 characters); a note otherwise. */
  reason: z.string().trim().max(200).default(''),
}).strict();
export type ResolveRequest = z.infer<typeof ResolveRequest>;

// ── days ─────────────────────────────────────────────────────────────────────────────────────
export const DayState = z.enum(['open', 'closed']);
export type DayState = z.infer<typeof DayState>;

/** The day's figures: confirmed (what the centre booked), provisional (not yet confirmed), and all. */
export const DayTotals = z.object({
  confirmed: Totals,
  provisional: Totals,
  /** Entries booked on this day that belong to earlier (closed) days; already included in confirmed and provisional. */
  adjustments: Totals,
  all: Totals,
});
export type DayTotals = z.infer<typeof DayTotals>;

export const CheckRun = z.object({
  at: z.string(),
  by: z.string(),
  result: CentreCheckResult,
  /** Whether 3202 ran (it runs only when a 3201 group does not balance). */
  detailChecked: z.boolean(),
  message: z.string(),
});
export type CheckRun = z.infer<typeof CheckRun>;

export const DaySummary = z.object({
  date: DateText,
  state: DayState,
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  /** The centre balanced at the last check and no discrepancy of the day is open. */
  balanced: z.boolean(),
  lastCheck: CheckRun.nullable(),
  totals: DayTotals,
  openDiscrepancies: z.number().int(),
});
export type DaySummary = z.infer<typeof DaySummary>;

export const DayView = DaySummary.extend({
  groups: z.array(GroupView),
  entries: z.array(EntryView),
  detail: z.array(DetailRowView),
  discrepancies: z.array(Discrepancy),
});
export type DayView = z.infer<typeof DayView>;

export const CloseDayRequest = z.object({
  /** Close even though the centre did not balance or discrepancies are open (they stay open; their effects go to the next open day). */
  acknowledgeUnbalanced: z.boolean().default(false),
  note: z.string().trim().max(200).default(''),
}).strict();
export type CloseDayRequest = z.infer<typeof CloseDayRequest>;

export const RangeQuery = z.object({ from: DateText, to: DateText }).strict();
export type RangeQuery = z.infer<typeof RangeQuery>;

export const ExportQuery = RangeQuery.extend({ format: z.enum(['xlsx', 'csv']) }).strict();
export type ExportQuery = z.infer<typeof ExportQuery>;

export const RangeView = z.object({
  from: DateText,
  to: DateText,
  days: z.array(DaySummary),
  total: DayTotals,
});
export type RangeView = z.infer<typeof RangeView>;

// ── charts ───────────────────────────────────────────────────────────────────────────────────
/** fund vs account vs cash, split into confirmed and provisional amounts. */
export const ChartParts = z.object({
  confirmed: z.object({ fund: Amount, account: Amount, cash: Amount }),
  provisional: z.object({ fund: Amount, account: Amount, cash: Amount }),
});

export const DayChart = z.object({
  date: DateText,
  parts: ChartParts,
  /** Per 3201 group, for a stacked bar. */
  groups: z.array(GroupKey.extend({ parts: ChartParts })),
});
export type DayChart = z.infer<typeof DayChart>;

export const MonthChart = z.object({
  month: MonthText,
  days: z.array(z.object({ date: DateText, state: DayState, balanced: z.boolean(), parts: ChartParts })),
  total: ChartParts,
});
export type MonthChart = z.infer<typeof MonthChart>;
