import type { Architecture, DiscoveryProvider, FunctionSpec } from '../model/result.js';
import { isRecord, lenientWarning, parseYamlWithIntrinsics } from './cfn-yaml.js';
import type { ParsedYaml } from './cfn-yaml.js';
import { mapHandlerStem, splitHandler } from './handler-map.js';
import type { MappedHandler } from './handler-map.js';
import { baseName, dirOf, extensionOf, joinRel, stripExtension } from './paths.js';
import { isServerlessConfig } from './serverless.js';
import { CfnIntrinsics } from './cfn-intrinsics.js';
import { mapBuildOutput } from './build-map.js';
import { numberOrNull, recordFunction, recordNotAnalysed } from './spec.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';
import { packagingFor, runtimeSettings } from './runtime-settings.js';
import { samRegion, templateEnv, templateLayers, templatePackaging, withSamSourcemap } from './sam-runtime.js';
import type { TemplateFunction } from './sam-runtime.js';

const TEMPLATE_NAME = /^(template|sam-template|.+\.template)\.(ya?ml|json)$/;
const DATA_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);
/** Files that are never templates and can be large: not worth reading for the content check. */
const NEVER_TEMPLATES = /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|cdk(\.context)?\.json|pnpm-lock\.yaml|\.[^/]*rc\.json)$/;
const SNIFF_BYTES = 4096;

const FUNCTION_TYPES: ReadonlyMap<string, DiscoveryProvider> = new Map([
  ['AWS::Serverless::Function', 'sam'],
  ['AWS::Lambda::Function', 'cloudformation'],
]);

function isCandidate(rel: string): 'named' | 'sniff' | null {
  // Every template name is a data extension too: the one cheap test first, for each of the tree's files.
  if (!DATA_EXTENSIONS.has(extensionOf(rel))) return null;
  if (isServerlessConfig(rel) || NEVER_TEMPLATES.test(rel)) return null;
  return TEMPLATE_NAME.test(baseName(rel)) ? 'named' : 'sniff';
}

function looksLikeTemplate(text: string): boolean {
  const head = text.slice(0, SNIFF_BYTES);
  return head.includes('AWSTemplateFormatVersion') || /Transform["']?\s*:\s*\[?\s*["']?AWS::Serverless/.test(head);
}

/** A handler or CodeUri written as an intrinsic, shown as its long JSON form. */
function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function architectureOf(value: unknown): Architecture | null {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  return first === 'arm64' || first === 'x86_64' ? first : null;
}

/**
 * The source for a handler bundled by `sam build` with esbuild: the output is named after the entry
 * point's file, so `Handler: export.handler` comes from the EntryPoints entry whose path ends in `export`.
 */
function fromEntryPoints(ctx: DiscoverContext, codeDir: string, stem: string, entryPoints: unknown): string | null {
  if (!Array.isArray(entryPoints)) return null;
  const entries = entryPoints.filter((e): e is string => typeof e === 'string').map((e) => joinRel(e));
  const matches = (entry: string): boolean => {
    const entryStem = stripExtension(entry);
    return entryStem === stem || entryStem.endsWith(`/${stem}`);
  };
  const entry = entries.find((e) => stripExtension(e) === stem) ?? entries.find(matches);
  if (entry === undefined) return null;
  const file = joinRel(codeDir, entry);
  return ctx.fileSet.has(file) ? file : null;
}

interface CodeLocation {
  /** Root-relative directory the handler path is relative to, or null when unknown. */
  dir: string | null;
  /** Why the location is a convention rather than a fact, when it is. */
  note?: string;
  unresolved?: string;
}

function codeLocation(
  templateDir: string,
  provider: DiscoveryProvider,
  props: Record<string, unknown>,
  globals: Record<string, unknown>,
): CodeLocation {
  const codeUri = provider === 'sam' ? (props['CodeUri'] ?? globals['CodeUri']) : props['Code'];
  if (codeUri === undefined) return { dir: templateDir };
  if (typeof codeUri === 'string') {
    if (/^s3:\/\//.test(codeUri)) return { dir: templateDir, note: `code is the S3 object ${codeUri}; handler looked up relative to the template` };
    return { dir: joinRel(templateDir, codeUri) };
  }
  if (isRecord(codeUri)) {
    if ('ZipFile' in codeUri) return { dir: null, unresolved: 'inline' };
    const key = codeUri['S3Key'] ?? codeUri['Key'];
    if (key !== undefined && !('Fn::Sub' in codeUri) && !('Ref' in codeUri)) {
      return { dir: templateDir, note: `code is the S3 object ${describe(key)}; handler looked up relative to the template` };
    }
  }
  return { dir: null, unresolved: `code location ${describe(codeUri)} is not a static path` };
}

/** Nested stacks with a local template: `AWS::Serverless::Application` `Location` or `AWS::CloudFormation::Stack` `TemplateURL`. */
function nestedTemplates(templateDir: string, resources: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const resource of Object.values(resources)) {
    if (!isRecord(resource) || !isRecord(resource['Properties'])) continue;
    const props = resource['Properties'];
    const location =
      resource['Type'] === 'AWS::Serverless::Application'
        ? props['Location']
        : resource['Type'] === 'AWS::CloudFormation::Stack'
          ? props['TemplateURL']
          : undefined;
    if (typeof location === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) out.push(joinRel(templateDir, location));
  }
  return out;
}

/** `stack_name` and `region` from samconfig.toml beside the template: the prefix CloudFormation gives physical names, and where it deploys. */
function samConfig(ctx: DiscoverContext, templateDir: string): { stackName: string | null; region: string | null } {
  const rel = joinRel(templateDir, 'samconfig.toml');
  if (!ctx.fileSet.has(rel)) return { stackName: null, region: null };
  const text = ctx.read(rel) ?? '';
  const match = /^\s*stack_name\s*=\s*"([^"]+)"/m.exec(text);
  return { stackName: match?.[1] ?? null, region: samRegion(text) };
}

