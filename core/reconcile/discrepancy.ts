// Discrepancies: what reconciliation found that needs the manager, which resolutions each allows,
// and what a resolution does (the plan the backend carries out). Pure: detection takes the
// classified 3202 rows and the store's records; the plans name centre calls and ledger lines.
//
//   kind                    found by                       allowed resolutions
//   centre_only   中心多     3202 stmt_rslt 1              reverse_at_centre (2601) · record_locally
//   store_only    本地多     3202 stmt_rslt 2              collect_from_patient · write_off
//   mismatch      数据不一致 3202 stmt_rslt 3              record_locally · write_off (+ collect when the centre refunded)
//   provisional_difference  sync: centre ≠ provisional    collect_from_patient or refund_to_patient (by the cash sign) · write_off
//   not_at_centre           self-pay fallback, rejected    resettle (new only if nothing was ever sent; a rejected one is
//                           or reversed settlement          re-queued under its msgid) · collect_from_patient · write_off
//   outcome_unknown         settlement still unknown       reverse_at_centre (2601 by its msgid, through its outbox)
//
// An unconfirmed settlement of ours is never looked up by our msgid (no public 5203 defines that):
// it is reversed by the original msgid (2601 omsgid), or — once the centre's 3202 detail has named
// its setl_id and mdtrt_id (centre_only) — read by 5203 with those and booked on the settlement.
import {
  DISCREPANCY_KIND_LABELS, type Difference, type Discrepancy, type DiscrepancyKind, type GroupKey, type ResolutionAction, type ResolutionView,
} from '../contracts/reconciliation';
import { fmt, money, type Money } from '../money/money';
import { type ClassifiedRow, type MismatchCause } from './compare';
import { type DetailEffect, type MaskedPatient } from './ledger';

export interface PartsText {
  readonly medfee: string;
  readonly fund: string;
  readonly account: string;
  readonly cash: string;
}

/** Where the store stands on a settlement the centre holds (matched by msgid). */
export type LocalStanding =
  | 'unconfirmed'   // ours, outcome not yet known to the store (pending/unknown/querying…)
  | 'confirmed'     // ours and confirmed (reported on another centre day)
  | 'gone'          // ours, but the store holds it as rejected, reversed, refunded or cancelled
  | 'foreign';      // not a msgid of this store's

export type NotAtCentreOrigin = 'selfpay' | 'parked' | 'reversed';

/** Everything a discrepancy needs, stored with it (patient already masked). */
export interface DiscrepancyFacts {
  readonly kind: DiscrepancyKind;
  /** Stable per thing: 'centre:<setl_id>', 'settlement:<id>', 'sale:<id>'. */
  readonly subject: string;
  readonly date: string;
  readonly cause: string;
  readonly saleId: string | null;
  readonly settlementId: number | null;
  readonly msgid: string | null;
  readonly setlId: string | null;
  readonly mdtrtId: string | null;
  readonly psnNo: string | null;
  readonly insuplcAdmdvs: string | null;
  readonly group: GroupKey | null;
  readonly patient: MaskedPatient | null;
  readonly store: PartsText | null;
  readonly centre: PartsText | null;
  readonly standing: LocalStanding | null;
  readonly mismatch: MismatchCause | null;
  readonly centreRefunded: boolean;
  readonly origin: NotAtCentreOrigin | null;
}

const ZERO_PARTS: PartsText = { medfee: '0.00', fund: '0.00', account: '0.00', cash: '0.00' };

export function discrepancyId(date: string, kind: DiscrepancyKind, subject: string): string {
  return `${date.replace(/-/g, '')}.${kind}.${subject.replace(/[^A-Za-z0-9-]/g, '-')}`;
}

export const DISCREPANCY_ID = /^\d{8}\.[a-z_]{1,30}\.[A-Za-z0-9-]{1,90}$/;

export function difference(store: PartsText | null, centre: PartsText | null): Difference {
  const s = store ?? ZERO_PARTS;
  const c = centre ?? ZERO_PARTS;
  return { medfee: fmt(money(c.medfee).minus(money(s.medfee))), fund: fmt(money(c.fund).minus(money(s.fund))), account: fmt(money(c.account).minus(money(s.account))), cash: fmt(money(c.cash).minus(money(s.cash))) };
}

