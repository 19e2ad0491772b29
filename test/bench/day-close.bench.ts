// Day-close benchmark: a month of generated history (30 days × 200 confirmed settlements, 1 in 50
// refunded, two clearing agencies) in a real store.db, the same settlements booked in the sandbox
// centre's own database, then each day closed in turn through the reconciliation service — the
// ledger read, 3201 per group over loopback HTTP, the discrepancy sweeps, the locked entries and
// the journal line. Every sixth day the centre lacks one settlement, so that day also runs 3202
// (9101 upload of the 200-row detail file, 3202, 9102 download). Baseline, measured in the same
// run: a bare SELECT of the same day's settlement rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCentreClient } from '../../core/centre/client';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { businessDayRange } from '../../core/checkout/business-date';
import { addDays } from '../../core/reconcile/calendar';
import { fmt, money } from '../../core/money/money';
import { HttpJsonTransport } from '../../native/centre/http-transport';
import { zipFileCodec } from '../../native/centre/zip';
import { openDatabase, type Db } from '../../native/db/open';
import { ReconStore } from '../../native/reconcile/store';
import { startSandbox } from '../../native/sandbox/server';
import { Journal } from '../../native/store/journal';
import { storeMigrations } from '../../native/store/migrations';
import { SettlementStore } from '../../native/sync/settlement-store';
import { ReconcileService } from '../../electron/backend/reconcile/service';
import { median, timeMedian, type BenchSuite } from './harness';

const DAYS = 30;
const PER_DAY = 200;
const MANAGER = { kind: 'operator' as const, id: '2001', name: '店长', role: 'manager' as const };

interface Person { psn_no: string; insuplc_admdvs: string; psn_name: string; certno: string }

