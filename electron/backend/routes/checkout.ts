// The checkout API: what the cashier's workspace and an integrated POS call.
import { z } from 'zod';
import {
  BasketRequest, EprescriptionLookup, EprescriptionReviewRequest, IdentifyRequest, PrescriptionBody, PresettleRequest, RefundRequest, SaleListQuery, SaleView, SettleRequest,
} from '../../../core/contracts/checkout';
import { type CheckoutService } from '../checkout/service';
import { route } from '../http/routes';

const SaleId = z.object({ id: z.string().regex(/^S\d{8}-[0-9A-F]{8}$/, 'id: a sale number such as S20250616-1A2B3C4D') });
const CASHIER = ['cashier', 'manager'] as const;

export function checkoutRoutes(checkout: CheckoutService) {
  return [
    route({
      method: 'POST', path: '/api/sales', tag: 'checkout', summary: '1 · Identify the patient (card, e-voucher or ID number) and open a sale', roles: CASHIER, status: 201,
      body: z.object({ identify: IdentifyRequest }).strict(), response: SaleView,
      handler: async ({ body, principal }) => checkout.start(body.identify, principal!),
    }),
    route({
      method: 'PUT', path: '/api/sales/:id/prescription', tag: 'checkout',
      summary: '2 · The external prescription (外配处方): typed from paper, { scanned: QR text } of an e-prescription (7201 + 7203), or { authRxno } from the e-prescription lookup (7203); null for none', roles: CASHIER,
      params: SaleId, body: PrescriptionBody, response: SaleView,
      handler: async ({ params, body }) => (body !== null && 'scanned' in body ? checkout.setScannedPrescription(params.id, body.scanned)
        : body !== null && 'authRxno' in body ? checkout.setDownloadedPrescription(params.id, body.authRxno) : checkout.setPrescription(params.id, body)),
    }),
    route({
      method: 'POST', path: '/api/sales/:id/eprescription-query', tag: 'checkout',
      summary: "2 · Look up the e-prescription waiting for the identified patient by the credential read at identify (7202, no QR); download it with PUT …/prescription { authRxno }", roles: CASHIER,
      params: SaleId, response: EprescriptionLookup,
      handler: async ({ params }) => checkout.queryEprescription(params.id),
    }),
    route({
      method: 'POST', path: '/api/sales/:id/eprescription-review', tag: 'checkout',
      summary: "2 · 审方: the pharmacist's review of the downloaded e-prescription, uploaded (7204) before settlement; the reviewer is the operator's 执业药师", roles: CASHIER,
      params: SaleId, body: EprescriptionReviewRequest, response: SaleView,
      handler: async ({ params, body }) => checkout.reviewPrescription(params.id, body),
    }),
    route({
      method: 'PUT', path: '/api/sales/:id/basket', tag: 'checkout', summary: '3 · Set the basket: store SKUs, quantities, prices and traceability codes', roles: CASHIER,
      params: SaleId, body: BasketRequest, response: SaleView,
      handler: async ({ params, body }) => checkout.setBasket(params.id, body),
    }),
    route({
      method: 'POST', path: '/api/sales/:id/presettle', tag: 'checkout', summary: '4 · Pre-settle: the split (online 2101, offline the local engine, marked provisional)', roles: CASHIER,
      params: SaleId, body: PresettleRequest, response: SaleView,
      handler: async ({ params, body }) => checkout.presettle(params.id, body.useAccount),
    }),
    route({
      method: 'POST', path: '/api/sales/:id/settle', tag: 'checkout', summary: '5 · Settle: online 2102, offline a provisional settlement within the risk limits, or self-pay', roles: CASHIER,
      params: SaleId, body: SettleRequest, response: SaleView,
      handler: async ({ params, body }) => checkout.settle(params.id, body),
    }),
    route({
      method: 'POST', path: '/api/sales/:id/refund', tag: 'checkout', summary: '7 · Refund (2103) or cancel a provisional settlement not yet synced', roles: CASHIER,
      params: SaleId, body: RefundRequest, response: SaleView,
      handler: async ({ params, body, principal }) => checkout.refund(params.id, body.reason, principal!),
    }),
    route({
      method: 'GET', path: '/api/sales/:id', tag: 'checkout', summary: 'One sale', roles: CASHIER,
      params: SaleId, response: SaleView, handler: async ({ params }) => checkout.get(params.id),
    }),
    route({
      method: 'GET', path: '/api/sales', tag: 'checkout', summary: "Sales by business date and state (today's list for refunds), newest first, paged: limit (default 50, at most 500) and before (the previous page's last sale id)", roles: CASHIER,
      query: SaleListQuery, response: z.array(SaleView), handler: async ({ query }) => checkout.list(query),
    }),
    route({
      method: 'GET', path: '/api/sales/:id/receipt', tag: 'checkout', summary: '6 · The printable receipt (HTML; print to paper or PDF)', roles: CASHIER, raw: true,
      params: SaleId, response: z.string(),
      handler: async ({ params, reply }) => {
        await reply.header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(checkout.receipt(params.id));
        return '';
      },
    }),
  ];
}
