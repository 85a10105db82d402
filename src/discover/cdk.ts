import ts from '../graph/typescript.cjs';
import type { Architecture, FunctionSpec } from '../model/result.js';
import { HANDLER_EXTENSIONS, mapHandlerStem, mapSourceFile, splitHandler } from './handler-map.js';
import { isSourceFile } from '../fs/walk.js';
import { exportedValue } from './serverless-ts-config.js';
import { mapDeclaredStem } from './build-map.js';
import type { MappedHandler } from './handler-map.js';
import { dirOf, joinRel, stripExtension } from './paths.js';
import { recordFunction } from './spec.js';
import { AnchoredPath, CallValue, Opaque, StaticEvaluator, isStaticObject, lineOf, parseSource } from './ts-static.js';
import type { StaticObject, StaticValue } from './ts-static.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { isCandidateSource } from './source-files.js';

const CDK_IMPORT = /['"](aws-cdk-lib|@aws-cdk\/)/;
const LAMBDA_MODULES = /^(aws-cdk-lib\/aws-lambda|@aws-cdk\/aws-lambda)$/;

type ConstructKind = 'nodejs' | 'function';

function constructKind(node: ts.NewExpression, evaluator: StaticEvaluator): ConstructKind | null {
  const callee = node.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
  if (name === 'NodejsFunction') return 'nodejs';
  if (name !== 'Function') return null;
  if (ts.isPropertyAccessExpression(callee)) return 'function';
  // A bare `new Function(...)` is the global constructor unless it was imported from the Lambda module.
  const imported = evaluator.importOf('Function');
  return imported !== undefined && LAMBDA_MODULES.test(imported.specifier) ? 'function' : null;
}

/** `Runtime.NODEJS_20_X` -> `nodejs20.x`; the enum member names follow the runtime identifiers. */
export function runtimeFromEnum(value: StaticValue): string | null {
  if (!(value instanceof Opaque)) return typeof value === 'string' ? value : null;
  const member = value.text.split('.').pop() ?? '';
  const node = /^NODEJS_(\d+)_X$/.exec(member);
  if (node !== null) return `nodejs${node[1] ?? ''}.x`;
  const python = /^PYTHON_(\d+)_(\d+)$/.exec(member);
  if (python !== null) return `python${python[1] ?? ''}.${python[2] ?? ''}`;
  if (member === 'PROVIDED_AL2023') return 'provided.al2023';
  if (member === 'PROVIDED_AL2') return 'provided.al2';
  return null;
}

function architectureFromEnum(value: StaticValue): Architecture | null {
  if (!(value instanceof Opaque)) return null;
  if (value.text.endsWith('ARM_64')) return 'arm64';
  if (value.text.endsWith('X86_64')) return 'x86_64';
  return null;
}

const DURATION_SECONDS: ReadonlyMap<string, number> = new Map([
  ['millis', 0.001],
  ['seconds', 1],
  ['minutes', 60],
]);

function secondsFromDuration(value: StaticValue): number | null {
  if (!(value instanceof CallValue)) return null;
  const match = /(?:^|\.)Duration\.(\w+)$/.exec(value.callee);
  const factor = match?.[1] === undefined ? undefined : DURATION_SECONDS.get(match[1]);
  const amount = value.args[0];
  return factor === undefined || typeof amount !== 'number' ? null : amount * factor;
}

/** `Size.mebibytes(n)` / `Size.gibibytes(n)` as MB (ephemeralStorageSize). */
function mbFromSize(value: StaticValue): number | null {
  if (!(value instanceof CallValue)) return null;
  const match = /(?:^|\.)Size\.(mebibytes|gibibytes)$/.exec(value.callee);
  const amount = value.args[0];
  if (match === null || typeof amount !== 'number') return null;
  return match[1] === 'gibibytes' ? amount * 1024 : amount;
}

/** `currentVersionOptions: { provisionedConcurrentExecutions: n }`: the simple, literal form. */
function provisionedOf(props: StaticObject): number | null {
  const options = props['currentVersionOptions'];
  const n = isStaticObject(options) ? options['provisionedConcurrentExecutions'] : undefined;
  return typeof n === 'number' && n > 0 ? n : null;
}

/** CDK resolves a relative path against the process's directory, which is the app's, where cdk.json is. */
function appDir(ctx: DiscoverContext, stackFile: string): string {
  let dir = dirOf(stackFile);
  for (;;) {
    if (ctx.fileSet.has(joinRel(dir, 'cdk.json'))) return dir;
    if (dir === '') return dirOf(stackFile);
    dir = dirOf(dir);
  }
}

/** Root-relative path of a static path value; null when it is not static. */
function staticPath(value: StaticValue, cwd: string): string | null {
  if (value instanceof AnchoredPath) return value.rel;
  if (typeof value === 'string' && !value.startsWith('/')) return joinRel(cwd, value);
  return null;
}

function mapNodejsEntry(ctx: DiscoverContext, stackFile: string, constructId: string, props: StaticObject, entryNode: ts.Node | undefined, evaluator: StaticEvaluator): { declared: string; mapped: MappedHandler } {
  const entry = props['entry'];
  if (entry === undefined) {
    // NodejsFunction's documented default: `<stack file>.<construct id>.ts` (or .js) beside the stack file.
    const stem = `${stripExtension(stackFile)}.${constructId}`;
    const mapped = mapHandlerStem(ctx.fileSet, stem, `${stem}.ts`);
    return { declared: `${stem}.ts`, mapped };
  }
  const declared = typeof entry === 'string' || entryNode === undefined ? String(entry) : evaluator.text(entryNode);
  const rel = staticPath(entry, appDir(ctx, stackFile));
  if (rel === null) return { declared, mapped: { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `entry ${declared} is not a static path` } };
  return { declared, mapped: mapSourceFile(ctx.fileSet, rel, declared) };
}

function mapAssetHandler(ctx: DiscoverContext, stackFile: string, props: StaticObject, handler: string): MappedHandler {
  const code = props['code'];
  const { stem } = splitHandler(handler);
  if (code instanceof CallValue && /(?:^|\.)Code\.fromAsset$/.test(code.callee)) {
    const dir = staticPath(code.args[0], appDir(ctx, stackFile));
    if (dir === null) return { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `code asset path of ${code.callee}(...) is not a static path` };
    return mapDeclaredStem(ctx, joinRel(dir, stem), handler);
  }
  const what = code instanceof CallValue ? `${code.callee}(...)` : code instanceof Opaque ? code.text : 'code';
  return { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `${what} is not a local asset directory` };
}

function propNode(props: ts.Expression | undefined, key: string): ts.Node | undefined {
  if (props === undefined || !ts.isObjectLiteralExpression(props)) return undefined;
  for (const prop of props.properties) {
    if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && prop.name.text === key) return prop.initializer;
  }
  return undefined;
}

