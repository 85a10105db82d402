import type { HandlerGraph } from '../graph/closure.js';
import type { FactSource } from '../graph/facts.js';
import type { FnKey } from '../graph/reachability.js';
import type { ModuleResolver } from '../graph/resolve.js';
import type { Effort, IoTangle, Portability } from '../model/result.js';
import type { PortabilityCatalogs } from './catalogs.js';
import { TangleAnalyzer, type TangleThresholds } from './io-tangle.js';
import { effort, portability } from './portability.js';

export interface HandlerAnalysisInputs {
  graph: HandlerGraph;
  facts: FactSource;
  reachable: ReadonlySet<FnKey>;
  resolver: ModuleResolver;
  ioFns: ReadonlySet<FnKey>;
  catalogs: PortabilityCatalogs;
  thresholds: TangleThresholds;
  isNativeInstalled?: (pkg: string) => boolean | null;
}

const analyzers = new WeakMap<ReadonlySet<FnKey>, TangleAnalyzer>();

/** The per-handler analyses over the facts: I/O tangle, portability to Rust/LLRT, and port effort. */
export function analyseHandler(inputs: HandlerAnalysisInputs): { ioTangle: IoTangle; portability: Portability; effort: Effort } {
  // One analyzer per scan (the ioFns set is made once per scan), so per-function results are shared by handlers.
  let analyzer = analyzers.get(inputs.ioFns);
  if (!analyzer) {
    analyzer = new TangleAnalyzer(inputs.facts, inputs.resolver, inputs.ioFns);
    analyzers.set(inputs.ioFns, analyzer);
  }
  const tangle = analyzer.analyse(inputs.reachable, inputs.thresholds);
  const p = portability({
    graph: inputs.graph,
    facts: inputs.facts,
    reachable: inputs.reachable,
    catalogs: inputs.catalogs,
    ...(inputs.isNativeInstalled ? { isNativeInstalled: inputs.isNativeInstalled } : {}),
  });
  return {
    ioTangle: tangle,
    portability: p,
    effort: effort({ graph: inputs.graph, facts: inputs.facts, reachable: inputs.reachable, portability: p, tangle }),
  };
}

export { loadPortabilityCatalogs } from './catalogs.js';
export { nativeAddonProbe } from './native-probe.js';
