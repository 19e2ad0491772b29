// createCardReader: the CardReaderPort on top of the reader protocol. Composes a ReaderSession
// (framing, timeouts, resends) with the SSSE card application (core/card/read-card.ts). The link is
// opened on first use and reopened after an unplug, so a re-plugged reader works on the next call.
import { type CardReadOutcome, type CardReaderPort, type BeepOutcome, type ReaderStatusOutcome } from '../card/port';
import { CardError, type CardErrorCode, toFailure } from '../card/errors';
import { readSsseCard } from '../card/read-card';
import { type Frame } from './frame';
import { type ByteLink, type Clock } from './link';
import { ReaderSession, type SessionOptions } from './session';
import { COMMANDS, type CommandName, NEGATIVE_CODES, SLOT_STATUS, type SlotStatusCode, STATUS_OK } from './table';

export interface CardReaderOptions extends SessionOptions {
  /** Opens the link; rejects with a CardError PORT_UNAVAILABLE when it cannot. */
  readonly connect: () => Promise<ByteLink>;
  readonly clock: Clock;
  /**
   * After an APDU reply is lost for good the card state is unknown: cold reset and start again from
   * SELECT, at most this many times per read (spec "Timing and retries").
   */
  readonly restartsAfterLostReply?: number;
}

export interface SessionCardReader extends CardReaderPort {
  /** Whether a link is currently open (false after close() or an unplug). */
  readonly isOpen: boolean;
}

const LINK_FAILURES: readonly CardErrorCode[] = ['RESPONSE_TIMEOUT', 'LINK_CHECKSUM', 'READER_DISCONNECTED'];

export function createCardReader(options: CardReaderOptions): SessionCardReader {
  return new Reader(options);
}

class Reader implements SessionCardReader {
  private session: ReaderSession | null = null;
  /** The firmware the reader named on the current link: asked once per link, not on every poll. */
  private firmware: { readonly session: ReaderSession; readonly text: string } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: CardReaderOptions) {}

  get isOpen(): boolean {
    return this.session !== null && !this.session.isClosed;
  }

  readCard(): Promise<CardReadOutcome> {
    return this.serialised(async () => {
      const session = await this.ensureSession();
      const restarts = this.options.restartsAfterLostReply ?? 1;
      for (let restart = 0; ; restart++) {
        const atr = await this.powerOn(session);
        try {
          const { holder } = await readSsseCard((apdu) => this.apdu(session, apdu), atr);
          await this.powerOffQuietly(session);
          return { ok: true, holder } as const;
        } catch (error) {
          const lost = error instanceof CardError && (error.code === 'RESPONSE_TIMEOUT' || error.code === 'LINK_CHECKSUM');
          if (lost && restart < restarts && !session.isClosed) {
            this.note(`card state unknown after a lost reply (${error.message}): cold reset and start again from SELECT`);
            continue;
          }
          if (!(error instanceof CardError) || !LINK_FAILURES.includes(error.code)) await this.powerOffQuietly(session);
          throw error;
        }
      }
    });
  }

  status(): Promise<ReaderStatusOutcome> {
    return this.serialised(async () => {
      const session = await this.ensureSession();
      // A status poll queued just before a card read delays it (one command at a time), so the poll
      // is one exchange: the firmware cannot change while the link stays open (a re-plug reopens it).
      if (this.firmware?.session !== session) {
        const identify = this.positive(await session.exchange('identify'), 'identify');
        this.firmware = { session, text: String.fromCharCode(...identify.data).replace(/[^\x20-\x7e]/g, '?') };
      }
      const firmware = this.firmware.text;
      const status = this.positive(await session.exchange('status'), 'status', Object.keys(SLOT_STATUS));
      return { ok: true, firmware, card: SLOT_STATUS[status.status as SlotStatusCode] } as const;
    });
  }

  beep(durationMs = 100): Promise<BeepOutcome> {
    return this.serialised(async () => {
      const units = Math.min(255, Math.max(1, Math.round(durationMs / 10)));
      const session = await this.ensureSession();
      this.positive(await session.exchange('beep', new Uint8Array(), units), 'beep');
      return { ok: true } as const;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = null;
    // Closing first makes an outstanding exchange fail at once instead of waiting out its timeout.
    if (session) await session.close('the reader port was closed');
    await this.queue;
  }

  private serialised<T extends { ok: boolean }>(work: () => Promise<T>): Promise<T | ReturnType<typeof toFailure>> {
    const run = this.queue.then(() => work()).catch((error: unknown) => toFailure(error));
    this.queue = run;
    return run;
  }

  private async ensureSession(): Promise<ReaderSession> {
    if (this.closed) throw new CardError('READER_DISCONNECTED', 'the reader port was closed');
    if (this.session && !this.session.isClosed) return this.session;
    if (this.session) await this.session.close('reconnecting').catch(() => undefined);
    this.session = null;
    const link = await this.options.connect();
    if (this.closed) { await link.close(); throw new CardError('READER_DISCONNECTED', 'the reader port was closed'); }
    this.session = new ReaderSession(link, this.options.clock, this.options);
    return this.session;
  }

  private async powerOn(session: ReaderSession): Promise<Uint8Array> {
    const reply = await session.exchange('coldReset');
    if (reply.kind === 'negative') throw this.negative(reply, 'coldReset', 'onReset');
    this.positive(reply, 'coldReset');
    if (reply.data.length < 2) throw new CardError('NOT_SSCARD', `cold reset: ATR of ${reply.data.length} bytes`);
    return reply.data;
  }

  private async apdu(session: ReaderSession, command: Uint8Array): Promise<Uint8Array> {
    const reply = await session.exchange('apdu', command);
    if (reply.kind === 'negative') throw this.negative(reply, 'apdu', 'onCard');
    return this.positive(reply, 'apdu').data;
  }

  private async powerOffQuietly(session: ReaderSession): Promise<void> {
    if (session.isClosed) return;
    try {
      await session.exchange('powerOff');
    } catch {
      // Best effort: the outcome of the read is already decided.
    }
  }

  private positive(reply: Frame, name: CommandName, allowed: readonly string[] = [STATUS_OK]): Frame {
    if (reply.kind === 'negative') throw this.negative(reply, name, 'onCard');
    if (!allowed.includes(reply.status)) throw new CardError('LINK_CHECKSUM', `${COMMANDS[name].name}: reader answered status ${reply.status}, outside the protocol`);
    return reply;
  }

  private negative(reply: Frame, name: CommandName, when: 'onReset' | 'onCard'): CardError {
    const code = NEGATIVE_CODES[reply.status];
    const meaning = code?.meaning ?? 'code outside the protocol';
    return new CardError(code?.[when] ?? 'LINK_CHECKSUM', `${COMMANDS[name].name}: reader answered E${reply.status} (${meaning})`);
  }

  private note(message: string): void {
    this.options.trace?.({ kind: 'note', at: this.options.clock.now(), message });
  }
}
