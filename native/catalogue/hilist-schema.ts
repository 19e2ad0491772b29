// Store-database tables of the 1312 / 1319 queries (core/centre/tx/hilist.ts), store migration 17
// in native/store/migrations.ts; never edited once released.
//   hilist_download  one row per query: the cursor (since = the day asked from, next_page = the
//                    page a half-way run resumes at), the centre's total when it gave one, and the
//                    last attempt (time, result, message, pages and rows) for the technician.
//   hilist_class     1312 rows by rid (唯一记录号): code, name, class (A 甲 / B 乙 / C 丙 from
//                    chrgitm_lv 01/02/03), begin/end day, valid flag, updt_time.
//   hilist_selfpay   1319 rows by rid: code, person type, ratio type, ratio as given (TEXT),
//                    begin/end day, valid flag, updt_time.
// A page's rows and the cursor's next page are written in one transaction (HilistStore.commitPage).
import { type Db } from '../db/open';

export function createHilistTables(db: Db): void {
  db.exec(`
    CREATE TABLE hilist_download (
      infno           TEXT PRIMARY KEY CHECK (infno IN ('1312', '1319')),
      since           TEXT NOT NULL,
      next_page       INTEGER NOT NULL DEFAULT 1 CHECK (next_page >= 1),
      total           INTEGER,
      last_attempt_at TEXT,
      last_ok         INTEGER CHECK (last_ok IN (0, 1)),
      last_message    TEXT NOT NULL DEFAULT '',
      last_pages      INTEGER NOT NULL DEFAULT 0,
      last_rows       INTEGER NOT NULL DEFAULT 0,
      last_success_at TEXT
    ) STRICT;
    CREATE TABLE hilist_class (
      rid        TEXT PRIMARY KEY,
      code       TEXT NOT NULL,
      name       TEXT NOT NULL,
      admdvs     TEXT NOT NULL,
      list_class TEXT NOT NULL CHECK (list_class IN ('A', 'B', 'C')),
      begndate   TEXT NOT NULL,
      enddate    TEXT NOT NULL,
      valid      INTEGER NOT NULL CHECK (valid IN (0, 1)),
      updt_time  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX hilist_class_code ON hilist_class (code);
    CREATE TABLE hilist_selfpay (
      rid       TEXT PRIMARY KEY,
      code      TEXT NOT NULL,
      psn_type  TEXT NOT NULL,
      prop_type TEXT NOT NULL,
      admdvs    TEXT NOT NULL,
      ratio     TEXT NOT NULL,
      begndate  TEXT NOT NULL,
      enddate   TEXT NOT NULL,
      valid     INTEGER NOT NULL CHECK (valid IN (0, 1)),
      updt_time TEXT NOT NULL
    ) STRICT;
    CREATE INDEX hilist_selfpay_code ON hilist_selfpay (code);
  `);
}
