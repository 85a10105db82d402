import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCostFactors, parsePriceCatalog, type CostFactors, type PriceCatalog } from './cost/index.js';
import { packageRoot } from './package-root.js';
import { parseWhatIfData } from './cost/what-if-data.js';

let cached: { catalog: PriceCatalog; factors: CostFactors } | undefined;

/** The boundary for src/cost: reads rules/catalog/lambda-prices.json and cost-factors.json once. */
export function loadCostData(): { catalog: PriceCatalog; factors: CostFactors } {
  if (cached) return cached;
  const dir = path.join(packageRoot().dir, 'rules', 'catalog');
  const read = (file: string): unknown => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  cached = { catalog: parsePriceCatalog(read('lambda-prices.json')), factors: { ...parseCostFactors(read('cost-factors.json')), whatIfs: parseWhatIfData(read('cost-what-ifs.json')) } };
  return cached;
}
