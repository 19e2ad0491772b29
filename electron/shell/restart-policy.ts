// When the backend's utility process dies: restart with exponential backoff, and give up after
// maxCrashes crashes inside a sliding window (a crash loop would otherwise spin forever).

export interface RestartPolicyOptions {
  readonly maxCrashes: number;
  readonly windowMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = { maxCrashes: 5, windowMs: 10 * 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export type CrashDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly action: 'give-up'; readonly crashesInWindow: number };

export class RestartPolicy {
  private crashTimes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
    if (options.maxCrashes < 1 || options.baseDelayMs < 0 || options.maxDelayMs < options.baseDelayMs || options.windowMs <= 0) {
      throw new Error(`restart policy: invalid options ${JSON.stringify(options)}`);
    }
  }

  recordCrash(now: number): CrashDecision {
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < this.options.windowMs), now];
    const crashesInWindow = this.crashTimes.length;
    if (crashesInWindow >= this.options.maxCrashes) return { action: 'give-up', crashesInWindow };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (crashesInWindow - 1));
    return { action: 'restart', delayMs, crashesInWindow };
  }

  /** After the operator asks for a restart (tray menu), the count starts again. */
  reset(): void {
    this.crashTimes = [];
  }
}
