import type { PackageEquivalent } from '../model/result.js';
import { catalogJson } from '../assets.js';

/**
 * The portability data in rules/catalog/ (facts of the world, each entry with its source and date):
 * npm package -> Rust crates, known native addons, and LLRT's built-in module support. Read once,
 * validated by shape; a malformed entry is an error in the shipped package, not in the user's input.
 */

export interface RustEquivalentEntry extends PackageEquivalent {
  source: string;
  date: string;
}

interface PatternEntry {
  pattern: string;
  crates: string[];
  fit: PackageEquivalent['fit'];
  note: string;
}

export interface LlrtSupport {
  support: 'full' | 'partial' | 'none';
  why: string;
}

export interface PortabilityCatalogs {
  equivalentOf(name: string): PackageEquivalent;
  nativeAddon(name: string): string | null;
  llrtBuiltin(name: string): 'full' | 'partial' | 'none';
  llrtPackage(name: string): LlrtSupport | null;
}

const FITS = ['direct', 'close', 'partial', 'std', 'none'] as const;

function isFit(v: string): v is (typeof FITS)[number] {
  const known: readonly string[] = FITS;
  return known.includes(v);
}

function readCatalog(file: string): unknown {
  return catalogJson(file);
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? Reflect.get(obj, key) : undefined;
}

function str(obj: unknown, key: string, where: string): string {
  const v = field(obj, key);
  if (typeof v !== 'string') throw new Error(`rules/catalog/${where}: '${key}' must be a string`);
  return v;
}

function list(obj: unknown, key: string, where: string): unknown[] {
  const v = field(obj, key);
  if (!Array.isArray(v)) throw new Error(`rules/catalog/${where}: '${key}' must be an array`);
  return v;
}

function fitOf(v: string, where: string): PackageEquivalent['fit'] {
  if (!isFit(v)) throw new Error(`rules/catalog/${where}: unknown fit '${v}'`);
  return v;
}

function equivalentEntry(raw: unknown, where: string): RustEquivalentEntry {
  return {
    package: str(raw, 'package', where),
    crates: list(raw, 'crates', where).map((c) => (typeof c === 'string' ? c : '')),
    fit: fitOf(str(raw, 'fit', where), where),
    note: str(raw, 'note', where),
    source: str(raw, 'source', where),
    date: str(raw, 'date', where),
  };
}

let cached: PortabilityCatalogs | undefined;

export function loadPortabilityCatalogs(): PortabilityCatalogs {
  if (cached) return cached;
  const rust = readCatalog('rust-equivalents.json');
  const entries = new Map(
    list(rust, 'packages', 'rust-equivalents.json').map((r) => {
      const e = equivalentEntry(r, 'rust-equivalents.json');
      return [e.package, e] as const;
    }),
  );
  const patterns: PatternEntry[] = list(rust, 'patterns', 'rust-equivalents.json').map((r) => ({
    pattern: str(r, 'pattern', 'rust-equivalents.json'),
    crates: list(r, 'crates', 'rust-equivalents.json').map((c) => (typeof c === 'string' ? c : '')),
    fit: fitOf(str(r, 'fit', 'rust-equivalents.json'), 'rust-equivalents.json'),
    note: str(r, 'note', 'rust-equivalents.json'),
  }));
  const native = new Map(
    list(readCatalog('native-packages.json'), 'packages', 'native-packages.json').map(
      (r) => [str(r, 'name', 'native-packages.json'), str(r, 'addon', 'native-packages.json')] as const,
    ),
  );
  const llrt = readCatalog('llrt-modules.json');
  const builtins = new Map(
    list(llrt, 'modules', 'llrt-modules.json').map((r) => [str(r, 'name', 'llrt-modules.json'), str(r, 'support', 'llrt-modules.json')] as const),
  );
  const llrtPackages = new Map(
    list(llrt, 'packages', 'llrt-modules.json').map((r) => {
      const support = str(r, 'support', 'llrt-modules.json');
      return [
        str(r, 'name', 'llrt-modules.json'),
        {
          support: support === 'full' ? 'full' : support === 'partial' ? 'partial' : 'none',
          why: str(r, 'why', 'llrt-modules.json'),
        } satisfies LlrtSupport,
      ] as const;
    }),
  );

  cached = {
    equivalentOf(name: string): PackageEquivalent {
      const hit = entries.get(name) ?? entries.get(packageOf(name));
      if (hit) return { package: name, crates: hit.crates, fit: hit.fit, note: hit.note };
      for (const p of patterns) {
        const prefix = p.pattern.slice(0, -1);
        if (!p.pattern.endsWith('*') || !name.startsWith(prefix)) continue;
        const service = name.slice(prefix.length).split('/')[0]?.replace(/-/g, '') ?? '';
        return { package: name, crates: p.crates.map((c) => c.replace('{service}', service)), fit: p.fit, note: p.note };
      }
      return { package: name, crates: [], fit: 'unknown', note: 'not in rules/catalog/rust-equivalents.json: check crates.io by hand' };
    },
    nativeAddon: (name) => native.get(name) ?? native.get(packageOf(name)) ?? null,
    llrtBuiltin(name: string) {
      const s = builtins.get(name);
      return s === 'full' ? 'full' : s === 'partial' ? 'partial' : 'none';
    },
    llrtPackage: (name) => llrtPackages.get(name) ?? llrtPackages.get(packageOf(name)) ?? null,
  };
  return cached;
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
