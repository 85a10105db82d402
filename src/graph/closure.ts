import { createRequire } from 'node:module';
import type picomatchFn from 'picomatch';
import type { InitClosure, InitPackage, Packaging, UnresolvedImport } from '../model/result.js';
import type { FactSource, ImportFact } from './facts.js';
import { compareStrings } from '../util/compare.js';
import { modelMs, type DeployForm, type LoadCoefficients, type PackageCost, type PackageCostModel } from './packages.js';
import type { PackageCopy } from './node-modules.js';
import type { ModuleResolver } from './resolve.js';

export type ModuleFormat = 'esm' | 'cjs';

/** Where a package is imported at init, for findings that point at the import line. */
export interface PackageImportSite {
  name: string;
  subpath: string;
  specifier: string;
  file: string;
  line: number;
  column: number;
}

export interface HandlerGraph {
  closure: InitClosure;
  /** The chain of files from the handler to an init file (inclusive); undefined when not on the init path. */
  chainOf(file: string): string[] | undefined;
  /** Every init-time import of an npm package, in BFS order. */
  packageSites: PackageImportSite[];
  /** For each installed package on the init path, the package folders its own init graph enters. */
  packageCopies: { name: string; copies: readonly PackageCopy[] }[];
  /** The load model's figure for one package copy in this closure's form; null without a model. */
  priceCopy(copy: PackageCopy): number | null;
}

export interface GraphInputs {
  facts: FactSource;
  resolver: ModuleResolver;
  costs: PackageCostModel;
  formatOf(file: string): ModuleFormat;
}

/**
 * The init closure of one handler: breadth-first over the edges that run when the module is first
 * loaded, so each file and package keeps its shortest import chain. Cycles end because a file is
 * visited once. Lazy edges and dynamic requires are listed, never followed and never dropped.
 */
export function initClosure(handlerFile: string, inputs: GraphInputs, packaging?: Packaging): HandlerGraph {
  const { costs } = inputs;
  // Parent pointers instead of a chain per file: chains are built only for the few files a
  // package or a finding needs, which matters with hundreds of handlers sharing big graphs.
  const parent = new Map<string, string | null>([[handlerFile, null]]);
  const chainCache = new Map<string, string[]>();
  const chainOf = (file: string): string[] | undefined => {
    if (!parent.has(file)) return undefined;
    const cached = chainCache.get(file);
    if (cached) return cached;
    const up = parent.get(file);
    const chain = up == null ? [file] : [...(chainOf(up) ?? []), file];
    chainCache.set(file, chain);
    return chain;
  };
  const queue = [handlerFile];
  const packages = new Map<string, InitPackage & { viaImport: boolean; importer: string }>();
  const packageSites: PackageImportSite[] = [];
  const lazy: InitClosure['lazy'] = [];
  const unresolved: UnresolvedImport[] = [];
  const topLevelAwait: InitClosure['topLevelAwait'] = [];
  let lines = 0;

  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] as string;
    const edges = edgesOf(file, inputs);
    if (!edges) continue;
    lines += edges.lines;
    if (edges.topLevelAwait.length > 0) topLevelAwait.push(...edges.topLevelAwait);
    if (edges.unresolved.length > 0) unresolved.push(...edges.unresolved);
    if (edges.lazy.length > 0) lazy.push(...edges.lazy);
    for (const target of edges.files) {
      if (!parent.has(target)) {
        parent.set(target, file);
        queue.push(target);
      }
    }
    for (const site of edges.packages) {
      packageSites.push(site);
      addPackage(packages, site.name, site.subpath, chainOf, file, site.viaImport);
    }
  }

  const { form, formBasis } = deployForm(packaging);
  const priced = pricePackages([...packages.values()], costs, form, form === 'bundled' ? externalOf(packaging?.externals) : noExternal);
  const stats = form === 'bundled' && packaging?.statsFile ? costs.bundleStats(packaging.statsFile, handlerFile) : null;
  // Packages a stats file shows outside the bundle were left external: they load from node_modules, unbundled.
  const external = stats && stats.error === undefined ? pricePackages([...packages.values()], costs, 'unbundled').list.map(stripPending) : [];
  const packageList = stats ? applyBundleStats(priced.list, external, stats, costs, handlerFile) : priced.list.map(stripPending);
  packageList.sort((a, b) => (b.estInitMs ?? -1) - (a.estInitMs ?? -1) || compareStrings(a.name, b.name));
  const estInitMs = Math.round(packageList.reduce((sum, p) => sum + (p.estInitMs ?? 0), 0) * 10) / 10;
  // Deep imports by their specifier (`lodash/chunk`): the package itself may well be priced.
  const unpriced = packageList
    .filter((p) => p.estInitMs === null)
    .flatMap((p) => (p.subpaths.length > 0 ? p.subpaths.map((s) => `${p.name}/${s}`) : [p.name]));

  return {
    closure: {
      estInitMs,
      modules: queue.length,
      lines,
      files: queue,
      packages: packageList,
      lazy,
      unresolved,
      topLevelAwait,
      form,
      formBasis: stats?.error ? `${formBasis}; ${stats.error}` : stats ? `${formBasis}; modules from ${packaging?.statsFile ?? ''}` : formBasis,
      unpriced,
    },
    chainOf,
    packageSites,
    packageCopies: priced.copies,
    priceCopy: (copy) => {
      const m = costs.model;
      return m ? modelMs(form === 'bundled' ? m.bundled : m.require, copy.modules, copy.bytes) : null;
    },
  };
}