/** Modules followed from one stack file for shared props (`...lambdaDefaults` from './defaults'); a bound on the chase. */
const MAX_IMPORTED_MODULES = 50;

/**
 * An evaluator that follows relative imports, so props spread from a shared object in another file
 * (`{ ...lambdaDefaults, entry }`) are known. Imported modules are parsed, never run.
 */
function importingEvaluator(ctx: DiscoverContext, rel: string, sourceFile: ts.SourceFile, seen: Map<string, StaticEvaluator | null>): StaticEvaluator {
  return new StaticEvaluator(sourceFile, {
    fileRel: rel,
    resolveImport: (specifier, importedName) => {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) return new Opaque(specifier);
      const stem = joinRel(dirOf(rel), specifier.replace(/\.[cm]?js$/, ''));
      const target = [stem, ...HANDLER_EXTENSIONS.map((e) => stem + e), ...HANDLER_EXTENSIONS.map((e) => `${stem}/index${e}`)].find((f) => ctx.fileSet.has(f) && isSourceFile(f));
      if (target === undefined) return new Opaque(specifier);
      let evaluator = seen.get(target);
      if (evaluator === undefined) {
        seen.set(target, null);
        const text = seen.size <= MAX_IMPORTED_MODULES ? ctx.read(target) : undefined;
        evaluator = text === undefined ? null : importingEvaluator(ctx, target, parseSource(target, text), seen);
        seen.set(target, evaluator);
      }
      return evaluator === null ? new Opaque(specifier) : exportedValue(evaluator, importedName);
    },
  });
}

