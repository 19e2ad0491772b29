// Store-database tables of the downloaded catalogues (1301/1306) and dictionaries (1901).
// Registered as migration 11 in native/store/migrations.ts; never edited once released.
//   catalogue_download   one row per catalogue: the highest version stored (the resume point), the
//                        row count, and the last attempt (time, result, message) for the technician.
//   catalogue_entry      the rows as downloaded: code, name, class and 乙类 ratio as given (NULL: the
//                        file gave none), valid flag, rid, the version they came in.
//   dictionary_entry     1901 rows per type; dictionary_download the last download per type.
// A chunk's rows and the new version are written in one transaction (CatalogueStore.commitChunk).
import { type Db } from '../db/open';

export function createCatalogueTables(db: Db): void {
  db.exec(`
    CREATE TABLE catalogue_download (
      infno           TEXT PRIMARY KEY CHECK (infno IN ('1301', '1306')),
      version         TEXT NOT NULL,
      rows            INTEGER NOT NULL DEFAULT 0,
      last_attempt_at TEXT,
      last_ok         INTEGER CHECK (last_ok IN (0, 1)),
      last_message    TEXT NOT NULL DEFAULT '',
      last_success_at TEXT
    ) STRICT;
    CREATE TABLE catalogue_entry (
      infno         TEXT NOT NULL REFERENCES catalogue_download (infno),
      code          TEXT NOT NULL,
      name          TEXT NOT NULL,
      list_class    TEXT CHECK (list_class IN ('A', 'B', 'C')),
      selfpay_ratio TEXT,
      valid         INTEGER NOT NULL CHECK (valid IN (0, 1)),
      rid           TEXT NOT NULL,
      ver           TEXT NOT NULL,
      PRIMARY KEY (infno, code)
    ) STRICT;
    CREATE INDEX catalogue_entry_code ON catalogue_entry (code);
    CREATE TABLE dictionary_entry (
      type         TEXT NOT NULL,
      value        TEXT NOT NULL,
      label        TEXT NOT NULL,
      parent_value TEXT NOT NULL,
      sort         INTEGER NOT NULL,
      vali_flag    TEXT NOT NULL,
      version      TEXT NOT NULL,
      PRIMARY KEY (type, value)
    ) STRICT;
    CREATE TABLE dictionary_download (
      type          TEXT PRIMARY KEY,
      rows          INTEGER NOT NULL,
      downloaded_at TEXT NOT NULL
    ) STRICT;
  `);
}
