// Store-level reports over all tills of a store ledger (issue 17): per-till subtotals of a day's
// facts and the store's totals (their sum, in cents with decimal.js), the export table (CSV; the
// xlsx writer in native/ uses the same rows) and the printable 全店日报. Pure: the ledger reading
// is in electron/backend/ledger/store-report.ts.
import { type StoreDayView, type StoreRangeView, type StoreReportDay, type StoreTotals } from '../contracts/ledger';
import { CENTRE_CHECK_LABELS, RESOLUTION_LABELS, type Totals as TotalsView } from '../contracts/reconciliation';
import { textCell } from './export-table';
import { type LedgerFact } from './ledger';
import { sumTotals, totalsFromView, totalsView } from './totals';

/** A fact of the ledger with the till that pushed it. */
export interface TillFact { readonly tillId: string; readonly fact: LedgerFact }

/** Confirmed / provisional / all of facts booked on `date` (as the store day view counts them). */
export function storeTotalsOf(facts: readonly LedgerFact[], date: string): StoreTotals {
  const ofDay = facts.filter((f) => f.day === date);
  const confirmed = sumTotals(ofDay.filter((f) => f.status === 'confirmed').map((f) => f.totals));
  const provisional = sumTotals(ofDay.filter((f) => f.status === 'provisional').map((f) => f.totals));
  return { confirmed: totalsView(confirmed), provisional: totalsView(provisional), all: totalsView(sumTotals([confirmed, provisional])) };
}

/** The sum of several subtotals, part by part, in cents (never JS number arithmetic on money). */
export function sumStoreTotals(items: readonly StoreTotals[]): StoreTotals {
  const add = (k: keyof StoreTotals): TotalsView => totalsView(sumTotals(items.map((t) => totalsFromView(t[k]))));
  return { confirmed: add('confirmed'), provisional: add('provisional'), all: add('all') };
}

/** Per-till subtotals of a day for every till listed (a till without facts that day gets zeros), and their sum. */
export function tillSubtotals(tills: readonly string[], facts: readonly TillFact[], date: string): Pick<StoreReportDay, 'tills' | 'totals'> {
  const ids = [...new Set([...tills, ...facts.map((f) => f.tillId)])].sort();
  const rows = ids.map((tillId) => ({ tillId, totals: storeTotalsOf(facts.filter((f) => f.tillId === tillId).map((f) => f.fact), date) }));
  return { tills: rows, totals: sumStoreTotals(rows.map((r) => r.totals)) };
}

export const STORE_SCOPE_LABEL = (tills: number): string => `全店（${tills} 台收银台）`;

const PARTS = ['confirmed', 'provisional', 'all'] as const;
const PART_LABELS: Record<(typeof PARTS)[number], string> = { confirmed: '中心已确认', provisional: '暂估', all: '合计' };
const AMOUNTS = ['medfee', 'fund', 'account', 'cash'] as const;

export const STORE_EXPORT_HEADER = ['营业日', '收银台', '日结', '对账结果', '未处理差异',
  ...PARTS.flatMap((p) => [`${PART_LABELS[p]}人次`, `${PART_LABELS[p]}医疗费总额`, `${PART_LABELS[p]}统筹基金`, `${PART_LABELS[p]}个人账户`, `${PART_LABELS[p]}现金`])];
/** Index of the first numeric column in STORE_EXPORT_HEADER. */
export const STORE_EXPORT_FIRST_NUMBER = 5;

export interface StoreExportRow {
  readonly type: 'till' | 'day' | 'total';
  readonly text: readonly string[];
  readonly totals: StoreTotals;
}

/** Per day: one row per till, then the store's day total; last, the range's total. */
export function storeExportRows(view: StoreRangeView): StoreExportRow[] {
  const rows: StoreExportRow[] = [];
  for (const day of view.days) {
    const state = day.state === 'closed' ? `已日结（${day.closed?.fromTill ?? ''}）` : '未日结';
    for (const t of day.tills) rows.push({ type: 'till', text: [day.date, t.tillId, state, CENTRE_CHECK_LABELS[day.result], ''], totals: t.totals });
    rows.push({ type: 'day', text: [day.date, `${STORE_SCOPE_LABEL(day.tills.length)}小计`, state, CENTRE_CHECK_LABELS[day.result], String(day.openDiscrepancies)], totals: day.totals });
  }
  rows.push({ type: 'total', text: [`合计 ${view.from}~${view.to}`, STORE_SCOPE_LABEL(view.tills.length), '', '', ''], totals: view.total });
  return rows;
}

export function storeExportCells(row: StoreExportRow): Array<string | number> {
  return PARTS.flatMap((p) => [row.totals[p].count, ...AMOUNTS.map((k) => row.totals[p][k])]);
}

