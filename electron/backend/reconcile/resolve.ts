// Resolving a discrepancy (manager only, journaled). The plan comes from core/reconcile/discrepancy.ts;
// this carries it out: the centre call first (outside any transaction, it may take seconds), then
// the store's record of it — the resolution, any adjustment lines, the journal entry — in one
// transaction. A centre call that gets no answer leaves the discrepancy open (503; safe to retry:
// the same settlement keeps its msgid, a reversal is idempotent at the centre).
import { type CentreOutcome } from '../../../core/centre/outcome';
import { type CentrePort } from '../../../core/centre/port';
import { type Principal } from '../../../core/contracts/auth';
import { type Discrepancy, type ResolveRequest, type ResolutionView } from '../../../core/contracts/reconciliation';
import { businessDate, maskName } from '../../../core/checkout/business-date';
import { type AdjustmentDraft, type DiscrepancyFacts, discrepancyView, planResolution, type ResolutionPlan } from '../../../core/reconcile/discrepancy';
import { PHARMACY_CLEARING_TYPE } from '../../../core/reconcile/facts';
import { type MaskedPatient } from '../../../core/reconcile/ledger';
import { fmt, money } from '../../../core/money/money';
import { type Db } from '../../../native/db/open';
import { type ReconStore, type StoredDiscrepancy } from '../../../native/reconcile/store';
import { type Journal } from '../../../native/store/journal';
import { type SaleStore } from '../../../native/store/sale-store';
import { type SyncEngine } from '../../../native/sync/engine';
import { SettlementInputError, type SettlementRecord, type SettlementStore } from '../../../native/sync/settlement-store';
import { ApiError } from '../http/errors';
import { type LedgerReader } from './ledger-reader';
import { ResettleInputError, resettleRequest } from './resettle';

export interface ResolveDeps {
  readonly db: Db;
  readonly recon: ReconStore;
  readonly ledger: LedgerReader;
  readonly centre: CentrePort;
  readonly settlements: SettlementStore;
  readonly sales: SaleStore;
  readonly sync: Pick<SyncEngine, 'syncOne' | 'exclusive'>;
  readonly journal: Journal;
  readonly identity: { readonly mdtrtareaAdmvs: string };
  readonly now: () => Date;
}

/** What a carried-out plan leaves to record. */
interface Outcome {
  readonly amount: string;
  readonly detail: string;
  readonly adjustments: ReadonlyArray<AdjustmentDraft & { readonly where?: Partial<AdjustmentWhere> }>;
}

interface AdjustmentWhere {
  insutype: string; clrType: string; setlOptins: string; setlId: string | null; mdtrtId: string | null; patient: MaskedPatient | null;
}

export class Resolver {
  constructor(private readonly deps: ResolveDeps) {}

  async resolve(id: string, request: ResolveRequest, principal: Principal): Promise<Discrepancy> {
    const stored = this.deps.recon.discrepancy(id);
    if (!stored) throw new ApiError(404, 'DISCREPANCY_NOT_FOUND', `没有差异 ${id}`, 'id');
    const plan = planResolution(stored.facts, stored.status, request.action, request.reason);
    const outcome = await this.carryOut(plan, stored);
    return this.record(stored, request, principal, outcome);
  }

  private async carryOut(plan: ResolutionPlan, d: StoredDiscrepancy): Promise<Outcome> {
    switch (plan.type) {
      case 'refuse': throw new ApiError(plan.status, plan.code, plan.message, plan.field);
      case 'book': return { amount: plan.amount, detail: plan.detail, adjustments: plan.adjustments };
      case 'reverse': return plan.viaOutbox !== null ? this.reverseViaOutbox(plan.viaOutbox, d) : this.reverseDirect(plan.omsgid, plan.psnNo, d.facts);
      case 'confirm': return this.confirm(plan, d.facts);
      case 'book_centre_settlement': return this.bookCentreSettlement(plan.setlId, plan.mdtrtId, plan.psnNo, d.facts);
      case 'resettle': return this.resettle(plan.saleId, plan.requeue, d.id);
    }
  }

