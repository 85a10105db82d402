/**
 * A JavaScript reading of the plain block YAML most SAM templates and serverless.yml files are written in, giving
 * what `parseYamlWithIntrinsics` gives (the `yaml` library with CloudFormation's tags) at a fraction of its cost:
 * the same data and the same key lines. It is deliberately narrow: anchors and aliases, other tags, multi-line
 * plain or quoted scalars, multi-line flow collections, folded scalars with blank or more-indented lines, tabs, CR,
 * escapes other than `\\ \" \/ \n \t`, a key set twice, numbers with exponents or padding, several documents... make it
 * answer null, and the caller uses the library (which also decides what is invalid, and reads leniently what
 * CloudFormation accepts). `test/discover/yaml-fast.test.ts` holds it to the library's output, file by file and on
 * mutated files.
 */

/** Thrown to give up: the caller parses with the library. */
class Unsure extends Error {}

function unsure(): never {
  throw new Unsure();
}

/** CloudFormation's short forms (`!Ref X` -> `{ Ref: 'X' }`), as cfn-yaml.ts registers them with the library. */
const TAG_KEYS: ReadonlyMap<string, string> = new Map([
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ...[
    'Sub',
    'GetAtt',
    'If',
    'Join',
    'Select',
    'Split',
    'FindInMap',
    'ImportValue',
    'GetAZs',
    'Base64',
    'Cidr',
    'Equals',
    'Not',
    'And',
    'Or',
    'Transform',
    'ToJsonString',
    'Length',
  ].map((name) => [`!${name}`, `Fn::${name}`] as const),
]);

type YNode =
  | { kind: 'map'; pairs: Array<{ key: string; line: number; value: YNode }> }
  | { kind: 'seq'; items: YNode[] }
  /** `value` typed as the core schema types plain scalars; `text` the scalar's string, for a tag. */
  | { kind: 'scalar'; value: unknown; text: string }
  | { kind: 'tagged'; key: string; tag: string; node: YNode };

interface Line {
  indent: number;
  /** After the indentation, with a trailing comment and trailing spaces removed. */
  content: string;
  /** The line as written. */
  raw: string;
}

const NULL_SCALAR: YNode = { kind: 'scalar', value: null, text: '' };

/** How the core schema (YAML 1.2, the library's default) reads a plain scalar; Unsure for the forms not copied here. */
function plainValue(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]/.test(text) || /^[-+]?\.[0-9iInN]/.test(text) || /^\.(nan|NaN|NAN)$/.test(text)) {
    if (/^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,15})?$/.test(text)) return Number(text);
    // `0o17`, `0x1F`, `1e3`, `+1`, `007`, `.5`, `.inf`: numbers the core schema reads in ways not copied here.
    if (/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text) || /^0[ox]/.test(text) || /^[-+]?\.(inf|Inf|INF)$/.test(text))
      unsure();
    if (/^\.(nan|NaN|NAN)$/.test(text)) unsure();
  }
  return text;
}

/** A plain scalar as it may start and go on in block context (`key: a value`), or Unsure. */
function checkPlain(text: string, flow: boolean): void {
  if (text === '') unsure();
  const first = text[0] ?? '';
  if ('#&*!|>\'"%@`,[]{}'.includes(first)) unsure();
  if (first === ':' || ((first === '-' || first === '?') && (text.length === 1 || text[1] === ' '))) unsure();
  if (/: |:$| #/.test(text)) unsure();
  if (flow && /[,[\]{}]/.test(text)) unsure();
}

function splitLines(text: string): Line[] {
  if (/[\t\r\u0085\u2028\u2029\ufeff]/.test(text)) unsure();
  const lines = text.split('\n');
  return lines.map((raw) => {
    const indent = raw.length - raw.trimStart().length;
    return { indent, content: stripComment(raw.slice(indent)), raw };
  });
}

/** The line without a trailing `# comment` (one that follows a space, outside quotes) and trailing spaces. */
function stripComment(s: string): string {
  if (s.startsWith('#')) return '';
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = null;
    } else if (quote === "'") {
      if (c === "'") quote = null;
    } else if (c === '#' && s[i - 1] === ' ') {
      return s.slice(0, i).trimEnd();
    } else if ((c === '"' || c === "'") && (i === 0 || ' [{,:'.includes(s[i - 1] ?? ''))) {
      quote = c;
    }
  }
  return s.trimEnd();
}

class FastYamlParser {
  private i = 0;
  private readonly lines: Line[];

  constructor(text: string) {
    this.lines = splitLines(text);
  }

