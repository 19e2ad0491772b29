// The offline co-pay engine (issue 3): splits a pharmacy bill into pooled fund (统筹基金), personal
// account (个人账户) and cash under the insured region's policy, and explains each step in Chinese.
// Pure: no clock, no I/O. The caller passes the packages, or a lookup backed by the policy store.
import { decimal, fmt, max, min, money, round2, sum, ZERO, type Money } from '../money/money';
import { type Param, type PolicyPackage, type Source, type TierKey } from '../policy/package';
import { selectVersion, type PolicyLookup } from '../policy/select';
import { describeIssues, QuoteInput, type ParsedQuoteInput, type QuoteResult, type ReasonCode } from './contract';
import { cite, percent, policyLine, statusLabel, tierLabel, yuan } from './explain';
import { splitLine } from './lines';

export class QuoteInputError extends Error {}

/** Validate the input (throws QuoteInputError naming the field) and quote it. */
export function quote(input: QuoteInput, packages: readonly PolicyPackage[] | PolicyLookup): QuoteResult {
  const parsed = QuoteInput.safeParse(input);
  if (!parsed.success) throw new QuoteInputError(describeIssues(parsed.error));
  return quoteParsed(parsed.data, packages);
}

interface Unknown { readonly label: string; readonly why: string; readonly source?: Source }

/** What the fund step needs, gathered from the policy; missing pieces are collected as unknowns. */
interface Terms {
  readonly status: 'active' | 'retired';
  readonly tier?: TierKey;
  readonly deductible?: { readonly basis: 'annual' | 'perVisit'; readonly amount: Money; readonly source: Source };
  readonly ratio?: { readonly value: Money; readonly source: Source };
  readonly cap?: { readonly value: Money; readonly source: Source };
  readonly unknowns: readonly Unknown[];
  readonly lines: readonly string[];
}

