import type { Architecture, FunctionSpec } from '../model/result.js';
import { mapBuildOutput, mapDeclaredStem } from './build-map.js';
import { mapHandlerStem, splitHandler } from './handler-map.js';
import type { MappedHandler } from './handler-map.js';
import { HclParseError, evaluateHcl, hclText, parseHcl } from './hcl.js';
import type { HclAttribute, HclBlock, HclExpr, HclScope, HclValue } from './hcl.js';
import { baseName, dirOf, extensionOf, isOutsideRoot, joinRel, stripExtension } from './paths.js';
import { numberOrNull, recordFunction, recordNotAnalysed } from './spec.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';

/** Marks a path built from `path.module`/`path.root`: already root-relative, not relative to the working directory. */
const ANCHOR = '\u0000/';
const LAMBDA_MODULE = /(^|\/)terraform-aws-modules\/lambda\/aws$|terraform-aws-lambda/;

interface TfBlock {
  block: HclBlock;
  file: string;
}

/** Everything declared in one folder: a Terraform module is a folder, not a file. */
interface TfModule {
  dir: string;
  blocks: TfBlock[];
}

interface ModuleCall {
  /** Where the call is written; names the instance. */
  file: string;
  name: string;
  inputs: Map<string, HclValue>;
}

function attr(block: HclBlock, name: string): HclAttribute | undefined {
  return block.attributes.get(name);
}

class ModuleScope implements HclScope {
  private readonly active = new Set<string>();

  constructor(
    private readonly mod: TfModule,
    private readonly inputs: ReadonlyMap<string, HclValue>,
    private readonly rootDir: string,
  ) {}

  value(expr: HclExpr | undefined): HclValue | undefined {
    return expr === undefined ? undefined : evaluateHcl(expr, this);
  }

  private find(type: string, labels: readonly string[]): HclBlock | undefined {
    return this.mod.blocks.find((b) => b.block.type === type && labels.every((l, i) => b.block.labels[i] === l))?.block;
  }

  private guarded(key: string, expr: HclExpr | undefined): HclValue | undefined {
    if (expr === undefined || this.active.has(key)) return undefined;
    this.active.add(key);
    try {
      return this.value(expr);
    } finally {
      this.active.delete(key);
    }
  }

  ref(path: readonly string[]): HclValue | undefined {
    const [head, a, b, c] = path;
    if (head === 'path' && a === 'module') return ANCHOR + this.mod.dir;
    if (head === 'path' && (a === 'root' || a === 'cwd')) return ANCHOR + this.rootDir;
    if (head === 'terraform' && a === 'workspace') return 'default';
    if (head === 'var' && a !== undefined) {
      if (this.inputs.has(a)) return this.inputs.get(a);
      return this.guarded(`var.${a}`, this.find('variable', [a])?.attributes.get('default')?.expr);
    }
    if (head === 'local' && a !== undefined) {
      for (const { block } of this.mod.blocks) {
        if (block.type !== 'locals') continue;
        const found = block.attributes.get(a);
        if (found !== undefined) return this.guarded(`local.${a}`, found.expr);
      }
      return undefined;
    }
    if (head === 'data' && a !== undefined && b !== undefined && c !== undefined) {
      return this.guarded(`data.${a}.${b}.${c}`, this.find('data', [a, b])?.attributes.get(c)?.expr);
    }
    return undefined;
  }

  /** A root-relative path from a path value: anchored ones as they are, others against the working directory. */
  path(value: HclValue | undefined): string | null {
    if (typeof value !== 'string') return null;
    if (value.startsWith(ANCHOR)) return joinRel(value.slice(ANCHOR.length));
    if (value.startsWith('/')) return null;
    return joinRel(this.rootDir, value);
  }

