import type { Architecture, FunctionSpec, LayerRef, Packaging } from '../model/result.js';
import { mapDeclaredStem } from './build-map.js';
import { appOf, declaredRegions } from './cdk-runtime.js';
import { mapSourceFile, splitHandler } from './handler-map.js';
import type { MappedHandler } from './handler-map.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';
import { dirOf, joinRel } from './paths.js';
import { expressionEnd, lineAt, matchBracket, parsePy, pyBindings } from './py-static.js';
import type { PyNode } from './py-static.js';
import { EXEC_WRAPPER, NODE_OPTIONS, envSettings, packagingFor, runtimeSettings } from './runtime-settings.js';
import { recordFunction } from './spec.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';

/** Local names the file gives the Lambda modules: `from aws_cdk import aws_lambda as _lambda`, `import aws_cdk.aws_lambda as lambda_`. */
function lambdaAliases(text: string): { lambda: Set<string>; nodejs: Set<string>; bare: Set<string> } {
  const lambda = new Set<string>();
  const nodejs = new Set<string>();
  const bare = new Set<string>();
  for (const m of text.matchAll(/^\s*from\s+aws_cdk\s+import\s+\(?([^)\n]+(?:\n[^)\n]+)*)\)?/gm)) {
    for (const part of (m[1] ?? '').split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (name === 'aws_lambda') lambda.add(alias ?? name);
      if (name === 'aws_lambda_nodejs') nodejs.add(alias ?? name);
    }
  }
  for (const m of text.matchAll(/^\s*import\s+aws_cdk\.(aws_lambda(?:_nodejs)?)(?:\s+as\s+(\w+))?/gm)) {
    (m[1] === 'aws_lambda' ? lambda : nodejs).add(m[2] ?? `aws_cdk.${m[1] ?? ''}`);
  }
  for (const m of text.matchAll(/^\s*import\s+aws_cdk\s+as\s+(\w+)/gm)) {
    lambda.add(`${m[1] ?? ''}.aws_lambda`);
    nodejs.add(`${m[1] ?? ''}.aws_lambda_nodejs`);
  }
  for (const m of text.matchAll(/^\s*from\s+aws_cdk\.aws_lambda(_nodejs)?\s+import\s+\(?([^)\n]+)/gm)) {
    for (const part of (m[2] ?? '').split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (name === 'Function' || name === 'NodejsFunction') bare.add(alias ?? name);
    }
  }
  return { lambda, nodejs, bare };
}

interface PyReader {
  text: string;
  file: string;
  appDir: string;
  bindings: Map<string, PyNode>;
}

function deref(r: PyReader, node: PyNode | undefined, depth = 0): PyNode | undefined {
  if (node?.value.kind === 'name' && depth < 8) {
    const bound = r.bindings.get(node.value.text);
    return bound === undefined ? node : deref(r, bound, depth + 1);
  }
  return node;
}

function str(r: PyReader, node: PyNode | undefined): string | null {
  const v = deref(r, node)?.value;
  return v?.kind === 'str' ? v.value : null;
}

/** A path expression: a literal (relative to the app folder) or `os.path.join(os.path.dirname(__file__), ...)`. */
function pyPath(r: PyReader, node: PyNode | undefined): string | null {
  const v = deref(r, node)?.value;
  if (v === undefined) return null;
  if (v.kind === 'str') return v.value.startsWith('/') ? null : joinRel(r.appDir, v.value);
  if (v.kind !== 'call') return null;
  if (/(^|\.)path\.dirname$/.test(v.callee) && v.args[0]?.value.kind === 'name' && v.args[0].value.text === '__file__') return dirOf(r.file);
  if (/(^|\.)path\.(join|abspath|normpath)$/.test(v.callee)) {
    const [first, ...rest] = v.args;
    const base = pyPath(r, first);
    const parts = rest.map((p) => str(r, p));
    if (base === null || parts.some((p) => p === null)) return null;
    return joinRel(base, ...parts.filter((p): p is string => p !== null));
  }
  if (/^str$/.test(v.callee)) return pyPath(r, v.args[0]);
  return null;
}

function member(node: PyNode | undefined): string {
  const v = node?.value;
  return v?.kind === 'name' ? (v.text.split('.').pop() ?? '') : '';
}

