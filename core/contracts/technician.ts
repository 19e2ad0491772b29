// The technician's bench: readers, catalogue mapping, policies in force, centre connection.
import { z } from 'zod';

export const PortView = z.object({
  path: z.string(), manufacturer: z.string().nullable(), vendorId: z.string().nullable(), productId: z.string().nullable(), serialNumber: z.string().nullable(),
});

/**
 * The ports and how they were found: the platform's listing (with vendor details), or — when it
 * failed or its helper (udevadm on Linux) is missing — the kernel's view, with the reason.
 */
export const PortList = z.object({
  ports: z.array(PortView),
  source: z.enum(['platform', 'kernel']),
  fallback: z.discriminatedUnion('reason', [
    z.object({ reason: z.literal('helper-missing'), program: z.string() }),
    z.object({ reason: z.literal('listing-failed'), detail: z.string() }),
  ]).nullable(),
});
export type PortList = z.infer<typeof PortList>;

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
  /** The interface edition (接口版本) of the province's platform: an id of GET /api/centre/editions. */
  edition: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'edition: an edition id such as national').default('national'),
  /** Gateway security; null: what the edition expects. */
  security: z.enum(['plain', 'tif-headers', 'sm4-sm2']).nullable().default(null),
  /** x-tif-paasid for the tif-headers gateway (not a secret; the token is stored as a key file). */
  paasId: z.string().trim().min(1).max(64).nullable().default(null),
  /** For an edition whose gateway wants an OAuth token first (Jilin): the non-secret credentials. */
  oauth: z.object({
    clientId: z.string().trim().min(1).max(100),
    username: z.string().trim().min(1).max(100),
    scope: z.string().trim().max(100),
  }).strict().nullable().default(null),
}).strict();
export type CentreSettings = z.infer<typeof CentreSettings>;

export const EditionChoice = z.object({
  id: z.string(), name: z.string(),
  /** The gateway wants an OAuth token first (fill 中心连接's OAuth fields and secrets). */
  oauth: z.boolean(),
  /** Shipped with the app, or imported into the data folder by a technician. */
  origin: z.enum(['shipped', 'local']),
  /** The mode the edition expects, and every mode it can run. */
  security: z.enum(['plain', 'tif-headers', 'sm4-sm2']),
  modes: z.array(z.enum(['plain', 'tif-headers', 'sm4-sm2'])),
  notes: z.array(z.string()),
});
export type EditionChoice = z.infer<typeof EditionChoice>;

/** The gateway secrets, stored as files of mode 0600 in the data folder; never returned once stored. */
export const CENTRE_SECRET_NAMES = ['tif-paas-token', 'sm4.key', 'sm2-private.key', 'oauth-client-secret', 'oauth-password'] as const;
export const CentreSecretInput = z.object({ name: z.enum(CENTRE_SECRET_NAMES), value: z.string().min(1).max(400) }).strict();
export const CentreSecretsView = z.object({ stored: z.record(z.enum(CENTRE_SECRET_NAMES), z.boolean()) });

export const CentreOnlineTest = z.object({ ok: z.boolean(), ms: z.number(), message: z.string() });
export const PolicyUpdateReport = z.object({
  added: z.array(z.string()),
  unchanged: z.array(z.string()),
  refused: z.array(z.object({ index: z.number(), reason: z.string() })),
});
