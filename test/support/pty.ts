// Real kernel pseudo-terminal pairs for the serial tests: `socat -d -d pty,raw,echo=0 pty,raw,echo=0`
// prints the two /dev/pts paths on stderr. socat missing is a failure, never a skip
// (scripts/check-system-deps.sh installs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';

export interface PtyPair {
  /** One end (the simulator's in our tests). */
  readonly a: string;
  /** The other end (the driver's). */
  readonly b: string;
  readonly pid: number;
  /** Kills socat: both ends hang up, like an unplugged USB adapter. Resolves when it has exited. */
  kill(): Promise<void>;
  readonly alive: boolean;
}

export async function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const paths = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`socat did not report two ptys within ${timeoutMs} ms:\n${stderr}`)); }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (${error.message}); install it: npm run sysdeps`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = [...stderr.matchAll(/PTY is (\/dev\/\S+)/g)].map((m) => m[1]!);
      if (found.length === 2 && stderr.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve([found[0]!, found[1]!]);
      }
    });
    void exit.then(() => { clearTimeout(timer); reject(new Error(`socat exited early:\n${stderr}`)); });
  });
  return {
    a: paths[0], b: paths[1], pid: child.pid!,
    get alive() { return !exited; },
    kill: async () => {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** File descriptors of this process open on `path` (to prove a port was closed, not leaked). */
export function fdsOpenOn(path: string): string[] {
  const fds: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) fds.push(fd);
    } catch {
      // The fd closed while we looked (readdir's own fd, for one).
    }
  }
  return fds;
}
