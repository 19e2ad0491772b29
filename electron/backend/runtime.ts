// Everything the backend runs, composed once: the store database and its services, the centre
// (the in-process sandbox in training mode, or a real endpoint), the sync engine, the card reader
// and the checkout. The API server is built on top of this.
import { join } from 'node:path';
import { createCentreClient } from '../../core/centre/client';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { type CentreIdentity } from '../../core/centre/envelope';
import { type CentrePort } from '../../core/centre/port';
import { DEFAULT_RISK_LIMITS } from '../../core/checkout/risk';
import { businessDate } from '../../core/checkout/business-date';
import { type StatusView } from '../../core/contracts/status';
import { StoreSettings } from '../../core/contracts/checkout';
import { CentreSettings } from '../../core/contracts/technician';
import { SqliteSignInBook } from '../../native/centre/sign-in-store';
import { centreConnection, sandboxOAuthFor, sandboxSecurityFor } from './centre-connection';
import { zipFileCodec } from '../../native/centre/zip';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PolicyStore } from '../../native/policy-store/store';
import { embeddedPackageSources } from '../../core/policy/embedded';
import { trainingCatalogue, trainingInstitutions } from '../../core/policy/reference';
import { httpUpdateSource, PolicyUpdater } from '../../native/policy-update/updater';
import { type RunningSandbox } from '../../native/sandbox/server';
import { loadReaderSettings, readerFromSettings, type ConfiguredReader } from '../../native/serial/settings';
import { SaleStore } from '../../native/store/sale-store';
import { DEFAULT_SYNC_CONCURRENCY, SyncEngine, type SyncStatus } from '../../native/sync/engine';
import { SettlementStore } from '../../native/sync/settlement-store';
import { SalesReporter } from '../../native/trace-report/reporter';
import { Foreground } from './foreground';
import { SalesReportStore } from '../../native/trace-report/store';
import { WriteOffStore } from '../../native/trace-report/writeoff-store';
import { InventoryUploadStore } from '../../native/trace-report/inventory-store';
import { INVENTORY_INFNOS, type InventoryInfno } from '../../core/centre/tx/stock';
import { SaleReporting } from './trace/reporting';
import { CheckoutService } from './checkout/service';
import { OfflineSwitch } from './offline-switch';
import { currentCentreOperator } from './operator-context';
import { watchCard } from './card-watch';
import { type TraceEvent } from '../../core/reader/trace';
import { type EventBus } from './http/events';
import { openStore, type Store } from './store';
import { startLedgerLink, type LedgerLink } from './ledger/link';
import { startHeadOfficeSeat } from './ledger/headoffice-seat';
import { type LedgerSeat, tillLane } from '../../core/ledger/port';

export const CENTRE_SETTINGS_KEY = 'centre';
export const STORE_SETTINGS_KEY = 'store';
/** Days an external prescription may be filled, the issue day included (a store setting; 3 by default). */
export const DEFAULT_RX_VALIDITY_DAYS = 3;
export const DEFAULT_STORE_SETTINGS: StoreSettings = {
  riskLimits: { ...DEFAULT_RISK_LIMITS },
  rxValidityDays: { default: DEFAULT_RX_VALIDITY_DAYS, byRegion: {} },
};

