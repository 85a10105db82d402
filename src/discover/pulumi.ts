import ts from '../compiler/typescript.cjs';
import type { Architecture, FunctionSpec, LayerRef, Packaging } from '../model/result.js';
import { mapDeclaredStem } from './build-map.js';
import { splitHandler } from './handler-map.js';
import type { MappedHandler } from './handler-map.js';
import { filesIn } from './file-index.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';
import { dirOf, joinRel, stripExtension } from './paths.js';
import { EXEC_WRAPPER, NODE_OPTIONS, bundlerOf, envSettings, packagingFor, runtimeSettings } from './runtime-settings.js';
import { isCandidateSource } from './source-files.js';
import { recordFunction, recordNotAnalysed } from './spec.js';
import { AnchoredPath, CallValue, Opaque, StaticEvaluator, isStaticObject, lineOf, parseSource } from './ts-static.js';
import type { StaticObject, StaticValue } from './ts-static.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';

const PULUMI_IMPORT = /['"]@pulumi\/aws['"]/;
const FUNCTION_CLASS = /(^|\.)lambda\.Function$/;
const CALLBACK_CLASS = /(^|\.)lambda\.CallbackFunction$/;

/** Pulumi runs the program from its project folder (where Pulumi.yaml is); relative asset paths start there. */
export function projectDir(ctx: Pick<DiscoverContext, 'fileSet'>, file: string): string {
  let dir = dirOf(file);
  for (;;) {
    if (ctx.fileSet.has(joinRel(dir, 'Pulumi.yaml')) || ctx.fileSet.has(joinRel(dir, 'Pulumi.yml'))) return dir;
    if (dir === '') return dirOf(file);
    dir = dirOf(dir);
  }
}

/** `aws:region` of the project's stack files (Pulumi.<stack>.yaml) when they all name the same one. */
function projectRegion(ctx: DiscoverContext, dir: string): string | undefined {
  const regions = new Set<string>();
  for (const rel of filesIn(ctx.fileSet, dir)) {
    if (!/^Pulumi\.[\w.-]+\.ya?ml$/.test(rel.slice(dir === '' ? 0 : dir.length + 1))) continue;
    const m = /^\s*aws:region\s*:\s*["']?([a-z]{2}(?:-[a-z]+)+-\d)["']?\s*$/m.exec(ctx.read(rel) ?? '');
    if (m?.[1] !== undefined) regions.add(m[1]);
  }
  return regions.size === 1 ? [...regions][0] : undefined;
}

/** `aws.lambda.Runtime.NodeJS20dX` -> `nodejs20.x`; strings pass through. */
function runtimeOf(value: StaticValue): string | null {
  if (typeof value === 'string') return value;
  if (!(value instanceof Opaque)) return null;
  const m = /NodeJS(\d+)dX$/i.exec(value.text);
  if (m !== null) return `nodejs${m[1] ?? ''}.x`;
  const py = /Python(\d)d(\d+)$/i.exec(value.text);
  return py === null ? null : `python${py[1] ?? ''}.${py[2] ?? ''}`;
}

/** Values of a component's constructor parameters at one instantiation (`args` -> `{ handler: 'a.handler' }`). */
type Params = ReadonlyMap<string, StaticValue>;

/** `args.code.dir` read against the component's parameters, for a value the evaluator left opaque. */
function withParams(value: StaticValue, params: Params): StaticValue {
  if (value instanceof Opaque) {
    const m = /^([A-Za-z_$][\w$]*)((?:\??\.[A-Za-z_$][\w$]*)*)$/.exec(value.text.replace(/\s+/g, ''));
    if (m === null || !params.has(m[1] ?? '')) return value;
    let out: StaticValue = params.get(m[1] ?? '');
    for (const key of (m[2] ?? '').split(/\??\./).filter((k) => k !== '')) out = isStaticObject(out) ? out[key] : undefined;
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => withParams(v, params));
  if (value instanceof CallValue)
    return new CallValue(
      value.callee,
      value.args.map((a) => withParams(a, params)),
    );
  if (isStaticObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withParams(v, params)]));
  return value;
}

