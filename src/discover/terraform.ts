import type { Architecture, FunctionSpec, LayerRef, NotAnalysedFunction, RuntimeSettings } from '../model/result.js';
import { evaluateAlt, evaluateHcl, isRecord, known, traverseAlt, UNKNOWN } from './hcl-eval.js';
import type { Alt, HclScope, HclValue } from './hcl-eval.js';
import { HclParseError, hclText, lineWithin, parseHcl } from './hcl.js';
import type { HclAttribute, HclBlock, HclExpr } from './hcl.js';
import { splitHandler } from './handler-map.js';
import type { MappedHandler } from './handler-map.js';
import { baseName, dirOf, extensionOf, isOutsideRoot, joinRel } from './paths.js';
import { numberOrNull } from './spec.js';
import { registerBuildScript } from './build-map.js';
import { mapInCode, moduleCommands, zipLocation } from './terraform-code.js';
import type { CodeLocation, MappedCode } from './terraform-code.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { parse as parseYaml } from 'yaml';

/** Marks a path built from `path.module`/`path.root`: already root-relative, not relative to the working directory. */
const ANCHOR = '\u0000/';
const LAMBDA_MODULE = /(^|\/)terraform-aws-modules\/lambda\/aws(\?|\/\/|$)|terraform-aws-lambda/;
const MAX_DEPTH = 8;
const MAX_INSTANCES = 64;

interface TfBlock {
  block: HclBlock;
  file: string;
}

/** Everything declared in one folder: a Terraform module is a folder, not a file. */
interface TfModule {
  dir: string;
  blocks: TfBlock[];
}

/** One instance of a module: a root, or a `module` call (one per count/for_each key) with its inputs. */
interface Instance {
  mod: TfModule;
  inputs: ReadonlyMap<string, Alt>;
  rootDir: string;
  /** `module.api["a"].` before the addresses inside it; '' in a root. */
  prefix: string;
  /** `api["a"]` (nested: `outer.inner`); null in a root. */
  name: string | null;
  /** Regions of the aws providers in force: '' is the default one, others by alias. */
  providers: ReadonlyMap<string, string | null>;
  depth: number;
  /** Reads a root-relative file of the tree for `file()`; undefined when there is none. */
  read: (rel: string) => string | undefined;
  /** archive_file blocks by their evaluated output_path, from every instance read so far (a zip path passed into a module). */
  archives?: Map<string, CodeLocation[]>;
}

/** A function ready to record; kept until every root is read so that one reached twice counts once. */
interface Pending {
  spec: FunctionSpec;
  mapped: MappedHandler | null;
  notAnalysed?: Pick<NotAnalysedFunction, 'reason' | 'detail'> & { warning: string };
  warnings: string[];
}

function attr(block: HclBlock, name: string): HclAttribute | undefined {
  return block.attributes.get(name);
}

/** JSON or YAML data as an HCL value; undefined for what HCL has no value for. */
function toHclValue(data: unknown): HclValue | undefined {
  if (data === null || typeof data === 'string' || typeof data === 'boolean') return data;
  if (typeof data === 'number') return Number.isFinite(data) ? data : undefined;
  if (Array.isArray(data)) {
    const items = data.map(toHclValue);
    return items.every((i): i is HclValue => i !== undefined) ? items : undefined;
  }
  if (typeof data === 'object') {
    const out: { [key: string]: HclValue } = {};
    for (const [k, v] of Object.entries(data)) {
      const value = toHclValue(v);
      if (value === undefined) return undefined;
      out[k] = value;
    }
    return out;
  }
  return undefined;
}

function stringOrNull(value: HclValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function architecture(value: HclValue | undefined): Architecture | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === 'arm64' || first === 'x86_64' ? first : null;
}

class ModuleScope implements HclScope {
  private readonly active = new Set<string>();

  constructor(
    readonly inst: Instance,
    private readonly names: ReadonlyMap<string, HclValue> = new Map(),
  ) {}

  /** The same module with `each`/`count` (or other names) bound. */
  with(names: ReadonlyMap<string, HclValue>): ModuleScope {
    return names.size === 0 ? this : new ModuleScope(this.inst, new Map([...this.names, ...names]));
  }

  /**
   * `file()` of a file in the scanned tree (read, never run) and the decoders that turn it into the map
   * of functions many configurations keep in JSON or YAML.
   */
  call(name: string, args: readonly HclValue[]): HclValue | undefined {
    const [first] = args;
    // Terragrunt's: the folder of the terragrunt.hcl being read.
    if (name === 'get_terragrunt_dir' || name === 'get_original_terragrunt_dir') return ANCHOR + this.inst.mod.dir;
    if (name === 'file' || name === 'fileexists') {
      const rel = this.path(first);
      if (rel === null || isOutsideRoot(rel)) return undefined;
      const text = this.inst.read(rel);
      return name === 'fileexists' ? text !== undefined : text;
    }
    if (typeof first !== 'string') return undefined;
    try {
      if (name === 'jsondecode') return toHclValue(JSON.parse(first));
      if (name === 'yamldecode') return toHclValue(parseYaml(first));
    } catch {
      return undefined;
    }
    return undefined;
  }

  private find(type: string, labels: readonly string[]): HclBlock | undefined {
    return this.inst.mod.blocks.find((b) => b.block.type === type && labels.every((l, i) => b.block.labels[i] === l))?.block;
  }

  private guarded(key: string, expr: HclExpr | undefined, rest: readonly string[]): Alt {
    if (expr === undefined || this.active.has(key)) return UNKNOWN;
    this.active.add(key);
    try {
      return traverseAlt(evaluateAlt(expr, this), rest);
    } finally {
      this.active.delete(key);
    }
  }

