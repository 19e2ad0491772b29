// 进销存上传 (3505/3506 sales reports) for the manager, a code's store-wide state for the cashier,
// and the 执业药师 of each operator. Contract: core/contracts/trace.ts.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import {
  PharmacistListEntry, PharmacistSetting, RecheckPharmacistSetting, ReportDayView, ReportRetryRequest, type ReportRowView, TraceCodeParam, TraceCodeView, WriteOffRetryRequest, WriteOffView,
} from '../../../core/contracts/trace';
import { redactIdNumber } from '../../../core/card/cardholder';
import { type SalesReportStore, type StoredReportRow } from '../../../native/trace-report/store';
import { type StoredWriteOff, type WriteOffStore } from '../../../native/trace-report/writeoff-store';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const ANY = ['cashier', 'manager', 'technician'] as const;
/** The pharmacist's ID number is personal data: read by these only (not by a cashier's account). */
const PEOPLE = ['manager', 'technician'] as const;
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
      method: 'GET', path: '/api/eprescription-writeoffs/days/:date', tag: TAG, summary: '电子处方核销 (7206): one day\'s write-offs, what was sent, what was refused, what is held for missing local data (and which field)', roles: MANAGER,
      params: DayParam, response: z.array(WriteOffView),
      handler: async ({ params }) => runtime.writeOffs.list({ date: params.date, limit: 5000 }).map((w) => writeOffView(runtime.writeOffs, w)),
    }),
    route({
      method: 'POST', path: '/api/eprescription-writeoffs/retry', tag: TAG, summary: 'Send refused or held write-offs again (the named ones, or all of a day)', roles: MANAGER,
      body: WriteOffRetryRequest, response: z.object({ retried: z.number().int() }),
      handler: async ({ body }) => {
        const ids = body.ids ?? runtime.writeOffs.list({ date: body.date!, limit: 5000 }).filter((w) => w.heldFor !== null || w.entry.state === 'rejected').map((w) => w.id);
        const retried = runtime.writeOffs.retry(ids);
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
      method: 'GET', path: '/api/operators/:id/pharmacist', tag: TAG, summary: 'The 执业药师 who checks this operator\'s sales (reported in 3505; 7204/7206), with the ID number in full', roles: PEOPLE,
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
        store.retryRefused({ noteContains: '执业药师', operatorId: params.id });
        // Write-offs held for this operator's pharmacist data are released (not retried on a timer).
        runtime.writeOffs.release({ operatorId: params.id, fields: PHARMACIST_FIELDS });
        reporter.kick({ force: true });
        return store.pharmacistOf(params.id);
      },
    }),
    route({
      method: 'GET', path: '/api/pharmacists', tag: TAG, summary: 'The operators with a 执业药师 setting (ID numbers masked), and which one is the store\'s default 复核药师: for the review dialog', roles: ANY,
      response: z.array(PharmacistListEntry),
      handler: async () => pharmacistList(runtime),
    }),
    route({
      method: 'GET', path: '/api/eprescription/recheck-pharmacist', tag: TAG, summary: 'The store\'s default 复核药师 (7204 rchk_phar_*)', roles: ANY,
      response: RecheckPharmacistSetting, handler: async () => ({ operatorId: store.recheckPharmacist() }),
    }),
    route({
      method: 'PUT', path: '/api/eprescription/recheck-pharmacist', tag: TAG, summary: 'Set (or clear) the store\'s default 复核药师: an operator with a 执业药师 setting', roles: MANAGER,
      body: RecheckPharmacistSetting, response: RecheckPharmacistSetting,
      handler: async ({ body }) => {
        if (body.operatorId !== null && !store.pharmacistOf(body.operatorId)) throw new ApiError(409, 'NO_PHARMACIST', `工号 ${body.operatorId} 没有执业药师设置：先在操作员设置中填写`, 'operatorId');
        store.setRecheckPharmacist(body.operatorId);
        return { operatorId: store.recheckPharmacist() };
      },
    }),
  ];
}

/** The write-off fields a pharmacist setting fills (a held write-off waiting for one of them is released when it changes). */
export const PHARMACIST_FIELDS = ['phar_name', 'phar_prac_cert_no', 'phar_cert_type', 'phar_certno', 'pro_name', 'pharmacist'] as const;

export function pharmacistList(runtime: Runtime): PharmacistListEntry[] {
  const names = new Map(runtime.store.access.listOperators().map((o) => [o.operatorId, o.name]));
  const recheck = runtime.reports.store.recheckPharmacist();
  return runtime.reports.store.pharmacists().map((p) => ({
    operatorId: p.operatorId, operatorName: names.get(p.operatorId) ?? '', name: p.name, certNo: p.certNo,
    idType: p.idType ?? null, idNoMasked: p.idNo ? redactIdNumber(p.idNo) : null, recheckDefault: recheck === p.operatorId,
  }));
}

export function writeOffView(writeOffs: WriteOffStore, w: StoredWriteOff): WriteOffView {
  return {
    id: w.id, saleId: w.saleId, hiRxno: w.hiRxno, businessDate: w.businessDate, state: w.heldFor !== null && w.entry.state !== 'void' ? 'held' : w.entry.state,
    heldFor: w.heldFor, sends: w.entry.sends, note: w.entry.note, refunded: w.refundedAt !== null, waitingForSettlement: w.settlement === null,
    log: writeOffs.history(w.id),
  };
}
