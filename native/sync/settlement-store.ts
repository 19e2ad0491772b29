// The settlement store: settlements and their outbox entries in the terminal's store.db.
//
// API (what the checkout and the sync engine call):
//   const settlements = new SettlementStore(db, { fixmedinsCode });
//   const rec = settlements.record({ saleRef, insuplcAdmdvs, request, provisional, quote }, (rec, db) => {
//     // optional: more writes in the SAME SQLite transaction (the checkout's sale row, the journal …)
//   });
//   rec.msgid                       // allocated and persisted before anything is sent
//   settlements.get(rec.id)         // request, provisional split, outbox state, centre result + difference
//   settlements.confirm(id, output) // the centre's authoritative result (2102 or 5203), with the difference
//   settlements.apply(id, event)    // any other outbox transition (core/sync/outbox.ts), logged
//   settlements.allocateMsgid()     // a fresh persisted msgid for calls that are not settlements (5203, 2601 …)
//
// `record` may also be called inside the caller's own db.transaction(() => …): better-sqlite3 nests
// it as a savepoint, so everything commits or nothing does.
import { statement, type Db } from '../db/open';
import { lastSequenceOf, msgidStateAfter, nextMsgid, type MsgidState } from '../../core/centre/msgid';
import { addSecondsToCompact } from '../../core/centre/time';
import { describeIssues } from '../../core/centre/fields';
import { isCheckedSettleInput, SettleInput, type SettleInputDraft, type SettleOutput } from '../../core/centre/tx/settle';
import { money } from '../../core/money/money';
import {
  DEFAULT_LIMITS, newEntry, transition, type OutboxEntry, type OutboxEvent, type OutboxLimits, type OutboxState, OUTBOX_STATES,
} from '../../core/sync/outbox';
import { centreSplit, Split, splitDifference, type SplitDifference } from '../../core/sync/split';
import { type SchedulableEntry } from '../../core/sync/scheduler';

/** The dependency key other outbox entries name to wait for a settlement's confirmation. */
export const settlementKey = (id: number): string => `settlement:${id}`;

export interface NewSettlement {
  /** The caller's unique key for the sale (receipt number, checkout id): recording it twice is refused. */
  readonly saleRef: string;
  /** The patient's insured division (1101 insuinfo.insuplc_admdvs). */
  readonly insuplcAdmdvs: string;
  /** The 2102 input exactly as it will be sent (validated and normalised here). */
  readonly request: SettleInputDraft;
  /** The store's provisional split (the co-pay engine's total/fund/account/cash). */
  readonly provisional: Split;
  /** The full provisional quote (explain lines etc.), kept for the receipt and for reconciliation. */
  readonly quote?: unknown;
}

export interface SettlementRecord {
  readonly id: number;
  readonly saleRef: string;
  readonly msgid: string;
  readonly psnNo: string;
  readonly insuplcAdmdvs: string;
  readonly recordedAt: string;
  readonly request: SettleInput;
  readonly provisional: Split;
  readonly quote: unknown;
  readonly outbox: OutboxEntry & { readonly nextAttemptAt: number; readonly updatedAt: string };
  /** Present once the centre has booked it. */
  readonly centre: null | {
    readonly setlId: string;
    readonly mdtrtId: string;
    readonly split: Split;
    readonly difference: SplitDifference;
    readonly output: SettleOutput;
    readonly confirmedAt: string;
  };
}

export class SettlementInputError extends Error {}

interface Row {
  id: number; sale_ref: string; msgid: string; psn_no: string; insuplc_admdvs: string; recorded_at: string; request_json: string;
  quote_json: string | null; prov_total: string; prov_fund: string; prov_account: string; prov_cash: string;
  centre_setl_id: string | null; centre_mdtrt_id: string | null; centre_output_json: string | null; centre_total: string | null;
  centre_fund: string | null; centre_account: string | null; centre_cash: string | null; diff_fund: string | null; diff_account: string | null;
  diff_cash: string | null; confirmed_at: string | null;
  state: OutboxState; sends: number; query_failures: number; note: string; next_attempt_at: number; updated_at: string;
}

const SELECT = `SELECT s.*, o.state, o.sends, o.query_failures, o.note, o.next_attempt_at, o.updated_at
  FROM settlement s JOIN settlement_outbox o ON o.settlement_id = s.id`;

