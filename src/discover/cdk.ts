import ts from '../compiler/typescript.cjs';
import type { Architecture, FunctionSpec } from '../model/result.js';
import { HANDLER_EXTENSIONS, mapHandlerStem, mapSourceFile, splitHandler } from './handler-map.js';
import { isSourceFile } from '../source/walk.js';
import { exportedValue } from './serverless-ts-config.js';
import { mapDeclaredStem } from './build-map.js';
import type { MappedHandler } from './handler-map.js';
import { dirOf, joinRel, stripExtension } from './paths.js';
import { recordFunction } from './spec.js';
import { AnchoredPath, CallValue, Opaque, StaticEvaluator, isStaticObject, lineOf, parseSource } from './ts-static.js';
import type { StaticObject, StaticValue } from './ts-static.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { isCandidateSource } from './source-files.js';
import { appOf, assetDir, cdkEnv, cdkLayers, cdkPackaging, declaredRegions } from './cdk-runtime.js';
import type { ConstructProps } from './cdk-runtime.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';
import { packagingFor, runtimeSettings } from './runtime-settings.js';
import { isRecord } from './cfn-yaml.js';

const CDK_IMPORT = /['"](aws-cdk-lib|@aws-cdk\/)/;
const LAMBDA_MODULES = /^(aws-cdk-lib\/aws-lambda|@aws-cdk\/aws-lambda)$/;

type ConstructKind = 'nodejs' | 'function';

function constructKind(node: ts.NewExpression, evaluator: StaticEvaluator): ConstructKind | null {
  const callee = node.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
  if (name === 'NodejsFunction') return 'nodejs';
  if (name !== 'Function') return null;
  if (ts.isPropertyAccessExpression(callee)) return lambdaNamespace(callee.expression, evaluator) ? 'function' : null;
  // A bare `new Function(...)` is the global constructor unless it was imported from the Lambda module.
  const imported = evaluator.importOf('Function');
  return imported !== undefined && LAMBDA_MODULES.test(imported.specifier) ? 'function' : null;
}

/**
 * Whether `X` in `new X.Function(...)` is the Lambda module: `lambda` from aws-cdk-lib/aws-lambda, `aws_lambda`
 * from aws-cdk-lib, `cdk.aws_lambda`. `cloudfront.Function` (CloudFront Functions) and other modules' `Function`
 * are not Lambda functions. A namespace not imported in the file is taken as Lambda unless its name says CloudFront.
 */
function lambdaNamespace(owner: ts.Expression, evaluator: StaticEvaluator): boolean {
  const text = evaluator.text(owner);
  if (/cloudfront|appsync|stepfunctions|\bsfn\b/i.test(text)) return false;
  if (ts.isPropertyAccessExpression(owner)) return owner.name.text === 'aws_lambda';
  if (!ts.isIdentifier(owner)) return false;
  const imported = evaluator.importOf(owner.text);
  if (imported === undefined) return true;
  if (LAMBDA_MODULES.test(imported.specifier)) return true;
  return imported.specifier === 'aws-cdk-lib' && imported.name === 'aws_lambda';
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

function mapNodejsEntry(
  ctx: DiscoverContext,
  stackFile: string,
  constructId: string,
  props: StaticObject,
  entryNode: ts.Node | undefined,
  evaluator: StaticEvaluator,
): { declared: string; mapped: MappedHandler } {
  const entry = props['entry'];
  if (entry === undefined) {
    // NodejsFunction's documented default: `<stack file>.<construct id>.ts` (or .js) beside the stack file.
    const stem = `${stripExtension(stackFile)}.${constructId}`;
    const mapped = mapHandlerStem(ctx.fileSet, stem, `${stem}.ts`);
    return { declared: `${stem}.ts`, mapped };
  }
  const declared = typeof entry === 'string' || entryNode === undefined ? String(entry) : evaluator.text(entryNode);
  const rel = staticPath(entry, appDir(ctx, stackFile));
  if (rel === null)
    return { declared, mapped: { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `entry ${declared} is not a static path` } };
  return { declared, mapped: mapSourceFile(ctx.fileSet, rel, declared) };
}

function mapAssetHandler(ctx: DiscoverContext, c: ConstructProps, handler: string): MappedHandler {
  const code = c.props['code'];
  const { stem } = splitHandler(handler);
  const asset = assetDir(c, code, c.propNode('code'));
  if (asset !== null) {
    if (asset.dir === null)
      return { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `code asset path of ${asset.what} is not a static path` };
    return mapDeclaredStem(ctx, joinRel(asset.dir, stem), handler);
  }
  const what = code instanceof CallValue ? `${code.callee}(...)` : code instanceof Opaque ? code.text : 'code';
  return { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `${what} is not a local asset directory` };
}

/** What a name means where it is used: a variable's initializer, something not static (a parameter, a loop variable), or nothing declared in the file. */
type LocalBinding = { kind: 'initializer'; node: ts.Expression } | { kind: 'not_static'; what: string } | undefined;

function bindsName(name: ts.BindingName, wanted: string): boolean {
  if (ts.isIdentifier(name)) return name.text === wanted;
  return name.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, wanted));
}