interface Program {
  ctx: DiscoverContext;
  rel: string;
  sourceFile: ts.SourceFile;
  evaluator: StaticEvaluator;
  cwd: string;
  region: string | undefined;
}

/** What the code of a function is: a folder, or a file-by-file archive (`{ 'index.js': new FileAsset(src) }`). */
type CodeValue = { dir: string } | { files: Map<string, string> } | null;

function codeOf(p: Program, node: ts.Expression | undefined, params: Params): CodeValue {
  if (node === undefined) return null;
  if (ts.isIdentifier(node)) return params.has(node.text) ? null : codeOf(p, p.evaluator.binding(node.text), params);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const v = withParams(p.evaluator.evaluate(node), params);
    return typeof v === 'string' ? { dir: joinRel(p.cwd, v) } : v instanceof AnchoredPath ? { dir: v.rel } : null;
  }
  if (!ts.isNewExpression(node)) return null;
  const callee = p.evaluator.text(node.expression);
  const [arg] = node.arguments ?? [];
  if (arg === undefined) return null;
  if (/FileArchive$/.test(callee)) {
    const v = withParams(p.evaluator.evaluate(arg), params);
    if (v instanceof AnchoredPath) return { dir: v.rel };
    return typeof v === 'string' && !v.startsWith('/') && !/\.(zip|jar)$/.test(v) ? { dir: joinRel(p.cwd, v) } : null;
  }
  if (/AssetArchive$/.test(callee) && ts.isObjectLiteralExpression(arg)) {
    const whole = propInit(arg, '.');
    if (whole !== undefined) return codeOf(p, whole, params);
    const files = new Map<string, string>();
    for (const prop of arg.properties) {
      if (
        !ts.isPropertyAssignment(prop) ||
        !ts.isNewExpression(prop.initializer) ||
        !/FileAsset$/.test(p.evaluator.text(prop.initializer.expression))
      )
        continue;
      const key = ts.isStringLiteral(prop.name) || ts.isIdentifier(prop.name) ? prop.name.text : null;
      const [src] = prop.initializer.arguments ?? [];
      const v = src === undefined ? undefined : withParams(p.evaluator.evaluate(src), params);
      const path = v instanceof AnchoredPath ? v.rel : typeof v === 'string' ? joinRel(p.cwd, v) : null;
      if (key !== null && path !== null) files.set(stripExtension(key), path);
    }
    return files.size > 0 ? { files } : null;
  }
  return null;
}

function propInit(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const prop of obj.properties) {
    if (prop.name === undefined || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) || prop.name.text !== key) continue;
    if (ts.isPropertyAssignment(prop)) return prop.initializer;
    if (ts.isShorthandPropertyAssignment(prop)) return prop.name;
  }
  return undefined;
}

/** `layers: [layer.arn, 'arn:...']`; a layer built in the program from a local FileArchive maps to its folder. */
function layersOf(p: Program, propsNode: ts.Expression | undefined, params: Params): LayerRef[] {
  const list = propsNode !== undefined && ts.isObjectLiteralExpression(propsNode) ? propInit(propsNode, 'layers') : undefined;
  if (list === undefined || !ts.isArrayLiteralExpression(list)) return [];
  return list.elements.map((el) => {
    const line = lineOf(p.sourceFile, el);
    const value = withParams(p.evaluator.evaluate(el), params);
    if (typeof value === 'string') return { ref: value, line };
    const owner = ts.isPropertyAccessExpression(el) && ts.isIdentifier(el.expression) ? p.evaluator.binding(el.expression.text) : undefined;
    if (owner !== undefined && ts.isNewExpression(owner) && /(^|\.)lambda\.LayerVersion$/.test(p.evaluator.text(owner.expression))) {
      const [nameNode, layerProps] = owner.arguments ?? [];
      const name = nameNode === undefined ? undefined : p.evaluator.evaluate(nameNode);
      const code = layerProps !== undefined && ts.isObjectLiteralExpression(layerProps) ? codeOf(p, propInit(layerProps, 'code'), new Map()) : null;
      return { ref: typeof name === 'string' ? name : p.evaluator.text(el), ...(code !== null && 'dir' in code ? { localDir: code.dir } : {}), line };
    }
    return { ref: p.evaluator.text(el), line };
  });
}

