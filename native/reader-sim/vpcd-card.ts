// A simulated card in vsmartcard's virtual reader (vpcd, the pcsc-lite driver of Debian's
// vsmartcard-vpcd): the same SimCard models as the serial simulator, answering over vpcd's TCP
// protocol, so the PC/SC driver is tested through the real pcscd. Connecting = inserting the card,
// closing = pulling it out.
//
// Protocol (vsmartcard, virtualsmartcard/doc "Creating a virtual smart card"): every message is a
// 2-byte big-endian length and a payload. A 1-byte payload from vpcd is a control command: 00 power
// off, 01 power on, 02 reset (no answer), 04 "send the ATR" (answered with the ATR). Any longer
// payload is a C-APDU, answered with the R-APDU.
import { connect, type Socket } from 'node:net';
import { type SimCard } from './card-model';

export type VpcdFault =
  /** Pull the card out instead of answering the n-th APDU (1-based) after insertion. */
  | { readonly kind: 'pull-at-apdu'; readonly n: number }
  /** Answer every APDU from the n-th on with a single byte (no status word). */
  | { readonly kind: 'garbage-from-apdu'; readonly n: number }
  /** Wait this long before each answer. */
  | { readonly kind: 'slow'; readonly ms: number };

export interface VpcdCardOptions {
  readonly port: number;
  readonly host?: string;
  /** Whether the card's protected records are open (as after a PSAM's authentication); default false. */
  readonly unlocked?: boolean;
  readonly faults?: readonly VpcdFault[];
}

export class VpcdCard {
  private socket: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private apdus = 0;
  /** APDUs answered since insertion (for tests and the benchmark). */
  get apduCount(): number { return this.apdus; }

  constructor(private readonly card: SimCard, private readonly options: VpcdCardOptions) {}

  /** Connects to vpcd: pcscd then sees a card in that slot. */
  insert(): Promise<void> {
    if (this.socket) return Promise.resolve();
    this.apdus = 0;
    this.card.reset(this.options.unlocked ?? false);
    return new Promise((resolve, reject) => {
      const socket = connect(this.options.port, this.options.host ?? '127.0.0.1');
      socket.setNoDelay(true);
      socket.once('connect', () => { this.socket = socket; resolve(); });
      socket.once('error', reject);
      socket.on('data', (chunk) => this.onData(chunk));
      socket.on('close', () => { if (this.socket === socket) this.socket = null; });
    });
  }

  /** Pulls the card out (closes the connection). */
  remove(): void {
    this.socket?.destroy();
    this.socket = null;
    this.buffer = Buffer.alloc(0);
  }

  get inserted(): boolean {
    return this.socket !== null;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 2) {
      const length = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + length) return;
      const payload = this.buffer.subarray(2, 2 + length);
      this.buffer = this.buffer.subarray(2 + length);
      void this.handle(new Uint8Array(payload));
    }
  }

  private async handle(payload: Uint8Array): Promise<void> {
    if (payload.length === 1) {
      const control = payload[0];
      if (control === 0x00 || control === 0x01 || control === 0x02) this.card.reset(this.options.unlocked ?? false);
      else if (control === 0x04) this.send(this.card.atr());
      return;
    }
    this.apdus += 1;
    const faults = this.options.faults ?? [];
    if (faults.some((f) => f.kind === 'pull-at-apdu' && f.n === this.apdus)) { this.remove(); return; }
    const slow = faults.find((f) => f.kind === 'slow');
    if (slow && slow.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, slow.ms));
    if (faults.some((f) => f.kind === 'garbage-from-apdu' && this.apdus >= f.n)) { this.send(Uint8Array.from([0x5a])); return; }
    this.send(this.card.process(payload));
  }

  private send(bytes: Uint8Array): void {
    const socket = this.socket;
    if (!socket) return;
    const header = Buffer.alloc(2);
    header.writeUInt16BE(bytes.length);
    socket.write(Buffer.concat([header, Buffer.from(bytes)]));
  }
}
