import { parseCostFactors, parsePriceCatalog, type CostFactors, type PriceCatalog } from './cost/index.js';
import { catalogJson } from './assets.js';
import { parseWhatIfData } from './cost/what-if-data.js';

let cached: { catalog: PriceCatalog; factors: CostFactors } | undefined;

/** The boundary for src/cost: reads rules/catalog/lambda-prices.json and cost-factors.json once. */
export function loadCostData(): { catalog: PriceCatalog; factors: CostFactors } {
  if (cached) return cached;
  const read = catalogJson;
  cached = {
    catalog: parsePriceCatalog(read('lambda-prices.json')),
    factors: { ...parseCostFactors(read('cost-factors.json')), whatIfs: parseWhatIfData(read('cost-what-ifs.json')) },
  };
  return cached;
}
