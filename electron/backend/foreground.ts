// Counts the checkout requests in flight, so background work (the 3505 reporter) can wait for the
// counter to be idle instead of landing its centre calls and commits inside a sale's steps.
// The wait is capped: background work is delayed, never starved, and a request that itself waits on
// the background cannot deadlock it.

export class Foreground {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly maxWaitMs = 2_000) {}

  /** A foreground request started; the returned function ends it (calling it twice is harmless). */
  enter(): () => void {
    this.inFlight += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
      if (this.inFlight === 0) this.release();
    };
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once no foreground request is in flight, or after maxWaitMs at the latest. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, this.maxWaitMs);
      timer.unref?.();
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(finish);
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
