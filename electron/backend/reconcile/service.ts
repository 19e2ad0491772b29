// Daily reconciliation as use cases (issue 7): check a day against the centre (3201 per group,
// 3202 when a group does not balance), close (lock) a day, read days, ranges and discrepancies.
// Resolutions are in ./resolve.ts. Every write that matters is journaled in its own transaction.
import { businessDate } from '../../../core/checkout/business-date';
import { type CentrePort } from '../../../core/centre/port';
import { type Principal } from '../../../core/contracts/auth';
import {
  type CheckRun, type CloseDayRequest, type DayChart, type DaySummary, type DayTotals, type DayView, type Discrepancy, type DiscrepancyQuery,
  type GroupKey, type GroupView, type MonthChart, type RangeView,
} from '../../../core/contracts/reconciliation';
import { addDays, type Calendar, closeRefusal, daysBetween } from '../../../core/reconcile/calendar';
import { chartParts, sumChartParts } from '../../../core/reconcile/charts';
import {
  classifyDetail, type ClassifiedRow, detailFileRows, detailRowView, overallResult, totalsRequest, totalsResult,
} from '../../../core/reconcile/compare';
import {
  detailDiscrepancies, type DiscrepancyFacts, discrepancyId, discrepancyView, notAtCentreDiscrepancy, provisionalDiscrepancy, unknownDiscrepancy,
} from '../../../core/reconcile/discrepancy';
import { PHARMACY_CLEARING_TYPE } from '../../../core/reconcile/facts';
import {
  centreDayGroups, dayFigures, type DayFigures, entryView, groupId, type LedgerEntry, sortEntries, storeDetailRows,
} from '../../../core/reconcile/ledger';
import { sumTotals, totalsFromView, totalsView } from '../../../core/reconcile/totals';
import { fmt } from '../../../core/money/money';
import { type Db } from '../../../native/db/open';
import { type ReconStore, type StoredCheck, type StoredDiscrepancy } from '../../../native/reconcile/store';
import { type Journal } from '../../../native/store/journal';
import { ApiError } from '../http/errors';
import { LedgerReader } from './ledger-reader';

export interface ReconcileDeps {
  readonly db: Db;
  readonly recon: ReconStore;
  readonly centre: CentrePort;
  readonly journal: Journal;
  readonly identity: { readonly fixmedinsCode: string; readonly fixmedinsName: string; readonly mdtrtareaAdmvs: string };
  readonly now: () => Date;
}

const DETAIL_KINDS = ['centre_only', 'store_only', 'mismatch'] as const;
const LOCAL_KINDS = ['provisional_difference', 'not_at_centre', 'outcome_unknown'] as const;
/** Longest range a view or an export covers. */
export const MAX_RANGE_DAYS = 366;

export class ReconcileService {
  readonly ledger: LedgerReader;

  constructor(private readonly deps: ReconcileDeps) {
    this.ledger = new LedgerReader(deps.recon);
  }

  today(): string {
    return businessDate(this.deps.now());
  }

  // ── check ────────────────────────────────────────────────────────────────────────────────────

