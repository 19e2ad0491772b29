// Each interface edition in each gateway security mode, end to end over loopback: a sale, a refund,
// a 2601 reversal and a day close (3201, then 9101 → 3202 → 9102), plus 1101/1201/5203/72xx/9002,
// against the sandbox running that edition and mode. Every message the client built is checked field
// by field against the edition (what the client recorded before the transport protected it), and
// the sandbox checks it once more on arrival. Bad keys and missing key files fail clearly; no key
// or token ever reaches a log line or an outcome.
import { writeOffDraft, writeOffMessage } from '../../../core/checkout/eprescription-writeoff';
import { paperRx } from '../../support/paper-rx';
import { parseCatalogueFile } from '../../../core/centre/tx/catalogue';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCentreClient } from '../../../core/centre/client';
import { settleInputFromBasket } from '../../../core/centre/build';
import { editionById, editionFromFile, editionIds } from '../../../core/centre/editions';
import nationalFile from '../../../core/centre/editions/national.json';
import { supportedSecurityModes, type EditionProfile, type SecurityMode } from '../../../core/centre/editions/schema';
import { checkWire } from '../../../core/centre/editions/wire';
import { msgidGenerator } from '../../../core/centre/msgid';
import { type CentreTransport, type TransportRequest } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { CentreKeyError, keyFolder, loadSmKeys, readSecret, writeSecret } from '../../../native/centre/security/keys';
import { createCentreTransport } from '../../../native/centre/transport';
import { zipFileCodec } from '../../../native/centre/zip';
import { SyncEngine } from '../../../native/sync/engine';
import { returnRows, saleRows } from '../../../core/trace/sales-rows';
import { startSandbox, type RunningSandbox, type SandboxSecurity } from '../../../native/sandbox/server';
import { fixedClock, ok, person, sale, storeDb, tempDir } from './fixture';

const PAAS_ID = 'pharmacy-p42030200001';
const PAAS_TOKEN = 'tif-token-3f9a1c7e55d2';
const SM4_HEX = '8c1f2e3d4c5b6a79887766554433221f';

interface Rig {
  readonly sb: RunningSandbox;
  readonly centre: ReturnType<typeof createCentreClient>;
  readonly sent: TransportRequest[];
  readonly logs: string[];
  readonly privateKey: string;
  close(): Promise<void>;
}

/** Writes the secrets a terminal would have, and the sandbox takes the centre's side of them. */
function keysIn(dataDir: string): { privateKey: string } {
  const pair = sm2.generateKeyPairHex();
  writeSecret(dataDir, 'tif-paas-token', PAAS_TOKEN);
  writeSecret(dataDir, 'sm4.key', SM4_HEX);
  writeSecret(dataDir, 'sm2-private.key', pair.privateKey);
  writeSecret(dataDir, 'oauth-client-secret', 'client-secret-9f2c');
  writeSecret(dataDir, 'oauth-password', 'pass-word-77a1');
  return { privateKey: pair.privateKey };
}

function centreSide(mode: SecurityMode, dataDir: string): SandboxSecurity {
  if (mode === 'tif-headers') return { mode, paasId: PAAS_ID, paasToken: readSecret(dataDir, 'tif-paas-token') };
  if (mode === 'sm4-sm2') { const k = loadSmKeys(dataDir); return { mode, sm4Key: k.sm4Key, clientPublicKey: k.sm2PublicKey }; }
  return { mode: 'plain' };
}

async function rig(edition: EditionProfile, mode: SecurityMode, options: { clientDataDir?: (dir: string) => void } = {}): Promise<Rig> {
  const logs: string[] = [];
  const dataDir = tempDir('keys');
  const { privateKey } = keysIn(dataDir);
  const sb = await startSandbox({ dataDir: tempDir('sandbox'), port: 0, clock: fixedClock, edition, security: centreSide(mode, dataDir), log: (l) => logs.push(l) });
  options.clientDataDir?.(dataDir);
  const http = createCentreTransport({ url: sb.endpoint, security: mode, dataDir, paasId: PAAS_ID, edition, oauth: { clientId: 'c1', username: 'u1', scope: '' }, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
  const sent: TransportRequest[] = [];
  const transport: CentreTransport = { send: (request) => { sent.push(request); return http.send(request); } };
  const clock = () => new Date();
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock, terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock), edition });
  return { sb, centre, sent, logs, privateKey, close: async () => { await http.close(); await sb.close(); } };
}

