import { defineAnalysis, type RegisteredAnalysis } from '../engine/analysis.js';
import { loadPortabilityCatalogs } from './catalogs.js';
import { DEFAULT_THRESHOLDS, TangleAnalyzer } from './io-tangle.js';
import { effort, portability } from './portability.js';

/**
 * The per-handler analyses over the facts, as units the engine runs beside the rules: I/O tangle, portability to
 * Rust/LLRT, and port effort (which reads the other two). The caller hands ANALYSES to the engine.
 */

export const ioTangleAnalysis = defineAnalysis({
  meta: {
    id: 'io-tangle',
    description: 'Measure how I/O interleaves with computation in the code that runs per request',
    produces: 'ioTangle',
    requires: [],
    configKey: 'ioTangle',
    options: {
      mixedFrom: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: DEFAULT_THRESHOLDS.mixedFrom,
        description: 'Score from which the verdict is mixed',
      },
      tangledFrom: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: DEFAULT_THRESHOLDS.tangledFrom,
        description: 'Score from which the verdict is tangled',
      },
    },
  },
  start(scan) {
    // One analyzer per scan: a shared helper's steps do not depend on which handler reached it.
    const analyzer = new TangleAnalyzer(scan.facts, scan.resolver, scan.ioFns);
    return {
      analyse(ctx) {
        return analyzer.analyse(ctx.reachable, ctx.options);
      },
    };
  },
});

export const portabilityAnalysis = defineAnalysis({
  meta: {
    id: 'portability',
    description: 'List what stands between a handler and a port to Rust (provided.al2023) or to LLRT',
    produces: 'portability',
    requires: [],
    options: {},
  },
  start(scan) {
    const catalogs = loadPortabilityCatalogs();
    return {
      analyse(ctx) {
        return portability({
          graph: ctx.graph,
          facts: ctx.facts,
          reachable: ctx.reachable,
          catalogs,
          ...(scan.isNativeInstalled ? { isNativeInstalled: scan.isNativeInstalled } : {}),
        });
      },
    };
  },
});

export const effortAnalysis = defineAnalysis({
  meta: {
    id: 'effort',
    description: "Estimate a port's effort from the handler's own code size, dependencies, tangle and blockers",
    produces: 'effort',
    requires: ['portability', 'ioTangle'],
    options: {},
  },
  start() {
    return {
      analyse(ctx) {
        return effort({
          graph: ctx.graph,
          facts: ctx.facts,
          reachable: ctx.reachable,
          portability: ctx.values.portability,
          tangle: ctx.values.ioTangle,
        });
      },
    };
  },
});

export const ANALYSES: readonly RegisteredAnalysis[] = [ioTangleAnalysis, portabilityAnalysis, effortAnalysis];

export { loadPortabilityCatalogs } from './catalogs.js';
export { nativeAddonProbe } from './native-probe.js';
