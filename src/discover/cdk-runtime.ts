import ts from '../compiler/typescript.cjs';
import type { LayerRef, Packaging } from '../model/result.js';
import type { MappedHandler } from './handler-map.js';
import { dirOf, joinRel } from './paths.js';
import { EXEC_WRAPPER, NODE_OPTIONS, bundlerOf, envSettings } from './runtime-settings.js';
import type { DiscoverContext } from './types.js';
import type { EnvSettings } from './runtime-settings.js';
import { AnchoredPath, CallValue, Opaque, isStaticObject, lineOf } from './ts-static.js';
import type { StaticEvaluator } from './ts-static.js';
import type { StaticObject, StaticValue } from './ts-static.js';

/** What the CDK reader hands over for one construct: the props as values and as nodes, with the file's evaluator. */
export interface ConstructProps {
  file: string;
  sourceFile: ts.SourceFile;
  evaluator: StaticEvaluator;
  props: StaticObject;
  /** The node a prop key is written with (through spreads and names), when found. */
  propNode(key: string): ts.Expression | undefined;
  line: number;
  /** Root-relative folder relative asset paths start from (the cdk.json folder). */
  appDir: string;
}

/** Root-relative path of a static path value; null when it is not static. */
export function staticPath(value: StaticValue, cwd: string): string | null {
  if (value instanceof AnchoredPath) return value.rel;
  if (typeof value === 'string' && !value.startsWith('/')) return joinRel(cwd, value);
  return null;
}

/** The asset folder of a code value: `Code.fromAsset(dir)`, `Code.asset(dir)` (v1), `new AssetCode(dir)`. */
export function assetDir(c: ConstructProps, code: StaticValue, node: ts.Expression | undefined): { dir: string | null; what: string } | null {
  if (code instanceof CallValue && /(?:^|\.)(?:Code\.fromAsset|Code\.asset|AssetCode\.fromAsset)$/.test(code.callee)) {
    return { dir: staticPath(code.args[0], c.appDir), what: `${code.callee}(...)` };
  }
  let target = node;
  if (target !== undefined && ts.isIdentifier(target)) target = c.evaluator.binding(target.text);
  if (target !== undefined && ts.isNewExpression(target) && /(?:^|\.)AssetCode$/.test(c.evaluator.text(target.expression))) {
    const [arg] = target.arguments ?? [];
    return {
      dir: arg === undefined ? null : staticPath(c.evaluator.evaluate(arg), c.appDir),
      what: `new ${c.evaluator.text(target.expression)}(...)`,
    };
  }
  return null;
}

/** The construct id and the asset folder of a `new LayerVersion(this, 'Id', { code: Code.fromAsset(dir) })`. */
function localLayer(c: ConstructProps, node: ts.NewExpression): LayerRef | null {
  if (!/(?:^|\.)LayerVersion$/.test(c.evaluator.text(node.expression))) return null;
  const [, idNode, propsNode] = node.arguments ?? [];
  const id = idNode === undefined ? undefined : c.evaluator.evaluate(idNode);
  const props = propsNode === undefined ? undefined : c.evaluator.evaluate(propsNode);
  const codeNode = propsNode !== undefined && ts.isObjectLiteralExpression(propsNode) ? objectProp(propsNode, 'code') : undefined;
  const code = isStaticObject(props) ? props['code'] : undefined;
  const dir = assetDir(c, code, codeNode)?.dir ?? null;
  return { ref: typeof id === 'string' ? id : c.evaluator.text(node), ...(dir !== null ? { localDir: dir } : {}), line: lineOf(c.sourceFile, node) };
}

function objectProp(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (p.name === undefined || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) || p.name.text !== key) continue;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p)) return p.name;
  }
  return undefined;
}