export interface SettlementStoreOptions {
  readonly fixmedinsCode: string;
  readonly clock?: () => Date;
  readonly limits?: OutboxLimits;
  /** A till of a pharmacy with several (a store ledger): its msgid lane 1–9 (core/centre/msgid.ts). */
  readonly msgidLane?: number;
}

/**
 * Msgids are reserved this many seconds ahead by one durable write and then handed out from memory,
 * so the 1101, 5206 and 2101 of a sale do not each wait for the disk. The stored row always covers
 * every msgid handed out, so none can repeat after a crash or in another process on the same store
 * (each starts after the stored reservation). The cost: after a restart within the window, msgids
 * carry a time up to this far ahead of the clock.
 */
export const MSGID_RESERVE_SECONDS = 10;

export class SettlementStore {
  private readonly clock: () => Date;
  private readonly limits: OutboxLimits;
  /** The last msgid state handed out by this instance. */
  private lastIssued: MsgidState | null = null;
  /** The stamp through which this instance's reservation is committed in centre_msgid_state. */
  private reservedThrough: string | null = null;
  /** A reservation written inside a transaction that has not committed yet. */
  private pendingReservation: string | null = null;

  constructor(readonly db: Db, private readonly options: SettlementStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.limits = options.limits ?? DEFAULT_LIMITS;
  }

