// The sync engine against the sandbox centre over loopback: order, offline/online, parking,
// recovery by 5203, resending under the same msgid, reversal, and the recorded differences.
// National's 5203 takes setl_id + mdtrt_id only, so a lost 2102 is reversed (2601 by its msgid);
// the query-by-msgid recovery runs with the test profile BY_MSGID (national + that lookup).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { SyncEngine } from '../../../native/sync/engine';
import { type SettlementStore } from '../../../native/sync/settlement-store';
import { type Db } from '../../../native/db/open';
import { type EditionProfile } from '../../../core/centre/editions/schema';
import { BY_MSGID, client, person, sale, sandbox, storeDb } from '../centre/fixture';

const fast = { baseMs: 5, maxMs: 40, jitter: 0 };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(faults = {}, backoff = fast, concurrency?: number, edition?: EditionProfile) {
  const sb = await sandbox(faults, edition ? { edition } : {});
  const c = client(sb, edition ? { edition } : {});
  const { store, db } = storeDb();
  const engine = new SyncEngine({ store, centre: c.centre, backoff, entryBackoff: { baseMs: 1, maxMs: 2, jitter: 0 }, concurrency });
  cleanups.push(() => sb.close(), () => c.transport.close(), () => { db.close(); }, () => engine.stop());
  return { sb, c, store, db, engine };
}

async function drainAll(engine: SyncEngine, store: SettlementStore, limitMs = 10_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    await engine.drainOnce();
    const n = store.counts();
    if (n.pending + n.sending + n.unknown + n.querying + n.reversing === 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`not drained: ${JSON.stringify(store.counts())}`);
}

const centreRow = (sb: RunningSandbox, msgid: string) => sb.db.prepare('SELECT setl_id, status FROM settlement WHERE msgid = ?').get(msgid) as { setl_id: string; status: string } | undefined;
const events = (store: SettlementStore, id: number) => store.history(id).map((h) => h.event);
const dbCount = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;