  document(): YNode {
    this.skipBlank();
    const first = this.lines[this.i];
    if (first !== undefined && first.indent === 0 && /^---( |$)/.test(first.content)) {
      if (first.content !== '---') unsure();
      this.i++;
      this.skipBlank();
    }
    const line = this.lines[this.i];
    if (line === undefined) return NULL_SCALAR;
    if (line.indent !== 0 || !isEntry(line.content)) unsure();
    const node = this.map(0);
    this.skipBlank();
    if (this.i < this.lines.length) unsure();
    return node;
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && (this.lines[this.i]?.content ?? '') === '') {
      const c = this.lines[this.i]?.raw.trimStart() ?? '';
      if (c !== '' && !c.startsWith('#')) unsure();
      this.i++;
    }
  }

  /** The next line that holds something, without moving. */
  private peek(): Line | undefined {
    const save = this.i;
    this.skipBlank();
    const line = this.lines[this.i];
    this.i = save;
    return line;
  }

  /** Document markers, directives, explicit keys, merge keys: never read here. */
  private plainLine(line: Line): void {
    if (/^(---|\.\.\.)( |$)/.test(line.content) || line.content.startsWith('%') || line.content.startsWith('? ') || line.content.startsWith('<<'))
      unsure();
  }

  private map(indent: number): YNode {
    const pairs: Array<{ key: string; line: number; value: YNode }> = [];
    const seen = new Set<string>();
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (line === undefined || line.indent < indent) break;
      if (line.indent > indent) unsure();
      this.plainLine(line);
      const entry = splitEntry(line.content);
      if (entry === null) {
        if (line.content.startsWith('-')) break; // a sequence at the same indent as its parent key ends this map
        unsure();
      }
      if (seen.has(entry.key)) unsure();
      seen.add(entry.key);
      const lineNo = this.i + 1;
      this.i++;
      pairs.push({ key: entry.key, line: lineNo, value: this.valueAfter(entry.rest, indent, true) });
    }
    return { kind: 'map', pairs };
  }

  private seq(indent: number): YNode {
    const items: YNode[] = [];
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (line === undefined || line.indent < indent) break;
      if (line.indent > indent) unsure();
      if (!(line.content === '-' || line.content.startsWith('- '))) break;
      const rest = line.content.slice(1).trimStart();
      const offset = line.content.length - rest.length;
      if (rest !== '' && (isEntry(rest) || rest === '-' || rest.startsWith('- '))) {
        // `- key: value` / `- - x`: the rest of the line is the first line of a nested block at its own column.
        const column = indent + offset;
        const raw = line.raw;
        this.lines[this.i] = { indent: column, content: rest, raw };
        items.push(rest.startsWith('-') ? this.seq(column) : this.map(column));
        continue;
      }
      this.i++;
      items.push(this.valueAfter(rest, indent, false));
    }
    return { kind: 'seq', items };
  }

  /**
   * The value after `key:` or `- ` on the line just read: inline, a block scalar, a tag, or (when nothing follows)
   * the block on the next lines. `indent` is the key's or dash's column.
   */
  private valueAfter(rest: string, indent: number, inMap: boolean): YNode {
    if (rest === '') return this.blockBelow(indent, inMap);
    if (rest.startsWith('!')) {
      const m = /^(![A-Za-z]+)(?: +(.*))?$/.exec(rest);
      const key = m === null ? undefined : TAG_KEYS.get(m[1] ?? '');
      if (m === null || key === undefined) unsure();
      const after = m[2] ?? '';
      if (after === '') {
        const below = this.blockBelow(indent, inMap);
        if (below.kind === 'scalar') unsure(); // `!Ref` with nothing: the library's empty-scalar handling is not copied
        return { kind: 'tagged', key, tag: m[1] ?? '', node: below };
      }
      return { kind: 'tagged', key, tag: m[1] ?? '', node: this.valueAfter(after, indent, inMap) };
    }
    if (rest[0] === '|' || rest[0] === '>') return this.blockScalar(rest, indent);
    // `this.i` is past the line just read: its 1-based number.
    const node = rest[0] === '[' || rest[0] === '{' ? new FlowParser(rest, this.i).whole() : inlineScalar(rest, false);
    const next = this.peek();
    if (next !== undefined && next.indent > indent) unsure(); // a continuation line: multi-line scalars are the library's
    return node;
  }

  /** Nothing after `key:`: the more-indented block below, a sequence at the key's own indent, or null. */
  private blockBelow(indent: number, inMap: boolean): YNode {
    const next = this.peek();
    if (next === undefined) return NULL_SCALAR;
    const isSeq = next.content === '-' || next.content.startsWith('- ');
    if (next.indent > indent) {
      this.plainLine(next);
      if (isSeq) return this.seq(next.indent);
      if (isEntry(next.content)) return this.map(next.indent);
      unsure(); // a scalar on the lines below its key
    }
    if (inMap && next.indent === indent && isSeq) return this.seq(indent);
    return NULL_SCALAR;
  }

  /** `|`, `|-`, `>`, `>-` and their content (folded only when no line is blank or more indented). */
  private blockScalar(header: string, indent: number): YNode {
    const m = /^([|>])([-+]?)$/.exec(header);
    if (m === null) unsure();
    const folded = m[1] === '>';
    const chomp = m[2] ?? '';
    if (chomp === '+') unsure();
    const body: string[] = [];
    let contentIndent = -1;
    let j = this.i;
    for (; j < this.lines.length; j++) {
      const raw = this.lines[j]?.raw ?? '';
      if (raw.trim() === '') {
        if (raw !== '') unsure();
        body.push('');
        continue;
      }
      const lead = raw.length - raw.trimStart().length;
      if (contentIndent < 0) {
        if (lead <= indent) break;
        contentIndent = lead;
      }
      if (lead < contentIndent) break;
      if (lead > contentIndent && folded) unsure();
      if (/ $/.test(raw)) unsure();
      body.push(raw.slice(contentIndent));
    }
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    const used = j;
    if (contentIndent < 0 || (folded && body.includes(''))) unsure();
    this.i = used;
    const joined = folded ? body.join(' ') : body.join('\n');
    const text = chomp === '-' ? joined : `${joined}\n`;
    return { kind: 'scalar', value: text, text };
  }
}