/** Which load costs apply: bundled ones only when discovery says the function ships as a bundle. */
function deployForm(packaging: Packaging | undefined): { form: DeployForm; formBasis: string } {
  if (packaging?.form === 'bundled')
    return { form: 'bundled', formBasis: `bundled${packaging.tool ? ` by ${packaging.tool}` : ''}: ${packaging.basis}` };
  if (packaging?.form === 'unbundled') return { form: 'unbundled', formBasis: `unbundled: ${packaging.basis}` };
  return {
    form: 'unbundled',
    formBasis: packaging ? `unbundled assumed: ${packaging.basis}` : 'unbundled assumed: no bundler found for this function',
  };
}

type PendingPackage = InitPackage & { viaImport: boolean; importer: string };

/** The external pattern a package name matches, if any. */
type ExternalOf = (name: string) => string | undefined;
const noExternal: ExternalOf = () => undefined;

/**
 * Matches package names against the bundler's externals (`@aws-sdk/*`, `pdfkit`); `*` alone is serverless-esbuild's
 * "every package", which a glob would not match across a scope's slash.
 */
function externalOf(externals: readonly string[] | undefined): ExternalOf {
  if (!externals || externals.length === 0) return noExternal;
  // picomatch loads only when a bundled function declares externals.
  const picomatch: typeof picomatchFn = createRequire(import.meta.url)('picomatch');
  const matchers = externals.map((pattern) => ({ pattern, test: pattern === '*' ? () => true : picomatch(pattern) }));
  return (name) => matchers.find((m) => m.test(name))?.pattern;
}

/** `@scope/name@1.2.3` -> [`@scope/name`, `1.2.3`]. */
function splitLoadKey(key: string): [string, string] {
  const at = key.lastIndexOf('@');
  return at > 0 ? [key.slice(0, at), key.slice(at + 1)] : [key, ''];
}

/**
 * Prices each package, then takes off what it loads that a package listed before it already loaded (the v3 SDK
 * core under every client, Powertools commons): Node loads a module once, and a bundle holds it once. The share
 * taken off is the shared modules' part of the package's own modelled load, so a measured figure stays the scale.
 */
