// A registered benchmark. Each suite file in bench/suites/ exports `benchmarks: Benchmark[]`.
export interface BenchResult {
  metric: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≤ 30 ms"; omitted when the issue names none. */
  target?: string;
  /** Whether the value meets the target (undefined when there is no target). */
  pass?: boolean;
  note?: string;
}

export interface Benchmark {
  id: string;
  title: string;
  run(): Promise<BenchResult[]>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** Runs `fn` `iterations` times after `warmup` runs; returns sorted durations in ms. */
export async function timeIt(fn: () => unknown | Promise<unknown>, iterations: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}
