/**
 * A small reader for the subset of HCL (Terraform's configuration language) that declares Lambda
 * functions: blocks with labels, attributes, strings with `${...}` interpolation, heredocs, numbers,
 * booleans, lists, objects, references (`var.x`, `path.module`) and function calls. Expressions it does
 * not model (operators, `for`, conditionals) are kept as their source text. It never evaluates anything
 * beyond what `HclScope` is told.
 */

export type HclExpr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'template'; parts: Array<string | HclExpr> }
  | { kind: 'list'; items: HclExpr[] }
  | { kind: 'object'; entries: Array<[string, HclExpr]> }
  | { kind: 'ref'; path: string[] }
  | { kind: 'call'; name: string; args: HclExpr[] }
  | { kind: 'raw'; text: string };

export interface HclAttribute {
  name: string;
  expr: HclExpr;
  line: number;
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

/** Parses a `.tf` file into its top-level blocks (a file's body holds only blocks and attributes). */
export function parseHcl(text: string): HclBlock {
  return new Parser(text).file();
}

class Parser {
  private pos = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  file(): HclBlock {
    const root: HclBlock = { type: '', labels: [], line: 1, attributes: new Map(), blocks: [] };
    this.body(root, null);
    return root;
  }

  private error(message: string): never {
    throw new HclParseError(message, this.line);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private advance(n = 1): void {
    for (let i = 0; i < n; i++) {
      if (this.text[this.pos] === '\n') this.line++;
      this.pos++;
    }
  }

  /** Skips blanks and comments; newlines too unless `stopAtNewline`. */
  private skip(stopAtNewline = false): void {
    for (;;) {
      const c = this.peek();
      if (c === '\n' && stopAtNewline) return;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.advance();
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (this.pos < this.text.length && this.peek() !== '\n') this.advance();
      } else if (c === '/' && this.peek(1) === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) this.error('unterminated comment');
        this.advance(end + 2 - this.pos);
      } else return;
    }
  }

  private identifier(): string | null {
    const m = /^[A-Za-z_][\w-]*/.exec(this.text.slice(this.pos, this.pos + 256));
    if (m === null) return null;
    this.advance(m[0].length);
    return m[0];
  }

