// Reconciliation's persistence in store.db: reads the store's settlements, sales and refunds as the
// sources of ledger facts, and keeps checks, closed days with their locked entries, discrepancies
// and adjustments (tables in ./schema.ts). Writes that must be journaled run inside the caller's
// transaction (the service opens it and appends the journal line in it).
import { businessDayRange, maskIdNumber, maskName } from '../../core/checkout/business-date';
import { type CheckRun, type DetailRowView, type GroupView, type ResolutionView, type DiscrepancyStatus } from '../../core/contracts/reconciliation';
import { type AdjustmentDraft, type DiscrepancyFacts, type LocalSettlement, type NotAtCentreSource, type PartsText, type ProvisionalSource, type UnknownSource } from '../../core/reconcile/discrepancy';
import { type AdjustmentSource, OURS_UNCONFIRMED_STATES, PHARMACY_CLEARING_TYPE, type SettlementSource } from '../../core/reconcile/facts';
import { type DetailEffect, type LedgerEntry, type MaskedPatient } from '../../core/reconcile/ledger';
import { amountsOf } from '../../core/reconcile/totals';
import { fmt, money, sum } from '../../core/money/money';
import { type Db } from '../db/open';
import { REFUNDED_SETL_ID, SETTLEMENT_CENTRE_DAY } from './schema';

interface SettlementRow {
  id: number; sale_ref: string; msgid: string; psn_no: string; insuplc_admdvs: string; recorded_at: string; insutype: string | null;
  prov_total: string; prov_fund: string; prov_account: string; prov_cash: string;
  centre_setl_id: string | null; centre_mdtrt_id: string | null; confirmed_at: string | null; setlinfo_json: string | null;
  centre_total: string | null; centre_fund: string | null; centre_account: string | null; centre_cash: string | null;
  outbox_state: string; outbox_note: string;
  sale_id: string | null; business_date: string | null; sale_state: string | null; person_json: string | null; sale_provisional: number | null;
  refunded_at: string | null;
}

const REFUNDED_SETL_ID_J = REFUNDED_SETL_ID.replace('payload', 'j.payload');

/** Settlements recorded, confirmed, moved in the outbox or refunded after @t (exported for its query plan's test). */
export const SETTLEMENTS_CHANGED_SINCE = `
  SELECT id FROM settlement WHERE recorded_at > @t
  UNION SELECT id FROM settlement WHERE confirmed_at IS NOT NULL AND confirmed_at > @t
  UNION SELECT settlement_id FROM settlement_outbox WHERE updated_at > @t
  UNION SELECT s.id FROM journal j JOIN settlement s ON s.centre_setl_id = ${REFUNDED_SETL_ID_J}
    WHERE j.kind = 'sale.refunded' AND j.at > @t`;
// A sale's settlements are recorded as "<sale id>/<attempt>" (see the checkout service).
const SALE_OF_REF = "CASE WHEN instr(s.sale_ref, '/') > 0 THEN substr(s.sale_ref, 1, instr(s.sale_ref, '/') - 1) ELSE s.sale_ref END";

// refunded_at: when the store refunded it (2103 done), from the journal (indexed by setl_id).
const SETTLEMENT_SELECT = `
  SELECT s.id, s.sale_ref, s.msgid, s.psn_no, s.insuplc_admdvs, s.recorded_at, json_extract(s.request_json, '$.druginfo.insutype') AS insutype,
    s.prov_total, s.prov_fund, s.prov_account, s.prov_cash, s.centre_setl_id, s.centre_mdtrt_id, s.confirmed_at,
    json_extract(s.centre_output_json, '$.setlinfo') AS setlinfo_json, s.centre_total, s.centre_fund, s.centre_account, s.centre_cash,
    o.state AS outbox_state, o.note AS outbox_note,
    sale.id AS sale_id, sale.business_date, sale.state AS sale_state, sale.person_json, sale.provisional AS sale_provisional,
    (SELECT min(j.at) FROM journal j WHERE j.kind = 'sale.refunded' AND ${REFUNDED_SETL_ID_J} = s.centre_setl_id) AS refunded_at
  FROM settlement s JOIN settlement_outbox o ON o.settlement_id = s.id
  LEFT JOIN sale ON sale.id = ${SALE_OF_REF}`;

