// The downloaded catalogues and dictionaries in store.db (tables: ./schema.ts). Implements the
// downloader's ledger (core/centre/catalogue-download.ts): each chunk's rows and the new version in
// one transaction, guarded by the version it started from.
import { type CatalogueDownloadReport, type CatalogueLedger } from '../../core/centre/catalogue-download';
import { CATALOGUE_INFNOS, INITIAL_VERSION, type CatalogueEntry, type CatalogueInfno, type DictionaryRow } from '../../core/centre/tx/catalogue';
import { type DownloadedEntry } from '../../core/catalogue/effective';
import { statement, type Db } from '../db/open';

export interface CatalogueState {
  readonly infno: CatalogueInfno;
  readonly version: string;
  readonly rows: number;
  readonly lastAttemptAt: string | null;
  readonly lastOk: boolean | null;
  readonly lastMessage: string;
  readonly lastSuccessAt: string | null;
}

interface StateRow { infno: CatalogueInfno; version: string; rows: number; last_attempt_at: string | null; last_ok: number | null; last_message: string; last_success_at: string | null }
interface EntryRow { infno: CatalogueInfno; code: string; name: string; list_class: 'A' | 'B' | 'C' | null; selfpay_ratio: string | null; valid: number; rid: string; ver: string }

export class CatalogueVersionConflict extends Error {}

export class CatalogueStore implements CatalogueLedger {
  constructor(readonly db: Db) {}

  private ensure(infno: CatalogueInfno): void {
    statement(this.db, 'INSERT INTO catalogue_download (infno, version) VALUES (?, ?) ON CONFLICT (infno) DO NOTHING').run(infno, INITIAL_VERSION);
  }

  version(infno: CatalogueInfno): string {
    return (statement(this.db, 'SELECT version FROM catalogue_download WHERE infno = ?').get(infno) as { version: string } | undefined)?.version ?? INITIAL_VERSION;
  }

  commitChunk(infno: CatalogueInfno, from: string, to: string, rows: readonly CatalogueEntry[]): void {
    this.db.transaction(() => {
      this.ensure(infno);
      const current = this.version(infno);
      if (current !== from) throw new CatalogueVersionConflict(`${infno}: stored version is ${current}, the chunk starts from ${from} (another download ran at the same time?)`);
      const put = statement(this.db, `INSERT INTO catalogue_entry (infno, code, name, list_class, selfpay_ratio, valid, rid, ver) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (infno, code) DO UPDATE SET name = excluded.name, list_class = excluded.list_class, selfpay_ratio = excluded.selfpay_ratio,
          valid = excluded.valid, rid = excluded.rid, ver = excluded.ver`);
      for (const r of rows) put.run(infno, r.code, r.name, r.listClass, r.selfPayRatio, r.valid ? 1 : 0, r.rid, r.ver);
      const count = (statement(this.db, 'SELECT count(*) AS n FROM catalogue_entry WHERE infno = ?').get(infno) as { n: number }).n;
      statement(this.db, 'UPDATE catalogue_download SET version = ?, rows = ? WHERE infno = ?').run(to, count, infno);
    }).immediate();
  }

  recordAttempt(infno: CatalogueInfno, report: CatalogueDownloadReport): void {
    this.ensure(infno);
    statement(this.db, `UPDATE catalogue_download SET last_attempt_at = ?, last_ok = ?, last_message = ?,
        last_success_at = CASE WHEN ? = 1 THEN ? ELSE last_success_at END WHERE infno = ?`)
      .run(report.at, report.ok ? 1 : 0, report.message, report.ok ? 1 : 0, report.at, infno);
  }

  states(): CatalogueState[] {
    return CATALOGUE_INFNOS.map((infno) => {
      const r = statement(this.db, 'SELECT * FROM catalogue_download WHERE infno = ?').get(infno) as StateRow | undefined;
      return {
        infno, version: r?.version ?? INITIAL_VERSION, rows: r?.rows ?? 0, lastAttemptAt: r?.last_attempt_at ?? null,
        lastOk: r?.last_ok === null || r?.last_ok === undefined ? null : r.last_ok === 1, lastMessage: r?.last_message ?? '', lastSuccessAt: r?.last_success_at ?? null,
      };
    });
  }

  /** The catalogues with at least one stored row. */
  downloadedKinds(): CatalogueInfno[] {
    return (this.db.prepare('SELECT DISTINCT infno FROM catalogue_entry ORDER BY infno').all() as Array<{ infno: CatalogueInfno }>).map((r) => r.infno);
  }

  entry(code: string): DownloadedEntry | undefined {
    const r = statement(this.db, 'SELECT * FROM catalogue_entry WHERE code = ? ORDER BY valid DESC, infno LIMIT 1').get(code) as EntryRow | undefined;
    return r ? { infno: r.infno, code: r.code, name: r.name, listClass: r.list_class, selfPayRatio: r.selfpay_ratio, valid: r.valid === 1, ver: r.ver } : undefined;
  }

  entries(infno: CatalogueInfno): DownloadedEntry[] {
    return (statement(this.db, 'SELECT * FROM catalogue_entry WHERE infno = ? ORDER BY code').all(infno) as EntryRow[])
      .map((r) => ({ infno: r.infno, code: r.code, name: r.name, listClass: r.list_class, selfPayRatio: r.selfpay_ratio, valid: r.valid === 1, ver: r.ver }));
  }

  /** Replaces one dictionary type's rows (all or nothing). */
  replaceDictionary(type: string, rows: readonly DictionaryRow[], at: string): void {
    this.db.transaction(() => {
      statement(this.db, 'DELETE FROM dictionary_entry WHERE type = ?').run(type);
      const put = statement(this.db, 'INSERT INTO dictionary_entry (type, value, label, parent_value, sort, vali_flag, version) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const r of rows) put.run(type, r.value, r.label, r.parentValue, r.sort, r.valiFlag, r.version);
      statement(this.db, `INSERT INTO dictionary_download (type, rows, downloaded_at) VALUES (?, ?, ?)
        ON CONFLICT (type) DO UPDATE SET rows = excluded.rows, downloaded_at = excluded.downloaded_at`).run(type, rows.length, at);
    }).immediate();
  }

  dictionaries(): Array<{ type: string; rows: number; downloadedAt: string; version: string }> {
    return (statement(this.db, `SELECT d.type, d.rows, d.downloaded_at, coalesce((SELECT max(version) FROM dictionary_entry e WHERE e.type = d.type), '') AS version
        FROM dictionary_download d ORDER BY d.type`).all() as Array<{ type: string; rows: number; downloaded_at: string; version: string }>)
      .map((r) => ({ type: r.type, rows: r.rows, downloadedAt: r.downloaded_at, version: r.version }));
  }

  dictionary(type: string): Array<{ value: string; label: string; parentValue: string }> {
    return (statement(this.db, 'SELECT value, label, parent_value FROM dictionary_entry WHERE type = ? ORDER BY sort, value').all(type) as Array<{ value: string; label: string; parent_value: string }>)
      .map((r) => ({ value: r.value, label: r.label, parentValue: r.parent_value }));
  }
}