export interface Runtime {
  readonly store: Store;
  readonly policy: PolicyStore;
  readonly sales: SaleStore;
  readonly settlements: SettlementStore;
  readonly sync: SyncEngine;
  readonly centre: CentrePort;
  readonly checkout: CheckoutService;
  /** Checkout requests in flight (server.ts counts them); the 3505 reporter waits for it to be idle. */
  readonly foreground: Foreground;
  /** 进销存 sales reporting (3505/3506) and the store-wide 追溯码 ledger. */
  readonly reports: SaleReporting;
  /** 3501–3504/3507 inventory uploads, drained by the same reporter as the sales rows. */
  readonly inventory: InventoryUploadStore;
  /** 7206 e-prescription write-offs, drained by the same reporter after the sales rows. */
  readonly writeOffs: WriteOffStore;
  /** The inventory uploads the interface edition offers (a POST of another kind is refused). */
  readonly inventoryInfnos: readonly InventoryInfno[];
  readonly sandbox: RunningSandbox | null;
  readonly terminalId: string;
  readonly dataDir: string;
  readonly identity: CentreIdentity;
  /** The daily 9001 sign-ins per operator (store migration 7). */
  readonly signIns: SqliteSignInBook;
  /** Training mode only: simulates the network to the centre going down. */
  readonly network: OfflineSwitch | null;
  /** The store ledger shared with the store's other tills; null: this till alone (no ledger configured). */
  readonly ledger: LedgerLink | null;
  reader(): ConfiguredReader;
  reloadReader(): Promise<void>;
  /** Signed policy updates from the centre's feed (the sandbox publishes one in training). */
  policyUpdater(): PolicyUpdater;
  /** Collects every reader frame while `run` runs (the technician's self-test). */
  tapReader<T>(run: () => Promise<T>, tap: (event: TraceEvent) => void): Promise<T>;
  /** `syncStatus`: the engine status already in hand (an onStatus listener), so it is not read twice. */
  status(syncStatus?: SyncStatus): StatusView;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly dataDir: string;
  readonly terminalId?: string;
  readonly bus: EventBus;
  readonly now?: () => Date;
  /** From the command line/environment; each overrides the stored centre setting of the same name. */
  readonly ledgerUrl?: string | null;
  readonly tillId?: string | null;
  readonly ledgerSeat?: LedgerSeat | null;
}

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const terminalId = options.terminalId ?? 'T01';
  const now = options.now ?? (() => new Date());
  const store = openStore(options.dataDir);
  const policy = new PolicyStore(store.db);
  const centreSettings = store.settings.get(terminalId, CENTRE_SETTINGS_KEY, CentreSettings);
  const training = !centreSettings || centreSettings.mode === 'sandbox';

  const connection = centreConnection(centreSettings, options.dataDir);
  let sandbox: RunningSandbox | null = null;
  const identity: CentreIdentity = training ? TRAINING_IDENTITY : {
    ...TRAINING_IDENTITY, fixmedinsCode: centreSettings!.institutionCode, fixmedinsName: centreSettings!.institutionName, mdtrtareaAdmvs: centreSettings!.areaCode,
  };
  let url: string;
  if (training) {
    // Loaded only in training: a configured till never runs the made-up centre.
    const { startSandbox } = await import('../../native/sandbox/server');
    sandbox = await startSandbox({ dataDir: join(options.dataDir, 'sandbox'), port: 0, edition: connection.edition, security: sandboxSecurityFor(connection, centreSettings, options.dataDir), oauth: sandboxOAuthFor(connection, centreSettings, options.dataDir) });
    url = sandbox.endpoint;
    // Training only: where the made-up centre answers (a technician may point `npm run sandbox` tools at it).
    console.log(`training sandbox centre at ${sandbox.endpoint}`);
  } else {
    url = centreSettings!.url!;
  }
  // Training terminals (the in-process sandbox, or the training pharmacy talking to a standalone
  // `npm run sandbox`) get the made-up institutions, catalogue and SKUs (codes TRAIN-…) to practise with.
  const trainingData = identity.fixmedinsCode === TRAINING_IDENTITY.fixmedinsCode;
  seedOnce(store, policy, terminalId, trainingData);
  const ledgerUrl = options.ledgerUrl ?? centreSettings?.ledgerUrl ?? null;
  const tillId = options.tillId ?? centreSettings?.tillId ?? 'T1';
  // Head office's seat reads the chain's ledger and is no till of it (electron/backend/ledger/headoffice-seat.ts).
  const seat: LedgerSeat = options.ledgerSeat ?? centreSettings?.ledgerSeat ?? 'till';
  // With a ledger the store has several tills sharing its code: each issues msgids in its own lane.
  const settlements = new SettlementStore(store.db, { fixmedinsCode: identity.fixmedinsCode, msgidLane: ledgerUrl ? tillLane(tillId) : undefined });
  const feedUrl = sandbox ? `${sandbox.url.replace(/\/$/, '')}/sandbox/policy-packages` : centreSettings?.policyFeedUrl ?? null;
  const transport = new OfflineSwitch(connection.transport(url, { connectTimeoutMs: 2_000, responseTimeoutMs: centreSettings?.timeoutMs ?? 10_000 }));
  const signIns = new SqliteSignInBook(store.db);
  const centre = createCentreClient({
    transport, identity, clock: now, terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid: () => settlements.allocateMsgid(),
    edition: connection.edition, operator: currentCentreOperator, signIns,
  });
  // Calls in flight are a store setting, read on every pass (storeSettings is defined below; only called later).
  const sync = new SyncEngine({ store: settlements, centre, log: (line) => console.log(`sync: ${line}`), concurrency: () => storeSettings().syncConcurrency ?? DEFAULT_SYNC_CONCURRENCY });
  const sales = new SaleStore(store.db, now);
  const storeSettings = (): StoreSettings => store.settings.get(terminalId, STORE_SETTINGS_KEY, StoreSettings) ?? DEFAULT_STORE_SETTINGS;
  if (trainingData && sales.mappings().length === 0) seedTrainingMappings(sales);

  // The technician's self-test taps the frames of the terminal's own reader while it runs.
  const traceTaps = new Set<(event: TraceEvent) => void>();
  const configure = (): ConfiguredReader => readerFromSettings(loadReaderSettings(store.settings, terminalId), {
    trace: (event) => { for (const tap of traceTaps) tap(event); },
  });
  let reader = configure();
  const reportStore = new SalesReportStore(store.db, now);
  if (trainingData) seedTrainingPharmacists(reportStore, store.access.listOperators().map((o) => o.operatorId));
  const inventory = new InventoryUploadStore(store.db, now);
  const writeOffs = new WriteOffStore(store.db, now);
  const foreground = new Foreground();
  const reporter = new SalesReporter({
    idle: () => foreground.idle(),
    store: reportStore, centre, allocateMsgid: () => settlements.allocateMsgid(), edition: '3505A' in connection.edition.transactions ? 'batch' : 'classic',
    otcPrescriberName: () => storeSettings().otcPrescriberName,
    // 7206 only where the edition has it (an edition without it never queues a write-off, see below).
    queues: [inventory.queue(), ...('7206' in connection.edition.transactions ? [writeOffs.reportQueue((id) => reportStore.pharmacistOf(id))] : [])], log: (line) => console.log(line),
  });
  const operatorNames = (): Map<string, string> => new Map(store.access.listOperators().map((o) => [o.operatorId, o.name]));
  const reports = new SaleReporting(reportStore, reporter, { storeArea: identity.mdtrtareaAdmvs, operatorName: (id) => operatorNames().get(id) ?? id, now },
    '7206' in connection.edition.transactions ? writeOffs : undefined);
  const checkout = new CheckoutService({
    db: store.db, sales, policy, settlements, sync, centre, journal: store.journal,
    reader: () => reader.port, terminalId, store: { code: identity.fixmedinsCode, name: identity.fixmedinsName },
    riskLimits: () => storeSettings().riskLimits,
    rxValidityDays: (region) => { const v = storeSettings().rxValidityDays; return v.byRegion[region] ?? v.default; },
    now,
    onChange: (sale) => options.bus.publish('sale', { id: sale.id, state: sale.state, syncState: sale.syncState }),
    reports,
    requireRxReview: '7204' in connection.edition.transactions,
    // The ledger link is composed below; the basket only asks it once the till is running.
    ...(ledgerUrl && seat === 'till' && { soldInChain: (codes: readonly string[]) => (ledger ? ledger.soldInChain(codes) : Promise.reject(new Error('no ledger'))) }),
  });

  const ledger = seat === 'headoffice' ? await startHeadOfficeSeat({
    url: ledgerUrl, tillId, log: (line) => console.log(line), onStatus: () => options.bus.publish('status', runtime.status()),
  }) : ledgerUrl ? await startLedgerLink({
    db: store.db, url: ledgerUrl, tillId, identity, policy, sales,
    log: (line) => console.log(line),
    onStatus: () => options.bus.publish('status', runtime.status()),
  }) : null;
  const runtime: Runtime = {
    store, policy, sales, settlements, sync, centre, checkout, sandbox, terminalId, identity, dataDir: options.dataDir, signIns, ledger, reports, inventory, writeOffs, foreground,
    inventoryInfnos: INVENTORY_INFNOS.filter((i) => i in connection.edition.transactions),
    network: trainingData ? transport : null,
    reader: () => reader,
    policyUpdater: () => new PolicyUpdater({
      source: feedUrl ? httpUpdateSource(feedUrl) : () => Promise.reject(new Error('没有配置政策更新地址（中心连接设置 policyFeedUrl）')),
      importPackage: (json, origin) => policy.importPackage(json, origin),
    }),
    tapReader: async (run, tap) => {
      traceTaps.add(tap);
      try { return await run(); } finally { traceTaps.delete(tap); }
    },
    reloadReader: async () => {
      await reader.port.close();
      reader = configure();
    },
    status: (syncStatus?: SyncStatus) => {
      const s = syncStatus ?? sync.status();
      const settings = loadReaderSettings(store.settings, terminalId);
      return {
        online: s.online && checkout.reachable() && !transport.isOffline(),
        lastContactAt: s.online ? new Date(s.since).toISOString() : null,
        training: { sandboxCentre: sandbox !== null, virtualReader: reader.virtual !== null },
        queue: { pending: s.counts.pending + s.counts.sending, unknown: s.counts.unknown + s.counts.querying + s.counts.reversing, parked: s.counts.parked },
        reader: readerStatus(settings),
        terminalId,
        institution: { code: identity.fixmedinsCode, name: identity.fixmedinsName, region: identity.mdtrtareaAdmvs },
        edition: { id: connection.edition.id, name: connection.edition.name, security: connection.security },
        businessDate: businessDate(now()),
        ledger: ledger?.status() ?? null,
      };
    },
    close: async () => {
      stopWatching();
      await reporter.stop();
      await sync.stop();
      await ledger?.close();
      await reader.port.close();
      await sandbox?.close();
      store.close();
    },
  };
  sync.onStatus((s) => {
    // A settlement may have been confirmed: its 3505 rows are due now.
    reporter.kick();
    if (s.online) checkout.centreAnswered();
    // The engine's own status, not a second one: its outbox counts cost a pass over the outbox.
    options.bus.publish('status', runtime.status(s));
  });
  sync.start();
  reporter.start();
  void checkout.recoverRefunds().catch((error: unknown) => console.error(`refund recovery: ${error instanceof Error ? error.message : String(error)}`));
  const stopWatching = watchCard(() => reader.port, (state) => options.bus.publish('card', state), { busy: () => foreground.busy });
  return runtime;
}