/** The store's export as CSV (UTF-8 with a BOM), the same rows as the xlsx 汇总 sheet. */
export function storeCsv(view: StoreRangeView): string {
  const lines = [STORE_EXPORT_HEADER.map(textCell).join(',')];
  for (const row of storeExportRows(view)) lines.push([...row.text.map(textCell), ...storeExportCells(row).map(String)].join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export const STORE_DISCREPANCY_HEADER = ['营业日', '收银台', '销售单号', '报文ID', '差异类型', '原因', '统筹差额', '个人账户差额', '现金差额', '状态', '处理'];

export function storeDiscrepancyText(d: StoreDayView['discrepancies'][number] & { date: string }): string[] {
  return [d.date, d.tillId ?? '', d.saleId ?? '', d.msgid ?? '', d.label, d.cause, d.difference.fund, d.difference.account, d.difference.cash,
    d.status === 'open' ? '未处理' : '已处理', d.request ? `${RESOLUTION_LABELS[d.request.action as keyof typeof RESOLUTION_LABELS] ?? d.request.action}：${d.request.message}` : ''];
}

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function cells(t: TotalsView): string {
  return `<td class="n">${t.count}</td>${AMOUNTS.map((k) => `<td class="n">${esc(t[k])}</td>`).join('')}`;
}

/** The printable 全店日报: per-till subtotals, the store's totals, its 3201 check and close, the discrepancies naming till and sale. */
export function storeDailyReportHtml(day: StoreReportDay, view: StoreDayView, store: { code: string; name: string }, printedAt: string): string {
  const scope = STORE_SCOPE_LABEL(day.tills.length);
  const state = day.closed ? `已日结（收银台 ${esc(day.closed.fromTill)}，${esc(day.closed.by)}，${esc(day.closed.at)}）` : '未日结（数字可能还会变化）';
  const head = `<tr><th>收银台</th><th>部分</th><th>人次</th><th>医疗费总额</th><th>统筹基金</th><th>个人账户</th><th>现金</th></tr>`;
  const block = (label: string, t: StoreTotals, cls: string): string => PARTS.map((p, i) =>
    `<tr class="${cls}" data-till="${esc(label)}" data-part="${p}">${i === 0 ? `<th rowspan="3">${esc(label)}</th>` : ''}<td>${PART_LABELS[p]}</td>${cells(t[p])}</tr>`).join('');
  const tills = day.tills.map((t) => block(t.tillId, t.totals, 'till')).join('') + block(`${scope}合计`, day.totals, 'total');
  const closedAt = day.closedTotals ? `<h2>日结时全店合计</h2><table data-section="closed">${head}${block('日结时', day.closedTotals, 'closed')}</table>` : '';
  const groups = view.groups.map((g) => `<tr><td>${esc(g.insutype)}</td><td>${esc(g.clrType)}</td><td>${esc(g.setlOptins)}</td>${cells(g.store)}<td>${esc(CENTRE_CHECK_LABELS[g.result])}</td><td>${esc(g.description)}</td></tr>`).join('');
  const discrepancies = view.discrepancies.map((d) => `<tr><td>${esc(d.tillId ?? '')}</td><td>${esc(d.saleId ?? '')}</td><td>${esc(d.label)}</td><td>${esc(d.cause)}</td><td class="n">${esc(d.difference.fund)}</td><td class="n">${esc(d.difference.account)}</td><td class="n">${esc(d.difference.cash)}</td><td>${d.status === 'open' ? '<b>未处理</b>' : '已处理'}${d.request ? ` · ${esc(d.request.message)}` : ''}</td></tr>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>医保全店日结对账单 ${esc(day.date)}</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 11px; color: #000; }
  h1 { font-size: 18px; text-align: center; margin: 0 0 6px; } h2 { font-size: 13px; margin: 12px 0 4px; }
  table { width: 100%; border-collapse: collapse; margin-bottom: 6px; } th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; }
  th { background: #eee; } .n { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: bold; }
  .sign { margin-top: 24px; display: flex; gap: 48px; } tr { break-inside: avoid; }
</style></head><body>
<h1>医保全店日结对账单</h1>
<p>${esc(store.name)}（${esc(store.code)}） · <b data-scope>${esc(scope)}</b> · 营业日 <b>${esc(day.date)}</b> · ${state}<br>
全店对账（3201）：${esc(CENTRE_CHECK_LABELS[day.result])} · ${esc(day.message)} · 未处理差异 ${day.openDiscrepancies} 条</p>
<h2>各收银台小计与全店合计</h2>
<table data-section="tills">${head}${tills}</table>
${closedAt}
<h2>对总账（3201，全店每组一次）</h2>
<table data-section="groups"><tr><th>险种</th><th>清算类别</th><th>清算机构</th><th>人次</th><th>医疗费总额</th><th>统筹基金</th><th>个人账户</th><th>现金</th><th>结果</th><th>说明</th></tr>${groups || '<tr><td colspan="10">尚未对账</td></tr>'}</table>
<h2>差异</h2>
<table data-section="discrepancies"><tr><th>收银台</th><th>销售单号</th><th>类型</th><th>原因</th><th>统筹差额</th><th>个人账户差额</th><th>现金差额</th><th>状态</th></tr>${discrepancies || '<tr><td colspan="8">无</td></tr>'}</table>
<div class="sign"><span>店长签字：__________</span><span>复核：__________</span><span>打印时间：${esc(printedAt)}</span></div>
</body></html>
`;
}
