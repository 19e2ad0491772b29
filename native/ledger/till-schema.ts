// Store migration 9: the till's outbox of ledger facts. Registered in native/store/migrations.ts;
// once released it is never edited.
//   ledger_outbox        one row per change the store ledger must learn about, numbered by this till
//                        (seq). Written by triggers, so every change and its outbox row commit in the
//                        same SQLite transaction: nothing can change without being queued, whatever
//                        code path made the change. The replicator reads the current state of the
//                        referenced row when it pushes (journal lines and adjustments never change;
//                        a settlement's snapshot is at least as new as the change that queued it).
//   ledger_push_state    the highest seq the ledger has confirmed, and this data folder's instance id.
//   ledger_publication_seen  head-office publications applied (or refused) here, with the outcome;
//                        each one's acknowledgement goes to the ledger through the outbox.
// Existing history is queued by the migration itself, so a till with history that is moved onto a
// ledger uploads it once. Without a ledger configured the rows just wait (a few per sale).
import { type Db } from '../db/open';

const marker = (kind: string, ref: string): string => `INSERT INTO ledger_outbox (kind, ref) VALUES ('${kind}', ${ref});`;

export function createTillLedgerTables(db: Db): void {
  db.exec(`
    CREATE TABLE ledger_outbox (
      seq  INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('settlement', 'journal', 'adjustment', 'ack')),
      ref  INTEGER NOT NULL,
      at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;

    CREATE TABLE ledger_push_state (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      pushed_seq  INTEGER NOT NULL,
      instance_id TEXT NOT NULL
    ) STRICT;
    INSERT INTO ledger_push_state (id, pushed_seq, instance_id) VALUES (1, 0, lower(hex(randomblob(16))));
    CREATE TRIGGER ledger_push_state_forward BEFORE UPDATE OF pushed_seq ON ledger_push_state WHEN NEW.pushed_seq < OLD.pushed_seq
    BEGIN SELECT RAISE(ABORT, 'the ledger cursor only moves forward'); END;

    CREATE TABLE ledger_publication_seen (
      publication_id INTEGER PRIMARY KEY,
      kind           TEXT NOT NULL,
      ok             INTEGER NOT NULL CHECK (ok IN (0, 1)),
      message        TEXT NOT NULL,
      applied_at     TEXT NOT NULL
    ) STRICT;

    -- History first, in the order it happened (settlements, then journal lines, then adjustments).
    INSERT INTO ledger_outbox (kind, ref) SELECT 'settlement', id FROM settlement ORDER BY id;
    INSERT INTO ledger_outbox (kind, ref) SELECT 'journal', seq FROM journal ORDER BY seq;
    INSERT INTO ledger_outbox (kind, ref) SELECT 'adjustment', id FROM recon_adjustment ORDER BY id;

    CREATE TRIGGER ledger_settlement_recorded AFTER INSERT ON settlement_outbox
    BEGIN ${marker('settlement', 'NEW.settlement_id')} END;
    CREATE TRIGGER ledger_settlement_moved AFTER UPDATE ON settlement_outbox
    BEGIN ${marker('settlement', 'NEW.settlement_id')} END;
    -- A refund or cancellation changes the sale, not the settlement row: queue its settlements.
    CREATE TRIGGER ledger_sale_state AFTER UPDATE OF state ON sale WHEN NEW.state IS NOT OLD.state
    BEGIN
      -- sale_ref is '<sale id>/<attempt>': a range on its unique index ('0' follows '/'), not a scan.
      INSERT INTO ledger_outbox (kind, ref) SELECT 'settlement', id FROM settlement WHERE sale_ref >= NEW.id || '/' AND sale_ref < NEW.id || '0' ORDER BY id;
    END;
    CREATE TRIGGER ledger_journal_line AFTER INSERT ON journal
    BEGIN ${marker('journal', 'NEW.seq')} END;
    CREATE TRIGGER ledger_refund_line AFTER INSERT ON journal WHEN NEW.kind = 'sale.refunded'
    BEGIN
      INSERT INTO ledger_outbox (kind, ref) SELECT 'settlement', id FROM settlement WHERE centre_setl_id = json_extract(NEW.payload, '$.setlId');
    END;
    CREATE TRIGGER ledger_adjustment_booked AFTER INSERT ON recon_adjustment
    BEGIN ${marker('adjustment', 'NEW.id')} END;
    CREATE TRIGGER ledger_publication_applied AFTER INSERT ON ledger_publication_seen
    BEGIN ${marker('ack', 'NEW.publication_id')} END;
  `);
}
