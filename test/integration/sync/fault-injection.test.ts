// 1,000 settlements through random latency, refused connections, 5xx (before and after the centre
// commits), replies dropped after commit and replies written twice. With a profile whose 5203 finds
// a settlement by msgid (test-only BY_MSGID) the centre then holds exactly 1,000, the store 1,000
// with centre ids, and the sums agree to the cent. With national (5203 by setl_id + mdtrt_id only)
// every settlement whose reply was lost is reversed by its msgid instead: each is booked once or not
// at all, never twice, and what is booked agrees to the cent.
import { describe, expect, test } from 'vitest';
import { SyncEngine } from '../../../native/sync/engine';
import { type EditionProfile } from '../../../core/centre/editions/schema';
import { BY_MSGID, client, sandbox, storeDb } from '../centre/fixture';
import { expectExactlyOnce, expectOnceOrReversed, varietyOfSales } from './exactly-once';

const N = 1000;

async function run(n: number, edition?: EditionProfile) {
  const sb = await sandbox({
    seed: 20250616, latencyMs: [0, 3], refuseRate: 0.01, refuseMs: 25, error5xxRate: 0.03, error5xxAfterCommitRate: 0.03,
    dropAfterCommitRate: 0.05, duplicateReplyRate: 0.05,
  }, edition ? { edition } : {});
  const c = client(sb, { responseTimeoutMs: 1500, ...(edition ? { edition } : {}) });
  const { db, store } = storeDb();
  const sales = varietyOfSales(n);
  db.transaction(() => sales.forEach((s, i) => store.record({ saleRef: `F${i}`, ...s })))();
  const engine = new SyncEngine({ store, centre: c.centre, backoff: { baseMs: 2, maxMs: 30, jitter: 0.5 }, entryBackoff: { baseMs: 2, maxMs: 30, jitter: 0.5 } });
  const started = Date.now();
  while (Date.now() - started < 50_000) {
    await engine.drainOnce();
    const n = store.counts();
    if (n.pending + n.sending + n.unknown + n.querying + n.reversing === 0) break;
    await new Promise((r) => setTimeout(r, 3));
  }
  const faults = sb.stats().faults;
  // Every kind of fault really happened.
  for (const kind of ['refuse', 'error5xx', 'error5xx_after_commit', 'drop', 'duplicate']) expect(faults[kind] ?? 0, kind).toBeGreaterThan(0);
  const resent = db.prepare('SELECT count(*) FROM settlement_outbox WHERE sends > 1').pluck().get() as number;
  const queried = db.prepare("SELECT count(DISTINCT settlement_id) FROM settlement_outbox_log WHERE event = 'query_started'").pluck().get() as number;
  return { db, store, sb, resent, queried, close: async () => { await c.transport.close(); db.close(); await sb.close(); } };
}

describe('exactly once under injected faults', () => {
  test(`(profile with 5203 by msgid) ${N} settlements through every fault the sandbox can inject`, async () => {
    const r = await run(N, BY_MSGID);
    expectExactlyOnce(r.db, r.store, r.sb, N);
    // Recovery went through 5203, and some settlements were sent more than once under their one msgid.
    expect(r.resent).toBeGreaterThan(0);
    expect(r.queried).toBeGreaterThan(0);
    await r.close();
  }, 60_000);

  test(`(national) ${N} settlements through every fault: each booked once or reversed by its msgid, never twice`, async () => {
    const r = await run(N);
    const { reversed } = expectOnceOrReversed(r.db, r.store, r.sb, N);
    // Lost replies were reversed (2601), never looked up by msgid; refused sends went again under their one msgid.
    expect(reversed).toBeGreaterThan(0);
    expect(r.queried).toBe(0);
    expect(r.resent).toBeGreaterThan(0);
    await r.close();
  }, 60_000);
});