export function allowedResolutions(f: DiscrepancyFacts): ResolutionAction[] {
  switch (f.kind) {
    case 'centre_only':
      return f.standing === 'confirmed' ? ['write_off'] : ['reverse_at_centre', 'record_locally'];
    case 'store_only':
      return ['collect_from_patient', 'write_off'];
    case 'mismatch':
      return f.mismatch === 'refunded_at_centre' ? ['record_locally', 'collect_from_patient', 'write_off'] : ['record_locally', 'write_off'];
    case 'provisional_difference': {
      const cash = money(difference(f.store, f.centre).cash);
      if (cash.isPositive() && !cash.isZero()) return ['collect_from_patient', 'write_off'];
      if (cash.isNegative()) return ['refund_to_patient', 'write_off'];
      return ['write_off'];
    }
    case 'not_at_centre':
      return f.origin === 'selfpay' ? ['resettle', 'write_off'] : f.origin === 'parked' ? ['resettle', 'collect_from_patient', 'write_off'] : ['collect_from_patient', 'write_off'];
    case 'outcome_unknown':
      return ['reverse_at_centre'];
  }
}

// ── detection ──────────────────────────────────────────────────────────────────────────────────

export interface LocalSettlement {
  readonly settlementId: number;
  readonly saleId: string | null;
  readonly insuplcAdmdvs: string;
  readonly standing: LocalStanding;
  readonly patient: MaskedPatient | null;
  readonly group: GroupKey;
}

/** 3202 rows that are not 对平, as discrepancies of `date` (`setlOptins`: the clearing agency the 3202 was for). */
export function detailDiscrepancies(date: string, rows: readonly ClassifiedRow[], localByMsgid: (msgid: string) => LocalSettlement | undefined, setlOptins: string): DiscrepancyFacts[] {
  const out: DiscrepancyFacts[] = [];
  for (const row of rows) {
    if (row.result === 'matched') continue;
    const local = row.msgid ? localByMsgid(row.msgid) : undefined;
    // A refunded settlement nets to zero on either side: show what each side holds after refunds.
    const store = row.store ? (row.store.refunded ? ZERO_PARTS : partsOf(row.store.totals)) : null;
    const centre = row.centre ? (row.centre.refunded ? ZERO_PARTS : { medfee: fmt(row.centre.medfee), fund: fmt(row.centre.fund), account: fmt(row.centre.account), cash: fmt(row.centre.medfee.minus(row.centre.fund).minus(row.centre.account)) }) : null;
    const base = {
      date, setlId: row.setlId, mdtrtId: row.mdtrtId || null, msgid: row.msgid || null, psnNo: row.psnNo || null,
      saleId: row.store?.saleId ?? local?.saleId ?? null, settlementId: local?.settlementId ?? null, insuplcAdmdvs: local?.insuplcAdmdvs ?? setlOptins,
      group: local?.group ?? null, patient: local?.patient ?? null, store, centre, centreRefunded: row.centre?.refunded ?? false, origin: null,
    };
    if (row.result === 'centre_only') {
      const standing = local?.standing ?? 'foreign';
      out.push({ ...base, kind: 'centre_only', subject: `centre:${row.setlId}`, standing, mismatch: null, cause: centreOnlyCause(standing) });
    } else if (row.result === 'store_only') {
      out.push({ ...base, kind: 'store_only', subject: `centre:${row.setlId}`, standing: local?.standing ?? null, mismatch: null, cause: '本店已按中心确认的结果记账，但中心现在没有这笔结算（可能已在中心被冲正）' });
    } else {
      out.push({ ...base, kind: 'mismatch', subject: `centre:${row.setlId}`, standing: local?.standing ?? null, mismatch: row.cause, cause: mismatchCause(row.cause) });
    }
  }
  return out;
}

function centreOnlyCause(standing: LocalStanding): string {
  switch (standing) {
    case 'unconfirmed': return '中心已结算，但本店未收到结果（应答丢失或超时）：可按中心记账（按中心对账明细中的结算ID查询 5203 后记账），或在中心冲正（2601）';
    case 'confirmed': return '中心的这笔结算本店已确认，但记在另一个营业日';
    case 'gone': return '本店认为这笔结算已被拒绝、冲正或撤销，但中心仍有记录';
    case 'foreign': return '中心有一笔本店没有任何记录的结算（报文ID不是本店发出的）';
  }
}

function mismatchCause(cause: MismatchCause | null): string {
  switch (cause) {
    case 'refunded_at_centre': return '中心已撤销（退费）这笔结算，本店没有退费记录：退费只在中心做了';
    case 'refunded_only_here': return '本店记录已退费，中心仍为结算状态';
    default: return '中心与本店的金额不一致';
  }
}

