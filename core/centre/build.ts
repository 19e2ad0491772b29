// Builds a 2101/2102 input from a basket, computing each line amount (cnt × pric, rounded half-up
// to the cent, as the co-pay engine does) and the total, so a caller cannot send inconsistent sums.
import { decimal, fmt, money, round2, sum } from '../money/money';
import { formatDateTime } from './time';
import { checkSettleInput, type SettleInput } from './tx/settle';
import { describeIssues } from './fields';

export interface BasketLine {
  /** National 医保目录编码 (mapped via 3301). */
  readonly medListCodg: string;
  /** The store's own item code. */
  readonly medinsListCodg: string;
  readonly qty: string;
  readonly price: string;
  readonly rxno?: string;
}

export interface BasketSale {
  readonly psnNo: string;
  readonly certType: '01' | '02' | '03';
  readonly certNo: string;
  readonly insutype: string;
  readonly saleTime: Date;
  readonly useAccount: boolean;
  /**
   * The external prescription (外配处方, rx_circ_flag 1) the lines are on, null for none: its prescriber,
   * whose 医保医师代码 tells the centre the issuing institution of a paper prescription (an e-prescription
   * is known by the lines' rxno = hi_rxno).
   */
  readonly rx: { readonly prescriber: string; readonly prescriberCode: string | null } | null;
  readonly lines: readonly BasketLine[];
  /** 41 定点药店购药 unless a local code applies. */
  readonly medType?: string;
}

/** The validated (and frozen, see checkSettleInput) 2102/2101 input of a basket. */
export function settleInputFromBasket(sale: BasketSale): SettleInput {
  const time = formatDateTime(sale.saleTime);
  const details = sale.lines.map((line, i) => ({
    feedetl_sn: String(i + 1),
    rxno: line.rxno ?? '',
    rx_circ_flag: sale.rx ? '1' as const : '0' as const,
    fee_ocur_time: time,
    med_list_codg: line.medListCodg,
    medins_list_codg: line.medinsListCodg,
    det_item_fee_sumamt: fmt(round2(decimal(line.qty).times(decimal(line.price)))),
    cnt: line.qty,
    pric: line.price,
    ...(sale.rx && { bilg_dr_codg: sale.rx.prescriberCode ?? '', bilg_dr_name: sale.rx.prescriber }),
  }));
  const checked = checkSettleInput({
    druginfo: {
      psn_no: sale.psnNo,
      mdtrt_cert_type: sale.certType,
      mdtrt_cert_no: sale.certNo,
      begntime: time,
      medfee_sumamt: fmt(sum(details.map((d) => money(d.det_item_fee_sumamt)))),
      insutype: sale.insutype,
      med_type: sale.medType ?? '41',
      acct_used_flag: sale.useAccount ? '1' : '0',
    },
    drugdetail: details,
  });
  if (!checked.success) throw new Error(`basket: ${describeIssues(checked.error)}`);
  return checked.data;
}
