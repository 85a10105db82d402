import { isTypeScriptKind, scriptKindFor } from '../../compiler/parse.js';
import ts from '../../compiler/typescript.cjs';
import { CallCollector } from './calls.js';
import { ClassCollector } from './classes.js';
import { FileContext, type Scope } from './context.js';
import { FlowCollector } from './flow.js';
import { FunctionCollector } from './functions.js';
import { lineStartsOf } from './lines.js';
import { ModuleCollector } from './modules.js';
import { suppressionsOf } from './suppressions.js';
import { commonJsExportTarget, hasDefaultModifier, hasExportModifier, skipParens, unwrap } from './syntax.js';
import type { FileFacts } from './types.js';

const SK = ts.SyntaxKind;

/**
 * The driver of the fact pass: ONE walk over each file's raw compiler nodes (ts.forEachChild), which owns the
 * traversal (which children, in which order, under which scope) and hands each node to the collectors of the
 * concerns it matters to (modules.ts, calls.ts, functions.ts, flow.ts, classes.ts), which keep only the facts the
 * graph and the rules need and drop the AST. ts-morph's wrapped nodes cost 2-3x in time and memory, so they are
 * not used here; no Program and no type checker either. The collectors are called directly, not through a list
 * of hooks per node: the walk visits every node of every file, and a direct call is what V8 inlines.
 */
class FactWalk {
  readonly modules: ModuleCollector;
  readonly calls: CallCollector;
  readonly functions: FunctionCollector;
  readonly flow: FlowCollector;
  readonly classes: ClassCollector;

  constructor(
    readonly ctx: FileContext,
    isTs: boolean,
  ) {
    this.modules = new ModuleCollector(ctx, isTs);
    this.flow = new FlowCollector(ctx);
    this.calls = new CallCollector(ctx, this.flow);
    this.functions = new FunctionCollector(ctx);
    this.classes = new ClassCollector(ctx);
  }

