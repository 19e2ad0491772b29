// 7201 (e-prescription QR → token) and 7203 (download) against the sandbox centre over loopback
// HTTP with the real client; the replies pass the same schemas the till uses (the client answers
// `ok` only then). Training QRs: RX-<fixtureId>-<issuerCode>-<n>[-OLD] (native/sandbox/eprescription.ts).
import { describe, expect, test } from 'vitest';
import { createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { EprescriptionDownloadOutput, EprescriptionQrOutput } from '../../../core/centre/tx/eprescription';
import { trainingCatalogue, trainingInstitutions } from '../../../core/policy/reference';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { TRAINING_RX_ITEMS, TRAINING_RX_PRESCRIBER, trainingRxNo } from '../../../native/sandbox/eprescription';
import { ok, useSandboxClient, client, person, sandbox, tempDir } from './fixture';

const env = useSandboxClient();

describe('7201 + 7203', () => {
  test('a training QR decodes to a token for its patient; the download is issued today (sandbox clock) by the named institution', async () => {
    const p = person('nanchang-active');
    const qr = 'RX-nanchang-active-TRAIN-H360102-L3-1';
    const decoded = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: qr } }));
    expect(decoded).toMatchObject({ cert_type: '01', name: p.name, certno: p.certno, insuplc_admdvs: p.insuplcAdmdvs });
    expect(decoded.epc_token).toMatch(/^EPC\d{14}[0-9a-f]{24}$/);

    const rx = ok(await env.c.centre.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } }));
    const issuer = trainingInstitutions().find((i) => i.code === 'TRAIN-H360102-L3')!;
    // The fixture's sandbox clock is 2025-06-16 10:00 China time.
    expect(rx.data).toMatchObject({
      hi_rxno: trainingRxNo(qr), fixmedins_code: issuer.code, fixmedins_name: issuer.name,
      prsc_time: '2025-06-16 10:00:00', valid_days: 3, valid_end_time: '2025-06-18 23:59:59', rept_flag: '0',
    });
    expect(rx.rxdrugdetail.map((d) => d.med_list_codg)).toEqual([...TRAINING_RX_ITEMS]);
    expect(rx.mdtrtinfo).toMatchObject({ psn_no: p.psnNo, certno: p.certno, prsc_dr_name: TRAINING_RX_PRESCRIBER });
    // The raw row is the sandbox's own record of what it handed out.
    expect(env.sb.db.prepare('SELECT psn_no, issuer_code, hi_rxno FROM eprescription WHERE epc_token = ?').get(decoded.epc_token))
      .toEqual({ psn_no: p.psnNo, issuer_code: issuer.code, hi_rxno: trainingRxNo(qr) });
  });

  test('the training items are training catalogue codes; the same QR always names the same prescription', async () => {
    const codes = new Set(trainingCatalogue().map((c) => c.code));
    expect(TRAINING_RX_ITEMS.every((i) => codes.has(i))).toBe(true);
    const qr = 'RX-jincheng-active-TRAIN-H140502-L2-9';
    const first = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: qr } }));
    const second = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: qr } }));
    expect(second.epc_token).not.toBe(first.epc_token);
    const a = ok(await env.c.centre.downloadEprescription({ data: { epc_token: first.epc_token, insuplc_admdvs: first.insuplc_admdvs } }));
    const b = ok(await env.c.centre.downloadEprescription({ data: { epc_token: second.epc_token, insuplc_admdvs: second.insuplc_admdvs } }));
    expect(a.data.hi_rxno).toBe(b.data.hi_rxno);
    expect(trainingRxNo('RX-jincheng-active-TRAIN-H140502-L2-10')).not.toBe(a.data.hi_rxno);
  });

  test('-OLD: issued 10 days ago, the centre window long over', async () => {
    const decoded = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-shiyan-active-TRAIN-H420302-L1-1-OLD' } }));
    const rx = ok(await env.c.centre.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } }));
    expect(rx.data).toMatchObject({ fixmedins_code: 'TRAIN-H420302-L1', prsc_time: '2025-06-06 10:00:00', valid_end_time: '2025-06-08 23:59:59' });
  });

  test('unknown QRs, tokens and divisions are business errors (rejected, with the centre\'s message)', async () => {
    for (const qr of ['RX-nobody-TRAIN-H360102-L3-1', 'RX-nanchang-active-NOPE-1', 'RX-nanchang-active-TRAIN-H360102-L3', 'RX-nanchang-active-TRAIN-H360102-L3-1-NEW', '0123456789abcdefghijklmnopq']) {
      expect(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: qr } }), qr).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/电子处方二维码无效/) });
    }
    expect(await env.c.centre.downloadEprescription({ data: { epc_token: 'EPC-forged', insuplc_admdvs: '360100' } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/令牌不存在/) });
    const decoded = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L1-1' } }));
    expect(await env.c.centre.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: '420300' } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/区划/) });
    expect(await env.c.centre.downloadEprescription({ data: { auth_rxno: 'A1', insuplc_admdvs: '360100' } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/授权编号不存在/) });
    // A token is not an auth_rxno, nor the other way round.
    expect(await env.c.centre.downloadEprescription({ data: { auth_rxno: decoded.epc_token.slice(0, 30), insuplc_admdvs: '360100' } })).toMatchObject({ kind: 'rejected' });
  });

  test('a token is good only for the pharmacy that decoded it', async () => {
    const identity = { ...TRAINING_IDENTITY, fixmedinsCode: 'P42030200002' };
    const transport = new HttpJsonTransport({ url: env.sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
    const other = createCentreClient({ transport, identity, clock: () => new Date(), terminal: TRAINING_TERMINAL, nextMsgid: msgidGenerator(identity.fixmedinsCode, () => new Date()) });
    const decoded = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L2-3' } }));
    expect(await other.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } })).toMatchObject({ kind: 'rejected' });
    await transport.close();
  });

  test('our own bad input is never sent: CentreInputError names the field', async () => {
    await expect(env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: '' } })).rejects.toThrow(/input\.data\.epc_qrcd/);
    await expect(env.c.centre.downloadEprescription({ data: { insuplc_admdvs: '360100' } })).rejects.toThrow(/input\.data\.epc_token: give epc_token or auth_rxno/);
    await expect(env.c.centre.downloadEprescription({ data: { epc_token: 'T', insuplc_admdvs: '3601' } })).rejects.toThrow(/insuplc_admdvs/);
  });

  test('the raw replies, read off the wire, pass the same schemas unchanged', async () => {
    ok(await env.c.centre.signIn());
    let seq = 0;
    const raw = async (infno: string, input: unknown): Promise<{ infcode: number; output: unknown }> => {
      const envelope = {
        infno, msgid: `P42030200001202506161000${String(++seq).padStart(6, '0')}`, mdtrtarea_admvs: '420302', insuplc_admdvs: infno === '7203' ? '500000' : '',
        recer_sys_code: 'YBXT', dev_no: '', dev_safe_info: '', cainfo: '', signtype: '', infver: 'V1.0', opter_type: '1', opter: 'TRAIN01', opter_name: 'T',
        inf_time: '2025-06-16 10:00:00', fixmedins_code: 'P42030200001', fixmedins_name: 'T', sign_no: env.c.centre.signNo(), input,
      };
      const response = await fetch(env.sb.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
      return await response.json() as { infcode: number; output: unknown };
    };
    const decoded = await raw('7201', { data: { epc_qrcd: 'RX-chongqing-active-TRAIN-H500103-L3-1' } });
    expect(decoded.infcode).toBe(0);
    expect(EprescriptionQrOutput.parse(decoded.output)).toEqual(decoded.output);
    const token = (decoded.output as { epc_token: string }).epc_token;
    const rx = await raw('7203', { data: { epc_token: token, insuplc_admdvs: '500000' } });
    expect(rx.infcode).toBe(0);
    expect(EprescriptionDownloadOutput.parse(rx.output)).toEqual(rx.output);
    // Hostile variants of a good reply are refused, naming the field.
    const good = rx.output as { data: Record<string, unknown>; rxdrugdetail: unknown[]; mdtrtinfo: Record<string, unknown> };
    expect(EprescriptionDownloadOutput.safeParse({ ...good, rxdrugdetail: [] }).success).toBe(false);
    expect(EprescriptionDownloadOutput.safeParse({ ...good, data: { ...good.data, valid_end_time: '2025-06-18' } }).error?.issues[0]?.path).toEqual(['data', 'valid_end_time']);
  });
});

