import path from 'node:path';
import type { PackageSource } from '../model/result.js';
import { catalogJson } from '../assets.js';
import { parseBundleStats, type BundleStats } from './bundle-stats.js';
import { LockfileIndex, majorOf } from './lockfile.js';
import { NodeModulesWalker, type PackageCopy, type WalkResult } from './node-modules.js';
import type { SourceTree } from '../source/tree.js';

/** One row of rules/catalog/packages.json: a measured load cost with its source and date. */
export interface CatalogEntry {
  name: string;
  version: string;
  requireMs: number | null;
  importMs: number | null;
  sizeBytes: number | null;
  source: string;
  date: string;
  note?: string;
  /** Major of `version`; entries of several majors of one name sit side by side. */
  major?: number | null;
  /** The newest major measured for the name: the one used when the version in use is not known. */
  latest?: boolean;
  /** require() of the package bundled by esbuild; null when it does not bundle or the bundle does not load. */
  bundledMs?: number | null;
  bundleBytes?: number | null;
  /**
   * The same loads as the child process's CPU time (all threads). The estimate prefers these: on a shared machine
   * wall time carries other work, and on Lambda (up to one vCPU below 1769 MB) every thread's work is on the clock.
   */
  requireCpuMs?: number | null;
  importCpuMs?: number | null;
  bundledCpuMs?: number | null;
}

export interface CatalogFamily {
  pattern: string;
  requireMs: number | null;
  importMs: number | null;
  sizeBytes: number | null;
  source: string;
  date: string;
  bundledMs?: number | null;
}

/** ms per module and per KB of JavaScript, fitted on the catalog by scripts/fit-load-model.mjs. */
export interface LoadCoefficients {
  perModuleMs: number;
  perKBMs: number;
}

export interface LoadModel {
  fittedAt: string;
  source: string;
  /** What import() from a CommonJS script costs before any package: the ESM loader starting, paid once per process. */
  importLoaderMs: number;
  /** What every measured entry includes for the first require() in a process (the smallest packages show it), unbundled and bundled. */
  firstLoadMs?: number;
  bundledFirstLoadMs?: number;
  require: LoadCoefficients;
  import: LoadCoefficients;
  bundled: LoadCoefficients;
}

export interface Catalog {
  measuredAt: string;
  baselineMs: number;
  packages: CatalogEntry[];
  families: CatalogFamily[];
  /** What each entry loads, per package (`name@version` -> [modules, bytes]), keyed like the entries. */
  loads?: ReadonlyMap<string, ReadonlyMap<string, readonly [number, number]>>;
  /** The calibrated model for installed packages the catalog has not measured. */
  model?: LoadModel;
}

export type DeployForm = 'bundled' | 'unbundled';

