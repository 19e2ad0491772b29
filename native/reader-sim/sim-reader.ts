// The simulated reader: speaks the reference protocol (same table and framer as the driver) on the
// far end of a link, with a card slot, an optional PSAM stand-in and the fault modes of faults.ts.
// Output goes through a Pacer so that timings are those of a real wire.
import { asciiBytes, concatBytes } from '../../core/card/bytes';
import { Deframer } from '../../core/reader/deframer';
import { commandFrame, type Frame, negativeFrame, positiveFrame } from '../../core/reader/frame';
import { COMMANDS, TEXT_KIND } from '../../core/reader/table';
import { type SimCard } from './card-model';
import { faultApplies, type SimFault } from './faults';
import { Pacer, type Segment } from './pacer';

export interface SimReaderOptions {
  /** Wire speed for pacing (default 38400). */
  readonly baud?: number;
  /** Pace bytes at the baud (default true). */
  readonly pace?: boolean;
  readonly firmware?: string;
  /**
   * 'emulated': the reader behaves as if its PSAM had done the RKSSSE external authentication at
   * power-on, so 3rd-generation holder data reads. A simulator stand-in: the reference protocol has
   * no PSAM commands. 'none' (default): 3rd-generation holder records answer 6982.
   */
  readonly psam?: 'none' | 'emulated';
  readonly faults?: readonly SimFault[];
  /** Card processing time before a reset or APDU reply (default 0). */
  readonly cardLatencyMs?: number;
  /** Called when an 'unplug' fault fires; the owner kills the link (socat, or the in-process pair). */
  readonly onUnplug?: () => void;
}

type Slot = { card: SimCard; powered: boolean } | { card: null; removedWhilePowered: boolean };

export class SimReader {
  readonly firmware: string;
  /** Every beep the host asked for, in ms. */
  readonly beeps: number[] = [];
  /** Every command received, as "CM PM" hex, for assertions. */
  readonly commands: string[] = [];
  private readonly deframer = new Deframer();
  private readonly pacer: Pacer;
  private readonly faults: readonly SimFault[];
  private slot: Slot = { card: null, removedWhilePowered: false };
  private recordsRead = 0;
  private unplugged = false;
  private seed = 1;

  constructor(send: (bytes: Uint8Array) => void, private readonly options: SimReaderOptions = {}) {
    this.firmware = options.firmware ?? 'SIM-CRT288-REF 1.0';
    this.faults = options.faults ?? [];
    this.pacer = new Pacer(send, options.baud ?? 38400, options.pace ?? true);
  }

  insert(card: SimCard): void {
    this.slot = { card, powered: false };
    this.recordsRead = 0;
  }

  remove(): void {
    this.slot = { card: null, removedWhilePowered: this.slot.card !== null && this.slot.powered };
  }

  get cardInserted(): boolean {
    return this.slot.card !== null;
  }

  /** Bytes from the host. */
  receive(bytes: Uint8Array): void {
    if (this.unplugged) return;
    for (const event of this.deframer.push(bytes)) {
      if (event.type === 'frame') {
        if (event.frame.kind === 'command') this.onCommand(event.frame);
      } else if ((event.reason === 'bcc' || event.reason === 'etx') && event.text?.[0] === TEXT_KIND.command && event.text.length >= 3) {
        // A damaged command: say so, like a real reader (E02), so the host can resend.
        this.pacer.enqueue({ kind: 'paced', bytes: negativeFrame(event.text[1]!, event.text[2]!, '02') });
      }
    }
  }

  /** Stops sending (pending output is dropped). */
  stop(): void {
    this.pacer.stop();
  }

  get idle(): boolean {
    return this.pacer.idle;
  }

  private onCommand(frame: Frame): void {
    const index = this.commands.length;
    this.commands.push(`${hex(frame.cm)} ${hex(frame.pm)}`);
    const active = this.faults.filter((f) => faultApplies(f, index));
    if (active.some((f) => f.kind === 'unplug')) {
      this.unplugged = true;
      this.pacer.stop();
      this.options.onUnplug?.();
      return;
    }
    if (active.some((f) => f.kind === 'damagedCommands')) {
      this.pacer.enqueue({ kind: 'paced', bytes: negativeFrame(frame.cm, frame.pm, '02') });
      return;
    }
    const isApdu = frame.cm === COMMANDS.apdu.cm && frame.pm === COMMANDS.apdu.pm;
    const cardIo = isApdu || (frame.cm === COMMANDS.coldReset.cm && (frame.pm === COMMANDS.coldReset.pm || frame.pm === COMMANDS.warmReset.pm));
    const reply = this.answer(frame);
    if (reply.positive && isApdu && frame.data[1] === 0xb2) this.countRecord();
    if (active.some((f) => f.kind === 'silence')) return;
    this.pacer.enqueue(...this.shape(reply.bytes, active, frame, cardIo && reply.positive));
  }

  private countRecord(): void {
    this.recordsRead++;
    const pull = this.faults.find((f) => f.kind === 'removeBetweenRecords');
    if (pull && pull.kind === 'removeBetweenRecords' && this.recordsRead === pull.afterRecords) this.remove();
  }