interface SetlInfoSubset {
  setl_time?: string; medfee_sumamt?: string; fund_pay_sumamt?: string; acct_pay?: string; psn_cash_pay?: string;
  insutype?: string; clr_type?: string; clr_optins?: string;
}

interface EntryRow {
  id: number; date: string; entry_id: string; fact_key: string; kind: LedgerEntry['kind']; status: LedgerEntry['status']; belongs_to: string | null; at: string;
  insutype: string; clr_type: string; setl_optins: string; sale_id: string | null; msgid: string | null; setl_id: string | null; patient_json: string | null;
  count: number; medfee: string; fund: string; account: string; cash: string; note: string;
}

interface AdjustmentRow {
  id: number; discrepancy_id: string; effect: DetailEffect; day: string; centre_day: string; at: string; insutype: string; clr_type: string; setl_optins: string;
  sale_id: string | null; msgid: string | null; setl_id: string | null; mdtrt_id: string | null; psn_no: string | null; patient_json: string | null;
  count: number; medfee: string; fund: string; account: string; cash: string; note: string;
}

interface DiscrepancyRow {
  id: string; date: string; kind: string; subject: string; facts_json: string; status: DiscrepancyStatus; found_at: string; updated_at: string;
  action: ResolutionView['action'] | null; resolved_by: string | null; resolved_at: string | null; reason: string | null; amount: string | null; detail: string | null; booked_on: string | null;
}

export interface StoredDiscrepancy {
  readonly id: string;
  readonly facts: DiscrepancyFacts;
  readonly status: DiscrepancyStatus;
  readonly foundAt: string;
  readonly resolution: ResolutionView | null;
}

export interface StoredCheck extends CheckRun {
  readonly id: number;
  readonly date: string;
  readonly groups: GroupView[];
  readonly detail: DetailRowView[];
}

export interface ClosedDay {
  readonly date: string;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly note: string;
  readonly checkId: number | null;
}

/** Reads a sale's person_json into the masked patient (the only form reconciliation keeps). */
export function maskedPatient(personJson: string | null): MaskedPatient | null {
  if (!personJson) return null;
  try {
    const record = (JSON.parse(personJson) as { record?: { name?: unknown; idNumber?: unknown } }).record;
    if (!record || typeof record.name !== 'string') return null;
    return { name: maskName(record.name), idNumber: typeof record.idNumber === 'string' ? maskIdNumber(record.idNumber) : '' };
  } catch {
    return null;
  }
}

function parsePatient(json: string | null): MaskedPatient | null {
  return json ? JSON.parse(json) as MaskedPatient : null;
}

/** ±1 day around the UTC instants of a range of business days, for pre-filtering by timestamps. */
function widened(from: string, to: string): { start: string; end: string } {
  const start = new Date(Date.parse(businessDayRange(from).start) - 86_400_000).toISOString();
  const end = new Date(Date.parse(businessDayRange(to).end) + 86_400_000).toISOString();
  return { start, end };
}

export class ReconStore {
  constructor(readonly db: Db) {}

  // ── sources of ledger facts ──────────────────────────────────────────────────────────────────

  /**
   * Settlements that may give a fact on a day in [from, to]: confirmed on a centre day in range,
   * refunded on a day in range, and every one still waiting for the centre (few). The caller keeps
   * the facts whose day is in range.
   */
  settlementsAround(from: string, to: string): SettlementSource[] {
    const { start, end } = widened(from, to);
    const ids = this.db.prepare(`
      SELECT id FROM settlement WHERE centre_setl_id IS NOT NULL AND ${SETTLEMENT_CENTRE_DAY} BETWEEN @from AND @to
      UNION SELECT id FROM settlement WHERE centre_setl_id IS NOT NULL AND (${SETTLEMENT_CENTRE_DAY} IS NULL OR ${SETTLEMENT_CENTRE_DAY} = '')
        AND confirmed_at >= @start AND confirmed_at < @end
      UNION SELECT settlement_id FROM settlement_outbox WHERE state NOT IN ('confirmed', 'reversed', 'parked')
      UNION SELECT s.id FROM journal j JOIN settlement s ON s.centre_setl_id = ${REFUNDED_SETL_ID_J}
        WHERE j.kind = 'sale.refunded' AND j.at >= @start AND j.at < @end`).pluck().all({ from, to, start, end }) as number[];
    return this.settlementsByIds(ids);
  }

