// The centre client: builds envelopes, validates both directions, and turns every reply into a
// CentreOutcome (see outcome.ts). Pure apart from the injected transport, clock and msgid source.
//
//   const centre = createCentreClient({ transport, identity, clock, nextMsgid, terminal: { mac, ip }, files });
//   const person = await centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: '…' } });
//
// Every message is built from the interface edition (core/centre/editions): the client sends exactly
// the fields the edition defines, under its transaction codes and paths, and reads replies through it.
// It signs in (9001) per operator and business day before that operator's first business call,
// keeps the sign_no in a SignInBook (sign-in.ts) and reuses it in every envelope; a rejection that
// says the sign-in is gone ends that sign_no, signs in again and sends the call once more (the centre
// did nothing with a call it refused for its sign-in). Input that fails its schema throws
// CentreInputError: that is our bug, not the centre's answer, and nothing is sent.
import { type z } from 'zod';
import { DEFAULT_EDITION_ID, editionById } from './editions';
import { type EditionProfile, type EditionTransaction } from './editions/schema';
import { describeProblems, fromWire, toWire } from './editions/wire';
import { CentreIdentitySchema, type CentreIdentity, type RequestEnvelope, ResponseEnvelope } from './envelope';
import { describeIssues } from './fields';
import { MSGID } from './msgid';
import { type CentreFailure, type CentreOutcome, type CallMeta } from './outcome';
import { type CentrePort, type CentreTransport, type DetailReconciliation, type FileCodec } from './port';
import { type CatalogueChunk } from './catalogue-download';
import { type CatalogueDownloadOutput, type CatalogueInfno } from './tx/catalogue';
import { type CentreOperator, memorySignInBook, type SignInBook } from './sign-in';
import { formatDateTime, formatDay } from './time';
import { TRANSACTIONS, type Infno } from './transactions';
import { type BatchOutput, type RowVerdict, verdictsOf } from './tx/inventory';
import { INVENTORY_KINDS, isInventoryInfno, type ReportInfno } from './tx/stock';
import { detailFileText, parseResultFile, type DetailResultRow } from './tx/reconcile';
import { type QuerySettlementOutput } from './tx/query';
import { type SignInOutput } from './tx/sign';

export class CentreInputError extends Error {
  constructor(readonly infno: string, message: string) {
    super(`${infno} input is invalid: ${message}`);
    this.name = 'CentreInputError';
  }
}

export interface CentreClientOptions {
  readonly transport: CentreTransport;
  readonly identity: CentreIdentity;
  readonly clock: () => Date;
  /** Issues a fresh msgid for calls whose msgid the caller does not persist. */
  readonly nextMsgid: () => string;
  /** The terminal's address as reported at sign-in. */
  readonly terminal: { readonly mac: string; readonly ip: string };
  readonly files?: FileCodec;
  /** A rejection whose message matches means the sign-in is gone (default: mentions 签到). */
  readonly signInLost?: RegExp;
  /** Who is at the till for this call (null = the identity's opter, e.g. for background sync). */
  readonly operator?: () => CentreOperator | null;
  /** Where sign_nos live (default: in memory). */
  readonly signIns?: SignInBook;
  /** The province's interface edition; the national baseline by default. */
  readonly edition?: EditionProfile;
}

interface CallContext {
  readonly msgid?: string;
  readonly insuplcAdmdvs?: string;
  readonly timeoutMs?: number;
}

