// The e-prescription write-off store: one 7206 电子处方核销 per settled e-prescription sale, in the
// terminal's store.db, and the queue the shared reporter (native/trace-report/reporter.ts) drains
// after the 3505/3506 rows and the inventory uploads.
//
//   const writeOffs = new WriteOffStore(db);
//   writeOffs.queue(saleId, settlementId, businessDate, draft)  // inside the settle transaction
//   reporter = new SalesReporter({ …, queues: [inventory.queue(), writeOffs.reportQueue(pharmacistOf)] })
//   writeOffs.refunded(saleId)  // inside the refund's transaction
//
// A write-off becomes due when its settlement is `confirmed` (the message needs the booked setl_id
// and the centre's amounts); a settlement reversed or withdrawn voids it. Exactly once: the msgid is
// persisted on the row before the first send and reused for every resend until a definite answer;
// the centre answers a repeated msgid (and a repeat for the same setl_id) without counting the fill
// twice. A refused write-off waits and is retried alone, like a refused 3505 row.
import { type ConfirmedSettlement, type WriteOffDraft, writeOffMessage } from '../../core/checkout/eprescription-writeoff';
import { EprescriptionWriteOffInput } from '../../core/centre/tx/eprescription';
import { describeIssues } from '../../core/centre/fields';
import {
  newReportRow, type ReportRow, type ReportRowEvent, reportTransition, type ReportRowState,
} from '../../core/sync/report-row';
import { statement, type Db } from '../db/open';
import { type CallResult, type ReportQueue } from './reporter';
import { type Pharmacist } from './store';

export interface StoredWriteOff {
  readonly id: number;
  readonly saleId: string;
  readonly settlementId: number;
  readonly hiRxno: string;
  readonly businessDate: string;
  readonly draft: WriteOffDraft;
  readonly entry: ReportRow;
  readonly pendingMsgid: string | null;
  readonly lastMsgid: string | null;
  readonly refundedAt: string | null;
  readonly operatorId: string;
  /** Held: OUR data is missing (the field it waits for); not retried on a timer, released when the setting changes or on the manager's 重试. */
  readonly heldFor: string | null;
  /** The confirmed settlement (null until the centre booked it). */
  readonly settlement: ConfirmedSettlement | null;
}

interface Row {
  id: number; sale_id: string; settlement_id: number; hi_rxno: string; business_date: string; draft_json: string; state: ReportRowState;
  sends: number; refusals: number; note: string; pending_msgid: string | null; last_msgid: string | null; next_attempt_at: number;
  refunded_at: string | null; held_for: string | null; operator_id: string; setl_id: string | null; output_json: string | null;
}

const SELECT = `SELECT w.*, sa.operator_id, s.centre_setl_id AS setl_id, s.centre_output_json AS output_json FROM eprescription_writeoff w
  JOIN settlement s ON s.id = w.settlement_id JOIN sale sa ON sa.id = w.sale_id`;

