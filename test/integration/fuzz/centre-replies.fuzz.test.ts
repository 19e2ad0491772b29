// Fuzzing centre-response parsing (core/centre/envelope.ts, core/centre/tx/*, the client's reading
// of replies). The valid examples are real: every transaction is made once against the sandbox
// centre over loopback and its reply recorded. Then each reply is broken — one value replaced deep
// inside, a key deleted or added, the whole body swapped — and replayed to a fresh client.
// Properties: the client never throws; it says `ok` only for a reply that passes the transaction's
// schema (amounts normalised to two decimals, a settlement's parts adding up, our msgid echoed),
// `rejected` only for a non-zero infcode, and anything else is `unknown` (resolve with 5203).
// A byte-level fuzz of raw HTTP responses checks the transport below it the same way.
import net from 'node:net';
import fc from 'fast-check';
import { writeOffDraft, writeOffMessage } from '../../../core/checkout/eprescription-writeoff';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCentreClient } from '../../../core/centre/client';
import { ResponseEnvelope } from '../../../core/centre/envelope';
import { msgidGenerator } from '../../../core/centre/msgid';
import { type CentreOutcome } from '../../../core/centre/outcome';
import { type CentrePort, type CentreTransport, type TransportRequest, type TransportResult } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { TRANSACTIONS, type Infno } from '../../../core/centre/transactions';
import { SetlInfo } from '../../../core/centre/tx/settle';
import { editionById } from '../../../core/centre/editions';
import { returnRows, saleRows } from '../../../core/trace/sales-rows';
import { money } from '../../../core/money/money';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { zipFileCodec } from '../../../native/centre/zip';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { fixedClock, issuerFor, person, sale, sandbox } from '../centre/fixture';
import { hostileJson, mutationOf } from '../../unit/fuzz/mutate';

const RUNS = 150;

type Call = (centre: CentrePort) => Promise<CentreOutcome<unknown>>;

/** Records every reply by transaction code while the real calls run. */
class Recorder implements CentreTransport {
  readonly replies = new Map<string, TransportResult>();
  constructor(private readonly inner: CentreTransport) {}
  async send(request: TransportRequest): Promise<TransportResult> {
    const result = await this.inner.send(request);
    this.replies.set(request.envelope.infno, result);
    return result;
  }
}

/** Answers from the recording, except for one transaction, which gets the given (fuzzed) reply. */
function replayClient(replies: ReadonlyMap<string, TransportResult>, target: string, fuzzed: TransportResult): CentrePort {
  const transport: CentreTransport = {
    async send(request) {
      if (request.envelope.infno === target) return fuzzed;
      const recorded = replies.get(request.envelope.infno);
      if (!recorded) throw new Error(`nothing recorded for ${request.envelope.infno}`);
      return recorded;
    },
  };
  return createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: fixedClock, terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, fixedClock) });
}

/** Money fields by the national naming (…_amt, …_pay, balc); pric_uplmt_amt is a unit price ceiling, not money. */
const AMOUNT_KEY = /^(?!pric_)\w*(_amt|_pay|sumamt|_payamt)$|^balc$/;
const AMOUNT = /^-?\d{1,12}\.\d{2}$/;

/** Every amount-named string in an accepted output is a two-decimal amount. */
function amountsNormalised(value: unknown, key = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => amountsNormalised(v, key));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => amountsNormalised(v, k));
  return typeof value === 'string' && AMOUNT_KEY.test(key) && value !== '' && !AMOUNT.test(value) ? [`${key}=${JSON.stringify(value)}`] : [];
}

let sb: RunningSandbox;
const replies = new Map<string, TransportResult>();
/** The client call that exercises each transaction, with the inputs the recording used. */
const calls = new Map<Infno, Call>();
const settleMsgid: Record<string, string> = {};

