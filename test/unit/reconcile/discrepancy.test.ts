import { describe, expect, test } from 'vitest';
import { DISCREPANCY_KINDS } from '../../../core/contracts/reconciliation';
import { money } from '../../../core/money/money';
import { classifyDetail } from '../../../core/reconcile/compare';
import {
  allowedResolutions, detailDiscrepancies, difference, DISCREPANCY_ID, discrepancyId, type DiscrepancyFacts, notAtCentreDiscrepancy, planResolution, provisionalDiscrepancy, unknownDiscrepancy,
} from '../../../core/reconcile/discrepancy';
import { GROUP } from './fixtures';

const base: DiscrepancyFacts = {
  kind: 'provisional_difference', subject: 'settlement:1', date: '2026-06-01', cause: '', saleId: 'S20260601-00000001', settlementId: 1, msgid: 'M'.repeat(30),
  setlId: 'SETL1', mdtrtId: null, psnNo: 'PSN1', insuplcAdmdvs: '360100', group: GROUP, patient: { name: '张*', idNumber: '360102********0073' },
  store: { medfee: '80.00', fund: '0.00', account: '0.00', cash: '80.00' }, centre: { medfee: '80.00', fund: '48.00', account: '0.00', cash: '32.00' },
  standing: 'confirmed', mismatch: null, centreRefunded: false, origin: null,
};

