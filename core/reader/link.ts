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
