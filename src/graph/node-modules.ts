import { builtinModules } from 'node:module';
import path from 'node:path';
import { parseSource } from '../compiler/parse.js';
import ts from '../compiler/typescript.cjs';
import { absoluteReader, type AbsoluteReader, type SourceTree } from '../source/tree.js';

/**
 * The static import graph of an installed package inside node_modules: from its entry point (the `exports` map
 * with Node's conditions, else `main`, else index.js) through every `require`/`import` that runs at load, CJS and
 * ESM, into its own files and its dependencies' packages. Nothing is executed: each file is parsed once.
 * What comes out (modules and bytes really loaded) is what the calibrated load model prices.
 */

export type Conditions = 'require' | 'import';

/** One module file's own edges, the same whoever loads it. */
interface ModuleEdges {
  bytes: number;
  esm: boolean;
  /** Edges that run when the module loads. */
  init: { specifier: string; viaImport: boolean }[];
  /** `require()`/`import()` inside functions: not init, but a bundler still puts them in the bundle. */
  lazy: { specifier: string; viaImport: boolean }[];
}

export interface PackageCopy {
  name: string;
  version: string;
  /** Real path of the package folder. */
  dir: string;
  /** Its module files loaded at init in this walk, and their bytes. */
  modules: number;
  bytes: number;
}

export interface WalkResult {
  /** Module files loaded at init (JS and JSON), the entry included. */
  modules: number;
  bytes: number;
  /** The same over every statically reachable file, lazy edges followed too: what a bundler would pull in. */
  allModules: number;
  allBytes: number;
  /** Every package folder the init graph enters (the walked package first), each once. */
  packages: PackageCopy[];
  /** Native addons (.node files) on the init path: their load cost is not modelled. */
  nativeAddons: number;
  /** Specifiers that did not resolve inside node_modules (optional dependencies that are absent, mostly). */
  unresolved: string[];
}

const BUILTINS = new Set(builtinModules);
const EXTENSIONS = ['.js', '.json', '.cjs', '.mjs', '.node'];

function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0] ?? '');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `@scope/name/sub` -> [`@scope/name`, `sub`]. */
export function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, n).join('/'), subpath: parts.slice(n).join('/') };
}

/** Node's conditional exports: the first matching condition in the object's own order wins. */
function pickTarget(target: unknown, conditions: readonly string[]): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const hit = pickTarget(t, conditions);
      if (hit) return hit;
    }
    return null;
  }
  if (!isRecord(target)) return null;
  for (const [key, value] of Object.entries(target)) {
    if (key === 'default' || conditions.includes(key)) {
      const hit = pickTarget(value, conditions);
      if (hit) return hit;
    }
  }
  return null;
}

/** Resolves `./sub` against an `exports` (or `imports`) map, `*` patterns included. */
export function resolveExportsMap(map: unknown, request: string, conditions: readonly string[]): string | null {
  const isSubpathMap = isRecord(map) && Object.keys(map).some((k) => k.startsWith('.') || k.startsWith('#'));
  if (!isSubpathMap) return request === '.' ? pickTarget(map, conditions) : null;
  const entries = Object.entries(map);
  const exact = entries.find(([k]) => k === request);
  if (exact) return pickTarget(exact[1], conditions);
  let best: { key: string; star: string; value: unknown } | null = null;
  for (const [key, value] of entries) {
    const star = key.indexOf('*');
    if (star < 0) {
      // Legacy folder mapping (`"./lib/": "./lib/"`).
      if (key.endsWith('/') && request.startsWith(key) && (!best || key.length > best.key.length))
        best = { key, star: request.slice(key.length), value };
      continue;
    }
    const pre = key.slice(0, star);
    const post = key.slice(star + 1);
    if (request.startsWith(pre) && request.endsWith(post) && request.length >= key.length - 1 && (!best || pre.length > best.key.indexOf('*'))) {
      best = { key, star: request.slice(pre.length, request.length - post.length), value };
    }
  }
  if (!best) return null;
  const t = pickTarget(best.value, conditions);
  if (t === null) return null;
  return best.key.endsWith('/') && !best.key.includes('*') ? t + best.star : t.replaceAll('*', best.star);
}