  /** Settlements recorded, confirmed, moved in the outbox or refunded after `sinceIso` (what a closed day may not hold yet). */
  settlementsChangedSince(sinceIso: string): SettlementSource[] {
    const ids = this.db.prepare(SETTLEMENTS_CHANGED_SINCE).pluck().all({ t: sinceIso }) as number[];
    return this.settlementsByIds(ids);
  }

  adjustmentsSince(sinceIso: string): AdjustmentSource[] {
    return (this.db.prepare('SELECT * FROM recon_adjustment WHERE at > ? ORDER BY id').all(sinceIso) as AdjustmentRow[]).map(toAdjustmentSource);
  }

  settlementsByIds(ids: readonly number[]): SettlementSource[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`${SETTLEMENT_SELECT} WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY s.id`).all(JSON.stringify([...new Set(ids)])) as SettlementRow[];
    return rows.map(toSettlementSource);
  }

  adjustmentsAround(from: string, to: string): AdjustmentSource[] {
    const rows = this.db.prepare('SELECT * FROM recon_adjustment WHERE day BETWEEN ? AND ? OR centre_day BETWEEN ? AND ? ORDER BY id').all(from, to, from, to) as AdjustmentRow[];
    return rows.map(toAdjustmentSource);
  }

  adjustmentsByIds(ids: readonly number[]): AdjustmentSource[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare('SELECT * FROM recon_adjustment WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids)) as AdjustmentRow[];
    return rows.map(toAdjustmentSource);
  }

  /** The 3201 groups the store has seen recently (so a day without sales still asks the centre). */
  recentGroups(sinceIso: string): Array<{ insutype: string; clrType: string; setlOptins: string }> {
    return this.db.prepare(`SELECT DISTINCT
        COALESCE(NULLIF(json_extract(centre_output_json, '$.setlinfo.insutype'), ''), json_extract(request_json, '$.druginfo.insutype')) AS insutype,
        COALESCE(NULLIF(json_extract(centre_output_json, '$.setlinfo.clr_type'), ''), '${PHARMACY_CLEARING_TYPE}') AS clrType,
        COALESCE(NULLIF(json_extract(centre_output_json, '$.setlinfo.clr_optins'), ''), insuplc_admdvs) AS setlOptins
      FROM settlement WHERE recorded_at >= ?`).all(sinceIso) as Array<{ insutype: string; clrType: string; setlOptins: string }>;
  }

  /** Where the store stands on the settlement it sent under this msgid, if any. */
  localByMsgid(msgid: string): LocalSettlement | undefined {
    const row = this.db.prepare(`${SETTLEMENT_SELECT} WHERE s.msgid = ?`).get(msgid) as SettlementRow | undefined;
    if (!row) return undefined;
    const source = toSettlementSource(row);
    const unconfirmed = (OURS_UNCONFIRMED_STATES as readonly string[]).includes(row.outbox_state);
    const standing: LocalSettlement['standing'] = row.outbox_state === 'confirmed'
      ? (row.sale_state === 'refunded' || row.sale_state === 'cancelled' ? 'gone' : 'confirmed')
      : unconfirmed ? 'unconfirmed' : 'gone';
    return {
      settlementId: row.id, saleId: row.sale_id, insuplcAdmdvs: row.insuplc_admdvs, standing, patient: source.patient,
      group: { insutype: source.centre?.insutype || source.insutype, clrType: source.centre?.clrType || PHARMACY_CLEARING_TYPE, setlOptins: source.centre?.clrOptins || row.insuplc_admdvs },
    };
  }

  /** The settlements recorded for a sale (its "<sale id>/<n>" refs), oldest first. */
  settlementIdsOfSale(saleId: string): number[] {
    return (this.db.prepare("SELECT id FROM settlement WHERE sale_ref LIKE ? ESCAPE '\\' ORDER BY id").all(`${saleId.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`) as Array<{ id: number }>).map((r) => r.id);
  }

  // ── sweeps for the discrepancies the store can see on its own ────────────────────────────────

  /** Confirmed offline (provisional) settlements the centre priced differently, sold up to `upTo`. */
  provisionalDifferences(upTo: string): ProvisionalSource[] {
    const rows = this.db.prepare(`${SETTLEMENT_SELECT}
      WHERE s.centre_setl_id IS NOT NULL AND (s.diff_fund != '0.00' OR s.diff_account != '0.00' OR s.diff_cash != '0.00')
        AND sale.provisional = 1 AND sale.state NOT IN ('refunded', 'cancelled') AND sale.business_date <= ?`).all(upTo) as SettlementRow[];
    return rows.map((r) => {
      const s = toSettlementSource(r);
      const c = s.centre!;
      return {
        settlementId: r.id, saleId: r.sale_id, saleDay: s.saleDay, msgid: r.msgid, setlId: c.setlId, psnNo: r.psn_no,
        group: { insutype: c.insutype || s.insutype, clrType: c.clrType || PHARMACY_CLEARING_TYPE, setlOptins: c.clrOptins || r.insuplc_admdvs },
        patient: s.patient,
        provisional: { medfee: r.prov_total, fund: r.prov_fund, account: r.prov_account, cash: r.prov_cash },
        centre: { medfee: r.centre_total!, fund: r.centre_fund!, account: r.centre_account!, cash: r.centre_cash! },
      };
    });
  }

  /** Insured sales up to `upTo` the centre never booked: self-pay fallbacks, rejected or reversed settlements. */
  notAtCentre(upTo: string): NotAtCentreSource[] {
    const out: NotAtCentreSource[] = [];
    const selfpay = this.db.prepare(`SELECT id, business_date, psn_no, person_json, lines_json FROM sale
      WHERE state = 'selfpay' AND psn_no IS NOT NULL AND business_date <= ?
        AND NOT EXISTS (SELECT 1 FROM settlement s WHERE s.sale_ref LIKE sale.id || '/%')`).all(upTo) as Array<{ id: string; business_date: string; psn_no: string; person_json: string | null; lines_json: string }>;
    for (const sale of selfpay) {
      const lines = JSON.parse(sale.lines_json) as Array<{ insured?: boolean; amount?: string }>;
      const insured = lines.filter((l) => l.insured === true && typeof l.amount === 'string');
      if (insured.length === 0) continue;
      const person = sale.person_json ? (JSON.parse(sale.person_json) as { record?: { region?: string; insutype?: string } }).record : undefined;
      if (!person?.region || !person.insutype) continue;
      const total = fmt(sum(insured.map((l) => money(l.amount!))));
      out.push({
        saleId: sale.id, saleDay: sale.business_date, origin: 'selfpay', settlementId: null, msgid: null, psnNo: sale.psn_no, insuplcAdmdvs: person.region,
        insutype: person.insutype, patient: maskedPatient(sale.person_json), store: { medfee: total, fund: '0.00', account: '0.00', cash: total }, note: '',
      });
    }
    const gone = this.db.prepare(`${SETTLEMENT_SELECT}
      WHERE o.state IN ('parked', 'reversed') AND sale.settlement_id = CAST(s.id AS TEXT) AND sale.state IN ('provisional', 'settled', 'selfpay')
        AND sale.business_date <= ?`).all(upTo) as SettlementRow[];
    for (const r of gone) {
      const s = toSettlementSource(r);
      out.push({
        saleId: r.sale_id!, saleDay: s.saleDay, origin: r.outbox_state === 'parked' ? 'parked' : 'reversed', settlementId: r.id, msgid: r.msgid, psnNo: r.psn_no,
        insuplcAdmdvs: r.insuplc_admdvs, insutype: s.insutype, patient: s.patient,
        store: { medfee: r.prov_total, fund: r.prov_fund, account: r.prov_account, cash: r.prov_cash }, note: r.outbox_note,
      });
    }
    return out;
  }

  /** Settlements recorded up to `upTo` whose outcome at the centre is still unknown (also while a reversal of one is unanswered). */
  unknownOutcomes(upTo: string): UnknownSource[] {
    const rows = this.db.prepare(`${SETTLEMENT_SELECT} WHERE o.state IN ('unknown', 'querying', 'reversing')`).all() as SettlementRow[];
    return rows.map(toSettlementSource).filter((s) => s.saleDay <= upTo).map((s) => ({
      settlementId: s.settlementId, saleId: s.saleId, saleDay: s.saleDay, msgid: s.msgid, psnNo: s.psnNo, insuplcAdmdvs: s.insuplcAdmdvs,
      group: { insutype: s.insutype, clrType: PHARMACY_CLEARING_TYPE, setlOptins: s.insuplcAdmdvs }, patient: s.patient,
      provisional: { medfee: s.provisional.total, fund: s.provisional.fund, account: s.provisional.account, cash: s.provisional.cash }, state: s.outboxState,
    }));
  }

  // ── closed days and locked entries ───────────────────────────────────────────────────────────

  closedDays(): ClosedDay[] {
    return (this.db.prepare('SELECT date, closed_at, closed_by, note, check_id FROM recon_day ORDER BY date').all() as Array<{ date: string; closed_at: string; closed_by: string; note: string; check_id: number | null }>)
      .map((r) => ({ date: r.date, closedAt: r.closed_at, closedBy: r.closed_by, note: r.note, checkId: r.check_id }));
  }

  lockedEntries(date: string): LedgerEntry[] {
    return (this.db.prepare('SELECT * FROM recon_entry WHERE date = ? ORDER BY id').all(date) as EntryRow[]).map(toEntry);
  }

  lockedEntriesIn(from: string, to: string): LedgerEntry[] {
    return (this.db.prepare('SELECT * FROM recon_entry WHERE date BETWEEN ? AND ? ORDER BY date, id').all(from, to) as EntryRow[]).map(toEntry);
  }

  lockedEntriesForKeys(keys: readonly string[]): LedgerEntry[] {
    if (keys.length === 0) return [];
    return (this.db.prepare('SELECT * FROM recon_entry WHERE fact_key IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(keys)) as EntryRow[]).map(toEntry);
  }

  /** Inside the caller's transaction: the day record, then its entries (locked by triggers from then on). */
  closeDay(day: { date: string; closedAt: string; closedBy: string; note: string; checkId: number | null; totals: unknown }, entries: readonly LedgerEntry[]): void {
    this.db.prepare('INSERT INTO recon_day (date, closed_at, closed_by, note, check_id, totals_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(day.date, day.closedAt, day.closedBy, day.note, day.checkId, JSON.stringify(day.totals));
    const insert = this.db.prepare(`INSERT INTO recon_entry (date, entry_id, fact_key, kind, status, belongs_to, at, insutype, clr_type, setl_optins, sale_id, msgid, setl_id,
        patient_json, count, medfee, fund, account, cash, note) VALUES (@date, @entry_id, @fact_key, @kind, @status, @belongs_to, @at, @insutype, @clr_type, @setl_optins,
        @sale_id, @msgid, @setl_id, @patient_json, @count, @medfee, @fund, @account, @cash, @note)`);
    for (const e of entries) {
      if (e.date !== day.date) throw new Error(`entry ${e.id} is booked on ${e.date}, not on the day being closed (${day.date})`);
      insert.run({
        date: e.date, entry_id: e.id, fact_key: e.key, kind: e.kind, status: e.status, belongs_to: e.belongsTo, at: e.at,
        insutype: e.group.insutype, clr_type: e.group.clrType, setl_optins: e.group.setlOptins, sale_id: e.saleId, msgid: e.msgid, setl_id: e.setlId,
        patient_json: e.patient ? JSON.stringify(e.patient) : null, count: e.totals.count,
        medfee: fmt(e.totals.medfee), fund: fmt(e.totals.fund), account: fmt(e.totals.account), cash: fmt(e.totals.cash), note: e.note,
      });
    }
  }

  // ── checks ───────────────────────────────────────────────────────────────────────────────────

  recordCheck(check: Omit<StoredCheck, 'id'>): number {
    const { lastInsertRowid } = this.db.prepare(`INSERT INTO recon_check (date, at, by, result, detail_checked, message, groups_json, detail_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(check.date, check.at, check.by, check.result, check.detailChecked ? 1 : 0, check.message, JSON.stringify(check.groups), JSON.stringify(check.detail));
    return Number(lastInsertRowid);
  }

  lastCheck(date: string): StoredCheck | undefined {
    const row = this.db.prepare('SELECT * FROM recon_check WHERE date = ? ORDER BY id DESC LIMIT 1').get(date) as CheckRow | undefined;
    return row && toCheck(row);
  }

  lastChecks(from: string, to: string): Map<string, StoredCheck> {
    const rows = this.db.prepare(`SELECT c.* FROM recon_check c JOIN (SELECT date, max(id) AS id FROM recon_check WHERE date BETWEEN ? AND ? GROUP BY date) l ON l.id = c.id`).all(from, to) as CheckRow[];
    return new Map(rows.map((r) => [r.date, toCheck(r)]));
  }

  // ── discrepancies ────────────────────────────────────────────────────────────────────────────

  /** Inside the caller's transaction: new ones are inserted, open ones refreshed, resolved ones left alone. */
  upsertDiscrepancies(found: ReadonlyArray<{ id: string; facts: DiscrepancyFacts }>, at: string): number {
    const upsert = this.db.prepare(`INSERT INTO recon_discrepancy (id, date, kind, subject, facts_json, status, found_at, updated_at)
      VALUES (@id, @date, @kind, @subject, @facts_json, 'open', @at, @at)
      ON CONFLICT (id) DO UPDATE SET facts_json = excluded.facts_json, updated_at = excluded.updated_at WHERE recon_discrepancy.status = 'open'`);
    let inserted = 0;
    for (const d of found) {
      const before = this.db.prepare('SELECT 1 FROM recon_discrepancy WHERE id = ?').get(d.id);
      upsert.run({ id: d.id, date: d.facts.date, kind: d.facts.kind, subject: d.facts.subject, facts_json: JSON.stringify(d.facts), at });
      if (!before) inserted++;
    }
    return inserted;
  }

  /** Open discrepancies of these kinds within the dates that were not found again (they resolved themselves). */
  dropVanished(kinds: readonly string[], dates: { from: string; to: string }, keep: readonly string[]): number {
    return this.db.prepare(`DELETE FROM recon_discrepancy WHERE status = 'open' AND kind IN (SELECT value FROM json_each(?))
      AND date BETWEEN ? AND ? AND id NOT IN (SELECT value FROM json_each(?))`).run(JSON.stringify(kinds), dates.from, dates.to, JSON.stringify(keep)).changes;
  }

  discrepancy(id: string): StoredDiscrepancy | undefined {
    const row = this.db.prepare('SELECT * FROM recon_discrepancy WHERE id = ?').get(id) as DiscrepancyRow | undefined;
    return row && toDiscrepancy(row);
  }

  discrepancies(filter: { from: string; to: string; status: 'open' | 'resolved' | 'all' }): StoredDiscrepancy[] {
    const rows = this.db.prepare(`SELECT * FROM recon_discrepancy WHERE date BETWEEN ? AND ? AND (? = 'all' OR status = ?) ORDER BY date, found_at, id`)
      .all(filter.from, filter.to, filter.status, filter.status) as DiscrepancyRow[];
    return rows.map(toDiscrepancy);
  }

  openCounts(from: string, to: string): Map<string, number> {
    const rows = this.db.prepare("SELECT date, count(*) AS n FROM recon_discrepancy WHERE status = 'open' AND date BETWEEN ? AND ? GROUP BY date").all(from, to) as Array<{ date: string; n: number }>;
    return new Map(rows.map((r) => [r.date, r.n]));
  }

  /** Resolutions whose effect is booked on a day in the range (for the daily report and the export). */
  resolutionsBookedIn(from: string, to: string): StoredDiscrepancy[] {
    return (this.db.prepare("SELECT * FROM recon_discrepancy WHERE status = 'resolved' AND booked_on BETWEEN ? AND ? ORDER BY booked_on, resolved_at, id").all(from, to) as DiscrepancyRow[]).map(toDiscrepancy);
  }

  /** Inside the caller's transaction. Refuses (returns false) when someone resolved it first. */
  resolve(id: string, resolution: ResolutionView): boolean {
    return this.db.prepare(`UPDATE recon_discrepancy SET status = 'resolved', action = ?, resolved_by = ?, resolved_at = ?, reason = ?, amount = ?, detail = ?, booked_on = ?, updated_at = ?
      WHERE id = ? AND status = 'open'`).run(resolution.action, resolution.by, resolution.at, resolution.reason, resolution.amount, resolution.detail, resolution.bookedOn, resolution.at, id).changes === 1;
  }

  /** Inside the caller's transaction. */
  addAdjustment(discrepancyId: string, draft: AdjustmentDraft, where: {
    day: string; centreDay: string; at: string; insutype: string; clrType: string; setlOptins: string; saleId: string | null; msgid: string | null;
    setlId: string | null; mdtrtId: string | null; psnNo: string | null; patient: MaskedPatient | null;
  }): number {
    const p: PartsText = draft.parts;
    amountsOf(p); // refuses anything that is not an amount before it reaches the table
    const { lastInsertRowid } = this.db.prepare(`INSERT INTO recon_adjustment (discrepancy_id, effect, day, centre_day, at, insutype, clr_type, setl_optins, sale_id, msgid,
        setl_id, mdtrt_id, psn_no, patient_json, count, medfee, fund, account, cash, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(discrepancyId, draft.effect, where.day, where.centreDay, where.at, where.insutype, where.clrType, where.setlOptins, where.saleId, where.msgid,
        where.setlId, where.mdtrtId, where.psnNo, where.patient ? JSON.stringify(where.patient) : null, draft.count, p.medfee, p.fund, p.account, p.cash, draft.note);
    return Number(lastInsertRowid);
  }
}

interface CheckRow { id: number; date: string; at: string; by: string; result: CheckRun['result']; detail_checked: number; message: string; groups_json: string; detail_json: string }

function toCheck(r: CheckRow): StoredCheck {
  return {
    id: r.id, date: r.date, at: r.at, by: r.by, result: r.result, detailChecked: r.detail_checked === 1, message: r.message,
    groups: JSON.parse(r.groups_json) as GroupView[], detail: JSON.parse(r.detail_json) as DetailRowView[],
  };
}

function toDiscrepancy(r: DiscrepancyRow): StoredDiscrepancy {
  return {
    id: r.id, facts: JSON.parse(r.facts_json) as DiscrepancyFacts, status: r.status, foundAt: r.found_at,
    resolution: r.action ? { action: r.action, by: r.resolved_by!, at: r.resolved_at!, reason: r.reason ?? '', amount: r.amount ?? '0.00', detail: r.detail ?? '', bookedOn: r.booked_on! } : null,
  };
}

function toEntry(r: EntryRow): LedgerEntry {
  return {
    id: r.entry_id, key: r.fact_key, kind: r.kind, status: r.status, date: r.date, belongsTo: r.belongs_to, at: r.at,
    group: { insutype: r.insutype, clrType: r.clr_type, setlOptins: r.setl_optins }, totals: { count: r.count, ...amountsOf(r) },
    saleId: r.sale_id, msgid: r.msgid, setlId: r.setl_id, patient: parsePatient(r.patient_json), note: r.note,
  };
}

function toAdjustmentSource(r: AdjustmentRow): AdjustmentSource {
  return {
    id: r.id, discrepancyId: r.discrepancy_id, effect: r.effect, day: r.day, centreDay: r.centre_day, at: r.at, insutype: r.insutype, clrType: r.clr_type,
    setlOptins: r.setl_optins, saleId: r.sale_id, msgid: r.msgid, setlId: r.setl_id, mdtrtId: r.mdtrt_id, psnNo: r.psn_no, patient: parsePatient(r.patient_json),
    count: r.count, medfee: r.medfee, fund: r.fund, account: r.account, cash: r.cash, note: r.note,
  };
}

function toSettlementSource(r: SettlementRow): SettlementSource {
  const info = r.setlinfo_json ? JSON.parse(r.setlinfo_json) as SetlInfoSubset : null;
  const saleDay = r.business_date ?? new Date(Date.parse(r.recorded_at) + 8 * 3_600_000).toISOString().slice(0, 10);
  return {
    settlementId: r.id, saleId: r.sale_id, msgid: r.msgid, psnNo: r.psn_no, insuplcAdmdvs: r.insuplc_admdvs, insutype: r.insutype ?? '',
    recordedAt: r.recorded_at, saleDay, outboxState: r.outbox_state, offline: r.sale_provisional === 1,
    provisional: { total: r.prov_total, fund: r.prov_fund, account: r.prov_account, cash: r.prov_cash },
    patient: maskedPatient(r.person_json),
    centre: r.centre_setl_id === null || !info ? null : {
      setlId: r.centre_setl_id, mdtrtId: r.centre_mdtrt_id ?? '', setlTime: info.setl_time ?? '', confirmedAt: r.confirmed_at!,
      medfee: info.medfee_sumamt ?? r.centre_total!, fund: info.fund_pay_sumamt ?? r.centre_fund!, account: info.acct_pay ?? r.centre_account!, cash: info.psn_cash_pay ?? r.centre_cash!,
      insutype: info.insutype ?? '', clrType: info.clr_type ?? '', clrOptins: info.clr_optins ?? '',
    },
    refundedAt: r.refunded_at,
  };
}
