// `npm test` runs electronegativity over the shell (electron/shell and build/) and fails on any
// finding not justified in the code or the allow-list (see electronegativity-gate.ts). The fixture
// cases prove the gate bites: a deliberately insecure main process fails it.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { type AllowList, type Finding, formatFinding, judge, loadAllowList, repoRoot, scan, SCAN_ROOTS, type ScanResult } from './electronegativity-gate';

const allow = loadAllowList();
const excluded = Object.keys(allow.excludedChecks);
const readRepoLines = (file: string): string[] => readFileSync(join(repoRoot, file), 'utf8').split('\n');

describe('electronegativity over electron/shell and build/', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await scan(SCAN_ROOTS.map((r) => join(repoRoot, r)), excluded);
  }, 60_000);

  test('every file parsed, including the .cjs/.mjs build files it would skip on its own', () => {
    expect(result.parseErrors).toEqual([]);
    expect(result.scannedFiles).toEqual(expect.arrayContaining(['electron/shell/main.ts', 'electron/shell/preload.ts', 'electron/shell/web-security.ts', 'build/hooks/after-pack.mjs', 'build/electron-builder.config.cjs', 'build/generate-icons.mjs']));
  });

  test('every finding is justified and no allow-list entry is stale', () => {
    const verdict = judge(result.findings, allow, readRepoLines);
    expect(verdict.unjustified.map(formatFinding)).toEqual([]);
    expect(verdict.staleAllowEntries).toEqual([]);
    // The justified ones are the reviewed ones; a new justification shows up here for review.
    expect(verdict.justified.map((f) => `${f.id} ${f.file}`).sort()).toEqual([
      'CSP_GLOBAL_CHECK N/A',
      'OPEN_EXTERNAL_JS_CHECK electron/shell/web-security.ts',
      'PRELOAD_JS_CHECK electron/shell/window-options.ts',
    ]);
  });

  test("no electronegativity 'eng-disable' comment in scope: it would hide a finding without a reason", () => {
    const offenders = result.scannedFiles.filter((file) => readFileSync(join(repoRoot, file), 'utf8').includes('eng-' + 'disable'));
    expect(offenders).toEqual([]);
  });
});

describe('the gate fails on an unjustified finding', () => {
  const insecureMain = [
    "const { BrowserWindow, shell } = require('electron');",
    'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
    "win.webContents.setWindowOpenHandler(({ url }) => { shell.openExternal(url); return { action: 'deny' }; });",
    '',
  ].join('\n');
  const before = (comment: string): string => insecureMain.replace('win.webContents', `${comment}\nwin.webContents`);
  const fixtures: Record<string, string> = {
    'insecure.js': insecureMain,
    'insecure-commonjs.cjs': insecureMain,
    'justified.js': before('// electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — fixture: pretend the URL was allow-listed above'),
    'wrong-check.js': before('// electronegativity-justified: SANDBOX_JS_CHECK — a reason that is long enough'),
    'no-reason.js': before('// electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — ok'),
  };
  const noAllow: AllowList = { excludedChecks: {}, findings: [] };
  let dir: string;
  let findings: Finding[];
  const idsIn = (file: string, list: readonly Finding[]): string[] => list.filter((f) => f.file === `app/${file}`).map((f) => f.id).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ybjs-eng-fixture-'));
    mkdirSync(join(dir, 'app'));
    for (const [name, text] of Object.entries(fixtures)) writeFileSync(join(dir, 'app', name), text);
    findings = (await scan([join(dir, 'app')], excluded, dir)).findings;
  }, 60_000);
  const verdict = () => judge(findings, noAllow, (file) => readFileSync(join(dir, file), 'utf8').split('\n'));

  test('an insecure window and an unchecked openExternal are reported as unjustified', () => {
    expect(idsIn('insecure.js', verdict().unjustified)).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'SANDBOX_JS_CHECK']));
  });

  test('the same code in a .cjs file is staged, scanned and reported under its real name', () => {
    expect(idsIn('insecure-commonjs.cjs', verdict().unjustified)).toEqual(idsIn('insecure.js', verdict().unjustified));
  });

  test('a justification comment with the right check and a real reason clears exactly that finding', () => {
    expect(idsIn('justified.js', verdict().justified)).toEqual(['OPEN_EXTERNAL_JS_CHECK']);
    expect(idsIn('justified.js', verdict().unjustified)).toEqual(idsIn('insecure.js', verdict().unjustified).filter((id) => id !== 'OPEN_EXTERNAL_JS_CHECK'));
  });

  test('a justification naming another check, or without a real reason, clears nothing', () => {
    expect(idsIn('wrong-check.js', verdict().unjustified)).toEqual(idsIn('insecure.js', verdict().unjustified));
    expect(idsIn('no-reason.js', verdict().unjustified)).toEqual(idsIn('insecure.js', verdict().unjustified));
  });

  test('an allow-list entry that matches no finding is reported as stale', () => {
    const stale: AllowList = { excludedChecks: {}, findings: [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'no longer needed but still listed' }] };
    expect(judge([], stale, () => []).staleAllowEntries).toHaveLength(1);
  });
});
