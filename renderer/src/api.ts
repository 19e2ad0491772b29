// The renderer's only way to the backend: typed calls whose replies are checked against
// core/contracts. It keeps the session token, sends it with every call, and turns every failure
// into an ApiError whose message a cashier can act on.
import {
  InventoryDayView, type InventoryImportRequest, InventoryImportResult, PharmacistListEntry, PharmacistSetting, RecheckPharmacistSetting, ReportDayView, WriteOffView,
} from '../../core/contracts/trace';
import { z } from 'zod';
import { type CreateOperatorRequest, OperatorInfo, PosTokenCreated, PosTokenInfo, Principal, SessionInfo } from '../../core/contracts/auth';
import {
  type BasketRequest, EprescriptionLookup, StoreSettings, type EprescriptionReviewRequest, type IdentifyRequest, type PrescriptionBody, SaleView, type SaleState,
} from '../../core/contracts/checkout';
import { ErrorResponse } from '../../core/contracts/common';
import { HealthResponse } from '../../core/contracts/health';
import { StoreDayView, StoreDiscrepancy, StoreRangeView } from '../../core/contracts/ledger';
import {
  HeadOfficeDaysView, HeadOfficeStoreDay, PublicationsView, Published, type PublishMappingRequest,
} from '../../core/contracts/headoffice';
import {
  DayChart, DaySummary, DayView, Discrepancy, MonthChart, RangeView, type ResolutionAction,
} from '../../core/contracts/reconciliation';
import { StatusView } from '../../core/contracts/status';
import {
  CatalogueDownloadResult, CataloguesView, CentreOnlineTest, CentreSecretsView, CentreSettings, EditionChoice, type CentreSecretInput, PolicyUpdateReport, PolicyVersionView, PortList, LibraryTest, ReaderDiscovery, ReaderSettings, SelfTestResult, type SkuMapping, SkuMappingView,
} from '../../core/contracts/technician';
import { shell } from './shell';
import { zh } from './strings';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

type Schema<T> = { parse(value: unknown): T };
type Query = Record<string, string | undefined>;

interface CallOptions {
  body?: unknown;
  query?: Query;
  /** Send an Idempotency-Key so a retry after a lost reply cannot book the same thing twice. */
  idempotent?: boolean;
}

const TOKEN_KEY = 'ybjs.session';
let session: SessionInfo | null = readStoredSession();
const unauthorizedListeners = new Set<() => void>();

/** sessionStorage survives an accidental reload (F5) but not closing the window. */
function readStoredSession(): SessionInfo | null {
  try {
    const text = sessionStorage.getItem(TOKEN_KEY);
    const stored = text ? SessionInfo.parse(JSON.parse(text)) : null;
    // A session still waiting for its first PIN change is not resumed: sign in (and change it) again.
    return stored && !stored.pinChangeRequired ? stored : null;
  } catch {
    return null;
  }
}

