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
  /** Ephemeral storage above the free allowance, in MB (0 when at the default). */
  ephemeralExtraMB?: number;
  /** Provisioned-concurrency units x ms they are configured in the month (0 when none). */
  provisionedUnitMs?: bigint;
}

export interface UsageBill {
  requests: Money;
  invoke: Money;
  init: Money;
  /** Ephemeral storage above the free allowance; null when the region has no sourced rate for it. */
  ephemeral: Money | null;
  /** Provisioned concurrency allocated; null when the region has no sourced rate for the architecture. */
  provisioned: Money | null;
  /** Everything priced (an unpriced component counts as 0; see `unpriced`). */
  total: Money;
  /** Billed MB-ms (memory x time), INIT included when billed. */
  mbMs: bigint;
  /** Components with no sourced rate, for the reader. */
  unpriced: string[];
}

export interface MonthBill {
  /** One per usage, in order; compute carries its share of the account-wide tiered rate of its architecture. */
  usages: UsageBill[];
  total: Money;
  /** What the free tier would take off (requests, then GB-seconds at the first-tier rate); null when not applied. */
  freeTier: Money | null;
  totalAfterFreeTier: Money;
  /** Architectures whose month (with the rest of the account) went past the last sourced tier: priced at its rate. */
  beyondSourcedTiers: Architecture[];
}

/** Options that place this month inside the account's month. */
export interface MonthContext {
  /** On-demand GB-seconds the rest of the account uses in the region, per architecture: where the tiers start. */
  accountGbSeconds?: Partial<Record<Architecture, bigint>>;
}

function tiered(mbMs: bigint, tiers: readonly PriceTier[]): Money {
  let cost = 0n;
  let from = 0n;
  let last: PriceTier | undefined;
  for (const tier of tiers) {
    last = tier;
    const upper = tier.upToGbSeconds === null ? null : tier.upToGbSeconds * MB_MS_PER_GB_SECOND;
    const inTier = upper === null ? mbMs - from : (mbMs < upper ? mbMs : upper) - from;
    if (inTier <= 0n) return cost;
    cost += computeCost(inTier, tier.perGbSecond);
    if (upper === null) return cost;
    from = upper;
  }
  // Past the last sourced (bounded) tier: its rate, an upper bound, since AWS's later tiers only get cheaper.
  if (last !== undefined && mbMs > from) cost += computeCost(mbMs - from, last.perGbSecond);
  return cost;
}

/** Whether `mbMs` reaches past the last tier the data has a bound for. */
export function beyondSourcedTiers(mbMs: bigint, tiers: readonly PriceTier[]): boolean {
  const last = tiers[tiers.length - 1];
  return last !== undefined && last.upToGbSeconds !== null && mbMs > last.upToGbSeconds * MB_MS_PER_GB_SECOND;
}

/**
 * Tiered compute for an architecture's aggregate month. Tiers are cumulative GB-second bounds; `offsetMbMs` is what
 * the rest of the account already used this month, so this month starts where that ends.
 */
export function tieredCompute(mbMs: bigint, tiers: readonly PriceTier[], offsetMbMs = 0n): Money {
  return tiered(offsetMbMs + mbMs, tiers) - tiered(offsetMbMs, tiers);
}

/**
 * Prices a month of usage in one region. Compute tiers apply to the aggregate of each architecture (as AWS applies
 * them per account and region), so each function gets the blended rate of its architecture; below the first tier's
 * bound that is exactly the first-tier rate. Invocations on provisioned concurrency are billed at its duration rate,
 * outside the on-demand tiers; ephemeral storage and provisioned concurrency are flat per GB-second.
 */
