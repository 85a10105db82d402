import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { discover } from './discover/index.js';
import { InputError } from './errors.js';
import { loadRules, ruleSummaries, runRules, type RuleSettings } from './engine/run-rules.js';
import { initClosure, type GraphInputs, type ModuleFormat, type PackageImportSite } from './graph/closure.js';
import { FactStore } from './graph/fact-store.js';
import { openSourceTree } from './source/tree.js';
import { loadDefaultCatalog, PackageCostModel, type Catalog, type DeployForm, type PackageCost } from './graph/packages.js';
import { ioFunctions, reachableFunctions } from './graph/reachability.js';
import { ClassIndex } from './graph/classes.js';
import { ModuleResolver } from './graph/resolve.js';
import { attachMetrics } from './metrics/match.js';
import { analyseHandler, loadPortabilityCatalogs, nativeAddonProbe } from './analysis/index.js';
import { checkRuleOptions, finishFindings, loadConfig, mergeRuleSettings, withHeavyPackages } from './config/index.js';
import { resolveCrossFileIo } from './graph/cross-io.js';
import { RULE_IDS } from '../rules/index.js';
import type { MetricsLoader, MetricsSet } from './metrics/types.js';
import {
  SCHEMA_VERSION,
  type FunctionResult,
  type FunctionSpec,
  type ScanResult,
  type Severity,
  type Skipped,
} from './model/result.js';
import { packageRoot } from './package-root.js';
import { applyCostModel, pricedRegions, type CostOptions } from './cost/index.js';
import { loadCostData } from './cost-data.js';
import { compareStrings } from './util/compare.js';
import { loadRuntimeCatalog, priceRuntimeAdditions } from './runtime/additions.js';

export interface ScanProgress {
  phase: 'walk' | 'discover' | 'graph' | 'rules';
  done: number;
  total: number;
}

export interface ScanOptions {
  /** Directory of the service, as the user gave it (shown in the result as given). */
  root: string;
  /** Resolve `root` against this directory; defaults to the process's current directory. */
  cwd?: string;
  rules?: RuleSettings;
  /** Overrides rules/catalog/packages.json (tests, or a catalog re-measured for your own fleet). */
  catalog?: Catalog;
  onProgress?: (event: ScanProgress) => void;
  /**
   * Measured figures to match to the functions: a set (`readLogs`, `loadSnapshot` in src/metrics), or a loader that
   * is given the discovered functions first (`collectFromAws` queries only their deployed names).
   */
  metrics?: MetricsSet | MetricsLoader;
  /** Config file (`--config`); `false` skips looking for `.lambda-migrate.json|yaml|yml` in the root. */
  config?: string | false;
  /** Baseline file (`--baseline`): findings it lists are left out of the result. */
  baseline?: string;
  /** Serverless stage for `${opt:stage}` / `${sls:stage}` (`--stage`). */
  stage?: string;
  /** IaC kinds to read (`--iac serverless,sam`; see IAC_KINDS in src/discover). All when absent. */
  iac?: readonly string[];
  /** Root-relative globs limiting which IaC and handler files discovery reads (`--include` / `--exclude`). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Honour .gitignore files inside the root (default true). */
  gitignore?: boolean;
  /**
   * Cost model options (`--price-region`, `--invocations`, ...); `false` leaves `cost` and `plan` null. The price
   * region defaults to the measured functions' region, else the region the IaC declares, else us-east-1.
   */
  cost?: Partial<CostOptions> | false;
  /** Fact cache directory (`--cache`, resolved against `cwd`, created when missing): unchanged files are not reparsed. */
  cache?: string;
  /** Parse worker threads beside the main thread (`--workers`); 0, the default, parses on the main thread as files are reached. */
  workers?: number;
}


