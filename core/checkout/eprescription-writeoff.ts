// The 7206 电子处方核销 message of one settled e-prescription sale (fields: core/centre/tx/
// eprescription.ts, restated from binzhe12123/Medical SY.Com.Medical.Model/SYB/CFZX/CFHX7206.cs [P]).
// Two steps, both pure:
//   writeOffDraft(...)    at settlement, inside its transaction: the dispensed lines and who sold them
//   writeOffMessage(...)  when it is sent: the draft + the settlement the centre confirmed (setl_id,
//                         amounts, time) + the 执业药师 set for the operator
// One `selinfo` row per box: the source has a single 追溯码 (char 30) per row, so a line of n boxes is
// n rows, the quantity and amount divided between them (the last row takes the rounding remainder,
// so the rows add up to the line exactly).
import { type EprescriptionWriteOffDraft, type WriteOffLine } from '../centre/tx/eprescription';
import { formatDateTime } from '../centre/time';
import { decimal, fmt, money } from '../money/money';
import { feeSettlementType, type ReportLine } from '../trace/sales-rows';

/** A dispensed line as the 3505 report sees it, with its amount (7206 carries amounts). */
export interface WriteOffSaleLine extends ReportLine {
  readonly amount: string;
}

/** What is known at settlement; setl_id, amounts and pharmacist are added when it is sent. */
export interface WriteOffDraft {
  readonly hiRxno: string;
  /** The epc_token (7201) or auth_rxno (7202) the prescription was downloaded with. */
  readonly downloadId: string;
  readonly dispenser: string;
  /** 本地 (1) when the patient is insured in the store's city, else 异地 (2), as in 3505. */
  readonly hiFeesetlType: '1' | '2';
  readonly soldAt: string;
  readonly lines: readonly WriteOffLine[];
}

export interface ConfirmedSettlement {
  readonly setlId: string;
  readonly setlTime: string;
  readonly fund: string;
  readonly personalPart: string;
  readonly account: string;
  readonly cash: string;
}

const count = (d: ReturnType<typeof decimal>): string => d.toFixed(4).replace(/\.?0+$/, '') || '0';

/** The insured lines with a catalogue code, one row per box (a line without codes is one row). */
export function writeOffRows(lines: readonly WriteOffSaleLine[]): WriteOffLine[] {
  const rows: WriteOffLine[] = [];
  for (const line of lines) {
    if (line.catalogueCode === null) continue;
    const codes = line.traceCodes.length > 0 ? line.traceCodes : [''];
    const n = codes.length;
    const qty = decimal(line.qty);
    const amount = money(line.amount);
    let qtyLeft = qty;
    let amountLeft = amount;
    codes.forEach((code, i) => {
      const last = i === n - 1;
      const rowQty = last ? qtyLeft : decimal(qty.div(n).toFixed(4, 1));
      const rowAmount = last ? amountLeft : money(amount.div(n).toFixed(2, 1));
      qtyLeft = qtyLeft.minus(rowQty);
      amountLeft = amountLeft.minus(rowAmount);
      rows.push({
        med_list_codg: line.catalogueCode!, fixmedins_hilist_id: line.sku, fixmedins_hilist_name: line.name,
        drug_genname: '', drug_prodname: '', drug_dosform: '', drug_spec: '', aprvno: '',
        manu_lotnum: line.lotNo ?? '', prdr_name: '', manu_date: line.manufacturedOn ?? '', expy_end: line.expiresOn ?? '',
        // 处方药标志 values are [U] (as in 3505): 1 for a line on the prescription.
        rx_flag: line.prescribed ? '1' : '0', trdn_flag: line.split ? '1' : '0',
        finl_trns_pric: line.price, bchno: '', drug_trac_codg: code, drug_prod_barc: '', shelf_posi: '',
        sel_retn_cnt: count(rowQty), drug_cnt_unit: '', sumamt: fmt(rowAmount),
      });
    });
  }
  return rows;
}

export function writeOffDraft(input: {
  readonly hiRxno: string; readonly downloadId: string; readonly dispenser: string; readonly insuredRegion: string; readonly storeArea: string;
  readonly at: Date; readonly lines: readonly WriteOffSaleLine[];
}): WriteOffDraft {
  return {
    hiRxno: input.hiRxno, downloadId: input.downloadId, dispenser: input.dispenser,
    hiFeesetlType: feeSettlementType(input.insuredRegion, input.storeArea),
    soldAt: formatDateTime(input.at), lines: writeOffRows(input.lines),
  };
}

/** The message as sent, or why it cannot be (our data is incomplete: it waits for someone to fix it). */
export function writeOffMessage(draft: WriteOffDraft, settlement: ConfirmedSettlement, pharmacist: { name: string; certNo: string; idType?: string; idNo?: string } | null): { message: EprescriptionWriteOffDraft } | { error: string } {
  if (!pharmacist || pharmacist.name === '' || pharmacist.certNo === '') return { error: 'no_pharmacist' };
  if (draft.lines.length === 0) return { error: 'no_lines' };
  const cash = money(settlement.cash);
  const insured = money(settlement.fund).plus(money(settlement.account));
  // 支付方式 [P]: 1 自费, 2 医保, 3 自费+医保.
  const payMode = insured.isZero() ? '1' : cash.isZero() ? '2' : '3';
  return {
    message: {
      data: {
        // 审核药师 and 核对/发药人 are the operator's 执业药师; the ID (证件类型/号码) when the setting has one.
        hi_rxno: draft.hiRxno, phar_cert_type: pharmacist.idType ?? '', phar_certno: pharmacist.idNo ?? '', phar_name: pharmacist.name, phar_prac_cert_no: pharmacist.certNo,
        dspeer_cert_type: '', dspeer_certno: '', dspeer_name: draft.dispenser.slice(0, 40),
        pro_cert_type: pharmacist.idType ?? '', pro_certno: pharmacist.idNo ?? '', pro_name: pharmacist.name.slice(0, 40),
        hi_feesetl_type: draft.hiFeesetlType, setl_id: settlement.setlId, sel_retn_time: draft.soldAt, memo: '',
        download_ide_code: draft.downloadId, payMode,
        fund_pay_sumamt: settlement.fund, psn_part_amt: settlement.personalPart, acct_pay: settlement.account, psn_cash_pay: settlement.cash,
        // A centre that leaves setl_time out: the sale's own time.
        setl_time: settlement.setlTime || draft.soldAt,
      },
      selinfo: [...draft.lines],
    },
  };
}
