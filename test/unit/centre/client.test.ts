// The client's classification of replies, driven through a scripted transport (the CentreTransport
// port implemented in memory; the same client runs over real HTTP in test/integration/centre).
import { describe, expect, test } from 'vitest';
import { CentreInputError, createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { memorySignInBook } from '../../../core/centre/sign-in';
import { describeOutcome, unwrap, CentreCallError } from '../../../core/centre/outcome';
import { type CentreTransport, type TransportRequest, type TransportResult } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';

type Script = (request: TransportRequest) => TransportResult;

function scripted(...replies: Script[]) {
  const sent: TransportRequest[] = [];
  const transport: CentreTransport = {
    async send(request) {
      sent.push(request);
      const next = replies.shift();
      if (!next) throw new Error(`unexpected call ${request.envelope.infno}`);
      return next(request);
    },
  };
  const clock = () => new Date('2025-03-01T01:00:00Z');
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock), terminal: TRAINING_TERMINAL });
  return { centre, sent };
}

const ok = (output: unknown): Script => () => ({ kind: 'json', body: { infcode: 0, inf_refmsgid: 'R1', output } });
const signedIn: Script = ok({ signinoutb: { sign_time: '2025-03-01 09:00:00', sign_no: 'SIGN1' } });
const person = { baseinfo: { psn_no: 'P1', certno: 'X', psn_name: '测试甲' }, insuinfo: [{ balc: 10, insutype: '310', psn_type: '1101', psn_insu_stas: '1', insuplc_admdvs: '420300' }] };
const query = { data: { mdtrt_cert_type: '02' as const, mdtrt_cert_no: '420302198503120017' } };

