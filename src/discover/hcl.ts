/**
 * Terraform's configuration language read with HashiCorp's own HCL parser (`@cdktf/hcl2json`, the Go
 * library compiled to WASM): the parser decides what is valid and gives each attribute's value; expressions
 * inside `${...}` go through the same parser's expression AST. HCL's JSON form has no positions and cannot
 * tell a block from a list of objects, so a small locator walks the (already validated) source text for
 * each block's and attribute's line and kind. Nothing here evaluates anything: see `hcl-eval.ts`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dependencyPath, readDependencyBytes } from '../assets.js';
import type { HclExpr } from './hcl-expr.js';
import { fastHclJson, fastTemplateExpr } from './hcl-fast.js';

export type { HclExpr } from './hcl-expr.js';

export interface HclAttribute {
  name: string;
  expr: HclExpr;
  /** 1-based line of the attribute's name. */
  line: number;
  /** The expression's source text (from after `=`), for the lines of what is inside it. */
  source: string;
}

export interface HclBlock {
  type: string;
  labels: string[];
  line: number;
  attributes: Map<string, HclAttribute>;
  blocks: HclBlock[];
}

export class HclParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The WASM bridge. The package's own API is async only because it awaits the module's compilation; the Go
// functions answer through their callback before they return, so compiling synchronously once gives a
// synchronous parser (discovery is synchronous).

type GoCall = (filename: string, text: string, callback: (error: unknown, result: unknown) => void) => void;

interface GoRuntime {
  importObject: object;
  run(instance: object): Promise<void>;
}

/** The part of the WebAssembly global used here (the project's lib settings carry no WebAssembly types). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => object;
}

function isWasm(value: unknown): value is Wasm {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'Module') === 'function' &&
    typeof Reflect.get(value, 'Instance') === 'function'
  );
}

let bridge: Record<string, unknown> | null = null;

function isGoCall(value: unknown): value is GoCall {
  return typeof value === 'function';
}

function isGoConstructor(value: unknown): value is new () => GoRuntime {
  return typeof value === 'function';
}

function loadBridge(): Record<string, unknown> {
  if (bridge !== null) return bridge;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(dependencyPath('@cdktf/hcl2json', 'package.json'));
  // Go's runtime glue: defines globalThis.Go (and a console-backed globalThis.fs stub when there is none).
  require(path.join(dir, 'wasm/wasm_exec.js'));
  const Go: unknown = Reflect.get(globalThis, 'Go');
  if (!isGoConstructor(Go)) throw new Error('@cdktf/hcl2json: the Go WASM runtime did not load');
  const wasm: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasm(wasm)) throw new Error('@cdktf/hcl2json: this Node.js has no WebAssembly');
  const go = new Go();
  const module = new wasm.Module(gunzipSync(readDependencyBytes('@cdktf/hcl2json', 'main.wasm.gz')));
  const root: Record<string, unknown> = {};
  Reflect.set(globalThis, '__parse_terraform_config_wasm__', root);
  // Runs Go's main, which registers the functions on `root` and then waits forever without holding the loop.
  void go.run(new wasm.Instance(module, go.importObject));
  bridge = root;
  return root;
}

function callGo(name: 'parse' | 'getExpressionAst', filename: string, text: string): string {
  const fn = loadBridge()[name];
  if (!isGoCall(fn)) throw new Error(`@cdktf/hcl2json: no ${name} in the WASM module`);
  const box: { got?: { error: unknown; result: unknown } } = {};
  fn(filename, text, (error, result) => {
    box.got = { error, result };
  });
  const got = box.got;
  if (got === undefined) throw new Error(`@cdktf/hcl2json: ${name} did not answer synchronously`);
  if (got.error !== null && got.error !== undefined && got.error !== '') throw diagnostic(String(got.error), filename);
  return typeof got.result === 'string' ? got.result : 'null';
}

/** `parse config: [main.tf:2,6-3,1: Invalid expression; Expected ... main.tf:...]` -> the first diagnostic and its line. */
function diagnostic(message: string, filename: string): HclParseError {
  const body = message.replace(/^parse config: \[?/, '').replace(/\]$/, '');
  const name = filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = body.split(new RegExp(`(?:^|,? )${name}:(?=\\d+,\\d+)`)).filter((p) => p !== '');
  const m = /^(\d+),\d+(?:-\d+(?:,\d+)?)?: ([\s\S]*)$/.exec(parts[0] ?? '');
  return m === null ? new HclParseError(body, 1) : new HclParseError((m[2] ?? '').trim(), Number(m[1]));
}

