// `npm start`: the desktop app. Electron's binary is fetched lazily from its release host; where
// that host cannot be reached we stop with one clear sentence instead of a stack trace.
// Then: the renderer is built if stale, the shell is bundled (dist-electron/), and Electron starts
// the bundle named by package.json "main". Extra arguments pass through (npm start -- --hidden).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');

function electronBinary() {
  if (existsSync(pathFile)) {
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (existsSync(binary)) return binary;
  }
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'ignore', timeout: 120_000 });
  if (install.status === 0 && existsSync(pathFile)) return join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return null;
}

const binary = electronBinary();
if (!binary) {
  console.error('npm start: the Electron binary could not be downloaded on this machine, so the desktop shell cannot run here; use `npm run serve` and open the printed URL in a browser instead.');
  process.exit(1);
}
for (const step of [[process.execPath, ['scripts/ensure-renderer.mjs']], [process.execPath, ['scripts/build-shell.mjs']]]) {
  const r = spawnSync(step[0], step[1], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// A developer shell may carry these; they would turn Electron into plain Node or preload code.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
delete env.NODE_OPTIONS;
const run = spawnSync(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
process.exit(run.status ?? 1);