  /**
   * Ours and unconfirmed: the outbox gives up on it (escalate) and the sync engine sends the 2601 by
   * its msgid (omsgid). One the engine has already reversed is simply reported.
   */
  private async reverseViaOutbox(settlementId: number, d: StoredDiscrepancy): Promise<Outcome> {
    const record = this.settlement(settlementId);
    const done = (msgid: string): Outcome => ({ amount: '0.00', detail: `已在中心冲正（2601，原报文ID ${msgid}）`, adjustments: [] });
    if (record.outbox.state === 'reversed') return done(record.msgid);
    if (record.outbox.state === 'unknown') this.deps.settlements.apply(settlementId, { type: 'escalate', reason: `店长在对账中冲正（差异 ${d.id}）` });
    else if (record.outbox.state !== 'reversing') throw new ApiError(409, 'SYNC_IN_PROGRESS', `这笔结算正在同步（${record.outbox.state}），请稍后再处理`);
    const after = await this.deps.sync.syncOne(settlementId);
    if (after.outbox.state === 'reversed') return done(after.msgid);
    if (after.outbox.state === 'parked') throw new ApiError(422, 'CENTRE_REJECTED', `中心拒绝冲正：${after.outbox.note}`);
    throw new ApiError(503, 'CENTRE_UNAVAILABLE', '医保中心没有应答，冲正未完成；同步会继续重试，稍后再处理');
  }

  private async reverseDirect(omsgid: string, psnNo: string, f: DiscrepancyFacts): Promise<Outcome> {
    const msgid = this.deps.settlements.allocateMsgid();
    const outcome = await this.deps.centre.reverse({ data: { psn_no: psnNo, omsgid, oinfno: '2102' } }, { msgid, insuplcAdmdvs: this.admdvs(f) });
    this.failUnlessOk(outcome, '冲正');
    return { amount: '0.00', detail: `已在中心冲正（2601 报文ID ${msgid}，原报文ID ${omsgid}）`, adjustments: [] };
  }

  /**
   * Ours, unconfirmed, and the centre's 3202 names it: read it by 5203 (setl_id + mdtrt_id, what
   * every public 5203 takes) with the entry claimed from the sync engine, and book the centre's result
   * on the settlement — also when a reversal was pending (it is then never sent). An entry waiting to
   * be sent again (pending) is sent under its own msgid instead; the centre deduplicates it.
   */
  private async confirm(plan: { settlementId: number; setlId: string; mdtrtId: string; psnNo: string }, f: DiscrepancyFacts): Promise<Outcome> {
    const record = this.settlement(plan.settlementId);
    const booked = (r: SettlementRecord): Outcome => ({ amount: '0.00', detail: `已按中心结果记账（结算ID ${r.centre!.setlId}，原报文ID ${r.msgid}）`, adjustments: [] });
    if (record.outbox.state === 'pending') {
      const after = await this.deps.sync.syncOne(plan.settlementId);
      if (after.centre) return booked(after);
      throw new ApiError(503, 'CENTRE_UNAVAILABLE', `医保中心没有给出结果（同步状态 ${after.outbox.state}）；稍后再处理`);
    }
    return this.deps.sync.exclusive(plan.settlementId, async (now) => {
      if (now.outbox.state === 'confirmed' && now.centre) return booked(now);
      if (!['unknown', 'reversing'].includes(now.outbox.state)) throw new ApiError(409, 'SYNC_IN_PROGRESS', `这笔结算的同步状态是 ${now.outbox.state}，不能按中心记账：请重新对账`);
      const outcome = await this.deps.centre.querySettlement({ data: { psn_no: plan.psnNo, setl_id: plan.setlId, mdtrt_id: plan.mdtrtId } }, { insuplcAdmdvs: this.admdvs(f) });
      const output = this.failUnlessOk(outcome, '查询结算（5203）');
      const info = output.setlinfo;
      if (!info) throw new ApiError(409, 'CENTRE_HAS_NO_SETTLEMENT', `中心已没有结算 ${plan.setlId}（可能已被冲正）：请重新对账`);
      if (info.setl_id && info.setl_id !== plan.setlId) throw new ApiError(502, 'CENTRE_REPLY_MISMATCH', `中心回复的结算ID ${info.setl_id} 不是所查询的 ${plan.setlId}`);
      // The 3202 row tied this setl_id to our msgid; a 5203 reply that names another msgid is not ours.
      if (info.medins_setl_id && info.medins_setl_id !== now.msgid) throw new ApiError(502, 'CENTRE_REPLY_MISMATCH', `中心回复的报文ID ${info.medins_setl_id} 不是本笔的 ${now.msgid}`);
      const after = this.deps.settlements.confirm(now.id, { setlinfo: { ...info, setl_id: plan.setlId, mdtrt_id: info.mdtrt_id || plan.mdtrtId, medins_setl_id: now.msgid }, setldetail: output.setldetail, detlcutinfo: [] }, '5203');
      return booked(after);
    });
  }

