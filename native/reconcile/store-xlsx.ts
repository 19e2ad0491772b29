// The store-level export (issue 17) as an .xlsx workbook: 汇总 (per day one row per till and the
// store's subtotal, then the range's total — the same rows as the CSV) and 差异 (every
// discrepancy of the range, naming till and sale). Amounts are numeric cells formatted 0.00,
// written from the two-decimal strings the API reports. exceljs is loaded on first use.
import type ExcelJS from 'exceljs';
import { type StoreDiscrepancy, type StoreRangeView } from '../../core/contracts/ledger';
import {
  STORE_DISCREPANCY_HEADER, STORE_EXPORT_FIRST_NUMBER, STORE_EXPORT_HEADER, storeDiscrepancyText, storeExportCells, storeExportRows,
} from '../../core/reconcile/store-report';

function amount(text: string | number): number {
  if (typeof text === 'number') return text;
  if (!/^-?\d{1,12}\.\d{2}$/.test(text)) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  return Number(text);
}

function header(sheet: ExcelJS.Worksheet, titles: readonly string[]): void {
  sheet.addRow([...titles]).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function storeWorkbook(view: StoreRangeView, discrepancies: readonly StoreDiscrepancy[], store: { name: string }, generatedAt: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = store.name;
  book.created = new Date(generatedAt);
  book.title = `医保全店对账 ${view.from}~${view.to}`;
  const summary = book.addWorksheet('汇总');
  header(summary, STORE_EXPORT_HEADER);
  for (const row of storeExportRows(view)) {
    const added = summary.addRow([...row.text, ...storeExportCells(row).map(amount)]);
    if (row.type !== 'till') added.font = { bold: true };
  }
  for (let c = STORE_EXPORT_FIRST_NUMBER + 1; c <= STORE_EXPORT_HEADER.length; c++) if ((c - STORE_EXPORT_FIRST_NUMBER - 1) % 5 !== 0) summary.getColumn(c).numFmt = '0.00';
  summary.getColumn(1).width = 24;
  summary.getColumn(2).width = 22;
  const sheet = book.addWorksheet('差异');
  header(sheet, STORE_DISCREPANCY_HEADER);
  for (const d of discrepancies) sheet.addRow(storeDiscrepancyText(d));
  return Buffer.from(await book.xlsx.writeBuffer());
}
