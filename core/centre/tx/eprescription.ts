// 电子处方流转, pharmacy side (nhsa-interface.md §2.10, domain-features.md §3.7): the patient shows
// the e-prescription QR, 7201 turns it into a short-lived epc_token (and says whose prescription it
// is), 7203 downloads the prescription the token names.
//
// Confidence, as in the research notes: the 72xx numbering and field names come from one province's
// edition (Shenzhen, S1 `CFZX/CFJX7201.cs`, `CFXZ7203.cs`) [P]; the national infno↔name mapping is
// [U]. The input node name (`data`) is [U] (we use the national convention). 7201's output is flat
// in that source [P]; 7203's is `data` + `rxdrugdetail[]` + `mdtrtinfo` + `diseinfo[]` [P]. Only
// the fields the till uses are read; the rest (rx_file, the original as base64, included) is dropped.
import { z } from 'zod';
import { admdvs, code, dateTimeText, dayText, decimalText, nonNegativeAmount, optionalCode } from '../fields';

// ── 7201 电子处方二维码解析 ──────────────────────────────────────────────────────────────────────
export const EprescriptionQrInput = z.object({
  data: z.object({
    /** The QR text as the scanner typed it. 27 characters in the source [P]; longer values are allowed (training QRs). */
    epc_qrcd: code(512),
    // Channel and terminal fields are required in the source [P], but their values are assigned by
    // the province [U]: sent empty unless configured.
    app_chnl_id: optionalCode(40),
    app_chnl_user_id: optionalCode(40),
    auth_code: optionalCode(40),
    dev_info: optionalCode(255),
    ip_info: optionalCode(64),
    opter: optionalCode(20),
    opter_name: optionalCode(50),
    optins: optionalCode(20),
  }),
});
export type EprescriptionQrInput = z.input<typeof EprescriptionQrInput>;

export const EprescriptionQrOutput = z.object({
  epc_token: code(64),
  /** psn_cert_type values, 01 = 居民身份证 [P]. */
  cert_type: optionalCode(6),
  name: optionalCode(50),
  certno: optionalCode(50),
  insuplc_admdvs: admdvs,
});
export type EprescriptionQrOutput = z.infer<typeof EprescriptionQrOutput>;

// ── 7203 电子处方下载 ────────────────────────────────────────────────────────────────────────────
export const EprescriptionDownloadInput = z.object({
  data: z.object({
    epc_token: optionalCode(64),
    /** The one-time 授权编号 from 7202 (query by voucher), the alternative to a token [P]. */
    auth_rxno: optionalCode(30),
    insuplc_admdvs: admdvs,
  }).refine((d) => d.epc_token !== '' || d.auth_rxno !== '', { message: 'give epc_token or auth_rxno', path: ['epc_token'] }),
});
export type EprescriptionDownloadInput = z.input<typeof EprescriptionDownloadInput>;

/** A count (days, reuses) that may arrive as a number or numeric text; absent or null reads as null. */
const optionalCount = z.union([z.number().int().min(0).max(9999), z.string().regex(/^\d{1,4}$/).transform(Number), z.null()]).optional()
  .transform((v) => v ?? null);

export const EprescriptionDownloadOutput = z.object({
  data: z.object({
    /** 医保处方编号: the prescription number the pharmacy records (rxno on the 2101/2102 lines). */
    hi_rxno: code(30),
    /** The issuing institution (char 12 in the source [P]; 30 here, like 1201). */
    fixmedins_code: code(30),
    fixmedins_name: code(200),
    /** 开方时间 [P]. */
    prsc_time: dateTimeText,
    /** 处方有效天数 / 有效截止时间 [P]: the centre's own window, checked next to the store's. */
    valid_days: optionalCount,
    valid_end_time: dateTimeText,
    /** 复用标志 0/1, 最大复用次数, 已复用次数 [P]: enforced at the till (core/checkout/eprescription-fills.ts). */
    rept_flag: optionalCode(3),
    max_rept_cnt: optionalCount,
    reptd_cnt: optionalCount,
  }),
  rxdrugdetail: z.array(z.object({
    /** 医疗目录编码: the national catalogue code, what the store's SKU mapping points at. */
    med_list_codg: code(50),
    drug_genname: optionalCode(500),
    drug_spec: optionalCode(40),
  })).min(1),
  mdtrtinfo: z.object({
    psn_no: optionalCode(30),
    certno: optionalCode(50),
    /** 开方医师姓名 [P]. */
    prsc_dr_name: code(50),
    prsc_dept_name: optionalCode(50),
  }),
  diseinfo: z.array(z.object({ diag_code: optionalCode(20), diag_name: optionalCode(100) })).default([]),
});
export type EprescriptionDownloadOutput = z.infer<typeof EprescriptionDownloadOutput>;