function discoverStack(ctx: DiscoverContext, rel: string): void {
  const text = ctx.read(rel);
  if (text === undefined || !CDK_IMPORT.test(text) || !/Function\s*\(/.test(text)) return;
  const sourceFile = parseSource(rel, text);
  const evaluator = importingEvaluator(ctx, rel, sourceFile, new Map());
  let declares = false;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const kind = constructKind(node, evaluator);
      if (kind !== null) {
        declares = true;
        discoverConstruct(ctx, rel, node, kind, evaluator, sourceFile);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (declares) ctx.sink.iacFiles.push(rel);
}

function discoverConstruct(ctx: DiscoverContext, rel: string, node: ts.NewExpression, kind: ConstructKind, evaluator: StaticEvaluator, sourceFile: ts.SourceFile): void {
  const [, idNode, propsNode] = node.arguments ?? [];
  const line = lineOf(sourceFile, node);
  const idValue = idNode === undefined ? undefined : evaluator.evaluate(idNode);
  const constructId = typeof idValue === 'string' ? idValue : idNode === undefined ? `line${line}` : evaluator.text(idNode);
  const id = `${rel}#${constructId}`;
  if (typeof idValue !== 'string') ctx.sink.warnings.push(`${id}: construct id is not a literal; using its source text`);
  const propsValue = propsNode === undefined ? {} : evaluator.evaluate(propsNode);
  const props: StaticObject = isStaticObject(propsValue) ? propsValue : {};
  const functionName = props['functionName'];
  const spec: FunctionSpec = {
    id,
    name: constructId,
    provider: 'cdk',
    deployedNames: typeof functionName === 'string' ? [functionName] : [],
    runtime: runtimeFromEnum(props['runtime']),
    architecture: architectureFromEnum(props['architecture']),
    memoryMB: typeof props['memorySize'] === 'number' ? props['memorySize'] : null,
    timeoutS: secondsFromDuration(props['timeout']),
    declaredIn: { file: rel, line },
    handler: { file: null, export: 'handler', declared: '', mapping: 'unresolved' },
  };
  const ephemeral = mbFromSize(props['ephemeralStorageSize']);
  if (ephemeral !== null) spec.ephemeralStorageMB = ephemeral;
  const provisioned = provisionedOf(props);
  if (provisioned !== null) spec.provisionedConcurrency = provisioned;
  if (!isStaticObject(propsValue)) {
    spec.handler.declared = propsNode === undefined ? '' : evaluator.text(propsNode);
    recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `props ${spec.handler.declared} are not an object literal` });
    return;
  }
  if (kind === 'nodejs') {
    const handler = props['handler'];
    spec.handler.export = typeof handler === 'string' ? handler : 'handler';
    const { declared, mapped } = mapNodejsEntry(ctx, rel, constructId, props, propNode(propsNode, 'entry'), evaluator);
    spec.handler.declared = declared;
    recordFunction(ctx.sink, spec, mapped);
    return;
  }
  const code = props['code'];
  if (code instanceof CallValue && /(?:^|\.)Code\.fromInline$/.test(code.callee)) {
    ctx.sink.warnings.push(`${id}: inline code (Code.fromInline) cannot be analysed; not listed`);
    return;
  }
  const handler = props['handler'];
  if (typeof handler !== 'string') {
    spec.handler.declared = propNode(propsNode, 'handler') === undefined ? '' : evaluator.text(propNode(propsNode, 'handler') ?? node);
    recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `handler ${spec.handler.declared} is not a string literal` });
    return;
  }
  spec.handler.export = splitHandler(handler).exportName;
  spec.handler.declared = handler;
  recordFunction(ctx.sink, spec, mapAssetHandler(ctx, rel, props, handler));
}

/** CDK apps read from their TypeScript/JavaScript source; never synthesised or run. */
export const cdkProvider: DiscoveryProviderModule = {
  name: 'cdk',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) if (isCandidateSource(rel)) discoverStack(ctx, rel);
  },
};
