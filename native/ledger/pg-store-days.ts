// A store's days as the ledger holds them across all its tills: the settlement and adjustment
// snapshots reconciliation computes facts from, store-wide checks, discrepancies naming till and
// sale, and the store day close — one row per store and day, so only one close can ever win
// (INSERT … ON CONFLICT DO NOTHING under the primary key), whichever till it was started from.
import type pg from 'pg';
import { type AdjustmentSource, type SettlementSource } from '../../core/reconcile/facts';
import { type PgLedger } from './pg-ledger';

export interface TillSettlement { readonly tillId: string; readonly source: SettlementSource }
export interface TillAdjustment { readonly tillId: string; readonly source: AdjustmentSource }

export interface StoreDayClose {
  readonly date: string;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly closedFrom: string;
  readonly result: string;
  readonly acknowledged: boolean;
  readonly totals: unknown;
  readonly entries: unknown;
}

export interface StoreCheck {
  readonly id: number;
  readonly date: string;
  readonly at: string;
  readonly by: string;
  readonly fromTill: string;
  readonly result: string;
  readonly message: string;
  readonly groups: unknown;
  readonly detail: unknown;
}

export interface StoreDiscrepancyRow {
  readonly id: string;
  readonly date: string;
  readonly kind: string;
  readonly tillId: string | null;
  readonly saleId: string | null;
  readonly msgid: string | null;
  readonly status: 'open' | 'resolved';
  readonly facts: unknown;
}

/**
 * A manager's resolution of a store-level discrepancy, for the till that owns the settlement: one
 * per store, day, discrepancy and action (a second submission is the same request).
 */
export interface ResolutionRequest {
  readonly date: string;
  readonly discrepancyId: string;
  readonly action: string;
  /** The till that carries it out (its own outbox, its own resolution code). */
  readonly tillId: string;
  readonly reason: string;
  readonly facts: unknown;
  readonly requestedBy: string;
  readonly requestedFrom: string;
  readonly requestedAt: string;
  /** pending → running (the owning till claimed it) → done | refused; pending → withdrawn (the day closed first). */
  readonly status: 'pending' | 'running' | 'done' | 'refused' | 'withdrawn';
  /** Tries that got no answer from the centre (the request stays pending). */
  readonly attempts: number;
  readonly note: string;
  /** What the owning till did (its resolution), once done. */
  readonly result: unknown;
  readonly doneAt: string | null;
}

/** What a request the day's close withdrew says (the owning till never carries it out). */
export const WITHDRAWN_NOTE = '日结已关闭，未执行';

type RequestKey = Pick<ResolutionRequest, 'date' | 'discrepancyId' | 'action'>;