function declares(list: ts.VariableDeclarationList, wanted: string): LocalBinding {
  for (const decl of list.declarations) {
    if (!bindsName(decl.name, wanted)) continue;
    if (ts.isIdentifier(decl.name) && decl.initializer !== undefined) return { kind: 'initializer', node: decl.initializer };
    return { kind: 'not_static', what: decl.initializer === undefined ? 'a variable declared without a value' : 'destructured' };
  }
  return undefined;
}

function unwrap(node: ts.Expression): ts.Expression {
  let inner = node;
  while (
    ts.isParenthesizedExpression(inner) ||
    ts.isAsExpression(inner) ||
    ts.isSatisfiesExpression(inner) ||
    ts.isNonNullExpression(inner) ||
    ts.isTypeAssertionExpression(inner)
  ) {
    inner = inner.expression;
  }
  return inner;
}

/** Spreads and names followed from one props argument; a bound on `const a = { ...b }; const b = { ...a }`. */
const MAX_PROPS_DEPTH = 16;

/**
 * Reads construct props with the file's scopes: `new NodejsFunction(this, 'Worker', props)` takes the `props` declared
 * in the enclosing function, not another function's `props`, and a parameter is not the module constant it shadows.
 * The evaluator alone binds names file-wide (a name declared twice is unknown to it). Object literals and the names
 * and spreads in them are followed here; every other expression is the evaluator's.
 */
