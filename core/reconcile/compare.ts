// The store's figures against the centre's: the 3201 request per group and the reading of its
// answer, and the 3202 result rows classified against the store's detail rows
// (对平 / 中心多 / 本地多 / 数据不一致).
import { type DetailRow, type DetailResultRow, type TotalsInput, type TotalsOutput } from '../centre/tx/reconcile';
import { type CentreCheckResult, type DetailResult, type DetailRowView, type GroupKey } from '../contracts/reconciliation';
import { fmt, money, type Money } from '../money/money';
import { type StoreDetailRow } from './ledger';
import { type Totals } from './totals';

/** 3201 for one group and one day; refunds included (refd_setl_flag 1), as the centre counts them. */
export function totalsRequest(group: GroupKey, day: string, totals: Totals): TotalsInput {
  return {
    data: {
      insutype: group.insutype, clr_type: group.clrType, setl_optins: group.setlOptins, stmt_begndate: day, stmt_enddate: day,
      medfee_sumamt: fmt(totals.medfee), fund_pay_sumamt: fmt(totals.fund), acct_pay: fmt(totals.account), fixmedins_setl_cnt: totals.count,
      refd_setl_flag: '1',
    },
  };
}

export function totalsResult(output: TotalsOutput): { result: CentreCheckResult; description: string } {
  const s = output.stmtinfo;
  return { result: s.stmt_rslt === '0' ? 'balanced' : 'unbalanced', description: s.stmt_rslt_dscr || (s.stmt_rslt === '0' ? '对账平' : '对账不平') };
}

/** The overall result of a day's groups: balanced only when every group balanced. */
export function overallResult(results: readonly CentreCheckResult[]): CentreCheckResult {
  if (results.length === 0) return 'not_checked';
  if (results.includes('unavailable')) return 'unavailable';
  if (results.includes('unbalanced')) return 'unbalanced';
  if (results.includes('not_checked')) return 'not_checked';
  return 'balanced';
}

/** The 9101 detail file's rows (amounts as the centre books them; cash travels in the 3202 totals). */
export function detailFileRows(rows: readonly StoreDetailRow[]): DetailRow[] {
  return rows.map((r) => ({
    setl_id: r.setlId, mdtrt_id: r.mdtrtId, psn_no: r.psnNo,
    medfee_sumamt: fmt(r.totals.medfee), fund_pay_sumamt: fmt(r.totals.fund), acct_pay: fmt(r.totals.account), refd_setl_flag: r.refunded ? '1' : '0',
  }));
}

export const STMT_RESULT_TO_DETAIL: Record<DetailResultRow['stmt_rslt'], DetailResult> = { 0: 'matched', 1: 'centre_only', 2: 'store_only', 3: 'mismatch' };

export type MismatchCause = 'refunded_at_centre' | 'refunded_only_here' | 'amounts';

export interface ClassifiedRow {
  readonly setlId: string;
  readonly mdtrtId: string;
  readonly msgid: string;
  readonly psnNo: string;
  readonly result: DetailResult;
  readonly memo: string;
  readonly store: StoreDetailRow | null;
  readonly centre: { medfee: Money; fund: Money; account: Money; refunded: boolean } | null;
  readonly cause: MismatchCause | null;
}

export function classifyDetail(storeRows: readonly StoreDetailRow[], result: readonly DetailResultRow[]): ClassifiedRow[] {
  const bySetlId = new Map(storeRows.map((r) => [r.setlId, r]));
  return result.map((row) => {
    const kind = STMT_RESULT_TO_DETAIL[row.stmt_rslt];
    const store = kind === 'centre_only' ? null : bySetlId.get(row.setl_id) ?? null;
    const centre = kind === 'store_only' ? null : { medfee: money(row.medfee_sumamt), fund: money(row.fund_pay_sumamt), account: money(row.acct_pay), refunded: row.refd_setl_flag === '1' };
    let cause: MismatchCause | null = null;
    if (kind === 'mismatch' && store && centre) {
      if (centre.refunded && !store.refunded) cause = 'refunded_at_centre';
      else if (!centre.refunded && store.refunded) cause = 'refunded_only_here';
      else cause = 'amounts';
    } else if (kind === 'mismatch') cause = 'amounts';
    return {
      setlId: row.setl_id, mdtrtId: row.mdtrt_id || store?.mdtrtId || '', msgid: row.msgid || store?.msgid || '', psnNo: row.psn_no || store?.psnNo || '',
      result: kind, memo: row.memo, store, centre, cause,
    };
  });
}

export function detailRowView(row: ClassifiedRow): DetailRowView {
  return {
    setlId: row.setlId, mdtrtId: row.mdtrtId, msgid: row.msgid, result: row.result, memo: row.memo,
    store: row.store ? { medfee: fmt(row.store.totals.medfee), fund: fmt(row.store.totals.fund), account: fmt(row.store.totals.account), refunded: row.store.refunded } : null,
    centre: row.centre ? { medfee: fmt(row.centre.medfee), fund: fmt(row.centre.fund), account: fmt(row.centre.account), refunded: row.centre.refunded } : null,
  };
}
