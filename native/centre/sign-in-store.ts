// The daily sign-in book (core/centre/sign-in.ts) in the store database: one row per 9001, so a
// restarted till reuses the operator's sign_no of the day instead of signing in again, and the
// technician can see who signed in when. Table created by store migration 7 (createSignInTables).
import { type SignInBook } from '../../core/centre/sign-in';
import { statement, type Db } from '../db/open';

export function createSignInTables(db: Db): void {
  db.exec(`
    CREATE TABLE centre_sign_in (
      sign_no      TEXT PRIMARY KEY,
      opter        TEXT NOT NULL,
      day          TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      signed_in_at TEXT NOT NULL,
      ended_at     TEXT,
      ended_why    TEXT CHECK (ended_why IS NULL OR ended_why IN ('signed_out', 'stale')),
      CHECK ((ended_at IS NULL) = (ended_why IS NULL))
    ) STRICT;
    CREATE INDEX centre_sign_in_live ON centre_sign_in (opter, day) WHERE ended_at IS NULL;
  `);
}

export interface SignInRow {
  readonly signNo: string; readonly opter: string; readonly day: string; readonly signedInAt: string;
  readonly endedAt: string | null; readonly endedWhy: 'signed_out' | 'stale' | null;
}

export class SqliteSignInBook implements SignInBook {
  constructor(private readonly db: Db) {}

  current(opter: string, day: string): string | null {
    const row = statement(this.db, 'SELECT sign_no FROM centre_sign_in WHERE opter = ? AND day = ? AND ended_at IS NULL ORDER BY signed_in_at DESC LIMIT 1').get(opter, day) as { sign_no: string } | undefined;
    return row?.sign_no ?? null;
  }

  signedIn(entry: { opter: string; day: string; signNo: string; at: string }): void {
    this.db.transaction(() => {
      // One live sign-in per operator and day: a newer one supersedes what is left of an older one.
      statement(this.db, "UPDATE centre_sign_in SET ended_at = ?, ended_why = 'stale' WHERE opter = ? AND day = ? AND ended_at IS NULL").run(entry.at, entry.opter, entry.day);
      statement(this.db, 'INSERT OR IGNORE INTO centre_sign_in (sign_no, opter, day, signed_in_at) VALUES (?, ?, ?, ?)').run(entry.signNo, entry.opter, entry.day, entry.at);
    })();
  }

  ended(signNo: string, at: string, why: 'signed_out' | 'stale'): void {
    statement(this.db, 'UPDATE centre_sign_in SET ended_at = ?, ended_why = ? WHERE sign_no = ? AND ended_at IS NULL').run(at, why, signNo);
  }

  /** The latest sign-ins, newest first (technician's view, tests). */
  recent(limit = 20): SignInRow[] {
    return (statement(this.db, 'SELECT * FROM centre_sign_in ORDER BY signed_in_at DESC, rowid DESC LIMIT ?').all(limit) as Array<{ sign_no: string; opter: string; day: string; signed_in_at: string; ended_at: string | null; ended_why: 'signed_out' | 'stale' | null }>)
      .map((r) => ({ signNo: r.sign_no, opter: r.opter, day: r.day, signedInAt: r.signed_in_at, endedAt: r.ended_at, endedWhy: r.ended_why }));
  }
}
