// The store's day across all its tills (with a store ledger): 3201 once per group for the store,
// 3202 over the store's whole detail when a group does not balance, discrepancies naming the till
// and sale, and one close per store and day (the ledger's primary key decides which close wins).
// Without a ledger the per-till reconciliation (../reconcile) is unchanged.
// A resolution is filed in the ledger for the till that owns the settlement (resolve()); that till
// carries it out through its own resolution code at its next ledger sync (./remote-resolve.ts).
import { businessDate } from '../../../core/checkout/business-date';
import { type CentrePort } from '../../../core/centre/port';
import { type Principal } from '../../../core/contracts/auth';
import { type StoreDayView } from '../../../core/contracts/ledger';
import { type CloseDayRequest, DISCREPANCY_KIND_LABELS, DiscrepancyKind, type GroupKey, type GroupView, type ResolveRequest } from '../../../core/contracts/reconciliation';
import { classifyDetail, detailFileRows, detailRowView, overallResult, totalsRequest, totalsResult } from '../../../core/reconcile/compare';
import {
  allowedResolutions, detailDiscrepancies, difference, type DiscrepancyFacts, discrepancyId, type LocalSettlement, planResolution, provisionalDiscrepancy, unknownDiscrepancy,
} from '../../../core/reconcile/discrepancy';
import { adjustmentFact, OURS_UNCONFIRMED_STATES, PHARMACY_CLEARING_TYPE, settlementFacts } from '../../../core/reconcile/facts';
import { centreDayGroups, type LedgerFact, storeDetailRows } from '../../../core/reconcile/ledger';
import { sumTotals, totalsView } from '../../../core/reconcile/totals';
import { fmt } from '../../../core/money/money';
import { type ResolutionRequest, type StoreDays, type StoreDiscrepancyRow, type TillSettlement } from '../../../native/ledger/pg-store-days';
import { type TillFact } from '../../../core/reconcile/store-report';
import { ApiError } from '../http/errors';

export interface StoreReconDeps {
  readonly days: StoreDays;
  readonly centre: CentrePort;
  readonly tillId: string;
  readonly areaCode: string;
  readonly now: () => Date;
  /** Carries out this till's own pending requests now (a resolution filed from its own seat). */
  readonly carryOutOwn?: () => Promise<void>;
}

interface StoreFacts { facts: LedgerFact[]; tillOf: Map<string, TillSettlement>; byTill: TillFact[] }

export class StoreReconciliation {
  constructor(private readonly deps: StoreReconDeps) {}

  /** Every till's facts of the day; keys carry the till, so settlement 12 of T1 and of T2 stay apart. */
  async facts(date: string): Promise<StoreFacts> {
    const settlements = await this.deps.days.settlementsAround(date);
    const adjustments = await this.deps.days.adjustmentsAround(date);
    const tillOf = new Map(settlements.map((s) => [s.source.msgid, s]));
    const byTill: TillFact[] = [
      ...settlements.flatMap((s) => settlementFacts(s.source).map((f) => ({ tillId: s.tillId, fact: { ...f, key: `${s.tillId}:${f.key}` } }))),
      ...adjustments.map((a) => ({ tillId: a.tillId, fact: { ...adjustmentFact(a.source), key: `${a.tillId}:adjustment:${a.source.id}` } })),
    ];
    return { facts: byTill.map((f) => f.fact), tillOf, byTill };
  }