export interface ProvisionalSource {
  readonly settlementId: number;
  readonly saleId: string | null;
  readonly saleDay: string;
  readonly msgid: string;
  readonly setlId: string;
  readonly psnNo: string;
  readonly group: GroupKey;
  readonly patient: MaskedPatient | null;
  readonly provisional: PartsText;
  readonly centre: PartsText;
}

/** A confirmed provisional settlement the centre priced differently. */
export function provisionalDiscrepancy(s: ProvisionalSource): DiscrepancyFacts | null {
  const d = difference(s.provisional, s.centre);
  if (d.fund === '0.00' && d.account === '0.00' && d.cash === '0.00') return null;
  const cash = money(d.cash);
  const what = cash.isZero() ? '患者现金不变' : cash.isNegative() ? `多收患者现金 ${fmt(cash.negated())} 元` : `少收患者现金 ${fmt(cash)} 元`;
  return {
    kind: 'provisional_difference', subject: `settlement:${s.settlementId}`, date: s.saleDay,
    cause: `离线暂估与中心结算不一致：统筹 ${signed(d.fund)}，个人账户 ${signed(d.account)}，${what}`,
    saleId: s.saleId, settlementId: s.settlementId, msgid: s.msgid, setlId: s.setlId, mdtrtId: null, psnNo: s.psnNo, insuplcAdmdvs: s.group.setlOptins,
    group: s.group, patient: s.patient, store: s.provisional, centre: s.centre, standing: 'confirmed', mismatch: null, centreRefunded: false, origin: null,
  };
}

function signed(text: string): string {
  return text.startsWith('-') ? text : `+${text}`;
}

export interface NotAtCentreSource {
  readonly saleId: string;
  readonly saleDay: string;
  readonly origin: NotAtCentreOrigin;
  readonly settlementId: number | null;
  readonly msgid: string | null;
  readonly psnNo: string;
  readonly insuplcAdmdvs: string;
  readonly insutype: string;
  readonly patient: MaskedPatient | null;
  /** What the store estimated (provisional) — for a self-pay sale the insured lines at full cash. */
  readonly store: PartsText;
  readonly note: string;
}

export function notAtCentreDiscrepancy(s: NotAtCentreSource): DiscrepancyFacts {
  const cause = s.origin === 'selfpay' ? '离线时超出暂估限额或无法识别参保信息，按自费收取：可补结算' :
    s.origin === 'parked' ? `中心拒绝了这笔暂估结算${s.note ? `：${s.note}` : ''}` : '这笔结算已在中心冲正，中心没有记录';
  return {
    kind: 'not_at_centre', subject: `sale:${s.saleId}`, date: s.saleDay, cause, saleId: s.saleId, settlementId: s.settlementId, msgid: s.msgid, setlId: null, mdtrtId: null,
    psnNo: s.psnNo, insuplcAdmdvs: s.insuplcAdmdvs, group: { insutype: s.insutype, clrType: '41', setlOptins: s.insuplcAdmdvs }, patient: s.patient,
    store: s.store, centre: null, standing: null, mismatch: null, centreRefunded: false, origin: s.origin,
  };
}

export interface UnknownSource {
  readonly settlementId: number;
  readonly saleId: string | null;
  readonly saleDay: string;
  readonly msgid: string;
  readonly psnNo: string;
  readonly insuplcAdmdvs: string;
  readonly group: GroupKey;
  readonly patient: MaskedPatient | null;
  readonly provisional: PartsText;
  readonly state: string;
}

export function unknownDiscrepancy(s: UnknownSource): DiscrepancyFacts {
  return {
    kind: 'outcome_unknown', subject: `settlement:${s.settlementId}`, date: s.saleDay,
    cause: `结算结果未明（同步状态 ${s.state}）：中心对账明细中没有它；可在中心冲正（2601，按原报文ID），冲正后按“中心无此结算”处理`,
    saleId: s.saleId, settlementId: s.settlementId, msgid: s.msgid, setlId: null, mdtrtId: null, psnNo: s.psnNo, insuplcAdmdvs: s.insuplcAdmdvs,
    group: s.group, patient: s.patient, store: s.provisional, centre: null, standing: 'unconfirmed', mismatch: null, centreRefunded: false, origin: null,
  };
}

function partsOf(t: { medfee: Money; fund: Money; account: Money; cash: Money }): PartsText {
  return { medfee: fmt(t.medfee), fund: fmt(t.fund), account: fmt(t.account), cash: fmt(t.cash) };
}