describe('discrepancies', () => {
  test('ids are stable per day, kind and subject, and safe in a URL', () => {
    const id = discrepancyId('2026-06-01', 'centre_only', 'centre:S2026/0001');
    expect(id).toBe('20260601.centre_only.centre-S2026-0001');
    expect(DISCREPANCY_ID.test(id)).toBe(true);
    expect(DISCREPANCY_ID.test('../etc/passwd')).toBe(false);
  });

  test('the difference is centre − store per part, a missing side counting as zero', () => {
    expect(difference(base.store, base.centre)).toEqual({ medfee: '0.00', fund: '48.00', account: '0.00', cash: '-48.00' });
    expect(difference(null, base.centre)).toEqual({ medfee: '80.00', fund: '48.00', account: '0.00', cash: '32.00' });
  });

  test('a provisional difference is found only when the centre differs; its resolutions follow the cash sign', () => {
    const source = { settlementId: 1, saleId: 'S1', saleDay: '2026-06-01', msgid: 'M', setlId: 'X', psnNo: 'P', group: GROUP, patient: null, provisional: base.store!, centre: base.store! };
    expect(provisionalDiscrepancy(source)).toBeNull();
    const overpaid = provisionalDiscrepancy({ ...source, centre: base.centre! })!;
    expect(overpaid.cause).toContain('多收患者现金 48.00 元');
    expect(allowedResolutions(overpaid)).toEqual(['refund_to_patient', 'write_off']);
    expect(allowedResolutions({ ...overpaid, centre: { medfee: '80.00', fund: '0.00', account: '0.00', cash: '90.00' } })).toEqual(['collect_from_patient', 'write_off']);
    expect(allowedResolutions({ ...overpaid, centre: { medfee: '80.00', fund: '0.00', account: '10.00', cash: '70.00' }, store: { medfee: '80.00', fund: '10.00', account: '0.00', cash: '70.00' } })).toEqual(['write_off']);
  });

  test('every kind allows at least one resolution', () => {
    for (const kind of DISCREPANCY_KINDS) {
      for (const standing of ['unconfirmed', 'confirmed', 'gone', 'foreign'] as const) {
        for (const origin of ['selfpay', 'parked', 'reversed'] as const) {
          expect(allowedResolutions({ ...base, kind, standing, origin, mismatch: 'amounts' }).length).toBeGreaterThan(0);
        }
      }
    }
  });

  test('plans: refused when resolved, not allowed or a write-off without a reason', () => {
    expect(planResolution(base, 'resolved', 'refund_to_patient', '')).toMatchObject({ type: 'refuse', status: 409, code: 'DISCREPANCY_RESOLVED' });
    expect(planResolution(base, 'open', 'collect_from_patient', '')).toMatchObject({ type: 'refuse', status: 422, field: 'action' });
    expect(planResolution(base, 'open', 'write_off', ' 短 ')).toMatchObject({ type: 'refuse', code: 'REASON_REQUIRED', field: 'reason' });
    expect(planResolution(base, 'open', 'refund_to_patient', '')).toEqual({ type: 'book', adjustments: [], amount: '48.00', detail: '退还患者现金 48.00 元' });
    expect(planResolution(base, 'open', 'write_off', '患者联系不上')).toMatchObject({ type: 'book', amount: '48.00' });
  });

  test('an unknown outcome of ours is reversed by its msgid (2601 through its outbox), never looked up by it', () => {
    const u = unknownDiscrepancy({ settlementId: 9, saleId: 'SU', saleDay: '2026-06-01', msgid: 'U-msg', psnNo: 'P', insuplcAdmdvs: '360100', group: GROUP, patient: null, provisional: { medfee: '10.00', fund: '5.00', account: '0.00', cash: '5.00' }, state: 'reversing' });
    expect(allowedResolutions(u)).toEqual(['reverse_at_centre']);
    expect(u.cause).toContain('2601');
    expect(u.cause).not.toContain('5203');
    expect(planResolution(u, 'open', 'reverse_at_centre', '')).toEqual({ type: 'reverse', omsgid: 'U-msg', psnNo: 'P', viaOutbox: 9 });
    expect(planResolution(u, 'open', 'record_locally', '')).toMatchObject({ type: 'refuse', code: 'RESOLUTION_NOT_ALLOWED' });
  });

  test('plans for the 3202 kinds: reverse or record a centre-only one, give up a store-only one, book a centre refund', () => {
    const rows = classifyDetail([
      { setlId: 'E', mdtrtId: 'ME', psnNo: 'P', msgid: 'ME-msg', saleId: 'SE', setlOptins: '360100', refunded: false, totals: { count: 1, medfee: money('25.00'), fund: money('0.00'), account: money('25.00'), cash: money('0.00') } },
      { setlId: 'D', mdtrtId: 'MD', psnNo: 'P', msgid: 'MD-msg', saleId: 'SD', setlOptins: '360100', refunded: false, totals: { count: 1, medfee: money('40.00'), fund: money('10.00'), account: money('30.00'), cash: money('0.00') } },
    ], [
      { psn_no: 'P', mdtrt_id: 'MB', setl_id: 'B', msgid: 'B-msg', stmt_rslt: '1', refd_setl_flag: '0', memo: '', medfee_sumamt: '30.00', fund_pay_sumamt: '0.00', acct_pay: '30.00' },
      { psn_no: 'P', mdtrt_id: 'MX', setl_id: 'X', msgid: 'X-msg', stmt_rslt: '1', refd_setl_flag: '0', memo: '', medfee_sumamt: '5.00', fund_pay_sumamt: '5.00', acct_pay: '0.00' },
      { psn_no: 'P', mdtrt_id: 'ME', setl_id: 'E', msgid: '', stmt_rslt: '2', refd_setl_flag: '0', memo: '', medfee_sumamt: '25.00', fund_pay_sumamt: '0.00', acct_pay: '25.00' },
      { psn_no: 'P', mdtrt_id: 'MD', setl_id: 'D', msgid: 'MD-msg', stmt_rslt: '3', refd_setl_flag: '1', memo: '', medfee_sumamt: '40.00', fund_pay_sumamt: '10.00', acct_pay: '30.00' },
    ]);
    const local = (m: string) => m === 'B-msg' ? { settlementId: 7, saleId: 'SB', insuplcAdmdvs: '360100', standing: 'unconfirmed' as const, patient: null, group: GROUP } : undefined;
    const [b, x, e, d] = detailDiscrepancies('2026-06-01', rows, local, '360100');
    expect([b!.kind, x!.kind, e!.kind, d!.kind]).toEqual(['centre_only', 'centre_only', 'store_only', 'mismatch']);
    // Ours and unconfirmed: 5203 by the setl_id + mdtrt_id the 3202 row gave (never by our msgid).
    expect(planResolution(b!, 'open', 'record_locally', '')).toEqual({ type: 'confirm', settlementId: 7, setlId: 'B', mdtrtId: 'MB', psnNo: 'P' });
    expect(planResolution({ ...b!, mdtrtId: null }, 'open', 'record_locally', '')).toMatchObject({ type: 'refuse', code: 'NOT_RECORDABLE' });
    expect(b!.cause).not.toContain('按原报文ID');
    expect(planResolution(b!, 'open', 'reverse_at_centre', '')).toEqual({ type: 'reverse', omsgid: 'B-msg', psnNo: 'P', viaOutbox: 7 });
    expect(x!.standing).toBe('foreign');
    expect(planResolution(x!, 'open', 'reverse_at_centre', '')).toEqual({ type: 'reverse', omsgid: 'X-msg', psnNo: 'P', viaOutbox: null });
    expect(planResolution(x!, 'open', 'record_locally', '')).toEqual({ type: 'book_centre_settlement', setlId: 'X', mdtrtId: 'MX', psnNo: 'P' });
    const giveUp = planResolution(e!, 'open', 'collect_from_patient', '');
    expect(giveUp).toMatchObject({ type: 'book', amount: '25.00', adjustments: [{ effect: 'remove', count: -1, parts: { medfee: '-25.00', fund: '0.00', account: '-25.00', cash: '0.00' } }] });
    expect(d!.mismatch).toBe('refunded_at_centre');
    expect(difference(d!.store, d!.centre)).toEqual({ medfee: '-40.00', fund: '-10.00', account: '-30.00', cash: '0.00' });
    expect(planResolution(d!, 'open', 'record_locally', '')).toMatchObject({ type: 'book', amount: '0.00', adjustments: [{ effect: 'refund', count: 1, parts: { medfee: '-40.00' } }] });
    expect(planResolution(d!, 'open', 'collect_from_patient', '')).toMatchObject({ amount: '40.00' });
  });

  test('a sale the centre lacks: a self-pay one is re-settled as new, a rejected one re-queued, a reversed one cannot be', () => {
    const source = { saleId: 'S9', saleDay: '2026-06-01', settlementId: null, msgid: null, psnNo: 'P', insuplcAdmdvs: '360100', insutype: '310', patient: null, store: { medfee: '30.00', fund: '0.00', account: '0.00', cash: '30.00' }, note: '' };
    const selfpay = notAtCentreDiscrepancy({ ...source, origin: 'selfpay' });
    expect(planResolution(selfpay, 'open', 'resettle', '')).toEqual({ type: 'resettle', saleId: 'S9', requeue: null });
    expect(planResolution(selfpay, 'open', 'write_off', '患者不需要补结算')).toMatchObject({ amount: '0.00' });
    const parked = notAtCentreDiscrepancy({ ...source, origin: 'parked', settlementId: 4, msgid: 'M4', store: { medfee: '10.00', fund: '4.00', account: '6.00', cash: '0.00' } });
    expect(planResolution(parked, 'open', 'resettle', '')).toEqual({ type: 'resettle', saleId: 'S9', requeue: 4 });
    expect(planResolution(parked, 'open', 'collect_from_patient', '')).toMatchObject({ amount: '10.00' });
    const reversed = notAtCentreDiscrepancy({ ...source, origin: 'reversed', settlementId: 5, msgid: 'M5' });
    expect(planResolution(reversed, 'open', 'resettle', '')).toMatchObject({ type: 'refuse', code: 'RESOLUTION_NOT_ALLOWED' });
  });
});
