import { attachMetrics } from '../metrics/match.js';
import type { MetricsLoader, MetricsSet } from '../metrics/types.js';
import type { FunctionResult } from '../model/result.js';

export interface Measured {
  functions: readonly FunctionResult[];
  /** The set that was matched; null when the scan is static only. */
  metrics: MetricsSet | null;
  warnings: readonly string[];
}

/**
 * Stage 4: measured figures matched to the functions. A loader is given the analysed functions first (`collectFromAws`
 * queries only their deployed names); the functions come back as new values with `metrics` filled in.
 */
export async function metricsStage(functions: readonly FunctionResult[], source: MetricsSet | MetricsLoader | undefined): Promise<Measured> {
  const copies = functions.map((fn) => ({ ...fn }));
  const metrics = typeof source === 'function' ? await source(copies) : (source ?? null);
  if (!metrics) return { functions: copies, metrics: null, warnings: [] };
  return { functions: copies, metrics, warnings: attachMetrics(copies, metrics) };
}
