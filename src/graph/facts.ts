import ts from './typescript.cjs';
import { ioKindOfModule, ioPackageOf, isCallbackClientMethod, isClientFactory, isIoMethodOf, normalizeBuiltin, passesClientToCallback, type IoKind, type IoPackageEntry } from './io-catalog.js';


const SK = ts.SyntaxKind;
/**
 * One pass per file over the raw compiler nodes (ts.forEachChild), keeping only the facts the
 * graph and the rules need and dropping the AST. ts-morph's wrapped nodes cost 2-3x in time and
 * memory, so they are not used here; no Program and no type checker either.
 */

export type ImportKind = 'import' | 'side-effect' | 'import-equals' | 're-export' | 'require' | 'dynamic-import';

export interface Pos {
  line: number;
  column: number;
}

export interface ImportFact extends Pos {
  specifier: string;
  kind: ImportKind;
  /** True when the edge runs at module load (init); false for lazy edges inside functions. */
  init: boolean;
}

export interface DynamicRequireFact extends Pos {
  /** Source text of the argument (trimmed to 80 characters). */
  expression: string;
  init: boolean;
}

export interface CallFact extends Pos {
  /** Callee as written, call arguments elided: `ddb.send`, `s3.getObject().promise`, `new S3Client`. */
  callee: string;
  /** Last name of the callee (`send`, `promise`, `S3Client`). */
  name: string;
  /** Enclosing function id, or null at module scope (IIFEs at module scope count as module scope). */
  fn: number | null;
  awaited: boolean;
  /** Inside a loop of its own function (a callback inside a loop is not counted). */
  inLoop: boolean;
  isNew: boolean;
  /** Module the callee's root identifier is bound to (`@aws-sdk/client-s3`, `./lib/db`), if any. */
  module: string | null;
  /** Non-null when the call is recognised as I/O. */
  io: IoKind | 'fetch' | null;
  /** Name of the class in `x.send(new GetItemCommand(...))`, for readable messages. */
  argNew: string | null;
  /** Identifiers referenced in the call's callee root (for calls of local functions). */
  root: string | null;
  /** Innermost loop of its own function (`FlowFact.id` of that loop), null outside loops. */
  loop: number | null;
  /** Inside an `if`/`switch` body or a `?:` arm of its own function. */
  inBranch: boolean;
  /** Inside the arguments of an I/O call (`new PutCommand(...)` in `ddb.send(new PutCommand(...))`). */
  inIo: boolean;
  /** Index (in `calls`) of the recorded call whose arguments hold this one, null when none. */
  within: number | null;
}

/**
 * One step of a function's control and data flow, in source order, for the I/O tangle analysis:
 * a branch (`if`, `switch`), a loop, or a computation (a call that is neither I/O nor recorded as a
 * `CallFact`, e.g. `items.map(...)`, `JSON.parse(...)`). Calls inside the arguments of an I/O call
 * are part of that call, not steps of their own.
 */
export interface FlowFact extends Pos {
  fn: number;
  kind: 'branch' | 'loop' | 'compute';
  /** Innermost enclosing loop, null outside loops. */
  loop: number | null;
  inBranch: boolean;
  /** Loops: the loop's own id (referenced by `CallFact.loop`). */
  id?: number;
  /** Computations: the method name (`map`, `pipe`). */
  name?: string;
  /** Computations: an identifier passed as the first argument (`records.map(reserve)` -> `reserve`). */
  fnArg?: string;
  /** Index (in `calls`) of the recorded call whose arguments hold this step. */
  within?: number;
}

/** `eval(...)`, `new Function(...)`: code built at run time, which neither a Rust port nor a bundler can follow. */
export interface DynamicCodeFact extends Pos {
  what: 'eval' | 'new Function';
  fn: number | null;
}

/** `// lambda-migrate-disable-next-line rule-a, rule-b -- reason` */
export interface SuppressionFact {
  /** Line of the comment; it applies to the next line. */
  line: number;
  rules: string[];
  reason: string | null;
}

export interface FunctionFact extends Pos {
  id: number;
  /** Declared or assigned name (`function foo`, `const foo = () =>`), null for anonymous callbacks. */
  name: string | null;
  parent: number | null;
  /** Identifiers referenced from the body in value positions (used for reachability). */
  refs: string[];
  /**
   * A function passed as an argument to a call that runs at module scope (`app.get('/x', fn)`,
   * `router.use(fn)`): registered at init, runs per request.
   */
  registeredAtInit: boolean;
  /** Last name of the call this function is an argument of (`map`, `forEach`, `get`, `Promise`), else null. */
  argOf: string | null;
  /** `GET /orders/:id` when registered as a route handler (`router.get('/orders/:id', fn)`). */
  route: string | null;
  /** Innermost loop of the enclosing function the function is written in, null outside loops. */
  loop: number | null;
  /** A class member (method, constructor, accessor, arrow-function property): reached as `x.name()`, never by a bare name. */
  member?: true;
  /** Property names the body calls as methods or reads from `this` (`repo.find()`, `this.helper`): which class methods it may run. */
  members?: string[];
}

/** A class: its methods run per request when an instance's method of that name is called from reached code. */
export interface ClassFact extends Pos {
  /** Declared name, or the name the declaration/assignment gives a class expression; `default` for an anonymous default export. */
  name: string | null;
  /** Root identifier of the `extends` expression (`BaseRepo` in `extends BaseRepo`, `db` in `extends db.Model`). */
  extends: string | null;
  /** Methods and arrow-function properties, by function id. */
  methods: number[];
  /** Constructor, accessors and field initialisers: run whenever an instance exists or is used. */
  init: number[];
}

export interface ExportFact extends Pos {
  name: string;
  /** The function node when the export is a function (declaration, arrow, function expression). */
  fn: number | null;
  /** Identifiers referenced by the exported expression (`middy(base).use(x)` -> base, x). */
  refs: string[];
  /** Property names the exported expression reads (`new Handler().handle` -> handle): methods it may hand out. */
  members?: string[];
}

export interface ImportBinding {
  specifier: string;
  /** `default`, `*` (namespace or whole CommonJS module), or the imported name. */
  imported: string;
  /**
   * A variable computed from an import (`const ddb = DynamoDBDocumentClient.from(c)`, `const order =
   * await getOrder(id)`): it tells which package a client belongs to, but it is not the module itself.
   */
  derived?: true;
}

