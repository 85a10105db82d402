import { parseSource } from '../compiler/parse.js';
import { HTTP_VERBS } from './facts.js';
import ts from '../compiler/typescript.cjs';

/**
 * The route table of a framework app behind one Lambda handler (express, koa + @koa/router, fastify), read from
 * the source with the compiler API, for `lambda-migrate scaffold`.
 *
 * The scan's facts (facts.ts) label each inline callback registered as a route (`FunctionFact.route`, e.g.
 * `GET /orders/:id`) because the tangle score only needs to know that a route does I/O. A port needs more: which
 * router a route is on, where that router is mounted (`app.use('/v1', router)`, routers from other files),
 * `app.route('/x').get(h).post(h2)` chains, fastify's `route({ method, url, handler })`, and routes whose handler
 * is a named function. That is this pass. It runs once per scaffold, over the handler file and the router modules
 * it mounts, never in the scan path; a test checks that it agrees with the facts' labels where both exist.
 *
 * Also here, since it reads the same sources: the AWS SDK v2 services a file creates clients for
 * (`new AWS.DynamoDB.DocumentClient()` -> DynamoDB), which the crate mapping of `aws-sdk` v2 needs.
 */

export interface RouteHandler {
  /** Function name, or null for an inline anonymous callback. */
  name: string | null;
  /** File and 1-based line range of the function, when it is in the service's own code and was found. */
  file: string | null;
  line: number | null;
  endLine: number | null;
}

export interface ExtractedRoute {
  /** `GET`, `POST`, ... or `ANY` (`app.all`, `router.all`). */
  method: string;
  /** Full path as the framework matches it, mount prefixes included, in the framework's syntax (`/v1/orders/:id`). */
  path: string;
  /** The path as registered on its own router (`/orders/:id`). */
  localPath: string;
  /** Mount prefixes from the app down to the route's router (`['/v1']`). */
  mountedAt: string[];
  /** Where the route is registered (the call). */
  file: string;
  line: number;
  column: number;
  handler: RouteHandler;
  /** What runs before the handler on this route (`auth`, `validate()`), as written. */
  middleware: string[];
}

export interface RouteTable {
  framework: 'express' | 'koa' | 'fastify' | 'hono' | null;
  /** In registration order, depth first through mounted routers. */
  routes: ExtractedRoute[];
  /** What was seen but not followed (dynamic paths, routers from packages, register() plugins). */
  notes: string[];
  /** Files read, entry first. */
  files: string[];
}

/** How the pass reads the service: file text (undefined when missing) and relative import resolution. */
export interface RouteSource {
  read(rel: string): string | undefined;
  /** Root-relative file a specifier imported from `from` resolves to, or null (a package, or not found). */
  resolve(from: string, specifier: string): string | null;
}

const FRAMEWORKS: ReadonlyMap<string, RouteTable['framework']> = new Map([
  ['express', 'express'],
  ['koa', 'koa'],
  ['@koa/router', 'koa'],
  ['koa-router', 'koa'],
  ['fastify', 'fastify'],
  ['hono', 'hono'],
]);

const MAX_FILES = 50;

interface LocalRoute {
  method: string;
  path: string;
  line: number;
  column: number;
  handler: RouteHandler;
  middleware: string[];
}

interface Mount {
  prefix: string;
  column: number;
  /** A router in this file, or an import binding. */
  target: { local: string } | { specifier: string; imported: string };
  line: number;
}

interface Router {
  name: string;
  /** koa-router `new Router({ prefix: '/x' })`. */
  prefix: string;
  routes: LocalRoute[];
  mounts: Mount[];
  order: number;
}

interface ParsedFile {
  file: string;
  framework: RouteTable['framework'];
  routers: Map<string, Router>;
  /** Exported name (`default`, `=` for module.exports, or a name) -> local router name. */
  exports: Map<string, string>;
  /** Local name -> import it is bound to. */
  imports: Map<string, { specifier: string; imported: string }>;
  notes: string[];
}

function skipParens(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n)) n = n.expression;
  return n;
}

function literalText(node: ts.Node | undefined): string | null {
  if (node === undefined) return null;
  const n = skipParens(node);
  return ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : null;
}

function isFunctionLike(node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node);
}

function parse(file: string, text: string): ts.SourceFile {
  return parseSource(file, text, { parents: true });
}

function lineOf(sf: ts.SourceFile, node: ts.Node): { line: number; column: number } {
  const lc = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { line: lc.line + 1, column: lc.character + 1 };
}

function endLineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
}

