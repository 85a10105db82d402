import { ioKindOfModule, isClientFactory } from '../io-catalog.js';
import ts from '../../compiler/typescript.cjs';
import type { FileContext } from './context.js';
import { calleeText, isFunctionLike, isRequireCall, lastName, rootIdentifier, skipParens, stringLiteralValue } from './syntax.js';
import type { DynamicRequireFact, ExportFact, ImportFact } from './types.js';

/**
 * Imports and exports: the module edges (`import`, `require`, `import()`, re-exports), the local names they bind
 * (and variables derived from those), and what the file exports. A TypeScript import whose bindings are only used
 * as types is dropped at the end, as tsc, esbuild and swc erase it.
 */

/** Awaited calls of an I/O package that hand back a client (`await pool.connect()`), not data. */
const CONNECT_METHODS: ReadonlySet<string> = new Set([
  'connect',
  'getConnection',
  'createConnection',
  'createPool',
  'startSession',
  'acquire',
  'session',
]);

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

/** Collects value identifiers in an expression without entering nested functions. */
function refsOf(expr: ts.Node, members?: Set<string>): string[] {
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
}

export class ModuleCollector {
  readonly imports: ImportFact[] = [];
  readonly dynamicRequires: DynamicRequireFact[] = [];
  readonly exports: ExportFact[] = [];
  /** Import declarations whose edge depends on whether their bindings are used as values. */
  private readonly elidable: { fact: ImportFact; names: string[] }[] = [];

  constructor(
    private readonly ctx: FileContext,
    /** TypeScript syntax: imports used only as types are erased. */
    private readonly isTs: boolean,
  ) {}

  private bind(local: string, specifier: string, imported: string): void {
    this.ctx.bindings[local] = { specifier, imported };
  }