  /**
   * 3201 for every group of the day (3202 for the groups that do not balance), then the discrepancies.
   * `andThen` runs in the transaction that saves the check: if it throws, nothing of the check is kept.
   */
  async check(date: string, principal: Principal, andThen?: (check: StoredCheck) => void): Promise<StoredCheck> {
    if (date > this.today()) throw new ApiError(422, 'DAY_IN_FUTURE', `${date} 尚未到来，不能对账（今天是 ${this.today()}）`, 'date');
    const facts = this.ledger.centreDayFacts(date);
    const groups = centreDayGroups(facts, date, this.groupsToAsk(date));
    const views: GroupView[] = [];
    for (const { group, totals } of groups) {
      const outcome = await this.deps.centre.reconcileTotals(totalsRequest(group, date, totals));
      const answer = outcome.kind === 'ok' ? totalsResult(outcome.output)
        : { result: 'unavailable' as const, description: outcome.kind === 'rejected' ? `中心拒绝对总账：${outcome.message}` : `医保中心未应答（${outcome.reason}）` };
      views.push({ ...group, store: totalsView(totals), ...answer });
    }
    const messages: string[] = [];
    const classified: Array<{ rows: ClassifiedRow[]; setlOptins: string }> = [];
    let detailFailed = false;
    const unbalancedOptins = [...new Set(views.filter((v) => v.result === 'unbalanced').map((v) => v.setlOptins))];
    const storeRows = storeDetailRows(facts, date);
    for (const setlOptins of unbalancedOptins) {
      const rows = storeRows.filter((r) => r.setlOptins === setlOptins);
      const mine = groups.filter((g) => g.group.setlOptins === setlOptins).map((g) => g.totals);
      const totals = sumTotals(mine);
      const outcome = await this.deps.centre.reconcileDetails({
        rows: detailFileRows(rows), filename: `${this.deps.identity.fixmedinsCode}-${date}-${setlOptins}.txt`,
        data: {
          setl_optins: setlOptins, stmt_begndate: date, stmt_enddate: date, medfee_sumamt: fmt(totals.medfee), fund_pay_sumamt: fmt(totals.fund),
          cash_payamt: fmt(totals.cash), fixmedins_setl_cnt: totals.count, clr_type: PHARMACY_CLEARING_TYPE, refd_setl_flag: '1',
        },
      });
      if (outcome.kind === 'ok') classified.push({ rows: classifyDetail(rows, outcome.output.rows), setlOptins });
      else {
        detailFailed = true;
        messages.push(`对明细账（3202，${setlOptins}）未完成：${outcome.kind === 'rejected' ? outcome.message : outcome.kind === 'unknown' ? outcome.detail : outcome.reason}`);
      }
    }
    const result = overallResult(views.map((v) => v.result));
    const fromDetail = classified.flatMap((c) => detailDiscrepancies(date, c.rows, (m) => this.deps.recon.localByMsgid(m), c.setlOptins));
    // An unknown outcome the centre's 3202 already explains (中心多 under our msgid) is listed once.
    const explained = new Set(fromDetail.map((d) => d.msgid).filter((m): m is string => m !== null));
    const found: DiscrepancyFacts[] = [
      ...fromDetail,
      ...this.deps.recon.provisionalDifferences(date).map(provisionalDiscrepancy).filter((d): d is DiscrepancyFacts => d !== null),
      ...this.deps.recon.notAtCentre(date).map(notAtCentreDiscrepancy),
      ...this.deps.recon.unknownOutcomes(date).filter((u) => !explained.has(u.msgid)).map(unknownDiscrepancy),
    ];
    const identified = found.map((facts) => ({ id: discrepancyId(facts.date, facts.kind, facts.subject), facts }));
    const at = this.deps.now().toISOString();
    const detail = classified.flatMap((c) => c.rows.map(detailRowView));
    if (result === 'balanced') messages.unshift('对账平');
    else if (result === 'unbalanced') messages.unshift(`对账不平：${views.filter((v) => v.result === 'unbalanced').map((v) => `${v.insutype}/${v.setlOptins}`).join('、')}`);
    else if (result === 'unavailable') messages.unshift('医保中心未应答，稍后再对账');
    else messages.unshift('没有需要对账的结算');
    const check: Omit<StoredCheck, 'id'> = { date, at, by: principal.id, result, detailChecked: classified.length > 0, message: messages.join('；'), groups: views, detail };
    const id = this.deps.db.transaction(() => {
      const checkId = this.deps.recon.recordCheck(check);
      const inserted = this.deps.recon.upsertDiscrepancies(identified, at);
      const ids = identified.map((d) => d.id);
      // 3202 kinds go away only when the centre says so: the day balanced, or 3202 listed everything.
      const cleared = result === 'balanced' || (unbalancedOptins.length > 0 && !detailFailed && result === 'unbalanced')
        ? this.deps.recon.dropVanished(DETAIL_KINDS, { from: date, to: date }, ids) : 0;
      const healed = this.deps.recon.dropVanished(LOCAL_KINDS, { from: '0000-01-01', to: date }, ids);
      this.deps.journal.append('reconciliation.checked', { date, by: principal.id, result, groups: views.length, detailChecked: check.detailChecked, found: identified.length, new: inserted, cleared: cleared + healed });
      andThen?.({ ...check, id: checkId });
      return checkId;
    }).immediate();
    return { ...check, id };
  }