function discoverTemplate(ctx: DiscoverContext, rel: string, kind: 'named' | 'sniff' | 'nested', done: Set<string>): void {
  if (done.has(rel)) return;
  done.add(rel);
  const { sink } = ctx;
  const text = ctx.read(rel);
  if (text === undefined) return;
  if (kind === 'sniff' && !looksLikeTemplate(text)) return;
  let parsed: ParsedYaml;
  try {
    parsed = parseYamlWithIntrinsics(text);
  } catch (error) {
    sink.skipped.push({ file: rel, reason: 'parse_error', detail: error instanceof Error ? error.message : String(error) });
    return;
  }
  const data = parsed.data;
  const lenient = lenientWarning(rel, parsed);
  if (lenient !== undefined) sink.warnings.push(lenient);
  // A file named template.yaml that is not CloudFormation (an issue template, say) is simply not IaC.
  if (!isRecord(data) || (!isRecord(data['Resources']) && data['AWSTemplateFormatVersion'] === undefined)) return;
  sink.iacFiles.push(rel);
  const resources = isRecord(data['Resources']) ? data['Resources'] : {};
  const globalsRoot = isRecord(data['Globals']) ? data['Globals'] : {};
  const globals = isRecord(globalsRoot['Function']) ? globalsRoot['Function'] : {};
  const templateDir = dirOf(rel);
  const intrinsics = new CfnIntrinsics(data);
  const { stackName, region } = samConfig(ctx, templateDir);
  const aliasConcurrency = provisionedOnAliases(resources);

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource['Type'] !== 'string') continue;
    const provider = FUNCTION_TYPES.get(resource['Type']);
    if (provider === undefined) continue;
    const id = `${rel}#${logicalId}`;
    const rawProps = isRecord(resource['Properties']) ? resource['Properties'] : {};
    const props: Record<string, unknown> = Object.fromEntries(Object.entries(rawProps).map(([k, v]) => [k, intrinsics.resolve(v)]));
    const fromGlobals = (key: string): unknown => props[key] ?? (provider === 'sam' ? intrinsics.resolve(globals[key]) : undefined);
    const where = { id, name: logicalId, declaredIn: { file: rel, line: parsed.lineOf(['Resources', logicalId]) ?? 1 } };
    if (fromGlobals('PackageType') === 'Image') {
      recordNotAnalysed(sink, where, 'image', 'PackageType Image', 'PackageType Image is a container image; not analysed');
      continue;
    }
    const location = codeLocation(templateDir, provider, props, globals);
    if (location.unresolved === 'inline' || (provider === 'sam' && props['InlineCode'] !== undefined)) {
      const what = provider === 'sam' && props['InlineCode'] !== undefined ? 'InlineCode' : 'Code.ZipFile';
      recordNotAnalysed(sink, where, 'inline_code', what, `inline code (${what}) cannot be analysed; not listed`);
      continue;
    }
    const rawHandler = fromGlobals('Handler');
    const writtenHandler = rawProps['Handler'] ?? (provider === 'sam' ? globals['Handler'] : undefined);
    if (typeof rawHandler === 'string' && isRecord(writtenHandler)) {
      // Another stage's parameters can pick another file: say which values were assumed.
      sink.warnings.push(`${id}: Handler ${describe(writtenHandler)} resolved to ${rawHandler} with the parameters' defaults`);
    }
    if (rawHandler === undefined) {
      recordNotAnalysed(sink, where, 'no_handler', 'no Handler', 'no Handler; not analysed');
      continue;
    }
    const functionName = props['FunctionName'];
    const spec: FunctionSpec = {
      id,
      name: logicalId,
      provider,
      // Without FunctionName CloudFormation names the function `<stack>-<LogicalId>-<random>`, and the stack
      // name is chosen at deploy time: the logical id is the only stable part, so the metrics stage matches it
      // as a substring/prefix of deployed names.
      deployedNames: typeof functionName === 'string' ? [functionName] : stackName !== null ? [`${stackName}-${logicalId}`, logicalId] : [logicalId],
      runtime: typeof fromGlobals('Runtime') === 'string' ? String(fromGlobals('Runtime')) : null,
      architecture: architectureOf(fromGlobals('Architectures')),
      memoryMB: numberOrNull(fromGlobals('MemorySize')),
      timeoutS: numberOrNull(fromGlobals('Timeout')),
      declaredIn: where.declaredIn,
      handler: { file: null, export: '', declared: describe(rawHandler), mapping: 'unresolved' },
    };
    const storage = fromGlobals('EphemeralStorage');
    const ephemeral = isRecord(storage) ? numberOrNull(intrinsics.resolve(storage['Size'])) : null;
    if (ephemeral !== null) spec.ephemeralStorageMB = ephemeral;
    const pcConfig = fromGlobals('ProvisionedConcurrencyConfig');
    const provisioned =
      (isRecord(pcConfig) ? numberOrNull(intrinsics.resolve(pcConfig['ProvisionedConcurrentExecutions'])) : null) ??
      aliasConcurrency.get(logicalId) ??
      null;
    if (provisioned !== null && provisioned > 0) spec.provisionedConcurrency = provisioned;
    const t: TemplateFunction = {
      file: rel,
      templateDir,
      logicalId,
      rawProps,
      globals,
      resources,
      parsed,
      intrinsics,
      sam: provider === 'sam',
      line: where.declaredIn.line,
    };
    const settings = runtimeSettings(templateLayers(t), withSamSourcemap(t, resource['Metadata'], templateEnv(t)));
    if (settings !== undefined) spec.runtimeSettings = settings;
    if (region !== null) spec.region = region;
    const runtimeLine =
      rawProps['Runtime'] !== undefined
        ? parsed.lineOf(['Resources', logicalId, 'Properties', 'Runtime'])
        : provider === 'sam'
          ? parsed.lineOf(['Globals', 'Function', 'Runtime'])
          : null;
    if (spec.runtime !== null && runtimeLine !== null) spec.runtimeDeclaredIn = { file: rel, line: runtimeLine };
    applyDefaults(spec, provider === 'sam' ? IAC_DEFAULTS.sam : IAC_DEFAULTS.cloudformation);
    recordFunction(sink, spec, mapTemplateHandler(ctx, spec, rawHandler, location, resource['Metadata']));
    spec.packaging = packagingFor(ctx, templatePackaging(t, resource['Metadata']), spec.handler.file);
  }
  for (const nested of nestedTemplates(templateDir, resources)) {
    if (ctx.fileSet.has(nested)) discoverTemplate(ctx, nested, 'nested', done);
    else sink.warnings.push(`${rel}: nested stack template ${nested} is not in the scanned tree`);
  }
}

