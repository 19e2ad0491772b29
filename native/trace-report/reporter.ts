// The sales reporter: takes 3505/3506 rows to the platform exactly once, after their settlement
// (or refund) is confirmed. It runs beside the settlement sync engine and only reads the outbox's
// state, so the engine needs no change: a sale row becomes due when its settlement is `confirmed`,
// a return row when its sale rows were accepted.
//
//   const reporter = new SalesReporter({ store, centre, allocateMsgid, edition: 'batch' });
//   reporter.start(); reporter.kick(); await reporter.drainOnce(); await reporter.stop();
//
// Per call: the msgid and the rows' `sending` state are committed before the call; the verdicts after
// it. Two-level success check: the call's `infcode`, then each row's `retRslt`. A refused row comes
// back alone (its own next call) after a wait, up to `maxRefusals` times; then it waits for the
// manager's retry. No usable answer (not delivered, timeout, malformed): the rows are queued again
// under the same keys, the platform answers a repeat without storing it twice, and the pass stops
// with backoff.
//
// The loop is shared: each kind of upload is a `ReportQueue` (what is due, how a row becomes the
// call's payload, how the call's start and results are persisted). The sales store gives two
// (sale rows, then return rows); the inventory uploads (3501–3504/3507, native/trace-report/
// inventory-store.ts) come in as `queues`, drained after the sales rows on the same connectivity
// and backoff.
import { type CentrePort } from '../../core/centre/port';
import { CentreInputError } from '../../core/centre/client';
import { describeIssues } from '../../core/centre/fields';
import { SalesReturnRow, SalesRow, type SalesReportInfno } from '../../core/centre/tx/inventory';
import { type ReportInfno } from '../../core/centre/tx/stock';
import {
  backoffDelay, DEFAULT_BACKOFF, initialConnectivity, mayCall, onAnswer, onFailure, type BackoffPolicy, type Connectivity,
} from '../../core/sync/connectivity';
import { type ReportRow, type ReportRowEvent } from '../../core/sync/report-row';
import { type ReportKind, type SalesReportStore, type StoredReportRow } from './store';

/** What the loop needs of a row: its id and its state. */
export interface QueuedRow {
  readonly id: number;
  readonly entry: ReportRow;
}

export type CallResult = { readonly id: number; readonly event: ReportRowEvent; readonly nextAttemptAt?: number };

/** One kind of upload the reporter drains. */
export interface ReportQueue<R extends QueuedRow = QueuedRow> {
  readonly name: string;
  /** Rows per call. */
  readonly batchSize: number;
  /** Rows to send now, all of one call's kind, oldest first. */
  due(nowMs: number, limit: number, maxRefusals: number): R[];
  /** When the earliest waiting row becomes due (epoch ms), or null. */
  nextWake(maxRefusals: number): number | null;
  /** Start-up: rows left in `sending` go back to the queue. Returns how many. */
  recoverInFlight(): number;
  /** The row as it will be sent, or why it cannot be (it then waits for someone to fix it). */
  payload(row: R): { payload: unknown } | { error: string; missing?: string };
  /** The call carrying these rows. */
  message(rows: readonly R[], payloads: readonly unknown[]): { infno: ReportInfno | '7206'; input: unknown };
  /** The msgid to send under: a queue whose rows are not keyed at the platform resends under the persisted one. */
  msgidFor(rows: readonly R[], allocate: () => string): string;
  startCall(msgid: string, infno: string, ids: readonly number[]): void;
  finishCall(msgid: string, outcome: string, results: readonly CallResult[]): void;
  /**
   * The row cannot go because OUR data is missing (`fields`, comma-separated): a queue that has it
   * holds the row — not retried on a timer, released when the setting changes or on the manager's
   * 重试. Called for a row not yet started, or one in `sending` whose call the client refused before
   * sending anything (its persisted msgid stays for the real first send). Without it the row is
   * refused locally as before.
   */
  hold?(id: number, fields: string, message: string): void;
}

/** The fields a client-side edition refusal names (`…: selinfo[0].drug_dosform: required by the edition …`). */
export function missingFields(message: string): string {
  const names = [...message.matchAll(/([A-Za-z_][\w.[\]]*): required by the edition/g)].map((m) => m[1]!.replace(/\[\d+\]/g, '').replace(/^(input|data)\./, ''));
  return names.length ? [...new Set(names)].join(',') : 'edition';
}

