import { ts } from 'ts-morph';
import { ioKindOfModule, isIoMethod, normalizeBuiltin, type IoKind } from './io-catalog.js';

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
}

export interface ExportFact extends Pos {
  name: string;
  /** The function node when the export is a function (declaration, arrow, function expression). */
  fn: number | null;
  /** Identifiers referenced by the exported expression (`middy(base).use(x)` -> base, x). */
  refs: string[];
}

export interface ImportBinding {
  specifier: string;
  /** `default`, `*` (namespace or whole CommonJS module), or the imported name. */
  imported: string;
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

function isLoop(node: ts.Node): boolean {
  return (
    ts.isForStatement(node) ||
    ts.isForOfStatement(node) ||
    ts.isForInStatement(node) ||
    ts.isWhileStatement(node) ||
    ts.isDoStatement(node)
  );
}

function skipParens(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

/** `(function () {...})()`, `(async () => {...})()`: runs where it stands, so not a new scope. */
function isImmediatelyInvoked(fn: ts.Node): boolean {
  let child: ts.Node = fn;
  let parent = fn.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  return parent !== undefined && ts.isCallExpression(parent) && parent.expression === child;
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
function calleeText(node: ts.Expression): string {
  const n = skipParens(node);
  if (ts.isIdentifier(n)) return n.text;
  if (n.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(n)) return `${calleeText(n.expression)}.${n.name.text}`;
  if (ts.isElementAccessExpression(n)) return `${calleeText(n.expression)}[]`;
  if (ts.isCallExpression(n)) return `${calleeText(n.expression)}()`;
  if (ts.isNewExpression(n)) return `new ${calleeText(n.expression)}()`;
  if (ts.isAwaitExpression(n)) return calleeText(n.expression);
  if (ts.isNonNullExpression(n) || ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) return calleeText(n.expression);
  return '(expr)';
}

function lastName(node: ts.Expression): string {
  const n = skipParens(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return n.name.text;
  return '';
}

/** The identifier a callee chain starts from: `a` in `a.b().c`, `new a.B()`. */
function rootIdentifier(node: ts.Expression): string | null {
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

function isAwaited(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p))) p = p.parent;
  return p !== undefined && ts.isAwaitExpression(p);
}

function hasExportModifier(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
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
}

export function extractFacts(file: string, text: string): FactsOutcome {
  const sf = ts.createSourceFile(file, text, {
    languageVersion: ts.ScriptTarget.Latest,
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
  }, true, scriptKindFor(file));
  const diags = parseDiagnosticsOf(sf);
  const first = diags[0];
  if (first) {
    const lc = sf.getLineAndCharacterOfPosition(first.start);
    return {
      ok: false,
      error: { line: lc.line + 1, column: lc.character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') },
    };
  }
  const isTs = scriptKindFor(file) === ts.ScriptKind.TS || scriptKindFor(file) === ts.ScriptKind.TSX;

  const pos = (node: ts.Node): Pos => {
    const lc = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { line: lc.line + 1, column: lc.character + 1 };
  };

  const imports: ImportFact[] = [];
  const dynamicRequires: DynamicRequireFact[] = [];
  const calls: CallFact[] = [];
  const functions: FunctionFact[] = [];
  const exports: ExportFact[] = [];
  const topLevelAwaits: Pos[] = [];
  const bindings: Record<string, ImportBinding> = Object.create(null) as Record<string, ImportBinding>;
  /** Identifiers used in value positions anywhere, to drop TypeScript imports used only as types. */
  const valueRefs = new Set<string>();
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
      imports.push({ specifier, kind: 'side-effect', init: true, ...pos(node) });
      return;
    }
    const fact: ImportFact = { specifier, kind: 'import', init: true, ...pos(node) };
    if (clause.isTypeOnly) return;
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
      imports.push({ specifier, kind: 're-export', init: true, ...pos(node) });
      if (clause && ts.isNamedExports(clause)) {
        for (const el of clause.elements) {
          exports.push({ name: el.name.text, fn: null, refs: [], ...pos(el) });
        }
      }
      return;
    }
    const clause = node.exportClause;
    if (clause && ts.isNamedExports(clause)) {
      for (const el of clause.elements) {
        if (el.isTypeOnly) continue;
        const local = el.propertyName ? el.propertyName.text : el.name.text;
        exports.push({ name: el.name.text, fn: null, refs: [local], ...pos(el) });
      }
    }
  };

