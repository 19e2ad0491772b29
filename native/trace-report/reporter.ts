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
import { type CentrePort } from '../../core/centre/port';
import { CentreInputError } from '../../core/centre/client';
import { describeIssues } from '../../core/centre/fields';
import { SalesReturnRow, SalesRow, type SalesReportInfno } from '../../core/centre/tx/inventory';
import {
  backoffDelay, DEFAULT_BACKOFF, initialConnectivity, mayCall, onAnswer, onFailure, type BackoffPolicy, type Connectivity,
} from '../../core/sync/connectivity';
import { type ReportRowEvent } from '../../core/sync/report-row';
import { type ReportKind, type SalesReportStore, type StoredReportRow } from './store';

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

  constructor(private readonly options: SalesReporterOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.edition = options.edition ?? 'batch';
    this.batchSize = this.edition === 'classic' ? 1 : Math.min(100, Math.max(1, options.batchSize ?? 50));
    this.maxRefusals = options.maxRefusals ?? 5;
    this.connectivity = initialConnectivity(this.now());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const recovered = this.options.store.recoverInFlight();
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

  /** Sale rows first (a return needs its sale reported), then returns, until nothing is due. */
  async drainOnce(): Promise<ReportDrainReport> {
    let calls = 0;
    while (true) {
      if (this.stopping) return { calls, stoppedBy: 'stopped' };
      if (!mayCall(this.connectivity, this.now())) return { calls, stoppedBy: 'offline' };
      let rows = this.options.store.due('sale', this.now(), this.batchSize, this.maxRefusals);
      if (rows.length === 0) rows = this.options.store.due('return', this.now(), this.batchSize, this.maxRefusals);
      if (rows.length === 0) return { calls, stoppedBy: 'empty' };
      calls++;
      if (!(await this.send(rows))) return { calls, stoppedBy: 'offline' };
    }
  }

  /** One call for these rows (all of one kind). Returns false when the platform gave no usable answer. */
  private async send(candidates: StoredReportRow[]): Promise<boolean> {
    const { store, centre } = this.options;
    const kind = candidates[0]!.kind;
    // Rows refused before go alone, so a bad row never holds good ones back.
    const retried = candidates.find((r) => r.entry.state === 'rejected');
    const rows = retried ? [retried] : candidates.filter((r) => r.entry.state === 'queued');
    const payloads: Array<{ row: StoredReportRow; payload: unknown }> = [];
    const localRefusals: Array<{ id: number; event: ReportRowEvent }> = [];
    for (const row of rows) {
      const built = this.payload(row);
      if ('error' in built) localRefusals.push({ id: row.id, event: { type: 'refused', message: built.error } });
      else payloads.push({ row, payload: built.payload });
    }
    if (localRefusals.length) {
      // Our own data is incomplete (e.g. no pharmacist): no point sending it again until someone fixes it.
      const msgid = this.options.allocateMsgid();
      store.startCall(msgid, 'local', localRefusals.map((r) => r.id));
      store.finishCall(msgid, 'refused locally', localRefusals.map((r) => ({ ...r, nextAttemptAt: Number.MAX_SAFE_INTEGER })));
    }
    if (payloads.length === 0) return true;
    const infno: SalesReportInfno = this.edition === 'classic' ? (kind === 'sale' ? '3505' : '3506') : (kind === 'sale' ? '3505A' : '3506A');
    const input = this.edition === 'classic' ? { selinfo: payloads[0]!.payload } : { selinfoDetail: payloads.map((p) => p.payload) };
    const msgid = this.options.allocateMsgid();
    const ids = payloads.map((p) => p.row.id);
    store.startCall(msgid, infno, ids);
    let outcome;
    try {
      outcome = await centre.uploadSales(infno, input, { msgid });
    } catch (error) {
      if (!(error instanceof CentreInputError)) throw error;
      outcome = { kind: 'rejected' as const, infcode: -1, message: `not sent, our rows are invalid: ${error.message}`, meta: { infno, msgid } };
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
    if (row.kind === 'sale' && (draft.phar_name === '' || draft.phar_prac_cert_no === '')) {
      const pharmacist = this.options.store.pharmacistOf(row.operatorId);
      if (pharmacist) { draft.phar_name = pharmacist.name; draft.phar_prac_cert_no = pharmacist.certNo; }
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
    const wake = this.options.store.nextWake(this.maxRefusals);
    if (wake === null || wake >= Number.MAX_SAFE_INTEGER) return;
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
