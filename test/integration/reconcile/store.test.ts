// Store migration 5 on a real SQLite file: it upgrades a version-4 store in place, and its
// triggers keep closed days, their entries, resolved discrepancies and adjustments as written.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../native/db/open';
import { ReconStore, SETTLEMENTS_CHANGED_SINCE } from '../../../native/reconcile/store';
import { SettlementStore } from '../../../native/sync/settlement-store';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { person, sale } from '../centre/fixture';
import { storeMigrations } from '../../../native/store/migrations';
import { type DiscrepancyFacts } from '../../../core/reconcile/discrepancy';

const facts: DiscrepancyFacts = {
  kind: 'store_only', subject: 'centre:S1', date: '2026-06-01', cause: '', saleId: null, settlementId: null, msgid: null, setlId: 'S1', mdtrtId: null, psnNo: 'P',
  insuplcAdmdvs: '360100', group: { insutype: '310', clrType: '41', setlOptins: '360100' }, patient: null,
  store: { medfee: '1.00', fund: '0.00', account: '1.00', cash: '0.00' }, centre: null, standing: null, mismatch: null, centreRefunded: false, origin: null,
};

describe('store migration 5', () => {
  test('upgrades a version-4 store and keeps what must not change', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ybjs-recon-')), 'store.db');
    openDatabase(path, storeMigrations.slice(0, 4)).close();
    const db = openDatabase(path, storeMigrations);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(storeMigrations.length);
      const recon = new ReconStore(db);
      expect(recon.closedDays()).toEqual([]);
      expect(recon.upsertDiscrepancies([{ id: '20260601.store_only.centre-S1', facts }], '2026-06-01T10:00:00Z')).toBe(1);
      // A second check refreshes an open one, it does not add it again.
      expect(recon.upsertDiscrepancies([{ id: '20260601.store_only.centre-S1', facts: { ...facts, cause: 'again' } }], '2026-06-01T11:00:00Z')).toBe(0);
      expect(recon.discrepancy('20260601.store_only.centre-S1')!.facts.cause).toBe('again');
      const resolution = { action: 'write_off' as const, by: '2001', at: '2026-06-01T12:00:00Z', reason: '测试核销', amount: '1.00', detail: '', bookedOn: '2026-06-01' };
      expect(db.transaction(() => recon.resolve('20260601.store_only.centre-S1', resolution))()).toBe(true);
      expect(recon.resolve('20260601.store_only.centre-S1', resolution)).toBe(false);
      expect(() => db.prepare("UPDATE recon_discrepancy SET reason = 'x'").run()).toThrow(/never changed/);
      expect(() => db.prepare('DELETE FROM recon_discrepancy').run()).toThrow(/never deleted/);
      // Found again by a later check, a resolved discrepancy stays as it was resolved.
      recon.upsertDiscrepancies([{ id: '20260601.store_only.centre-S1', facts: { ...facts, cause: 'later' } }], '2026-06-02T10:00:00Z');
      expect(recon.discrepancy('20260601.store_only.centre-S1')).toMatchObject({ status: 'resolved', facts: { cause: 'again' } });
      expect(recon.dropVanished(['store_only'], { from: '2026-06-01', to: '2026-06-01' }, [])).toBe(0);

      const adjustment = recon.addAdjustment('20260601.store_only.centre-S1', { effect: 'remove', count: -1, parts: { medfee: '-1.00', fund: '0.00', account: '-1.00', cash: '0.00' }, note: '' }, {
        day: '2026-06-01', centreDay: '2026-06-01', at: 'x', insutype: '310', clrType: '41', setlOptins: '360100', saleId: null, msgid: null, setlId: 'S1', mdtrtId: null, psnNo: 'P', patient: null,
      });
      expect(recon.adjustmentsAround('2026-06-01', '2026-06-01').map((a) => a.id)).toEqual([adjustment]);
      expect(() => db.prepare("UPDATE recon_adjustment SET fund = '9.00'").run()).toThrow(/never changed/);
      expect(() => recon.addAdjustment('20260601.store_only.centre-S1', { effect: 'remove', count: -1, parts: { medfee: '1.5', fund: 'x', account: '0.00', cash: '0.00' }, note: '' }, {
        day: '2026-06-01', centreDay: '2026-06-01', at: 'x', insutype: '310', clrType: '41', setlOptins: '360100', saleId: null, msgid: null, setlId: null, mdtrtId: null, psnNo: null, patient: null,
      })).toThrow(/amount/);

      db.transaction(() => recon.closeDay({ date: '2026-06-01', closedAt: 'x', closedBy: '2001', note: '', checkId: null, totals: {} }, []))();
      expect(recon.closedDays().map((d) => d.date)).toEqual(['2026-06-01']);
      expect(() => db.transaction(() => recon.closeDay({ date: '2026-06-01', closedAt: 'y', closedBy: '2001', note: '', checkId: null, totals: {} }, []))()).toThrow(/UNIQUE/);
      expect(() => db.prepare("UPDATE recon_day SET note = 'x'").run()).toThrow(/stays closed/);
      expect(() => db.prepare("INSERT INTO recon_day (date, closed_at, closed_by, note, totals_json) VALUES ('2026-6-2', 'x', 'y', '', '{}')").run()).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});

describe('store migration 18', () => {
  test('drops recon_outbox_by_updated_at, which no plan read: the changed-since query finds the same settlements with the same plan', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ybjs-recon-')), 'store.db');
    const plan = (db: ReturnType<typeof openDatabase>): string => (db.prepare(`EXPLAIN QUERY PLAN ${SETTLEMENTS_CHANGED_SINCE}`).all({ t: '' }) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    let now = new Date('2026-06-01T02:00:00Z');
    const before = openDatabase(path, storeMigrations.slice(0, 17));
    const settlements = new SettlementStore(before, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, clock: () => now });
    const recorded = settlements.record({ saleRef: 'S1/1', ...sale(person('shiyan-active'), [{ medListCodg: 'TRAIN-D-A01', qty: '2', price: '25.00' }]) });
    now = new Date('2026-06-01T04:00:00Z');
    settlements.apply(recorded.id, { type: 'send_started' });
    const planBefore = plan(before);
    expect(planBefore).toContain('SCAN settlement_outbox');
    expect(planBefore).not.toContain('recon_outbox_by_updated_at');
    before.close();

    const db = openDatabase(path, storeMigrations);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(storeMigrations.length);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'settlement_outbox'").pluck().all()).toEqual(['settlement_outbox_open']);
      expect(plan(db)).toBe(planBefore);
      // Recorded before the mark, moved in the outbox after it: found only through settlement_outbox.updated_at.
      expect(new ReconStore(db).settlementsChangedSince('2026-06-01T03:00:00.000Z').map((s) => s.settlementId)).toEqual([recorded.id]);
      expect(new ReconStore(db).settlementsChangedSince('2026-06-01T05:00:00.000Z')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