/**
 * Reads a service and returns its `ScanResult`. Reads files only; never executes or imports any
 * of them. Files are parsed on demand, as handlers' import graphs reach them, and each once.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const rootAbs = path.resolve(options.cwd ?? '.', options.root);
  let stat;
  try {
    stat = statSync(rootAbs);
  } catch {
    throw new InputError(`path not found: ${options.root}`, 'pass the directory of a Lambda service, e.g. lambda-migrate scan ./service');
  }
  if (!stat.isDirectory()) throw new InputError(`not a directory: ${options.root}`, 'pass the directory that holds the IaC file and the sources');

  const progress = options.onProgress ?? (() => undefined);
  const config = loadConfig({
    rootAbs,
    cwd: options.cwd ?? '.',
    discover: options.config !== false,
    ...(typeof options.config === 'string' ? { explicit: options.config } : {}),
  });
  const ruleSettings = mergeRuleSettings(config, options.rules);
  const rules = await loadRules(ruleSettings);
  checkRuleOptions(config, new Map(rules.map((r) => [r.meta.id, r.meta.defaultOptions])));
  const catalog = withHeavyPackages(options.catalog ?? loadDefaultCatalog(), config.heavyPackages);

  progress({ phase: 'walk', done: 0, total: 0 });
  const tree = await openSourceTree(rootAbs, { gitignore: options.gitignore ?? true });
  const files = tree.files;
  const readText = (rel: string): string => tree.read(rel);

  progress({ phase: 'discover', done: 0, total: files.length });
  const discovery = discover({
    root: rootAbs,
    files: [...files],
    readFile: readText,
    ...(options.include !== undefined ? { include: options.include } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    options: { ...(options.stage !== undefined ? { stage: options.stage } : {}), ...(options.iac !== undefined ? { iac: options.iac } : {}) },
  });
  const skipped: Skipped[] = [...discovery.skipped];
  const warnings: string[] = [...discovery.warnings];

  const factSource = new FactStore(tree, {
    ...(options.cache !== undefined ? { cache: path.resolve(options.cwd ?? '.', options.cache) } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  const facts = factSource.entries();

  // `/opt/nodejs/...` imports resolve first into the layer folders the functions declare.
  const layerDirs = discovery.functions.flatMap((f) => (f.runtimeSettings?.layers ?? []).flatMap((l) => (l.localDir !== undefined ? [l.localDir] : [])));
  const resolver = new ModuleResolver([...files], readText, { layerDirs });
  await factSource.prefetch(discovery.functions.flatMap((f) => (f.handler.file !== null ? [f.handler.file] : [])), resolver);
  const formats = new ModuleFormats(rootAbs, new Set(files));
  const inputs: GraphInputs = {
    facts: factSource,
    resolver,
    costs: new PackageCostModel(catalog, rootAbs, (message) => warnings.push(message)),
    formatOf: (f) => formats.of(f),
  };

  const specs = [...discovery.functions].sort((a, b) => compareStrings(a.id, b.id));
  const graphs = specs.map((spec, i) => {
    progress({ phase: 'graph', done: i, total: specs.length });
    return spec.handler.file !== null ? initClosure(spec.handler.file, inputs, spec.packaging) : null;
  });
  // What layers, NODE_OPTIONS and an exec wrapper add is a line item of its own beside the package estimate.
  const runtimeCatalog = specs.some((s) => s.runtimeSettings !== undefined) ? loadRuntimeCatalog() : null;
  specs.forEach((spec, i) => {
    const graph = graphs[i];
    if (graph && spec.runtimeSettings && runtimeCatalog) {
      graph.closure.runtimeAdditions = priceRuntimeAdditions(spec.runtimeSettings, spec.declaredIn.file, runtimeCatalog);
    }
  });

  // A rule that reports one import site prices it as the closure does: `import` of CommonJS from ESM costs more,
  // and a bundled function pays the bundled figure.
  const siteCost = (form: DeployForm) => (site: PackageImportSite): PackageCost => {
    const imp = factSource.get(site.file)?.imports.find((i) => i.line === site.line && i.column === site.column);
    const esmImport = imp !== undefined && formats.of(site.file) === 'esm' && (imp.kind === 'import' || imp.kind === 'side-effect' || imp.kind === 're-export');
    return inputs.costs.cost({ name: site.name, subpath: site.subpath, fromFile: site.file, viaImport: imp?.kind === 'dynamic-import' || esmImport, form });
  };
  // A package with no figure is not in any estimate: say so once, where every output shows it.
  const unpriced = [...new Set(graphs.flatMap((g) => g?.closure.unpriced ?? []))].sort(compareStrings);
  if (unpriced.length > 0) {
    warnings.push(`${unpriced.length} package${unpriced.length === 1 ? ' is' : 's are'} on init paths but unpriced (neither in the catalog nor installed), so no estimate includes ${unpriced.length === 1 ? 'it' : 'them'}: ${unpriced.join(', ')}`);
  }

  resolveCrossFileIo([...facts.keys()], factSource, resolver);
  const classIndex = new ClassIndex(factSource, resolver);
  const { functions: io, callsIo } = ioFunctions(facts, resolver, classIndex);
  const portabilityCatalogs = loadPortabilityCatalogs();
  const isNativeInstalled = nativeAddonProbe(rootAbs);

  const results: FunctionResult[] = specs.map((spec, i) => {
    progress({ phase: 'rules', done: i, total: specs.length });
    const graph = graphs[i] ?? null;
    const handlerFile = spec.handler.file;
    let line: number | null = null;
    let findings: FunctionResult['findings'] = [];
    let analysis: ReturnType<typeof analyseHandler> | null = null;
    if (graph && handlerFile !== null) {
      const handlerFacts = facts.get(handlerFile);
      const exported = handlerFacts?.exports.find((e) => e.name === spec.handler.export) ??
        (spec.handler.export === 'default' ? handlerFacts?.exports.find((e) => e.name === '=') : undefined);
      line = exported?.line ?? null;
      if (handlerFacts && !exported) {
        warnings.push(`${spec.id}: ${handlerFile} does not export '${spec.handler.export}'`);
      }
      const reachable = reachableFunctions(handlerFile, spec.handler.export, factSource, resolver, classIndex);
      findings = runRules(rules, { fn: spec, graph, facts: factSource, reachable, callsIo, packageCost: siteCost(graph.closure.form ?? 'unbundled') }, ruleSettings);
      analysis = analyseHandler({
        graph, facts: factSource, reachable, resolver, ioFns: io, catalogs: portabilityCatalogs, thresholds: config.ioTangle, isNativeInstalled,
      });
    }
    const result = toFunctionResult(spec, graph?.closure ?? null, line, findings);
    result.ioTangle = analysis?.ioTangle ?? null;
    result.portability = analysis?.portability ?? null;
    result.effort = analysis?.effort ?? null;
    return result;
  });

  rank(results);
  const suppressed = finishFindings(results, {
    rootAbs, cwd: options.cwd ?? '.', facts: factSource, config, knownRules: RULE_IDS, ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
  });
  warnings.push(...suppressed.notes, ...config.notes);
  const metrics = typeof options.metrics === 'function' ? await options.metrics(results) : (options.metrics ?? null);
  if (metrics) warnings.push(...attachMetrics(results, metrics));
  skipped.push(...factSource.skipped);
  skipped.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.reason, b.reason));
  const costSummary = options.cost === false ? undefined : runCostModel(results, options.cost ?? {}, warnings);

  const findingCounts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const r of results) for (const f of r.findings) findingCounts[f.severity]++;
  let lines = 0;
  for (const f of facts.values()) lines += f.lines;
  for (const w of resolver.warnings) warnings.push(w);
  if (results.length === 0) warnings.push('0 handlers found: no IaC function declarations and no exported handler functions');

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'lambda-migrate', version: packageRoot().version },
    root: options.root.split(path.sep).join('/'),
    complete: skipped.length === 0 && results.every((r) => r.handler.mapping !== 'unresolved' && r.init !== null),
    summary: {
      functions: results.length,
      files: facts.size,
      lines,
      findings: findingCounts,
      estInitMs: Math.round(results.reduce((s, r) => s + (r.init?.estInitMs ?? 0), 0) * 10) / 10,
      metricsSource: metrics?.source ?? 'none',
      ...(costSummary !== undefined ? { cost: costSummary } : {}),
    },
    rules: ruleSummaries(rules),
    functions: results,
    skipped,
    warnings: [...new Set(warnings)].sort(compareStrings),
    suppressed: { inline: suppressed.inline, baseline: suppressed.baseline, allowedFiles: suppressed.config, configFile: config.file },
    unreferenced: discovery.unreferenced,
    notAnalysed: discovery.notAnalysed,
  };
}

/** Prices in the asked region; one inferred from the metrics but missing from the catalog falls back, with a warning. */
function runCostModel(results: FunctionResult[], asked: Partial<CostOptions>, warnings: string[]): ReturnType<typeof applyCostModel> {
  const { catalog, factors } = loadCostData();
  let region = asked.region;
  if (region !== undefined && !catalog.regions.has(region)) {
    const known = catalog.missing.regions.includes(region) ? ' (no sourced figures for it yet)' : '';
    throw new InputError(`no Lambda prices for region '${region}'${known} in rules/catalog/lambda-prices.json`, `priced regions: ${pricedRegions(catalog).join(', ')}; add the region with its source, or pick one of them with --price-region`);
  }
  if (region === undefined) {
    const measured = [...new Set(results.map((r) => r.metrics?.region).filter((r): r is string => typeof r === 'string'))].sort(compareStrings);
    region = 'us-east-1';
    const first = measured[0];
    if (first !== undefined && catalog.regions.has(first)) region = first;
    else if (first !== undefined) warnings.push(`cost: no Lambda prices for ${first} in the catalog: priced at us-east-1 rates (pass --price-region to choose)`);
    else {
      // No measured region: the one the IaC deploys to, when it names one statically.
      const declared = [...new Set(results.map((r) => r.region).filter((r): r is string => typeof r === 'string'))].sort(compareStrings);
      const iacRegion = declared[0];
      if (iacRegion !== undefined && catalog.regions.has(iacRegion)) region = iacRegion;
      else if (iacRegion !== undefined) warnings.push(`cost: no Lambda prices for ${iacRegion} (the IaC's region) in the catalog: priced at us-east-1 rates (pass --price-region to choose)`);
      if (declared.length > 1) warnings.push(`cost: the IaC deploys to several regions (${declared.join(', ')}); priced at ${region} rates (pass --price-region to choose)`);
    }
  }
  return applyCostModel(results, catalog, factors, {
    region,
    invocations: asked.invocations ?? null,
    coldStartRate: asked.coldStartRate ?? null,
    freeTier: asked.freeTier ?? false,
    headroom: asked.headroom ?? null,
    billingDate: asked.billingDate ?? null,
    accountMonthlyGbSeconds: asked.accountMonthlyGbSeconds ?? null,
  });
}

