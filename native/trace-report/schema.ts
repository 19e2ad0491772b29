// Store-database tables of 进销存 sales reporting (3505/3506) and the store-wide 追溯码 ledger.
// Registered as a numbered migration in native/store/migrations.ts; never edited once released.
//   sales_report_row   one row per reported line: its key (fixmedins_bchno), the row as it will be
//                      sent (setl_id is added once the settlement is confirmed), its state
//                      (core/sync/report-row.ts), and the settlement it waits for.
//   sales_report_code  the codes of each row, so a code's report state can be looked up.
//   sales_report_log   every transition, for the manager's view and audits.
//   sales_report_call  every upload call, its msgid persisted before it is sent.
//   trace_code_return  codes freed by a refund (sellable again), kept as history.
//   operator_pharmacist the 执业药师 who checks an operator's sales (name, certificate number).
import { type Db } from '../db/open';

export function createSalesReportTables(db: Db): void {
  db.exec(`
    CREATE TABLE sales_report_row (
      id              INTEGER PRIMARY KEY,
      sale_id         TEXT NOT NULL REFERENCES sale (id),
      settlement_id   INTEGER NOT NULL REFERENCES settlement (id),
      kind            TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
      bchno           TEXT NOT NULL UNIQUE CHECK (length(bchno) <= 30),
      business_date   TEXT NOT NULL,
      row_json        TEXT NOT NULL,
      codes           INTEGER NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'accepted', 'rejected', 'void')),
      sends           INTEGER NOT NULL DEFAULT 0,
      refusals        INTEGER NOT NULL DEFAULT 0,
      note            TEXT NOT NULL DEFAULT '',
      last_msgid      TEXT,
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sales_report_row_open ON sales_report_row (kind, id) WHERE state IN ('queued', 'rejected', 'sending');
    CREATE INDEX sales_report_row_day ON sales_report_row (business_date, state);
    CREATE INDEX sales_report_row_sale ON sales_report_row (sale_id, kind);
    CREATE TRIGGER sales_report_row_fixed BEFORE UPDATE OF bchno, row_json, kind, sale_id ON sales_report_row
    BEGIN SELECT RAISE(ABORT, 'a report row keeps its key and content for ever'); END;
    CREATE TRIGGER sales_report_row_no_delete BEFORE DELETE ON sales_report_row
    BEGIN SELECT RAISE(ABORT, 'report rows are never deleted'); END;

    CREATE TABLE sales_report_code (
      row_id INTEGER NOT NULL REFERENCES sales_report_row (id),
      code   TEXT NOT NULL,
      PRIMARY KEY (row_id, code)
    ) STRICT;
    CREATE INDEX sales_report_code_by_code ON sales_report_code (code);

    CREATE TABLE sales_report_log (
      id         INTEGER PRIMARY KEY,
      row_id     INTEGER NOT NULL REFERENCES sales_report_row (id),
      at         TEXT NOT NULL,
      from_state TEXT NOT NULL,
      to_state   TEXT NOT NULL,
      event      TEXT NOT NULL,
      detail     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sales_report_log_by_row ON sales_report_log (row_id, id);

    CREATE TABLE sales_report_call (
      msgid   TEXT PRIMARY KEY,
      infno   TEXT NOT NULL,
      rows    INTEGER NOT NULL,
      sent_at TEXT NOT NULL,
      outcome TEXT
    ) STRICT;

    CREATE TABLE trace_code_return (
      id          INTEGER PRIMARY KEY,
      code        TEXT NOT NULL,
      sale_id     TEXT NOT NULL,
      returned_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX trace_code_return_by_code ON trace_code_return (code);

    CREATE TABLE operator_pharmacist (
      operator_id     TEXT PRIMARY KEY REFERENCES operator (operator_id),
      pharmacist_name TEXT NOT NULL,
      cert_no         TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) STRICT;
  `);
}