/** Which message shape the edition uses: `batch` = 3505A/3506A with per-row results, `classic` = one row per 3505/3506. */
export type SalesReportEdition = 'batch' | 'classic';

export interface SalesReporterOptions {
  readonly store: SalesReportStore;
  readonly centre: CentrePort;
  readonly allocateMsgid: () => string;
  readonly edition?: SalesReportEdition;
  /** Rows per batch call (the batch editions take up to 100). */
  readonly batchSize?: number;
  readonly maxRefusals?: number;
  /** Wait before a refused row is sent again, doubled per refusal. */
  readonly refusalBackoff?: BackoffPolicy;
  readonly backoff?: BackoffPolicy;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
  /** Resolves when the counter is idle: awaited before each call, so an upload does not compete with a sale in flight. */
  readonly idle?: () => Promise<void>;
  /** 开方医师姓名 for a sale without a prescription (store setting `otcPrescriberName`), or undefined. */
  readonly otcPrescriberName?: () => string | undefined;
  /** Further uploads drained after the sales rows (e.g. inventory). */
  readonly queues?: readonly ReportQueue[];
}

export interface ReportDrainReport {
  readonly calls: number;
  readonly stoppedBy: 'empty' | 'offline' | 'stopped';
}

export class SalesReporter {
  private connectivity: Connectivity;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly edition: SalesReportEdition;
  private readonly batchSize: number;
  readonly maxRefusals: number;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;
  private readonly queues: readonly ReportQueue[];

  constructor(private readonly options: SalesReporterOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.edition = options.edition ?? 'batch';
    this.batchSize = this.edition === 'classic' ? 1 : Math.min(100, Math.max(1, options.batchSize ?? 50));
    this.maxRefusals = options.maxRefusals ?? 5;
    this.connectivity = initialConnectivity(this.now());
    this.queues = [this.salesQueue('sale'), this.salesQueue('return'), ...(options.queues ?? [])];
  }