  /** The archive_file data source whose output_path is this expression, if it is one. */
  archive(expr: HclExpr | undefined): HclBlock | undefined {
    if (expr === undefined) return undefined;
    const ref = expr.kind === 'template' && expr.parts.length === 1 && typeof expr.parts[0] !== 'string' ? expr.parts[0] : expr;
    if (ref?.kind !== 'ref' || ref.path[0] !== 'data' || ref.path[1] !== 'archive_file' || ref.path[2] === undefined) return undefined;
    return this.find('data', ['archive_file', ref.path[2]]);
  }
}

function architecture(value: HclValue | undefined): Architecture | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === 'arm64' || first === 'x86_64' ? first : null;
}

function stringOrNull(value: HclValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** The handler in a code location: a folder (archive source_dir, module source_path) or a single file. */
function mapInCode(ctx: DiscoverContext, code: { dir?: string; file?: string; note?: string }, handler: string): MappedHandler {
  const { stem } = splitHandler(handler);
  if (code.file !== undefined) {
    // A zip of one file holds it at its root: the handler's module must be that file's name.
    if (stripExtension(baseName(code.file)) !== stem) {
      return { file: null, mapping: 'unresolved', mappingNote: `handler ${handler} does not name the packaged file ${code.file}` };
    }
    if (ctx.fileSet.has(code.file) && extensionOf(code.file) !== '') {
      const direct = mapHandlerStem(ctx.fileSet, stripExtension(code.file), handler);
      if (direct.mapping === 'exact') return direct;
    }
    return mapBuildOutput(ctx, stripExtension(code.file), handler) ?? mapDeclaredStem(ctx, stripExtension(code.file), handler);
  }
  const dir = code.dir ?? '';
  const mapped = mapDeclaredStem(ctx, joinRel(dir, stem), handler);
  if (mapped.mapping === 'exact' && code.note !== undefined) return { ...mapped, mapping: 'guessed', mappingNote: code.note };
  return mapped;
}

function codeOfFunction(ctx: DiscoverContext, scope: ModuleScope, block: HclBlock): { dir?: string; file?: string; note?: string } | string {
  const filename = attr(block, 'filename');
  if (filename === undefined) {
    if (attr(block, 's3_bucket') !== undefined) return `code is in S3 (${hclText(attr(block, 's3_key')?.expr ?? { kind: 'raw', text: 's3_key' })}); handler looked up relative to the module`;
    return 'no filename';
  }
  const archive = scope.archive(filename.expr);
  if (archive !== undefined) {
    const sourceDir = scope.path(scope.value(attr(archive, 'source_dir')?.expr));
    if (sourceDir !== null) return { dir: sourceDir };
    const sourceFile = scope.path(scope.value(attr(archive, 'source_file')?.expr));
    if (sourceFile !== null) return { file: sourceFile };
    return `archive_file ${archive.labels[1] ?? ''} has no static source_dir or source_file`;
  }
  const zip = scope.path(scope.value(filename.expr));
  if (zip === null) return `filename ${hclText(filename.expr)} is not a static path`;
  // A prebuilt zip: its contents are usually the folder of the same name, or the build output beside it.
  const twin = stripExtension(zip);
  const hasTwin = [...ctx.fileSet].some((f) => f.startsWith(`${twin}/`));
  return { dir: hasTwin ? twin : dirOf(zip), note: `code is the prebuilt archive ${zip}; handler looked up in ${hasTwin ? twin : dirOf(zip) || '.'} by convention` };
}

/** `aws_lambda_provisioned_concurrency_config` blocks by the `aws_lambda_function` their function_name refers to. */
function provisionedConfigs(mod: TfModule, scope: ModuleScope): Map<string, number> {
  const out = new Map<string, number>();
  for (const { block } of mod.blocks) {
    if (block.type !== 'resource' || block.labels[0] !== 'aws_lambda_provisioned_concurrency_config') continue;
    const target = attr(block, 'function_name')?.expr;
    const n = numberOrNull(scope.value(attr(block, 'provisioned_concurrent_executions')?.expr));
    if (target?.kind === 'ref' && target.path[0] === 'aws_lambda_function' && target.path[1] !== undefined && n !== null) {
      out.set(target.path[1], (out.get(target.path[1]) ?? 0) + n);
    }
  }
  return out;
}

function discoverModule(ctx: DiscoverContext, mod: TfModule, inputs: ReadonlyMap<string, HclValue>, rootDir: string, instance: string | null): void {
  const scope = new ModuleScope(mod, inputs, rootDir);
  const provisionedByFunction = provisionedConfigs(mod, scope);
  for (const { block, file } of mod.blocks) {
    const isFunction = block.type === 'resource' && block.labels[0] === 'aws_lambda_function';
    const isModuleFn = block.type === 'module' && LAMBDA_MODULE.test(String(scope.value(attr(block, 'source')?.expr) ?? ''));
    if (!isFunction && !isModuleFn) continue;
    const label = block.labels[isFunction ? 1 : 0] ?? '';
    // Inside a module instance `this` is the convention for "the" function: the instance names it.
    const name = instance === null ? label : label === 'this' ? instance : `${instance}.${label}`;
    const address = `${instance === null ? '' : `module.${instance}.`}${isFunction ? `aws_lambda_function.${label}` : `module.${label}`}`;
    const id = `${file}#${address}`;
    const where = { id, name, declaredIn: { file, line: block.line } };
    const get = (key: string): HclValue | undefined => scope.value(attr(block, key)?.expr);
    if (get('package_type') === 'Image' || attr(block, 'image_uri') !== undefined) {
      recordNotAnalysed(ctx.sink, where, 'image', 'package_type Image', 'a container image; not analysed');
      continue;
    }
    const handlerExpr = attr(block, 'handler');
    const handler = get('handler');
    const functionName = get('function_name');
    const spec: FunctionSpec = {
      id,
      name,
      provider: 'terraform',
      deployedNames: typeof functionName === 'string' ? [functionName] : [],
      runtime: stringOrNull(get('runtime')),
      architecture: architecture(get('architectures')),
      // Terraform's and the module's defaults when the attribute is absent.
      memoryMB: attr(block, 'memory_size') === undefined ? 128 : numberOrNull(get('memory_size')),
      timeoutS: attr(block, 'timeout') === undefined ? 3 : numberOrNull(get('timeout')),
      declaredIn: where.declaredIn,
      handler: { file: null, export: '', declared: handlerExpr === undefined ? '' : typeof handler === 'string' ? handler : hclText(handlerExpr.expr), mapping: 'unresolved' },
    };
    const storage = block.blocks.find((b) => b.type === 'ephemeral_storage');
    const ephemeral = numberOrNull(isFunction ? (storage === undefined ? undefined : scope.value(attr(storage, 'size')?.expr)) : get('ephemeral_storage_size'));
    if (ephemeral !== null) spec.ephemeralStorageMB = ephemeral;
    const provisioned = isFunction ? (provisionedByFunction.get(label) ?? null) : numberOrNull(get('provisioned_concurrent_executions'));
    if (provisioned !== null && provisioned > 0) spec.provisionedConcurrency = provisioned;
    if (typeof functionName !== 'string' && attr(block, 'function_name') !== undefined) {
      ctx.sink.warnings.push(`${id}: function_name ${hclText(attr(block, 'function_name')?.expr ?? { kind: 'raw', text: '' })} cannot be resolved statically`);
    }
    if (typeof handler !== 'string') {
      if (handlerExpr === undefined) {
        recordNotAnalysed(ctx.sink, where, 'no_handler', 'no handler', 'no handler; not analysed');
        continue;
      }
      // `"${...}.handler"`: the module is dynamic but the export is still written down.
      const last = handlerExpr.expr.kind === 'template' ? handlerExpr.expr.parts[handlerExpr.expr.parts.length - 1] : undefined;
      if (typeof last === 'string' && /^\.[\w$.]+$/.test(last)) spec.handler.export = last.slice(1);
      recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `handler ${hclText(handlerExpr.expr)} is not static` });
      continue;
    }
    spec.handler.export = splitHandler(handler).exportName;
    let code: { dir?: string; file?: string; note?: string } | string;
    if (isFunction) code = codeOfFunction(ctx, scope, block);
    else {
      const sourcePath = get('source_path');
      const first = Array.isArray(sourcePath) ? sourcePath[0] : sourcePath;
      const raw = typeof first === 'object' && first !== null && !Array.isArray(first) ? first['path'] : first;
      const p = scope.path(raw);
      if (p === null) code = `source_path ${hclText(attr(block, 'source_path')?.expr ?? { kind: 'raw', text: '(none)' })} is not a static path`;
      else code = extensionOf(p) !== '' && ctx.fileSet.has(p) ? { file: p } : { dir: p };
    }
    if (typeof code === 'string') {
      recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: code });
      continue;
    }
    if ((code.dir !== undefined && isOutsideRoot(code.dir)) || (code.file !== undefined && isOutsideRoot(code.file))) {
      recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'outside_root', mappingNote: `code ${code.dir ?? code.file ?? ''} is outside the scanned root` });
      continue;
    }
    recordFunction(ctx.sink, spec, mapInCode(ctx, code, handler));
  }
}

