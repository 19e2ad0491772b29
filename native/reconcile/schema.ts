// Store migration 5: reconciliation. Registered in native/store/migrations.ts; once released it is
// never edited (a change is a new migration).
//   recon_check        every 3201/3202 run for a business date, with its groups and detail rows
//   recon_day          a closed day (absent = open). Closing is final: triggers refuse update/delete
//   recon_entry        the lines a day was closed with; locked for ever (triggers)
//   recon_discrepancy  what a check found; a resolved one never changes again (trigger)
//   recon_adjustment   ledger lines a resolution booked (the centre's version); never changed
// and indexes on tables of other modules (read-only use), so a day's settlements and what changed
// since a close are found without scanning the whole history: settlements by the centre's day
// (setl_time), by recording and confirmation time, outbox entries by their last change, and the
// journal's refund lines by the settlement they refund.
// Money is TEXT with two decimals. Patients appear only masked (patient_json), never in full.
import { type Db } from '../db/open';
import { CENTRE_CHECK_RESULTS, DISCREPANCY_KINDS, ENTRY_KINDS, ENTRY_STATUSES, RESOLUTION_ACTIONS } from '../../core/contracts/reconciliation';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
const DAY = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";
const EFFECTS = ['settlement', 'remove', 'refund', 'unrefund', 'amounts'];

/** The centre's settlement day of a confirmed settlement, as indexed (queries must use the same text). */
export const SETTLEMENT_CENTRE_DAY = "substr(json_extract(centre_output_json, '$.setlinfo.setl_time'), 1, 10)";
/** The settlement a journal 'sale.refunded' line refunds, as indexed. */
export const REFUNDED_SETL_ID = "json_extract(payload, '$.setlId')";

