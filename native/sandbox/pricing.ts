// How the sandbox centre prices 2101/2102: it builds the engine's QuoteInput from ITS OWN view of the
// person (status, year-to-date totals, account balance), its catalogue and the prescription issuer,
// and runs the same core engine the store uses offline. The store's provisional split, made with
// stale local totals, can therefore legitimately differ from what the centre books.
import { quote } from '../../core/copay/engine';
import { type QuoteInput, type QuoteLine, type QuoteResult } from '../../core/copay/contract';
import { splitLine } from '../../core/copay/lines';
import { type PolicyPackage } from '../../core/policy/package';
import { type PolicyLookup } from '../../core/policy/select';
import { fmt, money } from '../../core/money/money';
import { type SettleInput } from '../../core/centre/tx/settle';

export interface PersonRow {
  psn_no: string; fixture_id: string; certno: string; card_no: string; card_sn: string; ec_token: string; psn_name: string;
  gend: string; brdy: string; insutype: string; psn_type: string; insuplc_admdvs: string; status: 'active' | 'retired';
  retired_on: string | null; hospitalized: number; suspended: number; card_generation: number; balance: string;
  ytd_year: number; deductible_met: string; fund_paid: string; emp_name: string; note: string;
}

export interface CatalogueRow {
  code: string; name: string; list_class: 'A' | 'B' | 'C'; selfpay_ratio: string | null; limit_price: string | null;
  kind: 'drug' | 'device' | 'consumable' | 'other';
}

export interface InstitutionRow {
  code: string; name: string; admdvs: string; level: 1 | 2 | 3 | null; price_class: 1 | 2 | 3 | null; designated: number; kind: string;
}

/** A refusal the centre answers with infcode -1. */
export class BusinessError extends Error {}

export interface Priced {
  readonly quoteInput: QuoteInput;
  readonly result: QuoteResult;
  /** The sale's calendar year, which the year-to-date totals belong to. */
  readonly year: number;
}

export function priceSettlement(
  input: SettleInput,
  person: PersonRow,
  catalogue: (code: string) => CatalogueRow | undefined,
  issuer: InstitutionRow | null,
  packages: readonly PolicyPackage[] | PolicyLookup,
): Priced {
  if (input.druginfo.insutype !== person.insutype) throw new BusinessError(`险种类型不符: 人员参保险种为 ${person.insutype}, 上传 ${input.druginfo.insutype}`);
  const date = input.druginfo.begntime.slice(0, 10);
  const year = Number(date.slice(0, 4));
  const lines = input.drugdetail.map((line) => {
    const item = catalogue(line.med_list_codg);
    if (!item) throw new BusinessError(`医保目录编码不存在或未对照: ${line.med_list_codg} (明细 ${line.feedetl_sn})`);
    return {
      code: item.code, qty: line.cnt, price: line.pric, listClass: item.list_class, kind: item.kind,
      ...(item.selfpay_ratio !== null ? { selfPayRatio: item.selfpay_ratio } : {}),
      ...(item.limit_price !== null ? { limitPrice: item.limit_price } : {}),
    };
  });
  const sameYear = person.ytd_year === year;
  const quoteInput: QuoteInput = {
    region: person.insuplc_admdvs,
    date,
    person: {
      status: person.status,
      ...(person.retired_on ? { retiredOn: person.retired_on } : {}),
      hospitalized: person.hospitalized === 1,
      suspended: person.suspended === 1,
    },
    // A new calendar year starts the centre's running totals from zero.
    year: sameYear ? { deductibleMet: person.deductible_met, fundPaid: person.fund_paid } : { deductibleMet: '0.00', fundPaid: '0.00' },
    account: { balance: person.balance, use: input.druginfo.acct_used_flag === '1' },
    prescription: issuer && issuer.level !== null
      ? { issuerLevel: issuer.level, ...(issuer.price_class !== null ? { issuerPriceClass: issuer.price_class } : {}), issuerDesignated: issuer.designated === 1 }
      : null,
    lines,
  };
  const result = quote(quoteInput, packages);
  if (!money(result.total).equals(money(input.druginfo.medfee_sumamt))) {
    throw new BusinessError(`费用总额不符: 明细合计 ${result.total}, 上传 ${input.druginfo.medfee_sumamt}`);
  }
  return { quoteInput, result, year };
}

export interface SettlementIds {
  readonly setlId: string | null;
  readonly mdtrtId: string;
  readonly msgid: string;
  readonly setlTime: string;
}

/** The 2101/2102 output node for a priced sale. */
export function settleOutput(input: SettleInput, person: PersonRow, priced: Priced, ids: SettlementIds) {
  const r = priced.result;
  const personal = fmt(money(r.account).plus(money(r.cash)));
  const fundType = person.insutype === '310' ? '310100' : '390100';
  const accountType = person.insutype === '310' ? '310200' : '390200';
  const setldetail = [
    ...(money(r.fund).isZero() ? [] : [{ fund_pay_type: fundType, fund_pay_type_name: person.insutype === '310' ? '职工基本医疗保险统筹基金' : '城乡居民基本医疗保险基金', inscp_scp_amt: r.inScope, crt_payb_lmt_amt: r.fund, fund_payamt: r.fund, setl_proc_info: r.explain.join('\n').slice(0, 4000) }]),
    ...(money(r.account).isZero() ? [] : [{ fund_pay_type: accountType, fund_pay_type_name: '个人账户', inscp_scp_amt: '0.00', crt_payb_lmt_amt: r.account, fund_payamt: r.account, setl_proc_info: '' }]),
  ];
  const detlcutinfo = input.drugdetail.map((line, i) => {
    const q = priced.quoteInput.lines[i]! as QuoteLine;
    const part = splitLine(q);
    return {
      feedetl_sn: line.feedetl_sn, det_item_fee_sumamt: line.det_item_fee_sumamt, cnt: line.cnt, pric: line.pric,
      pric_uplmt_amt: q.limitPrice ?? '', selfpay_prop: q.selfPayRatio ?? '',
      fulamt_ownpay_amt: fmt(part.fullSelfPay), overlmt_amt: fmt(part.overLimit), preselfpay_amt: fmt(part.preSelfPay), inscp_scp_amt: fmt(part.inScope),
      chrgitm_lv: q.listClass === 'A' ? '01' : q.listClass === 'B' ? '02' : '03', memo: '',
    };
  });
  return {
    setlinfo: {
      setl_id: ids.setlId ?? '', mdtrt_id: ids.mdtrtId, psn_no: person.psn_no, psn_name: person.psn_name,
      insutype: person.insutype, psn_type: person.psn_type, med_type: input.druginfo.med_type, setl_time: ids.setlTime,
      medfee_sumamt: r.total, fulamt_ownpay_amt: r.fullSelfPay, overlmt_selfpay: r.overLimit, preselfpay_amt: r.preSelfPay,
      inscp_scp_amt: r.inScope, act_pay_dedc: r.deductible, hifp_pay: r.fund, pool_prop_selfpay: r.ratio,
      cvlserv_pay: '0.00', hifes_pay: '0.00', hifmi_pay: '0.00', hifob_pay: '0.00', maf_pay: '0.00', oth_pay: '0.00',
      fund_pay_sumamt: r.fund, psn_part_amt: personal, acct_pay: r.account, psn_cash_pay: r.cash, hosp_part_amt: '0.00',
      balc: fmt(money(person.balance).minus(money(r.account))), acct_mulaid_pay: '0.00',
      medins_setl_id: ids.msgid, clr_optins: person.insuplc_admdvs, clr_way: '1', clr_type: '41',
    },
    setldetail,
    detlcutinfo,
  };
}
