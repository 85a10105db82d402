import { analyseHandler, loadPortabilityCatalogs, nativeAddonProbe } from '../analysis/index.js';
import { finishFindings } from '../config/index.js';
import { runRules } from '../engine/run-rules.js';
import { reachableFunctions } from '../graph/reachability.js';
import type { HandlerGraph } from '../graph/closure.js';
import type { FunctionResult, FunctionSpec } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';
import { RULE_IDS } from '../../rules/index.js';
import type { Discovered } from './discover.js';
import { sitePricer, type Graphed } from './graph.js';
import type { ScanOptions, ScanProgress } from './options.js';
import type { Settings } from './settings.js';

export interface Analysed {
  /** One per function, in `Discovered.specs` order, unranked (`rank` 0), no metrics or cost yet. */
  functions: readonly FunctionResult[];
  suppressed: { inline: number; baseline: number; config: number };
  warnings: readonly string[];
}

/** Stage 3: every rule and analysis over each handler, then config severities, suppressions and the baseline. */
export function analyseStage(
  tree: SourceTree,
  found: Discovered,
  graphed: Graphed,
  settings: Settings,
  options: Pick<ScanOptions, 'baseline' | 'cwd'>,
  progress: (e: ScanProgress) => void,
): Analysed {
  const warnings: string[] = [];
  const catalogs = loadPortabilityCatalogs();
  const isNativeInstalled = nativeAddonProbe(tree);
  const functions = found.specs.map((spec, i) => {
    progress({ phase: 'rules', done: i, total: found.specs.length });
    const graph = graphed.graphs[i] ?? null;
    const handlerFile = spec.handler.file;
    if (!graph || handlerFile === null) return { ...toFunctionResult(spec, graph, null), portability: null, effort: null };
    const handlerFacts = graphed.facts.get(handlerFile);
    const exported =
      handlerFacts?.exports.find((e) => e.name === spec.handler.export) ??
      (spec.handler.export === 'default' ? handlerFacts?.exports.find((e) => e.name === '=') : undefined);
    if (handlerFacts && !exported) warnings.push(`${spec.id}: ${handlerFile} does not export '${spec.handler.export}'`);
    const reachable = reachableFunctions(handlerFile, spec.handler.export, graphed.facts, graphed.resolver, graphed.classIndex);
    const findings = runRules(
      settings.rules,
      { fn: spec, graph, facts: graphed.facts, reachable, callsIo: graphed.io.callsIo, packageCost: sitePricer(graphed, graph.closure.form ?? 'unbundled') },
      settings.ruleSettings,
    );
    const analysis = analyseHandler({
      graph,
      facts: graphed.facts,
      reachable,
      resolver: graphed.resolver,
      ioFns: graphed.io.functions,
      catalogs,
      thresholds: settings.config.ioTangle,
      isNativeInstalled,
    });
    return { ...toFunctionResult(spec, graph, exported?.line ?? null), findings, ...analysis };
  });
  const suppressed = finishFindings(functions, {
    rootAbs: tree.root,
    cwd: options.cwd ?? '.',
    facts: graphed.facts,
    config: settings.config,
    knownRules: RULE_IDS,
    lineSource: (file) => tree.read(file),
    ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
  });
  warnings.push(...suppressed.notes);
  return { functions, suppressed: { inline: suppressed.inline, baseline: suppressed.baseline, config: suppressed.config }, warnings };
}

function toFunctionResult(spec: FunctionSpec, graph: HandlerGraph | null, line: number | null): FunctionResult {
  return {
    id: spec.id,
    name: spec.name,
    provider: spec.provider,
    deployedNames: spec.deployedNames,
    runtime: spec.runtime,
    architecture: spec.architecture,
    memoryMB: spec.memoryMB,
    timeoutS: spec.timeoutS,
    ...(spec.ephemeralStorageMB !== undefined ? { ephemeralStorageMB: spec.ephemeralStorageMB } : {}),
    ...(spec.provisionedConcurrency !== undefined ? { provisionedConcurrency: spec.provisionedConcurrency } : {}),
    ...(spec.runtimeSettings !== undefined ? { runtimeSettings: spec.runtimeSettings } : {}),
    ...(spec.packaging !== undefined ? { packaging: spec.packaging } : {}),
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    ...(spec.defaulted !== undefined ? { defaulted: spec.defaulted } : {}),
    ...(spec.runtimeDeclaredIn !== undefined ? { runtimeDeclaredIn: spec.runtimeDeclaredIn } : {}),
    declaredIn: spec.declaredIn,
    handler: {
      file: spec.handler.file,
      export: spec.handler.export,
      line,
      declared: spec.handler.declared,
      mapping: spec.handler.mapping,
      ...(spec.handler.mappingNote !== undefined ? { mappingNote: spec.handler.mappingNote } : {}),
      ...(spec.handler.reason !== undefined ? { reason: spec.handler.reason } : {}),
    },
    init: graph?.closure ?? null,
    findings: [],
    ioTangle: null,
    metrics: null,
    cost: null,
    plan: null,
    rank: 0,
  };
}
