// The provisional split the store made offline, and how the centre's authoritative result differs
// from it. The difference (centre − provisional, per part) is what reconciliation (issue 7) reads.
import { z } from 'zod';
import { fmt, money } from '../money/money';
import { type SetlInfo } from '../centre/tx/settle';

const Amount = z.string().regex(/^-?\d{1,12}\.\d{2}$/, 'must be an amount with exactly two decimals');

export const Split = z.strictObject({ total: Amount, fund: Amount, account: Amount, cash: Amount })
  .superRefine((s, ctx) => {
    const parts = money(s.fund).plus(money(s.account)).plus(money(s.cash));
    if (!parts.equals(money(s.total))) ctx.addIssue({ code: 'custom', path: ['total'], message: `must equal fund + account + cash = ${fmt(parts)}` });
  });
export type Split = z.infer<typeof Split>;

/** The centre's split in the same four parts: the hospital's share, if any, is not the patient's cash. */
export function centreSplit(setlinfo: SetlInfo): Split {
  return {
    total: fmt(money(setlinfo.medfee_sumamt).minus(money(setlinfo.hosp_part_amt))),
    fund: setlinfo.fund_pay_sumamt,
    account: setlinfo.acct_pay,
    cash: setlinfo.psn_cash_pay,
  };
}

export interface SplitDifference {
  readonly fund: string;
  readonly account: string;
  readonly cash: string;
  readonly any: boolean;
}

export function splitDifference(provisional: Split, centre: Split): SplitDifference {
  const d = (k: 'fund' | 'account' | 'cash'): string => fmt(money(centre[k]).minus(money(provisional[k])));
  const fund = d('fund'); const account = d('account'); const cash = d('cash');
  return { fund, account, cash, any: fund !== '0.00' || account !== '0.00' || cash !== '0.00' };
}
