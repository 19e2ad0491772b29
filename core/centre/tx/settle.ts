// 2101 药店预结算 / 2102 药店结算 (nhsa-interface.md §2.3, §3). Node names follow S5 (`druginfo`,
// `drugdetail`) [P: some provinces use `data`]. No public edition has a field for the institution that
// issued an external prescription: an e-prescription names it through rxno = hi_rxno, a paper one through
// its prescriber's 医保医师代码 in bilg_dr_codg (core/policy/training-doctors.ts says why).
import { z } from 'zod';
import { money, round2, decimal, sum } from '../../money/money';
import {
  amount, code, dateTimeText, decimalText, flag01, nonNegativeAmount, optionalAmount, optionalCode, ratioText,
} from '../fields';
import { MdtrtCertType } from './person';

export const MAX_LINES = 500;

export const DrugDetail = z.object({
  feedetl_sn: code(30),
  rxno: optionalCode(40),
  rx_circ_flag: flag01,
  fee_ocur_time: dateTimeText,
  med_list_codg: code(50),
  medins_list_codg: code(150),
  det_item_fee_sumamt: nonNegativeAmount,
  cnt: decimalText.refine((v) => Number(v) > 0, { message: 'must be greater than 0' }),
  pric: decimalText.refine((v) => !v.startsWith('-'), { message: 'must not be negative' }),
  sin_dos_dscr: optionalCode(200),
  used_frqu_dscr: optionalCode(200),
  prd_days: optionalCode(10),
  medc_way_dscr: optionalCode(200),
  bilg_dr_codg: optionalCode(30),
  bilg_dr_name: optionalCode(50),
  tcmdrug_used_way: optionalCode(6),
});
export type DrugDetail = z.infer<typeof DrugDetail>;

export const DrugInfo = z.object({
  psn_no: code(30),
  mdtrt_cert_type: MdtrtCertType,
  mdtrt_cert_no: code(600),
  begntime: dateTimeText,
  medfee_sumamt: nonNegativeAmount,
  insutype: code(6),
  /** 41 定点药店购药 (local codes exist for 慢特病 purchases). */
  med_type: code(6),
  acct_used_flag: flag01,
  invono: optionalCode(20),
  dise_codg: optionalCode(30),
  dise_name: optionalCode(500),
  exp_content: optionalCode(4000),
});
export type DrugInfo = z.infer<typeof DrugInfo>;

export const SettleInput = z.object({
  druginfo: DrugInfo,
  drugdetail: z.array(DrugDetail).min(1, 'needs at least one line').max(MAX_LINES),
}).superRefine((input, ctx) => {
  const seen = new Set<string>();
  input.drugdetail.forEach((line, i) => {
    if (seen.has(line.feedetl_sn)) ctx.addIssue({ code: 'custom', path: ['drugdetail', i, 'feedetl_sn'], message: `duplicate feedetl_sn ${line.feedetl_sn}` });
    seen.add(line.feedetl_sn);
    const expected = round2(decimal(line.cnt).times(decimal(line.pric)));
    if (!money(line.det_item_fee_sumamt).equals(expected)) {
      ctx.addIssue({ code: 'custom', path: ['drugdetail', i, 'det_item_fee_sumamt'], message: `must equal cnt × pric = ${expected.toFixed(2)}` });
    }
  });
  const total = sum(input.drugdetail.map((l) => money(l.det_item_fee_sumamt)));
  if (!money(input.druginfo.medfee_sumamt).equals(total)) {
    ctx.addIssue({ code: 'custom', path: ['druginfo', 'medfee_sumamt'], message: `must equal the sum of det_item_fee_sumamt = ${total.toFixed(2)}` });
  }
});
export type SettleInput = z.infer<typeof SettleInput>;
/** What a caller may pass before normalisation (numbers accepted where the wire accepts them). */
export type SettleInputDraft = z.input<typeof SettleInput>;

