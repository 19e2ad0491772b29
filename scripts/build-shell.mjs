// `npm run build:shell`: bundles the Electron shell with esbuild into dist-electron/ and copies the
// tray/window icons next to it. Four bundles, CommonJS (.cjs, because package.json says "module"):
//   main.cjs           Electron main process; npm packages stay external (shipped in node_modules)
//   backend-boot.cjs   what the backend's utility process starts: runs backend-entry.cjs through a
//                      V8 code cache (electron/shell/code-cache.ts); Node built-ins only
//   backend-entry.cjs  the backend itself: its pure-JS dependencies bundled in (a faster start),
//                      packages with native bindings external (scripts/backend-bundle.mjs)
//   preload.cjs        the sandboxed preload: fully bundled, it may require nothing but 'electron'
// Usage: node scripts/build-shell.mjs [--outdir <dir>]   (tests build into a temp folder)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backendBundleOptions } from './backend-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { outdir: { type: 'string' } }, strict: true });
const outRoot = resolve(values.outdir ?? join(root, 'dist-electron'));
const shellOut = join(outRoot, 'electron', 'shell');

// Electron 45 runs Node 22 in main and in utility processes, Chromium in the preload.
const common = { bundle: true, format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root, outExtension: { '.js': '.cjs' } };

// A CommonJS bundle has no import.meta: give the modules that read import.meta.url their file's URL.
const cjsImportMeta = {
  define: { 'import.meta.url': '__bundle_import_meta_url' },
  banner: { js: "const __bundle_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

try {
  await Promise.all([
    build({
      ...common,
      // sscard-host: the child process that holds a vendor's 社保卡 reader library (native/sscard-lib).
      entryPoints: { main: 'electron/shell/main.ts', 'sscard-host': 'native/sscard-lib/host.ts' },
      outdir: shellOut,
      platform: 'node',
      target: 'node22',
      packages: 'external',
    }),
    build({
      ...common,
      ...backendBundleOptions,
      ...cjsImportMeta,
      entryPoints: { 'backend-entry': 'electron/shell/backend-entry.ts' },
      outdir: shellOut,
      target: 'node22',
    }),
    build({
      // What the utility process starts: runs backend-entry.cjs with a V8 code cache. Built-ins only.
      ...common,
      ...cjsImportMeta,
      entryPoints: { 'backend-boot': 'electron/shell/backend-boot.ts' },
      outdir: shellOut,
      platform: 'node',
      target: 'node22',
    }),
    build({
      ...common,
      entryPoints: { preload: 'electron/shell/preload.ts' },
      outdir: shellOut,
      platform: 'browser',
      target: 'chrome130',
      external: ['electron'],
    }),
  ]);
} catch (error) {
  console.error(`build:shell: esbuild failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
}

// The window icon and the tray status lights (tray-*.png plus @2x for HiDPI) ship inside the app.
const iconsOut = join(outRoot, 'icons');
mkdirSync(iconsOut, { recursive: true });
copyFileSync(join(root, 'build', 'icons', 'icon.png'), join(iconsOut, 'icon.png'));
const trayIn = join(root, 'build', 'tray');
for (const name of readdirSync(trayIn).filter((n) => n.endsWith('.png'))) copyFileSync(join(trayIn, name), join(iconsOut, name));

console.log(`build:shell: wrote ${shellOut}/{main,preload,backend-boot,backend-entry}.cjs and ${iconsOut}/`);
