// The store's reports over all tills (issue 17), read from the store ledger: the range view (per
// day per-till subtotals and the store's totals), the printable 全店日报, the xlsx/CSV export,
// the charts (day and month) and every store-level discrepancy of a range. The figures are the
// facts each till pushed (the same facts the store day's 3201 check and close use); the per-till
// /api/reconciliation/* is unchanged and stays the till's own.
import { type DayChart, type DiscrepancyQuery, type GroupKey, type MonthChart } from '../../../core/contracts/reconciliation';
import { type StoreDiscrepancy, type StoreRangeView, type StoreReportDay, type StoreTotals } from '../../../core/contracts/ledger';
import { addDays, daysBetween } from '../../../core/reconcile/calendar';
import { chartParts, sumChartParts } from '../../../core/reconcile/charts';
import { groupId, type LedgerFact } from '../../../core/reconcile/ledger';
import { storeCsv, storeDailyReportHtml, sumStoreTotals, tillSubtotals } from '../../../core/reconcile/store-report';
import { type StoreDays } from '../../../native/ledger/pg-store-days';
import { storeWorkbook } from '../../../native/reconcile/store-xlsx';
import { ApiError } from '../http/errors';
import { MAX_RANGE_DAYS } from '../reconcile/service';
import { storeDiscrepancyView, type StoreReconciliation } from './store-recon';

export interface StoreReportDeps {
  readonly days: StoreDays;
  readonly recon: StoreReconciliation;
  readonly store: { readonly code: string; readonly name: string };
  readonly now: () => Date;
}

function checkRange(from: string, to: string): void {
  if (to < from) throw new ApiError(422, 'INVALID_RANGE', `结束日期 ${to} 早于开始日期 ${from}`, 'to');
  if (daysBetween(from, to).length > MAX_RANGE_DAYS) throw new ApiError(422, 'RANGE_TOO_LONG', `一次最多 ${MAX_RANGE_DAYS} 天`, 'to');
}

export class StoreReports {
  constructor(private readonly deps: StoreReportDeps) {}

  private async tillIds(): Promise<string[]> {
    return (await this.deps.days.tills()).map((t) => t.tillId);
  }

  private async reportDay(date: string, tills: readonly string[]): Promise<StoreReportDay & { facts: LedgerFact[] }> {
    const [{ byTill }, closed, check, discrepancies] = await Promise.all([
      this.deps.recon.facts(date), this.deps.days.closed(date), this.deps.days.lastCheck(date), this.deps.days.discrepancies(date),
    ]);
    return {
      date, state: closed ? 'closed' : 'open', closed: closed && { at: closed.closedAt, by: closed.closedBy, fromTill: closed.closedFrom },
      result: (check?.result ?? 'not_checked') as StoreReportDay['result'], message: check?.message ?? '尚未对账',
      openDiscrepancies: discrepancies.filter((d) => d.status === 'open').length,
      ...tillSubtotals(tills, byTill, date),
      closedTotals: closed ? closed.totals as StoreTotals : null,
      facts: byTill.map((f) => f.fact).filter((f) => f.day === date),
    };
  }

  private async days(from: string, to: string): Promise<{ tills: string[]; days: Array<StoreReportDay & { facts: LedgerFact[] }> }> {
    checkRange(from, to);
    const tills = await this.tillIds();
    const days = [];
    for (const date of daysBetween(from, to)) days.push(await this.reportDay(date, tills));
    return { tills, days };
  }

  async range(from: string, to: string): Promise<StoreRangeView> {
    const { tills, days } = await this.days(from, to);
    const plain = days.map(({ facts: _facts, ...d }) => d);
    return { from, to, tills, days: plain, total: sumStoreTotals(plain.map((d) => d.totals)) };
  }

  async report(date: string): Promise<string> {
    const [day] = (await this.range(date, date)).days;
    return storeDailyReportHtml(day!, await this.deps.recon.day(date), this.deps.store, this.deps.now().toISOString());
  }

  async csv(from: string, to: string): Promise<string> {
    return storeCsv(await this.range(from, to));
  }

  async xlsx(from: string, to: string): Promise<Buffer> {
    const view = await this.range(from, to);
    return storeWorkbook(view, await this.discrepancies({ from, to, status: 'all' }), this.deps.store, this.deps.now().toISOString());
  }

  async dayChart(date: string): Promise<DayChart> {
    const [day] = (await this.days(date, date)).days;
    const byGroup = new Map<string, { group: GroupKey; facts: LedgerFact[] }>();
    for (const f of day!.facts) byGroup.set(groupId(f.group), { group: f.group, facts: [...(byGroup.get(groupId(f.group))?.facts ?? []), f] });
    return {
      date, parts: chartParts(day!.facts),
      groups: [...byGroup.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => ({ ...g.group, parts: chartParts(g.facts) })),
    };
  }

  async monthChart(month: string): Promise<MonthChart> {
    const from = `${month}-01`;
    const to = addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1);
    const { days } = await this.days(from, to);
    const out = days.map((d) => ({ date: d.date, state: d.state, balanced: d.result === 'balanced' && d.openDiscrepancies === 0, parts: chartParts(d.facts) }));
    return { month, days: out, total: sumChartParts(out.map((d) => d.parts)) };
  }

  /** Every store-level discrepancy of a range (all days by default), naming till and sale, with its latest resolution request. */
  async discrepancies(query: DiscrepancyQuery): Promise<StoreDiscrepancy[]> {
    const from = query.date ?? query.from ?? '0001-01-01'; // PostgreSQL has no year 0
    const to = query.date ?? query.to ?? '9999-12-31';
    if (to < from) throw new ApiError(422, 'INVALID_RANGE', `结束日期 ${to} 早于开始日期 ${from}`, 'to');
    const [rows, requests] = await Promise.all([this.deps.days.discrepanciesIn(from, to, query.status), this.deps.days.resolutionsIn(from, to)]);
    return rows.map((d) => ({ ...storeDiscrepancyView(d, requests), date: d.date }));
  }
}
