// Exports of a day or a range (xlsx, CSV) and the printable daily report, built from the same
// views the API returns so the files match the screen to the cent.
import { type InventoryDayView, type ReportDayView } from '../../../core/contracts/trace';
import { type Discrepancy } from '../../../core/contracts/reconciliation';
import { detailCsv, type ExportInput } from '../../../core/reconcile/export-table';
import { entryView, sortEntries } from '../../../core/reconcile/ledger';
import { dailyReportHtml } from '../../../core/reconcile/report';
import { discrepancyView } from '../../../core/reconcile/discrepancy';
import { type ReconStore } from '../../../native/reconcile/store';
import { exportWorkbook } from '../../../native/reconcile/xlsx';
import { type ReconcileService, sumDayTotals } from './service';

export class ReconcileExports {
  constructor(
    private readonly service: ReconcileService,
    private readonly recon: ReconStore,
    private readonly store: { readonly code: string; readonly name: string },
    private readonly now: () => Date,
    /** 进销存上传 per day, for the xlsx (optional: a store without sales reporting has none). */
    private readonly salesReports?: (date: string) => ReportDayView,
    /** 库存上传 per day, for the xlsx. */
    private readonly inventoryUploads?: (date: string) => InventoryDayView,
  ) {}

  input(from: string, to: string): ExportInput {
    this.service.checkRange(from, to);
    const calendar = this.service.ledger.calendar();
    const byDay = this.service.ledger.entriesIn(from, to, calendar);
    const days = this.service.summaries(from, to, calendar, byDay);
    const entries = new Map([...byDay.entries()].map(([date, list]) => [date, sortEntries(list).map(entryView)]));
    const asView = (d: ReturnType<ReconStore['discrepancies']>[number]): Discrepancy => discrepancyView(d.id, d.facts, d.status, d.resolution);
    return {
      store: this.store, from, to, generatedAt: this.now().toISOString(), days, entries, total: sumDayTotals(days.map((d) => d.totals)),
      discrepancies: this.recon.discrepancies({ from, to, status: 'all' }).map(asView),
      resolutions: this.recon.resolutionsBookedIn(from, to).map(asView),
      ...(this.salesReports && { salesReports: days.map((d) => this.salesReports!(d.date)) }),
      ...(this.inventoryUploads && { inventoryUploads: days.map((d) => this.inventoryUploads!(d.date)) }),
    };
  }

  csv(from: string, to: string): string {
    return detailCsv(this.input(from, to));
  }

  xlsx(from: string, to: string): Promise<Buffer> {
    return exportWorkbook(this.input(from, to));
  }

  report(date: string): string {
    const day = this.service.day(date);
    const resolutions = this.recon.resolutionsBookedIn(date, date).map((d) => discrepancyView(d.id, d.facts, d.status, d.resolution));
    return dailyReportHtml(day, resolutions, this.store, this.now().toISOString());
  }
}