function runtimeOf(node: PyNode | undefined): string | null {
  const m = member(node);
  const nodeRt = /^NODEJS_(\d+)_X$/.exec(m);
  if (nodeRt !== null) return `nodejs${nodeRt[1] ?? ''}.x`;
  const py = /^PYTHON_(\d+)_(\d+)$/.exec(m);
  if (py !== null) return `python${py[1] ?? ''}.${py[2] ?? ''}`;
  return node?.value.kind === 'str' ? node.value.value : m === '' ? null : m.toLowerCase();
}

function secondsOf(r: PyReader, node: PyNode | undefined): number | null {
  const v = deref(r, node)?.value;
  if (v?.kind !== 'call') return null;
  const unit = /(?:^|\.)Duration\.(seconds|minutes|millis)$/.exec(v.callee)?.[1];
  const amount = v.args[0]?.value;
  if (unit === undefined || amount?.kind !== 'num') return null;
  return amount.value * (unit === 'minutes' ? 60 : unit === 'millis' ? 0.001 : 1);
}

function layersOf(r: PyReader, node: PyNode | undefined): LayerRef[] {
  const list = deref(r, node)?.value;
  if (list?.kind !== 'list') return [];
  return list.items.map((item) => {
    const line = lineAt(r.text, item.start);
    const v = deref(r, item)?.value;
    if (v?.kind === 'call' && /LayerVersion\.from_layer_version_arn$/.test(v.callee))
      return { ref: str(r, v.args[2] ?? v.kwargs.get('layer_version_arn')) ?? 'layer ARN (not static)', line };
    if (v?.kind === 'call' && /(^|\.)LayerVersion$/.test(v.callee)) {
      const code = deref(r, v.kwargs.get('code'))?.value;
      const dir = code?.kind === 'call' && /Code\.from_asset$/.test(code.callee) ? pyPath(r, code.args[0]) : null;
      return { ref: str(r, v.args[1] ?? v.kwargs.get('id')) ?? 'LayerVersion', ...(dir !== null ? { localDir: dir } : {}), line };
    }
    return { ref: item.value.kind === 'name' ? item.value.text : 'layer', line };
  });
}

function envOf(r: PyReader, node: PyNode | undefined): ReturnType<typeof envSettings> {
  const dict = deref(r, node)?.value;
  if (dict?.kind !== 'dict') return {};
  const picked: Record<string, unknown> = {};
  const lines = new Map<string, number>();
  for (const { key, value } of dict.entries) {
    const k = str(r, key);
    // Only the two keys are read; no other environment value is looked at.
    if (k !== NODE_OPTIONS && k !== EXEC_WRAPPER) continue;
    const v = str(r, value);
    if (v !== null) picked[k] = v;
    lines.set(k, lineAt(r.text, key.start));
  }
  return envSettings(picked, (k) => lines.get(k) ?? 1);
}

