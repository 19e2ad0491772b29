// npm 11 runs a dependency's install scripts only when package.json's allowScripts approves them
// (issue 13). Every package in the lockfile that has install scripts is decided there: approved
// when the app needs what it builds, denied otherwise — so `npm ci` neither skips a needed native
// build nor warns about unreviewed scripts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };

/** "node_modules/a/node_modules/@b/c" → "@b/c" */
const nameOf = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('allowScripts', () => {
  const withScripts = [...new Set(Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.hasInstallScript).map(([path]) => nameOf(path)))].sort();

  test('every package with install scripts in the lockfile is approved or denied', () => {
    const decided = new Set(Object.keys(pkg.allowScripts ?? {}).map((k) => k.replace(/(?<=.)@[^@]*$/, '')));
    expect(withScripts.filter((name) => !decided.has(name)), 'run `npm install-scripts approve|deny <pkg>`').toEqual([]);
  });

  test('the native bindings the app loads, and esbuild (tsx, vite), are approved', () => {
    for (const name of ['better-sqlite3', '@serialport/bindings-cpp', 'esbuild']) expect(pkg.allowScripts?.[name], name).toBe(true);
  });

  test('no entry is stale: each names a package with install scripts', () => {
    for (const key of Object.keys(pkg.allowScripts ?? {})) expect(withScripts, key).toContain(key.replace(/(?<=.)@[^@]*$/, ''));
  });
});
