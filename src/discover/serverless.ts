import type { Architecture, FunctionSpec } from '../model/result.js';
import { YamlParseError, isRecord, lenientWarning, parseYamlWithIntrinsics } from './cfn-yaml.js';
import type { ParsedYaml } from './cfn-yaml.js';
import { splitHandler } from './handler-map.js';
import { mapDeclaredStem } from './build-map.js';
import { baseName, dirOf, joinRel } from './paths.js';
import { readServerlessTs } from './serverless-ts-config.js';
import { ServerlessVariables, hasVariable } from './serverless-vars.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { numberOrNull, recordFunction, recordNotAnalysed } from './spec.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';
import { packagingFor, runtimeSettings } from './runtime-settings.js';
import { serverlessEnv, serverlessLayers, serverlessPackaging } from './serverless-runtime.js';

const DATA_CONFIGS: ReadonlySet<string> = new Set(['serverless.yml', 'serverless.yaml', 'serverless.json']);
const CODE_CONFIGS: ReadonlySet<string> = new Set(['serverless.ts', 'serverless.js', 'serverless.mjs', 'serverless.cjs']);

export function isServerlessConfig(rel: string): boolean {
  const name = baseName(rel);
  return DATA_CONFIGS.has(name) || CODE_CONFIGS.has(name);
}

interface LoadedConfig {
  config: Record<string, unknown>;
  functionLine(key: string): number | null;
  lineOf(path: readonly string[]): number | null;
}

function load(ctx: DiscoverContext, rel: string, text: string): LoadedConfig | null {
  if (DATA_CONFIGS.has(baseName(rel))) {
    const parsed = parseYamlWithIntrinsics(text);
    if (!isRecord(parsed.data)) throw new YamlParseError('the document is not a mapping');
    const lenient = lenientWarning(rel, parsed);
    if (lenient !== undefined) ctx.sink.warnings.push(lenient);
    return { config: parsed.data, functionLine: (key) => parsed.lineOf(['functions', key]), lineOf: (path) => parsed.lineOf(path) };
  }
  return readServerlessTs(rel, text, ctx.fileSet, ctx.read);
}

function architectureOf(value: unknown): Architecture | null {
  return value === 'arm64' || value === 'x86_64' ? value : null;
}

