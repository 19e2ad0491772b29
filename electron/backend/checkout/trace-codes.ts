// The checkout's 追溯码 checks, kept out of the checkout service: a basket's codes against this till's
// own sales (core/checkout/trace-code.ts), then its whole-box codes against the chain's store ledger
// when there is one. The till stays autonomous: a ledger that does not answer in time leaves the
// local check only, and the answer says so.
import { businessDate } from '../../../core/checkout/business-date';
import { checkLineTraceCodes } from '../../../core/checkout/trace-code';
import { type BasketRequest, type SaleView } from '../../../core/contracts/checkout';
import { type ChainSoldCode } from '../../../core/ledger/port';
import { ApiError } from '../http/errors';

/** What a basket or settle answer says about the chain check (absent: no ledger, or no whole-box code). */
export type ChainCheck = NonNullable<SaleView['chainCheck']>;

/** The lines as far as their codes matter: a 拆零 line's box is shared and never asked of the chain. */
export type CodedLine = { readonly split: boolean; readonly traceCodes: readonly string[] };

export interface TraceCodeDeps {
  /** A code sold on this till and not freed. */
  readonly isSold: (code: string) => boolean;
  /** See CheckoutDeps.soldInChain. */
  readonly soldInChain?: (codes: readonly string[]) => Promise<ChainSoldCode | null>;
}

export const CHAIN_UNAVAILABLE = '门店账本未及时答复：追溯码只按本收银台的销售核对，未能核对连锁其他门店和收银台';
export const CHAIN_CHECKED = '追溯码已核对本连锁全部门店';

/** Kept on a sale booked while the ledger did not answer the re-check at settle. */
export const CHAIN_UNCHECKED = {
  code: 'TRACE_CODE_CHAIN_UNCHECKED',
  message: '结算前门店账本未及时答复：追溯码未能复核连锁其他门店和收银台，只按本收银台的销售核对',
} as const;

export class TraceCodeChecks {
  constructor(private readonly deps: TraceCodeDeps) {}

  /** This till's own sales and the basket's duplicates: 422 naming lines.i.traceCodes.j. */
  checkLocal(basket: BasketRequest): void {
    const seen = new Set<string>();
    basket.lines.forEach((line, i) => {
      const problems = checkLineTraceCodes(line, (c) => this.deps.isSold(c), seen);
      if (problems.length) {
        const p = problems[0]!;
        const j = line.traceCodes.indexOf(p.traceCode);
        throw new ApiError(422, p.code, p.message, j >= 0 ? `lines.${i}.traceCodes.${j}` : `lines.${i}.traceCodes`);
      }
    });
  }

  /**
   * The whole-box codes against the chain: 422 TRACE_CODE_SOLD_IN_CHAIN when another till of the
   * chain sold one and did not return it; 'unavailable' when the ledger did not answer in time.
   */
  async checkChain(lines: readonly CodedLine[]): Promise<ChainCheck | undefined> {
    const soldInChain = this.deps.soldInChain;
    const codes = lines.flatMap((l) => (l.split ? [] : l.traceCodes));
    if (!soldInChain || codes.length === 0) return undefined;
    let sold: ChainSoldCode | null;
    try {
      sold = await soldInChain(codes);
    } catch {
      return { state: 'unavailable', message: CHAIN_UNAVAILABLE };
    }
    if (sold) throw soldInChainError(lines, sold);
    return { state: 'checked', message: CHAIN_CHECKED };
  }
}

function soldInChainError(lines: readonly CodedLine[], sold: ChainSoldCode): ApiError {
  const i = lines.findIndex((l) => !l.split && l.traceCodes.includes(sold.code));
  const j = i >= 0 ? lines[i]!.traceCodes.indexOf(sold.code) : -1;
  return new ApiError(422, 'TRACE_CODE_SOLD_IN_CHAIN',
    `追溯码 ${sold.code} 已于 ${businessDate(new Date(sold.soldAt))} 在 ${sold.storeName}（${sold.fixmedinsCode}）收银台 ${sold.tillId} 售出且未退货，不能重复销售（可能为回流药品或串码）`,
    i >= 0 ? `lines.${i}.traceCodes.${j}` : 'lines');
}
