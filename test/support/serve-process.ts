// Starts `npm run serve`'s entry point as a real child process and waits for its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;

export interface ServeProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tsxBin(): string {
  return join(repoRoot, 'node_modules', '.bin', 'tsx');
}

export async function startServe(args: string[] = [], env: NodeJS.ProcessEnv = {}, dataDir: string = mkdtempSync(join(tmpdir(), 'ybjs-serve-'))): Promise<ServeProcess> {
  return launch([tsxBin(), 'electron/backend/serve.ts', '--port', '0', '--data-dir', dataDir, ...args], dataDir, env, 30_000);
}

export interface BackendProcessOptions {
  /** Reused across restarts: the store (and its journal, outbox …) lives here. */
  readonly dataDir: string;
  readonly port?: number;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * What runs `serve` (its flags are appended). Default: `node --import tsx electron/backend/serve.ts`,
   * one process, so a SIGKILL hits the backend itself (the tsx CLI would leave its child running).
   */
  readonly command?: readonly string[];
  readonly timeoutMs?: number;
}

/** The backend as one killable process on a given data folder (crash tests, benchmarks, soak). */
export async function startBackendProcess(options: BackendProcessOptions): Promise<ServeProcess> {
  const command = options.command ?? [process.execPath, '--import', 'tsx', 'electron/backend/serve.ts'];
  return launch([...command, '--port', String(options.port ?? 0), '--data-dir', options.dataDir], options.dataDir, options.env ?? {}, options.timeoutMs ?? 30_000);
}

async function launch(argv: readonly string[], dataDir: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ServeProcess> {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
    const check = (): void => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${out}`)); });
  }).catch((error: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  });
  return {
    url, dataDir, child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => { if (child.exitCode === null && child.signalCode === null) child.kill(signal); return exited; },
  };
}
