import { describe, expect, it } from 'vitest';
import { Distribution, EXACT_LIMIT, MAX_BUCKETS } from '../../src/metrics/distribution.js';

describe('Distribution', () => {
  it('nearest-rank percentiles over the exact values', () => {
    const d = new Distribution();
    for (const v of [151.25, 154, 175.8, 177.93, 180.3, 185.79, 201.92]) d.add(v);
    // 7 values: p50 is the 4th (ceil 3.5), p90 and p99 the 7th
    expect(d.summary()).toEqual({ p50: 177.93, p90: 201.92, p99: 201.92, avg: 175.28, max: 201.92 });
    expect(d.resolutionMs()).toBeNull();
  });

  it('has no summary without values, and ignores values that are not durations', () => {
    const d = new Distribution();
    d.add(Number.NaN);
    d.add(-1);
    expect(d.summary()).toBeNull();
    expect(d.count).toBe(0);
  });

  it('past EXACT_LIMIT values, reads percentiles from 0.1 ms buckets: within 0.1 ms of the exact ones', () => {
    const d = new Distribution();
    const values: number[] = [];
    // 30,000 values over 0..1,499.95 ms in 0.05 ms steps, shuffled deterministically: at most 15,000 buckets of 0.1 ms
    for (let i = 0; i < 30_000; i++) values.push(((i * 7919) % 30_000) / 20);
    for (const v of values) d.add(v);
    expect(d.resolutionMs()).toBe(0.1);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 99]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? NaN;
      const approx = d.percentile(p);
      expect(approx).toBeGreaterThanOrEqual(exact);
      expect(approx - exact).toBeLessThanOrEqual(0.1 + 1e-9);
    }
    // count, average and max stay exact
    expect(d.count).toBe(30_000);
    expect(d.summary()?.max).toBe(sorted[sorted.length - 1]);
    expect(EXACT_LIMIT).toBeLessThan(30_000);
  });

  it('widens its buckets rather than growing past MAX_BUCKETS, and says by how much', () => {
    const d = new Distribution();
    // 100,000 distinct values 0.1 ms apart: 10,000 ms of range -> 100,000 buckets at 0.1 ms, so it must widen to 0.8 ms
    for (let i = 0; i < 100_000; i++) d.add(i / 10);
    expect(d.resolutionMs()).toBe(0.8);
    expect(100_000 / 8).toBeLessThanOrEqual(MAX_BUCKETS);
    // exact p50 is 4999.9 (the 50,000th value); the bucket holding it ends at 5000.0
    expect(d.percentile(50)).toBeCloseTo(5000, 6);
  });
});