describe('7202 (query by credential) → 7203 by auth_rxno', () => {
  test('by e-voucher, ID number or card: the waiting prescription of the person\'s city, under a fresh one-time auth_rxno', async () => {
    const p = person('jincheng-active');
    const issuer = trainingInstitutions().find((i) => i.code === 'TRAIN-H140502-L3')!;
    const byCard = ok(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, card_sn: p.cardSn, insuplc_admdvs: p.insuplcAdmdvs } }));
    expect(byCard).toMatchObject({ fixmedins_code: issuer.code, fixmedins_name: issuer.name, prsc_time: '2025-06-16 08:00:00', valid_end_time: '2025-06-18 23:59:59' });
    expect(byCard.auth_rxno).toMatch(/^AUTH\d{14}[0-9A-F]{12}$/);
    const byVoucher = ok(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '01', mdtrt_cert_no: p.ecToken, insuplc_admdvs: p.insuplcAdmdvs } }));
    const byId = ok(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, insuplc_admdvs: p.insuplcAdmdvs } }));
    expect(new Set([byCard.auth_rxno, byVoucher.auth_rxno, byId.auth_rxno]).size).toBe(3);

    const rx = ok(await env.c.centre.downloadEprescription({ data: { auth_rxno: byCard.auth_rxno, insuplc_admdvs: p.insuplcAdmdvs } }));
    expect(rx.data).toMatchObject({ hi_rxno: trainingRxNo(`RX-jincheng-active-${issuer.code}-7202`), fixmedins_code: issuer.code, prsc_time: byCard.prsc_time, valid_end_time: byCard.valid_end_time, reptd_cnt: 0 });
    expect(rx.mdtrtinfo).toMatchObject({ psn_no: p.psnNo });
    // The same prescription whichever credential found it; each auth_rxno is good once.
    expect(ok(await env.c.centre.downloadEprescription({ data: { auth_rxno: byId.auth_rxno, insuplc_admdvs: p.insuplcAdmdvs } })).data.hi_rxno).toBe(rx.data.hi_rxno);
    expect(await env.c.centre.downloadEprescription({ data: { auth_rxno: byCard.auth_rxno, insuplc_admdvs: p.insuplcAdmdvs } }))
      .toMatchObject({ kind: 'rejected', message: expect.stringMatching(/只能使用一次/) });
  });

  test('a wrong card_sn, an unknown credential or another division is refused; card_sn is required with a card (never sent)', async () => {
    const p = person('nanchang-active');
    expect(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, card_sn: 'WRONG', insuplc_admdvs: p.insuplcAdmdvs } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/识别码/) });
    expect(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: '110101199001010000', insuplc_admdvs: p.insuplcAdmdvs } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/未查询到人员/) });
    expect(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, insuplc_admdvs: '420300' } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/区划/) });
    await expect(env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, insuplc_admdvs: p.insuplcAdmdvs } })).rejects.toThrow(/card_sn: required with a social-security card/);
  });

  test('an auth_rxno is good only for the pharmacy that was given it', async () => {
    const p = person('shiyan-active');
    const identity = { ...TRAINING_IDENTITY, fixmedinsCode: 'P42030200002' };
    const transport = new HttpJsonTransport({ url: env.sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
    const other = createCentreClient({ transport, identity, clock: () => new Date(), terminal: TRAINING_TERMINAL, nextMsgid: msgidGenerator(identity.fixmedinsCode, () => new Date()) });
    const found = ok(await env.c.centre.queryEprescription({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, insuplc_admdvs: p.insuplcAdmdvs } }));
    expect(await other.downloadEprescription({ data: { auth_rxno: found.auth_rxno, insuplc_admdvs: p.insuplcAdmdvs } })).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/授权编号不存在/) });
    await transport.close();
  });
});

