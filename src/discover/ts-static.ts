import { parseSource as parseWithCompiler, scriptKindFor } from '../compiler/parse.js';
import ts from '../compiler/typescript.cjs';
import { dirOf, joinRel } from './paths.js';

/** An expression a static read cannot evaluate; keeps its source text for notes and enum-like names. */
export class Opaque {
  constructor(readonly text: string) {}
}

/** A path built from `__dirname`, held relative to the scanned root (may start with `..`). */
export class AnchoredPath {
  constructor(readonly rel: string) {}
}

/** A call that is not evaluated (`Duration.seconds(10)`, `Code.fromAsset(dir)`), with its evaluated arguments. */
export class CallValue {
  constructor(
    readonly callee: string,
    readonly args: readonly StaticValue[],
  ) {}
}

export interface StaticObject {
  readonly [key: string]: StaticValue;
}

export type StaticValue = string | number | boolean | null | undefined | Opaque | AnchoredPath | CallValue | StaticValue[] | StaticObject;

export function isStaticObject(value: StaticValue): value is StaticObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Opaque) &&
    !(value instanceof AnchoredPath) &&
    !(value instanceof CallValue)
  );
}

export interface KeyLocation {
  file: string;
  line: number;
}

export interface EvaluatorOptions {
  /** Root-relative path of the parsed file: gives `__dirname`. */
  fileRel: string;
  /** Value of an imported binding, when the caller follows imports. */
  resolveImport?: (specifier: string, importedName: string) => StaticValue;
  /** Evaluates calls the caller knows (`handlerPath(__dirname)`); undefined falls through. */
  callHook?: (callee: string, args: readonly StaticValue[]) => StaticValue | undefined;
  /** Shared across evaluators of several files so object keys can be traced to any of them. */
  keyLocations?: WeakMap<object, Map<string, KeyLocation>>;
}

const PATH_MODULES: ReadonlySet<string> = new Set(['path', 'node:path', 'path/posix', 'node:path/posix']);

/** An IaC program, with the shared compiler setup; a name that is neither JavaScript nor TypeScript parses as TypeScript. */
export function parseSource(rel: string, text: string): ts.SourceFile {
  return parseWithCompiler(rel, text, { kind: scriptKindFor(rel, ts.ScriptKind.TS) });
}

export function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

function propertyName(name: ts.PropertyName, evaluator: StaticEvaluator): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const value = evaluator.evaluate(name.expression);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
  return undefined;
}

/**
 * Evaluates the literal parts of a TypeScript/JavaScript file without running it: literals, object and
 * array literals with spreads, `const` bindings, template literals, string concatenation and
 * `path.join`/`path.resolve` over `__dirname`. Everything else becomes an Opaque or CallValue.
 */
export class StaticEvaluator {
  readonly sourceFile: ts.SourceFile;
  readonly keyLocations: WeakMap<object, Map<string, KeyLocation>>;
  private readonly options: EvaluatorOptions;
  /** null marks a name bound more than once in the file, which a static read cannot choose between. */
  private readonly bindings = new Map<string, ts.Expression | null>();
  private readonly imports = new Map<string, { specifier: string; name: string }>();
  private readonly active = new Set<ts.Node>();

  constructor(sourceFile: ts.SourceFile, options: EvaluatorOptions) {
    this.sourceFile = sourceFile;
    this.options = options;
    this.keyLocations = options.keyLocations ?? new WeakMap();
    this.collect(sourceFile);
  }

  /** Where the module came from for a local name bound by an import, if any. */
  importOf(name: string): { specifier: string; name: string } | undefined {
    return this.imports.get(name);
  }

  binding(name: string): ts.Expression | undefined {
    return this.bindings.get(name) ?? undefined;
  }

  text(node: ts.Node): string {
    return node.getText(this.sourceFile);
  }

  evaluate(node: ts.Expression): StaticValue {
    if (this.active.has(node)) return new Opaque(this.text(node));
    this.active.add(node);
    try {
      return this.evaluateInner(node);
    } finally {
      this.active.delete(node);
    }
  }

