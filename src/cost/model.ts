import type { Architecture } from '../model/result.js';
import type { PriceCatalog, PriceTier, RegionPrices } from './data.js';
import { computeCost, itemCost, MB_MS_PER_GB_SECOND, type Money } from './money.js';

/** One function's billable month: whole requests and whole billed milliseconds (Lambda bills in 1 ms steps). */
export interface MonthlyUsage {
  architecture: Architecture;
  memoryMB: number;
  requests: bigint;
  /** Billed ms of the invoke phase, summed over the month. */
  invokeMs: bigint;
  /** INIT ms summed over the month's cold starts (from `Init Duration`, never from `Billed Duration`). */
  initMs: bigint;
  /** False for INIT that was free (managed ZIP runtimes before 2025-08-01): the ms are kept, not priced. */
  initBilled: boolean;
}

export interface UsageBill {
  requests: Money;
  invoke: Money;
  init: Money;
  total: Money;
  /** Billed MB-ms (memory x time), INIT included when billed. */
  mbMs: bigint;
}

export interface MonthBill {
  /** One per usage, in order; compute carries its share of the account-wide tiered rate of its architecture. */
  usages: UsageBill[];
  total: Money;
  /** What the free tier would take off (requests, then GB-seconds at the first-tier rate); null when not applied. */
  freeTier: Money | null;
  totalAfterFreeTier: Money;
}

/** Tiered compute for an architecture's aggregate month. Tiers are cumulative GB-second bounds. */
export function tieredCompute(mbMs: bigint, tiers: readonly PriceTier[]): Money {
  let cost = 0n;
  let from = 0n;
  for (const tier of tiers) {
    const upper = tier.upToGbSeconds === null ? null : tier.upToGbSeconds * MB_MS_PER_GB_SECOND;
    const inTier = upper === null ? mbMs - from : (mbMs < upper ? mbMs : upper) - from;
    if (inTier <= 0n) break;
    cost += computeCost(inTier, tier.perGbSecond);
    if (upper === null) break;
    from = upper;
  }
  return cost;
}

/**
 * Prices a month of usage in one region. Compute tiers apply to the aggregate of each architecture (as AWS applies
 * them per account and region), so each function gets the blended rate of its architecture; below the first tier's
 * bound that is exactly the first-tier rate.
 */
export function priceMonth(usages: readonly MonthlyUsage[], prices: RegionPrices, freeTier: PriceCatalog['freeTier'] | null): MonthBill {
  const billedMbMs = usages.map((u) => BigInt(u.memoryMB) * (u.invokeMs + (u.initBilled ? u.initMs : 0n)));
  const archMbMs: Record<Architecture, bigint> = { x86_64: 0n, arm64: 0n };
  usages.forEach((u, i) => {
    archMbMs[u.architecture] += billedMbMs[i] ?? 0n;
  });
  const archCompute: Record<Architecture, Money> = {
    x86_64: tieredCompute(archMbMs.x86_64, prices.compute.x86_64),
    arm64: tieredCompute(archMbMs.arm64, prices.compute.arm64),
  };
  const share = (arch: Architecture, mbMs: bigint): Money => (archMbMs[arch] === 0n ? 0n : (archCompute[arch] * mbMs) / archMbMs[arch]);

  let requestsTotal = 0n;
  const bills = usages.map((u): UsageBill => {
    const invokeMbMs = BigInt(u.memoryMB) * u.invokeMs;
    const initMbMs = u.initBilled ? BigInt(u.memoryMB) * u.initMs : 0n;
    const requests = itemCost(u.requests, prices.perRequest);
    requestsTotal += u.requests;
    const invoke = share(u.architecture, invokeMbMs);
    const init = share(u.architecture, initMbMs);
    return { requests, invoke, init, total: requests + invoke + init, mbMs: invokeMbMs + initMbMs };
  });
  const total = itemCost(requestsTotal, prices.perRequest) + archCompute.x86_64 + archCompute.arm64;

  let credit: Money | null = null;
  if (freeTier !== null) {
    const freeRequests = requestsTotal < freeTier.requests ? requestsTotal : freeTier.requests;
    credit = itemCost(freeRequests, prices.perRequest);
    // The free GB-seconds are one pool; crediting the dearer architecture first is what a bill shows.
    let freeMbMs = freeTier.gbSeconds * MB_MS_PER_GB_SECOND;
    for (const arch of ['x86_64', 'arm64'] as const) {
      const used = archMbMs[arch] < freeMbMs ? archMbMs[arch] : freeMbMs;
      const rate = prices.compute[arch][0]?.perGbSecond ?? 0n;
      credit += computeCost(used, rate);
      freeMbMs -= used;
    }
    if (credit > total) credit = total;
  }
  return { usages: bills, total, freeTier: credit, totalAfterFreeTier: total - (credit ?? 0n) };
}

/** Whether INIT is billed for this runtime and package type on `date` (YYYY-MM-DD). */
export function initIsBilled(runtime: string | null, packageType: 'Zip' | 'Image' | null, date: string, managedZipFrom: string): boolean {
  if (packageType === 'Image') return true;
  if (runtime !== null && runtime.startsWith('provided')) return true;
  return date >= managedZipFrom;
}
