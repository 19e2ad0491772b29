// `npm run package`: the installers (build/electron-builder.config.cjs → release/).
//   npm run package                 installers for this OS (Linux: AppImage + deb; Windows: NSIS x64)
//   npm run package -- --linux | --win [--dir] [--no-preflight]
/* global fetch, AbortSignal */
// A release build needs the network: electron-builder downloads Electron itself, and rebuilding
// better-sqlite3 for Electron's ABI needs Electron's prebuilt binary or its headers. The preflight
// checks both hosts first, so that a machine without them stops with one sentence, not a stack
// trace halfway through. Rebuilding for Electron happens inside node_modules, which would break
// `npm test` and `npm run serve` (they run on the system Node), so better-sqlite3 is rebuilt for
// Node again at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const say = (sentence) => console.error(`npm run package: ${sentence}`);

let args;
try {
  args = parseArgs({
    options: { linux: { type: 'boolean' }, win: { type: 'boolean' }, dir: { type: 'boolean' }, 'no-preflight': { type: 'boolean' } },
    strict: true,
  }).values;
} catch (error) {
  say(`${error instanceof Error ? error.message.split('. ')[0] : String(error)}; use --linux, --win, --dir or --no-preflight.`);
  process.exit(2);
}

const platform = args.win ? 'win32' : args.linux ? 'linux' : process.platform;
if (platform !== 'linux' && platform !== 'win32') {
  say(`there is no installer target for ${platform}; build with --linux or --win.`);
  process.exit(2);
}
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const zipName = `electron-v${electronVersion}-${platform}-x64.zip`;

/** @electron/get's cache root (env-paths("electron").cache, or electron_config_cache). */
function electronCacheRoot(env = process.env) {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'electron');
}

function cachedZip(dir, depth = 2) {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === zipName) return true;
    if (entry.isDirectory() && depth > 0 && cachedZip(join(dir, entry.name), depth - 1)) return true;
  }
  return false;
}

async function reachable(url) {
  try {
    const response = await fetch(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(15_000) });
    await response.body?.cancel();
    return response.ok ? null : `HTTP ${response.status}`;
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return cause;
  }
}

if (!args['no-preflight']) {
  const mirror = (process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/').replace(/\/?$/, '/');
  const customDir = (process.env.ELECTRON_CUSTOM_DIR || 'v{{ version }}').replace('{{ version }}', electronVersion);
  const headersHost = (process.env.npm_config_electron_mirror || 'https://electronjs.org/headers').replace(/\/$/, '');
  const probes = [
    ...(cachedZip(electronCacheRoot()) ? [] : [[`Electron ${electronVersion} for ${platform}-x64`, `${mirror}${customDir}/SHASUMS256.txt`]]),
    [`Electron ${electronVersion}'s headers (to rebuild better-sqlite3 for Electron)`, `${headersHost}/v${electronVersion}/SHASUMS256.txt`],
  ];
  for (const [what, url] of probes) {
    const problem = await reachable(url);
    if (problem !== null) {
      say(`cannot download ${what} from ${new URL(url).origin} (${problem}), so no installer can be built on this machine; a release build needs network access to Electron's release and headers hosts or mirrors (ELECTRON_MIRROR, npm_config_electron_mirror), see docs/desktop.md.`);
      process.exit(1);
    }
  }
}

const run = (command, commandArgs) => spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

for (const step of [['run', 'build'], ['run', 'build:shell']]) {
  const status = run('npm', step);
  if (status !== 0) process.exit(status);
}
const builderArgs = ['electron-builder', '--config', 'build/electron-builder.config.cjs', platform === 'win32' ? '--win' : '--linux', '--publish', 'never', ...(args.dir ? ['--dir'] : [])];
const status = run('npx', builderArgs);

// electron-builder rebuilt better-sqlite3 for Electron in place; give the system Node its build back.
const restored = run('npm', ['rebuild', 'better-sqlite3']);
if (restored !== 0) say('packaging left better-sqlite3 built for Electron; run `npm rebuild better-sqlite3` before `npm test` or `npm run serve`.');
process.exit(status);
