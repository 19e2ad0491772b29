// Backend cold start: process spawn → first 200 from GET /api/health, against a bare `node -e` HTTP
// server's spawn → first 200, measured in the same run. The backend runs as it ships: the bundles
// scripts/build-shell.mjs writes, started the way the shell's utility process starts them —
// backend-boot.cjs (which runs backend-entry.cjs through the V8 code cache in YBJS_CODE_CACHE_DIR),
// the shell's backend flags (BACKEND_EXEC_ARGV), its environment variables, and a stand-in for
// Electron's process.parentPort (the one thing missing outside Electron) that prints the URL the
// backend reports. The dev path (`node --import tsx`, what `npm run serve` uses) is shown too.
// Training mode, so start-up includes the in-process sandbox centre.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error a plain .mjs build script, without types
import { backendBundleOptions } from '../../scripts/backend-bundle.mjs';
import { repoRoot } from '../support/serve-process';
import { BACKEND_EXEC_ARGV } from '../../electron/shell/layout';
import { ENV } from '../../electron/shell/backend-env';
import { median, type BenchResult, type BenchSuite } from './harness';

const SAMPLES = 7;

/** Bundles electron/backend/serve.ts with the shell's backend options (the rss bench runs it); returns the file. */
export async function bundleBackend(): Promise<string> {
  const outDir = join(repoRoot, 'test-output', 'bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'serve.mjs');
  await build({
    ...(backendBundleOptions as object), entryPoints: [join(repoRoot, 'electron/backend/serve.ts')], format: 'esm', target: 'node20', outfile, absWorkingDir: repoRoot,
    // Bundled CommonJS packages call require(): give the ES module bundle one.
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** Builds the shell's bundles (scripts/build-shell.mjs) into test-output/bench/shell; returns their folder. */
export function buildShell(): string {
  const outDir = join(repoRoot, 'test-output', 'bench', 'shell');
  const run = spawnSync(process.execPath, ['scripts/build-shell.mjs', '--outdir', outDir], { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`build:shell failed: ${run.stderr}`);
  return join(outDir, 'electron', 'shell');
}

/** Electron's process.parentPort for a plain Node process: prints the URL of 'ready'; SIGTERM asks for 'shutdown'. */
const PARENT_PORT_STAND_IN = `const { EventEmitter } = require('node:events');
const port = new EventEmitter();
port.postMessage = (message) => { if (message.type === 'ready') console.log('listening on ' + message.url); else console.error(JSON.stringify(message)); };
process.parentPort = port;
process.on('SIGTERM', () => port.emit('message', { data: { type: 'shutdown' } }));`;

const SHELL_TOKEN = 'bench-token-0123456789abcdef0123456789';

const BARE_SERVER = `const http = require('node:http');
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); });
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port + '/'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;

/** Spawns `argv`, waits for "listening on URL", then GETs /api/health until 200; ms since spawn. */
export async function spawnToHealth(argv: readonly string[], timeoutMs = 60_000, env?: Readonly<Record<string, string>>): Promise<{ ms: number; pid: number; url: string; stop: () => Promise<void> }> {
  const started = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...(env && { env: { ...process.env, ...env } }) });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); await exited; };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      void exited.then(() => { clearTimeout(timer); reject(new Error(`exited before listening:\n${out}`)); });
    });
    for (;;) {
      const response = await fetch(new URL('api/health', url)).catch(() => null);
      if (response?.status === 200) { await response.text(); break; }
      if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) throw new Error(`no 200 from ${url}api/health`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, pid: child.pid!, url, stop };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

interface Start { readonly argv: readonly string[]; readonly env?: Readonly<Record<string, string>> }

async function medianStart(samples: number, startFor: (i: number) => Start): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { argv, env } = startFor(i);
    const run = await spawnToHealth(argv, 60_000, env);
    await run.stop();
    times.push(run.ms);
  }
  return median(times);
}

export const suite: BenchSuite = {
  name: 'cold start',
  async run(): Promise<BenchResult[]> {
    const shellDir = buildShell();
    const root = mkdtempSync(join(tmpdir(), 'ybjs-bench-start-'));
    try {
      const standIn = join(root, 'parent-port.cjs');
      writeFileSync(standIn, PARENT_PORT_STAND_IN);
      // The shell's start: its flags, the boot file, the variables main sets (the code cache in the
      // installation's per-user folder, here one per data folder: a new installation has none).
      const shipped = (dataDir: string, codeCacheDir: string | null): Start => ({
        argv: [process.execPath, ...BACKEND_EXEC_ARGV, '-r', standIn, join(shellDir, 'backend-boot.cjs')],
        env: { [ENV.dataDir]: dataDir, [ENV.port]: '0', [ENV.token]: SHELL_TOKEN, [ENV.codeCacheDir]: codeCacheDir ?? '' },
      });
      const existing = join(root, 'existing');
      const existingCache = join(root, 'existing-code-cache');
      // One start creates the store (migrations, seeding) and the code cache; the restarts below find both ready.
      const setup = shipped(existing, existingCache);
      await (await spawnToHealth(setup.argv, 60_000, setup.env)).stop();
      const bare = await medianStart(SAMPLES, () => ({ argv: [process.execPath, '-e', BARE_SERVER] }));
      const restart = await medianStart(SAMPLES, () => shipped(existing, existingCache));
      const uncached = await medianStart(SAMPLES, () => shipped(existing, null));
      const first = await medianStart(SAMPLES, (i) => shipped(join(root, `new-${i}`), join(root, `new-${i}-code-cache`)));
      const dev = await medianStart(3, () => ({ argv: [process.execPath, '--import', 'tsx', join(repoRoot, 'electron/backend/serve.ts'), '--port', '0', '--data-dir', existing] }));
      const baselineName = 'bare `node -e` HTTP server, spawn → 200';
      return [
        { name: 'backend restart (shipped bundles + code cache, existing store), spawn → /api/health 200', unit: 'ms', median: restart, baselineName, baseline: bare,
          note: 'the daily start of a till: once a morning, and after the shell restarts a crashed backend' },
        { name: 'backend restart without the code cache (YBJS_CODE_CACHE_DIR unset)', unit: 'ms', median: uncached, baselineName, baseline: bare,
          note: 'what the code cache saves: compiling the bundle and the functions start-up runs' },
        { name: 'backend first start (new data folder: migrations + seeding, code cache written)', unit: 'ms', median: first, baselineName, baseline: bare,
          note: 'once per installation' },
        { name: 'backend restart under tsx (`npm run serve`, dev)', unit: 'ms', median: dev, baselineName, baseline: bare },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