export interface FileFacts {
  file: string;
  lines: number;
  imports: ImportFact[];
  dynamicRequires: DynamicRequireFact[];
  calls: CallFact[];
  functions: FunctionFact[];
  exports: ExportFact[];
  topLevelAwaits: Pos[];
  /** Local names bound by imports/requires, and variables derived from them, to their module. */
  bindings: Record<string, ImportBinding>;
  classes: ClassFact[];
  /** Variables holding an instance: `const repo = new OrdersRepo()` -> `repo: OrdersRepo` (first declaration of a name). */
  instances: Record<string, string>;
  /**
   * Classes constructed into such an instance's constructor (`new GetOrder(new OrdersRepo(new DbHelper()))` ->
   * `OrdersRepo`, `DbHelper`): dependencies injected at init, whose methods the instance calls through its fields.
   */
  injected?: Record<string, string[]>;
  /** Branches, loops and computations inside functions, in walk order. */
  flow: FlowFact[];
  dynamicCode: DynamicCodeFact[];
  suppressions: SuppressionFact[];
  /**
   * `catch` blocks, start to end (1-based, end exclusive), with the function they are in: code there runs only when
   * something failed. Absent in facts built before it existed.
   */
  catchBlocks?: { fn: number | null; start: Pos; end: Pos }[];
}

/** Facts by file, parsed on first request. */
export interface FactSource {
  get(file: string): FileFacts | undefined;
}

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

export type FactsOutcome = { ok: true; facts: FileFacts } | { ok: false; error: ParseError };