  ref(path: readonly string[]): Alt {
    const [head, a, ...rest] = path;
    if (head !== undefined && this.names.has(head)) return traverseAlt(known(this.names.get(head) ?? null), path.slice(1));
    if (head === 'path' && a === 'module') return known(ANCHOR + this.inst.mod.dir);
    if (head === 'path' && (a === 'root' || a === 'cwd')) return known(ANCHOR + this.inst.rootDir);
    if (head === 'terraform' && a === 'workspace') return known('default');
    if (head === 'var' && a !== undefined) {
      const input = this.inst.inputs.get(a);
      if (input !== undefined) return traverseAlt(input, rest);
      return this.guarded(`var.${a}`, this.find('variable', [a])?.attributes.get('default')?.expr, rest);
    }
    if (head === 'local' && a !== undefined) {
      for (const { block } of this.inst.mod.blocks) {
        const found = block.type === 'locals' ? block.attributes.get(a) : undefined;
        if (found !== undefined) return this.guarded(`local.${a}`, found.expr, rest);
      }
      return UNKNOWN;
    }
    if (head === 'data' && a === 'aws_region') {
      // The region of the provider in force, when the data source does not ask for another one.
      const [, field] = rest;
      const region = this.inst.providers.get('') ?? null;
      return region !== null && (field === 'name' || field === 'region' || field === 'id') ? known(region) : UNKNOWN;
    }
    if (head === 'data' && a !== undefined) {
      const [name, ...more] = rest;
      return name === undefined ? UNKNOWN : this.blockAttribute('data', a, name, more);
    }
    if (head !== undefined && a !== undefined && /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(head)) return this.blockAttribute('resource', head, a, rest);
    return UNKNOWN;
  }

  /** `data.archive_file.x.output_path`, `aws_lambda_function.x.function_name`: the attribute as declared. */
  private blockAttribute(kind: string, type: string, name: string, rest: readonly string[]): Alt {
    const block = this.find(kind, [type, name]);
    if (block === undefined) return UNKNOWN;
    const path = /^\d+$/.test(rest[0] ?? '') ? rest.slice(1) : rest; // one instance of a counted block
    const [field, ...deeper] = path;
    if (field === undefined) return UNKNOWN;
    return this.guarded(`${kind}.${type}.${name}.${field}`, block.attributes.get(field)?.expr, deeper);
  }

  /** A root-relative path from a path value: anchored ones as they are, others against the working directory. */
  path(value: HclValue | undefined): string | null {
    if (typeof value !== 'string' || value === '') return null;
    if (value.startsWith(ANCHOR)) return joinRel(value.slice(ANCHOR.length));
    if (value.startsWith('/')) return null;
    return joinRel(this.inst.rootDir, value);
  }
}

/** The instances of a block: one per for_each key or count index, one when it has neither. */
function instancesOf(block: HclBlock, scope: HclScope, warn: (message: string) => void): Array<{ suffix: string; names: Map<string, HclValue> }> {
  const forEach = attr(block, 'for_each');
  const count = attr(block, 'count');
  if (forEach !== undefined) {
    const v = evaluateAlt(forEach.expr, scope);
    const keys = new Map<string, HclValue>();
    for (const value of v.values) {
      if (isRecord(value)) for (const k of Object.keys(value).sort()) keys.set(k, value[k] ?? null);
      else if (Array.isArray(value)) for (const k of value) if (typeof k === 'string') keys.set(k, k);
    }
    if (keys.size === 0 && v.exact) return []; // an empty map or set: no instance
    if (keys.size === 0) {
      warn(`for_each ${hclText(forEach.expr)} is not static; read as one instance`);
      return [{ suffix: '', names: new Map() }];
    }
    return [...keys]
      .slice(0, MAX_INSTANCES)
      .map(([key, value]) => ({ suffix: `[${JSON.stringify(key)}]`, names: new Map([['each', { key, value }]]) }));
  }
  if (count !== undefined) {
    const v = evaluateAlt(count.expr, scope);
    const numbers = v.values.filter((n): n is number => typeof n === 'number');
    // Every static branch: `var.enabled ? 1 : 0` with an unknown test may be deployed once.
    const n = numbers.length === 0 ? 1 : Math.min(Math.max(...numbers), MAX_INSTANCES);
    if (numbers.length === 0) warn(`count ${hclText(count.expr)} is not static; read as one instance`);
    return Array.from({ length: n }, (_, i) => ({ suffix: `[${i}]`, names: new Map([['count', { index: i }]]) }));
  }
  return [{ suffix: '', names: new Map() }];
}

/** Every archive_file the expression can reach (through locals and conditionals), with the key it indexes. */
function archivesIn(expr: HclExpr, inst: Instance, scope: HclScope, seen = new Set<string>()): Array<{ block: TfBlock; key: HclValue | undefined }> {
  const out: Array<{ block: TfBlock; key: HclValue | undefined }> = [];
  const visit = (e: HclExpr, key: HclValue | undefined): void => {
    if (e.kind === 'ref') {
      const [head, a, b, c] = e.path;
      if (head === 'data' && a === 'archive_file' && b !== undefined) {
        const block = inst.mod.blocks.find((x) => x.block.type === 'data' && x.block.labels[0] === 'archive_file' && x.block.labels[1] === b);
        if (block !== undefined) out.push({ block, key: key ?? (c !== undefined && /^\d+$/.test(c) ? Number(c) : undefined) });
      } else if (head === 'local' && a !== undefined && !seen.has(a)) {
        seen.add(a);
        for (const { block } of inst.mod.blocks) {
          const found = block.type === 'locals' ? block.attributes.get(a) : undefined;
          if (found !== undefined) visit(found.expr, key);
        }
      }
      return;
    }
    if (e.kind === 'index') visit(e.collection, evaluateHcl(e.key, scope));
    else if (e.kind === 'traverse') visit(e.source, key);
    else if (e.kind === 'cond') {
      visit(e.then, key);
      visit(e.else, key);
    } else if (e.kind === 'template') {
      for (const p of e.parts) if (typeof p !== 'string') visit(p, key);
    } else if (e.kind === 'call') {
      for (const a of e.args) visit(a, key);
    }
  };
  visit(expr, undefined);
  return out;
}

