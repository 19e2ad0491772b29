// The sandbox centre's own database (sandbox.db in its data folder): the centre's view of insured
// persons, institutions, the catalogue, every booked settlement and the training e-prescriptions.
// Money is TEXT with two decimals.
import { type Migration } from '../db/open';
import { seedSelfPayRows } from './hilist';
import { seedTrainingDictionary } from './seed';

export const sandboxMigrations: Migration[] = [
  {
    version: 1,
    name: 'sandbox centre',
    up: (db) => db.exec(`
      CREATE TABLE person (
        psn_no          TEXT PRIMARY KEY,
        fixture_id      TEXT NOT NULL UNIQUE,
        certno          TEXT NOT NULL UNIQUE,
        card_no         TEXT NOT NULL UNIQUE,
        card_sn         TEXT NOT NULL,
        ec_token        TEXT NOT NULL UNIQUE,
        psn_name        TEXT NOT NULL,
        gend            TEXT NOT NULL,
        brdy            TEXT NOT NULL,
        insutype        TEXT NOT NULL,
        psn_type        TEXT NOT NULL,
        insuplc_admdvs  TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('active', 'retired')),
        retired_on      TEXT,
        hospitalized    INTEGER NOT NULL CHECK (hospitalized IN (0, 1)),
        suspended       INTEGER NOT NULL CHECK (suspended IN (0, 1)),
        card_generation INTEGER NOT NULL,
        balance         TEXT NOT NULL,
        ytd_year        INTEGER NOT NULL,
        deductible_met  TEXT NOT NULL,
        fund_paid       TEXT NOT NULL,
        emp_name        TEXT NOT NULL,
        note            TEXT NOT NULL
      ) STRICT;
      CREATE TABLE institution (
        code        TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        admdvs      TEXT NOT NULL,
        level       INTEGER CHECK (level IN (1, 2, 3)),
        price_class INTEGER CHECK (price_class IN (1, 2, 3)),
        designated  INTEGER NOT NULL CHECK (designated IN (0, 1)),
        kind        TEXT NOT NULL
      ) STRICT;
      CREATE TABLE catalogue (
        code          TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        list_class    TEXT NOT NULL CHECK (list_class IN ('A', 'B', 'C')),
        selfpay_ratio TEXT,
        limit_price   TEXT,
        kind          TEXT NOT NULL CHECK (kind IN ('drug', 'device', 'consumable', 'other'))
      ) STRICT;
      CREATE TABLE sign_in (
        sign_no        TEXT PRIMARY KEY,
        fixmedins_code TEXT NOT NULL,
        opter_no       TEXT NOT NULL,
        signed_in_at   TEXT NOT NULL,
        signed_out_at  TEXT
      ) STRICT;
      CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
      CREATE TABLE settlement (
        setl_id         TEXT PRIMARY KEY,
        mdtrt_id        TEXT NOT NULL UNIQUE,
        msgid           TEXT NOT NULL UNIQUE,
        fixmedins_code  TEXT NOT NULL,
        psn_no          TEXT NOT NULL REFERENCES person (psn_no),
        request_hash    TEXT NOT NULL,
        output_json     TEXT NOT NULL,
        medfee_sumamt   TEXT NOT NULL,
        fund_pay_sumamt TEXT NOT NULL,
        acct_pay        TEXT NOT NULL,
        psn_cash_pay    TEXT NOT NULL,
        insutype        TEXT NOT NULL,
        clr_optins      TEXT NOT NULL,
        setl_time       TEXT NOT NULL,
        setl_day        TEXT NOT NULL,
        year            INTEGER NOT NULL,
        deductible      TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('settled', 'cancelled', 'reversed'))
      ) STRICT;
      CREATE INDEX settlement_day ON settlement (fixmedins_code, setl_day);
      CREATE TABLE cancellation (
        msgid       TEXT PRIMARY KEY,
        setl_id     TEXT NOT NULL UNIQUE REFERENCES settlement (setl_id),
        output_json TEXT NOT NULL,
        cancelled_at TEXT NOT NULL,
        cancel_day  TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('done', 'reversed'))
      ) STRICT;
      CREATE TABLE reversal (
        omsgid     TEXT PRIMARY KEY,
        oinfno     TEXT NOT NULL,
        msgid      TEXT NOT NULL,
        psn_no     TEXT NOT NULL,
        effect     TEXT NOT NULL CHECK (effect IN ('undone', 'tombstone')),
        reversed_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE file_store (
        file_qury_no   TEXT PRIMARY KEY,
        filename       TEXT NOT NULL,
        fixmedins_code TEXT NOT NULL,
        bytes          BLOB NOT NULL,
        created_at     TEXT NOT NULL
      ) STRICT;
      CREATE TABLE policy_package (
        id           TEXT PRIMARY KEY,
        region       TEXT NOT NULL,
        package_json TEXT NOT NULL,
        published_at TEXT NOT NULL
      ) STRICT;
    `),
  },
  {
    version: 2,
    name: 'training e-prescriptions (7201/7203)',
    // One row per decoded QR: the token 7201 handed out and the prescription 7203 will return for it.
    up: (db) => db.exec(`
      CREATE TABLE eprescription (
        epc_token      TEXT PRIMARY KEY,
        epc_qrcd       TEXT NOT NULL,
        fixmedins_code TEXT NOT NULL,
        psn_no         TEXT NOT NULL REFERENCES person (psn_no),
        issuer_code    TEXT NOT NULL REFERENCES institution (code),
        hi_rxno        TEXT NOT NULL,
        prsc_time      TEXT NOT NULL,
        valid_days     INTEGER NOT NULL,
        items_json     TEXT NOT NULL,
        decoded_at     TEXT NOT NULL
      ) STRICT;
    `),
  },
  {
    version: 3,
    name: 'settlements against an e-prescription (reuse counters)',
    // The hi_rxno a 2102 filled (drugdetail rxno with rx_circ_flag 1), so 7203 can count the fills
    // (reptd_cnt) and 2102 can refuse one more than the prescription allows.
    up: (db) => db.exec(`
      ALTER TABLE settlement ADD COLUMN hi_rxno TEXT;
      CREATE INDEX settlement_by_rx ON settlement (hi_rxno) WHERE hi_rxno IS NOT NULL;
      `),
  },
  {
    version: 4,
    name: 'sales reports (3505/3506) and the packages they traced',
    // One row per accepted sale or return row, keyed like the platform keys them (institution +
    // fixmedins_bchno), and the state of every 追溯码 across all pharmacies the sandbox serves.
    up: (db) => db.exec(`
      CREATE TABLE sales_report_row (
        fixmedins_code TEXT NOT NULL,
        bchno          TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
        setl_id        TEXT NOT NULL,
        row_hash       TEXT NOT NULL,
        row_json       TEXT NOT NULL,
        codes          INTEGER NOT NULL,
        msgid          TEXT NOT NULL,
        repeats        INTEGER NOT NULL DEFAULT 0,
        received_at    TEXT NOT NULL,
        PRIMARY KEY (fixmedins_code, bchno)
      ) STRICT;
      CREATE TABLE traced_package (
        code           TEXT PRIMARY KEY,
        state          TEXT NOT NULL CHECK (state IN ('sold', 'returned')),
        split          INTEGER NOT NULL CHECK (split IN (0, 1)),
        fixmedins_code TEXT NOT NULL,
        bchno          TEXT NOT NULL,
        times_sold     INTEGER NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      CREATE TABLE sales_report_refusal (
        id             INTEGER PRIMARY KEY,
        fixmedins_code TEXT NOT NULL,
        bchno          TEXT NOT NULL,
        infno          TEXT NOT NULL,
        message        TEXT NOT NULL,
        at             TEXT NOT NULL
      ) STRICT;
    `),
  },
  {
    version: 5,
    name: 'catalogue versions (1301/1306) and dictionaries (1901)',
    // Every catalogue row carries the version it was published in, so 1301/1306 with ver answer only
    // newer rows (one version per file). Rows already there become version 1. The dictionary rows
    // are what 1901 answers (training values, see seed.ts).
    up: (db) => {
      db.exec(`
      ALTER TABLE catalogue ADD COLUMN ver INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE catalogue ADD COLUMN vali_flag TEXT NOT NULL DEFAULT '1';
      CREATE INDEX catalogue_by_ver ON catalogue (kind, ver);
      CREATE TABLE dictionary (
        type         TEXT NOT NULL,
        value        TEXT NOT NULL,
        label        TEXT NOT NULL,
        parent_value TEXT NOT NULL DEFAULT '',
        sort         INTEGER NOT NULL,
        vali_flag    TEXT NOT NULL DEFAULT '1',
        version      TEXT NOT NULL,
        PRIMARY KEY (type, value)
      ) STRICT;
    `);
      seedTrainingDictionary(db);
    },
  },
  {
    version: 6,
    name: 'inventory uploads (3501–3504, 3507)',
    // One row per accepted message, keyed by institution + msgid (the batch serial is the stock
    // batch and repeats across uploads); a 3507 marks the rows it deleted.
    up: (db) => db.exec(`
      CREATE TABLE inventory_row (
        fixmedins_code TEXT NOT NULL,
        msgid          TEXT NOT NULL,
        infno          TEXT NOT NULL CHECK (infno IN ('3501', '3502', '3503', '3504', '3507')),
        bchno          TEXT NOT NULL,
        data_type      TEXT NOT NULL,
        row_hash       TEXT NOT NULL,
        row_json       TEXT NOT NULL,
        repeats        INTEGER NOT NULL DEFAULT 0,
        received_at    TEXT NOT NULL,
        deleted_at     TEXT,
        PRIMARY KEY (fixmedins_code, msgid)
      ) STRICT;
      CREATE INDEX inventory_row_batch ON inventory_row (fixmedins_code, bchno, data_type);
      CREATE TABLE inventory_refusal (
        id             INTEGER PRIMARY KEY,
        fixmedins_code TEXT NOT NULL,
        msgid          TEXT NOT NULL,
        infno          TEXT NOT NULL,
        bchno          TEXT NOT NULL,
        message        TEXT NOT NULL,
        at             TEXT NOT NULL
      ) STRICT;
    `),
  },
  {
    version: 7,
    name: 'e-prescriptions by credential (7202), pharmacist reviews (7204) and write-offs (7206)',
    // A 7202 answer is an eprescription row too, keyed by its one-time auth_rxno (kind 'auth'; a
    // 7201 token is kind 'token'); 7203 marks an auth row used. One row per 7204 review and per
    // 7206 write-off (deduplicated by msgid and by the settlement it writes off).
    up: (db) => db.exec(`
      ALTER TABLE eprescription ADD COLUMN kind TEXT NOT NULL DEFAULT 'token' CHECK (kind IN ('token', 'auth'));
      ALTER TABLE eprescription ADD COLUMN used_at TEXT;
      CREATE TABLE eprescription_review (
        id             INTEGER PRIMARY KEY,
        fixmedins_code TEXT NOT NULL,
        hi_rxno        TEXT NOT NULL,
        msgid          TEXT NOT NULL,
        status         TEXT NOT NULL,
        opinion        TEXT NOT NULL,
        phar_name      TEXT NOT NULL,
        reviewed_at    TEXT NOT NULL,
        received_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX eprescription_review_by_rx ON eprescription_review (hi_rxno, fixmedins_code);
      CREATE TABLE eprescription_writeoff (
        id             INTEGER PRIMARY KEY,
        fixmedins_code TEXT NOT NULL,
        hi_rxno        TEXT NOT NULL,
        setl_id        TEXT NOT NULL,
        msgid          TEXT NOT NULL UNIQUE,
        request_hash   TEXT NOT NULL,
        input_json     TEXT NOT NULL,
        repeats        INTEGER NOT NULL DEFAULT 0,
        received_at    TEXT NOT NULL,
        UNIQUE (fixmedins_code, setl_id)
      ) STRICT;
      CREATE INDEX eprescription_writeoff_by_rx ON eprescription_writeoff (hi_rxno);
    `),
  },
  {
    version: 8,
    name: 'hospital revocations of e-prescriptions (7104, played through the training control); reviews keep their input',
    // A revoked prescription is refused at 7203, 2102 and 7206 — the sandbox's rule [U]. The review
    // keeps the message as received so tests can see who reviewed and who re-checked.
    up: (db) => db.exec(`
      CREATE TABLE eprescription_revocation (
        hi_rxno           TEXT PRIMARY KEY,
        prsc_dr_name      TEXT NOT NULL,
        undo_dr_cert_type TEXT NOT NULL,
        undo_dr_certno    TEXT NOT NULL,
        undo_rea          TEXT NOT NULL,
        undo_time         TEXT NOT NULL,
        received_at       TEXT NOT NULL
      ) STRICT;
      ALTER TABLE eprescription_review ADD COLUMN input_json TEXT NOT NULL DEFAULT '{}';
    `),
  },
  {
    version: 9,
    name: '先自付比例 rows (1319) per code and person type',
    // What 1319 answers (native/sandbox/hilist.ts); 1312 answers from the catalogue itself. Rows
    // already in the catalogue give one row each for their 乙类 ratio (training person type TRAIN).
    up: (db) => {
      db.exec(`
      CREATE TABLE catalogue_selfpay (
        rid        TEXT PRIMARY KEY,
        code       TEXT NOT NULL,
        psn_type   TEXT NOT NULL,
        prop_type  TEXT NOT NULL,
        ratio      TEXT NOT NULL,
        begndate   TEXT NOT NULL,
        enddate    TEXT,
        vali_flag  TEXT NOT NULL CHECK (vali_flag IN ('0', '1')),
        updt_time  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX catalogue_selfpay_by_time ON catalogue_selfpay (updt_time, rid);
    `);
      seedSelfPayRows(db);
    },
  },
];
