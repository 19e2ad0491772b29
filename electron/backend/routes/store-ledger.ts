// The store's day across all its tills (store ledger configured). Manager role. Without a ledger
// these answer 409 NO_LEDGER and the per-till /api/reconciliation/* is the store's reconciliation.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import { StoreDayView } from '../../../core/contracts/ledger';
import { CloseDayRequest, ResolveRequest } from '../../../core/contracts/reconciliation';
import { DISCREPANCY_ID } from '../../../core/reconcile/discrepancy';
import { StoreDays } from '../../../native/ledger/pg-store-days';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { RemoteResolutions } from '../ledger/remote-resolve';
import { StoreReconciliation } from '../ledger/store-recon';
import { reconciliationFor, type Reconciliation } from '../reconcile/compose';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const DayParam = z.object({ date: DateText }).strict();
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
  ];
}
