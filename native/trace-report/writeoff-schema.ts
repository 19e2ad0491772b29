// Store-database tables of e-prescription write-offs (7206 电子处方核销). Registered as a numbered
// migration in native/store/migrations.ts; never edited once released.
//   eprescription_writeoff      one row per settled e-prescription sale: the draft (lines, who sold
//                               it, how it was downloaded), the settlement it waits for, its state
//                               (core/sync/report-row.ts), the msgid it is being sent under (kept
//                               until a definite answer, so a resend after an unknown outcome is the
//                               same message), and whether the sale was refunded afterwards.
//   eprescription_writeoff_log  every transition, for the manager's view and audits.
import { type Db } from '../db/open';

export function createWriteOffTables(db: Db): void {
  db.exec(`
    CREATE TABLE eprescription_writeoff (
      id              INTEGER PRIMARY KEY,
      sale_id         TEXT NOT NULL REFERENCES sale (id),
      settlement_id   INTEGER NOT NULL REFERENCES settlement (id),
      hi_rxno         TEXT NOT NULL CHECK (length(hi_rxno) BETWEEN 1 AND 30),
      business_date   TEXT NOT NULL,
      draft_json      TEXT NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'rejected', 'void')),
      sends           INTEGER NOT NULL DEFAULT 0,
      refusals        INTEGER NOT NULL DEFAULT 0,
      note            TEXT NOT NULL DEFAULT '',
      pending_msgid   TEXT,
      last_msgid      TEXT,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      refunded_at     TEXT,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT;
    -- One live write-off per sale; a settlement attempt the centre refused leaves a void one behind.
    CREATE UNIQUE INDEX eprescription_writeoff_live ON eprescription_writeoff (sale_id) WHERE state != 'void';
    CREATE INDEX eprescription_writeoff_open ON eprescription_writeoff (id) WHERE state IN ('queued', 'rejected', 'sending');
    CREATE INDEX eprescription_writeoff_rx ON eprescription_writeoff (hi_rxno, state);
    CREATE TRIGGER eprescription_writeoff_fixed BEFORE UPDATE OF sale_id, settlement_id, hi_rxno, draft_json ON eprescription_writeoff
    BEGIN SELECT RAISE(ABORT, 'a write-off keeps its sale and content for ever'); END;
    CREATE TRIGGER eprescription_writeoff_no_delete BEFORE DELETE ON eprescription_writeoff
    BEGIN SELECT RAISE(ABORT, 'write-offs are never deleted'); END;

    CREATE TABLE eprescription_writeoff_log (
      id         INTEGER PRIMARY KEY,
      row_id     INTEGER NOT NULL REFERENCES eprescription_writeoff (id),
      at         TEXT NOT NULL,
      from_state TEXT NOT NULL,
      to_state   TEXT NOT NULL,
      event      TEXT NOT NULL,
      detail     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX eprescription_writeoff_log_by_row ON eprescription_writeoff_log (row_id, id);
  `);
}
