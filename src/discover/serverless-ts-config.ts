import ts from '../compiler/typescript.cjs';
import { isRecord } from './cfn-yaml.js';
import { HANDLER_EXTENSIONS } from './handler-map.js';
import { dirOf, isOutsideRoot, joinRel, relativeTo } from './paths.js';
import { AnchoredPath, CallValue, Opaque, StaticEvaluator, isStaticObject, parseSource } from './ts-static.js';
import type { KeyLocation, StaticValue } from './ts-static.js';
import { tsconfigJson } from './tsconfig-text.js';

export interface ServerlessTsConfig {
  /** The configuration as plain data; values that could not be evaluated are their source text. */
  config: Record<string, unknown>;
  /** Where `functions.<key>` is written, for `declaredIn`. */
  functionLine(key: string): number | null;
  /** Where the key at `path` (from the config root) is written in this file, or null. */
  lineOf(path: readonly string[]): number | null;
}

/** Modules followed from serverless.ts (`import hello from '@functions/hello'`); a bound on the chase. */
const MAX_MODULES = 200;

interface TsPaths {
  baseDir: string;
  paths: ReadonlyArray<readonly [pattern: string, targets: readonly string[]]>;
}

function readTsPaths(serviceDir: string, read: (rel: string) => string | undefined, fileSet: ReadonlySet<string>): TsPaths | null {
  const rel = joinRel(serviceDir, 'tsconfig.json');
  if (!fileSet.has(rel)) return null;
  const text = read(rel);
  if (text === undefined) return null;
  const parsed: unknown = tsconfigJson(rel, text);
  if (!isRecord(parsed) || !isRecord(parsed['compilerOptions'])) return null;
  const options = parsed['compilerOptions'];
  const baseUrl = typeof options['baseUrl'] === 'string' ? options['baseUrl'] : '.';
  const paths = isRecord(options['paths']) ? options['paths'] : {};
  const entries: Array<readonly [string, readonly string[]]> = [];
  for (const [pattern, targets] of Object.entries(paths)) {
    if (Array.isArray(targets)) entries.push([pattern, targets.filter((t): t is string => typeof t === 'string')]);
  }
  return { baseDir: joinRel(serviceDir, baseUrl), paths: entries };
}

function findModule(fileSet: ReadonlySet<string>, stem: string): string | null {
  if (fileSet.has(stem)) return stem;
  for (const base of [stem, `${stem}/index`]) {
    for (const ext of HANDLER_EXTENSIONS) if (fileSet.has(base + ext)) return base + ext;
  }
  return null;
}

/**
 * Reads `serverless.ts` as data. The configuration is the default export (`export default`,
 * `module.exports =`, `export =`) or the `serverlessConfiguration` binding; imports of relative or
 * tsconfig-path modules are followed so the aws-nodejs-typescript template's
 * `functions: { hello }` with `handler: \`${handlerPath(__dirname)}/handler.main\`` resolves.
 * Returns null when no object literal configuration is found.
 */