function pricePackages(
  pending: PendingPackage[],
  costs: PackageCostModel,
  deployForm: DeployForm,
  externalTo: ExternalOf = noExternal,
): {
  list: (InitPackage & { importer: string; viaImport: boolean; form: DeployForm; startup?: PackageCost['startup'] })[];
  copies: HandlerGraph['packageCopies'];
} {
  const seen: SeenLoads = new Map();
  const copies: HandlerGraph['packageCopies'] = [];
  const model = costs.model;
  const list = pending.map(({ viaImport, importer, ...p }) => {
    // A package the bundler leaves external loads from node_modules (or the runtime's SDK) as files.
    const external = externalTo(p.name);
    const form: DeployForm = external === undefined ? deployForm : 'unbundled';
    // The whole package when its root is imported; otherwise the sum of the deep imports' costs.
    const parts = p.subpaths.includes('') ? [''] : [...p.subpaths].sort();
    const partCosts = parts.map((sub) => costs.cost({ name: p.name, subpath: sub, fromFile: importer, viaImport, form }));
    const summed = sumParts(partCosts);
    const known = summed.known;
    const basis = external === undefined ? summed.basis : `left external by the bundler: ${external}; ${summed.basis}`;
    const first = partCosts[0];
    const c = model ? (form === 'bundled' ? model.bundled : viaImport ? model.import : model.require) : null;
    // Part by part, so two deep imports of one package (aws-sdk/clients/s3 and .../dynamodb) share its core too.
    let est = 0;
    let cut = 0;
    for (const part of partCosts) {
      if (part.estInitMs === null) continue;
      const share = c && part.loads ? sharedShare(part.loads, seen, c, part.source === 'catalog') : 0;
      est += part.estInitMs * (1 - share);
      cut += part.estInitMs * share;
      if (part.loads) addSeen(seen, part.loads);
    }
    const note = cut > 0.05 ? `; minus ${Math.round(cut * 10) / 10} ms for modules that packages listed before it already loaded` : '';
    if (first?.copies) copies.push({ name: p.name, copies: first.copies });
    return {
      ...p,
      importer,
      viaImport,
      subpaths: parts.filter((s) => s !== ''),
      estInitMs: known > 0 ? Math.round(est * 10) / 10 : null,
      sizeBytes: first?.sizeBytes ?? null,
      version: first?.version ?? null,
      source: first?.source ?? 'unknown',
      basis: basis + note,
      form,
      startup: first?.startup,
      ...(first?.versionSource ? { versionSource: first.versionSource } : {}),
    };
  });
  // Every measured entry includes the process start-up of its kind (the first require(), the first import() of
  // CommonJS with the ESM loader's lexer, the first bundle), which a process pays once: per kind, the most expensive
  // catalog-priced package keeps it, the others are priced without it (so the order of imports does not matter).
  const overheadOf = (k: PackageCost['startup']): number =>
    k === 'bundled'
      ? (model?.bundledFirstLoadMs ?? 0)
      : k === 'import'
        ? (model?.importLoaderMs ?? 0)
        : k === 'require'
          ? (model?.firstLoadMs ?? 0)
          : 0;
  const measured = list.filter((p) => p.source === 'catalog' && p.estInitMs !== null && p.startup !== undefined);
  const keepers = new Set<(typeof list)[number]>();
  for (const kind of ['require', 'import', 'bundled'] as const) {
    const keeper = measured
      .filter((p) => p.startup === kind)
      .reduce<(typeof list)[number] | null>((best, p) => (best === null || (p.estInitMs ?? 0) > (best.estInitMs ?? 0) ? p : best), null);
    if (keeper) keepers.add(keeper);
  }
  for (const p of measured) {
    const overheadMs = overheadOf(p.startup);
    if (keepers.has(p) || p.estInitMs === null || overheadMs <= 0) continue;
    const off = Math.min(p.estInitMs, overheadMs);
    p.estInitMs = Math.round((p.estInitMs - off) * 10) / 10;
    p.basis += `; minus ${off} ms of ${p.startup === 'import' ? 'first-import' : 'first-require'} start-up already paid`;
  }
  return { list, copies };
}

