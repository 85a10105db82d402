/**
 * A JavaScript reading of the plain HCL most `.tf` files are written in, giving exactly what `@cdktf/hcl2json`
 * gives for them, so the Go parser (compiled to WASM: a slow start, then milliseconds a file) runs only for the
 * rest. Both readers here are deliberately narrow: whatever they are not sure of (heredocs, `for` and template
 * directives, tabs, CR, block comments, escapes other than `\n \r \t \" \\`, non-ASCII outside comments, odd
 * numbers, a name set twice, a block type used with two label counts...) makes them answer null, and the caller
 * asks HashiCorp's parser, which also decides what is invalid. They never accept text HCL rejects: a file with
 * any doubt is the WASM parser's. `test/discover/hcl-fast.test.ts` holds them to the WASM output, file by file
 * and on mutated files.
 */
import type { HclExpr } from './hcl-expr.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Thrown to give up: the caller falls back to the WASM parser. */
class Unsure extends Error {}

function unsure(): never {
  throw new Unsure();
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;
const KEYWORD_LITERALS: ReadonlyMap<string, Json> = new Map<string, Json>([
  ['true', true],
  ['false', false],
  ['null', null],
]);
/** Names that mean something inside `for` expressions: never read as plain variables here. */
const RESERVED: ReadonlySet<string> = new Set(['for', 'in', 'if', 'endif', 'else', 'endfor']);
const BINARY_OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%'];

/** An expression as hcl2json turns it into JSON: a value it keeps as data, or source text it wraps in `${...}`. */
type Node =
  | { form: 'literal'; value: Json; start: number; end: number }
  | { form: 'unary'; value: Json; start: number; end: number }
  | { form: 'template'; parts: TemplatePart[]; start: number; end: number; heredoc?: boolean }
  | { form: 'tuple'; items: Node[]; start: number; end: number }
  | { form: 'object'; entries: Array<[string, Node]>; start: number; end: number }
  | { form: 'other'; conditional: boolean; start: number; end: number };

type TemplatePart = { literal: string } | { interpolation: Node };

interface BlockGroup {
  labels: number;
  /** Nested by label; a leaf is the list of bodies, in source order. */
  tree: Map<string, unknown>;
}

class FastHclParser {
  private pos = 0;
  /** Inside `${ }`: a comment there is left to HCL. */
  private interpolating = 0;
  /** Where a heredoc may start: a value hcl2json converts, a collection item or a call argument (never an operand). */
  private heredocHere = false;
  /** Inside a `for` expression's collection, where `a ? b : c` would meet the `:` after it. */
  private forCollection = 0;

  constructor(private readonly s: string) {}

  file(): Json {
    const body = this.body(false);
    if (this.pos < this.s.length) unsure();
    return body;
  }

  // ------------------------------------------------------------------------------------------ trivia

  private at(offset = 0): string {
    return this.s[this.pos + offset] ?? '';
  }

  /** A `#` or `//` comment up to (not including) its newline; anything may be in it. */
  private comment(): boolean {
    const c = this.at();
    if (c !== '#' && !(c === '/' && this.at(1) === '/')) return false;
    const nl = this.s.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.s.length : nl;
    return true;
  }

  /** Spaces; with `newlines`, also newlines and comments (inside brackets and parentheses). */
  private ws(newlines: boolean): void {
    for (;;) {
      const c = this.at();
      if (c === ' ') this.pos++;
      else if (c === '\t' || c === '\r' || (c === '/' && this.at(1) === '*')) unsure();
      else if (newlines && c === '\n') this.pos++;
      else if (newlines && this.interpolating > 0 && (c === '#' || (c === '/' && this.at(1) === '/'))) unsure();
      else if (newlines && this.comment()) continue;
      else return;
    }
  }

  /** The end of an argument or a block: spaces, maybe a comment, then a newline or the end of the file. */
  private lineEnd(): void {
    this.ws(false);
    this.comment();
    if (this.pos >= this.s.length) return;
    if (this.at() !== '\n') unsure();
    this.pos++;
  }

  private ident(): string | null {
    if (!IDENT_START.test(this.at())) return null;
    const start = this.pos;
    while (IDENT.test(this.at())) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private expect(c: string): void {
    if (this.at() !== c) unsure();
    this.pos++;
  }

  // ------------------------------------------------------------------------------------------ bodies

  private body(nested: boolean): Json {
    const attributes = new Map<string, Json>();
    const blocks = new Map<string, BlockGroup>();
    for (;;) {
      this.ws(true);
      if (this.pos >= this.s.length) {
        if (nested) unsure();
        break;
      }
      if (this.at() === '}') {
        if (!nested) unsure();
        break;
      }
      const name = this.ident();
      if (name === null) unsure();
      this.ws(false);
      if (this.at() === '=' && this.at(1) !== '=' && this.at(1) !== '>') {
        this.pos++;
        this.ws(false);
        const value = this.value(false);
        this.lineEnd();
        if (attributes.has(name)) unsure();
        attributes.set(name, convert(this.s, value));
      } else {
        this.block(name, blocks);
      }
    }
    return assemble(attributes, blocks);
  }

  private label(): string | null {
    if (this.at() === '"') {
      const start = ++this.pos;
      while (this.at() !== '"') {
        const code = this.s.charCodeAt(this.pos);
        if (Number.isNaN(code) || code < 0x20 || code > 0x7e || '\\$%'.includes(this.at())) unsure();
        this.pos++;
      }
      this.pos++;
      return this.s.slice(start, this.pos - 1);
    }
    return this.ident();
  }

  private block(type: string, blocks: Map<string, BlockGroup>): void {
    const labels: string[] = [];
    for (let label = this.label(); label !== null; label = this.label()) {
      labels.push(label);
      this.ws(false);
    }
    this.expect('{');
    this.ws(false);
    let body: Json;
    if (this.at() === '}') {
      body = {};
    } else if (this.at() === '\n' || this.at() === '#' || (this.at() === '/' && this.at(1) === '/')) {
      body = this.body(true);
    } else {
      body = this.singleLine();
    }
    this.expect('}');
    this.lineEnd();
    addBlock(blocks, type, labels, body);
  }

  /** `lifecycle { create_before_destroy = true }`: one argument and nothing else. */
  private singleLine(): Json {
    const name = this.ident();
    if (name === null) unsure();
    this.ws(false);
    if (this.at() !== '=' || this.at(1) === '=' || this.at(1) === '>') unsure();
    this.pos++;
    this.ws(false);
    const value = this.value(false);
    this.ws(false);
    if (this.at() !== '}') unsure();
    return { [name]: convert(this.s, value) };
  }

  // ------------------------------------------------------------------------------------------ expressions

  /** An expression where a heredoc may stand alone. */
  private value(newlines: boolean): Node {
    this.heredocHere = true;
    const node = this.expression(newlines);
    this.heredocHere = false;
    return node;
  }

  /** `newlines`: inside parentheses or brackets, where newlines do not end anything. */
  private expression(newlines: boolean): Node {
    const start = this.pos;
    const first = this.binary(newlines);
    if (first.form === 'template' && first.heredoc === true) return first; // it ends at its closing line
    this.ws(newlines);
    if (this.at() !== '?') return first;
    if (this.forCollection > 0) unsure();
    this.pos++;
    this.ws(newlines);
    this.expression(newlines);
    this.ws(newlines);
    this.expect(':');
    this.ws(newlines);
    const last = this.expression(newlines);
    return { form: 'other', conditional: true, start, end: last.end };
  }

  private binary(newlines: boolean): Node {
    const start = this.pos;
    let node = this.unary(newlines);
    if (node.form === 'template' && node.heredoc === true) return node;
    for (;;) {
      const save = this.pos;
      this.ws(newlines);
      const op = BINARY_OPERATORS.find((o) => this.s.startsWith(o, this.pos));
      if (op === undefined || (op === '/' && this.at(1) === '/') || (op === '<' && this.at(1) === '<')) {
        this.pos = save;
        return node;
      }
      this.pos += op.length;
      this.ws(newlines);
      if (this.at() === '\n' || this.pos >= this.s.length) unsure();
      const right = this.unary(newlines);
      node = { form: 'other', conditional: false, start, end: right.end };
    }
  }

  private unary(newlines: boolean): Node {
    const c = this.at();
    if (c !== '-' && !(c === '!' && this.at(1) !== '=')) return this.postfix();
    const start = this.pos++;
    this.heredocHere = false;
    this.ws(newlines);
    if (this.at() === '-' || this.at() === '!') unsure();
    const operand = this.postfix();
    if (operand.form === 'literal') {
      // What hcl2json folds: a minus on a number, a not on a bool; anything else is an error or not folded.
      if (c === '-' && typeof operand.value === 'number' && operand.value !== 0)
        return { form: 'unary', value: -operand.value, start, end: operand.end };
      if (c === '!' && typeof operand.value === 'boolean') return { form: 'unary', value: !operand.value, start, end: operand.end };
      unsure();
    }
    if (operand.form !== 'other') unsure();
    return { form: 'other', conditional: false, start, end: operand.end };
  }

  private postfix(): Node {
    const start = this.pos;
    const node = this.primary();
    let end = node.end;
    for (;;) {
      if (this.s.startsWith('...', this.pos)) break;
      if (this.at() === '.') {
        if (this.at(1) === '*') this.pos += 2;
        else {
          this.pos++;
          if (this.ident() === null) unsure(); // `.0` (a legacy index) and the like
        }
      } else if (this.at() === '[') {
        this.pos++;
        this.ws(false);
        if (this.at() === '*') this.pos++;
        else this.expression(false);
        this.ws(false);
        this.expect(']');
      } else break;
      end = this.pos;
    }
    if (end === node.end) return node;
    if (node.form !== 'other') unsure(); // an index or attribute of a literal, a string or a collection
    return { form: 'other', conditional: false, start, end };
  }

  private primary(): Node {
    const c = this.at();
    const start = this.pos;
    const heredocHere = this.heredocHere;
    this.heredocHere = false;
    if (c === '<' && this.at(1) === '<') {
      if (!heredocHere) unsure();
      return this.heredoc();
    }
    if (c >= '0' && c <= '9') return this.number();
    if (c === '"') return this.template();
    if (c === '(') {
      this.pos++;
      this.ws(true);
      this.expression(true);
      this.ws(true);
      this.expect(')');
      return { form: 'other', conditional: false, start, end: this.pos };
    }
    if (c === '[') return this.tuple();
    if (c === '{') return this.object();
    const name = this.ident();
    if (name === null || RESERVED.has(name)) unsure();
    const keyword = KEYWORD_LITERALS.get(name);
    if (keyword !== undefined) {
      if (this.at() === '.' || this.at() === '[' || this.at() === '(') unsure();
      return { form: 'literal', value: keyword, start, end: this.pos };
    }
    if (this.at() === '(') this.call();
    else if (this.at() === ':' && this.at(1) === ':') unsure(); // `provider::name::function`
    return { form: 'other', conditional: false, start, end: this.pos };
  }

  private number(): Node {
    const start = this.pos;
    const m = /^\d+(\.\d+)?/.exec(this.s.slice(this.pos, this.pos + 40));
    const text = m?.[0] ?? '';
    this.pos += text.length;
    // Exponents, a trailing dot, long or padded numbers: the Go side's rounding is not worth copying.
    if (!/^(0|[1-9]\d{0,14})(\.\d{1,15})?$/.test(text) || /[A-Za-z0-9_.-]/.test(this.at())) unsure();
    return { form: 'literal', value: Number(text), start, end: this.pos };
  }

  private call(): void {
    this.pos++;
    this.ws(true);
    while (this.at() !== ')') {
      this.value(true);
      this.ws(true);
      if (this.s.startsWith('...', this.pos)) {
        this.pos += 3;
        this.ws(true);
        if (this.at() !== ')') unsure();
      } else if (this.at() === ',') {
        this.pos++;
        this.ws(true);
      } else if (this.at() !== ')') unsure();
    }
    this.pos++;
  }

  private tuple(): Node {
    const start = this.pos++;
    const items: Node[] = [];
    this.ws(true);
    if (this.isFor()) return this.forExpression(start, ']');
    while (this.at() !== ']') {
      items.push(this.value(true));
      this.ws(true);
      if (this.at() === ',') {
        this.pos++;
        this.ws(true);
      } else if (this.at() !== ']') unsure();
    }
    this.pos++;
    return { form: 'tuple', items, start, end: this.pos };
  }

  private isFor(): boolean {
    return /^for[ \n]/.test(this.s.slice(this.pos, this.pos + 4));
  }

  /** `[for i, x in xs : f(x) if x != null]`, `{for k, v in m : k => v...}`: checked, kept as text. */
  private forExpression(start: number, close: ']' | '}'): Node {
    this.pos += 3;
    this.ws(true);
    if (this.ident() === null) unsure();
    this.ws(true);
    if (this.at() === ',') {
      this.pos++;
      this.ws(true);
      if (this.ident() === null) unsure();
      this.ws(true);
    }
    if (this.ident() !== 'in') unsure();
    this.ws(true);
    this.forCollection++;
    this.expression(true);
    this.forCollection--;
    this.ws(true);
    this.expect(':');
    this.ws(true);
    this.expression(true);
    this.ws(true);
    if (close === '}') {
      if (!this.s.startsWith('=>', this.pos)) unsure();
      this.pos += 2;
      this.ws(true);
      this.expression(true);
      this.ws(true);
      if (this.s.startsWith('...', this.pos)) {
        this.pos += 3;
        this.ws(true);
      }
    }
    if (/^if[ \n]/.test(this.s.slice(this.pos, this.pos + 3))) {
      this.pos += 2;
      this.ws(true);
      this.expression(true);
      this.ws(true);
    }
    this.expect(close);
    return { form: 'other', conditional: false, start, end: this.pos };
  }

  /**
   * `<<EOF` / `<<-EOF` up to a line holding only the marker (the newline after it ends the argument, so it is
   * left for the caller). Content is kept as written, `${...}` parts as in quoted templates; `<<-` drops the
   * smallest indentation of the non-empty lines.
   */
  private heredoc(): Node {
    const start = this.pos;
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\n/.exec(this.s.slice(this.pos, this.pos + 260));
    if (m === null) unsure();
    const indented = m[1] === '-';
    const marker = m[2] ?? '';
    const lines: Array<{ from: number; to: number }> = [];
    let p = this.pos + m[0].length;
    for (;;) {
      const nl = this.s.indexOf('\n', p);
      if (nl < 0) unsure();
      const line = this.s.slice(p, nl);
      const lead = line.length - line.trimStart().length;
      if (line.slice(lead) === marker && /^ *$/.test(line.slice(0, lead))) {
        this.pos = nl;
        break;
      }
      if (line !== '' && line.trim() === '') unsure(); // a blank line of spaces: how `<<-` counts it is not worth knowing
      lines.push({ from: p, to: nl });
      p = nl + 1;
    }
    const strip = indented ? Math.min(...lines.filter((l) => l.to > l.from).map((l) => this.s.slice(l.from, l.to).search(/[^ ]/))) : 0;
    const end = this.pos;
    const parts: TemplatePart[] = [];
    let literal = '';
    for (const line of lines) {
      literal = this.heredocLine(line.to > line.from ? line.from + strip : line.from, line.to, parts, literal) + '\n';
    }
    if (literal !== '') parts.push({ literal });
    this.pos = end;
    return { form: 'template', parts, start, end, heredoc: true };
  }

  /** One heredoc line's text and `${...}` parts; returns the literal run still open at its end. */
  private heredocLine(from: number, to: number, parts: TemplatePart[], open: string): string {
    let literal = open;
    this.pos = from;
    while (this.pos < to) {
      const c = this.at();
      const code = this.s.charCodeAt(this.pos);
      if (code < 0x20 || code > 0x7e) unsure();
      if (c === '%' && (this.at(1) === '{' || this.at(1) === '%')) unsure();
      if (c === '$' && this.at(1) === '$') {
        if (this.at(2) === '$') unsure();
        const n = this.at(2) === '{' ? 3 : 2;
        literal += this.s.slice(this.pos, this.pos + n);
        this.pos += n;
      } else if (c === '$' && this.at(1) === '{') {
        if (literal !== '') parts.push({ literal });
        literal = '';
        parts.push({ interpolation: this.interpolation() });
        if (this.pos > to) unsure(); // an interpolation over several lines
      } else {
        literal += c;
        this.pos++;
      }
    }
    return literal;
  }

  private object(): Node {
    const start = this.pos++;
    const entries: Array<[string, Node]> = [];
    const seen = new Set<string>();
    this.ws(true);
    if (this.isFor()) return this.forExpression(start, '}');
    while (this.at() !== '}') {
      const key = this.objectKey();
      if (seen.has(key)) unsure();
      seen.add(key);
      this.ws(false);
      if ((this.at() !== '=' && this.at() !== ':') || this.at(1) === '=' || this.at(1) === '>') unsure();
      this.pos++;
      this.ws(false);
      entries.push([key, this.value(false)]);
      this.ws(false);
      if (this.at() === ',') this.pos++;
      else if (this.at() !== '}' && this.at() !== '\n' && this.at() !== '#' && !(this.at() === '/' && this.at(1) === '/')) unsure();
      this.ws(true);
    }
    this.pos++;
    return { form: 'object', entries, start, end: this.pos };
  }

  /** A bare name or a plain quoted string: the keys hcl2json gives as they are written. */
  private objectKey(): string {
    if (this.at() === '"') {
      const label = this.label();
      if (label === null) unsure();
      return label;
    }
    const name = this.ident();
    if (name === null || KEYWORD_LITERALS.has(name) || RESERVED.has(name) || this.at() === '.' || this.at() === '[') unsure();
    return name;
  }

  /** A quoted template: literal runs (escapes decoded, `$${` and `%%{` kept as written) and `${...}` parts. */
  private template(): Node {
    const start = this.pos++;
    const parts: TemplatePart[] = [];
    let literal = '';
    for (;;) {
      const c = this.at();
      const code = this.s.charCodeAt(this.pos);
      if (c === '"') break;
      if (Number.isNaN(code) || code < 0x20 || code > 0x7e) unsure();
      if (c === '\\') {
        const e = ESCAPES.get(this.at(1));
        if (e === undefined) unsure();
        literal += e;
        this.pos += 2;
      } else if (c === '$' || c === '%') {
        if (this.at(1) === c && this.at(2) === c) unsure();
        if (this.at(1) === c && this.at(2) === '{') {
          literal += this.s.slice(this.pos, this.pos + 3);
          this.pos += 3;
        } else if (this.at(1) === '{') {
          if (c === '%') unsure(); // a template directive
          if (literal !== '') parts.push({ literal });
          literal = '';
          parts.push({ interpolation: this.interpolation() });
        } else {
          literal += c;
          this.pos++;
        }
      } else {
        literal += c;
        this.pos++;
      }
    }
    this.pos++;
    if (literal !== '') parts.push({ literal });
    return { form: 'template', parts, start, end: this.pos };
  }

  private interpolation(): Node {
    this.pos += 2;
    if (this.at() === '~') unsure();
    this.spacesAndNewlines();
    this.interpolating++;
    const inner = this.expression(true);
    this.interpolating--;
    this.spacesAndNewlines();
    if (this.at() !== '}') unsure();
    this.pos++;
    return inner;
  }

  /** Inside `${ }`: spaces and newlines, but no comments (whether HCL allows them there is not worth knowing). */
  private spacesAndNewlines(): void {
    while (this.at() === ' ' || this.at() === '\n') this.pos++;
    if (this.at() === '#' || this.at() === '/' || this.at() === '\t' || this.at() === '\r') unsure();
  }
}

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['"', '"'],
  ['\\', '\\'],
]);

