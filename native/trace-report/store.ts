// The sales-report store: 3505/3506 rows in the terminal's store.db, their states and their codes.
//
//   const reports = new SalesReportStore(db);
//   reports.queueSale(...)      // inside the settle transaction: the rows wait for the settlement's confirmation
//   reports.queueReturn(...)    // inside the refund's transaction: frees the codes, rows wait for the sale rows
//   reports.due('sale', now, n) // what the reporter sends next (only rows whose settlement is confirmed)
//   reports.apply(id, event)    // every transition persisted and logged
//   reports.day('2026-12-02')   // the manager's 进销存上传 view
import { statement, type Db } from '../db/open';
import { type SalesReturnRowDraft, type SalesRowDraft } from '../../core/centre/tx/inventory';
import { type BuiltRow } from '../../core/trace/sales-rows';
import {
  newReportRow, type ReportRow, type ReportRowEvent, reportTransition, REPORT_ROW_STATES, type ReportRowState,
} from '../../core/sync/report-row';

export type ReportKind = 'sale' | 'return';

export interface StoredReportRow {
  readonly id: number;
  readonly saleId: string;
  readonly settlementId: number;
  readonly kind: ReportKind;
  readonly bchno: string;
  readonly businessDate: string;
  readonly row: SalesRowDraft | SalesReturnRowDraft;
  readonly codes: number;
  readonly entry: ReportRow;
  readonly lastMsgid: string | null;
  readonly nextAttemptAt: number;
  readonly updatedAt: string;
  /** The settlement's booked setl_id once confirmed (null before). */
  readonly setlId: string | null;
  readonly operatorId: string;
}

interface Row {
  id: number; sale_id: string; settlement_id: number; kind: ReportKind; bchno: string; business_date: string; row_json: string; codes: number;
  state: ReportRowState; sends: number; refusals: number; note: string; last_msgid: string | null; next_attempt_at: number; updated_at: string;
  setl_id: string | null; operator_id: string;
}

const SELECT = `SELECT r.*, s.centre_setl_id AS setl_id, sa.operator_id FROM sales_report_row r
  JOIN settlement s ON s.id = r.settlement_id JOIN sale sa ON sa.id = r.sale_id`;

export class SaleNotSettledError extends Error {}

export interface DayReport {
  readonly date: string;
  readonly rows: Record<ReportRowState, number>;
  readonly boxes: { readonly reported: number; readonly waiting: number; readonly rejected: number };
  /** True only when every row of the day is accepted (or void): nothing waits, nothing was refused. */
  readonly complete: boolean;
}

