import type { LayerRef, Packaging } from '../model/result.js';
import { isRecord } from './cfn-yaml.js';
import { extensionOf, joinRel } from './paths.js';
import { EXEC_WRAPPER, NODE_OPTIONS, envSettings, mergeEnv } from './runtime-settings.js';
import type { EnvSettings } from './runtime-settings.js';
import { hasVariable } from './serverless-vars.js';
import type { ServerlessVariables } from './serverless-vars.js';

/** How the Serverless reader locates a key of the service file: a path from the config root, or null. */
export type LineOf = (path: readonly string[]) => number | null;

/** Serverless's CloudFormation name for a layer declared under `layers:` (`common-deps` -> `CommonDashdepsLambdaLayer`). */
function layerLogicalId(key: string): string {
  const normalized = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaLayer`;
}

/** Local layers of the service (`layers: { common: { path: layers/common } }`), by the ref functions use. */
function localLayers(vars: ServerlessVariables, config: Record<string, unknown>, serviceDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const layers = vars.resolve(config['layers']);
  if (!isRecord(layers)) return out;
  for (const [key, raw] of Object.entries(layers)) {
    const layer = vars.resolve(raw);
    const dir = isRecord(layer) ? vars.resolve(layer['path']) : undefined;
    if (typeof dir === 'string' && !hasVariable(dir)) out.set(layerLogicalId(key), joinRel(serviceDir, dir));
  }
  return out;
}

/**
 * `layers:` of a function, else the provider's: in Serverless a function's list replaces the provider's. Entries
 * are ARNs or `{ Ref: <Name>LambdaLayer }` for a layer the service builds from a local `path`.
 */
export function serverlessLayers(
  vars: ServerlessVariables,
  config: Record<string, unknown>,
  fnKey: string,
  fn: Record<string, unknown>,
  provider: Record<string, unknown>,
  serviceDir: string,
  lineOf: LineOf,
  fallbackLine: number,
): LayerRef[] {
  const own = vars.resolve(fn['layers']);
  const list = own !== undefined ? own : vars.resolve(provider['layers']);
  const base = own !== undefined ? ['functions', fnKey, 'layers'] : ['provider', 'layers'];
  if (!Array.isArray(list)) return [];
  const local = localLayers(vars, config, serviceDir);
  const line = lineOf(base) ?? fallbackLine;
  const out: LayerRef[] = [];
  for (const item of list) {
    const value = vars.resolve(item);
    const ref = typeof value === 'string' ? value : isRecord(value) && typeof value['Ref'] === 'string' ? value['Ref'] : JSON.stringify(value);
    const localDir = local.get(ref);
    out.push({ ref, ...(localDir !== undefined ? { localDir } : {}), line });
  }
  return out;
}

/** NODE_OPTIONS and AWS_LAMBDA_EXEC_WRAPPER from provider and function `environment:`, function keys winning. */
export function serverlessEnv(
  vars: ServerlessVariables,
  fnKey: string,
  fn: Record<string, unknown>,
  provider: Record<string, unknown>,
  lineOf: LineOf,
  fallbackLine: number,
): EnvSettings {
  const read = (env: unknown, base: readonly string[]): EnvSettings => {
    // Only the two keys are resolved; no other environment value is looked at.
    const holder = typeof env === 'string' ? vars.resolve(env) : env;
    if (!isRecord(holder)) return {};
    const picked: Record<string, unknown> = {};
    for (const key of [NODE_OPTIONS, EXEC_WRAPPER]) {
      const v = vars.resolve(holder[key]);
      if (typeof v === 'string' && !hasVariable(v)) picked[key] = v;
    }
    return envSettings(picked, (key) => lineOf([...base, key]) ?? lineOf(base) ?? fallbackLine);
  };
  return mergeEnv(read(provider['environment'], ['provider', 'environment']), read(fn['environment'], ['functions', fnKey, 'environment']));
}

const PLUGIN_PACKAGING: ReadonlyArray<readonly [plugin: string, packaging: Omit<Packaging, 'declaredIn'>]> = [
  ['serverless-esbuild', { form: 'bundled', tool: 'esbuild', basis: 'serverless-esbuild plugin bundles each function with esbuild' }],
  ['serverless-webpack', { form: 'bundled', tool: 'webpack', basis: 'serverless-webpack plugin bundles each function with webpack' }],
  ['serverless-bundle', { form: 'bundled', tool: 'webpack', basis: 'serverless-bundle plugin bundles each function with webpack' }],
  [
    'serverless-plugin-typescript',
    { form: 'unbundled', tool: null, basis: 'serverless-plugin-typescript compiles with tsc and packages node_modules as files (no bundler)' },
  ],
];

function pluginNames(value: unknown): string[] {
  const list = isRecord(value) ? value['modules'] : value;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

/** The Serverless major version `frameworkVersion` pins (`'4'`, `^4.1.0`, `>=3 <4`), or null. */
function frameworkMajor(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const m = /(\d+)/.exec(text);
  return m === null ? null : Number(m[1]);
}

/**
 * How Serverless ships a function: a bundler plugin decides; without one, v4 bundles TypeScript handlers with its
 * built-in esbuild unless `build.esbuild: false`; otherwise the service folder is zipped as files.
 */
export function serverlessPackaging(
  vars: ServerlessVariables,
  config: Record<string, unknown>,
  file: string,
  handlerFile: string | null,
  lineOf: LineOf,
  runtime: string | null = null,
): Packaging {
  const plugins = pluginNames(vars.resolve(config['plugins']));
  const pluginsLine = lineOf(['plugins']) ?? 1;
  for (const [plugin, packaging] of PLUGIN_PACKAGING) {
    if (!plugins.includes(plugin)) continue;
    const externals = plugin === 'serverless-esbuild' ? pluginExternals(vars, config) : undefined;
    return { ...packaging, declaredIn: { file, line: pluginsLine }, ...(externals ? { externals } : {}) };
  }
  const build = vars.resolve(config['build']);
  const esbuild = isRecord(build) ? vars.resolve(build['esbuild']) : undefined;
  const major = frameworkMajor(vars.resolve(config['frameworkVersion']));
  const ts = handlerFile !== null && /^\.[cm]?tsx?$/.test(extensionOf(handlerFile));
  if (esbuild === false) {
    return {
      form: 'unbundled',
      tool: null,
      basis: 'build.esbuild is false: Serverless packages the service as files',
      declaredIn: { file, line: lineOf(['build', 'esbuild']) ?? 1 },
    };
  }
  if (major !== null && major >= 4 && (ts || esbuild !== undefined)) {
    const line = esbuild !== undefined ? lineOf(['build', 'esbuild']) : lineOf(['frameworkVersion']);
    const externals = builtinExternals(vars, esbuild, runtime);
    return {
      form: 'bundled',
      tool: 'esbuild',
      basis: `Serverless v${major} bundles ${ts ? 'TypeScript handlers' : 'handlers'} with its built-in esbuild`,
      declaredIn: { file, line: line ?? 1 },
      externals,
    };
  }
  if (ts && major === null) {
    // Before v4 a TypeScript handler deploys only through a plugin; with none, v4's built-in esbuild is what ships it.
    return {
      form: 'bundled',
      tool: 'esbuild',
      basis: 'TypeScript handler and no bundler plugin: Serverless v4 bundles it with its built-in esbuild',
      externals: builtinExternals(vars, esbuild, runtime),
    };
  }
  return { form: 'unbundled', tool: null, basis: 'no bundler plugin: Serverless packages the service folder as files' };
}

/** The static strings of a list (or a lone string) in the config; null when it is not one. */
function stringList(vars: ServerlessVariables, value: unknown): string[] | null {
  const v = vars.resolve(value);
  if (typeof v === 'string') return hasVariable(v) ? [] : [v];
  if (!Array.isArray(v)) return null;
  return v.map((item) => vars.resolve(item)).filter((item): item is string => typeof item === 'string' && !hasVariable(item));
}

/**
 * serverless-esbuild passes `custom.esbuild.exclude` (default `['aws-sdk']`, its README's options table) and
 * `external` to esbuild's `external`: neither is in the bundle. `exclude: '*'` leaves every package out.
 */
function pluginExternals(vars: ServerlessVariables, config: Record<string, unknown>): string[] {
  const custom = vars.resolve(config['custom']);
  const esbuild = isRecord(custom) ? vars.resolve(custom['esbuild']) : undefined;
  const opts = isRecord(esbuild) ? esbuild : {};
  const exclude = stringList(vars, opts['exclude']) ?? ['aws-sdk'];
  return unique([...exclude, ...(stringList(vars, opts['external']) ?? [])]);
}

/**
 * Serverless v4's built-in esbuild: `build.esbuild.exclude` defaults to `aws-sdk` on nodejs16.x and older and to
 * `@aws-sdk/*` on nodejs18.x and newer (Serverless "AWS Lambda Build Configuration" docs); `external` adds to it.
 */
function builtinExternals(vars: ServerlessVariables, esbuild: unknown, runtime: string | null): string[] {
  const opts = isRecord(esbuild) ? esbuild : {};
  const major = runtime === null ? null : /^nodejs(\d+)/.exec(runtime)?.[1];
  const fallback = major !== undefined && major !== null && Number(major) < 18 ? ['aws-sdk'] : ['@aws-sdk/*'];
  const exclude = stringList(vars, opts['exclude']) ?? fallback;
  return unique([...exclude, ...(stringList(vars, opts['external']) ?? [])]);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
