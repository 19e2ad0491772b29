// The printable receipt (HTML, printed through the browser's or Electron's print path to paper or PDF).
// A provisional split carries a visible 暂估 mark: the centre has not confirmed it yet.
import { type SaleView } from '../contracts/checkout';
import { shanghaiDateTime } from './business-date';

const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STATE_LABEL: Record<SaleView['state'], string> = {
  open: '未结算', presettled: '已预结算', settled: '已结算', provisional: '暂估结算（离线，待中心确认）',
  selfpay: '自费（待医保补结算）', refunded: '已退费', cancelled: '已撤销',
};

export function receiptHtml(sale: SaleView, store: { name: string; code: string }): string {
  const split = sale.centre?.split ?? sale.split;
  const provisional = sale.provisional && !sale.centre?.split;
  const rows = sale.lines.map((l) => `<tr><td>${esc(l.name)}${l.split ? '（拆零）' : ''}${l.flags.includes('UNMAPPED') ? ' <em>未对照·自费</em>' : ''}</td><td class="n">${esc(l.qty)}</td><td class="n">${esc(l.price)}</td><td class="n">${esc(l.amount)}</td></tr>`).join('');
  const person = sale.person ? `<p>参保人：${esc(sale.person.name)}（${esc(sale.person.idNumberMasked)}） 参保地：${esc(sale.person.regionName ?? sale.person.region)}</p>` : '';
  const year = sale.person?.year;
  const ytd = year ? `<p class="ytd" data-ytd="${year.source}">本年起付线已付 ${esc(year.deductibleMet)} · 统筹已支付 ${esc(year.fundPaid)} · 剩余限额 ${year.capLeft === null ? '政策未给出' : esc(year.capLeft)}${year.source === 'centre' ? '' : '（仅本店记录）'}</p>` : '';
  const rx = sale.prescription ? `<p>外配处方：${esc(sale.prescription.entry.rxNo)} · ${esc(sale.prescription.issuer?.name ?? sale.prescription.entry.issuerCode)}${sale.prescription.issuer ? `（${sale.prescription.issuer.level}级）` : ''} · ${esc(sale.prescription.entry.issuedOn)}</p>` : '';
  const amounts = split ? `
    <table class="split">
      <tr><th>费用总额</th><td class="n">${esc(split.total)}</td></tr>
      <tr><th>统筹基金支付</th><td class="n">${esc(split.fund)}</td></tr>
      <tr><th>个人账户支付</th><td class="n">${esc(split.account)}</td></tr>
      <tr class="cash"><th>现金支付</th><td class="n">${esc(split.cash)}</td></tr>
    </table>
    <ol class="explain">${split.explain.map((e) => `<li>${esc(e)}</li>`).join('')}</ol>` : '';
  const diff = sale.centre?.difference ? `<p class="diff">中心确认与暂估差额：统筹 ${esc(sale.centre.difference.fund)}，个人账户 ${esc(sale.centre.difference.account)}，现金 ${esc(sale.centre.difference.cash)}</p>` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>医保结算单 ${esc(sale.id)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; width: 72mm; margin: 4mm auto; font-size: 12px; }
  h1 { font-size: 16px; text-align: center; margin: 0 0 4px; }
  .mark { border: 2px solid #c00; color: #c00; font-weight: bold; font-size: 18px; text-align: center; padding: 2px; margin: 4px 0; }
  table { width: 100%; border-collapse: collapse; } td, th { padding: 1px 2px; text-align: left; } .n { text-align: right; }
  .split th { font-weight: normal; } .cash { font-weight: bold; font-size: 14px; }
  .explain { padding-left: 16px; color: #333; font-size: 11px; } .diff { color: #c00; }
  @media print { body { margin: 0; } }
</style></head><body>
<h1>${esc(store.name)}</h1>
<p>机构编号：${esc(store.code)}<br>单号：${esc(sale.id)}<br>时间：${esc(shanghaiDateTime(sale.createdAt))}<br>状态：${esc(STATE_LABEL[sale.state])}</p>
${provisional ? '<div class="mark" data-mark="provisional">暂估 · 以医保中心确认为准</div>' : ''}
${person}${ytd}${rx}
<table><tr><th>品名</th><th class="n">数量</th><th class="n">单价</th><th class="n">金额</th></tr>${rows}</table>
${amounts}${diff}
<p>收银员：${esc(sale.operator)}</p>
</body></html>`;
}
