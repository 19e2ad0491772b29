// The electron-builder configuration and its afterPack hook: targets, native modules unpacked
// from asar and rebuilt for Electron, and the fuses, flipped by @electron/fuses in a synthetic
// Electron binary (a file with the real fuse sentinel and wire layout).
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { minimatch } from 'minimatch';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { APP_USER_MODEL_ID, BACKEND_BOOT, BACKEND_BUNDLE, MAIN_BUNDLE, PRELOAD_BUNDLE } from '../../../electron/shell/layout';
import { repoRoot } from './electronegativity-gate';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string; files: string[]; asar: boolean; asarUnpack: string[]; npmRebuild: boolean; buildDependenciesFromSource: boolean; afterPack: string;
  win: { target: Array<{ target: string; arch: string[] }> }; linux: { target: Array<{ target: string; arch: string[] }>; maintainer: string };
  nsis: { perMachine: boolean; deleteAppDataOnUninstall: boolean }; electronFuses?: unknown; publish: null;
}
interface AfterPackModule {
  afterPack(context: unknown): Promise<void>;
  fuseConfig(env?: Record<string, string | undefined>): Record<string, unknown>;
  electronBinaryPath(context: unknown): string;
}
const config = require('../../../build/electron-builder.config.cjs') as BuilderConfig;
// Imported by path (a plain .mjs with no type declarations), as electron-builder loads it.
const hookPath = join(repoRoot, 'build', 'hooks', 'after-pack.mjs');
const hook = (await import(hookPath)) as AfterPackModule;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

const matches = (path: string, patterns: readonly string[]): boolean => patterns.some((p) => minimatch(path, p, { dot: true }));
const excluded = (path: string): boolean => matches(path, config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1)));
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));

describe('electron-builder config', () => {
  test('targets: Windows NSIS x64, Linux AppImage and deb x64', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux.target).toEqual([{ target: 'AppImage', arch: ['x64'] }, { target: 'deb', arch: ['x64'] }]);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb refuses to build without one
  });

  test('per-user NSIS install that keeps the data on uninstall; nothing is auto-published', () => {
    expect(config.nsis).toMatchObject({ perMachine: false, deleteAppDataOnUninstall: false });
    expect(config.publish).toBeNull();
  });

  test('the appId is the Windows AppUserModelID the shell sets', () => {
    expect(config.appId).toBe(APP_USER_MODEL_ID);
  });

  test('ships the bundles and the built UI; package.json "main" is one of them', () => {
    expect(pkg.main).toBe(MAIN_BUNDLE);
    for (const bundle of [MAIN_BUNDLE, PRELOAD_BUNDLE, BACKEND_BOOT, BACKEND_BUNDLE, 'renderer/dist/index.html', 'package.json']) {
      expect(matches(bundle, config.files.filter((p) => !p.startsWith('!'))), bundle).toBe(true);
      expect(excluded(bundle), bundle).toBe(false);
    }
    expect(matches('electron/shell/main.ts', config.files.filter((p) => !p.startsWith('!')))).toBe(false); // no sources
  });

  test('asar on; every native binary of better-sqlite3 and serialport (as installed here) is unpacked and shipped', () => {
    expect(config.asar).toBe(true);
    const natives = [
      join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), // what lib/database.js loads
      ...filesUnder(join(repoRoot, 'node_modules', '@serialport', 'bindings-cpp', 'prebuilds')).filter((f) => /(linux|win32)-x64/.test(f)),
    ];
    for (const file of natives) expect(existsSync(file), file).toBe(true);
    const relativeNatives = natives.map((f) => relative(repoRoot, f).split('\\').join('/'));
    expect(natives.length).toBeGreaterThanOrEqual(3); // better-sqlite3 + serialport linux and windows x64
    for (const native of relativeNatives) {
      expect(matches(native, config.asarUnpack), `${native} unpacked`).toBe(true);
      expect(excluded(native), `${native} shipped`).toBe(false);
    }
    expect(excluded('node_modules/better-sqlite3/lib/index.js')).toBe(false);
    expect(excluded('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c')).toBe(true);
    expect(excluded('node_modules/better-sqlite3/build/Release/obj.target/better_sqlite3/src/better_sqlite3.o')).toBe(true);
    expect(excluded('node_modules/better-sqlite3/build/Release/test_extension.node')).toBe(true);
  });

  test('the native modules are production dependencies (electron-builder ships only those)', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['better-sqlite3', 'serialport']));
  });

  test("native modules are rebuilt for Electron's ABI while packaging, from prebuilt binaries where published", () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
  });

  test('fuses come from the afterPack hook only (not also from electron-builder\'s electronFuses)', () => {
    expect(config.afterPack).toBe('./build/hooks/after-pack.mjs');
    expect(config.electronFuses).toBeUndefined();
  });
});

describe('afterPack: Electron fuses', () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  /** Fuse states are ASCII '0'/'1' in the wire (@electron/fuses' FuseState, not exported by its index). */
  const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;
  /** Electron's shipped defaults: RunAsNode, NODE_OPTIONS, inspect and file:// privileges on. */
  const SHIPPED = '10110001';

  function fakeElectron(path: string, wire = SHIPPED): void {
    const noise = Buffer.alloc(4096, 0x5a);
    writeFileSync(path, Buffer.concat([noise, Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, wire.length]), Buffer.from(wire, 'ascii'), noise]));
  }
  const context = (dir: string, electronPlatformName: string) => ({
    appOutDir: dir, electronPlatformName, packager: { executableName: 'yibao-jiesuan', appInfo: { productFilename: 'yibao-jiesuan' } },
  });
  afterEach(() => { vi.restoreAllMocks(); });

  test.each([['linux', 'yibao-jiesuan'], ['win32', 'yibao-jiesuan.exe']])('%s: flips the release fuses in %s', async (platform, file) => {
    const dir = mkdtempSync(join(tmpdir(), 'ybjs-fuses-'));
    fakeElectron(join(dir, file));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(hook.electronBinaryPath(context(dir, platform))).toBe(join(dir, file));
    await hook.afterPack(context(dir, platform));
    const wire = await getCurrentFuseWire(join(dir, file));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  test('YBJS_E2E_BUILD=1 keeps only the inspector fuse on (Playwright needs it); everything else stays locked', () => {
    const release = hook.fuseConfig({});
    const e2e = hook.fuseConfig({ YBJS_E2E_BUILD: '1' });
    expect(release[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(e2e[FuseV1Options.EnableNodeCliInspectArguments]).toBe(true);
    expect({ ...e2e, [FuseV1Options.EnableNodeCliInspectArguments]: false }).toEqual(release);
  });

  test('a newer Electron with more fuses than we set gets a warning to review them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ybjs-fuses-'));
    fakeElectron(join(dir, 'yibao-jiesuan'), `${SHIPPED}1`);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await hook.afterPack(context(dir, 'linux'));
    expect(warn.mock.calls.join('\n')).toContain('this Electron has 9 fuses, we set 8');
  });

  test('a binary without the fuse wire fails the build instead of shipping unfused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ybjs-fuses-'));
    writeFileSync(join(dir, 'yibao-jiesuan'), Buffer.alloc(1024));
    await expect(hook.afterPack(context(dir, 'linux'))).rejects.toThrow(/sentinel/);
  });
});