/** `key: rest` with a plain key (`Fn::If` and `AWS::Region` are plain keys) or a quoted one; null otherwise. */
function splitEntry(content: string): { key: string; rest: string } | null {
  let key: string;
  let after: number;
  if (content[0] === '"' || content[0] === "'") {
    const q = content[0];
    const close = content.indexOf(q, 1);
    if (close < 0 || content[close + 1] !== ':') return null;
    key = content.slice(1, close);
    if ((q === '"' && key.includes('\\')) || (q === "'" && content[close + 1] === "'")) unsure();
    after = close + 2;
  } else {
    const m = /^([A-Za-z0-9_$./-](?:[A-Za-z0-9_$./-]|:(?=[^ ]))*):(?: |$)/.exec(content);
    if (m === null) return null;
    key = m[1] ?? '';
    // Keys the core schema would type: only plain integers keep their text as the key.
    if (plainValue(key) !== key && !/^(0|[1-9][0-9]{0,14})$/.test(key)) unsure();
    if (key.startsWith('-')) unsure();
    after = key.length + 1;
  }
  if (key === '__proto__' || key.length > 1000 || key.includes(': ')) unsure();
  if (after < content.length && content[after] !== ' ') return null;
  return { key, rest: content.slice(after).trimStart() };
}

function isEntry(content: string): boolean {
  return splitEntry(content) !== null;
}

/** A one-line scalar: double- or single-quoted (closed on the line), else plain. */
function inlineScalar(text: string, flow: boolean): YNode {
  if (text[0] === '"') {
    const { value, end } = doubleQuoted(text, 0);
    if (end !== text.length) unsure();
    return { kind: 'scalar', value, text: value };
  }
  if (text[0] === "'") {
    const { value, end } = singleQuoted(text, 0);
    if (end !== text.length) unsure();
    return { kind: 'scalar', value, text: value };
  }
  checkPlain(text, flow);
  return { kind: 'scalar', value: plainValue(text), text };
}

const DOUBLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ['"', '"'],
  ['/', '/'],
  ['n', '\n'],
  ['t', '\t'],
]);

function doubleQuoted(s: string, start: number): { value: string; end: number } {
  let out = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const e = DOUBLE_ESCAPES.get(s[i + 1] ?? '');
      if (e === undefined) unsure();
      out += e;
      i++;
    } else out += c;
  }
  return unsure();
}

