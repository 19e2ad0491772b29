// 进销存上传 (3505/3506 sales reports) for the manager, a code's store-wide state for the cashier,
// and the 执业药师 of each operator. Contract: core/contracts/trace.ts.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import {
  PharmacistSetting, ReportDayView, ReportRetryRequest, type ReportRowView, TraceCodeParam, TraceCodeView,
} from '../../../core/contracts/trace';
import { type SalesReportStore, type StoredReportRow } from '../../../native/trace-report/store';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const ANY = ['cashier', 'manager', 'technician'] as const;
const TAG = 'trace';
const DayParam = z.object({ date: DateText }).strict();
const OperatorParam = z.object({ id: z.string().min(1).max(100) }).strict();

export function rowView(r: StoredReportRow): ReportRowView {
  return {
    id: r.id, saleId: r.saleId, kind: r.kind, bchno: r.bchno, businessDate: r.businessDate,
    catalogueCode: String(r.row.med_list_codg), name: String(r.row.fixmedins_hilist_name), qty: String(r.row.sel_retn_cnt),
    boxes: r.codes, state: r.entry.state, sends: r.entry.sends, note: r.entry.note, updatedAt: r.updatedAt,
    waitingForSettlement: r.entry.state === 'queued' && r.setlId === null,
  };
}

export function reportDay(store: SalesReportStore, date: string) {
  return { ...store.day(date), list: store.list({ date, limit: 5000 }).map(rowView) };
}

export function traceRoutes(runtime: Runtime) {
  const { store, reporter } = runtime.reports;
  return [
    route({
      method: 'GET', path: '/api/trace-reports/days/:date', tag: TAG, summary: '进销存上传: one day\'s 3505/3506 rows, what was reported, what waits, what was refused and why', roles: MANAGER,
      params: DayParam, response: ReportDayView, handler: async ({ params }) => reportDay(store, params.date),
    }),
    route({
      method: 'POST', path: '/api/trace-reports/retry', tag: TAG, summary: 'Send refused rows again (the named ones, or all of a day)', roles: MANAGER,
      body: ReportRetryRequest, response: z.object({ retried: z.number().int() }),
      handler: async ({ body }) => {
        const ids = body.ids ?? store.list({ date: body.date!, state: 'rejected', limit: 5000 }).map((r) => r.id);
        const retried = store.retry(ids);
        reporter.kick({ force: true });
        return { retried };
      },
    }),
    route({
      method: 'GET', path: '/api/trace-codes/:code', tag: TAG, summary: 'A 追溯码\'s state in this store: sold, 拆零 open, returned; and its report', roles: ANY,
      params: TraceCodeParam, response: TraceCodeView,
      handler: async ({ params }) => {
        const s = store.codeState(params.code);
        return { ...s, sellable: s.state === 'unknown' || s.state === 'returned' };
      },
    }),
    route({
      method: 'GET', path: '/api/operators/:id/pharmacist', tag: TAG, summary: 'The 执业药师 who checks this operator\'s sales (reported in 3505)', roles: MANAGER,
      params: OperatorParam, response: PharmacistSetting.nullable(), handler: async ({ params }) => store.pharmacistOf(params.id),
    }),
    route({
      method: 'DELETE', path: '/api/operators/:id/pharmacist', tag: TAG, summary: 'Clear the 执业药师 of an operator (their sales wait until one is set)', roles: MANAGER,
      params: OperatorParam, response: z.object({ ok: z.literal(true) }),
      handler: async ({ params }) => { store.setPharmacist(params.id, null); return { ok: true as const }; },
    }),
    route({
      method: 'PUT', path: '/api/operators/:id/pharmacist', tag: TAG, summary: 'Set the 执业药师 of an operator', roles: MANAGER,
      params: OperatorParam, body: PharmacistSetting, response: PharmacistSetting.nullable(),
      handler: async ({ params, body }) => {
        if (!runtime.store.access.listOperators().some((o) => o.operatorId === params.id)) throw new ApiError(404, 'OPERATOR_NOT_FOUND', `没有工号 ${params.id}`, 'id');
        store.setPharmacist(params.id, body);
        // Rows held back for a missing pharmacist can go now.
        store.retry(store.list({ state: 'rejected', limit: 5000 }).filter((r) => r.operatorId === params.id && r.entry.note.includes('执业药师')).map((r) => r.id));
        reporter.kick({ force: true });
        return store.pharmacistOf(params.id);
      },
    }),
  ];
}
