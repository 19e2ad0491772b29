// The store ledger as the till sees it: a port, so the checkout and reconciliation never depend on
// which database holds the ledger (native/ledger/pg-ledger.ts is the PostgreSQL adapter).
//
// Each till pushes the facts it owns, numbered by its own sequence (till id + seq), in order. The
// ledger keeps the highest sequence it has applied per till, so a batch pushed again after a crash
// or a lost reply is recognised and applied once: exactly once end to end, without a distributed
// transaction. Reconciliation reads the store's facts across every till from the same port.
import { type AdjustmentSource, type SettlementSource } from '../reconcile/facts';

/** Who is pushing: the pharmacy (定点编码) and the till, plus the data folder's random instance id. */
export interface TillIdentity {
  readonly fixmedinsCode: string;
  readonly fixmedinsName: string;
  readonly areaCode: string;
  /** The till's id within the store (T01, T02 …), unique per store. */
  readonly tillId: string;
  /** Random, created once per data folder: tells two tills configured with the same id apart. */
  readonly instanceId: string;
}

export interface JournalFact {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly hash: string;
}

/** One fact as pushed. `seq` is the till's own, strictly increasing. */
export type OutgoingFact =
  | { readonly seq: number; readonly kind: 'settlement'; readonly at: string; readonly body: SettlementSource }
  | { readonly seq: number; readonly kind: 'journal'; readonly at: string; readonly body: JournalFact }
  | { readonly seq: number; readonly kind: 'adjustment'; readonly at: string; readonly body: AdjustmentSource }
  | { readonly seq: number; readonly kind: 'ack'; readonly at: string; readonly body: PublicationAck }
  | { readonly seq: number; readonly kind: 'trace'; readonly at: string; readonly body: TraceCodeFact };

/**
 * A traceability code (追溯码) sold on this till, or freed again (the sale refunded, or refused by
 * the centre): the ledger's view of which codes are sold anywhere in the chain. No personal data.
 */
export interface TraceCodeFact {
  /** The till's trace_code_event id. */
  readonly id: number;
  readonly code: string;
  readonly saleId: string;
  readonly sku: string;
  /** A 拆零 box: its code is shared by the sales that open it and is never freed. */
  readonly split: boolean;
  readonly event: 'sold' | 'freed';
  readonly at: string;
}

/** A code the chain's ledger has as sold by another till (of this store or another) and not returned. */
export interface ChainSoldCode {
  readonly code: string;
  readonly fixmedinsCode: string;
  readonly storeName: string;
  readonly tillId: string;
  /** When it was sold (ISO instant). */
  readonly soldAt: string;
}

export interface PushReport {
  /** The ledger has applied every fact of this till up to here (a repeat is not applied twice). */
  readonly appliedUpTo: number;
  /** Facts of the batch the ledger already had (a batch pushed again after a crash or lost reply). */
  readonly alreadyHad: number;
}

/** A head-office publication every till of the chain picks up at its next sync. */
export interface Publication {
  readonly id: number;
  readonly kind: 'policy_package' | 'sku_mapping';
  /** policy_package: the signed package file's JSON; sku_mapping: { sku, catalogueCode, note }. */
  readonly payload: unknown;
  readonly publishedAt: string;
  readonly publishedBy: string;
}

export interface PublicationAck {
  readonly publicationId: number;
  readonly ok: boolean;
  readonly message: string;
}

export interface LedgerPort {
  /** Migrates/verifies the ledger and registers the till; refuses (LedgerSetupError) what would mix up stores or tills. */
  register(till: TillIdentity): Promise<void>;
  /** Applies facts in order; `pendingAfter` is what the till still has to push (shown to head office). */
  push(till: TillIdentity, facts: readonly OutgoingFact[], pendingAfter: number): Promise<PushReport>;
  /** Publications for this till's store that it has not acknowledged yet, oldest first. */
  publicationsFor(till: TillIdentity): Promise<Publication[]>;
  /**
   * Of `codes`, the first one sold elsewhere in the chain (any other till, any store) and not
   * returned, or null. One indexed query; rejects (the till falls back to its local check) when the
   * ledger does not answer within `timeoutMs`.
   */
  soldInChain(till: Pick<TillIdentity, 'fixmedinsCode' | 'tillId'>, codes: readonly string[], timeoutMs: number): Promise<ChainSoldCode | null>;
  close(): Promise<void>;
}

export type LedgerSetupCode =
  | 'LEDGER_UNREACHABLE'
  | 'LEDGER_URL_INVALID'
  | 'LEDGER_TOO_NEW'
  | 'LEDGER_OTHER_STORE'
  | 'LEDGER_TILL_TAKEN'
  | 'LEDGER_NOT_A_LEDGER'
  | 'LEDGER_NOT_CHAIN';

/** A ledger that must not be used as configured. The message names the setting to change. */
export class LedgerSetupError extends Error {
  /**
   * `where`: for LEDGER_UNREACHABLE, the redacted address and the connection problem
   * (`postgres://…@host/db（ECONNREFUSED）`), so a caller can word its own sentence around it.
   */
  constructor(readonly code: LedgerSetupCode, message: string, readonly setting: string, readonly where?: string) {
    super(message);
  }
}

/** Where the connection string is set, for messages (the technician's page or the environment). */
export const LEDGER_SETTING = '中心连接 → 门店账本 ledgerUrl（或环境变量 YBJS_LEDGER_URL）';
export const TILL_ID_SETTING = '中心连接 → 收银台编号 tillId（或环境变量 YBJS_TILL_ID）';
export const LEDGER_SEAT_SETTING = '中心连接 → 账本席位 ledgerSeat（或环境变量 YBJS_LEDGER_SEAT）';

/**
 * How this app sits at the ledger: a till (registers, pushes its facts, applies publications,
 * carries out resolutions), or head office (总部: reads the chain's ledger, registers nothing, sells nothing).
 */
export const LEDGER_SEATS = ['till', 'headoffice'] as const;
export type LedgerSeat = (typeof LEDGER_SEATS)[number];

/**
 * Till ids T1 … T9 (T01 … T09 also accepted), unique per store: the digit is the till's msgid lane
 * (core/centre/msgid.ts), so tills sharing the pharmacy's code never issue the same msgid.
 */
export const TILL_ID = /^T0?[1-9]$/;

export function tillLane(tillId: string): number {
  if (!TILL_ID.test(tillId)) throw new Error(`till id ${JSON.stringify(tillId)}: T1 … T9`);
  return Number(tillId.slice(-1));
}