export function quoteParsed(input: ParsedQuoteInput, packages: readonly PolicyPackage[] | PolicyLookup): QuoteResult {
  const splits = input.lines.map(splitLine);
  const total = sum(splits.map((s) => s.amount));
  const fullSelfPay = sum(splits.map((s) => s.fullSelfPay));
  const overLimit = sum(splits.map((s) => s.overLimit));
  const preSelfPay = sum(splits.map((s) => s.preSelfPay));
  const inScope = total.minus(fullSelfPay).minus(overLimit).minus(preSelfPay);
  const nonMedical = sum(splits.map((s) => s.nonMedical));
  const met = money(input.year.deductibleMet);
  const fundPaid = money(input.year.fundPaid);

  const reasons = new Set<ReasonCode>();
  const explain: string[] = [];
  const selection = selectVersion(packages, input.region, input.date);
  const pkg = selection.kind === 'regionUnknown' ? undefined : selection.kind === 'notInForce' ? selection.nearest : selection.pkg;

  if (pkg) explain.push(policyLine(pkg));
  else explain.push(`参保地 ${input.region}：本系统没有该地区的政策包，统筹基金不予支付`);
  explain.push(`费用合计：${yuan(total)}（${splits.length} 行）`);
  if (fullSelfPay.greaterThan(0)) {
    explain.push(`全自费：${yuan(fullSelfPay)}（丙类 ${yuan(fullSelfPay.minus(nonMedical))}，非医疗商品 ${yuan(nonMedical)}），不进入统筹`);
  }
  if (overLimit.greaterThan(0)) explain.push(`超限价自付：${yuan(overLimit)}（单价超出医保支付标准的部分）`);
  if (preSelfPay.greaterThan(0)) explain.push(`乙类先行自付：${yuan(preSelfPay)}（按各行先行自付比例）`);
  explain.push(`政策范围内费用：${yuan(inScope)}`);

  // Gates: every applicable reason is reported, not only the first.
  const rx = input.prescription;
  if (!rx) {
    reasons.add('NO_PRESCRIPTION');
    explain.push(`无外配处方：药店购药须持定点医疗机构开具的外配处方，统筹基金方可支付${pkg ? cite(pkg, pkg.citations.externalPrescription) : ''}`);
  } else if (!rx.issuerDesignated) {
    reasons.add('NO_PRESCRIPTION');
    explain.push(`处方开具机构不是定点医疗机构：统筹基金不予支付${pkg ? cite(pkg, pkg.citations.designated) : ''}`);
  }
  if (input.person.hospitalized) {
    reasons.add('HOSPITALIZED');
    explain.push(`参保人正在住院：住院期间不享受普通门诊统筹待遇${pkg ? cite(pkg, pkg.citations.hospitalized) : ''}`);
  }
  if (input.person.suspended) {
    reasons.add('SUSPENDED');
    explain.push(`参保人医保待遇暂停：统筹基金不予支付${pkg ? cite(pkg, pkg.citations.suspended) : ''}`);
  }
  if (selection.kind === 'regionUnknown') reasons.add('REGION_UNKNOWN');
  if (selection.kind === 'notInForce') {
    reasons.add('NOT_IN_FORCE');
    explain.push(`结算日期 ${input.date} 不在 ${selection.nearest.document.citeAs} 的施行期内${cite(selection.nearest, effectiveSource(selection.nearest))}：统筹基金不予支付`);
  }
  let terms: Terms | undefined;
  if (selection.kind === 'inForce' || selection.kind === 'effectiveUnknown') {
    terms = gatherTerms(selection.pkg, input);
    const unknowns = [...terms.unknowns];
    if (selection.kind === 'effectiveUnknown') {
      const eff = selection.pkg.effective;
      const dateParam = eff.from.known ? eff.to : eff.from;
      unknowns.unshift({ label: eff.from.known ? '终止日期' : '施行日期', why: dateParam.known ? '' : dateParam.why, source: dateParam.source });
    }
    for (const u of unknowns) explain.push(`参数未知：${u.label}——${u.why}${cite(selection.pkg, u.source)}；统筹基金不予支付`);
    if (unknowns.length > 0) reasons.add('PARAMETER_UNKNOWN');
  }

  let deductible: Money = ZERO;
  let fund: Money = ZERO;
  let ratio: Money = ZERO;
  if (reasons.size === 0 && terms && pkg) {
    const { deductible: ded, ratio: r, cap } = terms;
    // With no reason left, gatherTerms found every piece; anything else is a bug, not a zero fund.
    if (!ded || !r || !cap) throw new Error(`internal: incomplete terms for ${pkg.id} without a reason`);
    explain.push(...terms.lines);
    if (ded.basis === 'annual') {
      deductible = min(inScope, max(ZERO, ded.amount.minus(met)));
      explain.push(`起付标准：年度 ${yuan(ded.amount)}，本年度已累计 ${yuan(met)}，本次扣除 ${yuan(deductible)}${cite(pkg, ded.source)}`);
    } else {
      deductible = min(inScope, ded.amount);
      explain.push(`起付标准：每次 ${yuan(ded.amount)}，本次扣除 ${yuan(deductible)}${cite(pkg, ded.source)}`);
    }
    ratio = r.value;
    const uncapped = round2(inScope.minus(deductible).times(ratio));
    explain.push(`统筹基金：（${fmt(inScope)} − ${fmt(deductible)}）× ${percent(ratio)} = ${yuan(uncapped)}${cite(pkg, r.source)}`);
    const capLeft = max(ZERO, cap.value.minus(fundPaid));
    fund = min(uncapped, capLeft);
    const capLine = `年度最高支付限额 ${yuan(cap.value)}，本年度已支付 ${yuan(fundPaid)}，剩余 ${yuan(capLeft)}`;
    if (uncapped.greaterThan(capLeft)) {
      reasons.add('CAP_REACHED');
      explain.push(`${capLine}：本次统筹基金由 ${yuan(uncapped)} 减为 ${yuan(fund)}${cite(pkg, cap.source)}`);
    } else {
      explain.push(`${capLine}${cite(pkg, cap.source)}`);
    }
  } else {
    explain.push('统筹基金：0.00 元');
  }

  const personal = total.minus(fund);
  let account: Money = ZERO;
  if (input.account.use) {
    account = min(money(input.account.balance), personal.minus(nonMedical));
    const excluded = nonMedical.greaterThan(0) ? `；非医疗商品 ${yuan(nonMedical)} 不可由个人账户支付` : '';
    explain.push(`个人账户：支付 ${yuan(account)}（余额 ${yuan(money(input.account.balance))}${excluded}）${pkg ? cite(pkg, pkg.citations.account) : ''}`);
  } else {
    explain.push('个人账户：本次不使用');
  }
  const cash = personal.minus(account);
  explain.push(`现金：${yuan(cash)}`);
  const after = { deductibleMet: met.plus(deductible), fundPaid: fundPaid.plus(fund) };
  explain.push(`本年度累计：起付标准已计 ${yuan(after.deductibleMet)}，统筹基金已支付 ${yuan(after.fundPaid)}`);

  return {
    total: fmt(total), fullSelfPay: fmt(fullSelfPay), overLimit: fmt(overLimit), preSelfPay: fmt(preSelfPay),
    inScope: fmt(inScope), deductible: fmt(deductible), ratio: ratio.toFixed(2), fund: fmt(fund),
    account: fmt(account), cash: fmt(cash),
    year: { deductibleMet: fmt(after.deductibleMet), fundPaid: fmt(after.fundPaid) },
    reasons: ORDER.filter((r) => reasons.has(r)),
    explain,
  };
}

