// One command at a time over a ByteLink: send a frame, wait for the reply that echoes its CM PM,
// drop stale frames and noise, time out, and resend idempotent commands after a timeout or a
// damaged reply (at most `maxResends` times). Everything else (what the reply means) is the caller's.
//
// Waiting rules (spec "Timing and retries"):
// - the reply must start within the first-byte timeout (3 s card commands, 1 s reader commands);
// - a gap longer than `interByteMs` inside a frame ends it;
// - when the line goes quiet after a damaged or truncated frame that carries our CM PM, the attempt
//   fails at once (LINK_CHECKSUM / RESPONSE_TIMEOUT) instead of waiting out the first-byte timeout;
//   pure noise does not end the wait early, so garbage before a slow reply cannot provoke a resend.
import { CardError, type CardErrorCode } from '../card/errors';
import { Deframer, type DeframerEvent } from './deframer';
import { commandFrame, type Frame } from './frame';
import { type ByteLink, type Clock, type TimerHandle } from './link';
import { COMMANDS, type CommandName, DEFAULT_MAX_RESENDS, DEFAULT_TIMINGS, isResendable, MAX_TEXT, NEGATIVE_CODES, type ReaderTimings, TEXT_KIND } from './table';
import { type OutstandingCommand, type TraceSink } from './trace';

export interface SessionOptions {
  readonly timings?: Partial<ReaderTimings>;
  readonly maxResends?: number;
  readonly maxText?: number;
  readonly trace?: TraceSink;
}

type LinkFailureCode = Extract<CardErrorCode, 'RESPONSE_TIMEOUT' | 'LINK_CHECKSUM' | 'READER_DISCONNECTED'>;
type WaitResult = { readonly ok: true; readonly frame: Frame } | { readonly ok: false; readonly code: LinkFailureCode; readonly message: string };

interface Waiter {
  readonly cm: number;
  readonly pm: number;
  readonly command: OutstandingCommand;
  readonly firstByteMs: number;
  readonly resolve: (result: WaitResult) => void;
  /** Evidence that our reply arrived damaged ('corrupt') or cut short ('truncated'). */
  evidence: 'none' | 'truncated' | 'corrupt';
  deadlinePassed: boolean;
  bytesSeen: number;
  firstTimer?: TimerHandle;
  gapTimer?: TimerHandle;
}

const EMPTY = new Uint8Array();

export class ReaderSession {
  private readonly deframer: Deframer;
  private readonly timings: ReaderTimings;
  private readonly maxResends: number;
  private readonly trace: TraceSink;
  private readonly unsubscribe: Array<() => void>;
  private waiter: Waiter | null = null;
  private busy = false;
  private closedReason: string | null = null;

  constructor(private readonly link: ByteLink, private readonly clock: Clock, options: SessionOptions = {}) {
    this.deframer = new Deframer(options.maxText ?? MAX_TEXT);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.maxResends = options.maxResends ?? DEFAULT_MAX_RESENDS;
    this.trace = options.trace ?? (() => undefined);
    this.unsubscribe = [
      link.onData((chunk) => this.onData(chunk)),
      link.onClose((reason) => this.onLinkClosed(reason)),
    ];
    if (!link.isOpen) this.closedReason = 'the link was not open';
  }

  get isClosed(): boolean {
    return this.closedReason !== null;
  }

