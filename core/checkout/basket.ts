// Resolves the POS's basket lines (store SKUs) into catalogue-priced lines for the co-pay engine
// and the centre. An unmapped SKU, or a line whose drug is not on the external prescription, is
// flagged and sold for cash outside the insurance transaction (the centre cannot price an unmapped
// item, and the fund pays only for what was prescribed), so the cashier can still sell it.
import { type QuoteLine } from '../copay/contract';
import { decimal, fmt } from '../money/money';

export interface CatalogueEntry {
  readonly code: string;
  readonly name: string;
  readonly listClass: 'A' | 'B' | 'C';
  readonly selfPayRatio: string | null;
  readonly limitPrice: string | null;
  readonly kind: 'drug' | 'device' | 'consumable' | 'other';
}

export interface BasketLineInput {
  readonly sku: string;
  readonly name: string;
  readonly qty: string;
  readonly price: string;
  readonly split: boolean;
  readonly traceCodes: readonly string[];
  readonly kind: 'drug' | 'device' | 'consumable' | 'other';
  /** Batch and expiry where the POS gives them (reported in 3505). */
  readonly lotNo?: string;
  readonly manufacturedOn?: string;
  readonly expiresOn?: string;
}

export type LineFlag = 'UNMAPPED' | 'NOT_ON_PRESCRIPTION';

export interface ResolvedLine extends BasketLineInput {
  /** qty × price, rounded to the cent. */
  readonly amount: string;
  readonly catalogueCode: string | null;
  readonly listClass: 'A' | 'B' | 'C' | null;
  readonly flags: readonly LineFlag[];
  /** Whether the line goes into the insurance transaction (engine and centre); flagged lines do not. */
  readonly insured: boolean;
  /** What the engine prices (meaningful for insured lines). */
  readonly quoteLine: QuoteLine;
}

export function resolveBasket(
  lines: readonly BasketLineInput[],
  catalogueCodeOf: (sku: string) => string | undefined,
  catalogueItem: (code: string) => CatalogueEntry | undefined,
  prescribed: ReadonlySet<string> | null,
): ResolvedLine[] {
  return lines.map((line) => {
    const code = catalogueCodeOf(line.sku);
    const item = code === undefined ? undefined : catalogueItem(code);
    const flags: LineFlag[] = [];
    if (!item) flags.push('UNMAPPED');
    // Non-medical goods need no prescription: they are never fund-paid anyway.
    if (item && item.kind !== 'other' && prescribed !== null && !prescribed.has(item.code)) flags.push('NOT_ON_PRESCRIPTION');
    const amount = fmt(decimal(line.qty).times(decimal(line.price)));
    const kind = item?.kind ?? line.kind;
    const quoteLine: QuoteLine = {
      code: item?.code ?? `SKU:${line.sku}`,
      qty: line.qty,
      price: line.price,
      listClass: item?.listClass ?? 'C',
      kind,
      ...(item?.selfPayRatio != null && { selfPayRatio: item.selfPayRatio }),
      ...(item?.limitPrice != null && { limitPrice: item.limitPrice }),
    };
    return { ...line, kind, amount, catalogueCode: item?.code ?? null, listClass: item?.listClass ?? null, flags, insured: flags.length === 0, quoteLine };
  });
}
