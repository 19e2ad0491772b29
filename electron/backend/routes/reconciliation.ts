// The reconciliation API (issue 7): the store manager's end-of-day screens. Manager role only.
// Contract: core/contracts/reconciliation.ts.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import {
  CloseDayRequest, DayChart, DaySummary, DayView, Discrepancy, DiscrepancyQuery, ExportQuery, MonthChart, MonthText, RangeQuery, RangeView, ResolveRequest,
} from '../../../core/contracts/reconciliation';
import { DISCREPANCY_ID } from '../../../core/reconcile/discrepancy';
import { route } from '../http/routes';
import { reconciliationFor, type Reconciliation } from '../reconcile/compose';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const DayParam = z.object({ date: DateText }).strict();
const MonthParam = z.object({ month: MonthText }).strict();
const DiscrepancyParam = z.object({ id: z.string().regex(DISCREPANCY_ID, 'id: a discrepancy id such as 20260616.centre_only.centre-S2026…') }).strict();
const TAG = 'reconciliation';

export function reconciliationRoutes(runtime: Runtime, reconciliation: Reconciliation = reconciliationFor(runtime)) {
  const { service, resolver, exports } = reconciliation;
  return [
    route({
      method: 'GET', path: '/api/reconciliation/days', tag: TAG, summary: 'Business days in a range: state, balanced, totals, open discrepancies', roles: MANAGER,
      query: RangeQuery, response: z.array(DaySummary), handler: async ({ query }) => service.summaries(query.from, query.to),
    }),
    route({
      method: 'GET', path: '/api/reconciliation/days/:date', tag: TAG, summary: 'One day: entries, 3201 groups, 3202 rows, discrepancies', roles: MANAGER,
      params: DayParam, response: DayView, handler: async ({ params }) => service.day(params.date),
    }),
    route({
      method: 'POST', path: '/api/reconciliation/days/:date/check', tag: TAG, summary: 'Reconcile the day with the centre now (3201; 3202 when a group does not balance)', roles: MANAGER,
      params: DayParam, response: DayView,
      handler: async ({ params, principal }) => { await service.check(params.date, principal!); return service.day(params.date); },
    }),
    route({
      method: 'POST', path: '/api/reconciliation/days/:date/close', tag: TAG, summary: 'Close (lock) the day after a final check; later changes go to the next open day', roles: MANAGER,
      params: DayParam, body: CloseDayRequest, response: DayView,
      handler: async ({ params, body, principal }) => service.close(params.date, body, principal!),
    }),
    route({
      method: 'GET', path: '/api/reconciliation/discrepancies', tag: TAG, summary: 'Discrepancies by day or range and status', roles: MANAGER,
      query: DiscrepancyQuery, response: z.array(Discrepancy), handler: async ({ query }) => service.discrepancies(query),
    }),
    route({
      method: 'GET', path: '/api/reconciliation/discrepancies/:id', tag: TAG, summary: 'One discrepancy', roles: MANAGER,
      params: DiscrepancyParam, response: Discrepancy,
      handler: async ({ params }) => service.discrepancyView(params.id),
    }),
    route({
      method: 'POST', path: '/api/reconciliation/discrepancies/:id/resolve', tag: TAG, summary: 'Resolve: reverse (2601), record locally, re-settle, collect/refund the patient, or write off (journaled)', roles: MANAGER,
      params: DiscrepancyParam, body: ResolveRequest, response: Discrepancy,
      handler: async ({ params, body, principal }) => resolver.resolve(params.id, body, principal!),
    }),
    route({
      method: 'GET', path: '/api/reconciliation/range', tag: TAG, summary: 'Per-day totals of a range and their sum (the figures of the export)', roles: MANAGER,
      query: RangeQuery, response: RangeView, handler: async ({ query }) => service.range(query.from, query.to),
    }),
    route({
      method: 'GET', path: '/api/reconciliation/export', tag: TAG, summary: 'Export a day or a range as xlsx or CSV (attachment)', roles: MANAGER, raw: true,
      query: ExportQuery, response: z.string(),
      handler: async ({ query, reply }) => {
        const name = `reconciliation-${query.from}_${query.to}.${query.format}`;
        const body = query.format === 'xlsx' ? await exports.xlsx(query.from, query.to) : exports.csv(query.from, query.to);
        await reply.header('content-type', query.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(body);
        return '';
      },
    }),
    route({
      method: 'GET', path: '/api/reconciliation/days/:date/report', tag: TAG, summary: 'The printable daily report (HTML; print to paper or PDF)', roles: MANAGER, raw: true,
      params: DayParam, response: z.string(),
      handler: async ({ params, reply }) => {
        await reply.header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(exports.report(params.date));
        return '';
      },
    }),
    route({
      method: 'GET', path: '/api/reconciliation/charts/day/:date', tag: TAG, summary: 'Chart data for a day: fund vs account vs cash, confirmed vs provisional, per group', roles: MANAGER,
      params: DayParam, response: DayChart, handler: async ({ params }) => service.dayChart(params.date),
    }),
    route({
      method: 'GET', path: '/api/reconciliation/charts/month/:month', tag: TAG, summary: 'Chart data for a month, per day', roles: MANAGER,
      params: MonthParam, response: MonthChart, handler: async ({ params }) => service.monthChart(params.month),
    }),
  ];
}
