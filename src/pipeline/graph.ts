import path from 'node:path';
import { ClassIndex } from '../graph/classes.js';
import { initClosure, type GraphInputs, type HandlerGraph, type PackageImportSite } from '../graph/closure.js';
import { resolveCrossFileIo } from '../graph/cross-io.js';
import { FactStore } from '../graph/fact-store.js';
import { ModuleFormats } from '../graph/module-format.js';
import { PackageCostModel, type DeployForm, type PackageCost } from '../graph/packages.js';
import { ioFunctions, type IoIndex } from '../graph/reachability.js';
import { ModuleResolver } from '../graph/resolve.js';
import type { Reused } from '../graph/handler-memo.js';
import type { FunctionSpec, Skipped } from '../model/result.js';
import { loadRuntimeCatalog, priceRuntimeAdditions } from '../runtime/additions.js';
import type { SourceTree } from '../source/tree.js';
import { compareStrings } from '../util/compare.js';
import type { Discovered } from './discover.js';
import type { ScanOptions, ScanProgress } from './options.js';
import { openReuse, type Reuse } from './reuse.js';
import type { Settings } from './settings.js';

/** What the graph stage knows of the service: the parsed files, how they resolve, and each function's init graph. */
export interface Graphed {
  facts: FactStore;
  resolver: ModuleResolver;
  formats: ModuleFormats;
  costs: PackageCostModel;
  /** One per discovered function, in `Discovered.specs` order; null when the handler file is unknown. */
  graphs: readonly (HandlerGraph | null)[];
  /** One per function: its result kept from an earlier scan (then its graph is null), else null. */
  reused: readonly (Reused | null)[];
  /** The result cache, with `--cache`. */
  reuse: Reuse | null;
  /** What reading manifests, lockfiles and tsconfigs warned (also in `warnings`). */
  worldWarnings: readonly string[];
  /** The tree the graph read through, for the stages after it. */
  tree: SourceTree;
  classIndex: ClassIndex;
  io: IoIndex;
  warnings: readonly string[];
}

/**
 * Stage 2: parse what the handlers' import graphs reach (each file once), build every init closure with its package
 * and runtime-addition costs, and index the classes and I/O functions the rules and analyses need.
 */