  /** Groups to ask the centre about even without sales: those seen in the last month, or the store's own area. */
  private groupsToAsk(date: string): GroupKey[] {
    const since = new Date(Date.parse(`${addDays(date, -31)}T00:00:00Z`) - 8 * 3_600_000).toISOString();
    const seen = this.deps.recon.recentGroups(since).filter((g) => g.insutype && g.setlOptins);
    return seen.length > 0 ? seen : [{ insutype: '310', clrType: PHARMACY_CLEARING_TYPE, setlOptins: this.deps.identity.mdtrtareaAdmvs }];
  }

  // ── close ────────────────────────────────────────────────────────────────────────────────────

  async close(date: string, request: CloseDayRequest, principal: Principal): Promise<DayView> {
    const refusal = closeRefusal(date, this.today(), this.ledger.calendar());
    if (refusal) throw new ApiError(refusal.code === 'DAY_CLOSED' ? 409 : 422, refusal.code, refusal.message, 'date');
    // The final check and the close commit together: a refused close writes nothing (no check row,
    // no journal line, no discrepancy); 对账 (POST …/check) is the way to record a check on its own.
    await this.check(date, principal, (check) => {
      const open = this.deps.recon.openCounts(date, date).get(date) ?? 0;
      if ((check.result !== 'balanced' || open > 0) && !request.acknowledgeUnbalanced) {
        throw new ApiError(409, 'DAY_NOT_BALANCED', `${date} 未对平（${check.message}${open ? `；${open} 条差异未处理` : ''}）。处理差异后再日结，或确认后强制日结（之后的处理记入下一个营业日）；本次日结未记录任何内容，可先点“对账”查看差异`, 'acknowledgeUnbalanced');
      }
      const calendar = this.ledger.calendar();
      if (calendar.isClosed(date)) throw new ApiError(409, 'DAY_CLOSED', `${date} 已日结`, 'date');
      const entries = this.ledger.entries(date, calendar);
      const figures = dayFigures(entries);
      this.deps.recon.closeDay({ date, closedAt: this.deps.now().toISOString(), closedBy: principal.id, note: request.note, checkId: check.id, totals: figuresView(figures) }, entries);
      this.deps.journal.append('reconciliation.day_closed', {
        date, by: principal.id, result: check.result, openDiscrepancies: open, acknowledged: request.acknowledgeUnbalanced, entries: entries.length, totals: figuresView(figures),
      });
    });
    return this.day(date);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────

  checkRange(from: string, to: string): void {
    if (to < from) throw new ApiError(422, 'INVALID_RANGE', `结束日期 ${to} 早于开始日期 ${from}`, 'to');
    if (daysBetween(from, to).length > MAX_RANGE_DAYS) throw new ApiError(422, 'RANGE_TOO_LONG', `一次最多 ${MAX_RANGE_DAYS} 天`, 'to');
  }

  summaries(from: string, to: string, calendar: Calendar = this.ledger.calendar(), entriesByDay = this.ledger.entriesIn(from, to, calendar)): DaySummary[] {
    this.checkRange(from, to);
    const closed = new Map(this.deps.recon.closedDays().map((d) => [d.date, d]));
    const checks = this.deps.recon.lastChecks(from, to);
    const open = this.deps.recon.openCounts(from, to);
    return daysBetween(from, to).map((date) => {
      const c = closed.get(date);
      const check = checks.get(date);
      const openDiscrepancies = open.get(date) ?? 0;
      return {
        date, state: c ? 'closed' : 'open', closedAt: c?.closedAt ?? null, closedBy: c?.closedBy ?? null,
        balanced: check?.result === 'balanced' && openDiscrepancies === 0, lastCheck: check ? checkRun(check) : null,
        totals: figuresView(dayFigures(entriesByDay.get(date) ?? [])), openDiscrepancies,
      };
    });
  }

  day(date: string): DayView {
    const calendar = this.ledger.calendar();
    const entries = this.ledger.entries(date, calendar);
    const summary = this.summaries(date, date, calendar, new Map([[date, entries]]))[0]!;
    const check = this.deps.recon.lastCheck(date);
    const groups = check?.groups ?? centreDayGroups(this.ledger.centreDayFacts(date), date).map(({ group, totals }) => ({ ...group, store: totalsView(totals), result: 'not_checked' as const, description: '尚未对账' }));
    return {
      ...summary, groups, entries: sortEntries(entries).map(entryView), detail: check?.detail ?? [],
      discrepancies: this.deps.recon.discrepancies({ from: date, to: date, status: 'all' }).map(view),
    };
  }

  range(from: string, to: string): RangeView {
    const days = this.summaries(from, to);
    return { from, to, days, total: sumDayTotals(days.map((d) => d.totals)) };
  }

  discrepancies(query: DiscrepancyQuery): Discrepancy[] {
    const from = query.date ?? query.from ?? '0000-01-01';
    const to = query.date ?? query.to ?? '9999-12-31';
    if (to < from) throw new ApiError(422, 'INVALID_RANGE', `结束日期 ${to} 早于开始日期 ${from}`, 'to');
    return this.deps.recon.discrepancies({ from, to, status: query.status }).map(view);
  }

  discrepancyView(id: string): Discrepancy {
    const found = this.deps.recon.discrepancy(id);
    if (!found) throw new ApiError(404, 'DISCREPANCY_NOT_FOUND', `没有差异 ${id}`, 'id');
    return view(found);
  }

  // ── charts ───────────────────────────────────────────────────────────────────────────────────

  dayChart(date: string): DayChart {
    const entries = this.ledger.entries(date);
    const byGroup = new Map<string, { group: GroupKey; entries: LedgerEntry[] }>();
    for (const e of entries) {
      const id = groupId(e.group);
      byGroup.set(id, { group: e.group, entries: [...(byGroup.get(id)?.entries ?? []), e] });
    }
    return {
      date, parts: chartParts(entries),
      groups: [...byGroup.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => ({ ...g.group, parts: chartParts(g.entries) })),
    };
  }

  monthChart(month: string): MonthChart {
    const from = `${month}-01`;
    const to = addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1);
    const calendar = this.ledger.calendar();
    const entriesByDay = this.ledger.entriesIn(from, to, calendar);
    const summaries = this.summaries(from, to, calendar, entriesByDay);
    const days = summaries.map((s) => ({ date: s.date, state: s.state, balanced: s.balanced, parts: chartParts(entriesByDay.get(s.date) ?? []) }));
    return { month, days, total: sumChartParts(days.map((d) => d.parts)) };
  }
}

function checkRun(c: StoredCheck): CheckRun {
  return { at: c.at, by: c.by, result: c.result, detailChecked: c.detailChecked, message: c.message };
}

export function figuresView(f: DayFigures): DayTotals {
  return { confirmed: totalsView(f.confirmed), provisional: totalsView(f.provisional), adjustments: totalsView(f.adjustments), all: totalsView(f.all) };
}

/** The grand total of a range is the sum of its days, so the two can never disagree by a cent. */
export function sumDayTotals(days: readonly DayTotals[]): DayTotals {
  const add = (k: keyof DayTotals) => totalsView(sumTotals(days.map((d) => totalsFromView(d[k]))));
  return { confirmed: add('confirmed'), provisional: add('provisional'), adjustments: add('adjustments'), all: add('all') };
}

function view(d: StoredDiscrepancy): Discrepancy {
  return discrepancyView(d.id, d.facts, d.status, d.resolution);
}