function discoverService(ctx: DiscoverContext, rel: string): void {
  const { sink } = ctx;
  const text = ctx.read(rel);
  if (text === undefined) return;
  let loaded: LoadedConfig | null;
  try {
    loaded = load(ctx, rel, text);
  } catch (error) {
    sink.skipped.push({ file: rel, reason: 'parse_error', detail: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (loaded === null) {
    sink.skipped.push({
      file: rel,
      reason: 'unsupported',
      detail: 'no configuration object literal found (default export or serverlessConfiguration)',
    });
    return;
  }
  sink.iacFiles.push(rel);
  const { config } = loaded;
  const serviceDir = dirOf(rel);
  const included = new Map<string, ParsedYaml>();
  const vars = new ServerlessVariables(config, {
    ...(ctx.options.stage !== undefined ? { stage: ctx.options.stage } : {}),
    file: (p) => readVariableFile(ctx, rel, joinRel(serviceDir, p), included),
  });
  /** Where a function is written: the service file, or a `${file(...)}` it includes. */
  const declaredAt = (key: string): { file: string; line: number } => {
    const line = loaded.functionLine(key);
    if (line !== null) return { file: rel, line };
    for (const [file, parsed] of included) {
      const at = parsed.lineOf([key]) ?? parsed.lineOf(['functions', key]);
      if (at !== null) return { file, line: at };
    }
    return { file: rel, line: 1 };
  };
  const serviceRaw = isRecord(config['service']) ? config['service']['name'] : config['service'];
  const service = vars.resolve(serviceRaw);
  const provider = isRecord(config['provider']) ? config['provider'] : {};
  const stage = vars.stage;
  const cloud = vars.resolve(provider['name']);
  if (typeof cloud === 'string' && cloud !== 'aws') {
    // serverless.yml also deploys to Azure, Google, Knative...: those are not Lambda functions.
    sink.warnings.push(`${rel}: provider ${cloud} is not AWS; its functions are not Lambda functions and are not listed`);
    return;
  }

  for (const key of ['Runtime', 'MemorySize', 'Timeout', 'Region', 'Architecture']) {
    // Serverless keys are case-sensitive: a CloudFormation-style key is ignored by the framework, so its value does not apply.
    if (provider[key] !== undefined)
      sink.warnings.push(
        `${rel}: provider.${key} is not a Serverless setting (keys are case-sensitive: ${key.charAt(0).toLowerCase()}${key.slice(1)}); ignored, as the framework ignores it`,
      );
  }
  const declaredRegion = vars.resolve(provider['region']);
  const region = typeof declaredRegion === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(declaredRegion) ? declaredRegion : null;
  const functions = mergeFunctionLists(vars, vars.resolve(config['functions']));
  if (functions === undefined || functions === null) return;
  if (!isRecord(functions)) {
    sink.warnings.push(`${rel}: functions is not a mapping (${typeof functions === 'string' ? functions : 'a list'}); not followed`);
    return;
  }
  for (const [key, rawValue] of Object.entries(functions)) {
    const id = `${rel}#${key}`;
    const rawFn = vars.resolve(rawValue);
    const fn = isRecord(rawFn) ? rawFn : {};
    const declaredHandler = vars.resolve(fn['handler']);
    const where = { id, name: key, declaredIn: declaredAt(key) };
    if (typeof declaredHandler !== 'string') {
      if (fn['image'] !== undefined) recordNotAnalysed(sink, where, 'image', 'image', 'function is a container image; not analysed');
      else recordNotAnalysed(sink, where, 'no_handler', 'no handler', 'function has no handler; not analysed');
      continue;
    }
    const name = vars.resolve(fn['name']);
    const deployed = typeof name === 'string' ? name : `${String(service)}-${stage}-${key}`;
    for (const [what, value] of [
      ['handler', declaredHandler],
      ['name', deployed],
    ] as const) {
      if (hasVariable(value)) sink.warnings.push(`${id}: ${what} "${value}" has a variable that cannot be resolved statically`);
    }
    const { stem, exportName } = splitHandler(declaredHandler);
    const mapped = hasVariable(declaredHandler)
      ? {
          file: null,
          mapping: 'unresolved' as const,
          reason: 'not_static' as const,
          mappingNote: `handler ${declaredHandler} has a variable that cannot be resolved statically`,
        }
      : mapDeclaredStem(ctx, joinRel(serviceDir, stem), declaredHandler);
    const spec: FunctionSpec = {
      id,
      name: key,
      provider: 'serverless',
      deployedNames: [deployed],
      runtime: stringOrNull(vars.resolve(fn['runtime'] ?? provider['runtime'])),
      architecture: architectureOf(vars.resolve(fn['architecture'] ?? provider['architecture'])),
      memoryMB: numberOrNull(vars.resolve(fn['memorySize'] ?? provider['memorySize'])),
      timeoutS: numberOrNull(vars.resolve(fn['timeout'] ?? provider['timeout'])),
      declaredIn: where.declaredIn,
      handler: { file: null, export: exportName, declared: declaredHandler, mapping: 'unresolved' },
    };
    const ephemeral = numberOrNull(vars.resolve(fn['ephemeralStorageSize'] ?? provider['ephemeralStorageSize']));
    if (ephemeral !== null) spec.ephemeralStorageMB = ephemeral;
    const provisioned = numberOrNull(vars.resolve(fn['provisionedConcurrency']));
    if (provisioned !== null && provisioned > 0) spec.provisionedConcurrency = provisioned;
    if (region !== null) spec.region = region;
    const runtimeLine =
      fn['runtime'] !== undefined
        ? loaded.lineOf(['functions', key, 'runtime'])
        : provider['runtime'] !== undefined
          ? loaded.lineOf(['provider', 'runtime'])
          : null;
    if (spec.runtime !== null && runtimeLine !== null) spec.runtimeDeclaredIn = { file: rel, line: runtimeLine };
    const settings = runtimeSettings(
      serverlessLayers(vars, config, key, fn, provider, serviceDir, loaded.lineOf, where.declaredIn.line),
      serverlessEnv(vars, key, fn, provider, loaded.lineOf, where.declaredIn.line),
    );
    if (settings !== undefined) spec.runtimeSettings = settings;
    applyDefaults(spec, IAC_DEFAULTS.serverless);
    recordFunction(sink, spec, mapped);
    spec.packaging = packagingFor(ctx, serverlessPackaging(vars, config, rel, spec.handler.file, loaded.lineOf, spec.runtime), spec.handler.file);
  }
}

/** `functions:` as a list of mappings (often `- ${file(...)}` entries) is merged, as the framework does. */
function mergeFunctionLists(vars: ServerlessVariables, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const merged: Record<string, unknown> = {};
  for (const item of value) {
    const resolved = vars.resolve(item);
    if (isRecord(resolved)) Object.assign(merged, resolved);
  }
  return merged;
}

/** Data of a `${file(...)}` YAML/JSON file; code files are never run, so they give nothing. */
function readVariableFile(ctx: DiscoverContext, service: string, rel: string, included: Map<string, ParsedYaml>): unknown {
  if (!/\.(ya?ml|json)$/.test(rel)) {
    ctx.sink.warnings.push(`${service}: \${file(${rel})} is code; it is not run, so its values are unknown`);
    return undefined;
  }
  if (!ctx.fileSet.has(rel)) {
    ctx.sink.warnings.push(`${service}: \${file(${rel})} does not exist in the scanned tree`);
    return undefined;
  }
  const text = ctx.read(rel);
  if (text === undefined) return undefined;
  try {
    const parsed = included.get(rel) ?? parseYamlWithIntrinsics(text);
    included.set(rel, parsed);
    return parsed.data;
  } catch (error) {
    ctx.sink.skipped.push({ file: rel, reason: 'parse_error', detail: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && !hasVariable(value) ? value : null;
}

/** Serverless Framework services: every serverless.{yml,yaml,json,ts,js} is its own service root. */
export const serverlessProvider: DiscoveryProviderModule = {
  name: 'serverless',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) if (isServerlessConfig(rel)) discoverService(ctx, rel);
  },
};