const day = (d: Date | string): string => (typeof d === 'string' ? d.slice(0, 10) : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`);

export class StoreDays {
  constructor(private readonly ledger: PgLedger, readonly fixmedinsCode: string) {}

  /**
   * Settlements that may give a fact on `date` at any till: confirmed on that centre day, refunded
   * or sold on it, and every one still waiting for the centre.
   */
  async settlementsAround(date: string): Promise<TillSettlement[]> {
    const rows = (await this.ledger.pool.query<{ till_id: string; source: SettlementSource }>(`SELECT till_id, source FROM ledger_settlement
      WHERE fixmedins_code = $1 AND (centre_day = $2 OR sale_day = $2 OR refund_day = $2 OR live) ORDER BY till_id, settlement_id`, [this.fixmedinsCode, date])).rows;
    return rows.map((r) => ({ tillId: r.till_id, source: r.source }));
  }

  async adjustmentsAround(date: string): Promise<TillAdjustment[]> {
    const rows = (await this.ledger.pool.query<{ till_id: string; source: AdjustmentSource }>(`SELECT till_id, source FROM ledger_adjustment
      WHERE fixmedins_code = $1 AND (centre_day = $2 OR day = $2) ORDER BY till_id, adjustment_id`, [this.fixmedinsCode, date])).rows;
    return rows.map((r) => ({ tillId: r.till_id, source: r.source }));
  }

  /** The 3201 groups the store's tills used in the 31 days before `date`. */
  async recentGroups(date: string): Promise<Array<{ insutype: string; clrType: string; setlOptins: string }>> {
    return (await this.ledger.pool.query<{ insutype: string; clrType: string; setlOptins: string }>(`SELECT DISTINCT
        COALESCE(NULLIF(source->'centre'->>'insutype', ''), source->>'insutype') AS "insutype",
        COALESCE(NULLIF(source->'centre'->>'clrType', ''), '41') AS "clrType",
        COALESCE(NULLIF(source->'centre'->>'clrOptins', ''), source->>'insuplcAdmdvs') AS "setlOptins"
      FROM ledger_settlement WHERE fixmedins_code = $1 AND sale_day BETWEEN ($2::date - 31) AND $2::date`, [this.fixmedinsCode, date])).rows;
  }

  /** Where each till stands: what it still has to push and when it last did. */
  async tills(): Promise<Array<{ tillId: string; pending: number; lastPushAt: string | null }>> {
    const rows = (await this.ledger.pool.query<{ till_id: string; pending: string; last_push_at: Date | null }>('SELECT till_id, pending, last_push_at FROM ledger_till WHERE fixmedins_code = $1 ORDER BY till_id', [this.fixmedinsCode])).rows;
    return rows.map((r) => ({ tillId: r.till_id, pending: Number(r.pending), lastPushAt: r.last_push_at?.toISOString() ?? null }));
  }

  /** Records a check and its discrepancies (open ones refreshed, resolved ones left alone, vanished open ones of the 3202 kinds dropped). */
  async recordCheck(check: Omit<StoreCheck, 'id' | 'at'>, found: readonly Omit<StoreDiscrepancyRow, 'status'>[], clearDetailKinds: boolean): Promise<number> {
    return this.ledger.transaction(async (c) => {
      const id = Number((await c.query<{ id: string }>(`INSERT INTO ledger_check (fixmedins_code, date, by_whom, from_till, result, message, groups, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, [this.fixmedinsCode, check.date, check.by, check.fromTill, check.result, check.message, JSON.stringify(check.groups), JSON.stringify(check.detail)])).rows[0]!.id);
      for (const d of found) {
        await c.query(`INSERT INTO ledger_discrepancy (fixmedins_code, id, date, kind, till_id, sale_id, msgid, status, facts) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)
          ON CONFLICT (fixmedins_code, id) DO UPDATE SET facts = excluded.facts, till_id = excluded.till_id, sale_id = excluded.sale_id WHERE ledger_discrepancy.status = 'open'`,
        [this.fixmedinsCode, d.id, d.date, d.kind, d.tillId, d.saleId, d.msgid, JSON.stringify(d.facts)]);
      }
      if (clearDetailKinds) {
        await c.query(`DELETE FROM ledger_discrepancy WHERE fixmedins_code = $1 AND date = $2 AND status = 'open' AND NOT (id = ANY($3::text[]))`, [this.fixmedinsCode, check.date, found.map((d) => d.id)]);
      }
      return id;
    });
  }

  async lastCheck(date: string): Promise<StoreCheck | null> {
    const r = (await this.ledger.pool.query(`SELECT * FROM ledger_check WHERE fixmedins_code = $1 AND date = $2 ORDER BY id DESC LIMIT 1`, [this.fixmedinsCode, date])).rows[0];
    return r ? { id: Number(r.id), date: day(r.date), at: r.at.toISOString(), by: r.by_whom, fromTill: r.from_till, result: r.result, message: r.message, groups: r.groups, detail: r.detail } : null;
  }

  async discrepancies(date: string): Promise<StoreDiscrepancyRow[]> {
    const rows = (await this.ledger.pool.query(`SELECT * FROM ledger_discrepancy WHERE fixmedins_code = $1 AND date = $2 ORDER BY id`, [this.fixmedinsCode, date])).rows;
    return rows.map((r) => ({ id: r.id, date: day(r.date), kind: r.kind, tillId: r.till_id, saleId: r.sale_id, msgid: r.msgid, status: r.status, facts: r.facts }));
  }

  /** Every discrepancy of days in [from, to] (store-level 差异处理), by day then id. */
  async discrepanciesIn(from: string, to: string, status: 'open' | 'resolved' | 'all'): Promise<StoreDiscrepancyRow[]> {
    const rows = (await this.ledger.pool.query(`SELECT * FROM ledger_discrepancy WHERE fixmedins_code = $1 AND date BETWEEN $2 AND $3 AND ($4 = 'all' OR status = $4)
      ORDER BY date, id`, [this.fixmedinsCode, from, to, status])).rows;
    return rows.map((r) => ({ id: r.id, date: day(r.date), kind: r.kind, tillId: r.till_id, saleId: r.sale_id, msgid: r.msgid, status: r.status, facts: r.facts }));
  }

  /** Resolution requests of days in [from, to]. */
  async resolutionsIn(from: string, to: string): Promise<ResolutionRequest[]> {
    const rows = (await this.ledger.pool.query('SELECT * FROM ledger_resolution WHERE fixmedins_code = $1 AND date BETWEEN $2 AND $3 ORDER BY requested_at, discrepancy_id', [this.fixmedinsCode, from, to])).rows;
    return rows.map(requestOf);
  }

  async closed(date: string): Promise<StoreDayClose | null> {
    const r = (await this.ledger.pool.query(`SELECT * FROM ledger_day_close WHERE fixmedins_code = $1 AND date = $2`, [this.fixmedinsCode, date])).rows[0];
    return r ? closeOf(r) : null;
  }

  async discrepancy(id: string): Promise<StoreDiscrepancyRow | null> {
    const r = (await this.ledger.pool.query(`SELECT * FROM ledger_discrepancy WHERE fixmedins_code = $1 AND id = $2`, [this.fixmedinsCode, id])).rows[0];
    return r ? { id: r.id, date: day(r.date), kind: r.kind, tillId: r.till_id, saleId: r.sale_id, msgid: r.msgid, status: r.status, facts: r.facts } : null;
  }

  /**
   * Files a resolution for the owning till, once: the same store, day, discrepancy and action again
   * returns the request already filed (pending or done); one the till refused is filed afresh. Refused ('closed') when the store's day is closed — checked
   * in the same transaction, under a lock on the day's close row key.
   */
  async requestResolution(r: Omit<ResolutionRequest, 'requestedAt' | 'status' | 'attempts' | 'note' | 'result' | 'doneAt'>): Promise<'closed' | { request: ResolutionRequest; created: boolean }> {
    return this.ledger.transaction(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('ledger day ' || $1 || ' ' || $2))", [this.fixmedinsCode, r.date]);
      if ((await c.query('SELECT 1 FROM ledger_day_close WHERE fixmedins_code = $1 AND date = $2', [this.fixmedinsCode, r.date])).rowCount) return 'closed';
      const inserted = (await c.query(`INSERT INTO ledger_resolution (fixmedins_code, date, discrepancy_id, action, till_id, reason, facts, requested_by, requested_from)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (fixmedins_code, date, discrepancy_id, action) DO UPDATE
          SET status = 'pending', attempts = 0, note = '', result = NULL, done_at = NULL, reason = excluded.reason, facts = excluded.facts,
              requested_by = excluded.requested_by, requested_from = excluded.requested_from, requested_at = now()
          WHERE ledger_resolution.status = 'refused' RETURNING *`,
      [this.fixmedinsCode, r.date, r.discrepancyId, r.action, r.tillId, r.reason, JSON.stringify(r.facts), r.requestedBy, r.requestedFrom])).rows[0];
      if (inserted) return { request: requestOf(inserted), created: true };
      const existing = (await c.query('SELECT * FROM ledger_resolution WHERE fixmedins_code = $1 AND date = $2 AND discrepancy_id = $3 AND action = $4',
        [this.fixmedinsCode, r.date, r.discrepancyId, r.action])).rows[0]!;
      return { request: requestOf(existing), created: false };
    });
  }

  async resolutions(date: string): Promise<ResolutionRequest[]> {
    const rows = (await this.ledger.pool.query('SELECT * FROM ledger_resolution WHERE fixmedins_code = $1 AND date = $2 ORDER BY requested_at, discrepancy_id', [this.fixmedinsCode, date])).rows;
    return rows.map(requestOf);
  }

  /**
   * What a till still has to carry out, oldest first: pending ones, and ones it claimed (running)
   * and did not finish (it stopped in between; only one process holds a till id).
   */
  async pendingResolutions(tillId: string): Promise<ResolutionRequest[]> {
    const rows = (await this.ledger.pool.query("SELECT * FROM ledger_resolution WHERE fixmedins_code = $1 AND till_id = $2 AND status IN ('pending', 'running') ORDER BY requested_at, discrepancy_id", [this.fixmedinsCode, tillId])).rows;
    return rows.map(requestOf);
  }

  /**
   * The owning till claims a request before it acts on it (pending → running, in one UPDATE, under
   * the day's lock that the close takes too): either the claim comes first and the close refuses
   * while it runs, or the close comes first and withdrew it, and the till does nothing. A request
   * still pending on a day closed before withdrawing existed is withdrawn here. Returns whether the
   * till may act.
   */
  async claimResolution(key: RequestKey): Promise<'claimed' | 'withdrawn' | 'gone'> {
    return this.ledger.transaction(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('ledger day ' || $1 || ' ' || $2))", [this.fixmedinsCode, key.date]);
      const args = [this.fixmedinsCode, key.date, key.discrepancyId, key.action];
      if ((await c.query('SELECT 1 FROM ledger_day_close WHERE fixmedins_code = $1 AND date = $2', args.slice(0, 2))).rowCount) {
        await c.query(`UPDATE ledger_resolution SET status = 'withdrawn', note = $5, done_at = now()
          WHERE fixmedins_code = $1 AND date = $2 AND discrepancy_id = $3 AND action = $4 AND status = 'pending'`, [...args, WITHDRAWN_NOTE]);
        return 'withdrawn';
      }
      const claimed = (await c.query(`UPDATE ledger_resolution SET status = 'running', claimed_at = now()
        WHERE fixmedins_code = $1 AND date = $2 AND discrepancy_id = $3 AND action = $4 AND status IN ('pending', 'running')`, args)).rowCount ?? 0;
      return claimed > 0 ? 'claimed' : 'gone';
    });
  }

  /** A try that got no answer (the centre did not reply): back to pending, the note says why. */
  async resolutionAttempted(key: RequestKey, note: string): Promise<void> {
    await this.ledger.pool.query("UPDATE ledger_resolution SET status = 'pending', attempts = attempts + 1, note = $5 WHERE fixmedins_code = $1 AND date = $2 AND discrepancy_id = $3 AND action = $4 AND status = 'running'",
      [this.fixmedinsCode, key.date, key.discrepancyId, key.action, note]);
  }

  /** The owning till's result, written once (a second write of a finished request changes nothing); done resolves the discrepancy. */
  async finishResolution(key: RequestKey, status: 'done' | 'refused', result: unknown, note: string): Promise<boolean> {
    return this.ledger.transaction(async (c) => {
      // Only a request this till claimed: never one the close withdrew, never a finished one.
      const updated = (await c.query(`UPDATE ledger_resolution SET status = $5, result = $6, note = $7, done_at = now()
        WHERE fixmedins_code = $1 AND date = $2 AND discrepancy_id = $3 AND action = $4 AND status = 'running'`,
      [this.fixmedinsCode, key.date, key.discrepancyId, key.action, status, JSON.stringify(result), note])).rowCount ?? 0;
      if (updated > 0 && status === 'done') await c.query("UPDATE ledger_discrepancy SET status = 'resolved' WHERE fixmedins_code = $1 AND id = $2", [this.fixmedinsCode, key.discrepancyId]);
      return updated > 0;
    });
  }

  /**
   * Closes the day unless another till already did (`lost`). In the same transaction, under the
   * lock requests are filed and claimed under: refused while a till is carrying out a request of
   * the day (`running`, naming them), and every request still pending is withdrawn — a closed day
   * never changes, so no till carries it out later.
   */
  async close(close: Omit<StoreDayClose, 'closedAt'>): Promise<{ closed: StoreDayClose; withdrawn: number } | { lost: true } | { running: ResolutionRequest[] }> {
    return this.ledger.transaction(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('ledger day ' || $1 || ' ' || $2))", [this.fixmedinsCode, close.date]);
      const running = (await c.query("SELECT * FROM ledger_resolution WHERE fixmedins_code = $1 AND date = $2 AND status = 'running' ORDER BY till_id", [this.fixmedinsCode, close.date])).rows;
      if (running.length > 0) return { running: running.map(requestOf) };
      const r = (await c.query(`INSERT INTO ledger_day_close (fixmedins_code, date, closed_by, closed_from, result, acknowledged, totals, entries)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (fixmedins_code, date) DO NOTHING RETURNING *`,
      [this.fixmedinsCode, close.date, close.closedBy, close.closedFrom, close.result, close.acknowledged, JSON.stringify(close.totals), JSON.stringify(close.entries)])).rows[0];
      if (!r) return { lost: true };
      const withdrawn = (await c.query(`UPDATE ledger_resolution SET status = 'withdrawn', note = $3, done_at = now() WHERE fixmedins_code = $1 AND date = $2 AND status = 'pending'`,
        [this.fixmedinsCode, close.date, WITHDRAWN_NOTE])).rowCount ?? 0;
      return { closed: closeOf(r), withdrawn };
    });
  }
}

function closeOf(r: pg.QueryResultRow): StoreDayClose {
  return { date: day(r.date), closedAt: r.closed_at.toISOString(), closedBy: r.closed_by, closedFrom: r.closed_from, result: r.result, acknowledged: r.acknowledged, totals: r.totals, entries: r.entries };
}

function requestOf(r: pg.QueryResultRow): ResolutionRequest {
  return {
    date: day(r.date), discrepancyId: r.discrepancy_id, action: r.action, tillId: r.till_id, reason: r.reason, facts: r.facts, requestedBy: r.requested_by,
    requestedFrom: r.requested_from, requestedAt: r.requested_at.toISOString(), status: r.status, attempts: Number(r.attempts), note: r.note, result: r.result,
    doneAt: r.done_at ? r.done_at.toISOString() : null,
  };
}