/** `require('x')`, `require('x').Router` -> 'x'. */
function requiredModule(node: ts.Node): string | null {
  const n = skipParens(node);
  if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require') return literalText(n.arguments[0]);
  if (ts.isPropertyAccessExpression(n)) return requiredModule(n.expression);
  return null;
}

/**
 * One file's routers: a first pass for imports, named functions, router construction options and exports, then a
 * second for registrations and mounts, in source order.
 */
class RouteFileParser {
  private readonly sf: ts.SourceFile;
  readonly out: ParsedFile;
  private readonly functions = new Map<string, ts.Node>();
  private order = 0;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.sf = parse(file, text);
    this.out = { file, framework: null, routers: new Map(), exports: new Map(), imports: new Map(), notes: [] };
  }

  parse(): ParsedFile {
    this.collect(this.sf);
    this.visit(this.sf);
    // Registrations count only in files that load a web framework: `cache.get('k', fn)` elsewhere is not a route.
    if (this.out.framework === null) this.out.routers.clear();
    return this.out;
  }

  private router(name: string): Router {
    let r = this.out.routers.get(name);
    if (!r) {
      r = { name, prefix: '', routes: [], mounts: [], order: this.order++ };
      this.out.routers.set(name, r);
    }
    return r;
  }

  private noteFramework(specifier: string): void {
    const fw = FRAMEWORKS.get(specifier);
    if (fw && this.out.framework === null) this.out.framework = fw;
  }

  // First pass: imports, named functions, router construction options, exports.
  private readonly collect = (node: ts.Node): void => {
    const out = this.out;
    if (ts.isImportDeclaration(node)) this.collectImport(node);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) this.collectVariable(node.name, node.initializer);
    else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      const required = requiredModule(node.initializer);
      if (required !== null) {
        this.noteFramework(required);
        for (const el of node.name.elements) {
          if (!ts.isIdentifier(el.name)) continue;
          const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
          out.imports.set(el.name.text, { specifier: required, imported });
        }
      }
    } else if (ts.isFunctionDeclaration(node) && node.name) {
      this.functions.set(node.name.text, node);
      if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) out.exports.set(node.name.text, node.name.text);
    } else if (ts.isExportAssignment(node)) {
      const e = skipParens(node.expression);
      if (ts.isIdentifier(e)) out.exports.set('default', e.text);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.collectCommonJsExport(node);
    } else if (ts.isVariableStatement(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name)) out.exports.set(d.name.text, d.name.text);
    } else if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause) && !node.moduleSpecifier) {
      for (const el of node.exportClause.elements) out.exports.set(el.name.text, el.propertyName ? el.propertyName.text : el.name.text);
    }
    ts.forEachChild(node, this.collect);
  };

  private collectImport(node: ts.ImportDeclaration): void {
    const specifier = literalText(node.moduleSpecifier);
    const clause = node.importClause;
    if (specifier === null) return;
    this.noteFramework(specifier);
    if (!clause || clause.isTypeOnly) return;
    const imports = this.out.imports;
    if (clause.name) imports.set(clause.name.text, { specifier, imported: 'default' });
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) imports.set(nb.name.text, { specifier, imported: '*' });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) imports.set(el.name.text, { specifier, imported: el.propertyName ? el.propertyName.text : el.name.text });
    }
  }

  /** `const x = require('x')`, `const h = () => ...`, `const router = new Router({ prefix: '/x' })`. */
  private collectVariable(name: ts.Identifier, initializer: ts.Expression): void {
    const init = skipParens(initializer);
    const required = requiredModule(init);
    if (required !== null) {
      this.noteFramework(required);
      const prop = ts.isPropertyAccessExpression(init) ? init.name.text : '*';
      this.out.imports.set(name.text, { specifier: required, imported: prop });
    }
    if (isFunctionLike(init)) this.functions.set(name.text, init);
    // `new Router({ prefix: '/x' })` (koa-router)
    if (ts.isNewExpression(init) && init.arguments?.[0] && ts.isObjectLiteralExpression(init.arguments[0])) {
      for (const p of init.arguments[0].properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'prefix') {
          const prefix = literalText(p.initializer);
          if (prefix !== null) this.router(name.text).prefix = prefix;
        }
      }
    }
  }

  /** `module.exports = router`, `exports.x = router`, `module.exports.x = router`. */
  private collectCommonJsExport(node: ts.BinaryExpression): void {
    const left = node.left;
    const right = skipParens(node.right);
    if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(right)) return;
    const obj = left.expression;
    const exports = this.out.exports;
    if (ts.isIdentifier(obj) && obj.text === 'module' && left.name.text === 'exports') exports.set('=', right.text);
    else if (ts.isIdentifier(obj) && obj.text === 'exports') exports.set(left.name.text, right.text);
    else if (
      ts.isPropertyAccessExpression(obj) &&
      ts.isIdentifier(obj.expression) &&
      obj.expression.text === 'module' &&
      obj.name.text === 'exports'
    ) {
      exports.set(left.name.text, right.text);
    }
  }

  private handlerOf(arg: ts.Node): RouteHandler {
    const { sf, file } = this;
    const n = skipParens(arg);
    if (isFunctionLike(n)) {
      const name = ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) ? (n.name?.text ?? null) : null;
      return { name, file, line: lineOf(sf, n).line, endLine: endLineOf(sf, n) };
    }
    if (ts.isIdentifier(n)) {
      const local = this.functions.get(n.text);
      if (local) return { name: n.text, file, line: lineOf(sf, local).line, endLine: endLineOf(sf, local) };
      return { name: n.text, file: null, line: null, endLine: null };
    }
    if (ts.isPropertyAccessExpression(n)) return { name: n.getText(sf), file: null, line: null, endLine: null };
    if (ts.isCallExpression(n)) {
      // A wrapper such as asyncHandler(async (req, res) => ...): the function inside is the handler.
      for (const a of n.arguments) {
        const inner = skipParens(a);
        if (isFunctionLike(inner) || ts.isIdentifier(inner)) return this.handlerOf(inner);
      }
    }
    return { name: null, file: null, line: null, endLine: null };
  }

  private describe(arg: ts.Node): string {
    const n = skipParens(arg);
    if (isFunctionLike(n)) return 'inline function';
    const text = n.getText(this.sf).replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }

  /** `at`: where the registration is read from (the call, or the method name in a `route().get().post()` chain). */
  private addRoute(routerName: string, method: string, path: string, at: ts.Node, args: readonly ts.Node[]): void {
    const last = args[args.length - 1];
    // A handler is a function or a name of one; `axios.get('/x', { params })` is a client call, not a route.
    if (last === undefined || !isHandlerLike(skipParens(last))) return;
    this.router(routerName).routes.push({
      method,
      path,
      ...lineOf(this.sf, at),
      handler: this.handlerOf(last),
      middleware: args.slice(0, -1).map((a) => this.describe(a)),
    });
  }

  // Second pass: registrations and mounts, in source order.
  private readonly visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) this.visitMethodCall(node, node.expression);
    ts.forEachChild(node, this.visit);
  };

  private visitMethodCall(node: ts.CallExpression, callee: ts.PropertyAccessExpression): void {
    const { file, sf, out } = this;
    const method = callee.name.text;
    const receiver = skipParens(callee.expression);
    const verb = HTTP_VERBS.get(method);
    if (verb !== undefined && ts.isIdentifier(receiver)) {
      const path = literalText(node.arguments[0]);
      if (path !== null && node.arguments.length >= 2) this.addRoute(receiver.text, verb, path, node, node.arguments.slice(1));
      else if (node.arguments.length >= 2 && path === null && !ts.isObjectLiteralExpression(skipParens(node.arguments[0] ?? node))) {
        out.notes.push(`${file}:${lineOf(sf, node).line}: ${receiver.text}.${method}() with a path that is not a string literal: not listed`);
      }
    } else if (verb !== undefined && ts.isCallExpression(receiver)) {
      // app.route('/x').get(h).post(h2): walk down the chain to the route() call.
      let inner: ts.Node = receiver;
      while (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && HTTP_VERBS.has(inner.expression.name.text)) {
        inner = skipParens(inner.expression.expression);
      }
      if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'route') {
        const base = skipParens(inner.expression.expression);
        const path = literalText(inner.arguments[0]);
        if (ts.isIdentifier(base) && path !== null && node.arguments.length >= 1) this.addRoute(base.text, verb, path, callee.name, node.arguments);
      }
    } else if (method === 'route' && ts.isIdentifier(receiver) && node.arguments[0] && ts.isObjectLiteralExpression(skipParens(node.arguments[0]))) {
      this.fastifyRoute(receiver.text, node, skipParens(node.arguments[0]) as ts.ObjectLiteralExpression);
    } else if (method === 'use' && ts.isIdentifier(receiver)) {
      const prefix = literalText(node.arguments[0]);
      for (const a of prefix === null ? node.arguments : node.arguments.slice(1)) this.mount(receiver.text, prefix ?? '', a, node);
    } else if (method === 'register' && ts.isIdentifier(receiver)) {
      out.notes.push(`${file}:${lineOf(sf, node).line}: ${receiver.text}.register(...) plugin routes are not followed`);
    }
  }

  private fastifyRoute(receiver: string, call: ts.CallExpression, obj: ts.ObjectLiteralExpression): void {
    let methods: string[] = [];
    let url: string | null = null;
    let handler: ts.Node | null = null;
    for (const p of obj.properties) {
      const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : null;
      if (key === null) continue;
      const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : ts.isMethodDeclaration(p) ? p : null;
      if (value === null) continue;
      if (key === 'method') {
        const v = skipParens(value);
        const list = ts.isArrayLiteralExpression(v) ? v.elements.map((e) => literalText(e)) : [literalText(v)];
        methods = list.filter((m): m is string => m !== null).map((m) => m.toUpperCase());
      } else if (key === 'url' || key === 'path') url = literalText(value);
      else if (key === 'handler') handler = value;
    }
    if (url === null || handler === null || methods.length === 0) return;
    for (const m of methods) this.addRoute(receiver, m === 'ALL' ? 'ANY' : m, url, call, [handler]);
  }

  private mount(receiver: string, prefix: string, arg: ts.Node, call: ts.CallExpression): void {
    let n = skipParens(arg);
    // koa-router: app.use(router.routes())
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'routes')
      n = skipParens(n.expression.expression);
    if (!ts.isIdentifier(n)) return;
    const { line: at, column } = lineOf(this.sf, call);
    if (this.out.routers.has(n.text) || this.functions.has(n.text) === false) {
      const bound = this.out.imports.get(n.text);
      if (bound !== undefined && (bound.specifier.startsWith('.') || bound.specifier.startsWith('/'))) {
        this.router(receiver).mounts.push({ prefix, target: { specifier: bound.specifier, imported: bound.imported }, line: at, column });
      } else if (bound === undefined) {
        this.router(receiver).mounts.push({ prefix, target: { local: n.text }, line: at, column });
      }
    }
  }
}