export interface PackageCost {
  estInitMs: number | null;
  sizeBytes: number | null;
  version: string | null;
  source: PackageSource;
  /** How the estimate was made, for readers who want to check it. */
  basis: string;
  /** Where `version` was read. */
  versionSource?: 'installed' | 'lockfile';
  /** What it loads, per `name@version` ([modules, bytes]): the catalog's record, or the walk of node_modules. */
  loads?: ReadonlyMap<string, readonly [number, number]>;
  /** Package folders the installed package's init graph enters (for the duplicate-copies rule). */
  copies?: readonly PackageCopy[];
  /**
   * The process start-up a catalog figure includes, paid once per process and kind: the first require(), the first
   * import() of CommonJS (the ESM loader and its CommonJS export lexer), or the first bundle's.
   */
  startup?: 'require' | 'import' | 'bundled';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function coefficients(v: unknown, what: string): LoadCoefficients {
  if (!isRecord(v)) throw new Error(`load model: ${what} missing`);
  const perModuleMs = num(v.perModuleMs);
  const perKBMs = num(v.perKBMs);
  if (perModuleMs === null || perKBMs === null) throw new Error(`load model: ${what} needs perModuleMs and perKBMs`);
  return { perModuleMs, perKBMs };
}

/** Validates rules/catalog/load-model.json. */
export function parseLoadModel(raw: unknown): LoadModel {
  if (!isRecord(raw)) throw new Error('load model: expected an object');
  return {
    fittedAt: str(raw.fittedAt),
    source: str(raw.source),
    importLoaderMs: num(raw.importLoaderMs) ?? 0,
    ...(num(raw.firstLoadMs) !== null ? { firstLoadMs: num(raw.firstLoadMs) ?? 0 } : {}),
    ...(num(raw.bundledFirstLoadMs) !== null ? { bundledFirstLoadMs: num(raw.bundledFirstLoadMs) ?? 0 } : {}),
    require: coefficients(raw.require, 'require'),
    import: coefficients(raw.import, 'import'),
    bundled: coefficients(raw.bundled, 'bundled'),
  };
}

/** Validates rules/catalog/package-loads.json. */
export function parseLoads(raw: unknown): Map<string, Map<string, readonly [number, number]>> {
  const out = new Map<string, Map<string, readonly [number, number]>>();
  if (!isRecord(raw) || !isRecord(raw.entries)) return out;
  for (const [key, per] of Object.entries(raw.entries)) {
    if (!isRecord(per)) continue;
    const m = new Map<string, readonly [number, number]>();
    for (const [dep, pair] of Object.entries(per)) {
      if (Array.isArray(pair) && typeof pair[0] === 'number' && typeof pair[1] === 'number') m.set(dep, [pair[0], pair[1]]);
    }
    out.set(key, m);
  }
  return out;
}

/** Validates the catalog file's shape at the boundary so the rest of the code can trust it. */
export function parseCatalog(raw: unknown): Catalog {
  if (!isRecord(raw) || !Array.isArray(raw.packages)) throw new Error('catalog: expected an object with a packages array');
  const packages: CatalogEntry[] = raw.packages.filter(isRecord).map((p) => ({
    name: str(p.name),
    version: str(p.version),
    requireMs: num(p.requireMs),
    importMs: num(p.importMs),
    sizeBytes: num(p.sizeBytes),
    source: str(p.source),
    date: str(p.date),
    major: num(p.major) ?? majorOf(str(p.version)),
    latest: p.latest !== false,
    bundledMs: num(p.bundledMs),
    bundleBytes: num(p.bundleBytes),
    requireCpuMs: num(p.requireCpuMs),
    importCpuMs: num(p.importCpuMs),
    bundledCpuMs: num(p.bundledCpuMs),
    ...(typeof p.note === 'string' ? { note: p.note } : {}),
  }));
  const families: CatalogFamily[] = (Array.isArray(raw.families) ? raw.families : []).filter(isRecord).map((f) => ({
    pattern: str(f.pattern),
    requireMs: num(f.requireMs),
    importMs: num(f.importMs),
    sizeBytes: num(f.sizeBytes),
    bundledMs: num(f.bundledMs),
    source: str(f.source),
    date: str(f.date),
  }));
  return { measuredAt: str(raw.measuredAt), baselineMs: num(raw.baselineMs) ?? 0, packages, families };
}

let defaultCatalog: Catalog | undefined;

function readCatalogFile(name: string): unknown {
  return catalogJson(name);
}

/** A catalog side file that a trimmed install may lack: without it that refinement is off, the rest works. */
function readOptionalCatalogFile(name: string): unknown {
  try {
    return readCatalogFile(name);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

export function loadDefaultCatalog(): Catalog {
  if (!defaultCatalog) {
    const loads = readOptionalCatalogFile('package-loads.json');
    const model = readOptionalCatalogFile('load-model.json');
    defaultCatalog = {
      ...parseCatalog(readCatalogFile('packages.json')),
      ...(loads !== undefined ? { loads: parseLoads(loads) } : {}),
      ...(model !== undefined ? { model: parseLoadModel(model) } : {}),
    };
  }
  return defaultCatalog;
}

function familyMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) && !name.slice(pattern.length - 1).includes('/') : pattern === name;
}

/** The model's figure for `modules` files of `bytes` in all. */
export function modelMs(c: LoadCoefficients, modules: number, bytes: number): number {
  return round1(c.perModuleMs * modules + (c.perKBMs * bytes) / 1024);
}

/** The catalog's key for an entry: its name, with the major when it is not the newest one measured. */
export function entryKey(e: CatalogEntry): string {
  return e.latest === false ? `${e.name}@${e.major ?? ''}` : e.name;
}

export interface CostQuery {
  name: string;
  subpath: string;
  /** Root-relative file that imports it. */
  fromFile: string;
  viaImport: boolean;
  form: DeployForm;
}

/**
 * Prices `name` (plus a subpath) as imported from a file: the catalog entry of the major in use (from the
 * installed package, else the lockfile), else a family figure, else (when installed) the calibrated model over
 * the modules and bytes its static import graph really loads. A package neither known nor installed is unpriced.
 */
export class PackageCostModel {
  private readonly byName = new Map<string, CatalogEntry[]>();
  private readonly costCache = new Map<string, PackageCost>();
  readonly walker: NodeModulesWalker;
  readonly lockfiles: LockfileIndex;
  private readonly rootAbs: string;

