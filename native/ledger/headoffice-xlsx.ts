// Head office's export of a date range across every store of the ledger as .xlsx (exceljs, loaded
// on first use like the day export): 门店日 (one row per store and day, 无数据 where the store had
// nothing that day), 门店合计 (each store over the range, and the chain's total) and 差异 (every
// discrepancy naming till and sale). Amounts are numeric cells formatted 0.00 written from the
// ledger's two-decimal strings, and sums are taken in cents, so every figure equals the screen.
import type ExcelJS from 'exceljs';
import { type HeadOfficeDay, type HeadOfficeDiscrepancy } from './pg-headoffice';

const MONEY_FORMAT = '0.00';

export interface HeadOfficeExport {
  readonly chain: string;
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly days: readonly HeadOfficeDay[];
  readonly discrepancies: readonly HeadOfficeDiscrepancy[];
}

export const DAY_HEADER = ['营业日', '定点编码', '门店', '笔数', '中心确认医疗费', '待确认基金+个账', '未上传条数', '未处理差异', '已日结', '对账结果'] as const;

/** Exact: a two-decimal string as cents (bigint). */
function cents(text: string): bigint {
  const m = /^(-?)(\d{1,12})\.(\d{2})$/.exec(text);
  if (!m) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  const v = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -v : v;
}
const amountText = (c: bigint): string => { const neg = c < 0n; const a = neg ? -c : c; return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`; };
const cell = (text: string): number => Number(text);

export function resultLabel(day: Pick<HeadOfficeDay, 'hasData' | 'result' | 'balanced'>): string {
  if (!day.hasData) return '无数据';
  if (day.result === null) return '未对账';
  return day.balanced ? '平' : day.result === 'balanced' ? '平（有未处理差异）' : '不平';
}

function header(sheet: ExcelJS.Worksheet, titles: readonly string[]): void {
  sheet.addRow([...titles]).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function headOfficeWorkbook(input: HeadOfficeExport): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = input.chain;
  book.created = new Date(input.generatedAt);
  book.title = `总部 门店日 ${input.from}~${input.to}`;

  const days = book.addWorksheet('门店日');
  header(days, DAY_HEADER);
  for (const d of input.days) {
    days.addRow([d.date, d.fixmedinsCode, d.storeName, d.sales, cell(d.confirmedMedfee), cell(d.provisionalAtRisk), d.unsynced, d.openDiscrepancies, d.closed ? '是' : '否', resultLabel(d)]);
  }
  [5, 6].forEach((c) => { days.getColumn(c).numFmt = MONEY_FORMAT; });
  [12, 16, 16, 8, 16, 18, 10, 10, 8, 18].forEach((w, i) => { days.getColumn(i + 1).width = w; });

  const totals = book.addWorksheet('门店合计');
  header(totals, ['定点编码', '门店', '有数据天数', '笔数', '中心确认医疗费', '待确认基金+个账', '未处理差异', '已日结天数']);
  const byStore = new Map<string, { name: string; days: number; sales: number; confirmed: bigint; atRisk: bigint; open: number; closed: number }>();
  for (const d of input.days) {
    const s = byStore.get(d.fixmedinsCode) ?? { name: d.storeName, days: 0, sales: 0, confirmed: 0n, atRisk: 0n, open: 0, closed: 0 };
    s.days += d.hasData ? 1 : 0; s.sales += d.sales; s.confirmed += cents(d.confirmedMedfee); s.atRisk += cents(d.provisionalAtRisk);
    s.open += d.openDiscrepancies; s.closed += d.closed ? 1 : 0;
    byStore.set(d.fixmedinsCode, s);
  }
  const all = { sales: 0, confirmed: 0n, atRisk: 0n, open: 0 };
  for (const [code, s] of byStore) {
    totals.addRow([code, s.name, s.days, s.sales, cell(amountText(s.confirmed)), cell(amountText(s.atRisk)), s.open, s.closed]);
    all.sales += s.sales; all.confirmed += s.confirmed; all.atRisk += s.atRisk; all.open += s.open;
  }
  totals.addRow([`合计 ${input.from}~${input.to}`, `${byStore.size} 家门店`, '', all.sales, cell(amountText(all.confirmed)), cell(amountText(all.atRisk)), all.open, '']).font = { bold: true };
  [5, 6].forEach((c) => { totals.getColumn(c).numFmt = MONEY_FORMAT; });
  [22, 16, 12, 8, 16, 18, 12, 12].forEach((w, i) => { totals.getColumn(i + 1).width = w; });

  const diffs = book.addWorksheet('差异');
  header(diffs, ['营业日', '定点编码', '门店', '收银台', '单号', '报文号', '差异类型', '状态']);
  for (const d of input.discrepancies) diffs.addRow([d.date, d.fixmedinsCode, d.storeName, d.tillId ?? '', d.saleId ?? '', d.msgid ?? '', d.kind, d.status === 'open' ? '未处理' : '已处理']);
  [12, 16, 16, 8, 24, 32, 20, 8].forEach((w, i) => { diffs.getColumn(i + 1).width = w; });

  return Buffer.from(await book.xlsx.writeBuffer());
}
