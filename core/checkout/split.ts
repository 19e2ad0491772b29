// The sale's split = the insurance transaction's split (engine or centre) + the flagged lines sold
// for cash outside it. Each part is already rounded; adding them keeps fund + account + cash = total.
import { type SplitView } from '../contracts/checkout';
import { type QuoteResult } from '../copay/contract';
import { fmt, money, sum, ZERO } from '../money/money';
import { type ResolvedLine } from './basket';

export function splitFromQuote(quote: QuoteResult): SplitView {
  const { total, fullSelfPay, overLimit, preSelfPay, inScope, deductible, ratio, fund, account, cash, reasons, explain } = quote;
  return { total, fullSelfPay, overLimit, preSelfPay, inScope, deductible, ratio, fund, account, cash, reasons, explain };
}

export function withCashLines(insured: SplitView | null, lines: readonly ResolvedLine[]): SplitView {
  const cashLines = lines.filter((l) => !l.insured);
  const extra = sum(cashLines.map((l) => money(l.amount)));
  const base: SplitView = insured ?? {
    total: '0.00', fullSelfPay: '0.00', overLimit: '0.00', preSelfPay: '0.00', inScope: '0.00', deductible: '0.00',
    ratio: '0.00', fund: '0.00', account: '0.00', cash: '0.00', reasons: [], explain: [],
  };
  if (extra.equals(ZERO)) return base;
  const note = cashLines.map((l) => `${l.name}（${l.flags.includes('UNMAPPED') ? '未对照医保目录' : '不在外配处方上'}）${l.amount} 元`).join('，');
  return {
    ...base,
    total: fmt(money(base.total).plus(extra)),
    fullSelfPay: fmt(money(base.fullSelfPay).plus(extra)),
    cash: fmt(money(base.cash).plus(extra)),
    explain: [...base.explain, `医保外现金：${note}，合计 ${fmt(extra)} 元，全额自付`],
  };
}

/** Every line in cash: no insured person, or a self-pay sale the centre never sees. */
export function allCash(lines: readonly ResolvedLine[], why: string): SplitView {
  const total = fmt(sum(lines.map((l) => money(l.amount))));
  return {
    total, fullSelfPay: total, overLimit: '0.00', preSelfPay: '0.00', inScope: '0.00', deductible: '0.00', ratio: '0.00',
    fund: '0.00', account: '0.00', cash: total, reasons: [],
    explain: [`自费：${why}，${lines.length} 行合计 ${total} 元全部现金支付`],
  };
}
