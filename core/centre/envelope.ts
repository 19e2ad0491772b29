// The national request and response envelopes (research: nhsa-interface.md §1.2, §1.3).
// Both directions are validated: the client checks what it builds and what comes back, the sandbox
// checks what it receives and what it answers.
import { z } from 'zod';
import { admdvs, dateTimeText, optionalCode } from './fields';
import { FIXMEDINS_CODE, MSGID } from './msgid';

export const INFNO = /^\d{4}[A-Z]?$/;

export const RequestEnvelope = z.object({
  infno: z.string().regex(INFNO, 'must be a 4-digit transaction code (optionally with a province letter)'),
  msgid: z.string().regex(MSGID, 'must be fixmedins_code(12) + yyyyMMddHHmmss + 4-digit sequence'),
  mdtrtarea_admvs: admdvs,
  /** Required when the input carries psn_no; empty otherwise. */
  insuplc_admdvs: z.union([admdvs, z.literal('')]),
  recer_sys_code: z.string().min(1).max(10),
  dev_no: z.string().max(100),
  dev_safe_info: z.string().max(2000),
  cainfo: z.string().max(1024),
  signtype: z.string().max(10),
  infver: z.string().min(1).max(6),
  opter_type: z.enum(['1', '2', '3']),
  opter: z.string().min(1).max(30),
  opter_name: z.string().min(1).max(50),
  inf_time: dateTimeText,
  fixmedins_code: z.string().regex(FIXMEDINS_CODE, 'must be 12 letters or digits'),
  fixmedins_name: z.string().min(1).max(200),
  /** The 9001 sign-in serial; empty on 9001 itself. */
  sign_no: z.string().max(30),
  /** "SM4" when input/output are encrypted (a transport variant); empty for plain JSON. */
  enc_type: z.string().max(10).optional(),
  input: z.record(z.string(), z.unknown()),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

/** infcode arrives as a number or a numeric string: 0 success, -1 failure. */
const infcode = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(Number);

export const ResponseEnvelope = z.object({
  infcode,
  inf_refmsgid: optionalCode(30),
  refmsg_time: optionalCode(17),
  respond_time: optionalCode(17),
  err_msg: z.union([z.string().max(2000), z.null()]).optional().transform((v) => v ?? ''),
  warn_msg: z.union([z.string().max(2000), z.null()]).optional().transform((v) => v ?? ''),
  /** The business result, checked per transaction; null/absent when there is none (2601, 9002 …). */
  output: z.unknown().optional(),
});
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

/** Everything in a request envelope except the transaction-specific parts. */
export interface CentreIdentity {
  readonly fixmedinsCode: string;
  readonly fixmedinsName: string;
  /** 就医地: the pharmacy's own division. */
  readonly mdtrtareaAdmvs: string;
  /** Overrides the edition's recer_sys_code / infver (a province may announce others). */
  readonly recerSysCode?: string;
  readonly infver?: string;
  readonly opterType: '1' | '2' | '3';
  readonly opter: string;
  readonly opterName: string;
  readonly devNo?: string;
  readonly devSafeInfo?: string;
  readonly signtype?: string;
}

export const CentreIdentitySchema = z.object({
  fixmedinsCode: z.string().regex(FIXMEDINS_CODE, 'must be 12 letters or digits'),
  fixmedinsName: z.string().min(1).max(200),
  mdtrtareaAdmvs: admdvs,
  recerSysCode: z.string().min(1).max(10).optional(),
  infver: z.string().min(1).max(6).optional(),
  opterType: z.enum(['1', '2', '3']),
  opter: z.string().min(1).max(30),
  opterName: z.string().min(1).max(50),
  devNo: z.string().max(100).optional(),
  devSafeInfo: z.string().max(2000).optional(),
  signtype: z.string().max(10).optional(),
});
