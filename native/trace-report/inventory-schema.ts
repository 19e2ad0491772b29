// Store-database tables of 进销存 inventory uploads (3501 盘存, 3502 库存变更, 3503 采购, 3504 采购退货,
// 3507 删除). Registered as a numbered migration in native/store/migrations.ts; never edited once released.
//   inventory_upload       one row per movement the POS (or an import) gave, under the POS's own key:
//                          the row as it will be sent, its state (core/sync/report-row.ts), and the
//                          msgid it is being sent under (kept until a definite answer, so a resend after
//                          an unknown outcome is the same message).
//   inventory_upload_log   every transition, for the manager's view and audits.
//   inventory_upload_call  every upload call, its msgid persisted before it is sent.
import { type Db } from '../db/open';

export function createInventoryUploadTables(db: Db): void {
  db.exec(`
    CREATE TABLE inventory_upload (
      id              INTEGER PRIMARY KEY,
      pos_key         TEXT NOT NULL UNIQUE CHECK (length(pos_key) BETWEEN 1 AND 100),
      infno           TEXT NOT NULL CHECK (infno IN ('3501', '3502', '3503', '3504', '3507')),
      bchno           TEXT NOT NULL CHECK (length(bchno) <= 30),
      business_date   TEXT NOT NULL,
      row_json        TEXT NOT NULL,
      row_hash        TEXT NOT NULL,
      origin          TEXT NOT NULL CHECK (origin IN ('pos', 'import')),
      operator_id     TEXT NOT NULL,
      target_id       INTEGER REFERENCES inventory_upload (id),
      state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'rejected', 'void')),
      sends           INTEGER NOT NULL DEFAULT 0,
      refusals        INTEGER NOT NULL DEFAULT 0,
      note            TEXT NOT NULL DEFAULT '',
      pending_msgid   TEXT,
      last_msgid      TEXT,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX inventory_upload_open ON inventory_upload (id) WHERE state IN ('queued', 'rejected', 'sending');
    CREATE INDEX inventory_upload_day ON inventory_upload (business_date, state);
    CREATE INDEX inventory_upload_batch ON inventory_upload (bchno, infno);
    CREATE TRIGGER inventory_upload_fixed BEFORE UPDATE OF pos_key, infno, bchno, row_json, row_hash ON inventory_upload
    BEGIN SELECT RAISE(ABORT, 'an inventory upload keeps its key and content for ever'); END;
    CREATE TRIGGER inventory_upload_no_delete BEFORE DELETE ON inventory_upload
    BEGIN SELECT RAISE(ABORT, 'inventory uploads are never deleted (a 3507 row deletes at the platform)'); END;

    CREATE TABLE inventory_upload_log (
      id         INTEGER PRIMARY KEY,
      row_id     INTEGER NOT NULL REFERENCES inventory_upload (id),
      at         TEXT NOT NULL,
      from_state TEXT NOT NULL,
      to_state   TEXT NOT NULL,
      event      TEXT NOT NULL,
      detail     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX inventory_upload_log_by_row ON inventory_upload_log (row_id, id);

    CREATE TABLE inventory_upload_call (
      id      INTEGER PRIMARY KEY,
      msgid   TEXT NOT NULL,
      infno   TEXT NOT NULL,
      rows    INTEGER NOT NULL,
      sent_at TEXT NOT NULL,
      outcome TEXT
    ) STRICT;
    CREATE INDEX inventory_upload_call_by_msgid ON inventory_upload_call (msgid);
  `);
}
