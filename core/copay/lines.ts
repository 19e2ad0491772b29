// One basket line split into its parts (issue 3): amount = qty × price; 丙类 and non-medical goods are
// fully self-paid; above a price limit qty × (price − limit) is over-limit self-pay; 乙类 pays
// 先自付 = qty × min(price, limit) × ratio first. Each part is rounded half-up to the cent per line.
import { decimal, min, round2, ZERO, type Money } from '../money/money';
import { type QuoteLine } from './contract';

export interface LineSplit {
  readonly amount: Money;
  readonly fullSelfPay: Money;
  readonly overLimit: Money;
  readonly preSelfPay: Money;
  readonly inScope: Money;
  /** The amount of non-medical goods (kind other), which the personal account may not pay. */
  readonly nonMedical: Money;
}

export function splitLine(line: QuoteLine): LineSplit {
  const qty = decimal(line.qty);
  const price = decimal(line.price);
  const amount = round2(qty.times(price));
  if (line.kind === 'other' || line.listClass === 'C') {
    return { amount, fullSelfPay: amount, overLimit: ZERO, preSelfPay: ZERO, inScope: ZERO, nonMedical: line.kind === 'other' ? amount : ZERO };
  }
  const limit = line.limitPrice === undefined ? undefined : decimal(line.limitPrice);
  const overLimit = limit && price.greaterThan(limit) ? round2(qty.times(price.minus(limit))) : ZERO;
  const payable = amount.minus(overLimit);
  const ratio = line.listClass === 'B' && line.selfPayRatio !== undefined ? decimal(line.selfPayRatio) : ZERO;
  const base = limit ? min(price, limit) : price;
  // Rounded separately, the two parts could exceed the line by a cent; 先自付 never makes in-scope negative.
  const preSelfPay = min(round2(qty.times(base).times(ratio)), payable);
  return { amount, fullSelfPay: ZERO, overLimit, preSelfPay, inScope: payable.minus(preSelfPay), nonMedical: ZERO };
}