function parseFile(file: string, text: string): ParsedFile {
  return new RouteFileParser(file, text).parse();
}

function isHandlerLike(node: ts.Node): boolean {
  return isFunctionLike(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node);
}

function joinPath(a: string, b: string): string {
  const left = a.endsWith('/') ? a.slice(0, -1) : a;
  if (b === '' || b === '/') return left === '' ? '/' : left;
  const right = b.startsWith('/') ? b : `/${b}`;
  return `${left}${right}`;
}

/**
 * The routes of the app an entry file builds, depth first through the routers it mounts (in this file and in
 * relative imports). Routers not mounted by another router are the roots (the app).
 */
export function extractRoutes(entry: string, source: RouteSource): RouteTable {
  const parsed = new Map<string, ParsedFile | null>();
  const notes: string[] = [];
  const load = (file: string): ParsedFile | null => {
    if (parsed.has(file)) return parsed.get(file) ?? null;
    if (parsed.size >= MAX_FILES) {
      notes.push(`${file}: not read (more than ${MAX_FILES} router files)`);
      parsed.set(file, null);
      return null;
    }
    const text = source.read(file);
    const result = text === undefined ? null : parseFile(file, text);
    parsed.set(file, result);
    if (result) notes.push(...result.notes);
    return result;
  };
  const root = load(entry);
  if (root === null) return { framework: null, routes: [], notes: [`${entry}: not readable`], files: [] };

  const routes: ExtractedRoute[] = [];
  let framework = root.framework;
  const active = new Set<string>();
  const walk = (pf: ParsedFile, r: Router, prefixes: string[]): void => {
    const key = `${pf.file}\0${r.name}`;
    if (active.has(key)) return;
    active.add(key);
    const base = prefixes.reduce((acc, p) => joinPath(acc, p), '');
    const own = r.prefix === '' ? base : joinPath(base, r.prefix);
    // Routes and mounts interleave in registration order (express matches in that order).
    const items = [
      ...r.routes.map((route) => ({ line: route.line, column: route.column, route, mount: null })),
      ...r.mounts.map((m) => ({ line: m.line, column: m.column, route: null, mount: m })),
    ].sort((a, b) => a.line - b.line || a.column - b.column);
    for (const item of items) {
      if (item.route) {
        const lr = item.route;
        routes.push({
          method: lr.method,
          path: joinPath(own, lr.path),
          localPath: lr.path,
          mountedAt: r.prefix === '' ? prefixes : [...prefixes, r.prefix],
          file: pf.file,
          line: lr.line,
          column: lr.column,
          handler: lr.handler,
          middleware: lr.middleware,
        });
      } else if (item.mount) {
        const m = item.mount;
        const nextPrefixes =
          m.prefix === ''
            ? r.prefix === ''
              ? prefixes
              : [...prefixes, r.prefix]
            : [...(r.prefix === '' ? prefixes : [...prefixes, r.prefix]), m.prefix];
        if ('local' in m.target) {
          const target = pf.routers.get(m.target.local);
          if (target) walk(pf, target, nextPrefixes);
        } else {
          const file = source.resolve(pf.file, m.target.specifier);
          const other = file === null ? null : load(file);
          if (other === null) {
            notes.push(`${pf.file}:${m.line}: mounted router from '${m.target.specifier}' not found`);
            continue;
          }
          framework ??= other.framework;
          const exportName =
            m.target.imported === '*' || m.target.imported === 'default'
              ? (other.exports.get('=') ?? other.exports.get('default'))
              : other.exports.get(m.target.imported);
          const target = exportName === undefined ? undefined : other.routers.get(exportName);
          if (target) walk(other, target, nextPrefixes);
          else notes.push(`${pf.file}:${m.line}: no router exported by ${other.file}`);
        }
      }
    }
    active.delete(key);
  };

  const mounted = new Set<string>();
  for (const r of root.routers.values()) for (const m of r.mounts) if ('local' in m.target) mounted.add(m.target.local);
  const roots = [...root.routers.values()]
    .filter((r) => !mounted.has(r.name) && (r.routes.length > 0 || r.mounts.length > 0))
    .sort((a, b) => a.order - b.order);
  for (const r of roots) walk(root, r, []);
  return { framework, routes, notes, files: [...parsed.keys()].filter((f) => parsed.get(f) !== null) };
}

