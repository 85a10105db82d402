import type { LayerRef, Packaging } from '../model/result.js';
import { isRecord } from './cfn-yaml.js';
import type { ParsedYaml } from './cfn-yaml.js';
import type { CfnIntrinsics } from './cfn-intrinsics.js';
import { joinRel } from './paths.js';
import { EXEC_WRAPPER, NODE_OPTIONS, envSettings, mergeEnv } from './runtime-settings.js';
import type { EnvSettings } from './runtime-settings.js';

/** What the SAM reader knows about one function resource while reading its runtime settings. */
export interface TemplateFunction {
  file: string;
  templateDir: string;
  logicalId: string;
  rawProps: Record<string, unknown>;
  globals: Record<string, unknown>;
  resources: Record<string, unknown>;
  parsed: ParsedYaml;
  intrinsics: CfnIntrinsics;
  sam: boolean;
  line: number;
}

/** A layer entry as written: an ARN, `!Ref Layer` / `!Ref LayerArnParam`, `!Sub arn:...`. */
function layerRef(t: TemplateFunction, entry: unknown, line: number): LayerRef {
  const resolved = t.intrinsics.resolve(entry);
  if (typeof resolved === 'string') return { ref: resolved, line };
  // `!Sub arn:aws:lambda:${AWS::Region}:...:layer:Name:4`: the ARN as written still names the layer.
  if (isRecord(entry) && typeof entry['Fn::Sub'] === 'string') return { ref: entry['Fn::Sub'], line };
  const target =
    isRecord(entry) && typeof entry['Ref'] === 'string'
      ? entry['Ref']
      : isRecord(entry) && Array.isArray(entry['Fn::GetAtt'])
        ? String(entry['Fn::GetAtt'][0])
        : null;
  if (target === null) return { ref: JSON.stringify(entry), line };
  const resource = t.resources[target];
  const props = isRecord(resource) && isRecord(resource['Properties']) ? resource['Properties'] : {};
  // A layer the template builds: SAM's ContentUri (or a packaged Content that is still a local path) is the folder.
  const content =
    isRecord(resource) && resource['Type'] === 'AWS::Serverless::LayerVersion'
      ? props['ContentUri']
      : isRecord(resource) && resource['Type'] === 'AWS::Lambda::LayerVersion'
        ? props['Content']
        : undefined;
  const dir = typeof content === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(content) ? joinRel(t.templateDir, content) : null;
  return { ref: target, ...(dir !== null ? { localDir: dir } : {}), line };
}

/** SAM merges list-valued Globals by appending the function's own entries (Globals first). */
export function templateLayers(t: TemplateFunction): LayerRef[] {
  const out: LayerRef[] = [];
  const fromGlobals = t.sam ? t.globals['Layers'] : undefined;
  if (Array.isArray(fromGlobals)) {
    const line = t.parsed.lineOf(['Globals', 'Function', 'Layers']) ?? t.line;
    for (const entry of fromGlobals) out.push(layerRef(t, entry, line));
  }
  const own = t.rawProps['Layers'];
  if (Array.isArray(own)) {
    const line = t.parsed.lineOf(['Resources', t.logicalId, 'Properties', 'Layers']) ?? t.line;
    for (const entry of own) out.push(layerRef(t, entry, line));
  }
  return out;
}

/** NODE_OPTIONS and AWS_LAMBDA_EXEC_WRAPPER from Globals and the function's `Environment.Variables`. */
export function templateEnv(t: TemplateFunction): EnvSettings {
  const read = (environment: unknown, base: readonly string[]): EnvSettings => {
    const variables = isRecord(environment) ? environment['Variables'] : undefined;
    if (!isRecord(variables)) return {};
    const picked: Record<string, unknown> = {};
    // Only the two keys are resolved; no other environment value is looked at.
    for (const key of [NODE_OPTIONS, EXEC_WRAPPER]) if (variables[key] !== undefined) picked[key] = t.intrinsics.resolve(variables[key]);
    return envSettings(picked, (key) => t.parsed.lineOf([...base, 'Variables', key]) ?? t.line);
  };
  const globalEnv = t.sam ? read(t.globals['Environment'], ['Globals', 'Function', 'Environment']) : {};
  return mergeEnv(globalEnv, read(t.rawProps['Environment'], ['Resources', t.logicalId, 'Properties', 'Environment']));
}

/** `sam build` with `Metadata.BuildMethod: esbuild` bundles; without it, SAM copies CodeUri and installs node_modules. */
export function templatePackaging(t: TemplateFunction, metadata: unknown): Packaging {
  const method = isRecord(metadata) ? metadata['BuildMethod'] : undefined;
  const line = t.parsed.lineOf(['Resources', t.logicalId, 'Metadata', 'BuildMethod']) ?? t.line;
  if (method === 'esbuild') {
    const props = isRecord(metadata) && isRecord(metadata['BuildProperties']) ? metadata['BuildProperties'] : {};
    const options = ['Minify', 'Target', 'Sourcemap', 'Format'].filter((k) => props[k] !== undefined).map((k) => `${k} ${JSON.stringify(props[k])}`);
    // BuildProperties.External: the packages sam build's esbuild leaves out; none is assumed when it is absent.
    const external = props['External'];
    const externals = Array.isArray(external)
      ? external.filter((m): m is string => typeof m === 'string')
      : typeof external === 'string'
        ? [external]
        : [];
    return {
      form: 'bundled',
      tool: 'esbuild',
      basis: `Metadata BuildMethod: esbuild${options.length > 0 ? ` (BuildProperties ${options.join(', ')})` : ''}`,
      declaredIn: { file: t.file, line },
      ...(externals.length > 0 ? { externals } : {}),
    };
  }
  if (typeof method === 'string')
    return { form: 'unknown', tool: null, basis: `Metadata BuildMethod: ${method} (a custom build)`, declaredIn: { file: t.file, line } };
  if (!t.sam)
    return { form: 'unknown', tool: null, basis: 'AWS::Lambda::Function deploys a prebuilt package; the template does not say how it was built' };
  return { form: 'unbundled', tool: null, basis: 'no Metadata BuildMethod: sam build copies CodeUri and installs its node_modules as files' };
}

/** `region` from samconfig.toml beside the template (default or any environment's deploy parameters). */
export function samRegion(text: string): string | null {
  const m = /^\s*region\s*=\s*["']([a-z]{2}(?:-[a-z]+)+-\d)["']/m.exec(text);
  return m?.[1] ?? null;
}

/**
 * `sam build` with esbuild and `BuildProperties.Sourcemap: true` appends `NODE_OPTIONS: --enable-source-maps` to the
 * function's environment (AWS SAM developer guide, "Building Node.js Lambda functions with esbuild", checked
 * 2026-12-02): the flag is in effect even though the template's environment does not say it.
 */
export function withSamSourcemap(t: TemplateFunction, metadata: unknown, env: EnvSettings): EnvSettings {
  const props =
    isRecord(metadata) && metadata['BuildMethod'] === 'esbuild' && isRecord(metadata['BuildProperties']) ? metadata['BuildProperties'] : null;
  if (props === null || (props['Sourcemap'] !== true && props['Sourcemap'] !== 'true')) return env;
  const flags = env.nodeOptions?.flags ?? [];
  if (flags.includes('--enable-source-maps')) return env;
  const line = t.parsed.lineOf(['Resources', t.logicalId, 'Metadata', 'BuildProperties', 'Sourcemap']) ?? t.line;
  return { ...env, nodeOptions: { flags: [...flags, '--enable-source-maps'], line: env.nodeOptions?.line ?? line } };
}
