// 补结算: the 2102 request for a sale the centre never booked, rebuilt from the sale's own record
// (the person and credential it was identified with, the insured lines, the prescription). The
// personal account is not used: the patient already paid in cash, and handing account money back
// as cash is not allowed, so only the fund's share goes back to the patient.
import { z } from 'zod';
import { settleInputFromBasket } from '../../../core/centre/build';
import { type SettleInputDraft } from '../../../core/centre/tx/settle';
import { decimal, fmt, money, sum } from '../../../core/money/money';
import { type Split } from '../../../core/sync/split';
import { type SaleRow } from '../../../native/store/sale-store';

const SalePerson = z.object({
  record: z.object({ psnNo: z.string().min(1), insutype: z.string().min(1), region: z.string().regex(/^\d{6}$/) }),
  credential: z.object({ certType: z.enum(['01', '02', '03']), certNo: z.string().min(1) }),
});

const SaleLine = z.object({
  sku: z.string(),
  qty: z.string(),
  price: z.string(),
  amount: z.string(),
  insured: z.boolean(),
  catalogueCode: z.string().nullable(),
});

const SalePrescription = z.object({ valid: z.boolean(), entry: z.object({ rxNo: z.string(), prescriber: z.string().default(''), prescriberCode: z.string().optional() }) }).nullable();

export class ResettleInputError extends Error {}

export interface ResettleRequest {
  readonly request: SettleInputDraft;
  readonly insuplcAdmdvs: string;
  /** What the store collected for the insured lines (all cash), so the centre's difference is the patient's refund. */
  readonly provisional: Split;
}

export function resettleRequest(sale: SaleRow, now: Date): ResettleRequest {
  const person = SalePerson.safeParse(sale.person_json ? JSON.parse(sale.person_json) : null);
  if (!person.success) throw new ResettleInputError('这张销售单没有完整的参保人信息，无法补结算');
  const lines = z.array(SaleLine).safeParse(JSON.parse(sale.lines_json));
  if (!lines.success) throw new ResettleInputError('这张销售单的商品行无法读取，无法补结算');
  const insured = lines.data.filter((l) => l.insured && l.catalogueCode);
  if (insured.length === 0) throw new ResettleInputError('这张销售单没有医保可支付的商品，无需补结算');
  const rxParsed = SalePrescription.safeParse(sale.prescription_json ? JSON.parse(sale.prescription_json) : null);
  const rx = rxParsed.success && rxParsed.data?.valid ? rxParsed.data.entry : null;
  const request = settleInputFromBasket({
    psnNo: person.data.record.psnNo, certType: person.data.credential.certType, certNo: person.data.credential.certNo,
    insutype: person.data.record.insutype, saleTime: now, useAccount: false, rx: rx ? { prescriber: rx.prescriber, prescriberCode: rx.prescriberCode ?? null } : null,
    lines: insured.map((l) => ({ medListCodg: l.catalogueCode!, medinsListCodg: l.sku, qty: l.qty, price: fmt(decimal(l.price)), ...(rx && { rxno: rx.rxNo }) })),
  });
  const total = fmt(sum(insured.map((l) => money(l.amount))));
  return { request, insuplcAdmdvs: person.data.record.region, provisional: { total, fund: '0.00', account: '0.00', cash: total } };
}
