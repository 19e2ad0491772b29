// The store database's schema history (store.db, one per terminal's data folder).
// Append only: a released migration is never edited; a change is a new numbered migration.
import { type Migration } from '../db/open';

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
];
