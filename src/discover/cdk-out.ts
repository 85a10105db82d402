import type { Architecture, DefaultedSetting, FunctionSpec } from '../model/result.js';
import { isRecord, parseYamlWithIntrinsics } from './cfn-yaml.js';
import type { ParsedYaml } from './cfn-yaml.js';
import { splitHandler } from './handler-map.js';
import { baseName, dirOf, joinRel } from './paths.js';
import { numberOrNull, recordFunction, recordNotAnalysed } from './spec.js';
import type { DiscoverContext, DiscoveryProviderModule, DiscoverySink } from './types.js';

/** Functions CDK adds for its own plumbing (log retention, custom resources, bucket notifications): not the app's. */
const FRAMEWORK_PATH =
  /(^|\/)(LogRetention[0-9a-f]*|AWS679f53fac002430cb0da5b7982bd2287|BucketNotificationsHandler[0-9a-f]*|Custom::[^/]+|CDKBucketDeployment[0-9a-f]*|framework-on(Event|Timeout|IsComplete)|SingletonLambda[0-9a-f]*)(\/|$)/;

/** Specs read from cdk.out, with the construct id their `aws:cdk:path` names. */
const synthesised = new WeakMap<FunctionSpec, { constructId: string; app: string }>();

function outputDir(ctx: DiscoverContext, cdkJson: string): string {
  const text = ctx.read(cdkJson);
  let out = 'cdk.out';
  try {
    const parsed: unknown = JSON.parse(text ?? '{}');
    if (isRecord(parsed) && typeof parsed['output'] === 'string') out = parsed['output'];
  } catch {
    // cdk.json that does not parse: the default output folder.
  }
  return joinRel(dirOf(cdkJson), out);
}

function templatesIn(ctx: DiscoverContext, dir: string): string[] {
  const out: string[] = [];
  for (const name of ctx.listPruned(dir)) {
    if (name.endsWith('.template.json')) out.push(joinRel(dir, name));
    // Stages synthesise into nested assemblies.
    else if (name.startsWith('assembly-'))
      for (const inner of ctx.listPruned(joinRel(dir, name))) if (inner.endsWith('.template.json')) out.push(joinRel(dir, name, inner));
  }
  return out;
}

function readTemplate(ctx: DiscoverContext, rel: string, app: string): void {
  const text = ctx.read(rel);
  if (text === undefined) return;
  let parsed: ParsedYaml;
  try {
    // JSON is YAML: the YAML reader gives each resource's line.
    parsed = parseYamlWithIntrinsics(text);
  } catch (error) {
    ctx.sink.skipped.push({ file: rel, reason: 'parse_error', detail: error instanceof Error ? error.message : String(error) });
    return;
  }
  const data = parsed.data;
  const resources = isRecord(data) && isRecord(data['Resources']) ? data['Resources'] : {};
  let any = false;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || resource['Type'] !== 'AWS::Lambda::Function') continue;
    const metadata = isRecord(resource['Metadata']) ? resource['Metadata'] : {};
    const cdkPath = typeof metadata['aws:cdk:path'] === 'string' ? metadata['aws:cdk:path'] : logicalId;
    if (FRAMEWORK_PATH.test(cdkPath)) continue;
    any = true;
    const segments = cdkPath.split('/').filter((s) => s !== 'Resource');
    const constructId = segments[segments.length - 1] ?? logicalId;
    const props = isRecord(resource['Properties']) ? resource['Properties'] : {};
    const id = `${rel}#${logicalId}`;
    const where = { id, name: constructId, declaredIn: { file: rel, line: parsed.lineOf(['Resources', logicalId]) ?? 1 } };
    const code = isRecord(props['Code']) ? props['Code'] : {};
    if (code['ZipFile'] !== undefined) {
      recordNotAnalysed(ctx.sink, where, 'inline_code', 'Code.ZipFile', 'inline code (Code.ZipFile) cannot be analysed; not listed');
      continue;
    }
    const handler = typeof props['Handler'] === 'string' ? props['Handler'] : '';
    const arch = Array.isArray(props['Architectures']) ? props['Architectures'][0] : undefined;
    const asset = typeof metadata['aws:asset:path'] === 'string' ? metadata['aws:asset:path'] : null;
    const spec: FunctionSpec = {
      id,
      name: constructId,
      provider: 'cdk',
      deployedNames: typeof props['FunctionName'] === 'string' ? [props['FunctionName']] : [],
      runtime: typeof props['Runtime'] === 'string' ? props['Runtime'] : null,
      architecture: arch === 'arm64' || arch === 'x86_64' ? (arch satisfies Architecture) : null,
      memoryMB: numberOrNull(props['MemorySize']) ?? 128,
      timeoutS: numberOrNull(props['Timeout']) ?? 3,
      declaredIn: where.declaredIn,
      handler: { file: null, export: splitHandler(handler).exportName, declared: handler, mapping: 'unresolved' },
    };
    synthesised.set(spec, { constructId, app });
    recordFunction(ctx.sink, spec, {
      file: null,
      mapping: 'unresolved',
      reason: 'handler_not_found',
      mappingNote: `only in the synthesised template (${cdkPath}); its code is the bundled asset ${asset ?? '(unknown)'}, and no CDK source declaring it was read`,
    });
  }
  if (any) ctx.sink.iacFiles.push(rel);
}

/**
 * Synthesised CDK templates (`cdk.out/*.template.json`): a second source beside the CDK app's code.
 * The walk prunes cdk.out (it is build output), so it is read here explicitly, next to each cdk.json.
 */
export const cdkOutProvider: DiscoveryProviderModule = {
  name: 'cdk-out',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.fileSet) {
      if (baseName(rel) !== 'cdk.json') continue;
      const app = dirOf(rel);
      for (const template of templatesIn(ctx, outputDir(ctx, rel))) readTemplate(ctx, template, app);
    }
  },
};

/**
 * Keeps one entry per function when both the CDK source and cdk.out declare it: the source one (it
 * knows the entry file), filled with what only the template knows (runtime defaults, memory, names).
 */
export function dropSynthesisedTwins(sink: DiscoverySink): void {
  const fromSource = sink.functions.filter((f) => f.provider === 'cdk' && !synthesised.has(f));
  sink.functions = sink.functions.filter((spec) => {
    const synth = synthesised.get(spec);
    if (synth === undefined) return true;
    const twin = fromSource.find((f) => f.name === synth.constructId && (synth.app === '' || f.declaredIn.file.startsWith(`${synth.app}/`)));
    if (twin === undefined) return true;
    // A value the source left to CDK's default is what the synthesised template states: the template wins.
    const open = (key: DefaultedSetting): boolean => twin[key] === null || (twin.defaulted?.includes(key) ?? false);
    const take = (key: DefaultedSetting): void => {
      if (spec[key] === null || !open(key)) return;
      if (key === 'runtime') twin.runtime = spec.runtime;
      else if (key === 'architecture') twin.architecture = spec.architecture;
      else if (key === 'memoryMB') twin.memoryMB = spec.memoryMB;
      else twin.timeoutS = spec.timeoutS;
      const rest = twin.defaulted?.filter((k) => k !== key) ?? [];
      if (rest.length > 0) twin.defaulted = rest;
      else delete twin.defaulted;
    };
    for (const key of ['runtime', 'architecture', 'memoryMB', 'timeoutS'] as const) take(key);
    if (twin.deployedNames.length === 0) twin.deployedNames = spec.deployedNames;
    return false;
  });
}
