/**
 * Every string that comes from the scanned service (function names, paths, routes, file names, analysis text) is
 * untrusted where it lands in generated source: a newline in a `//` comment would start code, a `"` would end a
 * string literal, a bidi override would make the code read differently from how it compiles. These helpers are the
 * only way such text reaches the scaffold's files.
 */

/** C0/C1 controls, DEL, line/paragraph separators, and the bidi embedding/override/isolate marks. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const MAX_COMMENT = 200;

/** Text for a `//` (or `#`) line comment: one line, no controls or bidi marks, no `*\/`, bounded length. */
export function commentText(value: string): string {
  let s = value
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(UNSAFE, '')
    .replace(/\*\//g, '* /');
  if (s.length > MAX_COMMENT) s = `${s.slice(0, MAX_COMMENT - 3)}...`;
  return s.trimEnd();
}

function escapeCodePoints(value: string, escape: (cp: number) => string, quote: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (cp < 0x20 || cp > 0x7e) out += escape(cp);
    else out += ch;
  }
  return out;
}

/** The inside of a Rust string literal (`"..."`): everything outside printable ASCII as `\u{...}`. */
export function rustStringBody(value: string): string {
  return escapeCodePoints(value, (cp) => `\\u{${cp.toString(16)}}`, '"');
}

export function rustString(value: string): string {
  return `"${rustStringBody(value)}"`;
}

function u4(cp: number): string {
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  const v = cp - 0x10000;
  return `${u4(0xd800 + (v >> 10))}${u4(0xdc00 + (v & 0x3ff))}`;
}

/** A TOML basic string. */
export function tomlString(value: string): string {
  return `"${escapeCodePoints(value, (cp) => (cp <= 0xffff ? u4(cp) : `\\U${cp.toString(16).padStart(8, '0')}`), '"')}"`;
}

/** A YAML double-quoted scalar (JSON escapes are valid there). */
export function yamlString(value: string): string {
  return `"${escapeCodePoints(value, u4, '"')}"`;
}

/** A TypeScript/JavaScript string literal. */
export function jsString(value: string): string {
  return `'${escapeCodePoints(value, u4, "'")}'`;
}

/** An HCL (Terraform) string: also no `${` or `%{` template sequences. */
export function hclString(value: string): string {
  const body = escapeCodePoints(value, u4, '"')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
  return `"${body}"`;
}

const RUST_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref ' +
    'return self static struct super trait true type unsafe use where while abstract become box do final gen macro override priv ' +
    'try typeof unsized virtual yield union'
  ).split(' '),
);

const MAX_IDENT = 40;

/** A valid Rust snake_case identifier from any name (`getOrders`, `/v1/orders/:id`, `Order-Events`). */
export function snakeIdent(value: string, fallback = 'item'): string {
  let s = value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s.length > MAX_IDENT) s = s.slice(0, MAX_IDENT).replace(/_+$/, '');
  if (s === '') s = fallback;
  if (/^[0-9]/.test(s)) s = `n${s}`;
  if (RUST_KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

/** `get_v1_orders_id` -> `GetV1OrdersId`. */
export function pascalIdent(snake: string): string {
  const s = snake
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');
  return s === '' ? 'Item' : s;
}

/** A Cargo package name (kebab-case) from a function name. */
export function crateName(value: string): string {
  return snakeIdent(value, 'lambda').replace(/_/g, '-').replace(/-+$/, '');
}

/** Hands out identifiers unique within one scope: `name`, `name_2`, `name_3`, ... */
export class UniqueNames {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const r of reserved) this.used.add(r);
  }

  take(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
