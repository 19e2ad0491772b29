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
/** Per-terminal reader settings: the reference serial protocol, a PC/SC reader, a vendor library, or the virtual (training) reader. */
export const ReaderSettings = z.discriminatedUnion('model', [
  z.object({
    model: z.literal('reference-serial'),
    port: z.string().trim().min(1, 'port: choose the serial port of the reader').max(200),
    baud: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]),
  }).strict(),
  z.object({
    model: z.literal('pcsc'),
    /** The PC/SC reader name (see GET /api/reader/discovery); null: the reader holding a card, contact slots first. */
    reader: z.string().trim().min(1).max(200).nullable(),
  }).strict(),
  z.object({
    model: z.literal('library'),
    /** The vendor's 社保卡 reader-interface library (DLL / .so), an absolute path. */
    path: z.string().trim().min(1, 'path: the vendor library file').max(500),
    convention: z.enum(['stdcall', 'cdecl']),
    /** iType: 1 contact, 2 contactless, 3 auto (contact first), 4 auto (contactless first). */
    mode: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
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

export const ReaderDiscovery = z.object({
  serial: z.array(PortView),
  pcsc: z.object({
    /** Null when PC/SC works here; otherwise why not (binding missing, service not running). */
    unavailable: z.string().nullable(),
    readers: z.array(z.object({ name: z.string(), card: z.string(), atr: z.string().nullable(), contactless: z.boolean() })),
  }),
});
export const LibraryTest = z.object({ ok: z.boolean(), found: z.array(z.string()), message: z.string() });

export const SelfTestResult = z.object({
  ok: z.boolean(),
  /** Which driver ran: the frames are in its own terms (serial frames, APDUs, library calls). */
  kind: z.enum(['serial', 'pcsc', 'library', 'virtual']).optional(),
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
  catalogue: z.object({
    name: z.string(), listClass: z.enum(['A', 'B', 'C']), kind: z.string(),
    /** Where the 甲/乙/丙 class and 乙类 ratio come from: the downloaded 1301/1306, or the app's own catalogue. */
    classSource: z.enum(['downloaded', 'local']),
  }).nullable(),
  /**
   * verified: the code is in the downloaded catalogue; unverified: no catalogue was downloaded yet;
   * not_in_catalogue: a catalogue was downloaded since and the code is not (or no longer validly) in it.
   */
  verification: z.enum(['verified', 'unverified', 'not_in_catalogue']),
  /** A sentence on the class source (and the verification), e.g. "乙类取自西药中成药目录（1301，版本 3）…". */
  explanation: z.string(),
});

// ── downloaded catalogues (1301/1306) and dictionaries (1901) ──
export const CATALOGUE_INFNO_VALUES = ['1301', '1306'] as const;
/** The 1901 types downloaded by default: code tables the app shows or checks (nhsa-interface.md §4). */
export const DEFAULT_DICTIONARY_TYPES = ['chrgitm_lv', 'list_type', 'clr_type'] as const;

export const CatalogueKindView = z.object({
  infno: z.enum(CATALOGUE_INFNO_VALUES), name: z.string(),
  /** The highest version stored ("0": never downloaded): the next download starts after it. */
  version: z.string(), rows: z.number().int(),
  lastAttemptAt: z.string().nullable(), lastOk: z.boolean().nullable(), lastMessage: z.string(), lastSuccessAt: z.string().nullable(),
});
export const DictionaryView = z.object({ type: z.string(), rows: z.number().int(), downloadedAt: z.string(), version: z.string() });

/** 1312 (class) and 1319 (先自付比例): paged queries, incremental by updt_time (core/centre/hilist-download.ts). */
export const HILIST_INFNO_VALUES = ['1312', '1319'] as const;
export const HilistQueryView = z.object({
  infno: z.enum(HILIST_INFNO_VALUES), name: z.string(),
  /** The day the next download asks from (updt_time); nextPage > 1: a download stopped half-way resumes there. */
  since: z.string(), nextPage: z.number().int(),
  /** The highest updt_time stored ('' before any): the query's "version". */
  lastUpdate: z.string(), rows: z.number().int(),
  /** recordCounts of the last page read, when the centre gives it. */
  total: z.number().int().nullable(),
  lastAttemptAt: z.string().nullable(), lastOk: z.boolean().nullable(), lastMessage: z.string(), lastPages: z.number().int(), lastRows: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  /** A download under way on this terminal: pages and rows stored so far, the centre's totals when given. */
  running: z.object({
    startedAt: z.string(), since: z.string(), pages: z.number().int(), rows: z.number().int(), total: z.number().int().nullable(), totalPages: z.number().int().nullable(),
  }).nullable(),
});
export const CataloguesView = z.object({ catalogues: z.array(CatalogueKindView), queries: z.array(HilistQueryView), dictionaries: z.array(DictionaryView) });
export type CataloguesView = z.infer<typeof CataloguesView>;

export const CatalogueDownloadRequest = z.object({
  infnos: z.array(z.enum(CATALOGUE_INFNO_VALUES)).max(2).default([...CATALOGUE_INFNO_VALUES]),
  dictionaries: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,29}$/, 'a dictionary type such as chrgitm_lv')).max(50).default([...DEFAULT_DICTIONARY_TYPES]),
  /** 1312 / 1319 after the catalogues (the class and ratio for certain). */
  queries: z.array(z.enum(HILIST_INFNO_VALUES)).max(2).default([...HILIST_INFNO_VALUES]),
}).strict();
export const CatalogueDownloadResult = z.object({
  catalogues: z.array(z.object({
    infno: z.enum(CATALOGUE_INFNO_VALUES), ok: z.boolean(), fromVersion: z.string(), version: z.string(), chunks: z.number().int(), rows: z.number().int(), message: z.string(),
  })),
  queries: z.array(z.object({ infno: z.enum(HILIST_INFNO_VALUES), ok: z.boolean(), pages: z.number().int(), rows: z.number().int(), total: z.number().int().nullable(), message: z.string() })),
  dictionaries: z.array(z.object({ type: z.string(), ok: z.boolean(), rows: z.number().int(), message: z.string() })),
  view: CataloguesView,
});
export type CatalogueDownloadResult = z.infer<typeof CatalogueDownloadResult>;

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
  /** The store ledger shared by the store's tills (PostgreSQL connection string); null: this till alone. */
  ledgerUrl: z.string().trim().regex(/^postgres(ql)?:\/\/\S+\/\S+$/, 'ledgerUrl: postgres://user@host:port/database').max(500).nullable().default(null),
  /** This till's id in the store ledger: T1 … T9, different on each till of the store. */
  tillId: z.string().regex(/^T0?[1-9]$/, 'tillId: T1 … T9, a different one on each till of the store').nullable().default(null),
  /** headoffice: this app is head office's seat at a chain's ledger (registers no till, sells nothing); null/till: a till. */
  ledgerSeat: z.enum(['till', 'headoffice']).nullable().default(null),
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
