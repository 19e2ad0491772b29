// The store's day across all its tills (store ledger configured). Manager role. Without a ledger
// these answer 409 NO_LEDGER and the per-till /api/reconciliation/* is the store's reconciliation.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import { StoreDayView } from '../../../core/contracts/ledger';
import { CloseDayRequest } from '../../../core/contracts/reconciliation';
import { StoreDays } from '../../../native/ledger/pg-store-days';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { StoreReconciliation } from '../ledger/store-recon';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const DayParam = z.object({ date: DateText }).strict();
const TAG = 'store ledger';

export function storeLedgerRoutes(runtime: Runtime, now: () => Date = () => new Date()) {
  let recon: StoreReconciliation | null = null;
  const service = (): StoreReconciliation => {
    const pg = runtime.ledger?.ledger;
    if (!pg) throw new ApiError(409, 'NO_LEDGER', '本收银台没有配置门店账本（中心连接 → 门店账本 ledgerUrl），请使用本机对账', 'ledgerUrl');
    recon ??= new StoreReconciliation({
      days: new StoreDays(pg, runtime.identity.fixmedinsCode), centre: runtime.centre, tillId: runtime.ledger!.tillId, areaCode: runtime.identity.mdtrtareaAdmvs, now,
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
  ];
}
