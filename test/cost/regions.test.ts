import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCostModel, parseCostFactors, parsePriceCatalog, pricedRegions } from '../../src/cost/index.js';
import type { RegionPrices } from '../../src/cost/data.js';
import { priceMonth, type MonthlyUsage } from '../../src/cost/model.js';
import { toMicroUsd } from '../../src/cost/money.js';
import { monthlyOf, projectFunction, type CostContext, type Volume } from '../../src/cost/project.js';
import { pickConfig } from '../../src/metrics/aws.js';
import type { FunctionResult, FunctionShape } from '../../src/model/result.js';
import { sampleResult } from '../report/sample-result.js';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../rules/catalog/${file}`, import.meta.url), 'utf8'));
const catalog = parsePriceCatalog(read('lambda-prices.json'));
const factors = parseCostFactors(read('cost-factors.json'));
const region = (name: string): RegionPrices => {
  const r = catalog.regions.get(name);
  if (r === undefined) throw new Error(`${name} is not priced`);
  return r;
};

/** 1M requests of 100 ms and 10,000 cold starts of 500 ms, at 1 GB: 100,000 GB-s invoke + 5,000 GB-s INIT. */
const volume: Volume = { requests: 1_000_000n, coldStarts: 10_000n, durationKnown: true };
const shape = (s: Partial<FunctionShape>): FunctionShape => ({
  runtime: 'nodejs20.x',
  architecture: 'x86_64',
  memoryMB: 1024,
  initMs: 500,
  durationMs: 100,
  maxMemoryMB: null,
  ...s,
});
const usage = (u: Partial<MonthlyUsage>): MonthlyUsage => ({
  architecture: 'x86_64',
  memoryMB: 1024,
  requests: 0n,
  invokeMs: 0n,
  initMs: 0n,
  initBilled: true,
  ...u,
});

describe('rules/catalog/lambda-prices.json', () => {
  it('prices 24 regions, each with its own source and date, and lists the rest as missing with the reason', () => {
    const names = pricedRegions(catalog);
    expect(names).toHaveLength(24);
    expect(names).toEqual(
      expect.arrayContaining(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1']),
    );
    for (const r of catalog.regions.values()) {
      expect(r.source, r.region).toMatch(/https:\/\//);
      expect(r.date, r.region).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.compute.x86_64.length, r.region).toBeGreaterThan(0);
      expect(r.compute.arm64.length, r.region).toBeGreaterThan(0);
    }
    expect(catalog.missing.regions).toEqual(['ap-south-2', 'ap-southeast-3', 'ca-west-1', 'eu-south-2', 'il-central-1', 'me-central-1']);
    expect(catalog.missing.regions.filter((r) => catalog.regions.has(r))).toEqual([]);
    expect(catalog.missing.why).toMatch(/\S/);
  });

  it('keeps the sourced differences: eu-west-1 computes like us-east-1 but its provisioned concurrency and storage cost more', () => {
    const use1 = region('us-east-1');
    const euw1 = region('eu-west-1');
    expect(euw1.compute.x86_64[0]?.text).toBe(use1.compute.x86_64[0]?.text);
    expect(euw1.provisioned.x86_64?.concurrency.text).toBe('0.000004646');
    expect(use1.provisioned.x86_64?.concurrency.text).toBe('0.0000041667');
    expect(euw1.ephemeral.x86_64?.text).toBe('0.000000034');
    // Only us-east-1 has sourced arm64 provisioned-concurrency rates.
    expect([...catalog.regions.values()].filter((r) => r.provisioned.arm64 !== null).map((r) => r.region)).toEqual(['us-east-1']);
  });
});

describe('a month outside us-east-1', () => {
  it('prices eu-central-2 (Zurich) at its own request and compute rates', () => {
    // requests 1M x $0.22/1M = $0.22; invoke 100,000 GB-s x $0.0000183334 = $1.83334;
    // INIT 5,000 GB-s x $0.0000183334 = $0.091667 -> $2.145007.
    expect(monthlyOf(shape({}), volume, true, region('eu-central-2'), factors).cost).toEqual({
      requestsMicroUsd: 220_000,
      invokeMicroUsd: 1_833_340,
      initMicroUsd: 91_667,
      totalMicroUsd: 2_145_007,
    });
    // arm64: 105,000 GB-s x $0.0000146667 = $1.5400035 + $0.22 = $1.7600035 -> 1,760,004 micro-USD (half up).
    expect(monthlyOf(shape({ architecture: 'arm64' }), volume, true, region('eu-central-2'), factors).cost.totalMicroUsd).toBe(1_760_004);
  });

  it('prices past the only sourced tier at its rate and says so', () => {
    // 1024 MB x 7e12 ms = 7e9 GB-s x $0.0000183334 = $128,333.80: the 6B bound is passed, the rest is an upper bound.
    const bill = priceMonth([usage({ invokeMs: 7_000_000_000_000n })], region('eu-central-2'), null);
    expect(toMicroUsd(bill.total)).toBe(128_333_800_000);
    expect(bill.beyondSourcedTiers).toEqual(['x86_64']);
    // us-east-1's last tier is open-ended: nothing to flag.
    expect(priceMonth([usage({ invokeMs: 7_000_000_000_000n })], region('us-east-1'), null).beyondSourcedTiers).toEqual([]);
  });
});

describe('ephemeral storage', () => {
  it('bills the MB above the free 512 MB on the billed duration, INIT included', () => {
    // 10,240 MB - 512 MB = 9,728 MB = 9.5 GB; billed 100,000 s invoke + 5,000 s INIT = 105,000 s;
    // 9.5 GB x 105,000 s = 997,500 GB-s x $0.0000000367 (eu-central-1) = $0.03660825.
    // Compute as us-east-1: $0.20 + $1.66667 + $0.0833335 -> total $1.98661175.
    const eu = monthlyOf(shape({ ephemeralStorageMB: 10_240 }), volume, true, region('eu-central-1'), factors);
    expect(eu.cost).toEqual({
      requestsMicroUsd: 200_000,
      invokeMicroUsd: 1_666_670,
      initMicroUsd: 83_334,
      ephemeralMicroUsd: 36_608,
      totalMicroUsd: 1_986_612,
    });
    // The same storage in us-east-1: 997,500 GB-s x $0.0000000309 = $0.03082275.
    expect(monthlyOf(shape({ ephemeralStorageMB: 10_240 }), volume, true, region('us-east-1'), factors).cost.ephemeralMicroUsd).toBe(30_823);
    // At the default 512 MB there is no line at all.
    expect(monthlyOf(shape({}), volume, true, region('us-east-1'), factors).cost.ephemeralMicroUsd).toBeUndefined();
  });

  it('takes the deployed EphemeralStorage.Size over the IaC when metrics read it', () => {
    expect(pickConfig({ FunctionName: 'f', EphemeralStorage: { Size: 10_240 } }).config.ephemeralStorageMB).toBe(10_240);
    expect(pickConfig({ FunctionName: 'f' }).config).not.toHaveProperty('ephemeralStorageMB');
    const first = sampleResult.functions.find((f) => f.name === 'createOrder');
    if (first?.metrics?.config === undefined || first.metrics.config === null) throw new Error('sample createOrder has no deployed config');
    const fn: FunctionResult = structuredClone(first);
    if (fn.metrics?.config) fn.metrics.config.ephemeralStorageMB = 4096;
    const ctx: CostContext = {
      prices: region('us-east-1'),
      catalog,
      factors,
      region: 'us-east-1',
      invocations: null,
      coldStartRate: null,
      headroom: 0.3,
      billingDate: null,
    };
    expect(projectFunction(fn, ctx).cost.current?.ephemeralStorageMB).toBe(4096);
  });
});

describe('provisioned concurrency', () => {
  const warm: Volume = { requests: 1_000_000n, coldStarts: 1_000n, durationKnown: true };

  it('bills the units for 730 h, invocations at the provisioned duration rate and spill-over INIT on demand', () => {
    // 2 units x 1 GB x 730 h x 3,600 s = 5,256,000 GB-s x $0.0000041667 = $21.9001752;
    // invoke 100,000 GB-s x $0.0000097222 = $0.97222; INIT 1,000 x 0.5 s x 1 GB = 500 GB-s x $0.0000166667 = $0.00833335;
    // requests $0.20 -> $23.08072855.
    expect(monthlyOf(shape({ provisionedConcurrency: 2 }), warm, true, region('us-east-1'), factors).cost).toEqual({
      requestsMicroUsd: 200_000,
      invokeMicroUsd: 972_220,
      initMicroUsd: 8_333,
      provisionedMicroUsd: 21_900_175,
      totalMicroUsd: 23_080_729,
    });
    // arm64 in us-east-1: 5,256,000 x $0.0000033334 = $17.5203504; 100,000 x $0.0000077778 = $0.77778;
    // 500 x $0.0000133334 = $0.0066667; + $0.20 -> $18.5047971.
    expect(monthlyOf(shape({ architecture: 'arm64', provisionedConcurrency: 2 }), warm, true, region('us-east-1'), factors).cost.totalMicroUsd).toBe(
      18_504_797,
    );
    // eu-central-1, 1 unit of 512 MB: 0.5 GB x 2,628,000 s = 1,314,000 GB-s x $0.0000050147 = $6.5893158.
    expect(monthlyOf(shape({ memoryMB: 512, provisionedConcurrency: 1 }), warm, true, region('eu-central-1'), factors).cost.provisionedMicroUsd).toBe(
      6_589_316,
    );
  });

  it('leaves arm64 provisioned concurrency unpriced where no rate is sourced, and prices the invocations on demand', () => {
    // eu-central-1 arm64: invoke 100,000 GB-s x $0.0000133334 = $1.33334, INIT $0.0066667, requests $0.20 -> $1.5400067.
    const m = monthlyOf(shape({ architecture: 'arm64', provisionedConcurrency: 2 }), warm, true, region('eu-central-1'), factors);
    expect(m.cost.provisionedMicroUsd).toBeNull();
    expect(m.cost.totalMicroUsd).toBe(1_540_007);
    expect(m.unpriced).toEqual(['provisioned concurrency (eu-central-1 arm64; invocations priced on demand)']);
  });

  it('keeps the free tier off a function with provisioned concurrency', () => {
    const u = usage({ requests: 1_000_000n, invokeMs: 100_000_000n, provisionedUnitMs: 2_628_000_000n });
    expect(toMicroUsd(priceMonth([u], region('us-east-1'), catalog.freeTier).freeTier ?? -1n)).toBe(0);
  });

  it('does not call a scenario a saving when it only drops out of the priced data', () => {
    const first = sampleResult.functions.find((f) => f.name === 'createOrder');
    if (first === undefined) throw new Error('sample has no createOrder');
    const fn: FunctionResult = structuredClone(first);
    const ctx: CostContext = {
      prices: region('eu-central-1'),
      catalog,
      factors,
      region: 'eu-central-1',
      invocations: null,
      coldStartRate: null,
      headroom: 0.3,
      billingDate: null,
    };
    const { cost } = projectFunction(fn, ctx);
    expect(cost.current).toMatchObject({ ephemeralStorageMB: 2048, provisionedConcurrency: 1 });
    expect(cost.factors.map((f) => f.name)).toEqual(expect.arrayContaining(['ephemeral storage', 'provisioned concurrency']));
    // x86_64 provisioned concurrency is priced in eu-central-1; arm64's is not, so the arm64 move is not comparable.
    expect(cost.monthly?.provisionedMicroUsd).not.toBeNull();
    const arm = cost.scenarios.find((s) => s.id === 'arm64');
    expect(arm).toMatchObject({ status: 'not_applicable', monthly: null, savingMicroUsd: null });
    expect(arm?.detail).toMatch(/^not comparable: provisioned concurrency \(eu-central-1 arm64/);
  });
});

describe('the rest of the account in the tiers (--account-gb-seconds)', () => {
  it('starts this service where the rest of the account ends', () => {
    // 200,000 GB-s (1024 MB x 2e8 ms). Alone: all first tier, 200,000 x $0.0000166667 = $3.33334.
    // After 5,999,900,000 GB-s elsewhere: 100,000 x $0.0000166667 + 100,000 x $0.000015 = $1.66667 + $1.50 = $3.16667.
    const u = usage({ invokeMs: 200_000_000n });
    expect(toMicroUsd(priceMonth([u], region('us-east-1'), null).total)).toBe(3_333_340);
    expect(toMicroUsd(priceMonth([u], region('us-east-1'), null, { accountGbSeconds: { x86_64: 5_999_900_000n } }).total)).toBe(3_166_670);
    // Another architecture's usage does not move x86_64's tiers.
    expect(toMicroUsd(priceMonth([u], region('us-east-1'), null, { accountGbSeconds: { arm64: 5_999_900_000n } }).total)).toBe(3_333_340);
  });

  it('is an API option and says so in the summary', () => {
    const fns = structuredClone(sampleResult.functions);
    const summary = applyCostModel(fns, catalog, factors, {
      region: 'us-east-1',
      invocations: null,
      coldStartRate: null,
      freeTier: false,
      headroom: null,
      billingDate: null,
      accountMonthlyGbSeconds: { x86_64: 5_999_900_000 },
    });
    expect(summary.notes).toContain(
      "the compute tiers start after the rest of the account's on-demand GB-seconds this month (x86_64 5999900000; --account-gb-seconds)",
    );
  });
});