function toFunctionResult(
  spec: FunctionSpec,
  init: FunctionResult['init'],
  line: number | null,
  findings: FunctionResult['findings'],
): FunctionResult {
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
    findings,
    ioTangle: null,
    metrics: null,
    cost: null,
    plan: null,
    rank: 0,
  };
}

/** Most expensive estimated init first; ties by id so the order is stable. */
function rank(results: FunctionResult[]): void {
  results.sort((a, b) => (b.init?.estInitMs ?? -1) - (a.init?.estInitMs ?? -1) || compareStrings(a.id, b.id));
  results.forEach((r, i) => {
    r.rank = i + 1;
  });
}

/** ESM or CommonJS per file: the extension, else the nearest package.json's `type`. */
class ModuleFormats {
  private readonly byDir = new Map<string, ModuleFormat>();

  constructor(
    private readonly rootAbs: string,
    private readonly files: ReadonlySet<string>,
  ) {}

  of(file: string): ModuleFormat {
    if (file.endsWith('.mjs') || file.endsWith('.mts')) return 'esm';
    if (file.endsWith('.cjs') || file.endsWith('.cts')) return 'cjs';
    return this.dirFormat(path.posix.dirname(file));
  }

  private dirFormat(dir: string): ModuleFormat {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const manifest = dir === '.' ? 'package.json' : `${dir}/package.json`;
    let format: ModuleFormat | null = null;
    if (this.files.has(manifest)) {
      try {
        const pkg: unknown = JSON.parse(readFileSync(path.join(this.rootAbs, manifest), 'utf8'));
        format = typeof pkg === 'object' && pkg !== null && Reflect.get(pkg, 'type') === 'module' ? 'esm' : 'cjs';
      } catch {
        format = 'cjs';
      }
    }
    const result = format ?? (dir === '.' || dir === '' ? 'cjs' : this.dirFormat(path.posix.dirname(dir)));
    this.byDir.set(dir, result);
    return result;
  }
}
