// Every parameter of a package as a flat row (what, value, source), for the store's provenance
// column and for the tables in docs/policies.md, which a unit test keeps identical to the packages.
import { decimal } from '../money/money';
import { type Param, type PolicyPackage, type Source, type TierKey } from './package';

export interface ParameterRow {
  /** Dotted path in the package, e.g. "rules.ratio.retired.2". */
  readonly path: string;
  readonly label: string;
  readonly known: boolean;
  /** Displayed value, e.g. "500 元", "80%", "2023-01-01"; null when unknown. */
  readonly value: string | null;
  readonly source?: Source;
  readonly why?: string;
}

const STATUS = { active: '在职', retired: '退休' } as const;
const TIERS: readonly TierKey[] = [1, 2, 3];

export function parameterRows(pkg: PolicyPackage): ParameterRow[] {
  const rows: ParameterRow[] = [];
  const add = <T>(path: string, label: string, p: Param<T>, show: (v: T) => string): void => {
    rows.push(p.known
      ? { path, label, known: true, value: show(p.value), source: p.source }
      : { path, label, known: false, value: null, why: p.why, ...(p.source ? { source: p.source } : {}) });
  };
  const r = pkg.rules;
  const basis = r.tierBasis.known ? r.tierBasis.value : undefined;
  const tierName = (t: TierKey): string => basis === 'priceClass' ? `${['一', '二', '三'][t - 1]}类` : basis === 'level' ? `${['一', '二', '三'][t - 1]}级` : `第${t}档`;

  add('effective.from', '施行日期', pkg.effective.from, (v) => v);
  add('effective.to', '最后施行日', pkg.effective.to, (v) => v ?? '未设（施行至下一版本开始）');
  add('rules.tierBasis', '分档依据（开具处方机构的）', r.tierBasis, (v) => (v === 'level' ? '医疗机构级别' : '收费价格类别'));
  const d = r.deductible;
  if (d.basis === 'unknown') {
    rows.push({ path: 'rules.deductible.basis', label: '起付标准计算方式', known: false, value: null, why: d.why });
  } else {
    rows.push({ path: 'rules.deductible.basis', label: '起付标准计算方式', known: true, value: d.basis === 'annual' ? '按年度累计' : '按次', source: d.source });
    for (const s of ['active', 'retired'] as const) {
      if (d.basis === 'annual') add(`rules.deductible.amount.${s}`, `年度起付标准（${STATUS[s]}）`, d.amount[s], yuan);
      else for (const t of TIERS) add(`rules.deductible.amount.${s}.${t}`, `每次起付标准（${STATUS[s]}，${tierName(t)}）`, d.amount[s][t], yuan);
    }
  }
  for (const s of ['active', 'retired'] as const) {
    for (const t of TIERS) add(`rules.ratio.${s}.${t}`, `支付比例（${STATUS[s]}，${tierName(t)}）`, r.ratio[s][t], pct);
  }
  for (const s of ['active', 'retired'] as const) add(`rules.cap.${s}`, `年度最高支付限额（${STATUS[s]}）`, r.cap[s], yuan);
  add('rules.retiredRatesFrom', '退休待遇起算', r.retiredRatesFrom, (v) => (v === 'status' ? '按结算当日待遇类别' : '办结退休的次月起'));
  const c = pkg.citations;
  const gate = (path: string, label: string, source: Source, value: string): void => { rows.push({ path, label, known: true, value, source }); };
  gate('citations.externalPrescription', '外配处方', c.externalPrescription, '须持定点医疗机构外配处方');
  gate('citations.designated', '定点机构', c.designated, '开具处方机构须为定点');
  gate('citations.hospitalized', '住院期间', c.hospitalized, '不支付');
  gate('citations.suspended', '待遇暂停期间', c.suspended, '不支付');
  gate('citations.account', '个人账户', c.account, '可付个人负担部分（非医疗商品除外）');
  return rows;
}

function yuan(v: string): string { return `${v} 元`; }
function pct(v: string): string { return `${decimal(v).times(100).toString()}%`; }

function sourceText(s: Source | undefined): string {
  if (!s) return '';
  if (s.from === 'product-rule') return `系统规则：${s.note}`;
  return `${s.article}：“${s.text}”${s.note ? `（${s.note}）` : ''}`;
}

/** The generated part of docs/policies.md: one table per package. */
export function renderPolicyTables(packages: readonly PolicyPackage[]): string {
  const out: string[] = [];
  for (const pkg of [...packages].sort((a, b) => a.region.code.localeCompare(b.region.code) || a.id.localeCompare(b.id))) {
    const doc = pkg.document;
    out.push(`### ${pkg.region.name} ${pkg.region.code} — ${doc.citeAs}`, '');
    out.push(`- 版本：\`${pkg.id}\`（\`core/policy/packages/${pkg.region.code}-*.json\`）；原文副本：\`core/policy/sources/${doc.sourceFile}\``);
    out.push(`- 文件：${doc.title}；${doc.issuer}${doc.issued ? `，${doc.issued} 印发` : '，印发日期未载明'}${doc.forwardedBy ? `；转发：${doc.forwardedBy}` : ''}`);
    out.push(`- 状态：${doc.status === 'draft' ? '**征求意见稿（草案），非正式文件**' : '正式文件'}${doc.truncated ? '；**我们的文本不完整（截断）**' : ''}`);
    for (const n of doc.notes) out.push(`- ${n}`);
    out.push('', '| 参数 | 值 | 来源 |', '|---|---|---|');
    for (const row of parameterRows(pkg)) {
      const value = row.known ? row.value! : `**未知**：${row.why}`;
      out.push(`| ${row.label} | ${value} | ${sourceText(row.source)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
