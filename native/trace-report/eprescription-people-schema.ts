// Store migration 16: what the e-prescription path needs to know about people and about its own
// missing data. Registered in native/store/migrations.ts; never edited once released.
//   operator_pharmacist gains the pharmacist's 证件类型 / 证件号码 (7204/7206 phar_cert_type /
//                       phar_certno; S1 binzhe12123/Medical CFZX/CFSH7204.cs, CFHX7206.cs). Empty
//                       = not set. The ID number is personal data: only the manager/technician
//                       routes read it; lists mask it.
//   eprescription_recheck the store's default 复核药师 (7204 rchk_phar_*): one row, an operator with a
//                       pharmacist setting, or none. The review dialog may pick another.
//   eprescription_writeoff.held_for  a write-off that cannot be sent because OUR data is missing
//                       (a pharmacist setting, an edition-required catalogue detail): the field it
//                       waits for. Such a row is not retried on a timer; it is released when the
//                       setting changes or on the manager's 重试. NULL = not held.
import { type Db } from '../db/open';

export function addEprescriptionPeople(db: Db): void {
  db.exec(`
    ALTER TABLE operator_pharmacist ADD COLUMN id_cert_type TEXT NOT NULL DEFAULT '' CHECK (id_cert_type IN ('', '01'));
    ALTER TABLE operator_pharmacist ADD COLUMN id_cert_no TEXT NOT NULL DEFAULT '' CHECK (length(id_cert_no) <= 50);

    CREATE TABLE eprescription_recheck (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      operator_id TEXT REFERENCES operator (operator_id),
      updated_at  TEXT NOT NULL
    ) STRICT;

    ALTER TABLE eprescription_writeoff ADD COLUMN held_for TEXT;
  `);
}