  /** Not ours (or ours but given up): read the centre's settlement (5203) and book it as it stands there. */
  private async bookCentreSettlement(setlId: string, mdtrtId: string, psnNo: string, f: DiscrepancyFacts): Promise<Outcome> {
    const outcome = await this.deps.centre.querySettlement({ data: { psn_no: psnNo, setl_id: setlId, mdtrt_id: mdtrtId } }, { insuplcAdmdvs: this.admdvs(f) });
    const output = this.failUnlessOk(outcome, '查询结算（5203）');
    const info = output.setlinfo;
    if (!info) throw new ApiError(409, 'CENTRE_HAS_NO_SETTLEMENT', `中心已没有结算 ${setlId}（可能已被冲正）：请重新对账`);
    const parts = { medfee: info.medfee_sumamt, fund: info.fund_pay_sumamt, account: info.acct_pay, cash: info.psn_cash_pay };
    const where = {
      insutype: info.insutype || f.group?.insutype || '310', clrType: info.clr_type || PHARMACY_CLEARING_TYPE, setlOptins: info.clr_optins || this.admdvs(f),
      setlId: info.setl_id || setlId, mdtrtId: info.mdtrt_id || f.mdtrtId, patient: f.patient ?? (info.psn_name ? { name: maskName(info.psn_name), idNumber: '' } : null),
    };
    const neg = (v: string): string => fmt(money(v).negated());
    const adjustments = [
      { effect: 'settlement' as const, count: 1, parts, note: '按中心记录补记结算', where },
      ...(f.centreRefunded ? [{ effect: 'refund' as const, count: 1, parts: { medfee: neg(parts.medfee), fund: neg(parts.fund), account: neg(parts.account), cash: neg(parts.cash) }, note: '按中心记录补记退费', where }] : []),
    ];
    return { amount: '0.00', detail: `已按中心记录补记（结算ID ${where.setlId}）`, adjustments };
  }

  /**
   * 补结算. A sale the centre lacks gets a NEW settlement only when nothing was ever sent for it; a
   * rejected one is re-queued under its own msgid; one already sent is only followed up (syncOne),
   * never sent again under a new msgid.
   */
  private async resettle(saleId: string, requeue: number | null, discrepancyId: string): Promise<Outcome> {
    const sale = this.deps.sales.get(saleId);
    if (!sale) throw new ApiError(404, 'SALE_NOT_FOUND', `没有单号 ${saleId}`);
    const sent = this.deps.recon.settlementIdsOfSale(saleId);
    let settlementId: number;
    if (requeue !== null || sent.length > 0) {
      settlementId = requeue ?? sent[sent.length - 1]!;
      const record = this.settlement(settlementId);
      if (record.outbox.state === 'parked') this.deps.settlements.apply(settlementId, { type: 'requeue' });
      else if (record.outbox.state === 'reversed') throw new ApiError(409, 'ALREADY_REVERSED', '这笔结算已在中心冲正，不能再按原报文上传，也不能为同一销售另发新结算：请向患者补收或核销');
    } else {
      let built;
      try {
        built = resettleRequest(sale, this.deps.now());
      } catch (error) {
        if (error instanceof ResettleInputError) throw new ApiError(422, 'NOT_RESETTLABLE', error.message);
        throw error;
      }
      try {
        const record = this.deps.settlements.record({ saleRef: `${saleId}/1`, insuplcAdmdvs: built.insuplcAdmdvs, request: built.request, provisional: built.provisional }, (rec) => {
          this.deps.sales.update(saleId, { settlement_id: String(rec.id) });
          this.deps.journal.append('sale.resettle_recorded', { sale: saleId, msgid: rec.msgid, discrepancy: discrepancyId });
        });
        settlementId = record.id;
      } catch (error) {
        if (error instanceof SettlementInputError) throw new ApiError(422, 'NOT_RESETTLABLE', `这张销售单无法生成补结算报文：${error.message}`);
        throw error;
      }
    }
    const after = await this.deps.sync.syncOne(settlementId);
    if (after.centre) {
      const back = fmt(money(after.centre.split.fund).plus(money(after.centre.split.account)));
      const wasSelfPay = sale.state === 'selfpay';
      if (wasSelfPay) {
        this.deps.db.transaction(() => {
          this.deps.sales.update(saleId, { state: 'settled' });
          this.deps.journal.append('sale.resettled', { sale: saleId, setlId: after.centre!.setlId, msgid: after.msgid, fund: after.centre!.split.fund, account: after.centre!.split.account });
        })();
      }
      return wasSelfPay
        ? { amount: back, detail: `补结算成功（结算ID ${after.centre.setlId}）：退还患者已付现金中统筹支付的 ${back} 元`, adjustments: [] }
        : { amount: '0.00', detail: `按原报文ID重新上传，中心已确认（结算ID ${after.centre.setlId}）；与暂估的差额见“暂估差额”`, adjustments: [] };
    }
    if (after.outbox.state === 'parked') throw new ApiError(422, 'CENTRE_REJECTED', `中心拒绝补结算：${after.outbox.note}`);
    throw new ApiError(503, 'CENTRE_UNAVAILABLE', `补结算已发送（报文ID ${after.msgid}），中心尚未给出结果：同步会按同一报文ID继续处理，稍后再来处理这条差异`);
  }

