import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PackageSource } from '../model/result.js';
import { packageRoot } from '../package-root.js';

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
}

export interface CatalogFamily {
  pattern: string;
  requireMs: number | null;
  importMs: number | null;
  sizeBytes: number | null;
  source: string;
  date: string;
}

export interface Catalog {
  measuredAt: string;
  baselineMs: number;
  packages: CatalogEntry[];
  families: CatalogFamily[];
}

export interface PackageCost {
  estInitMs: number | null;
  sizeBytes: number | null;
  version: string | null;
  source: PackageSource;
  /** How the estimate was made, for readers who want to check it. */
  basis: string;
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
    ...(typeof p.note === 'string' ? { note: p.note } : {}),
  }));
  const families: CatalogFamily[] = (Array.isArray(raw.families) ? raw.families : []).filter(isRecord).map((f) => ({
    pattern: str(f.pattern),
    requireMs: num(f.requireMs),
    importMs: num(f.importMs),
    sizeBytes: num(f.sizeBytes),
    source: str(f.source),
    date: str(f.date),
  }));
  return { measuredAt: str(raw.measuredAt), baselineMs: num(raw.baselineMs) ?? 0, packages, families };
}

let defaultCatalog: Catalog | undefined;

export function loadDefaultCatalog(): Catalog {
  defaultCatalog ??= parseCatalog(JSON.parse(readFileSync(path.join(packageRoot().dir, 'rules', 'catalog', 'packages.json'), 'utf8')));
  return defaultCatalog;
}

function familyMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/**
 * Looks up the load cost of `name` (plus a subpath) and, when the package is installed under the
 * service, its version and size on disk. Order: the catalog's exact specifier (`lodash/get`), the
 * package, a family (`@aws-sdk/client-*`); for an installed package the catalog has not measured,
 * an estimate from its size on disk using the catalog's own ms-per-MB.
 */
export class PackageCostModel {
  private readonly byName: Map<string, CatalogEntry>;
  private readonly installedCache = new Map<string, { version: string; sizeBytes: number } | null>();
  private readonly msPerByte: { require: number; import: number };

  constructor(
    private readonly catalog: Catalog,
    private readonly rootAbs: string,
  ) {
    this.byName = new Map(catalog.packages.map((p) => [p.name, p]));
    this.msPerByte = { require: medianRatio(catalog.packages, 'requireMs'), import: medianRatio(catalog.packages, 'importMs') };
  }

  private readonly costCache = new Map<string, PackageCost>();

  /** The same package from the same directory costs the same for every handler: computed once. */
  cost(name: string, subpath: string, fromFileRel: string, viaImport: boolean): PackageCost {
    const key = `${name}\0${subpath}\0${path.posix.dirname(fromFileRel)}\0${viaImport ? 1 : 0}`;
    let hit = this.costCache.get(key);
    if (!hit) {
      hit = this.computeCost(name, subpath, fromFileRel, viaImport);
      this.costCache.set(key, hit);
    }
    return hit;
  }

  private computeCost(name: string, subpath: string, fromFileRel: string, viaImport: boolean): PackageCost {
    const installed = this.installed(name, fromFileRel);
    const pick = (e: { requireMs: number | null; importMs: number | null }): number | null =>
      viaImport ? (e.importMs ?? e.requireMs) : (e.requireMs ?? e.importMs);
    const exact = subpath ? this.byName.get(`${name}/${subpath}`) : undefined;
    const entry = exact ?? (subpath ? undefined : this.byName.get(name));
    if (entry) {
      return {
        estInitMs: pick(entry),
        sizeBytes: installed?.sizeBytes ?? entry.sizeBytes,
        version: installed?.version ?? null,
        source: installed ? 'installed' : 'catalog',
        basis: `catalog ${entry.name}@${entry.version} (${entry.date})`,
      };
    }
    if (subpath && this.byName.has(name)) {
      // A deep import loads part of the package; the whole-package figure would overstate it.
      const whole = this.byName.get(name);
      return {
        estInitMs: null,
        sizeBytes: installed?.sizeBytes ?? null,
        version: installed?.version ?? null,
        source: installed ? 'installed' : 'unknown',
        basis: `subpath ${name}/${subpath} not measured (whole package: ${whole ? pick(whole) : '?'} ms)`,
      };
    }
    const family = this.catalog.families.find((f) => familyMatches(f.pattern, name));
    if (family) {
      return {
        estInitMs: pick(family),
        sizeBytes: installed?.sizeBytes ?? family.sizeBytes,
        version: installed?.version ?? null,
        source: installed ? 'installed' : 'catalog',
        basis: `catalog family ${family.pattern} (${family.date})`,
      };
    }
    if (installed) {
      const rate = viaImport ? this.msPerByte.import : this.msPerByte.require;
      return {
        estInitMs: rate > 0 ? round1(installed.sizeBytes * rate) : null,
        sizeBytes: installed.sizeBytes,
        version: installed.version,
        source: 'installed',
        basis: 'estimated from size on disk at the catalog median ms per byte',
      };
    }
    return { estInitMs: null, sizeBytes: null, version: null, source: 'unknown', basis: 'not in the catalog and not installed' };
  }

  /** Finds `node_modules/<name>` in the importing file's directory or any ancestor inside the root. */
  private installed(name: string, fromFileRel: string): { version: string; sizeBytes: number } | null {
    let dir = path.posix.dirname(fromFileRel);
    // Every directory passed on the way up gets the answer too: a miss is a failed file read
    // (an exception), and hundreds of handlers ask for the same packages from the same places.
    const visited: string[] = [];
    let result: { version: string; sizeBytes: number } | null;
    for (;;) {
      const key = `${dir}\0${name}`;
      const cached = this.installedCache.get(key);
      if (cached !== undefined) {
        result = cached;
        break;
      }
      visited.push(key);
      result = readInstalled(path.join(this.rootAbs, dir, 'node_modules', name));
      if (result || dir === '.' || dir === '') break;
      dir = path.posix.dirname(dir);
    }
    for (const key of visited) this.installedCache.set(key, result);
    return result;
  }
}

function readInstalled(pkgDir: string): { version: string; sizeBytes: number } | null {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
  const version = isRecord(manifest) && typeof manifest.version === 'string' ? manifest.version : '';
  return { version, sizeBytes: directorySize(pkgDir) };
}

/** Size of a package directory, nested node_modules included (they load with it). */
function directorySize(dir: string): number {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(current, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile()) {
        try {
          total += statSync(full).size;
        } catch {
          // vanished while reading: not counted
        }
      }
    }
  }
  return total;
}

function medianRatio(entries: CatalogEntry[], key: 'requireMs' | 'importMs'): number {
  const ratios = entries
    .map((e) => {
      const ms = e[key];
      return ms !== null && e.sizeBytes !== null && e.sizeBytes > 0 && !e.name.includes('/', e.name.startsWith('@') ? e.name.indexOf('/') + 1 : 0)
        ? ms / e.sizeBytes
        : null;
    })
    .filter((r): r is number => r !== null)
    .sort((a, b) => a - b);
  if (ratios.length === 0) return 0;
  const mid = Math.floor(ratios.length / 2);
  return ratios.length % 2 === 1 ? (ratios[mid] ?? 0) : ((ratios[mid - 1] ?? 0) + (ratios[mid] ?? 0)) / 2;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