/** AWS SDK v2 service names a file creates clients for: `new AWS.S3()`, `new AWS.DynamoDB.DocumentClient()`, `aws-sdk/clients/sqs`. */
export function awsSdkV2Services(file: string, text: string): string[] {
  if (!text.includes('aws-sdk')) return [];
  const sf = parse(file, text);
  const sdkNames = new Set<string>();
  const services = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const spec = literalText(node.moduleSpecifier);
      const clause = node.importClause;
      if (spec === 'aws-sdk' && clause && !clause.isTypeOnly) {
        if (clause.name) sdkNames.add(clause.name.text);
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) sdkNames.add(nb.name.text);
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) services.add(el.propertyName?.text ?? el.name.text);
      }
      const client = spec === null ? null : /^aws-sdk\/clients\/([a-z0-9]+)$/.exec(spec);
      if (client?.[1] !== undefined && clause && !clause.isTypeOnly) services.add(client[1]);
    } else if (ts.isVariableDeclaration(node) && node.initializer) {
      const spec = requiredModule(node.initializer);
      if (spec === 'aws-sdk') {
        if (ts.isIdentifier(node.name)) sdkNames.add(node.name.text);
        else if (ts.isObjectBindingPattern(node.name)) {
          for (const el of node.name.elements) {
            const name = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : null;
            if (name !== null) services.add(name);
          }
        }
      }
      const client = spec === null ? null : /^aws-sdk\/clients\/([a-z0-9]+)$/.exec(spec);
      if (client?.[1] !== undefined) services.add(client[1]);
    } else if (ts.isNewExpression(node)) {
      // new AWS.S3(), new AWS.DynamoDB.DocumentClient()
      let e = skipParens(node.expression);
      const parts: string[] = [];
      while (ts.isPropertyAccessExpression(e)) {
        parts.unshift(e.name.text);
        e = skipParens(e.expression);
      }
      if (ts.isIdentifier(e) && sdkNames.has(e.text) && parts[0] !== undefined) services.add(parts[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // Configuration objects, not services.
  for (const notService of ['config', 'Config', 'Credentials', 'Endpoint', 'SharedIniFileCredentials', 'EnvironmentCredentials'])
    services.delete(notService);
  return [...services].sort();
}

/** The `aws-lambda` event type a handler file names (`import type { SQSEvent } from 'aws-lambda'`), first one wins. */
export function awsLambdaEventTypes(file: string, text: string): string[] {
  if (!text.includes('aws-lambda')) return [];
  const sf = parse(file, text);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || literalText(st.moduleSpecifier) !== 'aws-lambda') continue;
    const nb = st.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) out.push(el.propertyName?.text ?? el.name.text);
  }
  return out;
}
