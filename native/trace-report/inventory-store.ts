// The inventory-upload store: 3501–3504/3507 movements in the terminal's store.db, under the POS's
// key, and the queue the shared reporter (native/trace-report/reporter.ts) drains.
//
//   const uploads = new InventoryUploadStore(db);
//   uploads.submit([{ key, infno, row, bchno }], 'pos', operatorId)  // all or nothing; a repeat returns the first record
//   reporter = new SalesReporter({ …, queues: [uploads.queue()] })
//   uploads.day('2026-12-02')  // the manager's 进销存上传 view
//
// Exactly once: the row's batch serial (fixmedins_bchno) is the stock batch, not the upload, so the
// platform cannot tell a resend from a new movement by it. The msgid is persisted on the row before
// the first send and reused for every resend until a definite answer (accepted or refused); the
// platform answers a repeated msgid without storing the row twice.
import { createHash } from 'node:crypto';
import { INVENTORY_KINDS, type InventoryInfno } from '../../core/centre/tx/stock';
import { formatDay } from '../../core/centre/time';
import { canonicalRow, movementDay, type ValidMovement } from '../../core/trace/inventory-movement';
import {
  newReportRow, type ReportRow, type ReportRowEvent, reportTransition, REPORT_ROW_STATES, type ReportRowState,
} from '../../core/sync/report-row';
import { statement, type Db } from '../db/open';
import { type CallResult, type ReportQueue } from './reporter';

