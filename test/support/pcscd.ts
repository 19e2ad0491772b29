// A private pcsc-lite daemon with vsmartcard's virtual reader for the PC/SC tests: Debian's real
// pcscd (foreground) and vpcd driver, one reader with two slots (vpcd keeps one context per slot
// number, so a second reader entry would take over the first one's slots), free TCP ports for vpcd, its own socket folder. pcscd 1.9 refuses to start while
// /run/pcscd/pcscd.comm exists, and always puts its socket there, so it runs in a private mount
// namespace (unshare, root) with a temp folder bound over /run/pcscd; clients find the socket via
// PCSCLITE_CSOCK_NAME, which libpcsclite honours. Parallel runs never collide. udev is not needed:
// vpcd is a "serial" driver listed in the config folder. Missing tools fail, never skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

export interface PcscdRig {
  /** Set this as PCSCLITE_CSOCK_NAME before the first PC/SC call of the process. */
  readonly socket: string;
  /** vpcd's port for each slot. */
  readonly ports: { readonly slot0: number; readonly slot1: number };
  readonly readerNames: { readonly slot0: string; readonly slot1: string };
  readonly log: () => string;
  /** Stops the daemon only (the service dying, or the reader's cable pulled); restart() brings it back. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the daemon and removes its folder. */
  stop(): Promise<void>;
  readonly alive: boolean;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Two consecutive free ports (vpcd listens on its configured port for slot 0 and the next for slot 1). */
async function freePorts(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 20000) * 2;
    if ((await Promise.all([base, base + 1].map(portFree))).every(Boolean)) return base;
  }
  throw new Error('no two consecutive free TCP ports found for vpcd');
}

function requireTools(): void {
  const missing = [['/usr/sbin/pcscd', 'pcscd'], [VPCD_DRIVER, 'vsmartcard-vpcd']].filter(([path]) => !existsSync(path!)).map(([, pkg]) => pkg);
  if (missing.length) throw new Error(`PC/SC test tools missing: ${missing.join(', ')}; install them: npm run sysdeps`);
  if (process.getuid?.() !== 0) throw new Error('the PC/SC tests run pcscd in a private mount namespace and need root (CI runs as root)');
}

export async function startPcscd(timeoutMs = 10_000): Promise<PcscdRig> {
  requireTools();
  const dir = mkdtempSync(join(tmpdir(), 'ybjs-pcscd-'));
  const conf = join(dir, 'reader.conf.d');
  const run = join(dir, 'run');
  mkdirSync(conf);
  mkdirSync(run);
  mkdirSync('/run/pcscd', { recursive: true });
  const port = await freePorts();
  const entry = (name: string, port: number): string =>
    `FRIENDLYNAME "${name}"\nDEVICENAME   /dev/null:0x${port.toString(16).toUpperCase()}\nLIBPATH      ${VPCD_DRIVER}\nCHANNELID    0x${port.toString(16).toUpperCase()}\n`;
  writeFileSync(join(conf, 'vpcd'), entry('YBJS Test Reader', port));
  let daemon = await launch(run, conf, timeoutMs);
  return {
    socket: join(run, 'pcscd.comm'),
    ports: { slot0: port, slot1: port + 1 },
    readerNames: { slot0: 'YBJS Test Reader 00 00', slot1: 'YBJS Test Reader 00 01' },
    log: () => daemon.output(),
    get alive() { return daemon.alive(); },
    kill: () => daemon.stop(),
    restart: async () => { await daemon.stop(); daemon = await launch(run, conf, timeoutMs); },
    stop: async () => {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Daemon { output(): string; alive(): boolean; stop(): Promise<void> }

async function launch(run: string, conf: string, timeoutMs: number): Promise<Daemon> {
  const script = `mount --bind "${run}" /run/pcscd && exec stdbuf -oL -eL /usr/sbin/pcscd --foreground --info --config "${conf}"`;
  const child: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`pcscd not ready within ${timeoutMs} ms:\n${output}`)); }, timeoutMs);
    child.once('error', (error) => { clearTimeout(timer); reject(new Error(`cannot run unshare/pcscd: ${error.message}`)); });
    const check = (): void => {
      if (output.includes('daemon ready') && existsSync(join(run, 'pcscd.comm'))) { clearTimeout(timer); resolve(); } else if (!exited) setTimeout(check, 20);
    };
    check();
    void exit.then(() => { clearTimeout(timer); reject(new Error(`pcscd exited early:\n${output}`)); });
  });
  return {
    output: () => output,
    alive: () => !exited,
    stop: async () => {
      if (!exited) { child.kill('SIGTERM'); await Promise.race([exit, new Promise((r) => setTimeout(r, 3000))]); }
      if (!exited) { child.kill('SIGKILL'); await exit; }
    },
  };
}
