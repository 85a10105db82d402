import { isRecord } from './cfn-yaml.js';

/**
 * Evaluates the CloudFormation intrinsics a static read can know: `Ref` to a parameter with a Default,
 * `Fn::Sub` over such parameters, `Fn::Join`, and `Fn::If` whose condition compares parameter defaults.
 * Anything that depends on the deploy (pseudo parameters without a known value, resource attributes,
 * imports) stays unresolved: `resolve` returns the value unchanged and the caller notes it.
 */
export class CfnIntrinsics {
  private readonly params = new Map<string, unknown>();
  private readonly conditions: Record<string, unknown>;
  private readonly active = new Set<string>();

  constructor(template: Record<string, unknown>, overrides: ReadonlyMap<string, string> = new Map()) {
    const parameters = isRecord(template['Parameters']) ? template['Parameters'] : {};
    for (const [name, def] of Object.entries(parameters)) {
      if (isRecord(def) && def['Default'] !== undefined) this.params.set(name, def['Default']);
    }
    for (const [name, value] of overrides) this.params.set(name, value);
    this.conditions = isRecord(template['Conditions']) ? template['Conditions'] : {};
  }

  /** The value with every resolvable intrinsic replaced; unresolvable ones are kept as written. */
  resolve(value: unknown): unknown {
    const out = this.evaluate(value);
    return out === UNKNOWN ? value : out;
  }

  private evaluate(value: unknown): unknown {
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1) return value;
    const [key] = keys;
    const arg = value[key ?? ''];
    switch (key) {
      case 'Ref':
        return typeof arg === 'string' && this.params.has(arg) ? this.params.get(arg) : UNKNOWN;
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return UNKNOWN;
        const parts = arg[1].map((p: unknown) => this.evaluate(p));
        if (!parts.every((p): p is string | number => typeof p === 'string' || typeof p === 'number')) return UNKNOWN;
        return parts.join(arg[0]);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') return UNKNOWN;
        const cond = this.condition(arg[0]);
        const yes = this.evaluate(arg[1]);
        const no = this.evaluate(arg[2]);
        if (cond === true) return yes;
        if (cond === false) return no;
        // Both branches the same: the condition does not matter.
        return yes !== UNKNOWN && JSON.stringify(yes) === JSON.stringify(no) ? yes : UNKNOWN;
      }
      default:
        return value;
    }
  }

  private sub(arg: unknown): unknown {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof text !== 'string') return UNKNOWN;
    let unknown = false;
    const out = text.replace(/\$\{(!?)([^}]+)\}/g, (whole, bang: string, name: string) => {
      if (bang === '!') return `\${${name}}`;
      const local = isRecord(vars) ? vars[name] : undefined;
      const v = local !== undefined ? this.evaluate(local) : this.params.has(name) ? this.params.get(name) : UNKNOWN;
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      unknown = true;
      return whole;
    });
    return unknown ? UNKNOWN : out;
  }

  private condition(name: string): boolean | null {
    if (this.active.has(name)) return null;
    this.active.add(name);
    try {
      return this.truth(this.conditions[name]);
    } finally {
      this.active.delete(name);
    }
  }

  private truth(expr: unknown): boolean | null {
    if (!isRecord(expr)) return null;
    const [key] = Object.keys(expr);
    const arg = expr[key ?? ''];
    const list = Array.isArray(arg) ? arg : [];
    switch (key) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg) : null;
      case 'Fn::Equals': {
        const [a, b] = list.map((v: unknown) => this.evaluate(v));
        if (a === UNKNOWN || b === UNKNOWN || a === undefined || b === undefined) return null;
        return String(a) === String(b);
      }
      case 'Fn::Not': {
        const t = this.truth(list[0]);
        return t === null ? null : !t;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const ts = list.map((v: unknown) => this.truth(v));
        if (key === 'Fn::And') return ts.includes(false) ? false : ts.includes(null) ? null : true;
        return ts.includes(true) ? true : ts.includes(null) ? null : false;
      }
      default:
        return null;
    }
  }
}

const UNKNOWN: unique symbol = Symbol('unknown');
