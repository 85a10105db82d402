import { ioPackageOf, isCallbackClientMethod, isIoMethodOf, passesClientToCallback, type IoPackageEntry } from '../io-catalog.js';
import ts from '../../compiler/typescript.cjs';
import type { FileContext } from './context.js';
import type { FlowCollector } from './flow.js';
import { calleeText, isFunctionLike, lastName, rootIdentifier, skipParens, thisField } from './syntax.js';
import type { CallFact, DynamicCodeFact, ImportBinding } from './types.js';

/**
 * Calls and I/O: the calls a rule or analysis may need (I/O, constructors, calls on imported bindings, plain
 * function calls, service methods, everything at module scope), each classified as I/O or not from what its
 * receiver is bound to (an import, a derived variable, a `this.<field>`, an SDK callback's parameter); code built
 * at run time (`eval`, `new Function`). Other calls inside functions are computations, handed to the flow collector.
 */
export class CallCollector {
  readonly calls: CallFact[] = [];
  readonly dynamicCode: DynamicCodeFact[] = [];
  /** Calls inside the callee chain of an I/O call (`db.selectFrom('t')` in `db.selectFrom('t').execute()`). */
  private readonly chainInner = new Set<ts.Node>();
  /** Function expressions passed to an SDK method that hands them a client (`executeLambda`, `$transaction`). */
  private readonly ioCallbacks = new Map<ts.Node, ImportBinding>();
  /**
   * One catalog lookup per call on a bound receiver (this runs for every such call of every file), in a per-file
   * cache keyed by the bindings' own specifier strings: small, and their hashes already computed.
   */
  private readonly ioEntries = new Map<string, IoPackageEntry | null>();

  constructor(
    private readonly ctx: FileContext,
    private readonly flow: FlowCollector,
  ) {}

  /** What the receiver of a callee is bound to: a callback parameter, an import-derived name, or a `this.<field>`. */
  private receiverBinding(callee: ts.Node, root: string | null): ImportBinding | undefined {
    const scope = this.ctx.scope;
    if (root !== null) return scope.params?.get(root) ?? this.ctx.bindings[root];
    if (scope.fields === null) return undefined;
    const field = thisField(callee);
    return field !== null ? scope.fields.get(field) : undefined;
  }

  /** Function arguments of an SDK method that passes a client to its callback (`driver.executeLambda(async (txn) => ...)`). */
  callbacks(node: ts.CallExpression | ts.NewExpression): void {
    if (!node.arguments) return;
    const callee = skipParens(node.expression);
    const name = lastName(callee);
    if (!isCallbackClientMethod(name)) return;
    let receiver: ImportBinding | undefined | null = null;
    for (const a of node.arguments) {
      const arg = skipParens(a);
      if (!isFunctionLike(arg)) continue;
      receiver ??= this.receiverBinding(callee, rootIdentifier(callee));
      if (receiver && passesClientToCallback(receiver.specifier, name))
        this.ioCallbacks.set(arg, { specifier: receiver.specifier, imported: '*', derived: true });
    }
  }

