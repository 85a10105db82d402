import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from './typescript.cjs';
import { isBareSpecifier, packageNameOf } from './facts.js';

export type Resolution =
  | { kind: 'file'; file: string }
  | { kind: 'package'; name: string; subpath: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'not_found' };

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

  constructor(files: readonly string[], readFile: (rel: string) => string) {
    this.files = new Set(files);
    this.readFile = readFile;
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
    if (!isBareSpecifier(specifier)) {
      if (specifier.startsWith(LAYER_PREFIX)) return this.resolveLayer(dir, specifier);
      if (specifier.startsWith('/')) return { kind: 'not_found' };
      const file = this.resolveAsFile(posix.join(dir === '.' ? '' : dir, specifier));
      return file !== null ? { kind: 'file', file } : { kind: 'not_found' };
    }
    const mapping = this.mappingFor(dir);
    if (mapping) {
      const mapped = this.resolveThroughPaths(mapping, specifier);
      if (mapped !== null) return { kind: 'file', file: mapped };
    }
    const name = packageNameOf(specifier);
    if (BUILTINS.has(specifier) || BUILTINS.has(name)) return { kind: 'builtin', name: specifier };
    const workspaceDir = this.workspaces.get(name);
    if (workspaceDir !== undefined) {
      const sub = specifier.slice(name.length);
      const file = sub
        ? (this.resolveAsFile(posix.join(workspaceDir, sub)) ?? this.resolveWorkspaceExport(workspaceDir, `.${sub}`))
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

  private resolveThroughPaths(mapping: PathMapping, specifier: string): string | null {
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
    if (mapping.baseUrl) return this.resolveAsFile(posix.join(mapping.baseDir, specifier));
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
   * `/opt/nodejs/x`: a Lambda layer import. Mapped through tsconfig `paths` when they name it, else looked
   * up in the tree's layer folders (`<layer>/nodejs/x`), nearest to the importing file first;
   * `/opt/nodejs/node_modules/pkg` is the package `pkg`.
   */
  private resolveLayer(dir: string, specifier: string): Resolution {
    const rest = specifier.slice(LAYER_PREFIX.length);
    if (rest.startsWith('node_modules/')) {
      const bare = rest.slice('node_modules/'.length);
      const name = packageNameOf(bare);
      return { kind: 'package', name, subpath: bare.slice(name.length + 1) };
    }
    const mapping = this.mappingFor(dir);
    const mapped = mapping ? this.resolveThroughPaths(mapping, specifier) : null;
    if (mapped !== null) return { kind: 'file', file: mapped };
    this.layerRoots ??= [...new Set([...this.files].flatMap((f) => {
      const at = f.lastIndexOf('/nodejs/');
      return at < 0 ? [] : [f.slice(0, at + '/nodejs'.length)];
    }))];
    const shared = (root: string): number => {
      const a = root.split('/');
      const b = dir.split('/');
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      return i;
    };
    const roots = [...this.layerRoots].sort((x, y) => shared(y) - shared(x) || (x < y ? -1 : x > y ? 1 : 0));
    for (const root of roots) {
      const file = this.resolveAsFile(posix.join(root, rest));
      if (file !== null) return { kind: 'file', file };
    }
    return { kind: 'not_found' };
  }

  /** A workspace package's `exports` map, including `./*` wildcard patterns, for a subpath (`./log`). */
  private resolveWorkspaceExport(dir: string, subpath: string): string | null {
    let exportsField: unknown;
    try {
      const pkg: unknown = JSON.parse(this.readFile(posix.join(dir, 'package.json')));
      exportsField = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'exports') : undefined;
    } catch {
      return null;
    }
    if (typeof exportsField !== 'object' || exportsField === null) return null;
    const target = (value: unknown): string | null => {
      if (typeof value === 'string') return value;
      if (typeof value !== 'object' || value === null) return null;
      // Conditions in the order a TypeScript-aware bundler picks them for Node.
      for (const cond of ['types', 'import', 'node', 'require', 'default']) {
        const t = target(Reflect.get(value, cond));
        if (t !== null && !t.endsWith('.d.ts')) return t;
      }
      return null;
    };
    for (const [key, value] of Object.entries(exportsField)) {
      const star = key.indexOf('*');
      let captured: string | null = null;
      if (star < 0) captured = key === subpath ? '' : null;
      else if (subpath.startsWith(key.slice(0, star)) && subpath.endsWith(key.slice(star + 1))) captured = subpath.slice(star, subpath.length - (key.length - star - 1));
      const t = captured === null ? null : target(value);
      if (t === null || captured === null) continue;
      const file = this.resolveAsFile(posix.join(dir, t.replace('*', captured)));
      if (file !== null) return file;
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

  private resolveWorkspaceEntry(dir: string): string | null {
    for (const candidate of ['src/index', 'index', 'lib/index']) {
      const file = this.resolveAsFile(posix.join(dir, candidate));
      if (file !== null) return file;
    }
    return null;
  }
}