export function readServerlessTs(
  rel: string,
  text: string,
  fileSet: ReadonlySet<string>,
  read: (rel: string) => string | undefined,
): ServerlessTsConfig | null {
  const serviceDir = dirOf(rel);
  const keyLocations = new WeakMap<object, Map<string, KeyLocation>>();
  const tsPaths = readTsPaths(serviceDir, read, fileSet);
  const evaluators = new Map<string, StaticEvaluator | null>();

  const callHook = (callee: string, args: readonly StaticValue[]): StaticValue | undefined => {
    // The template's handlerPath(__dirname) returns the module's directory relative to the service.
    const arg = args[0];
    if (/(^|\.)handlerPath$/.test(callee) && arg instanceof AnchoredPath) return relativeTo(serviceDir, arg.rel);
    return undefined;
  };

  const resolveSpecifier = (fromFile: string, specifier: string): string | null => {
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      const stem = joinRel(dirOf(fromFile), specifier.replace(/\.[cm]?js$/, ''));
      return isOutsideRoot(stem) ? null : findModule(fileSet, stem);
    }
    for (const [pattern, targets] of tsPaths?.paths ?? []) {
      const star = pattern.indexOf('*');
      const prefix = star < 0 ? pattern : pattern.slice(0, star);
      const suffix = star < 0 ? '' : pattern.slice(star + 1);
      const matches = star < 0 ? specifier === pattern : specifier.startsWith(prefix) && specifier.endsWith(suffix);
      if (!matches) continue;
      const captured = star < 0 ? '' : specifier.slice(prefix.length, specifier.length - suffix.length);
      for (const target of targets) {
        const found = findModule(fileSet, joinRel(tsPaths?.baseDir ?? serviceDir, target.replace('*', captured)));
        if (found !== null) return found;
      }
    }
    return null;
  };

  const evaluatorFor = (file: string): StaticEvaluator | null => {
    const cached = evaluators.get(file);
    if (cached !== undefined) return cached;
    if (evaluators.size >= MAX_MODULES) return null;
    evaluators.set(file, null);
    const source = file === rel ? text : read(file);
    if (source === undefined) return null;
    const evaluator = new StaticEvaluator(parseSource(file, source), {
      fileRel: file,
      keyLocations,
      callHook,
      resolveImport: (specifier, importedName) => {
        const target = resolveSpecifier(file, specifier);
        if (target === null) return new Opaque(specifier);
        const targetEvaluator = evaluatorFor(target);
        return targetEvaluator === null ? new Opaque(specifier) : exportedValue(targetEvaluator, importedName);
      },
    });
    evaluators.set(file, evaluator);
    return evaluator;
  };

  const root = evaluatorFor(rel);
  if (root === null) return null;
  const configNode = configExpression(root);
  if (configNode === null) return null;
  const value = root.evaluate(configNode);
  if (!isStaticObject(value)) return null;
  const config = toPlain(value);
  if (!isRecord(config)) return null;
  const functions = value['functions'];
  return {
    config,
    functionLine(key: string): number | null {
      if (!isStaticObject(functions)) return null;
      const location = keyLocations.get(functions)?.get(key);
      return location === undefined || location.file !== rel ? null : location.line;
    },
    lineOf(path: readonly string[]): number | null {
      let node: StaticValue = value;
      let line: number | null = null;
      for (const key of path) {
        if (!isStaticObject(node)) return null;
        const location = keyLocations.get(node)?.get(key);
        line = location === undefined || location.file !== rel ? null : location.line;
        node = node[key];
      }
      return line;
    },
  };
}

function configExpression(evaluator: StaticEvaluator): ts.Expression | null {
  let exported: ts.Expression | null = null;
  for (const statement of evaluator.sourceFile.statements) {
    if (ts.isExportAssignment(statement)) exported = statement.expression;
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      evaluator.text(statement.expression.left) === 'module.exports'
    ) {
      exported = statement.expression.right;
    }
  }
  return exported ?? evaluator.binding('serverlessConfiguration') ?? null;
}

/** The value a module exports under `name` (`default` or a named `export const`). */
export function exportedValue(evaluator: StaticEvaluator, name: string): StaticValue {
  for (const statement of evaluator.sourceFile.statements) {
    if (name === 'default' && ts.isExportAssignment(statement)) return evaluator.evaluate(statement.expression);
    if (
      name !== 'default' &&
      ts.isVariableStatement(statement) &&
      statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true
    ) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && decl.name.text === name && decl.initializer !== undefined) return evaluator.evaluate(decl.initializer);
      }
    }
  }
  return new Opaque(`${name} export of ${evaluator.sourceFile.fileName}`);
}

/** Plain data for the Serverless reader: unevaluated parts become their source text. */
function toPlain(value: StaticValue): unknown {
  if (value instanceof Opaque) return value.text;
  if (value instanceof AnchoredPath) return value.rel;
  if (value instanceof CallValue) return `${value.callee}(...)`;
  if (Array.isArray(value)) return value.map(toPlain);
  if (isStaticObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}
