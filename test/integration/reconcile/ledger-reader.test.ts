// The ledger reader over a real store.db across several closes: an open day after closed days
// reads only what changed since the previous close, and still books every late change exactly
// once (closed days keep what they were closed with; closed plus open days equal the facts now).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { settlementFacts } from '../../../core/reconcile/facts';
import { type LedgerEntry } from '../../../core/reconcile/ledger';
import { addTotals, NO_TOTALS, totalsView } from '../../../core/reconcile/totals';
import { openDatabase, type Db } from '../../../native/db/open';
import { ReconStore } from '../../../native/reconcile/store';
import { storeMigrations } from '../../../native/store/migrations';
import { LedgerReader } from '../../../electron/backend/reconcile/ledger-reader';

const D1 = '2026-06-01';
const D2 = '2026-06-02';
const D3 = '2026-06-03';
const at = (day: string, hh: string): string => new Date(`${day}T${hh}:00:00+08:00`).toISOString();

let seq = 0;
function record(db: Db, day: string, recordedAt: string, medfee: string): number {
  seq++;
  const saleId = `S${day.replace(/-/g, '')}-${String(seq).padStart(8, '0')}`;
  const { lastInsertRowid } = db.prepare(`INSERT INTO settlement (sale_ref, msgid, fixmedins_code, psn_no, insuplc_admdvs, recorded_at, request_json, prov_total, prov_fund, prov_account, prov_cash)
    VALUES (?, ?, 'P1', 'PSN1', '360100', ?, '{"druginfo":{"insutype":"310"}}', ?, '0.00', '0.00', ?)`).run(`${saleId}/1`, `P1${String(seq).padStart(28, '0')}`, recordedAt, medfee, medfee);
  db.prepare("INSERT INTO settlement_outbox (settlement_id, state, updated_at) VALUES (?, 'pending', ?)").run(lastInsertRowid, recordedAt);
  db.prepare("INSERT INTO sale (id, terminal_id, operator_id, created_at, updated_at, business_date, state, online, settlement_id, provisional) VALUES (?, 'T01', '1001', ?, ?, ?, 'provisional', 0, ?, 1)")
    .run(saleId, recordedAt, recordedAt, day, String(lastInsertRowid));
  return Number(lastInsertRowid);
}

function confirm(db: Db, id: number, centreDay: string, confirmedAt: string, fund: string): void {
  const row = db.prepare('SELECT prov_total FROM settlement WHERE id = ?').get(id) as { prov_total: string };
  const cash = (Number(row.prov_total) - Number(fund)).toFixed(2);
  const setlinfo = { setl_id: `SETL${id}`, mdtrt_id: `M${id}`, setl_time: `${centreDay} 12:00:00`, medfee_sumamt: row.prov_total, fund_pay_sumamt: fund, acct_pay: '0.00', psn_cash_pay: cash, insutype: '310', clr_optins: '360100', clr_type: '41' };
  db.prepare(`UPDATE settlement SET centre_setl_id = ?, centre_mdtrt_id = ?, centre_output_json = ?, centre_total = ?, centre_fund = ?, centre_account = '0.00', centre_cash = ?,
    diff_fund = ?, diff_account = '0.00', diff_cash = ?, confirmed_at = ? WHERE id = ?`).run(`SETL${id}`, `M${id}`, JSON.stringify({ setlinfo }), row.prov_total, fund, cash, fund, `-${fund}`, confirmedAt, id);
  db.prepare("UPDATE settlement_outbox SET state = 'confirmed', updated_at = ? WHERE settlement_id = ?").run(confirmedAt, id);
}

/** key, status, belongsTo, count — sorted, since the order of lines within a day is not the point here. */
const lines = (entries: readonly LedgerEntry[]) => entries.map((e) => [e.key, e.status, e.belongsTo, e.totals.count]).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));

function close(db: Db, recon: ReconStore, reader: LedgerReader, date: string, closedAt: string): LedgerEntry[] {
  return db.transaction(() => {
    const entries = reader.entries(date);
    recon.closeDay({ date, closedAt, closedBy: '2001', note: '', checkId: null, totals: {} }, entries);
    return entries;
  })();
}

describe('ledger reader across closes', () => {
  test('late changes to closed days land once on the next open day', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'ybjs-ledger-')), 'store.db'), storeMigrations);
    try {
      const recon = new ReconStore(db);
      const reader = new LedgerReader(recon);
      const a = record(db, D1, at(D1, '10'), '10.00');
      const b = record(db, D1, at(D1, '11'), '20.00');
      const d1 = close(db, recon, reader, D1, at(D1, '22'));
      expect(d1.map((e) => [e.key, e.status])).toEqual([[`settlement:${a}`, 'provisional'], [`settlement:${b}`, 'provisional']]);

      // Before D2 closes: A is confirmed on the centre's D1, and a sale of D1 is recorded late.
      confirm(db, a, D1, at(D2, '09'), '4.00');
      const late = record(db, D1, at(D2, '09'), '5.00');
      const d2 = close(db, recon, reader, D2, at(D2, '22'));
      expect(lines(d2)).toEqual([
        [`settlement:${a}`, 'confirmed', D1, 1], [`settlement:${a}`, 'provisional', D1, -1], [`settlement:${late}`, 'provisional', D1, 1],
      ]);

      // After D2 closed: B is confirmed on the centre's D2, the late sale is rejected (parked).
      confirm(db, b, D2, at(D3, '09'), '8.00');
      db.prepare("UPDATE settlement_outbox SET state = 'parked', updated_at = ? WHERE settlement_id = ?").run(at(D3, '09'), late);
      const d3 = reader.entries(D3);
      expect(lines(d3)).toEqual([
        [`settlement:${b}`, 'confirmed', D1, 1], [`settlement:${b}`, 'provisional', D1, -1], [`settlement:${late}`, 'provisional', D1, -1],
      ]);
      // Closed days still show what they were closed with.
      expect(reader.entries(D1)).toEqual(d1);
      expect(reader.entries(D2)).toEqual(d2);

      // Nothing lost, nothing twice: all days together equal the facts as they are now.
      const all = [...d1, ...d2, ...d3];
      const facts = recon.settlementsByIds([a, b, late]).flatMap(settlementFacts);
      for (const status of ['confirmed', 'provisional'] as const) {
        const booked = all.filter((e) => e.status === status).reduce((t, e) => addTotals(t, e.totals), NO_TOTALS);
        const now = facts.filter((f) => f.status === status).reduce((t, f) => addTotals(t, f.totals), NO_TOTALS);
        expect(totalsView(booked)).toEqual(totalsView(now));
      }
      // The day before a closed run reads nothing it should not.
      expect(reader.entries('2026-05-31')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