/** NODE_OPTIONS and AWS_LAMBDA_EXEC_WRAPPER from `environment: { variables: {...} }`, nothing else. */
function envOf(p: Program, props: StaticObject, propsNode: ts.Expression | undefined, line: number): ReturnType<typeof envSettings> {
  const env = props['environment'];
  const variables = isStaticObject(env) ? env['variables'] : undefined;
  if (!isStaticObject(variables)) return {};
  const picked: Record<string, unknown> = {};
  for (const key of [NODE_OPTIONS, EXEC_WRAPPER]) if (typeof variables[key] === 'string') picked[key] = variables[key];
  const envNode = propsNode !== undefined && ts.isObjectLiteralExpression(propsNode) ? propInit(propsNode, 'environment') : undefined;
  const varsNode = envNode !== undefined && ts.isObjectLiteralExpression(envNode) ? propInit(envNode, 'variables') : undefined;
  return envSettings(picked, (key) => {
    const n = varsNode !== undefined && ts.isObjectLiteralExpression(varsNode) ? propInit(varsNode, key) : undefined;
    return n === undefined ? line : lineOf(p.sourceFile, n);
  });
}

/** A function declaration site: the name, the props node and the component parameters in scope there. */
interface Site {
  kind: 'function' | 'callback';
  at: ts.Node;
  name: StaticValue;
  propsNode: ts.Expression | undefined;
  params: Params;
  /** Where the function is declared when that is a component's instantiation in another file. */
  where?: { file: string; line: number };
}

function discoverResource(p: Program, site: Site): void {
  const { ctx } = p;
  const rel = site.where?.file ?? p.rel;
  const line = site.where?.line ?? lineOf(p.sourceFile, site.at);
  if (site.where !== undefined) ctx.sink.iacFiles.push(site.where.file);
  const name = typeof site.name === 'string' ? site.name : `line${line}`;
  const propsValue = site.propsNode === undefined ? {} : withParams(p.evaluator.evaluate(site.propsNode), site.params);
  const props = isStaticObject(propsValue) ? propsValue : {};
  const arch = Array.isArray(props['architectures']) ? props['architectures'][0] : undefined;
  const explicitName = props['name'];
  const spec: FunctionSpec = {
    id: `${rel}#${name}`,
    name,
    provider: 'pulumi',
    // Pulumi auto-names `<name>-<random 7 hex>` unless `name` is set.
    deployedNames: typeof explicitName === 'string' ? [explicitName] : [name],
    runtime: runtimeOf(props['runtime']),
    architecture: arch === 'arm64' || arch === 'x86_64' ? (arch satisfies Architecture) : null,
    memoryMB: typeof props['memorySize'] === 'number' ? props['memorySize'] : null,
    timeoutS: typeof props['timeout'] === 'number' ? props['timeout'] : null,
    declaredIn: { file: rel, line },
    handler: { file: null, export: 'handler', declared: '', mapping: 'unresolved' },
  };
  const settings = runtimeSettings(layersOf(p, site.propsNode, site.params), envOf(p, props, site.propsNode, line));
  if (settings !== undefined) spec.runtimeSettings = settings;
  if (p.region !== undefined) spec.region = p.region;
  if (site.kind === 'callback') {
    discoverCallback(p, spec, site.propsNode);
    return;
  }
  applyDefaults(spec, IAC_DEFAULTS.pulumi);
  const handler = props['handler'];
  if (typeof handler !== 'string') {
    recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: 'handler is not a string literal' });
    return;
  }
  spec.handler.declared = handler;
  const { stem, exportName } = splitHandler(handler);
  spec.handler.export = exportName;
  const code =
    site.propsNode !== undefined && ts.isObjectLiteralExpression(site.propsNode) ? codeOf(p, propInit(site.propsNode, 'code'), site.params) : null;
  let mapped: MappedHandler;
  if (code === null)
    mapped = { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: 'code is not a local FileArchive/AssetArchive folder' };
  else if ('dir' in code) mapped = mapDeclaredStem(ctx, joinRel(code.dir, stem), handler);
  else {
    const source = code.files.get(stem);
    mapped =
      source === undefined
        ? { file: null, mapping: 'unresolved', mappingNote: `the AssetArchive has no ${stem}.js` }
        : mapDeclaredStem(ctx, stripExtension(source), handler);
  }
  recordFunction(ctx.sink, spec, mapped);
  spec.packaging = packagingFor(ctx, archivePackaging(ctx, mapped, rel, line), spec.handler.file);
}