function scriptKindFor(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts')) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

/** Parse diagnostics are not on the public SourceFile type; read them without a cast. */
function parseDiagnosticsOf(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  const value: unknown = Reflect.get(sf, 'parseDiagnostics');
  return Array.isArray(value) ? (value as ts.DiagnosticWithLocation[]) : [];
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

function skipParens(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

function stringLiteralValue(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return null;
}

function isRequireCall(node: ts.CallExpression): boolean {
  return ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length >= 1;
}

/** Renders a callee compactly: calls become `()`, long chains are cut. */
function calleeText(node: ts.Node): string {
  const n = skipParens(node);
  if (ts.isIdentifier(n)) return n.text;
  if (n.kind === SK.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(n)) return `${calleeText(n.expression)}.${n.name.text}`;
  if (ts.isElementAccessExpression(n)) return `${calleeText(n.expression)}[]`;
  if (ts.isCallExpression(n)) return `${calleeText(n.expression)}()`;
  if (ts.isNewExpression(n)) return `new ${calleeText(n.expression)}()`;
  if (ts.isAwaitExpression(n)) return calleeText(n.expression);
  if (ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) return calleeText(n.expression);
  return '(expr)';
}

function lastName(node: ts.Node): string {
  const n = skipParens(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return n.name.text;
  return '';
}

/** The identifier a callee chain starts from: `a` in `a.b().c`, `new a.B()`. */
function rootIdentifier(node: ts.Node): string | null {
  let n: ts.Node = node;
  for (;;) {
    n = skipParens(n);
    if (ts.isIdentifier(n)) return n.text;
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) n = n.expression;
    else if (ts.isCallExpression(n) || ts.isNewExpression(n)) n = n.expression;
    else if (ts.isAwaitExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) {
      n = n.expression;
    } else return null;
  }
}

/** `ddb` in `this.ddb.send`, `this.ddb.get().promise`: the field of `this` a callee chain starts from. */
function thisField(node: ts.Node): string | null {
  let n: ts.Node = node;
  for (;;) {
    n = skipParens(n);
    if (ts.isPropertyAccessExpression(n)) {
      if (n.expression.kind === SK.ThisKeyword) return n.name.text;
      n = n.expression;
    } else if (ts.isCallExpression(n) || ts.isElementAccessExpression(n) || ts.isNonNullExpression(n)) n = n.expression;
    else return null;
  }
}

/** Class names constructed in a `new` expression's arguments, nested (`new A(new B(new C()))` -> B, C). */
function injectedClasses(made: ts.NewExpression): string[] {
  const out: string[] = [];
  const walk = (n: ts.NewExpression): void => {
    for (const a of n.arguments ?? []) {
      const arg = skipParens(a);
      if (!ts.isNewExpression(arg)) continue;
      if (ts.isIdentifier(arg.expression)) out.push(arg.expression.text);
      walk(arg);
    }
  };
  walk(made);
  return out;
}

/** `DynamoDBDocumentClient` in a type `DynamoDBDocumentClient`, `pg` in `pg.Pool`. */
function rootOfEntity(name: ts.EntityName): string {
  let n = name;
  while (ts.isQualifiedName(n)) n = n.left;
  return n.text;
}

/** Awaited calls of an I/O package that hand back a client (`await pool.connect()`), not data. */
const CONNECT_METHODS: ReadonlySet<string> = new Set(['connect', 'getConnection', 'createConnection', 'createPool', 'startSession', 'acquire', 'session']);

/**
 * `await ref.get()`, `await ddb.send(...)`: what an I/O call returns is data (a snapshot, an item), so
 * `snap.data()` or `Item.tags.map()` is not I/O. Only for I/O packages: a value awaited from a service
 * module keeps its binding (reachability reads it as data already).
 */
function isAwaitedResult(init: ts.Expression, specifier: string): boolean {
  const n = skipParens(init);
  if (!ts.isAwaitExpression(n)) return false;
  const call = skipParens(n.expression);
  if (!ts.isCallExpression(call) || ioKindOfModule(specifier) === null) return false;
  const name = lastName(call.expression);
  return !CONNECT_METHODS.has(name) && !isClientFactory(specifier, calleeText(call.expression), false);
}

function hasExportModifier(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === SK.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === SK.DefaultKeyword);
}

/** `exports.x`, `module.exports.x` -> `x`; `module.exports` -> `=`; else null. */
function commonJsExportTarget(node: ts.Expression): string | null {
  if (!ts.isPropertyAccessExpression(node)) return null;
  const obj = node.expression;
  if (ts.isIdentifier(obj) && obj.text === 'exports') return node.name.text;
  if (ts.isIdentifier(obj) && obj.text === 'module' && node.name.text === 'exports') return '=';
  if (
    ts.isPropertyAccessExpression(obj) &&
    ts.isIdentifier(obj.expression) &&
    obj.expression.text === 'module' &&
    obj.name.text === 'exports'
  ) {
    return node.name.text;
  }
  return null;
}

interface Scope {
  fn: number | null;
  loopDepth: number;
  /** Identifiers referenced by the enclosing function, or at module scope. */
  refs: Set<string>;
  /** Innermost loop id in the current function, null outside loops. */
  loop: number | null;
  inBranch: boolean;
  /** Inside the arguments of an I/O call: nested calls are part of that call. */
  ioArgs: boolean;
  /** Index of the innermost recorded call whose arguments are being walked (same function). */
  call: number | null;
  /** Fields of the enclosing class bound to a package (`this.ddb` set from `DynamoDBDocumentClient.from(...)`). */
  fields: Map<string, ImportBinding> | null;
  /** Parameters of SDK callbacks bound to the SDK (`txn` in `driver.executeLambda(async (txn) => ...)`). */
  params: Map<string, ImportBinding> | null;
  /** The enclosing class's own method names; `open` when it extends another (whose methods are unknown here). */
  cls: { methods: ReadonlySet<string>; open: boolean } | null;
}

/** Route-registering methods of express/koa/fastify-style apps and routers, with the HTTP method each one serves. */
export const HTTP_VERBS: ReadonlyMap<string, string> = new Map([
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
  ['del', 'DELETE'],
  ['head', 'HEAD'],
  ['options', 'OPTIONS'],
  ['all', 'ANY'],
]);
/** Calls through which a function reference runs once per item (`records.map(reserve)`). */
const PER_ITEM_METHODS: ReadonlySet<string> = new Set(['map', 'flatMap', 'forEach', 'filter', 'reduce', 'some', 'every', 'find', 'all', 'allSettled']);
/** Streaming calls the analysis treats as I/O whatever their receiver. */
const STREAM_METHODS: ReadonlySet<string> = new Set(['pipe', 'pipeline', 'transformToString', 'transformToByteArray', 'transformToWebStream']);
/** Collecting results (`pending.push(send(...))`) is plumbing, not a computation. */
const COLLECTOR_METHODS: ReadonlySet<string> = new Set(['push', 'unshift', 'add', 'set', 'concat']);

export function extractFacts(file: string, text: string): FactsOutcome {
  const sf = ts.createSourceFile(file, text, {
    languageVersion: ts.ScriptTarget.Latest,
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
  }, false, scriptKindFor(file));
  const diags = parseDiagnosticsOf(sf);
  const first = diags[0];
  if (first) {
    const lc = sf.getLineAndCharacterOfPosition(first.start);
    return {
      ok: false,
      error: { line: lc.line + 1, column: lc.character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') },
    };
  }
  return { ok: true, facts: factsOf(file, text, sf) };
}

/** The one walk over a file that parsed without errors (separate from the parse, so the walk can be timed on its own). */
export function factsOf(file: string, text: string, sf: ts.SourceFile): FileFacts {
  const isTs = scriptKindFor(file) === ts.ScriptKind.TS || scriptKindFor(file) === ts.ScriptKind.TSX;

  const starts = lineStartsOf(text) ?? sf.getLineStarts();
  const pos = (node: ts.Node): Pos => placed({ line: 0, column: 0 }, node);
  /**
   * Sets a fact's `line`/`column` (declared last in its literal, as 0) to where `node` starts. Facts are
   * written as one literal each rather than `{ ...fields, ...pos(node) }`: the spread costs a temporary
   * object and a slow property copy per fact, and the pass records some 50 facts per file.
   */
  const placed = <T extends Pos>(fact: T, node: ts.Node): T => {
    const at = node.getStart(sf);
    const line = lineIndexOf(starts, at);
    fact.line = line + 1;
    fact.column = at - (starts[line] ?? 0) + 1;
    return fact;
  };

  const imports: ImportFact[] = [];
  const dynamicRequires: DynamicRequireFact[] = [];
  const calls: CallFact[] = [];
  const functions: FunctionFact[] = [];
  const exports: ExportFact[] = [];
  const topLevelAwaits: Pos[] = [];
  const flow: FlowFact[] = [];
  /** `flow.length` right after the last computation step, -1 once anything else was recorded after it. */
  let lastRecorded = -1;
  const dynamicCode: DynamicCodeFact[] = [];
  const catchBlocks: NonNullable<FileFacts['catchBlocks']> = [];
  const bindings: Record<string, ImportBinding> = Object.create(null) as Record<string, ImportBinding>;
  /**
   * Identifiers used in value positions at module scope. With the functions' refs sets they are every
   * value identifier of the file, which decides whether a TypeScript import is used only as a type;
   * one Set.add per identifier instead of two (a file-wide set beside the function's), and the union
   * is looked at only for the few names imports bind.
   */
  const moduleRefs = new Set<string>();
  /** Import declarations whose edge depends on whether their bindings are used as values. */
  const elidable: { fact: ImportFact; names: string[] }[] = [];
  /** Function id -> refs set while walking. */
  const refSets = new Map<number, Set<string>>();
  const fnIdByNode = new Map<ts.Node, number>();

  const bind = (local: string, specifier: string, imported: string): void => {
    bindings[local] = { specifier, imported };
  };

  const bindPattern = (name: ts.BindingName, specifier: string): void => {
    if (ts.isIdentifier(name)) {
      bind(name.text, specifier, '*');
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const importedName = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : '*';
        if (ts.isIdentifier(el.name)) bind(el.name.text, specifier, importedName);
      }
    }
  };

  const handleImportDeclaration = (node: ts.ImportDeclaration): void => {
    const specifier = stringLiteralValue(node.moduleSpecifier);
    if (specifier === null) return;
    const clause = node.importClause;
    if (!clause) {
      imports.push(placed({ specifier, kind: 'side-effect', init: true, line: 0, column: 0 }, node));
      return;
    }
    const fact: ImportFact = placed({ specifier, kind: 'import', init: true, line: 0, column: 0 }, node);
    if (clause.isTypeOnly) {
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const el of clause.namedBindings.elements) typeBindings[el.name.text] = specifier;
      return;
    }
    const valueNames: string[] = [];
    if (clause.name) {
      valueNames.push(clause.name.text);
      bind(clause.name.text, specifier, 'default');
    }
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      valueNames.push(nb.name.text);
      bind(nb.name.text, specifier, '*');
    } else if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        valueNames.push(el.name.text);
        bind(el.name.text, specifier, el.propertyName ? el.propertyName.text : el.name.text);
      }
      // `import {} from 'x'` still loads x in every emitter.
      if (nb.elements.length === 0 && !clause.name) {
        imports.push({ ...fact, kind: 'side-effect' });
        return;
      }
    }
    if (valueNames.length === 0) return; // only `type` specifiers: erased
    imports.push(fact);
    if (isTs) elidable.push({ fact, names: valueNames });
  };

  const handleExportDeclaration = (node: ts.ExportDeclaration): void => {
    const specifier = stringLiteralValue(node.moduleSpecifier);
    if (node.isTypeOnly) return;
    if (specifier !== null) {
      const clause = node.exportClause;
      if (clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)) return;
      imports.push(placed({ specifier, kind: 're-export', init: true, line: 0, column: 0 }, node));
      if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          exports.push(placed({ name: el.name.text, fn: null, refs: [], line: 0, column: 0 }, el));
        }
      }
      return;
    }
    const clause = node.exportClause;
    if (clause && ts.isNamedExports(clause)) {
      for (const el of clause.elements) {
        if (el.isTypeOnly) continue;
        const local = el.propertyName ? el.propertyName.text : el.name.text;
        exports.push(placed({ name: el.name.text, fn: null, refs: [local], line: 0, column: 0 }, el));
      }
    }
  };

  /** Collects value identifiers in an expression without entering nested functions. */
  const refsOf = (expr: ts.Node, members?: Set<string>): string[] => {
    const out = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        out.add(n.text);
        return;
      }
      if (ts.isPropertyAccessExpression(n)) {
        members?.add(n.name.text);
        visit(n.expression);
        return;
      }
      if (isFunctionLike(n) || ts.isTypeNode(n)) return;
      ts.forEachChild(n, visit);
    };
    visit(expr);
    return [...out];
  };

  const nameOfFunction = (node: ts.FunctionLikeDeclaration): string | null => {
    if (node.name && ts.isIdentifier(node.name)) return node.name.text;
    return fnNames.get(node) ?? null;
  };

  const addExportFromExpression = (name: string, expr: ts.Expression, at: ts.Node): void => {
    const inner = skipParens(expr);
    const fn = isFunctionLike(inner) ? (fnIdByNode.get(inner) ?? null) : null;
    const cls = ts.isClassExpression(inner) ? (inner.name?.text ?? fnNames.get(inner) ?? null) : null;
    const members = new Set<string>();
    const fact: ExportFact = placed({ name, fn, refs: cls !== null ? [cls] : fn === null ? refsOf(inner, members) : [], line: 0, column: 0 }, at);
    if (members.size > 0) fact.members = [...members];
    exports.push(fact);
  };

  /** Binds `const x = <expr rooted at an import>` so `x.send()` knows its package. */
  const bindDerived = (name: ts.BindingName, init: ts.Expression): void => {
    const root = rootIdentifier(init);
    if (root === null) return;
    const b = bindings[root];
    if (!b) return;
    if (isAwaitedResult(init, b.specifier)) return;
    if (ts.isIdentifier(name)) {
      if (!(name.text in bindings)) bindings[name.text] = { specifier: b.specifier, imported: '*', derived: true };
    } else {
      bindPattern(name, b.specifier);
      for (const el of ts.isObjectBindingPattern(name) ? name.elements : []) {
        const local = ts.isIdentifier(el.name) ? bindings[el.name.text] : undefined;
        if (local) local.derived = true;
      }
    }
  };

  /**
   * `this.load()` (a method of the enclosing class, or of its base), `new X().process()`, `repo.find()` on an
   * instance: may run the service's own methods, so kept as calls. Other `this.x()` calls (fields holding
   * functions, mixins) stay computations: keeping every one would cost the pass on class-heavy code.
   */
  const isServiceMethodCall = (callee: ts.Node, root: string | null): boolean => {
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const obj = callee.expression;
    if (obj.kind === SK.ThisKeyword) {
      const c = scope.cls;
      return c !== null && (c.open || c.methods.has(callee.name.text));
    }
    if (ts.isNewExpression(obj)) return true;
    return root !== null && ts.isIdentifier(obj) && root in instances;
  };

  const ioEntries = new Map<string, IoPackageEntry | null>();
  const recordCall = (node: ts.CallExpression | ts.NewExpression, scope: Scope): boolean => {
    const isNew = ts.isNewExpression(node);
    const calleeNode = skipParens(node.expression);
    const name = lastName(calleeNode);
    const root = rootIdentifier(calleeNode);
    const module = receiverBinding(calleeNode, root)?.specifier ?? null;
    const isMethod = ts.isPropertyAccessExpression(calleeNode);
    let io: CallFact['io'] = null;
    if (!isNew) {
      // One catalog lookup per call on a bound receiver (this runs for every such call of every file), in a
      // per-file cache keyed by the bindings' own specifier strings: small, and their hashes already computed.
      let entry: IoPackageEntry | null = null;
      if (module !== null) {
        const hit = ioEntries.get(module);
        if (hit !== undefined) entry = hit;
        else {
          entry = ioPackageOf(module);
          ioEntries.set(module, entry);
        }
      }
      if (root === 'fetch' && ts.isIdentifier(calleeNode) && !bindings.fetch) io = 'http';
      else if (name === 'promise' && isMethod && ts.isCallExpression(skipParens(calleeNode.expression))) {
        io = entry?.kind ?? 'aws-sdk-v2';
      } else if (entry !== null) {
        const kind = entry.kind;
        if ((kind === 'http' || kind === 'fs' || kind === 'child_process' || isMethod) && isIoMethodOf(entry, name)) {
          // fs/path-like helpers that are pure are excluded by name; a bare call of a binding
          // (`axios(cfg)`, `readFile(p)`, `execSync(c)`) is I/O for these kinds.
          io = kind;
        }
        if (kind === 'aws-sdk-v3' && name !== 'send' && !name.startsWith('paginate') && name !== 'getParameter' && name !== 'getSecret') {
          // v3 clients do I/O only through send() (and the aggregated clients' methods, which
          // return promises); constructors of commands are not I/O.
          io = /^[a-z]/.test(name) && isMethod && name !== 'from' ? 'aws-sdk-v3' : null;
        }
        if (kind === 'aws-sdk-v2') {
          // v2 requests go out on `.promise()` (handled above) or when given a callback;
          // `s3.getObject(params)` alone only builds a request, `AWS.config.update()` is config.
          const last = node.arguments[node.arguments.length - 1];
          io = isMethod && last !== undefined && isFunctionLike(skipParens(last)) ? 'aws-sdk-v2' : null;
        }
      } else if (name === 'send') {
        // A client from the service's own module (`import { ddb } from '../lib/ddb'`) or a local
        // variable: the v3 command object gives it away.
        const arg = node.arguments?.[0];
        if (arg && ts.isNewExpression(arg) && lastName(arg.expression).endsWith('Command')) io = 'aws-sdk-v3';
      }
      // In `db.selectFrom('t').where(...).execute()` the I/O is the outermost call; the inner ones build it.
      if (io !== null && chainInner.has(node)) io = null;
      if (io !== null) markChain(calleeNode);
    }
    // Most calls are method calls on local values (`items.map`, `Math.max`): no rule needs them,
    // and skipping them keeps the facts small. Kept: I/O, constructors, calls on imported
    // bindings, plain function calls (local helpers may do I/O), and everything at module scope.
    if (io === null && !isNew && module === null && scope.fn !== null && !ts.isIdentifier(calleeNode) && !isServiceMethodCall(calleeNode, root)) {
      if (!scope.ioArgs && !COLLECTOR_METHODS.has(name)) {
        const first = node.arguments?.[0];
        const fnArg = first && ts.isIdentifier(first) && PER_ITEM_METHODS.has(name) ? first.text : undefined;
        const prev = flow[flow.length - 1];
        // Consecutive computations with nothing recorded between them are one step for the analysis:
        // keeping one keeps the facts small (most calls in a function are computations).
        const merge =
          prev !== undefined && prev.kind === 'compute' && fnArg === undefined && !STREAM_METHODS.has(name) && lastRecorded === flow.length &&
          prev.fn === scope.fn && prev.loop === scope.loop && prev.inBranch === scope.inBranch && prev.within === (scope.call ?? undefined);
        if (!merge) {
          const step: FlowFact = placed({ fn: scope.fn, kind: 'compute', loop: scope.loop, inBranch: scope.inBranch, name, line: 0, column: 0 }, node);
          if (fnArg !== undefined) step.fnArg = fnArg;
          if (scope.call !== null) step.within = scope.call;
          flow.push(step);
          lastRecorded = flow.length;
        }
      }
      return false;
    }
    if (ts.isIdentifier(calleeNode) && ((name === 'eval' && !isNew) || name === 'Function') && !bindings[name]) {
      dynamicCode.push(placed({ what: name === 'eval' ? 'eval' : 'new Function', fn: scope.fn, line: 0, column: 0 }, node));
    }
    const callee = (isNew ? 'new ' : '') + calleeText(calleeNode);
    const argNode = node.arguments?.[0];
    const argNew = argNode && ts.isNewExpression(argNode) ? lastName(argNode.expression) : null;
    calls.push(placed({
      callee,
      name,
      fn: scope.fn,
      awaited: awaitedNodes.has(node),
      inLoop: scope.loopDepth > 0,
      isNew,
      module,
      io,
      argNew,
      root,
      loop: scope.loop,
      inBranch: scope.inBranch,
      inIo: scope.ioArgs,
      within: scope.call,
      line: 0,
      column: 0,
    }, node));
    lastRecorded = -1;
    return io !== null;
  };

  let nextFnId = 0;
  /*
   * Facts that depend on a node's parent are marked top-down by the parent as the walk passes it,
   * so the source file is parsed without parent pointers (setting them costs a full extra pass).
   */
  /** Functions written as `(function () {...})()`: they run where they stand, not later. */
  const iife = new Set<ts.Node>();
  /** Call expressions under an `await` (through parentheses, `!` and `as`). */
  const awaitedNodes = new Set<ts.Node>();
  /** Function expressions passed as arguments of a call at module scope. */
  const registeredArgs = new Set<ts.Node>();
  /** Names given to function expressions by the declaration or assignment that holds them. */
  const fnNames = new Map<ts.Node, string>();
  /** Class members (and arrow-function properties) by node: the class they belong to. */
  const memberOf = new Map<ts.Node, { cls: ClassFact; init: boolean }>();
  /** Function id -> names it reads from `this` (`this.helper()`, `this.ddb.send()`, `.then(this.handle)`). */
  const thisReads = new Map<number, Set<string>>();
  /** Calls inside the callee chain of an I/O call (`db.selectFrom('t')` in `db.selectFrom('t').execute()`). */
  const chainInner = new Set<ts.Node>();
  /** Function expressions passed to an SDK method that hands them a client (`executeLambda`, `$transaction`). */
  const ioCallbacks = new Map<ts.Node, ImportBinding>();
  /** Names bound by `import type`: not values, but a field typed with one tells its package. */
  const typeBindings: Record<string, string> = Object.create(null) as Record<string, string>;
  const classes: ClassFact[] = [];
  const instances: Record<string, string> = Object.create(null) as Record<string, string>;
  let injected: Record<string, string[]> | undefined;

  const markChain = (callee: ts.Node): void => {
    for (let n: ts.Node = callee; ;) {
      n = skipParens(n);
      if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isNonNullExpression(n)) n = n.expression;
      else if (ts.isCallExpression(n)) {
        chainInner.add(n);
        n = n.expression;
      } else return;
    }
  };

  /** What the receiver of a callee is bound to: a callback parameter, an import-derived name, or a `this.<field>`. */
  const receiverBinding = (callee: ts.Node, root: string | null): ImportBinding | undefined => {
    if (root !== null) return scope.params?.get(root) ?? bindings[root];
    if (scope.fields === null) return undefined;
    const field = thisField(callee);
    return field !== null ? scope.fields.get(field) : undefined;
  };

  /** The parameters of a callback an SDK hands a client to, bound to that SDK (inheriting the outer ones). */
  const callbackParams = (node: ts.FunctionLikeDeclaration): Map<string, ImportBinding> | null => {
    const b = ioCallbacks.get(node);
    if (!b) return null;
    const out = new Map(scope.params ?? []);
    const bindName = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) out.set(name.text, b);
      else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindName(el.name);
    };
    for (const p of node.parameters) bindName(p.name);
    return out;
  };

  /** A class: its members are recorded with their functions; fields bound to packages give `this.x.m()` its package. */
  const visitClass = (node: ts.ClassLikeDeclaration): void => {
    const isDecl = ts.isClassDeclaration(node);
    const exported = isDecl && hasExportModifier(node);
    const name = node.name?.text ?? fnNames.get(node) ?? (exported && hasDefaultModifier(node) ? 'default' : null);
    const heritage = node.heritageClauses?.find((h) => h.token === SK.ExtendsKeyword)?.types[0];
    const cls: ClassFact = placed({ name, extends: heritage ? rootIdentifier(heritage.expression) : null, methods: [], init: [], line: 0, column: 0 }, node);
    classes.push(cls);
    if (exported) exports.push(placed({ name: hasDefaultModifier(node) ? 'default' : (name ?? 'default'), fn: null, refs: name !== null ? [name] : [], line: 0, column: 0 }, node));
    let fields = scope.fields;
    let ownFields = false;
    const methods = new Set<string>();
    const bindField = (field: string, expr: ts.Node | undefined, type: ts.TypeNode | undefined): void => {
      const root = expr ? rootIdentifier(expr) : null;
      const b = root !== null ? (scope.params?.get(root) ?? bindings[root]) : undefined;
      const typeRoot = type && ts.isTypeReferenceNode(type) ? rootOfEntity(type.typeName) : null;
      const specifier = b?.specifier ?? (typeRoot !== null ? (bindings[typeRoot]?.specifier ?? typeBindings[typeRoot]) : undefined);
      if (specifier === undefined || ioKindOfModule(specifier) === null) return;
      if (!ownFields) {
        fields = new Map(fields ?? []);
        ownFields = true;
      }
      fields?.set(field, { specifier, imported: '*', derived: true });
    };
    for (const m of node.members) {
      if (ts.isPropertyDeclaration(m) && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name))) {
        methods.add(m.name.text);
        const init = m.initializer ? skipParens(m.initializer) : undefined;
        if (init && isFunctionLike(init)) {
          fnNames.set(init, m.name.text);
          memberOf.set(init, { cls, init: false });
        } else bindField(m.name.text, init, m.type);
      } else if (ts.isConstructorDeclaration(m)) {
        memberOf.set(m, { cls, init: true });
        fnNames.set(m, 'constructor');
        const paramTypes = new Map<string, ts.TypeNode | undefined>();
        for (const p of m.parameters) {
          if (!ts.isIdentifier(p.name)) continue;
          paramTypes.set(p.name.text, p.type);
          if (ts.canHaveModifiers(p) && (ts.getModifiers(p)?.length ?? 0) > 0) bindField(p.name.text, undefined, p.type);
        }
        for (const st of m.body?.statements ?? []) {
          if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== SK.EqualsToken) continue;
          const left = st.expression.left;
          if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== SK.ThisKeyword) continue;
          const right = skipParens(st.expression.right);
          bindField(left.name.text, right, ts.isIdentifier(right) ? paramTypes.get(right.text) : undefined);
        }
      } else if (ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
        memberOf.set(m, { cls, init: true });
      } else if (ts.isMethodDeclaration(m)) {
        memberOf.set(m, { cls, init: false });
        if (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) methods.add(m.name.text);
      }
    }
    const saved = scope.fields;
    const savedCls = scope.cls;
    scope.fields = fields;
    scope.cls = { methods, open: cls.extends !== null };
    ts.forEachChild(node, visit);
    scope.fields = saved;
    scope.cls = savedCls;
  };
  /** Function expressions passed as an argument: the last name of the callee. */
  const callbackOf = new Map<ts.Node, string>();
  /** Route handlers registered at module scope: `GET /orders/:id`. */
  const routes = new Map<ts.Node, string>();

  const unwrap = (n: ts.Node): ts.Node => {
    let x = n;
    while (ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
    return x;
  };

  let scope: Scope = { fn: null, loopDepth: 0, refs: moduleRefs, loop: null, inBranch: false, ioArgs: false, call: null, fields: null, params: null, cls: null };
  let nextLoopId = 0;
  /** Enters a loop: one flow step, then the body with the loop as the innermost one. */
  const walkLoop = (node: ts.Node): void => {
    let loop = scope.loop;
    if (scope.fn !== null) {
      loop = nextLoopId++;
      flow.push(placed({ fn: scope.fn, kind: 'loop', loop: scope.loop, inBranch: scope.inBranch, id: loop, line: 0, column: 0 }, node));
    }
    walkIn(node, { ...scope, loopDepth: scope.loopDepth + 1, loop });
  };
  /** A branch point: the condition in the current scope, the arms as branch bodies. */
  const walkBranch = (node: ts.Node, condition: ts.Node, arms: readonly (ts.Node | undefined)[], step: boolean): void => {
    if (step && scope.fn !== null && !scope.ioArgs) {
      flow.push(placed({ fn: scope.fn, kind: 'branch', loop: scope.loop, inBranch: scope.inBranch, line: 0, column: 0 }, node));
    }
    visit(condition);
    // Scopes follow a stack discipline, so a field is set for the children and restored after
    // (cheaper than a new scope object per branch, call and argument list).
    const saved = scope.inBranch;
    scope.inBranch = true;
    for (const arm of arms) if (arm) visit(arm);
    scope.inBranch = saved;
  };
  /** Walks `node`'s children under `inner`, then restores the current scope. */
  const walkIn = (node: ts.Node, inner: Scope): void => {
    const saved = scope;
    scope = inner;
    ts.forEachChild(node, visit);
    scope = saved;
  };
  const visitIn = (node: ts.Node, inner: Scope): void => {
    const saved = scope;
    scope = inner;
    visit(node);
    scope = saved;
  };

  const markCall = (node: ts.CallExpression | ts.NewExpression): void => {
    const callee = skipParens(node.expression);
    if (ts.isCallExpression(node) && isFunctionLike(callee)) iife.add(callee);
    if (!node.arguments) return;
    let route: string | null = null;
    let receiver: ImportBinding | undefined | null = null;
    for (const a of node.arguments) {
      const arg = skipParens(a);
      if (!isFunctionLike(arg)) continue;
      const name = lastName(callee);
      callbackOf.set(arg, name);
      if (isCallbackClientMethod(name)) {
        receiver ??= receiverBinding(callee, rootIdentifier(callee));
        if (receiver && passesClientToCallback(receiver.specifier, name)) ioCallbacks.set(arg, { specifier: receiver.specifier, imported: '*', derived: true });
      }
      if (scope.fn === null) {
        registeredArgs.add(arg);
        if (route === null && HTTP_VERBS.has(name) && ts.isPropertyAccessExpression(callee)) {
          const path = stringLiteralValue(node.arguments[0]);
          route = path !== null ? `${name === 'del' ? 'DELETE' : name.toUpperCase()} ${path}` : '';
        }
        if (route) routes.set(arg, route);
      }
    }
  };

  const visitFunction = (node: ts.FunctionLikeDeclaration): void => {
    const id = nextFnId++;
    fnIdByNode.set(node, id);
    const name = nameOfFunction(node);
    functions.push(placed({
      id,
      name,
      parent: scope.fn,
      refs: [],
      registeredAtInit: registeredArgs.has(node),
      argOf: callbackOf.get(node) ?? null,
      route: routes.get(node) ?? null,
      loop: scope.fn === null ? null : scope.loop,
      line: 0,
      column: 0,
    }, node));
    const refs = new Set<string>();
    refSets.set(id, refs);
    const owner = memberOf.get(node);
    if (owner) {
      const fact = functions[functions.length - 1];
      if (fact) fact.member = true;
      (owner.init ? owner.cls.init : owner.cls.methods).push(id);
    }
    if (ts.isFunctionDeclaration(node) && hasExportModifier(node)) {
      exports.push(placed({ name: hasDefaultModifier(node) ? 'default' : (name ?? 'default'), fn: id, refs: [], line: 0, column: 0 }, node));
    }
    // An IIFE at module scope runs at init: keep its body in the enclosing scope for I/O and
    // import classification, but still record it as a function for reachability.
    const inner: Scope = iife.has(node)
      ? scope
      : { fn: id, loopDepth: 0, refs, loop: null, inBranch: false, ioArgs: false, call: null, fields: scope.fields, params: callbackParams(node) ?? scope.params, cls: scope.cls };
    if (node.body) {
      for (const p of node.parameters) visitIn(p, inner);
      visitIn(node.body, inner);
    }
  };

  const visitCall = (node: ts.CallExpression): void => {
    markCall(node);
    // `this.repo.record()`: a method of whatever class the field holds may run (the call itself is not kept).
    const callee = node.expression;
    if (scope.fn !== null && ts.isPropertyAccessExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.expression.kind === SK.ThisKeyword) {
      const reads = thisReads.get(scope.fn);
      if (reads) reads.add(callee.name.text);
      else thisReads.set(scope.fn, new Set([callee.name.text]));
    }
    if (node.expression.kind === SK.ImportKeyword) {
      const specifier = stringLiteralValue(node.arguments[0]);
      if (specifier !== null) {
        imports.push(placed({ specifier, kind: 'dynamic-import', init: scope.fn === null, line: 0, column: 0 }, node));
      } else {
        const arg = node.arguments[0];
        dynamicRequires.push(placed({ expression: arg ? arg.getText(sf).slice(0, 80) : '', init: scope.fn === null, line: 0, column: 0 }, node));
      }
    } else if (isRequireCall(node)) {
      const specifier = stringLiteralValue(node.arguments[0]);
      if (specifier !== null) {
        imports.push(placed({ specifier, kind: 'require', init: scope.fn === null, line: 0, column: 0 }, node));
      } else {
        const arg = node.arguments[0];
        dynamicRequires.push(placed({ expression: arg ? arg.getText(sf).slice(0, 80) : '', init: scope.fn === null, line: 0, column: 0 }, node));
      }
    } else {
      const before = calls.length;
      const io = recordCall(node, scope);
      if (calls.length > before && scope.fn !== null) {
        // Later passes (cross-file I/O) may find this call is I/O: keep which calls its arguments hold.
        const s = scope;
        const savedIo = s.ioArgs;
        const savedCall = s.call;
        s.ioArgs = savedIo || io;
        s.call = before;
        ts.forEachChild(node, visit);
        s.ioArgs = savedIo;
        s.call = savedCall;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };

  const visitVariableStatement = (node: ts.VariableStatement): void => {
    const exported = hasExportModifier(node);
    for (const decl of node.declarationList.declarations) {
      const initializer = decl.initializer;
      if (!initializer) {
        if (exported && ts.isIdentifier(decl.name)) exports.push(placed({ name: decl.name.text, fn: null, refs: [], line: 0, column: 0 }, decl));
        continue;
      }
      const init = skipParens(initializer);
      if (ts.isIdentifier(decl.name) && (isFunctionLike(init) || ts.isClassExpression(init))) fnNames.set(init, decl.name.text);
      // `const repo = new OrdersRepo(client)` (at init or in the handler): `repo.find()` runs OrdersRepo's method.
      // File-wide like `bindings`: the first declaration of a name wins.
      const made = ts.isAwaitExpression(init) ? skipParens(init.expression) : init;
      if (ts.isNewExpression(made) && ts.isIdentifier(made.expression) && ts.isIdentifier(decl.name) && !(decl.name.text in instances)) {
        instances[decl.name.text] = made.expression.text;
        const inner = injectedClasses(made);
        if (inner.length > 0) (injected ??= Object.create(null) as Record<string, string[]>)[decl.name.text] = inner;
      }
      let required = false;
      if (ts.isCallExpression(init) && isRequireCall(init)) {
        const specifier = stringLiteralValue(init.arguments[0]);
        if (specifier !== null) bindPattern(decl.name, specifier);
        required = true;
      } else if (ts.isPropertyAccessExpression(init) && ts.isCallExpression(init.expression) && isRequireCall(init.expression)) {
        // const Foo = require('x').Foo
        const specifier = stringLiteralValue(init.expression.arguments[0]);
        if (specifier !== null && ts.isIdentifier(decl.name)) bind(decl.name.text, specifier, init.name.text);
        required = true;
      }
      visit(initializer);
      if (!required) bindDerived(decl.name, initializer);
      if (exported && ts.isIdentifier(decl.name)) addExportFromExpression(decl.name.text, initializer, decl);
    }
  };

  /** `exports.x = ...`, `module.exports = ...` at module scope. Returns false when it is not one. */
  const visitCommonJsExport = (node: ts.BinaryExpression): boolean => {
    const target = commonJsExportTarget(node.left);
    const right = skipParens(node.right);
    if (isFunctionLike(right) || (ts.isClassExpression(right) && !right.name)) {
      if (target !== null && target !== '=') fnNames.set(right, target);
      else if (target === '=' && ts.isClassExpression(right)) fnNames.set(right, 'default');
      else if (ts.isIdentifier(node.left)) fnNames.set(right, node.left.text);
    }
    if (scope.fn === null && target !== null && ts.isNewExpression(right) && ts.isIdentifier(right.expression)) {
      instances[target === '=' ? 'default' : target] = right.expression.text;
    }
    if (target === null || scope.fn !== null) return false;
    if (ts.isObjectLiteralExpression(right)) {
      for (const prop of right.properties) {
        if (!ts.isPropertyAssignment(prop)) continue;
        const initializer = skipParens(prop.initializer);
        if (isFunctionLike(initializer) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
          fnNames.set(initializer, prop.name.text);
        }
      }
    }
    visit(node.right);
    if (target !== '=') {
      addExportFromExpression(target, node.right, node);
    } else if (ts.isObjectLiteralExpression(right)) {
      for (const prop of right.properties) {
        if (ts.isShorthandPropertyAssignment(prop)) exports.push(placed({ name: prop.name.text, fn: null, refs: [prop.name.text], line: 0, column: 0 }, prop));
        else if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
          addExportFromExpression(prop.name.text, prop.initializer, prop);
        } else if (ts.isMethodDeclaration(prop) && ts.isIdentifier(prop.name)) {
          exports.push(placed({ name: prop.name.text, fn: fnIdByNode.get(prop) ?? null, refs: [], line: 0, column: 0 }, prop));
        }
      }
    } else {
      addExportFromExpression('default', node.right, node);
    }
    return true;
  };

  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    switch (kind) {
      case SK.Identifier: {
        scope.refs.add((node as ts.Identifier).text);
        return;
      }
      case SK.PropertyAccessExpression: {
        const n = node as ts.PropertyAccessExpression;
        // `this.handle` passed on (`.then(this.handle)`) may run that method.
        if (n.expression.kind === SK.ThisKeyword && scope.fn !== null) {
          const reads = thisReads.get(scope.fn);
          if (reads) reads.add(n.name.text);
          else thisReads.set(scope.fn, new Set([n.name.text]));
        }
        visit(n.expression);
        return;
      }
      // Type-only syntax never runs and never loads anything.
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
        return;
      case SK.HeritageClause:
        if ((node as ts.HeritageClause).token === SK.ImplementsKeyword) return;
        break;
      case SK.ModuleDeclaration:
        if ((node as ts.ModuleDeclaration).modifiers?.some((m) => m.kind === SK.DeclareKeyword)) return;
        break;
      case SK.ImportDeclaration:
        handleImportDeclaration(node as ts.ImportDeclaration);
        return;
      case SK.ExportDeclaration:
        handleExportDeclaration(node as ts.ExportDeclaration);
        return;
      case SK.ImportEqualsDeclaration: {
        const n = node as ts.ImportEqualsDeclaration;
        if (!n.isTypeOnly && ts.isExternalModuleReference(n.moduleReference)) {
          const specifier = stringLiteralValue(n.moduleReference.expression);
          if (specifier !== null) {
            imports.push(placed({ specifier, kind: 'import-equals', init: scope.fn === null, line: 0, column: 0 }, n));
            bind(n.name.text, specifier, '*');
          }
        }
        if (hasExportModifier(n)) exports.push(placed({ name: n.name.text, fn: null, refs: [], line: 0, column: 0 }, n));
        return;
      }
      case SK.ExportAssignment:
        // Walk first so a function expression has its id before the export refers to it.
        ts.forEachChild(node, visit);
        addExportFromExpression('default', (node as ts.ExportAssignment).expression, node);
        return;
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ArrowFunction:
      case SK.MethodDeclaration:
      case SK.Constructor:
      case SK.GetAccessor:
      case SK.SetAccessor:
        visitFunction(node as ts.FunctionLikeDeclaration);
        return;
      case SK.PropertyAssignment: {
        const n = node as ts.PropertyAssignment;
        const init = skipParens(n.initializer);
        if ((isFunctionLike(init) || ts.isClassExpression(init)) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) fnNames.set(init, n.name.text);
        break;
      }
      case SK.ForStatement:
      case SK.ForInStatement:
      case SK.WhileStatement:
      case SK.DoStatement:
        walkLoop(node);
        return;
      case SK.ForOfStatement:
        if ((node as ts.ForOfStatement).awaitModifier && scope.fn === null) topLevelAwaits.push(pos(node));
        walkLoop(node);
        return;
      case SK.IfStatement: {
        const n = node as ts.IfStatement;
        walkBranch(n, n.expression, [n.thenStatement, n.elseStatement], true);
        return;
      }
      case SK.SwitchStatement: {
        const n = node as ts.SwitchStatement;
        walkBranch(n, n.expression, [n.caseBlock], true);
        return;
      }
      case SK.ConditionalExpression: {
        // A `?:` picks a value: a computation, but I/O in its arms runs only on one path.
        const n = node as ts.ConditionalExpression;
        walkBranch(n, n.condition, [n.whenTrue, n.whenFalse], false);
        return;
      }
      case SK.CallExpression:
        visitCall(node as ts.CallExpression);
        return;
      case SK.NewExpression: {
        markCall(node as ts.NewExpression);
        const before = calls.length;
        recordCall(node as ts.NewExpression, scope);
        if (calls.length > before && scope.fn !== null) {
          const s = scope;
          const savedCall = s.call;
          s.call = before;
          ts.forEachChild(node, visit);
          s.call = savedCall;
          return;
        }
        break;
      }
      case SK.AwaitExpression: {
        const n = node as ts.AwaitExpression;
        awaitedNodes.add(unwrap(n.expression));
        if (scope.fn === null) topLevelAwaits.push(pos(n));
        break;
      }
      case SK.VariableStatement:
        visitVariableStatement(node as ts.VariableStatement);
        return;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        visitClass(node as ts.ClassLikeDeclaration);
        return;
      case SK.BinaryExpression: {
        const n = node as ts.BinaryExpression;
        if (n.operatorToken.kind === SK.EqualsToken && visitCommonJsExport(n)) return;
        break;
      }
      case SK.CatchClause: {
        const block = (node as ts.CatchClause).block;
        const endLine = lineIndexOf(starts, block.end);
        catchBlocks.push({ fn: scope.fn, start: pos(block), end: { line: endLine + 1, column: block.end - (starts[endLine] ?? 0) + 1 } });
        break;
      }
      default:
        // Type annotations, type arguments and the like: nothing in them runs.
        if (kind >= SK.FirstTypeNode && kind <= SK.LastTypeNode) return;
    }
    ts.forEachChild(node, visit);
  };

  ts.forEachChild(sf, visit);

  // TypeScript (tsc, esbuild, swc) erases an import whose bindings are only used as types.
  const usedAsValue = (name: string): boolean => {
    if (moduleRefs.has(name)) return true;
    for (const refs of refSets.values()) if (refs.has(name)) return true;
    return false;
  };
  const erased = new Set(elidable.filter((e) => !e.names.some(usedAsValue)).map((e) => e.fact));
  const liveImports = erased.size === 0 ? imports : imports.filter((f) => !erased.has(f));

  for (const fn of functions) fn.refs = [...(refSets.get(fn.id) ?? [])];
  // Member names each function calls (`repo.find()`, `new X().process()`, `this.load()`): from the recorded
  // calls, which keep every method call that may run the service's own classes, and the `this` reads.
  const memberSets = thisReads;
  for (const c of calls) {
    if (c.fn === null || c.isNew || c.callee === c.name) continue;
    const set = memberSets.get(c.fn);
    if (set) set.add(c.name);
    else memberSets.set(c.fn, new Set([c.name]));
  }
  for (const [id, set] of memberSets) {
    const fn = functions[id];
    if (fn) fn.members = [...set];
  }

  return {
    file,
    // Same as countLines(text) (which counts \n only), from the line starts already computed.
    lines: text.length === 0 ? 0 : text.endsWith('\n') ? starts.length - 1 : starts.length,
    imports: liveImports,
    dynamicRequires,
    calls,
    functions,
    exports,
    topLevelAwaits,
    bindings,
    classes,
    instances,
    ...(injected !== undefined ? { injected } : {}),
    flow,
    dynamicCode,
    suppressions: text.indexOf(SUPPRESSION_MARKER) === -1 ? [] : suppressionsIn(text),
    catchBlocks,
  };
}

