import ts from '../../compiler/typescript.cjs';
import type { FileContext } from './context.js';
import { isFunctionLike, lastName, skipParens, stringLiteralValue } from './syntax.js';
import type { FunctionFact } from './types.js';

/**
 * Functions: one fact per function-like node in walk order (its id is its index), with the name the declaration or
 * assignment gives it, the function it is written in, the identifiers its body references, and what it is passed
 * to (`items.map(fn)`, `router.get('/x', fn)`; at module scope a registration that runs it per request).
 */

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

export class FunctionCollector {
  readonly functions: FunctionFact[] = [];
  /** Function id -> refs set while walking. */
  private readonly refSets = new Map<number, Set<string>>();
  /** Functions written as `(function () {...})()`: they run where they stand, not later. */
  private readonly iife = new Set<ts.Node>();
  /** Function expressions passed as arguments of a call at module scope. */
  private readonly registeredArgs = new Set<ts.Node>();
  /** Function expressions passed as an argument: the last name of the callee. */
  private readonly callbackOf = new Map<ts.Node, string>();
  /** Route handlers registered at module scope: `GET /orders/:id`. */
  private readonly routes = new Map<ts.Node, string>();

  constructor(private readonly ctx: FileContext) {}

  /**
   * A call's function arguments (and an IIFE's callee): what runs them, and at module scope the route they serve.
   * Returns whether the call has a function argument.
   */
  call(node: ts.CallExpression | ts.NewExpression): boolean {
    const callee = skipParens(node.expression);
    if (node.kind === ts.SyntaxKind.CallExpression && isFunctionLike(callee)) this.iife.add(callee);
    if (!node.arguments) return false;
    const atModule = this.ctx.scope.fn === null;
    let route: string | null = null;
    let any = false;
    for (const a of node.arguments) {
      const arg = skipParens(a);
      if (!isFunctionLike(arg)) continue;
      any = true;
      const name = lastName(callee);
      this.callbackOf.set(arg, name);
      if (atModule) {
        this.registeredArgs.add(arg);
        if (route === null && HTTP_VERBS.has(name) && ts.isPropertyAccessExpression(callee)) {
          const path = stringLiteralValue(node.arguments[0]);
          route = path !== null ? `${name === 'del' ? 'DELETE' : name.toUpperCase()} ${path}` : '';
        }
        if (route) this.routes.set(arg, route);
      }
    }
    return any;
  }

  /** Whether a function runs where it stands (an IIFE): its body stays in the enclosing scope. */
  isIife(node: ts.Node): boolean {
    return this.iife.has(node);
  }

  /** Records a function the walk enters; its body's identifiers go to the returned set. */
  enter(node: ts.FunctionLikeDeclaration): { fact: FunctionFact; refs: Set<string> } {
    const ctx = this.ctx;
    const scope = ctx.scope;
    const id = this.functions.length;
    ctx.fnIds.set(node, id);
    const name = node.name && ts.isIdentifier(node.name) ? node.name.text : (ctx.names.get(node) ?? null);
    const fact: FunctionFact = ctx.placed(
      {
        id,
        name,
        parent: scope.fn,
        refs: [],
        registeredAtInit: this.registeredArgs.has(node),
        argOf: this.callbackOf.get(node) ?? null,
        route: this.routes.get(node) ?? null,
        loop: scope.fn === null ? null : scope.loop,
        line: 0,
        column: 0,
      },
      node,
    );
    this.functions.push(fact);
    const refs = new Set<string>();
    this.refSets.set(id, refs);
    return { fact, refs };
  }

  /** `const f = () => ...`, `const C = class {}`: the declaration names the function or class. */
  nameDeclaration(decl: ts.VariableDeclaration, init: ts.Node): void {
    if (ts.isIdentifier(decl.name) && (isFunctionLike(init) || ts.isClassExpression(init))) this.ctx.names.set(init, decl.name.text);
  }

  /** `{ handler: async () => ... }`: the property names the function or class. */
  nameProperty(node: ts.PropertyAssignment): void {
    const init = skipParens(node.initializer);
    if ((isFunctionLike(init) || ts.isClassExpression(init)) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)))
      this.ctx.names.set(init, node.name.text);
  }

  /** `exports.f = function () {}`, `module.exports = class {}`, `f = () => ...`: the assignment names it. */
  nameAssignment(node: ts.BinaryExpression, target: string | null): void {
    const right = skipParens(node.right);
    if (isFunctionLike(right) || (ts.isClassExpression(right) && !right.name)) {
      if (target !== null && target !== '=') this.ctx.names.set(right, target);
      else if (target === '=' && ts.isClassExpression(right)) this.ctx.names.set(right, 'default');
      else if (ts.isIdentifier(node.left)) this.ctx.names.set(right, node.left.text);
    }
  }

  /** `module.exports = { handler() {}, run: async () => {} }`: each property names its function. */
  nameExportedObject(right: ts.Node): void {
    if (!ts.isObjectLiteralExpression(right)) return;
    for (const prop of right.properties) {
      if (!ts.isPropertyAssignment(prop)) continue;
      const initializer = skipParens(prop.initializer);
      if (isFunctionLike(initializer) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)))
        this.ctx.names.set(initializer, prop.name.text);
    }
  }

  /** Whether `name` is referenced as a value anywhere in the file (module scope or a function body). */
  usedAsValue(name: string): boolean {
    if (this.ctx.moduleRefs.has(name)) return true;
    for (const refs of this.refSets.values()) if (refs.has(name)) return true;
    return false;
  }

  /** Hands each function the identifiers its body referenced. */
  finish(): void {
    for (const fn of this.functions) fn.refs = [...(this.refSets.get(fn.id) ?? [])];
  }
}
