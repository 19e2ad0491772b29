// The store ledger's PostgreSQL schema, versioned like the SQLite stores: numbered migrations, the
// version in ledger_meta, applied by the app under an advisory lock (several tills may start at
// once), and a ledger written by a newer app refused. Append only: a released migration is never
// edited.
//   ledger_meta        one row: schema version, whether this is one store's ledger or a chain's
//   ledger_store       the pharmacies (定点编码) whose tills may push here
//   ledger_till        every till of every store: its data folder's instance id, the highest
//                      sequence applied (the exactly-once cursor), what it still has to push
//   ledger_fact        every fact exactly as pushed, keyed by store + till + seq (never changed)
//   ledger_settlement  the latest snapshot of each settlement (a projection of the facts), with
//                      the columns reconciliation and head office select on
//   ledger_adjustment  reconciliation adjustments the tills booked
//   ledger_day_close   a store's closed day: one row per store and day, so only one close can win
//   ledger_check       each store-wide 3201/3202 run
//   ledger_discrepancy what a store-wide check found, naming till and sale
//   ledger_publication / ledger_publication_ack  head office's signed policy packages and SKU
//                      mapping changes, and which till applied each
//   ledger_resolution  (v2) a manager's resolution of a store-level discrepancy, for the till that
//                      owns the settlement to carry out: one row per store, day, discrepancy and
//                      action (the idempotency key), pending until that till writes its result;
//                      (v4) claimed by the till (running) before it acts, withdrawn by the day's close
//   ledger_trace_code  (v3) every traceability code (追溯码) sold by every till of every store: one
//                      row per store, till, code and sale, returned_at set when that till freed it
//                      (a refund, or the centre refusing the sale); the basket asks it whether a
//                      code is sold elsewhere in the chain (index on code, unreturned only)
// Money is numeric(14,2), never float.

