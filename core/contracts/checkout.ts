// The checkout API contract (cashier workspace and integrated POS): a sale goes
// identify → prescription → basket → pre-settle → settle, and may later be refunded.
import { z } from 'zod';
import { Amount, AmountInput, DateText } from './common';

// ── identify ───────────────────────────────────────────────────────────────────────────────
export const IdentifyRequest = z.discriminatedUnion('method', [
  /** Read the social security card in this terminal's reader (or the virtual reader in training). */
  z.object({ method: z.literal('card') }).strict(),
  /** The 医保电子凭证 token a scanner delivered (opaque, short-lived). */
  z.object({ method: z.literal('voucher'), token: z.string().trim().min(8, 'token: scan the 医保电子凭证 again').max(600) }).strict(),
  /** A resident ID number typed by the cashier. */
  z.object({ method: z.literal('idNumber'), idNumber: z.string().regex(/^\d{17}[\dX]$/, 'idNumber: 18 characters, the last a digit or X') }).strict(),
]);
export type IdentifyRequest = z.infer<typeof IdentifyRequest>;

export const PersonView = z.object({
  psnNo: z.string(),
  name: z.string(),
  /** 110101********1234 — the full number is never sent to the UI. */
  idNumberMasked: z.string(),
  insutype: z.string(),
  /** The insured region (参保地), six digits. */
  region: z.string(),
  regionName: z.string().nullable(),
  status: z.enum(['active', 'retired']),
  retiredOn: z.string().nullable(),
  hospitalized: z.boolean(),
  suspended: z.boolean(),
  balance: Amount,
  /**
   * Year to date, as of now: 本年起付线已付 / 统筹已支付 and 剩余限额 (null = the policy gives no cap).
   * source 'centre' = the centre's 5206 figures read at `readAt` plus this store's later sales;
   * 'store' = this store's own records only (no 5206 read this year).
   */
  year: z.object({ deductibleMet: Amount, fundPaid: Amount, capLeft: Amount.nullable(), source: z.enum(['centre', 'store']), readAt: z.string().nullable() }),
  /** Where the data came from: the centre now, or this store's cache of an earlier online visit. */
  source: z.enum(['centre', 'cache']),
  asOf: z.string(),
  ageDays: z.number().int(),
});
export type PersonView = z.infer<typeof PersonView>;

// ── prescription ───────────────────────────────────────────────────────────────────────────
export const PrescriptionRequest = z.object({
  issuerCode: z.string().trim().regex(/^[0-9A-Za-z-]{4,30}$/, 'issuerCode: the issuing institution code (4–30 letters, digits or -)'),
  rxNo: z.string().trim().min(1, 'rxNo: the prescription number').max(40),
  issuedOn: DateText,
  prescriber: z.string().trim().min(1, 'prescriber: the prescribing doctor').max(30),
  /**
   * The prescriber's 医保医师代码 (national insurance doctor code, up to 20 letters and digits): what tells
   * the centre which institution issued a paper prescription (2101/2102 bilg_dr_codg). Without it a paper
   * prescription earns no pooled fund. A scanned prescription does not need it.
   */
  prescriberCode: z.string().trim().regex(/^[0-9A-Za-z-]{1,20}$/, 'prescriberCode: the prescriber\'s 医保医师代码 (1–20 letters, digits or -)').optional(),
  /** Catalogue codes of the prescribed drugs. */
  items: z.array(z.string().trim().min(1).max(50)).min(1, 'items: list the prescribed drugs').max(50),
}).strict();
export type PrescriptionRequest = z.infer<typeof PrescriptionRequest>;

/**
 * A scanned electronic prescription: the QR text the 2D scanner typed. The backend decodes and
 * downloads it from the centre (7201 + 7203) and checks it like a paper entry. Training QRs:
 * `RX-<fixtureId>-<issuerCode>-<n>` (docs/centre-and-sync.md).
 */
export const ScannedPrescriptionRequest = z.object({
  scanned: z.string().trim()
    .min(4, 'scanned: scan the prescription QR code again')
    .max(512, 'scanned: at most 512 characters')
    .regex(/^[\x21-\x7E]+$/, 'scanned: letters, digits and symbols only (check the scanner\'s input mode)'),
}).strict();
export type ScannedPrescriptionRequest = z.infer<typeof ScannedPrescriptionRequest>;

/**
 * An e-prescription found by the patient's credential (7202, POST /api/sales/:id/eprescription-query):
 * downloaded with the one-time 授权编号 it carries (7203). Training: docs/centre-and-sync.md.
 */