  private collect(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) {
        const name = node.name.text;
        this.bindings.set(name, this.bindings.has(name) ? null : node.initializer);
      } else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause !== undefined) {
        const specifier = node.moduleSpecifier.text;
        const clause = node.importClause;
        if (clause.name !== undefined) this.imports.set(clause.name.text, { specifier, name: 'default' });
        const bindings = clause.namedBindings;
        if (bindings !== undefined && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) this.imports.set(el.name.text, { specifier, name: (el.propertyName ?? el.name).text });
        } else if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
          this.imports.set(bindings.name.text, { specifier, name: '*' });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  private evaluateInner(node: ts.Expression): StaticValue {
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node)
    ) {
      return this.evaluate(node.expression);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
      const inner = this.evaluate(node.operand);
      return typeof inner === 'number' ? -inner : new Opaque(this.text(node));
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (node.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isIdentifier(node)) return this.identifier(node);
    if (ts.isTemplateExpression(node)) return this.template(node);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return concat(this.evaluate(node.left), this.evaluate(node.right)) ?? new Opaque(this.text(node));
    }
    if (ts.isObjectLiteralExpression(node)) return this.object(node);
    if (ts.isArrayLiteralExpression(node)) {
      const out: StaticValue[] = [];
      for (const el of node.elements) {
        if (ts.isSpreadElement(el)) {
          const spread = this.evaluate(el.expression);
          if (Array.isArray(spread)) out.push(...spread);
          else out.push(new Opaque(this.text(el)));
        } else {
          out.push(this.evaluate(el));
        }
      }
      return out;
    }
    if (ts.isPropertyAccessExpression(node)) return this.member(node.expression, node.name.text, node);
    if (ts.isElementAccessExpression(node)) {
      const key = this.evaluate(node.argumentExpression);
      return typeof key === 'string' || typeof key === 'number' ? this.member(node.expression, String(key), node) : new Opaque(this.text(node));
    }
    if (ts.isCallExpression(node)) return this.call(node);
    return new Opaque(this.text(node));
  }

  private identifier(node: ts.Identifier): StaticValue {
    const name = node.text;
    if (name === '__dirname') return new AnchoredPath(dirOf(this.options.fileRel));
    if (name === '__filename') return new AnchoredPath(this.options.fileRel);
    if (name === 'undefined') return undefined;
    const bound = this.bindings.get(name);
    if (bound !== undefined && bound !== null) return this.evaluate(bound);
    const imported = this.imports.get(name);
    if (imported !== undefined && this.options.resolveImport !== undefined) return this.options.resolveImport(imported.specifier, imported.name);
    return new Opaque(name);
  }

  private template(node: ts.TemplateExpression): StaticValue {
    let anchor: AnchoredPath | null = null;
    let text = node.head.text;
    for (const [index, span] of node.templateSpans.entries()) {
      const value = this.evaluate(span.expression);
      if (value instanceof AnchoredPath && index === 0 && text === '') anchor = value;
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') text += String(value);
      else return new Opaque(this.text(node));
      text += span.literal.text;
    }
    return anchor === null ? text : new AnchoredPath(joinRel(anchor.rel, text));
  }

  private object(node: ts.ObjectLiteralExpression): StaticValue {
    const out: Record<string, StaticValue> = {};
    const locations = new Map<string, KeyLocation>();
    for (const prop of node.properties) {
      if (ts.isSpreadAssignment(prop)) {
        const spread = this.evaluate(prop.expression);
        if (isStaticObject(spread)) {
          Object.assign(out, spread);
          const spreadLocations = this.keyLocations.get(spread);
          if (spreadLocations !== undefined) for (const [k, v] of spreadLocations) locations.set(k, v);
        }
        continue;
      }
      if (prop.name === undefined) continue;
      const key = propertyName(prop.name, this);
      if (key === undefined) continue;
      let value: StaticValue;
      if (ts.isPropertyAssignment(prop)) value = this.evaluate(prop.initializer);
      else if (ts.isShorthandPropertyAssignment(prop)) value = this.identifier(prop.name);
      else value = new Opaque(this.text(prop));
      out[key] = value;
      locations.set(key, { file: this.options.fileRel, line: lineOf(this.sourceFile, prop) });
    }
    this.keyLocations.set(out, locations);
    return out;
  }

  private member(objectNode: ts.Expression, key: string, node: ts.Expression): StaticValue {
    const target = this.evaluate(objectNode);
    if (isStaticObject(target)) return target[key];
    return new Opaque(this.text(node));
  }

  private call(node: ts.CallExpression): StaticValue {
    const callee = this.text(node.expression);
    const args = node.arguments.map((arg) => this.evaluate(arg));
    const hooked = this.options.callHook?.(callee, args);
    if (hooked !== undefined) return hooked;
    const pathFn = this.pathFunction(node.expression);
    if (pathFn !== null) return pathCall(pathFn, args) ?? new Opaque(this.text(node));
    return new CallValue(callee, args);
  }

  /** `path.join`, `path.posix.join`, or a `join`/`resolve` imported from `path`. */
  private pathFunction(callee: ts.Expression): 'join' | 'resolve' | null {
    let name: string;
    let owner: string | null;
    if (ts.isPropertyAccessExpression(callee)) {
      name = callee.name.text;
      const base = callee.expression;
      owner = ts.isIdentifier(base)
        ? base.text
        : ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression)
          ? base.expression.text
          : null;
    } else if (ts.isIdentifier(callee)) {
      const imported = this.imports.get(callee.text);
      if (imported === undefined || !PATH_MODULES.has(imported.specifier)) return null;
      name = imported.name;
      owner = null;
    } else {
      return null;
    }
    if (name !== 'join' && name !== 'resolve') return null;
    if (owner !== null) {
      const imported = this.imports.get(owner);
      const fromPath = owner === 'path' || (imported !== undefined && PATH_MODULES.has(imported.specifier));
      if (!fromPath) return null;
    }
    return name;
  }
}