/** An archive of a folder ships files, unless the folder is a bundler's output (the build mapping says which). */
function archivePackaging(ctx: DiscoverContext, mapped: MappedHandler, file: string, line: number): Packaging {
  const tool = bundlerOf(ctx, mapped);
  if (tool !== null)
    return { form: 'bundled', tool, basis: `the archived code is ${tool} output: ${mapped.mappingNote ?? ''}`, declaredIn: { file, line } };
  return { form: 'unbundled', tool: null, basis: 'Pulumi archives the code folder as files', declaredIn: { file, line } };
}

function discoverCallback(p: Program, spec: FunctionSpec, propsNode: ts.Expression | undefined): void {
  const cb = propsNode !== undefined && ts.isObjectLiteralExpression(propsNode) ? propInit(propsNode, 'callback') : undefined;
  let imported = cb !== undefined && ts.isIdentifier(cb) ? p.evaluator.importOf(cb.text) : undefined;
  if (cb !== undefined && ts.isPropertyAccessExpression(cb) && ts.isIdentifier(cb.expression)) {
    // `import * as lambda from './lambda'` ... `callback: lambda.handler`
    const ns = p.evaluator.importOf(cb.expression.text);
    if (ns?.name === '*') imported = { specifier: ns.specifier, name: cb.name.text };
  }
  if (imported !== undefined && imported.specifier.startsWith('.')) {
    // A callback imported from the service's own module: that module's load is the function's init.
    const stem = joinRel(dirOf(p.rel), imported.specifier.replace(/\.[cm]?js$/, ''));
    spec.handler.export = imported.name;
    spec.handler.declared = `${imported.specifier}#${imported.name}`;
    recordFunction(p.ctx.sink, spec, mapDeclaredStem(p.ctx, stem, spec.handler.declared));
    spec.packaging = {
      form: 'unbundled',
      tool: null,
      basis: 'CallbackFunction: Pulumi serialises the closure and packages the node_modules it needs as files',
      declaredIn: spec.declaredIn,
    };
    return;
  }
  recordNotAnalysed(
    p.ctx.sink,
    spec,
    'inline_code',
    'CallbackFunction closure',
    'CallbackFunction with an inline closure is serialised by Pulumi at deploy time; not analysable as a module',
  );
}

/** A component: the class (its constructor) or function whose body holds a function declaration. */
interface Component {
  name: string;
  params: readonly ts.ParameterDeclaration[];
  body: ts.Node;
}

/** The class or function whose body holds `node`, when it is a named declaration of the file. */
function enclosingComponent(sourceFile: ts.SourceFile, node: ts.Node): Component | null {
  let found: Component | null = null;
  const visit = (n: ts.Node): void => {
    if (n.pos > node.pos || n.end < node.end) return;
    if (ts.isClassDeclaration(n) && n.name !== undefined) {
      const ctor = n.members.find(ts.isConstructorDeclaration);
      if (ctor !== undefined && ctor.pos <= node.pos && node.end <= ctor.end) found = { name: n.name.text, params: ctor.parameters, body: ctor };
    } else if (ts.isFunctionDeclaration(n) && n.name !== undefined) {
      found = { name: n.name.text, params: n.parameters, body: n };
    } else if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
    ) {
      found = { name: n.name.text, params: n.initializer.parameters, body: n.initializer };
    }
    ts.forEachChild(n, visit);
  };
  visit(sourceFile);
  return found;
}