export const DownloadedPrescriptionRequest = z.object({
  authRxno: z.string().trim().regex(/^[0-9A-Za-z_-]{1,30}$/, 'authRxno: the 授权编号 from the e-prescription lookup (1–30 letters or digits)'),
}).strict();
export type DownloadedPrescriptionRequest = z.infer<typeof DownloadedPrescriptionRequest>;

/** What a 7202 lookup found: one prescription waiting for the patient, downloadable once by authRxno. */
export const EprescriptionLookup = z.object({
  authRxno: z.string(),
  issuerCode: z.string(),
  issuerName: z.string(),
  /** 开方时间, yyyy-MM-dd HH:mm:ss. */
  issuedAt: z.string(),
  /** The centre's 有效截止时间. */
  validEnd: z.string(),
  diagnosis: z.string(),
  department: z.string(),
});
export type EprescriptionLookup = z.infer<typeof EprescriptionLookup>;

/** PUT /api/sales/:id/prescription: a paper entry, a scanned QR, a looked-up e-prescription, or null for none. */
export const PrescriptionBody = z.union([ScannedPrescriptionRequest, DownloadedPrescriptionRequest, PrescriptionRequest]).nullable();
export type PrescriptionBody = z.infer<typeof PrescriptionBody>;

export const InstitutionView = z.object({
  code: z.string(), name: z.string(), region: z.string(),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  priceClass: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable(),
  designated: z.boolean(),
});

export const Problem = z.object({ code: z.string(), message: z.string() });

export const PrescriptionView = z.object({
  entry: PrescriptionRequest,
  valid: z.boolean(),
  issuer: InstitutionView.nullable(),
  validUntil: z.string(),
  problems: z.array(Problem),
  /** How it was entered: typed from paper, or scanned and downloaded from the centre. */
  source: z.enum(['paper', 'scanned']).default('paper'),
  /** A downloaded e-prescription's 审方 (7204), null until the pharmacist reviewed it; absent for paper. */
  review: z.object({ approved: z.boolean(), opinion: z.string(), pharmacist: z.string(), recheckPharmacist: z.string().optional(), at: z.string() }).nullable().optional(),
});

/** POST /api/sales/:id/eprescription-review: the pharmacist's review of the downloaded e-prescription (7204). */
export const EprescriptionReviewRequest = z.object({
  approved: z.boolean(),
  opinion: z.string().trim().min(1, 'opinion: the pharmacist\'s opinion (审方意见)').max(500, 'opinion: at most 500 characters'),
  /**
   * 复核药师: the operator (with a 执业药师 setting) who re-checks this review (7204 rchk_phar_*). Absent:
   * the store's default; null: none (sent empty where the edition allows it).
   */
  recheckOperatorId: z.string().trim().min(1).max(100).nullable().optional(),
}).strict();
export type EprescriptionReviewRequest = z.infer<typeof EprescriptionReviewRequest>;

// ── basket ─────────────────────────────────────────────────────────────────────────────────
export const BasketLineRequest = z.object({
  sku: z.string().trim().min(1, 'sku: the store item code').max(50),
  name: z.string().trim().min(1).max(100),
  qty: z.string().regex(/^\d{1,6}(\.\d{1,4})?$/, 'qty: a positive quantity, e.g. "2" or "0.5"').refine((q) => Number(q) > 0, 'qty: must be greater than zero'),
  price: AmountInput,
  /** 拆零: sold out of an opened box. */
  split: z.boolean().default(false),
  /** One 追溯码 per whole box sold; the opened box's code for a 拆零 line. */
  traceCodes: z.array(z.string()).max(200).default([]),
  /** Non-medical goods (kind other) are never paid by the fund or the personal account. */
  kind: z.enum(['drug', 'device', 'consumable', 'other']).default('drug'),
  /** 生产批号, 生产日期, 有效期止 where the POS knows them (reported to the platform in 3505). */
  lotNo: z.string().trim().min(1).max(30).optional(),
  manufacturedOn: DateText.optional(),
  expiresOn: DateText.optional(),
}).strict();
export const BasketRequest = z.object({ lines: z.array(BasketLineRequest).min(1, 'lines: add at least one item').max(100) }).strict();
export type BasketRequest = z.infer<typeof BasketRequest>;

export const BasketLineView = z.object({
  sku: z.string(), name: z.string(), qty: z.string(), price: Amount, amount: Amount,
  split: z.boolean(), traceCodes: z.array(z.string()), kind: z.string(),
  catalogueCode: z.string().nullable(),
  listClass: z.enum(['A', 'B', 'C']).nullable(),
  /** UNMAPPED (no catalogue mapping: fully self-paid), NOT_ON_PRESCRIPTION (no fund for this line). */
  flags: z.array(z.enum(['UNMAPPED', 'NOT_ON_PRESCRIPTION'])),
});

