/**
 * A static reader for the small part of Python a CDK app uses to declare functions: calls with positional and
 * keyword arguments, string and number literals, attribute chains, lists, dicts, and names bound once at the
 * file's or a method's top level. Nothing is executed; what it cannot read is kept as its source text.
 */

export type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'list'; items: PyNode[] }
  | { kind: 'dict'; entries: Array<{ key: PyNode; value: PyNode }> }
  | { kind: 'call'; callee: string; args: PyNode[]; kwargs: Map<string, PyNode> }
  | { kind: 'name'; text: string }
  | { kind: 'other'; text: string };

/** A value with where it starts in the file (offset), for line numbers. */
export interface PyNode {
  value: PyValue;
  start: number;
}

const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** Index just past the string literal that starts at `i` (quote or prefix), handling triple quotes and escapes. */
function skipString(text: string, i: number): number {
  let j = i;
  while (/[rRbBuUfF]/.test(text[j] ?? '')) j++;
  const q = text[j] ?? '';
  const triple = text.startsWith(q.repeat(3), j);
  const end = triple ? q.repeat(3) : q;
  j += end.length;
  while (j < text.length) {
    if (text[j] === '\\') j += 2;
    else if (text.startsWith(end, j)) return j + end.length;
    else if (!triple && text[j] === '\n') return j;
    else j++;
  }
  return j;
}

function isStringStart(text: string, i: number): boolean {
  const m = /^[rRbBuUfF]{0,2}['"]/.exec(text.slice(i, i + 3));
  return m !== null && (i === 0 || !/[\w]/.test(text[i - 1] ?? ''));
}

/** Index of the bracket that closes the one at `open`, or -1. Strings and comments are skipped. */
export function matchBracket(text: string, open: number): number {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (isStringStart(text, i)) {
      i = skipString(text, i) - 1;
    } else if (ch === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (CLOSERS[ch] !== undefined) {
      stack.push(CLOSERS[ch]);
    } else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Splits `text[from, to)` at top-level commas into trimmed pieces with their start offsets. */
function splitTop(text: string, from: number, to: number): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let depth = 0;
  let pieceStart = from;
  const push = (end: number): void => {
    const raw = text.slice(pieceStart, end);
    const lead = raw.length - raw.trimStart().length;
    const piece = raw.replace(/#[^\n]*/g, '').trim();
    if (piece !== '') out.push({ text: piece, start: pieceStart + lead });
  };
  for (let i = from; i < to; i++) {
    const ch = text[i] ?? '';
    if (isStringStart(text, i)) i = skipString(text, i) - 1;
    else if (ch === '#') i = Math.max(i, (text.indexOf('\n', i) < 0 ? to : text.indexOf('\n', i)) - 1);
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      push(i);
      pieceStart = i + 1;
    }
  }
  push(to);
  return out;
}

function unquote(piece: string): string | null {
  const m = /^([rRbBuU]?)('''|"""|'|")([\s\S]*)\2$/.exec(piece);
  if (m === null) return null;
  const body = m[3] ?? '';
  return m[1]?.toLowerCase() === 'r' ? body : body.replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n');
}

/** Parses one expression that starts at `start` in `text` (the piece given). */
export function parsePy(text: string, piece: string, start: number): PyNode {
  const str = unquote(piece);
  if (str !== null) return { value: { kind: 'str', value: str }, start };
  if (/^-?\d+(\.\d+)?$/.test(piece)) return { value: { kind: 'num', value: Number(piece) }, start };
  const open = piece[0] === '[' ? '[' : piece[0] === '{' ? '{' : null;
  if (open !== null && matchBracket(piece, 0) === piece.length - 1) {
    const parts = splitTop(text, start + 1, start + piece.length - 1);
    if (open === '[') return { value: { kind: 'list', items: parts.map((p) => parsePy(text, p.text, p.start)) }, start };
    const entries = parts.flatMap((p) => {
      const colon = topLevelIndex(p.text, ':');
      if (colon < 0) return [];
      const key = p.text.slice(0, colon).trim();
      const rawValue = p.text.slice(colon + 1);
      const valueStart = p.start + colon + 1 + (rawValue.length - rawValue.trimStart().length);
      return [{ key: parsePy(text, key, p.start), value: parsePy(text, rawValue.trim(), valueStart) }];
    });
    return { value: { kind: 'dict', entries }, start };
  }
  const call = /^([A-Za-z_][\w.]*)\s*\(/.exec(piece);
  if (call !== null && matchBracket(piece, call[0].length - 1) === piece.length - 1) {
    const args: PyNode[] = [];
    const kwargs = new Map<string, PyNode>();
    for (const p of splitTop(text, start + call[0].length, start + piece.length - 1)) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*/.exec(p.text);
      if (kw !== null) kwargs.set(kw[1] ?? '', parsePy(text, p.text.slice(kw[0].length), p.start + kw[0].length));
      else args.push(parsePy(text, p.text, p.start));
    }
    return { value: { kind: 'call', callee: call[1] ?? '', args, kwargs }, start };
  }
  if (/^[A-Za-z_][\w.]*$/.test(piece)) return { value: { kind: 'name', text: piece }, start };
  return { value: { kind: 'other', text: piece }, start };
}

function topLevelIndex(piece: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < piece.length; i++) {
    const c = piece[i] ?? '';
    if (isStringStart(piece, i)) i = skipString(piece, i) - 1;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}

/** Names assigned exactly once in the file (`layer = _lambda.LayerVersion(...)`), with their parsed value. */
export function pyBindings(text: string): Map<string, PyNode> {
  const out = new Map<string, PyNode | null>();
  const re = /^[ \t]*(?:self\.)?([A-Za-z_]\w*)\s*(?::\s*[\w.[\], ]+)?=(?!=)\s*/gm;
  for (const m of text.matchAll(re)) {
    const name = m[1] ?? '';
    const start = (m.index ?? 0) + m[0].length;
    const end = expressionEnd(text, start);
    const piece = text.slice(start, end).trim();
    out.set(name, out.has(name) ? null : parsePy(text, piece, start));
  }
  const bound = new Map<string, PyNode>();
  for (const [k, v] of out) if (v !== null) bound.set(k, v);
  return bound;
}

/** End of the expression starting at `start`: the end of its line, past any bracket it opens. */
export function expressionEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n') {
    const ch = text[i] ?? '';
    if (isStringStart(text, i)) i = skipString(text, i);
    else if (ch === '#') break;
    else if ('([{'.includes(ch)) {
      const close = matchBracket(text, i);
      i = close < 0 ? text.length : close + 1;
    } else i++;
  }
  return i;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