const ORDER: readonly ReasonCode[] = ['NO_PRESCRIPTION', 'HOSPITALIZED', 'SUSPENDED', 'NOT_IN_FORCE', 'PARAMETER_UNKNOWN', 'REGION_UNKNOWN', 'CAP_REACHED'];

function effectiveSource(pkg: PolicyPackage): Source | undefined {
  const to = pkg.effective.to;
  return (to.known && to.value !== null ? to.source : undefined) ?? pkg.effective.from.source;
}

/** The status, tier, deductible, ratio and cap this purchase needs; unknown pieces are listed, not guessed. */
function gatherTerms(pkg: PolicyPackage, input: ParsedQuoteInput): Terms {
  const unknowns: Unknown[] = [];
  const lines: string[] = [];
  const need = <T>(label: string, p: Param<T>): { value: T; source: Source } | undefined => {
    if (p.known) return { value: p.value, source: p.source };
    unknowns.push({ label, why: p.why, source: p.source });
    return undefined;
  };
  const rules = pkg.rules;

  const status = statusOn(pkg, input, need, lines);
  const who = statusLabel(status);
  let tier: TierKey | undefined;
  let basis: 'level' | 'priceClass' | undefined;
  const rx = input.prescription;
  if (rx) {
    const tb = need('分档依据', rules.tierBasis);
    if (tb) {
      basis = tb.value;
      if (basis === 'level') {
        tier = rx.issuerLevel;
        lines.push(`支付档次：开具处方机构为${tierLabel('level', tier)}机构${cite(pkg, tb.source)}`);
      } else if (rx.issuerPriceClass !== undefined) {
        tier = rx.issuerPriceClass;
        lines.push(`支付档次：开具处方机构为${tierLabel('priceClass', tier)}机构${cite(pkg, tb.source)}`);
      } else {
        // issue 3: without a price class, 三级 counts as 一类, 二级 as 二类, 一级 as 三类.
        tier = (4 - rx.issuerLevel) as TierKey;
        lines.push(`支付档次：处方未注明收费类别，开具机构为${tierLabel('level', rx.issuerLevel)}，按${tierLabel('priceClass', tier)}执行${cite(pkg, tb.source)}`);
      }
    }
  }
  const tierName = tier && basis ? `，${tierLabel(basis, tier)}` : '';

  let deductible: Terms['deductible'];
  const d = rules.deductible;
  if (d.basis === 'unknown') {
    unknowns.push({ label: '起付标准', why: d.why });
  } else if (d.basis === 'annual') {
    const amount = need(`年度起付标准（${who}）`, d.amount[status]);
    if (amount) deductible = { basis: 'annual', amount: money(amount.value), source: amount.source };
  } else if (tier) {
    const amount = need(`每次起付标准（${who}${tierName}）`, d.amount[status][tier]);
    if (amount) deductible = { basis: 'perVisit', amount: money(amount.value), source: amount.source };
  }
  let ratio: Terms['ratio'];
  if (tier) {
    const r = need(`支付比例（${who}${tierName}）`, rules.ratio[status][tier]);
    if (r) ratio = { value: decimal(r.value), source: r.source };
  }
  const c = need(`年度最高支付限额（${who}）`, rules.cap[status]);
  const cap = c ? { value: money(c.value), source: c.source } : undefined;
  return { status, tier, deductible, ratio, cap, unknowns, lines };
}

function statusOn(
  pkg: PolicyPackage, input: ParsedQuoteInput,
  need: <T>(label: string, p: Param<T>) => { value: T; source: Source } | undefined, lines: string[],
): 'active' | 'retired' {
  if (input.person.status === 'active') return 'active';
  const rule = need('退休待遇起算规则', pkg.rules.retiredRatesFrom);
  if (!rule || rule.value === 'status') return 'retired';
  const retiredOn = input.person.retiredOn;
  if (!retiredOn) {
    lines.push(`退休待遇：未提供退休办结日期，按退休待遇执行${cite(pkg, rule.source)}`);
    return 'retired';
  }
  const from = firstOfNextMonth(retiredOn);
  if (input.date >= from) {
    lines.push(`退休待遇：${retiredOn} 办结退休，自 ${from} 起执行退休人员支付比例和限额${cite(pkg, rule.source)}`);
    return 'retired';
  }
  lines.push(`退休待遇：${retiredOn} 办结退休，自 ${from} 起才执行退休待遇，本次仍按在职待遇${cite(pkg, rule.source)}`);
  return 'active';
}

export function firstOfNextMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${date.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
}