test('the sandbox keeps its tokens in its own SQLite: a token survives a restart', async () => {
  const dataDir = tempDir('sandbox-rx');
  const first = await sandbox({}, { dataDir });
  const a = client(first);
  const decoded = ok(await a.centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-shiyan-active-TRAIN-H420302-L2-1' } }));
  await a.transport.close();
  await first.close();
  const second = await sandbox({}, { dataDir });
  const b = client(second);
  const rx = ok(await b.centre.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } }));
  expect(rx.data.fixmedins_code).toBe('TRAIN-H420302-L2');
  await b.transport.close();
  await second.close();
});

describe('7104 revocation (the sandbox playing the hospital, S1 CFZX/YG7104.cs fields)', () => {
  test('over its HTTP control: validated, unknown prescriptions 404; then 7203 of it is the centre\'s refusal naming the revocation', async () => {
    const post = (body: unknown) => fetch(`${env.sb.url}sandbox/eprescriptions/revoke`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const qr = 'RX-nanchang-active-TRAIN-H360102-L3-7104';
    const decoded = ok(await env.c.centre.decodeEprescriptionQr({ data: { epc_qrcd: qr } }));
    const fields = { hi_rxno: trainingRxNo(qr), prsc_dr_name: '李医生', undo_dr_cert_type: '01', undo_dr_certno: '360102198001011234', undo_rea: '患者过敏史补录，处方作废', undo_time: '2025-06-16 10:30:00' };
    const bad = await post({ ...fields, undo_time: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/undo_time/);
    expect((await post({ ...fields, hi_rxno: 'HRXUNKNOWN' })).status).toBe(404);
    const revoked = await post(fields);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ hi_rxno: trainingRxNo(qr), revoked_at: '2025-06-16 10:30:00' });
    const download = await env.c.centre.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } });
    expect(download).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/已被开方医院撤销.*过敏史/) });
  });
});