/** Each recorded message against the edition: envelope fields, transaction code, input field set. */
function conformance(edition: EditionProfile, sent: readonly TransportRequest[]): string[] {
  const internal = new Map(Object.entries(edition.transactions).map(([infno, tx]) => [tx.code, infno]));
  return sent.map((request) => {
    const { input, ...head } = request.envelope;
    const infno = internal.get(head.infno);
    expect(infno, `${edition.id}: unknown code ${head.infno}`).toBeDefined();
    expect(checkWire({ fields: edition.envelope.request }, head, ''), `${edition.id} ${head.infno} envelope`).toEqual([]);
    expect(checkWire(edition.transactions[infno!]!.input, input), `${edition.id} ${head.infno} input`).toEqual([]);
    return infno!;
  });
}

const nanchang = person('nanchang-active');
const basket = [{ medListCodg: 'TRAIN-D-B01', qty: '2', price: '35.50' }];
const DAY = '2025-06-16';

describe.each(editionIds().flatMap((id) => supportedSecurityModes(editionById(id)).map((mode) => [id, mode] as const)))('edition %s over %s', (id, mode) => {
  const edition = editionById(id);
  let r: Rig;
  afterEach(async () => { await r?.close(); });

  test('sale, refund, 2601 and day close against the sandbox in that edition and mode; every message conforms', async () => {
    r = await rig(edition, mode);
    const c = r.centre;
    const who = ok(await c.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } }));
    expect(who.baseinfo.psn_no).toBe(nanchang.psnNo);
    expect(ok(await c.institutionInfo({ medinsinfo: { fixmedins_code: 'TRAIN-H360102-L1' } })).medinsinfo[0]!.hosp_lv).toBe('08');

    // The sale: pre-settle, settle (the fund pays at the issuer's tier), then refund it.
    const s = sale(nanchang, basket);
    const pre = ok(await c.preSettle(s.request, { insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo;
    expect(pre.fund_pay_sumamt).toBe(s.provisional.fund);
    const msgid = `${TRAINING_IDENTITY.fixmedinsCode}${'20250616100000'}0001`;
    const booked = ok(await c.settle(s.request, { msgid, insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo;
    expect({ fund: booked.fund_pay_sumamt, cash: booked.psn_cash_pay, echo: booked.medins_setl_id }).toEqual({ fund: s.provisional.fund, cash: s.provisional.cash, echo: msgid });
    // Its 进销存 report: 3505 (one row) or 3505A (rows, per-row retRslt), whichever the edition has.
    const batch = '3505A' in edition.transactions;
    const [soldRow] = saleRows({
      saleId: 'S20250616-CONFORM', attempt: 1, psnNo: nanchang.psnNo, insuredRegion: s.insuplcAdmdvs, storeArea: '420302', prescription: { rxNo: 'RX1', prescriber: '王医生' },
      operatorName: '收银员', pharmacist: { name: '李药师', certNo: 'ZY-1' }, at: new Date('2025-06-16T02:00:00Z'),
      lines: [{ sku: 'SKU-B01', name: '乙类口服药', qty: '2', price: '35.50', split: false, traceCodes: ['80000000000000000701', '80000000000000000702'], catalogueCode: 'TRAIN-D-B01', prescribed: true }],
    });
    const soldDraft = { ...soldRow!.row, setl_id: booked.setl_id };
    const reportMsgid = (n: number) => `${TRAINING_IDENTITY.fixmedinsCode}20250616100000001${n}`;
    const verdict = ok(await c.uploadSales(batch ? '3505A' : '3505', batch ? { selinfoDetail: [soldDraft] } : { selinfo: soldDraft }, { msgid: reportMsgid(1) }));
    expect(verdict).toEqual([{ bchno: soldRow!.bchno, accepted: true, message: '' }]);
    expect(ok(await c.querySettlement({ data: { psn_no: nanchang.psnNo, setl_id: booked.setl_id, mdtrt_id: booked.mdtrt_id } }, { insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo?.setl_id).toBe(booked.setl_id);
    // The year-to-date figures (5206) include the sale just booked.
    const cum = ok(await c.cumulativeInfo({ data: { psn_no: nanchang.psnNo, cum_ym: '' } }, { insuplcAdmdvs: s.insuplcAdmdvs })).cuminfo;
    expect(cum.find((row) => row.cum_type_code === 'D310101')?.cum).toBe(booked.fund_pay_sumamt);
    const refund = ok(await c.cancel({ data: { setl_id: booked.setl_id, mdtrt_id: booked.mdtrt_id, psn_no: nanchang.psnNo } }, { msgid: `${TRAINING_IDENTITY.fixmedinsCode}202506161000000002`, insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo;
    expect(refund.medfee_sumamt).toBe('-71.00');
    const [returned] = returnRows([soldRow!], new Date('2025-06-16T03:00:00Z'), '收银员', 'S20250616-CONFORM', 1);
    const returnDraft = { ...returned!.row, setl_id: booked.setl_id };
    expect(ok(await c.uploadSales(batch ? '3506A' : '3506', batch ? { selinfoDetail: [returnDraft] } : { selinfo: returnDraft }, { msgid: reportMsgid(2) }))[0]).toMatchObject({ accepted: true });
    expect(r.sb.reports.codeState('80000000000000000701').state).toBe('returned');

    // A second sale whose outcome the store did not learn: reversed by 2601 under its msgid.
    const lost = `${TRAINING_IDENTITY.fixmedinsCode}202506161000000003`;
    ok(await c.settle(s.request, { msgid: lost, insuplcAdmdvs: s.insuplcAdmdvs }));
    expect(ok(await c.reverse({ data: { psn_no: nanchang.psnNo, omsgid: lost, oinfno: '2102' } }, { insuplcAdmdvs: s.insuplcAdmdvs }))).toEqual({ reversed: true });
    expect(r.sb.centre.summary()).toMatchObject({ settled: 0, cancelled: 1, reversed: 1 });

    // Day close: the totals, then the detail file through 9101 → 3202 → 9102.
    const totals = { insutype: '310', clr_type: '41', setl_optins: '360100', stmt_begndate: DAY, stmt_enddate: DAY, medfee_sumamt: '0.00', fund_pay_sumamt: '0.00', acct_pay: '0.00', fixmedins_setl_cnt: 2 };
    expect(ok(await c.reconcileTotals({ data: totals })).stmtinfo.stmt_rslt).toBe('0');
    const details = ok(await c.reconcileDetails({
      rows: [{ setl_id: booked.setl_id, mdtrt_id: booked.mdtrt_id, psn_no: nanchang.psnNo, medfee_sumamt: '71.00', fund_pay_sumamt: booked.fund_pay_sumamt, acct_pay: booked.acct_pay, refd_setl_flag: '1' }],
      filename: `detail-${DAY}.txt`,
      data: { setl_optins: '360100', stmt_begndate: DAY, stmt_enddate: DAY, medfee_sumamt: '0.00', fund_pay_sumamt: '0.00', cash_payamt: '0.00', fixmedins_setl_cnt: 2 },
    }));
    expect(details.rows.length).toBeGreaterThan(0);

    // E-prescriptions where the training QR fits the edition (Shenzhen allows 27 characters and wants channel ids).
    if (id !== 'shenzhen') {
      const decoded = ok(await c.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L3-1' } }));
      expect(ok(await c.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } })).data.fixmedins_code).toBe('TRAIN-H360102-L3');
      // By the patient's credential instead of a QR (7202), downloaded once by its auth_rxno.
      const found = ok(await c.queryEprescription({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno, insuplc_admdvs: nanchang.insuplcAdmdvs } }));
      const byAuth = ok(await c.downloadEprescription({ data: { auth_rxno: found.auth_rxno, insuplc_admdvs: nanchang.insuplcAdmdvs } }));
      expect(byAuth.data.fixmedins_code).toBe(found.fixmedins_code);
      // The pharmacist's review (7204) of the downloaded prescription.
      ok(await c.reviewEprescription({ data: { hi_rxno: byAuth.data.hi_rxno, phar_name: '李药师', phar_prac_cert_no: 'ZY-1', rx_chk_opnn: '处方合理', rx_chk_stas_codg: '1', rx_chk_time: '2025-06-16 10:00:00' } }));
      expect(r.sb.centre.reviews(byAuth.data.hi_rxno)).toMatchObject([{ status: '1', opinion: '处方合理', phar_name: '李药师' }]);
      // A write-off (7206) naming no settlement of that prescription: the message conforms, the centre refuses it.
      const draft = writeOffDraft({
        hiRxno: byAuth.data.hi_rxno, downloadId: found.auth_rxno, dispenser: '收银员', insuredRegion: nanchang.insuplcAdmdvs, storeArea: '420302', at: new Date('2025-06-16T02:00:00Z'),
        lines: [{ sku: 'SKU-B01', name: '乙类口服药', qty: '2', price: '35.50', amount: '71.00', split: false, traceCodes: ['80000000000000000811', '80000000000000000812'], catalogueCode: 'TRAIN-D-B01', prescribed: true }],
      });
      const built = writeOffMessage(draft, { setlId: 'S-NONE', setlTime: '2025-06-16 10:00:00', fund: '30.00', personalPart: '41.00', account: '41.00', cash: '0.00' }, { name: '李药师', certNo: 'ZY-1' });
      if ('error' in built) throw new Error(built.error);
      const verdict = ok(await c.uploadSales('7206', built.message, { msgid: `${TRAINING_IDENTITY.fixmedinsCode}202506161000000077` }));
      expect(verdict).toMatchObject([{ accepted: false, message: expect.stringMatching(/结算 S-NONE 不存在/) }]);
    }
    // Catalogues (1301/1306 with the stored version, the file through 9102) and a dictionary (1901).
    const drugs = ok(await c.catalogueChunk('1301', '0'));
    expect(drugs.info.data_cnt).toBeGreaterThan(0);
    expect(parseCatalogueFile('1301', drugs.text!)).toHaveLength(drugs.info.data_cnt);
    expect(ok(await c.catalogueChunk('1306', '0')).info.data_cnt).toBeGreaterThan(0);
    expect(ok(await c.dictionary({ data: { type: 'chrgitm_lv', parentValue: '', admdvs: '420302', date: DAY, valiFlag: '1' } })).list).toHaveLength(3);
    // The class (1312) and 先自付比例 (1319) queries, one page each, where the edition has them.
    if ('1312' in edition.transactions) {
      const page = { insu_admdvs: '420302', updt_time: '2000-01-01', page_num: 1, page_size: 100 };
      expect(ok(await c.hilistPage('1312', { data: page })).data.length).toBeGreaterThan(0);
      expect(ok(await c.hilistPage('1319', { data: page })).data.length).toBeGreaterThan(0);
    }
    // 进销存 inventory uploads, one row per call: 3503 → 3501 → 3502 → 3504, then 3507 deletes the 3501.
    const item = { med_list_codg: 'TRAIN-D-B01', fixmedins_hilist_id: 'SKU-B01', fixmedins_hilist_name: '乙类口服药', rx_flag: '1' };
    const purchase = { ...item, fixmedins_bchno: 'B-CONFORM', spler_name: '供应商', manu_lotnum: 'L1', prodentp_name: '药厂', aprvno: '国药准字H1', manu_date: '2025-01-01', expy_end: '2027-01-01', purc_retn_cnt: '10', purc_retn_stoin_time: '2025-06-16 09:00:00', purc_retn_opter_name: '店长', prod_geay_flag: '0' };
    const uploads = [
      ['3503', { purcinfo: purchase }],
      ['3501', { invinfo: { ...item, fixmedins_bchno: 'B-CONFORM', invdate: DAY, inv_cnt: '10', manu_date: '2025-01-01', expy_end: '2027-01-01' } }],
      ['3502', { invinfo: { ...item, fixmedins_bchno: 'B-CONFORM', inv_chg_type: '101', pric: '8.5', cnt: '-1', inv_chg_time: '2025-06-16 10:00:00', trdn_flag: '0', drugtracinfo: [{ drug_trac_codg: '80000000000000000801' }] } }],
      ['3504', { purcinfo: { ...item, fixmedins_bchno: 'B-CONFORM-R', spler_name: '供应商', manu_date: '2025-01-01', expy_end: '2027-01-01', purc_retn_cnt: '1', purc_invo_no: 'FP1', purc_retn_stoin_time: '2025-06-16 11:00:00', purc_retn_opter_name: '店长', medins_prod_purc_no: 'B-CONFORM' } }],
      ['3507', { data: { fixmedins_bchno: 'B-CONFORM', inv_data_type: '1' } }],
    ] as const;
    for (const [n, [infno, input]] of uploads.entries()) {
      if (!(infno in edition.transactions)) continue;
      expect(ok(await c.uploadSales(infno, input, { msgid: `${TRAINING_IDENTITY.fixmedinsCode}20250616100000002${n}` }))[0], `${id} ${infno}`).toMatchObject({ accepted: true });
    }
    ok(await c.signOut());

    const covered = new Set(conformance(edition, r.sent));
    // An edition with the batch forms reports through them; its inherited single-row forms stay unused.
    const expected = Object.keys(edition.transactions).filter((infno) => (id !== 'shenzhen' || !infno.startsWith('72')) && !(batch && (infno === '3505' || infno === '3506')));
    expect([...covered].sort()).toEqual(expected.sort());
    if (mode === 'tif-headers') expect(r.sent.every((q) => q.envelope.cainfo === '')).toBe(true);
  });
});

describe('the sandbox checks what it receives against its edition', () => {
  test('an unknown, a missing or an overlong field is refused with infcode -1 naming the field', async () => {
    const edition = editionById('shenzhen');
    const sb = await startSandbox({ dataDir: tempDir('sandbox'), port: 0, clock: fixedClock, edition });
    const head = {
      infno: '9001', msgid: `${TRAINING_IDENTITY.fixmedinsCode}202506161000000001`, mdtrtarea_admvs: '420302', insuplc_admdvs: '', recer_sys_code: 'YBXT',
      dev_no: '', dev_safe_info: '', cainfo: '', signtype: '', infver: 'V1.0', opter_type: '1', opter: 'T', opter_name: 'T', inf_time: '2025-06-16 10:00:00',
      fixmedins_code: TRAINING_IDENTITY.fixmedinsCode, fixmedins_name: 'T', sign_no: '',
    };
    const post = async (body: unknown) => (await fetch(sb.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ infcode: number; err_msg: string | null }>;
    const signIn = { signIn: { opter_no: 'T', mac: '02-00-00-00-00-01', ip: '127.0.0.1' } };
    expect(await post({ ...head, input: signIn })).toMatchObject({ infcode: 0 });
    expect(await post({ ...head, input: { signIn: { ...signIn.signIn, rx_fixmedins_code: 'X' } } })).toEqual(expect.objectContaining({ infcode: -1, err_msg: '输入参数错误: input.signIn.rx_fixmedins_code: 接口版本未定义该字段' }));
    expect(await post({ ...head, input: { signIn: { opter_no: 'T', mac: '', ip: '127.0.0.1' } } })).toMatchObject({ infcode: -1, err_msg: '输入参数错误: input.signIn.mac: 必填项为空' });
    expect(await post({ ...head, fixmedins_name: '名'.repeat(21), input: signIn })).toMatchObject({ infcode: -1, err_msg: '报文格式错误: fixmedins_name: 超长（21 字符，最多 20）' });
    expect(await post({ ...head, enc_type: 'SM4', input: signIn })).toMatchObject({ infcode: -1, err_msg: '报文格式错误: enc_type: 接口版本未定义该字段' });
    expect(await post({ ...head, infno: '3505A', input: {} })).toMatchObject({ infcode: -1, err_msg: '报文格式错误: infno: 超长（5 字符，最多 4）' });
    expect(await post({ ...head, infno: '3508', input: {} })).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('不支持的交易编号 3508') });
    await sb.close();
  });
});

describe('the prescription issuer travels in fields the edition defines', () => {
  test('an e-prescription by rxno = hi_rxno, a paper one by its prescriber\'s 医保医师代码 (bilg_dr_codg); neither: no prescription to the fund', async () => {
    r = await rig(editionById('national'), 'plain');
    const decoded = ok(await r.centre.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L3-7' } }));
    const rx = ok(await r.centre.downloadEprescription({ data: { epc_token: decoded.epc_token, insuplc_admdvs: decoded.insuplc_admdvs } }));
    const build = (prescription: { prescriber: string; prescriberCode: string | null } | null, rxno: string) => settleInputFromBasket({
      psnNo: nanchang.psnNo, certType: '02', certNo: nanchang.certno, insutype: nanchang.insutype, saleTime: new Date('2025-06-16T02:00:00Z'), useAccount: true, rx: prescription,
      lines: [{ medListCodg: 'TRAIN-D-B01', medinsListCodg: 'SKU-B01', qty: '30', price: '35.50', rxno }],
    });
    const presettle = (input: ReturnType<typeof build>) => r!.centre.preSettle(input, { insuplcAdmdvs: nanchang.insuplcAdmdvs });
    const level3 = sale(nanchang, [{ medListCodg: 'TRAIN-D-B01', qty: '30', price: '35.50' }], { issuerLevel: 3 }).provisional;
    expect(Number(level3.fund)).toBeGreaterThan(0);

    const electronic = ok(await presettle(build({ prescriber: rx.mdtrtinfo.prsc_dr_name, prescriberCode: null }, rx.data.hi_rxno))).setlinfo;
    expect(electronic.fund_pay_sumamt).toBe(level3.fund);
    const sent = (r.sent.at(-1)!.envelope.input as { druginfo: Record<string, unknown>; drugdetail: Array<Record<string, unknown>> });
    expect(Object.keys(sent.druginfo)).not.toContain('rx_fixmedins_code');
    expect(sent.drugdetail[0]).toMatchObject({ rxno: rx.data.hi_rxno, rx_circ_flag: '1', bilg_dr_codg: '' });

    const paper = ok(await presettle(build(paperRx('TRAIN-H360102-L3'), 'RX0001'))).setlinfo;
    expect(paper.fund_pay_sumamt).toBe(level3.fund);
    expect((r.sent.at(-1)!.envelope.input as { drugdetail: Array<Record<string, unknown>> }).drugdetail[0]).toMatchObject({ rxno: 'RX0001', rx_circ_flag: '1', bilg_dr_codg: 'DR-H360102-L3', bilg_dr_name: '王医生' });

    // Without the prescriber's code the centre cannot tell who issued it: no prescription to the fund.
    const anonymous = ok(await presettle(build({ prescriber: '王医生', prescriberCode: null }, 'RX0002'))).setlinfo;
    expect(anonymous.fund_pay_sumamt).toBe('0.00');
    const unknown = await presettle(build({ prescriber: '王医生', prescriberCode: 'D420302000001' }, 'RX0003'));
    expect(unknown).toMatchObject({ kind: 'rejected', message: expect.stringContaining('医保医师代码不存在: D420302000001') });
  });

  test('the issuer extension earlier versions sent (druginfo.rx_fixmedins_code) is refused by the sandbox as a real platform would', async () => {
    r = await rig(editionById('national'), 'plain');
    ok(await r.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } }));
    const input = sale(nanchang, [{ medListCodg: 'TRAIN-D-B01', qty: '1', price: '35.50' }]).request;
    const head = { ...r.sent.at(-1)!.envelope };
    const reply = await fetch(r.sb.endpoint, { method: 'POST', body: JSON.stringify({ ...head, infno: '2101', input: { ...input, druginfo: { ...input.druginfo, rx_fixmedins_code: 'TRAIN-H360102-L3' } } }) });
    expect(await reply.json()).toMatchObject({ infcode: -1, err_msg: expect.stringContaining('input.druginfo.rx_fixmedins_code: 接口版本未定义该字段') });
  });

  let r: Rig | undefined;
  afterEach(async () => { await r?.close(); r = undefined; });
});

describe('URL layouts', () => {
  test('a path per transaction: each message goes to its own path, and the sandbox refuses one sent elsewhere', async () => {
    const file = structuredClone(nationalFile) as unknown as { id: string; url: unknown; transactions: Record<string, { path?: string }> };
    file.id = 'per-path';
    file.url = { layout: 'per-transaction' };
    for (const [infno, tx] of Object.entries(file.transactions)) tx.path = `/gateway/${infno}`;
    const edition = editionFromFile(file, 'per-path.json');
    const run = await rig(edition, 'plain');
    expect(run.sb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ok(await run.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } })).baseinfo.psn_no).toBe(nanchang.psnNo);
    expect(run.sent.map((q) => q.path)).toEqual(['/gateway/9001', '/gateway/1101']);
    const wrong = await fetch(`${run.sb.endpoint}/gateway/1101`, { method: 'POST', body: JSON.stringify({ ...run.sent[0]!.envelope }) });
    expect(await wrong.json()).toMatchObject({ infcode: -1, err_msg: '交易 9001 的地址应为 /gateway/9001' });
    await run.close();
  });
});

