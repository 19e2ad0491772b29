// Benchmarks report a median and a baseline measured in the same run, so the ratio means the same
// on a slow or a busy machine. Targets live here, never in timed unit tests.

export interface BenchResult {
  /** What was measured, e.g. "quote, 20-line basket". */
  readonly name: string;
  readonly unit: 'ms' | 'µs' | 'ops/s' | 'MiB';
  readonly median: number;
  /** What the median is compared with, measured in the same run. */
  readonly baselineName: string;
  readonly baseline: number;
  /** Optional note shown under the table (e.g. what a pharmacy should read into it). */
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(): Promise<BenchResult[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `fn` in milliseconds over `samples` samples of `batch` calls each (per call). */
export async function timeMedian(fn: () => unknown, options: { samples?: number; batch?: number; warmup?: number } = {}): Promise<number> {
  const { samples = 30, batch = 1, warmup = 3 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let b = 0; b < batch; b++) await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6 / batch);
  }
  return median(times);
}

export function ratio(result: BenchResult): number {
  return result.median / result.baseline;
}