/** 2102 inputs that passed SettleInput here; frozen, so they still say what was validated. */
const checkedInputs = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a 2102 input once (zod), for code that builds a request and then records it: the result
 * is deep-frozen, so later code cannot change what was validated, and `isCheckedSettleInput` knows it
 * without parsing it again (a second parse was about a quarter of the settle commit's CPU).
 */
export function checkSettleInput(draft: SettleInputDraft): ReturnType<typeof SettleInput.safeParse> {
  const parsed = SettleInput.safeParse(draft);
  if (parsed.success) checkedInputs.add(deepFreeze(parsed.data));
  return parsed;
}

/** Whether `value` is exactly an object checkSettleInput validated (and froze). */
export function isCheckedSettleInput(value: unknown): value is SettleInput {
  return typeof value === 'object' && value !== null && checkedInputs.has(value);
}

export const SetlInfo = z.object({
  setl_id: optionalCode(30),
  mdtrt_id: optionalCode(30),
  psn_no: code(30),
  psn_name: optionalCode(50),
  insutype: optionalCode(6),
  psn_type: optionalCode(6),
  med_type: optionalCode(6),
  setl_time: optionalCode(19),
  medfee_sumamt: amount,
  fulamt_ownpay_amt: optionalAmount,
  overlmt_selfpay: optionalAmount,
  preselfpay_amt: optionalAmount,
  inscp_scp_amt: optionalAmount,
  act_pay_dedc: optionalAmount,
  hifp_pay: amount,
  /** The pooled-fund ratio despite its name. */
  pool_prop_selfpay: z.union([z.literal(''), ratioText, z.null()]).optional().transform((v) => v ?? ''),
  cvlserv_pay: optionalAmount,
  hifes_pay: optionalAmount,
  hifmi_pay: optionalAmount,
  hifob_pay: optionalAmount,
  maf_pay: optionalAmount,
  oth_pay: optionalAmount,
  fund_pay_sumamt: amount,
  psn_part_amt: amount,
  acct_pay: amount,
  psn_cash_pay: amount,
  hosp_part_amt: optionalAmount,
  balc: optionalAmount,
  acct_mulaid_pay: optionalAmount,
  /** The platform stores the sender's msgid here. */
  medins_setl_id: optionalCode(30),
  clr_optins: optionalCode(6),
  clr_way: optionalCode(6),
  clr_type: optionalCode(6),
}).superRefine((s, ctx) => {
  // Identities seen in real sample replies [P]; a reply breaking them is not trusted.
  const whole = money(s.fund_pay_sumamt).plus(money(s.psn_part_amt)).plus(money(s.hosp_part_amt));
  if (!whole.equals(money(s.medfee_sumamt))) ctx.addIssue({ code: 'custom', path: ['medfee_sumamt'], message: `must equal fund_pay_sumamt + psn_part_amt + hosp_part_amt = ${whole.toFixed(2)}` });
  const person = money(s.acct_pay).plus(money(s.psn_cash_pay));
  if (!person.equals(money(s.psn_part_amt))) ctx.addIssue({ code: 'custom', path: ['psn_part_amt'], message: `must equal acct_pay + psn_cash_pay = ${person.toFixed(2)}` });
});
export type SetlInfo = z.infer<typeof SetlInfo>;

export const SetlDetail = z.object({
  fund_pay_type: code(6),
  fund_pay_type_name: optionalCode(200),
  inscp_scp_amt: optionalAmount,
  crt_payb_lmt_amt: optionalAmount,
  fund_payamt: amount,
  setl_proc_info: optionalCode(4000),
});
export type SetlDetail = z.infer<typeof SetlDetail>;

export const DetlCutInfo = z.object({
  feedetl_sn: code(30),
  det_item_fee_sumamt: amount,
  cnt: decimalText,
  pric: decimalText,
  pric_uplmt_amt: z.union([z.literal(''), decimalText, z.null()]).optional().transform((v) => v ?? ''),
  selfpay_prop: z.union([z.literal(''), ratioText, z.null()]).optional().transform((v) => v ?? ''),
  fulamt_ownpay_amt: optionalAmount,
  overlmt_amt: optionalAmount,
  preselfpay_amt: optionalAmount,
  inscp_scp_amt: optionalAmount,
  chrgitm_lv: optionalCode(6),
  med_chrgitm_type: optionalCode(6),
  memo: optionalCode(500),
});
export type DetlCutInfo = z.infer<typeof DetlCutInfo>;

export const SettleOutput = z.object({
  setlinfo: SetlInfo,
  setldetail: z.array(SetlDetail).default([]),
  detlcutinfo: z.array(DetlCutInfo).default([]),
});
export type SettleOutput = z.infer<typeof SettleOutput>;

/** 2102 must name the booked settlement: setl_id, mdtrt_id and the echoed msgid. */
export const BookedSettleOutput = SettleOutput.superRefine((out, ctx) => {
  for (const key of ['setl_id', 'mdtrt_id', 'medins_setl_id'] as const) {
    if (out.setlinfo[key] === '') ctx.addIssue({ code: 'custom', path: ['setlinfo', key], message: 'required in a settlement result' });
  }
});
