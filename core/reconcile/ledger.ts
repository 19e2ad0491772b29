// The store's side of reconciliation: ledger facts (what the store currently knows about each
// settlement, refund and adjustment), the locked entries of closed days, and how the two give each
// open day its entries.
//
//   fact    computed from the store's current data; keyed so the same thing always has the same key
//           ('settlement:12', 'refund:12', 'adjustment:7'). Changes when sync confirms a provisional
//           settlement, a sale is refunded, or a resolution books the centre's version.
//   locked  the entries a closed day was closed with. Never changed (store triggers refuse it).
//   entry   what a day shows: on a closed day its locked entries; on an open day the facts booked on
//           it, plus for any key already locked elsewhere the difference between the fact now and what
//           was locked (an adjustment that names the day it belongs to).
//
// 3201/3202 compare the centre's view of a day with the confirmed facts whose *centre day* is that
// day, whatever day they are booked on, so a re-check of a closed day still compares like with like.
import { type EntryView, type GroupKey } from '../contracts/reconciliation';
import { fmt } from '../money/money';
import { type Calendar } from './calendar';
import { addTotals, isZeroTotals, NO_TOTALS, subtractTotals, sumTotals, type Totals } from './totals';

export type FactKind = 'sale' | 'refund' | 'adjustment';
export type EntryStatus = 'confirmed' | 'provisional';
export const ENTRY_STATUS_ORDER: readonly EntryStatus[] = ['confirmed', 'provisional'];

/**
 * How a fact shows in the store's 3202 detail file row for its settlement:
 *   settlement  the store holds this settlement (count +1, its amounts)
 *   remove      the store gives the settlement up (count −1, minus its amounts)
 *   refund      the settlement is refunded (the row's refund flag)
 *   unrefund    a refund the store had is withdrawn
 *   amounts     the row's amounts change (count 0)
 */
export type DetailEffect = 'settlement' | 'remove' | 'refund' | 'unrefund' | 'amounts';

export interface MaskedPatient {
  readonly name: string;
  readonly idNumber: string;
}

export interface LedgerFact {
  readonly key: string;
  readonly kind: FactKind;
  readonly status: EntryStatus;
  /** The store day it belongs to: the sale day while provisional, the centre's day once confirmed, the refund day for a refund. */
  readonly day: string;
  /** The day the centre counts it on (confirmed facts only). */
  readonly centreDay: string | null;
  readonly at: string;
  readonly group: GroupKey;
  readonly totals: Totals;
  readonly saleId: string | null;
  readonly msgid: string | null;
  readonly setlId: string | null;
  readonly mdtrtId: string | null;
  readonly psnNo: string | null;
  readonly patient: MaskedPatient | null;
  readonly detail: DetailEffect;
  readonly note: string;
}

/** One line of a day: a fact booked on it, a locked line of a closed day, or an adjustment. */
export interface LedgerEntry {
  readonly id: string;
  readonly key: string;
  readonly kind: FactKind;
  readonly status: EntryStatus;
  readonly date: string;
  readonly belongsTo: string | null;
  readonly at: string;
  readonly group: GroupKey;
  readonly totals: Totals;
  readonly saleId: string | null;
  readonly msgid: string | null;
  readonly setlId: string | null;
  readonly patient: MaskedPatient | null;
  readonly note: string;
}

/** What closed days hold for one key, per status, and the first day it was booked for. */
export interface LockedSummary {
  readonly key: string;
  readonly byStatus: Readonly<Partial<Record<EntryStatus, Totals>>>;
  /** The day the key's first locked entry belongs to (its belongsTo, or its own date). */
  readonly firstBelongs: string;
  /** The latest closed day holding an entry of this key. */
  readonly lastDay: string;
  readonly sample: Omit<LedgerEntry, 'id' | 'status' | 'date' | 'belongsTo' | 'totals' | 'kind'>;
}

