import ts from '../../compiler/typescript.cjs';

/** Small readers of compiler nodes the fact collectors share. None keeps a node or walks more than a chain. */

const SK = ts.SyntaxKind;

/** Function declarations and expressions, arrows, methods, constructors and accessors (one switch, not seven tests). */
export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return true;
    default:
      return false;
  }
}

export function skipParens(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

export function stringLiteralValue(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return null;
}

export function isRequireCall(node: ts.CallExpression): boolean {
  return ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length >= 1;
}

/** Renders a callee compactly: calls become `()`, long chains are cut. */
export function calleeText(node: ts.Node): string {
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

export function lastName(node: ts.Node): string {
  const n = skipParens(node);
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n)) return n.name.text;
  return '';
}

/** The identifier a callee chain starts from: `a` in `a.b().c`, `new a.B()`. */
export function rootIdentifier(node: ts.Node): string | null {
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
export function thisField(node: ts.Node): string | null {
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
export function injectedClasses(made: ts.NewExpression): string[] {
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
export function rootOfEntity(name: ts.EntityName): string {
  let n = name;
  while (ts.isQualifiedName(n)) n = n.left;
  return n.text;
}

/**
 * Whether a declaration carries a modifier of this kind. Reads `modifiers` directly: `ts.getModifiers` copies the
 * list without the decorators first, and decorators never have a modifier's kind anyway.
 */
function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  if (modifiers === undefined) return false;
  for (let i = 0; i < modifiers.length; i++) if (modifiers[i]?.kind === kind) return true;
  return false;
}

export function hasExportModifier(node: ts.Node): boolean {
  return hasModifier(node, SK.ExportKeyword);
}

export function hasDefaultModifier(node: ts.Node): boolean {
  return hasModifier(node, SK.DefaultKeyword);
}

/** `exports.x`, `module.exports.x` -> `x`; `module.exports` -> `=`; else null. */
export function commonJsExportTarget(node: ts.Expression): string | null {
  if (!ts.isPropertyAccessExpression(node)) return null;
  const obj = node.expression;
  if (ts.isIdentifier(obj) && obj.text === 'exports') return node.name.text;
  if (ts.isIdentifier(obj) && obj.text === 'module' && node.name.text === 'exports') return '=';
  if (ts.isPropertyAccessExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === 'module' && obj.name.text === 'exports') {
    return node.name.text;
  }
  return null;
}

/** Skips parentheses, `!`, `as` and `satisfies`: the expression an `await` or a call really applies to. */
export function unwrap(n: ts.Node): ts.Node {
  let x = n;
  while (ts.isParenthesizedExpression(x) || ts.isNonNullExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x)) x = x.expression;
  return x;
}