/** The code an archive_file packs, for the instance the key picks. */
function archiveCode(found: { block: TfBlock; key: HclValue | undefined }, scope: ModuleScope): CodeLocation[] {
  const { block, file } = found.block;
  const instances = instancesOf(block, scope, () => undefined);
  const picked = instances.find((i) => found.key === undefined || i.suffix === `[${JSON.stringify(found.key)}]`) ?? instances[0];
  const inner = picked === undefined ? scope : scope.with(picked.names);
  const packer = `archive_file ${block.labels[1] ?? ''}`;
  const declaredIn = { file, line: block.line };
  const out: CodeLocation[] = [];
  for (const v of evaluateAlt(attr(block, 'source_dir')?.expr ?? { kind: 'raw', text: '' }, inner).values) {
    const dir = scope.path(v);
    if (dir !== null) out.push({ dir, packer, declaredIn });
  }
  for (const v of evaluateAlt(attr(block, 'source_file')?.expr ?? { kind: 'raw', text: '' }, inner).values) {
    const f = scope.path(v);
    if (f !== null) out.push({ file: f, packer, declaredIn });
  }
  return out;
}

/** Where an aws_lambda_function's code may be: every static branch of `filename`, archives first. */
function functionCode(ctx: DiscoverContext, block: HclBlock, scope: ModuleScope): CodeLocation[] | string {
  const unset = (a: HclAttribute | undefined): boolean => a === undefined || evaluateHcl(a.expr, scope) === null;
  const filename = unset(attr(block, 'filename')) ? undefined : attr(block, 'filename');
  if (filename === undefined) {
    if (!unset(attr(block, 's3_bucket'))) return `code is in S3 (${hclText(attr(block, 's3_key')?.expr ?? { kind: 'raw', text: 's3_key' })})`;
    return 'no filename';
  }
  const out: CodeLocation[] = [];
  for (const found of archivesIn(filename.expr, scope.inst, scope)) out.push(...archiveCode(found, scope));
  if (out.length > 0) return out;
  for (const v of evaluateAlt(filename.expr, scope).values) {
    const zip = scope.path(v);
    if (zip === null) continue;
    const archived = scope.inst.archives?.get(zip);
    if (archived !== undefined) out.push(...archived);
    else out.push(zipLocation(ctx, zip, `prebuilt archive ${zip}`));
  }
  return out.length > 0 ? out : `filename ${hclText(filename.expr)} is not a static path`;
}

/** terraform-aws-modules/lambda: `source_path` as a string, a list, or objects with `path`/`commands`/`prefix_in_zip`. */
function moduleCode(ctx: DiscoverContext, block: HclBlock, scope: ModuleScope, get: (k: string) => Alt): CodeLocation[] | string {
  const out: CodeLocation[] = [];
  const packer = `terraform-aws-modules/lambda ${block.labels[0] ?? ''} source_path`;
  for (const value of get('source_path').values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const raw = isRecord(item) ? item['path'] : item;
      const p = scope.path(raw);
      if (p === null) continue;
      const commands = isRecord(item) && Array.isArray(item['commands']) ? item['commands'].filter((c): c is string => typeof c === 'string') : [];
      const prefix = isRecord(item) && typeof item['prefix_in_zip'] === 'string' ? item['prefix_in_zip'] : undefined;
      const run = moduleCommands(p, commands);
      const base: CodeLocation = { packer, declaredIn: { file: '', line: block.line }, builds: run.builds };
      if (run.prefix !== undefined || prefix !== undefined) base.prefix = run.prefix ?? prefix;
      if (commands.length === 0 && extensionOf(p) !== '' && ctx.fileSet.has(p)) out.push({ ...base, file: p });
      else out.push({ ...base, dir: run.dir });
    }
  }
  for (const v of get('local_existing_package').values) {
    const zip = scope.path(v);
    if (zip !== null) out.push(zipLocation(ctx, zip, `local_existing_package ${zip}`));
  }
  if (out.length > 0) return out;
  if (attr(block, 's3_existing_package') !== undefined) return 'code is an existing S3 package';
  const sp = attr(block, 'source_path');
  return sp === undefined ? 'no source_path' : `source_path ${hclText(sp.expr)} is not a static path`;
}

/** The first location whose handler maps to a source; else the first location's answer. */
function bestMapping(
  ctx: DiscoverContext,
  locations: readonly CodeLocation[],
  handler: string,
  file: string,
): MappedCode & { location: CodeLocation } {
  let first: (MappedCode & { location: CodeLocation }) | null = null;
  for (const location of locations) {
    const loc = location.declaredIn?.file === '' ? { ...location, declaredIn: { file, line: location.declaredIn.line } } : location;
    if ((loc.dir !== undefined && isOutsideRoot(loc.dir)) || (loc.file !== undefined && isOutsideRoot(loc.file))) {
      const outside = {
        mapped: {
          file: null,
          mapping: 'unresolved' as const,
          reason: 'outside_root' as const,
          mappingNote: `code ${loc.dir ?? loc.file ?? ''} is outside the scanned root`,
        },
        packaging: { form: 'unknown' as const, tool: null, basis: `${loc.packer}: outside the scanned root` },
        location: loc,
      };
      first ??= outside;
      continue;
    }
    const got = { ...mapInCode(ctx, loc, handler), location: loc };
    if (got.mapped.mapping === 'exact' || got.mapped.mapping === 'mapped') return got;
    first ??= got;
  }
  if (first === null) throw new Error('bestMapping needs at least one location');
  return first;
}