  /** The parameters of a callback an SDK hands a client to, bound to that SDK (inheriting the outer ones); null for other functions. */
  callbackParams(node: ts.FunctionLikeDeclaration): Map<string, ImportBinding> | null {
    const b = this.ioCallbacks.get(node);
    if (!b) return null;
    const out = new Map(this.ctx.scope.params ?? []);
    const bindName = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) out.set(name.text, b);
      else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindName(el.name);
    };
    for (const p of node.parameters) bindName(p.name);
    return out;
  }

  /**
   * `this.load()` (a method of the enclosing class, or of its base), `new X().process()`, `repo.find()` on an
   * instance: may run the service's own methods, so kept as calls. Other `this.x()` calls (fields holding
   * functions, mixins) stay computations: keeping every one would cost the pass on class-heavy code.
   */
  private isServiceMethodCall(callee: ts.Node, root: string | null): boolean {
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const obj = callee.expression;
    if (obj.kind === ts.SyntaxKind.ThisKeyword) {
      const c = this.ctx.scope.cls;
      return c !== null && (c.open || c.methods.has(callee.name.text));
    }
    if (ts.isNewExpression(obj)) return true;
    return root !== null && ts.isIdentifier(obj) && root in this.ctx.instances;
  }

  private markChain(callee: ts.Node): void {
    for (let n: ts.Node = callee; ;) {
      n = skipParens(n);
      if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isNonNullExpression(n)) n = n.expression;
      else if (ts.isCallExpression(n)) {
        this.chainInner.add(n);
        n = n.expression;
      } else return;
    }
  }

  private entryOf(module: string): IoPackageEntry | null {
    const hit = this.ioEntries.get(module);
    if (hit !== undefined) return hit;
    const entry = ioPackageOf(module);
    this.ioEntries.set(module, entry);
    return entry;
  }

  /** Whether a call (not a `new`) is I/O, from its receiver's package and its method name. */
  private ioOf(node: ts.CallExpression, calleeNode: ts.Node, name: string, module: string | null): CallFact['io'] {
    const isMethod = ts.isPropertyAccessExpression(calleeNode);
    const entry = module !== null ? this.entryOf(module) : null;
    let io: CallFact['io'] = null;
    if (name === 'fetch' && ts.isIdentifier(calleeNode) && !this.ctx.bindings.fetch) io = 'http';
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
      const arg = node.arguments[0];
      if (arg && ts.isNewExpression(arg) && lastName(arg.expression).endsWith('Command')) io = 'aws-sdk-v3';
    }
    // In `db.selectFrom('t').where(...).execute()` the I/O is the outermost call; the inner ones build it.
    if (io !== null && this.chainInner.has(node)) io = null;
    if (io !== null) this.markChain(calleeNode);
    return io;
  }

  /** Records a call or `new` (or hands it to the flow as a computation). Returns whether it is I/O. */
  record(node: ts.CallExpression | ts.NewExpression): boolean {
    const scope = this.ctx.scope;
    const isNew = node.kind === ts.SyntaxKind.NewExpression;
    const calleeNode = skipParens(node.expression);
    const name = lastName(calleeNode);
    const root = rootIdentifier(calleeNode);
    const module = this.receiverBinding(calleeNode, root)?.specifier ?? null;
    const io = isNew ? null : this.ioOf(node as ts.CallExpression, calleeNode, name, module);
    // Most calls are method calls on local values (`items.map`, `Math.max`): no rule needs them,
    // and skipping them keeps the facts small. Kept: I/O, constructors, calls on imported
    // bindings, plain function calls (local helpers may do I/O), and everything at module scope.
    if (
      io === null &&
      !isNew &&
      module === null &&
      scope.fn !== null &&
      !ts.isIdentifier(calleeNode) &&
      !this.isServiceMethodCall(calleeNode, root)
    ) {
      this.flow.compute(node, name);
      return false;
    }
    if (ts.isIdentifier(calleeNode) && ((name === 'eval' && !isNew) || name === 'Function') && !this.ctx.bindings[name]) {
      this.dynamicCode.push(this.ctx.placed({ what: name === 'eval' ? 'eval' : 'new Function', fn: scope.fn, line: 0, column: 0 }, node));
    }
    const callee = (isNew ? 'new ' : '') + calleeText(calleeNode);
    const argNode = node.arguments?.[0];
    const argNew = argNode && ts.isNewExpression(argNode) ? lastName(argNode.expression) : null;
    this.calls.push(
      this.ctx.placed(
        {
          callee,
          name,
          fn: scope.fn,
          awaited: this.ctx.awaited.has(node),
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
        },
        node,
      ),
    );
    this.flow.callRecorded();
    return io !== null;
  }
}
