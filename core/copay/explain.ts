// Chinese wording for the explain lines a cashier reads. Amounts as "12.30 元", ratios as "80%".
import { fmt, type Money } from '../money/money';
import { type PolicyPackage, type Source, type TierKey } from '../policy/package';

export const yuan = (value: Money): string => `${fmt(value)} 元`;

export function percent(ratio: Money): string {
  return `${ratio.times(100).toDecimalPlaces(2).toString()}%`;
}

/** "（十政办发〔2022〕61号 第五条）", or the product rule's note when the document is silent. */
export function cite(pkg: PolicyPackage, source: Source | undefined): string {
  if (!source) return `（${pkg.document.citeAs}）`;
  if (source.from === 'document') return `（${pkg.document.citeAs} ${source.article}）`;
  return `（系统规则：${source.note}）`;
}

const LEVELS: Record<TierKey, string> = { 1: '一级（及以下）', 2: '二级', 3: '三级' };
const CLASSES: Record<TierKey, string> = { 1: '一类收费价格', 2: '二类收费价格', 3: '三类收费价格（及以下）' };

export function tierLabel(basis: 'level' | 'priceClass', tier: TierKey): string {
  return basis === 'level' ? LEVELS[tier] : CLASSES[tier];
}

export const statusLabel = (status: 'active' | 'retired'): string => (status === 'active' ? '在职' : '退休');

export function policyLine(pkg: PolicyPackage): string {
  const from = pkg.effective.from;
  const to = pkg.effective.to;
  const span = from.known
    ? `${from.value} 起施行${to.known ? (to.value ? `，至 ${to.value} 止` : '') : '，终止日期未知'}`
    : '施行日期未知';
  const draft = pkg.document.status === 'draft' ? '；注意：此为征求意见稿，数值以正式文件为准' : '';
  return `适用政策：${pkg.region.name}（${pkg.region.code}）${pkg.document.citeAs}，${span}${draft}`;
}