  private body(block: HclBlock, close: string | null): void {
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) {
        if (close !== null) this.error(`missing '${close}'`);
        return;
      }
      if (close !== null && this.peek() === close) {
        this.advance();
        return;
      }
      const line = this.line;
      const name = this.identifier();
      if (name === null) this.error(`unexpected '${this.peek()}'`);
      this.skip(true);
      if (this.peek() === '=' && this.peek(1) !== '=') {
        this.advance();
        this.skip(true);
        block.attributes.set(name, { name, expr: this.expression(), line });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(true);
        if (this.peek() === '"') {
          const label = this.quoted();
          labels.push(label.kind === 'template' ? label.parts.filter((p): p is string => typeof p === 'string').join('') : '');
        } else {
          const id = this.identifier();
          if (id === null) break;
          labels.push(id);
        }
      }
      if (this.peek() !== '{') this.error(`expected '=' or '{' after ${name}`);
      this.advance();
      const child: HclBlock = { type: name, labels, line, attributes: new Map(), blocks: [] };
      this.body(child, '}');
      block.blocks.push(child);
    }
  }

  /** One expression; anything after a recognised value up to the end of the line stays raw (operators). */
  private expression(): HclExpr {
    const start = this.pos;
    const value = this.primary();
    this.skip(true);
    const c = this.peek();
    if (c === '' || c === '\n' || c === ',' || c === ']' || c === '}' || c === ')' || c === '#' || (c === '/' && (this.peek(1) === '/' || this.peek(1) === '*'))) return value;
    // An operator, a conditional or a for expression: keep the source text up to the end of the expression.
    this.rawUntilEnd();
    return { kind: 'raw', text: this.text.slice(start, this.pos).trim() };
  }

  private rawUntilEnd(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '"') {
        this.quoted();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
      } else if ((c === '\n' || c === ',') && depth === 0) return;
      this.advance();
    }
  }

  private primary(): HclExpr {
    const c = this.peek();
    if (c === '"') return this.quoted();
    if (c === '<' && this.peek(1) === '<') return this.heredoc();
    if (c === '[') return this.list();
    if (c === '{') return this.object();
    if (c === '(') {
      this.advance();
      this.skip();
      const inner = this.expression();
      this.skip();
      if (this.peek() === ')') this.advance();
      return inner;
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (num !== null) {
      this.advance(num[0].length);
      return { kind: 'literal', value: Number(num[0]) };
    }
    const id = this.identifier();
    if (id === null) {
      const start = this.pos;
      this.rawUntilEnd();
      if (this.pos === start) this.error(`unexpected '${c}'`);
      return { kind: 'raw', text: this.text.slice(start, this.pos).trim() };
    }
    if (id === 'true' || id === 'false') return { kind: 'literal', value: id === 'true' };
    if (id === 'null') return { kind: 'literal', value: null };
    if (this.peek() === '(') return this.call(id);
    const path = [id];
    for (;;) {
      if (this.peek() === '.' ) {
        this.advance();
        const next = this.identifier() ?? (this.peek() === '*' ? (this.advance(), '*') : null);
        if (next === null) this.error('expected a name after "."');
        path.push(next);
      } else if (this.peek() === '[') {
        const start = this.pos;
        this.rawUntilEnd();
        if (this.peek() === ']') this.advance();
        path.push(this.text.slice(start, this.pos));
      } else break;
    }
    return { kind: 'ref', path };
  }

  private call(name: string): HclExpr {
    this.advance(); // (
    const args: HclExpr[] = [];
    for (;;) {
      this.skip();
      if (this.peek() === ')') {
        this.advance();
        return { kind: 'call', name, args };
      }
      if (this.pos >= this.text.length) this.error(`unterminated call to ${name}`);
      args.push(this.expression());
      this.skip();
      if (this.peek() === ',') this.advance();
      else if (this.peek() === '.' && this.peek(1) === '.' && this.peek(2) === '.') this.advance(3);
    }
  }

  private list(): HclExpr {
    this.advance();
    const items: HclExpr[] = [];
    for (;;) {
      this.skip();
      if (this.peek() === ']') {
        this.advance();
        return { kind: 'list', items };
      }
      if (this.pos >= this.text.length) this.error("missing ']'");
      items.push(this.expression());
      this.skip();
      if (this.peek() === ',') this.advance();
    }
  }

  private object(): HclExpr {
    this.advance();
    const entries: Array<[string, HclExpr]> = [];
    for (;;) {
      this.skip();
      if (this.peek() === '}') {
        this.advance();
        return { kind: 'object', entries };
      }
      if (this.pos >= this.text.length) this.error("missing '}'");
      let key: string;
      if (this.peek() === '"') {
        const k = this.quoted();
        key = k.kind === 'template' ? k.parts.filter((p): p is string => typeof p === 'string').join('') : '';
      } else {
        const id = this.identifier();
        if (id === null) this.error(`unexpected '${this.peek()}' in an object`);
        key = id;
      }
      this.skip(true);
      if (this.peek() !== '=' && this.peek() !== ':') this.error(`expected '=' after ${key}`);
      this.advance();
      this.skip(true);
      entries.push([key, this.expression()]);
      this.skip(true);
      if (this.peek() === ',') this.advance();
    }
  }

  private quoted(): HclExpr {
    this.advance(); // opening quote
    const parts: Array<string | HclExpr> = [];
    let literal = '';
    for (;;) {
      const c = this.peek();
      if (c === '') this.error('unterminated string');
      if (c === '\n') this.error('newline in a string');
      if (c === '"') {
        this.advance();
        break;
      }
      if (c === '\\') {
        const n = this.peek(1);
        literal += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        this.advance(2);
        continue;
      }
      if ((c === '$' || c === '%') && this.peek(1) === '{') {
        if (c === '$' && this.text[this.pos - 1] === '$') {
          literal = literal.slice(0, -1) + '${';
          this.advance(2);
          continue;
        }
        if (literal !== '') parts.push(literal);
        literal = '';
        this.advance(2);
        this.skip();
        const inner = c === '$' ? this.expression() : (this.rawUntilEnd(), { kind: 'raw' as const, text: '%{...}' });
        this.skip();
        if (this.peek() !== '}') this.error("missing '}' in an interpolation");
        this.advance();
        parts.push(inner);
        continue;
      }
      literal += c;
      this.advance();
    }
    if (literal !== '' || parts.length === 0) parts.push(literal);
    return { kind: 'template', parts };
  }

  private heredoc(): HclExpr {
    const m = /^<<-?([A-Za-z_]\w*)[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.pos + 128));
    if (m === null) this.error('bad heredoc');
    this.advance(m[0].length);
    const end = new RegExp(`^[ \\t]*${m[1] ?? ''}[ \\t]*$`, 'm');
    const rest = this.text.slice(this.pos);
    const found = end.exec(rest);
    if (found === null) this.error(`unterminated heredoc ${m[1] ?? ''}`);
    const body = rest.slice(0, found.index);
    this.advance(found.index + found[0].length);
    return { kind: 'template', parts: [body] };
  }
}

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** What references mean while evaluating: `var.*`, `local.*`, `path.module`, `data.archive_file.*`... */
export interface HclScope {
  ref(path: readonly string[]): HclValue | undefined;
}

