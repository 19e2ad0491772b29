import { paperRx } from '../../support/paper-rx';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { RequestEnvelope, ResponseEnvelope } from '../../../core/centre/envelope';
import { amount, describeIssues } from '../../../core/centre/fields';
import { settleInputFromBasket } from '../../../core/centre/build';
import { hospLvOfLevel, levelOfHospLv } from '../../../core/centre/tx/institution';
import { PersonInfoInput } from '../../../core/centre/tx/person';
import { QuerySettlementInput } from '../../../core/centre/tx/query';
import { detailFileText, parseDetailFile, parseResultFile, resultFileText, type DetailRow } from '../../../core/centre/tx/reconcile';
import { BookedSettleOutput, checkSettleInput, isCheckedSettleInput, SetlInfo, SettleInput } from '../../../core/centre/tx/settle';
import { TRANSACTIONS } from '../../../core/centre/transactions';

const issues = (r: { success: boolean; error?: unknown }): string => (r.success ? '' : describeIssues(r.error as never));

const envelope = {
  infno: '1101', msgid: 'P42030200001202503010902030001', mdtrtarea_admvs: '420302', insuplc_admdvs: '', recer_sys_code: 'YBXT',
  dev_no: '', dev_safe_info: '', cainfo: '', signtype: '', infver: 'V1.0', opter_type: '1', opter: 'T1', opter_name: '收银员',
  inf_time: '2025-03-01 09:02:03', fixmedins_code: 'P42030200001', fixmedins_name: '药店', sign_no: 'S1', input: { data: {} },
};

const basket = () => settleInputFromBasket({
  psnNo: 'PSN1', certType: '02', certNo: '420302198503120017', insutype: '310', saleTime: new Date('2025-03-01T01:00:00Z'),
  useAccount: true, rx: paperRx('TRAIN-H420302-L1'),
  lines: [{ medListCodg: 'A', medinsListCodg: 'a', qty: '3', price: '0.333' }, { medListCodg: 'B', medinsListCodg: 'b', qty: '1.5', price: '10.00' }],
});

describe('envelopes', () => {
  test('a complete request envelope passes; each broken field is named', () => {
    expect(RequestEnvelope.safeParse(envelope).success).toBe(true);
    expect(issues(RequestEnvelope.safeParse({ ...envelope, msgid: 'X' }))).toMatch(/^msgid:/);
    expect(issues(RequestEnvelope.safeParse({ ...envelope, inf_time: '2025-02-30 00:00:00' }))).toMatch(/^inf_time:/);
    expect(issues(RequestEnvelope.safeParse({ ...envelope, opter_type: '9' }))).toMatch(/^opter_type:/);
    expect(issues(RequestEnvelope.safeParse({ ...envelope, insuplc_admdvs: '4203' }))).toMatch(/^insuplc_admdvs:/);
  });

  test('infcode may be a number or a numeric string; anything else is refused', () => {
    expect(ResponseEnvelope.parse({ infcode: '-1', err_msg: 'x' }).infcode).toBe(-1);
    expect(ResponseEnvelope.parse({ infcode: 0, err_msg: null, output: {} })).toMatchObject({ infcode: 0, err_msg: '', warn_msg: '' });
    expect(issues(ResponseEnvelope.safeParse({ infcode: 'ok' }))).toMatch(/^infcode:/);
    expect(issues(ResponseEnvelope.safeParse({ output: {} }))).toMatch(/^infcode:/);
  });

  test('every transaction of the issue is in the table, money-moving ones marked', () => {
    expect(Object.keys(TRANSACTIONS).sort()).toEqual(['1101', '1201', '1301', '1306', '1312', '1319', '1901', '2101', '2102', '2103', '2601', '3201', '3202', '3501', '3502', '3503', '3504', '3505', '3505A', '3506', '3506A', '3507', '5203', '5206', '7201', '7202', '7203', '7204', '7206', '9001', '9002', '9101', '9102']);
    expect(Object.values(TRANSACTIONS).filter((t) => t.mutating).map((t) => t.infno).sort()).toEqual(['2102', '2103', '2601']);
  });
});