/** One entry of an environment map, without evaluating the others: `merge(local.env, { NODE_OPTIONS = ... })` too. */
function envEntry(expr: HclExpr, name: string, scope: HclScope): HclValue | undefined {
  if (expr.kind === 'object') {
    const entry = expr.entries.find(([k]) => k === name);
    return entry === undefined ? undefined : evaluateHcl(entry[1], scope);
  }
  if (expr.kind === 'call' && expr.name === 'merge') {
    for (const arg of [...expr.args].reverse()) {
      const v = envEntry(arg, name, scope);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  const whole = evaluateHcl(expr, scope);
  return isRecord(whole) ? whole[name] : undefined;
}

/** NODE_OPTIONS as flag names: `--require ./x.js --max-old-space-size=4096` -> `--require`, `--max-old-space-size`. */
function flagNames(value: string): string[] {
  return value
    .split(/\s+/)
    .filter((t) => t.startsWith('-'))
    .map((t) => t.split('=')[0] ?? t);
}

/** A layer built in this repository: an aws_lambda_layer_version (or a lambda module with create_layer) by reference. */
function layerDir(ctx: DiscoverContext, item: HclExpr, scope: ModuleScope): string | undefined {
  if (item.kind !== 'ref') return undefined;
  const [head, name] = item.path;
  const blocks = scope.inst.mod.blocks;
  if (head === 'aws_lambda_layer_version' && name !== undefined) {
    const layer = blocks.find(
      (b) => b.block.type === 'resource' && b.block.labels[0] === 'aws_lambda_layer_version' && b.block.labels[1] === name,
    )?.block;
    const code = layer === undefined ? undefined : functionCode(ctx, layer, scope);
    const first = Array.isArray(code) ? code[0] : undefined;
    return first?.dir ?? (first?.file === undefined ? undefined : dirOf(first.file));
  }
  if (head === 'module' && name !== undefined) {
    const mod = blocks.find((b) => b.block.type === 'module' && b.block.labels[0] === name)?.block;
    if (mod === undefined || evaluateHcl(attr(mod, 'create_layer')?.expr ?? { kind: 'literal', value: false }, scope) !== true) return undefined;
    const code = moduleCode(ctx, mod, scope, (k) => evaluateAlt(attr(mod, k)?.expr ?? { kind: 'raw', text: '' }, scope));
    return Array.isArray(code) ? code[0]?.dir : undefined;
  }
  return undefined;
}

/** The layers one expression attaches: list items one by one, `concat(...)` argument by argument. */
function layerRefs(ctx: DiscoverContext, layersAttr: HclAttribute, expr: HclExpr, scope: ModuleScope): LayerRef[] {
  if (expr.kind === 'call' && expr.name === 'concat') return expr.args.flatMap((a) => layerRefs(ctx, layersAttr, a, scope));
  if (expr.kind === 'list') {
    return expr.items.map((item) => {
      const value = evaluateHcl(item, scope);
      const text = hclText(item);
      const layer: LayerRef = {
        ref: typeof value === 'string' ? value : text,
        line: lineWithin(layersAttr, item.kind === 'literal' && typeof item.value === 'string' ? item.value : text),
      };
      const dir = layerDir(ctx, item, scope);
      if (dir !== undefined) layer.localDir = dir;
      return layer;
    });
  }
  const value = evaluateHcl(expr, scope);
  if (Array.isArray(value))
    return value.filter((v): v is string => typeof v === 'string').map((ref) => ({ ref, line: lineWithin(layersAttr, hclText(expr)) }));
  // Attached but not static: say so by the expression rather than drop it.
  return [{ ref: hclText(expr), line: lineWithin(layersAttr, hclText(expr)) }];
}

/** Layers and the two environment keys that change init; no other environment value is ever read. */
function runtimeSettingsOf(ctx: DiscoverContext, block: HclBlock, isModule: boolean, scope: ModuleScope): RuntimeSettings | undefined {
  const layers: LayerRef[] = [];
  const layersAttr = attr(block, 'layers');
  if (layersAttr !== undefined) layers.push(...layerRefs(ctx, layersAttr, layersAttr.expr, scope));
  const envAttr = isModule ? attr(block, 'environment_variables') : block.blocks.find((b) => b.type === 'environment')?.attributes.get('variables');
  const out: RuntimeSettings = { layers };
  if (envAttr !== undefined) {
    const nodeOptions = envEntry(envAttr.expr, 'NODE_OPTIONS', scope);
    if (typeof nodeOptions === 'string') out.nodeOptions = { flags: flagNames(nodeOptions), line: lineWithin(envAttr, 'NODE_OPTIONS') };
    const wrapper = envEntry(envAttr.expr, 'AWS_LAMBDA_EXEC_WRAPPER', scope);
    if (typeof wrapper === 'string') out.execWrapper = { value: wrapper, line: lineWithin(envAttr, 'AWS_LAMBDA_EXEC_WRAPPER') };
  }
  return layers.length === 0 && out.nodeOptions === undefined && out.execWrapper === undefined ? undefined : out;
}

/** The region a resource deploys to: its `provider = aws.alias`, else the instance's default aws provider. */
function regionOf(block: HclBlock, inst: Instance): string | null {
  const p = attr(block, 'provider')?.expr;
  const alias = p?.kind === 'ref' && p.path[0] === 'aws' ? (p.path[1] ?? '') : '';
  return inst.providers.get(alias) ?? null;
}

/** `provider "aws"` blocks of a module, by alias ('' for the default), with their static region. */
function providersOf(inst: Omit<Instance, 'providers'> & { providers: ReadonlyMap<string, string | null> }): Map<string, string | null> {
  const scope = new ModuleScope(inst);
  const out = new Map(inst.providers);
  for (const { block } of inst.mod.blocks) {
    if (block.type !== 'provider' || block.labels[0] !== 'aws') continue;
    const alias = stringOrNull(evaluateHcl(attr(block, 'alias')?.expr ?? { kind: 'literal', value: '' }, scope)) ?? '';
    out.set(alias, stringOrNull(evaluateHcl(attr(block, 'region')?.expr ?? { kind: 'literal', value: null }, scope)));
  }
  return out;
}

/** `aws_lambda_provisioned_concurrency_config` blocks by the `aws_lambda_function` their function_name refers to. */
function provisionedConfigs(mod: TfModule, scope: HclScope): Map<string, number> {
  const out = new Map<string, number>();
  for (const { block } of mod.blocks) {
    if (block.type !== 'resource' || block.labels[0] !== 'aws_lambda_provisioned_concurrency_config') continue;
    const target = attr(block, 'function_name')?.expr;
    const n = numberOrNull(evaluateHcl(attr(block, 'provisioned_concurrent_executions')?.expr ?? { kind: 'raw', text: '' }, scope));
    if (target?.kind === 'ref' && target.path[0] === 'aws_lambda_function' && target.path[1] !== undefined && n !== null) {
      out.set(target.path[1], (out.get(target.path[1]) ?? 0) + n);
    }
  }
  return out;
}

interface Declared {
  block: HclBlock;
  file: string;
  isModule: boolean;
  label: string;
  suffix: string;
}

/** One function (one instance of a resource or lambda module block) as a spec with its mapping. */
function functionOf(ctx: DiscoverContext, d: Declared, scope: ModuleScope, provisioned: ReadonlyMap<string, number>): Pending {
  const inner = scope;
  const { block, file, isModule, label, suffix } = d;
  const inst = scope.inst;
  const base = inst.name === null ? label : label === 'this' ? inst.name : `${inst.name}.${label}`;
  const address = `${inst.prefix}${isModule ? 'module' : 'aws_lambda_function'}.${label}${suffix}`;
  const id = `${file}#${address}`;
  const name = `${base}${suffix}`;
  const getAlt = (key: string): Alt =>
    attr(block, key) === undefined ? UNKNOWN : evaluateAlt(attr(block, key)?.expr ?? { kind: 'raw', text: '' }, inner);
  const get = (key: string): HclValue | undefined => {
    const a = getAlt(key);
    return a.exact && a.values.length === 1 ? a.values[0] : undefined;
  };
  // An attribute set to null (a variable's null default) is unset, as Terraform reads it.
  const isSet = (key: string): boolean => attr(block, key) !== undefined && get(key) !== null;
  const declaredIn = { file, line: block.line };
  const handlerAttr = attr(block, 'handler');
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
    memoryMB: !isSet('memory_size') ? 128 : numberOrNull(get('memory_size')),
    timeoutS: !isSet('timeout') ? 3 : numberOrNull(get('timeout')),
    declaredIn,
    handler: {
      file: null,
      export: '',
      declared: handlerAttr === undefined ? '' : typeof handler === 'string' ? handler : hclText(handlerAttr.expr),
      mapping: 'unresolved',
    },
  };
  const pending: Pending = { spec, mapped: null, warnings: [] };
  if (get('package_type') === 'Image' || isSet('image_uri')) {
    pending.notAnalysed = { reason: 'image', detail: 'package_type Image', warning: 'a container image; not analysed' };
    return pending;
  }
  const region = regionOf(block, inst);
  if (region !== null) spec.region = region;
  const storage = block.blocks.find((b) => b.type === 'ephemeral_storage');
  const ephemeral = numberOrNull(
    isModule
      ? get('ephemeral_storage_size')
      : storage === undefined
        ? undefined
        : evaluateHcl(attr(storage, 'size')?.expr ?? { kind: 'raw', text: '' }, inner),
  );
  if (ephemeral !== null) spec.ephemeralStorageMB = ephemeral;
  const pc = isModule ? numberOrNull(get('provisioned_concurrent_executions')) : (provisioned.get(label) ?? null);
  if (pc !== null && pc > 0) spec.provisionedConcurrency = pc;
  const settings = runtimeSettingsOf(ctx, block, isModule, scope);
  if (settings !== undefined) spec.runtimeSettings = settings;
  if (typeof functionName !== 'string' && attr(block, 'function_name') !== undefined) {
    pending.warnings.push(`function_name ${hclText(attr(block, 'function_name')?.expr ?? { kind: 'raw', text: '' })} cannot be resolved statically`);
  }
  if (typeof handler !== 'string') {
    if (handlerAttr === undefined) {
      pending.notAnalysed = { reason: 'no_handler', detail: 'no handler', warning: 'no handler; not analysed' };
      return pending;
    }
    // `"${...}.handler"`: the module is dynamic but the export is still written down.
    const last = handlerAttr.expr.kind === 'template' ? handlerAttr.expr.parts[handlerAttr.expr.parts.length - 1] : undefined;
    if (typeof last === 'string' && /^\.[\w$.]+$/.test(last)) spec.handler.export = last.slice(1);
    pending.mapped = { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: `handler ${hclText(handlerAttr.expr)} is not static` };
    return pending;
  }
  spec.handler.export = splitHandler(handler).exportName;
  if (handler.startsWith('/opt/')) {
    // A wrapper shipped in a layer (Datadog, OpenTelemetry) that loads the real handler named elsewhere.
    pending.mapped = {
      file: null,
      mapping: 'unresolved',
      reason: 'outside_root',
      mappingNote: `handler ${handler} is in a layer (/opt): a wrapper that loads the function's own handler at run time`,
    };
    return pending;
  }
  const code = isModule ? moduleCode(ctx, block, scope, getAlt) : functionCode(ctx, block, scope);
  if (typeof code === 'string') {
    pending.mapped = { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: code };
    spec.packaging = { form: 'unknown', tool: null, basis: code };
    return pending;
  }
  const best = bestMapping(ctx, code, handler, file);
  pending.mapped = best.mapped;
  spec.packaging = best.packaging;
  return pending;
}

function evalInputs(block: HclBlock, scope: HclScope): Map<string, Alt> {
  const inputs = new Map<string, Alt>();
  for (const [key, a] of block.attributes) {
    if (key === 'source' || key === 'version' || key === 'count' || key === 'for_each' || key === 'providers' || key === 'depends_on') continue;
    const v = evaluateAlt(a.expr, scope);
    if (v.values.length > 0) inputs.set(key, v);
  }
  return inputs;
}

/** The providers a module call hands its child: `providers = { aws = aws.west }`, else the caller's. */
function childProviders(block: HclBlock, inst: Instance): Map<string, string | null> {
  const out = new Map(inst.providers);
  const given = attr(block, 'providers')?.expr;
  if (given?.kind === 'object') {
    for (const [k, v] of given.entries) {
      const alias = v.kind === 'ref' && v.path[0] === 'aws' ? (v.path[1] ?? '') : null;
      if (alias !== null && k.startsWith('aws')) out.set(k === 'aws' ? '' : k.slice(4), inst.providers.get(alias) ?? null);
    }
  }
  return out;
}

/**
 * `provisioner "local-exec"` commands of null_resource/terraform_data blocks: the build and zip steps many
 * configurations run before `archive_file` or `filename` reads the result. Read as text, never run.
 */
function registerLocalExec(ctx: DiscoverContext, inst: Instance, scope: ModuleScope): void {
  for (const { block, file } of inst.mod.blocks) {
    if (block.type !== 'resource' || (block.labels[0] !== 'null_resource' && block.labels[0] !== 'terraform_data')) continue;
    for (const p of block.blocks) {
      if (p.type !== 'provisioner' || p.labels[0] !== 'local-exec') continue;
      const command = evaluateHcl(attr(p, 'command')?.expr ?? { kind: 'raw', text: '' }, scope);
      if (typeof command !== 'string') continue;
      const dir = scope.path(evaluateHcl(attr(p, 'working_dir')?.expr ?? { kind: 'literal', value: '.' }, scope)) ?? inst.rootDir;
      if (isOutsideRoot(dir)) continue;
      registerBuildScript(ctx, command, dir, `${file} local-exec of ${block.labels[0]}.${block.labels[1] ?? ''}`);
    }
  }
}

/**
 * A copy of terraform-aws-modules/lambda in the tree (vendored, or the module's own repository read from its
 * examples): its packaging runs a Python helper through `data "external"`, so its calls are read as calls of
 * the registry module rather than through its internals.
 */
function isVendoredLambdaModule(mod: TfModule): boolean {
  const has = (type: string, labels: readonly string[]): boolean =>
    mod.blocks.some(({ block }) => block.type === type && labels.every((l, i) => block.labels[i] === l));
  if (has('data', ['external', 'archive_prepare'])) return true;
  return (
    has('variable', ['source_path']) &&
    has('variable', ['create_package']) &&
    has('variable', ['local_existing_package']) &&
    has('resource', ['aws_lambda_function', 'this'])
  );
}

/** Reads one module instance: its functions, then each local module call it makes (per count/for_each key). */
function readInstance(ctx: DiscoverContext, modules: ReadonlyMap<string, TfModule>, inst: Instance, out: Pending[]): void {
  const scope = new ModuleScope(inst);
  registerLocalExec(ctx, inst, scope);
  const archives = inst.archives ?? new Map<string, CodeLocation[]>();
  for (const tf of inst.mod.blocks) {
    if (tf.block.type !== 'data' || tf.block.labels[0] !== 'archive_file') continue;
    for (const v of evaluateAlt(attr(tf.block, 'output_path')?.expr ?? { kind: 'raw', text: '' }, scope).values) {
      const zip = scope.path(v);
      if (zip !== null && !archives.has(zip)) archives.set(zip, archiveCode({ block: tf, key: undefined }, scope));
    }
  }
  const provisioned = provisionedConfigs(inst.mod, scope);
  for (const { block, file } of inst.mod.blocks) {
    const isFunction = block.type === 'resource' && block.labels[0] === 'aws_lambda_function';
    const source = block.type === 'module' ? evaluateHcl(attr(block, 'source')?.expr ?? { kind: 'raw', text: '' }, scope) : undefined;
    const local =
      typeof source === 'string' && (source.startsWith('./') || source.startsWith('../')) ? modules.get(joinRel(inst.mod.dir, source)) : undefined;
    const isLambdaModule = typeof source === 'string' && (LAMBDA_MODULE.test(source) || (local !== undefined && isVendoredLambdaModule(local)));
    const isLocalModule = local !== undefined && !isLambdaModule;
    if (!isFunction && !isLambdaModule && !isLocalModule) continue;
    const label = block.labels[isFunction ? 1 : 0] ?? '';
    const warn = (message: string): void =>
      void ctx.sink.warnings.push(`${file}#${inst.prefix}${isFunction ? 'aws_lambda_function' : 'module'}.${label}: ${message}`);
    for (const { suffix, names } of instancesOf(block, scope, warn)) {
      const inner = scope.with(names);
      if (!isLocalModule) {
        // The module makes a function only with create_function (default true) and without create_layer.
        const flag = (name: string, fallback: boolean): HclValue | undefined =>
          evaluateHcl(attr(block, name)?.expr ?? { kind: 'literal', value: fallback }, inner);
        if (isLambdaModule && (flag('create_function', true) === false || flag('create_layer', false) === true || flag('create', true) === false))
          continue;
        out.push(functionOf(ctx, { block, file, isModule: isLambdaModule, label, suffix }, inner, provisioned));
        continue;
      }
      const target = local;
      if (target === undefined || inst.depth >= MAX_DEPTH) continue;
      const child: Instance = {
        mod: target,
        inputs: evalInputs(block, inner),
        rootDir: inst.rootDir,
        prefix: `${inst.prefix}module.${label}${suffix}.`,
        name: `${inst.name === null ? '' : `${inst.name}.`}${label}${suffix}`,
        providers: childProviders(block, inst),
        depth: inst.depth + 1,
        read: inst.read,
        archives,
      };
      readInstance(ctx, modules, { ...child, providers: providersOf(child) }, out);
    }
  }
}

/** Text that can make a folder matter: a function, a module call (a lambda module or a local one). */
const RELEVANT = /\baws_lambda_function\b|\bmodule\s+"/;

/**
 * Every `.tf` folder that declares a function or calls a module, parsed; a folder with neither (network,
 * IAM, buckets) cannot add a function, so its files are not parsed at all (parsing is the costly part).
 */
function parseModules(ctx: DiscoverContext): Map<string, TfModule> {
  const byDir = new Map<string, Array<{ rel: string; text: string }>>();
  for (const rel of ctx.files) {
    if (!rel.endsWith('.tf') || rel.includes('/.terraform/') || rel.startsWith('.terraform/')) continue;
    const text = ctx.read(rel);
    if (text === undefined) continue;
    const list = byDir.get(dirOf(rel)) ?? [];
    list.push({ rel, text });
    byDir.set(dirOf(rel), list);
  }
  // Folders local module calls reach count too (a called module may hold only what its caller reads).
  const wanted = [...byDir.keys()].filter((dir) => (byDir.get(dir) ?? []).some((f) => RELEVANT.test(f.text)));
  const seen = new Set(wanted);
  for (let i = 0; i < wanted.length; i++) {
    for (const { text } of byDir.get(wanted[i] ?? '') ?? []) {
      for (const m of text.matchAll(/\bsource\s*=\s*"(\.{1,2}\/[^"]*)"/g)) {
        const target = joinRel(wanted[i] ?? '', m[1] ?? '');
        if (byDir.has(target) && !seen.has(target)) {
          seen.add(target);
          wanted.push(target);
        }
      }
    }
  }
  const modules = new Map<string, TfModule>();
  for (const dir of wanted) {
    const files = byDir.get(dir) ?? [];
    const mod: TfModule = { dir, blocks: [] };
    for (const { rel, text } of files) {
      try {
        for (const block of parseHcl(text, rel).blocks) mod.blocks.push({ block, file: rel });
      } catch (error) {
        if (!(error instanceof HclParseError)) throw error;
        ctx.sink.skipped.push({ file: rel, reason: 'parse_error', detail: error.message });
      }
    }
    modules.set(dir, mod);
  }
  return modules;
}

