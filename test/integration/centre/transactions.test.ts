// Every transaction against the sandbox centre over loopback HTTP, with the real client.
import { describe, expect, test } from 'vitest';
import { type SettleOutput } from '../../../core/centre/tx/settle';
import { BY_MSGID, ok, useSandboxClient, client, person, sale, sandbox } from './fixture';

const env = useSandboxClient();

const personRow = (psnNo: string) => env.sb.db.prepare('SELECT balance, deductible_met, fund_paid FROM person WHERE psn_no = ?').get(psnNo) as { balance: string; deductible_met: string; fund_paid: string };

describe('9001/9002 sign-in', () => {
  test('sign in returns a sign_no; business calls without one are refused by the centre', async () => {
    const signed = ok(await env.c.centre.signIn());
    expect(signed.signinoutb.sign_no).toMatch(/^\d{14}[0-9a-f]+$/);
    const other = client(env.sb);
    expect(ok(await other.centre.signOut()).signoutoutb.sign_time).toMatch(/^\d{4}-/);
    const raw = await fetch(env.sb.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      infno: '1101', msgid: 'P42030200001202506161000000001', mdtrtarea_admvs: '420302', insuplc_admdvs: '', recer_sys_code: 'YBXT', dev_no: '',
      dev_safe_info: '', cainfo: '', signtype: '', infver: 'V1.0', opter_type: '1', opter: 'X', opter_name: 'X', inf_time: '2025-06-16 10:00:00',
      fixmedins_code: 'P42030200001', fixmedins_name: 'X', sign_no: 'forged', input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '1' } } }) });
    expect(await raw.json()).toMatchObject({ infcode: -1, err_msg: expect.stringMatching(/未签到/) });
    await other.transport.close();
  });

  test('after 9002 the old sign_no no longer works, and the client signs in again', async () => {
    const d = client(env.sb);
    ok(await d.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: person('shiyan-active').certno } }));
    const first = d.centre.signNo();
    ok(await d.centre.signOut());
    expect(d.centre.signNo()).toBeNull();
    ok(await d.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: person('shiyan-active').certno } }));
    expect(d.centre.signNo()).not.toBe(first);
    await d.transport.close();
  });
});

describe('1101 person info', () => {
  test('by ID number, by social security card (with card_sn) and by e-voucher token', async () => {
    const p = person('nanchang-active');
    const byId = ok(await env.c.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } }));
    expect(byId.baseinfo).toMatchObject({ psn_no: p.psnNo, psn_name: p.name, certno: p.certno });
    expect(byId.insuinfo[0]).toMatchObject({ insutype: '310', insuplc_admdvs: '360100', balc: p.balance, psn_insu_stas: '1' });
    const byCard = ok(await env.c.centre.personInfo({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, card_sn: p.cardSn } }));
    expect(byCard.baseinfo.psn_no).toBe(p.psnNo);
    const byToken = ok(await env.c.centre.personInfo({ data: { mdtrt_cert_type: '01', mdtrt_cert_no: p.ecToken } }));
    expect(byToken.baseinfo.psn_no).toBe(p.psnNo);
  });

  test('a wrong card_sn, an unknown person, a suspended one', async () => {
    const p = person('shiyan-active');
    const wrongSn = await env.c.centre.personInfo({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, card_sn: '0'.repeat(32) } });
    expect(wrongSn).toMatchObject({ kind: 'rejected', message: '社会保障卡识别码不符' });
    expect(await env.c.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: '110101199001010011' } })).toMatchObject({ kind: 'rejected', message: '未查询到人员参保信息' });
    const suspended = ok(await env.c.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: person('chongqing-suspended').certno } }));
    expect(suspended.insuinfo[0]).toMatchObject({ psn_insu_stas: '2', insuplc_admdvs: '500103' });
  });
});

describe('1201 institution info', () => {
  test('gives the issuer level as hosp_lv; non-designated institutions are not listed', async () => {
    const l3 = ok(await env.c.centre.institutionInfo({ medinsinfo: { fixmedins_code: 'TRAIN-H420302-L3' } }));
    expect(l3.medinsinfo).toEqual([expect.objectContaining({ fixmedins_code: 'TRAIN-H420302-L3', hosp_lv: '02' })]);
    expect(ok(await env.c.centre.institutionInfo({ medinsinfo: { fixmedins_code: 'TRAIN-H420302-NONDES' } })).medinsinfo).toEqual([]);
    const byName = ok(await env.c.centre.institutionInfo({ medinsinfo: { fixmedins_name: '南昌示例' } }));
    expect(byName.medinsinfo.map((m) => m.fixmedins_code).sort()).toEqual(['TRAIN-H360102-L1', 'TRAIN-H360102-L2', 'TRAIN-H360102-L3']);
  });
});