/** `AWS::Lambda::Alias` / `AWS::Lambda::Version` with ProvisionedConcurrencyConfig, by the function they `!Ref`. */
function provisionedOnAliases(resources: Record<string, unknown>): Map<string, number> {
  const out = new Map<string, number>();
  for (const resource of Object.values(resources)) {
    if (!isRecord(resource) || (resource['Type'] !== 'AWS::Lambda::Alias' && resource['Type'] !== 'AWS::Lambda::Version')) continue;
    const props = isRecord(resource['Properties']) ? resource['Properties'] : {};
    const config = props['ProvisionedConcurrencyConfig'];
    const n = isRecord(config) ? numberOrNull(config['ProvisionedConcurrentExecutions']) : null;
    const target = props['FunctionName'];
    const ref = isRecord(target) && typeof target['Ref'] === 'string' ? target['Ref'] : typeof target === 'string' ? target : null;
    if (n !== null && n > 0 && ref !== null) out.set(ref, (out.get(ref) ?? 0) + n);
  }
  return out;
}

function mapTemplateHandler(ctx: DiscoverContext, spec: FunctionSpec, rawHandler: unknown, location: CodeLocation, metadata: unknown): MappedHandler {
  if (typeof rawHandler !== 'string') {
    const sub = isRecord(rawHandler) ? rawHandler['Fn::Sub'] : undefined;
    const subExport = typeof sub === 'string' ? splitHandler(sub).exportName : '';
    // `!Sub '${Prefix}.handler'` still names the export; a variable in the export itself does not.
    spec.handler.export = subExport.includes('${') ? '' : subExport;
    return {
      file: null,
      mapping: 'unresolved',
      reason: 'not_static',
      mappingNote: `Handler is an intrinsic (${describe(rawHandler)}); not resolved statically`,
    };
  }
  const { stem, exportName } = splitHandler(rawHandler);
  spec.handler.export = exportName;
  if (location.dir === null)
    return { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: location.unresolved ?? `no source file for ${rawHandler}` };
  const build =
    isRecord(metadata) && metadata['BuildMethod'] === 'esbuild' && isRecord(metadata['BuildProperties']) ? metadata['BuildProperties'] : null;
  if (build !== null) {
    const entry = fromEntryPoints(ctx, location.dir, stem, build['EntryPoints']);
    if (entry !== null)
      return {
        file: entry,
        mapping: 'mapped',
        mappingNote: `${rawHandler} is the esbuild bundle of ${entry} (Metadata.BuildProperties.EntryPoints)`,
      };
  }
  const mapped = mapHandlerStem(ctx.fileSet, joinRel(location.dir, stem), rawHandler);
  if (mapped.mapping !== 'exact') {
    const built = mapBuildOutput(ctx, joinRel(location.dir, stem), rawHandler);
    if (built !== null) return built;
  }
  if (mapped.mapping === 'unresolved' && location.dir !== '') {
    // `sam build` output and prebuilt CodeUri folders mirror a `src/` folder beside the template.
    const templateDir = dirOf(spec.declaredIn.file);
    const twin = mapHandlerStem(ctx.fileSet, joinRel(templateDir, 'src', stem), rawHandler);
    if (twin.file !== null) {
      return { ...twin, mapping: 'guessed', mappingNote: `no ${stem} under ${location.dir}; mapped to ${twin.file} by name` };
    }
  }
  if (mapped.mapping === 'exact' && location.note !== undefined) return { ...mapped, mapping: 'guessed', mappingNote: location.note };
  return mapped;
}

/** SAM and plain CloudFormation templates, found by name or by a cheap look at the first few KB. */
export const samProvider: DiscoveryProviderModule = {
  name: 'sam',
  discover(ctx: DiscoverContext): void {
    const done = new Set<string>();
    for (const rel of ctx.files) {
      const kind = isCandidate(rel);
      if (kind !== null) discoverTemplate(ctx, rel, kind, done);
    }
  },
};