export function summariseLocked(entries: readonly LedgerEntry[]): Map<string, LockedSummary> {
  const byKey = new Map<string, LedgerEntry[]>();
  for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  const out = new Map<string, LockedSummary>();
  for (const [key, list] of byKey) {
    const sorted = [...list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const byStatus: Partial<Record<EntryStatus, Totals>> = {};
    for (const e of sorted) byStatus[e.status] = addTotals(byStatus[e.status] ?? NO_TOTALS, e.totals);
    const first = sorted[0]!;
    const last = sorted[sorted.length - 1]!;
    const { id: _i, status: _s, date: _d, belongsTo: _b, totals: _t, kind: _k, ...sample } = last;
    out.set(key, { key, byStatus, firstBelongs: first.belongsTo ?? first.date, lastDay: last.date, sample });
  }
  return out;
}

/**
 * The entries the facts and locked lines give open days. Only entries booked on open days are
 * returned (closed days show their locked entries). `locked` must hold the summary of every key of
 * `facts` that closed days hold, and of the keys whose vanished facts should be undone.
 */
export function postings(facts: readonly LedgerFact[], locked: ReadonlyMap<string, LockedSummary>, calendar: Calendar): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const seen = new Set<string>();
  for (const fact of facts) {
    seen.add(fact.key);
    const date = calendar.firstOpenOnOrAfter(fact.day);
    const prior = locked.get(fact.key);
    const base = {
      key: fact.key, at: fact.at, group: fact.group, saleId: fact.saleId, msgid: fact.msgid, setlId: fact.setlId, patient: fact.patient,
    };
    if (!prior) {
      entries.push({ ...base, id: `${fact.key}#${fact.status}`, kind: fact.kind, status: fact.status, date, belongsTo: date === fact.day ? null : fact.day, totals: fact.totals, note: fact.note });
      continue;
    }
    for (const status of ENTRY_STATUS_ORDER) {
      const now = fact.status === status ? fact.totals : NO_TOTALS;
      const delta = subtractTotals(now, prior.byStatus[status] ?? NO_TOTALS);
      if (isZeroTotals(delta)) continue;
      entries.push({ ...base, id: `${fact.key}#${status}`, kind: 'adjustment', status, date, belongsTo: prior.firstBelongs, totals: delta, note: adjustmentNote(fact, status, prior) });
    }
  }
  for (const prior of locked.values()) {
    if (seen.has(prior.key)) continue;
    // The fact is gone (a provisional settlement the centre rejected, say): undo what was locked.
    const date = calendar.firstOpenOnOrAfter(prior.lastDay);
    for (const status of ENTRY_STATUS_ORDER) {
      const held = prior.byStatus[status];
      if (!held || isZeroTotals(held)) continue;
      entries.push({
        ...prior.sample, id: `${prior.key}#${status}`, kind: 'adjustment', status, date, belongsTo: prior.firstBelongs,
        totals: subtractTotals(NO_TOTALS, held), note: `撤销 ${prior.firstBelongs} 已日结的${status === 'provisional' ? '暂估' : ''}记录（该笔已不存在）`,
      });
    }
  }
  return entries;
}

function adjustmentNote(fact: LedgerFact, status: EntryStatus, prior: LockedSummary): string {
  if (status === 'provisional' && fact.status === 'confirmed') return `${prior.firstBelongs} 的暂估结算已由中心确认：冲销暂估`;
  if (status === 'confirmed' && prior.byStatus.provisional && !prior.byStatus.confirmed) return `${prior.firstBelongs} 的暂估结算已由中心确认：按中心金额入账`;
  return `更正 ${prior.firstBelongs} 已日结的记录`;
}

// ── groups and the centre's comparisons ────────────────────────────────────────────────────────

export function groupId(g: GroupKey): string {
  return `${g.insutype}|${g.clrType}|${g.setlOptins}`;
}

export function compareGroups(a: GroupKey, b: GroupKey): number {
  return groupId(a) < groupId(b) ? -1 : groupId(a) > groupId(b) ? 1 : 0;
}

/** Totals per 3201 group of the confirmed facts the centre counts on `day`; `extra` groups appear with zeros. */
export function centreDayGroups(facts: readonly LedgerFact[], day: string, extra: readonly GroupKey[] = []): Array<{ group: GroupKey; totals: Totals }> {
  const groups = new Map<string, { group: GroupKey; totals: Totals }>();
  for (const g of extra) groups.set(groupId(g), { group: g, totals: NO_TOTALS });
  for (const f of facts) {
    if (f.status !== 'confirmed' || f.centreDay !== day) continue;
    const id = groupId(f.group);
    const current = groups.get(id) ?? { group: f.group, totals: NO_TOTALS };
    groups.set(id, { group: current.group, totals: addTotals(current.totals, f.totals) });
  }
  return [...groups.values()].sort((a, b) => compareGroups(a.group, b.group));
}