  async check(date: string, principal: Principal): Promise<StoreDayView> {
    if (date > businessDate(this.deps.now())) throw new ApiError(422, 'DAY_IN_FUTURE', `${date} 尚未到来，不能对账`, 'date');
    const { facts, tillOf } = await this.facts(date);
    const centreFacts = facts.filter((f) => f.status === 'confirmed' && f.centreDay === date);
    const recent = (await this.deps.days.recentGroups(date)).filter((g) => g.insutype && g.setlOptins);
    const extra: GroupKey[] = recent.length > 0 ? recent : [{ insutype: '310', clrType: PHARMACY_CLEARING_TYPE, setlOptins: this.deps.areaCode }];
    const groups = centreDayGroups(centreFacts, date, extra);
    const views: GroupView[] = [];
    for (const { group, totals } of groups) {
      const outcome = await this.deps.centre.reconcileTotals(totalsRequest(group, date, totals));
      const answer = outcome.kind === 'ok' ? totalsResult(outcome.output)
        : { result: 'unavailable' as const, description: outcome.kind === 'rejected' ? `中心拒绝对总账：${outcome.message}` : `医保中心未应答（${outcome.reason}）` };
      views.push({ ...group, store: totalsView(totals), ...answer });
    }
    const localByMsgid = (msgid: string): LocalSettlement | undefined => {
      const s = tillOf.get(msgid)?.source;
      if (!s) return undefined;
      const standing: LocalSettlement['standing'] = s.centre ? (s.refundedAt ? 'gone' : 'confirmed') : (OURS_UNCONFIRMED_STATES as readonly string[]).includes(s.outboxState) ? 'unconfirmed' : 'gone';
      return {
        settlementId: s.settlementId, saleId: s.saleId, insuplcAdmdvs: s.insuplcAdmdvs, standing, patient: s.patient,
        group: { insutype: s.centre?.insutype || s.insutype, clrType: s.centre?.clrType || PHARMACY_CLEARING_TYPE, setlOptins: s.centre?.clrOptins || s.insuplcAdmdvs },
      };
    };
    const unbalanced = [...new Set(views.filter((v) => v.result === 'unbalanced').map((v) => v.setlOptins))];
    const storeRows = storeDetailRows(centreFacts, date);
    const messages: string[] = [];
    const found = [];
    const detail = [];
    let detailFailed = false;
    for (const setlOptins of unbalanced) {
      const rows = storeRows.filter((r) => r.setlOptins === setlOptins);
      const totals = sumTotals(groups.filter((g) => g.group.setlOptins === setlOptins).map((g) => g.totals));
      const outcome = await this.deps.centre.reconcileDetails({
        rows: detailFileRows(rows), filename: `${this.deps.days.fixmedinsCode}-${date}-${setlOptins}.txt`,
        data: {
          setl_optins: setlOptins, stmt_begndate: date, stmt_enddate: date, medfee_sumamt: fmt(totals.medfee), fund_pay_sumamt: fmt(totals.fund),
          cash_payamt: fmt(totals.cash), fixmedins_setl_cnt: totals.count, clr_type: PHARMACY_CLEARING_TYPE, refd_setl_flag: '1',
        },
      });
      if (outcome.kind !== 'ok') { detailFailed = true; messages.push(`对明细账（3202，${setlOptins}）未完成`); continue; }
      const classified = classifyDetail(rows, outcome.output.rows);
      detail.push(...classified.map(detailRowView));
      for (const d of detailDiscrepancies(date, classified, localByMsgid, setlOptins)) {
        found.push({ id: discrepancyId(date, d.kind, d.subject), date, kind: d.kind, tillId: d.msgid ? tillOf.get(d.msgid)?.tillId ?? null : null, saleId: d.saleId, msgid: d.msgid, facts: d });
      }
    }
    // The store-level sweep of unknown outcomes: every till's settlement of the day whose outcome is
    // still unknown (its state as the till pushed it), unless the centre's 3202 already explains it.
    const explained = new Set(found.map((d) => d.msgid).filter((m): m is string => m !== null));
    for (const d of storeUnknownOutcomes([...tillOf.values()], date)) if (!d.facts.msgid || !explained.has(d.facts.msgid)) found.push(d.row);
    for (const d of storeProvisionalDifferences([...tillOf.values()], date)) found.push(d.row);
    const result = overallResult(views.map((v) => v.result));
    messages.unshift(result === 'balanced' ? '全店对账平' : result === 'unbalanced' ? '全店对账不平' : result === 'unavailable' ? '医保中心未应答，稍后再对账' : '没有需要对账的结算');
    await this.deps.days.recordCheck({ date, by: principal.id, fromTill: this.deps.tillId, result, message: messages.join('；'), groups: views, detail }, found,
      result === 'balanced' || (result === 'unbalanced' && !detailFailed));
    return this.day(date);
  }

