// Whether an operator still signs in with a PIN someone else chose (the manager who created them,
// or the training defaults). Outside training mode such an operator must set their own PIN first.
import { type Db } from '../db/open';

export function addPinChangeRequired(db: Db): void {
  // Every operator that exists now had their PIN set for them: all of them change it once.
  db.exec('ALTER TABLE operator ADD COLUMN pin_change_required INTEGER NOT NULL DEFAULT 1');
}
