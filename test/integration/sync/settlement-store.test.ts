// The settlement store on a real SQLite file: one transaction for settlement + outbox + msgid, the
// caller's extra writes joining it, and the invariants the triggers keep.
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../native/db/open';
import { storeMigrations } from '../../../native/store/migrations';
import fc from 'fast-check';
import { MSGID_RESERVE_SECONDS, SettlementInputError, SettlementStore } from '../../../native/sync/settlement-store';
import { addSecondsToCompact } from '../../../core/centre/time';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { person, sale, storeDb } from '../centre/fixture';

const p = person('shiyan-active');
const aSale = (price = '25.00') => sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '2', price }]);

describe('recording a settlement', () => {
  test('migration 3 creates the tables on a fresh store database', () => {
    const { db } = storeDb();
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['centre_msgid_state', 'settlement', 'settlement_outbox', 'settlement_outbox_log']));
    db.close();
  });

  test('writes settlement, outbox entry, log and msgid state together; the msgid exists before any send', () => {
    const { db, store } = storeDb();
    const s = aSale();
    const rec = store.record({ saleRef: 'R1', ...s, quote: { explain: ['测试'] } });
    expect(rec.msgid).toMatch(/^P42030200001\d{18}$/);
    expect(rec.outbox).toMatchObject({ state: 'pending', sends: 0 });
    expect(rec.request.druginfo.medfee_sumamt).toBe('50.00');
    expect(rec.provisional).toEqual(s.provisional);
    expect(rec.quote).toEqual({ explain: ['测试'] });
    // The stored state is a reservation covering the msgid (MSGID_RESERVE_SECONDS ahead).
    expect(db.prepare('SELECT stamp || printf(\'%04d\', seq) FROM centre_msgid_state').pluck().get()).toBe(`${addSecondsToCompact(rec.msgid.slice(12, 26), MSGID_RESERVE_SECONDS)}9999`);
    expect(store.history(rec.id)).toEqual([expect.objectContaining({ from: 'new', to: 'pending', event: 'recorded' })]);
    db.close();
  });

  test('the caller\'s extra writes join the same transaction: if they fail, nothing is recorded', () => {
    const { db, store } = storeDb();
    db.exec('CREATE TABLE caller_journal (settlement_id INTEGER, msgid TEXT)');
    const rec = store.record({ saleRef: 'R1', ...aSale() }, (r, tx) => tx.prepare('INSERT INTO caller_journal VALUES (?, ?)').run(r.id, r.msgid));
    expect(db.prepare('SELECT msgid FROM caller_journal').pluck().all()).toEqual([rec.msgid]);
    const stateBefore = db.prepare('SELECT seq FROM centre_msgid_state').pluck().get();
    expect(() => store.record({ saleRef: 'R2', ...aSale() }, () => { throw new Error('journal full'); })).toThrow('journal full');
    expect(store.bySaleRef('R2')).toBeUndefined();
    expect(db.prepare('SELECT count(*) FROM settlement_outbox').pluck().get()).toBe(1);
    expect(db.prepare('SELECT seq FROM centre_msgid_state').pluck().get()).toBe(stateBefore);
    db.close();
  });

  test('it also nests inside a transaction the caller opened', () => {
    const { db, store } = storeDb();
    db.exec('CREATE TABLE sale_row (ref TEXT)');
    expect(() => db.transaction(() => {
      store.record({ saleRef: 'N1', ...aSale() });
      db.prepare('INSERT INTO sale_row VALUES (?)').run('N1');
      throw new Error('till crashed');
    })()).toThrow('till crashed');
    expect(store.bySaleRef('N1')).toBeUndefined();
    db.transaction(() => { store.record({ saleRef: 'N2', ...aSale() }); db.prepare('INSERT INTO sale_row VALUES (?)').run('N2'); })();
    expect(store.bySaleRef('N2')?.outbox.state).toBe('pending');
    db.close();
  });

  test('refuses a sale recorded twice, an inconsistent request or split, naming the field', () => {
    const { db, store } = storeDb();
    store.record({ saleRef: 'R1', ...aSale() });
    expect(() => store.record({ saleRef: 'R1', ...aSale() })).toThrow(/saleRef: R1 is already recorded/);
    const s = aSale();
    expect(() => store.record({ saleRef: 'R2', ...s, request: { ...s.request, druginfo: { ...s.request.druginfo, medfee_sumamt: '49.99' } } })).toThrow(/request\.druginfo\.medfee_sumamt/);
    expect(() => store.record({ saleRef: 'R3', ...s, provisional: { ...s.provisional, cash: '999.00' } })).toThrow(/provisional\.total: must equal fund \+ account \+ cash/);
    expect(() => store.record({ saleRef: 'R4', ...s, provisional: { total: '1.00', fund: '0.00', account: '0.00', cash: '1.00' } })).toThrow(SettlementInputError);
    expect(() => store.record({ saleRef: 'R5', ...s, insuplcAdmdvs: '42' })).toThrow(/insuplcAdmdvs/);
    expect(store.list()).toHaveLength(1);
    db.close();
  });

  test('msgids keep increasing across reopening the database, even with the clock set back', () => {
    const { db, path, store } = storeDb();
    const first = store.record({ saleRef: 'A', ...aSale() }).msgid;
    db.close();
    const again = openDatabase(path, storeMigrations);
    const past = new SettlementStore(again, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, clock: () => new Date('2020-01-01T00:00:00Z') });
    const second = past.record({ saleRef: 'B', ...aSale() }).msgid;
    const third = past.allocateMsgid();
    expect(second > first).toBe(true);
    expect(third > second).toBe(true);
    again.close();
  });
});