  /** The sales store as two queues: sale rows first (a return needs its sale reported), then returns. */
  private salesQueue(kind: ReportKind): ReportQueue<StoredReportRow> {
    const store = this.options.store;
    return {
      name: kind === 'sale' ? '3505' : '3506',
      batchSize: this.batchSize,
      due: (now, limit, maxRefusals) => store.due(kind, now, limit, maxRefusals),
      // The store answers for both kinds; the return queue leaves it to the sale queue.
      nextWake: (maxRefusals) => (kind === 'sale' ? store.nextWake(maxRefusals) : null),
      recoverInFlight: () => (kind === 'sale' ? store.recoverInFlight() : 0),
      payload: (row) => this.payload(row),
      message: (_rows, payloads) => {
        const infno: SalesReportInfno = this.edition === 'classic' ? (kind === 'sale' ? '3505' : '3506') : (kind === 'sale' ? '3505A' : '3506A');
        return { infno, input: this.edition === 'classic' ? { selinfo: payloads[0] } : { selinfoDetail: [...payloads] } };
      },
      // Sales rows are keyed at the platform (fixmedins_bchno): every call has its own msgid.
      msgidFor: (_rows, allocate) => allocate(),
      startCall: (msgid, infno, ids) => store.startCall(msgid, infno, ids),
      finishCall: (msgid, outcome, results) => store.finishCall(msgid, outcome, results),
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const recovered = this.queues.reduce((n, q) => n + q.recoverInFlight(), 0);
    if (recovered > 0) this.options.log?.(`reports: ${recovered} row(s) were being sent when the last process stopped; sending them again under the same keys`);
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.chain.catch(() => {});
  }

  /** Something changed (a settlement confirmed, a refund, the network back): drain when the backoff allows. */
  kick(options: { force?: boolean } = {}): void {
    if (!this.running) return;
    if (options.force) this.connectivity = { ...this.connectivity, retryAt: 0 };
    clearTimeout(this.timer);
    void this.serialised(() => this.drainOnce()).then(() => this.schedule(), (error: unknown) => {
      this.options.log?.(`reports: drain failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      this.schedule();
    });
  }

  status(): Connectivity {
    return this.connectivity;
  }

  /** Sale rows first (a return needs its sale reported), then returns, then the other queues, until nothing is due. */
  async drainOnce(): Promise<ReportDrainReport> {
    let calls = 0;
    while (true) {
      if (this.stopping) return { calls, stoppedBy: 'stopped' };
      if (!mayCall(this.connectivity, this.now())) return { calls, stoppedBy: 'offline' };
      if (this.options.idle) {
        await this.options.idle();
        if (this.stopping) return { calls, stoppedBy: 'stopped' };
      }
      let picked: { queue: ReportQueue; rows: QueuedRow[] } | null = null;
      for (const queue of this.queues) {
        const rows = queue.due(this.now(), queue.batchSize, this.maxRefusals);
        if (rows.length > 0) { picked = { queue, rows }; break; }
      }
      if (!picked) return { calls, stoppedBy: 'empty' };
      calls++;
      if (!(await this.send(picked.queue, picked.rows))) return { calls, stoppedBy: 'offline' };
    }
  }

  /** One call for these rows (all of one kind). Returns false when the platform gave no usable answer. */
  private async send<R extends QueuedRow>(store: ReportQueue<R>, candidates: R[]): Promise<boolean> {
    const { centre } = this.options;
    // Rows refused before go alone, so a bad row never holds good ones back.
    const retried = candidates.find((r) => r.entry.state === 'rejected');
    const rows = retried ? [retried] : candidates.filter((r) => r.entry.state === 'queued');
    const payloads: Array<{ row: R; payload: unknown }> = [];
    const localRefusals: Array<{ id: number; event: ReportRowEvent }> = [];
    for (const row of rows) {
      const built = store.payload(row);
      if ('error' in built && built.missing && store.hold) store.hold(row.id, built.missing, built.error);
      else if ('error' in built) localRefusals.push({ id: row.id, event: { type: 'refused', message: built.error } });
      else payloads.push({ row, payload: built.payload });
    }
    if (localRefusals.length) {
      // Our own data is incomplete (e.g. no pharmacist): no point sending it again until someone fixes it.
      const msgid = this.options.allocateMsgid();
      store.startCall(msgid, 'local', localRefusals.map((r) => r.id));
      store.finishCall(msgid, 'refused locally', localRefusals.map((r) => ({ ...r, nextAttemptAt: Number.MAX_SAFE_INTEGER })));
    }
    if (payloads.length === 0) return true;
    const { infno, input } = store.message(payloads.map((p) => p.row), payloads.map((p) => p.payload));
    const msgid = store.msgidFor(payloads.map((p) => p.row), this.options.allocateMsgid);
    const ids = payloads.map((p) => p.row.id);
    store.startCall(msgid, infno, ids);
    let outcome;
    try {
      outcome = await centre.uploadSales(infno, input, { msgid });
    } catch (error) {
      if (!(error instanceof CentreInputError)) throw error;
      if (store.hold) {
        // Nothing was sent: OUR data does not meet the edition. Waiting on a timer cannot fix it.
        for (const id of ids) store.hold(id, missingFields(error.message), `not sent, our rows are invalid: ${error.message}`);
        return true;
      }
      // Nothing was sent and a timer cannot fix our rows: a row refused alone waits for the manager's
      // 重试 (after the data or the edition is fixed); rows refused together go again at once, each
      // alone (refused rows go alone), so one bad row does not hold the good ones back.
      const fields = missingFields(error.message);
      const why = fields.split(',').some((f) => f === 'prsc_dr_name' || f.endsWith('.prsc_dr_name')) ? '（没有处方的销售没有开方医师姓名：请店长按医保局的要求设置「无处方销售的开方医师姓名」）' : '';
      const message = `未上传：本店数据不符合接口版本的要求（${fields}）${why}，补全数据或更正接口版本后请点重试。not sent, our rows are invalid: ${error.message}`;
      store.finishCall(msgid, `refused locally: ${error.message}`, ids.map((id) => ({
        id, event: { type: 'refused', message }, nextAttemptAt: ids.length === 1 ? Number.MAX_SAFE_INTEGER : 0,
      })));
      return true;
    }
    switch (outcome.kind) {
      case 'ok': {
        const results = outcome.output.map((v, i) => ({
          id: ids[i]!,
          event: v.accepted ? { type: 'accepted' as const } : { type: 'refused' as const, message: v.message || '平台未说明原因' },
          nextAttemptAt: v.accepted ? 0 : this.refusalWait(payloads[i]!.row.entry.refusals),
        }));
        const refused = results.filter((r) => r.event.type === 'refused').length;
        store.finishCall(msgid, `ok: ${results.length - refused} accepted, ${refused} refused`, results);
        this.connectivity = onAnswer(this.connectivity, this.now());
        return true;
      }
      case 'rejected': {
        // The whole call was refused (infcode ≠ 0): every row counts one refusal and waits.
        store.finishCall(msgid, `rejected: ${outcome.message}`, payloads.map((p) => ({
          id: p.row.id, event: { type: 'refused', message: outcome.message }, nextAttemptAt: this.refusalWait(p.row.entry.refusals),
        })));
        this.connectivity = onAnswer(this.connectivity, this.now());
        return true;
      }
      case 'not_delivered':
      case 'unknown': {
        const reason = outcome.kind === 'unknown' ? `${outcome.reason}: ${outcome.detail}` : outcome.reason;
        const event: ReportRowEvent = outcome.kind === 'unknown' ? { type: 'outcome_unknown', reason } : { type: 'not_delivered', reason };
        store.finishCall(msgid, `${outcome.kind}: ${reason}`, ids.map((id) => ({ id, event })));
        const wasOnline = this.connectivity.online;
        this.connectivity = onFailure(this.connectivity, reason, this.now(), this.options.backoff ?? DEFAULT_BACKOFF, this.random());
        if (wasOnline) this.options.log?.(`reports: platform not answering (${reason}); retrying with backoff`);
        return false;
      }
    }
  }

  /** The row as sent: the stored draft with the confirmed setl_id (and the pharmacist, if set since). */
  private payload(row: StoredReportRow): { payload: unknown } | { error: string } {
    if (!row.setlId) return { error: '结算尚未确认' };
    const draft = { ...row.row, setl_id: row.setlId } as Record<string, unknown>;
    if (row.kind === 'sale') {
      const pharmacist = this.options.store.pharmacistOf(row.operatorId);
      // A sale without a prescription has no prescriber; the store's setting (as the 医保局 instructs) fills it.
      const otc = draft.rx_circ_flag === '0' && draft.prsc_dr_name === '' ? this.options.otcPrescriberName?.() : undefined;
      if (otc) draft.prsc_dr_name = otc;
      if (pharmacist && (draft.phar_name === '' || draft.phar_prac_cert_no === '')) { draft.phar_name = pharmacist.name; draft.phar_prac_cert_no = pharmacist.certNo; }
      // 药师证件类型/号码: personal data, so never stored in the row (kept for ever) but added as it goes,
      // and only while the operator's pharmacist is still the one the row names.
      if (pharmacist?.idType && pharmacist.idNo && draft.phar_name === pharmacist.name && draft.phar_prac_cert_no === pharmacist.certNo
        && !draft.phar_certno) { draft.phar_cert_type = pharmacist.idType; draft.phar_certno = pharmacist.idNo; }
    }
    const parsed = (row.kind === 'sale' ? SalesRow : SalesReturnRow).safeParse(draft);
    if (!parsed.success) {
      const missingPharmacist = parsed.error.issues.some((i) => i.path[0] === 'phar_name' || i.path[0] === 'phar_prac_cert_no');
      return { error: missingPharmacist ? `操作员 ${row.operatorId} 没有设置执业药师（姓名、执业资格证号）：请店长在操作员设置中填写后重试` : `本地校验失败：${describeIssues(parsed.error)}` };
    }
    return { payload: draft };
  }

  private refusalWait(refusalsBefore: number): number {
    return this.now() + backoffDelay(refusalsBefore + 1, this.options.refusalBackoff ?? { baseMs: 2_000, maxMs: 300_000, jitter: 0.2 }, this.random());
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const wakes = this.queues.map((q) => q.nextWake(this.maxRefusals)).filter((w): w is number => w !== null && w < Number.MAX_SAFE_INTEGER);
    if (wakes.length === 0) return;
    const wake = Math.min(...wakes);
    const at = Math.max(wake, this.connectivity.retryAt);
    this.timer = setTimeout(() => { this.timer = undefined; this.kick(); }, Math.max(0, at - this.now()));
    this.timer.unref?.();
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => {});
    return run;
  }
}

export type { ReportKind };
