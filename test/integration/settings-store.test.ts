import { expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { openDatabase } from '../../native/db/open';
import { storeMigrations } from '../../native/store/migrations';
import { SettingsStore } from '../../native/store/settings';

const Reader = z.object({ port: z.string().min(1), baud: z.number().int().positive() });

test('settings are stored per terminal, validated, and a bad value keeps the good one', () => {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'ybjs-set-')), 'store.db'), storeMigrations);
  const settings = new SettingsStore(db);
  expect(settings.get('T1', 'reader', Reader)).toBeUndefined();
  settings.set('T1', 'reader', Reader, { port: '/dev/ttyUSB0', baud: 38400 });
  settings.set('T2', 'reader', Reader, { port: 'COM3', baud: 9600 });
  expect(() => settings.set('T1', 'reader', Reader, { port: '', baud: -1 })).toThrow(/port/);
  expect(settings.get('T1', 'reader', Reader)).toEqual({ port: '/dev/ttyUSB0', baud: 38400 });
  expect(settings.get('T2', 'reader', Reader)).toEqual({ port: 'COM3', baud: 9600 });
  db.close();
});
