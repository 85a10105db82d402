import { builtinModules } from 'node:module';
import path from 'node:path';
import { exports as resolveExports, imports as resolveImports } from 'resolve.exports';
import ts from '../compiler/typescript.cjs';
import { isBareSpecifier, packageNameOf } from './facts.js';

export type Resolution =
  { kind: 'file'; file: string } | { kind: 'package'; name: string; subpath: string } | { kind: 'builtin'; name: string } | { kind: 'not_found' };

interface PathMapping {
  /** Directory (relative to root) that `paths` entries are resolved against. */
  baseDir: string;
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
  /** `baseUrl` set: bare specifiers may be files under it. */
  baseUrl: boolean;
}

const BUILTINS = new Set(builtinModules);
const TRY_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
/** ESM TypeScript imports name the emitted file (`./a.js`) while the source is `./a.ts`. */
const EMITTED_TO_SOURCE: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

const posix = path.posix;

/**
 * Resolves import specifiers against the in-memory list of the service's files, the way Node and
 * TypeScript would, without touching the disk per lookup: relative paths with extensions and index
 * files, tsconfig `baseUrl`/`paths` (nearest tsconfig.json, `extends` followed within the tree),
 * workspace packages of a monorepo, Node built-ins, and everything else as an npm package.
 */
/** Where Lambda mounts layers for Node.js: `/opt/nodejs/<path>` (and `/opt/nodejs/node_modules`). */
const LAYER_PREFIX = '/opt/nodejs/';
/** Architect copies these folders into every function's `node_modules/@architect/<name>` at deploy. */
const ARCHITECT_FOLDERS: ReadonlyMap<string, string> = new Map([
  ['@architect/shared', 'shared'],
  ['@architect/views', 'views'],
]);
const ARCHITECT_MANIFESTS = ['app.arc', '.arc', 'arc.json', 'arc.yaml', 'arc.yml'];
/** Build output folders a workspace package's `main`/`exports` name, and the source folder they are compiled from. */
const OUTPUT_DIRS = /^(?:\.\/)?(?:dist|lib|build|out)\//;

export interface ResolverOptions {
  /**
   * Root-relative folders Lambda layers are built from (`runtimeSettings.layers[].localDir`): searched
   * first for `/opt/nodejs/...` imports, as `<dir>/nodejs/<path>` (a prebuilt layer) and `<dir>/<path>`
   * (SAM's Node.js layer build copies the folder into `nodejs/`).
   */
  layerDirs?: readonly string[];
}

export class ModuleResolver {
  private readonly files: ReadonlySet<string>;
  private readonly readFile: (rel: string) => string;
  private readonly tsconfigByDir = new Map<string, PathMapping | null>();
  private readonly mappingForDir = new Map<string, PathMapping | null>();
  private readonly workspaces = new Map<string, string>();
  private readonly cache = new Map<string, Resolution>();
  /**
   * The same resolutions by importing file, then specifier: the graph, reachability and I/O passes ask
   * hundreds of thousands of times, and a lookup on the strings the facts already hold (their hashes
   * cached) costs no `dirname` and no key string to build and hash, as `cache` does on a miss here.
   */
  private readonly byFile = new Map<string, Map<string, Resolution>>();
  private readonly byImport = new WeakMap<object, Resolution>();
  readonly warnings: string[] = [];
  /** Folders named `nodejs` (Lambda layer content roots), found on the first `/opt/nodejs` import. */
  private layerRoots: string[] | undefined;
  private readonly layerDirs: readonly string[];
  /** Folders holding an Architect manifest, with their shared/views folders; built on first use. */
  private architect: { dir: string; shared: string; views: string }[] | undefined;
  private readonly manifests = new Map<string, unknown>();

  constructor(files: readonly string[], readFile: (rel: string) => string, options: ResolverOptions = {}) {
    this.files = new Set(files);
    this.readFile = readFile;
    this.layerDirs = [...new Set((options.layerDirs ?? []).map((d) => posix.normalize(d).replace(/\/$/, '')))];
    for (const f of files) {
      if (posix.basename(f) === 'package.json' && f.includes('/')) this.indexWorkspacePackage(f);
    }
  }

