// Backend cold start: process spawn → first 200 from GET /api/health, against a bare `node -e` HTTP
// server's spawn → first 200, measured in the same run. The backend runs as it ships: bundled by
// esbuild with the shell's backend options (scripts/backend-bundle.mjs: pure-JS packages in, native
// ones external, as scripts/build-shell.mjs bundles backend-entry.cjs) under plain
// Node with the shell's backend flags (BACKEND_EXEC_ARGV); the dev path (`node --import tsx`, what `npm run serve` uses) is shown too. Training mode,
// so start-up includes the in-process sandbox centre.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error a plain .mjs build script, without types
import { backendBundleOptions } from '../../scripts/backend-bundle.mjs';
import { repoRoot } from '../support/serve-process';
import { BACKEND_EXEC_ARGV } from '../../electron/shell/layout';
import { median, type BenchResult, type BenchSuite } from './harness';

const SAMPLES = 7;

/** Bundles electron/backend/serve.ts the way the shell bundles the backend; returns the file. */
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

const BARE_SERVER = `const http = require('node:http');
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); });
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port + '/'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;

/** Spawns `argv`, waits for "listening on URL", then GETs /api/health until 200; ms since spawn. */
export async function spawnToHealth(argv: readonly string[], timeoutMs = 60_000): Promise<{ ms: number; pid: number; url: string; stop: () => Promise<void> }> {
  const started = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
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

async function medianStart(samples: number, argvFor: (i: number) => readonly string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const run = await spawnToHealth(argvFor(i));
    await run.stop();
    times.push(run.ms);
  }
  return median(times);
}

export const suite: BenchSuite = {
  name: 'cold start',
  async run(): Promise<BenchResult[]> {
    const bundle = await bundleBackend();
    const root = mkdtempSync(join(tmpdir(), 'ybjs-bench-start-'));
    try {
      const existing = join(root, 'existing');
      // One start creates the store (migrations, seeding); the restarts below find it ready.
      await (await spawnToHealth([process.execPath, ...BACKEND_EXEC_ARGV, bundle, '--port', '0', '--data-dir', existing])).stop();
      const bare = await medianStart(SAMPLES, () => [process.execPath, '-e', BARE_SERVER]);
      const restart = await medianStart(SAMPLES, () => [process.execPath, ...BACKEND_EXEC_ARGV, bundle, '--port', '0', '--data-dir', existing]);
      const first = await medianStart(SAMPLES, (i) => [process.execPath, ...BACKEND_EXEC_ARGV, bundle, '--port', '0', '--data-dir', join(root, `new-${i}`)]);
      const dev = await medianStart(3, () => [process.execPath, '--import', 'tsx', join(repoRoot, 'electron/backend/serve.ts'), '--port', '0', '--data-dir', existing]);
      const baselineName = 'bare `node -e` HTTP server, spawn → 200';
      return [
        { name: 'backend restart (bundled, existing store), spawn → /api/health 200', unit: 'ms', median: restart, baselineName, baseline: bare,
          note: 'the daily start of a till: once a morning, and after the shell restarts a crashed backend' },
        { name: 'backend first start (bundled, new data folder: migrations + seeding)', unit: 'ms', median: first, baselineName, baseline: bare,
          note: 'once per installation' },
        { name: 'backend restart under tsx (`npm run serve`, dev)', unit: 'ms', median: dev, baselineName, baseline: bare },
      ];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
