// A day's (or a range's) ledger entries: closed days from their locked lines, open days from the
// current facts booked by the rules in core/reconcile/ledger.ts.
import { Calendar } from '../../../core/reconcile/calendar';
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

  factsForKeys(keys: readonly string[]): LedgerFact[] {
    const ids = (prefix: string): number[] => keys.filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
    const settlementIds = [...new Set([...ids('settlement:'), ...ids('refund:')])];
    const wanted = new Set(keys);
    return [
      ...this.recon.settlementsByIds(settlementIds).flatMap(settlementFacts),
      ...this.recon.adjustmentsByIds(ids('adjustment:')).map(adjustmentFact),
    ].filter((f) => wanted.has(f.key));
  }

  /** Entries per day for every day in [from, to]. */
  entriesIn(from: string, to: string, calendar: Calendar = this.calendar()): Map<string, LedgerEntry[]> {
    const byDay = new Map<string, LedgerEntry[]>();
    const push = (e: LedgerEntry): void => { byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]); };
    for (const e of this.recon.lockedEntriesIn(from, to)) push(e);
    // Open days also receive what belongs to the closed days just before them.
    const start = calendar.feedingDays(from).from;
    const lockedKeys = this.recon.lockedKeysOn(start, to);
    const facts = new Map<string, LedgerFact>();
    for (const f of this.factsAround(start, to)) if (f.day >= start && f.day <= to) facts.set(f.key, f);
    const missing = lockedKeys.filter((k) => !facts.has(k));
    for (const f of this.factsForKeys(missing)) facts.set(f.key, f);
    const locked = summariseLocked(this.recon.lockedEntriesForKeys([...new Set([...facts.keys(), ...lockedKeys])]));
    for (const e of postings([...facts.values()], locked, calendar)) {
      if (e.date >= from && e.date <= to && !calendar.isClosed(e.date)) push(e);
    }
    return byDay;
  }

  entries(day: string, calendar: Calendar = this.calendar()): LedgerEntry[] {
    return this.entriesIn(day, day, calendar).get(day) ?? [];
  }
}