  /** Like resolve(), memoised on the import fact itself: every handler sharing a file reuses it. */
  resolveImport(fromFile: string, fact: { specifier: string }): Resolution {
    let r = this.byImport.get(fact);
    if (!r) {
      r = this.resolve(fromFile, fact.specifier);
      this.byImport.set(fact, r);
    }
    return r;
  }

  resolve(fromFile: string, specifier: string): Resolution {
    let forFile = this.byFile.get(fromFile);
    if (!forFile) {
      forFile = new Map();
      this.byFile.set(fromFile, forFile);
    }
    let r = forFile.get(specifier);
    if (!r) {
      r = this.resolveFromDir(posix.dirname(fromFile), specifier);
      forFile.set(specifier, r);
    }
    return r;
  }

  private resolveFromDir(dir: string, specifier: string): Resolution {
    const key = `${dir}\0${specifier}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const result = this.resolveUncached(dir, specifier);
    this.cache.set(key, result);
    return result;
  }

  private resolveUncached(dir: string, specifier: string): Resolution {
    if (specifier.startsWith('node:')) return { kind: 'builtin', name: specifier.slice(5) };
    if (isRelative(specifier)) {
      const file = this.resolveAsFile(posix.join(dir === '.' ? '' : dir, specifier));
      return file !== null ? { kind: 'file', file } : { kind: 'not_found' };
    }
    // tsconfig `paths` apply to every non-relative name, rooted ones included (`/opt/common/*`), as in tsc.
    const mapping = this.mappingFor(dir);
    if (mapping) {
      const mapped = this.resolveThroughPaths(mapping, specifier, isBareSpecifier(specifier));
      if (mapped !== null) return { kind: 'file', file: mapped };
    }
    if (specifier.startsWith(LAYER_PREFIX)) return this.resolveLayer(dir, specifier);
    if (!isBareSpecifier(specifier)) return { kind: 'not_found' };
    if (specifier.startsWith('#')) return this.resolveImportsField(dir, specifier);
    const name = packageNameOf(specifier);
    if (BUILTINS.has(specifier) || BUILTINS.has(name)) return { kind: 'builtin', name: specifier };
    const arcFolder = ARCHITECT_FOLDERS.get(name);
    if (arcFolder !== undefined) {
      const file = this.resolveArchitect(dir, arcFolder === 'shared' ? 'shared' : 'views', specifier.slice(name.length + 1));
      if (file !== null) return { kind: 'file', file };
    }
    const workspaceDir = this.workspaces.get(name);
    if (workspaceDir !== undefined) {
      const sub = specifier.slice(name.length);
      const file = sub
        ? (this.resolveWorkspaceExport(workspaceDir, `.${sub}`) ?? this.resolveAsFile(posix.join(workspaceDir, sub)))
        : this.resolveWorkspaceEntry(workspaceDir);
      if (file !== null) return { kind: 'file', file };
    }
    return { kind: 'package', name, subpath: specifier.slice(name.length + 1) };
  }

  /** `base` is a root-relative path without guaranteed extension. */
  resolveAsFile(base: string): string | null {
    const normalized = posix.normalize(base);
    if (normalized.startsWith('..')) return null;
    if (this.files.has(normalized) && !normalized.endsWith('.d.ts')) return normalized;
    const ext = posix.extname(normalized);
    const swaps = EMITTED_TO_SOURCE[ext];
    if (swaps) {
      const stem = normalized.slice(0, -ext.length);
      for (const s of swaps) if (this.files.has(stem + s)) return stem + s;
    }
    for (const e of TRY_EXTENSIONS) if (this.files.has(normalized + e)) return normalized + e;
    for (const e of TRY_EXTENSIONS) {
      const idx = `${normalized}/index${e}`;
      if (this.files.has(idx)) return idx;
    }
    return null;
  }

  private resolveThroughPaths(mapping: PathMapping, specifier: string, viaBaseUrl = true): string | null {
    for (const entry of mapping.paths) {
      let star: string | null = null;
      if (entry.wildcard) {
        if (specifier.startsWith(entry.prefix) && specifier.endsWith(entry.suffix) && specifier.length >= entry.prefix.length + entry.suffix.length) {
          star = specifier.slice(entry.prefix.length, specifier.length - entry.suffix.length);
        } else continue;
      } else if (specifier !== entry.prefix) continue;
      for (const target of entry.targets) {
        const substituted = star !== null ? target.replace('*', star) : target;
        const file = this.resolveAsFile(posix.join(mapping.baseDir, substituted));
        if (file !== null) return file;
      }
    }
    if (mapping.baseUrl && viaBaseUrl) return this.resolveAsFile(posix.join(mapping.baseDir, specifier));
    return null;
  }

  private mappingFor(dir: string): PathMapping | null {
    const cached = this.mappingForDir.get(dir);
    if (cached !== undefined) return cached;
    const here = this.files.has(dir === '.' ? 'tsconfig.json' : `${dir}/tsconfig.json`) ? this.loadTsconfig(dir) : null;
    const result = here ?? (dir === '.' || dir === '' ? null : this.mappingFor(posix.dirname(dir)));
    this.mappingForDir.set(dir, result);
    return result;
  }

  private loadTsconfig(dir: string, depth = 0): PathMapping | null {
    const cached = this.tsconfigByDir.get(dir);
    if (cached !== undefined) return cached;
    const file = dir === '.' ? 'tsconfig.json' : `${dir}/tsconfig.json`;
    let mapping: PathMapping | null = null;
    try {
      const parsed = ts.parseConfigFileTextToJson(file, this.readFile(file));
      const config: unknown = parsed.config;
      if (parsed.error) this.warnings.push(`${file}: cannot parse (${ts.flattenDiagnosticMessageText(parsed.error.messageText, ' ')})`);
      mapping = this.mappingFromConfig(dir, config, depth);
    } catch (err) {
      this.warnings.push(`${file}: cannot read (${err instanceof Error ? err.message : String(err)})`);
    }
    this.tsconfigByDir.set(dir, mapping);
    return mapping;
  }

  private mappingFromConfig(dir: string, config: unknown, depth: number): PathMapping | null {
    if (typeof config !== 'object' || config === null) return null;
    let inherited: PathMapping | null = null;
    const ext: unknown = Reflect.get(config, 'extends');
    if (typeof ext === 'string' && ext.startsWith('.') && depth < 8) {
      const target = posix.normalize(posix.join(dir, ext));
      const targetFile = target.endsWith('.json') ? target : `${target}.json`;
      if (this.files.has(targetFile)) {
        const base = posix.dirname(targetFile);
        if (posix.basename(targetFile) === 'tsconfig.json') inherited = this.loadTsconfig(base, depth + 1);
        else {
          try {
            const parsed = ts.parseConfigFileTextToJson(targetFile, this.readFile(targetFile));
            inherited = this.mappingFromConfig(base, parsed.config, depth + 1);
          } catch {
            inherited = null;
          }
        }
      }
    }
    const options: unknown = Reflect.get(config, 'compilerOptions');
    const baseUrl: unknown = typeof options === 'object' && options !== null ? Reflect.get(options, 'baseUrl') : undefined;
    const paths: unknown = typeof options === 'object' && options !== null ? Reflect.get(options, 'paths') : undefined;
    if (baseUrl === undefined && paths === undefined) return inherited;
    const baseDir = typeof baseUrl === 'string' ? posix.normalize(posix.join(dir, baseUrl)) : dir;
    const entries: PathMapping['paths'] = [];
    if (typeof paths === 'object' && paths !== null) {
      for (const [pattern, targets] of Object.entries(paths)) {
        if (!Array.isArray(targets)) continue;
        const starAt = pattern.indexOf('*');
        entries.push({
          prefix: starAt === -1 ? pattern : pattern.slice(0, starAt),
          suffix: starAt === -1 ? '' : pattern.slice(starAt + 1),
          wildcard: starAt !== -1,
          targets: targets.filter((t): t is string => typeof t === 'string'),
        });
      }
      // Longest prefix first, as TypeScript matches patterns.
      entries.sort((a, b) => b.prefix.length - a.prefix.length);
    } else if (inherited) {
      entries.push(...inherited.paths);
    }
    return { baseDir: baseDir === '' ? '.' : baseDir, paths: entries, baseUrl: typeof baseUrl === 'string' };
  }

  /**
   * `/opt/nodejs/x`: a Lambda layer import (tsconfig `paths` were tried first). Looked up in the layers the
   * functions declare (`<localDir>/nodejs/x`, then `<localDir>/x`), then in the tree's other `nodejs`
   * folders (`layers/<name>/nodejs/x`), nearest to the importing file first; `/opt/nodejs/node_modules/pkg`
   * is the package `pkg` unless a layer folder holds it as source.
   */
  private resolveLayer(dir: string, specifier: string): Resolution {
    const rest = specifier.slice(LAYER_PREFIX.length);
    this.layerRoots ??= [
      ...new Set(
        [...this.files].flatMap((f) => {
          const at = f.lastIndexOf('/nodejs/');
          return at < 0 ? [] : [f.slice(0, at + '/nodejs'.length)];
        }),
      ),
    ];
    const declared = this.layerDirs.flatMap((d) => (posix.basename(d) === 'nodejs' ? [d] : [posix.join(d, 'nodejs'), d]));
    const others = this.layerRoots
      .filter((r) => !declared.includes(r))
      .sort((x, y) => sharedSegments(y, dir) - sharedSegments(x, dir) || (x < y ? -1 : x > y ? 1 : 0));
    for (const root of [...declared, ...others]) {
      const file = this.resolveAsFile(posix.join(root === '.' ? '' : root, rest));
      if (file !== null) return { kind: 'file', file };
    }
    if (rest.startsWith('node_modules/')) {
      const bare = rest.slice('node_modules/'.length);
      const name = packageNameOf(bare);
      return { kind: 'package', name, subpath: bare.slice(name.length + 1) };
    }
    return { kind: 'not_found' };
  }

  /**
   * `@architect/shared/x`, `@architect/views/x`: Architect copies `src/shared` and `src/views` (or the folders
   * the manifest's `@shared`/`@views` pragmas name with `src`) into every function's node_modules.
   */
  private resolveArchitect(dir: string, which: 'shared' | 'views', rest: string): string | null {
    if (!this.architect) {
      this.architect = [];
      for (const f of this.files) {
        const base = posix.basename(f);
        if (!ARCHITECT_MANIFESTS.includes(base)) continue;
        const arcDir = posix.dirname(f);
        const folders = base.endsWith('arc') ? architectFolders(this.safeRead(f)) : {};
        this.architect.push({
          dir: arcDir,
          shared: posix.join(arcDir === '.' ? '' : arcDir, folders.shared ?? 'src/shared'),
          views: posix.join(arcDir === '.' ? '' : arcDir, folders.views ?? 'src/views'),
        });
      }
      // Nearest manifest first.
      this.architect.sort((a, b) => b.dir.length - a.dir.length);
    }
    const inside = (root: string): boolean => root === '.' || dir === root || dir.startsWith(`${root}/`);
    const app = this.architect.find((a) => inside(a.dir)) ?? (this.architect.length === 0 ? { shared: 'src/shared', views: 'src/views' } : undefined);
    if (!app) return null;
    const folder = which === 'shared' ? app.shared : app.views;
    return this.resolveAsFile(rest === '' ? folder : posix.join(folder, rest));
  }

  private safeRead(rel: string): string {
    try {
      return this.readFile(rel);
    } catch {
      return '';
    }
  }

  /** A package.json as parsed JSON (null when unreadable), read once. */
  private manifest(rel: string): unknown {
    if (this.manifests.has(rel)) return this.manifests.get(rel);
    let value: unknown;
    try {
      value = JSON.parse(this.readFile(rel));
    } catch {
      value = null;
    }
    this.manifests.set(rel, value);
    return value;
  }

  /** `#internal/x`: the nearest package.json's `imports` field (subpath imports). */
  private resolveImportsField(dir: string, specifier: string): Resolution {
    for (let d = dir; ; d = posix.dirname(d)) {
      const rel = d === '.' || d === '' ? 'package.json' : `${d}/package.json`;
      if (this.files.has(rel)) {
        const pkg = this.manifest(rel);
        const targets = pkg !== null && typeof pkg === 'object' ? exportTargets(() => resolveImports(pkg, specifier, { conditions: ['types'] })) : [];
        for (const t of targets) {
          if (!isRelative(t)) {
            const name = packageNameOf(t);
            return { kind: 'package', name, subpath: t.slice(name.length + 1) };
          }
          const file = this.sourceOf(d === '' ? '.' : d, t);
          if (file !== null) return { kind: 'file', file };
        }
        return { kind: 'not_found' };
      }
      if (d === '.' || d === '' || d === '/') return { kind: 'not_found' };
    }
  }

  /** A package-relative target (`./dist/log.js`) as a file of the tree: itself, else its source (`./src/log.ts`). */
  private sourceOf(dir: string, target: string): string | null {
    const base = dir === '.' ? '' : dir;
    const direct = this.resolveAsFile(posix.join(base, target));
    if (direct !== null) return direct;
    const stripped = target.replace(/\.d\.(m|c)?ts$/, '.$1js');
    if (!OUTPUT_DIRS.test(stripped)) return stripped === target ? null : this.resolveAsFile(posix.join(base, stripped));
    return this.resolveAsFile(posix.join(base, stripped.replace(OUTPUT_DIRS, 'src/')));
  }

  /**
   * A workspace package's `exports` for a subpath (`.`, `./log`), resolved by `resolve.exports` (arrays,
   * nested conditions, `*` patterns, as Node does): first with the conditions Node applies at run time,
   * then `types`/`source` (which often name the TypeScript source); each target mapped back from build
   * output to its source when only the source is in the tree.
   */
  private resolveWorkspaceExport(dir: string, subpath: string): string | null {
    const pkg = this.manifest(posix.join(dir, 'package.json'));
    if (pkg === null || typeof pkg !== 'object' || Reflect.get(pkg, 'exports') === undefined) return null;
    const runs: (() => unknown)[] = [
      () => resolveExports(pkg, subpath),
      () => resolveExports(pkg, subpath, { require: true }),
      () => resolveExports(pkg, subpath, { conditions: ['types', 'source', 'development'] }),
    ];
    for (const run of runs) {
      for (const t of exportTargets(run)) {
        const file = this.sourceOf(dir, t);
        if (file !== null) return file;
      }
    }
    return null;
  }

  private indexWorkspacePackage(manifest: string): void {
    try {
      const pkg: unknown = JSON.parse(this.readFile(manifest));
      const name: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'name') : undefined;
      if (typeof name === 'string' && name.length > 0 && !this.workspaces.has(name)) {
        this.workspaces.set(name, posix.dirname(manifest));
      }
    } catch {
      // An unreadable manifest only loses the workspace shortcut; the import is treated as a package.
    }
  }