export function priceMonth(
  usages: readonly MonthlyUsage[],
  prices: RegionPrices,
  freeTier: PriceCatalog['freeTier'] | null,
  month: MonthContext = {},
): MonthBill {
  const pcRates = (u: MonthlyUsage): RegionPrices['provisioned'][Architecture] =>
    (u.provisionedUnitMs ?? 0n) > 0n ? prices.provisioned[u.architecture] : null;
  const split = usages.map((u) => {
    const mem = BigInt(u.memoryMB);
    const onPc = pcRates(u) !== null;
    const init = u.initBilled ? mem * u.initMs : 0n;
    return { onDemand: (onPc ? 0n : mem * u.invokeMs) + init, pcInvoke: onPc ? mem * u.invokeMs : 0n, invoke: onPc ? 0n : mem * u.invokeMs, init };
  });
  const archMbMs: Record<Architecture, bigint> = { x86_64: 0n, arm64: 0n };
  usages.forEach((u, i) => {
    archMbMs[u.architecture] += split[i]?.onDemand ?? 0n;
  });
  const offset = (arch: Architecture): bigint => (month.accountGbSeconds?.[arch] ?? 0n) * MB_MS_PER_GB_SECOND;
  const archCompute: Record<Architecture, Money> = {
    x86_64: tieredCompute(archMbMs.x86_64, prices.compute.x86_64, offset('x86_64')),
    arm64: tieredCompute(archMbMs.arm64, prices.compute.arm64, offset('arm64')),
  };
  const share = (arch: Architecture, mbMs: bigint): Money => (archMbMs[arch] === 0n ? 0n : (archCompute[arch] * mbMs) / archMbMs[arch]);

  let requestsTotal = 0n;
  let extras = 0n;
  const bills = usages.map((u, i): UsageBill => {
    const s = split[i] ?? { onDemand: 0n, pcInvoke: 0n, invoke: 0n, init: 0n };
    const requests = itemCost(u.requests, prices.perRequest);
    requestsTotal += u.requests;
    const unpriced: string[] = [];
    const pc = pcRates(u);
    const invoke = share(u.architecture, s.invoke) + (pc === null ? 0n : computeCost(s.pcInvoke, pc.duration.rate));
    const init = share(u.architecture, s.init);

    let ephemeral: Money | null = 0n;
    const extraMB = BigInt(u.ephemeralExtraMB ?? 0);
    if (extraMB > 0n) {
      const rate = prices.ephemeral[u.architecture];
      // Storage is billed on the billed duration, INIT included once INIT is billed.
      const ms = u.invokeMs + (u.initBilled ? u.initMs : 0n);
      ephemeral = rate === null ? null : computeCost(extraMB * ms, rate.rate);
      if (rate === null) unpriced.push(`ephemeral storage (${prices.region} ${u.architecture})`);
    }
    let provisioned: Money | null = 0n;
    if ((u.provisionedUnitMs ?? 0n) > 0n) {
      provisioned = pc === null ? null : computeCost(BigInt(u.memoryMB) * (u.provisionedUnitMs ?? 0n), pc.concurrency.rate);
      if (pc === null) unpriced.push(`provisioned concurrency (${prices.region} ${u.architecture}; invocations priced on demand)`);
    }
    const own = (ephemeral ?? 0n) + (provisioned ?? 0n) + (pc === null ? 0n : computeCost(s.pcInvoke, pc.duration.rate));
    extras += own;
    return {
      requests,
      invoke,
      init,
      ephemeral,
      provisioned,
      total: requests + invoke + init + (ephemeral ?? 0n) + (provisioned ?? 0n),
      mbMs: s.invoke + s.pcInvoke + s.init,
      unpriced,
    };
  });
  const total = itemCost(requestsTotal, prices.perRequest) + archCompute.x86_64 + archCompute.arm64 + extras;

  let credit: Money | null = null;
  if (freeTier !== null) {
    // The free tier does not apply to functions with provisioned concurrency (AWS Lambda pricing page).
    const free = usages.map((u, i) => ((u.provisionedUnitMs ?? 0n) > 0n ? null : { u, mbMs: split[i]?.onDemand ?? 0n })).filter((x) => x !== null);
    const freeRequestsUsed = free.reduce((sum, x) => sum + x.u.requests, 0n);
    const freeRequests = freeRequestsUsed < freeTier.requests ? freeRequestsUsed : freeTier.requests;
    credit = itemCost(freeRequests, prices.perRequest);
    // The free GB-seconds are one pool; crediting the dearer architecture first is what a bill shows.
    let freeMbMs = freeTier.gbSeconds * MB_MS_PER_GB_SECOND;
    for (const arch of ['x86_64', 'arm64'] as const) {
      const archFree = free.filter((x) => x.u.architecture === arch).reduce((sum, x) => sum + x.mbMs, 0n);
      const used = archFree < freeMbMs ? archFree : freeMbMs;
      const rate = prices.compute[arch][0]?.perGbSecond ?? 0n;
      credit += computeCost(used, rate);
      freeMbMs -= used;
    }
    if (credit > total) credit = total;
  }
  const beyond = (['x86_64', 'arm64'] as const).filter((arch) => beyondSourcedTiers(offset(arch) + archMbMs[arch], prices.compute[arch]));
  return { usages: bills, total, freeTier: credit, totalAfterFreeTier: total - (credit ?? 0n), beyondSourcedTiers: beyond };
}

/** Whether INIT is billed for this runtime and package type on `date` (YYYY-MM-DD). */
export function initIsBilled(runtime: string | null, packageType: 'Zip' | 'Image' | null, date: string, managedZipFrom: string): boolean {
  if (packageType === 'Image') return true;
  if (runtime !== null && runtime.startsWith('provided')) return true;
  return date >= managedZipFrom;
}