export function createCentreClient(options: CentreClientOptions): CentrePort & { readonly signNo: () => string | null; readonly edition: EditionProfile } {
  const identity = CentreIdentitySchema.parse(options.identity);
  const edition = options.edition ?? editionById(DEFAULT_EDITION_ID);
  const signInLost = options.signInLost ?? /签到/;
  const book = options.signIns ?? memorySignInBook();
  const signingIn = new Map<string, Promise<CentreOutcome<SignInOutput>>>();

  const operatorNow = (): CentreOperator => options.operator?.() ?? { opter: identity.opter, opterName: identity.opterName };
  const today = (): string => formatDay(options.clock());

  function transaction(infno: Infno): EditionTransaction {
    const tx = edition.transactions[infno];
    if (!tx) throw new CentreInputError(infno, `the edition ${edition.name} (${edition.id}) has no ${infno} ${TRANSACTIONS[infno].name}`);
    return tx;
  }

  /** The envelope as the edition defines it: its fields only, its fixed values, its transaction code. */
  function envelope(infno: Infno, input: Record<string, unknown>, msgid: string, insuplc: string, op: CentreOperator, signNo: string): RequestEnvelope {
    const full: Record<string, unknown> = {
      infno: transaction(infno).code, msgid,
      mdtrtarea_admvs: identity.mdtrtareaAdmvs,
      insuplc_admdvs: insuplc,
      recer_sys_code: identity.recerSysCode ?? edition.recerSysCode,
      dev_no: identity.devNo ?? '',
      dev_safe_info: identity.devSafeInfo ?? '',
      cainfo: '',
      signtype: identity.signtype ?? '',
      infver: identity.infver ?? edition.infver,
      opter_type: identity.opterType,
      opter: op.opter,
      opter_name: op.opterName,
      inf_time: formatDateTime(options.clock()),
      fixmedins_code: identity.fixmedinsCode,
      fixmedins_name: identity.fixmedinsName,
      sign_no: infno === '9001' ? '' : signNo,
    };
    for (const [name, spec] of Object.entries(edition.envelope.request)) if (spec.value !== undefined) full[name] = spec.value;
    const { message, problems } = toWire({ fields: edition.envelope.request }, full, '');
    if (problems.length) throw new CentreInputError(infno, `envelope: ${describeProblems(problems)}`);
    return { ...message, input } as RequestEnvelope;
  }

  /** Our schema first (our meaning of each field), then the edition's field set (what is sent). */
  function validateInput(infno: Infno, input: unknown, context: CallContext): Record<string, unknown> {
    const spec = TRANSACTIONS[infno];
    const tx = transaction(infno);
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) throw new CentreInputError(infno, describeIssues(parsed.error, 'input'));
    if (spec.personal && !/^\d{6}$/.test(context.insuplcAdmdvs ?? '')) throw new CentreInputError(infno, 'insuplc_admdvs: the patient\'s 6-digit insured division is required');
    if (context.msgid !== undefined && !MSGID.test(context.msgid)) throw new CentreInputError(infno, `msgid: not a msgid: ${JSON.stringify(context.msgid)}`);
    // Send the normalised form (amounts as two-decimal strings), never what the caller typed, and
    // only the fields the edition defines.
    const { message, problems } = toWire(tx.input, parsed.data as Record<string, unknown>);
    if (problems.length) throw new CentreInputError(infno, `${describeProblems(problems)} (edition ${edition.id})`);
    return message;
  }

  function pathOf(infno: Infno): string {
    return edition.url.layout === 'single' ? edition.url.path : transaction(infno).path!;
  }

  /** The operator's sign_no for today, signing in first when there is none. */
  async function ensureSignedIn(op: CentreOperator, meta: CallMeta): Promise<{ signNo: string } | CentreFailure> {
    const day = today();
    const live = book.current(op.opter, day);
    if (live !== null) return { signNo: live };
    const key = `${op.opter}\u0000${day}`;
    let pending = signingIn.get(key);
    if (!pending) {
      pending = signInNow(op).finally(() => signingIn.delete(key));
      signingIn.set(key, pending);
    }
    const outcome = await pending;
    if (outcome.kind === 'ok') return { signNo: outcome.output.signinoutb.sign_no };
    // The business call itself never left, whatever happened to the sign-in.
    return { kind: 'not_delivered', reason: `sign-in (9001) failed first: ${outcome.kind === 'rejected' ? outcome.message : outcome.kind === 'unknown' ? outcome.detail : outcome.reason}`, meta };
  }

  async function signInNow(op: CentreOperator): Promise<CentreOutcome<SignInOutput>> {
    const input = { signIn: { opter_no: op.opter, mac: options.terminal.mac, ip: options.terminal.ip } };
    const day = today();
    const outcome = await exchange<SignInOutput>('9001', input, {}, op, '');
    if (outcome.kind === 'ok') book.signedIn({ opter: op.opter, day, signNo: outcome.output.signinoutb.sign_no, at: options.clock().toISOString() });
    return outcome;
  }

  /** One request/reply, no sign-in logic. */
  async function exchange<T>(infno: Infno, rawInput: unknown, context: CallContext, op: CentreOperator, signNo: string): Promise<CentreOutcome<T>> {
    const input = validateInput(infno, rawInput, context);
    const msgid = context.msgid ?? options.nextMsgid();
    const meta: CallMeta = { infno, msgid };
    const spec = TRANSACTIONS[infno];
    const result = await options.transport.send({ envelope: envelope(infno, input, msgid, spec.personal ? context.insuplcAdmdvs ?? '' : '', op, signNo), path: pathOf(infno), expect: 'json', ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}) });
    if (result.kind === 'not_delivered') return { kind: 'not_delivered', reason: result.reason, meta };
    if (result.kind === 'unknown') return { kind: 'unknown', reason: result.reason, detail: result.detail, meta };
    if (result.kind === 'file') return { kind: 'unknown', reason: 'malformed_reply', detail: 'expected a JSON envelope, got a file', meta };
    return readReply<T>(infno, result.body, meta);
  }

  function readReply<T>(infno: Infno, body: unknown, meta: CallMeta): CentreOutcome<T> {
    const env = ResponseEnvelope.safeParse(body);
    if (!env.success) return { kind: 'unknown', reason: 'malformed_reply', detail: `response envelope: ${describeIssues(env.error)}`, meta };
    if (env.data.infcode !== 0) {
      return { kind: 'rejected', infcode: env.data.infcode, message: env.data.err_msg || `infcode ${env.data.infcode} without err_msg`, meta };
    }
    const schema = TRANSACTIONS[infno].output as z.ZodType<T> | null;
    const shape = transaction(infno).output;
    if (!schema || shape === 'file') return { kind: 'unknown', reason: 'malformed_reply', detail: 'expected a file, got an envelope', meta };
    const output = schema.safeParse(shape === null ? env.data.output : fromWire(shape, env.data.output));
    if (!output.success) return { kind: 'unknown', reason: 'malformed_reply', detail: describeIssues(output.error, 'output'), meta };
    return { kind: 'ok', output: output.data, meta: { ...meta, infRefmsgid: env.data.inf_refmsgid, warnMsg: env.data.warn_msg } };
  }

  async function call<T>(infno: Infno, input: unknown, context: CallContext = {}): Promise<CentreOutcome<T>> {
    validateInput(infno, input, context); // fail fast on our own bug, before signing in
    const op = operatorNow();
    for (let attempt = 1; ; attempt++) {
      const signed = await ensureSignedIn(op, { infno, msgid: context.msgid ?? '' });
      if ('kind' in signed) return signed;
      const outcome = await exchange<T>(infno, input, context, op, signed.signNo);
      if (outcome.kind !== 'rejected' || !signInLost.test(outcome.message)) return outcome;
      // Stale sign-in: the centre refused the call without doing it. Sign in again, once.
      book.ended(signed.signNo, options.clock().toISOString(), 'stale');
      if (attempt === 2) return outcome;
    }
  }

  /**
   * 7201 / 7202 name the operator and terminal in their input as well (S1 CFZX/CFJX7201.cs,
   * DZCF7202.cs: 操作人ID opter, 操作人姓名 opter_name, 终端IP ip_info; Shenzhen requires them): the
   * same operator as the envelope and the terminal's IP as at sign-in, unless the caller gave them.
   * 操作机构 optins and the channel fields are left as given (the source does not say what goes there).
   */
  function withOperatorFields<T extends { data: object }>(input: T): T {
    const op = operatorNow();
    const d = input.data as { ip_info?: unknown; opter?: unknown; opter_name?: unknown };
    return { ...input, data: { ...d, ip_info: d.ip_info || options.terminal.ip, opter: d.opter || op.opter, opter_name: d.opter_name || op.opterName } };
  }

  /** Settlement-shaped replies must echo our msgid; anything else may be a stale or foreign reply. */
  function checkEcho<T extends { setlinfo: { medins_setl_id: string } | null }>(outcome: CentreOutcome<T>, expected: string): CentreOutcome<T> {
    if (outcome.kind !== 'ok' || outcome.output.setlinfo === null) return outcome;
    const echoed = outcome.output.setlinfo.medins_setl_id;
    if (echoed === expected) return outcome;
    return { kind: 'unknown', reason: 'echo_mismatch', detail: `reply names medins_setl_id ${JSON.stringify(echoed)}, expected ${expected}`, meta: outcome.meta };
  }

  async function download(fileQuryNo: string, filename: string): Promise<CentreOutcome<Uint8Array>> {
    const input = { fsDownloadIn: { file_qury_no: fileQuryNo, filename, fixmedins_code: identity.fixmedinsCode } };
    const wire = validateInput('9102', input, {}); // fail fast on our own bug, before signing in
    const meta: CallMeta = { infno: '9102', msgid: options.nextMsgid() };
    const op = operatorNow();
    const signed = await ensureSignedIn(op, meta);
    if ('kind' in signed) return signed;
    const result = await options.transport.send({ envelope: envelope('9102', wire, meta.msgid, '', op, signed.signNo), path: pathOf('9102'), expect: 'file' });
    if (result.kind === 'file') return { kind: 'ok', output: result.bytes, meta: { ...meta, infRefmsgid: '', warnMsg: '' } };
    if (result.kind === 'json') {
      const reply = readReply<never>('9102', result.body, meta);
      return reply.kind === 'ok' ? { kind: 'unknown', reason: 'malformed_reply', detail: 'expected a file', meta } : reply;
    }
    if (result.kind === 'not_delivered') return { kind: 'not_delivered', reason: result.reason, meta };
    return { kind: 'unknown', reason: result.reason, detail: result.detail, meta };
  }

  async function reconcileDetails(request: DetailReconciliation): Promise<CentreOutcome<{ fileinfo: { file_qury_no: string; filename: string; dld_endtime: string }; rows: DetailResultRow[] }>> {
    const files = options.files;
    if (!files) throw new CentreInputError('3202', 'no FileCodec configured for the 9101/9102 file exchange');
    const zipped = files.zipBase64(request.filename, detailFileText(request.rows));
    const uploaded = await call<{ file_qury_no: string; filename: string }>('9101', { fsUploadIn: { in: zipped, filename: `${request.filename}.zip`, fixmedins_code: identity.fixmedinsCode } });
    if (uploaded.kind !== 'ok') return uploaded;
    const detail = await call<{ fileinfo: { file_qury_no: string; filename: string; dld_endtime: string } }>('3202', { data: { ...request.data, file_qury_no: uploaded.output.file_qury_no } });
    if (detail.kind !== 'ok') return detail;
    const file = await download(detail.output.fileinfo.file_qury_no, detail.output.fileinfo.filename);
    if (file.kind !== 'ok') return file;
    try {
      const rows = parseResultFile(files.unzipText(file.output).text);
      return { kind: 'ok', output: { fileinfo: detail.output.fileinfo, rows }, meta: detail.meta };
    } catch (error) {
      return { kind: 'unknown', reason: 'malformed_reply', detail: `3202 result file: ${error instanceof Error ? error.message : String(error)}`, meta: file.meta };
    }
  }

  async function catalogueChunk(infno: CatalogueInfno, ver: string): Promise<CentreOutcome<CatalogueChunk>> {
    const files = options.files;
    if (!files) throw new CentreInputError(infno, 'no FileCodec configured for the 9102 catalogue file');
    const listed = await call<CatalogueDownloadOutput>(infno, { data: { ver } });
    if (listed.kind !== 'ok') return listed;
    if (listed.output.data_cnt === 0) return { ...listed, output: { info: listed.output, text: null } };
    const file = await download(listed.output.file_qury_no, listed.output.filename);
    if (file.kind !== 'ok') return file;
    try {
      return { kind: 'ok', output: { info: listed.output, text: files.unzipText(file.output).text }, meta: listed.meta };
    } catch (error) {
      return { kind: 'unknown', reason: 'malformed_reply', detail: `${infno} file ${listed.output.filename}: ${error instanceof Error ? error.message : String(error)}`, meta: file.meta };
    }
  }

  async function uploadSales(infno: ReportInfno | '7206', input: unknown, context: { readonly msgid: string }): Promise<CentreOutcome<RowVerdict[]>> {
    if (infno === '3505' || infno === '3506' || infno === '7206' || isInventoryInfno(infno)) {
      const node = isInventoryInfno(infno) ? INVENTORY_KINDS[infno].node : infno === '7206' ? 'data' : 'selinfo';
      const key = infno === '7206' ? 'hi_rxno' : 'fixmedins_bchno';
      const bchno = String((input as Record<string, Record<string, unknown> | undefined>)[node]?.[key] ?? '');
      const outcome = await call<{ accepted: true }>(infno, input, { msgid: context.msgid });
      if (outcome.kind === 'ok') return { ...outcome, output: [{ bchno, accepted: true, message: '' }] };
      // One row per call: the centre's refusal is that row's refusal (unless it was the sign-in).
      if (outcome.kind === 'rejected' && !signInLost.test(outcome.message)) return { kind: 'ok', output: [{ bchno, accepted: false, message: outcome.message }], meta: { ...outcome.meta, infRefmsgid: '', warnMsg: '' } };
      return outcome as CentreOutcome<never>;
    }
    const sent = ((input as { selinfoDetail?: Array<{ fixmedins_bchno?: unknown }> }).selinfoDetail ?? []).map((r) => String(r.fixmedins_bchno ?? ''));
    const outcome = await call<BatchOutput>(infno, input, { msgid: context.msgid });
    if (outcome.kind !== 'ok') return outcome;
    const verdicts = verdictsOf(sent, outcome.output);
    if (!verdicts) return { kind: 'unknown', reason: 'malformed_reply', detail: `${infno}: the reply's ${outcome.output.result.length} row results do not match the ${sent.length} rows sent`, meta: outcome.meta };
    return { ...outcome, output: verdicts };
  }

  return {
    edition,
    queriesByMsgid: edition.transactions['5203']?.input.nodes?.['data']?.fields['medins_setl_id'] !== undefined,
    signNo: () => book.current(operatorNow().opter, today()),
    signIn: () => signInNow(operatorNow()),
    async signOut(operator?: CentreOperator) {
      const op = operator ?? operatorNow();
      const signNo = book.current(op.opter, today());
      if (signNo === null) return { kind: 'ok', output: { signoutoutb: { sign_time: formatDateTime(options.clock()) } }, meta: { infno: '9002', msgid: '', infRefmsgid: '', warnMsg: 'not signed in' } };
      const outcome = await exchange<{ signoutoutb: { sign_time: string } }>('9002', { signOut: { sign_no: signNo, opter_no: op.opter } }, {}, op, signNo);
      if (outcome.kind === 'ok') book.ended(signNo, options.clock().toISOString(), 'signed_out');
      return outcome;
    },
    personInfo: (input) => call('1101', input),
    institutionInfo: (input) => call('1201', input),
    preSettle: (input, context) => call('2101', input, { insuplcAdmdvs: context.insuplcAdmdvs }),
    settle: async (input, context) => checkEcho(await call('2102', input, context), context.msgid),
    cancel: (input, context) => call('2103', input, context),
    reverse: (input, context) => call('2601', input, context),
    querySettlement: async (input, context) => {
      const outcome = await call<QuerySettlementOutput>('5203', input, { insuplcAdmdvs: context.insuplcAdmdvs });
      const wanted = input.data.medins_setl_id;
      return typeof wanted === 'string' && wanted !== '' ? checkEcho(outcome, wanted) : outcome;
    },
    cumulativeInfo: (input, context) => call('5206', input, { insuplcAdmdvs: context.insuplcAdmdvs }),
    reconcileTotals: (input) => call('3201', input),
    decodeEprescriptionQr: (input) => call('7201', withOperatorFields(input)),
    queryEprescription: (input) => call('7202', withOperatorFields(input), { insuplcAdmdvs: input.data.insuplc_admdvs }),
    reviewEprescription: (input) => call('7204', input),
    // 7203 names the insured division in its input; the envelope carries it too, as for other personal calls.
    downloadEprescription: (input) => call('7203', input, { insuplcAdmdvs: input.data.insuplc_admdvs }),
    reconcileDetails,
    uploadSales,
    catalogueChunk,
    hilistPage: (infno, input) => call(infno, input),
    dictionary: (input) => call('1901', input),
  };
}
