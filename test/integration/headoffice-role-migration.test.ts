// Store migration 14 (the 总部 headoffice role) on a real file: a store of the version before keeps
// every operator, session and pharmacist row and its PIN change flag, the foreign keys still hold,
// and the rebuilt table takes the headoffice role (and still refuses an unknown one).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../native/db/open';
import { AccessStore } from '../../native/store/access-store';
import { storeMigrations } from '../../native/store/migrations';

const dir = mkdtempSync(join(tmpdir(), 'ybjs-role-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('migration 14 adds the headoffice role and keeps operators, sessions and pharmacists', () => {
  const path = join(dir, 'store.db');
  const before = openDatabase(path, storeMigrations.slice(0, 13));
  const access = new AccessStore(before);
  access.createOperator({ operatorId: '2001', name: '店长', role: 'manager', pin: '2222' });
  access.createOperator({ operatorId: '1001', name: '收银员', role: 'cashier', pin: '1111' });
  const session = access.login('1001', '1111');
  before.prepare("UPDATE operator SET pin_change_required = 0 WHERE operator_id = '2001'").run();
  before.prepare("INSERT INTO operator_pharmacist (operator_id, pharmacist_name, cert_no, updated_at) VALUES ('1001', '李药师', 'YS001', '2026-12-01')").run();
  expect(() => access.createOperator({ operatorId: '4001', name: '总部', role: 'headoffice', pin: '4444' })).toThrow(/CHECK/);
  const rows = before.prepare('SELECT * FROM operator ORDER BY operator_id').all();
  before.close();

  const after = openDatabase(path, storeMigrations);
  expect(after.pragma('user_version', { simple: true })).toBe(storeMigrations.length);
  expect(storeMigrations[13]).toMatchObject({ version: 14 });
  expect(after.prepare('SELECT * FROM operator ORDER BY operator_id').all()).toEqual(rows);
  expect(after.pragma('foreign_key_check')).toEqual([]);
  const accessAfter = new AccessStore(after);
  expect(accessAfter.principalFor(session.token)).toMatchObject({ id: '1001', role: 'cashier' });
  expect(after.prepare("SELECT pharmacist_name FROM operator_pharmacist WHERE operator_id = '1001'").pluck().get()).toBe('李药师');
  accessAfter.createOperator({ operatorId: '4001', name: '总部', role: 'headoffice', pin: '4444' });
  expect(accessAfter.login('4001', '4444')).toMatchObject({ role: 'headoffice' });
  expect(() => after.prepare("INSERT INTO operator (operator_id, name, role, pin_hash, created_at) VALUES ('9', 'x', 'owner', 'h', 'now')").run()).toThrow(/CHECK/);
  // Deleting a referenced operator is still refused: the foreign keys point at the rebuilt table.
  expect(() => after.prepare("DELETE FROM operator WHERE operator_id = '1001'").run()).toThrow(/FOREIGN KEY/);
  after.close();
});