/** hcl2json's conversion of one expression (`convertExpression`, Simplify off). */
function convert(s: string, node: Node): Json {
  switch (node.form) {
    case 'literal':
    case 'unary':
      return node.value;
    case 'tuple':
      return node.items.map((n) => convert(s, n));
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const [k, v] of [...node.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (k === '__proto__') unsure();
        out[k] = convert(s, v);
      }
      return out;
    }
    case 'template':
      return templateJson(s, node.parts);
    case 'other':
      return `\${${s.slice(node.start, node.end)}}`;
  }
}

/** A template as hcl2json writes it: the literal alone, else literal runs and each part's `${source}`. */
function templateJson(s: string, parts: readonly TemplatePart[]): string {
  if (parts.length === 0) return '';
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && 'literal' in only) return only.literal;
  // `"${x}"` alone is x itself to hcl2json (a number stays a number): only the kinds it wraps as text are read here.
  let out = '';
  for (const part of parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const n = part.interpolation;
    if (n.form !== 'other' || (n.conditional && parts.length > 1)) unsure();
    out += `\${${s.slice(n.start, n.end)}}`;
  }
  return out;
}

function addBlock(blocks: Map<string, BlockGroup>, type: string, labels: readonly string[], body: Json): void {
  const group = blocks.get(type) ?? { labels: labels.length, tree: new Map<string, unknown>() };
  if (group.labels !== labels.length) unsure();
  blocks.set(type, group);
  let level = group.tree;
  labels.forEach((label, i) => {
    if (i === labels.length - 1) return;
    const next = level.get(label);
    if (next instanceof Map) level = next as Map<string, unknown>;
    else {
      const created = new Map<string, unknown>();
      level.set(label, created);
      level = created;
    }
  });
  const leafKey = labels.length === 0 ? '' : (labels[labels.length - 1] ?? '');
  const list = level.get(leafKey);
  if (Array.isArray(list)) list.push(body);
  else level.set(leafKey, [body]);
}