// ---------------------------------------------------------------------------------------------------------
// The locator: where each block and attribute is, and which names are blocks.

interface Located {
  type: string;
  labels: string[];
  line: number;
  attrs: Array<{ name: string; line: number; source: string }>;
  blocks: Located[];
}

class Locator {
  private pos = 0;
  /** Offsets where each line starts, for a binary search instead of counting newlines every time. */
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  private lineAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  file(): Located {
    const root: Located = { type: '', labels: [], line: 1, attrs: [], blocks: [] };
    this.body(root);
    return root;
  }

  private skipBlank(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && this.text[this.pos + 1] === '/')) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else if (c === '/' && this.text[this.pos + 1] === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.text.length : end + 2;
      } else return;
    }
  }

  private identifier(): string | null {
    const m = /^[\p{L}_][\p{L}\p{N}_-]*/u.exec(this.text.slice(this.pos, this.pos + 256));
    if (m === null) return null;
    this.pos += m[0].length;
    return m[0];
  }

  private body(into: Located): void {
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.text[this.pos] === '}') {
        this.pos++;
        return;
      }
      const start = this.pos;
      const name = this.identifier();
      if (name === null) {
        this.pos++; // not reachable in text HCL accepted; never loop forever
        continue;
      }
      this.skipBlank(false);
      if (this.text[this.pos] === '=' && this.text[this.pos + 1] !== '=') {
        this.pos++;
        const exprStart = this.pos;
        this.expression();
        into.attrs.push({ name, line: this.lineAt(start), source: this.text.slice(exprStart, this.pos).trim() });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skipBlank(false);
        if (this.text[this.pos] === '"') labels.push(this.quotedLabel());
        else {
          const id = this.identifier();
          if (id === null) break;
          labels.push(id);
        }
      }
      if (this.text[this.pos] === '{') this.pos++;
      const child: Located = { type: name, labels, line: this.lineAt(start), attrs: [], blocks: [] };
      this.body(child);
      into.blocks.push(child);
    }
  }

  private quotedLabel(): string {
    let out = '';
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      if (this.text[this.pos] === '\\') this.pos++;
      out += this.text[this.pos] ?? '';
      this.pos++;
    }
    this.pos++;
    return out;
  }

  /** Moves past one attribute's expression: to the newline (or a closing `}` of the block) outside brackets. */
  private expression(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') this.quoted();
      else if (c === '<' && this.text[this.pos + 1] === '<' && this.heredoc()) continue;
      else if (c === '#' || (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*'))) {
        if (c === '/' && this.text[this.pos + 1] === '*') {
          const end = this.text.indexOf('*/', this.pos + 2);
          this.pos = end < 0 ? this.text.length : end + 2;
          continue;
        }
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
        continue;
      } else if (c === '(' || c === '[' || c === '{') {
        depth++;
        this.pos++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
        this.pos++;
      } else if (c === '\n' && depth === 0) return;
      else this.pos++;
    }
  }

  /** A quoted template, with `${ ... }` and `%{ ... }` inside it holding expressions (and strings) of their own. */
  private quoted(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === '"') {
        this.pos++;
        return;
      } else if ((c === '$' || c === '%') && this.text[this.pos + 1] === '{') {
        if (this.text[this.pos - 1] === c) {
          this.pos += 2; // `$${` is an escaped literal
          continue;
        }
        this.pos += 2;
        this.interpolation();
      } else this.pos++;
    }
  }

  private interpolation(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') this.quoted();
      else if (c === '{') {
        depth++;
        this.pos++;
      } else if (c === '}') {
        this.pos++;
        if (depth === 0) return;
        depth--;
      } else this.pos++;
    }
  }

  private heredoc(): boolean {
    const m = /^<<-?([\p{L}_][\p{L}\p{N}_-]*)\r?\n/u.exec(this.text.slice(this.pos, this.pos + 256));
    if (m === null) return false;
    const body = this.pos + m[0].length;
    const end = new RegExp(`^[ \\t]*${m[1] ?? ''}[ \\t]*\\r?$`, 'mu').exec(this.text.slice(body));
    this.pos = end === null ? this.text.length : body + end.index + end[0].length;
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// JSON values and expression ASTs into HclExpr.

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** hcl2json keeps templates as strings with `${`; a string with none (after `$${` escapes) is a literal. */
function hasInterpolation(s: string): boolean {
  return /(^|[^$])\$\{|(^|[^%])%\{/.test(s);
}

function unescapeLiteral(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** A template found while reading HCL's JSON, and where its parsed expression goes. */
interface PendingTemplate {
  template: string;
  set(expr: HclExpr): void;
}

function fromJson(value: Json, pending: PendingTemplate[], set: (expr: HclExpr) => void): HclExpr {
  if (typeof value === 'string') {
    if (!hasInterpolation(value)) return { kind: 'literal', value: unescapeLiteral(value) };
    pending.push({ template: value, set });
    return { kind: 'raw', text: value };
  }
  if (Array.isArray(value)) {
    const items: HclExpr[] = [];
    value.forEach((v, i) => items.push(fromJson(v, pending, (e) => void (items[i] = e))));
    return { kind: 'list', items };
  }
  if (isObject(value)) {
    const entries: Array<[string, HclExpr]> = [];
    for (const [k, v] of Object.entries(value)) {
      const entry: [string, HclExpr] = [k, { kind: 'raw', text: '' }];
      entry[1] = fromJson(v, pending, (e) => void (entry[1] = e));
      entries.push(entry);
    }
    return { kind: 'object', entries };
  }
  return { kind: 'literal', value };
}

const HEREDOC_MARK = 'LAMBDA_MIGRATE_HCL_EOT';
const TEMPLATES_PER_CALL = 400;

function heredoc(template: string): string {
  return `<<${HEREDOC_MARK}\n${template}\n${HEREDOC_MARK}\n`;
}

/**
 * Templates from hcl2json, re-read by HCL's expression parser as heredocs (no quoting to redo), many per
 * call as one tuple: each call into the WASM module costs more than the parsing itself.
 */
function resolveTemplates(all: readonly PendingTemplate[]): void {
  // The plain ones (`"${path.module}/src"`, `var.runtime`) are read here; only the rest need the WASM module.
  const pending: PendingTemplate[] = [];
  for (const p of all) {
    const fast = fastTemplateExpr(p.template);
    if (fast !== null) p.set(fast);
    else pending.push(p);
  }
  for (let i = 0; i < pending.length; i += TEMPLATES_PER_CALL) {
    const chunk = pending.slice(i, i + TEMPLATES_PER_CALL);
    let parsed: HclExpr[] | null = null;
    try {
      const ast = asNode(JSON.parse(callGo('getExpressionAst', 'expr.tf', `[\n${chunk.map((p) => heredoc(p.template)).join(',\n')}]`)));
      const tuple = ast?.type === 'tuple' ? ast : ast?.children[0]?.type === 'tuple' ? ast.children[0] : undefined;
      if (tuple !== undefined && tuple.children.length === chunk.length) parsed = tuple.children.map(convert);
    } catch {
      parsed = null;
    }
    chunk.forEach((p, j) => p.set(finishTemplate(parsed?.[j] ?? templateExpr(p.template), p.template)));
  }
}

/** A template as HCL's own expression parser reads it (what `resolveTemplates` gives when no fast path applies). */
export function wasmTemplateExpr(template: string): HclExpr {
  return finishTemplate(templateExpr(template), template);
}

/** One template on its own: the fallback when a batch does not parse as a whole. */
function templateExpr(template: string): HclExpr {
  try {
    return fromAst(JSON.parse(callGo('getExpressionAst', 'expr.tf', heredoc(template))));
  } catch {
    return { kind: 'raw', text: template };
  }
}

function finishTemplate(expr: HclExpr, template: string): HclExpr {
  if (expr.kind === 'raw' && expr.text === '') return { kind: 'raw', text: template };
  if (expr.kind !== 'template') return expr;
  // The heredoc adds the newline before its closing marker.
  const parts = [...expr.parts];
  const last = parts[parts.length - 1];
  if (typeof last === 'string') {
    const trimmed = last.endsWith('\n') ? last.slice(0, -1) : last;
    if (trimmed === '') parts.pop();
    else parts[parts.length - 1] = trimmed;
  }
  // `"${x}"` alone is x itself (HCL's template wrap), not x turned into a string.
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && typeof only !== 'string') return only;
  return { kind: 'template', parts };
}

interface AstNode {
  type: string;
  meta: { [key: string]: Json };
  children: AstNode[];
}

function asNode(value: unknown): AstNode | null {
  if (!isObject(value)) return null;
  const children = Array.isArray(value['children']) ? value['children'].map(asNode).filter((n): n is AstNode => n !== null) : [];
  return { type: typeof value['type'] === 'string' ? value['type'] : '', meta: isObject(value['meta']) ? value['meta'] : {}, children };
}

function metaString(node: AstNode, key: string): string {
  const v = node.meta[key];
  return typeof v === 'string' ? v : '';
}

function traversalPath(node: AstNode): string[] {
  const parts = node.meta['traversal'];
  if (!Array.isArray(parts)) return [];
  return parts.map((p) => {
    const seg = isObject(p) && typeof p['segment'] === 'string' ? p['segment'] : '';
    // `["handler"]` and `.handler` reach the same attribute.
    return /^".*"$/.test(seg) ? seg.slice(1, -1) : seg;
  });
}

function literalOf(node: AstNode): HclExpr {
  const value = metaString(node, 'value');
  const type = metaString(node, 'type');
  if (type === 'number') return { kind: 'literal', value: Number(value) };
  if (type === 'bool') return { kind: 'literal', value: value === 'true' };
  if (type === 'string') return { kind: 'literal', value: unescapeLiteral(value) };
  return { kind: 'literal', value: null };
}

function raw(node: AstNode): HclExpr {
  return { kind: 'raw', text: metaString(node, 'value') };
}

function fromAst(value: unknown): HclExpr {
  const node = asNode(value);
  if (node === null) return { kind: 'raw', text: '' };
  return convert(node);
}

function convert(node: AstNode): HclExpr {
  const [a, b, c, d] = node.children;
  switch (node.type) {
    case '':
    case 'templateWrap':
      return a === undefined ? raw(node) : convert(a);
    case 'template':
      return {
        kind: 'template',
        parts: node.children.map((ch) =>
          ch.type === 'literalValue' && metaString(ch, 'type') === 'string' ? unescapeLiteral(metaString(ch, 'value')) : convert(ch),
        ),
      };
    case 'literalValue':
      return literalOf(node);
    case 'scopeTraversal':
      return { kind: 'ref', path: traversalPath(node) };
    case 'relativeTraversal':
      return a === undefined ? raw(node) : { kind: 'traverse', source: convert(a), path: traversalPath(node) };
    case 'index':
      return a === undefined || b === undefined ? raw(node) : { kind: 'index', collection: convert(a), key: convert(b) };
    case 'splat': {
      const each = b?.type === 'relativeTraversal' ? traversalPath(b) : [];
      return a === undefined ? raw(node) : { kind: 'splat', source: convert(a), path: each };
    }
    case 'function':
      return { kind: 'call', name: metaString(node, 'name'), args: node.children.map(convert), expand: node.meta['expandedFinalArgument'] === true };
    case 'conditional':
      return a === undefined || b === undefined || c === undefined
        ? raw(node)
        : { kind: 'cond', test: convert(a), then: convert(b), else: convert(c) };
    case 'binaryOp':
      return a === undefined || b === undefined
        ? raw(node)
        : { kind: 'binary', op: metaString(node, 'operator'), left: convert(a), right: convert(b) };
    case 'unaryOp':
      return a === undefined ? raw(node) : { kind: 'unary', op: metaString(node, 'operator'), operand: convert(a) };
    case 'tuple':
      return { kind: 'list', items: node.children.map(convert) };
    case 'object':
      return objectOf(node);
    case 'for': {
      if (a === undefined) return raw(node);
      const isObjectFor = metaString(node, 'keyExpression') !== '';
      const rest = isObjectFor ? [b, c, d] : [b, c];
      const [keyNode, valueNode, condNode] = isObjectFor ? rest : [undefined, ...rest];
      if (valueNode === undefined) return raw(node);
      const keyVar = metaString(node, 'keyVar');
      return {
        kind: 'for',
        keyVar: keyVar === '' ? null : keyVar,
        valVar: metaString(node, 'valVar'),
        collection: convert(a),
        key: keyNode === undefined ? null : convert(keyNode),
        value: convert(valueNode),
        cond: metaString(node, 'conditionalExpression') !== '' && condNode !== undefined ? convert(condNode) : null,
        grouped: node.meta['groupedValue'] === true,
      };
    }
    default:
      return raw(node);
  }
}

/**
 * An object constructor: children alternate key and value, but a bare-name key carries no text; the
 * meta's `items` (key text -> value text) names them, matched to the value by its text.
 */
function objectOf(node: AstNode): HclExpr {
  const items = node.meta['items'];
  const pending = isObject(items) ? Object.entries(items).map(([k, v]) => ({ key: k, value: typeof v === 'string' ? v : '', used: false })) : [];
  const entries: Array<[string, HclExpr]> = [];
  for (let i = 0; i + 1 < node.children.length; i += 2) {
    const valueNode = node.children[i + 1];
    if (valueNode === undefined) continue;
    const text = metaString(valueNode, 'value');
    const item = pending.find((p) => !p.used && p.value === text) ?? pending.find((p) => !p.used);
    if (item === undefined) continue;
    item.used = true;
    const key = /^".*"$/.test(item.key) ? item.key.slice(1, -1) : item.key;
    if (key.startsWith('(')) continue; // a computed key: not known statically
    entries.push([key, convert(valueNode)]);
  }
  return { kind: 'object', entries };
}

// ---------------------------------------------------------------------------------------------------------
// The two merged: located blocks, with values from HCL's JSON.

function blockBodies(json: Json | undefined, labels: readonly string[]): Array<{ [key: string]: Json }> {
  let at: Json | undefined = json;
  for (const label of labels) at = isObject(at) ? at[label] : undefined;
  if (Array.isArray(at)) return at.filter(isObject);
  return isObject(at) ? [at] : [];
}

function merge(located: Located, body: { [key: string]: Json }): HclBlock {
  const block: HclBlock = { type: located.type, labels: located.labels, line: located.line, attributes: new Map(), blocks: [] };
  const seen = new Map<string, number>();
  for (const child of located.blocks) {
    const key = [child.type, ...child.labels].join('\u0000');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const childBody = blockBodies(body[child.type], child.labels)[n] ?? {};
    block.blocks.push(merge(child, childBody));
  }
  const blockTypes = new Set(located.blocks.map((b) => b.type));
  for (const attr of located.attrs) {
    const value = body[attr.name];
    if (value !== undefined) block.attributes.set(attr.name, attribute(attr.name, value, attr.line, attr.source));
  }
  // Whatever HCL read that the locator did not place still counts, at the block's line.
  for (const [name, value] of Object.entries(body)) {
    if (!block.attributes.has(name) && !blockTypes.has(name)) block.attributes.set(name, attribute(name, value, located.line, ''));
  }
  return block;
}

/**
 * An attribute whose templates are parsed when its expression is first read: discovery reads a few
 * attributes of a few blocks, and each trip into the WASM parser costs far more than the JSON around it.
 */
class LazyAttribute implements HclAttribute {
  private tree: HclExpr;
  private pending: PendingTemplate[] = [];

  constructor(
    readonly name: string,
    value: Json,
    readonly line: number,
    readonly source: string,
  ) {
    this.tree = { kind: 'raw', text: '' };
    this.tree = fromJson(value, this.pending, (e) => void (this.tree = e));
  }

  get expr(): HclExpr {
    if (this.pending.length > 0) {
      const pending = this.pending;
      this.pending = [];
      resolveTemplates(pending);
    }
    return this.tree;
  }
}

function attribute(name: string, value: Json, line: number, source: string): HclAttribute {
  return new LazyAttribute(name, value, line, source);
}

/** hcl2json's JSON of a file, from HashiCorp's parser (the WASM module); throws HclParseError for invalid text. */
export function wasmHclJson(text: string, filename: string): unknown {
  return JSON.parse(callGo('parse', filename, text));
}

/**
 * Parses a `.tf` file into its blocks; throws HclParseError with HCL's own message for invalid text. Plain files
 * are read in JavaScript (hcl-fast.ts, same JSON); the rest, and every invalid one, by HashiCorp's parser.
 */
export function parseHcl(text: string, filename = 'main.tf'): HclBlock {
  const parsed: unknown = fastHclJson(text) ?? wasmHclJson(text, filename);
  const body = isObject(parsed) ? parsed : {};
  return merge(new Locator(text).file(), body);
}

/** The 1-based line of `needle` inside an attribute's source, or the attribute's line when it is not found. */
export function lineWithin(attr: HclAttribute, needle: string): number {
  const at = attr.source.indexOf(needle);
  if (at < 0) return attr.line;
  let line = attr.line;
  for (let i = 0; i < at; i++) if (attr.source.charCodeAt(i) === 10) line++;
  return line;
}

/** The expression as it reads in the source, for notes. */
export function hclText(expr: HclExpr): string {
  switch (expr.kind) {
    case 'literal':
      return JSON.stringify(expr.value);
    case 'template':
      return `"${expr.parts.map((p) => (typeof p === 'string' ? p : `\${${hclText(p)}}`)).join('')}"`;
    case 'list':
      return `[${expr.items.map(hclText).join(', ')}]`;
    case 'object':
      return `{ ${expr.entries.map(([k, v]) => `${k} = ${hclText(v)}`).join(', ')} }`;
    case 'ref':
      return pathText(expr.path);
    case 'traverse':
      return `${hclText(expr.source)}${pathText(expr.path, true)}`;
    case 'index':
      return `${hclText(expr.collection)}[${hclText(expr.key)}]`;
    case 'splat':
      return `${hclText(expr.source)}[*]${pathText(expr.path, true)}`;
    case 'call':
      return `${expr.name}(${expr.args.map(hclText).join(', ')}${expr.expand ? '...' : ''})`;
    case 'cond':
      return `${hclText(expr.test)} ? ${hclText(expr.then)} : ${hclText(expr.else)}`;
    case 'binary':
      return `${hclText(expr.left)} ${OPERATOR_TEXT[expr.op] ?? expr.op} ${hclText(expr.right)}`;
    case 'unary':
      return `${expr.op === 'negate' ? '-' : '!'}${hclText(expr.operand)}`;
    case 'for': {
      const vars = expr.keyVar === null ? expr.valVar : `${expr.keyVar}, ${expr.valVar}`;
      const cond = expr.cond === null ? '' : ` if ${hclText(expr.cond)}`;
      if (expr.key === null) return `[for ${vars} in ${hclText(expr.collection)} : ${hclText(expr.value)}${cond}]`;
      return `{for ${vars} in ${hclText(expr.collection)} : ${hclText(expr.key)} => ${hclText(expr.value)}${expr.grouped ? '...' : ''}${cond}}`;
    }
    case 'raw':
      return expr.text;
  }
}

const OPERATOR_TEXT: Record<string, string> = {
  equal: '==',
  notEqual: '!=',
  logicalAnd: '&&',
  logicalOr: '||',
  greaterThan: '>',
  greaterThanOrEqual: '>=',
  lessThan: '<',
  lessThanOrEqual: '<=',
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  modulo: '%',
};

function pathText(path: readonly string[], relative = false): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 && !relative ? p : `.${p}`)).join('');
}