  /**
   * The manager resolves a store-level discrepancy from any till's seat: the request goes into the
   * ledger for the till that owns the settlement (idempotent per store, day, discrepancy, action),
   * never carried out here for another till. A closed day takes no new request.
   */
  async resolve(id: string, request: ResolveRequest, principal: Principal): Promise<StoreDayView> {
    const row = await this.deps.days.discrepancy(id);
    if (!row) throw new ApiError(404, 'DISCREPANCY_NOT_FOUND', `全店没有差异 ${id}`, 'id');
    const already = await this.deps.days.closed(row.date);
    if (already) throw closedBy(already.date, already.closedFrom, already.closedBy);
    const filed = (await this.deps.days.resolutions(row.date)).find((r) => r.discrepancyId === id && r.action === request.action);
    if (!filed || filed.status === 'refused') {
      const plan = planResolution(row.facts as DiscrepancyFacts, row.status, request.action, request.reason);
      if (plan.type === 'refuse') throw new ApiError(plan.status, plan.code, plan.message, plan.field);
      const owner = row.tillId ?? this.deps.tillId;
      const outcome = await this.deps.days.requestResolution({
        date: row.date, discrepancyId: id, action: request.action, tillId: owner, reason: request.reason, facts: row.facts, requestedBy: principal.id, requestedFrom: this.deps.tillId,
      });
      if (outcome === 'closed') {
        const closed = await this.deps.days.closed(row.date);
        throw closedBy(row.date, closed?.closedFrom ?? '?', closed?.closedBy ?? '?');
      }
    }
    if ((row.tillId ?? this.deps.tillId) === this.deps.tillId) await this.deps.carryOutOwn?.();
    return this.day(row.date);
  }

  async close(date: string, request: CloseDayRequest, principal: Principal): Promise<StoreDayView> {
    const already = await this.deps.days.closed(date);
    if (already) throw closedBy(already.date, already.closedFrom, already.closedBy);
    const view = await this.check(date, principal);
    const open = view.discrepancies.filter((d) => d.status === 'open').length;
    // A till that has not pushed everything yet may hold sales of this day: the manager sees which.
    const awaited = view.tills.filter((t) => t.pending > 0).map((t) => t.tillId);
    // A resolution filed but not yet carried out: closing (acknowledged) withdraws it, it is never carried out.
    const resolving = [...new Set(view.discrepancies.filter((d) => d.request?.status === 'pending' || d.request?.status === 'running').map((d) => d.request!.tillId))];
    if ((view.result !== 'balanced' || open > 0 || awaited.length > 0 || resolving.length > 0) && !request.acknowledgeUnbalanced) {
      throw new ApiError(409, 'DAY_NOT_BALANCED', `${date} 全店未对平（${view.message}${open ? `；${open} 条差异未处理` : ''}${awaited.length ? `；等待收银台 ${awaited.join('、')} 上传账本` : ''}${resolving.length ? `；等待收银台 ${resolving.join('、')} 执行差异处理` : ''}）`, 'acknowledgeUnbalanced');
    }
    const outcome = await this.deps.days.close({
      date, closedBy: principal.id, closedFrom: this.deps.tillId, result: view.result, acknowledged: request.acknowledgeUnbalanced,
      totals: view.totals, entries: view.tills,
    });
    if ('running' in outcome) {
      // A till is carrying out a resolution of this day right now: closing under it would change a closed day.
      const tills = [...new Set(outcome.running.map((r) => r.tillId))];
      throw new ApiError(409, 'RESOLUTION_RUNNING', `收银台 ${tills.join('、')} 正在执行 ${date} 的差异处理：请等它完成后再日结（该收银台若已关机，请重新启动它）`, 'date');
    }
    if ('lost' in outcome) {
      const winner = await this.deps.days.closed(date);
      throw closedBy(date, winner?.closedFrom ?? '?', winner?.closedBy ?? '?');
    }
    return this.day(date);
  }

