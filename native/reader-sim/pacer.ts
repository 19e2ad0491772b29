// Writes the simulator's bytes at the pace of a real wire (10 bits per byte at the configured baud),
// because a pseudo-terminal delivers everything at once. Also produces the deliberately bad timings
// of the fault modes: 1-byte fragments and slow chunks.
import { performance } from 'node:perf_hooks';

export type Segment =
  | { readonly kind: 'paced'; readonly bytes: Uint8Array }
  | { readonly kind: 'chunks'; readonly bytes: Uint8Array; readonly size: number; readonly gapMs: number }
  | { readonly kind: 'pause'; readonly ms: number };

export class Pacer {
  private readonly queue: Segment[] = [];
  private running = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** When the simulated line is free again (ms, performance clock). */
  private lineFreeAt = 0;

  constructor(private readonly send: (bytes: Uint8Array) => void, private readonly baud: number, private readonly pace = true) {}

  /** Time one byte takes on the wire, in ms. */
  get byteMs(): number {
    return 10_000 / this.baud;
  }

  enqueue(...segments: Segment[]): void {
    if (this.stopped) return;
    this.queue.push(...segments);
    if (!this.running) void this.run();
  }

  /** Drops what is queued and stops at once (unplug, close). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  get idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, Math.max(0, ms));
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.queue.length > 0) {
        const segment = this.queue.shift()!;
        if (segment.kind === 'pause') await this.sleep(segment.ms);
        else if (segment.kind === 'chunks') await this.chunks(segment.bytes, segment.size, segment.gapMs);
        else await this.paced(segment.bytes);
      }
    } finally {
      this.running = false;
    }
  }

  private async paced(bytes: Uint8Array): Promise<void> {
    if (!this.pace) { this.send(bytes); return; }
    const start = Math.max(performance.now(), this.lineFreeAt);
    let sent = 0;
    while (sent < bytes.length && !this.stopped) {
      // Byte i has fully left the wire at start + (i + 1) × byteMs; deliver every byte that has.
      const due = Math.min(bytes.length, Math.floor((performance.now() - start) / this.byteMs));
      if (due > sent) { this.send(bytes.subarray(sent, due)); sent = due; }
      if (sent < bytes.length) await this.sleep(start + (sent + 1) * this.byteMs - performance.now());
    }
    this.lineFreeAt = start + bytes.length * this.byteMs;
  }

  private async chunks(bytes: Uint8Array, size: number, gapMs: number): Promise<void> {
    for (let at = 0; at < bytes.length && !this.stopped; at += size) {
      if (at > 0) await this.sleep(gapMs);
      if (!this.stopped) this.send(bytes.subarray(at, at + size));
    }
  }
}
