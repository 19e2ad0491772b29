// The reconciliation export as an .xlsx workbook (exceljs): 汇总 (one row per day and the range's
// totals), 明细 (every entry with per-day subtotals — the same rows as the CSV), 差异 and 差额处理.
// Amounts are numeric cells formatted 0.00 so the sheet can be summed; they are written from the
// two-decimal strings the API reports, so every figure equals the screen to the cent.
// Types only at load time: exceljs itself (the largest package here, most of a second to load on a
// busy till) is imported on the first export, so it is not on the backend's start-up path.
import type ExcelJS from 'exceljs';
import {
  AMOUNT_COLUMNS, DETAIL_FIRST_NUMBER, DETAIL_HEADER, detailRows, DISCREPANCY_HEADER, discrepancyText, type ExportInput, SUMMARY_HEADER, SUMMARY_PARTS, summaryText,
} from '../../core/reconcile/export-table';
import { RESOLUTION_LABELS } from '../../core/contracts/reconciliation';

const MONEY_FORMAT = '0.00';

/** A two-decimal amount string as a number cell value (exact: at most 12 integer digits and 2 decimals). */
function amount(text: string): number {
  if (!/^-?\d{1,12}\.\d{2}$/.test(text)) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return Number(text);
}

function header(sheet: ExcelJS.Worksheet, titles: readonly string[]): void {
  const row = sheet.addRow([...titles]);
  row.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function exportWorkbook(input: ExportInput): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = input.store.name;
  book.created = new Date(input.generatedAt);
  book.title = `医保对账 ${input.from}~${input.to}`;

  const summary = book.addWorksheet('汇总');
  header(summary, SUMMARY_HEADER);
  for (const day of input.days) {
    summary.addRow([...summaryText(day), ...SUMMARY_PARTS.flatMap((p) => [day.totals[p].count, ...AMOUNT_COLUMNS.map((k) => amount(day.totals[p][k]))])]);
  }
  const totalRow = summary.addRow([`合计 ${input.from}~${input.to}`, '', '', '', ...SUMMARY_PARTS.flatMap((p) => [input.total[p].count, ...AMOUNT_COLUMNS.map((k) => amount(input.total[p][k]))])]);
  totalRow.font = { bold: true };
  SUMMARY_PARTS.forEach((_, i) => AMOUNT_COLUMNS.forEach((_k, j) => { summary.getColumn(4 + i * 5 + 2 + j).numFmt = MONEY_FORMAT; }));
  summary.getColumn(1).width = 24;

  const detail = book.addWorksheet('明细');
  header(detail, DETAIL_HEADER);
  for (const row of detailRows(input)) {
    const added = detail.addRow([...row.text, row.totals.count, ...AMOUNT_COLUMNS.map((k) => amount(row.totals[k])), row.note]);
    if (row.type !== 'entry') added.font = { bold: true };
  }
  AMOUNT_COLUMNS.forEach((_, j) => { detail.getColumn(DETAIL_FIRST_NUMBER + 2 + j).numFmt = MONEY_FORMAT; });
  [12, 8, 14, 12, 26, 22, 32, 22, 8, 10, 22].forEach((w, i) => { detail.getColumn(i + 1).width = w; });

  const discrepancies = book.addWorksheet('差异');
  header(discrepancies, DISCREPANCY_HEADER);
  for (const d of input.discrepancies) discrepancies.addRow(discrepancyText(d));

  const moves = book.addWorksheet('差额处理');
  header(moves, ['记入营业日', '差异日', '差异类型', '处理方式', '金额', '处理人', '处理时间', '说明']);
  for (const d of input.resolutions) {
    const r = d.resolution!;
    moves.addRow([r.bookedOn, d.date, d.label, RESOLUTION_LABELS[r.action], amount(r.amount), r.by, r.at, [r.detail, r.reason].filter(Boolean).join('；')]);
  }
  moves.getColumn(5).numFmt = MONEY_FORMAT;

  if (input.salesReports) {
    // 进销存上传: a day is "全部上报" only when nothing of it waits and nothing was refused.
    const reports = book.addWorksheet('进销存上传');
    header(reports, ['营业日', '当日全部上报', '单号', '类型', '行号（上报流水号）', '医保目录编码', '商品', '数量', '追溯码盒数', '状态', '发送次数', '原因 / 说明']);
    const kind: Record<string, string> = { sale: '销售 3505', return: '退货 3506' };
    const state: Record<string, string> = { queued: '等待上报', sending: '上报中', accepted: '已上报', rejected: '被拒绝', void: '无需上报' };
    for (const day of input.salesReports) {
      for (const r of day.list) {
        reports.addRow([day.date, day.complete ? '是' : '否', r.saleId, kind[r.kind] ?? r.kind, r.bchno, r.catalogueCode, r.name, r.qty, r.boxes,
          r.waitingForSettlement ? '等待结算确认' : state[r.state] ?? r.state, r.sends, r.state === 'rejected' ? r.note : '']);
      }
      const total = reports.addRow([day.date, day.complete ? '是' : '否', '小计', '', '', '', `已上报 ${day.boxes.reported} 盒，等待 ${day.boxes.waiting} 盒，被拒 ${day.boxes.rejected} 盒`]);
      total.font = { bold: true };
    }
    [12, 12, 22, 10, 26, 16, 24, 8, 10, 12, 8, 40].forEach((w, i) => { reports.getColumn(i + 1).width = w; });
  }

  if (input.inventoryUploads) {
    // 库存上传 (3501–3504/3507): a day is "全部上报" only when none of its uploads waits or was refused.
    const uploads = book.addWorksheet('库存上传');
    header(uploads, ['营业日', '当日全部上报', 'POS 编号', '类型', '批次流水号', '医保目录编码', '商品', '来源', '状态', '发送次数', '原因 / 说明']);
    const state: Record<string, string> = { queued: '等待上报', sending: '上报中', accepted: '已上报', rejected: '被拒绝', void: '无需上报' };
    for (const day of input.inventoryUploads) {
      const done = day.complete ? '是' : '否';
      for (const u of day.list) {
        uploads.addRow([day.date, done, u.key, `${u.infno} ${u.name}`, u.bchno, u.catalogueCode, u.itemName, u.origin === 'pos' ? 'POS' : '文件导入',
          state[u.state] ?? u.state, u.sends, u.state === 'rejected' ? u.note : '']);
      }
      const total = uploads.addRow([day.date, done, '小计', '', '', '', `已上报 ${day.rows.accepted} 行，等待 ${day.rows.queued + day.rows.sending} 行，被拒 ${day.rows.rejected} 行`]);
      total.font = { bold: true };
    }
    [12, 12, 24, 18, 20, 16, 24, 10, 10, 8, 40].forEach((w, i) => { uploads.getColumn(i + 1).width = w; });
  }

  return Buffer.from(await book.xlsx.writeBuffer());
}
