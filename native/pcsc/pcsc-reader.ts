// The PC/SC driver: a CardReaderPort over WinSCard / pcsc-lite, driving the same SSSE card
// application as the serial driver (the APDUs are the card's, not the reader's). The reader may be
// named (one slot of a dual reader: contact "… ICC …" or contactless "… PICC …"), or left to the
// driver, which takes the reader holding a card, contact slots first.
//
//   const reader = createPcscCardReader({ reader: null });
//   const outcome = await reader.readCard();
//
// A 3rd-generation card's holder data needs the RKSSSE key of a PSAM; a PC/SC reader alone has none,
// so such a card ends in PSAM_REQUIRED (the vendor library with its PSAM slot reads it).
import { performance } from 'node:perf_hooks';
import { toSpacedHex } from '../../core/card/bytes';
import { CardError, toFailure } from '../../core/card/errors';
import { type BeepOutcome, type CardReadOutcome, type CardReaderPort, type ReaderStatusOutcome } from '../../core/card/port';
import { readSsseCard } from '../../core/card/read-card';
import { classifyPcscError, isContactlessName } from '../../core/reader/pcsc-codes';
import { type TraceSink } from '../../core/reader/trace';
import { type PcscReaderHandle } from './binding';
import { PcscMonitor, type PcscReaderState, slotOf } from './monitor';

export interface PcscCardReaderOptions {
  /** Exact PC/SC reader name; null picks the reader holding a card (contact slots first). */
  readonly reader?: string | null;
  readonly trace?: TraceSink;
  /** Longest wait for one APDU answer before the read gives up (the service has its own limits too). */
  readonly apduTimeoutMs?: number;
  /** How long a read waits for the reader list and the card's ATR to arrive. */
  readonly settleMs?: number;
  /** After an answer without a status word, how long to watch the slot for a removal. */
  readonly removalWaitMs?: number;
}

export interface PcscCardReader extends CardReaderPort {
  /** The readers the service reports now (opens the context if need be). */
  list(): Promise<Array<{ name: string; card: string; atr: string | null; contactless: boolean }>>;
}

/** R-APDU buffer: 256 data bytes + SW, with room for an extended answer. */
const RESPONSE_MAX = 258 + 256;

export function createPcscCardReader(options: PcscCardReaderOptions = {}): PcscCardReader {
  return new PcscReader(options);
}