/** Evaluates an expression; undefined when any part of it is not known statically. */
export function evaluateHcl(expr: HclExpr, scope: HclScope, depth = 0): HclValue | undefined {
  if (depth > 20) return undefined;
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template': {
      if (expr.parts.length === 1 && typeof expr.parts[0] !== 'string' && expr.parts[0] !== undefined) return evaluateHcl(expr.parts[0], scope, depth + 1);
      let out = '';
      for (const part of expr.parts) {
        if (typeof part === 'string') out += part;
        else {
          const v = evaluateHcl(part, scope, depth + 1);
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
          out += String(v);
        }
      }
      return out;
    }
    case 'list': {
      const items = expr.items.map((i) => evaluateHcl(i, scope, depth + 1));
      return items.every((i): i is HclValue => i !== undefined) ? items : undefined;
    }
    case 'object': {
      const out: { [key: string]: HclValue } = {};
      for (const [k, v] of expr.entries) {
        const value = evaluateHcl(v, scope, depth + 1);
        if (value === undefined) return undefined;
        out[k] = value;
      }
      return out;
    }
    case 'ref':
      return scope.ref(expr.path);
    case 'call': {
      const args = expr.args.map((a) => evaluateHcl(a, scope, depth + 1));
      // Path helpers keep the path; anything else (hashes, file reads) is not needed to find code.
      if ((expr.name === 'abspath' || expr.name === 'trimspace') && typeof args[0] === 'string') return args[0];
      if (expr.name === 'format' && typeof args[0] === 'string') {
        let i = 1;
        const out = args[0].replace(/%[sdv]/g, () => String(args[i++] ?? ''));
        return args.slice(1).every((a) => typeof a === 'string' || typeof a === 'number') ? out : undefined;
      }
      if (expr.name === 'join' && typeof args[0] === 'string' && Array.isArray(args[1])) return args[1].map(String).join(args[0]);
      return undefined;
    }
    case 'raw':
      return undefined;
  }
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
      return expr.path.join('.');
    case 'call':
      return `${expr.name}(${expr.args.map(hclText).join(', ')})`;
    case 'raw':
      return expr.text;
  }
}