function storeSession(next: SessionInfo | null): void {
  session = next;
  if (next) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function currentSession(): SessionInfo | null {
  return session;
}

/** Called when the backend says the token is no longer valid (expired, signed out elsewhere, operator deactivated). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ui-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function urlFor(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return `${shell.apiBase()}${path}${qs ? `?${qs}` : ''}`;
}

async function send(method: string, path: string, options: CallOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (session) headers.authorization = `Bearer ${session.token}`;
  const shellToken = shell.token();
  if (shellToken) headers['x-ybjs-shell-token'] = shellToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotent) headers['idempotency-key'] = newIdempotencyKey();
  const init: RequestInit = { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) };
  const url = urlFor(path, options.query);
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    // The reply was lost (backend restarting): one retry, with the same Idempotency-Key when there is one.
    try {
      await new Promise((resolve) => setTimeout(resolve, 800));
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, 'NETWORK', zh.errors.network);
    }
  }
  if (!response.ok) throw await failure(response);
  return response;
}

async function failure(response: Response): Promise<ApiError> {
  let body: unknown;
  try { body = await response.json(); } catch { body = undefined; }
  const parsed = ErrorResponse.safeParse(body);
  if (response.status === 401 && session) {
    storeSession(null);
    for (const listener of unauthorizedListeners) listener();
  }
  if (!parsed.success) return new ApiError(response.status, 'HTTP', `${zh.errors.unexpected}（HTTP ${response.status}）`);
  const { error, message, field } = parsed.data;
  if (response.status === 404 && error === 'NOT_FOUND' && message.startsWith('no route')) {
    return new ApiError(404, 'NO_ROUTE', zh.errors.noRoute);
  }
  if (error === 'FORBIDDEN_ROLE') return new ApiError(403, error, zh.errors.forbiddenRole);
  // Schema refusals name the field in English; say it in Chinese where we know the field.
  const hint = error === 'INVALID_REQUEST' && field ? zh.fieldHint(field) : undefined;
  return new ApiError(response.status, error, hint ?? message, field);
}

/** A form value the contract refuses, caught before sending: the same shape as the backend's refusal. */
export function inputError(field: string, fallback: string): ApiError {
  return new ApiError(400, 'INVALID_INPUT', zh.fieldHint(field) ?? fallback, field);
}

async function call<T>(method: string, path: string, schema: Schema<T>, options: CallOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  const json: unknown = await response.json();
  try {
    return schema.parse(json);
  } catch (error) {
    // A reply that does not match the contract is a version mismatch, not a user mistake. Only the
    // paths of the offending fields are logged: the values may be personal data.
    const where = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')} (${i.code})`).join(', ') : String(error);
    console.error(`reply of ${method} ${path} does not match the contract: ${where}`);
    throw new ApiError(0, 'BAD_REPLY', zh.errors.badReply);
  }
}

const Ok = z.object({ ok: z.literal(true) });
/** Training endpoints have no contract file; their shape as the backend declares it in its OpenAPI document. */
const TrainingCard = z.object({ fixtureId: z.string(), name: z.string(), region: z.string(), scenario: z.string(), generation: z.number() });
export type TrainingCard = z.infer<typeof TrainingCard>;
const JournalCheck = z.object({ ok: z.boolean(), entries: z.number() }).loose();

const enc = encodeURIComponent;

/** A printable page the backend renders (receipt, daily report). */
async function html(path: string): Promise<string> {
  return (await send('GET', path, {}, 'text/html')).text();
}

export const api = {
  health: () => call('GET', '/api/health', HealthResponse),

  // ── session ──────────────────────────────────────────────────────────────────────────────
  async login(operatorId: string, pin: string): Promise<SessionInfo> {
    const info = await call('POST', '/api/session', SessionInfo, { body: { operatorId, pin } });
    storeSession(info);
    return info;
  },
  whoami: () => call('GET', '/api/session', Principal),
  /** The signed-in operator sets their own PIN; the stored session then no longer waits for it. */
  async changePin(currentPin: string, newPin: string): Promise<void> {
    await call('POST', '/api/session/pin', Ok, { body: { currentPin, newPin } });
    if (session) storeSession({ ...session, pinChangeRequired: false });
  },
  async logout(): Promise<void> {
    try { await call('DELETE', '/api/session', Ok); } finally { storeSession(null); }
  },
  /** The event stream URL (EventSource cannot send headers; this endpoint alone takes the token in the query). */
  eventsUrl: (): string | null => (session ? urlFor('/api/events', { access_token: session.token, shell_token: shell.token() ?? undefined }) : null),

  status: () => call('GET', '/api/status', StatusView),
  journalVerify: () => call('GET', '/api/journal/verify', JournalCheck),

  // ── operators and POS tokens (manager) ──────────────────────────────────────────────────
  operators: () => call('GET', '/api/operators', z.array(OperatorInfo)),
  createOperator: (body: z.input<typeof CreateOperatorRequest>) => call('POST', '/api/operators', OperatorInfo, { body }),
  deactivateOperator: (id: string) => call('POST', `/api/operators/${enc(id)}/deactivate`, Ok),
  posTokens: () => call('GET', '/api/pos-tokens', z.array(PosTokenInfo)),
  createPosToken: (name: string) => call('POST', '/api/pos-tokens', PosTokenCreated, { body: { name } }),
  revokePosToken: (id: string) => call('POST', `/api/pos-tokens/${enc(id)}/revoke`, Ok),
  storeSettings: () => call('GET', '/api/store-settings', StoreSettings),
  saveStoreSettings: (body: z.input<typeof StoreSettings>) => call('PUT', '/api/store-settings', StoreSettings, { body }),

  // ── checkout ─────────────────────────────────────────────────────────────────────────────
  startSale: (identify: IdentifyRequest) => call('POST', '/api/sales', SaleView, { body: { identify }, idempotent: true }),
  /** The e-prescription waiting for the identified patient, by the credential read at identify (7202). */
  queryEprescription: (id: string) => call('POST', `/api/sales/${enc(id)}/eprescription-query`, EprescriptionLookup),
  /** The pharmacist's 审方 of the downloaded e-prescription, uploaded to the centre (7204). */
  reviewPrescription: (id: string, body: EprescriptionReviewRequest) => call('POST', `/api/sales/${enc(id)}/eprescription-review`, SaleView, { body }),
  /** A paper entry, { scanned: QR text } of an e-prescription, or { authRxno } from queryEprescription; the backend downloads it from the centre. */
  setPrescription: (id: string, body: NonNullable<PrescriptionBody>) => call('PUT', `/api/sales/${enc(id)}/prescription`, SaleView, { body }),
  setBasket: (id: string, body: z.input<typeof BasketRequest>) => call('PUT', `/api/sales/${enc(id)}/basket`, SaleView, { body }),
  presettle: (id: string, useAccount: boolean) => call('POST', `/api/sales/${enc(id)}/presettle`, SaleView, { body: { useAccount } }),
  settle: (id: string, useAccount: boolean, acceptSelfPay = false) =>
    call('POST', `/api/sales/${enc(id)}/settle`, SaleView, { body: { useAccount, acceptSelfPay }, idempotent: true }),
  refund: (id: string, reason: string) => call('POST', `/api/sales/${enc(id)}/refund`, SaleView, { body: { reason }, idempotent: true }),
  sale: (id: string) => call('GET', `/api/sales/${enc(id)}`, SaleView),
  /** One page of sales, newest first (the API pages: limit ≤ 500). */
  sales: (query: { date?: string; state?: SaleState; limit?: number }) =>
    call('GET', '/api/sales', z.array(SaleView), { query: { date: query.date, state: query.state, limit: query.limit === undefined ? undefined : String(query.limit) } }),
  receiptHtml: (id: string) => html(`/api/sales/${enc(id)}/receipt`),

  // ── 进销存上传 and the pharmacist per operator (manager) ─────────────────────────────────
  traceDay: (date: string) => call('GET', `/api/trace-reports/days/${enc(date)}`, ReportDayView),
  traceRetry: (body: { ids?: number[]; date?: string }) => call('POST', '/api/trace-reports/retry', z.object({ retried: z.number() }), { body }),
  pharmacist: (operatorId: string) => call('GET', `/api/operators/${enc(operatorId)}/pharmacist`, PharmacistSetting.nullable()),
  setPharmacist: (operatorId: string, body: PharmacistSetting) => call('PUT', `/api/operators/${enc(operatorId)}/pharmacist`, PharmacistSetting.nullable(), { body }),
  /** The operators with a pharmacist setting, ID numbers masked (any role: the review dialog's 复核药师 choice). */
  pharmacists: () => call('GET', '/api/pharmacists', z.array(PharmacistListEntry)),
  /** 电子处方核销 (7206) of a day, held ones with the field they wait for (manager). */
  writeOffDay: (date: string) => call('GET', `/api/eprescription-writeoffs/days/${enc(date)}`, z.array(WriteOffView)),
  writeOffRetry: (body: { ids?: number[]; date?: string }) => call('POST', '/api/eprescription-writeoffs/retry', z.object({ retried: z.number() }), { body }),
  setRecheckPharmacist: (operatorId: string | null) => call('PUT', '/api/eprescription/recheck-pharmacist', RecheckPharmacistSetting, { body: { operatorId } }),
  inventoryDay: (date: string) => call('GET', `/api/inventory-uploads/days/${enc(date)}`, InventoryDayView),
  inventoryRetry: (body: { ids?: number[]; date?: string }) => call('POST', '/api/inventory-uploads/retry', z.object({ retried: z.number() }), { body }),
  inventoryImport: (body: InventoryImportRequest) => call('POST', '/api/inventory-uploads/import', InventoryImportResult, { body }),
  /** The import template of one kind (CSV with its header row, or xlsx). */
  async inventoryTemplate(infno: string, format: 'xlsx' | 'csv'): Promise<{ name: string; blob: Blob }> {
    const response = await send('GET', `/api/inventory-uploads/templates/${enc(infno)}`, { query: { format } }, '*/*');
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `inventory-${infno}-template.${format}`;
    return { name, blob: await response.blob() };
  },

  // ── reconciliation (manager) ─────────────────────────────────────────────────────────────
  days: (from: string, to: string) => call('GET', '/api/reconciliation/days', z.array(DaySummary), { query: { from, to } }),
  day: (date: string) => call('GET', `/api/reconciliation/days/${enc(date)}`, DayView),
  checkDay: (date: string) => call('POST', `/api/reconciliation/days/${enc(date)}/check`, DayView),
  closeDay: (date: string, acknowledgeUnbalanced: boolean, note: string) =>
    call('POST', `/api/reconciliation/days/${enc(date)}/close`, DayView, { body: { acknowledgeUnbalanced, note }, idempotent: true }),
  discrepancies: (query: { date?: string; from?: string; to?: string; status?: 'open' | 'resolved' | 'all' }) =>
    call('GET', '/api/reconciliation/discrepancies', z.array(Discrepancy), { query }),
  resolve: (id: string, action: ResolutionAction, reason: string) =>
    call('POST', `/api/reconciliation/discrepancies/${enc(id)}/resolve`, Discrepancy, { body: { action, reason }, idempotent: true }),
  range: (from: string, to: string) => call('GET', '/api/reconciliation/range', RangeView, { query: { from, to } }),
  dayReportHtml: (date: string) => html(`/api/reconciliation/days/${enc(date)}/report`),
  dayChart: (date: string) => call('GET', `/api/reconciliation/charts/day/${enc(date)}`, DayChart),
  monthChart: (month: string) => call('GET', `/api/reconciliation/charts/month/${enc(month)}`, MonthChart),
  /** The export file as the backend made it, with the name it suggests. */
  async exportFile(from: string, to: string, format: 'xlsx' | 'csv'): Promise<{ name: string; blob: Blob }> {
    const response = await send('GET', '/api/reconciliation/export', { query: { from, to, format } }, '*/*');
    const disposition = response.headers.get('content-disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `reconciliation-${from}_${to}.${format}`;
    return { name, blob: await response.blob() };
  },

  // ── the store's day over the store ledger (manager; several tills) ──────────────────────────
  storeDay: (date: string) => call('GET', `/api/store-ledger/days/${enc(date)}`, StoreDayView),
  checkStoreDay: (date: string) => call('POST', `/api/store-ledger/days/${enc(date)}/check`, StoreDayView),
  closeStoreDay: (date: string, acknowledgeUnbalanced: boolean, note: string) =>
    call('POST', `/api/store-ledger/days/${enc(date)}/close`, StoreDayView, { body: { acknowledgeUnbalanced, note }, idempotent: true }),
  /** Filed in the ledger for the till that owns the discrepancy; that till carries it out at its next sync. */
  resolveStore: (id: string, action: ResolutionAction, reason: string) =>
    call('POST', `/api/store-ledger/discrepancies/${enc(id)}/resolve`, StoreDayView, { body: { action, reason }, idempotent: true }),
  // Store-level reports over all tills (issue 17): the same screens as the per-till ones.
  storeRange: (from: string, to: string) => call('GET', '/api/store-ledger/range', StoreRangeView, { query: { from, to } }),
  storeDayReportHtml: (date: string) => html(`/api/store-ledger/days/${enc(date)}/report`),
  storeDayChart: (date: string) => call('GET', `/api/store-ledger/charts/day/${enc(date)}`, DayChart),
  storeMonthChart: (month: string) => call('GET', `/api/store-ledger/charts/month/${enc(month)}`, MonthChart),
  storeDiscrepancies: (query: { status?: 'open' | 'resolved' | 'all' }) => call('GET', '/api/store-ledger/discrepancies', z.array(StoreDiscrepancy), { query }),
  async storeExportFile(from: string, to: string, format: 'xlsx' | 'csv'): Promise<{ name: string; blob: Blob }> {
    const response = await send('GET', '/api/store-ledger/export', { query: { from, to, format } }, '*/*');
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `store-reconciliation-${from}_${to}.${format}`;
    return { name, blob: await response.blob() };
  },

  // ── head office (总部) ─────────────────────────────────────────────────────────────────────
  headOfficeDays: (date: string) => call('GET', '/api/head-office/days', HeadOfficeDaysView, { query: { date } }),
  headOfficeStoreDay: (code: string, date: string) => call('GET', `/api/head-office/stores/${enc(code)}/days/${enc(date)}`, HeadOfficeStoreDay),
  publications: () => call('GET', '/api/head-office/publications', PublicationsView),
  publishMapping: (body: { sku: string; catalogueCode: string; note?: string; scope: string | null }) =>
    call('POST', '/api/head-office/publications/mapping', Published, { body: body satisfies Partial<PublishMappingRequest>, idempotent: true }),
  /** The signed package file's text as chosen; the backend verifies it before storing anything. */
  publishPolicy: (packageText: string, scope: string | null) => call('POST', '/api/head-office/publications/policy', Published, { body: { packageText, scope }, idempotent: true }),
  async headOfficeExport(from: string, to: string): Promise<{ name: string; blob: Blob }> {
    const response = await send('GET', '/api/head-office/export', { query: { from, to } }, '*/*');
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `headoffice-${from}_${to}.xlsx`;
    return { name, blob: await response.blob() };
  },

  // ── technician ───────────────────────────────────────────────────────────────────────────
  ports: () => call('GET', '/api/reader/ports', PortList),
  readerSettings: () => call('GET', '/api/reader/settings', ReaderSettings),
  saveReaderSettings: (body: ReaderSettings) => call('PUT', '/api/reader/settings', ReaderSettings, { body }),
  selfTest: () => call('POST', '/api/reader/self-test', SelfTestResult, { body: {} }),
  readerDiscovery: () => call('GET', '/api/reader/discovery', ReaderDiscovery),
  libraryTest: (path: string, convention: 'stdcall' | 'cdecl') => call('POST', '/api/reader/library-test', LibraryTest, { body: { path, convention } }),
  skuMappings: () => call('GET', '/api/sku-mappings', z.array(SkuMappingView)),
  saveSkuMapping: ({ sku, ...body }: z.input<typeof SkuMapping>) => call('PUT', `/api/sku-mappings/${enc(sku)}`, SkuMappingView, { body }),
  deleteSkuMapping: (sku: string) => call('DELETE', `/api/sku-mappings/${enc(sku)}`, Ok),
  catalogues: () => call('GET', '/api/catalogues', CataloguesView),
  downloadCatalogues: () => call('POST', '/api/catalogues/download', CatalogueDownloadResult, { body: {} }),
  policies: () => call('GET', '/api/policies', z.array(PolicyVersionView)),
  centreSettings: () => call('GET', '/api/centre/settings', CentreSettings),
  saveCentreSettings: (body: CentreSettings) => call('PUT', '/api/centre/settings', CentreSettings, { body }),
  centreOnlineTest: () => call('POST', '/api/centre/online-test', CentreOnlineTest, { body: {} }),
  centreEditions: () => call('GET', '/api/centre/editions', z.array(EditionChoice)),
  importCentreEdition: (profile: unknown) => call('POST', '/api/centre/editions', EditionChoice, { body: profile }),
  centreSecrets: () => call('GET', '/api/centre/secrets', CentreSecretsView),
  saveCentreSecret: (body: z.input<typeof CentreSecretInput>) => call('PUT', '/api/centre/secrets', CentreSecretsView, { body }),
  updatePolicies: () => call('POST', '/api/policies/update', PolicyUpdateReport, { body: {} }),

  // ── training (sandbox centre and virtual reader only) ───────────────────────────────────
  trainingCards: () => call('GET', '/api/training/cards', z.array(TrainingCard)),
  insertTrainingCard: (fixtureId: string | null) => call('POST', '/api/training/card', Ok, { body: { fixtureId } }),
  setTrainingCentreOnline: (online: boolean) => call('POST', '/api/training/centre', StatusView, { body: { online } }),
};
