/** Percentiles and number formatting shared by every part of the benchmark. */

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export type Summary = { n: number; p50: number; p95: number; p99: number; mean: number; max: number };

export function summarise(values: number[]): Summary {
  let max = Number.NaN;
  let sum = 0;
  for (const v of values) {
    sum += v;
    if (!(v <= max)) max = v;
  }
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: values.length ? sum / values.length : Number.NaN,
    max,
  };
}

export const ms = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(1) : "–");
export const kb = (bytes: number) => (bytes / 1000).toFixed(1);
export const mb = (kib: number | undefined) => (kib !== undefined && Number.isFinite(kib) ? (kib / 1024).toFixed(0) : "–");
export const mib = (bytes: number | undefined) => (bytes !== undefined && Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(0) : "–");

/** "p50 1.2 ms, p99 3.4 ms" */
export const latencyText = (s: Summary) => `p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms, max ${ms(s.max)} ms`;

/** Counts by key, most frequent first: "200 × 1234, 409 × 5". */
export function countsText(counts: Map<string, number>): string {
  if (counts.size === 0) return "none";
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} × ${n}`)
    .join(", ");
}

export function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** A deterministic pseudo-random source, so runs are comparable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

export const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