describe('recovery follows what the edition\'s 5203 can do', () => {
  // A profile that defines 5203 by our msgid (medins_setl_id) — no public one does; a technician's
  // import could. The capability is data: the same engine then queries instead of reversing.
  const national = editionById('national');
  const byMsgid = editionFromFile({
    format: 'ybjs-edition/1', id: 'by-msgid', name: '5203 按报文ID（测试）', base: 'national', sources: {}, notes: [],
    transactions: { 5203: { ...national.transactions['5203']!, source: 'test only', input: { nodes: { data: { kind: 'object', required: true, fields: { psn_no: { required: true, max: 30 }, setl_id: { max: 30 }, mdtrt_id: { max: 30 }, medins_setl_id: { max: 30 } } } } } } },
  }, 'by-msgid.json');

  test('national and Shenzhen (5203 by psn_no + setl_id + mdtrt_id) reverse a lost 2102 with 2601; a profile defining 5203 by msgid looks it up', async () => {
    const results: Record<string, unknown> = {};
    for (const edition of [national, editionById('shenzhen'), byMsgid]) {
      const id = edition.id;
      const sb = await startSandbox({ dataDir: tempDir('sandbox'), port: 0, clock: fixedClock, edition, faults: { dropAfterCommitRate: 1, infnos: ['2102'] } });
      const http = createCentreTransport({ url: sb.endpoint, security: 'plain', dataDir: tempDir('none'), edition, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
      const centre = createCentreClient({ transport: http, identity: TRAINING_IDENTITY, clock: () => new Date(), terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, () => new Date()), edition });
      const { store, db } = storeDb();
      const engine = new SyncEngine({ store, centre, backoff: { baseMs: 5, maxMs: 20, jitter: 0 }, entryBackoff: { baseMs: 1, maxMs: 2, jitter: 0 } });
      const rec = store.record({ saleRef: `lost-${id}`, ...sale(nanchang, basket) });
      const until = Date.now() + 5_000;
      while (Date.now() < until && !['confirmed', 'reversed'].includes(store.get(rec.id)!.outbox.state)) {
        await engine.drainOnce();
        await new Promise((resolve) => setTimeout(resolve, 10)); // past the engine's short backoff
      }
      results[id] = { queriesByMsgid: centre.queriesByMsgid, state: store.get(rec.id)!.outbox.state, events: store.history(rec.id).map((h) => h.event), centre: sb.centre.summary().settled };
      await engine.stop(); db.close(); await http.close(); await sb.close();
    }
    expect(results).toEqual({
      national: { queriesByMsgid: false, state: 'reversed', events: ['recorded', 'send_started', 'outcome_unknown', 'escalate', 'reversed'], centre: 0 },
      shenzhen: { queriesByMsgid: false, state: 'reversed', events: ['recorded', 'send_started', 'outcome_unknown', 'escalate', 'reversed'], centre: 0 },
      'by-msgid': { queriesByMsgid: true, state: 'confirmed', events: ['recorded', 'send_started', 'outcome_unknown', 'query_started', 'settled'], centre: 1 },
    });
  });

  test('national sends only what S1 JS5203.cs defines; the retired national-strict id is national', () => {
    expect(Object.keys(national.transactions['5203']!.input.nodes!['data']!.fields).sort()).toEqual(['mdtrt_id', 'psn_no', 'setl_id']);
    expect(editionById('national-strict')).toBe(national);
  });
});

describe('a gateway that wants an OAuth token first (Jilin)', () => {
  const OAUTH = { clientId: 'p42030200001-client', clientSecret: 'client-secret-9f2c', username: 'p42030200001', password: 'pass-word-77a1' };
  const jilin = editionById('jilin');

  async function oauthRig(password = OAUTH.password) {
    const dataDir = tempDir('keys');
    keysIn(dataDir);
    writeSecret(dataDir, 'oauth-client-secret', OAUTH.clientSecret);
    writeSecret(dataDir, 'oauth-password', password);
    const sb = await startSandbox({ dataDir: tempDir('sandbox'), port: 0, clock: fixedClock, edition: jilin, security: centreSide('sm4-sm2', dataDir), oauth: OAUTH });
    const http = createCentreTransport({
      url: sb.endpoint, security: 'sm4-sm2', dataDir, edition: jilin, oauth: { clientId: OAUTH.clientId, username: OAUTH.username, scope: 'all' }, connectTimeoutMs: 1000, responseTimeoutMs: 3000,
    });
    const centre = createCentreClient({ transport: http, identity: TRAINING_IDENTITY, clock: () => new Date(), terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, () => new Date()), edition: jilin });
    return { sb, http, centre, dataDir, close: async () => { await http.close(); await sb.close(); } };
  }

  test('fetches one token, reuses it, fetches again after a 401; the sale runs over SM4/SM2 behind it', async () => {
    const run = await oauthRig();
    const who = () => run.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } });
    expect((await who()).kind).toBe('ok');
    const s = sale(nanchang, basket);
    expect(ok(await run.centre.settle(s.request, { msgid: `${TRAINING_IDENTITY.fixmedinsCode}202506161000000011`, insuplcAdmdvs: s.insuplcAdmdvs })).setlinfo.fund_pay_sumamt).toBe(s.provisional.fund);
    expect(run.sb.tokenRequests()).toBe(1);
    run.sb.revokeTokens();
    expect(await who()).toMatchObject({ kind: 'unknown', reason: 'http_status', detail: expect.stringContaining('HTTP 401') });
    expect((await who()).kind).toBe('ok');
    expect(run.sb.tokenRequests()).toBe(2);
    await run.close();
  });

  test('a wrong password: the message is never sent and the reason says what to check', async () => {
    const run = await oauthRig('wrong-password');
    expect(await run.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } }))
      .toMatchObject({ kind: 'not_delivered', reason: expect.stringContaining('获取网关令牌失败：HTTP 400') });
    expect(run.sb.stats().requests).toBe(0);
    expect(() => createCentreTransport({ url: run.sb.endpoint, security: 'plain', dataDir: run.dataDir, edition: jilin })).toThrow('需要 OAuth 令牌');
    await run.close();
  });
});