/** Per package name, per version, the most [modules, bytes] of it loaded so far. */
type SeenLoads = Map<string, Map<string, readonly [number, number]>>;

/**
 * The part of a package's modelled load that is already loaded: per package it loads, the overlap with what was
 * loaded before (the smaller of the two module and byte counts). Catalog records come from the catalog's own
 * install, so they share on the name; installed walks on the exact version.
 */
function sharedShare(loads: ReadonlyMap<string, readonly [number, number]>, seen: SeenLoads, c: LoadCoefficients, byName: boolean): number {
  let total = 0;
  let shared = 0;
  for (const [key, [m, b]] of loads) {
    total += modelMs(c, m, b);
    const [name, version] = splitLoadKey(key);
    const versions = seen.get(name);
    if (!versions) continue;
    let prev = versions.get(version);
    if (!prev && byName) for (const v of versions.values()) if (!prev || v[1] > prev[1]) prev = v;
    if (prev) shared += modelMs(c, Math.min(m, prev[0]), Math.min(b, prev[1]));
  }
  return total > 0 ? Math.min(1, shared / total) : 0;
}

function addSeen(seen: SeenLoads, loads: ReadonlyMap<string, readonly [number, number]>): void {
  for (const [key, [m, b]] of loads) {
    const [name, version] = splitLoadKey(key);
    let versions = seen.get(name);
    if (!versions) seen.set(name, (versions = new Map()));
    const prev = versions.get(version);
    versions.set(version, prev ? [Math.max(prev[0], m), Math.max(prev[1], b)] : [m, b]);
  }
}

/**
 * With the bundler's own stats, the packages really in the bundle are priced from their modules and bytes there
 * (tree-shaking included); a package the handler imports that is not in the bundle was left external and loads
 * unbundled; packages in the bundle that the handler does not import itself are listed too, as dependencies.
 */
function stripPending({
  importer: _i,
  viaImport: _v,
  form: _f,
  startup: _s,
  ...p
}: InitPackage & { importer: string; viaImport: boolean; form?: DeployForm; startup?: PackageCost['startup'] }): InitPackage {
  return p;
}

function applyBundleStats(
  list: (InitPackage & { importer: string; viaImport: boolean })[],
  external: readonly InitPackage[],
  stats: ReturnType<PackageCostModel['bundleStats']>,
  costs: PackageCostModel,
  handlerFile: string,
): InitPackage[] {
  const model = costs.model;
  if (stats.error !== undefined || !model) return list.map(stripPending);
  const where = stats.output ? `output ${stats.output}` : 'the stats';
  const out: InitPackage[] = list.map((p) => {
    const s = stats.packages.get(p.name);
    if (s) {
      return {
        ...stripPending(p),
        estInitMs: modelMs(model.bundled, s.modules, s.bytes),
        source: 'bundle' as const,
        basis: `in the bundle (${where}): ${s.modules} modules, ${Math.round(s.bytes / 1024)} KB, bundled load model fitted ${model.fittedAt}`,
      };
    }
    const ext = external.find((e) => e.name === p.name) ?? stripPending(p);
    return { ...ext, basis: `not in the bundle (external, loaded from node_modules at init): ${ext.basis}` };
  });
  const direct = new Set(list.map((p) => p.name));
  for (const [name, s] of stats.packages) {
    if (direct.has(name)) continue;
    out.push({
      name,
      subpaths: [],
      chain: [handlerFile],
      estInitMs: modelMs(model.bundled, s.modules, s.bytes),
      sizeBytes: s.bytes,
      version: null,
      source: 'bundle',
      basis: `in the bundle as a dependency (${where}): ${s.modules} modules, ${Math.round(s.bytes / 1024)} KB, bundled load model fitted ${model.fittedAt}`,
    });
  }
  return out;
}