describe('centre client', () => {
  test('signs in first, then sends a complete envelope carrying the sign_no', async () => {
    const { centre, sent } = scripted(signedIn, ok(person));
    const outcome = await centre.personInfo(query);
    expect(outcome.kind).toBe('ok');
    expect(sent.map((r) => r.envelope.infno)).toEqual(['9001', '1101']);
    expect(sent[0]!.envelope.sign_no).toBe('');
    expect(sent[1]!.envelope).toMatchObject({ sign_no: 'SIGN1', fixmedins_code: 'P42030200001', insuplc_admdvs: '', inf_time: '2025-03-01 09:00:00', opter: 'TRAIN01' });
    expect(outcome.kind === 'ok' && outcome.output.insuinfo[0]!.balc).toBe('10.00');
  });

  test('each transport result becomes the matching outcome', async () => {
    const { centre } = scripted(signedIn,
      () => ({ kind: 'not_delivered', reason: 'ECONNREFUSED' }),
      () => ({ kind: 'unknown', reason: 'timeout', detail: 'no reply in 3000 ms' }),
      () => ({ kind: 'json', body: { infcode: -1, err_msg: '未查询到人员参保信息' } }),
      () => ({ kind: 'json', body: { infcode: '-1' } }),
      () => ({ kind: 'json', body: '<html>' }),
      ok({ baseinfo: { psn_no: 'P1' }, insuinfo: [] }),
      () => ({ kind: 'file', bytes: new Uint8Array([1]) }));
    const kinds = [];
    for (let i = 0; i < 7; i++) {
      const o = await centre.personInfo(query);
      kinds.push(o.kind === 'unknown' ? `unknown:${o.reason}:${o.detail.split(':')[0]}` : o.kind === 'rejected' ? `rejected:${o.message}` : o.kind);
    }
    expect(kinds).toEqual([
      'not_delivered', 'unknown:timeout:no reply in 3000 ms', 'rejected:未查询到人员参保信息', 'rejected:infcode -1 without err_msg',
      'unknown:malformed_reply:response envelope', 'unknown:malformed_reply:output.baseinfo.certno', 'unknown:malformed_reply:expected a JSON envelope, got a file',
    ]);
  });

  test('a failed sign-in means the business call was never sent', async () => {
    const { centre, sent } = scripted(() => ({ kind: 'unknown', reason: 'timeout', detail: 'slow' }));
    const outcome = await centre.personInfo(query);
    expect(outcome.kind).toBe('not_delivered');
    expect(outcome.kind === 'not_delivered' && outcome.reason).toMatch(/sign-in \(9001\) failed first: slow/);
    expect(sent.map((r) => r.envelope.infno)).toEqual(['9001']);
  });

  test('a rejection saying the sign-in is stale: sign in again and send the call once more', async () => {
    const stale: Script = () => ({ kind: 'json', body: { infcode: -1, err_msg: '未签到或签到已失效' } });
    const signedIn2: Script = ok({ signinoutb: { sign_time: '2025-03-01 09:00:00', sign_no: 'SIGN2' } });
    const { centre, sent } = scripted(signedIn, stale, signedIn2, ok(person));
    expect((await centre.personInfo(query)).kind).toBe('ok');
    expect(sent.map((r) => `${r.envelope.infno}:${r.envelope.sign_no}`)).toEqual(['9001:', '1101:SIGN1', '9001:', '1101:SIGN2']);
    expect(centre.signNo()).toBe('SIGN2');
  });

  test('stale twice in a row: the rejection is returned, not looped on', async () => {
    const stale: Script = () => ({ kind: 'json', body: { infcode: -1, err_msg: '签到已失效' } });
    const { centre, sent } = scripted(signedIn, stale, signedIn, stale);
    expect(await centre.personInfo(query)).toMatchObject({ kind: 'rejected', message: '签到已失效' });
    expect(sent.map((r) => r.envelope.infno)).toEqual(['9001', '1101', '9001', '1101']);
  });

  test('each operator signs in once per business day; the envelope names them; a shared book is reused', async () => {
    const sent: TransportRequest[] = [];
    let n = 0;
    let now = new Date('2025-03-01T01:00:00Z');
    const transport: CentreTransport = {
      async send(request) {
        sent.push(request);
        if (request.envelope.infno === '9001') return { kind: 'json', body: { infcode: 0, output: { signinoutb: { sign_time: '2025-03-01 09:00:00', sign_no: `S${++n}` } } } };
        return { kind: 'json', body: { infcode: 0, output: person } };
      },
    };
    let operator = { opter: '1001', opterName: '收银员甲' };
    const book = memorySignInBook();
    const make = () => createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => now, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, () => now), terminal: TRAINING_TERMINAL, operator: () => operator, signIns: book });
    const centre = make();
    await centre.personInfo(query);
    await centre.personInfo(query);
    operator = { opter: '1002', opterName: '收银员乙' };
    await centre.personInfo(query);
    operator = { opter: '1001', opterName: '收银员甲' };
    await make().personInfo(query); // a restarted client with the same book: no new 9001
    now = new Date('2025-03-02T01:00:00Z'); // next day in China
    await centre.personInfo(query);
    expect(sent.map((r) => `${r.envelope.infno}/${r.envelope.opter}/${r.envelope.sign_no}`)).toEqual([
      '9001/1001/', '1101/1001/S1', '1101/1001/S1', '9001/1002/', '1101/1002/S2', '1101/1001/S1', '9001/1001/', '1101/1001/S3',
    ]);
    expect(sent.find((r) => r.envelope.infno === '9001' && r.envelope.opter === '1002')!.envelope.input).toMatchObject({ signIn: { opter_no: '1002' } });
    expect(sent[4]!.envelope.opter_name).toBe('收银员乙');
  });

  test('invalid input throws before anything is sent, naming the field', async () => {
    const { centre, sent } = scripted();
    await expect(centre.personInfo({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: 'T1' } })).rejects.toThrow(CentreInputError);
    await expect(centre.querySettlement({ data: { psn_no: 'P1', medins_setl_id: 'P42030200001202503010902030001' } }, { insuplcAdmdvs: '42' })).rejects.toThrow(/insuplc_admdvs/);
    expect(sent).toEqual([]);
  });

  test('settle sends the caller\'s persisted msgid and insists on its echo', async () => {
    const msgid = 'P42030200001202503010900000042';
    const setlinfo = { setl_id: 'S1', mdtrt_id: 'M1', psn_no: 'P1', medfee_sumamt: '1.00', hifp_pay: '0', fund_pay_sumamt: '0', psn_part_amt: '1', acct_pay: '1', psn_cash_pay: '0' };
    const { centre, sent } = scripted(signedIn, ok({ setlinfo: { ...setlinfo, medins_setl_id: msgid } }), ok({ setlinfo: { ...setlinfo, medins_setl_id: 'P42030200001202503010900000041' } }));
    const input = {
      druginfo: { psn_no: 'P1', mdtrt_cert_type: '02' as const, mdtrt_cert_no: 'X', begntime: '2025-03-01 09:00:00', medfee_sumamt: '1', insutype: '310', med_type: '41', acct_used_flag: '1' as const },
      drugdetail: [{ feedetl_sn: '1', rx_circ_flag: '0' as const, fee_ocur_time: '2025-03-01 09:00:00', med_list_codg: 'A', medins_list_codg: 'a', det_item_fee_sumamt: 1, cnt: '1', pric: '1' }],
    };
    expect((await centre.settle(input, { msgid, insuplcAdmdvs: '420300' })).kind).toBe('ok');
    expect(sent[1]!.envelope).toMatchObject({ infno: '2102', msgid, insuplc_admdvs: '420300' });
    // Amounts go out normalised, never as the numbers a caller passed.
    expect((sent[1]!.envelope.input as { drugdetail: Array<{ det_item_fee_sumamt: unknown }> }).drugdetail[0]!.det_item_fee_sumamt).toBe('1.00');
    const stale = await centre.settle(input, { msgid, insuplcAdmdvs: '420300' });
    expect(stale.kind === 'unknown' && stale.reason).toBe('echo_mismatch');
  });

  test('unwrap returns the output or throws an error that keeps the outcome', async () => {
    const { centre } = scripted(signedIn, () => ({ kind: 'json', body: { infcode: -1, err_msg: '拒绝' } }));
    const outcome = await centre.personInfo(query);
    expect(() => unwrap(outcome)).toThrow(CentreCallError);
    expect(describeOutcome(outcome)).toMatch(/^1101 P42030200001\d{18}: rejected by the centre \(-1\): 拒绝$/);
  });
});
