// Sales (the checkout's working record), the SKU ↔ catalogue mapping, the person cache for offline
// identification and the ledger of traceability codes sold. Settlements themselves live in the
// settlement store (native/sync); a sale points at its settlement by `settlement_id`.
import { relaxedCommit, statement, type Db } from '../db/open';
import { sha256 } from './journal';

export interface SaleRow {
  id: string;
  terminal_id: string;
  operator_id: string;
  created_at: string;
  updated_at: string;
  business_date: string;
  state: string;
  online: number;
  psn_no: string | null;
  person_json: string | null;
  prescription_json: string | null;
  lines_json: string;
  split_json: string | null;
  provisional: number;
  settlement_id: string | null;
  problems_json: string;
  refund_msgid: string | null;
  refund_reason: string | null;
}

export type SalePatch = Partial<Omit<SaleRow, 'id' | 'terminal_id' | 'operator_id' | 'created_at' | 'business_date'>>;

export class SaleStore {
  constructor(readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  insert(row: Omit<SaleRow, 'updated_at' | 'lines_json' | 'split_json' | 'provisional' | 'settlement_id' | 'problems_json' | 'prescription_json' | 'refund_msgid' | 'refund_reason'>): void {
    statement(this.db, `INSERT INTO sale (id, terminal_id, operator_id, created_at, updated_at, business_date, state, online, psn_no, person_json)
      VALUES (@id, @terminal_id, @operator_id, @created_at, @created_at, @business_date, @state, @online, @psn_no, @person_json)`).run(row);
  }

  get(id: string): SaleRow | undefined {
    return statement(this.db, 'SELECT * FROM sale WHERE id = ?').get(id) as SaleRow | undefined;
  }

  update(id: string, patch: SalePatch): void {
    const keys = Object.keys(patch);
    if (keys.length === 0) return;
    statement(this.db, `UPDATE sale SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @updated_at WHERE id = @id`)
      .run({ ...patch, id, updated_at: this.now().toISOString() });
  }

  /**
   * A change to a sale still being put together (basket, prescription, pre-settle quote): committed
   * without waiting for the disk (relaxedCommit). Never for a settled sale or anything money moved on.
   */
  updateDraft(id: string, patch: SalePatch): void {
    relaxedCommit(this.db, () => this.update(id, patch));
  }

  /** One page, newest first; `before` (a sale id) continues after the previous page's last sale. */
  list(filter: { date?: string; state?: string; before?: string; limit: number }): SaleRow[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: filter.limit };
    if (filter.date) { where.push('business_date = @date'); params.date = filter.date; }
    if (filter.state) { where.push('state = @state'); params.state = filter.state; }
    if (filter.before) { where.push('(created_at, id) < (SELECT created_at, id FROM sale WHERE id = @before)'); params.before = filter.before; }
    return statement(this.db, `SELECT * FROM sale ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT @limit`).all(params) as SaleRow[];
  }

  /** Refunds whose 2103 was persisted but not confirmed (a crash, or the centre did not answer). */
  pendingRefunds(): SaleRow[] {
    return statement(this.db, "SELECT * FROM sale WHERE refund_msgid IS NOT NULL AND state NOT IN ('refunded', 'cancelled')").all() as SaleRow[];
  }

  /** Provisional pooled fund booked on a business date, and this person's provisional sales that day. */
  provisionalUsage(date: string, psnNo: string): { dayFund: string[]; personSales: number } {
    const rows = statement(this.db, "SELECT psn_no, json_extract(split_json, '$.fund') AS fund FROM sale WHERE business_date = ? AND provisional = 1 AND state IN ('provisional', 'settled')").all(date) as Array<{ psn_no: string; fund: string | null }>;
    return { dayFund: rows.map((r) => r.fund ?? '0.00'), personSales: rows.filter((r) => r.psn_no === psnNo).length };
  }

  // ── SKU mapping ─────────────────────────────────────────────────────────────
  catalogueCodeOf(sku: string): string | undefined {
    return (statement(this.db, 'SELECT catalogue_code FROM sku_mapping WHERE sku = ?').get(sku) as { catalogue_code: string } | undefined)?.catalogue_code;
  }