/**
 * Made-up store barcodes mapped to the training catalogue, so a training till can scan and sell at
 * once (documented in README). Real terminals start with an empty mapping the technician fills.
 */
export const TRAINING_SKUS: ReadonlyArray<{ sku: string; catalogueCode: string }> = [
  { sku: '6901000000011', catalogueCode: 'TRAIN-D-A01' },
  { sku: '6901000000028', catalogueCode: 'TRAIN-D-A02' },
  { sku: '6901000000035', catalogueCode: 'TRAIN-D-B01' },
  { sku: '6901000000042', catalogueCode: 'TRAIN-D-B02' },
  { sku: '6901000000059', catalogueCode: 'TRAIN-D-C01' },
  { sku: '6901000000066', catalogueCode: 'TRAIN-V-B01' },
  { sku: '6901000000073', catalogueCode: 'TRAIN-M-A01' },
  { sku: '6901000000080', catalogueCode: 'TRAIN-O-C01' },
];

const SEEDED_KEY = 'startup.seededFingerprint';

/**
 * The embedded policy packages (and, on a training terminal, the training institutions and
 * catalogue) are validated and imported only when what ships differs from what was imported last
 * time: a restart with the same app skips the work (it was ~15% of a restart). The fingerprint is a
 * hash of the shipped data; a new app version with changed packages imports them as before.
 */
