// The till's link to the store ledger, composed for the runtime: the PostgreSQL adapter, the
// till's outbox and the replicator. A ledger that cannot be used (bad connection string, newer
// schema, another store's, till id taken) is reported in the status with the setting to change;
// the checkout is never affected.
import { type CentreIdentity } from '../../../core/centre/envelope';
import { type ChainSoldCode, type LedgerSeat, LedgerSetupError, type Publication } from '../../../core/ledger/port';
import { type Db } from '../../../native/db/open';
import { type PgLedger } from '../../../native/ledger/pg-ledger';
import { LedgerReplicator, type ReplicatorStatus } from '../../../native/ledger/replicator';
import { TillOutbox } from '../../../native/ledger/till-outbox';
import { type PolicyStore } from '../../../native/policy-store/store';
import { verifySignedPackage } from '../../../native/policy-update/signed-package';
import { TRUSTED_POLICY_KEYS } from '../../../native/policy-update/keys';
import { type SaleStore } from '../../../native/store/sale-store';
import { SkuPublication } from '../../../core/ledger/publication';

export interface LedgerLink {
  /** till: this app is a till of the ledger; headoffice: head office's seat (./headoffice-seat.ts), which registers, pushes and applies nothing. */
  readonly seat: LedgerSeat;
  readonly tillId: string;
  /** Null when the connection string could not even be parsed. */
  readonly ledger: PgLedger | null;
  readonly replicator: LedgerReplicator | null;
  status(): { tillId: string; pending: number; error: string | null; seat?: 'headoffice'; chain?: string | null; reachable?: boolean };
  replicationStatus(): ReplicatorStatus;
  /** Work to do after each ledger sync (the owning till's pending resolutions), set once the reconciliation is composed. */
  onSync(work: () => Promise<void>): void;
  /** The basket's question to the ledger (300 ms at most): a whole-box code sold by another till of the chain and not returned. */
  soldInChain(codes: readonly string[]): Promise<ChainSoldCode | null>;
  close(): Promise<void>;
  /** Head office's seat only: a ledger it must not be used with as set up (not a chain's, not a ledger, too new); null otherwise. */
  setupProblem?(): LedgerSetupError | null;
}

/** How long the basket waits for the ledger before it goes on with the till's own check. */
export const CHAIN_CHECK_TIMEOUT_MS = 300;

export interface LedgerLinkOptions {
  readonly db: Db;
  readonly url: string;
  readonly tillId: string;
  readonly identity: CentreIdentity;
  readonly policy: PolicyStore;
  readonly sales: SaleStore;
  readonly log: (line: string) => void;
  readonly onStatus: () => void;
}

export async function startLedgerLink(options: LedgerLinkOptions): Promise<LedgerLink> {
  const outbox = new TillOutbox(options.db);
  let afterSync: (() => Promise<void>) | null = null;
  let ledger: PgLedger | null = null;
  let setupError: LedgerSetupError | null = null;
  // Loaded here, not at start-up: pg (and the fetch machinery it probes at load) costs ~45 ms of
  // every start, and only a till with a ledger configured uses it.
  const { PgLedger } = await import('../../../native/ledger/pg-ledger');
  try {
    ledger = new PgLedger({ url: options.url });
  } catch (error) {
    if (!(error instanceof LedgerSetupError)) throw error;
    setupError = error;
    options.log(`ledger: ${error.message}`);
  }
  const replicator = ledger && new LedgerReplicator({
    outbox, ledger,
    till: { fixmedinsCode: options.identity.fixmedinsCode, fixmedinsName: options.identity.fixmedinsName, areaCode: options.identity.mdtrtareaAdmvs, tillId: options.tillId },
    applyPublication: (p) => applyPublication(p, options),
    afterPass: async () => { await afterSync?.(); },
    log: options.log,
    onStatus: options.onStatus,
  });
  replicator?.start();
  const replicationStatus = (): ReplicatorStatus => replicator?.status() ?? {
    pending: outbox.pending(), registered: false, lastPushAt: null,
    lastError: setupError && { code: setupError.code, message: setupError.message, setting: setupError.setting, at: new Date().toISOString() },
  };
  return {
    seat: 'till', tillId: options.tillId, ledger, replicator, replicationStatus,
    onSync: (work) => { afterSync = work; replicator?.kick(); },
    soldInChain: async (codes) => {
      if (!ledger) throw setupError ?? new Error('no ledger');
      return ledger.soldInChain({ fixmedinsCode: options.identity.fixmedinsCode, tillId: options.tillId }, codes, CHAIN_CHECK_TIMEOUT_MS);
    },
    status: () => { const s = replicationStatus(); return { tillId: options.tillId, pending: s.pending, error: s.lastError?.message ?? null }; },
    close: async () => { await replicator?.stop(); await ledger?.close(); },
  };
}

/** What a till does with a head-office publication: import a signed policy package, or change one SKU mapping. */
function applyPublication(p: Publication, options: Pick<LedgerLinkOptions, 'policy' | 'sales'>): string {
  if (p.kind === 'policy_package') {
    const verified = verifySignedPackage(p.payload, TRUSTED_POLICY_KEYS);
    const outcome = options.policy.importPackage(verified.package, `总部发布 #${p.id} (signed by ${verified.keyId})`);
    return `policy package ${outcome}`;
  }
  const mapping = SkuPublication.parse(p.payload);
  options.sales.setMapping(mapping.sku, mapping.catalogueCode, mapping.note, `headoffice:${p.publishedBy}`);
  return `sku ${mapping.sku} → ${mapping.catalogueCode}`;
}