beforeAll(async () => {
  sb = await sandbox();
  const recorder = new Recorder(new HttpJsonTransport({ url: sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000 }));
  const nextMsgid = msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, () => new Date());
  const centre = createCentreClient({ transport: recorder, identity: TRAINING_IDENTITY, clock: fixedClock, terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid });
  const p = person('nanchang-active');
  const s = sale(p, [{ medListCodg: 'TRAIN-D-B01', qty: '2', price: '35.50' }, { medListCodg: 'TRAIN-D-A01', qty: '1', price: '18.00' }]);
  const ctx = { insuplcAdmdvs: s.insuplcAdmdvs };
  const must = async (label: string, run: Call): Promise<any> => {
    const outcome = await run(centre);
    if (outcome.kind !== 'ok') throw new Error(`recording ${label}: ${JSON.stringify(outcome)}`);
    calls.set(label as Infno, run);
    return outcome.output;
  };
  await must('9001', (c) => c.signIn());
  await must('1101', (c) => c.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } }));
  await must('1201', (c) => c.institutionInfo({ medinsinfo: { fixmedins_code: issuerFor(p, 2) } }));
  await must('2101', (c) => c.preSettle(s.request, ctx));
  settleMsgid.settle = nextMsgid();
  const booked = await must('2102', (c) => c.settle(s.request, { ...ctx, msgid: settleMsgid.settle! }));
  const [soldRow] = saleRows({
    saleId: 'S20250616-FUZZ', attempt: 1, psnNo: p.psnNo, insuredRegion: s.insuplcAdmdvs, storeArea: '420302', prescription: { rxNo: 'RX1', prescriber: '王医生' },
    operatorName: '收银员', pharmacist: { name: '李药师', certNo: 'ZY-1' }, at: new Date('2025-06-16T02:00:00Z'),
    lines: [{ sku: 'SKU-B01', name: '乙类口服药', qty: '2', price: '35.50', split: false, traceCodes: ['80000000000000000801', '80000000000000000802'], catalogueCode: 'TRAIN-D-B01', prescribed: true }],
  });
  await must('3505', (c) => c.uploadSales('3505', { selinfo: { ...soldRow!.row, setl_id: booked.setlinfo.setl_id } }, { msgid: nextMsgid() }));
  // 进销存 inventory uploads, one row each (the rows of the edition conformance test).
  const item = { med_list_codg: 'TRAIN-D-B01', fixmedins_hilist_id: 'SKU-B01', fixmedins_hilist_name: '乙类口服药', rx_flag: '1' };
  const stock = { ...item, fixmedins_bchno: 'B-FUZZ', manu_date: '2025-01-01', expy_end: '2027-01-01' };
  await must('3503', (c) => c.uploadSales('3503', { purcinfo: { ...stock, spler_name: '供应商', manu_lotnum: 'L1', prodentp_name: '药厂', aprvno: '国药准字H1', purc_retn_cnt: '10', purc_retn_stoin_time: '2025-06-16 09:00:00', purc_retn_opter_name: '店长', prod_geay_flag: '0' } }, { msgid: nextMsgid() }));
  await must('3501', (c) => c.uploadSales('3501', { invinfo: { ...stock, invdate: '2025-06-16', inv_cnt: '10' } }, { msgid: nextMsgid() }));
  await must('3502', (c) => c.uploadSales('3502', { invinfo: { ...item, fixmedins_bchno: 'B-FUZZ', inv_chg_type: '101', pric: '8.5', cnt: '-1', inv_chg_time: '2025-06-16 10:00:00', trdn_flag: '0', drugtracinfo: [{ drug_trac_codg: '80000000000000000901' }] } }, { msgid: nextMsgid() }));
  await must('3504', (c) => c.uploadSales('3504', { purcinfo: { ...item, fixmedins_bchno: 'B-FUZZ-R', spler_name: '供应商', manu_date: '2025-01-01', expy_end: '2027-01-01', purc_retn_cnt: '1', purc_invo_no: 'FP1', purc_retn_stoin_time: '2025-06-16 11:00:00', purc_retn_opter_name: '店长', medins_prod_purc_no: 'B-FUZZ' } }, { msgid: nextMsgid() }));
  await must('3507', (c) => c.uploadSales('3507', { data: { fixmedins_bchno: 'B-FUZZ', inv_data_type: '1' } }, { msgid: nextMsgid() }));
  await must('5203', (c) => c.querySettlement({ data: { psn_no: p.psnNo, setl_id: booked.setlinfo.setl_id, mdtrt_id: booked.setlinfo.mdtrt_id } }, ctx));
  await must('5206', (c) => c.cumulativeInfo({ data: { psn_no: p.psnNo, cum_ym: '' } }, ctx));
  // Catalogues and dictionaries (before 3202, whose 9102 reply is the one replayed for 9102).
  await must('1301', (c) => c.catalogueChunk('1301', '0'));
  await must('1306', (c) => c.catalogueChunk('1306', '0'));
  await must('1901', (c) => c.dictionary({ data: { type: 'chrgitm_lv', parentValue: '', admdvs: '420302', date: '2025-06-16', valiFlag: '1' } }));
  await must('1312', (c) => c.hilistPage('1312', { data: { insu_admdvs: '420302', updt_time: '2000-01-01', page_num: 1, page_size: 100 } }));
  await must('1319', (c) => c.hilistPage('1319', { data: { insu_admdvs: '420302', updt_time: '2000-01-01', page_num: 1, page_size: 100 } }));
  const day = '2025-06-16';
  await must('3201', (c) => c.reconcileTotals({ data: { insutype: '310', clr_type: '41', setl_optins: p.insuplcAdmdvs, stmt_begndate: day, stmt_enddate: day, medfee_sumamt: booked.setlinfo.medfee_sumamt, fund_pay_sumamt: booked.setlinfo.fund_pay_sumamt, acct_pay: booked.setlinfo.acct_pay, fixmedins_setl_cnt: 1 } }));
  await must('3202', (c) => c.reconcileDetails({
    rows: [{ setl_id: booked.setlinfo.setl_id, mdtrt_id: booked.setlinfo.mdtrt_id, psn_no: p.psnNo, medfee_sumamt: booked.setlinfo.medfee_sumamt, fund_pay_sumamt: booked.setlinfo.fund_pay_sumamt, acct_pay: booked.setlinfo.acct_pay, refd_setl_flag: '0' }],
    filename: `detail-${day}.txt`,
    data: { setl_optins: p.insuplcAdmdvs, stmt_begndate: day, stmt_enddate: day, medfee_sumamt: booked.setlinfo.medfee_sumamt, fund_pay_sumamt: booked.setlinfo.fund_pay_sumamt, cash_payamt: booked.setlinfo.psn_cash_pay, fixmedins_setl_cnt: 1 },
  }));
  calls.set('9101', calls.get('3202')!);
  calls.set('9102', calls.get('3202')!);
  settleMsgid.cancel = nextMsgid();
  await must('2103', (c) => c.cancel({ data: { setl_id: booked.setlinfo.setl_id, mdtrt_id: booked.setlinfo.mdtrt_id, psn_no: p.psnNo } }, { ...ctx, msgid: settleMsgid.cancel! }));
  const [returnRow] = returnRows([soldRow!], new Date('2025-06-16T03:00:00Z'), '收银员', 'S20250616-FUZZ', 1);
  await must('3506', (c) => c.uploadSales('3506', { selinfo: { ...returnRow!.row, setl_id: booked.setlinfo.setl_id } }, { msgid: nextMsgid() }));
  await must('2601', (c) => c.reverse({ data: { psn_no: p.psnNo, omsgid: settleMsgid.cancel!, oinfno: '2103' } }, ctx));
  const rxQr = await must('7201', (c) => c.decodeEprescriptionQr({ data: { epc_qrcd: 'RX-nanchang-active-TRAIN-H360102-L3-1' } }));
  await must('7203', (c) => c.downloadEprescription({ data: { epc_token: rxQr.epc_token, insuplc_admdvs: rxQr.insuplc_admdvs } }));
  const found = await must('7202', (c) => c.queryEprescription({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, insuplc_admdvs: p.insuplcAdmdvs } }));
  const byAuth = await centre.downloadEprescription({ data: { auth_rxno: found.auth_rxno, insuplc_admdvs: p.insuplcAdmdvs } });
  if (byAuth.kind !== 'ok') throw new Error(`7203 by auth_rxno: ${JSON.stringify(byAuth)}`);
  await must('7204', (c) => c.reviewEprescription({ data: { hi_rxno: byAuth.output.data.hi_rxno, phar_name: '李药师', rx_chk_opnn: '处方合理', rx_chk_stas_codg: '1', rx_chk_time: '2025-06-16 10:00:00' } }));
  // A write-off naming no settlement: recorded as the centre's row refusal (one verdict, not accepted).
  const writeOff = writeOffMessage(writeOffDraft({
    hiRxno: 'HRX0', downloadId: found.auth_rxno, dispenser: '收银员', insuredRegion: p.insuplcAdmdvs, storeArea: '420302', at: new Date('2025-06-16T02:00:00Z'),
    lines: [{ sku: 'SKU-B01', name: '乙类口服药', qty: '1', price: '35.50', amount: '35.50', split: false, traceCodes: [], catalogueCode: 'TRAIN-D-B01', prescribed: true }],
  }), { setlId: 'S-NONE', setlTime: '2025-06-16 10:00:00', fund: '0.00', personalPart: '35.50', account: '0.00', cash: '35.50' }, { name: '李药师', certNo: 'ZY-1' });
  if ('error' in writeOff) throw new Error(writeOff.error);
  await must('7206', (c) => c.uploadSales('7206', writeOff.message, { msgid: nextMsgid() }));
  for (const [infno, result] of recorder.replies) replies.set(infno, result);
});