/** What one file contributes to any closure that contains it: the same for every handler. */
interface FileEdges {
  lines: number;
  files: string[];
  packages: (PackageImportSite & { viaImport: boolean })[];
  lazy: InitClosure['lazy'];
  unresolved: UnresolvedImport[];
  topLevelAwait: InitClosure['topLevelAwait'];
}

const edgeCache = new WeakMap<object, FileEdges>();

/**
 * A file's init edges, resolved once and shared by every handler whose closure reaches it (a
 * shared lib module sits in hundreds of closures). Keyed on the file's facts object.
 */
function edgesOf(file: string, inputs: GraphInputs): FileEdges | undefined {
  const f = inputs.facts.get(file);
  if (!f) return undefined;
  const hit = edgeCache.get(f);
  if (hit) return hit;
  const edges: FileEdges = {
    lines: f.lines,
    files: [],
    packages: [],
    lazy: [],
    unresolved: [],
    topLevelAwait: f.topLevelAwaits.map((t) => ({ file, line: t.line, column: t.column })),
  };
  for (const d of f.dynamicRequires) {
    edges.unresolved.push({ file, line: d.line, column: d.column, specifier: d.expression, reason: 'dynamic' });
  }
  const format = inputs.formatOf(file);
  for (const imp of f.imports) {
    if (!imp.init) {
      edges.lazy.push({ file, line: imp.line, specifier: imp.specifier });
      continue;
    }
    const r = inputs.resolver.resolveImport(file, imp);
    if (r.kind === 'file') edges.files.push(r.file);
    else if (r.kind === 'package') {
      edges.packages.push({
        name: r.name,
        subpath: r.subpath,
        specifier: imp.specifier,
        file,
        line: imp.line,
        column: imp.column,
        viaImport: isImportEdge(imp, format),
      });
    } else if (r.kind === 'not_found') {
      edges.unresolved.push({ file, line: imp.line, column: imp.column, specifier: imp.specifier, reason: 'not_found' });
    }
  }
  edgeCache.set(f, edges);
  return edges;
}

/**
 * The known costs' count and sum (added in order from 0, as a reduce would) and the bases joined with
 * `; `. One loop, not `map(...).filter(...)` and `map(...).join(...)`: inlined into initClosure, those
 * intermediate arrays (small integers, doubles or null, depending on the package) deoptimised it again
 * and again (V8 "wrong map", ~80 times a scan), each time sending the closure walk back to the
 * interpreter until it was recompiled.
 */
function sumParts(parts: readonly { estInitMs: number | null; basis: string }[]): { known: number; sum: number; basis: string } {
  let known = 0;
  let sum = 0;
  let basis = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part) continue;
    if (part.estInitMs !== null) {
      known++;
      sum += part.estInitMs;
    }
    basis += (i > 0 ? '; ' : '') + part.basis;
  }
  return { known, sum, basis };
}

/** An ESM `import` of a CommonJS package costs more than `require` (the loader wraps it). */
function isImportEdge(imp: ImportFact, format: ModuleFormat): boolean {
  if (imp.kind === 'dynamic-import') return true;
  return format === 'esm' && (imp.kind === 'import' || imp.kind === 'side-effect' || imp.kind === 're-export');
}

function addPackage(
  packages: Map<string, InitPackage & { viaImport: boolean; importer: string }>,
  name: string,
  subpath: string,
  chainOf: (file: string) => string[] | undefined,
  importer: string,
  viaImport: boolean,
): void {
  const existing = packages.get(name);
  if (existing) {
    // '' marks "the package root was imported", which outweighs any subpath.
    if (!existing.subpaths.includes(subpath)) existing.subpaths.push(subpath);
    return;
  }
  packages.set(name, {
    name,
    subpaths: [subpath],
    // Built only for a package seen for the first time: most import sites repeat a package.
    chain: chainOf(importer) ?? [importer],
    estInitMs: null,
    sizeBytes: null,
    version: null,
    source: 'unknown',
    basis: '',
    viaImport,
    importer,
  });
}