class ScopedProps {
  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly evaluator: StaticEvaluator,
  ) {}

  value(node: ts.Expression, depth = 0): StaticValue {
    const inner = unwrap(node);
    if (depth > MAX_PROPS_DEPTH) return new Opaque(this.evaluator.text(inner));
    if (ts.isIdentifier(inner)) {
      const bound = this.lookup(inner);
      if (bound === undefined) return this.evaluator.evaluate(inner);
      return bound.kind === 'not_static' ? new Opaque(inner.text) : this.value(bound.node, depth + 1);
    }
    if (!ts.isObjectLiteralExpression(inner)) return this.evaluator.evaluate(inner);
    const out: Record<string, StaticValue> = {};
    for (const prop of inner.properties) {
      if (ts.isSpreadAssignment(prop)) {
        // Like the evaluator: a spread that is not static adds nothing known.
        const spread = this.value(prop.expression, depth + 1);
        if (isStaticObject(spread)) Object.assign(out, spread);
        continue;
      }
      const key = prop.name === undefined ? undefined : this.key(prop.name);
      if (key === undefined) continue;
      if (ts.isPropertyAssignment(prop)) out[key] = this.value(prop.initializer, depth + 1);
      else if (ts.isShorthandPropertyAssignment(prop)) out[key] = this.value(prop.name, depth + 1);
      else out[key] = new Opaque(this.evaluator.text(prop));
    }
    return out;
  }

  /** Why props given as a name are not known: `props` is a parameter of the enclosing function, a loop variable, ... */
  whyNotStatic(node: ts.Expression): string {
    const inner = unwrap(node);
    const bound = ts.isIdentifier(inner) ? this.lookup(inner) : undefined;
    const text = this.evaluator.text(inner);
    return bound?.kind === 'not_static' ? `props ${text} are ${bound.what}, not known statically` : `props ${text} are not an object literal`;
  }

  /** The initializer expression of `key` in the props, through names and spreads (the last one wins, as at run time). */
  propNode(node: ts.Expression | undefined, key: string, depth = 0): ts.Expression | undefined {
    if (node === undefined || depth > MAX_PROPS_DEPTH) return undefined;
    const inner = unwrap(node);
    if (ts.isIdentifier(inner)) {
      const bound = this.lookup(inner);
      return bound?.kind === 'initializer' ? this.propNode(bound.node, key, depth + 1) : undefined;
    }
    if (!ts.isObjectLiteralExpression(inner)) return undefined;
    for (const prop of [...inner.properties].reverse()) {
      if (ts.isSpreadAssignment(prop)) {
        const found = this.propNode(prop.expression, key, depth + 1);
        if (found !== undefined) return found;
      } else if (prop.name !== undefined && this.key(prop.name) === key) {
        return ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      }
    }
    return undefined;
  }

  private key(name: ts.PropertyName): string | undefined {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (!ts.isComputedPropertyName(name)) return undefined;
    const value = this.evaluator.evaluate(name.expression);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }

  /** The innermost declaration of `id`'s name among the scopes that enclose it. */
  private lookup(id: ts.Identifier): LocalBinding {
    const name = id.text;
    const scopes = enclosing(this.sourceFile, id);
    for (let i = scopes.length - 1; i >= 0; i--) {
      const scope = scopes[i];
      if (scope === undefined) continue;
      if (ts.isFunctionLike(scope) && scope.parameters.some((p) => bindsName(p.name, name)))
        return { kind: 'not_static', what: 'a parameter of the enclosing function' };
      if (
        (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) &&
        scope.initializer !== undefined &&
        ts.isVariableDeclarationList(scope.initializer)
      ) {
        if (declares(scope.initializer, name) !== undefined) return { kind: 'not_static', what: 'a loop variable' };
      }
      if (ts.isCatchClause(scope) && scope.variableDeclaration !== undefined && bindsName(scope.variableDeclaration.name, name))
        return { kind: 'not_static', what: 'a catch variable' };
      if (!(ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope))) continue;
      for (const statement of scope.statements) {
        if (ts.isVariableStatement(statement)) {
          const bound = declares(statement.declarationList, name);
          if (bound !== undefined) return bound;
        } else if (
          (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
          statement.name?.text === name
        ) {
          return { kind: 'not_static', what: 'a function, class or enum' };
        }
      }
    }
    return undefined;
  }
}

/** The nodes that enclose `target`, the source file first. Found by position: the parser sets no parent links. */
function enclosing(sourceFile: ts.SourceFile, target: ts.Node): ts.Node[] {
  const chain: ts.Node[] = [];
  let current: ts.Node | undefined = sourceFile;
  while (current !== undefined) {
    chain.push(current);
    let next: ts.Node | undefined;
    ts.forEachChild(current, (child) => {
      if (child === target) return true;
      if (child.pos <= target.pos && target.end <= child.end) {
        next = child;
        return true;
      }
      return undefined;
    });
    current = next;
  }
  return chain;
}

