// The 1312 / 1319 rows in store.db (tables: ./hilist-schema.ts). Implements the downloader's ledger
// (core/centre/hilist-download.ts): each page's rows and the cursor's next page in one transaction,
// guarded by the cursor the page was asked at.
import { INITIAL_CURSOR, type HilistCursor, type HilistDownloadReport, type HilistLedger } from '../../core/centre/hilist-download';
import { HILIST_INFNOS, type HilistClassRow, type HilistInfno, type HilistRowOf, type SelfPayRatioRow } from '../../core/centre/tx/hilist';
import { statement, type Db } from '../db/open';

export interface HilistState {
  readonly infno: HilistInfno;
  readonly since: string;
  readonly nextPage: number;
  readonly rows: number;
  /** The highest updt_time stored ('' before any). */
  readonly lastUpdate: string;
  readonly total: number | null;
  readonly lastAttemptAt: string | null;
  readonly lastOk: boolean | null;
  readonly lastMessage: string;
  readonly lastPages: number;
  readonly lastRows: number;
  readonly lastSuccessAt: string | null;
}

export class HilistCursorConflict extends Error {}

const TABLE: Readonly<Record<HilistInfno, string>> = { '1312': 'hilist_class', '1319': 'hilist_selfpay' };

interface ClassRow { rid: string; code: string; name: string; admdvs: string; list_class: 'A' | 'B' | 'C'; begndate: string; enddate: string; valid: number; updt_time: string }
interface SelfPayRow { rid: string; code: string; psn_type: string; prop_type: string; admdvs: string; ratio: string; begndate: string; enddate: string; valid: number; updt_time: string }

export class HilistStore implements HilistLedger {
  constructor(readonly db: Db) {}

  private ensure(infno: HilistInfno): void {
    statement(this.db, 'INSERT INTO hilist_download (infno, since) VALUES (?, ?) ON CONFLICT (infno) DO NOTHING').run(infno, INITIAL_CURSOR.since);
  }

  cursor(infno: HilistInfno): HilistCursor {
    const r = statement(this.db, 'SELECT since, next_page FROM hilist_download WHERE infno = ?').get(infno) as { since: string; next_page: number } | undefined;
    return r ? { since: r.since, page: r.next_page } : INITIAL_CURSOR;
  }

  commitPage<I extends HilistInfno>(infno: I, at: HilistCursor, rows: ReadonlyArray<HilistRowOf<I>>, total: number | null): void {
    this.db.transaction(() => {
      this.ensure(infno);
      const current = this.cursor(infno);
      if (current.since !== at.since || current.page !== at.page) {
        throw new HilistCursorConflict(`${infno}: stored cursor is ${current.since} page ${current.page}, the page was asked at ${at.since} page ${at.page} (another download ran at the same time?)`);
      }
      if (infno === '1312') {
        const put = statement(this.db, `INSERT INTO hilist_class (rid, code, name, admdvs, list_class, begndate, enddate, valid, updt_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (rid) DO UPDATE SET code = excluded.code, name = excluded.name, admdvs = excluded.admdvs, list_class = excluded.list_class,
            begndate = excluded.begndate, enddate = excluded.enddate, valid = excluded.valid, updt_time = excluded.updt_time`);
        for (const r of rows as readonly HilistClassRow[]) put.run(r.rid, r.code, r.name, r.admdvs, r.listClass, r.begin, r.end, r.valid ? 1 : 0, r.updatedAt);
      } else {
        const put = statement(this.db, `INSERT INTO hilist_selfpay (rid, code, psn_type, prop_type, admdvs, ratio, begndate, enddate, valid, updt_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (rid) DO UPDATE SET code = excluded.code, psn_type = excluded.psn_type, prop_type = excluded.prop_type, admdvs = excluded.admdvs,
            ratio = excluded.ratio, begndate = excluded.begndate, enddate = excluded.enddate, valid = excluded.valid, updt_time = excluded.updt_time`);
        for (const r of rows as readonly SelfPayRatioRow[]) put.run(r.rid, r.code, r.psnType, r.propType, r.admdvs, r.ratio, r.begin, r.end, r.valid ? 1 : 0, r.updatedAt);
      }
      statement(this.db, 'UPDATE hilist_download SET next_page = ?, total = coalesce(?, total) WHERE infno = ?').run(at.page + 1, total, infno);
    }).immediate();
  }

