// The seams of the centre client.
//   CentrePort      what the rest of the app calls (checkout, sync, reconciliation). Every method
//                   returns a CentreOutcome, never throws for a centre-side problem, so callers have
//                   to decide what an unknown outcome means for them.
//   CentreTransport how an envelope travels (plain HTTP(S) JSON today; gateway-signed or SM2/SM4
//                   variants and a province DLL bridge implement the same interface in native/).
//   FileCodec       zip + base64 for the 9101/9102 file exchange (needs zlib, so it is native).
import { type RequestEnvelope } from './envelope';
import { type CentreOutcome, type UnknownReason } from './outcome';
import { type CentreOperator } from './sign-in';
import { type CatalogueChunk } from './catalogue-download';
import { type CatalogueInfno, type DictionaryInput, type DictionaryOutput } from './tx/catalogue';
import { type HilistInfno, type HilistPageOutput, type HilistQueryInput, type SelfPayQueryInput } from './tx/hilist';
import { type CancelInput, type CancelOutput, type ReverseInput, type ReverseOutput } from './tx/cancel';
import {
  type EprescriptionDownloadInput, type EprescriptionDownloadOutput, type EprescriptionQrInput, type EprescriptionQrOutput,
  type EprescriptionQueryInput, type EprescriptionQueryOutput, type EprescriptionReviewInput,
} from './tx/eprescription';
import { type CumulativeInput, type CumulativeOutput } from './tx/cumulative';
import { type InstitutionInfoInput, type InstitutionInfoOutput } from './tx/institution';
import { type RowVerdict } from './tx/inventory';
import { type ReportInfno } from './tx/stock';
import { type PersonInfoInput, type PersonInfoOutput } from './tx/person';
import { type QuerySettlementInput, type QuerySettlementOutput } from './tx/query';
import {
  type DetailInput, type DetailOutput, type DetailResultRow, type DetailRow, type TotalsInput, type TotalsOutput,
} from './tx/reconcile';
import { type SettleInputDraft, type SettleOutput } from './tx/settle';
import { type SignInOutput, type SignOutOutput } from './tx/sign';

export interface TransportRequest {
  readonly envelope: RequestEnvelope;
  /** The edition's path for this transaction (the transport joins it to its base URL). */
  readonly path?: string;
  /** 'file' for 9102, whose successful reply is the file's bytes. */
  readonly expect: 'json' | 'file';
  /** Overrides the transport's response timeout for this call. */
  readonly timeoutMs?: number;
}

export type TransportResult =
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'file'; readonly bytes: Uint8Array }
  | { readonly kind: 'not_delivered'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: UnknownReason; readonly detail: string };

export interface CentreTransport {
  send(request: TransportRequest): Promise<TransportResult>;
  close?(): Promise<void>;
}

export interface FileCodec {
  zipBase64(filename: string, text: string): string;
  /** Throws on a damaged or unexpected archive. */
  unzipText(bytes: Uint8Array): { filename: string; text: string };
}

/** Calls that carry psn_no need the patient's insured division (from 1101 insuinfo). */
export interface PersonalContext {
  readonly insuplcAdmdvs: string;
}

/** Money-moving calls take a msgid the caller has already persisted. */
export interface PersistedCallContext extends PersonalContext {
  readonly msgid: string;
}

export interface DetailReconciliation {
  readonly rows: readonly DetailRow[];
  readonly data: Omit<DetailInput['data'], 'file_qury_no'>;
  /** Name of the text file inside the uploaded zip. */
  readonly filename: string;
}

