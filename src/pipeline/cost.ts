import { applyCostModel, pricedRegions, type CostOptions } from '../cost/index.js';
import { loadCostData } from '../cost-data.js';
import { InputError } from '../errors.js';
import type { CostSummary, FunctionResult } from '../model/result.js';
import { compareStrings } from '../util/compare.js';

export interface Priced {
  functions: readonly FunctionResult[];
  /** Undefined when the cost model is off (`cost: false`). */
  summary: CostSummary | undefined;
  warnings: readonly string[];
}

/**
 * Stage 5: each function's month priced, with its migration scenarios and plan, in the asked region; one inferred
 * from the metrics or the IaC but missing from the catalog falls back to us-east-1, with a warning.
 */
export function costStage(functions: readonly FunctionResult[], asked: Partial<CostOptions> | false | undefined): Priced {
  if (asked === false) return { functions, summary: undefined, warnings: [] };
  const warnings: string[] = [];
  const { catalog, factors } = loadCostData();
  const region = priceRegion(functions, asked?.region, catalog, warnings);
  const copies = functions.map((fn) => ({ ...fn }));
  const summary = applyCostModel(copies, catalog, factors, {
    region,
    invocations: asked?.invocations ?? null,
    coldStartRate: asked?.coldStartRate ?? null,
    freeTier: asked?.freeTier ?? false,
    headroom: asked?.headroom ?? null,
    billingDate: asked?.billingDate ?? null,
    accountMonthlyGbSeconds: asked?.accountMonthlyGbSeconds ?? null,
  });
  return { functions: copies, summary, warnings };
}

type PriceCatalog = ReturnType<typeof loadCostData>['catalog'];

/** The asked region, else the measured one, else the one the IaC deploys to, else us-east-1. */
function priceRegion(functions: readonly FunctionResult[], asked: string | undefined, catalog: PriceCatalog, warnings: string[]): string {
  if (asked !== undefined) {
    if (catalog.regions.has(asked)) return asked;
    const known = catalog.missing.regions.includes(asked) ? ' (no sourced figures for it yet)' : '';
    throw new InputError(
      `no Lambda prices for region '${asked}'${known} in rules/catalog/lambda-prices.json`,
      `priced regions: ${pricedRegions(catalog).join(', ')}; add the region with its source, or pick one of them with --price-region`,
    );
  }
  const measured = [...new Set(functions.map((r) => r.metrics?.region).filter((r): r is string => typeof r === 'string'))].sort(compareStrings);
  const first = measured[0];
  if (first !== undefined) {
    if (catalog.regions.has(first)) return first;
    warnings.push(`cost: no Lambda prices for ${first} in the catalog: priced at us-east-1 rates (pass --price-region to choose)`);
    return 'us-east-1';
  }
  // No measured region: the one the IaC deploys to, when it names one statically.
  const declared = [...new Set(functions.map((r) => r.region).filter((r): r is string => typeof r === 'string'))].sort(compareStrings);
  const iacRegion = declared[0];
  let region = 'us-east-1';
  if (iacRegion !== undefined && catalog.regions.has(iacRegion)) region = iacRegion;
  else if (iacRegion !== undefined) {
    warnings.push(
      `cost: no Lambda prices for ${iacRegion} (the IaC's region) in the catalog: priced at us-east-1 rates (pass --price-region to choose)`,
    );
  }
  if (declared.length > 1)
    warnings.push(`cost: the IaC deploys to several regions (${declared.join(', ')}); priced at ${region} rates (pass --price-region to choose)`);
  return region;
}