export class WriteOffStore {
  constructor(readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  /** Inside the settle transaction (a sale settled again after a refusal gets a new one; the refused attempt's was voided). */
  queue(saleId: string, settlementId: number, businessDate: string, draft: WriteOffDraft): void {
    const at = this.now().toISOString();
    const entry = newReportRow();
    const id = Number(statement(this.db, `INSERT INTO eprescription_writeoff (sale_id, settlement_id, hi_rxno, business_date, draft_json, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(saleId, settlementId, draft.hiRxno, businessDate, JSON.stringify(draft), entry.state, at, at).lastInsertRowid);
    this.log(id, 'new', entry.state, 'queued', `7206 for ${draft.hiRxno}`);
  }

  /** The centre refused the settlement, or it was withdrawn: nothing to write off. */
  void(saleId: string, reason: string): void {
    const row = statement(this.db, "SELECT id FROM eprescription_writeoff WHERE sale_id = ? AND state IN ('queued', 'rejected')").get(saleId) as { id: number } | undefined;
    if (row) this.voidRow(row.id, reason);
  }

  /**
   * Inside the refund's transaction (2103 confirmed). A write-off not sent yet is voided: the fill
   * never happened as far as the centre's e-prescription side knows. One already accepted stays
   * accepted and is marked refunded: no public source gives a 核销撤销 for this edition (see
   * docs/centre-and-sync.md), so nothing is sent and the manager sees it.
   */
  refunded(saleId: string): void {
    const row = statement(this.db, "SELECT id, state FROM eprescription_writeoff WHERE sale_id = ? AND state != 'void'").get(saleId) as { id: number; state: ReportRowState } | undefined;
    if (!row) return;
    statement(this.db, 'UPDATE eprescription_writeoff SET refunded_at = COALESCE(refunded_at, ?), updated_at = ? WHERE id = ?').run(this.now().toISOString(), this.now().toISOString(), row.id);
    if (row.state === 'queued' || row.state === 'rejected') this.voidRow(row.id, 'the sale was refunded before its write-off (7206) was sent');
    else this.log(row.id, row.state, row.state, 'refunded', 'refunded after the write-off was sent: no cancellation transaction is known for this edition, none sent');
  }

  bySale(saleId: string): StoredWriteOff | undefined {
    const row = statement(this.db, `${SELECT} WHERE w.sale_id = ? ORDER BY w.id DESC LIMIT 1`).get(saleId) as Row | undefined;
    return row && toStored(row);
  }

  list(filter: { date?: string; limit?: number } = {}): StoredWriteOff[] {
    return (statement(this.db, `${SELECT} WHERE (@date IS NULL OR w.business_date = @date) ORDER BY w.id LIMIT @limit`)
      .all({ date: filter.date ?? null, limit: filter.limit ?? 1000 }) as Row[]).map(toStored);
  }

  history(id: number): Array<{ at: string; from: string; to: string; event: string; detail: string }> {
    return statement(this.db, 'SELECT at, from_state AS "from", to_state AS "to", event, detail FROM eprescription_writeoff_log WHERE row_id = ? ORDER BY id').all(id) as Array<{ at: string; from: string; to: string; event: string; detail: string }>;
  }

  /**
   * The fills of a prescription this store's own sales hold: write-offs not voided and not refunded,
   * whether sent yet or not. The till counts max(this, the centre's reptd_cnt): a fill sold here a
   * moment ago counts before its 7206 has reached the centre.
   */
  localFills(hiRxno: string): number {
    return (statement(this.db, "SELECT count(*) AS n FROM eprescription_writeoff WHERE hi_rxno = ? AND state != 'void' AND refunded_at IS NULL").get(hiRxno) as { n: number }).n;
  }

  /** The manager's retry of refused write-offs. */
  retry(ids: readonly number[]): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const id of ids) {
        const row = statement(this.db, 'SELECT state, held_for FROM eprescription_writeoff WHERE id = ?').get(id) as { state: ReportRowState; held_for: string | null } | undefined;
        if (row?.held_for != null) { this.unhold(id, 'retried by the manager'); n++; } else if (row?.state === 'rejected') { this.apply(id, { type: 'retry' }); n++; }
      }
      return n;
    })();
  }

  /**
   * Held write-offs waiting for one of these fields (of this operator's sales, if named) go back to
   * the queue: the setting that fills them changed. Returns how many.
   */
  release(filter: { operatorId?: string; fields: readonly string[] }): number {
    return this.db.transaction(() => {
      const rows = statement(this.db, `SELECT w.id, w.held_for FROM eprescription_writeoff w JOIN sale sa ON sa.id = w.sale_id
        WHERE w.held_for IS NOT NULL AND (@op IS NULL OR sa.operator_id = @op)`).all({ op: filter.operatorId ?? null }) as Array<{ id: number; held_for: string }>;
      const hit = rows.filter((r) => r.held_for.split(',').some((f) => filter.fields.some((want) => f === want || f.endsWith(`.${want}`))));
      for (const r of hit) this.unhold(r.id, `released: the setting for ${r.held_for} changed`);
      return hit.length;
    })();
  }

  /** Our data is missing: the row waits, not on a timer, until its setting changes or the manager retries. */
  private hold(id: number, fields: string, message: string): void {
    this.db.transaction(() => {
      const row = statement(this.db, 'SELECT state FROM eprescription_writeoff WHERE id = ?').get(id) as { state: ReportRowState };
      if (row.state === 'sending') this.apply(id, { type: 'not_delivered', reason: 'not sent: our data is incomplete' });
      statement(this.db, 'UPDATE eprescription_writeoff SET held_for = ?, note = ?, updated_at = ? WHERE id = ?').run(fields.slice(0, 500), `held: waiting for local data (${fields}): ${message}`.slice(0, 1000), this.now().toISOString(), id);
      const state = (statement(this.db, 'SELECT state FROM eprescription_writeoff WHERE id = ?').get(id) as { state: ReportRowState }).state;
      this.log(id, state, 'held', 'held', `waiting for local data (${fields}): ${message}`);
    })();
  }

  private unhold(id: number, why: string): void {
    const row = statement(this.db, 'SELECT state FROM eprescription_writeoff WHERE id = ?').get(id) as { state: ReportRowState };
    statement(this.db, 'UPDATE eprescription_writeoff SET held_for = NULL, next_attempt_at = 0, updated_at = ? WHERE id = ?').run(this.now().toISOString(), id);
    this.log(id, 'held', row.state, 'released', why);
    if (row.state === 'rejected') this.apply(id, { type: 'retry' });
  }

  /** The reporter's view: one write-off per call, once its settlement is confirmed. */
  reportQueue(pharmacistOf: (operatorId: string) => Pharmacist | null): ReportQueue<StoredWriteOff> {
    return {
      name: '7206',
      batchSize: 1,
      due: (now, limit, maxRefusals) => {
        this.voidReversed();
        // The state IN term is the open-rows partial index's condition, so SQLite searches that index
        // instead of scanning every row ever queued (the rest of the WHERE alone does not imply it).
        return (statement(this.db, `${SELECT} JOIN settlement_outbox o ON o.settlement_id = w.settlement_id
          WHERE w.state IN ('queued', 'rejected', 'sending') AND (w.state = 'queued' OR (w.state = 'rejected' AND w.refusals < ?)) AND w.held_for IS NULL AND w.next_attempt_at <= ? AND o.state = 'confirmed'
          ORDER BY w.id LIMIT ?`).all(maxRefusals, now, limit) as Row[]).map(toStored);
      },
      nextWake: (maxRefusals) => (statement(this.db, `SELECT min(w.next_attempt_at) AS at FROM eprescription_writeoff w JOIN settlement_outbox o ON o.settlement_id = w.settlement_id
        WHERE (w.state = 'queued' OR (w.state = 'rejected' AND w.refusals < ?)) AND w.held_for IS NULL AND o.state = 'confirmed'`).get(maxRefusals) as { at: number | null }).at,
      recoverInFlight: () => this.recoverInFlight(),
      payload: (row) => {
        if (!row.settlement) return { error: '结算尚未确认' };
        const built = writeOffMessage(row.draft, row.settlement, pharmacistOf(row.operatorId));
        if ('error' in built) {
          return built.error === 'no_pharmacist'
            ? { error: `操作员 ${row.operatorId} 没有设置执业药师（姓名、执业资格证号）：请店长在操作员设置中填写后重试`, missing: 'pharmacist' }
            : { error: '这笔销售没有可核销的医保目录药品' };
        }
        const parsed = EprescriptionWriteOffInput.safeParse(built.message);
        if (!parsed.success) {
          return { error: `本地校验失败：${describeIssues(parsed.error)}`, missing: [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(',') };
        }
        return { payload: built.message };
      },
      message: (_rows, payloads) => ({ infno: '7206', input: payloads[0] }),
      // Not keyed by a row serial at the centre: a resend goes under the persisted msgid.
      msgidFor: (rows, allocate) => rows[0]!.pendingMsgid ?? allocate(),
      startCall: (msgid, infno, ids) => this.startCall(msgid, infno, ids),
      finishCall: (_msgid, outcome, results) => this.finishCall(outcome, results),
      hold: (id, fields, message) => this.hold(id, fields, message),
    };
  }

  private voidReversed(): void {
    // The state IN term is the open-rows partial index's condition, so SQLite searches that index
    // instead of scanning every row ever queued (the rest of the WHERE alone does not imply it).
    const ids = statement(this.db, `SELECT w.id FROM eprescription_writeoff w JOIN settlement_outbox o ON o.settlement_id = w.settlement_id
      WHERE w.state IN ('queued', 'rejected', 'sending') AND w.state IN ('queued', 'rejected') AND o.state = 'reversed'`).all() as Array<{ id: number }>;
    for (const { id } of ids) this.voidRow(id, 'the settlement was reversed or withdrawn: nothing was dispensed under insurance');
  }

  /** Voided: nothing to write off (and nothing held any more). */
  private voidRow(id: number, reason: string): void {
    this.db.transaction(() => {
      statement(this.db, 'UPDATE eprescription_writeoff SET held_for = NULL WHERE id = ?').run(id);
      this.apply(id, { type: 'voided', reason });
    })();
  }

  private startCall(msgid: string, infno: string, ids: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of ids) {
        this.apply(id, { type: 'send_started' }, { lastMsgid: msgid }, `msgid ${msgid}`);
        if (infno !== 'local') statement(this.db, 'UPDATE eprescription_writeoff SET pending_msgid = ? WHERE id = ?').run(msgid, id);
      }
    }).immediate();
  }

  private finishCall(outcome: string, results: readonly CallResult[]): void {
    this.db.transaction(() => {
      for (const r of results) {
        this.apply(r.id, r.event, { nextAttemptAt: r.nextAttemptAt ?? 0 }, outcome);
        // A definite answer ends the message: a later retry is a new message.
        if (r.event.type === 'accepted' || r.event.type === 'refused') statement(this.db, 'UPDATE eprescription_writeoff SET pending_msgid = NULL WHERE id = ?').run(r.id);
      }
    }).immediate();
  }

  private recoverInFlight(): number {
    return this.db.transaction(() => {
      const ids = statement(this.db, "SELECT id FROM eprescription_writeoff WHERE state = 'sending'").all() as Array<{ id: number }>;
      for (const { id } of ids) this.apply(id, { type: 'crash_recovered' });
      return ids.length;
    }).immediate();
  }

  private apply(id: number, event: ReportRowEvent, options: { nextAttemptAt?: number; lastMsgid?: string } = {}, detail = ''): ReportRow {
    return this.db.transaction(() => {
      const row = statement(this.db, 'SELECT state, sends, refusals, note FROM eprescription_writeoff WHERE id = ?').get(id) as { state: ReportRowState; sends: number; refusals: number; note: string } | undefined;
      if (!row) throw new Error(`write-off ${id} does not exist`);
      const before: ReportRow = { state: row.state, sends: row.sends, refusals: row.refusals, note: row.note };
      const after = reportTransition(before, event);
      statement(this.db, 'UPDATE eprescription_writeoff SET state = ?, sends = ?, refusals = ?, note = ?, next_attempt_at = ?, last_msgid = COALESCE(?, last_msgid), updated_at = ? WHERE id = ?')
        .run(after.state, after.sends, after.refusals, after.note.slice(0, 1000), options.nextAttemptAt ?? 0, options.lastMsgid ?? null, this.now().toISOString(), id);
      const why = 'message' in event ? event.message : 'reason' in event ? event.reason : detail;
      this.log(id, before.state, after.state, event.type, why);
      return after;
    })();
  }

  private log(id: number, from: string, to: string, event: string, detail: string): void {
    statement(this.db, 'INSERT INTO eprescription_writeoff_log (row_id, at, from_state, to_state, event, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, this.now().toISOString(), from, to, event, detail.slice(0, 1000));
  }
}

function toStored(r: Row): StoredWriteOff {
  let settlement: ConfirmedSettlement | null = null;
  if (r.setl_id !== null && r.output_json !== null) {
    const info = (JSON.parse(r.output_json) as { setlinfo: Record<string, string> }).setlinfo;
    settlement = {
      setlId: r.setl_id, setlTime: info.setl_time ?? '', fund: info.fund_pay_sumamt ?? '0.00', personalPart: info.psn_part_amt ?? '0.00',
      account: info.acct_pay ?? '0.00', cash: info.psn_cash_pay ?? '0.00',
    };
  }
  return {
    id: r.id, saleId: r.sale_id, settlementId: r.settlement_id, hiRxno: r.hi_rxno, businessDate: r.business_date,
    draft: JSON.parse(r.draft_json) as WriteOffDraft, entry: { state: r.state, sends: r.sends, refusals: r.refusals, note: r.note },
    pendingMsgid: r.pending_msgid, lastMsgid: r.last_msgid, refundedAt: r.refunded_at, operatorId: r.operator_id, heldFor: r.held_for, settlement,
  };
}
