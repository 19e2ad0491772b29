// The printable daily report (HTML; the renderer or Electron prints it to paper or PDF). It shows
// the same figures as the day's screen: totals, the centre's answer per group, every entry, the
// discrepancies and the resolutions booked on the day, and signature lines.
import {
  CENTRE_CHECK_LABELS, DETAIL_RESULT_LABELS, type DayView, type Discrepancy, ENTRY_KIND_LABELS, ENTRY_STATUS_LABELS, RESOLUTION_LABELS, type Totals,
} from '../contracts/reconciliation';

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function totalsCells(t: Totals): string {
  return `<td class="n">${t.count}</td><td class="n">${esc(t.medfee)}</td><td class="n">${esc(t.fund)}</td><td class="n">${esc(t.account)}</td><td class="n">${esc(t.cash)}</td>`;
}

const AMOUNT_HEAD = '<th>人次</th><th>医疗费总额</th><th>统筹基金</th><th>个人账户</th><th>现金</th>';

export function dailyReportHtml(day: DayView, resolutions: readonly Discrepancy[], store: { code: string; name: string }, printedAt: string): string {
  const state = day.state === 'closed' ? `已日结（${esc(day.closedBy ?? '')}，${esc(day.closedAt ?? '')}）` : '未日结（数字可能还会变化）';
  const check = day.lastCheck ? `${CENTRE_CHECK_LABELS[day.lastCheck.result]} · ${esc(day.lastCheck.message)} · ${esc(day.lastCheck.at)}` : CENTRE_CHECK_LABELS.not_checked;
  const totals = (['confirmed', 'provisional', 'adjustments', 'all'] as const).map((k) => `<tr><th>${{ confirmed: '中心已确认', provisional: '暂估（待确认）', adjustments: '其中：以前日调整', all: '合计' }[k]}</th>${totalsCells(day.totals[k])}</tr>`).join('');
  const groups = day.groups.map((g) => `<tr><td>${esc(g.insutype)}</td><td>${esc(g.clrType)}</td><td>${esc(g.setlOptins)}</td>${totalsCells(g.store)}<td>${esc(CENTRE_CHECK_LABELS[g.result])}</td><td>${esc(g.description)}</td></tr>`).join('');
  const entries = day.entries.map((e) => `<tr><td>${esc(e.at)}</td><td>${esc(ENTRY_KIND_LABELS[e.kind])}</td><td>${esc(ENTRY_STATUS_LABELS[e.status])}</td><td>${esc(e.belongsTo ?? '')}</td><td>${esc(e.saleId ?? '')}</td><td>${esc(e.setlId ?? '')}</td><td>${esc(e.patient ? e.patient.name : '')}</td>${totalsCells({ count: e.count, medfee: e.medfee, fund: e.fund, account: e.account, cash: e.cash })}<td>${esc(e.note)}</td></tr>`).join('');
  const detail = day.detail.filter((r) => r.result !== 'matched').map((r) => `<tr><td>${esc(r.setlId)}</td><td>${esc(DETAIL_RESULT_LABELS[r.result])}</td><td>${esc(r.memo)}</td></tr>`).join('');
  const discrepancies = day.discrepancies.map((d) => `<tr><td>${esc(d.label)}</td><td>${esc(d.cause)}</td><td>${esc(d.saleId ?? d.setlId ?? '')}</td><td>${esc(d.patient?.name ?? '')}</td><td class="n">${esc(d.difference.fund)}</td><td class="n">${esc(d.difference.account)}</td><td class="n">${esc(d.difference.cash)}</td><td>${d.status === 'open' ? '<b>未处理</b>' : esc(RESOLUTION_LABELS[d.resolution!.action])}</td></tr>`).join('');
  const moves = resolutions.map((d) => `<tr><td>${esc(d.date)}</td><td>${esc(d.label)}</td><td>${esc(RESOLUTION_LABELS[d.resolution!.action])}</td><td class="n">${esc(d.resolution!.amount)}</td><td>${esc(d.resolution!.by)}</td><td>${esc([d.resolution!.detail, d.resolution!.reason].filter(Boolean).join('；'))}</td></tr>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>医保日结对账单 ${esc(day.date)}</title>
<style>
  @page { size: A4; margin: 12mm; }
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 11px; color: #000; }
  h1 { font-size: 18px; text-align: center; margin: 0 0 6px; } h2 { font-size: 13px; margin: 12px 0 4px; }
  table { width: 100%; border-collapse: collapse; margin-bottom: 6px; } th, td { border: 1px solid #999; padding: 2px 4px; text-align: left; }
  th { background: #eee; } .n { text-align: right; font-variant-numeric: tabular-nums; }
  .state { font-weight: bold; } .balanced-false { color: #c00; } .sign { margin-top: 24px; display: flex; gap: 48px; }
  tr { break-inside: avoid; }
</style></head><body>
<h1>医保日结对账单</h1>
<p>${esc(store.name)}（${esc(store.code)}） · 营业日 <b>${esc(day.date)}</b> · <span class="state">${state}</span><br>
对账：<span class="balanced-${day.balanced}">${day.balanced ? '已对平' : '未对平'}</span> · ${check} · 未处理差异 ${day.openDiscrepancies} 条</p>
<h2>汇总</h2>
<table data-section="totals"><tr><th></th>${AMOUNT_HEAD}</tr>${totals}</table>
<h2>对总账（3201）</h2>
<table data-section="groups"><tr><th>险种</th><th>清算类别</th><th>清算机构</th>${AMOUNT_HEAD}<th>结果</th><th>中心说明</th></tr>${groups || '<tr><td colspan="10">无</td></tr>'}</table>
${detail ? `<h2>对明细账（3202）不一致</h2><table data-section="detail"><tr><th>结算ID</th><th>结果</th><th>说明</th></tr>${detail}</table>` : ''}
<h2>明细（${day.entries.length} 条）</h2>
<table data-section="entries"><tr><th>时间</th><th>类型</th><th>状态</th><th>所属日</th><th>销售单号</th><th>结算ID</th><th>患者</th>${AMOUNT_HEAD}<th>备注</th></tr>${entries || '<tr><td colspan="13">无</td></tr>'}</table>
<h2>差异</h2>
<table data-section="discrepancies"><tr><th>类型</th><th>原因</th><th>单号</th><th>患者</th><th>统筹差额</th><th>个人账户差额</th><th>现金差额</th><th>处理</th></tr>${discrepancies || '<tr><td colspan="8">无</td></tr>'}</table>
<h2>本日处理的差额</h2>
<table data-section="resolutions"><tr><th>差异日</th><th>类型</th><th>处理方式</th><th>金额</th><th>处理人</th><th>说明</th></tr>${moves || '<tr><td colspan="6">无</td></tr>'}</table>
<div class="sign"><span>店长签字：__________</span><span>复核：__________</span><span>打印时间：${esc(printedAt)}</span></div>
</body></html>`;
}
