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