function seedOnce(store: Store, policy: PolicyStore, terminalId: string, trainingData: boolean): void {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(embeddedPackageSources()))
    .update(trainingData ? JSON.stringify([trainingInstitutions(), trainingCatalogue()]) : 'no training data')
    .digest('hex');
  if (store.settings.get(terminalId, SEEDED_KEY, z.string()) === fingerprint) return;
  policy.seedEmbedded();
  if (trainingData) policy.seedTrainingData();
  store.settings.set(terminalId, SEEDED_KEY, z.string(), fingerprint);
}

function seedTrainingMappings(sales: SaleStore): void {
  sales.db.transaction(() => {
    for (const m of TRAINING_SKUS) sales.setMapping(m.sku, m.catalogueCode, '培训数据', 'system');
  })();
}

function readerStatus(settings: ReturnType<typeof loadReaderSettings>): StatusView['reader'] {
  switch (settings?.model) {
    case 'reference-serial': return { kind: 'serial', port: settings.port, model: settings.model };
    case 'pcsc': return { kind: 'pcsc', port: settings.reader, model: 'PC/SC' };
    case 'library': return { kind: 'library', port: settings.path, model: `iReadCardBas (${settings.convention}, iType ${settings.mode})` };
    default: return { kind: 'virtual', port: null, model: 'virtual' };
  }
}

/** Training tills get a made-up 执业药师 for each training operator, so their sales can be reported at once. */
function seedTrainingPharmacists(reports: SalesReportStore, operatorIds: readonly string[]): void {
  for (const id of operatorIds) if (!reports.pharmacistOf(id)) reports.setPharmacist(id, { name: '【培训】药师甲', certNo: 'TRAIN-PHAR-0001' });
}