  /** Collects value identifiers in an expression without entering nested functions. */
  const refsOf = (expr: ts.Node): string[] => {
    const out = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        out.add(n.text);
        return;
      }
      if (ts.isPropertyAccessExpression(n)) {
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
    const p = node.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = commonJsExportTarget(p.left);
      if (target && target !== '=') return target;
      if (ts.isIdentifier(p.left)) return p.left.text;
    }
    return null;
  };

  const addExportFromExpression = (name: string, expr: ts.Expression, at: ts.Node): void => {
    const inner = skipParens(expr);
    const fn = isFunctionLike(inner) ? (fnIdByNode.get(inner) ?? null) : null;
    exports.push({ name, fn, refs: fn === null ? refsOf(inner) : [], ...pos(at) });
  };

  /** Binds `const x = <expr rooted at an import>` so `x.send()` knows its package. */
  const bindDerived = (name: ts.BindingName, init: ts.Expression): void => {
    const root = rootIdentifier(init);
    if (root === null) return;
    const b = bindings[root];
    if (!b) return;
    if (ts.isIdentifier(name)) {
      if (!(name.text in bindings)) bind(name.text, b.specifier, '*');
    } else {
      bindPattern(name, b.specifier);
    }
  };

  const recordCall = (node: ts.CallExpression | ts.NewExpression, scope: Scope): void => {
    const isNew = ts.isNewExpression(node);
    const callee = (isNew ? 'new ' : '') + calleeText(node.expression);
    const name = lastName(node.expression);
    const root = rootIdentifier(node.expression);
    const module = root !== null ? (bindings[root]?.specifier ?? null) : null;
    let io: CallFact['io'] = null;
    if (!isNew) {
      if (root === 'fetch' && callee === 'fetch' && !bindings.fetch) io = 'http';
      else if (name === 'promise' && ts.isPropertyAccessExpression(node.expression) && ts.isCallExpression(skipParens(node.expression.expression))) {
        io = module !== null ? (ioKindOfModule(module) ?? 'aws-sdk-v2') : 'aws-sdk-v2';
      } else if (module !== null) {
        const kind = ioKindOfModule(module);
        const isMethod = ts.isPropertyAccessExpression(skipParens(node.expression));
        if (kind !== null && (kind === 'http' || kind === 'fs' || kind === 'child_process' || isMethod) && isIoMethod(name)) {
          // fs/path-like helpers that are pure are excluded by name; a bare call of a binding
          // (`axios(cfg)`, `readFile(p)`, `execSync(c)`) is I/O for these kinds.
          io = kind;
        }
        if (kind === 'aws-sdk-v3' && name !== 'send' && !name.startsWith('paginate') && name !== 'getParameter' && name !== 'getSecret') {
          // v3 clients do I/O only through send() (and the aggregated clients' methods, which
          // return promises); constructors of commands are not I/O.
          io = /^[a-z]/.test(name) && isMethod && name !== 'from' ? 'aws-sdk-v3' : null;
        }
      } else if (name === 'send') {
        const arg = node.arguments?.[0];
        if (arg && ts.isNewExpression(arg) && lastName(arg.expression).endsWith('Command')) io = 'aws-sdk-v3';
      }
    }
    const argNode = node.arguments?.[0];
    const argNew = argNode && ts.isNewExpression(argNode) ? lastName(argNode.expression) : null;
    calls.push({
      callee,
      name,
      fn: scope.fn,
      awaited: isAwaited(node),
      inLoop: scope.loopDepth > 0,
      isNew,
      module,
      io,
      argNew,
      root,
      ...pos(node),
    });
  };

  let nextFnId = 0;

  const visit = (node: ts.Node, scope: Scope): void => {
    // Type-only syntax never runs and never loads anything.
    if (
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isTypeNode(node) ||
      (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword)
    ) {
      return;
    }
    if (ts.isModuleDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return;

    if (ts.isImportDeclaration(node)) {
      handleImportDeclaration(node);
      return;
    }
    if (ts.isExportDeclaration(node)) {
      handleExportDeclaration(node);
      return;
    }
    if (ts.isImportEqualsDeclaration(node)) {
      if (!node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
        const specifier = stringLiteralValue(node.moduleReference.expression);
        if (specifier !== null) {
          imports.push({ specifier, kind: 'import-equals', init: scope.fn === null, ...pos(node) });
          bind(node.name.text, specifier, '*');
        }
      }
      if (hasExportModifier(node)) exports.push({ name: node.name.text, fn: null, refs: [], ...pos(node) });
      return;
    }
    if (ts.isExportAssignment(node)) {
      // Walk first so a function expression has its id before the export refers to it.
      ts.forEachChild(node, (child) => visit(child, scope));
      addExportFromExpression('default', node.expression, node);
      return;
    }

    if (ts.isIdentifier(node)) {
      valueRefs.add(node.text);
      if (scope.fn !== null) refSets.get(scope.fn)?.add(node.text);
      return;
    }
    if (ts.isPropertyAccessExpression(node)) {
      visit(node.expression, scope);
      return;
    }

    let inner: Scope = scope;
    if (isFunctionLike(node)) {
      const id = nextFnId++;
      fnIdByNode.set(node, id);
      const name = nameOfFunction(node);
      const parentCall = skipParens(node).parent;
      const registeredAtInit =
        scope.fn === null &&
        parentCall !== undefined &&
        (ts.isCallExpression(parentCall) || ts.isNewExpression(parentCall)) &&
        (parentCall.arguments ?? []).some((a) => a === node);
      functions.push({ id, name, parent: scope.fn, refs: [], registeredAtInit, ...pos(node) });
      refSets.set(id, new Set());
      if (ts.isFunctionDeclaration(node) && hasExportModifier(node)) {
        exports.push({ name: hasDefaultModifier(node) ? 'default' : (name ?? 'default'), fn: id, refs: [], ...pos(node) });
      }
      // An IIFE at module scope runs at init: keep its body in the enclosing scope for I/O and
      // import classification, but still record it as a function for reachability.
      inner = isImmediatelyInvoked(node) ? { fn: scope.fn, loopDepth: scope.loopDepth } : { fn: id, loopDepth: 0 };
      if (node.body) {
        for (const p of node.parameters) visit(p, inner);
        visit(node.body, inner);
      }
      return;
    }
    if (ts.isClassStaticBlockDeclaration(node)) {
      // Static blocks run when the class is defined: module scope if the class is.
      ts.forEachChild(node, (c) => visit(c, scope));
      return;
    }
    if (isLoop(node)) inner = { fn: scope.fn, loopDepth: scope.loopDepth + 1 };

    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const specifier = stringLiteralValue(node.arguments[0]);
        if (specifier !== null) {
          imports.push({ specifier, kind: 'dynamic-import', init: scope.fn === null, ...pos(node) });
        } else {
          const arg = node.arguments[0];
          dynamicRequires.push({ expression: arg ? arg.getText(sf).slice(0, 80) : '', init: scope.fn === null, ...pos(node) });
        }
      } else if (isRequireCall(node)) {
        const specifier = stringLiteralValue(node.arguments[0]);
        if (specifier !== null) {
          imports.push({ specifier, kind: 'require', init: scope.fn === null, ...pos(node) });
          const decl = skipParens(node).parent;
          if (decl && ts.isVariableDeclaration(decl) && decl.initializer === node) bindPattern(decl.name, specifier);
          else if (decl && ts.isPropertyAccessExpression(decl) && decl.parent && ts.isVariableDeclaration(decl.parent)) {
            // const Foo = require('x').Foo
            if (ts.isIdentifier(decl.parent.name)) bind(decl.parent.name.text, specifier, decl.name.text);
          }
        } else {
          const arg = node.arguments[0];
          dynamicRequires.push({ expression: arg ? arg.getText(sf).slice(0, 80) : '', init: scope.fn === null, ...pos(node) });
        }
      } else {
        recordCall(node, scope);
      }
    } else if (ts.isNewExpression(node)) {
      recordCall(node, scope);
    } else if (ts.isAwaitExpression(node) && scope.fn === null) {
      topLevelAwaits.push(pos(node));
    } else if (ts.isForOfStatement(node) && node.awaitModifier && scope.fn === null) {
      topLevelAwaits.push(pos(node));
    } else if (ts.isVariableStatement(node)) {
      const exported = hasExportModifier(node);
      for (const decl of node.declarationList.declarations) {
        if (decl.initializer) {
          visit(decl.initializer, inner);
          const init = skipParens(decl.initializer);
          if (!(ts.isCallExpression(init) && isRequireCall(init))) bindDerived(decl.name, decl.initializer);
          if (exported && ts.isIdentifier(decl.name)) addExportFromExpression(decl.name.text, decl.initializer, decl);
        } else if (exported && ts.isIdentifier(decl.name)) {
          exports.push({ name: decl.name.text, fn: null, refs: [], ...pos(decl) });
        }
      }
      return;
    } else if (ts.isClassDeclaration(node) && hasExportModifier(node)) {
      exports.push({ name: hasDefaultModifier(node) ? 'default' : (node.name?.text ?? 'default'), fn: null, refs: [], ...pos(node) });
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && scope.fn === null) {
      const target = commonJsExportTarget(node.left);
      if (target !== null) {
        visit(node.right, inner);
        const right = skipParens(node.right);
        if (target === '=') {
          if (ts.isObjectLiteralExpression(right)) {
            for (const prop of right.properties) {
              if (ts.isShorthandPropertyAssignment(prop)) exports.push({ name: prop.name.text, fn: null, refs: [prop.name.text], ...pos(prop) });
              else if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) {
                addExportFromExpression(prop.name.text, prop.initializer, prop);
              } else if (ts.isMethodDeclaration(prop) && ts.isIdentifier(prop.name)) {
                exports.push({ name: prop.name.text, fn: fnIdByNode.get(prop) ?? null, refs: [], ...pos(prop) });
              }
            }
          } else {
            addExportFromExpression('default', node.right, node);
          }
        } else {
          addExportFromExpression(target, node.right, node);
        }
        return;
      }
    }

    ts.forEachChild(node, (child) => visit(child, inner));
  };

  ts.forEachChild(sf, (child) => visit(child, { fn: null, loopDepth: 0 }));

  // TypeScript (tsc, esbuild, swc) erases an import whose bindings are only used as types.
  const erased = new Set(elidable.filter((e) => !e.names.some((n) => valueRefs.has(n))).map((e) => e.fact));
  const liveImports = erased.size === 0 ? imports : imports.filter((f) => !erased.has(f));

  for (const fn of functions) fn.refs = [...(refSets.get(fn.id) ?? [])];

  return {
    ok: true,
    facts: {
      file,
      lines: countLines(text),
      imports: liveImports,
      dynamicRequires,
      calls,
      functions,
      exports,
      topLevelAwaits,
      bindings,
    },
  };
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
