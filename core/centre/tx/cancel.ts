// 2103 药店结算撤销 (a normal refund of a booked settlement) and 2601 冲正交易 (undo a transaction
// whose outcome is unknown, named by its original msgid) — nhsa-interface.md §2.4, §2.5.
import { z } from 'zod';
import { amount, code, optionalAmount, optionalCode } from '../fields';
import { SetlDetail } from './settle';

export const CancelInput = z.object({
  data: z.object({ setl_id: code(30), mdtrt_id: code(30), psn_no: code(30), exp_content: optionalCode(4000) }),
});
export type CancelInput = z.input<typeof CancelInput>;

/** Cancellation amounts are negative; note the names psn_pay / cash_payamt differ from 2102's. */
export const CancelOutput = z.object({
  setlinfo: z.object({
    setl_id: code(30),
    mdtrt_id: code(30),
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    psn_pay: optionalAmount,
    acct_pay: amount,
    cash_payamt: optionalAmount,
    balc: optionalAmount,
    setl_time: optionalCode(19),
    medins_setl_id: optionalCode(30),
    clr_optins: optionalCode(6),
  }),
  setldetail: z.array(SetlDetail).default([]),
});
export type CancelOutput = z.infer<typeof CancelOutput>;

/** Transactions the research lists as reversible by 2601. */
export const REVERSIBLE_INFNOS = ['2102', '2103', '2207', '2208', '2304', '2305', '2401'] as const;

export const ReverseInput = z.object({
  data: z.object({
    psn_no: code(30),
    omsgid: z.string().length(30, 'must be the original 30-character msgid'),
    oinfno: z.enum(REVERSIBLE_INFNOS),
  }),
});
export type ReverseInput = z.input<typeof ReverseInput>;

/** 2601 has no output node; infcode 0 means reversed. */
export const ReverseOutput = z.union([z.null(), z.record(z.string(), z.unknown())]).optional().transform(() => ({ reversed: true as const }));
export type ReverseOutput = z.infer<typeof ReverseOutput>;
