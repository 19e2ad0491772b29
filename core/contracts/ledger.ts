// API contract of the store ledger's views (several tills of one pharmacy): the store's day.
import { z } from 'zod';
import { DateText } from './common';
import { CentreCheckResult, Difference, GroupView, ResolutionAction, Totals } from './reconciliation';

export const StoreDayView = z.object({
  date: DateText,
  state: z.enum(['open', 'closed']),
  /** Who closed the store's day, from which till (only one close per store and day can win). */
  closed: z.object({ at: z.string(), by: z.string(), fromTill: z.string() }).nullable(),
  result: CentreCheckResult,
  message: z.string(),
  groups: z.array(GroupView),
  totals: z.object({ confirmed: Totals, provisional: Totals, all: Totals }),
  /** Every till of the store: sales of the day in the ledger, facts it has not pushed yet (a switched-off till delays the day). */
  tills: z.array(z.object({ tillId: z.string(), pending: z.number().int(), lastPushAt: z.string().nullable(), sales: z.number().int() })),
  discrepancies: z.array(z.object({
    id: z.string(), kind: z.string(), tillId: z.string().nullable(), saleId: z.string().nullable(), msgid: z.string().nullable(),
    status: z.enum(['open', 'resolved']), cause: z.string(),
    /** As the per-till Discrepancy: its kind in words, the masked patient, both sides' figures and what may be done (none once resolved). */
    label: z.string(),
    patient: z.object({ name: z.string(), idNumber: z.string() }).nullable(),
    store: Difference.nullable(),
    centre: Difference.nullable(),
    difference: Difference,
    allowed: z.array(ResolutionAction),
    /**
     * The manager's resolution, carried out by the till that owns the settlement (through its own
     * outbox, at its next ledger sync): pending shows "等待收银台 T2", running while that till carries
     * it out, then its result; withdrawn when the day was closed before it ran (never carried out).
     */
    request: z.object({
      action: z.string(), tillId: z.string(), status: z.enum(['pending', 'running', 'done', 'refused', 'withdrawn']), requestedBy: z.string(), requestedFrom: z.string(),
      requestedAt: z.string(), attempts: z.number().int(), message: z.string(), doneAt: z.string().nullable(),
    }).nullable(),
  })),
});
export type StoreDayView = z.infer<typeof StoreDayView>;

// ── Store-level reports (issue 17): 打印日报, 导出, 统计图表 and 差异处理 over all tills ──────────
//   GET /api/store-ledger/range?from&to                 StoreRangeView
//   GET /api/store-ledger/days/:date/report             printable HTML (全店日报)
//   GET /api/store-ledger/export?from&to&format         xlsx or CSV of the store (attachment)
//   GET /api/store-ledger/charts/day/:date              DayChart over all tills
//   GET /api/store-ledger/charts/month/:month           MonthChart over all tills
//   GET /api/store-ledger/discrepancies?from&to&status  StoreDiscrepancy[] (every day, naming till and sale)
// Without a ledger they answer 409 NO_LEDGER; the per-till /api/reconciliation/* is unchanged.

/** A till's (or the store's) figures of a day: facts of the day in the ledger, confirmed / provisional / all. */
export const StoreTotals = z.object({ confirmed: Totals, provisional: Totals, all: Totals });
export type StoreTotals = z.infer<typeof StoreTotals>;

export const StoreReportDay = z.object({
  date: DateText,
  state: z.enum(['open', 'closed']),
  closed: z.object({ at: z.string(), by: z.string(), fromTill: z.string() }).nullable(),
  /** The store's last 3201 check of the day (not_checked: none). */
  result: CentreCheckResult,
  message: z.string(),
  openDiscrepancies: z.number().int(),
  /** Every till of the store, with its own subtotals (zeros when it sold nothing that day). */
  tills: z.array(z.object({ tillId: z.string(), totals: StoreTotals })),
  /** The sum of the tills' subtotals, in cents (decimal.js). */
  totals: StoreTotals,
  /** What the day was closed with (the store day's figures at its close); null while open. */
  closedTotals: StoreTotals.nullable(),
});
export type StoreReportDay = z.infer<typeof StoreReportDay>;

export const StoreRangeView = z.object({
  from: DateText,
  to: DateText,
  /** The store's tills in the ledger (全店（N 台收银台）). */
  tills: z.array(z.string()),
  days: z.array(StoreReportDay),
  /** The sum of the days. */
  total: StoreTotals,
});
export type StoreRangeView = z.infer<typeof StoreRangeView>;

/** A store-level discrepancy of any day (as in the store day view, with its day). */
export const StoreDiscrepancy = StoreDayView.shape.discrepancies.element.extend({ date: DateText });
export type StoreDiscrepancy = z.infer<typeof StoreDiscrepancy>;
