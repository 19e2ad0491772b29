// 进销存 inventory uploads (3501 盘存, 3502 库存变更, 3503 采购, 3504 采购退货, 3507 删除): the POS posts
// each movement under its own key (a repeat returns the same record), the manager imports a CSV/xlsx
// file of one kind (all rows or none), sees each day's uploads and retries refused ones. Contract:
// core/contracts/trace.ts; rows: core/centre/tx/stock.ts.
import { z } from 'zod';
import { DateText } from '../../../core/contracts/common';
import {
  InventoryDayView, InventoryImportRequest, InventoryImportResult, InventoryTemplateQuery, InventoryUploadInfno, type InventoryUploadView, ReportRetryRequest,
  InventoryUploadView as UploadView,
} from '../../../core/contracts/trace';
import { INVENTORY_KINDS, type InventoryInfno } from '../../../core/centre/tx/stock';
import { ImportError, movementsFromTable, parseCsv, templateCsv } from '../../../core/trace/inventory-import';
import { checkMovement, InventoryKey, InventoryMovementRequest } from '../../../core/trace/inventory-movement';
import { readSheet, templateXlsx } from '../../../native/trace-report/inventory-file';
import { type InventoryUploadStore, type StoredUpload, UploadKeyConflict } from '../../../native/trace-report/inventory-store';
import { ApiError } from '../http/errors';
import { route } from '../http/routes';
import { type Runtime } from '../runtime';

const MANAGER = ['manager'] as const;
const POS = ['cashier', 'manager'] as const;
const TAG = 'inventory';

export function uploadView(u: StoredUpload, created?: boolean): InventoryUploadView {
  return {
    id: u.id, key: u.key, infno: u.infno, name: INVENTORY_KINDS[u.infno].name, bchno: u.bchno, businessDate: u.businessDate, origin: u.origin,
    catalogueCode: String(u.row.med_list_codg ?? ''), itemName: String(u.row.fixmedins_hilist_name ?? ''),
    state: u.entry.state, sends: u.entry.sends, note: u.entry.note, updatedAt: u.updatedAt,
    ...(created !== undefined && { created }),
  };
}

export function inventoryDay(store: InventoryUploadStore, date: string) {
  return { ...store.day(date), list: store.list({ date, limit: 5000 }).map((u) => uploadView(u)) };
}

export function inventoryRoutes(runtime: Runtime) {
  const store = runtime.inventory;
  const { reporter } = runtime.reports;
  const offered = (infno: InventoryInfno, field: string): void => {
    if (!runtime.inventoryInfnos.includes(infno)) throw new ApiError(422, 'NOT_OFFERED', `当前接口版本不提供 ${infno}（${INVENTORY_KINDS[infno].name}）`, field);
  };
  const stored = (fn: () => ReturnType<InventoryUploadStore['submit']>) => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof UploadKeyConflict) throw new ApiError(409, 'KEY_CONFLICT', `key ${error.key} 已用于另一条不同内容的记录；重复提交必须内容相同`, 'key');
      throw error;
    }
  };
  return [
    route({
      method: 'POST', path: '/api/inventory-uploads', tag: TAG, roles: POS,
      summary: 'The POS posts one stock movement (3501 盘存 / 3502 库存变更 / 3503 采购 / 3504 采购退货 / 3507 删除) under its own key; a repeat returns the same record',
      body: InventoryMovementRequest, response: UploadView,
      handler: async ({ body, principal }) => {
        offered(body.infno, 'infno');
        const checked = checkMovement(body.key, body.infno, body.row);
        if (!checked.ok) throw new ApiError(400, 'INVALID_ROW', `${body.infno} row.${checked.field}: ${checked.message}`, `row.${checked.field}`);
        const [result] = stored(() => store.submit([checked.movement], 'pos', principal!.id));
        if (result!.created) reporter.kick();
        return uploadView(result!.upload, result!.created);
      },
    }),
    route({
      method: 'GET', path: '/api/inventory-uploads/by-key/:key', tag: TAG, roles: POS, summary: 'One movement\'s upload state by the POS\'s key (waiting / reported / refused and why)',
      params: z.object({ key: InventoryKey }).strict(), response: UploadView,
      handler: async ({ params }) => {
        const u = store.byKey(params.key);
        if (!u) throw new ApiError(404, 'NOT_FOUND', `没有 key 为 ${params.key} 的进销存记录`, 'key');
        return uploadView(u);
      },
    }),
    route({
      method: 'GET', path: '/api/inventory-uploads/days/:date', tag: TAG, roles: MANAGER, summary: '进销存上传: one day\'s inventory uploads, what was reported, what waits, what was refused and why',
      params: z.object({ date: DateText }).strict(), response: InventoryDayView, handler: async ({ params }) => inventoryDay(store, params.date),
    }),
    route({
      method: 'POST', path: '/api/inventory-uploads/retry', tag: TAG, roles: MANAGER, summary: 'Send refused inventory uploads again (the named ones, or all of a day)',
      body: ReportRetryRequest, response: z.object({ retried: z.number().int() }),
      handler: async ({ body }) => {
        const ids = body.ids ?? store.list({ date: body.date!, state: 'rejected', limit: 5000 }).map((u) => u.id);
        const retried = store.retry(ids);
        reporter.kick({ force: true });
        return { retried };
      },
    }),
    route({
      method: 'POST', path: '/api/inventory-uploads/import', tag: TAG, roles: MANAGER,
      summary: 'Import a CSV/xlsx file of one kind: every row is checked first; a bad row refuses the whole file (its line and field named), nothing is half-imported',
      body: InventoryImportRequest, response: InventoryImportResult,
      handler: async ({ body, principal }) => {
        offered(body.infno, 'infno');
        let movements;
        try {
          if (body.format === 'csv') movements = movementsFromTable(body.infno, parseCsv(body.content));
          else {
            let sheet;
            try { sheet = await readSheet(Buffer.from(body.content, 'base64')); } catch { throw new ImportError(1, '(file)', '不是有效的 xlsx 文件'); }
            movements = movementsFromTable(body.infno, sheet.table, sheet.lines);
          }
        } catch (error) {
          if (error instanceof ImportError) throw new ApiError(400, 'IMPORT_REFUSED', error.message, error.field);
          throw error;
        }
        let results;
        try {
          results = store.submit(movements, 'import', principal!.id);
        } catch (error) {
          if (error instanceof UploadKeyConflict) throw new ApiError(409, 'KEY_CONFLICT', `第 ${error.index + 2} 行，字段 key：${error.key} 已用于另一条不同内容的记录（整个文件未导入）`, 'key');
          throw error;
        }
        const created = results.filter((r) => r.created).length;
        if (created > 0) reporter.kick();
        return { infno: body.infno, rows: results.length, created, repeated: results.length - created };
      },
    }),
    route({
      method: 'GET', path: '/api/inventory-uploads/templates/:infno', tag: TAG, roles: MANAGER, raw: true,
      summary: 'The import template of one kind (?format=csv|xlsx): the header row of its fields',
      params: z.object({ infno: InventoryUploadInfno }).strict(), query: InventoryTemplateQuery, response: z.string(),
      handler: async ({ params, query, reply }) => {
        const name = `inventory-${params.infno}-template.${query.format}`;
        const body = query.format === 'xlsx' ? await templateXlsx(params.infno) : templateCsv(params.infno);
        await reply.header('content-type', query.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`).send(body);
        return '';
      },
    }),
  ];
}
