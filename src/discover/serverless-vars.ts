import { isRecord } from './cfn-yaml.js';

/**
 * Resolves the Serverless Framework variables a static read can know: `self:` paths, `sls:stage`,
 * `opt:stage`/`opt:region` (no CLI options exist here, so their fallback or the framework default is
 * used) and quoted literals. Anything else (`env:`, `file(...)`, `ssm:`, `cf:`) stays as written so the
 * caller can warn that it is unresolved.
 */
export interface VariableSources {
  /** `--stage`: what `${opt:stage}` means in this run. */
  stage?: string;
  /**
   * Data of a file named by `${file(path)}`, path relative to the service folder; undefined when it is
   * missing or is code (`.js`/`.ts` files are never run).
   */
  file?: (path: string) => unknown;
}

export class ServerlessVariables {
  private readonly config: Record<string, unknown>;
  private readonly sources: VariableSources;
  private stageCache: string | undefined;
  /** `${...}` bodies that could not be resolved, for the caller's warnings. */
  readonly unresolved = new Set<string>();

  constructor(config: Record<string, unknown>, sources: VariableSources = {}) {
    this.config = config;
    this.sources = sources;
  }

  get stage(): string {
    if (this.sources.stage !== undefined) return this.sources.stage;
    if (this.stageCache === undefined) {
      // Placeholder first so a stage that refers to itself (`${sls:stage}` in provider.stage) ends.
      this.stageCache = 'dev';
      const declared = this.lookup(['provider', 'stage']);
      const resolved = declared === undefined ? 'dev' : this.resolve(declared, 0);
      this.stageCache = typeof resolved === 'string' && !hasVariable(resolved) ? resolved : 'dev';
    }
    return this.stageCache;
  }

  /** Resolves variables in a value; a string that is one whole variable keeps the referenced type. */
  resolve(value: unknown, depth = 0): unknown {
    if (typeof value !== 'string' || depth > 10) return value;
    const whole = /^\$\{([^{}]*)\}$/.exec(value);
    if (whole?.[1] !== undefined) {
      const referenced = this.reference(whole[1], depth);
      // A whole-value variable keeps the referenced type: a number, or a mapping from `${file(...)}`.
      if (referenced !== undefined && referenced !== null) return referenced;
    }
    return this.substitute(value, depth);
  }

  private substitute(text: string, depth: number): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
      const start = text.indexOf('${', i);
      if (start < 0) break;
      const end = matchingBrace(text, start + 2);
      if (end < 0) break;
      out += text.slice(i, start);
      const inner = this.substitute(text.slice(start + 2, end), depth + 1);
      const referenced = this.reference(inner, depth + 1);
      out += referenced === undefined || typeof referenced === 'object' ? `\${${inner}}` : String(referenced);
      i = end + 1;
    }
    return out + text.slice(i);
  }

  /** Value of one `${...}` body (`self:custom.x, 'fallback'`), or undefined when nothing in it resolves. */
  private reference(body: string, depth: number): unknown {
    const parts = splitTopLevel(body).map((p) => p.trim());
    for (const [index, part] of parts.entries()) {
      // A CLI option is not given in a static read (except --stage): a fallback after it wins, else the default does.
      if (part.startsWith('opt:') && index < parts.length - 1 && !(part === 'opt:stage' && this.sources.stage !== undefined)) continue;
      const value = this.single(part, depth);
      if (value !== undefined && !(typeof value === 'string' && hasVariable(value))) return value;
    }
    return undefined;
  }

  private single(expr: string, depth: number): unknown {
    const quoted = /^(['"])(.*)\1$/s.exec(expr);
    if (quoted !== null) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
    if (expr === 'sls:stage' || expr === 'opt:stage') return this.stage;
    // No CLI options in a static read: the deploy-time region is unknown, so use the framework default.
    if (expr === 'opt:region') return 'us-east-1';
    if (expr.startsWith('self:')) {
      const path = expr
        .slice('self:'.length)
        .split('.')
        .filter((p) => p !== '');
      const found = this.lookup(path);
      return found === undefined ? undefined : this.resolve(found, depth + 1);
    }
    const file = /^file\(\s*(['"]?)([^'")]+)\1\s*\)(?:\s*:\s*(.+))?$/.exec(expr);
    if (file !== null && this.sources.file !== undefined) {
      const data = this.sources.file(file[2] ?? '');
      const path = (file[3] ?? '').split('.').filter((p) => p !== '');
      const found = data === undefined ? undefined : this.lookup(path, data);
      if (found === undefined) this.unresolved.add(expr);
      return found === undefined ? undefined : this.resolveDeep(found, depth + 1);
    }
    this.unresolved.add(expr);
    return undefined;
  }

  /** Resolves variables inside every string of a value (a mapping read from `${file(...)}`). */
  resolveDeep(value: unknown, depth = 0): unknown {
    if (depth > 10) return value;
    if (typeof value === 'string') return this.resolve(value, depth);
    if (Array.isArray(value)) return value.map((v) => this.resolveDeep(v, depth + 1));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveDeep(v, depth + 1)]));
    return value;
  }

  private lookup(path: readonly string[], from: unknown = this.config): unknown {
    let node: unknown = from;
    for (const key of path) {
      // A section that is itself a variable (`custom: ${file(./custom.yml)}`) is resolved on the way down.
      if (typeof node === 'string' && hasVariable(node)) node = this.resolve(node);
      if (!isRecord(node)) return undefined;
      node = node[key];
    }
    return node;
  }
}

export function hasVariable(text: string): boolean {
  return /\$\{[^}]*\}/.test(text);
}

function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits `a, 'b, c', d` on commas outside quotes. */
function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (const ch of body) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}
