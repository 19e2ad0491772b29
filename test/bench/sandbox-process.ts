// The sandbox centre in a process of its own, for benches that time the till: the centre is another
// machine, so its SQLite commits and JSON work must not run on the till's event loop. The child is
// driven over the IPC channel (stats, faults); `startSandboxProcess` resolves once it listens.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FaultConfigInput } from '../../native/sandbox/faults';

export interface SandboxStatsReply { readonly requests: number; readonly byInfno: Record<string, number> }

export interface SandboxProcess {
  readonly endpoint: string;
  stats(): Promise<SandboxStatsReply>;
  setFaults(faults: FaultConfigInput): Promise<void>;
  close(): Promise<void>;
}

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

export async function startSandboxProcess(dataDir: string): Promise<SandboxProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sandbox-child.ts', import.meta.url)), [dataDir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sandbox process exited (${code}) before it listened`)));
    child.once('message', (m) => resolve((m as { endpoint: string }).endpoint));
  });
  child.removeAllListeners('exit');
  child.on('message', (m) => {
    const reply = m as Reply;
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.value); else w.reject(new Error(reply.error));
  });
  const ask = (op: string, arg?: unknown): Promise<unknown> => new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    child.send({ id, op, arg });
  });
  return {
    endpoint,
    stats: async () => (await ask('stats')) as SandboxStatsReply,
    setFaults: async (faults) => { await ask('setFaults', faults); },
    close: async () => {
      await ask('close').catch(() => undefined);
      await new Promise<void>((resolve) => { if (child.exitCode !== null) resolve(); else child.once('exit', () => resolve()); });
    },
  };
}
