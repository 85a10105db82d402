import { nativeAddonProbe } from '../analysis/index.js';
import { runEngine, type EngineFunction, type UnitResults } from '../engine/index.js';
import { reachableFunctions, type FnKey } from '../graph/reachability.js';
import type { SuppressionFact } from '../graph/facts.js';
import type { Finding, FunctionResult, FunctionSpec, InitClosure } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';
import type { Discovered } from './discover.js';
import { sitePricer, type Graphed } from './graph.js';
import type { ScanProgress } from './options.js';
import { graphFiles } from './reuse.js';
import type { Settings } from './settings.js';

export interface Analysed {
  /** One per function, in `Discovered.specs` order, unranked (`rank` 0), no metrics or cost yet. */
  functions: readonly FunctionResult[];
  suppressed: { inline: number; baseline: number; config: number };
  warnings: readonly string[];
}

/**
 * Stage 3: the engine over each handler: every rule and analysis, then config severities, suppressions, fingerprints
 * and the baseline (src/engine).
 */
export function analyseStage(
  tree: SourceTree,
  found: Discovered,
  graphed: Graphed,
  settings: Settings,
  progress: (e: ScanProgress) => void,
): Analysed {
  const perFunction: string[][] = [];
  const lines: (number | null)[] = [];
  const inputs: EngineFunction[] = found.specs.map((spec, i) => {
    progress({ phase: 'rules', done: i, total: found.specs.length });
    const kept = graphed.reused[i] ?? null;
    if (kept !== null) {
      lines.push(kept.outcome.line);
      perFunction.push(kept.outcome.warnings);
      return {
        spec,
        graph: null,
        reachable: new Set(),
        reused: { findings: kept.outcome.findings, values: kept.outcome.values as UnitResults['values'] },
        ...(kept.outcome.suppressions !== undefined ? { reusedSuppressions: kept.outcome.suppressions } : {}),
      };
    }
    const graph = graphed.graphs[i] ?? null;
    const handlerFile = spec.handler.file;
    const notes: string[] = [];
    let reachable: ReadonlySet<FnKey> = new Set();
    let line: number | null = null;
    if (graph && handlerFile !== null) {
      const handlerFacts = graphed.facts.get(handlerFile);
      const exported =
        handlerFacts?.exports.find((e) => e.name === spec.handler.export) ??
        (spec.handler.export === 'default' ? handlerFacts?.exports.find((e) => e.name === '=') : undefined);
      if (handlerFacts && !exported) notes.push(`${spec.id}: ${handlerFile} does not export '${spec.handler.export}'`);
      line = exported?.line ?? null;
      reachable = reachableFunctions(handlerFile, spec.handler.export, graphed.facts, graphed.resolver, graphed.classIndex);
    }
    lines.push(line);
    perFunction.push(notes);
    return { spec, graph: handlerFile !== null ? graph : null, reachable, packageCost: sitePricer(graphed, graph?.closure.form ?? 'unbundled') };
  });
  const out = runEngine(settings.engine, {
    facts: graphed.facts,
    resolver: graphed.resolver,
    ioFns: graphed.io.functions,
    callsIo: graphed.io.callsIo,
    isNativeInstalled: nativeAddonProbe(graphed.tree),
    functions: inputs,
    readText: (rel) => tree.tryRead(rel),
    baseline: settings.baseline,
  });
  const functions = out.functions.map((fn, i) => ({
    ...toFunctionResult(fn.spec, graphed.graphs[i]?.closure ?? graphed.reused[i]?.outcome.init ?? null, lines[i] ?? null),
    findings: fn.findings,
    ioTangle: fn.ioTangle,
    portability: fn.portability,
    effort: fn.effort,
  }));
  keepResults(graphed, found, { lines, warnings: perFunction, units: out.units });
  return { functions, suppressed: out.suppressed, warnings: [...perFunction.flat(), ...out.notes] };
}

/** With `--cache`: every function's result goes to the memo for the next scan, with the files of its graph. */
function keepResults(graphed: Graphed, found: Discovered, out: { lines: (number | null)[]; warnings: string[][]; units: UnitResults[] }): void {
  const reuse = graphed.reuse;
  if (reuse === null) return;
  found.specs.forEach((spec, i) => {
    const digest = reuse.specs[i] ?? null;
    const graph = graphed.graphs[i] ?? null;
    const units = out.units[i];
    if (digest === null || graph === null || spec.handler.file === null || units === undefined || graphed.reused[i]) return;
    const files = graphFiles(
      spec.handler.file,
      graphed.facts,
      graphed.resolver,
      units.findings.map((f) => f.file),
    );
    reuse.memo.computed(spec.id, digest, files, {
      init: graph.closure,
      line: out.lines[i] ?? null,
      warnings: out.warnings[i] ?? [],
      findings: units.findings,
      values: units.values,
      suppressions: suppressionsOfFindings(units.findings, graphed),
    });
  });
  // A warning from reading the world is not tied to a handler: after one, nothing is reused next time.
  reuse.memo.save(reuse.tree, reuse.tree.asked, reuse.tree.versions, graphed.worldWarnings.length === 0 && graphed.resolver.warnings.length === 0);
}

/** The suppression comments of the files `findings` are in, for those that have any (facts loaded by the graph stage). */
function suppressionsOfFindings(findings: readonly Finding[], graphed: Graphed): Record<string, SuppressionFact[]> {
  const out: Record<string, SuppressionFact[]> = {};
  for (const f of findings) {
    if (Object.hasOwn(out, f.file)) continue;
    const s = graphed.facts.get(f.file)?.suppressions ?? [];
    if (s.length > 0) out[f.file] = s;
  }
  return out;
}

function toFunctionResult(spec: FunctionSpec, init: InitClosure | null, line: number | null): FunctionResult {
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
    init,
    findings: [],
    ioTangle: null,
    metrics: null,
    cost: null,
    plan: null,
    rank: 0,
  };
}
