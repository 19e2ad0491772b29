// A day's (or a range's) ledger entries: closed days from their locked lines, open days from the
// current facts booked by the rules in core/reconcile/ledger.ts.
import { addDays, Calendar, daysBetween } from '../../../core/reconcile/calendar';
import { adjustmentFact, settlementFacts } from '../../../core/reconcile/facts';
import { type LedgerEntry, type LedgerFact, postings, summariseLocked } from '../../../core/reconcile/ledger';
import { type ReconStore } from '../../../native/reconcile/store';

export class LedgerReader {
  constructor(private readonly recon: ReconStore) {}

  calendar(): Calendar {
    return new Calendar(this.recon.closedDays().map((d) => d.date));
  }

  /** Every fact whose settlement or adjustment may concern days in [from, to] (unfiltered). */
  factsAround(from: string, to: string): LedgerFact[] {
    return [
      ...this.recon.settlementsAround(from, to).flatMap(settlementFacts),
      ...this.recon.adjustmentsAround(from, to).map(adjustmentFact),
    ];
  }

  /** The confirmed facts the centre counts on `day` (what 3201/3202 compare). */
  centreDayFacts(day: string): LedgerFact[] {
    return this.factsAround(day, day).filter((f) => f.status === 'confirmed' && f.centreDay === day);
  }

  /**
   * Entries per day for every day in [from, to]. Closed days: their locked lines. Open days: the
   * facts booked on them, including what changed, since the close of the day before, about the
   * closed days just before them (anything earlier was locked by those closes).
   */
  entriesIn(from: string, to: string, calendar: Calendar = this.calendar()): Map<string, LedgerEntry[]> {
    const byDay = new Map<string, LedgerEntry[]>();
    const push = (e: LedgerEntry): void => { byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]); };
    for (const e of this.recon.lockedEntriesIn(from, to)) push(e);
    const open = daysBetween(from, to).filter((d) => !calendar.isClosed(d));
    if (open.length === 0) return byDay;
    const first = open[0]!;
    const last = open[open.length - 1]!;
    const closedAt = new Map(this.recon.closedDays().map((d) => [d.date, d.closedAt]));
    const sources = [...this.recon.settlementsAround(first, last)];
    const adjustments = [...this.recon.adjustmentsAround(first, last)];
    for (const day of open) {
      const before = closedAt.get(addDays(day, -1));
      if (before === undefined) continue;
      sources.push(...this.recon.settlementsChangedSince(before));
      adjustments.push(...this.recon.adjustmentsSince(before));
    }
    // Facts are not filtered by day: each is booked where it belongs and only this range is kept.
    const facts = new Map<string, LedgerFact>();
    const keys = new Set<string>();
    for (const s of sources) { keys.add(`settlement:${s.settlementId}`); keys.add(`refund:${s.settlementId}`); }
    for (const a of adjustments) keys.add(`adjustment:${a.id}`);
    for (const f of [...sources.flatMap(settlementFacts), ...adjustments.map(adjustmentFact)]) facts.set(f.key, f);
    const locked = summariseLocked(this.recon.lockedEntriesForKeys([...keys]));
    for (const e of postings([...facts.values()], locked, calendar)) {
      if (e.date >= from && e.date <= to && !calendar.isClosed(e.date)) push(e);
    }
    return byDay;
  }

  entries(day: string, calendar: Calendar = this.calendar()): LedgerEntry[] {
    return this.entriesIn(day, day, calendar).get(day) ?? [];
  }
}