  async day(date: string): Promise<StoreDayView> {
    const [closed, check, discrepancies, tills, { facts }, requests] = await Promise.all([
      this.deps.days.closed(date), this.deps.days.lastCheck(date), this.deps.days.discrepancies(date), this.deps.days.tills(), this.facts(date), this.deps.days.resolutions(date),
    ]);
    const ofDay = facts.filter((f) => f.day === date);
    const byTill = new Map<string, number>();
    for (const f of ofDay) if (f.kind === 'sale') byTill.set(f.key.split(':')[0]!, (byTill.get(f.key.split(':')[0]!) ?? 0) + 1);
    const confirmed = sumTotals(ofDay.filter((f) => f.status === 'confirmed').map((f) => f.totals));
    const provisional = sumTotals(ofDay.filter((f) => f.status === 'provisional').map((f) => f.totals));
    const liveTotals = { confirmed: totalsView(confirmed), provisional: totalsView(provisional), all: totalsView(sumTotals([confirmed, provisional])) };
    return {
      date, state: closed ? 'closed' : 'open',
      closed: closed && { at: closed.closedAt, by: closed.closedBy, fromTill: closed.closedFrom },
      result: (check?.result ?? 'not_checked') as StoreDayView['result'], message: check?.message ?? '尚未对账',
      groups: (check?.groups ?? []) as GroupView[],
      // A closed day shows what it was closed with, for ever.
      totals: closed ? closed.totals as StoreDayView['totals'] : liveTotals,
      tills: closed ? closed.entries as StoreDayView['tills'] : tills.map((t) => ({ ...t, sales: byTill.get(t.tillId) ?? 0 })),
      discrepancies: discrepancies.map((d) => storeDiscrepancyView(d, requests)),
    };
  }
}

/** A store-level discrepancy as the manager sees it, with the latest request for it (a refused one may be followed by another action). */
export function storeDiscrepancyView(d: StoreDiscrepancyRow, requests: readonly ResolutionRequest[]): StoreDayView['discrepancies'][number] {
  const r = requests.filter((q) => q.discrepancyId === d.id).at(-1);
  const kind = DiscrepancyKind.safeParse(d.kind);
  const f = { ...(d.facts as Partial<DiscrepancyFacts>), kind: kind.data ?? 'centre_only' } as DiscrepancyFacts;
  return {
    id: d.id, kind: d.kind, tillId: d.tillId, saleId: d.saleId, msgid: d.msgid, status: d.status, cause: f.cause ?? '',
    label: kind.success ? DISCREPANCY_KIND_LABELS[kind.data] : d.kind, patient: f.patient ?? null, store: f.store ?? null, centre: f.centre ?? null,
    difference: difference(f.store ?? null, f.centre ?? null), allowed: d.status === 'open' && kind.success ? allowedResolutions(f) : [],
    request: r ? requestView(r) : null,
  };
}

function requestView(r: ResolutionRequest): NonNullable<StoreDayView['discrepancies'][number]['request']> {
  const detail = (r.result as { detail?: string } | null)?.detail ?? '';
  const message = r.status === 'pending' ? `等待收银台 ${r.tillId}${r.attempts > 0 ? `（已尝试 ${r.attempts} 次：${r.note}）` : ''}`
    : r.status === 'running' ? `收银台 ${r.tillId} 正在执行`
    : r.status === 'withdrawn' ? `已撤回：${r.note}（收银台 ${r.tillId} 不再执行）`
    : r.status === 'done' ? `收银台 ${r.tillId} 已处理：${detail}` : `收银台 ${r.tillId} 未执行：${r.note}`;
  return { action: r.action, tillId: r.tillId, status: r.status, requestedBy: r.requestedBy, requestedFrom: r.requestedFrom, requestedAt: r.requestedAt, attempts: r.attempts, message, doneAt: r.doneAt };
}