function readConstruct(ctx: DiscoverContext, r: PyReader, call: PyNode, kind: 'nodejs' | 'function', region: string | undefined): void {
  if (call.value.kind !== 'call') return;
  const { args, kwargs } = call.value;
  const line = lineAt(r.text, call.start);
  const constructId = str(r, args[1] ?? kwargs.get('id')) ?? `line${line}`;
  const arch = member(kwargs.get('architecture'));
  const memory = deref(r, kwargs.get('memory_size'))?.value;
  const spec: FunctionSpec = {
    id: `${r.file}#${constructId}`,
    name: constructId,
    provider: 'cdk',
    deployedNames: str(r, kwargs.get('function_name')) === null ? [] : [str(r, kwargs.get('function_name')) ?? ''],
    runtime: kwargs.has('runtime') ? runtimeOf(deref(r, kwargs.get('runtime'))) : null,
    architecture: arch === 'ARM_64' ? 'arm64' : arch === 'X86_64' ? ('x86_64' satisfies Architecture) : null,
    memoryMB: memory?.kind === 'num' ? memory.value : null,
    timeoutS: secondsOf(r, kwargs.get('timeout')),
    declaredIn: { file: r.file, line },
    handler: { file: null, export: 'handler', declared: '', mapping: 'unresolved' },
  };
  const runtimeNode = kwargs.get('runtime');
  if (spec.runtime !== null && runtimeNode !== undefined) spec.runtimeDeclaredIn = { file: r.file, line: lineAt(r.text, runtimeNode.start) };
  const settings = runtimeSettings(layersOf(r, kwargs.get('layers')), envOf(r, kwargs.get('environment')));
  if (settings !== undefined) spec.runtimeSettings = settings;
  if (region !== undefined) spec.region = region;
  applyDefaults(spec, IAC_DEFAULTS.cdk);
  let mapped: MappedHandler;
  let packaging: Packaging;
  if (kind === 'nodejs') {
    const entry = pyPath(r, kwargs.get('entry'));
    spec.handler.export = str(r, kwargs.get('handler')) ?? 'handler';
    spec.handler.declared = entry ?? '';
    mapped =
      entry === null
        ? { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: 'entry is not a static path' }
        : mapSourceFile(ctx.fileSet, entry, entry);
    packaging = { form: 'bundled', tool: 'esbuild', basis: 'CDK NodejsFunction bundles with esbuild by default', declaredIn: { file: r.file, line } };
  } else {
    const handler = str(r, kwargs.get('handler'));
    const code = deref(r, kwargs.get('code'))?.value;
    const dir = code?.kind === 'call' && /(Code\.from_asset|AssetCode)$/.test(code.callee) ? pyPath(r, code.args[0]) : null;
    spec.handler.declared = handler ?? '';
    spec.handler.export = handler === null ? 'handler' : splitHandler(handler).exportName;
    mapped =
      handler === null || dir === null
        ? {
            file: null,
            mapping: 'unresolved',
            reason: 'not_static',
            mappingNote: handler === null ? 'handler is not a string literal' : 'code is not a local asset folder (Code.from_asset)',
          }
        : mapDeclaredStem(ctx, joinRel(dir, splitHandler(handler).stem), handler);
    packaging = {
      form: 'unbundled',
      tool: null,
      basis: 'lambda.Function with an asset folder deploys the folder as files',
      declaredIn: { file: r.file, line },
    };
  }
  recordFunction(ctx.sink, spec, mapped);
  spec.packaging = packagingFor(ctx, packaging, spec.handler.file);
}

function discoverPythonStack(ctx: DiscoverContext, rel: string, region: string | undefined): void {
  const text = ctx.readIf(rel, [/\baws_cdk\b/, /Function\s*\(/]);
  if (text === undefined) return;
  const aliases = lambdaAliases(text);
  const r: PyReader = { text, file: rel, appDir: appOf(ctx.fileSet, rel), bindings: pyBindings(text) };
  let found = false;
  for (const m of text.matchAll(/(?<![\w.])((?:[A-Za-z_]\w*\.)*)(NodejsFunction|Function)\s*\(/g)) {
    const qualifier = (m[1] ?? '').replace(/\.$/, '');
    const name = m[2] ?? '';
    const kind =
      name === 'NodejsFunction'
        ? qualifier === ''
          ? aliases.bare.has(name)
          : aliases.nodejs.has(qualifier)
        : qualifier === ''
          ? aliases.bare.has(name)
          : aliases.lambda.has(qualifier);
    if (!kind) continue;
    const start = m.index ?? 0;
    const open = start + m[0].length - 1;
    const close = matchBracket(text, open);
    if (close < 0 || expressionEnd(text, start) < close) continue;
    found = true;
    readConstruct(ctx, r, parsePy(text, text.slice(start, close + 1), start), name === 'NodejsFunction' ? 'nodejs' : 'function', region);
  }
  if (found) ctx.sink.iacFiles.push(rel);
}

/** CDK apps in Python (`aws_lambda.Function`, `aws_lambda_nodejs.NodejsFunction`), read as text, never run. */
export const cdkPythonProvider: DiscoveryProviderModule = {
  name: 'cdk-python',
  discover(ctx: DiscoverContext): void {
    const stacks = ctx.files.filter((rel) => rel.endsWith('.py') && !/(^|\/)(\.venv|venv|site-packages|cdk\.out|node_modules)\//.test(rel));
    const regions = new Map<string, string[]>();
    for (const rel of stacks) {
      const text = ctx.readIf(rel, [/\baws_cdk\b/]);
      if (text === undefined) continue;
      const app = appOf(ctx.fileSet, rel);
      regions.set(app, [...new Set([...(regions.get(app) ?? []), ...declaredRegions(text, true)])]);
    }
    for (const rel of stacks) {
      const list = regions.get(appOf(ctx.fileSet, rel)) ?? [];
      discoverPythonStack(ctx, rel, list.length === 1 ? list[0] : undefined);
    }
  },
};
