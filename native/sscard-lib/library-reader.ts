// The vendor-library driver: a CardReaderPort over a vendor's implementation of the standard 社保卡
// reader interface (iReadCardBas). The library lives in a child process (host.ts): a crash ends that
// process, a hang is ended by the timeout, and the next call starts a fresh one; the backend stays up.
//
//   const reader = createLibraryCardReader({ path: 'C:\\SSCard\\SSCardDriver.dll', convention: 'stdcall', mode: 3 });
//   const outcome = await reader.readCard();
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseBasicInfo, type ReadMode, READ_MODES, returnCodeError, summariseBasicInfo } from '../../core/card/basic-info';
import { CardError, toFailure } from '../../core/card/errors';
import { type BeepOutcome, type CardReadOutcome, type CardReaderPort, type ReaderStatusOutcome } from '../../core/card/port';
import { type TraceSink } from '../../core/reader/trace';
import { type HostReply, type HostRequest } from './protocol';

export type CallingConvention = 'cdecl' | 'stdcall';

export interface LibraryCardReaderOptions {
  /** The vendor's library (DLL on Windows, .so on Linux). */
  readonly path: string;
  /** __stdcall (most Windows reader DLLs) or cdecl; on 64-bit systems both are the same. */
  readonly convention?: CallingConvention;
  /** iType: 1 contact, 2 contactless, 3 auto contact first, 4 auto contactless first. */
  readonly mode?: ReadMode;
  /** Longest a library call may take before its process is stopped. */
  readonly timeoutMs?: number;
  readonly trace?: TraceSink;
  /** How to start the host process (tests and the packaged app differ); defaults to host.ts beside this file. */
  readonly host?: { readonly path: string; readonly execArgv: readonly string[] };
}

export interface LibraryProbe {
  readonly ok: boolean;
  readonly found: readonly string[];
  readonly message: string;
}

export interface LibraryCardReader extends CardReaderPort {
  /** The technician's path test: can the library be loaded, which standard functions does it export. */
  probe(): Promise<LibraryProbe>;
}

/** The output buffer handed to iReadCardBas: the standard's examples fit in 1 KiB; room to spare. */
const OUT_SIZE = 4096;
const DEFAULT_TIMEOUT_MS = 15_000;
const HOST_START_MS = 20_000;