export function createReconciliationTables(db: Db): void {
  db.exec(`
    CREATE TABLE recon_check (
      id             INTEGER PRIMARY KEY,
      date           TEXT NOT NULL CHECK (date ${DAY}),
      at             TEXT NOT NULL,
      by             TEXT NOT NULL,
      result         TEXT NOT NULL CHECK (result IN (${list(CENTRE_CHECK_RESULTS)})),
      detail_checked INTEGER NOT NULL CHECK (detail_checked IN (0, 1)),
      message        TEXT NOT NULL,
      groups_json    TEXT NOT NULL,
      detail_json    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX recon_check_by_date ON recon_check (date, id);

    CREATE TABLE recon_day (
      date        TEXT PRIMARY KEY CHECK (date ${DAY}),
      closed_at   TEXT NOT NULL,
      closed_by   TEXT NOT NULL,
      note        TEXT NOT NULL,
      check_id    INTEGER REFERENCES recon_check (id),
      totals_json TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER recon_day_no_update BEFORE UPDATE ON recon_day
    BEGIN SELECT RAISE(ABORT, 'a closed day stays closed: its record is never changed'); END;
    CREATE TRIGGER recon_day_no_delete BEFORE DELETE ON recon_day
    BEGIN SELECT RAISE(ABORT, 'a closed day stays closed: its record is never deleted'); END;

    CREATE TABLE recon_entry (
      id           INTEGER PRIMARY KEY,
      date         TEXT NOT NULL REFERENCES recon_day (date),
      entry_id     TEXT NOT NULL,
      fact_key     TEXT NOT NULL,
      kind         TEXT NOT NULL CHECK (kind IN (${list(ENTRY_KINDS)})),
      status       TEXT NOT NULL CHECK (status IN (${list(ENTRY_STATUSES)})),
      belongs_to   TEXT CHECK (belongs_to IS NULL OR belongs_to ${DAY}),
      at           TEXT NOT NULL,
      insutype     TEXT NOT NULL,
      clr_type     TEXT NOT NULL,
      setl_optins  TEXT NOT NULL,
      sale_id      TEXT,
      msgid        TEXT,
      setl_id      TEXT,
      patient_json TEXT,
      count        INTEGER NOT NULL,
      medfee       TEXT NOT NULL,
      fund         TEXT NOT NULL,
      account      TEXT NOT NULL,
      cash         TEXT NOT NULL,
      note         TEXT NOT NULL,
      UNIQUE (date, entry_id)
    ) STRICT;
    CREATE INDEX recon_entry_by_key ON recon_entry (fact_key);
    CREATE TRIGGER recon_entry_no_update BEFORE UPDATE ON recon_entry
    BEGIN SELECT RAISE(ABORT, 'entries of a closed day are locked'); END;
    CREATE TRIGGER recon_entry_no_delete BEFORE DELETE ON recon_entry
    BEGIN SELECT RAISE(ABORT, 'entries of a closed day are locked'); END;
    CREATE TRIGGER recon_entry_only_closed BEFORE INSERT ON recon_entry
    WHEN (SELECT closed_at FROM recon_day WHERE date = NEW.date) IS NULL
    BEGIN SELECT RAISE(ABORT, 'entries are locked only into a closed day'); END;

    CREATE TABLE recon_discrepancy (
      id          TEXT PRIMARY KEY,
      date        TEXT NOT NULL CHECK (date ${DAY}),
      kind        TEXT NOT NULL CHECK (kind IN (${list(DISCREPANCY_KINDS)})),
      subject     TEXT NOT NULL,
      facts_json  TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
      found_at    TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      action      TEXT CHECK (action IS NULL OR action IN (${list(RESOLUTION_ACTIONS)})),
      resolved_by TEXT,
      resolved_at TEXT,
      reason      TEXT,
      amount      TEXT,
      detail      TEXT,
      booked_on   TEXT,
      CHECK ((status = 'resolved') = (action IS NOT NULL)),
      CHECK ((action IS NULL) = (resolved_at IS NULL))
    ) STRICT;
    CREATE INDEX recon_discrepancy_by_date ON recon_discrepancy (date, status);
    CREATE TRIGGER recon_discrepancy_resolved_is_final BEFORE UPDATE ON recon_discrepancy WHEN OLD.status = 'resolved'
    BEGIN SELECT RAISE(ABORT, 'a resolved discrepancy is never changed'); END;
    CREATE TRIGGER recon_discrepancy_resolved_kept BEFORE DELETE ON recon_discrepancy WHEN OLD.status = 'resolved'
    BEGIN SELECT RAISE(ABORT, 'a resolved discrepancy is never deleted'); END;

    CREATE TABLE recon_adjustment (
      id             INTEGER PRIMARY KEY,
      discrepancy_id TEXT NOT NULL REFERENCES recon_discrepancy (id),
      effect         TEXT NOT NULL CHECK (effect IN (${list(EFFECTS)})),
      day            TEXT NOT NULL CHECK (day ${DAY}),
      centre_day     TEXT NOT NULL CHECK (centre_day ${DAY}),
      at             TEXT NOT NULL,
      insutype       TEXT NOT NULL,
      clr_type       TEXT NOT NULL,
      setl_optins    TEXT NOT NULL,
      sale_id        TEXT,
      msgid          TEXT,
      setl_id        TEXT,
      mdtrt_id       TEXT,
      psn_no         TEXT,
      patient_json   TEXT,
      count          INTEGER NOT NULL,
      medfee         TEXT NOT NULL,
      fund           TEXT NOT NULL,
      account        TEXT NOT NULL,
      cash           TEXT NOT NULL,
      note           TEXT NOT NULL
    ) STRICT;
    CREATE INDEX recon_adjustment_by_day ON recon_adjustment (day);
    CREATE INDEX recon_adjustment_by_centre_day ON recon_adjustment (centre_day);
    CREATE TRIGGER recon_adjustment_no_update BEFORE UPDATE ON recon_adjustment
    BEGIN SELECT RAISE(ABORT, 'booked adjustments are never changed'); END;
    CREATE TRIGGER recon_adjustment_no_delete BEFORE DELETE ON recon_adjustment
    BEGIN SELECT RAISE(ABORT, 'booked adjustments are never deleted'); END;

    CREATE INDEX recon_settlement_by_centre_day ON settlement (${SETTLEMENT_CENTRE_DAY}) WHERE centre_setl_id IS NOT NULL;
    CREATE INDEX recon_settlement_by_recorded_at ON settlement (recorded_at);
    CREATE INDEX recon_settlement_by_confirmed_at ON settlement (confirmed_at) WHERE confirmed_at IS NOT NULL;
    CREATE INDEX recon_outbox_by_updated_at ON settlement_outbox (updated_at);
    CREATE INDEX recon_journal_refunds ON journal (${REFUNDED_SETL_ID}) WHERE kind = 'sale.refunded';
  `);
}
