/**
 * Static evaluation of HCL expressions, as far as deciding a Lambda's handler and code needs: references
 * through a scope, templates, the pure functions Terraform configurations use to build names and paths,
 * operators, `for` expressions and conditionals. A conditional whose test is not known yields every branch
 * that is: the result is a set of possible values, `exact` only when nothing was left undecided.
 */
import type { HclExpr } from './hcl.js';

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** The values an expression may have; `exact` when it has exactly these (no branch undecided, nothing unknown). */
export interface Alt {
  values: HclValue[];
  exact: boolean;
}

/** What references mean while evaluating: `var.*`, `local.*`, `path.module`, `each.*`... (head and the rest). */
export interface HclScope {
  ref(path: readonly string[]): Alt;
  /** Functions that need the scope (`file()` reads the scanned tree); undefined when it has none by that name. */
  call?(name: string, args: readonly HclValue[]): HclValue | undefined;
}

export const UNKNOWN: Alt = { values: [], exact: false };
const MAX_ALTERNATIVES = 8;

export function known(value: HclValue): Alt {
  return { values: [value], exact: true };
}

function key(value: HclValue): string {
  return JSON.stringify(value);
}

function alt(values: HclValue[], exact: boolean): Alt {
  const seen = new Set<string>();
  const out: HclValue[] = [];
  for (const v of values) {
    const k = key(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return { values: out.slice(0, MAX_ALTERNATIVES), exact: exact && out.length <= MAX_ALTERNATIVES && out.length > 0 };
}

/** Every combination of the arguments' alternatives (bounded), each mapped through `fn`. */
function combine(args: Alt[], fn: (values: HclValue[]) => HclValue | undefined): Alt {
  let combos: HclValue[][] = [[]];
  let exact = true;
  for (const a of args) {
    if (a.values.length === 0) return UNKNOWN;
    exact &&= a.exact;
    const next: HclValue[][] = [];
    for (const c of combos) for (const v of a.values) if (next.length < MAX_ALTERNATIVES * 2) next.push([...c, v]);
    combos = next;
  }
  const out: HclValue[] = [];
  for (const c of combos) {
    const v = fn(c);
    if (v === undefined) exact = false;
    else out.push(v);
  }
  return out.length === 0 ? UNKNOWN : alt(out, exact);
}

export function isRecord(value: HclValue | undefined): value is { [key: string]: HclValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One step into a value: an object's attribute or a list's element. */
export function step(value: HclValue | undefined, name: string): HclValue | undefined {
  if (isRecord(value)) return value[name];
  if (Array.isArray(value) && /^\d+$/.test(name)) return value[Number(name)];
  return undefined;
}

export function traverseAlt(base: Alt, path: readonly string[]): Alt {
  const out: HclValue[] = [];
  let exact = base.exact;
  for (const v of base.values) {
    let at: HclValue | undefined = v;
    for (const p of path) at = step(at, p);
    if (at === undefined) exact = false;
    else out.push(at);
  }
  return out.length === 0 ? UNKNOWN : alt(out, exact);
}

/** A scope with `for` variables (or `each`/`count`) over another. */
class BoundScope implements HclScope {
  constructor(
    private readonly outer: HclScope,
    private readonly names: ReadonlyMap<string, HclValue>,
  ) {}

  ref(path: readonly string[]): Alt {
    const [head, ...rest] = path;
    if (head !== undefined && this.names.has(head)) {
      const v = this.names.get(head);
      return v === undefined ? UNKNOWN : traverseAlt(known(v), rest);
    }
    return this.outer.ref(path);
  }

  call(name: string, args: readonly HclValue[]): HclValue | undefined {
    return this.outer.call?.(name, args);
  }
}

export function bindScope(outer: HclScope, names: ReadonlyMap<string, HclValue>): HclScope {
  return new BoundScope(outer, names);
}

/** Every static value the expression may have. */
export function evaluateAlt(expr: HclExpr, scope: HclScope, depth = 0): Alt {
  if (depth > 40) return UNKNOWN;
  const ev = (e: HclExpr): Alt => evaluateAlt(e, scope, depth + 1);
  switch (expr.kind) {
    case 'literal':
      return known(expr.value);
    case 'template': {
      const [only] = expr.parts;
      if (expr.parts.length === 1 && only !== undefined && typeof only !== 'string') return ev(only);
      const args = expr.parts.map((p) => (typeof p === 'string' ? known(p) : ev(p)));
      return combine(args, (vs) =>
        vs.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? vs.map(String).join('') : undefined,
      );
    }
    case 'list':
      return combine(expr.items.map(ev), (vs) => vs);
    case 'object': {
      const names = expr.entries.map(([k]) => k);
      return combine(
        expr.entries.map(([, v]) => ev(v)),
        (vs) => Object.fromEntries(vs.map((v, i) => [names[i] ?? '', v])),
      );
    }
    case 'ref':
      return scope.ref(expr.path);
    case 'traverse':
      return traverseAlt(ev(expr.source), expr.path);
    case 'index':
      return combine([ev(expr.collection), ev(expr.key)], ([c, k]) => (c === undefined || k === undefined ? undefined : step(c, String(k))));
    case 'splat':
      return combine([ev(expr.source)], ([s]) => {
        const list = Array.isArray(s) ? s : s === null || s === undefined ? [] : [s];
        const out: HclValue[] = [];
        for (const item of list) {
          let at: HclValue | undefined = item;
          for (const p of expr.path) at = step(at, p);
          if (at === undefined) return undefined;
          out.push(at);
        }
        return out;
      });
    case 'cond':
      return conditional(expr, ev);
    case 'binary':
      return combine([ev(expr.left), ev(expr.right)], ([l, r]) => (l === undefined || r === undefined ? undefined : binary(expr.op, l, r)));
    case 'unary':
      return combine([ev(expr.operand)], ([v]) =>
        expr.op === 'negate' ? (typeof v === 'number' ? -v : undefined) : typeof v === 'boolean' ? !v : undefined,
      );
    case 'call':
      return call(expr, scope, depth);
    case 'for':
      return forExpr(expr, scope, depth);
    case 'raw':
      return UNKNOWN;
  }
}

/** A conditional with an unknown test yields both branches' values: every static branch counts. */
function conditional(expr: Extract<HclExpr, { kind: 'cond' }>, ev: (e: HclExpr) => Alt): Alt {
  const test = ev(expr.test);
  const truthy = test.values.some((v) => v === true);
  const falsy = test.values.some((v) => v === false);
  if (test.exact && truthy && !falsy) return ev(expr.then);
  if (test.exact && falsy && !truthy) return ev(expr.else);
  const a = ev(expr.then);
  const b = ev(expr.else);
  const values = [...a.values, ...b.values];
  return values.length === 0 ? UNKNOWN : alt(values, false);
}

function equal(a: HclValue, b: HclValue): boolean {
  return key(a) === key(b);
}

function binary(op: string, l: HclValue, r: HclValue): HclValue | undefined {
  if (op === 'equal') return equal(l, r);
  if (op === 'notEqual') return !equal(l, r);
  if (op === 'logicalAnd' || op === 'logicalOr') {
    if (typeof l !== 'boolean' || typeof r !== 'boolean') return undefined;
    return op === 'logicalAnd' ? l && r : l || r;
  }
  if (typeof l !== 'number' || typeof r !== 'number') return undefined;
  switch (op) {
    case 'add':
      return l + r;
    case 'subtract':
      return l - r;
    case 'multiply':
      return l * r;
    case 'divide':
      return r === 0 ? undefined : l / r;
    case 'modulo':
      return r === 0 ? undefined : l % r;
    case 'greaterThan':
      return l > r;
    case 'greaterThanOrEqual':
      return l >= r;
    case 'lessThan':
      return l < r;
    case 'lessThanOrEqual':
      return l <= r;
    default:
      return undefined;
  }
}

function forExpr(expr: Extract<HclExpr, { kind: 'for' }>, scope: HclScope, depth: number): Alt {
  const collection = evaluateAlt(expr.collection, scope, depth + 1);
  if (!collection.exact || collection.values.length !== 1) return UNKNOWN;
  const c = collection.values[0];
  const pairs: Array<[HclValue, HclValue]> = Array.isArray(c) ? c.map((v, i) => [i, v]) : isRecord(c) ? Object.entries(c) : [];
  if (!Array.isArray(c) && !isRecord(c)) return UNKNOWN;
  const list: HclValue[] = [];
  const obj: { [key: string]: HclValue } = {};
  for (const [k, v] of pairs) {
    const names = new Map<string, HclValue>([[expr.valVar, v]]);
    if (expr.keyVar !== null) names.set(expr.keyVar, k);
    const inner = bindScope(scope, names);
    if (expr.cond !== null) {
      const keep = evaluateHcl(expr.cond, inner, depth + 1);
      if (keep === false) continue;
      if (keep !== true) return UNKNOWN;
    }
    const value = evaluateHcl(expr.value, inner, depth + 1);
    if (value === undefined) return UNKNOWN;
    if (expr.key === null) {
      list.push(value);
      continue;
    }
    const name = evaluateHcl(expr.key, inner, depth + 1);
    if (typeof name !== 'string' && typeof name !== 'number') return UNKNOWN;
    const prev = obj[String(name)];
    obj[String(name)] = expr.grouped ? [...(Array.isArray(prev) ? prev : []), value] : value;
  }
  return known(expr.key === null ? list : obj);
}

function str(v: HclValue | undefined): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** The pure functions that build names, paths and maps; file reads, hashes and time are never evaluated. */
const FUNCTIONS: Record<string, (args: HclValue[]) => HclValue | undefined> = {
  abspath: ([p]) => str(p),
  basename: ([p]) => str(p)?.replace(/\/+$/, '').split('/').pop(),
  dirname: ([p]) => {
    const s = str(p);
    if (s === undefined) return undefined;
    const i = s.replace(/\/+$/, '').lastIndexOf('/');
    return i < 0 ? '.' : s.slice(0, i);
  },
  trimspace: ([s]) => str(s)?.trim(),
  lower: ([s]) => str(s)?.toLowerCase(),
  upper: ([s]) => str(s)?.toUpperCase(),
  trimsuffix: ([s, x]) =>
    str(s) !== undefined && str(x) !== undefined && (str(s) ?? '').endsWith(str(x) ?? '')
      ? (str(s) ?? '').slice(0, (str(s) ?? '').length - (str(x) ?? '').length)
      : str(s),
  trimprefix: ([s, x]) =>
    str(s) !== undefined && str(x) !== undefined && (str(s) ?? '').startsWith(str(x) ?? '') ? (str(s) ?? '').slice((str(x) ?? '').length) : str(s),
  replace: ([s, a, b]) =>
    str(s) !== undefined && str(a) !== undefined && str(b) !== undefined && !/^\/.*\/$/.test(str(a) ?? '')
      ? (str(s) ?? '').split(str(a) ?? '').join(str(b) ?? '')
      : undefined,
  format: ([f, ...rest]) => {
    const fmt = str(f);
    if (fmt === undefined || !rest.every((a) => str(a) !== undefined)) return undefined;
    let i = 0;
    return fmt.replace(/%[sdv]/g, () => str(rest[i++]) ?? '');
  },
  join: ([sep, list]) =>
    str(sep) !== undefined && Array.isArray(list) && list.every((x) => str(x) !== undefined)
      ? list.map((x) => str(x) ?? '').join(str(sep) ?? '')
      : undefined,
  split: ([sep, s]) => (str(sep) !== undefined && str(s) !== undefined ? (str(s) ?? '').split(str(sep) ?? '') : undefined),
  concat: (lists) => (lists.every(Array.isArray) ? lists.flat() : undefined),
  flatten: ([l]) => (Array.isArray(l) ? l.flat(8) : undefined),
  merge: (objs) => (objs.every((o) => isRecord(o) || o === null) ? Object.assign({}, ...objs.filter(isRecord)) : undefined),
  lookup: ([m, k, d]) => (isRecord(m) && str(k) !== undefined ? (m[str(k) ?? ''] ?? d) : undefined),
  element: ([l, i]) => (Array.isArray(l) && typeof i === 'number' && l.length > 0 ? l[i % l.length] : undefined),
  coalesce: (args) => args.find((a) => a !== null && a !== ''),
  coalescelist: (args) => args.find((a) => Array.isArray(a) && a.length > 0),
  compact: ([l]) => (Array.isArray(l) ? l.filter((x) => x !== null && x !== '') : undefined),
  keys: ([m]) => (isRecord(m) ? Object.keys(m).sort() : undefined),
  values: ([m]) =>
    isRecord(m)
      ? Object.keys(m)
          .sort()
          .map((k) => m[k] ?? null)
      : undefined,
  length: ([v]) => (Array.isArray(v) ? v.length : isRecord(v) ? Object.keys(v).length : typeof v === 'string' ? [...v].length : undefined),
  contains: ([l, v]) => (Array.isArray(l) && v !== undefined ? l.some((x) => equal(x, v)) : undefined),
  distinct: ([l]) => (Array.isArray(l) ? alt(l, true).values : undefined),
  zipmap: ([ks, vs]) => (Array.isArray(ks) && Array.isArray(vs) ? Object.fromEntries(ks.map((k, i) => [str(k) ?? '', vs[i] ?? null])) : undefined),
  one: ([l]) => (Array.isArray(l) && l.length <= 1 ? (l[0] ?? null) : undefined),
  tostring: ([v]) => (v === null ? null : str(v)),
  tonumber: ([v]) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined),
  tobool: ([v]) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined),
  tolist: ([v]) => (Array.isArray(v) ? v : undefined),
  toset: ([v]) => (Array.isArray(v) ? alt(v, true).values : undefined),
  tomap: ([v]) => (isRecord(v) ? v : undefined),
  regex: ([pattern, s]) => {
    const p = str(pattern);
    const text = str(s);
    if (p === undefined || text === undefined || /\(\?P?</.test(p)) return undefined;
    let m: RegExpExecArray | null;
    try {
      m = new RegExp(p, 'u').exec(text);
    } catch {
      return undefined; // RE2 syntax JavaScript does not share
    }
    if (m === null) return undefined;
    return m.length > 1 ? m.slice(1).map((g) => g ?? null) : m[0];
  },
};

function call(expr: Extract<HclExpr, { kind: 'call' }>, scope: HclScope, depth: number): Alt {
  // `try(a, b)`: the first argument that evaluates; `can(x)` whether it does.
  if (expr.name === 'try') {
    for (const a of expr.args) {
      const v = evaluateAlt(a, scope, depth + 1);
      if (v.values.length > 0) return v;
    }
    return UNKNOWN;
  }
  const fn = FUNCTIONS[expr.name] ?? (scope.call === undefined ? undefined : (vs: HclValue[]) => scope.call?.(expr.name, vs));
  if (fn === undefined) return UNKNOWN;
  const args = expr.args.map((a) => evaluateAlt(a, scope, depth + 1));
  return combine(args, (vs) => {
    const last = vs[vs.length - 1];
    const spread = expr.expand && Array.isArray(last) ? [...vs.slice(0, -1), ...last] : vs;
    return fn(spread);
  });
}

/** The expression's value when it has exactly one; undefined when anything in it is unknown or undecided. */
export function evaluateHcl(expr: HclExpr, scope: HclScope, depth = 0): HclValue | undefined {
  const a = evaluateAlt(expr, scope, depth);
  return a.exact && a.values.length === 1 ? a.values[0] : undefined;
}
