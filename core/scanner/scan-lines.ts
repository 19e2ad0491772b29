// Serial 2D scanners send the decoded text followed by CR, LF or CR LF. This assembles complete
// codes from arbitrarily chunked bytes. Bounded: a line longer than `maxBytes` is dropped whole
// (a scanner glitch or the wrong device), never emitted truncated.
interface TextDecoderLike { decode(bytes: Uint8Array): string }
type TextDecoderCtor = new (label: string, options?: { fatal?: boolean }) => TextDecoderLike;

export type ScanLineEvent =
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'rejected'; readonly reason: 'too-long' | 'not-utf8' | 'incomplete'; readonly bytes: number };

const CR = 0x0d;
const LF = 0x0a;

export class ScanLineAssembler {
  private line: number[] = [];
  private overflowed = 0;
  private readonly utf8: TextDecoderLike;

  constructor(private readonly maxBytes = 1024) {
    // TextDecoder is a web-standard global; core/ has no DOM/Node typings, hence the minimal type.
    const Ctor = (globalThis as unknown as { TextDecoder: TextDecoderCtor }).TextDecoder;
    this.utf8 = new Ctor('utf-8', { fatal: true });
  }

  push(chunk: Uint8Array): ScanLineEvent[] {
    const events: ScanLineEvent[] = [];
    for (const byte of chunk) {
      if (byte === CR || byte === LF) { this.endLine(events); continue; }
      if (this.overflowed > 0) { this.overflowed++; continue; }
      if (this.line.length >= this.maxBytes) { this.overflowed = this.line.length + 1; this.line = []; continue; }
      this.line.push(byte);
    }
    return events;
  }

  /** The scanner went quiet mid-line: a code without its terminator is not trusted. */
  expire(): ScanLineEvent[] {
    const bytes = this.line.length + this.overflowed;
    this.line = [];
    this.overflowed = 0;
    return bytes > 0 ? [{ type: 'rejected', reason: 'incomplete', bytes }] : [];
  }

  get pending(): number {
    return this.line.length + this.overflowed;
  }

  private endLine(events: ScanLineEvent[]): void {
    if (this.overflowed > 0) {
      events.push({ type: 'rejected', reason: 'too-long', bytes: this.overflowed });
    } else if (this.line.length > 0) {
      try {
        events.push({ type: 'code', text: this.utf8.decode(Uint8Array.from(this.line)) });
      } catch {
        events.push({ type: 'rejected', reason: 'not-utf8', bytes: this.line.length });
      }
    }
    // An empty line is the LF of a CR LF pair (or a stray terminator): nothing to report.
    this.line = [];
    this.overflowed = 0;
  }
}
