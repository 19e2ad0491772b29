// API contract of head office (总部): every store's days over a chain's ledger, one store's day in
// detail, the range export across stores, and the publications (signed policy packages, SKU-mapping
// changes) with what every till answered.
import { z } from 'zod';
import { Amount, DateText } from './common';

/** A pharmacy's 定点编码 as the ledger lists it. */
export const StoreCode = z.string().regex(/^[A-Za-z0-9]{12}$/, 'a 12-character 定点编码, e.g. H36010200001');

export const HeadOfficeDaysQuery = z.object({ date: DateText }).strict();
export type HeadOfficeDaysQuery = z.infer<typeof HeadOfficeDaysQuery>;

export const HeadOfficeExportQuery = z.object({ from: DateText, to: DateText }).strict();
export type HeadOfficeExportQuery = z.infer<typeof HeadOfficeExportQuery>;

export const HeadOfficeDayRow = z.object({
  fixmedinsCode: z.string(),
  storeName: z.string(),
  date: DateText,
  sales: z.number().int(),
  confirmedMedfee: Amount,
  /** Fund + personal account of sales the centre has not confirmed yet. */
  provisionalAtRisk: Amount,
  /** Facts the store's tills have not pushed yet (all days). */
  unsynced: z.number().int(),
  openDiscrepancies: z.number().int(),
  closed: z.boolean(),
  result: z.string().nullable(),
  balanced: z.boolean(),
  /** False: nothing of this store for the day is in the ledger (shown as 无数据). */
  hasData: z.boolean(),
});
export type HeadOfficeDayRow = z.infer<typeof HeadOfficeDayRow>;

export const HeadOfficeDaysView = z.object({ date: DateText, chain: z.string(), stores: z.array(HeadOfficeDayRow) });
export type HeadOfficeDaysView = z.infer<typeof HeadOfficeDaysView>;

export const HeadOfficeStoreParams = z.object({ code: StoreCode, date: DateText }).strict();

export const HeadOfficeStoreDay = z.object({
  row: HeadOfficeDayRow,
  /** Every store-wide check of the day, newest first. */
  checks: z.array(z.object({ id: z.number().int(), at: z.string(), by: z.string(), fromTill: z.string(), result: z.string(), message: z.string() })),
  closed: z.object({ at: z.string(), by: z.string(), fromTill: z.string(), result: z.string(), acknowledged: z.boolean() }).nullable(),
  discrepancies: z.array(z.object({
    id: z.string(), kind: z.string(), tillId: z.string().nullable(), saleId: z.string().nullable(), msgid: z.string().nullable(), status: z.enum(['open', 'resolved']),
  })),
  /** Every till of the store: facts it has not pushed yet and when it last pushed. */
  tills: z.array(z.object({ tillId: z.string(), pending: z.number().int(), lastPushAt: z.string().nullable(), sales: z.number().int() })),
  /** Sales of the day the centre has not confirmed yet (sold offline or waiting to upload): the money at risk. */
  unsyncedSales: z.array(z.object({ tillId: z.string(), saleId: z.string().nullable(), msgid: z.string(), state: z.string(), fund: Amount, account: Amount, total: Amount })),
});
export type HeadOfficeStoreDay = z.infer<typeof HeadOfficeStoreDay>;

/** A signed policy package file as uploaded (its text; verified with the trusted keys before it is stored). */
export const PublishPolicyRequest = z.object({
  packageText: z.string().min(1, 'the signed policy package file (JSON text)').max(2_000_000),
  /** One store only; null: every store of the chain. */
  scope: StoreCode.nullable().default(null),
}).strict();
export type PublishPolicyRequest = z.infer<typeof PublishPolicyRequest>;

export const PublishMappingRequest = z.object({
  sku: z.string().trim().min(1).max(50),
  catalogueCode: z.string().trim().min(1).max(50),
  note: z.string().trim().max(100).default('总部'),
  scope: StoreCode.nullable().default(null),
}).strict();
export type PublishMappingRequest = z.infer<typeof PublishMappingRequest>;

export const PublicationView = z.object({
  id: z.number().int(),
  kind: z.enum(['policy_package', 'sku_mapping']),
  scope: z.string().nullable(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  tills: z.array(z.object({ fixmedinsCode: z.string(), tillId: z.string(), state: z.enum(['applied', 'refused', 'waiting']), message: z.string().nullable(), at: z.string().nullable() })),
});
export type PublicationView = z.infer<typeof PublicationView>;

export const PublicationsView = z.object({ publications: z.array(PublicationView) });
export type PublicationsView = z.infer<typeof PublicationsView>;

export const Published = z.object({ id: z.number().int() });
