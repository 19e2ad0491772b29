// 进销存 sales reporting: 3505 商品销售 and 3506 商品销售退货, one row per sold line with one
// `drugtracinfo` element per physical package (nhsa-interface.md §2.9, §5).
//
// Sources, restated (field lists, lengths, required flags):
//   newtouch-cloud/openhis-itaii openhis-server/openhis-ybapp/src/main/java/com/openhis/vo/Medical3505Param.java
//   (3505 row: med_list_codg … mdtrt_setl_type, drugtracinfo[]), …/vo/Medical3506Param.java (3506 row:
//   the subset + medins_prod_sel_no), …/vo/MedicalTraceNoDto.java (element `{ drug_trac_codg }`, char 100),
//   …/vo/Medical3505Result.java (`retRslt` / `msgRslt`, shared by 3505 and 3506). [C for the field names]
// Classic editions take one row in `selinfo` and answer with `infcode` only. Batch editions (`3505A`,
// `3506A`, seen in Hubei and Jilin) take `selinfoDetail[]` and answer per row with `retRslt` (`1`
// accepted / `0` refused) and `msgRslt`: the two-level success check. The exact shape of the batch
// reply is [U]; we read `output.result[]` in the order of the rows sent, each optionally naming its
// `fixmedins_bchno`, and refuse a reply whose row count or names do not match.
import { z } from 'zod';
import { code, dateTimeText, decimalText, dayText, flag01, optionalCode } from '../fields';

/** 追溯码: the platform's field is char 100; the till only ever sends the 20-digit codes it accepted. */
export const DrugTracInfo = z.object({ drug_trac_codg: code(100) });
export type DrugTracInfo = z.infer<typeof DrugTracInfo>;

const optionalDay = z.union([dayText, z.literal(''), z.null()]).optional().transform((v) => v ?? '');
const count = decimalText.refine((v) => !v.startsWith('-') && Number(v) > 0, { message: 'must be greater than 0' });
const unitPrice = decimalText.refine((v) => !v.startsWith('-'), { message: 'must not be negative' });

/** The fields 3505 and 3506 share (Medical3506Param is this subset). */
const SalesRowCommon = {
  med_list_codg: code(50),
  fixmedins_hilist_id: code(30),
  fixmedins_hilist_name: code(200),
  /** The store's own row key; also what 3507 deletes by. We use `<sale id>-<line>` (`-R<line>` for returns). */
  fixmedins_bchno: code(30),
  setl_id: optionalCode(30),
  psn_no: optionalCode(30),
  psn_cert_type: code(6),
  certno: optionalCode(50),
  psn_name: optionalCode(50),
  /** Required in the source; the till sends what the POS gave (empty when it gave nothing). */
  manu_lotnum: optionalCode(30),
  manu_date: optionalDay,
  expy_end: optionalDay,
  rx_flag: code(3),
  trdn_flag: flag01,
  finl_trns_pric: unitPrice.optional(),
  sel_retn_cnt: count,
  sel_retn_time: dateTimeText,
  sel_retn_opter_name: code(50),
  memo: optionalCode(500),
  mdtrt_sn: code(30),
  drugtracinfo: z.array(DrugTracInfo).max(1000).default([]),
};

export const SalesRow = z.object({
  ...SalesRowCommon,
  prsc_dr_cert_type: optionalCode(6),
  prsc_dr_certno: optionalCode(50),
  prsc_dr_name: optionalCode(50),
  phar_cert_type: optionalCode(6),
  phar_certno: optionalCode(50),
  phar_name: code(50),
  phar_prac_cert_no: code(50),
  /** 0 非医保 / 1 本地 / 2 异地 [P S10]. */
  hi_feesetl_type: z.enum(['0', '1', '2']),
  rxno: optionalCode(40),
  rx_circ_flag: flag01,
  rtal_docno: code(40),
  stoout_no: optionalCode(40),
  bchno: optionalCode(30),
  drug_prod_barc: optionalCode(30),
  shelf_posi: optionalCode(20),
  /** 1 医保结算 / 2 自费 [P S10]. */
  mdtrt_setl_type: z.enum(['1', '2']).optional(),
});
export type SalesRow = z.infer<typeof SalesRow>;
export type SalesRowDraft = z.input<typeof SalesRow>;

export const SalesReturnRow = z.object({
  ...SalesRowCommon,
  /** 商品销售流水号: the sale row being returned (its fixmedins_bchno) [P]. */
  medins_prod_sel_no: optionalCode(50),
});
export type SalesReturnRow = z.infer<typeof SalesReturnRow>;
export type SalesReturnRowDraft = z.input<typeof SalesReturnRow>;

export const SalesInput = z.object({ selinfo: SalesRow });
export const SalesReturnInput = z.object({ selinfo: SalesReturnRow });
export const SalesBatchInput = z.object({ selinfoDetail: z.array(SalesRow).min(1).max(100) });
export const SalesReturnBatchInput = z.object({ selinfoDetail: z.array(SalesReturnRow).min(1).max(100) });

/** Classic 3505/3506: no output node, `infcode 0` means accepted. */
export const NoOutput = z.union([z.null(), z.record(z.string(), z.unknown())]).optional().transform(() => ({ accepted: true as const }));

export const RowResult = z.object({
  fixmedins_bchno: optionalCode(30),
  retRslt: z.union([z.literal('0'), z.literal('1'), z.literal(0), z.literal(1)]).transform((v) => String(v) as '0' | '1'),
  msgRslt: optionalCode(500),
});
export type RowResult = z.infer<typeof RowResult>;
export const BatchOutput = z.object({ result: z.array(RowResult) });
export type BatchOutput = z.infer<typeof BatchOutput>;

export const SALES_REPORT_INFNOS = ['3505', '3506', '3505A', '3506A'] as const;
export type SalesReportInfno = (typeof SALES_REPORT_INFNOS)[number];

/** The per-row verdict of one upload, whichever edition carried it. */
export interface RowVerdict {
  readonly bchno: string;
  readonly accepted: boolean;
  readonly message: string;
}

/**
 * The second level of the success check: the batch reply must name every row we sent, in order
 * (by bchno where it gives one). Returns null when it does not fit (then the outcome is unknown).
 */
export function verdictsOf(sent: readonly string[], output: BatchOutput): RowVerdict[] | null {
  if (output.result.length !== sent.length) return null;
  const verdicts: RowVerdict[] = [];
  for (let i = 0; i < sent.length; i++) {
    const row = output.result[i]!;
    if (row.fixmedins_bchno !== '' && row.fixmedins_bchno !== sent[i]) return null;
    verdicts.push({ bchno: sent[i]!, accepted: row.retRslt === '1', message: row.msgRslt });
  }
  return verdicts;
}
