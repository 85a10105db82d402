import { readFileSync } from 'node:fs';
import { byEstimatedInit, rankByPlan } from '../../src/cost/rank.js';
import { describe, expect, it } from 'vitest';
import { applyCostModel, formatUsd, parseCostFactors, parsePriceCatalog } from '../../src/cost/index.js';
import { initIsBilled, priceMonth, type MonthlyUsage } from '../../src/cost/model.js';
import { parseRate, toMicroUsd } from '../../src/cost/money.js';
import { projectFunction, rightSizedMemory, type CostContext } from '../../src/cost/project.js';
import type { FunctionResult } from '../../src/model/result.js';
import { sampleResult } from '../report/sample-result.js';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../rules/catalog/${file}`, import.meta.url), 'utf8'));
const catalog = parsePriceCatalog(read('lambda-prices.json'));
const factors = parseCostFactors(read('cost-factors.json'));
const usEast1 = catalog.regions.get('us-east-1');
if (usEast1 === undefined) throw new Error('us-east-1 missing from the price catalog');
const prices = usEast1;

const usage = (u: Partial<MonthlyUsage>): MonthlyUsage => ({
  architecture: 'x86_64',
  memoryMB: 1024,
  requests: 0n,
  invokeMs: 0n,
  initMs: 0n,
  initBilled: true,
  ...u,
});

describe('priceMonth (us-east-1)', () => {
  it('prices a month that crosses the first x86_64 tier', () => {
    // 1024 MB x 7e12 ms = 7e9 GB-s: 6e9 x $0.0000166667 = $100,000.20, then 1e9 x $0.000015 = $15,000 -> $115,000.20.
    const bill = priceMonth([usage({ invokeMs: 7_000_000_000_000n })], prices, null);
    expect(toMicroUsd(bill.total)).toBe(115_000_200_000);
  });

  it('prices an arm64 month, and the free tier separately', () => {
    // 512 MB, 3M requests of 1 s: 1.5M GB-s x $0.0000133334 = $20.0001; 3M x $0.20/1M = $0.60 -> $20.6001.
    // Free tier: 1M requests ($0.20) + 400,000 GB-s x $0.0000133334 ($5.33336) = $5.53336 -> $15.06674 left.
    const u = usage({ architecture: 'arm64', memoryMB: 512, requests: 3_000_000n, invokeMs: 3_000_000_000n });
    expect(toMicroUsd(priceMonth([u], prices, null).total)).toBe(20_600_100);
    const free = priceMonth([u], prices, catalog.freeTier);
    expect(toMicroUsd(free.freeTier ?? -1n)).toBe(5_533_360);
    expect(toMicroUsd(free.totalAfterFreeTier)).toBe(15_066_740);
  });

  it('adds INIT only from 2025-08-01 for managed ZIP runtimes; custom runtimes always paid', () => {
    // 1M requests x 100 ms x 1 GB = 100,000 GB-s ($1.66667) + $0.20 = $1.86667 before.
    // 10,000 cold starts x 800 ms x 1 GB = 8,000 GB-s x $0.0000166667 = $0.1333336 more after -> $2.0000036.
    const month = (date: string, runtime: string): number =>
      toMicroUsd(
        priceMonth(
          [
            usage({
              requests: 1_000_000n,
              invokeMs: 100_000_000n,
              initMs: 8_000_000n,
              initBilled: initIsBilled(runtime, 'Zip', date, factors.initBillingFrom.value),
            }),
          ],
          prices,
          null,
        ).total,
      );
    expect(month('2025-07-31', 'nodejs20.x')).toBe(1_866_670);
    expect(month('2025-08-01', 'nodejs20.x')).toBe(2_000_004);
    expect(month('2025-08-01', 'nodejs20.x') - month('2025-07-31', 'nodejs20.x')).toBe(133_334);
    expect(month('2025-07-31', 'provided.al2023')).toBe(2_000_004);
    expect(initIsBilled('nodejs18.x', 'Image', '2024-01-01', '2025-08-01')).toBe(true);
  });

  it('keeps money exact: a million 1 ms requests sum with no drift', () => {
    // 128 MB x 1 ms = 0.000125 GB-s each; x 1M = 125 GB-s x $0.0000166667 = $0.002083337500 exactly.
    const bill = priceMonth([usage({ memoryMB: 128, invokeMs: 1_000_000n })], prices, null);
    expect(bill.total).toBe(128n * 1_000_000n * parseRate('0.0000166667'));
    expect(toMicroUsd(bill.total)).toBe(2_083);
  });
});

function fnWith(metrics: Partial<NonNullable<FunctionResult['metrics']>>): FunctionResult {
  const first = sampleResult.functions.find((f) => f.name === 'createOrder');
  if (first === undefined || first.metrics === null) throw new Error('sample has no measured function');
  const fn: FunctionResult = structuredClone(first);
  fn.architecture = 'x86_64';
  fn.memoryMB = 1024;
  // The sample also shows ephemeral storage and provisioned concurrency; these hand-computed months leave them out.
  delete fn.ephemeralStorageMB;
  delete fn.provisionedConcurrency;
  fn.metrics = { ...first.metrics, config: null, memorySizeMB: 1024, ...metrics };
  return fn;
}

const ctx: CostContext = { prices, catalog, factors, region: 'us-east-1', invocations: null, coldStartRate: null, headroom: 0.3, billingDate: null };

describe('projectFunction', () => {
  it('scales a 14-day window to a 730-hour month', () => {
    // 730 h / 336 h = 2.172619: 14,000 invocations -> 30,417 requests; 140 cold starts -> 304.
    // Requests 30,417 x $0.0000002 = $0.0060834; invoke 30,417 x 100 ms x 1 GB = 3,041.7 GB-s x $0.0000166667 = $0.0506951;
    // INIT 304 x 500 ms x 1 GB = 152 GB-s = $0.0025333 -> $0.0593118.
    const fn = fnWith({
      window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-15T00:00:00.000Z' },
      invocations: 14_000,
      coldStarts: 140,
      durationMs: { p50: 100, p90: 100, p99: 100, avg: 100, max: 100 },
      initMs: { p50: 500, p90: 500, p99: 500, avg: 500, max: 500 },
    });
    const { cost } = projectFunction(fn, ctx);
    expect(cost.status).toBe('measured');
    expect(cost.usage).toMatchObject({ invocationsPerMonth: 30_417, coldStartsPerMonth: 304, windowDays: 14, scaleToMonth: 2.173 });
    expect(cost.monthly).toEqual({ requestsMicroUsd: 6_083, invokeMicroUsd: 50_695, initMicroUsd: 2_533, totalMicroUsd: 59_312 });
    expect(cost.factors.map((f) => f.name)).toContain('window scaled to a month');
  });

  it('prices arm64 at the arm64 rate with the same duration (a named factor)', () => {
    // Same GB-s at $0.0000133334: $0.0060834 + 3,193.7 GB-s x $0.0000133334 = $0.0486663 -> saving $0.0106455.
    const fn = fnWith({
      window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-15T00:00:00.000Z' },
      invocations: 14_000,
      coldStarts: 140,
      durationMs: { p50: 100, p90: 100, p99: 100, avg: 100, max: 100 },
      initMs: { p50: 500, p90: 500, p99: 500, avg: 500, max: 500 },
    });
    const arm = projectFunction(fn, ctx).cost.scenarios.find((s) => s.id === 'arm64');
    expect(arm?.monthly?.totalMicroUsd).toBe(48_666);
    expect(arm?.savingMicroUsd).toBe(59_312 - 48_666);
    expect(arm?.factors.map((f) => f.name)).toEqual(['price us-east-1 arm64', 'CPU share of duration', 'arm64 CPU time vs x86_64']);
  });

  it('right-sizes to max used + headroom in 64 MB steps and shows the CPU-share risk', () => {
    // 187 MB x 1.3 = 243.1 -> 256 MB fits the memory. But the handler does I/O (30% CPU), and at 1024 MB it has
    // 0.58 vCPU: at 256 MB duration = 0.7 + 0.3 x 4 = x1.9, at 320 MB 0.7 + 0.3 x 3.2 = x1.66, at 384 MB
    // 0.7 + 0.3 x 2.667 = x1.5: the first size inside the x1.5 slowdown budget.
    expect(rightSizedMemory(187, 0.3, factors)).toBe(256);
    expect(rightSizedMemory(50, 0.3, factors)).toBe(128);
    const fn = fnWith({ maxMemoryUsedMB: 187 });
    const rs = projectFunction(fn, ctx).cost.scenarios.find((s) => s.id === 'right-size');
    expect(rs?.shape?.memoryMB).toBe(384);
    expect(rs?.shape?.durationMs).toBeCloseTo(233.18 * 1.5, 6);
    expect(rs?.risks[0]).toMatch(/CPU share drops from 0.58 to 0.22 vCPU/);
    expect(rs?.confidence).toBe('low');
  });

  it('says "needs metrics" without measurements, and labels assumed usage', () => {
    const fn = fnWith({});
    fn.metrics = null;
    expect(projectFunction(fn, ctx).cost.status).toBe('needs_metrics');
    // 100,000 requests x 10% cold = 10,000 cold starts x (127 ms runtime + estimated init) at 1 GB.
    const assumed = projectFunction(fn, { ...ctx, invocations: 100_000, coldStartRate: 0.1 }).cost;
    expect(assumed.status).toBe('assumed');
    expect(assumed.monthly?.invokeMicroUsd).toBeNull();
    const initMs = 127 + (fn.init?.estInitMs ?? 0);
    // Each cold start bills ceil(init) ms: 10,000 x ceil(initMs) ms x 1 GB x $0.0000166667.
    expect(assumed.monthly?.initMicroUsd).toBe(Math.round((10_000 * Math.ceil(initMs) * 0.0000166667 * 1e6) / 1000));
    expect(assumed.factors.some((f) => f.value.includes('assumed'))).toBe(true);
  });

  it('blocks LLRT or Rust when the portability check does', () => {
    const fn = fnWith({});
    if (!fn.portability) throw new Error('sample has no portability');
    fn.portability.rust = {
      verdict: 'blocked',
      blockers: [{ kind: 'builtin', name: 'vm', file: 'src/a.ts', line: 1, column: 1, note: 'runs JS' }],
      risks: [],
    };
    const rust = projectFunction(fn, ctx).cost.scenarios.find((s) => s.id === 'rust');
    expect(rust?.status).toBe('blocked');
    expect(rust?.detail).toBe('blocked by vm');
  });
});

describe('applyCostModel', () => {
  it('ranks by saving per effort point and sums the service', () => {
    const fns = structuredClone(sampleResult.functions);
    const summary = applyCostModel(fns, catalog, factors, {
      region: 'us-east-1',
      invocations: null,
      coldStartRate: null,
      freeTier: false,
      headroom: null,
      billingDate: null,
    });
    // Pricing leaves the order alone; the result is ranked once, when it is assembled.
    expect(fns.map((f) => f.id)).toEqual(sampleResult.functions.map((f) => f.id));
    rankByPlan(fns, byEstimatedInit);
    expect(fns.map((f) => f.rank)).toEqual(fns.map((_, i) => i + 1));
    expect(summary.top.map((t) => t.id)).toEqual(
      fns
        .filter((f) => (f.plan?.savingMicroUsd ?? 0) > 0)
        .slice(0, 3)
        .map((f) => f.id),
    );
    const priorities = fns.filter((f) => f.plan?.monthlyNowMicroUsd !== null).map((f) => f.plan?.priority ?? 0);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    expect(summary.functionsPriced + summary.functionsNeedingMetrics).toBe(fns.length);
  });

  it('refuses a region it has no prices for, listing the priced ones', () => {
    const run = (): unknown =>
      applyCostModel([], catalog, factors, {
        region: 'il-central-1',
        invocations: null,
        coldStartRate: null,
        freeTier: false,
        headroom: null,
        billingDate: null,
      });
    expect(run).toThrow(
      /no Lambda prices for region 'il-central-1': no sourced figures for it yet; priced regions: af-south-1, ap-east-1, .*eu-central-1, .*us-west-2$/,
    );
  });
});

describe('formatUsd', () => {
  it('rounds only for display', () => {
    expect(formatUsd(115_000_200_000)).toBe('$115,000.20');
    expect(formatUsd(59_312)).toBe('$0.059');
    expect(formatUsd(2_083)).toBe('$0.0021');
    expect(formatUsd(0)).toBe('$0.00');
  });
});
