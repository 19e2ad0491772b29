// The two ports the reader protocol needs from the outside world: a byte link (a serial port, or
// the in-process virtual reader) and a clock. core/ cannot touch Node, so native/ supplies both.

export interface ByteLink {
  /** Resolves when the bytes are handed to the OS; rejects when the link is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribes to incoming bytes; returns the unsubscribe function. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Called once if the link closes by itself (unplugged, port vanished). */
  onClose(listener: (reason: string) => void): () => void;
  readonly isOpen: boolean;
  /** Closes the link; safe to call twice. */
  close(): Promise<void>;
}

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The subscriber lists every ByteLink keeps: incoming bytes, and a close notice given once. */
export class LinkListeners {
  private readonly data = new Set<(bytes: Uint8Array) => void>();
  private readonly closed = new Set<(reason: string) => void>();
  private closeReported = false;

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.data.add(listener);
    return () => this.data.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    this.closed.add(listener);
    return () => this.closed.delete(listener);
  }

  emitData(bytes: Uint8Array): void {
    for (const listener of this.data) listener(bytes);
  }

  /** Tells the close listeners once; later calls do nothing. */
  emitClose(reason: string): void {
    if (this.closeReported) return;
    this.closeReported = true;
    for (const listener of this.closed) listener(reason);
  }
}
