// Store migration 18: drops recon_outbox_by_updated_at (migration 5). Registered in
// native/store/migrations.ts; once released it is never edited.
// Every settle commit and every later outbox transition (sending, confirmed …) rewrote an entry of
// this index, but no query plan reads it: the one query on settlement_outbox.updated_at
// (ReconStore.settlementsChangedSince) is a UNION that SQLite merges in settlement-id order,
// so it scans the outbox table (a few dozen bytes per settlement) whether the index exists or not
// (EXPLAIN QUERY PLAN, checked by test/integration/reconcile/store.test.ts). Dropping it changes no
// result and no plan; it removes a page and an index update from each of those commits.
import { type Db } from '../db/open';

export function dropUnusedOutboxIndex(db: Db): void {
  db.exec('DROP INDEX recon_outbox_by_updated_at');
}