  private record(stored: StoredDiscrepancy, request: ResolveRequest, principal: Principal, outcome: Outcome): Discrepancy {
    const f = stored.facts;
    const at = this.deps.now().toISOString();
    return this.deps.db.transaction(() => {
      const calendar = this.deps.ledger.calendar();
      // Ledger lines belong to the discrepancy's day; money with the patient moves today.
      const bookedOn = calendar.firstOpenOnOrAfter(outcome.adjustments.length > 0 ? f.date : maxDay(f.date, businessDate(this.deps.now())));
      const resolution: ResolutionView = { action: request.action, by: principal.id, at, reason: request.reason, amount: outcome.amount, detail: outcome.detail, bookedOn };
      if (!this.deps.recon.resolve(stored.id, resolution)) throw new ApiError(409, 'DISCREPANCY_RESOLVED', '这条差异已被处理');
      for (const draft of outcome.adjustments) {
        const g = f.group;
        this.deps.recon.addAdjustment(stored.id, draft, {
          day: f.date, centreDay: f.date, at, insutype: draft.where?.insutype ?? g?.insutype ?? '310', clrType: draft.where?.clrType ?? g?.clrType ?? PHARMACY_CLEARING_TYPE,
          setlOptins: draft.where?.setlOptins ?? g?.setlOptins ?? this.admdvs(f), saleId: f.saleId, msgid: f.msgid, setlId: draft.where?.setlId ?? f.setlId,
          mdtrtId: draft.where?.mdtrtId ?? f.mdtrtId, psnNo: f.psnNo, patient: draft.where?.patient ?? f.patient,
        });
      }
      this.deps.journal.append('reconciliation.resolved', {
        discrepancy: stored.id, kind: f.kind, action: request.action, by: principal.id, amount: outcome.amount, adjustments: outcome.adjustments.length,
        bookedOn, saleId: f.saleId, msgid: f.msgid, setlId: f.setlId, detail: outcome.detail, reason: request.reason,
      });
      return discrepancyView(stored.id, f, 'resolved', resolution);
    }).immediate();
  }

  private settlement(id: number): SettlementRecord {
    const record = this.deps.settlements.get(id);
    if (!record) throw new ApiError(404, 'SETTLEMENT_NOT_FOUND', `没有结算记录 ${id}`);
    return record;
  }

  private admdvs(f: DiscrepancyFacts): string {
    return f.insuplcAdmdvs ?? f.group?.setlOptins ?? this.deps.identity.mdtrtareaAdmvs;
  }

  private failUnlessOk<T>(outcome: CentreOutcome<T>, what: string): T {
    if (outcome.kind === 'ok') return outcome.output;
    if (outcome.kind === 'rejected') throw new ApiError(422, 'CENTRE_REJECTED', `中心拒绝${what}：${outcome.message}`);
    throw new ApiError(503, 'CENTRE_UNAVAILABLE', `医保中心没有应答，${what}结果未知；可以安全重试`);
  }
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

