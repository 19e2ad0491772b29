// Head office's view over a chain's ledger: one row per store and business day with what the
// tills pushed — sales, the centre-confirmed total, the provisional fund/account money at risk
// (sold offline, not yet confirmed by the centre), what tills still have to push, open
// discrepancies, whether the day is closed and how. One aggregate query, by index.
//
// Every store registered in the ledger (ledger_store) is expected on every day of the range: a
// store that sold nothing, or whose tills pushed nothing that day, is a row with zeros and
// hasData false (shown as 无数据), never missing from the table.
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
  /** False: nothing of this store for the day is in the ledger (no sale, check, close or discrepancy). */
  readonly hasData: boolean;
}

/** At most a year per query: the table is store × day. */
export const MAX_RANGE_DAYS = 366;

export class HeadOfficeRangeError extends Error {}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks from..to (YYYY-MM-DD, from ≤ to, at most MAX_RANGE_DAYS days); the message names the field. */
export function checkRange(from: string, to: string): void {
  if (!DAY.test(from) || Number.isNaN(Date.parse(`${from}T00:00:00Z`))) throw new HeadOfficeRangeError('from: YYYY-MM-DD');
  if (!DAY.test(to) || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) throw new HeadOfficeRangeError('to: YYYY-MM-DD');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days < 1) throw new HeadOfficeRangeError(`to: ${to} is before from ${from}`);
  if (days > MAX_RANGE_DAYS) throw new HeadOfficeRangeError(`to: at most ${MAX_RANGE_DAYS} days from ${from}`);
}

export async function headOfficeDays(ledger: PgLedger, from: string, to: string, store?: string): Promise<HeadOfficeDay[]> {
  checkRange(from, to);
  const rows = (await ledger.pool.query(`
    WITH grid AS (
      SELECT st.fixmedins_code, st.name, d::date AS date
      FROM ledger_store st CROSS JOIN generate_series($1::date, $2::date, interval '1 day') AS d
      WHERE $3::text IS NULL OR st.fixmedins_code = $3),
    sales AS (
      SELECT fixmedins_code, sale_day AS date, count(*) AS sales,
        coalesce(sum(centre_medfee) FILTER (WHERE outbox_state = 'confirmed'), 0)::numeric(14,2) AS confirmed_medfee,
        coalesce(sum(prov_fund + prov_account) FILTER (WHERE live), 0)::numeric(14,2) AS at_risk
      FROM ledger_settlement WHERE sale_day BETWEEN $1 AND $2 GROUP BY 1, 2),
    pending AS (SELECT fixmedins_code, sum(pending) AS unsynced FROM ledger_till GROUP BY 1),
    open AS (SELECT fixmedins_code, date, count(*) AS n FROM ledger_discrepancy WHERE status = 'open' AND date BETWEEN $1 AND $2 GROUP BY 1, 2),
    checks AS (SELECT DISTINCT ON (fixmedins_code, date) fixmedins_code, date, result FROM ledger_check WHERE date BETWEEN $1 AND $2 ORDER BY fixmedins_code, date, id DESC)
    SELECT g.fixmedins_code, g.name, g.date, coalesce(s.sales, 0) AS sales,
      coalesce(s.confirmed_medfee, 0)::numeric(14,2)::text AS confirmed_medfee, coalesce(s.at_risk, 0)::numeric(14,2)::text AS at_risk,
      coalesce(p.unsynced, 0) AS unsynced, coalesce(o.n, 0) AS open_n, c.date IS NOT NULL AS closed, coalesce(c.result, k.result) AS result,
      (s.sales IS NOT NULL OR c.date IS NOT NULL OR k.date IS NOT NULL OR o.n IS NOT NULL) AS has_data
    FROM grid g
      LEFT JOIN sales s USING (fixmedins_code, date)
      LEFT JOIN pending p USING (fixmedins_code)
      LEFT JOIN open o USING (fixmedins_code, date)
      LEFT JOIN ledger_day_close c USING (fixmedins_code, date)
      LEFT JOIN checks k USING (fixmedins_code, date)
    ORDER BY g.date, g.fixmedins_code`, [from, to, store ?? null])).rows;
  return rows.map((r) => ({
    fixmedinsCode: r.fixmedins_code, storeName: r.name, date: r.date, sales: Number(r.sales), confirmedMedfee: r.confirmed_medfee,
    provisionalAtRisk: r.at_risk, unsynced: Number(r.unsynced), openDiscrepancies: Number(r.open_n), closed: r.closed, result: r.result,
    balanced: r.result === 'balanced' && Number(r.open_n) === 0, hasData: r.has_data,
  }));
}

/** The chain's (or the single store's) name as the ledger was created with. */
export async function ledgerName(ledger: PgLedger): Promise<string> {
  return (await ledger.pool.query<{ name: string }>('SELECT name FROM ledger_meta WHERE id = 1')).rows[0]?.name ?? '';
}