describe('msgids from a durable reservation', () => {
  const stored = (db: ReturnType<typeof storeDb>['db']): string => db.prepare("SELECT stamp || printf('%04d', seq) FROM centre_msgid_state").pluck().get() as string;

  test('within the reservation no write is made; past it, one write reserves the next window', () => {
    const { db } = storeDb();
    let now = Date.parse('2026-12-03T04:00:00Z');
    const store = new SettlementStore(db, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, clock: () => new Date(now) });
    const first = store.allocateMsgid();
    const reservation = stored(db);
    now += (MSGID_RESERVE_SECONDS - 1) * 1000;
    const within = [store.allocateMsgid(), store.record({ saleRef: 'W', ...aSale() }).msgid, store.allocateMsgid()];
    expect(stored(db)).toBe(reservation); // nothing written for these
    for (const m of within) expect(m.slice(12) <= reservation).toBe(true);
    now += 2000;
    const past = store.allocateMsgid();
    expect(stored(db) > reservation).toBe(true);
    expect(past.slice(12) <= stored(db)).toBe(true);
    expect(new Set([first, ...within, past]).size).toBe(5);
    db.close();
  });

  test('a reservation written in a transaction that rolls back is not used', () => {
    const { db, store } = storeDb();
    db.exec('CREATE TABLE sale_row (ref TEXT)');
    expect(() => db.transaction(() => { store.record({ saleRef: 'X', ...aSale() }); throw new Error('rolled back'); })()).toThrow('rolled back');
    expect(db.prepare('SELECT count(*) FROM centre_msgid_state').pluck().get()).toBe(0);
    const next = store.allocateMsgid();
    expect(next.slice(12) <= stored(db)).toBe(true);
    db.close();
  });

  test('property: two stores on one database (a till and its drain worker), clocks going back and forth, rollbacks: every msgid unique and covered by what is stored', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ who: fc.integer({ min: 0, max: 1 }), step: fc.integer({ min: -2, max: 12 }), kind: fc.constantFrom('call', 'settle', 'rollback') }), { minLength: 1, maxLength: 40 }),
      (ops) => {
        const { db } = storeDb();
        db.exec('CREATE TABLE IF NOT EXISTS sale_row (ref TEXT)');
        const clocks = [Date.parse('2026-12-03T04:00:00Z'), Date.parse('2026-12-03T04:00:00Z')];
        const stores = [0, 1].map((i) => new SettlementStore(db, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, clock: () => new Date(clocks[i]!) }));
        const seen = new Set<string>();
        ops.forEach((op, n) => {
          clocks[op.who] = clocks[op.who]! + op.step * 1000; // whole seconds: msgids of two stores land in the same second
          const store = stores[op.who]!;
          let msgid: string | null = null;
          if (op.kind === 'call') msgid = store.allocateMsgid();
          else if (op.kind === 'settle') msgid = store.record({ saleRef: `S${n}`, ...aSale() }).msgid;
          else expect(() => db.transaction(() => { store.record({ saleRef: `R${n}`, ...aSale() }); throw new Error('rolled back'); })()).toThrow();
          if (msgid === null) return;
          expect(seen.has(msgid)).toBe(false);
          seen.add(msgid);
          expect(msgid.slice(12) <= stored(db)).toBe(true);
        });
        db.close();
      },
    ), { numRuns: 25 });
  });
});

describe('invariants the database keeps', () => {
  test('a settlement\'s msgid and request never change, and settlements are never deleted', () => {
    const { db, store } = storeDb();
    const rec = store.record({ saleRef: 'R1', ...aSale() });
    expect(() => db.prepare('UPDATE settlement SET msgid = ? WHERE id = ?').run('P42030200001209901010000000001', rec.id)).toThrow(/keeps its msgid/);
    expect(() => db.prepare("UPDATE settlement SET request_json = '{}' WHERE id = ?").run(rec.id)).toThrow(/keeps its msgid/);
    expect(() => db.prepare('DELETE FROM settlement WHERE id = ?').run(rec.id)).toThrow(/never deleted/);
    db.close();
  });

  test('an entry cannot become confirmed without the centre\'s result', () => {
    const { db, store } = storeDb();
    const rec = store.record({ saleRef: 'R1', ...aSale() });
    expect(() => db.prepare("UPDATE settlement_outbox SET state = 'confirmed' WHERE settlement_id = ?").run(rec.id)).toThrow(/without the centre result/);
    expect(() => store.apply(rec.id, { type: 'query_started' })).toThrow(/not allowed in state pending/);
    expect(store.get(rec.id)?.outbox.state).toBe('pending');
    db.close();
  });

  test('start-up recovery turns entries left mid-call into unknown outcomes', () => {
    const { db, store } = storeDb();
    const a = store.record({ saleRef: 'A', ...aSale() });
    const b = store.record({ saleRef: 'B', ...aSale() });
    store.apply(a.id, { type: 'send_started' });
    expect(store.recoverInFlight()).toBe(1);
    expect(store.get(a.id)?.outbox).toMatchObject({ state: 'unknown', note: 'interrupted while sending', sends: 1 });
    expect(store.get(b.id)?.outbox.state).toBe('pending');
    db.close();
  });
});
