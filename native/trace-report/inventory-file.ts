// The xlsx side of inventory imports (exceljs, loaded on first use like the reconciliation export):
// the per-kind template, and a workbook's first sheet read as text cells with their row numbers.
// The row checks are core/trace/inventory-import.ts.
import type ExcelJS from 'exceljs';
import { INVENTORY_KINDS, type InventoryInfno } from '../../core/centre/tx/stock';
import { templateHeader } from '../../core/trace/inventory-import';

async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

export async function templateXlsx(infno: InventoryInfno): Promise<Buffer> {
  const Excel = await excel();
  const book = new Excel.Workbook();
  const sheet = book.addWorksheet(`${infno} ${INVENTORY_KINDS[infno].name}`);
  const header = templateHeader(infno);
  sheet.addRow(header);
  sheet.getRow(1).font = { bold: true };
  header.forEach((h, i) => { sheet.getColumn(i + 1).width = Math.max(12, h.length + 4); sheet.getColumn(i + 1).numFmt = '@'; });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The first worksheet as text: each cell's shown text (dates as yyyy-MM-dd[ HH:mm:ss]), and each row's number. */
export async function readSheet(bytes: Buffer): Promise<{ table: string[][]; lines: number[] }> {
  const Excel = await excel();
  const book = new Excel.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) return { table: [], lines: [] };
  const table: string[][] = [];
  const lines: number[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    if (cells.some((v) => v.trim() !== '')) { table.push(cells); lines.push(number); }
  });
  return { table, lines };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}