/** Binds the names of `pattern` (`{ name, dir: codeDir }`) to the fields of `value`. */
function bindPattern(pattern: ts.BindingName, value: StaticValue, into: Map<string, StaticValue>): void {
  if (ts.isIdentifier(pattern)) {
    into.set(pattern.text, value);
    return;
  }
  if (!ts.isObjectBindingPattern(pattern)) return;
  for (const el of pattern.elements) {
    if (el.dotDotDotToken !== undefined || !ts.isIdentifier(el.name)) continue;
    const key =
      el.propertyName !== undefined && (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName))
        ? el.propertyName.text
        : el.name.text;
    into.set(el.name.text, isStaticObject(value) ? value[key] : undefined);
  }
}

/** Parameter values of one instantiation, with `const { a, b } = params` destructurings in the body followed. */
function componentParams(component: Component, args: readonly StaticValue[]): Map<string, StaticValue> {
  const params = new Map<string, StaticValue>();
  component.params.forEach((param, i) => bindPattern(param.name, args[i], params));
  const visit = (n: ts.Node): void => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isObjectBindingPattern(n.name) &&
      n.initializer !== undefined &&
      ts.isIdentifier(n.initializer) &&
      params.has(n.initializer.text)
    ) {
      bindPattern(n.name, params.get(n.initializer.text), params);
    }
    ts.forEachChild(n, visit);
  };
  visit(component.body);
  return params;
}

interface Instance {
  at: ts.Node;
  args: StaticValue[];
  where?: { file: string; line: number };
}

/**
 * Instantiations of a component (`new LambdaFn('orders', {...})`, `makeFn('orders', {...})`) in its own file, or
 * in a file that imports it (`import { LambdaFn } from './components/lambda'`, or `comps.LambdaFn` from a namespace
 * import), each evaluated in the file that writes it.
 */
function instancesOf(p: Program, component: string): Instance[] {
  const out: Instance[] = [];
  const scan = (
    sourceFile: ts.SourceFile,
    evaluator: StaticEvaluator,
    file: string | null,
    namespaces: ReadonlySet<string>,
    local: boolean,
  ): void => {
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) || ts.isCallExpression(n)) {
        const callee = n.expression;
        const direct = ts.isIdentifier(callee) && callee.text === component && local;
        const viaNs =
          ts.isPropertyAccessExpression(callee) &&
          callee.name.text === component &&
          ts.isIdentifier(callee.expression) &&
          namespaces.has(callee.expression.text);
        if (direct || viaNs) {
          const args = (n.arguments ?? []).map((a) => evaluator.evaluate(a));
          out.push({ at: n, args, ...(file !== null ? { where: { file, line: lineOf(sourceFile, n) } } : {}) });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sourceFile);
  };
  scan(p.sourceFile, p.evaluator, null, new Set(), true);
  const self = stripExtension(p.rel);
  for (const other of p.ctx.files) {
    if (other === p.rel || !isCandidateSource(other)) continue;
    const text = p.ctx.read(other);
    if (text === undefined || !text.includes(component) || !/\bimport\b|\brequire\(/.test(text)) continue;
    const parsed = parsedFile(p.ctx, other, text);
    const fromHere = (specifier: string): boolean => {
      if (!specifier.startsWith('.')) return false;
      const stem = joinRel(dirOf(other), specifier.replace(/\.[cm]?[jt]s$/, ''));
      return stem === self || `${stem}/index` === self;
    };
    const named = parsed.evaluator.importOf(component);
    const namespaces = new Set<string>();
    for (const stmt of parsed.sourceFile.statements) {
      if (!ts.isImportDeclaration(stmt) || !ts.isStringLiteral(stmt.moduleSpecifier) || !fromHere(stmt.moduleSpecifier.text)) continue;
      const bindings = stmt.importClause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    }
    const local = named !== undefined && named.name === component && fromHere(named.specifier);
    if (local || namespaces.size > 0) scan(parsed.sourceFile, parsed.evaluator, other, namespaces, local);
  }
  return out;
}

const parsedFiles = new WeakMap<DiscoverContext, Map<string, { sourceFile: ts.SourceFile; evaluator: StaticEvaluator }>>();

