// 1101 人员信息获取 (nhsa-interface.md §2.2).
import { z } from 'zod';
import { admdvs, amount, code, optionalCode } from '../fields';

/** 01 医保电子凭证 (token), 02 居民身份证 (ID number), 03 社会保障卡 (card number + card_sn). */
export const MdtrtCertType = z.enum(['01', '02', '03']);
export type MdtrtCertType = z.infer<typeof MdtrtCertType>;

export const PersonInfoInput = z.object({
  data: z.object({
    mdtrt_cert_type: MdtrtCertType,
    mdtrt_cert_no: code(600),
    card_sn: optionalCode(32),
    begntime: optionalCode(19),
    psn_cert_type: optionalCode(6),
    certno: optionalCode(50),
    psn_name: optionalCode(50),
  }).superRefine((data, ctx) => {
    if (data.mdtrt_cert_type === '03' && data.card_sn === '') ctx.addIssue({ code: 'custom', path: ['card_sn'], message: 'required when mdtrt_cert_type is 03 (social security card)' });
  }),
});
export type PersonInfoInput = z.input<typeof PersonInfoInput>;

export const InsuInfo = z.object({
  balc: amount,
  insutype: code(6),
  psn_type: code(6),
  /** 1 = normally insured; the sandbox uses 2 for 暂停参保 (suspended) — the value table is [U]. */
  psn_insu_stas: code(6),
  psn_insu_date: optionalCode(19),
  paus_insu_date: optionalCode(19),
  cvlserv_flag: optionalCode(3),
  insuplc_admdvs: admdvs,
  emp_name: optionalCode(200),
});
export type InsuInfo = z.infer<typeof InsuInfo>;

export const PersonInfoOutput = z.object({
  baseinfo: z.object({
    psn_no: code(30),
    psn_cert_type: optionalCode(6),
    certno: code(50),
    psn_name: code(50),
    gend: optionalCode(6),
    naty: optionalCode(6),
    brdy: optionalCode(10),
    age: z.union([z.number(), z.string(), z.null()]).optional().transform((v) => (v === null || v === undefined ? '' : String(v))),
  }),
  insuinfo: z.array(InsuInfo),
  idetinfo: z.array(z.object({
    psn_idet_type: code(6),
    psn_type_lv: optionalCode(6),
    memo: optionalCode(500),
    begntime: optionalCode(19),
    endtime: optionalCode(19),
  })).default([]),
});
export type PersonInfoOutput = z.infer<typeof PersonInfoOutput>;