  /**
   * Writes the settlement, its msgid and its outbox entry in one transaction; `within` joins it.
   * `sending`: the entry is written already past `send_started` (pending → sending, both logged), for
   * a caller that sends it the moment this commits (SyncEngine.sendRecorded): one commit before the
   * 2102 instead of two. Until the caller claims it, it looks to the drain loop like one a dead
   * process left mid-call, so only SyncEngine.sendRecorded may ask for it.
   */
  record(input: NewSettlement, within?: (record: SettlementRecord, db: Db) => void, options: { readonly sending?: boolean } = {}): SettlementRecord {
    // A request checkSettleInput already validated (and froze) is not parsed a second time.
    const request = isCheckedSettleInput(input.request) ? { success: true as const, data: input.request } : SettleInput.safeParse(input.request);
    if (!request.success) throw new SettlementInputError(`request: ${describeIssues(request.error, 'request')}`);
    const provisional = Split.safeParse(input.provisional);
    if (!provisional.success) throw new SettlementInputError(describeIssues(provisional.error, 'provisional'));
    if (!/^\d{6}$/.test(input.insuplcAdmdvs)) throw new SettlementInputError('insuplcAdmdvs: must be the 6-digit insured division');
    if (input.saleRef.length === 0 || input.saleRef.length > 100) throw new SettlementInputError('saleRef: must be 1–100 characters');
    if (!money(provisional.data.total).equals(money(request.data.druginfo.medfee_sumamt))) {
      throw new SettlementInputError(`provisional.total: ${provisional.data.total} differs from request.druginfo.medfee_sumamt ${request.data.druginfo.medfee_sumamt}`);
    }
    const result = this.committing(() => this.db.transaction(() => {
      if (statement(this.db, 'SELECT 1 FROM settlement WHERE sale_ref = ?').get(input.saleRef)) throw new SettlementInputError(`saleRef: ${input.saleRef} is already recorded`);
      const msgid = this.allocateMsgidInTx();
      const now = this.clock().toISOString();
      const p = provisional.data;
      const quoteJson = input.quote === undefined ? null : JSON.stringify(input.quote);
      const { lastInsertRowid } = statement(this.db, `INSERT INTO settlement (sale_ref, msgid, fixmedins_code, psn_no, insuplc_admdvs, recorded_at, request_json, quote_json,
          prov_total, prov_fund, prov_account, prov_cash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(input.saleRef, msgid, this.options.fixmedinsCode, request.data.druginfo.psn_no, input.insuplcAdmdvs, now, JSON.stringify(request.data),
          quoteJson, p.total, p.fund, p.account, p.cash);
      const id = Number(lastInsertRowid);
      const recorded = newEntry();
      const entry = options.sending ? transition(recorded, { type: 'send_started' }, this.limits) : recorded;
      statement(this.db, 'INSERT INTO settlement_outbox (settlement_id, state, sends, query_failures, note, next_attempt_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?)')
        .run(id, entry.state, entry.sends, entry.queryFailures, entry.note, now);
      this.log(id, 'new', recorded.state, 'recorded', '');
      if (entry !== recorded) this.log(id, recorded.state, entry.state, 'send_started', '');
      // Built from what was just written rather than read back (the request need not be parsed again).
      const record: SettlementRecord = {
        id, saleRef: input.saleRef, msgid, psnNo: request.data.druginfo.psn_no, insuplcAdmdvs: input.insuplcAdmdvs, recordedAt: now,
        request: request.data, provisional: { total: p.total, fund: p.fund, account: p.account, cash: p.cash },
        quote: quoteJson === null ? null : JSON.parse(quoteJson) as unknown,
        outbox: { ...entry, nextAttemptAt: 0, updatedAt: now }, centre: null,
      };
      within?.(record, this.db);
      return record;
    }).immediate());
    this.promoteReservation();
    return result;
  }

  /** A fresh msgid, covered by a durable reservation (for centre calls that are not settlements). */
  allocateMsgid(): string {
    const reserved = this.issueWithinReservation();
    if (reserved !== null) return reserved;
    const msgid = this.committing(() => this.db.transaction(() => this.allocateMsgidInTx()).immediate());
    this.promoteReservation();
    return msgid;
  }

  /** Inside a transaction: from the reservation if it covers it, else reserving anew (committed with the caller). */
  private allocateMsgidInTx(): string {
    const reserved = this.issueWithinReservation();
    if (reserved !== null) return reserved;
    const code = this.options.fixmedinsCode;
    const row = statement(this.db, 'SELECT stamp, seq FROM centre_msgid_state WHERE fixmedins_code = ?').get(code) as MsgidState | undefined;
    // After whatever is stored (another process, an earlier run) and whatever this instance issued.
    const base = row && this.lastIssued ? (msgidStateAfter(row, this.lastIssued) ? row : this.lastIssued) : row ?? this.lastIssued;
    const issued = nextMsgid(code, this.clock(), base, this.options.msgidLane);
    const through = addSecondsToCompact(issued.state.stamp, MSGID_RESERVE_SECONDS);
    statement(this.db, `INSERT INTO centre_msgid_state (fixmedins_code, stamp, seq) VALUES (?, ?, ?)
      ON CONFLICT (fixmedins_code) DO UPDATE SET stamp = excluded.stamp, seq = excluded.seq`).run(code, through, lastSequenceOf(this.options.msgidLane));
    this.lastIssued = issued.state;
    this.reservedThrough = null; // the old reservation is superseded; the new one counts once committed
    this.pendingReservation = through;
    return issued.msgid;
  }

  private issueWithinReservation(): string | null {
    if (this.reservedThrough === null || this.lastIssued === null) return null;
    const issued = nextMsgid(this.options.fixmedinsCode, this.clock(), this.lastIssued, this.options.msgidLane);
    if (issued.state.stamp > this.reservedThrough) return null;
    this.lastIssued = issued.state;
    return issued.msgid;
  }

  /** Runs our own transaction; a reservation it wrote is forgotten if it rolls back. */
  private committing<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      this.pendingReservation = null;
      throw error;
    }
  }

  /** After our own transaction committed (not inside a caller's, which may still roll back). */
  private promoteReservation(): void {
    if (this.pendingReservation === null || this.db.inTransaction) return;
    this.reservedThrough = this.pendingReservation;
    this.pendingReservation = null;
  }

  get(id: number): SettlementRecord | undefined {
    const row = statement(this.db, `${SELECT} WHERE s.id = ?`).get(id) as Row | undefined;
    return row && toRecord(row);
  }

  byMsgid(msgid: string): SettlementRecord | undefined {
    const row = statement(this.db, `${SELECT} WHERE s.msgid = ?`).get(msgid) as Row | undefined;
    return row && toRecord(row);
  }

  bySaleRef(saleRef: string): SettlementRecord | undefined {
    const row = statement(this.db, `${SELECT} WHERE s.sale_ref = ?`).get(saleRef) as Row | undefined;
    return row && toRecord(row);
  }

  list(options: { state?: OutboxState; afterId?: number; limit?: number } = {}): SettlementRecord[] {
    const rows = statement(this.db, `${SELECT} WHERE (? IS NULL OR o.state = ?) AND s.id > ? ORDER BY s.id LIMIT ?`)
      .all(options.state ?? null, options.state ?? null, options.afterId ?? 0, options.limit ?? 1000) as Row[];
    return rows.map(toRecord);
  }

  /** The first entry the drain loop should act on now, in recording order (parked ones never block). */
  nextDue(nowMs: number): SettlementRecord | undefined {
    const row = statement(this.db, `${SELECT} WHERE o.state NOT IN ('confirmed', 'reversed', 'parked') AND o.next_attempt_at <= ? ORDER BY s.id LIMIT 1`).get(nowMs) as Row | undefined;
    return row && toRecord(row);
  }

  /**
   * The head of the open queue for the drain scheduler (core/sync/scheduler.ts): the first `limit`
   * open entries in recording order, with what the scheduler needs and nothing else (no request JSON).
   * A settlement's lane is its person, so a person's settlements reach the centre in recording order.
   */
  openHead(limit: number): SchedulableEntry[] {
    const rows = statement(this.db, `SELECT s.id, s.psn_no AS psnNo, o.next_attempt_at AS dueAt FROM settlement_outbox o JOIN settlement s ON s.id = o.settlement_id
      WHERE o.state NOT IN ('confirmed', 'reversed', 'parked') ORDER BY o.settlement_id LIMIT ?`).all(limit) as Array<{ id: number; psnNo: string; dueAt: number }>;
    return rows.map((r) => ({ id: r.id, key: settlementKey(r.id), lanes: [`person:${r.psnNo}`], waitsFor: [], dueAt: r.dueAt }));
  }

  /** Whether the entry a dependency key names is done with the centre (`settlement:<id>` confirmed). */
  isResolved(key: string): boolean {
    const match = /^settlement:(\d+)$/.exec(key);
    if (!match) return false;
    return statement(this.db, "SELECT 1 FROM settlement_outbox WHERE settlement_id = ? AND state = 'confirmed'").get(Number(match[1])) !== undefined;
  }

  /** When the earliest waiting entry becomes due (epoch ms), or null when nothing is open. */
  nextWake(): number | null {
    const row = statement(this.db, "SELECT min(next_attempt_at) AS at FROM settlement_outbox WHERE state NOT IN ('confirmed', 'reversed', 'parked')").get() as { at: number | null };
    return row.at;
  }

  counts(): Record<OutboxState, number> {
    const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
    for (const r of statement(this.db, 'SELECT state, count(*) AS n FROM settlement_outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>) counts[r.state] = r.n;
    return counts;
  }

  /** Applies one transition (not `settled`: use confirm), logs it, and returns the new entry. */
  apply(id: number, event: Exclude<OutboxEvent, { type: 'settled' }>, options: { nextAttemptAt?: number } = {}): OutboxEntry {
    return this.db.transaction(() => {
      const { before, after } = this.transitionInTx(id, event);
      statement(this.db, 'UPDATE settlement_outbox SET state = ?, sends = ?, query_failures = ?, note = ?, next_attempt_at = ?, updated_at = ? WHERE settlement_id = ?')
        .run(after.state, after.sends, after.queryFailures, after.note, options.nextAttemptAt ?? 0, this.clock().toISOString(), id);
      this.log(id, before.state, after.state, event.type, detailOf(event));
      return after;
    }).immediate();
  }

  /** Records the centre's booked result and the difference from the provisional split, and confirms. */
  /**
   * `within` (optional) books the caller's own follow-up in the same commit — the online checkout's
   * sale marked settled and its journal line — saving a second wait for the disk. It runs in a
   * savepoint: if it throws, only it is undone (the caller does it again afterwards); the centre's
   * result is never lost to it.
   */
  confirm(id: number, output: SettleOutput, via: '2102' | '5203', within?: (record: SettlementRecord) => void): SettlementRecord {
    return this.db.transaction(() => {
      const record = this.get(id);
      if (!record) throw new Error(`settlement ${id} does not exist`);
      const info = output.setlinfo;
      // The same answer twice (a late reply after a query already confirmed it) changes nothing.
      if (record.outbox.state === 'confirmed' && record.centre?.setlId === info.setl_id) return record;
      const { before, after } = this.transitionInTx(id, { type: 'settled' });
      if (info.medins_setl_id !== record.msgid) throw new Error(`settlement ${id}: centre result names msgid ${info.medins_setl_id}, not ${record.msgid}`);
      const split = centreSplit(info);
      const diff = splitDifference(record.provisional, split);
      const now = this.clock().toISOString();
      statement(this.db, `UPDATE settlement SET centre_setl_id = ?, centre_mdtrt_id = ?, centre_output_json = ?, centre_total = ?, centre_fund = ?,
          centre_account = ?, centre_cash = ?, diff_fund = ?, diff_account = ?, diff_cash = ?, confirmed_at = ? WHERE id = ?`)
        .run(info.setl_id, info.mdtrt_id, JSON.stringify(output), split.total, split.fund, split.account, split.cash, diff.fund, diff.account, diff.cash, now, id);
      statement(this.db, 'UPDATE settlement_outbox SET state = ?, sends = ?, query_failures = ?, note = ?, next_attempt_at = 0, updated_at = ? WHERE settlement_id = ?')
        .run(after.state, after.sends, after.queryFailures, diff.any ? `centre differs: fund ${diff.fund}, account ${diff.account}, cash ${diff.cash}` : '', now, id);
      this.log(id, before.state, after.state, 'settled', `via ${via}: setl_id ${info.setl_id}`);
      const confirmed = this.get(id)!;
      if (within) {
        try { this.db.transaction(() => within(confirmed))(); } catch { /* undone alone; the caller books it afterwards */ }
      }
      return confirmed;
    }).immediate();
  }

  /** Start-up: entries left mid-call by a dead process have an unknown outcome. */
  recoverInFlight(): number {
    return this.db.transaction(() => {
      const ids = (statement(this.db, "SELECT settlement_id AS id FROM settlement_outbox WHERE state IN ('sending', 'querying')").all() as Array<{ id: number }>).map((r) => r.id);
      for (const id of ids) this.apply(id, { type: 'crash_recovered' });
      return ids.length;
    }).immediate();
  }

  history(id: number): Array<{ at: string; from: string; to: string; event: string; detail: string }> {
    return (statement(this.db, 'SELECT at, from_state AS "from", to_state AS "to", event, detail FROM settlement_outbox_log WHERE settlement_id = ? ORDER BY id').all(id)) as Array<{ at: string; from: string; to: string; event: string; detail: string }>;
  }

  private transitionInTx(id: number, event: OutboxEvent): { before: OutboxEntry; after: OutboxEntry } {
    const row = statement(this.db, 'SELECT state, sends, query_failures, note FROM settlement_outbox WHERE settlement_id = ?').get(id) as { state: OutboxState; sends: number; query_failures: number; note: string } | undefined;
    if (!row) throw new Error(`settlement ${id} has no outbox entry`);
    const before: OutboxEntry = { state: row.state, sends: row.sends, queryFailures: row.query_failures, note: row.note };
    return { before, after: transition(before, event, this.limits) };
  }

  private log(id: number, from: string, to: string, event: string, detail: string): void {
    statement(this.db, 'INSERT INTO settlement_outbox_log (settlement_id, at, from_state, to_state, event, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, this.clock().toISOString(), from, to, event, detail.slice(0, 2000));
  }
}

function detailOf(event: OutboxEvent): string {
  if ('message' in event) return event.message;
  if ('reason' in event) return event.reason;
  return '';
}

function toRecord(r: Row): SettlementRecord {
  const provisional: Split = { total: r.prov_total, fund: r.prov_fund, account: r.prov_account, cash: r.prov_cash };
  const centre = r.centre_setl_id === null ? null : (() => {
    const split: Split = { total: r.centre_total!, fund: r.centre_fund!, account: r.centre_account!, cash: r.centre_cash! };
    return {
      setlId: r.centre_setl_id, mdtrtId: r.centre_mdtrt_id!, split,
      difference: { fund: r.diff_fund!, account: r.diff_account!, cash: r.diff_cash!, any: r.diff_fund !== '0.00' || r.diff_account !== '0.00' || r.diff_cash !== '0.00' },
      output: JSON.parse(r.centre_output_json!) as SettleOutput,
      confirmedAt: r.confirmed_at!,
    };
  })();
  return {
    id: r.id, saleRef: r.sale_ref, msgid: r.msgid, psnNo: r.psn_no, insuplcAdmdvs: r.insuplc_admdvs, recordedAt: r.recorded_at,
    request: JSON.parse(r.request_json) as SettleInput, provisional, quote: r.quote_json === null ? null : JSON.parse(r.quote_json) as unknown,
    outbox: { state: r.state, sends: r.sends, queryFailures: r.query_failures, note: r.note, nextAttemptAt: r.next_attempt_at, updatedAt: r.updated_at },
    centre,
  };
}
