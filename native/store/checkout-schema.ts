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