const SUPPRESSION_MARKER = 'lambda-migrate-disable-next-line';
const SUPPRESSION_LINE = /^\s*(?:\/\/|\/\*+)\s*lambda-migrate-disable-next-line\b(.*?)(?:\*\/\s*)?$/;

/**
 * Inline suppressions. Called only when the marker occurs in the text (one indexOf per file), so
 * files without one pay nothing; a marker counts only on a line that is a comment of its own.
 */
export function suppressionsIn(text: string): SuppressionFact[] {
  const out: SuppressionFact[] = [];
  let line = 1;
  let start = 0;
  for (let at = text.indexOf(SUPPRESSION_MARKER); at !== -1; at = text.indexOf(SUPPRESSION_MARKER, at + 1)) {
    for (let nl = text.indexOf('\n', start); nl !== -1 && nl < at; nl = text.indexOf('\n', start)) {
      line++;
      start = nl + 1;
    }
    const end = text.indexOf('\n', at);
    const m = SUPPRESSION_LINE.exec(text.slice(start, end === -1 ? text.length : end));
    if (!m) continue;
    const body = m[1] ?? '';
    const sep = body.indexOf('--');
    const ids = (sep === -1 ? body : body.slice(0, sep)).split(/[\s,]+/).filter(Boolean);
    const reason = sep === -1 ? '' : body.slice(sep + 2).trim();
    out.push({ line, rules: ids, reason: reason === '' ? null : reason });
  }
  return out;
}

/**
 * Start offsets of the lines, as TypeScript's `getLineStarts` computes them, for text whose only line
 * break is \n (null otherwise: TypeScript also breaks at \r, U+2028 and U+2029). TypeScript walks the
 * text a character at a time; `indexOf` is native and several times faster, and a scan needs the
 * starts of every file it parses.
 */
export function lineStartsOf(text: string): number[] | null {
  if (text.indexOf('\r') !== -1 || text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1) return null;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the line holding offset `at` (binary search, as TypeScript's computeLineOfPosition). */
function lineIndexOf(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/** `lodash/get` -> `lodash`, `@aws-sdk/client-s3/dist` -> `@aws-sdk/client-s3`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.slice(0, 2).join('/');
  return parts[0] ?? specifier;
}

export function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z]+:/i.test(normalizeBuiltin(specifier));
}