/** `terraform.tfvars` and `*.auto.tfvars` files by folder: listed once, not once per root (thousands of files, hundreds of roots). */
function tfvarsByDir(files: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) {
    if (!(f.endsWith('/terraform.tfvars') || f === 'terraform.tfvars' || f.endsWith('.auto.tfvars'))) continue;
    const list = out.get(dirOf(f)) ?? [];
    list.push(f);
    out.set(dirOf(f), list);
  }
  return out;
}

/** A root's `terraform.tfvars` and `*.auto.tfvars` (in that order, later files winning), as Terraform loads them. */
function tfvars(ctx: DiscoverContext, dir: string, byDir: ReadonlyMap<string, readonly string[]>): Map<string, Alt> {
  const out = new Map<string, Alt>();
  const files = [...(byDir.get(dir) ?? [])];
  files.sort((a, b) =>
    a.endsWith('/terraform.tfvars') || a === 'terraform.tfvars'
      ? -1
      : b.endsWith('/terraform.tfvars') || b === 'terraform.tfvars'
        ? 1
        : a < b
          ? -1
          : 1,
  );
  const none: HclScope = { ref: () => UNKNOWN };
  for (const rel of files) {
    const text = ctx.read(rel);
    if (text === undefined) continue;
    try {
      for (const a of parseHcl(text, rel).attributes.values()) out.set(a.name, evaluateAlt(a.expr, none));
    } catch (error) {
      if (!(error instanceof HclParseError)) throw error;
      ctx.sink.skipped.push({ file: rel, reason: 'parse_error', detail: error.message });
    }
  }
  return out;
}

