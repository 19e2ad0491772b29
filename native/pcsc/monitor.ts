// One PC/SC context: the readers the service reports, each with its last state and ATR, kept up to
// date by the binding's status events (card inserted/removed). The driver and `card list` read it.
import { CardError } from '../../core/card/errors';
import { SCARD_STATE } from '../../core/reader/pcsc-codes';
import { loadPcscBinding, type PcscContextHandle, type PcscReaderHandle, probePcscService } from './binding';

export interface PcscReaderState {
  readonly name: string;
  /** SCARD_STATE_* bits; null until the first status event. */
  readonly state: number | null;
  readonly atr: Uint8Array | null;
  readonly handle: PcscReaderHandle;
}

export type SlotView = 'absent' | 'present' | 'mute' | 'unknown';

export function slotOf(state: number | null): SlotView {
  if (state === null) return 'unknown';
  if (state & SCARD_STATE.MUTE) return 'mute';
  if (state & SCARD_STATE.PRESENT) return 'present';
  return 'absent';
}

let current: PcscMonitor | null = null;
let opening: Promise<PcscMonitor> | null = null;

export class PcscMonitor {
  private readonly readers = new Map<string, PcscReaderState>();
  private readonly listeners = new Set<() => void>();
  private failure: string | null = null;

  private constructor(private readonly context: PcscContextHandle) {
    context.on('error', (error) => { this.failure = error.message; this.changed(); });
    context.on('reader', (reader) => {
      this.readers.set(reader.name, { name: reader.name, state: null, atr: null, handle: reader });
      reader.on('status', (status) => {
        const atr = status.atr && status.atr.length > 0 ? new Uint8Array(status.atr) : null;
        this.readers.set(reader.name, { name: reader.name, state: status.state, atr: status.state & SCARD_STATE.PRESENT ? atr : null, handle: reader });
        this.changed();
      });
      reader.on('error', () => undefined);
      reader.on('end', () => { this.readers.delete(reader.name); this.changed(); });
      this.changed();
    });
  }

  /**
   * The process's context, opened on first use and reopened after the service went away. It is never
   * closed: the binding's close() joins its per-reader status threads synchronously and can block the
   * event loop for good when a cancel is missed, so the context lives as long as the process (like the
   * OS service itself); a process that is done exits.
   */
  static async shared(settleMs = 300): Promise<PcscMonitor> {
    if (current && !current.broken) return current;
    opening ??= PcscMonitor.open(settleMs).finally(() => { opening = null; });
    current = await opening;
    return current;
  }

  /** Probes the service, loads the binding and waits `settleMs` for the first reader list. */
  private static async open(settleMs: number): Promise<PcscMonitor> {
    const binding = loadPcscBinding();
    if ('error' in binding) throw new CardError('PORT_UNAVAILABLE', binding.error);
    const down = await probePcscService();
    if (down) throw new CardError('PORT_UNAVAILABLE', down);
    const monitor = new PcscMonitor(binding.factory());
    await monitor.settle(settleMs);
    return monitor;
  }

  /** Set when the service went away (the context is then useless: open a new monitor). */
  get broken(): string | null {
    return this.failure;
  }

  list(): PcscReaderState[] {
    return [...this.readers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): PcscReaderState | undefined {
    return this.readers.get(name);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once `test` holds (checked on every change) or after `ms`, with whether it held. */
  waitFor(test: () => boolean, ms: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const off = this.onChange(() => { if (test()) { clearTimeout(timer); off(); resolve(true); } });
      const timer = setTimeout(() => { off(); resolve(test()); }, ms);
    });
  }

  /** Waits until every known reader has reported its state (the first listing), at most `ms`. */
  private async settle(ms: number): Promise<void> {
    const started = Date.now();
    await this.waitFor(() => this.readers.size > 0 || this.failure !== null, ms);
    await this.waitFor(() => [...this.readers.values()].every((r) => r.state !== null), Math.max(50, ms - (Date.now() - started)));
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
