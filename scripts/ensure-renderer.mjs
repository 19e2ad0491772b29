// Builds the renderer when its output is missing or older than its sources, so that
// `npm install && npm run serve` works on a fresh clone without a separate build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'renderer', 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sources = [join(root, 'renderer', 'src'), join(root, 'core', 'contracts')];
const sourceTime = Math.max(...sources.map(newestMtime), statSync(join(root, 'renderer', 'index.html')).mtimeMs);
if (!existsSync(out) || statSync(out).mtimeMs < sourceTime) {
  console.log('Building the renderer (renderer/dist)…');
  const result = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
