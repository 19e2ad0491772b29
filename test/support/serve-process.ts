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

export async function startServe(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ybjs-serve-'));
  const child = spawn(tsxBin(), ['electron/backend/serve.ts', '--port', '0', '--data-dir', dataDir, ...args], {
    cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL within 30 s:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${out}`)); });
  });
  return {
    url, dataDir, child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => { if (child.exitCode === null) child.kill(signal); return exited; },
  };
}
