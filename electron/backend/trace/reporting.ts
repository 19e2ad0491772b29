// The checkout's hooks into 进销存 sales reporting: which rows a settled sale queues, what a refused
// or withdrawn settlement voids, and what a refund queues and frees. Kept out of the checkout service
// so its settle/refund paths gain one call each.
import { type ResolvedLine } from '../../../core/checkout/basket';
import { returnRows, saleRows } from '../../../core/trace/sales-rows';
import { type SalesReportStore } from '../../../native/trace-report/store';
import { type SalesReporter } from '../../../native/trace-report/reporter';
import { type WriteOffStore } from '../../../native/trace-report/writeoff-store';
import { writeOffDraft } from '../../../core/checkout/eprescription-writeoff';

export interface SettledSaleFacts {
  readonly saleId: string;
  readonly operatorId: string;
  readonly businessDate: string;
  readonly settlementId: number;
  /** The settlement record's sale_ref is `<sale id>/<attempt>`. */
  readonly saleRef: string;
  readonly psnNo: string;
  readonly insuredRegion: string;
  readonly prescription: { readonly rxNo: string; readonly prescriber: string; readonly items: readonly string[] } | null;
  /** A downloaded e-prescription (7201/7202 + 7203): its number and the token or auth_rxno it came with. */
  readonly eprescription?: { readonly hiRxno: string; readonly downloadId: string } | null;
  readonly lines: readonly ResolvedLine[];
}

export class SaleReporting {
  constructor(
    readonly store: SalesReportStore,
    readonly reporter: SalesReporter,
    private readonly options: { readonly storeArea: string; readonly operatorName: (operatorId: string) => string; readonly now: () => Date },
    /** 7206 write-offs of e-prescription sales (none: not written off). */
    readonly writeOffs?: WriteOffStore,
  ) {}

  /** Inside the settle transaction. Only the insured lines are in the settlement, so only they are reported under its setl_id. */
  queueSale(sale: SettledSaleFacts): void {
    const attempt = Number(sale.saleRef.slice(sale.saleRef.lastIndexOf('/') + 1)) || 1;
    const prescribed = new Set(sale.prescription?.items ?? []);
    const rows = saleRows({
      saleId: sale.saleId, attempt, psnNo: sale.psnNo, insuredRegion: sale.insuredRegion, storeArea: this.options.storeArea,
      prescription: sale.prescription, operatorName: this.options.operatorName(sale.operatorId),
      pharmacist: this.store.pharmacistOf(sale.operatorId), at: this.options.now(),
      lines: sale.lines.filter((l) => l.insured).map((l) => ({
        sku: l.sku, name: l.name, qty: l.qty, price: l.price, split: l.split, traceCodes: l.traceCodes, catalogueCode: l.catalogueCode,
        prescribed: l.catalogueCode !== null && prescribed.has(l.catalogueCode),
        lotNo: l.lotNo, manufacturedOn: l.manufacturedOn, expiresOn: l.expiresOn,
      })),
    });
    this.store.queueSale(sale.saleId, sale.settlementId, sale.businessDate, rows);
    if (sale.eprescription && this.writeOffs) {
      this.writeOffs.queue(sale.saleId, sale.settlementId, sale.businessDate, writeOffDraft({
        hiRxno: sale.eprescription.hiRxno, downloadId: sale.eprescription.downloadId, dispenser: this.options.operatorName(sale.operatorId),
        insuredRegion: sale.insuredRegion, storeArea: this.options.storeArea, at: this.options.now(),
        lines: sale.lines.filter((l) => l.insured).map((l) => ({
          sku: l.sku, name: l.name, qty: l.qty, price: l.price, amount: l.amount, split: l.split, traceCodes: l.traceCodes, catalogueCode: l.catalogueCode,
          prescribed: l.catalogueCode !== null && prescribed.has(l.catalogueCode), lotNo: l.lotNo, manufacturedOn: l.manufacturedOn, expiresOn: l.expiresOn,
        })),
      }));
    }
  }

  /** The centre refused the settlement at once: its rows will never be sent. */
  voidSale(saleId: string, reason: string): void {
    this.store.voidSale(saleId, reason);
    this.writeOffs?.void(saleId, reason);
  }

  /** A provisional sale withdrawn before it reached the centre: nothing to report, its boxes are back on the shelf. */
  withdrawSale(saleId: string): void {
    this.store.db.transaction(() => {
      this.store.voidSale(saleId, 'the sale was cancelled before its settlement reached the centre');
      this.writeOffs?.void(saleId, 'the sale was cancelled before its settlement reached the centre');
      this.store.queueReturn(saleId, () => []);
    })();
  }

  /** Inside the refund's transaction, after 2103 was confirmed: 3506 rows, and the codes are sellable again. */
  queueReturn(saleId: string, operatorId: string): void {
    this.writeOffs?.refunded(saleId);
    const name = this.options.operatorName(operatorId);
    this.store.queueReturn(saleId, (sold) => {
      const attempt = Number(sold[0]!.bchno.slice(sold[0]!.bchno.indexOf('.') + 1, sold[0]!.bchno.lastIndexOf('-'))) || 1;
      return returnRows(sold, this.options.now(), name, saleId, attempt);
    });
  }

  kick(): void {
    this.reporter.kick();
  }
}