  /**
   * Sends `name` (with `data`; `pm` for commands whose PM is a parameter) and resolves with the
   * matching positive or negative reply. Rejects with a CardError RESPONSE_TIMEOUT, LINK_CHECKSUM or
   * READER_DISCONNECTED when no usable reply came after the allowed resends.
   */
  async exchange(name: CommandName, data: Uint8Array = EMPTY, pmParameter?: number): Promise<Frame> {
    const spec = COMMANDS[name];
    const pm = spec.pm ?? pmParameter;
    if (pm === undefined) throw new Error(`${name} needs a PM parameter`);
    if (this.busy) throw new Error('one command outstanding at a time: callers must serialise');
    this.busy = true;
    try {
      const command: OutstandingCommand = { name, data };
      const bytes = commandFrame(spec.cm, pm, data);
      const attempts = 1 + (isResendable(spec, data) ? this.maxResends : 0);
      let last: WaitResult & { ok: false } = { ok: false, code: 'RESPONSE_TIMEOUT', message: 'not sent' };
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (this.closedReason) throw new CardError('READER_DISCONNECTED', `${spec.name}: ${this.closedReason}`);
        if (attempt > 1) this.note(`resend ${attempt - 1}/${attempts - 1} of ${spec.name} after: ${last.message}`);
        const result = await this.attempt(spec.cm, pm, command, bytes, attempt, spec.timeout === 'card' ? this.timings.cardMs : this.timings.readerMs);
        if (result.ok) {
          const negative = result.frame.kind === 'negative' ? NEGATIVE_CODES[result.frame.status] : undefined;
          if (!negative?.linkError) return result.frame;
          last = { ok: false, code: 'LINK_CHECKSUM', message: `reader answered E${result.frame.status} (${negative.meaning})` };
          continue;
        }
        last = result;
        if (result.code === 'READER_DISCONNECTED') break;
      }
      const tries = attempts > 1 && last.code !== 'READER_DISCONNECTED' ? ` (${attempts} attempts)` : '';
      throw new CardError(last.code, `${spec.name}: ${last.message}${tries}`);
    } finally {
      this.busy = false;
    }
  }

  /** Stops listening and closes the link; an outstanding exchange fails with READER_DISCONNECTED. */
  async close(reason = 'the port was closed'): Promise<void> {
    this.onLinkClosed(reason);
    for (const off of this.unsubscribe) off();
    await this.link.close();
  }

  private async attempt(cm: number, pm: number, command: OutstandingCommand, bytes: Uint8Array, attempt: number, firstByteMs: number): Promise<WaitResult> {
    const leftovers = this.deframer.reset();
    if (leftovers.length > 0) this.trace({ kind: 'drop', at: this.clock.now(), bytes: leftovers, reason: 'leftover' });
    const result = new Promise<WaitResult>((resolve) => {
      // The waiter exists before the write, so a reply faster than the write callback is not lost.
      this.waiter = { cm, pm, command, firstByteMs, resolve, evidence: 'none', deadlinePassed: false, bytesSeen: 0 };
    });
    const waiter = this.waiter!;
    this.trace({ kind: 'tx', at: this.clock.now(), bytes, command, attempt });
    try {
      await this.link.write(bytes);
    } catch (error) {
      this.finish(waiter, { ok: false, code: 'READER_DISCONNECTED', message: `write failed: ${error instanceof Error ? error.message : String(error)}` });
    }
    if (this.waiter === waiter) waiter.firstTimer = this.clock.setTimer(firstByteMs, () => this.onDeadline(waiter));
    return result;
  }

  private onData(chunk: Uint8Array): void {
    const waiter = this.waiter;
    if (waiter) waiter.bytesSeen += chunk.length;
    this.handle(this.deframer.push(chunk));
    if (waiter && this.waiter === waiter) {
      if (waiter.gapTimer !== undefined) this.clock.clearTimer(waiter.gapTimer);
      waiter.gapTimer = this.clock.setTimer(this.timings.interByteMs, () => this.onGap(waiter));
    }
  }

  private handle(events: DeframerEvent[]): void {
    const at = this.clock.now();
    for (const event of events) {
      const waiter = this.waiter;
      if (event.type === 'frame') {
        const f = event.frame;
        const answers = waiter !== null && f.kind !== 'command' && f.cm === waiter.cm && f.pm === waiter.pm;
        this.trace({ kind: 'rx', at, bytes: f.raw, frame: f, command: answers ? waiter.command : undefined });
        if (answers) this.finish(waiter, { ok: true, frame: f });
        continue;
      }
      this.trace({ kind: 'drop', at, bytes: event.bytes, reason: event.reason });
      if (!waiter || !event.text) continue;
      if ((event.reason === 'bcc' || event.reason === 'etx' || event.reason === 'text') && this.isOurs(waiter, event.text, 3)) waiter.evidence = 'corrupt';
      else if (event.reason === 'incomplete' && waiter.evidence === 'none' && this.isOurs(waiter, event.text, 1)) waiter.evidence = 'truncated';
    }
  }

  /** Whether TEXT bytes (possibly a prefix) are those of a reply to the outstanding command. */
  private isOurs(waiter: Waiter, text: Uint8Array, minimum: number): boolean {
    if (text.length < minimum) return false;
    if (text.length >= 1 && text[0] !== TEXT_KIND.positive && text[0] !== TEXT_KIND.negative) return false;
    if (text.length >= 2 && text[1] !== waiter.cm) return false;
    return !(text.length >= 3 && text[2] !== waiter.pm);
  }

  private onGap(waiter: Waiter): void {
    if (this.waiter !== waiter) return;
    waiter.gapTimer = undefined;
    this.handle(this.deframer.expire());
    if (this.waiter !== waiter) return;
    if (waiter.evidence === 'corrupt') {
      this.finish(waiter, { ok: false, code: 'LINK_CHECKSUM', message: 'reply damaged (bad BCC or framing)' });
    } else if (waiter.evidence === 'truncated') {
      this.finish(waiter, { ok: false, code: 'RESPONSE_TIMEOUT', message: `reply stopped mid-frame (silence over ${this.timings.interByteMs} ms)` });
    } else if (waiter.deadlinePassed) {
      this.finish(waiter, { ok: false, code: 'RESPONSE_TIMEOUT', message: `no valid reply within ${waiter.firstByteMs} ms (${waiter.bytesSeen} bytes of noise)` });
    }
    // Otherwise only noise so far: keep waiting for the first-byte deadline.
  }

  private onDeadline(waiter: Waiter): void {
    if (this.waiter !== waiter) return;
    waiter.firstTimer = undefined;
    waiter.deadlinePassed = true;
    const pending = this.deframer.pendingText();
    // A frame that looks like ours is arriving: let the inter-byte timer decide.
    if (pending !== null && waiter.gapTimer !== undefined && this.isOurs(waiter, pending, 0)) return;
    const what = waiter.bytesSeen === 0 ? 'no reply' : `no valid reply (${waiter.bytesSeen} bytes of noise)`;
    this.finish(waiter, { ok: false, code: 'RESPONSE_TIMEOUT', message: `${what} within ${waiter.firstByteMs} ms` });
  }

  private finish(waiter: Waiter, result: WaitResult): void {
    if (this.waiter !== waiter) return;
    this.waiter = null;
    if (waiter.firstTimer !== undefined) this.clock.clearTimer(waiter.firstTimer);
    if (waiter.gapTimer !== undefined) this.clock.clearTimer(waiter.gapTimer);
    if (!result.ok) this.note(`${waiter.command.name}: ${result.message}`);
    waiter.resolve(result);
  }

  private onLinkClosed(reason: string): void {
    if (this.closedReason === null) {
      this.closedReason = reason;
      this.note(`link closed: ${reason}`);
    }
    if (this.waiter) this.finish(this.waiter, { ok: false, code: 'READER_DISCONNECTED', message: reason });
  }

  private note(message: string): void {
    this.trace({ kind: 'note', at: this.clock.now(), message });
  }
}
