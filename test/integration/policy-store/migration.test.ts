// Migration 2 (policy store) on a real file: upgrades a version-1 database keeping its settings, and a
// database newer than the code is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { z } from 'zod';
import { DatabaseTooNewError, openDatabase } from '../../../native/db/open';
import { openPolicyStore } from '../../../native/policy-store/store';
import { storeMigrations } from '../../../native/store/migrations';
import { SettingsStore } from '../../../native/store/settings';

const dir = mkdtempSync(join(tmpdir(), 'ybjs-policy-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a version-1 store database gains the policy tables and keeps its settings', () => {
  const path = join(dir, 'v1.db');
  const v1 = openDatabase(path, storeMigrations.slice(0, 1));
  new SettingsStore(v1).set('T1', 'reader', z.string(), 'COM3');
  expect(v1.pragma('user_version', { simple: true })).toBe(1);
  v1.close();

  const { store } = openPolicyStore(path);
  expect(store.db.pragma('user_version', { simple: true })).toBe(storeMigrations.length);
  expect(new SettingsStore(store.db).get('T1', 'reader', z.string())).toBe('COM3');
  const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
  expect(tables).toEqual(expect.arrayContaining(['catalogue_item', 'institution', 'policy_region', 'policy_version', 'terminal_setting']));
  expect(store.versions()).toHaveLength(5);
  store.db.close();
});

it('migration 2 is numbered 2 and the list has no gaps', () => {
  expect(storeMigrations[1]).toMatchObject({ version: 2 });
  storeMigrations.forEach((m, i) => expect(m.version).toBe(i + 1));
});

it('a database written by a newer app is refused, not seeded', () => {
  const path = join(dir, 'newer.db');
  const db = openDatabase(path, storeMigrations);
  db.pragma(`user_version = ${storeMigrations.length + 1}`);
  db.close();
  expect(() => openPolicyStore(path)).toThrow(DatabaseTooNewError);
});

it('the schema refuses bad rows on its own (CHECK constraints), whatever the code does', () => {
  const { store } = openPolicyStore(join(dir, 'checks.db'));
  const ins = store.db.prepare('INSERT INTO institution (code, name, region_code, level, price_class, designated, training) VALUES (?, ?, ?, ?, ?, ?, ?)');
  expect(() => ins.run('X1', 'x', '420300', 4, null, 1, 0)).toThrow(/CHECK/);
  expect(() => ins.run('X2', 'x', '42030A', 1, null, 1, 0)).toThrow(/CHECK/);
  const cat = store.db.prepare('INSERT INTO catalogue_item (code, name, list_class, self_pay_ratio, limit_price, kind, training) VALUES (?, ?, ?, ?, ?, ?, ?)');
  expect(() => cat.run('C1', 'x', 'D', null, null, 'drug', 0)).toThrow(/CHECK/);
  expect(() => cat.run('C2', 'x', 'A', null, null, 'food', 0)).toThrow(/CHECK/);
  store.db.close();
});
