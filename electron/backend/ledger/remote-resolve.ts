// The owning till's side of a store-level resolution: at each ledger sync it reads the requests
// filed for it (native/ledger/pg-store-days.ts ledger_resolution) and carries each out through its
// own per-till resolution code (../reconcile/resolve.ts: its outbox, its msgids, its journal), then
// writes the result back to the ledger. Its own SQLite changes (the resolution, adjustments, the
// settlement's new state) travel to the ledger through its outbox like any other fact.
//
// Nothing is done twice: the till's own discrepancy row is resolved once (the Resolver refuses a
// second time), so a till that dies after resolving but before writing back finds it resolved on
// the next pass and only writes the result; a request already finished in the ledger is not
// changed again. A centre that does not answer leaves the request pending (tried again next sync).
// A closed store day is never changed: the till claims each request (pending → running, under the
// day's lock) before it acts, and does nothing with one the day's close withdrew; its write-back
// only changes a request it claimed.
import { type Principal } from '../../../core/contracts/auth';
import { type ResolutionAction } from '../../../core/contracts/reconciliation';
import { type DiscrepancyFacts } from '../../../core/reconcile/discrepancy';
import { type ReconStore } from '../../../native/reconcile/store';
import { type ResolutionRequest, type StoreDays } from '../../../native/ledger/pg-store-days';
import { ApiError } from '../http/errors';
import { type Resolver } from '../reconcile/resolve';

export interface RemoteResolveDeps {
  readonly days: StoreDays;
  readonly tillId: string;
  readonly recon: ReconStore;
  readonly resolver: Pick<Resolver, 'resolve'>;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

export class RemoteResolutions {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RemoteResolveDeps) {}

  /** Carries out every pending request for this till, one at a time (serialised with any other call). */
  carryOut(): Promise<void> {
    const run = this.chain.then(() => this.pass(), () => this.pass());
    this.chain = run.catch(() => {});
    return run;
  }

  private async pass(): Promise<void> {
    for (const request of await this.deps.days.pendingResolutions(this.deps.tillId)) await this.one(request);
  }

  private async one(r: ResolutionRequest): Promise<void> {
    const { days, recon } = this.deps;
    const claim = await days.claimResolution(r);
    if (claim !== 'claimed') {
      this.deps.log(`ledger: resolution ${r.discrepancyId} ${r.action} not carried out: ${claim === 'withdrawn' ? `${r.date} is closed (withdrawn)` : 'no longer pending'}`);
      return;
    }
    const local = recon.discrepancy(r.discrepancyId);
    if (local?.status === 'resolved') {
      // Carried out here before (its result did not reach the ledger, or another action resolved it).
      const same = local.resolution?.action === r.action;
      await days.finishResolution(r, same ? 'done' : 'refused', same ? local.resolution : null, same ? '' : `本收银台已按 ${local.resolution?.action ?? '?'} 处理过这条差异`);
      return;
    }
    if (!local) recon.upsertDiscrepancies([{ id: r.discrepancyId, facts: r.facts as DiscrepancyFacts }], this.deps.now().toISOString());
    const principal: Principal = { kind: 'operator', id: r.requestedBy, name: r.requestedBy, role: 'manager' };
    try {
      const done = await this.deps.resolver.resolve(r.discrepancyId, { action: r.action as ResolutionAction, reason: r.reason }, principal);
      await days.finishResolution(r, 'done', done.resolution, '');
      this.deps.log(`ledger: resolution ${r.discrepancyId} ${r.action} (requested from ${r.requestedFrom}) done: ${done.resolution?.detail ?? ''}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.statusCode === 503) {
        await days.resolutionAttempted(r, error.message);
        return;
      }
      if (error.code === 'DISCREPANCY_RESOLVED') {
        const now = recon.discrepancy(r.discrepancyId);
        await days.finishResolution(r, now?.resolution?.action === r.action ? 'done' : 'refused', now?.resolution ?? null, now?.resolution?.action === r.action ? '' : error.message);
        return;
      }
      await days.finishResolution(r, 'refused', null, error.message);
      this.deps.log(`ledger: resolution ${r.discrepancyId} ${r.action} refused: ${error.message}`);
    }
  }
}
