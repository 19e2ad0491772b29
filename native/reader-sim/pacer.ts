// Writes the simulator's bytes at the pace of a real wire (10 bits per byte at the configured baud),
// because a pseudo-terminal delivers everything at once. Also produces the deliberately bad timings
// of the fault modes: 1-byte fragments and slow chunks.
import { performance } from 'node:perf_hooks';

export type Segment =
  | { readonly kind: 'paced'; readonly bytes: Uint8Array }
  | { readonly kind: 'chunks'; readonly bytes: Uint8Array; readonly size: number; readonly gapMs: number }
  | { readonly kind: 'pause'; readonly ms: number };

/** Below this, a timer cannot be trusted to fire on time (Node's timers have 1 ms granularity). */
const TIMER_SLACK_MS = 1.5;

export class Pacer {
  private readonly queue: Segment[] = [];
  private running = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /**
   * The simulated line's own clock (ms, performance clock): when the segment before ended on the
   * wire. Pauses and frames advance it by their exact length, so timer lateness does not add up
   * from one segment to the next the way it would if each one started "now".
   */
  private lineAt = 0;

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

  /**
   * Sleeps until `at` without arriving late: a timer for all but the last TIMER_SLACK_MS, then
   * yielding turns of the event loop (setImmediate, so I/O still runs) until the moment. A real
   * wire delivers the last byte of a frame at its time, not up to a timer tick later.
   */
  private async sleepUntil(at: number): Promise<void> {
    const ahead = at - performance.now();
    if (ahead > TIMER_SLACK_MS) await this.sleep(ahead - TIMER_SLACK_MS);
    while (!this.stopped && performance.now() < at) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private async run(): Promise<void> {
    this.running = true;
    // After a silence the line starts now; within a burst, each segment follows the last one's end.
    this.lineAt = Math.max(this.lineAt, performance.now());
    try {
      while (!this.stopped && this.queue.length > 0) {
        const segment = this.queue.shift()!;
        if (segment.kind === 'pause') this.lineAt += segment.ms;
        else if (segment.kind === 'chunks') { await this.sleepUntil(this.lineAt); await this.chunks(segment.bytes, segment.size, segment.gapMs); this.lineAt = performance.now(); }
        else await this.paced(segment.bytes);
      }
      // A pause at the end of a burst (nothing after it) still holds the line.
      await this.sleepUntil(this.lineAt);
    } finally {
      this.running = false;
    }
  }

  private async paced(bytes: Uint8Array): Promise<void> {
    if (!this.pace) { this.send(bytes); return; }
    const start = this.lineAt;
    const end = start + bytes.length * this.byteMs;
    let sent = 0;
    while (sent < bytes.length && !this.stopped) {
      // Byte i has fully left the wire at start + (i + 1) × byteMs; deliver every byte that has.
      const due = Math.min(bytes.length, Math.floor((performance.now() - start) / this.byteMs));
      if (due > sent) { this.send(bytes.subarray(sent, due)); sent = due; }
      if (sent >= bytes.length) break;
      // Bytes in the middle of a frame may come a tick late (the host only acts on a whole frame);
      // the last one must come on time.
      const next = start + (sent + 1) * this.byteMs;
      if (end - next < TIMER_SLACK_MS) await this.sleepUntil(end);
      else await this.sleep(next - performance.now());
    }
    this.lineAt = end;
  }
  private async chunks(bytes: Uint8Array, size: number, gapMs: number): Promise<void> {
    for (let at = 0; at < bytes.length && !this.stopped; at += size) {
      if (at > 0) await this.sleep(gapMs);
      if (!this.stopped) this.send(bytes.subarray(at, at + size));
    }
  }
}