afterAll(async () => { await sb?.close(); });

test('every transaction was recorded from the sandbox', () => {
  // The batch forms (3505A/3506A) are not in the national edition this client speaks.
  expect([...replies.keys()].sort()).toEqual(Object.keys(TRANSACTIONS).filter((i) => i !== '9002' && i in editionById('national').transactions).sort());
  expect(replies.get('9102')?.kind).toBe('file');
});

/** What the client may say about a reply body, whatever it is. */
async function checkReply(infno: Infno, body: unknown): Promise<void> {
  const outcome = await calls.get(infno)!(replayClient(replies, infno, { kind: 'json', body }));
  expect(['ok', 'rejected', 'unknown', 'not_delivered']).toContain(outcome.kind);
  const env = ResponseEnvelope.safeParse(body);
  if (outcome.kind === 'rejected' && outcome.meta.infno === infno) {
    expect(env.success && env.data.infcode !== 0, 'rejected only for a readable non-zero infcode').toBe(true);
  }
  if (outcome.kind !== 'ok') return;
  if (infno === '9102' || infno === '9101') return; // the outcome is 3202's: checked there
  expect(env.success && env.data.infcode === 0, 'ok only for infcode 0').toBe(true);
  const schema = TRANSACTIONS[infno].output!;
  // What was accepted is exactly what the schema makes of the reply's output (3202's outcome adds
  // the rows of the result file to it).
  const accepted = schema.parse(env.data!.output) as Record<string, unknown>;
  if (infno === '3202') expect((outcome.output as { fileinfo: unknown }).fileinfo).toEqual(accepted.fileinfo);
  else expect(accepted).toEqual(outcome.output);
  expect(amountsNormalised(outcome.output)).toEqual([]);
  const setlinfo = (outcome.output as { setlinfo?: unknown }).setlinfo;
  if (setlinfo && (infno === '2101' || infno === '2102' || infno === '5203')) {
    const info = SetlInfo.parse(setlinfo);
    expect(money(info.fund_pay_sumamt).plus(money(info.psn_part_amt)).plus(money(info.hosp_part_amt)).equals(money(info.medfee_sumamt))).toBe(true);
    expect(money(info.acct_pay).plus(money(info.psn_cash_pay)).equals(money(info.psn_part_amt))).toBe(true);
    // 2102 must echo our msgid; national's 5203 is asked by setl_id + mdtrt_id (the reply's msgid is checked by the caller).
    if (infno === '2102') expect(info.medins_setl_id).toBe(settleMsgid.settle);
  }
}