  private bindPattern(name: ts.BindingName, specifier: string): void {
    if (ts.isIdentifier(name)) {
      this.bind(name.text, specifier, '*');
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        const importedName =
          el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : '*';
        if (ts.isIdentifier(el.name)) this.bind(el.name.text, specifier, importedName);
      }
    }
  }

  importDeclaration(node: ts.ImportDeclaration): void {
    const specifier = stringLiteralValue(node.moduleSpecifier);
    if (specifier === null) return;
    const clause = node.importClause;
    if (!clause) {
      this.imports.push(this.ctx.placed({ specifier, kind: 'side-effect', init: true, line: 0, column: 0 }, node));
      return;
    }
    const fact: ImportFact = this.ctx.placed({ specifier, kind: 'import', init: true, line: 0, column: 0 }, node);
    if (clause.isTypeOnly) {
      if (clause.namedBindings && ts.isNamedImports(clause.namedBindings))
        for (const el of clause.namedBindings.elements) this.ctx.typeBindings[el.name.text] = specifier;
      return;
    }
    const valueNames: string[] = [];
    if (clause.name) {
      valueNames.push(clause.name.text);
      this.bind(clause.name.text, specifier, 'default');
    }
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) {
      valueNames.push(nb.name.text);
      this.bind(nb.name.text, specifier, '*');
    } else if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        valueNames.push(el.name.text);
        this.bind(el.name.text, specifier, el.propertyName ? el.propertyName.text : el.name.text);
      }
      // `import {} from 'x'` still loads x in every emitter.
      if (nb.elements.length === 0 && !clause.name) {
        this.imports.push({ ...fact, kind: 'side-effect' });
        return;
      }
    }
    if (valueNames.length === 0) return; // only `type` specifiers: erased
    this.imports.push(fact);
    if (this.isTs) this.elidable.push({ fact, names: valueNames });
  }

  exportDeclaration(node: ts.ExportDeclaration): void {
    const specifier = stringLiteralValue(node.moduleSpecifier);
    if (node.isTypeOnly) return;
    const clause = node.exportClause;
    if (specifier !== null) {
      if (clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)) return;
      this.imports.push(this.ctx.placed({ specifier, kind: 're-export', init: true, line: 0, column: 0 }, node));
      if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) this.exports.push(this.ctx.placed({ name: el.name.text, fn: null, refs: [], line: 0, column: 0 }, el));
      }
      return;
    }
    if (clause && ts.isNamedExports(clause)) {
      for (const el of clause.elements) {
        if (el.isTypeOnly) continue;
        const local = el.propertyName ? el.propertyName.text : el.name.text;
        this.exports.push(this.ctx.placed({ name: el.name.text, fn: null, refs: [local], line: 0, column: 0 }, el));
      }
    }
  }

  /** `import fs = require('fs')`, `export import x = require('x')`. */
  importEquals(node: ts.ImportEqualsDeclaration, exported: boolean): void {
    if (!node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
      const specifier = stringLiteralValue(node.moduleReference.expression);
      if (specifier !== null) {
        this.imports.push(this.ctx.placed({ specifier, kind: 'import-equals', init: this.ctx.scope.fn === null, line: 0, column: 0 }, node));
        this.bind(node.name.text, specifier, '*');
      }
    }
    if (exported) this.exportName(node.name.text, node);
  }

  /** `import(...)` and `require(...)`: an edge, or a dynamic one when the specifier is not a literal. Returns false for other calls. */
  loadCall(node: ts.CallExpression): boolean {
    let kind: ImportFact['kind'];
    if (node.expression.kind === ts.SyntaxKind.ImportKeyword) kind = 'dynamic-import';
    else if (isRequireCall(node)) kind = 'require';
    else return false;
    const init = this.ctx.scope.fn === null;
    const arg = node.arguments[0];
    const specifier = stringLiteralValue(arg);
    if (specifier !== null) this.imports.push(this.ctx.placed({ specifier, kind, init, line: 0, column: 0 }, node));
    else this.dynamicRequires.push(this.ctx.placed({ expression: arg ? arg.getText(this.ctx.sf).slice(0, 80) : '', init, line: 0, column: 0 }, node));
    return true;
  }

  /** An export of a name with nothing to follow (`export let x;`, `export import x = ...`). */
  exportName(name: string, at: ts.Node): void {
    this.exports.push(this.ctx.placed({ name, fn: null, refs: [], line: 0, column: 0 }, at));
  }

  /** `export function f`, `export default function`. */
  exportFunction(name: string, fn: number, at: ts.Node): void {
    this.exports.push(this.ctx.placed({ name, fn, refs: [], line: 0, column: 0 }, at));
  }

  /** `export class C`, `export default class`: the class name is what the export refers to. */
  exportClass(name: string, className: string | null, at: ts.Node): void {
    this.exports.push(this.ctx.placed({ name, fn: null, refs: className !== null ? [className] : [], line: 0, column: 0 }, at));
  }

  /** An export whose value is an expression (walked already, so a function in it has its id). */
  exportExpression(name: string, expr: ts.Expression, at: ts.Node): void {
    const inner = skipParens(expr);
    const fn = isFunctionLike(inner) ? (this.ctx.fnIds.get(inner) ?? null) : null;
    const cls = ts.isClassExpression(inner) ? (inner.name?.text ?? this.ctx.names.get(inner) ?? null) : null;
    const members = new Set<string>();
    const fact: ExportFact = this.ctx.placed(
      { name, fn, refs: cls !== null ? [cls] : fn === null ? refsOf(inner, members) : [], line: 0, column: 0 },
      at,
    );
    if (members.size > 0) fact.members = [...members];
    this.exports.push(fact);
  }

  /**
   * Before a variable's initializer is walked: `const x = require('x')`, `const { a } = require('x')`,
   * `const Foo = require('x').Foo` bind their names. Returns whether the initializer is such a require.
   */
  requireDeclaration(decl: ts.VariableDeclaration, init: ts.Node): boolean {
    if (ts.isCallExpression(init) && isRequireCall(init)) {
      const specifier = stringLiteralValue(init.arguments[0]);
      if (specifier !== null) this.bindPattern(decl.name, specifier);
      return true;
    }
    if (ts.isPropertyAccessExpression(init) && ts.isCallExpression(init.expression) && isRequireCall(init.expression)) {
      const specifier = stringLiteralValue(init.expression.arguments[0]);
      if (specifier !== null && ts.isIdentifier(decl.name)) this.bind(decl.name.text, specifier, init.name.text);
      return true;
    }
    return false;
  }

  /** After a variable's initializer is walked: a name derived from an import, and the export of an exported one. */
  declared(decl: ts.VariableDeclaration, initializer: ts.Expression, required: boolean, exported: boolean): void {
    if (!required) this.bindDerived(decl.name, initializer);
    if (exported && ts.isIdentifier(decl.name)) this.exportExpression(decl.name.text, initializer, decl);
  }

  /** Binds `const x = <expr rooted at an import>` so `x.send()` knows its package. */
  private bindDerived(name: ts.BindingName, init: ts.Expression): void {
    const bindings = this.ctx.bindings;
    const root = rootIdentifier(init);
    if (root === null) return;
    const b = bindings[root];
    if (!b) return;
    if (isAwaitedResult(init, b.specifier)) return;
    if (ts.isIdentifier(name)) {
      if (!(name.text in bindings)) bindings[name.text] = { specifier: b.specifier, imported: '*', derived: true };
    } else {
      this.bindPattern(name, b.specifier);
      for (const el of ts.isObjectBindingPattern(name) ? name.elements : []) {
        const local = ts.isIdentifier(el.name) ? bindings[el.name.text] : undefined;
        if (local) local.derived = true;
      }
    }
  }

  /** `exports.x = ...`, `module.exports.x = ...`, `module.exports = ...` at module scope, once the right side is walked. */
  commonJsExport(target: string, node: ts.BinaryExpression): void {
    const right = skipParens(node.right);
    if (target !== '=') {
      this.exportExpression(target, node.right, node);
    } else if (ts.isObjectLiteralExpression(right)) {
      for (const prop of right.properties) {
        if (ts.isShorthandPropertyAssignment(prop))
          this.exports.push(this.ctx.placed({ name: prop.name.text, fn: null, refs: [prop.name.text], line: 0, column: 0 }, prop));
        else if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
          this.exportExpression(prop.name.text, prop.initializer, prop);
        } else if (ts.isMethodDeclaration(prop) && ts.isIdentifier(prop.name)) {
          this.exports.push(this.ctx.placed({ name: prop.name.text, fn: this.ctx.fnIds.get(prop) ?? null, refs: [], line: 0, column: 0 }, prop));
        }
      }
    } else {
      this.exportExpression('default', node.right, node);
    }
  }

  /**
   * The module edges that load at run time. TypeScript (tsc, esbuild, swc) erases an import whose bindings are only
   * used as types: `usedAsValue` answers from the refs the walk collected.
   */
  liveImports(usedAsValue: (name: string) => boolean): ImportFact[] {
    const erased = new Set(this.elidable.filter((e) => !e.names.some(usedAsValue)).map((e) => e.fact));
    return erased.size === 0 ? this.imports : this.imports.filter((f) => !erased.has(f));
  }
}
