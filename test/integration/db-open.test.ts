import { describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseTooNewError, openDatabase, type Migration } from '../../native/db/open';

const migrations: Migration[] = [
  { version: 1, name: 'items', up: (db) => db.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)') },
  { version: 2, name: 'item price', up: (db) => db.exec("ALTER TABLE item ADD COLUMN price TEXT NOT NULL DEFAULT '0.00'") },
];

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), 'ybjs-db-')), 'store.db');

describe('openDatabase', () => {
  test('applies numbered migrations once, in WAL with foreign keys on', () => {
    const path = tempDb();
    const db = openDatabase(path, migrations);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.prepare('INSERT INTO item (name, price) VALUES (?, ?)').run('a', '1.00');
    db.close();
    const again = openDatabase(path, migrations);
    expect(again.prepare('SELECT count(*) AS n FROM item').get()).toEqual({ n: 1 });
    again.close();
  });

  test('upgrades an older database step by step', () => {
    const path = tempDb();
    openDatabase(path, migrations.slice(0, 1)).close();
    const db = openDatabase(path, migrations);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  test('refuses a database newer than the code, and leaves it untouched', () => {
    const path = tempDb();
    openDatabase(path, migrations).close();
    expect(() => openDatabase(path, migrations.slice(0, 1))).toThrow(DatabaseTooNewError);
    const db = openDatabase(path, migrations);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  test('a failing migration rolls back and keeps the previous version', () => {
    const path = tempDb();
    openDatabase(path, migrations.slice(0, 1)).close();
    const broken: Migration[] = [migrations[0]!, { version: 2, name: 'broken', up: (db) => { db.exec('CREATE TABLE t2 (x)'); throw new Error('boom'); } }];
    expect(() => openDatabase(path, broken)).toThrow('boom');
    const db = openDatabase(path, migrations.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't2'").get()).toBeUndefined();
    db.close();
  });

  test('rejects a migration list with a gap', () => {
    expect(() => openDatabase(tempDb(), [migrations[1]!])).toThrow(/expected 1/);
  });
});