/** Writes the month into both databases, as if every sale had been settled online. */
function generate(store: Db, centre: Db, days: readonly string[], persons: readonly Person[]): void {
  const code = TRAINING_IDENTITY.fixmedinsCode;
  let n = 0;
  const insertStore = store.prepare(`INSERT INTO settlement (sale_ref, msgid, fixmedins_code, psn_no, insuplc_admdvs, recorded_at, request_json, prov_total, prov_fund, prov_account, prov_cash,
      centre_setl_id, centre_mdtrt_id, centre_output_json, centre_total, centre_fund, centre_account, centre_cash, diff_fund, diff_account, diff_cash, confirmed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '0.00', '0.00', '0.00', ?)`);
  const insertOutbox = store.prepare("INSERT INTO settlement_outbox (settlement_id, state, sends, updated_at) VALUES (?, 'confirmed', 1, ?)");
  const insertSale = store.prepare(`INSERT INTO sale (id, terminal_id, operator_id, created_at, updated_at, business_date, state, online, psn_no, person_json, settlement_id)
    VALUES (?, 'T01', '1001', ?, ?, ?, ?, 1, ?, ?, ?)`);
  const insertCentre = centre.prepare(`INSERT INTO settlement (setl_id, mdtrt_id, msgid, fixmedins_code, psn_no, request_hash, output_json, medfee_sumamt, fund_pay_sumamt, acct_pay,
      psn_cash_pay, insutype, clr_optins, setl_time, setl_day, year, deductible, status) VALUES (?, ?, ?, ?, ?, '', '{}', ?, ?, ?, ?, '310', ?, ?, ?, ?, '0.00', ?)`);
  days.forEach((day, d) => {
    const refunds: Array<{ sale: string; setlId: string; at: string }> = [];
    store.transaction(() => centre.transaction(() => {
      for (let i = 0; i < PER_DAY; i++, n++) {
        const person = persons[n % persons.length]!;
        const medfee = money('12.00').plus(money(String(n % 97)).times(money('1.37')));
        const fund = medfee.times(money('0.5')).toDecimalPlaces(2);
        const account = n % 3 === 0 ? money('0.00') : medfee.minus(fund).times(money('0.5')).toDecimalPlaces(2);
        const cash = medfee.minus(fund).minus(account);
        const at = new Date(Date.parse(businessDayRange(day).start) + (9 * 3600 + i * 60) * 1000);
        const setlTime = `${day} ${String(9 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
        const msgid = `${code}${day.replace(/-/g, '')}${String(n).padStart(10, '0')}`;
        const setlId = `S${String(n).padStart(12, '0')}`;
        const saleId = `S${day.replace(/-/g, '')}-${n.toString(16).toUpperCase().padStart(8, '0')}`;
        const refunded = n % 50 === 7;
        const setlinfo = { setl_id: setlId, mdtrt_id: `M${setlId}`, psn_no: person.psn_no, insutype: '310', setl_time: setlTime, medfee_sumamt: fmt(medfee), fund_pay_sumamt: fmt(fund), acct_pay: fmt(account), psn_cash_pay: fmt(cash), clr_optins: person.insuplc_admdvs, clr_type: '41', medins_setl_id: msgid };
        const { lastInsertRowid } = insertStore.run(`${saleId}/1`, msgid, code, person.psn_no, person.insuplc_admdvs, at.toISOString(), JSON.stringify({ druginfo: { insutype: '310' } }),
          fmt(medfee), fmt(fund), fmt(account), fmt(cash), setlId, `M${setlId}`, JSON.stringify({ setlinfo, setldetail: [] }), fmt(medfee), fmt(fund), fmt(account), fmt(cash), at.toISOString());
        insertOutbox.run(lastInsertRowid, at.toISOString());
        insertSale.run(saleId, at.toISOString(), at.toISOString(), day, refunded ? 'refunded' : 'settled', person.psn_no,
          JSON.stringify({ record: { name: person.psn_name, idNumber: person.certno } }), String(lastInsertRowid));
        // Every sixth day the centre lacks the day's first settlement (it was reversed there), so 3202 runs.
        const missingAtCentre = d % 6 === 5 && i === 0;
        if (!missingAtCentre) {
          insertCentre.run(setlId, `M${setlId}`, msgid, code, person.psn_no, fmt(medfee), fmt(fund), fmt(account), fmt(cash), person.insuplc_admdvs, setlTime, day, Number(day.slice(0, 4)), refunded ? 'cancelled' : 'settled');
        }
        if (refunded) refunds.push({ sale: saleId, setlId, at: new Date(at.getTime() + 3_600_000).toISOString() });
      }
    })())();
    for (const r of refunds) {
      const journal = new Journal(store, () => new Date(r.at));
      store.transaction(() => journal.append('sale.refunded', { sale: r.sale, setlId: r.setlId, msgid: '', reason: 'bench', by: '1001' }))();
    }
  });
}

export const suite: BenchSuite = {
  name: 'day close',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'ybjs-bench-close-'));
    const sandbox = await startSandbox({ dataDir: join(dir, 'centre'), port: 0 });
    const db = openDatabase(join(dir, 'store.db'), storeMigrations);
    try {
      const persons = sandbox.db.prepare("SELECT psn_no, insuplc_admdvs, psn_name, certno FROM person WHERE insuplc_admdvs IN ('360100', '140500') AND suspended = 0 AND hospitalized = 0").all() as Person[];
      const now = new Date();
      const first = addDays(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10), -DAYS);
      const days = Array.from({ length: DAYS }, (_, i) => addDays(first, i));
      generate(db, sandbox.db, days, persons);

      const settlements = new SettlementStore(db, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode });
      const transport = new HttpJsonTransport({ url: sandbox.endpoint, responseTimeoutMs: 30_000 });
      const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock: () => new Date(), terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid: () => settlements.allocateMsgid() });
      const service = new ReconcileService({ db, recon: new ReconStore(db), centre, journal: new Journal(db), identity: TRAINING_IDENTITY, now: () => now });
      await centre.signIn();

      // Baseline: the same day's rows, read bare.
      const bare = db.prepare(`SELECT s.*, o.state, sale.person_json FROM sale JOIN settlement s ON s.id = CAST(sale.settlement_id AS INTEGER)
        JOIN settlement_outbox o ON o.settlement_id = s.id WHERE sale.business_date = ?`);
      const baseline = await timeMedian(() => { const n = bare.all(days[DAYS - 1]).length; if (n !== PER_DAY) throw new Error(`baseline read ${n} rows, not ${PER_DAY}`); }, { samples: 30 });

      const balanced: number[] = [];
      const withDetail: number[] = [];
      for (const [d, day] of days.entries()) {
        const start = process.hrtime.bigint();
        const closed = await service.close(day, { acknowledgeUnbalanced: d % 6 === 5, note: '' }, MANAGER);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const expected = d % 6 === 5 ? 'unbalanced' : 'balanced';
        const sold = closed.entries.filter((e) => e.kind === 'sale').length;
        if (closed.state !== 'closed' || closed.lastCheck?.result !== expected || sold !== PER_DAY) {
          throw new Error(`day ${day}: ${closed.state} ${closed.lastCheck?.result} (expected ${expected}), ${sold} settlements`);
        }
        (d % 6 === 5 ? withDetail : balanced).push(ms);
      }
      await transport.close();
      const slowest = Math.max(...balanced, ...withDetail);
      return [
        {
          name: `close a day, ${PER_DAY} settlements, 3201 balanced (${balanced.length} days)`, unit: 'ms', median: median(balanced),
          baselineName: 'bare SELECT of the day\'s rows', baseline,
          note: `slowest of all ${DAYS} days ${slowest.toFixed(1)} ms (target: under 1000 ms per day)`,
        },
        {
          name: `close a day, ${PER_DAY} settlements, with 3202 (${withDetail.length} days)`, unit: 'ms', median: median(withDetail),
          baselineName: 'bare SELECT of the day\'s rows', baseline,
        },
      ];
    } finally {
      db.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