/** What one module's source imports, split by whether it runs at load. IIFEs at module scope run at load. */
export function scanModule(file: string, text: string): { init: ModuleEdges['init']; lazy: ModuleEdges['lazy']; esmSyntax: boolean } {
  const sf = parseSource(file, text, { kind: ts.ScriptKind.JS });
  const init: ModuleEdges['init'] = [];
  const lazy: ModuleEdges['lazy'] = [];
  let esmSyntax = false;
  const iife = new Set<ts.Node>();
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      esmSyntax = true;
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      if (!typeOnly) init.push({ specifier: node.moduleSpecifier.text, viaImport: true });
    } else if (
      ts.isImportDeclaration(node) ||
      ts.isExportAssignment(node) ||
      (ts.isVariableStatement(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    ) {
      esmSyntax = true;
    }
    if (ts.isCallExpression(node)) {
      const arg = node.arguments[0];
      const spec = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : null;
      const callee = node.expression;
      if (spec !== null && callee.kind === ts.SyntaxKind.ImportKeyword) lazy.push({ specifier: spec, viaImport: true });
      else if (spec !== null && ts.isIdentifier(callee) && callee.text === 'require' && node.arguments.length === 1) {
        (inFunction ? lazy : init).push({ specifier: spec, viaImport: false });
      }
      const fnCallee = skipParens(callee);
      if (ts.isFunctionExpression(fnCallee) || ts.isArrowFunction(fnCallee)) iife.add(fnCallee);
      // `(function (root, factory) {...})(this, function () { require(...) })`: UMD factories run at load too.
      for (const a of node.arguments) if ((ts.isFunctionExpression(a) || ts.isArrowFunction(a)) && iife.has(fnCallee)) iife.add(a);
    }
    const fn = ts.isFunctionLike(node) && !iife.has(node);
    ts.forEachChild(node, (child) => visit(child, inFunction || fn));
  };
  ts.forEachChild(sf, (child) => visit(child, false));
  return { init, lazy, esmSyntax };
}

function skipParens(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x)) x = x.expression;
  return x;
}

/**
 * Walks installed packages. One instance per scan: module files, manifests and resolutions are cached, so a
 * package shared by many handlers (or reached through many chains) is parsed once.
 */
export class NodeModulesWalker {
  private readonly fs: AbsoluteReader;
  private readonly edges = new Map<string, ModuleEdges | null>();
  private readonly manifests = new Map<string, Record<string, unknown> | null>();
  private readonly pkgDirOf = new Map<string, string | null>();
  private readonly found = new Map<string, string | null>();
  private readonly chains = new Map<string, readonly string[]>();
  private readonly results = new Map<string, WalkResult>();

  /** Reads installed packages through the scanned service's tree (paths above its root included). */
  constructor(tree: SourceTree) {
    this.fs = absoluteReader(tree);
  }

  private isFile(p: string): boolean {
    return this.fs.stat(p)?.isFile === true;
  }

  /** Walks from `name[/subpath]` as imported from the folder `fromDirAbs`; null when the package is not installed. */
  walk(name: string, subpath: string, fromDirAbs: string, conditions: Conditions): WalkResult | null {
    const pkgDir = this.findPackageDir(fromDirAbs, name);
    if (!pkgDir) return null;
    const key = `${pkgDir}\0${subpath}\0${conditions}`;
    const cached = this.results.get(key);
    if (cached) return cached;
    // A bundler resolves an ESM-only package (no `require` condition) for `import` syntax that TypeScript
    // compiles to require(): the other condition set is the next best reading of what loads.
    const entry =
      this.resolveInPackage(pkgDir, subpath, conditions) ?? this.resolveInPackage(pkgDir, subpath, conditions === 'require' ? 'import' : 'require');
    if (!entry) return null;
    const result = this.walkFrom(entry);
    this.results.set(key, result);
    return result;
  }

