// Head office (总部) over the store ledger: every store's days, one store's day in detail, the range
// xlsx across stores, and publishing a signed policy package or a SKU-mapping change that every
// till applies at its next sync (with each till's acknowledgement). Role headoffice only; without
// a ledger configured every route answers 409 NO_LEDGER (未配置账本) naming ledgerUrl.
import { z } from 'zod';
import {
  HeadOfficeDaysQuery, HeadOfficeDaysView, HeadOfficeExportQuery, HeadOfficeStoreDay, HeadOfficeStoreParams, PublicationsView, Published,
  PublishMappingRequest, PublishPolicyRequest,
} from '../../../core/contracts/headoffice';
import { headOfficeWorkbook } from '../../../native/ledger/headoffice-xlsx';
import { HeadOfficeRangeError, headOfficeDiscrepancies, headOfficeDays, headOfficeStoreDay, ledgerName } from '../../../native/ledger/pg-headoffice';
import { type PgLedger } from '../../../native/ledger/pg-ledger';
import { publicationStatus, publish, PublishError } from '../../../native/ledger/pg-publish';
import { TRUSTED_POLICY_KEYS } from '../../../native/policy-update/keys';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { type Runtime } from '../runtime';

const HEAD_OFFICE = ['headoffice'] as const;
const TAG = 'head office';

export const NO_LEDGER_MESSAGE = '未配置账本：总部功能需要连锁的门店账本（技术员 → 中心连接 → 门店账本 ledgerUrl，或 YBJS_LEDGER_URL）';

export function headOfficeRoutes(runtime: Runtime, options: { now?: () => Date; keys?: Readonly<Record<string, string>> } = {}) {
  const now = options.now ?? (() => new Date());
  const keys = options.keys ?? TRUSTED_POLICY_KEYS;
  const ledger = (): PgLedger => {
    // Head office's seat on a ledger it cannot serve (a single store's, not set up yet): say so, naming the setting.
    const problem = runtime.ledger?.setupProblem?.();
    if (problem) throw new ApiError(409, problem.code, problem.message, problem.setting);
    const pg = runtime.ledger?.ledger;
    if (!pg) throw new ApiError(409, 'NO_LEDGER', NO_LEDGER_MESSAGE, 'ledgerUrl');
    return pg;
  };
  const ranged = async <T>(work: () => Promise<T>): Promise<T> => {
    try { return await work(); } catch (error) {
      if (error instanceof HeadOfficeRangeError) { const [field] = error.message.split(':'); throw new ApiError(400, 'INVALID_REQUEST', `query field ${error.message}`, field); }
      throw error;
    }
  };
  const published = async (request: unknown, by: string, field: string): Promise<{ id: number }> => {
    try { return { id: await publish(ledger(), request, by, keys) }; } catch (error) {
      // Refused before anything is stored: the same checks as `ledger publish` (signature, mapping, store).
      if (error instanceof PublishError) throw new ApiError(422, 'PUBLICATION_REFUSED', error.message, /^scope:/.test(error.message) ? 'scope' : field);
      throw error;
    }
  };
  return [
    route({
      method: 'GET', path: '/api/head-office/days', tag: TAG, summary: "Every store's day: sales, confirmed total, provisional money at risk, unsynced facts, open discrepancies, closed (无数据 rows included)",
      roles: HEAD_OFFICE, query: HeadOfficeDaysQuery, response: HeadOfficeDaysView,
      handler: async ({ query }) => { const pg = ledger(); return { date: query.date, chain: await ledgerName(pg), stores: await headOfficeDays(pg, query.date, query.date) }; },
    }),
    route({
      method: 'GET', path: '/api/head-office/stores/:code/days/:date', tag: TAG, summary: "One store's day: its checks, close, discrepancies naming till and sale, tills and what they have not pushed, unconfirmed sales",
      roles: HEAD_OFFICE, params: HeadOfficeStoreParams, response: HeadOfficeStoreDay,
      handler: async ({ params }) => {
        const day = await headOfficeStoreDay(ledger(), params.code, params.date);
        if (!day) throw new ApiError(404, 'STORE_NOT_IN_LEDGER', `门店 ${params.code} 不在本账本的门店名单中`, 'code');
        return day;
      },
    }),
    route({
      method: 'GET', path: '/api/head-office/export', tag: TAG, summary: 'The xlsx of a date range across every store (门店日, 门店合计, 差异; attachment)', roles: HEAD_OFFICE, raw: true,
      query: HeadOfficeExportQuery, response: z.string(),
      handler: async ({ query, reply }) => {
        const pg = ledger();
        const [days, discrepancies] = await ranged(() => Promise.all([headOfficeDays(pg, query.from, query.to), headOfficeDiscrepancies(pg, query.from, query.to)]));
        const body = await headOfficeWorkbook({ chain: await ledgerName(pg), from: query.from, to: query.to, generatedAt: now().toISOString(), days, discrepancies });
        await reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="headoffice-${query.from}_${query.to}.xlsx"`).send(body);
        return '';
      },
    }),
    route({
      method: 'GET', path: '/api/head-office/publications', tag: TAG, summary: 'Every publication with each till of its scope: applied, refused (with the reason) or waiting',
      roles: HEAD_OFFICE, response: PublicationsView, handler: async () => ({ publications: (await publicationStatus(ledger())).map((p) => ({ ...p, tills: [...p.tills] })) }),
    }),
    route({
      method: 'POST', path: '/api/head-office/publications/policy', tag: TAG, summary: 'Publish a signed policy package (verified with the trusted keys before it is stored; every till verifies it again)',
      roles: HEAD_OFFICE, body: PublishPolicyRequest, response: Published, status: 201,
      handler: async ({ body, principal }) => {
        let payload: unknown;
        try { payload = JSON.parse(body.packageText); } catch { throw new ApiError(422, 'PUBLICATION_REFUSED', 'packageText: not JSON (a signed policy package file)', 'packageText'); }
        return published({ kind: 'policy_package', payload, scope: body.scope }, principal!.name, 'packageText');
      },
    }),
    route({
      method: 'POST', path: '/api/head-office/publications/mapping', tag: TAG, summary: 'Publish a SKU-mapping change (the same fields as the technician\'s form) for every till, or one store\'s',
      roles: HEAD_OFFICE, body: PublishMappingRequest, response: Published, status: 201,
      handler: async ({ body, principal }) => published({ kind: 'sku_mapping', payload: { sku: body.sku, catalogueCode: body.catalogueCode, note: body.note }, scope: body.scope }, principal!.name, 'catalogueCode'),
    }),
  ];
}
