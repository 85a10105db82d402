import ts from '../compiler/typescript.cjs';
import type { Architecture, FunctionSpec } from '../model/result.js';
import { mapDeclaredStem } from './build-map.js';
import { splitHandler } from './handler-map.js';
import { dirOf, joinRel } from './paths.js';
import { isCandidateSource } from './source-files.js';
import { recordFunction } from './spec.js';
import { AnchoredPath, Opaque, StaticEvaluator, isStaticObject, lineOf, parseSource } from './ts-static.js';
import type { StaticObject, StaticValue } from './ts-static.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import type { LayerRef, Packaging } from '../model/result.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';
import { EXEC_WRAPPER, NODE_OPTIONS, envSettings, packagingFor, runtimeSettings } from './runtime-settings.js';

const SST_MARK = /\bsst\b|sst\/constructs|from ['"]sst/;
const CONFIGS = ['sst.config.ts', 'sst.config.mjs', 'sst.config.js', 'sst.json'];
/** Props keys that hold a function (a handler string or function props) in SST constructs. */
const FUNCTION_KEYS: ReadonlySet<string> = new Set(['job', 'consumer', 'function']);
/** v2 props keys holding `{ name: handler | { function } | queue ... }`: Topic subscribers, Bucket notifications, stream consumers. */
const FUNCTION_RECORD_KEYS: ReadonlySet<string> = new Set(['subscribers', 'notifications', 'consumers']);
/** v2 methods that add such a record after construction: `topic.addSubscribers(stack, { ... })`. */
const RECORD_METHODS: ReadonlySet<string> = new Set(['addSubscribers', 'addNotifications', 'addConsumers']);

/** SST resolves handler paths against the app root: the folder of sst.config.ts (v2/v3) or sst.json (v1). */
function appRoot(ctx: DiscoverContext, file: string): string {
  let dir = dirOf(file);
  for (;;) {
    if (CONFIGS.some((c) => ctx.fileSet.has(joinRel(dir, c)))) return dir;
    if (dir === '') return dirOf(file);
    dir = dirOf(dir);
  }
}

/** `"1024 MB"`, `"1 GB"` or a number of MB. */
function memoryOf(value: StaticValue): number | null {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(MB|GB)$/i.exec(value.trim()) : null;
  if (m === null) return null;
  return Number(m[1]) * ((m[2] ?? '').toUpperCase() === 'GB' ? 1024 : 1);
}

/** `"10 seconds"`, `"1 minute"` or a number of seconds. */
function timeoutOf(value: StaticValue): number | null {
  if (typeof value === 'number') return value;
  const m = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*(second|minute)s?$/i.exec(value.trim()) : null;
  if (m === null) return null;
  return Number(m[1]) * ((m[2] ?? '').toLowerCase() === 'minute' ? 60 : 1);
}

interface Site {
  name: string;
  line: number;
  value: StaticValue;
  /** The construct's `defaults.function`, which SST merges under each subscriber's own props. */
  defaults?: StaticObject;
}

/** A handler string, or function props holding one (`{ handler }`, `{ function: { handler } }`). */
function functionProps(value: StaticValue): StaticObject | null {
  if (typeof value === 'string') return { handler: value };
  if (!isStaticObject(value)) return null;
  if (typeof value['handler'] === 'string') return value;
  const inner = value['function'];
  if (inner !== undefined) return functionProps(inner);
  return null;
}

function calleeName(node: ts.Expression, sourceFile: ts.SourceFile): string {
  return node.getText(sourceFile).replace(/\s+/g, '');
}

/** `defaults.function` of construct props, when static. */
function functionDefaults(props: StaticValue): StaticObject | undefined {
  const defaults = isStaticObject(props) ? props['defaults'] : undefined;
  const fn = isStaticObject(defaults) ? defaults['function'] : undefined;
  return isStaticObject(fn) ? fn : undefined;
}

function collectSites(sourceFile: ts.SourceFile, evaluator: StaticEvaluator): Site[] {
  const sites: Site[] = [];
  /** The id and `defaults.function` of the construct a method is called on (`orders` of `orders.addSubscribers`), when it is built in this file. */
  const constructOf = (receiver: ts.Expression): { id: string; defaults?: StaticObject } => {
    const init = ts.isIdentifier(receiver) ? evaluator.binding(receiver.text) : undefined;
    if (init === undefined || !ts.isNewExpression(init) || init.arguments === undefined) return { id: evaluator.text(receiver) };
    const v3 = calleeName(init.expression, sourceFile).startsWith('sst.');
    const [idNode, propsNode] = v3 ? [init.arguments[0], init.arguments[1]] : [init.arguments[1], init.arguments[2]];
    const id = idNode === undefined ? undefined : evaluator.evaluate(idNode);
    const defaults = propsNode === undefined ? undefined : functionDefaults(evaluator.evaluate(propsNode));
    return { id: typeof id === 'string' ? id : evaluator.text(receiver), ...(defaults !== undefined ? { defaults } : {}) };
  };
  /** One site per entry of a subscriber record; entries that are queues, topics or Function constructs are no functions here. */
  const recordSites = (owner: string, node: ts.Expression, defaults: StaticObject | undefined, line: number): void => {
    const record = evaluator.evaluate(node);
    if (!isStaticObject(record)) return;
    const lines = evaluator.keyLocations.get(record);
    for (const [key, value] of Object.entries(record)) {
      sites.push({ name: `${owner}.${key}`, line: lines?.get(key)?.line ?? line, value, ...(defaults !== undefined ? { defaults } : {}) });
    }
  };
  const sstFunction = (callee: string): boolean => {
    if (callee === 'sst.aws.Function') return true;
    const imported = evaluator.importOf(callee);
    return callee === 'Function' && imported !== undefined && /^(sst\/constructs|@serverless-stack\/resources)$/.test(imported.specifier);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments !== undefined) {
      const callee = calleeName(node.expression, sourceFile);
      const args = node.arguments;
      if (sstFunction(callee)) {
        // v3: new sst.aws.Function(name, props); v2: new Function(stack, id, props).
        const [idNode, propsNode] = callee === 'sst.aws.Function' ? [args[0], args[1]] : [args[1], args[2]];
        const id = idNode === undefined ? undefined : evaluator.evaluate(idNode);
        if (propsNode !== undefined)
          sites.push({
            name: typeof id === 'string' ? id : `line${lineOf(sourceFile, node)}`,
            line: lineOf(sourceFile, node),
            value: evaluator.evaluate(propsNode),
          });
      } else {
        // Other constructs: handlers in `job`, `consumer`, `routes` props, and v2 records of subscribers, notifications, consumers.
        const idNode = callee.startsWith('sst.') ? args[0] : args[1];
        const id = idNode === undefined ? undefined : evaluator.evaluate(idNode);
        const propsNode = callee.startsWith('sst.') ? args[1] : args[2];
        if (propsNode !== undefined && ts.isObjectLiteralExpression(propsNode)) {
          const owner = typeof id === 'string' ? id : 'construct';
          for (const prop of propsNode.properties) {
            if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) continue;
            const key = prop.name.text;
            if (FUNCTION_RECORD_KEYS.has(key))
              recordSites(owner, prop.initializer, functionDefaults(evaluator.evaluate(propsNode)), lineOf(sourceFile, prop));
            if (FUNCTION_KEYS.has(key))
              sites.push({ name: `${owner}.${key}`, line: lineOf(sourceFile, prop), value: evaluator.evaluate(prop.initializer) });
            if (key === 'routes' && ts.isObjectLiteralExpression(prop.initializer)) routeObject(prop.initializer);
          }
        }
      }
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const [first, second] = node.arguments;
      if (method === 'route' && first !== undefined && second !== undefined) {
        const key = evaluator.evaluate(first);
        sites.push({
          name: typeof key === 'string' ? key : evaluator.text(first),
          line: lineOf(sourceFile, node),
          value: evaluator.evaluate(second),
        });
      } else if (method === 'addRoutes' && second !== undefined && ts.isObjectLiteralExpression(second)) {
        routeObject(second);
      } else if (RECORD_METHODS.has(method) && second !== undefined) {
        const owner = constructOf(node.expression.expression);
        recordSites(owner.id, second, owner.defaults, lineOf(sourceFile, node));
      } else if (method === 'addConsumer' && second !== undefined) {
        // v2 `queue.addConsumer(stack, consumer)`: the queue's one consumer, as the `consumer` prop would declare it.
        const owner = constructOf(node.expression.expression);
        sites.push({
          name: `${owner.id}.consumer`,
          line: lineOf(sourceFile, node),
          value: evaluator.evaluate(second),
          ...(owner.defaults !== undefined ? { defaults: owner.defaults } : {}),
        });
      } else if (method === 'subscribe' && first !== undefined) {
        const head = evaluator.evaluate(first);
        const subscriber = second === undefined ? undefined : evaluator.evaluate(second);
        if (typeof head === 'string' && subscriber !== undefined && functionProps(subscriber) !== null) {
          // v3 `topic.subscribe(name, subscriber, args)` (SnsTopic, Bus, streams): the name is no handler.
          sites.push({ name: `${constructOf(node.expression.expression).id}.${head}`, line: lineOf(sourceFile, node), value: subscriber });
        } else {
          // earlier v3 `bucket.subscribe(subscriber, args)`, and Queue's `subscribe(subscriber, args)`
          const target = ts.isIdentifier(node.expression.expression) ? node.expression.expression.text : 'subscriber';
          sites.push({ name: `${target}.subscribe`, line: lineOf(sourceFile, node), value: head });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  const routeObject = (obj: ts.ObjectLiteralExpression): void => {
    for (const prop of obj.properties) {
      if (!ts.isPropertyAssignment(prop)) continue;
      const key = ts.isStringLiteral(prop.name) || ts.isIdentifier(prop.name) ? prop.name.text : evaluator.text(prop.name);
      sites.push({ name: key, line: lineOf(sourceFile, prop), value: evaluator.evaluate(prop.initializer) });
    }
  };
  visit(sourceFile);
  return sites;
}

function discoverFile(ctx: DiscoverContext, rel: string): void {
  const text = ctx.readIf(rel, [SST_MARK, /handler|route|Routes|\.subscribe|ubscribers|otifications|job|consumer|Consumer/]);
  if (text === undefined) return;
  const sourceFile = parseSource(rel, text);
  const evaluator = new StaticEvaluator(sourceFile, { fileRel: rel });
  const sites = collectSites(sourceFile, evaluator);
  const root = appRoot(ctx, rel);
  // v2 imports its constructs; v3 uses the global `sst.aws.*` and has no such import.
  const v3 = !/['"](sst\/constructs|@serverless-stack\/resources)['"]/.test(text);
  const region = sstRegion(ctx, root);
  let found = false;
  for (const site of sites) {
    const own = functionProps(site.value);
    if (own === null) continue;
    const props: StaticObject = site.defaults === undefined ? own : { ...site.defaults, ...own };
    const handler = props['handler'];
    if (typeof handler !== 'string' && !(handler instanceof AnchoredPath)) continue;
    found = true;
    const declared = typeof handler === 'string' ? handler : handler.rel;
    const { stem, exportName } = splitHandler(declared);
    const arch = props['architecture'];
    const name = props['name'] ?? props['functionName'];
    const spec: FunctionSpec = {
      id: `${rel}#${site.name}`,
      name: site.name,
      provider: 'sst',
      deployedNames: typeof name === 'string' ? [name] : [],
      runtime: typeof props['runtime'] === 'string' ? props['runtime'] : null,
      architecture: arch === 'arm64' || arch === 'x86_64' ? (arch satisfies Architecture) : null,
      memoryMB: memoryOf(props['memory'] ?? props['memorySize']),
      timeoutS: timeoutOf(props['timeout']),
      declaredIn: { file: rel, line: site.line },
      handler: { file: null, export: exportName, declared, mapping: 'unresolved' },
    };
    describeSstRuntime(ctx, spec, props, [own, site.defaults], evaluator, v3, region);
    recordFunction(ctx.sink, spec, mapDeclaredStem(ctx, handler instanceof AnchoredPath ? stem : joinRel(root, stem), declared));
    spec.packaging = packagingFor(ctx, sstPackaging(props, v3, rel, site.line), spec.handler.file);
  }
  if (found) ctx.sink.iacFiles.push(rel);
}

/** The line of `key` in whichever of the objects the merged props came from (the function's own first). */
function keyLine(evaluator: StaticEvaluator, sources: ReadonlyArray<StaticObject | undefined>, key: string, fallback: number): number {
  for (const source of sources) {
    const at = source === undefined ? undefined : evaluator.keyLocations.get(source)?.get(key);
    if (at !== undefined && source !== undefined && key in source) return at.line;
  }
  return fallback;
}

/** Layers, the two environment keys, the app's region, the runtime's line, and SST's defaults for its version. */
function describeSstRuntime(
  ctx: DiscoverContext,
  spec: FunctionSpec,
  props: StaticObject,
  sources: ReadonlyArray<StaticObject | undefined>,
  evaluator: StaticEvaluator,
  v3: boolean,
  region: string | undefined,
): void {
  const layerList = props['layers'];
  const layers: LayerRef[] = Array.isArray(layerList)
    ? layerList.map((l) => ({
        ref: typeof l === 'string' ? l : l instanceof Opaque ? l.text : 'layer',
        line: keyLine(evaluator, sources, 'layers', spec.declaredIn.line),
      }))
    : [];
  const env = props['environment'];
  const picked: Record<string, unknown> = {};
  // Only the two keys are read; no other environment value is looked at.
  if (isStaticObject(env)) for (const key of [NODE_OPTIONS, EXEC_WRAPPER]) if (typeof env[key] === 'string') picked[key] = env[key];
  const envLine = (key: string): number => {
    const at = isStaticObject(env) ? evaluator.keyLocations.get(env)?.get(key) : undefined;
    return at?.line ?? spec.declaredIn.line;
  };
  const settings = runtimeSettings(layers, envSettings(picked, envLine));
  if (settings !== undefined) spec.runtimeSettings = settings;
  if (region !== undefined) spec.region = region;
  if (spec.runtime !== null)
    spec.runtimeDeclaredIn = { file: spec.declaredIn.file, line: keyLine(evaluator, sources, 'runtime', spec.declaredIn.line) };
  applyDefaults(spec, v3 ? IAC_DEFAULTS.sstV3 : IAC_DEFAULTS.sstV2);
  void ctx;
}

/** SST bundles Node.js functions with esbuild; v3's `bundle: dir` deploys a folder built elsewhere as it is. */
function sstPackaging(props: StaticObject, v3: boolean, file: string, line: number): Packaging {
  if (v3 && props['bundle'] !== undefined)
    return { form: 'unknown', tool: null, basis: 'bundle: SST deploys a folder built elsewhere as it is', declaredIn: { file, line } };
  const nodejs = props['nodejs'];
  const opts = isStaticObject(nodejs)
    ? ['minify', 'format', 'sourcemap', 'splitting'].filter((k) => nodejs[k] !== undefined).map((k) => `${k} ${JSON.stringify(nodejs[k])}`)
    : [];
  return {
    form: 'bundled',
    tool: 'esbuild',
    basis: `SST ${v3 ? 'v3' : 'v2'} bundles Node.js functions with esbuild${opts.length > 0 ? ` (nodejs ${opts.join(', ')})` : ''}`,
    declaredIn: { file, line },
  };
}

/** A literal region in the app's sst.config (v2 `config()` or v3 `providers.aws.region`). */
function sstRegion(ctx: DiscoverContext, root: string): string | undefined {
  for (const name of CONFIGS) {
    const rel = joinRel(root, name);
    if (!ctx.fileSet.has(rel)) continue;
    const regions = new Set([...(ctx.read(rel) ?? '').matchAll(/\bregion\s*:\s*['"`]([a-z]{2}(?:-[a-z]+)+-\d)['"`]/g)].map((m) => m[1] ?? ''));
    return regions.size === 1 ? [...regions][0] : undefined;
  }
  return undefined;
}

/** SST v2 (`sst/constructs`) and v3 (`sst.aws.*`): functions, API routes, crons, queue consumers, subscribers and notifications. */
export const sstProvider: DiscoveryProviderModule = {
  name: 'sst',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) if (isCandidateSource(rel)) discoverFile(ctx, rel);
  },
};