  /** The package folder Node would find for `name` from `fromDirAbs` (walking up node_modules folders). */
  findPackageDir(fromDirAbs: string, name: string): string | null {
    // Every handler's every package asks this from its folder: the answer is the same for the same pair.
    const key = `${fromDirAbs}\0${name}`;
    const cached = this.found.get(key);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    for (const modules of this.nodeModulesAbove(fromDirAbs)) {
      const cand = path.join(modules, name);
      if (this.manifest(cand)) {
        found = this.real(cand);
        break;
      }
    }
    this.found.set(key, found);
    return found;
  }

  /**
   * The `node_modules` folders Node's lookup from `dirAbs` passes, nearest first. Most folders have none, and every
   * package of every handler would otherwise probe each of them for its package.json: a folder's chain is its own
   * `node_modules` (when there is one) and then its parent's chain, computed once per folder.
   */
  private nodeModulesAbove(dirAbs: string): readonly string[] {
    const cached = this.chains.get(dirAbs);
    if (cached !== undefined) return cached;
    const parent = path.dirname(dirAbs);
    const above = parent === dirAbs ? [] : this.nodeModulesAbove(parent);
    const own = path.join(dirAbs, 'node_modules');
    const chain = this.fs.stat(own)?.isDirectory === true ? [own, ...above] : above;
    this.chains.set(dirAbs, chain);
    return chain;
  }

  private real(p: string): string {
    return this.fs.realpath(p) ?? p;
  }

  manifest(dir: string): Record<string, unknown> | null {
    const cached = this.manifests.get(dir);
    if (cached !== undefined) return cached;
    // Not a package folder when absent or not JSON.
    const raw: unknown = this.fs.json(path.join(dir, 'package.json'));
    const m = isRecord(raw) ? raw : null;
    this.manifests.set(dir, m);
    return m;
  }

  private resolveInPackage(pkgDir: string, subpath: string, conditions: Conditions): string | null {
    const m = this.manifest(pkgDir);
    if (!m) return null;
    if (m.exports !== undefined) {
      const target = resolveExportsMap(m.exports, subpath ? `./${subpath}` : '.', ['node', conditions]);
      if (target) return this.asFile(path.join(pkgDir, target)) ?? null;
      return null;
    }
    if (subpath) return this.asFile(path.join(pkgDir, subpath)) ?? this.asDirectory(path.join(pkgDir, subpath));
    return this.asDirectory(pkgDir);
  }

  private asFile(p: string): string | null {
    if (this.isFile(p)) return this.real(p);
    for (const ext of EXTENSIONS) if (this.isFile(p + ext)) return this.real(p + ext);
    return null;
  }

  private asDirectory(dir: string): string | null {
    const m = this.manifest(dir);
    const main = m && typeof m.main === 'string' ? m.main : null;
    if (main) {
      const hit = this.asFile(path.join(dir, main)) ?? this.asFile(path.join(dir, main, 'index'));
      if (hit) return hit;
    }
    return this.asFile(path.join(dir, 'index'));
  }