describe('2101 / 2102 / 2103 / 5203 / 2601', () => {
  const p = person('jincheng-active');
  const basket = [{ medListCodg: 'TRAIN-D-A01', qty: '2', price: '150.00' }, { medListCodg: 'TRAIN-D-B01', qty: '1', price: '40.00' }, { medListCodg: 'TRAIN-O-C01', qty: '1', price: '10.00' }];

  test('2101 prices with the centre\'s totals and books nothing', async () => {
    const before = personRow(p.psnNo);
    const s = sale(p, basket);
    const out = ok(await env.c.centre.preSettle(s.request, { insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(out.setlinfo).toMatchObject({ medfee_sumamt: '350.00', setl_id: '', fulamt_ownpay_amt: '10.00', preselfpay_amt: '4.00' });
    expect(out.detlcutinfo.map((d) => [d.feedetl_sn, d.chrgitm_lv, d.inscp_scp_amt])).toEqual([['1', '01', '300.00'], ['2', '02', '36.00'], ['3', '03', '0.00']]);
    expect(personRow(p.psnNo)).toEqual(before);
  });

  test('2102 books under the msgid, charges the account and the year totals; the same msgid again books nothing', async () => {
    const before = personRow(p.psnNo);
    const s = sale(p, basket);
    const msgid = env.c.nextMsgid();
    const first = ok(await env.c.centre.settle(s.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(first.setlinfo).toMatchObject({ medins_setl_id: msgid, clr_type: '41', medfee_sumamt: '350.00' });
    expect(first.setlinfo.setl_id).toMatch(/^S/);
    const after = personRow(p.psnNo);
    expect(Number(after.balance)).toBeCloseTo(Number(before.balance) - Number(first.setlinfo.acct_pay), 2);
    expect(after.fund_paid).toBe(first.setlinfo.fund_pay_sumamt);
    const replay = ok(await env.c.centre.settle(s.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(replay.setlinfo.setl_id).toBe(first.setlinfo.setl_id);
    expect(personRow(p.psnNo)).toEqual(after);
    const changed = sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '1.00' }]);
    expect(await env.c.centre.settle(changed.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/已使用，且内容与原报文不同/) });
  });

  test('5203 finds a settlement by psn_no + setl_id + mdtrt_id (national), and says so when there is none', async () => {
    const s = sale(p, basket);
    const msgid = env.c.nextMsgid();
    const booked = ok(await env.c.centre.settle(s.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs }));
    const key = { psn_no: p.psnNo, setl_id: booked.setlinfo.setl_id, mdtrt_id: booked.setlinfo.mdtrt_id };
    const bySetl = ok(await env.c.centre.querySettlement({ data: key }, { insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(bySetl.setlinfo?.medins_setl_id).toBe(msgid);
    expect(ok(await env.c.centre.querySettlement({ data: { ...key, mdtrt_id: 'NO-SUCH-MDTRT' } }, { insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo).toBeNull();
    // National defines no lookup by our msgid: the client refuses to send one (mdtrt_id and setl_id are required).
    await expect(env.c.centre.querySettlement({ data: { psn_no: p.psnNo, medins_setl_id: msgid } }, { insuplcAdmdvs: s.insuplcAdmdvs })).rejects.toThrow(/setl_id|mdtrt_id/);
  });

  test('(a profile with 5203 by msgid) 5203 finds a settlement by our msgid, and says so when there is none', async () => {
    const sb = await sandbox({}, { edition: BY_MSGID });
    const c = client(sb, { edition: BY_MSGID });
    try {
      const s = sale(p, basket);
      const msgid = c.nextMsgid();
      const booked = ok(await c.centre.settle(s.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs }));
      const byMsgid = ok(await c.centre.querySettlement({ data: { psn_no: p.psnNo, medins_setl_id: msgid } }, { insuplcAdmdvs: s.insuplcAdmdvs }));
      expect(byMsgid.setlinfo?.setl_id).toBe(booked.setlinfo.setl_id);
      const none = ok(await c.centre.querySettlement({ data: { psn_no: p.psnNo, medins_setl_id: c.nextMsgid() } }, { insuplcAdmdvs: s.insuplcAdmdvs }));
      expect(none.setlinfo).toBeNull();
    } finally {
      await c.transport.close();
      await sb.close();
    }
  });

  test('2103 refunds: negative amounts, the account and totals restored; twice is refused', async () => {
    const s = sale(p, basket);
    const before = personRow(p.psnNo);
    const booked = ok(await env.c.centre.settle(s.request, { msgid: env.c.nextMsgid(), insuplcAdmdvs: s.insuplcAdmdvs })) as SettleOutput;
    const data = { setl_id: booked.setlinfo.setl_id, mdtrt_id: booked.setlinfo.mdtrt_id, psn_no: p.psnNo };
    const cancelled = ok(await env.c.centre.cancel({ data }, { msgid: env.c.nextMsgid(), insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(cancelled.setlinfo).toMatchObject({ medfee_sumamt: '-350.00', setl_id: booked.setlinfo.setl_id });
    expect(personRow(p.psnNo)).toEqual(before);
    expect(await env.c.centre.cancel({ data }, { msgid: env.c.nextMsgid(), insuplcAdmdvs: s.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: '该结算已撤销' });
  });

  test('2601 reverses a booked settlement by its msgid; reversing a msgid never seen blocks it for good', async () => {
    const s = sale(p, basket);
    const before = personRow(p.psnNo);
    const msgid = env.c.nextMsgid();
    const booked = ok(await env.c.centre.settle(s.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(ok(await env.c.centre.reverse({ data: { psn_no: p.psnNo, omsgid: msgid, oinfno: '2102' } }, { insuplcAdmdvs: s.insuplcAdmdvs }))).toEqual({ reversed: true });
    expect(personRow(p.psnNo)).toEqual(before);
    expect(ok(await env.c.centre.querySettlement({ data: { psn_no: p.psnNo, setl_id: booked.setlinfo.setl_id, mdtrt_id: booked.setlinfo.mdtrt_id } }, { insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo).toBeNull();
    // Again: harmless.
    expect((await env.c.centre.reverse({ data: { psn_no: p.psnNo, omsgid: msgid, oinfno: '2102' } }, { insuplcAdmdvs: s.insuplcAdmdvs })).kind).toBe('ok');
    const never = env.c.nextMsgid();
    expect((await env.c.centre.reverse({ data: { psn_no: p.psnNo, omsgid: never, oinfno: '2102' } }, { insuplcAdmdvs: s.insuplcAdmdvs })).kind).toBe('ok');
    expect(await env.c.centre.settle(s.request, { msgid: never, insuplcAdmdvs: s.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/已被冲正/) });
  });

  test('business rejections: an unmapped catalogue code, an unknown prescriber, a wrong insurance type', async () => {
    const bad = sale(p, [{ medListCodg: 'NOT-IN-CATALOGUE', qty: '1', price: '5.00' }]);
    expect(await env.c.centre.settle(bad.request, { msgid: env.c.nextMsgid(), insuplcAdmdvs: bad.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/NOT-IN-CATALOGUE/) });
    const s = sale(p, basket);
    // The prescriber's 医保医师代码 names an institution the centre does not have; a code it does not know at all.
    const unknownIssuer = { ...s.request, drugdetail: s.request.drugdetail.map((l) => ({ ...l, bilg_dr_codg: 'DR-H999999-L1' })) };
    expect(await env.c.centre.preSettle(unknownIssuer, { insuplcAdmdvs: s.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/处方开具机构不存在: TRAIN-H999999-L1/) });
    const unknownDoctor = { ...s.request, drugdetail: s.request.drugdetail.map((l) => ({ ...l, bilg_dr_codg: 'D420302000001' })) };
    expect(await env.c.centre.preSettle(unknownDoctor, { insuplcAdmdvs: s.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/医保医师代码不存在: D420302000001/) });
    const resident = { ...s.request, druginfo: { ...s.request.druginfo, insutype: '390' } };
    expect(await env.c.centre.preSettle(resident, { insuplcAdmdvs: s.insuplcAdmdvs })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/险种类型不符/) });
  });
});

describe('the seeded persons\' statuses shape the centre\'s split', () => {
  const basket = [{ medListCodg: 'TRAIN-D-A01', qty: '10', price: '100.00' }];
  const pre = async (fixtureId: string, level: 1 | 2 | 3 = 1) => {
    const p = person(fixtureId);
    const s = sale(p, basket, { issuerLevel: level });
    return ok(await env.c.centre.preSettle(s.request, { insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo;
  };

  test('in hospital or suspended: no pooled fund; near the cap: only what is left of it', async () => {
    expect((await pre('jincheng-inpatient')).hifp_pay).toBe('0.00');
    expect((await pre('chongqing-suspended')).hifp_pay).toBe('0.00');
    // 南昌 active: deductible met, 1750.00 of the 1800.00 cap paid: 50.00 left.
    const nearCap = await pre('nanchang-near-cap');
    expect(nearCap).toMatchObject({ act_pay_dedc: '0.00', hifp_pay: '50.00' });
  });

  test('山西 by price class: an active 二类 prescription pays 55 % after the 50.00 per-visit deductible', async () => {
    const setl = await pre('jincheng-active', 2);
    expect(setl).toMatchObject({ act_pay_dedc: '50.00', pool_prop_selfpay: '0.55', hifp_pay: '522.50' });
  });
});

describe('3201 / 3202 reconciliation with the file exchange', () => {
  test('totals balance for what was booked and not otherwise', async () => {
    const fresh = await sandbox();
    const d = client(fresh);
    const p = person('shiyan-active');
    const s = sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '20.00' }]);
    const booked = ok(await d.centre.settle(s.request, { msgid: d.nextMsgid(), insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo;
    const data = { insutype: '310', clr_type: '41', setl_optins: '420300', stmt_begndate: '2025-06-16', stmt_enddate: '2025-06-16', medfee_sumamt: '20.00', fund_pay_sumamt: booked.fund_pay_sumamt, acct_pay: booked.acct_pay, fixmedins_setl_cnt: 1 };
    expect(ok(await d.centre.reconcileTotals({ data })).stmtinfo.stmt_rslt).toBe('0');
    const off = ok(await d.centre.reconcileTotals({ data: { ...data, fixmedins_setl_cnt: 2 } })).stmtinfo;
    expect(off).toMatchObject({ stmt_rslt: '1', stmt_rslt_dscr: expect.stringMatching(/中心 1 笔/) });
    await d.transport.close();
    await fresh.close();
  });

  test('3202 uploads the detail file (9101), compares, and the result file (9102) names each difference', async () => {
    const fresh = await sandbox();
    const d = client(fresh);
    const p = person('shiyan-active');
    const book = async (price: string) => ok(await d.centre.settle(sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price }]).request, { msgid: d.nextMsgid(), insuplcAdmdvs: '420300' })).setlinfo;
    const a = await book('10.00');
    const b = await book('20.00');
    const centreOnly = await book('30.00');
    const rows = [
      { setl_id: a.setl_id, mdtrt_id: a.mdtrt_id, psn_no: p.psnNo, medfee_sumamt: '10.00', fund_pay_sumamt: a.fund_pay_sumamt, acct_pay: a.acct_pay, refd_setl_flag: '0' as const },
      { setl_id: b.setl_id, mdtrt_id: b.mdtrt_id, psn_no: p.psnNo, medfee_sumamt: '21.00', fund_pay_sumamt: b.fund_pay_sumamt, acct_pay: b.acct_pay, refd_setl_flag: '0' as const },
      { setl_id: 'S-STORE-ONLY', mdtrt_id: 'M-X', psn_no: p.psnNo, medfee_sumamt: '5.00', fund_pay_sumamt: '0.00', acct_pay: '5.00', refd_setl_flag: '0' as const },
    ];
    const result = ok(await d.centre.reconcileDetails({
      rows, filename: 'detail-2025-06-16.txt',
      data: { setl_optins: '420300', stmt_begndate: '2025-06-16', stmt_enddate: '2025-06-16', medfee_sumamt: '36.00', fund_pay_sumamt: '0.00', cash_payamt: '0.00', fixmedins_setl_cnt: 3 },
    }));
    const bySetl = Object.fromEntries(result.rows.map((r) => [r.setl_id, r.stmt_rslt]));
    expect(bySetl).toEqual({ [a.setl_id]: '0', [b.setl_id]: '3', 'S-STORE-ONLY': '2', [centreOnly.setl_id]: '1' });
    expect(result.rows.find((r) => r.setl_id === centreOnly.setl_id)?.msgid).toMatch(/^P42030200001/);
    expect(result.fileinfo.filename).toMatch(/\.zip$/);
    await d.transport.close();
    await fresh.close();
  });
});