describe('amounts on the wire', () => {
  test('strings and exact numbers become two-decimal text', () => {
    expect(amount.parse('12.3')).toBe('12.30');
    expect(amount.parse(12.5)).toBe('12.50');
    expect(amount.parse(-3)).toBe('-3.00');
    expect(amount.parse('0')).toBe('0.00');
  });

  test('inexact or non-amount values are refused, never rounded', () => {
    for (const bad of [0.1 + 0.2, 1e21, Number.NaN, '1.005', '1e3', '', ' ', '12,30', true, null]) {
      expect(amount.safeParse(bad).success).toBe(false);
    }
  });

  test('property: any amount string with ≤2 decimals survives a trip through a JSON number', () => {
    fc.assert(fc.property(fc.bigInt({ min: -999_999_999_999n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 99 }), (units, cents) => {
      const text = `${units < 0n ? '-' : ''}${units < 0n ? -units : units}.${String(cents).padStart(2, '0')}`;
      expect(amount.parse(JSON.parse(text) as number)).toBe(amount.parse(text));
    }));
  });
});

describe('2101/2102 input', () => {
  test('the basket builder computes line amounts and the total', () => {
    const input = SettleInput.parse(basket());
    expect(input.drugdetail.map((d) => d.det_item_fee_sumamt)).toEqual(['1.00', '15.00']);
    expect(input.druginfo.medfee_sumamt).toBe('16.00');
    expect(input.druginfo.begntime).toBe('2025-03-01 09:00:00');
  });

  test('inconsistent sums are refused with the field named', () => {
    const draft = basket();
    expect(issues(SettleInput.safeParse({ ...draft, druginfo: { ...draft.druginfo, medfee_sumamt: '16.01' } }))).toMatch(/druginfo\.medfee_sumamt: must equal the sum/);
    const lines = [{ ...draft.drugdetail[0]!, det_item_fee_sumamt: '0.99' }, draft.drugdetail[1]!];
    expect(issues(SettleInput.safeParse({ ...draft, drugdetail: lines }))).toMatch(/drugdetail\.0\.det_item_fee_sumamt: must equal cnt × pric = 1\.00/);
    const dup = [draft.drugdetail[0]!, { ...draft.drugdetail[1]!, feedetl_sn: '1' }];
    expect(issues(SettleInput.safeParse({ ...draft, drugdetail: dup }))).toMatch(/drugdetail\.1\.feedetl_sn: duplicate/);
    expect(issues(SettleInput.safeParse({ ...draft, drugdetail: [] }))).toMatch(/drugdetail: needs at least one line/);
    expect(issues(SettleInput.safeParse({ ...draft, druginfo: { ...draft.druginfo, acct_used_flag: '2' } }))).toMatch(/druginfo\.acct_used_flag/);
  });

  test('a checked input is frozen to the last line and known as checked; a copy or a refused draft is not', () => {
    const checked = basket();
    expect(isCheckedSettleInput(checked)).toBe(true);
    // Whatever changes it afterwards cannot slip past the validation it already had.
    expect(() => { (checked.druginfo as { medfee_sumamt: string }).medfee_sumamt = '0.01'; }).toThrow(TypeError);
    expect(() => { (checked.drugdetail[1] as { cnt: string }).cnt = '99'; }).toThrow(TypeError);
    expect(() => { (checked.drugdetail as unknown[]).push(checked.drugdetail[0]); }).toThrow(TypeError);
    expect(checked.druginfo.medfee_sumamt).toBe('16.00');
    // A copy (even an unchanged one) is parsed again wherever it is recorded.
    expect(isCheckedSettleInput({ ...checked })).toBe(false);
    const refused = checkSettleInput({ ...checked, druginfo: { ...checked.druginfo, medfee_sumamt: '16.01' } });
    expect(refused.success).toBe(false);
    expect(isCheckedSettleInput(SettleInput.parse(checked))).toBe(false);
  });
});