export interface StoredUpload {
  readonly id: number;
  readonly key: string;
  readonly infno: InventoryInfno;
  readonly bchno: string;
  readonly businessDate: string;
  readonly row: Record<string, unknown>;
  readonly origin: 'pos' | 'import';
  readonly operatorId: string;
  readonly targetId: number | null;
  readonly entry: ReportRow;
  readonly pendingMsgid: string | null;
  readonly lastMsgid: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface Row {
  id: number; pos_key: string; infno: InventoryInfno; bchno: string; business_date: string; row_json: string; row_hash: string;
  origin: 'pos' | 'import'; operator_id: string; target_id: number | null; state: ReportRowState; sends: number; refusals: number;
  note: string; pending_msgid: string | null; last_msgid: string | null; next_attempt_at: number; created_at: string; updated_at: string;
}

/** The same key was used before for another movement. */
export class UploadKeyConflict extends Error {
  constructor(readonly key: string, readonly index: number) {
    super(`key ${key} was already used for a different movement; a repeat must carry the same content`);
  }
}

export interface InventoryDay {
  readonly date: string;
  readonly rows: Record<ReportRowState, number>;
  readonly byInfno: Record<string, Record<ReportRowState, number>>;
  /** True only when every upload of the day is accepted (or void). */
  readonly complete: boolean;
}

const hash = (row: Record<string, unknown>): string => createHash('sha256').update(canonicalRow(row)).digest('hex');
const emptyCounts = (): Record<ReportRowState, number> => Object.fromEntries(REPORT_ROW_STATES.map((s) => [s, 0])) as Record<ReportRowState, number>;

export class InventoryUploadStore {
  constructor(readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  /**
   * Stores movements in one transaction: all of them or none. A movement whose key is known with
   * the same content is answered with the stored record (`created: false`); the same key with other
   * content throws UploadKeyConflict naming its index, and nothing of the call is stored.
   */
  submit(movements: readonly ValidMovement[], origin: 'pos' | 'import', operatorId: string): Array<{ upload: StoredUpload; created: boolean }> {
    const today = formatDay(this.now());
    const at = this.now().toISOString();
    return this.db.transaction(() => {
      const out: Array<{ upload: StoredUpload; created: boolean }> = [];
      const seen = new Map<string, string>();
      movements.forEach((m, index) => {
        const h = hash({ infno: m.infno, ...m.row });
        const existing = statement(this.db, 'SELECT * FROM inventory_upload WHERE pos_key = ?').get(m.key) as Row | undefined;
        if (existing || seen.has(m.key)) {
          if ((existing?.row_hash ?? seen.get(m.key)) !== h) throw new UploadKeyConflict(m.key, index);
          if (existing) out.push({ upload: toStored(existing), created: false });
          return;
        }
        seen.set(m.key, h);
        const target = m.infno === '3507' ? this.deletionTarget(m.row) : null;
        const entry = newReportRow();
        const id = Number(statement(this.db, `INSERT INTO inventory_upload (pos_key, infno, bchno, business_date, row_json, row_hash, origin, operator_id, target_id, state, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(m.key, m.infno, m.bchno, movementDay(m.infno, m.row, today), JSON.stringify(m.row), h, origin, operatorId, target, entry.state, at, at).lastInsertRowid);
        this.log(id, 'new', entry.state, 'queued', origin);
        out.push({ upload: this.get(id)!, created: true });
      });
      return out;
    }).immediate();
  }

  /** The newest upload of ours that a 3507 row deletes (same batch serial and data type), if any. */
  private deletionTarget(row: Record<string, unknown>): number | null {
    const type = String(row.inv_data_type);
    const infnos = (Object.entries(INVENTORY_KINDS) as Array<[InventoryInfno, { dataType: string | null }]>).filter(([, k]) => k.dataType === type).map(([i]) => i);
    if (infnos.length === 0) return null;
    const found = this.db.prepare(`SELECT id FROM inventory_upload WHERE bchno = ? AND infno IN (${infnos.map(() => '?').join(', ')}) AND state != 'void' ORDER BY id DESC LIMIT 1`)
      .get(String(row.fixmedins_bchno), ...infnos) as { id: number } | undefined;
    return found?.id ?? null;
  }

  get(id: number): StoredUpload | undefined {
    const row = statement(this.db, 'SELECT * FROM inventory_upload WHERE id = ?').get(id) as Row | undefined;
    return row && toStored(row);
  }

  byKey(key: string): StoredUpload | undefined {
    const row = statement(this.db, 'SELECT * FROM inventory_upload WHERE pos_key = ?').get(key) as Row | undefined;
    return row && toStored(row);
  }

  list(filter: { date?: string; state?: ReportRowState; limit?: number }): StoredUpload[] {
    return (statement(this.db, `SELECT * FROM inventory_upload WHERE (@date IS NULL OR business_date = @date) AND (@state IS NULL OR state = @state) ORDER BY id LIMIT @limit`)
      .all({ date: filter.date ?? null, state: filter.state ?? null, limit: filter.limit ?? 1000 }) as Row[]).map(toStored);
  }

  day(date: string): InventoryDay {
    const rows = emptyCounts();
    const byInfno: Record<string, Record<ReportRowState, number>> = {};
    for (const r of statement(this.db, 'SELECT infno, state, count(*) AS n FROM inventory_upload WHERE business_date = ? GROUP BY infno, state').all(date) as Array<{ infno: string; state: ReportRowState; n: number }>) {
      rows[r.state] += r.n;
      (byInfno[r.infno] ??= emptyCounts())[r.state] += r.n;
    }
    return { date, rows, byInfno, complete: rows.queued === 0 && rows.sending === 0 && rows.rejected === 0 };
  }

  history(id: number): Array<{ at: string; from: string; to: string; event: string; detail: string }> {
    return statement(this.db, 'SELECT at, from_state AS "from", to_state AS "to", event, detail FROM inventory_upload_log WHERE row_id = ? ORDER BY id').all(id) as Array<{ at: string; from: string; to: string; event: string; detail: string }>;
  }

  /** The manager's retry of refused uploads. */
  retry(ids: readonly number[]): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const id of ids) if (this.get(id)?.entry.state === 'rejected') { this.apply(id, { type: 'retry' }); n++; }
      return n;
    })();
  }

  /** The reporter's view of this store: one row per call, oldest first; a deletion waits for what it deletes. */
  queue(): ReportQueue<StoredUpload> {
    return {
      name: 'inventory',
      batchSize: 1,
      // The state IN term is the open-rows partial index's condition, so SQLite searches that index
      // instead of scanning every row ever queued (the rest of the WHERE alone does not imply it).
      due: (now, limit, maxRefusals) => (statement(this.db, `SELECT u.* FROM inventory_upload u LEFT JOIN inventory_upload t ON t.id = u.target_id
        WHERE u.state IN ('queued', 'rejected', 'sending') AND (u.state = 'queued' OR (u.state = 'rejected' AND u.refusals < ?)) AND u.next_attempt_at <= ?
          AND (t.id IS NULL OR t.state IN ('accepted', 'void'))
        ORDER BY u.id LIMIT ?`).all(maxRefusals, now, limit) as Row[]).map(toStored),
      nextWake: (maxRefusals) => (statement(this.db, "SELECT min(next_attempt_at) AS at FROM inventory_upload WHERE state = 'queued' OR (state = 'rejected' AND refusals < ?)").get(maxRefusals) as { at: number | null }).at,
      recoverInFlight: () => this.recoverInFlight(),
      payload: (row) => ({ payload: row.row }),
      message: (rows, payloads) => ({ infno: rows[0]!.infno, input: { [INVENTORY_KINDS[rows[0]!.infno].node]: payloads[0] } }),
      msgidFor: (rows, allocate) => rows[0]!.pendingMsgid ?? allocate(),
      startCall: (msgid, infno, ids) => this.startCall(msgid, infno, ids),
      finishCall: (msgid, outcome, results) => this.finishCall(msgid, outcome, results),
    };
  }

  private startCall(msgid: string, infno: string, ids: readonly number[]): void {
    this.db.transaction(() => {
      statement(this.db, 'INSERT INTO inventory_upload_call (msgid, infno, rows, sent_at) VALUES (?, ?, ?, ?)').run(msgid, infno, ids.length, this.now().toISOString());
      for (const id of ids) {
        this.apply(id, { type: 'send_started' }, { lastMsgid: msgid });
        if (infno !== 'local') statement(this.db, 'UPDATE inventory_upload SET pending_msgid = ? WHERE id = ?').run(msgid, id);
      }
    }).immediate();
  }

  private finishCall(msgid: string, outcome: string, results: readonly CallResult[]): void {
    this.db.transaction(() => {
      statement(this.db, 'UPDATE inventory_upload_call SET outcome = ? WHERE id = (SELECT max(id) FROM inventory_upload_call WHERE msgid = ?)').run(outcome.slice(0, 500), msgid);
      for (const r of results) {
        this.apply(r.id, r.event, { nextAttemptAt: r.nextAttemptAt ?? 0 });
        // A definite answer ends the message: a later retry is a new message.
        if (r.event.type === 'accepted' || r.event.type === 'refused') statement(this.db, 'UPDATE inventory_upload SET pending_msgid = NULL WHERE id = ?').run(r.id);
      }
    }).immediate();
  }

  private recoverInFlight(): number {
    return this.db.transaction(() => {
      const ids = statement(this.db, "SELECT id FROM inventory_upload WHERE state = 'sending'").all() as Array<{ id: number }>;
      for (const { id } of ids) this.apply(id, { type: 'crash_recovered' });
      return ids.length;
    }).immediate();
  }

  private apply(id: number, event: ReportRowEvent, options: { nextAttemptAt?: number; lastMsgid?: string } = {}): ReportRow {
    return this.db.transaction(() => {
      const row = statement(this.db, 'SELECT state, sends, refusals, note FROM inventory_upload WHERE id = ?').get(id) as { state: ReportRowState; sends: number; refusals: number; note: string } | undefined;
      if (!row) throw new Error(`inventory upload ${id} does not exist`);
      const before: ReportRow = { state: row.state, sends: row.sends, refusals: row.refusals, note: row.note };
      const after = reportTransition(before, event);
      statement(this.db, 'UPDATE inventory_upload SET state = ?, sends = ?, refusals = ?, note = ?, next_attempt_at = ?, last_msgid = COALESCE(?, last_msgid), updated_at = ? WHERE id = ?')
        .run(after.state, after.sends, after.refusals, after.note.slice(0, 1000), options.nextAttemptAt ?? 0, options.lastMsgid ?? null, this.now().toISOString(), id);
      this.log(id, before.state, after.state, event.type, 'message' in event ? event.message : 'reason' in event ? event.reason : '');
      return after;
    })();
  }

  private log(id: number, from: string, to: string, event: string, detail: string): void {
    statement(this.db, 'INSERT INTO inventory_upload_log (row_id, at, from_state, to_state, event, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, this.now().toISOString(), from, to, event, detail.slice(0, 1000));
  }
}

function toStored(r: Row): StoredUpload {
  return {
    id: r.id, key: r.pos_key, infno: r.infno, bchno: r.bchno, businessDate: r.business_date, row: JSON.parse(r.row_json) as Record<string, unknown>,
    origin: r.origin, operatorId: r.operator_id, targetId: r.target_id,
    entry: { state: r.state, sends: r.sends, refusals: r.refusals, note: r.note },
    pendingMsgid: r.pending_msgid, lastMsgid: r.last_msgid, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