/**
 * A `terragrunt.hcl` that deploys a module with `inputs = {...}`: read as a root holding one `module` block
 * (named after its folder) with the terraform block's `source` and the inputs as its arguments, so a
 * terraform-aws-modules/lambda source is a function and a local source is a module instance.
 */
function terragruntModule(ctx: DiscoverContext, rel: string): TfModule | null {
  const text = ctx.read(rel);
  if (text === undefined) return null;
  let root: HclBlock;
  try {
    root = parseHcl(text, rel);
  } catch (error) {
    if (!(error instanceof HclParseError)) throw error;
    ctx.sink.skipped.push({ file: rel, reason: 'parse_error', detail: error.message });
    return null;
  }
  const source = root.blocks.find((b) => b.type === 'terraform')?.attributes.get('source');
  const inputs = root.attributes.get('inputs');
  if (source === undefined || inputs?.expr.kind !== 'object') return null;
  const dir = dirOf(rel);
  const attributes = new Map<string, HclAttribute>([['source', source]]);
  for (const [name, expr] of inputs.expr.entries) attributes.set(name, { name, expr, line: lineWithin(inputs, name), source: '' });
  const call: HclBlock = { type: 'module', labels: [baseName(dir) || 'terragrunt'], line: inputs.line, attributes, blocks: [] };
  const locals = root.blocks.filter((b) => b.type === 'locals').map((block) => ({ block, file: rel }));
  return { dir, blocks: [...locals, { block: call, file: rel }] };
}

