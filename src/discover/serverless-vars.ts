import { isRecord } from './cfn-yaml.js';

/**
 * Resolves the Serverless Framework variables a static read can know: `self:` paths, `sls:stage`,
 * `opt:stage`/`opt:region` (no CLI options exist here, so their fallback or the framework default is
 * used) and quoted literals. Anything else (`env:`, `file(...)`, `ssm:`, `cf:`) stays as written so the
 * caller can warn that it is unresolved.
 */
export class ServerlessVariables {
  private readonly config: Record<string, unknown>;
  private stageCache: string | undefined;

  constructor(config: Record<string, unknown>) {
    this.config = config;
  }

  get stage(): string {
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
      if (referenced !== undefined && typeof referenced !== 'object') return referenced;
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
      // A CLI option is never given in a static read: a fallback after it wins, else the default does.
      if (part.startsWith('opt:') && index < parts.length - 1) continue;
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
      const path = expr.slice('self:'.length).split('.').filter((p) => p !== '');
      const found = this.lookup(path);
      return found === undefined ? undefined : this.resolve(found, depth + 1);
    }
    return undefined;
  }

  private lookup(path: readonly string[]): unknown {
    let node: unknown = this.config;
    for (const key of path) {
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
