import { describe, expect, test } from 'vitest';
import { TotalsInput, type DetailResultRow } from '../../../core/centre/tx/reconcile';
import { money } from '../../../core/money/money';
import { classifyDetail, detailFileRows, overallResult, totalsRequest, totalsResult } from '../../../core/reconcile/compare';
import { type StoreDetailRow } from '../../../core/reconcile/ledger';
import { GROUP } from './fixtures';

const storeRow = (setlId: string, refunded = false, medfee = '10.00'): StoreDetailRow => ({
  setlId, mdtrtId: `M${setlId}`, psnNo: 'PSN1', msgid: `MSG${setlId}`, saleId: `S${setlId}`, setlOptins: '360100', refunded,
  totals: { count: 1, medfee: money(medfee), fund: money('4.00'), account: money('3.00'), cash: money('3.00') },
});

const result = (setl_id: string, stmt_rslt: DetailResultRow['stmt_rslt'], refd = '0', medfee = '10.00'): DetailResultRow => ({
  psn_no: 'PSN1', mdtrt_id: '', setl_id, msgid: stmt_rslt === '2' ? '' : `C${setl_id}`, stmt_rslt, refd_setl_flag: refd, memo: '', medfee_sumamt: medfee, fund_pay_sumamt: '4.00', acct_pay: '3.00',
});

describe('3201', () => {
  test('the request carries the group, the day, the amounts as text and includes refunds', () => {
    const input = totalsRequest(GROUP, '2026-06-01', { count: 3, medfee: money('12.5'), fund: money('0'), account: money('-1.20'), cash: money('13.70') });
    expect(input.data).toEqual({
      insutype: '310', clr_type: '41', setl_optins: '360100', stmt_begndate: '2026-06-01', stmt_enddate: '2026-06-01',
      medfee_sumamt: '12.50', fund_pay_sumamt: '0.00', acct_pay: '-1.20', fixmedins_setl_cnt: 3, refd_setl_flag: '1',
    });
    expect(TotalsInput.safeParse(input).success).toBe(true);
  });

  test('the answer and the overall result of a day', () => {
    expect(totalsResult({ stmtinfo: { setl_optins: '360100', stmt_rslt: '0', stmt_rslt_dscr: '' } })).toEqual({ result: 'balanced', description: '对账平' });
    expect(totalsResult({ stmtinfo: { setl_optins: '360100', stmt_rslt: '1', stmt_rslt_dscr: '中心 2 笔' } })).toEqual({ result: 'unbalanced', description: '中心 2 笔' });
    expect(overallResult([])).toBe('not_checked');
    expect(overallResult(['balanced', 'balanced'])).toBe('balanced');
    expect(overallResult(['balanced', 'unbalanced'])).toBe('unbalanced');
    expect(overallResult(['unbalanced', 'unavailable'])).toBe('unavailable');
  });
});

describe('3202', () => {
  test('the detail file rows are the store rows with the refund flag', () => {
    expect(detailFileRows([storeRow('1', true)])).toEqual([{ setl_id: '1', mdtrt_id: 'M1', psn_no: 'PSN1', medfee_sumamt: '10.00', fund_pay_sumamt: '4.00', acct_pay: '3.00', refd_setl_flag: '1' }]);
  });

  test('each result is classified, and a mismatch says why', () => {
    const rows = classifyDetail([storeRow('1'), storeRow('2'), storeRow('3'), storeRow('5', true), storeRow('6')], [
      result('1', '0'), result('4', '1'), result('2', '2'), result('3', '3', '1'), result('5', '3', '0'), result('6', '3', '0', '11.00'),
    ]);
    expect(rows.map((r) => [r.setlId, r.result, r.cause, r.store !== null, r.centre !== null])).toEqual([
      ['1', 'matched', null, true, true],
      ['4', 'centre_only', null, false, true],
      ['2', 'store_only', null, true, false],
      ['3', 'mismatch', 'refunded_at_centre', true, true],
      ['5', 'mismatch', 'refunded_only_here', true, true],
      ['6', 'mismatch', 'amounts', true, true],
    ]);
    // A 本地多 row from the centre has no msgid; ours is taken from the store row.
    expect(rows[2]!.msgid).toBe('MSG2');
  });
});