const JSON_INFNOS = (['9001', '1101', '1201', '2101', '2102', '2103', '2601', '5203', '3201', '3202', '9101', '7201', '7202', '7203', '1312', '1319'] as const);

describe.each(JSON_INFNOS)('%s replies', (infno) => {
  test('the recorded reply replays as ok', async () => {
    const recorded = replies.get(infno)!;
    const outcome = await calls.get(infno)!(replayClient(replies, infno, recorded));
    expect(outcome.kind).toBe('ok');
  });

  test('a mutated reply never throws and is ok only when it is still a valid, consistent answer', async () => {
    const recorded = replies.get(infno)! as { kind: 'json'; body: unknown };
    await fc.assert(fc.asyncProperty(mutationOf(recorded.body), async ({ doc }) => checkReply(infno, doc)), { numRuns: RUNS });
  });

  test('a random JSON reply never throws and is never ok unless it is a valid answer', async () => {
    await fc.assert(fc.asyncProperty(hostileJson, async (body) => checkReply(infno, body)), { numRuns: 60 });
  });
});

test('9102: random bytes instead of the result file end as unknown (malformed_reply), never a throw', async () => {
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
    const outcome = await calls.get('3202')!(replayClient(replies, '9102', { kind: 'file', bytes }));
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'malformed_reply' });
  }), { numRuns: 60 });
});