describe('syncOne with a follow-up booked in the confirmation\'s commit', () => {
  test('onConfirmed writes in the same transaction as the centre result; a throwing one is undone alone', async () => {
    const { store, db, engine } = await setup();
    db.exec('CREATE TABLE follow_up (settlement_id INTEGER, setl_id TEXT)');
    const a = store.record({ saleRef: 'F1', ...sale(person('shiyan-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '12.00' }]) });
    let sawInTransaction = false;
    const done = await engine.syncOne(a.id, { onConfirmed: (r) => { sawInTransaction = db.inTransaction; db.prepare('INSERT INTO follow_up VALUES (?, ?)').run(r.id, r.centre!.setlId); } });
    expect(done.outbox.state).toBe('confirmed');
    expect(sawInTransaction).toBe(true);
    expect(db.prepare('SELECT setl_id FROM follow_up WHERE settlement_id = ?').pluck().get(a.id)).toBe(done.centre!.setlId);
    const b = store.record({ saleRef: 'F2', ...sale(person('nanchang-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '13.00' }]) });
    const kept = await engine.syncOne(b.id, { onConfirmed: (r) => { db.prepare('INSERT INTO follow_up VALUES (?, ?)').run(r.id, 'half'); throw new Error('follow-up failed'); } });
    expect(kept.outbox.state).toBe('confirmed'); // the centre's result stands
    expect(store.get(b.id)!.centre?.setlId).toBeTruthy();
    expect(dbCount(db, `SELECT count(*) FROM follow_up WHERE settlement_id = ${b.id}`)).toBe(0); // and the follow-up left nothing half-written
  });
});

describe('sendRecorded: the online checkout records the settlement already sending, then sends it', () => {
  test('the entry is committed as sending before the 2102 arrives (another connection sees it), sent once, and booked with its follow-up', async () => {
    const { sb, store, db, engine } = await setup({ latencyMs: [60, 60] });
    db.exec('CREATE TABLE follow_up (settlement_id INTEGER, setl_id TEXT)');
    const other = new Database(db.name, { readonly: true });
    cleanups.push(() => { other.close(); });
    let id = 0;
    const sending = engine.sendRecorded(() => {
      const rec = store.record({ saleRef: 'R1', ...sale(person('shiyan-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '12.00' }]) }, undefined, { sending: true });
      id = rec.id;
      return rec;
    }, { onConfirmed: (r) => { db.prepare('INSERT INTO follow_up VALUES (?, ?)').run(r.id, r.centre!.setlId); } });
    // The call is in flight: what is on disk says sending, with its send counted.
    expect(other.prepare('SELECT state, sends FROM settlement_outbox WHERE settlement_id = ?').get(id)).toEqual({ state: 'sending', sends: 1 });
    // A drain pass meanwhile leaves the claimed entry alone (it is no dead process's leftover).
    expect(await engine.drainOnce()).toEqual({ steps: 0, stoppedBy: 'empty' });
    const done = await sending;
    expect(done.outbox).toMatchObject({ state: 'confirmed', sends: 1 });
    expect(events(store, id)).toEqual(['recorded', 'send_started', 'settled']);
    expect(db.prepare('SELECT setl_id FROM follow_up WHERE settlement_id = ?').pluck().get(id)).toBe(done.centre!.setlId);
    expect(sb.stats().byInfno['2102']).toBe(1);
  });

  test('not delivered: back to pending under the same msgid, and the loop sends it once the centre answers', async () => {
    const { sb, store, engine } = await setup({}, { baseMs: 1, maxMs: 1, jitter: 0 });
    sb.refuseFor(100);
    const after = await engine.sendRecorded(() => store.record({ saleRef: 'R2', ...sale(person('nanchang-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '7.00' }]) }, undefined, { sending: true }));
    expect(after.outbox).toMatchObject({ state: 'pending', sends: 1 });
    await new Promise((r) => setTimeout(r, 150));
    await drainAll(engine, store);
    expect(store.get(after.id)!.outbox).toMatchObject({ state: 'confirmed', sends: 2 });
    expect(sb.centre.summary()).toMatchObject({ settled: 1, msgids: [after.msgid] });
  });

  test('a process that died after the commit, before the call: recovered like any entry left mid-call (5203 by msgid finds nothing, sent once under the same msgid)', async () => {
    const { sb, c, store } = await setup({}, fast, undefined, BY_MSGID);
    const rec = store.record({ saleRef: 'R3', ...sale(person('jincheng-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '30.00' }]) }, undefined, { sending: true });
    const engine = new SyncEngine({ store, centre: c.centre, backoff: fast });
    cleanups.push(() => engine.stop());
    engine.start();
    const until = Date.now() + 5000;
    while (store.get(rec.id)!.outbox.state !== 'confirmed' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(events(store, rec.id)).toEqual(['recorded', 'send_started', 'crash_recovered', 'query_started', 'query_not_found', 'send_started', 'settled']);
    expect(sb.centre.summary()).toMatchObject({ settled: 1, msgids: [rec.msgid] });
    expect(sb.stats().byInfno['2102']).toBe(1);
  });

  test('refuses an entry that was not recorded as sending (the loop owns pending ones)', async () => {
    const { store, engine } = await setup();
    await expect(engine.sendRecorded(() => store.record({ saleRef: 'R4', ...sale(person('shiyan-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '3.00' }]) }))).rejects.toThrow(/recorded as sending/);
  });
});

describe('draining the outbox', () => {
  test('one at a time (concurrency 1): settles in recording order and stores the centre result next to the provisional split', async () => {
    const { sb, store, engine } = await setup({}, fast, 1);
    const recs = ['shiyan-active', 'nanchang-active', 'jincheng-active'].map((f, i) => store.record({ saleRef: `S${i}`, ...sale(person(f), [{ medListCodg: 'TRAIN-D-B02', qty: '2', price: '50.00' }]) }));
    expect(await engine.drainOnce()).toEqual({ steps: 3, stoppedBy: 'empty' });
    const setlIds = recs.map((r) => store.get(r.id)!.centre!.setlId);
    expect(setlIds).toEqual([...setlIds].sort());
    expect(setlIds.map((id, i) => centreRow(sb, recs[i]!.msgid)?.setl_id)).toEqual(setlIds);
    for (const r of recs) {
      const done = store.get(r.id)!;
      expect(done.outbox).toMatchObject({ state: 'confirmed', sends: 1 });
      expect(done.centre?.output.setlinfo.medins_setl_id).toBe(r.msgid);
      expect(events(store, r.id)).toEqual(['recorded', 'send_started', 'settled']);
    }
  });

  test('N in flight: calls overlap up to N, a person\'s sales still reach the centre in recording order', async () => {
    const { sb, store, db, engine } = await setup({ latencyMs: [60, 60] }, fast, 3);
    const people = ['shiyan-active', 'nanchang-active', 'jincheng-active', 'chuxiong-active'];
    const recs = Array.from({ length: 12 }, (_, i) => store.record({ saleRef: `C${i}`, ...sale(person(people[i % 4]!), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: `${10 + i}.00` }]) }));
    let most = 0;
    const watch = setInterval(() => { most = Math.max(most, dbCount(db, "SELECT count(*) FROM settlement_outbox WHERE state = 'sending'")); }, 5);
    expect(await engine.drainOnce()).toEqual({ steps: 12, stoppedBy: 'empty' });
    clearInterval(watch);
    // Overlap is asserted by count, not by wall time (timings belong in benchmarks: sync-drain.bench.ts).
    expect(most).toBe(3);
    for (const f of people) {
      const mine = recs.filter((r) => r.psnNo === person(f).psnNo);
      // The centre's settlement ids grow in the order it booked them.
      const booked = mine.map((r) => centreRow(sb, r.msgid)!.setl_id);
      expect(booked).toEqual([...booked].sort());
    }
    expect(sb.centre.summary().settled).toBe(12);
  });

  test('the online checkout\'s syncOne waits while the loop has that entry in flight, and sends nothing twice', async () => {
    const { sb, store, engine } = await setup({ latencyMs: [50, 50] }, fast, 4);
    const recs = ['shiyan-active', 'nanchang-active'].map((f, i) => store.record({ saleRef: `Q${i}`, ...sale(person(f), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '9.00' }]) }));
    const pass = engine.drainOnce();
    const now = await engine.syncOne(recs[1]!.id);
    expect(now.outbox).toMatchObject({ state: 'confirmed', sends: 1 });
    await pass;
    expect(sb.stats().byInfno['2102']).toBe(2);
  });

  test('the centre is authoritative: a split made with stale totals is corrected and the difference kept', async () => {
    const { store, engine } = await setup();
    // 南昌, near the cap at the centre (deductible met, 50.00 of the cap left); the till thinks the year is fresh.
    const s = sale(person('nanchang-near-cap'), [{ medListCodg: 'TRAIN-D-A01', qty: '10', price: '100.00' }]);
    expect(s.provisional).toEqual({ total: '1000.00', fund: '240.00', account: '760.00', cash: '0.00' });
    const rec = store.record({ saleRef: 'cap', ...s });
    await engine.drainOnce();
    const done = store.get(rec.id)!;
    expect(done.centre?.split).toEqual({ total: '1000.00', fund: '50.00', account: '950.00', cash: '0.00' });
    expect(done.centre?.difference).toEqual({ fund: '-190.00', account: '190.00', cash: '0.00', any: true });
    expect(done.outbox.note).toBe('centre differs: fund -190.00, account 190.00, cash 0.00');
  });

  test('offline: nothing is lost, the engine backs off, and the queue drains in order when the centre is back', async () => {
    const { sb, store, engine } = await setup({}, { baseMs: 300, maxMs: 300, jitter: 0 });
    const statuses: boolean[] = [];
    engine.onStatus((s) => statuses.push(s.online));
    const p = person('shiyan-active');
    const recs = [1, 2, 3].map((i) => store.record({ saleRef: `O${i}`, ...sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: String(i), price: '10.00' }]) }));
    sb.refuseFor(250);
    expect(await engine.drainOnce()).toEqual({ steps: 1, stoppedBy: 'offline' });
    expect(engine.status()).toMatchObject({ online: false, failures: 1, lastError: expect.stringMatching(/ECONNREFUSED|sign-in/) });
    expect(store.get(recs[0]!.id)!.outbox).toMatchObject({ state: 'pending', sends: 1 });
    // Within the backoff window the engine does not even try.
    expect(await engine.drainOnce()).toEqual({ steps: 0, stoppedBy: 'offline' });
    await new Promise((r) => setTimeout(r, 350));
    await drainAll(engine, store);
    expect(engine.status().online).toBe(true);
    expect(statuses).toContain(false);
    expect(statuses.at(-1)).toBe(true);
    const ids = recs.map((r) => store.get(r.id)!.centre!.setlId);
    expect(ids).toEqual([...ids].sort());
    expect(sb.centre.summary().msgids).toEqual(recs.map((r) => r.msgid));
  });

  test('a business rejection is parked with the centre\'s message and does not block the queue', async () => {
    const { sb, store, engine } = await setup();
    const p = person('shiyan-active');
    const bad = store.record({ saleRef: 'bad', ...sale(p, [{ medListCodg: 'UNMAPPED-1', qty: '1', price: '9.00' }]) });
    const good = store.record({ saleRef: 'good', ...sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '9.00' }]) });
    await drainAll(engine, store);
    expect(store.get(bad.id)!.outbox).toMatchObject({ state: 'parked', note: expect.stringMatching(/医保目录编码不存在或未对照: UNMAPPED-1/) });
    expect(store.get(good.id)!.outbox.state).toBe('confirmed');
    expect(sb.centre.summary().settled).toBe(1);
    expect(store.list({ state: 'parked' }).map((r) => r.saleRef)).toEqual(['bad']);
  });

  test('(a profile with 5203 by msgid) a reply dropped after the centre committed: 5203 by msgid finds it; nothing is booked twice', async () => {
    const { sb, store, engine } = await setup({ dropAfterCommitRate: 1, infnos: ['2102'] }, fast, undefined, BY_MSGID);
    const rec = store.record({ saleRef: 'drop', ...sale(person('jincheng-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '80.00' }]) });
    await engine.drainOnce();
    expect(store.get(rec.id)!.outbox.state).toBe('unknown');
    sb.setFaults({});
    await new Promise((r) => setTimeout(r, 50));
    await drainAll(engine, store);
    expect(events(store, rec.id)).toEqual(['recorded', 'send_started', 'outcome_unknown', 'query_started', 'settled']);
    expect(store.get(rec.id)!.centre?.setlId).toBe(centreRow(sb, rec.msgid)?.setl_id);
    expect(sb.centre.summary().settled).toBe(1);
  });

  test('(a profile with 5203 by msgid) a 5xx before the centre did anything: 5203 finds nothing, so it is sent again under the SAME msgid', async () => {
    const { sb, store, engine } = await setup({ error5xxRate: 1, infnos: ['2102'] }, fast, undefined, BY_MSGID);
    const rec = store.record({ saleRef: '5xx', ...sale(person('jincheng-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '80.00' }]) });
    await engine.drainOnce();
    sb.setFaults({});
    await new Promise((r) => setTimeout(r, 50));
    await drainAll(engine, store);
    expect(events(store, rec.id)).toEqual(['recorded', 'send_started', 'outcome_unknown', 'query_started', 'query_not_found', 'send_started', 'settled']);
    expect(store.get(rec.id)!.outbox.sends).toBe(2);
    expect(sb.centre.summary()).toMatchObject({ settled: 1, msgids: [rec.msgid] });
    expect(sb.stats().byInfno['2102']).toBe(2);
  });

  test('(a profile with 5203 by msgid) when 5203 keeps answering uselessly, the settlement is reversed by 2601 with its msgid', async () => {
    const { sb, store, db, engine } = await setup({ dropAfterCommitRate: 1, infnos: ['2102'] }, fast, undefined, BY_MSGID);
    const p = person('shiyan-retired');
    const before = sb.db.prepare('SELECT balance FROM person WHERE psn_no = ?').pluck().get(p.psnNo);
    const rec = store.record({ saleRef: 'rev', ...sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '60.00' }]) });
    await engine.drainOnce();
    sb.setFaults({ businessErrorRate: 1, infnos: ['5203'] });
    await new Promise((r) => setTimeout(r, 20));
    await drainAll(engine, store);
    const done = store.get(rec.id)!;
    expect(done.outbox).toMatchObject({ state: 'reversed', queryFailures: 5 });
    expect(done.centre).toBeNull();
    expect(events(store, rec.id).filter((e) => e === 'query_failed')).toHaveLength(5);
    expect(events(store, rec.id).at(-1)).toBe('reversed');
    expect(centreRow(sb, rec.msgid)?.status).toBe('reversed');
    expect(sb.db.prepare('SELECT balance FROM person WHERE psn_no = ?').pluck().get(p.psnNo)).toBe(before);
    expect(sb.db.prepare('SELECT oinfno FROM reversal WHERE omsgid = ?').pluck().get(rec.msgid)).toBe('2102');
    expect(dbCount(db, "SELECT count(*) FROM settlement_outbox WHERE state = 'reversed'")).toBe(1);
  });

  test('a pending sale withdrawn before any send never reaches the centre; one that was sent is reversed first', async () => {
    const { sb, store, engine } = await setup({}, { baseMs: 1, maxMs: 1, jitter: 0 });
    const p = person('nanchang-active');
    const never = store.record({ saleRef: 'w0', ...sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '5.00' }]) });
    expect(store.apply(never.id, { type: 'withdrawn' }).state).toBe('reversed');
    const tried = store.record({ saleRef: 'w1', ...sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '6.00' }]) });
    sb.refuseFor(100);
    await engine.drainOnce();
    expect(store.get(tried.id)!.outbox).toMatchObject({ state: 'pending', sends: 1 });
    expect(store.apply(tried.id, { type: 'withdrawn' }).state).toBe('reversing');
    await new Promise((r) => setTimeout(r, 150));
    await drainAll(engine, store);
    expect(store.get(tried.id)!.outbox.state).toBe('reversed');
    expect(sb.stats().byInfno['2102']).toBeUndefined();
    expect(sb.db.prepare('SELECT effect FROM reversal WHERE omsgid = ?').pluck().get(tried.msgid)).toBe('tombstone');
    expect(sb.db.prepare('SELECT count(*) FROM reversal WHERE omsgid = ?').pluck().get(never.msgid)).toBe(0);
    expect(sb.centre.summary().settled).toBe(0);
  });

  test('the online checkout settles one sale now through the same path', async () => {
    const { sb, store, engine } = await setup();
    const rec = store.record({ saleRef: 'now', ...sale(person('chuxiong-active'), [{ medListCodg: 'TRAIN-M-A01', qty: '3', price: '7.50' }]) });
    const done = await engine.syncOne(rec.id);
    expect(done.outbox.state).toBe('confirmed');
    expect(done.centre?.setlId).toBe(centreRow(sb, rec.msgid)?.setl_id);
    // Already settled: nothing more is sent.
    expect((await engine.syncOne(rec.id)).outbox.sends).toBe(1);
    expect(sb.stats().byInfno['2102']).toBe(1);
  });

  test('start() recovers a settlement a dead process left mid-send: national cannot look it up, so it is reversed by its msgid', async () => {
    const { sb, c, store } = await setup();
    const rec = store.record({ saleRef: 'crash', ...sale(person('nanchang-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '12.00' }]) });
    // What a process killed right after the centre committed leaves behind.
    store.apply(rec.id, { type: 'send_started' });
    await c.centre.settle(rec.request, { msgid: rec.msgid, insuplcAdmdvs: rec.insuplcAdmdvs });
    const engine = new SyncEngine({ store, centre: c.centre, backoff: fast });
    cleanups.push(() => engine.stop());
    engine.start();
    const until = Date.now() + 5000;
    while (store.get(rec.id)!.outbox.state !== 'reversed' && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(events(store, rec.id)).toEqual(['recorded', 'send_started', 'crash_recovered', 'escalate', 'reversed']);
    expect(sb.centre.summary()).toMatchObject({ settled: 0, reversed: 1 });
  });
});