/** One row of the store's 3202 detail file, before formatting. */
export interface StoreDetailRow {
  readonly setlId: string;
  readonly mdtrtId: string;
  readonly psnNo: string;
  readonly msgid: string | null;
  readonly saleId: string | null;
  readonly setlOptins: string;
  readonly totals: Totals;
  readonly refunded: boolean;
}

/** The store's per-settlement rows for the centre day `day` (settlements it gave up are left out). */
export function storeDetailRows(facts: readonly LedgerFact[], day: string): StoreDetailRow[] {
  interface Acc { setlId: string; mdtrtId: string; psnNo: string; msgid: string | null; saleId: string | null; setlOptins: string; held: number; totals: Totals; refunds: number }
  const rows = new Map<string, Acc>();
  for (const f of facts) {
    if (f.status !== 'confirmed' || f.centreDay !== day || !f.setlId) continue;
    const acc = rows.get(f.setlId) ?? { setlId: f.setlId, mdtrtId: f.mdtrtId ?? '', psnNo: f.psnNo ?? '', msgid: f.msgid, saleId: f.saleId, setlOptins: f.group.setlOptins, held: 0, totals: NO_TOTALS, refunds: 0 };
    if (!acc.mdtrtId && f.mdtrtId) acc.mdtrtId = f.mdtrtId;
    if (!acc.psnNo && f.psnNo) acc.psnNo = f.psnNo;
    acc.msgid ??= f.msgid;
    acc.saleId ??= f.saleId;
    switch (f.detail) {
      case 'settlement': acc.held += 1; acc.totals = addTotals(acc.totals, { ...f.totals, count: 0 }); break;
      case 'remove': acc.held -= 1; acc.totals = addTotals(acc.totals, { ...f.totals, count: 0 }); break;
      case 'amounts': acc.totals = addTotals(acc.totals, { ...f.totals, count: 0 }); break;
      case 'refund': acc.refunds += 1; break;
      case 'unrefund': acc.refunds -= 1; break;
    }
    rows.set(f.setlId, acc);
  }
  return [...rows.values()].filter((r) => r.held > 0).sort((a, b) => (a.setlId < b.setlId ? -1 : 1)).map((r) => ({
    setlId: r.setlId, mdtrtId: r.mdtrtId, psnNo: r.psnNo, msgid: r.msgid, saleId: r.saleId, setlOptins: r.setlOptins,
    totals: { ...r.totals, count: 1 }, refunded: r.refunds > 0,
  }));
}

// ── a day's figures ────────────────────────────────────────────────────────────────────────────

export interface DayFigures {
  readonly confirmed: Totals;
  readonly provisional: Totals;
  readonly adjustments: Totals;
  readonly all: Totals;
}

export function dayFigures(entries: readonly LedgerEntry[]): DayFigures {
  const confirmed = sumTotals(entries.filter((e) => e.status === 'confirmed').map((e) => e.totals));
  const provisional = sumTotals(entries.filter((e) => e.status === 'provisional').map((e) => e.totals));
  const adjustments = sumTotals(entries.filter((e) => e.belongsTo !== null).map((e) => e.totals));
  return { confirmed, provisional, adjustments, all: addTotals(confirmed, provisional) };
}

export function sortEntries(entries: readonly LedgerEntry[]): LedgerEntry[] {
  return [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function entryView(e: LedgerEntry): EntryView {
  return {
    id: e.id, kind: e.kind, status: e.status, at: e.at, date: e.date, belongsTo: e.belongsTo, saleId: e.saleId, msgid: e.msgid, setlId: e.setlId,
    insutype: e.group.insutype, setlOptins: e.group.setlOptins, patient: e.patient, count: e.totals.count,
    medfee: fmt(e.totals.medfee), fund: fmt(e.totals.fund), account: fmt(e.totals.account), cash: fmt(e.totals.cash), note: e.note,
  };
}
