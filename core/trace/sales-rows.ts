// Builds the 3505 商品销售 rows of one settled sale and the 3506 退货 rows of its refund: one row per
// sold line that has a catalogue code, one `drugtracinfo` element per box (a 拆零 line carries the
// opened box's code and trdn_flag 1). Pure: the sale's facts come in, validated row drafts go out.
// Field meanings: core/centre/tx/inventory.ts (sources cited there).
import { type SalesReturnRowDraft, type SalesRowDraft } from '../centre/tx/inventory';
import { formatDateTime } from '../centre/time';
import { decimal } from '../money/money';

export interface ReportLine {
  readonly sku: string;
  readonly name: string;
  readonly qty: string;
  readonly price: string;
  readonly split: boolean;
  readonly traceCodes: readonly string[];
  readonly catalogueCode: string | null;
  /** On the external prescription (the fund may pay for it). */
  readonly prescribed: boolean;
  readonly lotNo?: string | undefined;
  readonly manufacturedOn?: string | undefined;
  readonly expiresOn?: string | undefined;
}

export interface ReportedSale {
  readonly saleId: string;
  /** The settlement attempt of the sale (1 unless the centre refused an earlier one). */
  readonly attempt: number;
  readonly psnNo: string;
  /** The patient's insured division; same city as the store = 本地 (hi_feesetl_type 1), else 异地 (2). */
  readonly insuredRegion: string;
  readonly storeArea: string;
  readonly prescription: { readonly rxNo: string; readonly prescriber: string } | null;
  readonly operatorName: string;
  readonly pharmacist: { readonly name: string; readonly certNo: string } | null;
  readonly lines: readonly ReportLine[];
  readonly at: Date;
}

export interface BuiltRow<T> {
  readonly line: number;
  readonly bchno: string;
  readonly codes: readonly string[];
  readonly row: T;
}

/** The store's row key: `<sale id>.<attempt>-<line>` (returns `-R<line>`), at most 30 characters. */
export function rowKey(saleId: string, attempt: number, line: number, kind: 'sale' | 'return'): string {
  const key = `${saleId}.${attempt}-${kind === 'return' ? 'R' : ''}${line}`;
  if (key.length > 30) throw new Error(`row key ${key} is longer than the 30 characters fixmedins_bchno allows`);
  return key;
}

const count = (qty: string): string => decimal(qty).toFixed(4).replace(/\.?0+$/, '') || '0';

/** hi_feesetl_type: 本地 (1) when the patient is insured in the store's city (same first 4 digits), else 异地 (2). */
export function feeSettlementType(insuredRegion: string, storeArea: string): '1' | '2' {
  return insuredRegion.slice(0, 4) === storeArea.slice(0, 4) ? '1' : '2';
}

export function saleRows(sale: ReportedSale): Array<BuiltRow<SalesRowDraft>> {
  const hiFeesetlType = feeSettlementType(sale.insuredRegion, sale.storeArea);
  const rows: Array<BuiltRow<SalesRowDraft>> = [];
  sale.lines.forEach((line, i) => {
    if (line.catalogueCode === null) return; // no 医疗目录编码: not reportable (an unmapped item, sold for cash)
    const bchno = rowKey(sale.saleId, sale.attempt, i + 1, 'sale');
    const codes = [...line.traceCodes];
    rows.push({
      line: i + 1, bchno, codes,
      row: {
        med_list_codg: line.catalogueCode,
        fixmedins_hilist_id: line.sku,
        fixmedins_hilist_name: line.name,
        fixmedins_bchno: bchno,
        prsc_dr_name: sale.prescription?.prescriber ?? '',
        phar_name: sale.pharmacist?.name ?? '',
        phar_prac_cert_no: sale.pharmacist?.certNo ?? '',
        hi_feesetl_type: hiFeesetlType,
        setl_id: '', // filled in once the centre has booked the settlement
        mdtrt_sn: `${sale.saleId}.${sale.attempt}`,
        psn_no: sale.psnNo,
        psn_cert_type: '01',
        manu_lotnum: line.lotNo ?? '',
        manu_date: line.manufacturedOn ?? '',
        expy_end: line.expiresOn ?? '',
        // 处方药标志 values are [U] (1901 dictionary): 1 for a line on the external prescription, else 0.
        rx_flag: line.prescribed ? '1' : '0',
        trdn_flag: line.split ? '1' : '0',
        finl_trns_pric: line.price,
        rxno: sale.prescription?.rxNo ?? '',
        rx_circ_flag: sale.prescription ? '1' : '0',
        rtal_docno: sale.saleId,
        stoout_no: sale.saleId,
        sel_retn_cnt: count(line.qty),
        sel_retn_time: formatDateTime(sale.at),
        sel_retn_opter_name: sale.operatorName,
        mdtrt_setl_type: '1',
        drugtracinfo: codes.map((c) => ({ drug_trac_codg: c })),
      },
    });
  });
  return rows;
}

/** The refund of a whole sale: one return row per reported sale row, naming it. */
export function returnRows(sold: ReadonlyArray<BuiltRow<SalesRowDraft>>, at: Date, operatorName: string, saleId: string, attempt: number): Array<BuiltRow<SalesReturnRowDraft>> {
  return sold.map((s) => {
    const bchno = rowKey(saleId, attempt, s.line, 'return');
    const r = s.row;
    return {
      line: s.line, bchno, codes: s.codes,
      row: {
        med_list_codg: r.med_list_codg, fixmedins_hilist_id: r.fixmedins_hilist_id, fixmedins_hilist_name: r.fixmedins_hilist_name,
        fixmedins_bchno: bchno, setl_id: '', psn_no: r.psn_no, psn_cert_type: r.psn_cert_type,
        manu_lotnum: r.manu_lotnum, manu_date: r.manu_date, expy_end: r.expy_end, rx_flag: r.rx_flag, trdn_flag: r.trdn_flag,
        finl_trns_pric: r.finl_trns_pric, sel_retn_cnt: r.sel_retn_cnt, sel_retn_time: formatDateTime(at), sel_retn_opter_name: operatorName,
        medins_prod_sel_no: s.bchno, mdtrt_sn: r.mdtrt_sn, drugtracinfo: r.drugtracinfo,
      },
    };
  });
}