// ── 7202 电子处方查询（凭就诊凭证） ──────────────────────────────────────────────────────────────────
// binzhe12123/Medical SY.Com.Medical.Model/SYB/CFZX/DZCF7202.cs (In7202/Out7202) [P]: the patient's
// credential read at identify (01 电子凭证令牌, 03 社保卡号 + card_sn; 02 身份证 is [U] there) → one
// prescription waiting for that person, named by a one-time 授权编号 (auth_rxno) that 7203 downloads.
// One prescription per answer in that source (a flat object); whether a centre lists several is [U].
export const EprescriptionQueryInput = z.object({
  data: z.object({
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: code(50),
    /** 卡识别码: required with a social-security card (03) [P]. */
    card_sn: optionalCode(32),
    insuplc_admdvs: admdvs,
    // Terminal and operator fields: required in the source [P], values assigned by the province [U].
    ip_info: optionalCode(64),
    opter: optionalCode(20),
    opter_name: optionalCode(50),
    optins: optionalCode(20),
  }).refine((d) => d.mdtrt_cert_type !== '03' || d.card_sn !== '', { message: 'card_sn: required with a social-security card (03)', path: ['card_sn'] }),
});
export type EprescriptionQueryInput = z.input<typeof EprescriptionQueryInput>;

export const EprescriptionQueryOutput = z.object({
  /** 医保处方授权编号: a temporary number, usable once (7203 auth_rxno) [P]. */
  auth_rxno: code(30),
  diag_name: optionalCode(100),
  /** The issuing institution (char 20 in the source [P]; 30 here, like 7203). */
  fixmedins_code: code(30),
  fixmedins_name: optionalCode(200),
  prsc_time: dateTimeText,
  dept_name: optionalCode(50),
  valid_end_time: dateTimeText,
});
export type EprescriptionQueryOutput = z.infer<typeof EprescriptionQueryOutput>;

// ── 7206 电子处方核销（取药结果上传） ────────────────────────────────────────────────────────────────
// binzhe12123/Medical SY.Com.Medical.Model/SYB/CFZX/CFHX7206.cs (In7206: node `data`; the line class
// Selinfo, node name `selinfo` by that class [P]) [P]: after the sale is settled, the pharmacy tells
// the e-prescription centre what it dispensed against the prescription, under which settlement,
// who checked, dispensed and handed it over, and the amounts. The source spells the checker's
// certificate type `pro__cert_type` (two underscores); we send `pro_cert_type` like its siblings
// (`pro_certno`, `pro_name`) — which one a platform reads is [U]; the till sends it empty anyway.
// Output: none given in the source (`infcode` only) [P].
const places = (n: number) => (v: string) => !v.includes('.') || v.length - v.indexOf('.') - 1 <= n;
const count4 = decimalText.refine((v) => !v.startsWith('-') && Number(v) > 0, { message: 'must be greater than 0' }).refine(places(4), { message: 'at most 4 decimal places' });
const price6 = decimalText.refine((v) => !v.startsWith('-'), { message: 'must not be negative' }).refine(places(6), { message: 'at most 6 decimal places' });

export const WriteOffLine = z.object({
  med_list_codg: code(50),
  fixmedins_hilist_id: code(30),
  fixmedins_hilist_name: code(200),
  drug_genname: optionalCode(100),
  drug_prodname: optionalCode(100),
  drug_dosform: optionalCode(50),
  drug_spec: optionalCode(50),
  aprvno: optionalCode(30),
  manu_lotnum: optionalCode(30),
  prdr_name: optionalCode(100),
  manu_date: z.union([dayText, z.literal('')]).default(''),
  expy_end: z.union([dayText, z.literal('')]).default(''),
  /** 处方药标志 (values [U], as in 3505) and 拆零标志 0/1 [P]. */
  rx_flag: code(3),
  trdn_flag: z.enum(['0', '1']),
  finl_trns_pric: price6,
  bchno: optionalCode(30),
  /** 药品追溯码: one per row in the source (char 30) [P], so a line with several boxes is one row per box. */
  drug_trac_codg: optionalCode(30),
  drug_prod_barc: optionalCode(30),
  shelf_posi: optionalCode(20),
  sel_retn_cnt: count4,
  drug_cnt_unit: optionalCode(20),
  sumamt: nonNegativeAmount,
}).strict();
export type WriteOffLine = z.infer<typeof WriteOffLine>;