export interface HeadOfficeStoreDay {
  readonly row: HeadOfficeDay;
  readonly checks: Array<{ id: number; at: string; by: string; fromTill: string; result: string; message: string }>;
  readonly closed: { at: string; by: string; fromTill: string; result: string; acknowledged: boolean } | null;
  readonly discrepancies: Array<{ id: string; kind: string; tillId: string | null; saleId: string | null; msgid: string | null; status: 'open' | 'resolved' }>;
  readonly tills: Array<{ tillId: string; pending: number; lastPushAt: string | null; sales: number }>;
  readonly unsyncedSales: Array<{ tillId: string; saleId: string | null; msgid: string; state: string; fund: string; account: string; total: string }>;
}

/** One store's day in detail; null when the store is not in the ledger. */
export async function headOfficeStoreDay(ledger: PgLedger, code: string, date: string): Promise<HeadOfficeStoreDay | null> {
  const [row] = await headOfficeDays(ledger, date, date, code);
  if (!row) return null;
  const q = ledger.pool;
  const [checks, closed, discrepancies, tills, unsynced] = await Promise.all([
    q.query('SELECT id, at, by_whom, from_till, result, message FROM ledger_check WHERE fixmedins_code = $1 AND date = $2 ORDER BY id DESC', [code, date]),
    q.query('SELECT closed_at, closed_by, closed_from, result, acknowledged FROM ledger_day_close WHERE fixmedins_code = $1 AND date = $2', [code, date]),
    q.query('SELECT id, kind, till_id, sale_id, msgid, status FROM ledger_discrepancy WHERE fixmedins_code = $1 AND date = $2 ORDER BY status, till_id, id', [code, date]),
    q.query(`SELECT t.till_id, t.pending, t.last_push_at, (SELECT count(*) FROM ledger_settlement s WHERE s.fixmedins_code = t.fixmedins_code AND s.till_id = t.till_id AND s.sale_day = $2) AS sales
      FROM ledger_till t WHERE t.fixmedins_code = $1 ORDER BY t.till_id`, [code, date]),
    q.query(`SELECT till_id, sale_id, msgid, outbox_state, prov_fund::text AS fund, prov_account::text AS account, prov_total::text AS total
      FROM ledger_settlement WHERE fixmedins_code = $1 AND sale_day = $2 AND live ORDER BY till_id, settlement_id`, [code, date]),
  ]);
  const c = closed.rows[0];
  return {
    row,
    checks: checks.rows.map((r) => ({ id: Number(r.id), at: (r.at as Date).toISOString(), by: r.by_whom, fromTill: r.from_till, result: r.result, message: r.message })),
    closed: c ? { at: (c.closed_at as Date).toISOString(), by: c.closed_by, fromTill: c.closed_from, result: c.result, acknowledged: c.acknowledged } : null,
    discrepancies: discrepancies.rows.map((r) => ({ id: r.id, kind: r.kind, tillId: r.till_id, saleId: r.sale_id, msgid: r.msgid, status: r.status })),
    tills: tills.rows.map((r) => ({ tillId: r.till_id, pending: Number(r.pending), lastPushAt: r.last_push_at ? (r.last_push_at as Date).toISOString() : null, sales: Number(r.sales) })),
    unsyncedSales: unsynced.rows.map((r) => ({ tillId: r.till_id, saleId: r.sale_id, msgid: r.msgid, state: r.outbox_state, fund: r.fund, account: r.account, total: r.total })),
  };
}

export interface HeadOfficeDiscrepancy {
  readonly fixmedinsCode: string;
  readonly storeName: string;
  readonly date: string;
  readonly kind: string;
  readonly tillId: string | null;
  readonly saleId: string | null;
  readonly msgid: string | null;
  readonly status: 'open' | 'resolved';
}

/** Every store's discrepancies of a range (for the export), naming till and sale. */
export async function headOfficeDiscrepancies(ledger: PgLedger, from: string, to: string): Promise<HeadOfficeDiscrepancy[]> {
  checkRange(from, to);
  const rows = (await ledger.pool.query(`SELECT d.fixmedins_code, st.name, d.date, d.kind, d.till_id, d.sale_id, d.msgid, d.status
    FROM ledger_discrepancy d JOIN ledger_store st USING (fixmedins_code) WHERE d.date BETWEEN $1 AND $2 ORDER BY d.date, d.fixmedins_code, d.till_id, d.id`, [from, to])).rows;
  return rows.map((r) => ({ fixmedinsCode: r.fixmedins_code, storeName: r.name, date: r.date, kind: r.kind, tillId: r.till_id, saleId: r.sale_id, msgid: r.msgid, status: r.status }));
}
