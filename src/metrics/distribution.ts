import type { MeasuredDistribution } from '../model/result.js';

/** Up to this many values per metric the percentiles are exact (nearest rank over the sorted values). */
export const EXACT_LIMIT = 10_000;
/** Past EXACT_LIMIT values go to a histogram of 0.1 ms buckets; above this many buckets the width doubles. */
export const MAX_BUCKETS = 16_384;
const BASE_RESOLUTION_HUNDREDTHS = 10; // 0.1 ms, in hundredths of a ms (REPORT lines carry two decimals)

/**
 * One metric (init, duration) of one function, in bounded memory: count, sum and max are exact always; percentiles
 * are exact for modest counts and, past EXACT_LIMIT values, read from a fixed-resolution histogram (0.1 ms buckets,
 * widened by doubling only if more than MAX_BUCKETS distinct buckets appear), so a multi-GB export never holds
 * more than ~16k buckets per metric. A histogram percentile is the upper edge of its bucket, capped at the max.
 */
export class Distribution {
  count = 0;
  sum = 0;
  max = Number.NEGATIVE_INFINITY;
  private exact: number[] | null = [];
  private buckets: Map<number, number> | null = null;
  /** Bucket width in hundredths of a ms. */
  private width = BASE_RESOLUTION_HUNDREDTHS;

  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
    if (this.exact !== null) {
      this.exact.push(value);
      if (this.exact.length > EXACT_LIMIT) this.toHistogram();
      return;
    }
    this.addToBuckets(value, 1);
  }

  /** Null when the percentiles are exact, else the bucket width in ms. */
  resolutionMs(): number | null {
    return this.exact !== null ? null : this.width / 100;
  }

  summary(): MeasuredDistribution | null {
    if (this.count === 0) return null;
    return {
      p50: round2(this.percentile(50)),
      p90: round2(this.percentile(90)),
      p99: round2(this.percentile(99)),
      avg: round2(this.sum / this.count),
      max: round2(this.max),
    };
  }

  /** Nearest rank: the smallest value with at least p% of the values at or below it. */
  percentile(p: number): number {
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    if (this.exact !== null) {
      this.exact.sort((a, b) => a - b);
      return this.exact[rank - 1] ?? Number.NaN;
    }
    const buckets = this.buckets ?? new Map<number, number>();
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const key of keys) {
      seen += buckets.get(key) ?? 0;
      if (seen >= rank) return Math.min(this.max, ((key + 1) * this.width) / 100);
    }
    return this.max;
  }

  private toHistogram(): void {
    const values = this.exact ?? [];
    this.exact = null;
    this.buckets = new Map();
    for (const v of values) this.addToBuckets(v, 1);
  }

  private addToBuckets(value: number, n: number): void {
    const buckets = this.buckets ?? (this.buckets = new Map());
    const key = Math.floor(Math.round(value * 100) / this.width);
    buckets.set(key, (buckets.get(key) ?? 0) + n);
    if (buckets.size > MAX_BUCKETS) this.widen();
  }

  private widen(): void {
    const old = this.buckets ?? new Map<number, number>();
    this.width *= 2;
    const merged = new Map<number, number>();
    // floor(v / 2w) === floor(floor(v / w) / 2): merging keys is exact, no value is re-read.
    for (const [key, n] of old) {
      const k = Math.floor(key / 2);
      merged.set(k, (merged.get(k) ?? 0) + n);
    }
    this.buckets = merged;
    if (merged.size > MAX_BUCKETS) this.widen();
  }
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
