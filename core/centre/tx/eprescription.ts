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
import { admdvs, code, dateTimeText, optionalCode } from '../fields';

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
