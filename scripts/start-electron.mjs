// `npm start`: the desktop app. Electron's binary is fetched lazily from its release host; where
// that host cannot be reached we stop with one clear sentence instead of a stack trace.
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
for (const step of [['run', 'build'], ['run', 'build:shell']]) {
  const r = spawnSync('npm', step, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const run = spawnSync(binary, [root], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