function concat(left: StaticValue, right: StaticValue): StaticValue | null {
  const scalar = (v: StaticValue): v is string | number => typeof v === 'string' || typeof v === 'number';
  if (left instanceof AnchoredPath && typeof right === 'string') return new AnchoredPath(joinRel(left.rel, right));
  if (scalar(left) && scalar(right)) return typeof left === 'number' && typeof right === 'number' ? left + right : `${left}${right}`;
  return null;
}

/**
 * `path.join`/`path.resolve` over literal parts. A result anchored at `__dirname` is root-relative; a
 * result without an anchor stays a plain string, relative to whatever directory the tool runs from.
 */
function pathCall(fn: 'join' | 'resolve', args: readonly StaticValue[]): StaticValue | null {
  if (!args.every((a) => typeof a === 'string' || a instanceof AnchoredPath)) return null;
  const parts = args.filter((a): a is string | AnchoredPath => typeof a === 'string' || a instanceof AnchoredPath);
  if (fn === 'join') {
    const [first, ...rest] = parts;
    if (first === undefined) return '';
    if (!rest.every((p): p is string => typeof p === 'string')) return null;
    return first instanceof AnchoredPath ? new AnchoredPath(joinRel(first.rel, ...rest)) : joinRel(first, ...rest);
  }
  let anchorIndex = -1;
  parts.forEach((p, i) => {
    if (p instanceof AnchoredPath) anchorIndex = i;
  });
  const tail = parts.slice(anchorIndex + 1);
  if (!tail.every((p): p is string => typeof p === 'string')) return null;
  // An absolute literal path names a place on the author's machine, not in the scanned tree.
  if (tail.some((p) => p.startsWith('/'))) return null;
  const anchor = parts[anchorIndex];
  return anchor instanceof AnchoredPath ? new AnchoredPath(joinRel(anchor.rel, ...tail)) : joinRel(...tail);
}