function singleQuoted(s: string, start: number): { value: string; end: number } {
  let out = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === "'") {
      if (s[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    out += c;
  }
  return unsure();
}

/** `[a, !Ref b, { k: v }]` on one line. */
class FlowParser {
  private pos = 0;

  constructor(
    private readonly s: string,
    /** The 1-based line the collection is on: the line of every key in it. */
    private readonly line: number,
  ) {}

  whole(): YNode {
    const node = this.node();
    this.spaces();
    if (this.pos !== this.s.length) unsure();
    return node;
  }

  private spaces(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }

  private node(): YNode {
    this.spaces();
    const c = this.s[this.pos];
    if (c === '[') return this.seq();
    if (c === '{') return this.map();
    if (c === '!') {
      const m = /^![A-Za-z]+/.exec(this.s.slice(this.pos));
      const key = m === null ? undefined : TAG_KEYS.get(m[0]);
      if (m === null || key === undefined || this.s[this.pos + m[0].length] !== ' ') unsure();
      this.pos += m[0].length;
      return { kind: 'tagged', key, tag: m[0], node: this.node() };
    }
    if (c === '"' || c === "'") {
      const { value, end } = c === '"' ? doubleQuoted(this.s, this.pos) : singleQuoted(this.s, this.pos);
      this.pos = end;
      return { kind: 'scalar', value, text: value };
    }
    const m = /^[^,[\]{}]*/.exec(this.s.slice(this.pos));
    const text = (m?.[0] ?? '').trimEnd();
    this.pos += text.length;
    checkPlain(text, true);
    return { kind: 'scalar', value: plainValue(text), text };
  }

  private seq(): YNode {
    this.pos++;
    const items: YNode[] = [];
    this.spaces();
    while (this.s[this.pos] !== ']') {
      items.push(this.node());
      this.spaces();
      if (this.s[this.pos] === ',') {
        this.pos++;
        this.spaces();
        if (this.s[this.pos] === ']') unsure(); // a trailing comma
      } else if (this.s[this.pos] !== ']') unsure();
    }
    this.pos++;
    return { kind: 'seq', items };
  }

  private map(): YNode {
    this.pos++;
    const pairs: Array<{ key: string; line: number; value: YNode }> = [];
    const seen = new Set<string>();
    this.spaces();
    while (this.s[this.pos] !== '}') {
      const m = /^([A-Za-z0-9_$./-](?:[A-Za-z0-9_$./-]|:(?=[^ ,}]))*): /.exec(this.s.slice(this.pos));
      const key = m?.[1];
      if (key === undefined || seen.has(key) || key === '__proto__' || (plainValue(key) !== key && !/^(0|[1-9][0-9]{0,14})$/.test(key))) unsure();
      seen.add(key);
      this.pos += (m?.[0] ?? '').length;
      pairs.push({ key, line: this.line, value: this.node() });
      this.spaces();
      if (this.s[this.pos] === ',') {
        this.pos++;
        this.spaces();
        if (this.s[this.pos] === '}') unsure();
      } else if (this.s[this.pos] !== '}') unsure();
    }
    this.pos++;
    return { kind: 'map', pairs };
  }
}

function toJs(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toJs);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const p of node.pairs) out[p.key] = toJs(p.value);
      return out;
    }
    case 'tagged': {
      const inner = node.node;
      if (inner.kind === 'scalar') {
        // A tag reads the scalar's string, untyped: `!Ref 123` is `{ Ref: '123' }`.
        if (node.key === 'Fn::GetAtt') {
          const dot = inner.text.indexOf('.');
          return { [node.key]: dot < 0 ? [inner.text] : [inner.text.slice(0, dot), inner.text.slice(dot + 1)] };
        }
        return { [node.key]: inner.text };
      }
      if (inner.kind === 'tagged') unsure();
      return { [node.key]: toJs(inner) };
    }
  }
}

export interface FastYaml {
  data: unknown;
  lineOf(path: readonly string[]): number | null;
}

/** `parseYamlWithIntrinsics`'s answer for plain templates, or null when this reader is not sure of the text. */
export function fastYaml(text: string): FastYaml | null {
  let root: YNode;
  try {
    root = new FastYamlParser(text).document();
  } catch (error) {
    if (error instanceof Unsure || error instanceof RangeError) return null;
    throw error;
  }
  let data: unknown;
  try {
    data = toJs(root);
  } catch (error) {
    if (error instanceof Unsure) return null;
    throw error;
  }
  return {
    data,
    lineOf(path: readonly string[]): number | null {
      let node: YNode = root;
      let line: number | null = null;
      for (const key of path) {
        if (node.kind !== 'map') return null;
        const pair = node.pairs.find((p) => p.key === key);
        if (pair === undefined) return null;
        line = pair.line;
        node = pair.value;
      }
      return line;
    },
  };
}