// ── split ──────────────────────────────────────────────────────────────────────────────────
export const SplitView = z.object({
  total: Amount, fullSelfPay: Amount, overLimit: Amount, preSelfPay: Amount, inScope: Amount,
  deductible: Amount, ratio: z.string(), fund: Amount, account: Amount, cash: Amount,
  reasons: z.array(z.string()),
  explain: z.array(z.string()),
});
export type SplitView = z.infer<typeof SplitView>;

export const PresettleRequest = z.object({ useAccount: z.boolean().default(true) }).strict();
export const SettleRequest = z.object({
  useAccount: z.boolean().default(true),
  /** When offline and a provisional settlement is refused (risk limits, unknown person): sell as self-pay, to re-settle later. */
  acceptSelfPay: z.boolean().default(false),
}).strict();
export const RefundRequest = z.object({ reason: z.string().trim().min(2, 'reason: say why (at least 2 characters)').max(200) }).strict();

export const SaleState = z.enum(['open', 'presettled', 'settled', 'provisional', 'selfpay', 'refunded', 'cancelled']);
export type SaleState = z.infer<typeof SaleState>;

export const SaleView = z.object({
  id: z.string(),
  state: SaleState,
  createdAt: z.string(),
  businessDate: z.string(),
  operator: z.string(),
  online: z.boolean(),
  person: PersonView.nullable(),
  prescription: PrescriptionView.nullable(),
  lines: z.array(BasketLineView),
  /** Pre-settlement or settlement split; `provisional` until the centre has confirmed it. */
  split: SplitView.nullable(),
  provisional: z.boolean(),
  /** After sync: the centre's authoritative split and the difference (centre − provisional). */
  centre: z.object({ setlId: z.string(), split: SplitView.nullable(), difference: z.object({ fund: Amount, account: Amount, cash: Amount }).nullable() }).nullable(),
  syncState: z.string().nullable(),
  problems: z.array(Problem),
  /**
   * Only in the basket's answer, when a store ledger is configured and the basket has whole-box
   * 追溯码: 'checked' — no code is sold elsewhere in the chain; 'unavailable' — the ledger did not
   * answer in time, the codes were checked against this till's own sales only.
   */
  chainCheck: z.object({ state: z.enum(['checked', 'unavailable']), message: z.string() }).optional(),
});
export type SaleView = z.infer<typeof SaleView>;

/** Sales lists are paged, newest first: a year of history never goes out in one answer. */
export const SALE_PAGE_DEFAULT = 50;
export const SALE_PAGE_MAX = 500;
export const SaleListQuery = z.object({
  date: DateText.optional(),
  state: SaleState.optional(),
  /** Page size (1–500, default 50). */
  limit: z.coerce.number().int().min(1).max(SALE_PAGE_MAX).optional(),
  /** Cursor: only sales older than this sale id (the last one of the previous page). */
  before: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a sale id').optional(),
}).strict();

// ── store settings (manager) ───────────────────────────────────────────────────────────────
const LimitAmount = z.string().regex(/^\d{1,9}\.\d{2}$/, 'an amount with two decimals, e.g. "200.00"');
export const StoreSettings = z.object({
  /** Store risk limits for offline provisional settlements (the store's own choice, not policy). */
  riskLimits: z.object({
    perSaleFund: LimitAmount,
    perDayFund: LimitAmount,
    perPersonSalesPerDay: z.number().int().min(0).max(20),
    maxPersonDataAgeDays: z.number().int().min(0).max(365),
  }).strict(),
  /** Days an external prescription may be filled, the issue day included: a default and per insured region. */
  rxValidityDays: z.object({
    default: z.number().int().min(1).max(30),
    byRegion: z.record(z.string().regex(/^\d{6}$/, 'a six-digit region code'), z.number().int().min(1).max(30)),
  }).strict(),
  /** Settlements the sync sends to the centre at once (1–16, core/sync/scheduler.ts); absent = the default, 8. */
  syncConcurrency: z.number().int().min(1).max(16).optional(),
  /**
   * 开方医师姓名 for the 3505 rows of an insured sale WITHOUT a prescription (OTC): 3505 requires
   * prsc_dr_name and what a platform accepts there is not public, so only the value the province's
   * 医保局 tells the pharmacy to use; absent = such rows wait (refused locally) until it is set.
   */
  otcPrescriberName: z.string().trim().min(1, 'a name, as the 医保局 instructs').max(50).optional(),
}).strict();
export type StoreSettings = z.infer<typeof StoreSettings>;
