// The 总部 (headoffice) role: a chain's head office signs in like any operator and sees every
// store's days over the ledger. The role is a CHECK on operator.role, which SQLite cannot alter, so
// the table is rebuilt (create, copy, drop, rename), its rows and columns unchanged. The migration
// runs in a transaction with foreign keys on (they cannot be switched off there), so the rows of
// every table that references operator (sessions, pharmacists, whatever else) are set aside first
// and put back after, and the foreign keys are checked at commit.
import { type Db } from '../db/open';

export function addHeadOfficeRole(db: Db): void {
  // Runs inside the migration's transaction: the references to operator are checked at its commit.
  db.pragma('defer_foreign_keys = ON');
  const children = db.prepare(`SELECT DISTINCT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND f."table" = 'operator' ORDER BY m.name`).pluck().all() as string[];
  children.forEach((table, i) => db.exec(`CREATE TEMP TABLE v15_aside_${i} AS SELECT * FROM "${table}"; DELETE FROM "${table}";`));
  db.exec(`
    CREATE TABLE operator_v15 (
      operator_id TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      role        TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'technician', 'headoffice')),
      pin_hash    TEXT NOT NULL,
      active      INTEGER NOT NULL DEFAULT 1,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at  TEXT NOT NULL,
      pin_change_required INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    INSERT INTO operator_v15 (operator_id, name, role, pin_hash, active, failed_logins, locked_until, created_at, pin_change_required)
      SELECT operator_id, name, role, pin_hash, active, failed_logins, locked_until, created_at, pin_change_required FROM operator;
    DROP TABLE operator;
    ALTER TABLE operator_v15 RENAME TO operator;
  `);
  children.forEach((table, i) => db.exec(`INSERT INTO "${table}" SELECT * FROM temp.v15_aside_${i}; DROP TABLE temp.v15_aside_${i};`));
}