describe('raw HTTP replies (transport + client)', () => {
  /** A server that answers whatever bytes it is told to, then closes. */
  let server: net.Server;
  let next: Buffer = Buffer.alloc(0);
  beforeAll(async () => {
    server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end(next));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => { await new Promise((r) => server.close(r)); });

  const response = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
    fc.tuple(fc.constantFrom(200, 200, 200, 204, 302, 404, 500, 502), hostileJson, fc.constantFrom('json', 'text', 'lying-length', 'chunked-cut'))
      .map(([status, body, style]) => {
        const text = JSON.stringify(body) ?? 'null';
        const bytes = Buffer.from(text, 'utf8');
        const head = `HTTP/1.1 ${status} X\r\nContent-Type: ${style === 'text' ? 'text/plain' : 'application/json'}\r\n`;
        if (style === 'lying-length') return Buffer.concat([Buffer.from(`${head}Content-Length: ${bytes.length + 10}\r\n\r\n`), bytes]);
        if (style === 'chunked-cut') return Buffer.concat([Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n${bytes.length.toString(16)}\r\n`), bytes]);
        return Buffer.concat([Buffer.from(`${head}Content-Length: ${bytes.length}\r\n\r\n`), bytes]);
      }),
  );

  test('whatever comes back, a 1101 call resolves with an outcome; ok only for a valid answer', async () => {
    const transport = new HttpJsonTransport({ url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/fsi/api/rsfComIfsService/callService`, connectTimeoutMs: 1000, responseTimeoutMs: 1500 });
    const signIn = (replies.get('9001') as { body: unknown }).body;
    const person1101 = calls.get('1101')!;
    await fc.assert(fc.asyncProperty(response, async (bytes) => {
      next = bytes;
      // Sign-in answered from the recording; the 1101 goes over the wire to the fuzzing server.
      const client = createCentreClient({
        transport: { send: (r) => (r.envelope.infno === '9001' ? Promise.resolve({ kind: 'json', body: signIn }) : transport.send(r)) },
        identity: TRAINING_IDENTITY, clock: fixedClock, terminal: TRAINING_TERMINAL, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, fixedClock),
      });
      const outcome = await person1101(client);
      expect(['ok', 'rejected', 'unknown']).toContain(outcome.kind);
      if (outcome.kind === 'ok') expect(bytes.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
    }), { numRuns: 60 });
    await transport.close();
  });
});