  constructor(
    private readonly catalog: Catalog,
    private readonly tree: SourceTree,
    warn: (message: string) => void = () => {},
  ) {
    this.rootAbs = tree.root;
    this.walker = new NodeModulesWalker(tree);
    for (const p of catalog.packages) {
      // An entry with no figure at all prices nothing: leave the package to the installed graph or unpriced.
      if (p.requireMs === null && p.importMs === null && (p.bundledMs ?? null) === null) continue;
      let list = this.byName.get(p.name);
      if (!list) this.byName.set(p.name, (list = []));
      list.push(p);
    }
    this.lockfiles = new LockfileIndex(tree, warn);
  }

  get model(): LoadModel | undefined {
    return this.catalog.model;
  }

  private readonly statsCache = new Map<string, BundleStats | { error: string }>();

  /** The packages in a handler's bundle per its esbuild metafile or webpack stats (root-relative), or why not. */
  bundleStats(statsFile: string, handlerFile: string): (BundleStats & { error?: undefined }) | { error: string } {
    const key = `${statsFile}\0${handlerFile}`;
    let hit = this.statsCache.get(key);
    if (!hit) {
      try {
        hit = parseBundleStats(this.tree.read(statsFile), handlerFile);
      } catch (err) {
        hit = { error: `${statsFile} not read (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): catalog bundled figures used` };
      }
      this.statsCache.set(key, hit);
    }
    return hit;
  }

  /** The same package from the same directory costs the same for every handler: computed once. */
  cost(q: CostQuery): PackageCost {
    const key = `${q.name}\0${q.subpath}\0${path.posix.dirname(q.fromFile)}\0${q.viaImport ? 1 : 0}\0${q.form}`;
    let hit = this.costCache.get(key);
    if (!hit) {
      hit = this.computeCost(q);
      this.costCache.set(key, hit);
    }
    return hit;
  }

  /** The entry for `spec` at `major`, or the newest one with `exact: false` when that major was not measured. */
  private entryFor(spec: string, major: number | null): { entry: CatalogEntry; exact: boolean } | null {
    const list = this.byName.get(spec);
    if (!list || list.length === 0) return null;
    if (major !== null) {
      const same = list.find((e) => e.major === major);
      if (same) return { entry: same, exact: true };
    }
    const newest = list.find((e) => e.latest !== false) ?? list[list.length - 1];
    return newest ? { entry: newest, exact: major === null } : null;
  }