/** One element of `layers: [...]`: an imported ARN, a layer built here, or a name the file binds to one of those. */
function layerOf(c: ConstructProps, element: ts.Expression, line: number): LayerRef {
  let node: ts.Expression | undefined = element;
  if (ts.isIdentifier(node)) node = c.evaluator.binding(node.text) ?? node;
  if (ts.isNewExpression(node)) {
    const local = localLayer(c, node);
    if (local !== null) return { ...local, line };
  }
  if (ts.isCallExpression(node) && /(?:^|\.)LayerVersion\.fromLayerVersion(Arn|Attributes)$/.test(c.evaluator.text(node.expression))) {
    const arg = node.arguments[2];
    const value = arg === undefined ? undefined : c.evaluator.evaluate(arg);
    const arn = isStaticObject(value) ? value['layerVersionArn'] : value;
    if (typeof arn === 'string') return { ref: arn, line };
    // `arn:aws:lambda:${region}:...:layer:Name:3`: the ARN as written still names the layer and version.
    if (arg !== undefined && (ts.isTemplateExpression(arg) || ts.isNoSubstitutionTemplateLiteral(arg)))
      return { ref: c.evaluator.text(arg).slice(1, -1), line };
  }
  return { ref: c.evaluator.text(element), line };
}

/**
 * Layers the construct attaches: `layers: [...]`, plus the ones CDK adds for `adotInstrumentation`,
 * `paramsAndSecrets` and `insightsVersion` (each an AWS-published layer).
 */
export function cdkLayers(c: ConstructProps): LayerRef[] {
  const out: LayerRef[] = [];
  const list = c.propNode('layers');
  if (list !== undefined && ts.isArrayLiteralExpression(list)) {
    for (const el of list.elements) if (!ts.isSpreadElement(el)) out.push(layerOf(c, el, lineOf(c.sourceFile, el)));
  }
  const managed: ReadonlyArray<readonly [key: string, ref: string]> = [
    ['adotInstrumentation', 'AWS Distro for OpenTelemetry JavaScript layer (adotInstrumentation)'],
    ['paramsAndSecrets', 'AWS-Parameters-and-Secrets-Lambda-Extension (paramsAndSecrets)'],
    ['insightsVersion', 'LambdaInsightsExtension (insightsVersion)'],
  ];
  for (const [key, ref] of managed) {
    const node = c.propNode(key);
    if (node !== undefined) out.push({ ref, line: lineOf(c.sourceFile, node) });
  }
  return out;
}

/** NODE_OPTIONS and AWS_LAMBDA_EXEC_WRAPPER from `environment: {...}`; `adotInstrumentation.execWrapper` sets the wrapper too. */
export function cdkEnv(c: ConstructProps): EnvSettings {
  const envNode = c.propNode('environment');
  const env = c.props['environment'];
  const picked: Record<string, unknown> = {};
  // Only the two keys are looked at; no other environment value is read.
  if (isStaticObject(env)) for (const key of [NODE_OPTIONS, EXEC_WRAPPER]) if (typeof env[key] === 'string') picked[key] = env[key];
  const keyLine = (key: string): number => {
    const node = envNode !== undefined && ts.isObjectLiteralExpression(envNode) ? objectProp(envNode, key) : undefined;
    return node === undefined ? c.line : lineOf(c.sourceFile, node);
  };
  const out = envSettings(picked, keyLine);
  const adot = c.propNode('adotInstrumentation');
  if (out.execWrapper === undefined && adot !== undefined) {
    const wrapper = c.props['adotInstrumentation'];
    const text = isStaticObject(wrapper) ? wrapper['execWrapper'] : undefined;
    const member = text instanceof Opaque ? text.text.split('.').pop() : undefined;
    // AdotLambdaExecWrapper members and the scripts the ADOT layer ships.
    const path =
      member === 'REGULAR_HANDLER'
        ? '/opt/otel-handler'
        : member === 'PROXY_HANDLER'
          ? '/opt/otel-proxy-handler'
          : member === 'STREAM_HANDLER'
            ? '/opt/otel-stream-handler'
            : member === 'SQS_HANDLER'
              ? '/opt/otel-sqs-handler'
              : undefined;
    if (path !== undefined) out.execWrapper = { value: path, line: lineOf(c.sourceFile, adot) };
  }
  return out;
}