export const EprescriptionWriteOffInput = z.object({
  data: z.object({
    hi_rxno: code(30),
    phar_cert_type: optionalCode(6),
    phar_certno: optionalCode(50),
    /** 审核药师: the operator's 执业药师 (the setting 3505 uses). */
    phar_name: code(50),
    phar_prac_cert_no: code(50),
    dspeer_cert_type: optionalCode(6),
    dspeer_certno: optionalCode(50),
    /** 配药人: the cashier who sold it. */
    dspeer_name: code(40),
    pro_cert_type: optionalCode(6),
    pro_certno: optionalCode(50),
    /** 核对、发药人: the pharmacist again (a one-pharmacist store) [U which person a province expects]. */
    pro_name: code(40),
    /** 医保费用结算类型: 1 本地 / 2 异地, as in 3505 [P]. */
    hi_feesetl_type: code(6),
    setl_id: code(30),
    sel_retn_time: dateTimeText,
    memo: optionalCode(500),
    /** 下载处方时的识别码: the epc_token (7201) or auth_rxno (7202) the prescription was downloaded with [P]. */
    download_ide_code: code(64),
    /** 支付方式: 1 自费, 2 医保, 3 自费+医保 [P]. */
    payMode: z.enum(['1', '2', '3']),
    fund_pay_sumamt: nonNegativeAmount,
    psn_part_amt: nonNegativeAmount,
    acct_pay: nonNegativeAmount,
    psn_cash_pay: nonNegativeAmount,
    setl_time: dateTimeText,
  }).strict(),
  selinfo: z.array(WriteOffLine).min(1, 'selinfo: at least one dispensed line'),
});
export type EprescriptionWriteOffInput = z.input<typeof EprescriptionWriteOffInput>;
export type EprescriptionWriteOffDraft = z.infer<typeof EprescriptionWriteOffInput>;

// ── 7204 电子处方审方结果上传 ──────────────────────────────────────────────────────────────────────
// binzhe12123/Medical SY.Com.Medical.Model/SYB/CFZX/CFSH7204.cs (In7204, flat in that source) [P]:
// the pharmacist's review of a downloaded prescription, before it is dispensed. The status code's
// values are not in the source [U]: we send 1 审核通过 / 0 审核不通过. The reviewing pharmacist's ID
// fields (证件类型/号码) come from the operator's 执业药师 setting, the 复核药师 (rchk_phar_*) from the
// pharmacist picked at review (default: the store's setting); what is not set is sent empty [U]. Output: none in the source (`infcode` only);
// the national e-prescription centre answers a `rx_chk_biz_sn` (nhsa-interface.md §2.10, S7) [C],
// not read here.
export const RX_REVIEW_PASSED = '1';
export const RX_REVIEW_REFUSED = '0';

export const EprescriptionReviewInput = z.object({
  data: z.object({
    hi_rxno: code(30),
    phar_cert_type: optionalCode(6),
    phar_certno: optionalCode(50),
    phar_name: code(50),
    phar_prac_cert_no: optionalCode(50),
    phar_sign_info: optionalCode(2000),
    rchk_phar_cert_type: optionalCode(6),
    rchk_phar_certno: optionalCode(50),
    rchk_phar_name: optionalCode(40),
    rx_chk_opnn: code(2000),
    rx_chk_stas_codg: z.enum([RX_REVIEW_PASSED, RX_REVIEW_REFUSED]),
    rx_chk_time: dateTimeText,
    rx_chk_file: optionalCode(100_000),
  }).strict(),
});
export type EprescriptionReviewInput = z.input<typeof EprescriptionReviewInput>;

// ── 7104 电子处方撤销 (hospital side) ─────────────────────────────────────────────────────────────
// binzhe12123/Medical SY.Com.Medical.Model/SYB/CFZX/YG7104.cs (In7104data { data: In7104 }) [P]: the
// prescribing hospital revokes a prescription it uploaded. A pharmacy never sends it; the till only
// sees its effect, the centre's refusal of a later 7203 / 2102 / 7206 (which of those a real centre
// refuses is [U]). The sandbox accepts it through its training control (POST /sandbox/eprescriptions/
// revoke, /api/training/eprescription-revocation) to play the hospital.
export const EprescriptionRevocation = z.object({
  hi_rxno: code(30),
  /** 撤销医师姓名 (the source names the field prsc_dr_name) [P]. */
  prsc_dr_name: code(50),
  /** 撤销医师证件类型, 参照人员证件类型 [P]; only 01 居民身份证 has a public value (see PharmacistCertType). */
  undo_dr_cert_type: z.enum(['01']),
  undo_dr_certno: code(50),
  /** 撤销原因描述 [P]. */
  undo_rea: code(200),
  undo_time: dateTimeText,
}).strict();
export type EprescriptionRevocation = z.infer<typeof EprescriptionRevocation>;
