import type { Architecture, FunctionSpec } from '../model/result.js';
import { YamlParseError, isRecord, parseYamlWithIntrinsics } from './cfn-yaml.js';
import { mapHandlerStem, splitHandler } from './handler-map.js';
import { baseName, dirOf, joinRel } from './paths.js';
import { readServerlessTs } from './serverless-ts-config.js';
import { ServerlessVariables, hasVariable } from './serverless-vars.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { numberOrNull, recordFunction } from './spec.js';

const DATA_CONFIGS: ReadonlySet<string> = new Set(['serverless.yml', 'serverless.yaml', 'serverless.json']);
const CODE_CONFIGS: ReadonlySet<string> = new Set(['serverless.ts', 'serverless.js', 'serverless.mjs', 'serverless.cjs']);

export function isServerlessConfig(rel: string): boolean {
  const name = baseName(rel);
  return DATA_CONFIGS.has(name) || CODE_CONFIGS.has(name);
}

interface LoadedConfig {
  config: Record<string, unknown>;
  functionLine(key: string): number | null;
}

function load(ctx: DiscoverContext, rel: string, text: string): LoadedConfig | null {
  if (DATA_CONFIGS.has(baseName(rel))) {
    const parsed = parseYamlWithIntrinsics(text);
    if (!isRecord(parsed.data)) throw new YamlParseError('the document is not a mapping');
    return { config: parsed.data, functionLine: (key) => parsed.lineOf(['functions', key]) };
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
    sink.skipped.push({ file: rel, reason: 'unsupported', detail: 'no configuration object literal found (default export or serverlessConfiguration)' });
    return;
  }
  sink.iacFiles.push(rel);
  const { config } = loaded;
  const vars = new ServerlessVariables(config);
  const serviceDir = dirOf(rel);
  const serviceRaw = isRecord(config['service']) ? config['service']['name'] : config['service'];
  const service = vars.resolve(serviceRaw);
  const provider = isRecord(config['provider']) ? config['provider'] : {};
  const stage = vars.stage;

  const functions = vars.resolve(config['functions']);
  if (functions === undefined || functions === null) return;
  if (!isRecord(functions)) {
    sink.warnings.push(`${rel}: functions is not a mapping (${typeof functions === 'string' ? functions : 'a list'}); not followed`);
    return;
  }
  for (const [key, rawFn] of Object.entries(functions)) {
    const id = `${rel}#${key}`;
    const fn = isRecord(rawFn) ? rawFn : {};
    const declaredHandler = vars.resolve(fn['handler']);
    if (typeof declaredHandler !== 'string') {
      const reason = fn['image'] !== undefined ? 'is a container image' : 'has no handler';
      sink.warnings.push(`${id}: function ${reason}; not analysed`);
      continue;
    }
    const name = vars.resolve(fn['name']);
    const deployed = typeof name === 'string' ? name : `${String(service)}-${stage}-${key}`;
    for (const [what, value] of [['handler', declaredHandler], ['name', deployed]] as const) {
      if (hasVariable(value)) sink.warnings.push(`${id}: ${what} "${value}" has a variable that cannot be resolved statically`);
    }
    const { stem, exportName } = splitHandler(declaredHandler);
    const mapped = mapHandlerStem(ctx.fileSet, joinRel(serviceDir, stem), declaredHandler);
    const spec: FunctionSpec = {
      id,
      name: key,
      provider: 'serverless',
      deployedNames: [deployed],
      runtime: stringOrNull(vars.resolve(fn['runtime'] ?? provider['runtime'])),
      architecture: architectureOf(vars.resolve(fn['architecture'] ?? provider['architecture'])),
      memoryMB: numberOrNull(vars.resolve(fn['memorySize'] ?? provider['memorySize'])),
      timeoutS: numberOrNull(vars.resolve(fn['timeout'] ?? provider['timeout'])),
      declaredIn: { file: rel, line: loaded.functionLine(key) ?? 1 },
      handler: { file: null, export: exportName, declared: declaredHandler, mapping: 'unresolved' },
    };
    recordFunction(sink, spec, mapped);
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
