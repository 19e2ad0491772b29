// 进销存 inventory uploads: 3501 商品盘存上传, 3502 商品库存变更, 3503 商品采购, 3504 商品采购退货 and
// 3507 商品信息删除. One row per call (the classic form: `infcode` only, no output node).
//
// Sources, restated (field lists, lengths, required flags) [C for the field names]:
//   newtouch-cloud/openhis-itaii (tag v1.1) openhis-server/openhis-ybapp/src/main/java/com/openhis/
//     vo/MedicalInventory3501Param.java  3501 row (node `invinfo`)
//     vo/MedicalInventory3502Param.java  3502 row (node `invinfo`, with `drugtracinfo[]`)
//     vo/Medical3503Param.java           3503 row (node `purcinfo`)
//     vo/MedicalPurchase3504Param.java   3504 row (node `purcinfo`; no lot / maker / 批准文号 there,
//                                        + medins_prod_purc_no)
//     vo/Medical3507Param.java           3507 row (node `data`: fixmedins_bchno, inv_data_type)
//     pojo/InputData.java, constant/InputDataTypeConst.java (the node names invinfo / purcinfo / data)
// Code values the source does not give are [U] and only length-checked here: rx_flag, inv_chg_type,
// prod_geay_flag. inv_data_type's values (1 盘存, 2 库存变更, 3 采购, 4 销售) are [P]
// (/work/shared/research nhsa-interface.md §2.9, S1); 3504 rows are deleted as 3 as well [U].
// Batch forms (3501A …) exist in some provinces; their shape is [U] and not offered.
import { z } from 'zod';
import { code, dateTimeText, dayText, decimalText, optionalCode } from '../fields';
import { DrugTracInfo, type SalesReportInfno } from './inventory';

const positive = decimalText.refine((v) => !v.startsWith('-') && Number(v) > 0, { message: 'must be greater than 0' });
const nonNegative = decimalText.refine((v) => !v.startsWith('-'), { message: 'must not be negative' });
/** Places after the point, as the source's numeric types give them (16 digits with n places). */
const places = (n: number) => (v: string) => !v.includes('.') || v.length - v.indexOf('.') - 1 <= n;
const count4 = positive.refine(places(4), { message: 'at most 4 decimal places' });
const stock2 = nonNegative.refine(places(2), { message: 'at most 2 decimal places' });
const price6 = nonNegative.refine(places(6), { message: 'at most 6 decimal places' });
/** A signed change of stock (a 3502 loss is negative). */
const signedCount4 = decimalText.refine((v) => Number(v) !== 0, { message: 'must not be 0' }).refine(places(4), { message: 'at most 4 decimal places' });

const F = {
  med_list_codg: code(50),
  fixmedins_hilist_id: code(30),
  fixmedins_hilist_name: code(200),
  /** The store's batch serial (定点医药机构批次流水号): the stock batch, not the upload. */
  fixmedins_bchno: code(30),
  rx_flag: code(3),
  memo: optionalCode(500),
  manu_date: dayText,
  expy_end: dayText,
  spler_name: code(200),
  spler_pmtno: optionalCode(50),
  finl_trns_pric: price6.optional(),
  purc_retn_cnt: count4,
  purc_invo_codg: optionalCode(50),
  purc_retn_stoin_time: dateTimeText,
  purc_retn_opter_name: code(50),
};

// Fields in the source's order (the import template's columns follow it).

/** 3501 盘存: the counted stock of one batch. */
export const StockCountRow = z.object({
  med_list_codg: F.med_list_codg, fixmedins_hilist_id: F.fixmedins_hilist_id, fixmedins_hilist_name: F.fixmedins_hilist_name, rx_flag: F.rx_flag,
  invdate: dayText,
  inv_cnt: stock2,
  manu_lotnum: optionalCode(30),
  fixmedins_bchno: F.fixmedins_bchno, manu_date: F.manu_date, expy_end: F.expy_end, memo: F.memo,
}).strict();
export type StockCountRow = z.infer<typeof StockCountRow>;

/** 3502 库存变更: one change of a batch's stock, with the boxes it moved. */
export const StockChangeRow = z.object({
  med_list_codg: F.med_list_codg,
  inv_chg_type: code(6),
  fixmedins_hilist_id: F.fixmedins_hilist_id, fixmedins_hilist_name: F.fixmedins_hilist_name, fixmedins_bchno: F.fixmedins_bchno,
  pric: price6,
  cnt: signedCount4,
  rx_flag: F.rx_flag,
  inv_chg_time: dateTimeText,
  inv_chg_opter_name: optionalCode(50),
  memo: F.memo,
  trdn_flag: z.enum(['0', '1']),
  drugtracinfo: z.array(DrugTracInfo).max(1000).default([]),
}).strict();
export type StockChangeRow = z.infer<typeof StockChangeRow>;

