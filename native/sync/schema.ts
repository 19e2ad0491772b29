// Store-database tables of the settlement record and its outbox. This IS store migration 3: once
// released it is never edited; a change is a new migration in native/store/migrations.ts.
//   settlement            the sale's 2102 request as sent, its msgid (allocated and persisted before
//                         anything is sent), the provisional split, and — once known — the centre's
//                         authoritative result with the difference per part.
//   settlement_outbox     one row per settlement: the sync state machine (core/sync/outbox.ts).
//   settlement_outbox_log every transition, for the manager's screen and for audits.
//   centre_msgid_state    the last msgid issued, so msgids never repeat across restarts.
// Triggers keep the exactly-once invariants even against a buggy caller: the msgid and the request
// of a settlement never change, and an entry cannot be confirmed without the centre's result.
import { type Db } from '../db/open';

// Written out, not derived from core/sync/outbox.ts: a migration must not change when code does.
const states = ['pending', 'sending', 'unknown', 'querying', 'reversing', 'confirmed', 'parked', 'reversed'].map((s) => `'${s}'`).join(', ');

export function createSettlementTables(db: Db): void {
  db.exec(`
    CREATE TABLE centre_msgid_state (
      fixmedins_code TEXT PRIMARY KEY,
      stamp          TEXT NOT NULL,
      seq            INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE settlement (
      id                 INTEGER PRIMARY KEY,
      sale_ref           TEXT NOT NULL UNIQUE,
      msgid              TEXT NOT NULL UNIQUE CHECK (length(msgid) = 30),
      fixmedins_code     TEXT NOT NULL,
      psn_no             TEXT NOT NULL,
      insuplc_admdvs     TEXT NOT NULL,
      recorded_at        TEXT NOT NULL,
      request_json       TEXT NOT NULL,
      quote_json         TEXT,
      prov_total         TEXT NOT NULL,
      prov_fund          TEXT NOT NULL,
      prov_account       TEXT NOT NULL,
      prov_cash          TEXT NOT NULL,
      centre_setl_id     TEXT UNIQUE,
      centre_mdtrt_id    TEXT,
      centre_output_json TEXT,
      centre_total       TEXT,
      centre_fund        TEXT,
      centre_account     TEXT,
      centre_cash        TEXT,
      diff_fund          TEXT,
      diff_account       TEXT,
      diff_cash          TEXT,
      confirmed_at       TEXT,
      CHECK ((centre_setl_id IS NULL) = (confirmed_at IS NULL)),
      CHECK ((centre_setl_id IS NULL) = (centre_output_json IS NULL))
    ) STRICT;
    CREATE INDEX settlement_by_person ON settlement (psn_no, recorded_at);

    CREATE TRIGGER settlement_request_is_fixed BEFORE UPDATE OF sale_ref, msgid, request_json, fixmedins_code, psn_no ON settlement
    BEGIN SELECT RAISE(ABORT, 'a recorded settlement keeps its msgid and request for ever'); END;
    CREATE TRIGGER settlement_result_is_fixed BEFORE UPDATE OF centre_setl_id ON settlement WHEN OLD.centre_setl_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the centre result of a settlement is recorded once'); END;
    CREATE TRIGGER settlement_no_delete BEFORE DELETE ON settlement
    BEGIN SELECT RAISE(ABORT, 'settlements are never deleted'); END;

    CREATE TABLE settlement_outbox (
      settlement_id   INTEGER PRIMARY KEY REFERENCES settlement (id),
      state           TEXT NOT NULL CHECK (state IN (${states})),
      sends           INTEGER NOT NULL DEFAULT 0,
      query_failures  INTEGER NOT NULL DEFAULT 0,
      note            TEXT NOT NULL DEFAULT '',
      next_attempt_at INTEGER NOT NULL DEFAULT 0,
      updated_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX settlement_outbox_open ON settlement_outbox (settlement_id) WHERE state NOT IN ('confirmed', 'reversed', 'parked');

    CREATE TRIGGER settlement_outbox_confirmed_has_result BEFORE UPDATE OF state ON settlement_outbox
    WHEN NEW.state = 'confirmed' AND (SELECT centre_setl_id FROM settlement WHERE id = NEW.settlement_id) IS NULL
    BEGIN SELECT RAISE(ABORT, 'an outbox entry cannot be confirmed without the centre result'); END;

    CREATE TABLE settlement_outbox_log (
      id            INTEGER PRIMARY KEY,
      settlement_id INTEGER NOT NULL REFERENCES settlement (id),
      at            TEXT NOT NULL,
      from_state    TEXT NOT NULL,
      to_state      TEXT NOT NULL,
      event         TEXT NOT NULL,
      detail        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX settlement_outbox_log_by_settlement ON settlement_outbox_log (settlement_id, id);
  `);
}