describe('gateway security: bad keys and secrets', () => {
  let r: Rig | undefined;
  afterEach(async () => { await r?.close(); r = undefined; vi.restoreAllMocks(); });
  const national = editionById('national');
  const jilin = editionById('jilin');

  test('each edition names the modes it can run; SM4/SM2 only where its envelope has cainfo, signtype and enc_type', () => {
    expect(Object.fromEntries(editionIds().map((id) => [id, supportedSecurityModes(editionById(id))]))).toEqual({
      national: ['plain', 'tif-headers'], jilin: ['plain', 'tif-headers', 'sm4-sm2'], shenzhen: ['plain', 'tif-headers'],
    });
  });

  test('a wrong SM4 key is refused by the centre with a message that says so; nothing is booked', async () => {
    r = await rig(jilin, 'sm4-sm2', { clientDataDir: (dir) => writeSecret(dir, 'sm4.key', 'ffeeddccbbaa99887766554433221100') });
    const outcome = await r.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } });
    expect(outcome).toMatchObject({ kind: 'not_delivered', reason: expect.stringContaining('SM4 解密失败') });
    expect(r.sb.db.prepare('SELECT COUNT(*) AS n FROM sign_in').get()).toEqual({ n: 0 });
  });

  test('a signature by another SM2 key is refused (cainfo does not verify)', async () => {
    r = await rig(jilin, 'sm4-sm2', { clientDataDir: (dir) => writeSecret(dir, 'sm2-private.key', sm2.generateKeyPairHex().privateKey) });
    const outcome = await r.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } });
    expect(outcome).toMatchObject({ kind: 'not_delivered', reason: expect.stringContaining('数字签名验证失败') });
  });

  test('a wrong x-tif token is refused by the gateway', async () => {
    r = await rig(national, 'tif-headers', { clientDataDir: (dir) => writeSecret(dir, 'tif-paas-token', 'another-token-000') });
    const outcome = await r.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } });
    expect(outcome).toMatchObject({ kind: 'not_delivered', reason: expect.stringContaining('网关鉴权失败: x-tif-signature 校验失败') });
  });

  test('a missing or malformed key file is a clear error naming the file, before anything is sent', () => {
    const dir = tempDir('nokeys');
    expect(() => createCentreTransport({ url: 'http://127.0.0.1:9/', security: 'sm4-sm2', dataDir: dir })).toThrow(CentreKeyError);
    expect(() => createCentreTransport({ url: 'http://127.0.0.1:9/', security: 'sm4-sm2', dataDir: dir })).toThrow(`缺少密钥文件 ${join(keyFolder(dir), 'sm4.key')}`);
    expect(() => createCentreTransport({ url: 'http://127.0.0.1:9/', security: 'tif-headers', dataDir: dir, paasId: PAAS_ID })).toThrow('tif-paas-token');
    expect(() => writeSecret(dir, 'sm4.key', 'not-a-key')).toThrow('sm4.key: 格式不对');
    mkdirSync(keyFolder(dir), { recursive: true });
    writeFileSync(join(keyFolder(dir), 'sm2-private.key'), 'xyz\n');
    writeSecret(dir, 'sm4.key', SM4_HEX);
    expect(() => loadSmKeys(dir)).toThrow(`密钥文件 ${join(keyFolder(dir), 'sm2-private.key')} 格式不对`);
  });

  test('key files are 0600 in a 0700 folder; a file others can read is tightened before use', () => {
    const dir = tempDir('modes');
    keysIn(dir);
    expect(statSync(keyFolder(dir)).mode & 0o777).toBe(0o700);
    for (const name of ['tif-paas-token', 'sm4.key', 'sm2-private.key']) expect(statSync(join(keyFolder(dir), name)).mode & 0o777, name).toBe(0o600);
    chmodSync(join(keyFolder(dir), 'sm4.key'), 0o644);
    readSecret(dir, 'sm4.key');
    expect(statSync(join(keyFolder(dir), 'sm4.key')).mode & 0o777).toBe(0o600);
  });

  test('no key, token or private key reaches a log line or an outcome', async () => {
    const captured: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => { captured.push(args.map(String).join(' ')); });
    for (const [edition, mode] of [[jilin, 'sm4-sm2'], [national, 'tif-headers']] as const) {
      const run = await rig(edition, mode);
      const s = sale(nanchang, basket);
      const outcomes = [
        await run.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: nanchang.certno } }),
        await run.centre.settle(s.request, { msgid: `${TRAINING_IDENTITY.fixmedinsCode}202506161000000009`, insuplcAdmdvs: s.insuplcAdmdvs }),
        await run.centre.preSettle({ ...s.request, druginfo: { ...s.request.druginfo, insutype: '390' } }, { insuplcAdmdvs: s.insuplcAdmdvs }),
      ];
      expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'rejected']);
      const text = [...captured, ...run.logs, JSON.stringify(outcomes)].join('\n').toLowerCase();
      for (const secret of [PAAS_TOKEN, SM4_HEX, run.privateKey, 'client-secret-9f2c', 'pass-word-77a1']) expect(text.includes(secret.toLowerCase()), 'a secret was logged').toBe(false);
      expect(run.logs.length).toBeGreaterThan(0);
      await run.close();
    }
  });
});
