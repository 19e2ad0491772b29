// The technician's bench: readers, catalogue mapping, policies in force, centre connection.
import { z } from 'zod';

export const PortView = z.object({
  path: z.string(), manufacturer: z.string().nullable(), vendorId: z.string().nullable(), productId: z.string().nullable(), serialNumber: z.string().nullable(),
});

export const SUPPORTED_BAUDS = [9600, 19200, 38400, 57600, 115200] as const;
/** Per-terminal reader settings: a reader speaking the reference protocol on a serial port, or the virtual (training) reader. */
export const ReaderSettings = z.discriminatedUnion('model', [
  z.object({
    model: z.literal('reference-serial'),
    port: z.string().trim().min(1, 'port: choose the serial port of the reader').max(200),
    baud: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]),
  }).strict(),
  z.object({ model: z.literal('virtual') }).strict(),
]);
export type ReaderSettings = z.infer<typeof ReaderSettings>;

export const FrameTrace = z.object({
  /** Milliseconds since the self-test started. */
  t: z.number(),
  dir: z.enum(['tx', 'rx']),
  hex: z.string(),
  note: z.string().nullable(),
});

export const SelfTestResult = z.object({
  ok: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The holder as read, with the ID number masked. */
  holder: z.object({ name: z.string(), cardNo: z.string(), ssnMasked: z.string(), region: z.string(), cardType: z.string(), version: z.string() }).nullable(),
  atr: z.string().nullable(),
  firmware: z.string().nullable(),
  durationMs: z.number(),
  frames: z.array(FrameTrace),
});
export type SelfTestResult = z.infer<typeof SelfTestResult>;

export const SkuMapping = z.object({
  sku: z.string().trim().min(1).max(50),
  catalogueCode: z.string().trim().min(1).max(50),
  note: z.string().trim().max(100).default(''),
}).strict();
export const SkuMappingView = z.object({
  sku: z.string(), catalogueCode: z.string(), note: z.string(), updatedAt: z.string(), updatedBy: z.string(),
  /** The catalogue item it points to, or null if the code is not in the catalogue. */
  catalogue: z.object({ name: z.string(), listClass: z.enum(['A', 'B', 'C']), kind: z.string() }).nullable(),
});

export const PolicyParameterView = z.object({ name: z.string(), value: z.string().nullable(), known: z.boolean(), source: z.string() });
export const PolicyVersionView = z.object({
  region: z.string(), regionName: z.string(), version: z.string(), document: z.string(),
  effectiveFrom: z.string().nullable(), effectiveTo: z.string().nullable(), inForce: z.boolean(),
  parameters: z.array(PolicyParameterView),
});

export const CentreSettings = z.object({
  mode: z.enum(['sandbox', 'http']),
  /** The centre's endpoint when mode is http. */
  url: z.string().url().nullable(),
  institutionCode: z.string().regex(/^[0-9A-Za-z]{6,30}$/, 'institutionCode: the pharmacy code (定点医药机构编号)'),
  institutionName: z.string().trim().min(1).max(200),
  /** 就医地 admin division (the pharmacy's area), six digits. */
  areaCode: z.string().regex(/^\d{6}$/, 'areaCode: six digits'),
  timeoutMs: z.number().int().min(1000).max(120_000),
  /** Where signed policy packages are published (the sandbox serves /sandbox/policy-packages); null: none configured. */
  policyFeedUrl: z.string().url().nullable().default(null),
  /** The store ledger shared by the store's tills (PostgreSQL connection string); null: this till alone. */
  ledgerUrl: z.string().trim().regex(/^postgres(ql)?:\/\/\S+\/\S+$/, 'ledgerUrl: postgres://user@host:port/database').max(500).nullable().default(null),
  /** This till's id in the store ledger: T1 … T9, different on each till of the store. */
  tillId: z.string().regex(/^T0?[1-9]$/, 'tillId: T1 … T9, a different one on each till of the store').nullable().default(null),
}).strict();
export type CentreSettings = z.infer<typeof CentreSettings>;

export const CentreOnlineTest = z.object({ ok: z.boolean(), ms: z.number(), message: z.string() });
export const PolicyUpdateReport = z.object({
  added: z.array(z.string()),
  unchanged: z.array(z.string()),
  refused: z.array(z.object({ index: z.number(), reason: z.string() })),
});