class PcscReader implements PcscCardReader {
  private monitor: PcscMonitor | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: PcscCardReaderOptions) {}

  readCard(): Promise<CardReadOutcome> {
    return this.serialised(async () => {
      const reader = await this.pickReader();
      const slot = slotOf(reader.state);
      if (slot === 'absent') throw new CardError('NO_CARD', `${reader.name}: no card in the reader`);
      if (slot === 'mute') throw new CardError('NOT_SSCARD', `${reader.name}: the card does not answer reset (mute, or inserted the wrong way)`);
      const protocol = await this.call<number>('SCardConnect', `"${reader.name}", EXCLUSIVE, T0|T1`, (done) =>
        reader.handle.connect({ share_mode: reader.handle.SCARD_SHARE_EXCLUSIVE, protocol: reader.handle.SCARD_PROTOCOL_T0 | reader.handle.SCARD_PROTOCOL_T1 }, done),
      (p) => (p === reader.handle.SCARD_PROTOCOL_T1 ? 'T=1' : 'T=0'));
      try {
        const monitor = this.monitor!;
        await monitor.waitFor(() => monitor.get(reader.name)?.atr != null, this.options.settleMs ?? 1000);
        const atr = monitor.get(reader.name)?.atr;
        if (!atr) throw new CardError('CARD_REMOVED', `${reader.name}: the card gave no ATR (removed during power-on?)`);
        const { holder } = await readSsseCard((apdu) => this.transmit(reader.handle, apdu, protocol), atr);
        return { ok: true, holder } as const;
      } finally {
        await this.disconnect(reader.handle);
      }
    });
  }

  status(): Promise<ReaderStatusOutcome> {
    return this.serialised(async () => {
      const reader = await this.pickReader();
      const slot = slotOf(reader.state);
      const card = slot === 'absent' || slot === 'unknown' ? 'absent' : reader.handle.connected ? 'powered' : 'present';
      return { ok: true, firmware: `PC/SC ${reader.name}`, card } as const;
    });
  }

  async beep(): Promise<BeepOutcome> {
    // PC/SC defines no buzzer command; vendors' escape commands (SCardControl) differ per model.
    return { ok: false, error: 'PORT_UNAVAILABLE', message: 'PC/SC readers have no standard buzzer command' };
  }

  async list(): Promise<Array<{ name: string; card: string; atr: string | null; contactless: boolean }>> {
    const monitor = await this.ensureMonitor();
    return monitor.list().map((r) => ({ name: r.name, card: slotOf(r.state), atr: r.atr ? toSpacedHex(r.atr).replace(/ /g, '') : null, contactless: isContactlessName(r.name) }));
  }

  /** Waits for the call in progress; the process-wide PC/SC context stays open (see PcscMonitor.shared). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.monitor = null;
  }

  private serialised<T extends { ok: boolean }>(work: () => Promise<T>): Promise<T | ReturnType<typeof toFailure>> {
    const run = this.queue.then(() => work()).catch((error: unknown) => toFailure(error));
    this.queue = run;
    return run;
  }

  private async ensureMonitor(): Promise<PcscMonitor> {
    if (this.closed) throw new CardError('READER_DISCONNECTED', 'the PC/SC reader was closed');
    if (this.monitor && !this.monitor.broken) return this.monitor;
    if (this.monitor) this.note(`smart-card service lost (${this.monitor.broken}): reconnecting`);
    this.monitor = null;
    this.monitor = await PcscMonitor.shared(this.options.settleMs ?? 300);
    return this.monitor;
  }

  private async pickReader(): Promise<PcscReaderState> {
    const monitor = await this.ensureMonitor();
    const wanted = this.options.reader ?? null;
    const settle = this.options.settleMs ?? 1000;
    if (wanted !== null) {
      await monitor.waitFor(() => monitor.get(wanted)?.state != null, settle);
      const found = monitor.get(wanted);
      if (!found) throw new CardError('READER_DISCONNECTED', `PC/SC reader "${wanted}" is not connected (present: ${monitor.list().map((r) => r.name).join(', ') || 'none'})`);
      return found;
    }
    await monitor.waitFor(() => monitor.list().length > 0, settle);
    const readers = monitor.list();
    if (readers.length === 0) throw new CardError('PORT_UNAVAILABLE', 'no PC/SC reader is connected');
    const withCard = readers.filter((r) => slotOf(r.state) === 'present' || slotOf(r.state) === 'mute');
    const contactFirst = [...withCard].sort((a, b) => Number(isContactlessName(a.name)) - Number(isContactlessName(b.name)));
    return contactFirst[0] ?? readers[0]!;
  }

  private async transmit(handle: PcscReaderHandle, command: Uint8Array, protocol: number): Promise<Uint8Array> {
    const started = performance.now();
    const limit = this.options.apduTimeoutMs ?? 5000;
    try {
      const response = await new Promise<Uint8Array>((resolve, reject) => {
        const timer = setTimeout(() => reject(new CardError('RESPONSE_TIMEOUT', `the card did not answer within ${limit} ms`)), limit);
        handle.transmit(Buffer.from(command), RESPONSE_MAX, protocol, (error, data) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(new Uint8Array(data));
        });
      });
      this.emit({ kind: 'apdu', at: started, command, response, ms: performance.now() - started });
      if (response.length < 2) await this.failIfCardGone(handle.name);
      return response;
    } catch (error) {
      const failure = this.asCardError(error, 'SCardTransmit');
      this.emit({ kind: 'apdu', at: started, command, response: null, ms: performance.now() - started, error: failure.message });
      throw failure;
    }
  }

  /**
   * An answer without a status word: vpcd (and some CCID readers) hand back an empty answer when the
   * card vanishes mid-exchange. If the slot empties shortly after, the card was pulled, not garbled.
   */
  private async failIfCardGone(name: string): Promise<void> {
    const monitor = this.monitor;
    if (!monitor) return;
    const gone = await monitor.waitFor(() => slotOf(monitor.get(name)?.state ?? null) !== 'present', this.options.removalWaitMs ?? 1500);
    if (gone) throw new CardError('CARD_REMOVED', `${name}: the card was removed during the read`);
  }

  /** One binding call with its outcome in the trace (the return code as the SCARD name). */
  private async call<T>(fn: string, args: string, run: (done: (error: Error | null | undefined, value: T) => void) => void, show: (value: T) => string): Promise<T> {
    const started = performance.now();
    try {
      const value = await new Promise<T>((resolve, reject) => run((error, v) => (error ? reject(error) : resolve(v))));
      this.emit({ kind: 'call', at: started, fn, args, rc: 'SCARD_S_SUCCESS', ms: performance.now() - started, detail: show(value) });
      return value;
    } catch (error) {
      const failure = this.asCardError(error, fn);
      this.emit({ kind: 'call', at: started, fn, args, rc: classifyPcscError(String(error instanceof Error ? error.message : error)).name, ms: performance.now() - started });
      throw failure;
    }
  }

  private async disconnect(handle: PcscReaderHandle): Promise<void> {
    if (!handle.connected) return;
    await this.call('SCardDisconnect', 'UNPOWER_CARD', (done) => handle.disconnect(handle.SCARD_UNPOWER_CARD, (e) => done(e, undefined)), () => '').catch(() => undefined);
  }

  private asCardError(error: unknown, fn: string): CardError {
    if (error instanceof CardError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const failure = classifyPcscError(message);
    return new CardError(failure.outcome, `${fn}: ${failure.name} (${failure.meaning})`);
  }

  private emit(event: Parameters<TraceSink>[0]): void {
    this.options.trace?.(event);
  }

  private note(message: string): void {
    this.emit({ kind: 'note', at: performance.now(), message });
  }
}
