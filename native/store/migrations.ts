// The store database's schema history (store.db, one per terminal's data folder).
// Append only: a released migration is never edited; a change is a new numbered migration.
import { createCatalogueTables } from '../catalogue/schema';
import { createHilistTables } from '../catalogue/hilist-schema';
import { createSignInTables } from '../centre/sign-in-store';
import { type Migration } from '../db/open';
import { createReconciliationTables } from '../reconcile/schema';
import { dropUnusedOutboxIndex } from '../reconcile/outbox-index-schema';
import { createSettlementTables } from '../sync/schema';
import { createInventoryUploadTables } from '../trace-report/inventory-schema';
import { createWriteOffTables } from '../trace-report/writeoff-schema';
import { createSalesReportTables } from '../trace-report/schema';
import { createCheckoutAccessTables, createSaleTables } from './checkout-schema';
import { addPinChangeRequired } from './pin-change-schema';
import { addHeadOfficeRole } from './headoffice-role-schema';
import { createTillLedgerTables } from '../ledger/till-schema';
import { addTraceCodeFacts } from '../ledger/trace-schema';
import { addEprescriptionPeople } from '../trace-report/eprescription-people-schema';

export const storeMigrations: Migration[] = [
  {
    version: 1,
    name: 'terminal settings',
    up: (db) => db.exec(`
      CREATE TABLE terminal_setting (
        terminal_id TEXT NOT NULL,
        key         TEXT NOT NULL,
        value_json  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (terminal_id, key)
      ) STRICT;
    `),
  },
  {
    version: 2,
    name: 'policy store: regions, policy versions, institutions, catalogue',
    // Policy versions are history: once stored they are never updated or deleted (triggers refuse it).
    // Money and ratios are TEXT decimal strings, never REAL.
    up: (db) => db.exec(`
      CREATE TABLE policy_region (
        code  TEXT PRIMARY KEY CHECK (length(code) = 6 AND code NOT GLOB '*[^0-9]*'),
        name  TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('city', 'province'))
      ) STRICT;

      CREATE TABLE policy_version (
        id              TEXT PRIMARY KEY,
        seq             INTEGER NOT NULL UNIQUE,
        region_code     TEXT NOT NULL REFERENCES policy_region (code),
        document        TEXT NOT NULL,
        draft           INTEGER NOT NULL CHECK (draft IN (0, 1)),
        from_known      INTEGER NOT NULL CHECK (from_known IN (0, 1)),
        effective_from  TEXT CHECK (effective_from IS NULL OR from_known = 1),
        to_known        INTEGER NOT NULL CHECK (to_known IN (0, 1)),
        effective_to    TEXT CHECK (effective_to IS NULL OR to_known = 1),
        package_json    TEXT NOT NULL,
        provenance_json TEXT NOT NULL,
        origin          TEXT NOT NULL,
        imported_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX policy_version_by_region ON policy_version (region_code, effective_from);
      CREATE TRIGGER policy_version_no_update BEFORE UPDATE ON policy_version
        BEGIN SELECT RAISE(ABORT, 'policy versions are history and are never updated'); END;
      CREATE TRIGGER policy_version_no_delete BEFORE DELETE ON policy_version
        BEGIN SELECT RAISE(ABORT, 'policy versions are history and are never deleted'); END;

      CREATE TABLE institution (
        code        TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        region_code TEXT NOT NULL CHECK (length(region_code) = 6 AND region_code NOT GLOB '*[^0-9]*'),
        level       INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
        price_class INTEGER CHECK (price_class IN (1, 2, 3)),
        designated  INTEGER NOT NULL CHECK (designated IN (0, 1)),
        training    INTEGER NOT NULL CHECK (training IN (0, 1))
      ) STRICT;
      CREATE INDEX institution_by_region ON institution (region_code);

      CREATE TABLE catalogue_item (
        code           TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        list_class     TEXT NOT NULL CHECK (list_class IN ('A', 'B', 'C')),
        self_pay_ratio TEXT,
        limit_price    TEXT,
        kind           TEXT NOT NULL CHECK (kind IN ('drug', 'device', 'consumable', 'other')),
        training       INTEGER NOT NULL CHECK (training IN (0, 1))
      ) STRICT;
    `),
  },
  {
    version: 3,
    name: 'settlements, their sync outbox and the msgid sequence',
    // Defined in native/sync/schema.ts next to the code that uses it.
    up: (db) => createSettlementTables(db),
  },
  {
    version: 4,
    name: 'checkout: operators, POS tokens, idempotency keys, journal, sales, SKU mapping, person cache, traceability codes',
    up: (db) => { createCheckoutAccessTables(db); createSaleTables(db); },
  },
  {
    version: 5,
    name: 'reconciliation: checks, closed days and their locked entries, discrepancies, adjustments',
    // Defined in native/reconcile/schema.ts next to the code that uses it.
    up: (db) => createReconciliationTables(db),
  },
  {
    version: 6,
    name: 'sale refunds: the 2103 msgid is persisted before it is sent',
    // A refund interrupted by a crash is sent again under the same msgid (the centre answers a repeat
    // with the first result), so the store and the centre cannot disagree about it.
    up: (db) => db.exec(`
      ALTER TABLE sale ADD COLUMN refund_msgid TEXT;
      ALTER TABLE sale ADD COLUMN refund_reason TEXT;
      CREATE INDEX sale_refund_pending ON sale (refund_msgid) WHERE refund_msgid IS NOT NULL AND state NOT IN ('refunded', 'cancelled');
    `),
  },
  {
    version: 7,
    name: 'daily centre sign-in (9001/9002) per operator',
    // Defined in native/centre/sign-in-store.ts next to the code that uses it.
    up: (db) => createSignInTables(db),
  },
  {
    version: 8,
    name: 'operators: a PIN set by someone else must be changed at first sign-in (outside training)',
    // Defined in native/store/pin-change-schema.ts next to the code that uses it.
    up: (db) => addPinChangeRequired(db),
  },
  {
    version: 9,
    name: 'store ledger: the till\'s outbox of ledger facts (filled by triggers, history queued once)',
    // Defined in native/ledger/till-schema.ts next to the code that uses it.
    up: (db) => createTillLedgerTables(db),
  },
  {
    version: 10,
    name: 'sales reports (3505/3506) with their traceability codes, returned codes, pharmacist per operator',
    // Defined in native/trace-report/schema.ts next to the code that uses it.
    up: (db) => createSalesReportTables(db),
  },
  {
    version: 11,
    name: 'downloaded catalogues (1301/1306) with their version and last download, dictionaries (1901)',
    // Defined in native/catalogue/schema.ts next to the code that uses it.
    up: (db) => createCatalogueTables(db),
  },
  {
    version: 12,
    name: 'inventory uploads (3501–3504, 3507) under the POS\'s key, their log and calls',
    // Defined in native/trace-report/inventory-schema.ts next to the code that uses it.
    up: (db) => createInventoryUploadTables(db),
  },
  {
    version: 13,
    name: 'e-prescription write-offs (7206) queued after the settlement, sent once under a persisted msgid',
    // Defined in native/trace-report/writeoff-schema.ts next to the code that uses it.
    up: (db) => createWriteOffTables(db),
  },
  {
    version: 14,
    name: 'operators: the 总部 (headoffice) role',
    // Defined in native/store/headoffice-role-schema.ts next to the code that uses it.
    up: (db) => addHeadOfficeRole(db),
  },
  {
    version: 15,
    name: 'ledger: sold and freed traceability codes as till facts',
    // Defined in native/ledger/trace-schema.ts next to the till's ledger outbox.
    up: (db) => addTraceCodeFacts(db),
  },
  {
    version: 16,
    name: 'e-prescription: the pharmacist\'s ID (证件类型/号码), the default 复核药师, write-offs held for missing local data',
    // Defined in native/trace-report/eprescription-people-schema.ts next to the code that uses it.
    up: (db) => addEprescriptionPeople(db),
  },
  {
    version: 17,
    name: 'catalogue queries 1312 (class) and 1319 (先自付比例): rows by rid, cursor and last download',
    // Defined in native/catalogue/hilist-schema.ts next to the code that uses it.
    up: (db) => createHilistTables(db),
  },
  {
    version: 18,
    name: 'settle commit: drop recon_outbox_by_updated_at, an index no query plan reads',
    // Defined in native/reconcile/outbox-index-schema.ts next to the reconciliation schema.
    up: (db) => dropUnusedOutboxIndex(db),
  },
];
