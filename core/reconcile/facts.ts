// Ledger facts from the store's records: a settlement (provisional until the centre confirms it,
// then the centre's amounts on the centre's day), the refund of a confirmed settlement, and the
// adjustments resolutions book. The native loader reads the rows; the rules live here.
import { businessDate } from '../checkout/business-date';
import { money } from '../money/money';
import { type DetailEffect, type LedgerFact, type MaskedPatient } from './ledger';
import { negateTotals, type Totals } from './totals';

/**
 * Outbox states in which the store still expects the centre to book the settlement. `reversing`
 * is not one: the store has given up on it (too many useless queries, or the sale was voided).
 */
export const LIVE_UNCONFIRMED_STATES = ['pending', 'sending', 'unknown', 'querying'] as const;
/**
 * Ours and not given up: still live, or being reversed because its outcome stayed unknown (a 2601
 * not yet answered). The centre may hold it; a 3202 that lists it makes it 中心多, still ours.
 */
export const OURS_UNCONFIRMED_STATES = [...LIVE_UNCONFIRMED_STATES, 'reversing'] as const;

/** 41 定点药店购药: the clearing type of every pharmacy purchase. */
export const PHARMACY_CLEARING_TYPE = '41';

export interface SettlementSource {
  readonly settlementId: number;
  readonly saleId: string | null;
  readonly msgid: string;
  readonly psnNo: string;
  readonly insuplcAdmdvs: string;
  readonly insutype: string;
  readonly recordedAt: string;
  /** The sale's business date (the day it was recorded when no sale row names it). */
  readonly saleDay: string;
  readonly outboxState: string;
  /** Booked offline on the till's own estimate (the sale's provisional flag); absent in facts pushed before it was carried. */
  readonly offline?: boolean;
  readonly provisional: { total: string; fund: string; account: string; cash: string };
  readonly patient: MaskedPatient | null;
  readonly centre: null | {
    readonly setlId: string;
    readonly mdtrtId: string;
    /** setl_time, yyyy-MM-dd HH:mm:ss China time ('' when the centre gave none). */
    readonly setlTime: string;
    readonly confirmedAt: string;
    readonly medfee: string;
    readonly fund: string;
    readonly account: string;
    readonly cash: string;
    readonly insutype: string;
    readonly clrType: string;
    readonly clrOptins: string;
  };
  /** When the store refunded it (2103 done), if it did. */
  readonly refundedAt: string | null;
}

/** The day the centre counts a confirmed settlement on. */
export function centreDayOf(centre: NonNullable<SettlementSource['centre']>): string {
  return /^\d{4}-\d{2}-\d{2}/.test(centre.setlTime) ? centre.setlTime.slice(0, 10) : businessDate(new Date(centre.confirmedAt));
}

/**
 * The centre day a refund is counted on. The sandbox centre counts a cancelled settlement (twice,
 * netting to zero) on the settlement's own day; which day a real centre uses for 3201 with
 * refd_setl_flag 1 is not documented publicly [U] — this is the one place to change it.
 */
export function refundCentreDay(settlementCentreDay: string, _refundDay: string): string {
  return settlementCentreDay;
}

export function settlementFacts(s: SettlementSource): LedgerFact[] {
  const base = { saleId: s.saleId, msgid: s.msgid, psnNo: s.psnNo, patient: s.patient };
  if (s.centre) {
    const c = s.centre;
    const centreDay = centreDayOf(c);
    const group = { insutype: c.insutype || s.insutype, clrType: c.clrType || PHARMACY_CLEARING_TYPE, setlOptins: c.clrOptins || s.insuplcAdmdvs };
    const totals: Totals = { count: 1, medfee: money(c.medfee), fund: money(c.fund), account: money(c.account), cash: money(c.cash) };
    const sale: LedgerFact = {
      ...base, key: `settlement:${s.settlementId}`, kind: 'sale', status: 'confirmed', day: centreDay, centreDay, at: c.confirmedAt, group, totals,
      setlId: c.setlId, mdtrtId: c.mdtrtId, detail: 'settlement', note: '',
    };
    if (!s.refundedAt) return [sale];
    const refundDay = businessDate(new Date(s.refundedAt));
    const refund: LedgerFact = {
      ...base, key: `refund:${s.settlementId}`, kind: 'refund', status: 'confirmed', day: refundDay, centreDay: refundCentreDay(centreDay, refundDay), at: s.refundedAt,
      group, totals: { ...negateTotals(totals), count: 1 }, setlId: c.setlId, mdtrtId: c.mdtrtId, detail: 'refund', note: '退费（2103）',
    };
    return [sale, refund];
  }
  if (!(LIVE_UNCONFIRMED_STATES as readonly string[]).includes(s.outboxState)) return [];
  const p = s.provisional;
  return [{
    ...base, key: `settlement:${s.settlementId}`, kind: 'sale', status: 'provisional', day: s.saleDay, centreDay: null, at: s.recordedAt,
    group: { insutype: s.insutype, clrType: PHARMACY_CLEARING_TYPE, setlOptins: s.insuplcAdmdvs },
    totals: { count: 1, medfee: money(p.total), fund: money(p.fund), account: money(p.account), cash: money(p.cash) },
    setlId: null, mdtrtId: null, detail: 'settlement', note: s.outboxState === 'pending' ? '待上传' : '结果待确认',
  }];
}

/** A ledger line a resolution booked (the centre's version of something the store lacked or had wrong). */
export interface AdjustmentSource {
  readonly id: number;
  readonly discrepancyId: string;
  readonly effect: DetailEffect;
  readonly day: string;
  readonly centreDay: string;
  readonly at: string;
  readonly insutype: string;
  readonly clrType: string;
  readonly setlOptins: string;
  readonly saleId: string | null;
  readonly msgid: string | null;
  readonly setlId: string | null;
  readonly mdtrtId: string | null;
  readonly psnNo: string | null;
  readonly patient: MaskedPatient | null;
  readonly count: number;
  readonly medfee: string;
  readonly fund: string;
  readonly account: string;
  readonly cash: string;
  readonly note: string;
}

export function adjustmentFact(a: AdjustmentSource): LedgerFact {
  return {
    key: `adjustment:${a.id}`, kind: 'adjustment', status: 'confirmed', day: a.day, centreDay: a.centreDay, at: a.at,
    group: { insutype: a.insutype, clrType: a.clrType, setlOptins: a.setlOptins },
    totals: { count: a.count, medfee: money(a.medfee), fund: money(a.fund), account: money(a.account), cash: money(a.cash) },
    saleId: a.saleId, msgid: a.msgid, setlId: a.setlId, mdtrtId: a.mdtrtId, psnNo: a.psnNo, patient: a.patient, detail: a.effect, note: a.note,
  };
}
