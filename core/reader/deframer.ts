// Incremental frame decoder with resynchronisation. Bytes arrive in any chunking; a candidate starts
// at F2 and is accepted only when LEN is in bounds, 03 sits after TEXT, the BCC matches and TEXT
// parses. On any failure one byte is dropped and the scan restarts at the next byte, because data
// bytes may equal F2 (spec "Frame").
import { bcc, type Frame, isTextKind, parseText } from './frame';
import { ETX, MAX_TEXT, MIN_TEXT, STX } from './table';

/**
 * noise      – bytes before any F2.
 * length     – F2 followed by a LEN outside MIN_TEXT..maxText.
 * kind       – the first TEXT byte is not C/P/N: cannot be a frame (dropped without waiting for LEN bytes).
 * etx / bcc  – a complete candidate without 03 in place / with a wrong BCC.
 * text       – framing correct, TEXT malformed (e.g. status not two digits).
 * incomplete – a candidate still waiting for bytes when the line went quiet (expire()).
 */
export type DropReason = 'noise' | 'length' | 'kind' | 'etx' | 'bcc' | 'text' | 'incomplete';

export type DeframerEvent =
  | { readonly type: 'frame'; readonly frame: Frame }
  | {
    readonly type: 'dropped';
    readonly reason: DropReason;
    readonly bytes: Uint8Array;
    /** For a candidate: the TEXT bytes it had (possibly fewer than LEN), to judge whose frame it was. */
    readonly text?: Uint8Array;
  };

export class Deframer {
  private buf = new Uint8Array(1024);
  private start = 0;
  private end = 0;

  constructor(private readonly maxText = MAX_TEXT) {}

  /** Bytes held back (an incomplete candidate). */
  get pending(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): DeframerEvent[] {
    this.append(chunk);
    return this.scan(false);
  }

  /** The line went quiet: give up on any incomplete candidate, resyncing through what is buffered. */
  expire(): DeframerEvent[] {
    return this.scan(true);
  }

  /** Discards everything buffered (before a new command: leftovers are stale). */
  reset(): Uint8Array {
    const dropped = this.buf.slice(this.start, this.end);
    this.start = this.end = 0;
    return dropped;
  }

  /** TEXT bytes of the pending candidate, or null when nothing frame-like is pending. */
  pendingText(): Uint8Array | null {
    if (this.pending < 1 || this.buf[this.start] !== STX) return null;
    return this.buf.slice(Math.min(this.start + 3, this.end), this.end);
  }

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.buf.subarray(this.start, this.end);
      const next = new Uint8Array(Math.max(this.buf.length, (live.length + chunk.length) * 2));
      next.set(live);
      this.buf = next;
      this.end = live.length;
      this.start = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private dropOne(events: DeframerEvent[], reason: DropReason, textEnd: number): void {
    const text = this.buf.slice(Math.min(this.start + 3, textEnd), textEnd);
    events.push({ type: 'dropped', reason, bytes: this.buf.slice(this.start, this.start + 1), text });
    this.start++;
  }

  private scan(expiring: boolean): DeframerEvent[] {
    const events: DeframerEvent[] = [];
    const b = this.buf;
    while (this.start < this.end) {
      const s = this.start;
      if (b[s] !== STX) {
        let e = s;
        while (e < this.end && b[e] !== STX) e++;
        events.push({ type: 'dropped', reason: 'noise', bytes: b.slice(s, e) });
        this.start = e;
        continue;
      }
      const available = this.end - s;
      if (available < 3) {
        if (!expiring) break;
        this.dropOne(events, 'incomplete', this.end);
        continue;
      }
      const len = (b[s + 1]! << 8) | b[s + 2]!;
      if (len < MIN_TEXT || len > this.maxText) { this.dropOne(events, 'length', s + 3); continue; }
      if (available >= 4 && !isTextKind(b[s + 3]!)) { this.dropOne(events, 'kind', s + 4); continue; }
      const total = len + 5;
      if (available < total) {
        if (!expiring) break;
        this.dropOne(events, 'incomplete', this.end);
        continue;
      }
      const textEnd = s + 3 + len;
      if (b[textEnd] !== ETX) { this.dropOne(events, 'etx', textEnd); continue; }
      if (bcc(b, s, textEnd + 1) !== b[textEnd + 1]) { this.dropOne(events, 'bcc', textEnd); continue; }
      const raw = b.slice(s, s + total);
      const frame = parseText(raw.subarray(3, 3 + len), raw);
      if (!frame) { this.dropOne(events, 'text', textEnd); continue; }
      events.push({ type: 'frame', frame });
      this.start = s + total;
    }
    if (this.start === this.end) this.start = this.end = 0;
    return events;
  }
}