export interface LedgerMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const LEDGER_MIGRATIONS: readonly LedgerMigration[] = [
  {
    version: 1,
    name: 'stores, tills, facts, settlement projection, store days, publications',
    sql: `
      CREATE TABLE ledger_meta (
        id             integer PRIMARY KEY CHECK (id = 1),
        schema_version integer NOT NULL,
        kind           text NOT NULL CHECK (kind IN ('store', 'chain')),
        name           text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ledger_store (
        fixmedins_code text PRIMARY KEY,
        name           text NOT NULL,
        area_code      text NOT NULL,
        added_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ledger_till (
        fixmedins_code text NOT NULL REFERENCES ledger_store,
        till_id        text NOT NULL,
        instance_id    text NOT NULL,
        registered_at  timestamptz NOT NULL DEFAULT now(),
        last_push_at   timestamptz,
        applied_seq    bigint NOT NULL DEFAULT 0,
        pending        bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (fixmedins_code, till_id)
      );
      CREATE TABLE ledger_fact (
        fixmedins_code text NOT NULL,
        till_id        text NOT NULL,
        seq            bigint NOT NULL,
        kind           text NOT NULL CHECK (kind IN ('settlement', 'journal', 'adjustment', 'ack')),
        at             timestamptz NOT NULL,
        body           jsonb NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (fixmedins_code, till_id, seq),
        FOREIGN KEY (fixmedins_code, till_id) REFERENCES ledger_till
      );
      CREATE TABLE ledger_settlement (
        fixmedins_code text NOT NULL,
        till_id        text NOT NULL,
        settlement_id  bigint NOT NULL,
        msgid          text NOT NULL,
        sale_id        text,
        sale_day       date NOT NULL,
        centre_day     date,
        refund_day     date,
        outbox_state   text NOT NULL,
        live           boolean NOT NULL,
        prov_total     numeric(14,2) NOT NULL,
        prov_fund      numeric(14,2) NOT NULL,
        prov_account   numeric(14,2) NOT NULL,
        centre_medfee  numeric(14,2),
        source         jsonb NOT NULL,
        seq            bigint NOT NULL,
        PRIMARY KEY (fixmedins_code, till_id, settlement_id),
        FOREIGN KEY (fixmedins_code, till_id) REFERENCES ledger_till
      );
      CREATE UNIQUE INDEX ledger_settlement_msgid ON ledger_settlement (fixmedins_code, msgid);
      CREATE INDEX ledger_settlement_sale_day ON ledger_settlement (fixmedins_code, sale_day);
      CREATE INDEX ledger_settlement_centre_day ON ledger_settlement (fixmedins_code, centre_day);
      CREATE INDEX ledger_settlement_refund_day ON ledger_settlement (fixmedins_code, refund_day) WHERE refund_day IS NOT NULL;
      CREATE INDEX ledger_settlement_live ON ledger_settlement (fixmedins_code) WHERE live;
      CREATE TABLE ledger_adjustment (
        fixmedins_code text NOT NULL,
        till_id        text NOT NULL,
        adjustment_id  bigint NOT NULL,
        day            date NOT NULL,
        centre_day     date NOT NULL,
        source         jsonb NOT NULL,
        seq            bigint NOT NULL,
        PRIMARY KEY (fixmedins_code, till_id, adjustment_id)
      );
      CREATE INDEX ledger_adjustment_days ON ledger_adjustment (fixmedins_code, centre_day);
      CREATE TABLE ledger_day_close (
        fixmedins_code text NOT NULL REFERENCES ledger_store,
        date           date NOT NULL,
        closed_at      timestamptz NOT NULL DEFAULT now(),
        closed_by      text NOT NULL,
        closed_from    text NOT NULL,
        result         text NOT NULL,
        acknowledged   boolean NOT NULL,
        totals         jsonb NOT NULL,
        entries        jsonb NOT NULL,
        PRIMARY KEY (fixmedins_code, date)
      );
      CREATE TABLE ledger_check (
        id             bigserial PRIMARY KEY,
        fixmedins_code text NOT NULL REFERENCES ledger_store,
        date           date NOT NULL,
        at             timestamptz NOT NULL DEFAULT now(),
        by_whom        text NOT NULL,
        from_till      text NOT NULL,
        result         text NOT NULL,
        message        text NOT NULL,
        groups         jsonb NOT NULL,
        detail         jsonb NOT NULL
      );
      CREATE INDEX ledger_check_day ON ledger_check (fixmedins_code, date, id);
      CREATE TABLE ledger_discrepancy (
        fixmedins_code text NOT NULL REFERENCES ledger_store,
        id             text NOT NULL,
        date           date NOT NULL,
        kind           text NOT NULL,
        till_id        text,
        sale_id        text,
        msgid          text,
        status         text NOT NULL CHECK (status IN ('open', 'resolved')),
        facts          jsonb NOT NULL,
        found_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (fixmedins_code, id)
      );
      CREATE INDEX ledger_discrepancy_open ON ledger_discrepancy (fixmedins_code, date) WHERE status = 'open';
      CREATE TABLE ledger_publication (
        id             bigserial PRIMARY KEY,
        scope          text REFERENCES ledger_store,
        kind           text NOT NULL CHECK (kind IN ('policy_package', 'sku_mapping')),
        payload        jsonb NOT NULL,
        published_at   timestamptz NOT NULL DEFAULT now(),
        published_by   text NOT NULL
      );
      CREATE TABLE ledger_publication_ack (
        publication_id bigint NOT NULL REFERENCES ledger_publication,
        fixmedins_code text NOT NULL,
        till_id        text NOT NULL,
        ok             boolean NOT NULL,
        message        text NOT NULL,
        acked_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (publication_id, fixmedins_code, till_id)
      );
    `,
  },
  {
    version: 2,
    name: 'resolution requests carried out by the owning till',
    sql: `
      CREATE TABLE ledger_resolution (
        fixmedins_code text NOT NULL REFERENCES ledger_store,
        date           date NOT NULL,
        discrepancy_id text NOT NULL,
        action         text NOT NULL,
        till_id        text NOT NULL,
        reason         text NOT NULL,
        facts          jsonb NOT NULL,
        requested_by   text NOT NULL,
        requested_from text NOT NULL,
        requested_at   timestamptz NOT NULL DEFAULT now(),
        status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'refused')),
        attempts       integer NOT NULL DEFAULT 0,
        note           text NOT NULL DEFAULT '',
        result         jsonb,
        done_at        timestamptz,
        PRIMARY KEY (fixmedins_code, date, discrepancy_id, action),
        FOREIGN KEY (fixmedins_code, till_id) REFERENCES ledger_till
      );
      CREATE INDEX ledger_resolution_pending ON ledger_resolution (fixmedins_code, till_id) WHERE status = 'pending';
    `,
  },
  {
    version: 3,
    name: 'traceability codes sold across the chain',
    sql: `
      ALTER TABLE ledger_fact DROP CONSTRAINT ledger_fact_kind_check;
      ALTER TABLE ledger_fact ADD CONSTRAINT ledger_fact_kind_check CHECK (kind IN ('settlement', 'journal', 'adjustment', 'ack', 'trace'));
      CREATE TABLE ledger_trace_code (
        fixmedins_code text NOT NULL,
        till_id        text NOT NULL,
        code           text NOT NULL,
        sale_id        text NOT NULL,
        sku            text NOT NULL,
        split          boolean NOT NULL,
        sold_at        timestamptz NOT NULL,
        returned_at    timestamptz,
        seq            bigint NOT NULL,
        PRIMARY KEY (fixmedins_code, till_id, code, sale_id),
        FOREIGN KEY (fixmedins_code, till_id) REFERENCES ledger_till
      );
      CREATE INDEX ledger_trace_code_unreturned ON ledger_trace_code (code) WHERE returned_at IS NULL;
    `,
  },
  {
    version: 4,
    name: 'resolution requests claimed before they are carried out, withdrawn when the day closes',
    sql: `
      ALTER TABLE ledger_resolution DROP CONSTRAINT ledger_resolution_status_check;
      ALTER TABLE ledger_resolution ADD CONSTRAINT ledger_resolution_status_check CHECK (status IN ('pending', 'running', 'done', 'refused', 'withdrawn'));
      ALTER TABLE ledger_resolution ADD COLUMN claimed_at timestamptz;
    `,
  },
];

export const LEDGER_SCHEMA_VERSION = LEDGER_MIGRATIONS.length;
