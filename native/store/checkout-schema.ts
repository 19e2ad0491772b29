// Tables of the checkout/API layer: operators and sessions, POS tokens, idempotency keys and the
// hash-chained settlement journal. Registered as a numbered migration in migrations.ts.
import { type Db } from '../db/open';

export function createCheckoutAccessTables(db: Db): void {
  db.exec(`
    CREATE TABLE operator (
      operator_id TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      role        TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'technician')),
      pin_hash    TEXT NOT NULL,
      active      INTEGER NOT NULL DEFAULT 1,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at  TEXT NOT NULL
    ) STRICT;
    CREATE TABLE operator_session (
      token_hash  TEXT PRIMARY KEY,
      operator_id TEXT NOT NULL REFERENCES operator (operator_id),
      created_at  TEXT NOT NULL,
      expires_at  TEXT NOT NULL
    ) STRICT;
    CREATE TABLE pos_token (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      token_hash  TEXT NOT NULL UNIQUE,
      created_by  TEXT NOT NULL,
      created_at  TEXT NOT NULL,
      revoked_at  TEXT
    ) STRICT;
    CREATE TABLE idempotency_key (
      principal    TEXT NOT NULL,
      key          TEXT NOT NULL,
      route        TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      status_code  INTEGER,
      response_json TEXT,
      created_at   TEXT NOT NULL,
      PRIMARY KEY (principal, key)
    ) STRICT;
    CREATE TABLE journal (
      seq       INTEGER PRIMARY KEY,
      at        TEXT NOT NULL,
      kind      TEXT NOT NULL,
      payload   TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash      TEXT NOT NULL UNIQUE
    ) STRICT;
  `);
}

export function createSaleTables(db: Db): void {
  db.exec(`
    CREATE TABLE sku_mapping (
      sku            TEXT PRIMARY KEY,
      catalogue_code TEXT NOT NULL,
      note           TEXT NOT NULL DEFAULT '',
      updated_at     TEXT NOT NULL,
      updated_by     TEXT NOT NULL
    ) STRICT;
    -- People seen online, so a later offline sale can identify them (with the data's age shown).
    -- The ID number is kept only as a hash for look-up, plus its masked form for display.
    CREATE TABLE person_cache (
      psn_no         TEXT PRIMARY KEY,
      id_number_hash TEXT NOT NULL,
      card_no        TEXT,
      record_json    TEXT NOT NULL,
      as_of          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX person_cache_id ON person_cache (id_number_hash);
    CREATE INDEX person_cache_card ON person_cache (card_no);
    CREATE TABLE sale (
      id             TEXT PRIMARY KEY,
      terminal_id    TEXT NOT NULL,
      operator_id    TEXT NOT NULL,
      created_at     TEXT NOT NULL,
      updated_at     TEXT NOT NULL,
      business_date  TEXT NOT NULL,
      state          TEXT NOT NULL CHECK (state IN ('open', 'presettled', 'settled', 'provisional', 'selfpay', 'refunded', 'cancelled')),
      online         INTEGER NOT NULL,
      psn_no         TEXT,
      person_json    TEXT,
      prescription_json TEXT,
      lines_json     TEXT NOT NULL DEFAULT '[]',
      split_json     TEXT,
      provisional    INTEGER NOT NULL DEFAULT 0,
      settlement_id  TEXT,
      problems_json  TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX sale_day ON sale (business_date, state);
    CREATE INDEX sale_person_day ON sale (psn_no, business_date);
    -- Every box's traceability code is sold once.
    CREATE TABLE trace_code (
      code     TEXT PRIMARY KEY,
      sale_id  TEXT NOT NULL REFERENCES sale (id),
      sku      TEXT NOT NULL,
      split    INTEGER NOT NULL,
      sold_at  TEXT NOT NULL
    ) STRICT;
  `);
}