describe('settlement output', () => {
  const info = {
    setl_id: 'S1', mdtrt_id: 'M1', psn_no: 'P1', medfee_sumamt: 100, hifp_pay: '40.00', fund_pay_sumamt: '40.00',
    psn_part_amt: '60.00', acct_pay: '50.00', psn_cash_pay: '10.00', medins_setl_id: 'P42030200001202503010902030001',
  };

  test('a real-centre style reply (numbers, nulls, extra fields) is read and normalised', () => {
    const parsed = SetlInfo.parse({ ...info, hosp_part_amt: null, balc: 12.34, pool_prop_selfpay: 0.6, extra_field: 'x' });
    expect(parsed).toMatchObject({ medfee_sumamt: '100.00', hosp_part_amt: '0.00', balc: '12.34', pool_prop_selfpay: '0.6' });
    expect('extra_field' in parsed).toBe(false);
  });

  test('a reply whose parts do not add up is not trusted', () => {
    expect(issues(SetlInfo.safeParse({ ...info, psn_cash_pay: '10.01' }))).toMatch(/psn_part_amt: must equal acct_pay \+ psn_cash_pay/);
    expect(issues(SetlInfo.safeParse({ ...info, fund_pay_sumamt: '41.00' }))).toMatch(/medfee_sumamt: must equal fund_pay_sumamt/);
  });

  test('a booked settlement must name setl_id, mdtrt_id and the echoed msgid', () => {
    expect(BookedSettleOutput.safeParse({ setlinfo: info }).success).toBe(true);
    expect(issues(BookedSettleOutput.safeParse({ setlinfo: { ...info, setl_id: null } }))).toMatch(/setlinfo\.setl_id: required/);
  });
});

describe('other inputs', () => {
  test('1101 with a social security card needs card_sn', () => {
    expect(issues(PersonInfoInput.safeParse({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: 'T1' } }))).toMatch(/data\.card_sn: required/);
    expect(PersonInfoInput.safeParse({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: '420302198503120017' } }).success).toBe(true);
  });

  test('5203 needs setl_id or our msgid', () => {
    expect(issues(QuerySettlementInput.safeParse({ data: { psn_no: 'P' } }))).toMatch(/data\.setl_id: give setl_id or medins_setl_id/);
  });

  test('hosp_lv maps to levels 1–3 and back', () => {
    expect(['01', '04', '05', '07', '08', '10', '11', 'x'].map(levelOfHospLv)).toEqual([3, 3, 2, 2, 1, 1, null, null]);
    for (const level of [1, 2, 3] as const) expect(levelOfHospLv(hospLvOfLevel(level))).toBe(level);
  });
});

describe('3202 files', () => {
  const rows: DetailRow[] = [
    { setl_id: 'S1', mdtrt_id: 'M1', psn_no: 'P1', medfee_sumamt: '10.00', fund_pay_sumamt: '4.00', acct_pay: '6.00', refd_setl_flag: '0' },
    { setl_id: 'S2', mdtrt_id: 'M2', psn_no: 'P2', medfee_sumamt: '-3.00', fund_pay_sumamt: '0.00', acct_pay: '-3.00', refd_setl_flag: '1' },
  ];

  test('detail and result files round-trip as tab-separated rows', () => {
    expect(detailFileText(rows)).toBe('S1\tM1\tP1\t10.00\t4.00\t6.00\t0\nS2\tM2\tP2\t-3.00\t0.00\t-3.00\t1\n');
    expect(parseDetailFile(detailFileText(rows))).toEqual(rows);
    const result = [{ psn_no: 'P1', mdtrt_id: 'M1', setl_id: 'S1', msgid: 'X', stmt_rslt: '0' as const, refd_setl_flag: '0', memo: '对平', medfee_sumamt: '10.00', fund_pay_sumamt: '4.00', acct_pay: '6.00' }];
    expect(parseResultFile(resultFileText(result))).toEqual(result);
  });

  test('a damaged line is refused with its number and column', () => {
    expect(() => parseDetailFile('S1\tM1\tP1\t10.00\n')).toThrow(/line 1: expected 7/);
    expect(() => parseResultFile('P\tM\tS\tX\t9\t0\t\t1.00\t1.00\t1.00\n')).toThrow(/line 1: stmt_rslt/);
    expect(() => detailFileText([{ ...rows[0]!, psn_no: 'P\t1' }])).toThrow(/psn_no may not contain tabs/);
  });
});