/** A relative `.json` module as static data (`import handlers from './handlers.json'`), or undefined when it is not one. */
function jsonModule(ctx: DiscoverContext, fromFile: string, specifier: string): StaticValue | undefined {
  if (!/^\.\.?\//.test(specifier) || !specifier.endsWith('.json')) return undefined;
  const target = joinRel(dirOf(fromFile), specifier);
  if (!ctx.fileSet.has(target)) return undefined;
  const text = ctx.read(target);
  if (text === undefined) return undefined;
  try {
    return toStatic(JSON.parse(text));
  } catch {
    ctx.sink.warnings.push(`${fromFile}: ${specifier} is not valid JSON; values read from it are unknown`);
    return undefined;
  }
}

function toStatic(value: unknown): StaticValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toStatic);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toStatic(v)]));
  return undefined;
}

/** Modules followed from one stack file for shared props (`...lambdaDefaults` from './defaults'); a bound on the chase. */
const MAX_IMPORTED_MODULES = 50;

/**
 * An evaluator that follows relative imports, so props spread from a shared object in another file
 * (`{ ...lambdaDefaults, entry }`) are known. Imported modules are parsed, never run.
 */
function importingEvaluator(
  ctx: DiscoverContext,
  rel: string,
  sourceFile: ts.SourceFile,
  seen: Map<string, StaticEvaluator | null>,
): StaticEvaluator {
  return new StaticEvaluator(sourceFile, {
    fileRel: rel,
    callHook: (callee, args) => {
      // `require('./handlers.json')`: JSON is data, read as such (a module would have to be run).
      const [arg] = args;
      return callee === 'require' && typeof arg === 'string' ? jsonModule(ctx, rel, arg) : undefined;
    },
    resolveImport: (specifier, importedName) => {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) return new Opaque(specifier);
      const json = jsonModule(ctx, rel, specifier);
      if (json !== undefined) return importedName === 'default' || importedName === '*' || !isStaticObject(json) ? json : json[importedName];
      const stem = joinRel(dirOf(rel), specifier.replace(/\.[cm]?js$/, ''));
      const target = [stem, ...HANDLER_EXTENSIONS.map((e) => stem + e), ...HANDLER_EXTENSIONS.map((e) => `${stem}/index${e}`)].find(
        (f) => ctx.fileSet.has(f) && isSourceFile(f),
      );
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

function discoverStack(ctx: DiscoverContext, rel: string, regions: ReadonlyMap<string, string[]>): void {
  const text = ctx.readIf(rel, [CDK_IMPORT, /Function\s*\(/]);
  if (text === undefined) return;
  const sourceFile = parseSource(rel, text);
  const evaluator = importingEvaluator(ctx, rel, sourceFile, new Map());
  let declares = false;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const kind = constructKind(node, evaluator);
      if (kind !== null) {
        declares = true;
        discoverConstruct(ctx, rel, node, kind, evaluator, sourceFile, regions.get(appOf(ctx.fileSet, rel)) ?? []);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (declares) ctx.sink.iacFiles.push(rel);
}

function discoverConstruct(
  ctx: DiscoverContext,
  rel: string,
  node: ts.NewExpression,
  kind: ConstructKind,
  evaluator: StaticEvaluator,
  sourceFile: ts.SourceFile,
  regions: readonly string[],
): void {
  const [, idNode, propsNode] = node.arguments ?? [];
  const line = lineOf(sourceFile, node);
  const idValue = idNode === undefined ? undefined : evaluator.evaluate(idNode);
  const constructId = typeof idValue === 'string' ? idValue : idNode === undefined ? `line${line}` : evaluator.text(idNode);
  const id = `${rel}#${constructId}`;
  if (typeof idValue !== 'string') ctx.sink.warnings.push(`${id}: construct id is not a literal; using its source text`);
  const scoped = new ScopedProps(sourceFile, evaluator);
  const propsValue = propsNode === undefined ? {} : scoped.value(propsNode);
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
  const c: ConstructProps = {
    file: rel,
    sourceFile,
    evaluator,
    props,
    propNode: (key) => scoped.propNode(propsNode, key),
    line,
    appDir: appDir(ctx, rel),
  };
  describeRuntime(spec, c, regions);
  if (!isStaticObject(propsValue)) {
    spec.handler.declared = propsNode === undefined ? '' : evaluator.text(propsNode);
    recordFunction(ctx.sink, spec, {
      file: null,
      mapping: 'unresolved',
      reason: 'not_static',
      mappingNote: propsNode === undefined ? 'no props' : scoped.whyNotStatic(propsNode),
    });
    return;
  }
  if (kind === 'nodejs') {
    const handler = props['handler'];
    spec.handler.export = typeof handler === 'string' ? handler : 'handler';
    const { declared, mapped } = mapNodejsEntry(ctx, rel, constructId, props, scoped.propNode(propsNode, 'entry'), evaluator);
    spec.handler.declared = declared;
    recordFunction(ctx.sink, spec, mapped);
    spec.packaging = packagingFor(ctx, cdkPackaging(ctx, c, kind, mapped, spec.runtime), spec.handler.file);
    return;
  }
  const code = props['code'];
  if (code instanceof CallValue && /(?:^|\.)Code\.fromInline$/.test(code.callee)) {
    ctx.sink.warnings.push(`${id}: inline code (Code.fromInline) cannot be analysed; not listed`);
    return;
  }
  const handler = props['handler'];
  if (typeof handler !== 'string') {
    const handlerNode = scoped.propNode(propsNode, 'handler');
    spec.handler.declared = handlerNode === undefined ? '' : evaluator.text(handlerNode);
    recordFunction(ctx.sink, spec, {
      file: null,
      mapping: 'unresolved',
      reason: 'not_static',
      mappingNote: `handler ${spec.handler.declared} is not a string literal`,
    });
    return;
  }
  spec.handler.export = splitHandler(handler).exportName;
  spec.handler.declared = handler;
  const mapped = mapAssetHandler(ctx, c, handler);
  recordFunction(ctx.sink, spec, mapped);
  spec.packaging = packagingFor(ctx, cdkPackaging(ctx, c, kind, mapped, spec.runtime), spec.handler.file);
}

/** Layers, the two environment keys, the region the app's stacks name, the runtime's line and CDK's defaults. */
function describeRuntime(spec: FunctionSpec, c: ConstructProps, regions: readonly string[]): void {
  const settings = runtimeSettings(cdkLayers(c), cdkEnv(c));
  if (settings !== undefined) spec.runtimeSettings = settings;
  const [region] = regions;
  // One literal region for the whole app: its stacks deploy there. Several: which stack holds this one is not read.
  if (region !== undefined && regions.length === 1) spec.region = region;
  const runtimeNode = c.propNode('runtime');
  if (spec.runtime !== null && runtimeNode !== undefined) spec.runtimeDeclaredIn = { file: c.file, line: lineOf(c.sourceFile, runtimeNode) };
  applyDefaults(spec, IAC_DEFAULTS.cdk);
}

/** A compiled `lib/stack.js` committed beside `lib/stack.ts` declares the same constructs: read the source only. */
function compiledTwin(files: ReadonlySet<string>, rel: string): boolean {
  if (!/\.[cm]?js$/.test(rel)) return false;
  const stem = stripExtension(rel);
  return ['.ts', '.mts', '.cts', '.tsx'].some((ext) => files.has(stem + ext));
}

/** CDK apps read from their TypeScript/JavaScript source; never synthesised or run. */
export const cdkProvider: DiscoveryProviderModule = {
  name: 'cdk',
  discover(ctx: DiscoverContext): void {
    const stacks = ctx.files.filter((rel) => isCandidateSource(rel) && !compiledTwin(ctx.fileSet, rel));
    const regions = new Map<string, string[]>();
    for (const rel of stacks) {
      const text = ctx.readIf(rel, [CDK_IMPORT]);
      if (text === undefined) continue;
      const app = appOf(ctx.fileSet, rel);
      const list = regions.get(app) ?? [];
      for (const r of declaredRegions(text, false)) if (!list.includes(r)) list.push(r);
      regions.set(app, list);
    }
    for (const rel of stacks) discoverStack(ctx, rel, regions);
  },
};