  private packageDirOfFile(file: string): string | null {
    const dir = path.dirname(file);
    const cached = this.pkgDirOf.get(dir);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
      const m = this.manifest(d);
      if (m && (typeof m.name === 'string' || path.basename(path.dirname(d)) === 'node_modules')) {
        found = d;
        break;
      }
      if (path.basename(d) === 'node_modules') break;
    }
    this.pkgDirOf.set(dir, found);
    return found;
  }

  private resolveFrom(file: string, spec: string, viaImport: boolean): string | null | 'builtin' {
    if (isBuiltin(spec)) return 'builtin';
    const dir = path.dirname(file);
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || spec.startsWith('/')) {
      const abs = path.resolve(dir, spec);
      return this.asFile(abs) ?? this.asDirectory(abs);
    }
    const cond: Conditions = viaImport ? 'import' : 'require';
    if (spec.startsWith('#')) {
      const pkg = this.packageDirOfFile(file);
      const m = pkg ? this.manifest(pkg) : null;
      const target = m ? resolveExportsMap(m.imports, spec, ['node', cond]) : null;
      if (!pkg || !target) return null;
      return target.startsWith('.') ? this.asFile(path.join(pkg, target)) : this.resolveFrom(path.join(pkg, 'package.json'), target, viaImport);
    }
    const { name, subpath } = splitSpecifier(spec);
    const pkgDir = this.findPackageDir(dir, name);
    return pkgDir ? this.resolveInPackage(pkgDir, subpath, cond) : null;
  }

  private moduleEdges(file: string): ModuleEdges | null {
    const cached = this.edges.get(file);
    if (cached !== undefined) return cached;
    let result: ModuleEdges | null;
    try {
      const ext = path.extname(file);
      if (ext === '.json' || ext === '.node') {
        const size = this.fs.stat(file)?.size;
        if (size === undefined) throw new Error(`${file}: absent`);
        result = { bytes: size, esm: false, init: [], lazy: [] };
      } else {
        const text = this.fs.read(file);
        // The edges are all that is kept of a package's file: its text is not held for the rest of the scan.
        this.fs.release(file);
        const scan = scanModule(file, text);
        const pkg = this.packageDirOfFile(file);
        const type = pkg ? this.manifest(pkg)?.type : undefined;
        // Node 20 decides by extension and the package's type, not by syntax.
        const esm = ext === '.mjs' || (ext !== '.cjs' && type === 'module');
        result = { bytes: Buffer.byteLength(text), esm, init: esm ? scan.init.map((e) => ({ ...e, viaImport: true })) : scan.init, lazy: scan.lazy };
      }
    } catch {
      // unreadable or not parseable: counted as absent
      result = null;
    }
    this.edges.set(file, result);
    return result;
  }

  private walkFrom(entry: string): WalkResult {
    const init = this.closure(entry, false);
    const all = this.closure(entry, true);
    const byDir = new Map<string, PackageCopy>();
    for (const f of init.files) {
      const dir = this.packageDirOfFile(f);
      if (!dir) continue;
      let copy = byDir.get(dir);
      if (!copy) {
        const m = this.manifest(dir);
        copy = {
          name: typeof m?.name === 'string' ? m.name : path.basename(dir),
          version: typeof m?.version === 'string' ? m.version : '',
          dir,
          modules: 0,
          bytes: 0,
        };
        byDir.set(dir, copy);
      }
      copy.modules++;
      copy.bytes += this.edges.get(f)?.bytes ?? 0;
    }
    const packages = [...byDir.values()];
    return {
      modules: init.files.length,
      bytes: init.bytes,
      allModules: all.files.length,
      allBytes: all.bytes,
      packages,
      nativeAddons: init.files.filter((f) => f.endsWith('.node')).length,
      unresolved: init.unresolved,
    };
  }

  private closure(entry: string, followLazy: boolean): { files: string[]; bytes: number; unresolved: string[] } {
    const seen = new Set<string>([entry]);
    const files = [entry];
    const unresolved: string[] = [];
    let bytes = 0;
    for (let i = 0; i < files.length; i++) {
      const file = files[i] as string;
      const e = this.moduleEdges(file);
      if (!e) continue;
      bytes += e.bytes;
      const out = followLazy ? [...e.init, ...e.lazy] : e.init;
      for (const edge of out) {
        const target = this.resolveFrom(file, edge.specifier, edge.viaImport);
        if (target === 'builtin') continue;
        if (target === null) {
          if (!unresolved.includes(edge.specifier)) unresolved.push(edge.specifier);
          continue;
        }
        if (!seen.has(target)) {
          seen.add(target);
          files.push(target);
        }
      }
    }
    return { files, bytes, unresolved };
  }
}
