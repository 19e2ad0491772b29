// Proves the layer rules bite: each case is a deliberate violation linted as if it stood in that
// layer, and the real tree must lint clean of them.
import { describe, expect, test } from 'vitest';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/serve-process';

const eslint = new ESLint({ cwd: repoRoot, errorOnUnmatchedPattern: false });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const violations: Array<[string, string, string]> = [
  ['core/money/x.ts', "import { readFileSync } from 'node:fs'; export const a = readFileSync;", 'core reads files'],
  ['core/money/x.ts', "import { connect } from 'net'; export const a = connect;", 'core opens sockets (bare builtin name)'],
  ['core/money/x.ts', "import { spawn } from 'node:child_process'; export const a = spawn;", 'core spawns processes'],
  ['core/money/x.ts', "import Database from 'better-sqlite3'; export const a = Database;", 'core imports the SQLite native module'],
  ['core/money/x.ts', "import { SerialPort } from 'serialport'; export const a = SerialPort;", 'core imports serialport'],
  ['core/money/x.ts', "import { x } from '../../native/db/open'; export const a = x;", 'core imports native/'],
  ['core/money/x.ts', "import { x } from '../../electron/backend/server'; export const a = x;", 'core imports electron/'],
  ['core/money/x.ts', "import { app } from 'electron'; export const a = app;", 'core imports Electron'],
  ['electron/backend/x.ts', "import Database from 'better-sqlite3'; export const a = Database;", 'electron/ bypasses native/ for SQLite'],
  ['electron/backend/x.ts', "import { SerialPort } from 'serialport'; export const a = SerialPort;", 'electron/ bypasses native/ for serial'],
  ['electron/backend/x.ts', "import { list } from '@serialport/bindings-cpp'; export const a = list;", 'electron/ imports a serialport part'],
  ['renderer/src/x.ts', "import Database from 'better-sqlite3'; export const a = Database;", 'renderer imports SQLite'],
  ['renderer/src/x.ts', "import { readFileSync } from 'node:fs'; export const a = readFileSync;", 'renderer imports a Node built-in'],
  ['renderer/src/x.ts', "import { money } from '../../core/money/money'; export const a = money;", 'renderer imports core beyond contracts'],
  ['renderer/src/x.ts', "import { x } from '../../native/db/open'; export const a = x;", 'renderer imports native/'],
  ['renderer/src/x.ts', "import { x } from '../../electron/backend/server'; export const a = x;", 'renderer imports electron/'],
  ['native/db/x.ts', "import { app } from 'electron'; export const a = app;", 'native/ imports Electron'],
  ['native/db/x.ts', "import { x } from '../../electron/backend/server'; export const a = x;", 'native/ imports electron/'],
];

describe('layer rules', () => {
  test.each(violations)('%s: %s is refused (%s)', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, code)).not.toEqual([]);
  });

  const allowed: Array<[string, string]> = [
    ['core/money/x.ts', "import Decimal from 'decimal.js'; export const a = Decimal;"],
    ['native/db/x.ts', "import Database from 'better-sqlite3'; export const a = Database;"],
    ['native/db/x.ts', "import { money } from '../../core/money/money'; export const a = money;"],
    ['renderer/src/x.ts', "import { HealthResponse } from '../../core/contracts/health'; export const a = HealthResponse;"],
    ['electron/backend/x.ts', "import { x } from '../../native/db/open'; export const a = x;"],
  ];
  test.each(allowed)('%s: %s is allowed', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, code)).toEqual([]);
  });

  test('the product tree itself has no layer violation', async () => {
    const results = await eslint.lintFiles(['core', 'native', 'electron', 'renderer/src']);
    const layerErrors = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(layerErrors).toEqual([]);
  });
});