// ── resolution plans ───────────────────────────────────────────────────────────────────────────

/** A ledger line a resolution books (the centre's version), before the backend dates it. */
export interface AdjustmentDraft {
  readonly effect: DetailEffect;
  readonly count: number;
  readonly parts: PartsText;
  readonly note: string;
}

export type ResolutionPlan =
  | { readonly type: 'refuse'; readonly status: 409 | 422; readonly code: string; readonly message: string; readonly field?: string }
  /** 2601 by the original msgid; through the settlement's outbox when it is ours and unconfirmed. */
  | { readonly type: 'reverse'; readonly omsgid: string; readonly psnNo: string; readonly viaOutbox: number | null }
  /**
   * Ours and unconfirmed, and the centre's 3202 named it: 5203 by setl_id + mdtrt_id, then record
   * the centre's result on the settlement (an entry never sent again waits for its own resend).
   */
  | { readonly type: 'confirm'; readonly settlementId: number; readonly setlId: string; readonly mdtrtId: string; readonly psnNo: string }
  /** 5203 by setl_id + mdtrt_id, then book the centre's settlement (and its refund) as adjustments. */
  | { readonly type: 'book_centre_settlement'; readonly setlId: string; readonly mdtrtId: string; readonly psnNo: string }
  | { readonly type: 'resettle'; readonly saleId: string; readonly requeue: number | null }
  /** Ledger lines and/or money with the patient; nothing at the centre. */
  | { readonly type: 'book'; readonly adjustments: readonly AdjustmentDraft[]; readonly amount: string; readonly detail: string };

export const MIN_WRITE_OFF_REASON = 4;

