// The 7206 write-off message (core/checkout/eprescription-writeoff.ts): one row per box, rows adding
// up to the line exactly, the pay mode from the confirmed amounts, and what it cannot send without.
import { describe, expect, test } from 'vitest';
import { EprescriptionWriteOffInput } from '../../../core/centre/tx/eprescription';
import { writeOffDraft, writeOffMessage, writeOffRows, type WriteOffSaleLine } from '../../../core/checkout/eprescription-writeoff';
import { money, sum } from '../../../core/money/money';

const line = (over: Partial<WriteOffSaleLine>): WriteOffSaleLine => ({
  sku: 'SKU1', name: '药', qty: '3', price: '3.33', amount: '10.00', split: false, traceCodes: ['C1', 'C2', 'C3'], catalogueCode: 'X01', prescribed: true, ...over,
});
const SETTLED = { setlId: 'SETL1', setlTime: '2025-06-16 10:00:00', fund: '6.00', personalPart: '4.00', account: '1.00', cash: '3.00' };
const PHARMACIST = { name: '李药师', certNo: 'ZY-1' };

describe('write-off rows', () => {
  test('one row per 追溯码, quantity and amount divided; the last row takes the remainder, so they add up', () => {
    const rows = writeOffRows([line({})]);
    expect(rows.map((r) => [r.drug_trac_codg, r.sel_retn_cnt, r.sumamt])).toEqual([['C1', '1', '3.33'], ['C2', '1', '3.33'], ['C3', '1', '3.34']]);
    expect(sum(rows.map((r) => money(r.sumamt))).toFixed(2)).toBe('10.00');
  });

  test('a 拆零 line with one opened box is one row with trdn_flag 1; a line without codes one row; an unmapped line none', () => {
    expect(writeOffRows([line({ qty: '0.5', amount: '5.00', split: true, traceCodes: ['C9'] })]).map((r) => [r.drug_trac_codg, r.sel_retn_cnt, r.trdn_flag, r.sumamt])).toEqual([['C9', '0.5', '1', '5.00']]);
    expect(writeOffRows([line({ traceCodes: [] })]).map((r) => [r.drug_trac_codg, r.sel_retn_cnt, r.sumamt])).toEqual([['', '3', '10.00']]);
    expect(writeOffRows([line({ catalogueCode: null })])).toEqual([]);
  });
});

describe('the message', () => {
  const draft = writeOffDraft({ hiRxno: 'HRX1', downloadId: 'AUTH1', dispenser: '收银员', insuredRegion: '420300', storeArea: '420302', at: new Date('2025-06-16T02:00:00Z'), lines: [line({})] });

  test('the confirmed settlement and the pharmacist go in; it passes the 7206 schema with amounts as two-decimal strings', () => {
    const built = writeOffMessage(draft, SETTLED, PHARMACIST);
    if ('error' in built) throw new Error(built.error);
    const parsed = EprescriptionWriteOffInput.parse(built.message);
    expect(parsed.data).toMatchObject({
      hi_rxno: 'HRX1', setl_id: 'SETL1', download_ide_code: 'AUTH1', hi_feesetl_type: '1', payMode: '3', phar_name: '李药师', phar_prac_cert_no: 'ZY-1',
      dspeer_name: '收银员', pro_name: '李药师', fund_pay_sumamt: '6.00', psn_part_amt: '4.00', acct_pay: '1.00', psn_cash_pay: '3.00', sel_retn_time: '2025-06-16 10:00:00',
    });
  });

  test('pay mode: 医保 only (2) without cash, 自费 (1) without fund or account; another city is 异地 (2)', () => {
    const mode = (s: typeof SETTLED) => { const b = writeOffMessage(draft, s, PHARMACIST); return 'error' in b ? b.error : b.message.data.payMode; };
    expect(mode({ ...SETTLED, cash: '0.00' })).toBe('2');
    expect(mode({ ...SETTLED, fund: '0.00', account: '0.00' })).toBe('1');
    expect(writeOffDraft({ hiRxno: 'H', downloadId: 'A', dispenser: 'x', insuredRegion: '360100', storeArea: '420302', at: new Date(), lines: [] }).hiFeesetlType).toBe('2');
  });

  test('without a 执业药师 or without lines it is not built; a missing setl_time falls back to the sale time', () => {
    expect(writeOffMessage(draft, SETTLED, null)).toEqual({ error: 'no_pharmacist' });
    expect(writeOffMessage({ ...draft, lines: [] }, SETTLED, PHARMACIST)).toEqual({ error: 'no_lines' });
    const built = writeOffMessage(draft, { ...SETTLED, setlTime: '' }, PHARMACIST);
    expect('message' in built && built.message.data.setl_time).toBe(draft.soldAt);
  });
});