  private computeCost(q: CostQuery): PackageCost {
    const fromDirAbs = path.join(this.rootAbs, path.posix.dirname(q.fromFile));
    const pkgDir = this.walker.findPackageDir(fromDirAbs, q.name);
    const manifest = pkgDir ? this.walker.manifest(pkgDir) : null;
    const installedVersion = manifest && typeof manifest.version === 'string' ? manifest.version : null;
    const locked = installedVersion === null ? this.lockfiles.versionFor(q.name, q.fromFile) : null;
    const version = installedVersion ?? locked?.version ?? null;
    const versionSource = installedVersion !== null ? ('installed' as const) : locked ? ('lockfile' as const) : undefined;
    const versionNote = installedVersion !== null ? `installed ${installedVersion}` : locked ? `${locked.version} in ${locked.lockfile}` : '';
    const walk = pkgDir ? this.walker.walk(q.name, q.subpath, fromDirAbs, q.viaImport ? 'import' : 'require') : null;
    const base = {
      version,
      ...(versionSource ? { versionSource } : {}),
      ...(walk ? { loads: loadsOfWalk(walk), copies: walk.packages } : {}),
    };
    const spec = q.subpath ? `${q.name}/${q.subpath}` : q.name;
    const found = this.entryFor(spec, majorOf(version));
    // An installed package of a major the catalog has not measured is better priced by its own graph.
    if (found && (found.exact || !walk)) {
      const { entry, exact } = found;
      const fig = this.figure(entry, q);
      const majorNote = exact
        ? versionNote
          ? `, major ${entry.major ?? '?'} per ${versionNote}`
          : ''
        : `; ${versionNote} is major ${majorOf(version) ?? '?'}, not measured: the newest measured major is used`;
      const loads = this.catalog.loads?.get(entryKey(entry));
      return {
        ...base,
        estInitMs: fig.ms,
        ...(fig.startup ? { startup: fig.startup } : {}),
        sizeBytes: entry.sizeBytes,
        source: 'catalog',
        basis: `catalog ${entry.name}@${entry.version} ${fig.what} (${entry.date})${majorNote}`,
        ...(walk ? {} : loads ? { loads } : {}),
      };
    }
    if (q.subpath && !walk && this.byName.has(q.name)) {
      // A deep import loads part of the package; the whole-package figure would overstate it.
      const whole = this.entryFor(q.name, majorOf(version));
      return {
        ...base,
        estInitMs: null,
        sizeBytes: null,
        source: 'unknown',
        basis: `subpath ${spec} not measured and not installed (whole package: ${whole ? (this.figure(whole.entry, q).ms ?? '?') : '?'} ms)`,
      };
    }
    const family = walk ? undefined : this.catalog.families.find((f) => familyMatches(f.pattern, q.name));
    if (family) {
      const ms =
        q.form === 'bundled'
          ? (family.bundledMs ?? family.requireMs)
          : q.viaImport
            ? (family.importMs ?? family.requireMs)
            : (family.requireMs ?? family.importMs);
      return {
        ...base,
        estInitMs: ms,
        sizeBytes: family.sizeBytes,
        source: 'catalog',
        basis: `catalog family ${family.pattern}, ${q.form} (${family.date})${versionNote ? `; ${versionNote}` : ''}`,
      };
    }
    if (walk && this.catalog.model) {
      const m = this.catalog.model;
      const bundled = q.form === 'bundled';
      const c = bundled ? m.bundled : q.viaImport ? m.import : m.require;
      // Bundled too, what runs at init is what costs: code behind a lazy require sits in the bundle inside a
      // wrapper that is parsed lazily and never run at init (the v2 SDK's service models are the extreme case).
      const modules = walk.modules;
      const bytes = walk.bytes;
      const native = walk.nativeAddons > 0 ? `; ${walk.nativeAddons} native addon(s) not priced` : '';
      return {
        ...base,
        estInitMs: modelMs(c, modules, bytes),
        sizeBytes: walk.allBytes,
        source: 'installed',
        basis: `installed ${version ?? '?'}: ${modules} modules, ${Math.round(bytes / 1024)} KB loaded at init${bundled ? ', bundled' : ''} (static walk of node_modules), load model fitted ${m.fittedAt}${native}`,
      };
    }
    if (walk) return { ...base, estInitMs: null, sizeBytes: walk.allBytes, source: 'installed', basis: 'installed, but no load model to price it' };
    return {
      ...base,
      estInitMs: null,
      sizeBytes: null,
      source: 'unknown',
      basis: `unpriced: not in the catalog and not installed${versionNote ? ` (${versionNote})` : ''}`,
    };
  }

  private figure(entry: CatalogEntry, q: CostQuery): { ms: number | null; what: string; startup?: PackageCost['startup'] } {
    const pick = (cpu: number | null | undefined, wall: number | null | undefined, what: string): { ms: number | null; what: string } | null => {
      if (cpu !== undefined && cpu !== null) return { ms: cpu, what: `${what} cpu` };
      if (wall !== undefined && wall !== null) return { ms: wall, what };
      return null;
    };
    const require = pick(entry.requireCpuMs, entry.requireMs, 'require');
    const imported = pick(entry.importCpuMs, entry.importMs, 'import');
    if (q.form === 'bundled') {
      const bundled = pick(entry.bundledCpuMs, entry.bundledMs, 'bundled');
      if (bundled) return { ...bundled, startup: 'bundled' };
      if (require) return { ms: require.ms, what: `${require.what}, unbundled (no bundled figure)`, startup: 'require' };
      return imported
        ? { ms: imported.ms, what: `${imported.what}, unbundled (no bundled figure)`, startup: 'import' }
        : { ms: null, what: 'no figure' };
    }
    // The measured import() includes starting the ESM loader and its CommonJS lexer: a process pays that once, so
    // the figure keeps it and the closure takes it off all but one import-priced package.
    if (q.viaImport && imported && imported.ms !== null) return { ...imported, startup: 'import' };
    if (require) return { ...require, startup: 'require' };
    // An ESM-only package has only an import() figure.
    return imported && imported.ms !== null ? { ...imported, startup: 'import' } : { ms: null, what: 'no figure' };
  }
}

/** A walk's per-package [modules, bytes], keyed like the catalog's loads (`name@version`). */
function loadsOfWalk(walk: WalkResult): Map<string, readonly [number, number]> {
  const m = new Map<string, readonly [number, number]>();
  for (const p of walk.packages) m.set(`${p.name}@${p.version}`, [p.modules, p.bytes]);
  return m;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