export interface CentrePort {
  /**
   * Whether 5203 can find a settlement by our msgid (medins_setl_id), per the interface edition.
   * Without it, a 2102 whose outcome is unknown can only be reversed (2601).
   */
  readonly queriesByMsgid: boolean;
  signIn(): Promise<CentreOutcome<SignInOutput>>;
  /** 9002 for the given operator's sign-in of today (default: the current operator). */
  signOut(operator?: CentreOperator): Promise<CentreOutcome<SignOutOutput>>;
  personInfo(input: PersonInfoInput): Promise<CentreOutcome<PersonInfoOutput>>;
  institutionInfo(input: InstitutionInfoInput): Promise<CentreOutcome<InstitutionInfoOutput>>;
  /** 2101: the centre's split, nothing booked. */
  preSettle(input: SettleInputDraft, context: PersonalContext): Promise<CentreOutcome<SettleOutput>>;
  /** 2102: books the settlement under the caller's persisted msgid. */
  settle(input: SettleInputDraft, context: PersistedCallContext): Promise<CentreOutcome<SettleOutput>>;
  /** 2103: refunds a booked settlement. */
  cancel(input: CancelInput, context: PersistedCallContext): Promise<CentreOutcome<CancelOutput>>;
  /** 2601: undoes the transaction named by input.data.omsgid; the reversal gets its own msgid. */
  reverse(input: ReverseInput, context: PersonalContext & { readonly msgid?: string }): Promise<CentreOutcome<ReverseOutput>>;
  /** 5203: ok with setlinfo null when the centre holds no such settlement. */
  querySettlement(input: QuerySettlementInput, context: PersonalContext): Promise<CentreOutcome<QuerySettlementOutput>>;
  /** 5206: the centre's year-to-date totals for the person (deductible met, fund paid …). */
  cumulativeInfo(input: CumulativeInput, context: PersonalContext): Promise<CentreOutcome<CumulativeOutput>>;
  /** 3201. */
  reconcileTotals(input: TotalsInput): Promise<CentreOutcome<TotalsOutput>>;
  /** 7201: the patient's e-prescription QR → a short-lived epc_token and whose prescription it is. */
  decodeEprescriptionQr(input: EprescriptionQrInput): Promise<CentreOutcome<EprescriptionQrOutput>>;
  /** 7202: the patient's credential → a waiting prescription and its one-time auth_rxno (for 7203). */
  queryEprescription(input: EprescriptionQueryInput): Promise<CentreOutcome<EprescriptionQueryOutput>>;
  /** 7204: the pharmacist's review (审方) of a downloaded prescription. */
  reviewEprescription(input: EprescriptionReviewInput): Promise<CentreOutcome<{ accepted: true }>>;
  /** 7203: the prescription the token names (issuer, validity, prescriber, drug lines). */
  downloadEprescription(input: EprescriptionDownloadInput): Promise<CentreOutcome<EprescriptionDownloadOutput>>;
  /**
   * 3505/3506 (one row in `selinfo`), 3501–3504/3507 (one row in `invinfo` / `purcinfo` / `data`)
   * or 3505A/3506A (rows in `selinfoDetail`), or 7206 (one e-prescription write-off, `data` + `selinfo[]`), under a msgid the
   * caller persisted. `ok` carries one verdict per row sent, in order: a classic rejection is the
   * row's refusal; a batch answers per row (`retRslt`), and a whole-batch rejection stays `rejected`.
   */
  uploadSales(infno: ReportInfno | '7206', input: unknown, context: { readonly msgid: string }): Promise<CentreOutcome<RowVerdict[]>>;
  /** 1301/1306 with the stored version, then (when data_cnt > 0) 9102 for the file it names, unzipped. */
  catalogueChunk(infno: CatalogueInfno, ver: string): Promise<CentreOutcome<CatalogueChunk>>;
  /** 1312 / 1319: one page of the class or 先自付比例 rows updated since data.updt_time (core/centre/tx/hilist.ts). */
  hilistPage(infno: HilistInfno, input: HilistQueryInput | SelfPayQueryInput): Promise<CentreOutcome<HilistPageOutput>>;
  /** 1901: one dictionary type's entries. */
  dictionary(input: DictionaryInput): Promise<CentreOutcome<DictionaryOutput>>;
  /** 9101 upload → 3202 → 9102 download, read back as rows. */
  reconcileDetails(request: DetailReconciliation): Promise<CentreOutcome<{ fileinfo: DetailOutput['fileinfo']; rows: DetailResultRow[] }>>;
}
