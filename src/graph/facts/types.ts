import type { IoKind } from '../io-catalog.js';
import type { ParseError } from '../../compiler/parse.js';

/**
 * The facts the fact pass keeps of one source file. Plain data only (strings, numbers, booleans, null, arrays and
 * objects, no functions, class instances or compiler nodes), so a fact cache can write it with `v8.serialize` and a
 * worker thread can post it. The three name-keyed records (`bindings`, `instances`, `injected`) are built without a
 * prototype, so a local named `constructor` or `toString` is not found in them by accident; a structured clone gives
 * them `Object.prototype` back, which `reviveFacts` undoes.
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

export type { ParseError };

export type FactsOutcome = { ok: true; facts: FileFacts } | { ok: false; error: ParseError };
