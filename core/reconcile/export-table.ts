// The rows of an export (a day or any range), shared by the CSV and the xlsx writer so both carry
// exactly the figures the screen shows: every entry, then per day the subtotals the API reports
// (confirmed / provisional / all), then the range's totals (the sum of its days).
import { type InventoryDayView, type ReportDayView } from '../contracts/trace';
import {
  CENTRE_CHECK_LABELS, type DaySummary, type DayTotals, type Discrepancy, ENTRY_KIND_LABELS, ENTRY_STATUS_LABELS, type EntryView, RESOLUTION_LABELS,
  type Totals,
} from '../contracts/reconciliation';

export interface ExportInput {
  readonly store: { readonly code: string; readonly name: string };
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly days: readonly DaySummary[];
  readonly entries: ReadonlyMap<string, readonly EntryView[]>;
  readonly total: DayTotals;
  readonly discrepancies: readonly Discrepancy[];
  /** Resolved discrepancies whose effect is booked on a day of the range. */
  readonly resolutions: readonly Discrepancy[];
  /** 进销存上传 per day (3505/3506 rows and their states), when the store reports sales. */
  readonly salesReports?: readonly ReportDayView[];
  /** 库存上传 per day (3501–3504/3507 uploads and their states). */
  readonly inventoryUploads?: readonly InventoryDayView[];
}

export const AMOUNT_COLUMNS = ['medfee', 'fund', 'account', 'cash'] as const;

export const DETAIL_HEADER = ['营业日', '类型', '状态', '所属日', '时间', '销售单号', '报文ID', '结算ID', '险种', '清算机构', '患者', '人次', '医疗费总额', '统筹基金', '个人账户', '现金', '备注'];
/** Index of the first numeric column (人次) in DETAIL_HEADER; the text columns come before it, 备注 after. */
export const DETAIL_FIRST_NUMBER = 11;

export interface DetailRow {
  readonly type: 'entry' | 'subtotal' | 'total';
  /** The text columns before 人次. */
  readonly text: readonly string[];
  readonly totals: Totals;
  readonly note: string;
}

const PART_LABEL: Record<keyof DayTotals, string> = { confirmed: '中心已确认', provisional: '暂估', adjustments: '其中：以前日调整', all: '合计' };
const SUBTOTAL_PARTS: ReadonlyArray<keyof DayTotals> = ['confirmed', 'provisional', 'all'];

function entryTotals(e: EntryView): Totals {
  return { count: e.count, medfee: e.medfee, fund: e.fund, account: e.account, cash: e.cash };
}

export function detailRows(input: ExportInput): DetailRow[] {
  const rows: DetailRow[] = [];
  for (const day of input.days) {
    for (const e of input.entries.get(day.date) ?? []) {
      rows.push({
        type: 'entry',
        text: [day.date, ENTRY_KIND_LABELS[e.kind], ENTRY_STATUS_LABELS[e.status], e.belongsTo ?? '', e.at, e.saleId ?? '', e.msgid ?? '', e.setlId ?? '', e.insutype, e.setlOptins,
          e.patient ? `${e.patient.name} ${e.patient.idNumber}`.trim() : ''],
        totals: entryTotals(e), note: e.note,
      });
    }
    for (const part of SUBTOTAL_PARTS) {
      rows.push({ type: 'subtotal', text: [day.date, `小计·${PART_LABEL[part]}`, '', '', '', '', '', '', '', '', ''], totals: day.totals[part], note: '' });
    }
  }
  for (const part of SUBTOTAL_PARTS) {
    rows.push({ type: 'total', text: [`${input.from}~${input.to}`, `总计·${PART_LABEL[part]}`, '', '', '', '', '', '', '', '', ''], totals: input.total[part], note: '' });
  }
  return rows;
}

export const SUMMARY_HEADER = ['营业日', '日结', '对账结果', '未处理差异',
  ...(['confirmed', 'provisional', 'all'] as const).flatMap((p) => [`${PART_LABEL[p]}·人次`, `${PART_LABEL[p]}·医疗费总额`, `${PART_LABEL[p]}·统筹基金`, `${PART_LABEL[p]}·个人账户`, `${PART_LABEL[p]}·现金`])];

export function summaryText(day: DaySummary): string[] {
  return [day.date, day.state === 'closed' ? '已日结' : '未日结', day.lastCheck ? CENTRE_CHECK_LABELS[day.lastCheck.result] + (day.balanced ? '' : day.lastCheck.result === 'balanced' ? '（有未处理差异）' : '') : CENTRE_CHECK_LABELS.not_checked, String(day.openDiscrepancies)];
}

export const SUMMARY_PARTS: ReadonlyArray<keyof DayTotals> = ['confirmed', 'provisional', 'all'];

export const DISCREPANCY_HEADER = ['营业日', '差异类型', '原因', '销售单号', '报文ID', '结算ID', '患者', '统筹差额', '个人账户差额', '现金差额', '状态', '处理方式', '处理人', '处理金额', '处理说明', '记入营业日'];

export function discrepancyText(d: Discrepancy): string[] {
  return [d.date, d.label, d.cause, d.saleId ?? '', d.msgid ?? '', d.setlId ?? '', d.patient ? `${d.patient.name} ${d.patient.idNumber}`.trim() : '',
    d.difference.fund, d.difference.account, d.difference.cash, d.status === 'open' ? '未处理' : '已处理',
    d.resolution ? RESOLUTION_LABELS[d.resolution.action] : '', d.resolution?.by ?? '', d.resolution?.amount ?? '', d.resolution ? [d.resolution.detail, d.resolution.reason].filter(Boolean).join('；') : '',
    d.resolution?.bookedOn ?? ''];
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────────────

/** A text cell; one that a spreadsheet would run as a formula is prefixed with ' (CSV injection). */
export function textCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function amountCell(value: string): string {
  return value;
}

/** The detail table as CSV (UTF-8 with a BOM so spreadsheet programs read the Chinese correctly). */
export function detailCsv(input: ExportInput): string {
  const lines = [DETAIL_HEADER.map(textCell).join(',')];
  for (const row of detailRows(input)) {
    lines.push([...row.text.map(textCell), String(row.totals.count), ...AMOUNT_COLUMNS.map((k) => amountCell(row.totals[k])), textCell(row.note)].join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Parses what detailCsv wrote (for tests and for re-importing); quoted fields, CRLF. */
export function parseCsv(text: string): string[][] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}