function parseModules(ctx: DiscoverContext): Map<string, TfModule> {
  const modules = new Map<string, TfModule>();
  for (const rel of ctx.files) {
    if (!rel.endsWith('.tf')) continue;
    const text = ctx.read(rel);
    if (text === undefined) continue;
    let root: HclBlock;
    try {
      root = parseHcl(text);
    } catch (error) {
      if (!(error instanceof HclParseError)) throw error;
      ctx.sink.skipped.push({ file: rel, reason: 'parse_error', detail: error.message });
      continue;
    }
    const dir = dirOf(rel);
    const mod = modules.get(dir) ?? { dir, blocks: [] };
    for (const block of root.blocks) mod.blocks.push({ block, file: rel });
    modules.set(dir, mod);
  }
  return modules;
}

/**
 * Terraform: `aws_lambda_function` resources (code from `archive_file` data sources or prebuilt zips)
 * and `terraform-aws-modules/lambda/aws` module blocks, read with a small HCL reader. Local modules
 * (`source = "./modules/fn"`) are read once per call, with the call's inputs over the variables' defaults.
 */
export const terraformProvider: DiscoveryProviderModule = {
  name: 'terraform',
  discover(ctx: DiscoverContext): void {
    const modules = parseModules(ctx);
    const calls = new Map<string, ModuleCall[]>();
    for (const mod of modules.values()) {
      const scope = new ModuleScope(mod, new Map(), mod.dir);
      for (const { block, file } of mod.blocks) {
        if (block.type !== 'module') continue;
        const source = scope.value(attr(block, 'source')?.expr);
        if (typeof source !== 'string' || !(source.startsWith('./') || source.startsWith('../'))) continue;
        const target = joinRel(mod.dir, source);
        const inputs = new Map<string, HclValue>();
        for (const [key, a] of block.attributes) {
          const v = scope.value(a.expr);
          if (v !== undefined) inputs.set(key, v);
        }
        const list = calls.get(target) ?? [];
        list.push({ file, name: block.labels[0] ?? '', inputs });
        calls.set(target, list);
      }
    }
    for (const mod of modules.values()) {
      if (mod.blocks.some(({ block }) => (block.type === 'resource' && block.labels[0] === 'aws_lambda_function') || block.type === 'module')) {
        for (const { file } of mod.blocks) ctx.sink.iacFiles.push(file);
      }
      const callers = calls.get(mod.dir);
      if (callers === undefined) discoverModule(ctx, mod, new Map(), mod.dir, null);
      else for (const call of callers) discoverModule(ctx, mod, call.inputs, dirOf(call.file), call.name);
    }
  },
};