/** Folders some local `module` block calls: they are read through their callers, not as roots. */
function calledDirs(modules: ReadonlyMap<string, TfModule>): Set<string> {
  const out = new Set<string>();
  for (const mod of modules.values()) {
    const scope = new ModuleScope({
      mod,
      inputs: new Map(),
      rootDir: mod.dir,
      prefix: '',
      name: null,
      providers: new Map(),
      depth: 0,
      read: () => undefined,
    });
    for (const { block } of mod.blocks) {
      if (block.type !== 'module') continue;
      const source = evaluateHcl(attr(block, 'source')?.expr ?? { kind: 'raw', text: '' }, scope);
      if (typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'))) {
        const target = joinRel(mod.dir, source);
        if (target !== mod.dir) out.add(target);
      }
    }
  }
  return out;
}

function sameHandler(a: Pending, b: Pending): boolean {
  return a.mapped?.file === b.mapped?.file && a.spec.handler.declared === b.spec.handler.declared && a.notAnalysed?.reason === b.notAnalysed?.reason;
}

/**
 * One function per id: the same module instance reached from two roots (two environments calling one
 * module) with the same handler is one function with both deployed names; a different handler under the
 * same id is kept apart by its root.
 */
function record(ctx: DiscoverContext, all: readonly Pending[]): void {
  const kept = new Map<string, Pending>();
  for (const p of all) {
    const prior = kept.get(p.spec.id);
    if (prior === undefined) {
      kept.set(p.spec.id, p);
      continue;
    }
    if (sameHandler(prior, p)) {
      for (const n of p.spec.deployedNames) if (!prior.spec.deployedNames.includes(n)) prior.spec.deployedNames.push(n);
      // Two roots deploying to different regions: no one region is what the IaC says.
      if (prior.spec.region !== p.spec.region) delete prior.spec.region;
      continue;
    }
    let n = 2;
    while (kept.has(`${p.spec.id}@${n}`)) n++;
    p.spec.id = `${p.spec.id}@${n}`;
    kept.set(p.spec.id, p);
  }
  for (const p of kept.values()) {
    const { spec } = p;
    for (const w of p.warnings) ctx.sink.warnings.push(`${spec.id}: ${w}`);
    if (p.notAnalysed !== undefined) {
      ctx.sink.notAnalysed.push({
        id: spec.id,
        name: spec.name,
        declaredIn: spec.declaredIn,
        reason: p.notAnalysed.reason,
        detail: p.notAnalysed.detail,
      });
      ctx.sink.warnings.push(`${spec.id}: ${p.notAnalysed.warning}`);
      continue;
    }
    const mapped = p.mapped ?? { file: null, mapping: 'unresolved' as const, reason: 'not_static' as const };
    spec.handler.file = mapped.file;
    spec.handler.mapping = mapped.mapping;
    if (mapped.mappingNote !== undefined) spec.handler.mappingNote = mapped.mappingNote;
    if (mapped.mapping === 'unresolved') spec.handler.reason = mapped.reason ?? 'handler_not_found';
    if (mapped.warning !== undefined) ctx.sink.warnings.push(`${spec.id}: ${mapped.warning}`);
    ctx.sink.functions.push(spec);
  }
}

