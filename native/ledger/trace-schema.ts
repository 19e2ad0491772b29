// Store migration 15: the till's sold and freed traceability codes (追溯码) become ledger facts, so
// the store ledger knows every code sold anywhere in the chain (issue 15 item 3). Registered in
// native/store/migrations.ts; once released it is never edited.
//   trace_code_event  one row per change of trace_code (a box sold: 'sold'; its code freed by a
//                     refund or by the centre refusing the sale: 'freed'). Written by triggers on
//                     trace_code, so a code can never be sold or freed without its event, whatever
//                     code path did it; never updated or deleted.
//   ledger_outbox     gains the kind 'trace' (one marker per event, by trigger). SQLite cannot alter
//                     a CHECK, so the table is rebuilt with its rows and its AUTOINCREMENT counter;
//                     the triggers that write to it are dropped first and put back unchanged.
// Codes sold before the migration are queued once as 'sold' events, so a till moved onto a ledger
// uploads the codes it has sold.
import { type Db } from '../db/open';

export function addTraceCodeFacts(db: Db): void {
  const writers = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%ledger_outbox%' ORDER BY name").all() as Array<{ name: string; sql: string }>;
  const counter = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'ledger_outbox'").pluck().get() as number | undefined;
  for (const t of writers) db.exec(`DROP TRIGGER "${t.name}"`);
  db.exec(`
    CREATE TABLE ledger_outbox_rebuilt (
      seq  INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('settlement', 'journal', 'adjustment', 'ack', 'trace')),
      ref  INTEGER NOT NULL,
      at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    INSERT INTO ledger_outbox_rebuilt (seq, kind, ref, at) SELECT seq, kind, ref, at FROM ledger_outbox ORDER BY seq;
    DROP TABLE ledger_outbox;
    ALTER TABLE ledger_outbox_rebuilt RENAME TO ledger_outbox;
  `);
  // The counter never goes back, even past rows that are gone.
  if (counter !== undefined) db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'ledger_outbox'").run(counter);
  for (const t of writers) db.exec(t.sql);
  db.exec(`
    CREATE TABLE trace_code_event (
      id      INTEGER PRIMARY KEY AUTOINCREMENT,
      code    TEXT NOT NULL,
      sale_id TEXT NOT NULL,
      sku     TEXT NOT NULL,
      split   INTEGER NOT NULL CHECK (split IN (0, 1)),
      event   TEXT NOT NULL CHECK (event IN ('sold', 'freed')),
      at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE TRIGGER trace_code_event_no_update BEFORE UPDATE ON trace_code_event
    BEGIN SELECT RAISE(ABORT, 'traceability code events are history and are never updated'); END;
    CREATE TRIGGER trace_code_event_no_delete BEFORE DELETE ON trace_code_event
    BEGIN SELECT RAISE(ABORT, 'traceability code events are history and are never deleted'); END;

    INSERT INTO trace_code_event (code, sale_id, sku, split, event, at) SELECT code, sale_id, sku, split, 'sold', sold_at FROM trace_code ORDER BY sold_at, code;
    INSERT INTO ledger_outbox (kind, ref) SELECT 'trace', id FROM trace_code_event ORDER BY id;

    CREATE TRIGGER trace_code_sold AFTER INSERT ON trace_code
    BEGIN INSERT INTO trace_code_event (code, sale_id, sku, split, event, at) VALUES (NEW.code, NEW.sale_id, NEW.sku, NEW.split, 'sold', NEW.sold_at); END;
    CREATE TRIGGER trace_code_freed AFTER DELETE ON trace_code
    BEGIN INSERT INTO trace_code_event (code, sale_id, sku, split, event) VALUES (OLD.code, OLD.sale_id, OLD.sku, OLD.split, 'freed'); END;
    CREATE TRIGGER ledger_trace_event AFTER INSERT ON trace_code_event
    BEGIN INSERT INTO ledger_outbox (kind, ref) VALUES ('trace', NEW.id); END;
  `);
}