/** A file parsed once per discovery, with its evaluator. */
function parsedFile(ctx: DiscoverContext, rel: string, text: string): { sourceFile: ts.SourceFile; evaluator: StaticEvaluator } {
  let cache = parsedFiles.get(ctx);
  if (cache === undefined) {
    cache = new Map();
    parsedFiles.set(ctx, cache);
  }
  let hit = cache.get(rel);
  if (hit === undefined) {
    const sourceFile = parseSource(rel, text);
    hit = { sourceFile, evaluator: new StaticEvaluator(sourceFile, { fileRel: rel }) };
    cache.set(rel, hit);
  }
  return hit;
}

/** `new aws.lambda.Function(name, props)` and the class passed to a helper: `app.addResource(aws.lambda.Function, { name, config })`. */
function collectSites(p: Program): Site[] {
  const sites: Site[] = [];
  const none: Params = new Map();
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments !== undefined) {
      const callee = p.evaluator.text(node.expression).replace(/\s+/g, '');
      const kind = FUNCTION_CLASS.test(callee) ? 'function' : CALLBACK_CLASS.test(callee) ? 'callback' : null;
      const [nameNode, propsNode] = node.arguments;
      if (kind !== null)
        sites.push({ kind, at: node, name: nameNode === undefined ? undefined : p.evaluator.evaluate(nameNode), propsNode, params: none });
    } else if (ts.isCallExpression(node)) {
      const classArg = node.arguments.find((a) => FUNCTION_CLASS.test(p.evaluator.text(a).replace(/\s+/g, '')));
      const objArg = node.arguments.find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a));
      if (classArg !== undefined && objArg !== undefined) {
        // The helper's own object: `{ name, config | args | props }`, or the props themselves next to a name.
        const inner = propInit(objArg, 'config') ?? propInit(objArg, 'args') ?? propInit(objArg, 'props');
        const nameNode = propInit(objArg, 'name') ?? node.arguments.find((a) => ts.isStringLiteral(a));
        sites.push({
          kind: 'function',
          at: node,
          name: nameNode === undefined ? undefined : p.evaluator.evaluate(nameNode),
          propsNode: inner ?? objArg,
          params: none,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(p.sourceFile);
  return sites.flatMap((site) => expandComponent(p, site));
}

/**
 * A function built inside a component class or factory from its parameters stands for one function per
 * instantiation in the file, each named by the instance's first argument.
 */
function expandComponent(p: Program, site: Site): Site[] {
  const component = enclosingComponent(p.sourceFile, site.at);
  if (component === null || component.params.length === 0) return [site];
  const instances = instancesOf(p, component.name);
  if (instances.length === 0) return [site];
  return instances.map((instance) => {
    const params = componentParams(component, instance.args);
    const siteName = site.name instanceof Opaque ? withParams(site.name, params) : site.name;
    const first = instance.args[0];
    const name = typeof siteName === 'string' ? siteName : typeof first === 'string' ? first : siteName;
    return { ...site, at: instance.at, name, params, ...(instance.where !== undefined ? { where: instance.where } : {}) };
  });
}

function discoverProgram(ctx: DiscoverContext, rel: string): void {
  const text = ctx.readIf(rel, [PULUMI_IMPORT, /lambda\s*\.\s*(Callback)?Function\b/]);
  if (text === undefined) return;
  const sourceFile = parseSource(rel, text);
  const cwd = projectDir(ctx, rel);
  const p: Program = { ctx, rel, sourceFile, evaluator: new StaticEvaluator(sourceFile, { fileRel: rel }), cwd, region: projectRegion(ctx, cwd) };
  const sites = collectSites(p);
  for (const site of sites) discoverResource(p, site);
  if (sites.length > 0) ctx.sink.iacFiles.push(rel);
}

/** Pulumi programs (`@pulumi/aws`): `new aws.lambda.Function` and `CallbackFunction`, read as an AST, never run. */
export const pulumiProvider: DiscoveryProviderModule = {
  name: 'pulumi',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) if (isCandidateSource(rel)) discoverProgram(ctx, rel);
  },
};