/**
 * Terraform, read with HashiCorp's HCL parser: `aws_lambda_function` resources (code from `archive_file`
 * data sources, or prebuilt zips mapped through the repository's npm scripts) and
 * `terraform-aws-modules/lambda/aws` module blocks. Every folder no local `module` block calls is a root;
 * local modules are read once per call and per count/for_each key, with the call's inputs over the
 * variables' defaults, so `var.lambda.handler` and `each.value.handler` resolve.
 */
export const terraformProvider: DiscoveryProviderModule = {
  name: 'terraform',
  discover(ctx: DiscoverContext): void {
    const modules = parseModules(ctx);
    const called = calledDirs(modules);
    const varFiles = tfvarsByDir(ctx.files);
    for (const rel of ctx.files) {
      if (!/(^|\/)terragrunt\.hcl$/.test(rel) || rel.includes('.terragrunt-cache/')) continue;
      const tg = terragruntModule(ctx, rel);
      // A folder with both is a Terraform root already; terragrunt only adds inputs there.
      if (tg !== null && !modules.has(tg.dir)) modules.set(tg.dir, tg);
    }
    const out: Pending[] = [];
    for (const mod of [...modules.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0))) {
      if (mod.blocks.some(({ block }) => (block.type === 'resource' && block.labels[0] === 'aws_lambda_function') || block.type === 'module')) {
        for (const { file } of mod.blocks) ctx.sink.iacFiles.push(file);
      }
      if (called.has(mod.dir)) continue;
      const read = (rel: string): string | undefined => (ctx.fileSet.has(rel) ? ctx.read(rel) : undefined);
      const root: Instance = {
        mod,
        inputs: tfvars(ctx, mod.dir, varFiles),
        rootDir: mod.dir,
        prefix: '',
        name: null,
        providers: new Map(),
        depth: 0,
        read,
      };
      readInstance(ctx, modules, { ...root, providers: providersOf(root) }, out);
    }
    record(ctx, out);
  },
};
