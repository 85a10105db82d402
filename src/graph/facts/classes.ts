import { ioKindOfModule } from '../io-catalog.js';
import ts from '../../compiler/typescript.cjs';
import type { FileContext, Scope } from './context.js';
import { injectedClasses, isFunctionLike, rootIdentifier, rootOfEntity, skipParens } from './syntax.js';
import type { CallFact, ClassFact, FunctionFact, ImportBinding } from './types.js';

/**
 * Classes and members: each class with its methods and init-time members (by function id), the fields bound to a
 * package (so `this.ddb.send()` knows its client), variables holding an instance and the classes injected into it,
 * and the member names each function may call (`repo.find()`, `this.load()`), which decide which methods run.
 */
export class ClassCollector {
  readonly classes: ClassFact[] = [];
  injected: Record<string, string[]> | undefined;
  /** Class members (and arrow-function properties) by node: the class they belong to. */
  private readonly memberOf = new Map<ts.Node, { cls: ClassFact; init: boolean }>();
  /** Function id -> names it reads from `this` (`this.helper()`, `this.ddb.send()`, `.then(this.handle)`). */
  private readonly thisReads = new Map<number, Set<string>>();

  constructor(private readonly ctx: FileContext) {}

  /**
   * Records a class and its members; returns the scope fields its body is walked with (the class's own method
   * names, and its fields bound to packages on top of the enclosing ones).
   */
  enter(
    node: ts.ClassLikeDeclaration,
    exported: boolean,
    isDefault: boolean,
  ): { fact: ClassFact; fields: Scope['fields']; cls: NonNullable<Scope['cls']> } {
    const ctx = this.ctx;
    const name = node.name?.text ?? ctx.names.get(node) ?? (exported && isDefault ? 'default' : null);
    const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const cls: ClassFact = ctx.placed(
      { name, extends: heritage ? rootIdentifier(heritage.expression) : null, methods: [], init: [], line: 0, column: 0 },
      node,
    );
    this.classes.push(cls);
    const fields = new FieldBinder(ctx);
    const methods = new Set<string>();
    for (const m of node.members) {
      if (ts.isPropertyDeclaration(m) && (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name))) {
        methods.add(m.name.text);
        const init = m.initializer ? skipParens(m.initializer) : undefined;
        if (init && isFunctionLike(init)) {
          ctx.names.set(init, m.name.text);
          this.memberOf.set(init, { cls, init: false });
        } else fields.bind(m.name.text, init, m.type);
      } else if (ts.isConstructorDeclaration(m)) {
        this.memberOf.set(m, { cls, init: true });
        ctx.names.set(m, 'constructor');
        fields.constructorFields(m);
      } else if (ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
        this.memberOf.set(m, { cls, init: true });
      } else if (ts.isMethodDeclaration(m)) {
        this.memberOf.set(m, { cls, init: false });
        if (ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name)) methods.add(m.name.text);
      }
    }
    return { fact: cls, fields: fields.fields, cls: { methods, open: cls.extends !== null } };
  }

  /** A function the walk entered: a member of a class is reached as `x.name()`, never by a bare name. */
  function(node: ts.Node, fact: FunctionFact): void {
    const owner = this.memberOf.get(node);
    if (!owner) return;
    fact.member = true;
    (owner.init ? owner.cls.init : owner.cls.methods).push(fact.id);
  }

  /** `this.x` read inside a function: `.then(this.handle)` may run that method, `this.repo.find()` a method of the field. */
  thisRead(name: string): void {
    const fn = this.ctx.scope.fn;
    if (fn === null) return;
    const reads = this.thisReads.get(fn);
    if (reads) reads.add(name);
    else this.thisReads.set(fn, new Set([name]));
  }

  /**
   * `const repo = new OrdersRepo(client)` (at init or in the handler): `repo.find()` runs OrdersRepo's method.
   * File-wide like `bindings`: the first declaration of a name wins.
   */
  declaration(decl: ts.VariableDeclaration, init: ts.Node): void {
    const instances = this.ctx.instances;
    const made = ts.isAwaitExpression(init) ? skipParens(init.expression) : init;
    if (ts.isNewExpression(made) && ts.isIdentifier(made.expression) && ts.isIdentifier(decl.name) && !(decl.name.text in instances)) {
      instances[decl.name.text] = made.expression.text;
      const inner = injectedClasses(made);
      if (inner.length > 0) (this.injected ??= Object.create(null) as Record<string, string[]>)[decl.name.text] = inner;
    }
  }

  /** `module.exports = new Handler()`, `exports.x = new X()` at module scope: the export is an instance. */
  assignment(node: ts.BinaryExpression, target: string | null): void {
    const right = skipParens(node.right);
    if (this.ctx.scope.fn === null && target !== null && ts.isNewExpression(right) && ts.isIdentifier(right.expression)) {
      this.ctx.instances[target === '=' ? 'default' : target] = right.expression.text;
    }
  }

  /**
   * Member names each function calls (`repo.find()`, `new X().process()`, `this.load()`): from the recorded calls,
   * which keep every method call that may run the service's own classes, and the `this` reads.
   */
  finish(functions: readonly FunctionFact[], calls: readonly CallFact[]): void {
    const memberSets = this.thisReads;
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
  }
}

/** A class's fields bound to a package, from initialisers, constructor assignments and parameter types. */
class FieldBinder {
  fields: Scope['fields'];
  private own = false;

  constructor(private readonly ctx: FileContext) {
    this.fields = ctx.scope.fields;
  }

  bind(field: string, expr: ts.Node | undefined, type: ts.TypeNode | undefined): void {
    const { bindings, typeBindings, scope } = this.ctx;
    const root = expr ? rootIdentifier(expr) : null;
    const b: ImportBinding | undefined = root !== null ? (scope.params?.get(root) ?? bindings[root]) : undefined;
    const typeRoot = type && ts.isTypeReferenceNode(type) ? rootOfEntity(type.typeName) : null;
    const specifier = b?.specifier ?? (typeRoot !== null ? (bindings[typeRoot]?.specifier ?? typeBindings[typeRoot]) : undefined);
    if (specifier === undefined || ioKindOfModule(specifier) === null) return;
    if (!this.own) {
      this.fields = new Map(this.fields ?? []);
      this.own = true;
    }
    this.fields?.set(field, { specifier, imported: '*', derived: true });
  }

  /** Parameter properties (`constructor(private ddb: DynamoDBDocumentClient)`) and `this.x = ...` in the constructor body. */
  constructorFields(m: ts.ConstructorDeclaration): void {
    const paramTypes = new Map<string, ts.TypeNode | undefined>();
    for (const p of m.parameters) {
      if (!ts.isIdentifier(p.name)) continue;
      paramTypes.set(p.name.text, p.type);
      if (ts.canHaveModifiers(p) && (ts.getModifiers(p)?.length ?? 0) > 0) this.bind(p.name.text, undefined, p.type);
    }
    for (const st of m.body?.statements ?? []) {
      if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
        continue;
      const left = st.expression.left;
      if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
      const right = skipParens(st.expression.right);
      this.bind(left.name.text, right, ts.isIdentifier(right) ? paramTypes.get(right.text) : undefined);
    }
  }
}