  mappings(): Array<{ sku: string; catalogueCode: string; note: string; updatedAt: string; updatedBy: string }> {
    return (statement(this.db, 'SELECT * FROM sku_mapping ORDER BY sku').all() as Array<{ sku: string; catalogue_code: string; note: string; updated_at: string; updated_by: string }>)
      .map((r) => ({ sku: r.sku, catalogueCode: r.catalogue_code, note: r.note, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  setMapping(sku: string, catalogueCode: string, note: string, by: string): void {
    statement(this.db, `INSERT INTO sku_mapping (sku, catalogue_code, note, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (sku) DO UPDATE SET catalogue_code = excluded.catalogue_code, note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
      .run(sku, catalogueCode, note, this.now().toISOString(), by);
  }

  deleteMapping(sku: string): boolean {
    return statement(this.db, 'DELETE FROM sku_mapping WHERE sku = ?').run(sku).changes > 0;
  }

  // ── person cache ────────────────────────────────────────────────────────────
  /** The person cache is a copy of the centre's answer, read again at the next visit: relaxedCommit. */
  cachePerson(psnNo: string, idNumber: string, cardNo: string | null, record: unknown, asOf: string): void {
    relaxedCommit(this.db, () => statement(this.db, `INSERT INTO person_cache (psn_no, id_number_hash, card_no, record_json, as_of) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (psn_no) DO UPDATE SET id_number_hash = excluded.id_number_hash, card_no = COALESCE(excluded.card_no, person_cache.card_no),
        record_json = excluded.record_json, as_of = excluded.as_of`).run(psnNo, sha256(`id:${idNumber}`), cardNo, JSON.stringify(record), asOf));
  }

  cachedPerson(by: { idNumber?: string; cardNo?: string; psnNo?: string }): { record: unknown; asOf: string } | undefined {
    const row = (by.psnNo ? statement(this.db, 'SELECT record_json, as_of FROM person_cache WHERE psn_no = ?').get(by.psnNo)
      : by.cardNo ? statement(this.db, 'SELECT record_json, as_of FROM person_cache WHERE card_no = ?').get(by.cardNo)
        : by.idNumber ? statement(this.db, 'SELECT record_json, as_of FROM person_cache WHERE id_number_hash = ?').get(sha256(`id:${by.idNumber}`))
          : undefined) as { record_json: string; as_of: string } | undefined;
    return row ? { record: JSON.parse(row.record_json) as unknown, asOf: row.as_of } : undefined;
  }

  // ── traceability codes ──────────────────────────────────────────────────────
  isSold(code: string): boolean {
    return statement(this.db, 'SELECT 1 FROM trace_code WHERE code = ?').get(code) !== undefined;
  }

  /** Inside the settle transaction: a code sold concurrently elsewhere makes the whole sale fail. */
  markSold(saleId: string, lines: ReadonlyArray<{ sku: string; split: boolean; traceCodes: readonly string[] }>): void {
    const insert = statement(this.db, 'INSERT INTO trace_code (code, sale_id, sku, split, sold_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING');
    const soldTo = statement(this.db, 'SELECT sale_id, split FROM trace_code WHERE code = ?');
    const at = this.now().toISOString();
    for (const line of lines) {
      for (const code of line.traceCodes) {
        if (insert.run(code, saleId, line.sku, line.split ? 1 : 0, at).changes === 0) {
          const existing = soldTo.get(code) as { sale_id: string; split: number };
          // A 拆零 box's code is shared by the sales that open it.
          if (!(line.split && existing.split === 1)) throw new TraceCodeSoldError(code);
        }
      }
    }
  }

  /**
   * A refund's whole-box codes become sellable again (kept as history in trace_code_return; the
   * delete writes the 'freed' ledger fact by trigger). A 拆零 box stays open. Inside the refund's transaction.
   */
  freeCodes(saleId: string): number {
    const at = this.now().toISOString();
    const codes = (statement(this.db, 'SELECT code FROM trace_code WHERE sale_id = ? AND split = 0').all(saleId) as Array<{ code: string }>).map((r) => r.code);
    const keep = statement(this.db, 'INSERT INTO trace_code_return (code, sale_id, returned_at) VALUES (?, ?, ?)');
    for (const code of codes) keep.run(code, saleId, at);
    statement(this.db, 'DELETE FROM trace_code WHERE sale_id = ? AND split = 0').run(saleId);
    return codes.length;
  }
}

export class TraceCodeSoldError extends Error {
  constructor(readonly code: string) { super(`追溯码 ${code} 已售出过，不能重复销售`); }
}
