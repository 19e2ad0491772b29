// The PC/SC binding (@pokusew/pcsclite, an optional dependency: it compiles against libpcsclite-dev
// at install time) loaded on first use, so a machine without it still runs every other reader kind
// and the PC/SC driver answers with one clear sentence instead of crashing at import.
//
// The binding's constructor retries SCardEstablishContext in a loop while the service is missing,
// which would freeze the event loop; on Linux/macOS the daemon's socket is therefore probed first.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export interface PcscReaderHandle {
  readonly name: string;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  connected: boolean;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  connect(options: { share_mode?: number; protocol?: number }, cb: (error: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, cb: (error: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (error: Error | null | undefined, response: Buffer) => void): void;
  close(): void;
}

export interface PcscContextHandle {
  on(event: 'reader', listener: (reader: PcscReaderHandle) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  close(): void;
}

type Factory = () => PcscContextHandle;

let loaded: { factory: Factory } | { error: string } | undefined;

/** The binding, or why it cannot be had (the sentence is shown to the technician). */
export function loadPcscBinding(): { factory: Factory } | { error: string } {
  if (loaded) return loaded;
  try {
    const require = createRequire(import.meta.url);
    loaded = { factory: require('@pokusew/pcsclite') as Factory };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    loaded = { error: `the PC/SC binding is not installed (@pokusew/pcsclite: ${detail}); on Linux install libpcsclite-dev and pcscd, then run npm install` };
  }
  return loaded;
}

/** The pcsc-lite daemon's socket: PCSCLITE_CSOCK_NAME when set (as libpcsclite reads it), else the default. */
export function pcscSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.PCSCLITE_CSOCK_NAME || '/run/pcscd/pcscd.comm';
}

/** Null when the smart-card service answers; otherwise the reason (Windows: always null, the binding starts SCardSvr). */
export async function probePcscService(timeoutMs = 1000): Promise<string | null> {
  if (process.platform === 'win32') return null;
  const path = pcscSocketPath();
  if (!existsSync(path)) return `the smart-card service is not running: no pcscd socket at ${path} (install pcscd, or sudo systemctl start pcscd)`;
  return new Promise((resolve) => {
    const socket = connect(path);
    const timer = setTimeout(() => { socket.destroy(); resolve(`the smart-card service did not answer on ${path} within ${timeoutMs} ms`); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.end(); resolve(null); });
    socket.once('error', (error) => { clearTimeout(timer); resolve(`the smart-card service is not running: ${path} refused the connection (${error.message})`); });
  });
}
