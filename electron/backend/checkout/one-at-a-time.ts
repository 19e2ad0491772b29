// One settle per sale at a time. A settle that arrives while another for the same sale is under way
// waits for that one's outcome and answers with it (the booked sale, or the same refusal), instead of
// reading the half-finished sale or booking a second attempt from stale data.
export class OneAtATime<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** Runs `work` for `key`, or — if a run for `key` is under way — waits for it; `joined` then maps its result. */
  async run(key: string, work: () => Promise<T>, joined: (result: T) => T): Promise<T> {
    const current = this.running.get(key);
    if (current) return joined(await current);
    const started = work();
    this.running.set(key, started);
    try {
      return await started;
    } finally {
      this.running.delete(key);
    }
  }

  /** Whether a run for `key` is under way (a reader can say so instead of showing a half-done state). */
  busy(key: string): boolean {
    return this.running.has(key);
  }
}