  /** The correct reply to a command. */
  private answer(frame: Frame): { bytes: Uint8Array; positive: boolean } {
    const { cm, pm, data } = frame;
    const ok = (payload: Uint8Array = new Uint8Array(), status = '00'): { bytes: Uint8Array; positive: boolean } => ({ bytes: positiveFrame(cm, pm, status, payload), positive: true });
    const no = (code: string): { bytes: Uint8Array; positive: boolean } => ({ bytes: negativeFrame(cm, pm, code), positive: false });
    const is = (c: { cm: number; pm: number | null }): boolean => c.cm === cm && (c.pm === null || c.pm === pm);
    const slot = this.slot;
    if (is(COMMANDS.identify)) return ok(asciiBytes(this.firmware));
    if (is(COMMANDS.status)) return ok(new Uint8Array(), slot.card === null ? '00' : slot.powered ? '02' : '01');
    if (is(COMMANDS.beep)) { this.beeps.push(pm * 10); return ok(); }
    if (is(COMMANDS.powerOff)) { if (slot.card) slot.powered = false; return ok(); }
    if (is(COMMANDS.coldReset) || is(COMMANDS.warmReset)) {
      if (slot.card === null) return no('60');
      if (is(COMMANDS.warmReset) && !slot.powered) return no('63');
      if (slot.card.mute) return no('62');
      slot.card.reset(this.options.psam === 'emulated');
      slot.powered = true;
      return ok(slot.card.atr());
    }
    if (is(COMMANDS.apdu)) {
      if (slot.card === null) return no(slot.removedWhilePowered ? '61' : '60');
      if (!slot.powered) return no('63');
      if (data.length < 4) return no('01');
      return ok(slot.card.process(data));
    }
    return no('00');
  }

  /** Applies the active faults to a reply: what goes on the wire, and how fast. */
  private shape(reply: Uint8Array, active: readonly SimFault[], command: Frame, cardWork: boolean): Segment[] {
    const has = (kind: SimFault['kind']): SimFault | undefined => active.find((f) => f.kind === kind);
    let bytes = reply;
    if (has('badBcc')) { bytes = Uint8Array.from(bytes); bytes[bytes.length - 1]! ^= 0x5a; }
    const segments: Segment[] = [];
    // A pty hands over the host's command at once; on a wire it takes its bytes' time to arrive,
    // and the reader cannot answer before the last one. Pacing covers both directions.
    if (this.options.pace ?? true) segments.push({ kind: 'pause', ms: command.raw.length * this.pacer.byteMs });
    const latency = this.options.cardLatencyMs ?? 0;
    if (cardWork && latency > 0) segments.push({ kind: 'pause', ms: latency });
    const delay = has('delay');
    if (delay && delay.kind === 'delay') segments.push({ kind: 'pause', ms: delay.ms });
    const midFrame = has('removeMidFrame');
    if (midFrame && midFrame.kind === 'removeMidFrame') {
      segments.push({ kind: 'paced', bytes: bytes.subarray(0, midFrame.keepBytes ?? 6) });
      this.remove();
      return segments;
    }
    if (has('staleReplies')) bytes = concatBytes(this.staleReplyFor(command), bytes);
    if (has('garbage')) bytes = concatBytes(this.garbageBefore(), bytes, this.garbageAfter());
    const slow = has('slowChunks');
    const fragments = has('fragments');
    if (slow && slow.kind === 'slowChunks') segments.push({ kind: 'chunks', bytes, size: slow.chunkBytes ?? 8, gapMs: slow.gapMs ?? 250 });
    else if (fragments && fragments.kind === 'fragments') segments.push({ kind: 'chunks', bytes, size: 1, gapMs: fragments.gapMs ?? 2 });
    else segments.push({ kind: 'paced', bytes });
    return segments;
  }

  /** A valid reply frame to some other command: the host must drop it as stale. */
  private staleReplyFor(command: Frame): Uint8Array {
    if (command.cm === COMMANDS.status.cm && command.pm === COMMANDS.status.pm) return positiveFrame(COMMANDS.identify.cm, COMMANDS.identify.pm, '00', asciiBytes(this.firmware));
    return positiveFrame(COMMANDS.status.cm, COMMANDS.status.pm, '01');
  }

  private noise(n: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      // xorshift: deterministic noise, never F2 (stray F2 bytes are placed on purpose below).
      this.seed ^= this.seed << 13; this.seed ^= this.seed >>> 17; this.seed ^= this.seed << 5;
      const b = (this.seed >>> 0) & 0xff;
      out.push(b === 0xf2 ? 0x2f : b);
    }
    return out;
  }

  private garbageBefore(): Uint8Array {
    const fakeCommand = commandFrame(0x99, 0x99, Uint8Array.from([0x01]));
    fakeCommand[fakeCommand.length - 1]! ^= 0xff; // a short fake frame with a wrong BCC
    return Uint8Array.from([
      ...this.noise(5), 0xf2, // stray F2
      ...this.noise(3), 0xf2, 0xff, 0xff, // LEN far above 512
      ...this.noise(2), 0xf2, 0x00, 0x02, 0x50, 0x03, 0x51, // LEN below 3
      ...fakeCommand,
      0xf2, 0x00, 0x04, 0x4e, 0x00, // a candidate cut short by the real reply
      ...this.noise(4),
    ]);
  }

  private garbageAfter(): Uint8Array {
    return Uint8Array.from([...this.noise(4), 0xf2, 0x00]);
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}