function sortedObject(entries: Iterable<[string, Json]>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (k === '__proto__') unsure();
    out[k] = v;
  }
  return out;
}

function treeJson(tree: Map<string, unknown>, depth: number): Json {
  if (depth === 0) return (tree.get('') as Json[] | undefined) ?? [];
  const entries: Array<[string, Json]> = [];
  for (const [k, v] of tree) entries.push([k, depth === 1 ? (v as Json[]) : treeJson(v as Map<string, unknown>, depth - 1)]);
  return sortedObject(entries);
}

function assemble(attributes: ReadonlyMap<string, Json>, blocks: ReadonlyMap<string, BlockGroup>): Json {
  const entries: Array<[string, Json]> = [...attributes];
  for (const [type, group] of blocks) {
    // A name both set and used as a block, or a block type with two label counts: hcl2json's own merge rules.
    if (attributes.has(type)) unsure();
    entries.push([type, treeJson(group.tree, group.labels)]);
  }
  return sortedObject(entries);
}

/**
 * What `JSON.parse(hcl2json.parse(file))` gives for `text`, or null when this reader is not sure (the caller then
 * asks the WASM parser, which also reports what is invalid).
 */
export function fastHclJson(text: string): Json | null {
  try {
    return new FastHclParser(text).file();
  } catch (error) {
    if (error instanceof Unsure || error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * The expression `resolveTemplates` makes of one hcl2json template string, for the plain case of literal text and
 * `${a.b.c}` references; null for anything else (the WASM expression parser reads those).
 */
export function fastTemplateExpr(template: string): HclExpr | null {
  const parts: Array<string | HclExpr> = [];
  let literal = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] ?? '';
    const code = template.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || c === '%' || c === '\\') return null;
    if (c === '$') {
      if (template[i + 1] === '$') return null;
      if (template[i + 1] === '{') {
        const close = template.indexOf('}', i + 2);
        if (close < 0) return null;
        const ref = /^ *([A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*) *$/.exec(template.slice(i + 2, close));
        const path = ref?.[1]?.split('.');
        if (path === undefined || KEYWORD_LITERALS.has(path[0] ?? '') || RESERVED.has(path[0] ?? '')) return null;
        if (literal !== '') parts.push(literal);
        literal = '';
        parts.push({ kind: 'ref', path });
        i = close + 1;
        continue;
      }
    }
    literal += c;
    i++;
  }
  if (literal !== '') parts.push(literal);
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && typeof only !== 'string') return only;
  return { kind: 'template', parts };
}