/** 3503 采购: goods received from a supplier. */
export const PurchaseRow = z.object({
  med_list_codg: F.med_list_codg, fixmedins_hilist_id: F.fixmedins_hilist_id, fixmedins_hilist_name: F.fixmedins_hilist_name,
  dynt_no: optionalCode(50),
  fixmedins_bchno: F.fixmedins_bchno, spler_name: F.spler_name, spler_pmtno: F.spler_pmtno,
  manu_lotnum: code(30),
  prodentp_name: code(200),
  aprvno: code(100),
  manu_date: F.manu_date, expy_end: F.expy_end, finl_trns_pric: F.finl_trns_pric, purc_retn_cnt: F.purc_retn_cnt, purc_invo_codg: F.purc_invo_codg,
  purc_invo_no: optionalCode(50),
  rx_flag: F.rx_flag, purc_retn_stoin_time: F.purc_retn_stoin_time, purc_retn_opter_name: F.purc_retn_opter_name,
  prod_geay_flag: code(3),
  memo: F.memo,
}).strict();
export type PurchaseRow = z.infer<typeof PurchaseRow>;

/** 3504 采购退货: goods sent back to the supplier. */
export const PurchaseReturnRow = z.object({
  med_list_codg: F.med_list_codg, fixmedins_hilist_id: F.fixmedins_hilist_id, fixmedins_hilist_name: F.fixmedins_hilist_name,
  fixmedins_bchno: F.fixmedins_bchno, spler_name: F.spler_name, spler_pmtno: F.spler_pmtno, manu_date: F.manu_date, expy_end: F.expy_end,
  finl_trns_pric: F.finl_trns_pric, purc_retn_cnt: F.purc_retn_cnt, purc_invo_codg: F.purc_invo_codg,
  purc_invo_no: code(50),
  rx_flag: F.rx_flag, purc_retn_stoin_time: F.purc_retn_stoin_time, purc_retn_opter_name: F.purc_retn_opter_name, memo: F.memo,
  /** 商品采购流水号: the purchase being returned (its fixmedins_bchno, where the store gives it). */
  medins_prod_purc_no: optionalCode(50),
}).strict();
export type PurchaseReturnRow = z.infer<typeof PurchaseReturnRow>;

/** 3507 删除: a row uploaded before, by its batch serial and kind. */
export const DeleteRow = z.object({
  fixmedins_bchno: F.fixmedins_bchno,
  inv_data_type: z.enum(['1', '2', '3', '4']),
}).strict();
export type DeleteRow = z.infer<typeof DeleteRow>;

export const StockCountInput = z.object({ invinfo: StockCountRow });
export const StockChangeInput = z.object({ invinfo: StockChangeRow });
export const PurchaseInput = z.object({ purcinfo: PurchaseRow });
export const PurchaseReturnInput = z.object({ purcinfo: PurchaseReturnRow });
export const DeleteInput = z.object({ data: DeleteRow });

export const INVENTORY_INFNOS = ['3501', '3502', '3503', '3504', '3507'] as const;
export type InventoryInfno = (typeof INVENTORY_INFNOS)[number];

/** Per kind: the node the row travels in, the row's schema, and the name the manager sees. */
export const INVENTORY_KINDS: Readonly<Record<InventoryInfno, { readonly node: 'invinfo' | 'purcinfo' | 'data'; readonly row: z.ZodType; readonly name: string; readonly dataType: '1' | '2' | '3' | null }>> = {
  '3501': { node: 'invinfo', row: StockCountRow, name: '商品盘存', dataType: '1' },
  '3502': { node: 'invinfo', row: StockChangeRow, name: '商品库存变更', dataType: '2' },
  '3503': { node: 'purcinfo', row: PurchaseRow, name: '商品采购', dataType: '3' },
  '3504': { node: 'purcinfo', row: PurchaseReturnRow, name: '商品采购退货', dataType: '3' },
  '3507': { node: 'data', row: DeleteRow, name: '商品信息删除', dataType: null },
};

/** Everything the reporter uploads row by row: sales (3505/3506 and batch forms) and inventory. */
export type ReportInfno = SalesReportInfno | InventoryInfno;

export function isInventoryInfno(value: string): value is InventoryInfno {
  return (INVENTORY_INFNOS as readonly string[]).includes(value);
}

/** The field names of a kind's row, in the source's order (the CSV/xlsx template's header). */
export function inventoryFields(infno: InventoryInfno): string[] {
  const shape = (INVENTORY_KINDS[infno].row as z.ZodObject<z.ZodRawShape>).shape;
  return Object.keys(shape);
}
