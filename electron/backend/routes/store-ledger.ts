// The store's day across all its tills (store ledger configured). Manager role. Without a ledger
// these answer 409 NO_LEDGER and the per-till /api/reconciliation/* is the store's reconciliation.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import { StoreDayView, StoreDiscrepancy, StoreRangeView } from '../../../core/contracts/ledger';
import {
  CloseDayRequest, DayChart, DiscrepancyQuery, ExportQuery, MonthChart, MonthText, RangeQuery, ResolveRequest,
} from '../../../core/contracts/reconciliation';
import { DISCREPANCY_ID } from '../../../core/reconcile/discrepancy';
import { StoreDays } from '../../../native/ledger/pg-store-days';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { RemoteResolutions } from '../ledger/remote-resolve';
import { StoreReconciliation } from '../ledger/store-recon';
import { StoreReports } from '../ledger/store-report';
import { reconciliationFor, type Reconciliation } from '../reconcile/compose';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const DayParam = z.object({ date: DateText }).strict();
const MonthParam = z.object({ month: MonthText }).strict();
const DiscrepancyParam = z.object({ id: z.string().regex(DISCREPANCY_ID, 'id: a discrepancy id such as 20260601.centre_only.centre-S1') }).strict();
const TAG = 'store ledger';

export function storeLedgerRoutes(runtime: Runtime, now: () => Date = () => new Date(), reconciliation?: Reconciliation) {
  let recon: StoreReconciliation | null = null;
  // This till's side of resolutions filed in the ledger for it: carried out at each ledger sync.
  // Head office's seat is no till: it carries out nothing and has no store day of its own.
  const headOffice = runtime.ledger?.seat === 'headoffice';
  const pgLedger = headOffice ? null : runtime.ledger?.ledger;
  const remote = pgLedger ? (() => {
    const own = reconciliation ?? reconciliationFor(runtime, now);
    const r = new RemoteResolutions({
      days: new StoreDays(pgLedger, runtime.identity.fixmedinsCode), tillId: runtime.ledger!.tillId, recon: own.recon, resolver: own.resolver, now, log: (line) => console.log(line),
    });
    runtime.ledger!.onSync(() => r.carryOut());
    return r;
  })() : null;
  const service = (): StoreReconciliation => {
    if (headOffice) throw new ApiError(409, 'HEADOFFICE_SEAT', '本机是总部席位，没有本店的日结：请在 总部 页面查看各门店的日结，或在门店的收银台日结', 'ledgerSeat');
    const pg = runtime.ledger?.ledger;
    if (!pg) throw new ApiError(409, 'NO_LEDGER', '本收银台没有配置门店账本（中心连接 → 门店账本 ledgerUrl），请使用本机对账', 'ledgerUrl');
    recon ??= new StoreReconciliation({
      days: new StoreDays(pg, runtime.identity.fixmedinsCode), centre: runtime.centre, tillId: runtime.ledger!.tillId, areaCode: runtime.identity.mdtrtareaAdmvs, now,
      carryOutOwn: () => remote?.carryOut() ?? Promise.resolve(),
    });
    return recon;
  };
  let reports: StoreReports | null = null;
  const report = (): StoreReports => {
    const r = service();
    reports ??= new StoreReports({ days: new StoreDays(runtime.ledger!.ledger!, runtime.identity.fixmedinsCode), recon: r, store: { code: runtime.identity.fixmedinsCode, name: runtime.identity.fixmedinsName }, now });
    return reports;
  };
  return [
    route({
      method: 'GET', path: '/api/store-ledger/days/:date', tag: TAG, summary: "The store's day over all tills: totals, tills awaited, 3201 groups, discrepancies naming till and sale", roles: MANAGER,
      params: DayParam, response: StoreDayView, handler: async ({ params }) => service().day(params.date),
    }),
    route({
      method: 'POST', path: '/api/store-ledger/days/:date/check', tag: TAG, summary: 'Reconcile the store day with the centre (3201 once per group, 3202 over the whole store)', roles: MANAGER,
      params: DayParam, response: StoreDayView, handler: async ({ params, principal }) => service().check(params.date, principal!),
    }),
    route({
      method: 'POST', path: '/api/store-ledger/days/:date/close', tag: TAG, summary: 'Close the store day (only one close per store and day wins, from whichever till)', roles: MANAGER,
      params: DayParam, body: CloseDayRequest, response: StoreDayView, handler: async ({ params, body, principal }) => service().close(params.date, body, principal!),
    }),
    route({
      method: 'POST', path: '/api/store-ledger/discrepancies/:id/resolve', tag: TAG,
      summary: "Resolve a store-level discrepancy from any till: filed in the ledger for the till that owns it (once per discrepancy and action), carried out by that till at its next sync; the day view shows 等待收银台 Tn, then the result. A closed day takes none",
      roles: MANAGER, params: DiscrepancyParam, body: ResolveRequest, response: StoreDayView, handler: async ({ params, body, principal }) => service().resolve(params.id, body, principal!),
    }),
    // Store-level reports (issue 17): the same screens as /api/reconciliation/* over all tills.
    route({
      method: 'GET', path: '/api/store-ledger/range', tag: TAG, summary: "The store's days of a range: per-till subtotals, the store's totals (their sum), check result and close", roles: MANAGER,
      query: RangeQuery, response: StoreRangeView, handler: async ({ query }) => report().range(query.from, query.to),
    }),
    route({
      method: 'GET', path: '/api/store-ledger/days/:date/report', tag: TAG, summary: "The printable 全店日报 (HTML): every till's subtotals, the store's totals, its 3201 check and close, discrepancies naming till and sale", roles: MANAGER, raw: true,
      params: DayParam, response: z.string(),
      handler: async ({ params, reply }) => {
        const html = await report().report(params.date);
        await reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(html);
        return '';
      },
    }),
    route({
      method: 'GET', path: '/api/store-ledger/export', tag: TAG, summary: "Export the store's day or range over all tills as xlsx or CSV (attachment)", roles: MANAGER, raw: true,
      query: ExportQuery, response: z.string(),
      handler: async ({ query, reply }) => {
        const body = query.format === 'xlsx' ? await report().xlsx(query.from, query.to) : await report().csv(query.from, query.to);
        await reply.header('content-type', query.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="store-reconciliation-${query.from}_${query.to}.${query.format}"`).send(body);
        return '';
      },
    }),
    route({
      method: 'GET', path: '/api/store-ledger/charts/day/:date', tag: TAG, summary: 'Chart data for a store day over all tills', roles: MANAGER,
      params: DayParam, response: DayChart, handler: async ({ params }) => report().dayChart(params.date),
    }),
    route({
      method: 'GET', path: '/api/store-ledger/charts/month/:month', tag: TAG, summary: 'Chart data for a month of the store, per day, over all tills', roles: MANAGER,
      params: MonthParam, response: MonthChart, handler: async ({ params }) => report().monthChart(params.month),
    }),
    route({
      method: 'GET', path: '/api/store-ledger/discrepancies', tag: TAG, summary: "The store's discrepancies of any day (naming till and sale); resolve through POST /api/store-ledger/discrepancies/:id/resolve", roles: MANAGER,
      query: DiscrepancyQuery, response: z.array(StoreDiscrepancy), handler: async ({ query }) => report().discrepancies(query),
    }),
  ];
}