export class SalesReportStore {
  constructor(readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  /** In the settle transaction: the sale's 3505 rows, waiting for its settlement to be confirmed. */
  queueSale(saleId: string, settlementId: number, businessDate: string, rows: ReadonlyArray<BuiltRow<SalesRowDraft>>): void {
    if (!statement(this.db, 'SELECT 1 FROM settlement WHERE id = ?').get(settlementId)) throw new SaleNotSettledError(`sale ${saleId}: settlement ${settlementId} does not exist; a sale is reported only after it was settled`);
    this.insert('sale', saleId, settlementId, businessDate, rows);
  }

  /**
   * In the refund's transaction (after 2103 was confirmed): one 3506 row per sale row, and the sale's
   * whole-box codes become sellable again. Rows of a sale never reported (voided) need no return.
   */
  queueReturn(saleId: string, rows: (sold: Array<BuiltRow<SalesRowDraft>>) => Array<BuiltRow<SalesReturnRowDraft>>): number {
    return this.db.transaction(() => {
      // A refund confirmed twice (the POS's retry racing start-up recovery) queues its return once.
      if (statement(this.db, "SELECT 1 FROM sales_report_row WHERE sale_id = ? AND kind = 'return'").get(saleId)) return 0;
      const sold = statement(this.db, "SELECT * FROM sales_report_row WHERE sale_id = ? AND kind = 'sale' AND state != 'void' ORDER BY id").all(saleId) as Row[];
      const at = this.now().toISOString();
      const codes = statement(this.db, 'SELECT code FROM trace_code WHERE sale_id = ? AND split = 0').all(saleId) as Array<{ code: string }>;
      for (const { code } of codes) statement(this.db, 'INSERT INTO trace_code_return (code, sale_id, returned_at) VALUES (?, ?, ?)').run(code, saleId, at);
      statement(this.db, 'DELETE FROM trace_code WHERE sale_id = ? AND split = 0').run(saleId);
      if (sold.length === 0) return 0;
      const built = sold.map((r) => {
        const row = JSON.parse(r.row_json) as SalesRowDraft;
        const line = Number(r.bchno.slice(r.bchno.lastIndexOf('-') + 1));
        return { line, bchno: r.bchno, codes: (row.drugtracinfo ?? []).map((c) => String(c.drug_trac_codg)), row };
      });
      this.insert('return', saleId, sold[0]!.settlement_id, sold[0]!.business_date, rows(built));
      return sold.length;
    })();
  }

  /** A sale the centre refused at once (online): its rows will never be reported. */
  voidSale(saleId: string, reason: string): void {
    this.db.transaction(() => {
      for (const r of statement(this.db, "SELECT id FROM sales_report_row WHERE sale_id = ? AND state IN ('queued', 'rejected')").all(saleId) as Array<{ id: number }>) {
        this.apply(r.id, { type: 'voided', reason });
      }
    })();
  }

  private insert(kind: ReportKind, saleId: string, settlementId: number, businessDate: string, rows: ReadonlyArray<BuiltRow<SalesRowDraft | SalesReturnRowDraft>>): void {
    const at = this.now().toISOString();
    const entry = newReportRow();
    const insertRow = statement(this.db, `INSERT INTO sales_report_row (sale_id, settlement_id, kind, bchno, business_date, row_json, codes, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertCode = statement(this.db, 'INSERT INTO sales_report_code (row_id, code) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const r of rows) {
        const id = Number(insertRow.run(saleId, settlementId, kind, r.bchno, businessDate, JSON.stringify(r.row), r.codes.length, entry.state, at, at).lastInsertRowid);
        for (const c of new Set(r.codes)) insertCode.run(id, c);
        this.log(id, 'new', entry.state, 'queued', '');
      }
    })();
  }

  get(id: number): StoredReportRow | undefined {
    const row = statement(this.db, `${SELECT} WHERE r.id = ?`).get(id) as Row | undefined;
    return row && toStored(row);
  }

  /**
   * Rows to send now, oldest first: sale rows whose settlement the centre confirmed; return rows
   * whose sale rows were all accepted. Refused rows come back alone after their wait, up to
   * `maxRefusals` automatic retries. Rows of a reversed settlement are voided on the way.
   */
  due(kind: ReportKind, nowMs: number, limit: number, maxRefusals: number): StoredReportRow[] {
    this.voidReversed();
    // The state IN term is the open-rows partial index's condition, so SQLite searches that index
    // instead of scanning every row ever queued (the rest of the WHERE alone does not imply it).
    const rows = statement(this.db, `${SELECT} JOIN settlement_outbox o ON o.settlement_id = r.settlement_id
      WHERE r.kind = ? AND r.state IN ('queued', 'rejected', 'sending') AND (r.state = 'queued' OR (r.state = 'rejected' AND r.refusals < ?)) AND r.next_attempt_at <= ? AND o.state = 'confirmed'
        AND (r.kind = 'sale' OR NOT EXISTS (SELECT 1 FROM sales_report_row x WHERE x.sale_id = r.sale_id AND x.kind = 'sale' AND x.state NOT IN ('accepted', 'void')))
      ORDER BY r.id LIMIT ?`).all(kind, maxRefusals, nowMs, limit) as Row[];
    return rows.map(toStored);
  }

  /** When the earliest waiting row becomes due (epoch ms), or null when nothing can be sent. */
  nextWake(maxRefusals: number): number | null {
    const row = statement(this.db, `SELECT min(r.next_attempt_at) AS at FROM sales_report_row r JOIN settlement_outbox o ON o.settlement_id = r.settlement_id
      WHERE (r.state = 'queued' OR (r.state = 'rejected' AND r.refusals < ?)) AND o.state = 'confirmed'`).get(maxRefusals) as { at: number | null };
    return row.at;
  }

  private voidReversed(): void {
    // The state IN term is the open-rows partial index's condition, so SQLite searches that index
    // instead of scanning every row ever queued (the rest of the WHERE alone does not imply it).
    const ids = statement(this.db, `SELECT r.id FROM sales_report_row r JOIN settlement_outbox o ON o.settlement_id = r.settlement_id
      WHERE r.state IN ('queued', 'rejected', 'sending') AND r.state IN ('queued', 'rejected') AND o.state = 'reversed'`).all() as Array<{ id: number }>;
    if (ids.length === 0) return;
    this.db.transaction(() => { for (const { id } of ids) this.apply(id, { type: 'voided', reason: 'the settlement was reversed or withdrawn: nothing was sold under insurance' }); })();
  }

  /** Persists the call's msgid and moves its rows to `sending`, in one transaction, before anything is sent. */
  startCall(msgid: string, infno: string, ids: readonly number[]): void {
    this.db.transaction(() => {
      statement(this.db, 'INSERT INTO sales_report_call (msgid, infno, rows, sent_at) VALUES (?, ?, ?, ?)').run(msgid, infno, ids.length, this.now().toISOString());
      for (const id of ids) this.apply(id, { type: 'send_started' }, { lastMsgid: msgid });
    }).immediate();
  }

  /** The call's results, in one transaction. */
  finishCall(msgid: string, outcome: string, results: ReadonlyArray<{ id: number; event: ReportRowEvent; nextAttemptAt?: number }>): void {
    this.db.transaction(() => {
      statement(this.db, 'UPDATE sales_report_call SET outcome = ? WHERE msgid = ?').run(outcome.slice(0, 500), msgid);
      for (const r of results) this.apply(r.id, r.event, { nextAttemptAt: r.nextAttemptAt ?? 0 });
    }).immediate();
  }

  apply(id: number, event: ReportRowEvent, options: { nextAttemptAt?: number; lastMsgid?: string } = {}): ReportRow {
    return this.db.transaction(() => {
      const row = statement(this.db, 'SELECT state, sends, refusals, note FROM sales_report_row WHERE id = ?').get(id) as { state: ReportRowState; sends: number; refusals: number; note: string } | undefined;
      if (!row) throw new Error(`report row ${id} does not exist`);
      const before: ReportRow = { state: row.state, sends: row.sends, refusals: row.refusals, note: row.note };
      const after = reportTransition(before, event);
      statement(this.db, `UPDATE sales_report_row SET state = ?, sends = ?, refusals = ?, note = ?, next_attempt_at = ?, last_msgid = COALESCE(?, last_msgid), updated_at = ? WHERE id = ?`)
        .run(after.state, after.sends, after.refusals, after.note.slice(0, 1000), options.nextAttemptAt ?? 0, options.lastMsgid ?? null, this.now().toISOString(), id);
      this.log(id, before.state, after.state, event.type, 'message' in event ? event.message : 'reason' in event ? event.reason : '');
      return after;
    })();
  }

  /** Start-up: rows a dead process left in `sending` are sent again (same key, same content). */
  recoverInFlight(): number {
    return this.db.transaction(() => {
      const ids = statement(this.db, "SELECT id FROM sales_report_row WHERE state = 'sending'").all() as Array<{ id: number }>;
      for (const { id } of ids) this.apply(id, { type: 'crash_recovered' });
      return ids.length;
    }).immediate();
  }

  /** The manager's retry of refused rows (all of a day, or the named ones). */
  retry(ids: readonly number[]): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const id of ids) {
        const r = this.get(id);
        if (r?.entry.state === 'rejected') { this.apply(id, { type: 'retry' }); n++; }
      }
      return n;
    })();
  }

  /**
   * Refused rows whose refusal note mentions `noteContains` (of this operator's sales, if named) go
   * back to the queue: the setting that blocked them changed. Returns how many.
   */
  retryRefused(filter: { noteContains: string; operatorId?: string }): number {
    const ids = (statement(this.db, `SELECT r.id FROM sales_report_row r JOIN sale sa ON sa.id = r.sale_id
      WHERE r.state = 'rejected' AND instr(r.note, @note) > 0 AND (@op IS NULL OR sa.operator_id = @op) ORDER BY r.id`)
      .all({ note: filter.noteContains, op: filter.operatorId ?? null }) as Array<{ id: number }>).map((r) => r.id);
    return this.retry(ids);
  }

  counts(): Record<ReportRowState, number> {
    const counts = Object.fromEntries(REPORT_ROW_STATES.map((s) => [s, 0])) as Record<ReportRowState, number>;
    for (const r of statement(this.db, 'SELECT state, count(*) AS n FROM sales_report_row GROUP BY state').all() as Array<{ state: ReportRowState; n: number }>) counts[r.state] = r.n;
    return counts;
  }

  day(date: string): DayReport {
    const rows = Object.fromEntries(REPORT_ROW_STATES.map((s) => [s, 0])) as Record<ReportRowState, number>;
    const boxes = { reported: 0, waiting: 0, rejected: 0 };
    for (const r of statement(this.db, "SELECT state, count(*) AS n, sum(codes) AS codes FROM sales_report_row WHERE business_date = ? AND kind = 'sale' GROUP BY state").all(date) as Array<{ state: ReportRowState; n: number; codes: number }>) {
      rows[r.state] += r.n;
      if (r.state === 'accepted') boxes.reported += r.codes;
      else if (r.state === 'rejected') boxes.rejected += r.codes;
      else if (r.state !== 'void') boxes.waiting += r.codes;
    }
    for (const r of statement(this.db, "SELECT state, count(*) AS n FROM sales_report_row WHERE business_date = ? AND kind = 'return' GROUP BY state").all(date) as Array<{ state: ReportRowState; n: number }>) rows[r.state] += r.n;
    return { date, rows, boxes, complete: rows.queued === 0 && rows.sending === 0 && rows.rejected === 0 };
  }

  list(filter: { date?: string; state?: ReportRowState; saleId?: string; limit?: number }): StoredReportRow[] {
    const rows = statement(this.db, `${SELECT} WHERE (@date IS NULL OR r.business_date = @date) AND (@state IS NULL OR r.state = @state) AND (@sale IS NULL OR r.sale_id = @sale)
      ORDER BY r.id LIMIT @limit`).all({ date: filter.date ?? null, state: filter.state ?? null, sale: filter.saleId ?? null, limit: filter.limit ?? 1000 }) as Row[];
    return rows.map(toStored);
  }

  history(id: number): Array<{ at: string; from: string; to: string; event: string; detail: string }> {
    return statement(this.db, 'SELECT at, from_state AS "from", to_state AS "to", event, detail FROM sales_report_log WHERE row_id = ? ORDER BY id').all(id) as Array<{ at: string; from: string; to: string; event: string; detail: string }>;
  }

  /** The store-wide state of one code: sold / 拆零 open / returned, and how its report went. */
  codeState(code: string): { code: string; state: 'unknown' | 'sold' | 'split_open' | 'returned'; saleId: string | null; report: 'none' | 'waiting' | 'reported' | 'rejected'; returnedAt: string | null } {
    const sold = statement(this.db, 'SELECT sale_id, split FROM trace_code WHERE code = ?').get(code) as { sale_id: string; split: number } | undefined;
    const returned = statement(this.db, 'SELECT sale_id, returned_at FROM trace_code_return WHERE code = ? ORDER BY id DESC LIMIT 1').get(code) as { sale_id: string; returned_at: string } | undefined;
    const report = statement(this.db, `SELECT r.state FROM sales_report_code c JOIN sales_report_row r ON r.id = c.row_id
      WHERE c.code = ? AND r.kind = 'sale' AND r.state != 'void' ORDER BY r.id DESC LIMIT 1`).get(code) as { state: ReportRowState } | undefined;
    const reportState = !report ? 'none' : report.state === 'accepted' ? 'reported' : report.state === 'rejected' ? 'rejected' : 'waiting';
    if (sold) return { code, state: sold.split === 1 ? 'split_open' : 'sold', saleId: sold.sale_id, report: reportState, returnedAt: null };
    if (returned) return { code, state: 'returned', saleId: returned.sale_id, report: reportState, returnedAt: returned.returned_at };
    return { code, state: 'unknown', saleId: null, report: 'none', returnedAt: null };
  }

  // ── the pharmacist per operator ──────────────────────────────────────────────
  /** The operator's 执业药师, with the ID (证件类型/号码) when set. The ID number is personal data: callers mask it outside the manager's setting. */
  pharmacistOf(operatorId: string): Pharmacist | null {
    const row = statement(this.db, 'SELECT pharmacist_name, cert_no, id_cert_type, id_cert_no FROM operator_pharmacist WHERE operator_id = ?').get(operatorId) as PharmacistRow | undefined;
    return row ? toPharmacist(row) : null;
  }

  /** Every operator with a pharmacist setting, in operator order. */
  pharmacists(): Array<Pharmacist & { operatorId: string }> {
    return (statement(this.db, 'SELECT operator_id, pharmacist_name, cert_no, id_cert_type, id_cert_no FROM operator_pharmacist ORDER BY operator_id').all() as Array<PharmacistRow & { operator_id: string }>)
      .map((r) => ({ operatorId: r.operator_id, ...toPharmacist(r) }));
  }

  setPharmacist(operatorId: string, pharmacist: Pharmacist | null): void {
    this.db.transaction(() => {
      if (pharmacist === null) {
        statement(this.db, 'UPDATE eprescription_recheck SET operator_id = NULL, updated_at = ? WHERE operator_id = ?').run(this.now().toISOString(), operatorId);
        statement(this.db, 'DELETE FROM operator_pharmacist WHERE operator_id = ?').run(operatorId);
        return;
      }
      statement(this.db, `INSERT INTO operator_pharmacist (operator_id, pharmacist_name, cert_no, id_cert_type, id_cert_no, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (operator_id) DO UPDATE SET pharmacist_name = excluded.pharmacist_name, cert_no = excluded.cert_no,
          id_cert_type = excluded.id_cert_type, id_cert_no = excluded.id_cert_no, updated_at = excluded.updated_at`)
        .run(operatorId, pharmacist.name, pharmacist.certNo, pharmacist.idType ?? '', pharmacist.idNo ?? '', this.now().toISOString());
    })();
  }

  /** The store's default 复核药师 (an operator with a pharmacist setting), or null. */
  recheckPharmacist(): string | null {
    const row = statement(this.db, 'SELECT operator_id FROM eprescription_recheck WHERE id = 1').get() as { operator_id: string | null } | undefined;
    return row?.operator_id ?? null;
  }

  setRecheckPharmacist(operatorId: string | null): void {
    if (operatorId !== null && !this.pharmacistOf(operatorId)) throw new Error(`operator ${operatorId} has no pharmacist setting`);
    statement(this.db, `INSERT INTO eprescription_recheck (id, operator_id, updated_at) VALUES (1, ?, ?)
      ON CONFLICT (id) DO UPDATE SET operator_id = excluded.operator_id, updated_at = excluded.updated_at`).run(operatorId, this.now().toISOString());
  }

  private log(id: number, from: string, to: string, event: string, detail: string): void {
    statement(this.db, 'INSERT INTO sales_report_log (row_id, at, from_state, to_state, event, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, this.now().toISOString(), from, to, event, detail.slice(0, 1000));
  }
}

function toStored(r: Row): StoredReportRow {
  return {
    id: r.id, saleId: r.sale_id, settlementId: r.settlement_id, kind: r.kind, bchno: r.bchno, businessDate: r.business_date,
    row: JSON.parse(r.row_json) as SalesRowDraft, codes: r.codes,
    entry: { state: r.state, sends: r.sends, refusals: r.refusals, note: r.note },
    lastMsgid: r.last_msgid, nextAttemptAt: r.next_attempt_at, updatedAt: r.updated_at, setlId: r.setl_id, operatorId: r.operator_id,
  };
}

/** An operator's 执业药师: name and 执业资格证号, and the ID (7204/7206 phar_cert_type / phar_certno) when set. */
export interface Pharmacist {
  readonly name: string;
  readonly certNo: string;
  readonly idType?: '01';
  readonly idNo?: string;
}

interface PharmacistRow { pharmacist_name: string; cert_no: string; id_cert_type: string; id_cert_no: string }

function toPharmacist(r: PharmacistRow): Pharmacist {
  return { name: r.pharmacist_name, certNo: r.cert_no, ...(r.id_cert_type === '01' && r.id_cert_no !== '' && { idType: '01' as const, idNo: r.id_cert_no }) };
}