  /** The package's root entry: `exports['.']`, then `main`/`module`/`types` (mapped back to source), then the usual source files. */
  private resolveWorkspaceEntry(dir: string): string | null {
    const viaExports = this.resolveWorkspaceExport(dir, '.');
    if (viaExports !== null) return viaExports;
    const pkg = this.manifest(posix.join(dir, 'package.json'));
    if (pkg !== null && typeof pkg === 'object') {
      for (const field of ['main', 'module', 'types', 'typings']) {
        const value: unknown = Reflect.get(pkg, field);
        if (typeof value !== 'string' || value === '') continue;
        const file = this.sourceOf(dir, value.startsWith('.') ? value : `./${value}`);
        if (file !== null) return file;
      }
    }
    for (const candidate of ['src/index', 'index', 'lib/index']) {
      const file = this.resolveAsFile(posix.join(dir, candidate));
      if (file !== null) return file;
    }
    return null;
  }
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

function sharedSegments(root: string, dir: string): number {
  const a = root.split('/');
  const b = dir.split('/');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** The string targets a resolve.exports call gives; none when the map has no such entry (it throws then). */
function exportTargets(run: () => unknown): string[] {
  let out: unknown;
  try {
    out = run();
  } catch {
    return [];
  }
  if (typeof out === 'string') return [out];
  return Array.isArray(out) ? out.filter((t): t is string => typeof t === 'string') : [];
}

/** `@shared` / `@views` pragmas of an app.arc: `src <folder>` overrides the default `src/shared` / `src/views`. */
export function architectFolders(text: string): { shared?: string; views?: string } {
  const out: { shared?: string; views?: string } = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('@')) {
      section = line.slice(1).trim();
      continue;
    }
    const m = /^src\s+(\S+)$/.exec(line);
    if (m?.[1] !== undefined && (section === 'shared' || section === 'views')) out[section] = m[1].replace(/^\.\//, '');
  }
  return out;
}