  readonly visit = (node: ts.Node): void => {
    const ctx = this.ctx;
    const kind = node.kind;
    switch (kind) {
      case SK.Identifier:
        ctx.scope.refs.add((node as ts.Identifier).text);
        return;
      case SK.PropertyAccessExpression: {
        const n = node as ts.PropertyAccessExpression;
        // `this.handle` passed on (`.then(this.handle)`) may run that method.
        if (n.expression.kind === SK.ThisKeyword) this.classes.thisRead(n.name.text);
        this.visit(n.expression);
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
        this.modules.importDeclaration(node as ts.ImportDeclaration);
        return;
      case SK.ExportDeclaration:
        this.modules.exportDeclaration(node as ts.ExportDeclaration);
        return;
      case SK.ImportEqualsDeclaration:
        this.modules.importEquals(node as ts.ImportEqualsDeclaration, hasExportModifier(node));
        return;
      case SK.ExportAssignment:
        // Walk first so a function expression has its id before the export refers to it.
        this.walkChildren(node);
        this.modules.exportExpression('default', (node as ts.ExportAssignment).expression, node);
        return;
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.ArrowFunction:
      case SK.MethodDeclaration:
      case SK.Constructor:
      case SK.GetAccessor:
      case SK.SetAccessor:
        this.visitFunction(node as ts.FunctionLikeDeclaration);
        return;
      case SK.PropertyAssignment:
        this.functions.nameProperty(node as ts.PropertyAssignment);
        break;
      case SK.ForStatement:
      case SK.ForInStatement:
      case SK.WhileStatement:
      case SK.DoStatement:
        this.walkLoop(node);
        return;
      case SK.ForOfStatement:
        if ((node as ts.ForOfStatement).awaitModifier) this.flow.await(node);
        this.walkLoop(node);
        return;
      case SK.IfStatement: {
        const n = node as ts.IfStatement;
        this.walkBranch(n, n.expression, n.thenStatement, n.elseStatement, true);
        return;
      }
      case SK.SwitchStatement: {
        const n = node as ts.SwitchStatement;
        this.walkBranch(n, n.expression, n.caseBlock, undefined, true);
        return;
      }
      case SK.ConditionalExpression: {
        // A `?:` picks a value: a computation, but I/O in its arms runs only on one path.
        const n = node as ts.ConditionalExpression;
        this.walkBranch(n, n.condition, n.whenTrue, n.whenFalse, false);
        return;
      }
      case SK.CallExpression:
        this.visitCall(node as ts.CallExpression);
        return;
      case SK.NewExpression:
        this.visitNew(node as ts.NewExpression);
        return;
      case SK.AwaitExpression:
        ctx.awaited.add(unwrap((node as ts.AwaitExpression).expression));
        this.flow.await(node);
        break;
      case SK.VariableStatement:
        this.visitVariableStatement(node as ts.VariableStatement);
        return;
      case SK.ClassDeclaration:
      case SK.ClassExpression:
        this.visitClass(node as ts.ClassLikeDeclaration);
        return;
      case SK.BinaryExpression: {
        const n = node as ts.BinaryExpression;
        if (n.operatorToken.kind === SK.EqualsToken && this.visitAssignment(n)) return;
        break;
      }
      case SK.CatchClause:
        this.flow.catchClause(node as ts.CatchClause);
        break;
      default:
        // Tokens (keywords, operators, literals) have no children; type annotations, type arguments and the
        // like: nothing in them runs.
        if (kind <= SK.LastToken || (kind >= SK.FirstTypeNode && kind <= SK.LastTypeNode)) return;
    }
    this.walkChildren(node);
  };

  /**
   * `ts.forEachChild` in the compiler's order, with the lists of children walked by an indexed loop here (the
   * compiler's own loop over a list goes through the array iterator, once per list of every node).
   */
  walkChildren(node: ts.Node): void {
    ts.forEachChild(node, this.visit, this.visitList);
  }

  private readonly visitList = (nodes: ts.NodeArray<ts.Node>): void => {
    for (let i = 0; i < nodes.length; i++) this.visit(nodes[i] as ts.Node);
  };

  /** Walks `node`'s children (or `node` itself) under `inner`, then restores the current scope. */
  private walkIn(node: ts.Node, inner: Scope, children: boolean): void {
    const saved = this.ctx.scope;
    this.ctx.scope = inner;
    if (children) this.walkChildren(node);
    else this.visit(node);
    this.ctx.scope = saved;
  }

  /** Enters a loop: one flow step, then the body with the loop as the innermost one. */
  private walkLoop(node: ts.Node): void {
    const scope = this.ctx.scope;
    const loop = this.flow.loop(node);
    this.walkIn(node, { ...scope, loopDepth: scope.loopDepth + 1, loop }, true);
  }

  /** A branch point: the condition in the current scope, the arms as branch bodies. */
  private walkBranch(node: ts.Node, condition: ts.Node, arm: ts.Node, other: ts.Node | undefined, step: boolean): void {
    if (step) this.flow.branch(node);
    this.visit(condition);
    const scope = this.ctx.scope;
    const saved = scope.inBranch;
    scope.inBranch = true;
    this.visit(arm);
    if (other) this.visit(other);
    scope.inBranch = saved;
  }

  private visitFunction(node: ts.FunctionLikeDeclaration): void {
    const { fact, refs } = this.functions.enter(node);
    this.classes.function(node, fact);
    if (node.kind === SK.FunctionDeclaration && hasExportModifier(node)) {
      this.modules.exportFunction(hasDefaultModifier(node) ? 'default' : (fact.name ?? 'default'), fact.id, node);
    }
    if (!node.body) return;
    // An IIFE at module scope runs at init: keep its body in the enclosing scope for I/O and
    // import classification, but still record it as a function for reachability.
    const scope = this.ctx.scope;
    const inner: Scope = this.functions.isIife(node)
      ? scope
      : {
          fn: fact.id,
          loopDepth: 0,
          refs,
          loop: null,
          inBranch: false,
          ioArgs: false,
          call: null,
          fields: scope.fields,
          params: this.calls.callbackParams(node) ?? scope.params,
          cls: scope.cls,
        };
    for (const p of node.parameters) this.walkIn(p, inner, false);
    this.walkIn(node.body, inner, false);
  }

  private visitCall(node: ts.CallExpression): void {
    if (this.functions.call(node)) this.calls.callbacks(node);
    // `this.repo.record()`: a method of whatever class the field holds may run (the call itself is not kept).
    const callee = node.expression;
    if (
      ts.isPropertyAccessExpression(callee) &&
      ts.isPropertyAccessExpression(callee.expression) &&
      callee.expression.expression.kind === SK.ThisKeyword
    ) {
      this.classes.thisRead(callee.name.text);
    }
    if (!this.modules.loadCall(node)) {
      const scope = this.ctx.scope;
      const before = this.calls.calls.length;
      const io = this.calls.record(node);
      if (this.calls.calls.length > before && scope.fn !== null) {
        // Later passes (cross-file I/O) may find this call is I/O: keep which calls its arguments hold.
        const savedIo = scope.ioArgs;
        const savedCall = scope.call;
        scope.ioArgs = savedIo || io;
        scope.call = before;
        this.walkChildren(node);
        scope.ioArgs = savedIo;
        scope.call = savedCall;
        return;
      }
    }
    this.walkChildren(node);
  }

  private visitNew(node: ts.NewExpression): void {
    if (this.functions.call(node)) this.calls.callbacks(node);
    const scope = this.ctx.scope;
    const before = this.calls.calls.length;
    this.calls.record(node);
    if (this.calls.calls.length > before && scope.fn !== null) {
      const savedCall = scope.call;
      scope.call = before;
      this.walkChildren(node);
      scope.call = savedCall;
      return;
    }
    this.walkChildren(node);
  }

  /** Each declaration's initializer (never its name or type), between what the declaration binds before and after. */
  private visitVariableStatement(node: ts.VariableStatement): void {
    const exported = hasExportModifier(node);
    for (const decl of node.declarationList.declarations) {
      const initializer = decl.initializer;
      if (!initializer) {
        if (exported && ts.isIdentifier(decl.name)) this.modules.exportName(decl.name.text, decl);
        continue;
      }
      const init = skipParens(initializer);
      this.functions.nameDeclaration(decl, init);
      this.classes.declaration(decl, init);
      const required = this.modules.requireDeclaration(decl, init);
      this.visit(initializer);
      this.modules.declared(decl, initializer, required, exported);
    }
  }

  /**
   * `x = ...`: names a function or class on the right, and at module scope `exports.x = ...` and `module.exports = ...`
   * are exports (their left side is not walked). Returns false when the node is to be walked as any other.
   */
  private visitAssignment(node: ts.BinaryExpression): boolean {
    const target = commonJsExportTarget(node.left);
    this.functions.nameAssignment(node, target);
    this.classes.assignment(node, target);
    if (target === null || this.ctx.scope.fn !== null) return false;
    this.functions.nameExportedObject(skipParens(node.right));
    this.visit(node.right);
    this.modules.commonJsExport(target, node);
    return true;
  }

  /** A class: its members are recorded with their functions; fields bound to packages give `this.x.m()` its package. */
  private visitClass(node: ts.ClassLikeDeclaration): void {
    const exported = node.kind === SK.ClassDeclaration && hasExportModifier(node);
    const isDefault = exported && hasDefaultModifier(node);
    const { fact, fields, cls } = this.classes.enter(node, exported, isDefault);
    if (exported) this.modules.exportClass(isDefault ? 'default' : (fact.name ?? 'default'), fact.name, node);
    const scope = this.ctx.scope;
    const savedFields = scope.fields;
    const savedCls = scope.cls;
    scope.fields = fields;
    scope.cls = cls;
    this.walkChildren(node);
    scope.fields = savedFields;
    scope.cls = savedCls;
  }

  finish(file: string, text: string): FileFacts {
    const { ctx, modules, calls, functions, flow, classes } = this;
    const imports = modules.liveImports((name) => functions.usedAsValue(name));
    functions.finish();
    classes.finish(functions.functions, calls.calls);
    const starts = ctx.starts;
    return {
      file,
      // Same as countLines(text) (which counts \n only), from the line starts already computed.
      lines: text.length === 0 ? 0 : text.endsWith('\n') ? starts.length - 1 : starts.length,
      imports,
      dynamicRequires: modules.dynamicRequires,
      calls: calls.calls,
      functions: functions.functions,
      exports: modules.exports,
      topLevelAwaits: flow.topLevelAwaits,
      bindings: ctx.bindings,
      classes: classes.classes,
      instances: ctx.instances,
      ...(classes.injected !== undefined ? { injected: classes.injected } : {}),
      flow: flow.flow,
      dynamicCode: calls.dynamicCode,
      suppressions: suppressionsOf(text),
      catchBlocks: flow.catchBlocks,
    };
  }
}

/** The one walk over a file that parsed without errors (separate from the parse, so the walk can be timed on its own). */
export function factsOf(file: string, text: string, sf: ts.SourceFile): FileFacts {
  const walk = new FactWalk(new FileContext(sf, lineStartsOf(text) ?? sf.getLineStarts()), isTypeScriptKind(scriptKindFor(file)));
  walk.walkChildren(sf);
  return walk.finish(file, text);
}