/** NodejsFunction always bundles with esbuild (locally or in Docker); `Function` + an asset folder ships files. */
export function cdkPackaging(
  ctx: DiscoverContext,
  c: ConstructProps,
  kind: 'nodejs' | 'function',
  mapped: MappedHandler | null,
  runtime: string | null = null,
): Packaging {
  const declaredIn = { file: c.file, line: c.line };
  if (kind === 'nodejs') {
    const bundling = c.props['bundling'];
    const options = isStaticObject(bundling) ? ['minify', 'sourceMap', 'format', 'target', 'metafile'].filter((k) => bundling[k] !== undefined) : [];
    const bundlingNode = c.propNode('bundling');
    const shown = options.map((k) => {
      const v = isStaticObject(bundling) ? bundling[k] : undefined;
      return `${k} ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : 'set'}`;
    });
    return {
      form: 'bundled',
      tool: 'esbuild',
      basis: `CDK NodejsFunction bundles with esbuild by default${shown.length > 0 ? ` (bundling ${shown.join(', ')})` : ''}`,
      declaredIn: bundlingNode === undefined ? declaredIn : { file: c.file, line: lineOf(c.sourceFile, bundlingNode) },
      externals: externalModules(bundling, runtime),
    };
  }
  const code = c.props['code'];
  if (code instanceof CallValue && code.args[1] !== undefined && isStaticObject(code.args[1]) && code.args[1]['bundling'] !== undefined) {
    return { form: 'unknown', tool: null, basis: 'Code.fromAsset with a bundling command: what it produces is not declared', declaredIn };
  }
  const tool = mapped === null ? null : bundlerOf(ctx, mapped);
  if (tool !== null) return { form: 'bundled', tool, basis: `the asset folder is ${tool} output: ${mapped?.mappingNote ?? ''}`, declaredIn };
  return { form: 'unbundled', tool: null, basis: 'lambda.Function with an asset folder deploys the folder as files', declaredIn };
}

/**
 * `bundling.externalModules` when it is a static list; otherwise CDK's documented default (aws-lambda-nodejs
 * BundlingOptions): `['@aws-sdk/*']` for Node.js 18 and newer runtimes (and the default runtime, the latest Node),
 * `['aws-sdk']` before them.
 */
function externalModules(bundling: StaticValue | undefined, runtime: string | null): string[] {
  const declared = isStaticObject(bundling) ? bundling['externalModules'] : undefined;
  if (Array.isArray(declared)) return declared.filter((m): m is string => typeof m === 'string');
  const major = runtime === null ? undefined : /^nodejs(\d+)/.exec(runtime)?.[1];
  return major !== undefined && Number(major) < 18 ? ['aws-sdk'] : ['@aws-sdk/*'];
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const TS_ENV_REGION = /\benv\s*:\s*\{[^}]*?\bregion\s*:\s*['"`]([a-z0-9-]+)['"`]/g;
const PY_ENV_REGION =
  /\benv\s*=\s*(?:\w+\.)*Environment\([^)]*?\bregion\s*=\s*['"]([a-z0-9-]+)['"]|\benv\s*=\s*\{[^}]*?['"]region['"]\s*:\s*['"]([a-z0-9-]+)['"]/g;

/** Literal regions a CDK app's stacks are given (`env: { region: 'eu-west-1' }`, Python `env=Environment(region=...)`). */
export function declaredRegions(text: string, python: boolean): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(python ? PY_ENV_REGION : TS_ENV_REGION)) {
    const region = m[1] ?? m[2];
    if (region !== undefined && REGION.test(region) && !out.includes(region)) out.push(region);
  }
  return out;
}

/** The app folder a file belongs to, for grouping regions per app. */
export function appOf(files: ReadonlySet<string>, file: string): string {
  let dir = dirOf(file);
  for (;;) {
    if (files.has(joinRel(dir, 'cdk.json'))) return dir;
    if (dir === '') return dirOf(file);
    dir = dirOf(dir);
  }
}