export function planResolution(f: DiscrepancyFacts, status: 'open' | 'resolved', action: ResolutionAction, reason: string): ResolutionPlan {
  if (status === 'resolved') return { type: 'refuse', status: 409, code: 'DISCREPANCY_RESOLVED', message: '这条差异已处理过，不能重复处理' };
  const allowed = allowedResolutions(f);
  if (!allowed.includes(action)) {
    return { type: 'refuse', status: 422, code: 'RESOLUTION_NOT_ALLOWED', message: `“${DISCREPANCY_KIND_LABELS[f.kind]}”不能这样处理；可选：${allowed.join(', ')}`, field: 'action' };
  }
  if (action === 'write_off' && reason.trim().length < MIN_WRITE_OFF_REASON) {
    return { type: 'refuse', status: 422, code: 'REASON_REQUIRED', message: `核销需要写明原因（至少 ${MIN_WRITE_OFF_REASON} 个字）`, field: 'reason' };
  }
  const storeGiven = (sign: 1 | -1, effect: DetailEffect, count: number, note: string): AdjustmentDraft => ({ effect, count, parts: scale(f.store ?? ZERO_PARTS, sign), note });
  const claim = f.store ? fmt(money(f.store.fund).plus(money(f.store.account))) : '0.00';
  switch (f.kind) {
    case 'centre_only':
      if (action === 'reverse_at_centre') {
        if (!f.msgid || !f.psnNo) return { type: 'refuse', status: 422, code: 'NOT_REVERSIBLE', message: '中心结果没有给出原报文ID或人员编号，无法冲正' };
        return { type: 'reverse', omsgid: f.msgid, psnNo: f.psnNo, viaOutbox: f.standing === 'unconfirmed' ? f.settlementId : null };
      }
      if (action === 'record_locally') {
        // 5203 needs psn_no, setl_id and mdtrt_id (S1 JS5203.cs): all three come from the 3202 row.
        if (!f.setlId || !f.mdtrtId || !f.psnNo) return { type: 'refuse', status: 422, code: 'NOT_RECORDABLE', message: '中心对账明细缺少结算ID、就诊ID或人员编号，无法查询（5203）' };
        if (f.standing === 'unconfirmed' && f.settlementId !== null) return { type: 'confirm', settlementId: f.settlementId, setlId: f.setlId, mdtrtId: f.mdtrtId, psnNo: f.psnNo };
        return { type: 'book_centre_settlement', setlId: f.setlId, mdtrtId: f.mdtrtId, psnNo: f.psnNo };
      }
      return { type: 'book', adjustments: [], amount: '0.00', detail: '已确认：记在另一个营业日' };
    case 'store_only': {
      const removal = storeGiven(-1, 'remove', -1, '中心没有这笔结算：本店冲销');
      return action === 'collect_from_patient'
        ? { type: 'book', adjustments: [removal], amount: claim, detail: `向患者补收统筹和个人账户部分 ${claim} 元` }
        : { type: 'book', adjustments: [removal], amount: claim, detail: `核销 ${claim} 元（中心不再支付）` };
    }
    case 'mismatch': {
      if (f.mismatch === 'refunded_at_centre') {
        const refund = storeGiven(-1, 'refund', 1, '按中心记录：该笔已在中心退费');
        if (action === 'record_locally') return { type: 'book', adjustments: [refund], amount: '0.00', detail: '按中心记录补记退费' };
        if (action === 'collect_from_patient') return { type: 'book', adjustments: [refund], amount: claim, detail: `补记退费，并向患者补收 ${claim} 元` };
        return { type: 'book', adjustments: [refund], amount: claim, detail: `补记退费，核销 ${claim} 元` };
      }
      if (f.mismatch === 'refunded_only_here') {
        // The store's side nets to zero here; the settlement's amounts are the centre's.
        const held = f.centre ?? ZERO_PARTS;
        const unrefund: AdjustmentDraft = { effect: 'unrefund', count: -1, parts: held, note: '按中心记录：该笔在中心未退费' };
        const gain = fmt(money(held.fund).plus(money(held.account)));
        return { type: 'book', adjustments: [unrefund], amount: action === 'write_off' ? gain : '0.00', detail: '按中心记录撤销本店的退费记录' };
      }
      const d = difference(f.store, f.centre);
      const amounts: AdjustmentDraft = { effect: 'amounts', count: 0, parts: d, note: '按中心金额更正' };
      const gap = fmt(money(d.fund).plus(money(d.account)).abs());
      return { type: 'book', adjustments: [amounts], amount: action === 'write_off' ? gap : '0.00', detail: '按中心金额更正本店记录' };
    }
    case 'provisional_difference': {
      const cash = money(difference(f.store, f.centre).cash);
      const amount = fmt(cash.abs());
      if (action === 'collect_from_patient') return { type: 'book', adjustments: [], amount, detail: `向患者补收现金 ${amount} 元` };
      if (action === 'refund_to_patient') return { type: 'book', adjustments: [], amount, detail: `退还患者现金 ${amount} 元` };
      return { type: 'book', adjustments: [], amount, detail: `核销暂估差额 ${amount} 元` };
    }
    case 'not_at_centre': {
      if (action === 'resettle') {
        if (!f.saleId) return { type: 'refuse', status: 422, code: 'NOT_RESETTLABLE', message: '没有对应的销售单，无法补结算' };
        return { type: 'resettle', saleId: f.saleId, requeue: f.origin === 'parked' ? f.settlementId : null };
      }
      const owed = f.origin === 'selfpay' ? '0.00' : claim;
      if (action === 'collect_from_patient') return { type: 'book', adjustments: [], amount: owed, detail: `向患者补收统筹和个人账户部分 ${owed} 元` };
      return { type: 'book', adjustments: [], amount: owed, detail: f.origin === 'selfpay' ? '患者已全额自费，不再补结算' : `核销 ${owed} 元（中心不支付）` };
    }
    case 'outcome_unknown':
      if (f.settlementId === null || !f.msgid || !f.psnNo) return { type: 'refuse', status: 422, code: 'NOT_REVERSIBLE', message: '没有对应的结算记录（原报文ID、人员编号），无法冲正' };
      return { type: 'reverse', omsgid: f.msgid, psnNo: f.psnNo, viaOutbox: f.settlementId };
  }
}

function scale(p: PartsText, sign: 1 | -1): PartsText {
  const s = (v: string): string => fmt(money(v).times(sign));
  return { medfee: s(p.medfee), fund: s(p.fund), account: s(p.account), cash: s(p.cash) };
}

// ── view ───────────────────────────────────────────────────────────────────────────────────────

export function discrepancyView(id: string, f: DiscrepancyFacts, status: 'open' | 'resolved', resolution: ResolutionView | null): Discrepancy {
  return {
    id, date: f.date, kind: f.kind, label: DISCREPANCY_KIND_LABELS[f.kind], cause: f.cause, saleId: f.saleId, msgid: f.msgid, setlId: f.setlId,
    patient: f.patient, store: f.store, centre: f.centre, difference: difference(f.store, f.centre),
    allowed: status === 'open' ? allowedResolutions(f) : [], status, resolution,
  };
}