function closedBy(date: string, till: string, by: string): ApiError {
  return new ApiError(409, 'DAY_CLOSED', `${date} 全店已日结（收银台 ${till}，${by}）`, 'date');
}

const UNKNOWN_STATES = ['unknown', 'querying', 'reversing'];

/**
 * Unknown outcomes of `date` across the store's tills, from the settlements they pushed. The
 * subject names the till (settlement:T2-12), so settlement 12 of T1 and of T2 are two rows; the
 * owning till files it under the same id when it carries out a resolution.
 */
export function storeUnknownOutcomes(settlements: readonly TillSettlement[], date: string): Array<{ facts: DiscrepancyFacts; row: Omit<StoreDiscrepancyRow, 'status'> }> {
  return settlements.filter((t) => UNKNOWN_STATES.includes(t.source.outboxState) && t.source.saleDay === date).map(({ tillId, source: s }) => {
    const facts = { ...unknownDiscrepancy({
      settlementId: s.settlementId, saleId: s.saleId, saleDay: s.saleDay, msgid: s.msgid, psnNo: s.psnNo, insuplcAdmdvs: s.insuplcAdmdvs,
      group: { insutype: s.insutype, clrType: PHARMACY_CLEARING_TYPE, setlOptins: s.insuplcAdmdvs }, patient: s.patient,
      provisional: { medfee: s.provisional.total, fund: s.provisional.fund, account: s.provisional.account, cash: s.provisional.cash }, state: s.outboxState,
    }), subject: `settlement:${tillId}-${s.settlementId}` };
    return { facts, row: { id: discrepancyId(facts.date, facts.kind, facts.subject), date: facts.date, kind: facts.kind, tillId, saleId: facts.saleId, msgid: facts.msgid, facts } };
  });
}

/**
 * 暂估差额 of `date` across the store's tills: a settlement a till booked offline on its own estimate
 * that the centre then confirmed at other amounts (and that was not refunded since), from the
 * settlements the tills pushed. Facts pushed before the offline flag was carried are not swept here
 * (their till's own check still finds them). The subject names the till, as for unknown outcomes.
 */
export function storeProvisionalDifferences(settlements: readonly TillSettlement[], date: string): Array<{ facts: DiscrepancyFacts; row: Omit<StoreDiscrepancyRow, 'status'> }> {
  return settlements.filter((t) => t.source.offline === true && t.source.centre !== null && t.source.refundedAt === null && t.source.saleDay === date).flatMap(({ tillId, source: s }) => {
    const c = s.centre!;
    const found = provisionalDiscrepancy({
      settlementId: s.settlementId, saleId: s.saleId, saleDay: s.saleDay, msgid: s.msgid, setlId: c.setlId, psnNo: s.psnNo,
      group: { insutype: c.insutype || s.insutype, clrType: c.clrType || PHARMACY_CLEARING_TYPE, setlOptins: c.clrOptins || s.insuplcAdmdvs },
      patient: s.patient,
      provisional: { medfee: s.provisional.total, fund: s.provisional.fund, account: s.provisional.account, cash: s.provisional.cash },
      centre: { medfee: c.medfee, fund: c.fund, account: c.account, cash: c.cash },
    });
    if (!found) return [];
    const facts = { ...found, subject: `settlement:${tillId}-${s.settlementId}` };
    return [{ facts, row: { id: discrepancyId(facts.date, facts.kind, facts.subject), date: facts.date, kind: facts.kind, tillId, saleId: facts.saleId, msgid: facts.msgid, facts } }];
  });
}
