// Head office's view over a chain's ledger: one row per store and business day with what the
// tills pushed — sales, the centre-confirmed total, the provisional fund/account money at risk
// (sold offline, not yet confirmed by the centre), what tills still have to push, open
// discrepancies, whether the day is closed and how. One aggregate query, by index.
import { type PgLedger } from './pg-ledger';

export interface HeadOfficeDay {
  readonly fixmedinsCode: string;
  readonly storeName: string;
  readonly date: string;
  readonly sales: number;
  readonly confirmedMedfee: string;
  /** Fund + personal account of sales the centre has not confirmed yet. */
  readonly provisionalAtRisk: string;
  /** Facts the store's tills have not pushed yet (all days). */
  readonly unsynced: number;
  readonly openDiscrepancies: number;
  readonly closed: boolean;
  /** The result the day was closed with, or of its last check; null: never checked. */
  readonly result: string | null;
  readonly balanced: boolean;
}

export async function headOfficeDays(ledger: PgLedger, from: string, to: string): Promise<HeadOfficeDay[]> {
  const rows = (await ledger.pool.query(`
    WITH sales AS (
      SELECT fixmedins_code, sale_day AS date, count(*) AS sales,
        coalesce(sum(centre_medfee) FILTER (WHERE outbox_state = 'confirmed'), 0)::numeric(14,2) AS confirmed_medfee,
        coalesce(sum(prov_fund + prov_account) FILTER (WHERE live), 0)::numeric(14,2) AS at_risk
      FROM ledger_settlement WHERE sale_day BETWEEN $1 AND $2 GROUP BY 1, 2),
    pending AS (SELECT fixmedins_code, sum(pending) AS unsynced FROM ledger_till GROUP BY 1),
    open AS (SELECT fixmedins_code, date, count(*) AS n FROM ledger_discrepancy WHERE status = 'open' AND date BETWEEN $1 AND $2 GROUP BY 1, 2),
    checks AS (SELECT DISTINCT ON (fixmedins_code, date) fixmedins_code, date, result FROM ledger_check WHERE date BETWEEN $1 AND $2 ORDER BY fixmedins_code, date, id DESC)
    SELECT st.fixmedins_code, st.name, s.date, s.sales, s.confirmed_medfee::text AS confirmed_medfee, s.at_risk::text AS at_risk,
      coalesce(p.unsynced, 0) AS unsynced, coalesce(o.n, 0) AS open_n, c.date IS NOT NULL AS closed, coalesce(c.result, k.result) AS result
    FROM sales s JOIN ledger_store st USING (fixmedins_code)
      LEFT JOIN pending p USING (fixmedins_code)
      LEFT JOIN open o USING (fixmedins_code, date)
      LEFT JOIN ledger_day_close c USING (fixmedins_code, date)
      LEFT JOIN checks k USING (fixmedins_code, date)
    ORDER BY s.date, st.fixmedins_code`, [from, to])).rows;
  return rows.map((r) => ({
    fixmedinsCode: r.fixmedins_code, storeName: r.name, date: r.date, sales: Number(r.sales), confirmedMedfee: r.confirmed_medfee,
    provisionalAtRisk: r.at_risk, unsynced: Number(r.unsynced), openDiscrepancies: Number(r.open_n), closed: r.closed, result: r.result,
    balanced: r.result === 'balanced' && Number(r.open_n) === 0,
  }));
}
