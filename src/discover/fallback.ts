import ts from '../compiler/typescript.cjs';
import type { FunctionSpec, UnreferencedHandler } from '../model/result.js';
import { baseName, dirOf, stripExtension } from './paths.js';
import { isCandidateSource } from './source-files.js';
import { lineOf, parseSource } from './ts-static.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';

const EXPORT_NAME = 'handler';
/**
 * Cheap test before parsing: one of the export shapes findHandlerExport accepts must appear in the
 * text. Mentioning the word is not enough: in a large service most modules say "handler"
 * somewhere, and parsing them all here doubled discovery's share of a scan.
 */
const MAY_EXPORT_HANDLER =
  /\bexport\s+(?:async\s+)?(?:function\s*\*?|const|let|var)\s*handler\b|\bexport\s*\{[^}]*\bhandler\b[^}]*\}|\bexports\.handler\b|\bmodule\.exports\s*=\s*\{[^}]*\bhandler\b/;
const MAY_EXPORT = /\bexport\b|\bexports\b/;

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

function isModuleExports(node: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'module' && node.name.text === 'exports';
}

/** `exports.handler` or `module.exports.handler`. */
function isExportsHandler(node: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== EXPORT_NAME) return false;
  const owner = node.expression;
  return (ts.isIdentifier(owner) && owner.text === 'exports') || isModuleExports(owner);
}

/** The node that exports `handler` at the top level of a module, in any ESM or CommonJS form. */
export function findHandlerExport(sourceFile: ts.SourceFile): ts.Node | null {
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === EXPORT_NAME && hasExportModifier(statement)) return statement;
    if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
      const decl = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === EXPORT_NAME);
      if (decl !== undefined) return statement;
    }
    if (
      ts.isExportDeclaration(statement) &&
      !statement.isTypeOnly &&
      statement.exportClause !== undefined &&
      ts.isNamedExports(statement.exportClause)
    ) {
      const spec = statement.exportClause.elements.find((el) => el.name.text === EXPORT_NAME);
      if (spec !== undefined) return statement;
    }
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const { left, right } = statement.expression;
      if (isExportsHandler(left)) return statement;
      if (isModuleExports(left) && ts.isObjectLiteralExpression(right)) {
        const named = right.properties.some(
          (p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === EXPORT_NAME,
        );
        if (named) return statement;
      }
    }
  }
  return null;
}

/** `src/handlers/create.ts` -> `create`; an `index` file is named after its folder. */
function logicalName(rel: string): string {
  const stem = baseName(stripExtension(rel));
  if (stem !== 'index') return stem;
  const dir = dirOf(rel);
  return dir === '' ? stem : baseName(dir);
}

/**
 * Used only when no IaC declares a function: every non-test source file that exports `handler` is taken
 * to be one. Nothing says how it is deployed, so runtime, memory and deployed names stay unknown.
 */
export const fallbackProvider: DiscoveryProviderModule = {
  name: 'fallback',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) {
      if (!isCandidateSource(rel)) continue;
      const text = ctx.readIf(rel, [MAY_EXPORT_HANDLER, MAY_EXPORT]);
      if (text === undefined) continue;
      const sourceFile = parseSource(rel, text);
      const node = findHandlerExport(sourceFile);
      if (node === null) continue;
      ctx.sink.functions.push(fallbackSpec(rel, lineOf(sourceFile, node)));
    }
  },
};

/** A function guessed from a file that exports `handler` at `line`: nothing says how it is deployed. */
export function fallbackSpec(rel: string, line: number): FunctionSpec {
  return {
    id: `${rel}#${EXPORT_NAME}`,
    name: logicalName(rel),
    provider: 'fallback',
    deployedNames: [],
    runtime: null,
    architecture: null,
    memoryMB: null,
    timeoutS: null,
    declaredIn: { file: rel, line },
    handler: { file: rel, export: EXPORT_NAME, declared: `${stripExtension(rel)}.${EXPORT_NAME}`, mapping: 'exact' },
  };
}

/**
 * Files that export `handler` while the IaC declares functions, but no declaration points at them with
 * that export: a leftover, a local harness or a function not deployed yet. Listed, never analysed.
 */
export function findUnreferenced(ctx: DiscoverContext, declared: readonly FunctionSpec[]): UnreferencedHandler[] {
  const used = new Set(declared.map((f) => `${f.handler.file ?? ''}#${f.handler.export}`));
  const out: UnreferencedHandler[] = [];
  for (const rel of ctx.files) {
    if (!isCandidateSource(rel) || used.has(`${rel}#${EXPORT_NAME}`)) continue;
    const text = ctx.readIf(rel, [MAY_EXPORT_HANDLER, MAY_EXPORT]);
    if (text === undefined) continue;
    const sourceFile = parseSource(rel, text);
    const node = findHandlerExport(sourceFile);
    if (node !== null) out.push({ file: rel, export: EXPORT_NAME, line: lineOf(sourceFile, node) });
  }
  return out;
}
