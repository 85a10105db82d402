import type { Architecture, CostSummary, FunctionResult, ScenarioId } from '../model/result.js';
import { byEstimatedInit, planOrder } from './rank.js';
import type { CostFactors, PriceCatalog } from './data.js';
import { priceMonth, type MonthContext, type MonthlyUsage } from './model.js';
import { toMicroUsd } from './money.js';
import { planFunction } from './plan.js';
import { projectFunction, usageOf, type CostContext } from './project.js';

export { parseCostFactors, parsePriceCatalog, type CostFactors, type PriceCatalog } from './data.js';
export { formatUsd } from './money.js';

export interface CostOptions {
  region: string;
  invocations: number | null;
  coldStartRate: number | null;
  freeTier: boolean;
  headroom: number | null;
  billingDate: string | null;
  /**
   * On-demand GB-seconds the rest of the account (or organisation) uses this month in the region, per architecture:
   * the compute tiers apply to the account's aggregate, so this month's GB-seconds start where that ends. Null or
   * absent: this service is the whole account.
   */
  accountMonthlyGbSeconds?: Partial<Record<Architecture, number>> | null;
}

export class UnpricedRegionError extends Error {}

/** The regions the catalog has prices for, sorted. */
export function pricedRegions(catalog: PriceCatalog): string[] {
  return [...catalog.regions.keys()].sort();
}

/**
 * Fills `cost` and `plan` on every function given (the caller's copies) and returns the summary. The order is left
 * alone: the result is ranked once, by `rankByPlan`, when it is assembled (src/pipeline/result.ts).
 */
export function applyCostModel(functions: FunctionResult[], catalog: PriceCatalog, factors: CostFactors, options: CostOptions): CostSummary {
  const prices = catalog.regions.get(options.region);
  if (prices === undefined) {
    const why = catalog.missing.regions.includes(options.region) ? ': no sourced figures for it yet' : ': not a region the catalog knows';
    throw new UnpricedRegionError(`no Lambda prices for region '${options.region}'${why}; priced regions: ${pricedRegions(catalog).join(', ')}`);
  }
  const ctx: CostContext = {
    prices,
    catalog,
    factors,
    region: options.region,
    invocations: options.invocations,
    coldStartRate: options.coldStartRate,
    headroom: options.headroom ?? factors.defaultHeadroom.value,
    billingDate: options.billingDate,
  };
  const usages: MonthlyUsage[] = [];
  for (const fn of functions) {
    const { cost, volume, initBilled } = projectFunction(fn, ctx);
    fn.cost = cost;
    fn.plan = planFunction(fn, cost, volume, initBilled, prices, factors);
    if (volume !== null && cost.current !== null) usages.push(usageOf(cost.current, volume, initBilled, factors));
  }

  const month: MonthContext = {};
  const account = options.accountMonthlyGbSeconds ?? null;
  if (account !== null) {
    month.accountGbSeconds = {};
    for (const arch of ['x86_64', 'arm64'] as const) {
      const v = account[arch];
      if (v !== undefined) month.accountGbSeconds[arch] = BigInt(Math.round(v));
    }
  }
  const bill = priceMonth(usages, prices, options.freeTier ? catalog.freeTier : null, month);
  // The service summary sums the migration scenarios; the what-ifs (bundle, managed-instances) stay per function.
  const ids: ScenarioId[] = ['in-node-fixes', 'arm64', 'right-size', 'llrt', 'rust'];
  const scenarios = ids.map((id) => {
    let saving = 0;
    let count = 0;
    let label = id as string;
    for (const fn of functions) {
      const s = fn.cost?.scenarios.find((x) => x.id === id);
      if (s) label = s.label;
      if (s?.status === 'projected' && s.savingMicroUsd !== null) {
        saving += s.savingMicroUsd;
        count++;
      }
    }
    return { id, label, savingMicroUsd: saving, functions: count };
  });
  const statuses = new Set(functions.map((fn) => fn.cost?.status).filter((s) => s !== 'needs_metrics'));
  const notes = [
    'a month is 730 hours; measured windows are scaled to it',
    'per-function figures are priced on their own; the total applies the compute tiers to the service as a whole',
    'scenario savings are each against today and do not add up; the plan applies its steps in order',
  ];
  if (account !== null) {
    const parts = (['x86_64', 'arm64'] as const).filter((a) => account[a] !== undefined).map((a) => `${a} ${String(account[a])}`);
    notes.push(`the compute tiers start after the rest of the account's on-demand GB-seconds this month (${parts.join(', ')}; --account-gb-seconds)`);
  }
  for (const arch of bill.beyondSourcedTiers) {
    notes.push(
      `${arch} compute goes past the last tier the catalog has for ${prices.region}: the rest is priced at that tier's rate, an upper bound (AWS's later tiers are cheaper; their ${prices.region} rates are not sourced)`,
    );
  }
  const unpriced = [...new Set(bill.usages.flatMap((u) => u.unpriced))];
  if (unpriced.length > 0) notes.push(`not priced (no sourced rate): ${unpriced.join('; ')}`);
  if (usages.some((u) => (u.provisionedUnitMs ?? 0n) > 0n))
    notes.push(
      'provisioned concurrency is assumed on all month (730 h) with every invocation inside it; the INIT it runs at allocation and recycling is not priced, and the free tier does not apply (rules/catalog/cost-factors.json provisionedConcurrency)',
    );
  if (statuses.has('assumed')) notes.push('assumed usage (--invocations, --cold-start-rate) prices INIT and requests only: duration needs metrics');
  return {
    region: options.region,
    currency: 'USD',
    pricesSource: prices.source,
    pricesDate: prices.date,
    basis: statuses.size === 0 ? 'none' : statuses.size > 1 ? 'mixed' : statuses.has('measured') ? 'measured' : 'assumed',
    monthlyMicroUsd: toMicroUsd(bill.total),
    freeTierMicroUsd: bill.freeTier === null ? null : toMicroUsd(bill.freeTier),
    monthlyAfterFreeTierMicroUsd: toMicroUsd(bill.totalAfterFreeTier),
    functionsPriced: usages.length,
    functionsNeedingMetrics: functions.filter((fn) => fn.cost?.status === 'needs_metrics').length,
    scenarios,
    planSavingMicroUsd: functions.reduce((s, fn) => s + (fn.plan?.savingMicroUsd ?? 0), 0),
    // The plan's order, as the result will be ranked (a scan's tie-break is the estimated init).
    top: [...functions]
      .sort(planOrder(byEstimatedInit))
      .filter((fn) => (fn.plan?.savingMicroUsd ?? 0) > 0)
      .slice(0, 3)
      .map((fn) => ({ id: fn.id, name: fn.name, savingMicroUsd: fn.plan?.savingMicroUsd ?? 0, effortPoints: fn.plan?.effortPoints ?? 0 })),
    notes,
  };
}
