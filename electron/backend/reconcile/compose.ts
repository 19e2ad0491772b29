// Reconciliation composed over the runtime: the service (check, close, views), the resolver and
// the exports, sharing one store and one centre client.
import { ReconStore } from '../../../native/reconcile/store';
import { inventoryDay } from '../routes/inventory';
import { reportDay } from '../routes/trace';
import { type Runtime } from '../runtime';
import { ReconcileExports } from './exports';
import { Resolver } from './resolve';
import { ReconcileService } from './service';

export interface Reconciliation {
  readonly recon: ReconStore;
  readonly service: ReconcileService;
  readonly resolver: Resolver;
  readonly exports: ReconcileExports;
}

export function reconciliationFor(runtime: Runtime, now: () => Date = () => new Date()): Reconciliation {
  const recon = new ReconStore(runtime.store.db);
  const centre = runtime.centre;
  const identity = runtime.identity;
  const service = new ReconcileService({ db: runtime.store.db, recon, centre, journal: runtime.store.journal, identity, now });
  const resolver = new Resolver({
    db: runtime.store.db, recon, ledger: service.ledger, centre, settlements: runtime.settlements, sales: runtime.sales, sync: runtime.sync,
    journal: runtime.store.journal, identity, now,
  });
  const exports = new ReconcileExports(service, recon, { code: identity.fixmedinsCode, name: identity.fixmedinsName }, now,
    (date) => reportDay(runtime.reports.store, date), (date) => inventoryDay(runtime.inventory, date));
  return { recon, service, resolver, exports };
}