function defaultHost(): { path: string; execArgv: string[] } {
  // Under tsx (development, tests, the CLIs) the host runs from source; the packaged app bundles it
  // as sscard-host.cjs beside the backend bundle (scripts/build-shell.mjs).
  const url = (import.meta as { url?: string }).url;
  // tsx is resolved here, not in the child: the child runs in the library's folder. (In the bundle
  // import.meta.url names backend-entry.cjs, scripts/build-shell.mjs.)
  if (url?.endsWith('.ts')) return { path: fileURLToPath(new URL('./host.ts', url)), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { path: join(__dirname, 'sscard-host.cjs'), execArgv: [] };
}

export function createLibraryCardReader(options: LibraryCardReaderOptions): LibraryCardReader {
  return new LibraryReader(options);
}

class LibraryReader implements LibraryCardReader {
  private child: ChildProcess | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;
  private lastStderr: () => string = () => '';

  constructor(private readonly options: LibraryCardReaderOptions) {}

  readCard(): Promise<CardReadOutcome> {
    return this.serialised(async () => {
      const mode = this.options.mode ?? 3;
      const reply = await this.request({ op: 'call', fn: 'iReadCardBas', mode, outSize: OUT_SIZE }, `iType=${mode} (${READ_MODES[mode]})`);
      if (reply.op !== 'call') throw new Error('host answered a call with a probe');
      if (reply.rc !== 0) throw returnCodeError('iReadCardBas', reply.rc);
      const text = decodeGbk(Buffer.from(reply.out, 'base64'));
      return { ok: true, holder: parseBasicInfo(text) } as const;
    });
  }

  status(): Promise<ReaderStatusOutcome> {
    return this.serialised(async () => {
      const probe = await this.probeNow();
      if (!probe.ok) throw new CardError('PORT_UNAVAILABLE', probe.message);
      // The standard interface has no card-presence call: presence is known only by reading.
      return { ok: true, firmware: `library ${basename(this.options.path)} (${probe.found.join(', ')})`, card: 'absent' } as const;
    });
  }

  async beep(): Promise<BeepOutcome> {
    return { ok: false, error: 'PORT_UNAVAILABLE', message: 'the standard reader interface has no buzzer call' };
  }

  probe(): Promise<LibraryProbe> {
    return this.serialised(async () => ({ ok: true as const, probe: await this.probeNow() })).then((r) => (r.ok ? r.probe : { ok: false, found: [], message: r.message }));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.stopChild();
  }

  private async probeNow(): Promise<LibraryProbe> {
    try {
      const reply = await this.request({ op: 'probe' }, '');
      const found = reply.op === 'probe' ? reply.found : [];
      if (!found.includes('iReadCardBas')) return { ok: false, found, message: `${basename(this.options.path)} loads but does not export iReadCardBas (exports: ${found.join(', ') || 'none of the standard functions'})` };
      return { ok: true, found, message: `${basename(this.options.path)} loaded; standard functions: ${found.join(', ')}` };
    } catch (error) {
      return { ok: false, found: [], message: error instanceof Error ? error.message : String(error) };
    }
  }

  private serialised<T extends { ok: boolean }>(work: () => Promise<T>): Promise<T | ReturnType<typeof toFailure>> {
    const run = this.queue.then(() => work()).catch((error: unknown) => toFailure(error, 'PORT_UNAVAILABLE'));
    this.queue = run;
    return run;
  }

  /** The host process, started and ready; the call timeout starts only after this. */
  private async ensureChild(): Promise<ChildProcess> {
    if (this.closed) throw new CardError('READER_DISCONNECTED', 'the library reader was closed');
    if (this.child && this.child.connected) return this.child;
    if (!existsSync(this.options.path)) throw new CardError('PORT_UNAVAILABLE', `library not found: ${this.options.path}`);
    const host = this.options.host ?? defaultHost();
    const child = fork(host.path, [], {
      execArgv: [...host.execArgv],
      // The vendor library often loads its own helpers from its folder.
      cwd: dirname(this.options.path),
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000); });
    this.lastStderr = () => stderr;
    child.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new CardError('PORT_UNAVAILABLE', `the library host process did not start within ${HOST_START_MS} ms`)); }, HOST_START_MS);
      child.once('message', () => { clearTimeout(timer); resolve(); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new CardError('PORT_UNAVAILABLE', `the library host process exited at start (code ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500)}`)); });
    });
    this.child = child;
    return child;
  }

  private stopChild(): void {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** One request to the host, with the call and its outcome in the trace. */
  private async request(body: { op: 'probe' } | { op: 'call'; fn: string; mode: number; outSize: number }, args: string): Promise<HostReply & { ok: true }> {
    const child = await this.ensureChild();
    const id = this.nextId++;
    const convention = this.options.convention ?? 'stdcall';
    const message = { id, lib: this.options.path, convention, ...body } as HostRequest;
    const fnName = body.op === 'call' ? body.fn : 'load';
    const limit = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    const trace = (rc: string, detail?: string): void => this.options.trace?.({ kind: 'call', at: started, fn: fnName, args: body.op === 'call' ? args : `"${basename(this.options.path)}", ${convention}`, rc, ms: performance.now() - started, detail });
    const reply = await new Promise<HostReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.stopChild();
        reject(new CardError('RESPONSE_TIMEOUT', `${fnName} did not return within ${limit} ms; the library process was stopped (it is started again on the next read)`));
      }, limit);
      const onMessage = (m: HostReply): void => { if (m.id === id) { cleanup(); resolve(m); } };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        cleanup();
        if (this.child === child) this.child = null;
        const said = this.lastStderr().trim().split('\n').filter((l) => l.trim()).slice(-6).join(' | ');
        reject(new CardError('READER_DISCONNECTED', `the library crashed during ${fnName} (${signal ? `signal ${signal}` : `exit code ${code}`}${said ? `: ${said.slice(0, 900)}` : ''}); the library process is started again on the next read`));
      };
      const cleanup = (): void => { clearTimeout(timer); child.off('message', onMessage); child.off('exit', onExit); };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(message);
    }).catch((error: unknown) => {
      trace(error instanceof CardError && error.code === 'RESPONSE_TIMEOUT' ? 'timeout' : 'crashed', error instanceof Error ? error.message : String(error));
      throw error;
    });
    if (!reply.ok) {
      trace(`${reply.stage} failed`, reply.message);
      throw new CardError('PORT_UNAVAILABLE', explainLoadError(reply.stage, this.options.path, reply.message));
    }
    if (reply.op === 'call') trace(String(reply.rc), reply.rc === 0 ? summariseBasicInfo(decodeGbk(Buffer.from(reply.out, 'base64'))) : undefined);
    else trace('loaded', reply.found.join(', '));
    return reply;
  }
}

function decodeGbk(bytes: Uint8Array): string {
  return new TextDecoder('gbk').decode(bytes);
}

/** The OS's refusal to load a library, in terms a technician can act on. */
export function explainLoadError(stage: 'load' | 'symbol', path: string, message: string): string {
  const name = basename(path);
  if (stage === 'symbol') return `${name} does not export the function (${message})`;
  const m = message.toLowerCase();
  if (m.includes('wrong elf class') || m.includes('%1 is not a valid win32') || m.includes('error 193') || m.includes('incompatible architecture') || m.includes('mach-o')) {
    return `${name} is built for another architecture (a 32-bit library cannot be loaded by this 64-bit program; ask the vendor for the 64-bit build): ${message}`;
  }
  if (m.includes('invalid elf header') || m.includes('file too short') || m.includes('not a valid')) return `${name} is not a loadable library: ${message}`;
  if (m.includes('no such file') || m.includes('cannot open shared object') || m.includes('error 126')) return `${name} or a library it needs was not found: ${message}`;
  return `cannot load ${name}: ${message}`;
}
