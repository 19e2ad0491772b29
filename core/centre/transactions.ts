// The transactions this app speaks, one table: code, name, both schemas, and whether a call changes
// money at the centre (a mutating call with an unknown outcome must be resolved, never just retried).
import { type z } from 'zod';
import { CancelInput, CancelOutput, ReverseInput, ReverseOutput } from './tx/cancel';
import { CatalogueDownloadInput, CatalogueDownloadOutput, DictionaryInput, DictionaryOutput } from './tx/catalogue';
import { HilistPageOutput, HilistQueryInput, SelfPayQueryInput } from './tx/hilist';
import {
  EprescriptionDownloadInput, EprescriptionDownloadOutput, EprescriptionQrInput, EprescriptionQrOutput,
  EprescriptionQueryInput, EprescriptionQueryOutput, EprescriptionReviewInput, EprescriptionWriteOffInput,
} from './tx/eprescription';
import { CumulativeInput, CumulativeOutput } from './tx/cumulative';
import { InstitutionInfoInput, InstitutionInfoOutput } from './tx/institution';
import {
  BatchOutput, NoOutput, SalesBatchInput, SalesInput, SalesReturnBatchInput, SalesReturnInput,
} from './tx/inventory';
import {
  DeleteInput, PurchaseInput, PurchaseReturnInput, StockChangeInput, StockCountInput,
} from './tx/stock';
import { PersonInfoInput, PersonInfoOutput } from './tx/person';
import { QuerySettlementInput, QuerySettlementOutput } from './tx/query';
import {
  DetailInput, DetailOutput, FileDownloadInput, FileUploadInput, FileUploadOutput, TotalsInput, TotalsOutput,
} from './tx/reconcile';
import { BookedSettleOutput, SettleInput, SettleOutput } from './tx/settle';
import { SignInInput, SignInOutput, SignOutInput, SignOutOutput } from './tx/sign';

export interface TransactionSpec {
  readonly infno: string;
  readonly name: string;
  readonly input: z.ZodType;
  /** null for 9102, whose reply is a file, not an envelope. */
  readonly output: z.ZodType | null;
  readonly mutating: boolean;
  /** Carries psn_no, so the envelope needs insuplc_admdvs. */
  readonly personal: boolean;
}

const spec = (infno: string, name: string, input: z.ZodType, output: z.ZodType | null, mutating: boolean, personal: boolean): TransactionSpec =>
  ({ infno, name, input, output, mutating, personal });

export const TRANSACTIONS = {
  '9001': spec('9001', '签到', SignInInput, SignInOutput, false, false),
  '9002': spec('9002', '签退', SignOutInput, SignOutOutput, false, false),
  '1101': spec('1101', '人员信息获取', PersonInfoInput, PersonInfoOutput, false, false),
  '1201': spec('1201', '医药机构信息获取', InstitutionInfoInput, InstitutionInfoOutput, false, false),
  '2101': spec('2101', '药店预结算', SettleInput, SettleOutput, false, true),
  '2102': spec('2102', '药店结算', SettleInput, BookedSettleOutput, true, true),
  '2103': spec('2103', '药店结算撤销', CancelInput, CancelOutput, true, true),
  '2601': spec('2601', '冲正交易', ReverseInput, ReverseOutput, true, true),
  '5203': spec('5203', '结算信息查询', QuerySettlementInput, QuerySettlementOutput, false, true),
  '5206': spec('5206', '人员累计信息查询', CumulativeInput, CumulativeOutput, false, true),
  '3201': spec('3201', '医药机构费用结算对总账', TotalsInput, TotalsOutput, false, false),
  '3202': spec('3202', '医药机构费用结算对明细账', DetailInput, DetailOutput, false, false),
  '9101': spec('9101', '文件上传', FileUploadInput, FileUploadOutput, false, false),
  '9102': spec('9102', '文件下载', FileDownloadInput, null, false, false),
  // Catalogues and dictionaries (tx/catalogue.ts): reference data, read-only.
  '1301': spec('1301', '西药中成药目录下载', CatalogueDownloadInput, CatalogueDownloadOutput, false, false),
  '1306': spec('1306', '医用耗材目录下载', CatalogueDownloadInput, CatalogueDownloadOutput, false, false),
  '1901': spec('1901', '字典表查询', DictionaryInput, DictionaryOutput, false, false),
  // Paged queries for the class and the 乙类 ratio per code (tx/hilist.ts): reference data, read-only.
  '1312': spec('1312', '医保目录信息查询', HilistQueryInput, HilistPageOutput, false, false),
  '1319': spec('1319', '医保目录先自付比例信息查询', SelfPayQueryInput, HilistPageOutput, false, false),
  // 72xx names and numbering from one province's edition [P] (tx/eprescription.ts).
  '7201': spec('7201', '电子处方二维码解析', EprescriptionQrInput, EprescriptionQrOutput, false, false),
  '7202': spec('7202', '电子处方查询（凭就诊凭证）', EprescriptionQueryInput, EprescriptionQueryOutput, false, true),
  '7203': spec('7203', '电子处方下载', EprescriptionDownloadInput, EprescriptionDownloadOutput, false, true),
  // 7204 uploads the pharmacist's review of a downloaded prescription (no money, no output).
  '7204': spec('7204', '电子处方审方结果上传', EprescriptionReviewInput, NoOutput, false, false),
  // 7206 writes a fill off at the e-prescription centre: no money moves; a resend after an unknown
  // outcome goes under the same msgid (queued like 3505, native/trace-report/writeoff-store.ts).
  '7206': spec('7206', '电子处方核销', EprescriptionWriteOffInput, NoOutput, false, false),
  // 进销存 sales reporting (tx/inventory.ts): not money-moving; a resend carries the same row keys
  // (fixmedins_bchno). Rows of several persons travel together, so the envelope names no person.
  '3505': spec('3505', '商品销售', SalesInput, NoOutput, false, false),
  '3506': spec('3506', '商品销售退货', SalesReturnInput, NoOutput, false, false),
  '3505A': spec('3505A', '商品销售（批量）', SalesBatchInput, BatchOutput, false, false),
  '3506A': spec('3506A', '商品销售退货（批量）', SalesReturnBatchInput, BatchOutput, false, false),
  // 进销存 inventory uploads (tx/stock.ts): one row per call, `infcode` only. A resend after an
  // unknown outcome goes under the same msgid (the row's batch serial is not unique per upload).
  '3501': spec('3501', '商品盘存上传', StockCountInput, NoOutput, false, false),
  '3502': spec('3502', '商品库存变更', StockChangeInput, NoOutput, false, false),
  '3503': spec('3503', '商品采购', PurchaseInput, NoOutput, false, false),
  '3504': spec('3504', '商品采购退货', PurchaseReturnInput, NoOutput, false, false),
  '3507': spec('3507', '商品信息删除', DeleteInput, NoOutput, false, false),
} as const satisfies Record<string, TransactionSpec>;

export type Infno = keyof typeof TRANSACTIONS;
export const INFNOS = Object.keys(TRANSACTIONS) as Infno[];

export function isInfno(value: string): value is Infno {
  return Object.prototype.hasOwnProperty.call(TRANSACTIONS, value);
}