  finishRun(infno: HilistInfno, at: HilistCursor): string {
    return this.db.transaction(() => {
      this.ensure(infno);
      const current = this.cursor(infno);
      if (current.since !== at.since || current.page !== at.page) throw new HilistCursorConflict(`${infno}: stored cursor is ${current.since} page ${current.page}, the run ended at ${at.since} page ${at.page}`);
      const top = this.lastUpdate(infno);
      const next = top === '' || top.slice(0, 10) < at.since ? at.since : top.slice(0, 10);
      statement(this.db, 'UPDATE hilist_download SET since = ?, next_page = 1 WHERE infno = ?').run(next, infno);
      return next;
    }).immediate();
  }

  recordAttempt(infno: HilistInfno, report: HilistDownloadReport): void {
    this.ensure(infno);
    statement(this.db, `UPDATE hilist_download SET last_attempt_at = ?, last_ok = ?, last_message = ?, last_pages = ?, last_rows = ?,
        last_success_at = CASE WHEN ? = 1 THEN ? ELSE last_success_at END WHERE infno = ?`)
      .run(report.at, report.ok ? 1 : 0, report.message, report.pages, report.rows, report.ok ? 1 : 0, report.at, infno);
  }

  private lastUpdate(infno: HilistInfno): string {
    return (statement(this.db, `SELECT coalesce(max(updt_time), '') AS t FROM ${TABLE[infno]}`).get() as { t: string }).t;
  }

  states(): HilistState[] {
    return HILIST_INFNOS.map((infno) => {
      const r = statement(this.db, 'SELECT * FROM hilist_download WHERE infno = ?').get(infno) as
        { since: string; next_page: number; total: number | null; last_attempt_at: string | null; last_ok: number | null; last_message: string; last_pages: number; last_rows: number; last_success_at: string | null } | undefined;
      const rows = (statement(this.db, `SELECT count(*) AS n FROM ${TABLE[infno]}`).get() as { n: number }).n;
      return {
        infno, since: r?.since ?? INITIAL_CURSOR.since, nextPage: r?.next_page ?? 1, rows, lastUpdate: this.lastUpdate(infno), total: r?.total ?? null,
        lastAttemptAt: r?.last_attempt_at ?? null, lastOk: r?.last_ok === null || r?.last_ok === undefined ? null : r.last_ok === 1,
        lastMessage: r?.last_message ?? '', lastPages: r?.last_pages ?? 0, lastRows: r?.last_rows ?? 0, lastSuccessAt: r?.last_success_at ?? null,
      };
    });
  }

  classRows(code: string): HilistClassRow[] {
    return (statement(this.db, 'SELECT * FROM hilist_class WHERE code = ? ORDER BY begndate, rid').all(code) as ClassRow[]).map((r) => ({
      rid: r.rid, code: r.code, name: r.name, admdvs: r.admdvs, listClass: r.list_class, begin: r.begndate, end: r.enddate, valid: r.valid === 1, updatedAt: r.updt_time,
    }));
  }

  ratioRows(code: string): SelfPayRatioRow[] {
    return (statement(this.db, 'SELECT * FROM hilist_selfpay WHERE code = ? ORDER BY psn_type, begndate, rid').all(code) as SelfPayRow[]).map((r) => ({
      rid: r.rid, code: r.code, psnType: r.psn_type, propType: r.prop_type, admdvs: r.admdvs, ratio: r.ratio, begin: r.begndate, end: r.enddate, valid: r.valid === 1, updatedAt: r.updt_time,
    }));
  }
}