export async function graphStage(
  tree: SourceTree,
  found: Discovered,
  settings: Settings,
  options: Pick<ScanOptions, 'cache' | 'cwd' | 'workers'>,
  progress: (e: ScanProgress) => void,
): Promise<Graphed> {
  const cacheDir = options.cache !== undefined ? path.resolve(options.cwd ?? '.', options.cache) : null;
  const facts = new FactStore(tree, {
    ...(cacheDir !== null ? { cache: cacheDir } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  // With a cache, handlers whose graph and world are unchanged since the last scan are not graphed again.
  const reuse = cacheDir !== null ? openReuse(cacheDir, tree, found, settings) : null;
  const source = reuse?.tree ?? tree;
  const reused = found.specs.map((spec, i) => {
    const digest = reuse?.specs[i] ?? null;
    return reuse && digest !== null ? reuse.memo.reuse(spec.id, digest, source) : null;
  });
  if (reuse) progress({ phase: 'reuse', done: reused.filter((r) => r !== null).length, total: found.specs.length });
  const worldWarnings: string[] = [];
  // `/opt/nodejs/...` imports resolve first into the layer folders the functions declare.
  const layerDirs = found.specs.flatMap((f) => (f.runtimeSettings?.layers ?? []).flatMap((l) => (l.localDir !== undefined ? [l.localDir] : [])));
  const resolver = new ModuleResolver([...source.files], (rel) => source.read(rel), { layerDirs });
  const toGraph = found.specs.map((spec, i) => (reused[i] === null ? spec.handler.file : null));
  await facts.prefetch(
    toGraph.flatMap((file) => (file !== null ? [file] : [])),
    resolver,
  );
  const formats = new ModuleFormats(source);
  const costs = new PackageCostModel(settings.catalog, source, (message) => worldWarnings.push(message));
  const inputs: GraphInputs = { facts, resolver, costs, formatOf: (f) => formats.of(f) };

  // What layers, NODE_OPTIONS and an exec wrapper add is a line item of its own beside the package estimate.
  const runtimeCatalog = found.specs.some((s) => s.runtimeSettings !== undefined) ? loadRuntimeCatalog() : null;
  const graphs = found.specs.map((spec, i) => {
    progress({ phase: 'graph', done: i, total: found.specs.length });
    const file = toGraph[i] ?? null;
    return file !== null ? withRuntimeAdditions(initClosure(file, inputs, spec.packaging), spec, runtimeCatalog) : null;
  });
  const warnings = [...worldWarnings];
  // A package with no figure is not in any estimate: say so once, where every output shows it.
  const unpriced = [...new Set(graphs.flatMap((g, i) => g?.closure.unpriced ?? reused[i]?.outcome.init.unpriced ?? []))].sort(compareStrings);
  if (unpriced.length > 0) {
    const one = unpriced.length === 1;
    warnings.push(
      `${unpriced.length} package${one ? ' is' : 's are'} on init paths but unpriced (neither in the catalog nor installed), so no estimate includes ${one ? 'it' : 'them'}: ${unpriced.join(', ')}`,
    );
  }

  loadImportClosures(facts, resolver);
  resolveCrossFileIo([...facts.files()], facts, resolver);
  const classIndex = new ClassIndex(facts, resolver);
  const io = ioFunctions(facts.entries(), resolver, classIndex);
  return { facts, resolver, formats, costs, graphs, reused, reuse, worldWarnings, classIndex, io, warnings, tree: source };
}

/** The service files the scan counts: those parsed now and those of reused handlers' graphs, with the skipped ones. */
export function parsedFiles(graphed: Graphed): { files: number; lines: number; skipped: Skipped[] } {
  const lines = new Map<string, number>();
  for (const [file, f] of graphed.facts.entries()) lines.set(file, f.lines);
  const skipped = new Map<string, Skipped>();
  for (const s of graphed.facts.skipped) skipped.set(`${s.file}\0${s.reason}`, s);
  for (const r of graphed.reused) {
    for (const f of r?.files ?? []) {
      if (f.lines !== null) lines.set(f.file, f.lines);
      if (f.skipped !== null) skipped.set(`${f.skipped.file}\0${f.skipped.reason}`, f.skipped);
    }
  }
  let total = 0;
  for (const n of lines.values()) total += n;
  return { files: lines.size, lines: total, skipped: [...skipped.values()] };
}

/**
 * Loads every service file the loaded ones import, by any edge (lazy ones and `require` inside functions too). The
 * I/O, class and reachability passes that follow see only loaded files, so without this a handler's findings could
 * depend on whether some other handler's init graph happened to load a module it imports lazily; with it, what they
 * say of a handler depends on its own import graph alone (which is what lets a cached re-scan reuse a handler's
 * results). The map's iteration visits the files added while it runs.
 */
function loadImportClosures(facts: FactStore, resolver: ModuleResolver): void {
  for (const file of facts.files()) {
    for (const imp of facts.get(file)?.imports ?? []) {
      const r = resolver.resolveImport(file, imp);
      if (r.kind === 'file') facts.get(r.file);
    }
  }
}

function withRuntimeAdditions(graph: HandlerGraph, spec: FunctionSpec, catalog: ReturnType<typeof loadRuntimeCatalog> | null): HandlerGraph {
  if (!spec.runtimeSettings || !catalog) return graph;
  return { ...graph, closure: { ...graph.closure, runtimeAdditions: priceRuntimeAdditions(spec.runtimeSettings, spec.declaredIn.file, catalog) } };
}

/**
 * A rule that reports one import site prices it as the closure does: `import` of CommonJS from ESM costs more, and a
 * bundled function pays the bundled figure.
 */
export function sitePricer(graphed: Graphed, form: DeployForm): (site: PackageImportSite) => PackageCost {
  return (site) => {
    const imp = graphed.facts.get(site.file)?.imports.find((i) => i.line === site.line && i.column === site.column);
    const esmImport =
      imp !== undefined &&
      graphed.formats.of(site.file) === 'esm' &&
      (imp.kind === 'import' || imp.kind === 'side-effect' || imp.kind === 're-export');
    return graphed.costs.cost({
      name: site.name,
      subpath: site.subpath,
      fromFile: site.file,
      viaImport: imp?.kind === 'dynamic-import' || esmImport,
      form,
    });
  };
}
