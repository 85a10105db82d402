import { catalogJson } from './assets.js';

/** One managed Node.js runtime and its deprecation schedule (rules/catalog/node-runtimes.json). */
export interface NodeRuntimeEntry {
  runtime: string;
  /** ISO date Lambda stops patching and supporting the runtime. */
  deprecated: string;
  blockCreate: string | null;
  blockUpdate: string | null;
  successor: string | null;
  source: string;
  date: string;
}

let cached: ReadonlyMap<string, NodeRuntimeEntry> | undefined;

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function entryOf(value: unknown, index: number): NodeRuntimeEntry {
  if (typeof value !== 'object' || value === null) throw new Error(`node-runtimes.json: runtimes[${index}] is not an object`);
  const o = new Map(Object.entries(value));
  const text = (key: string): string => {
    const v = o.get(key);
    if (typeof v !== 'string' || v === '') throw new Error(`node-runtimes.json: runtimes[${index}].${key} must be a non-empty string`);
    return v;
  };
  const date = (key: string, nullable: boolean): string | null => {
    const v = o.get(key);
    if (v === null && nullable) return null;
    if (typeof v !== 'string' || !ISO.test(v))
      throw new Error(`node-runtimes.json: runtimes[${index}].${key} must be a YYYY-MM-DD date${nullable ? ' or null' : ''}`);
    return v;
  };
  const successor = o.get('successor');
  return {
    runtime: text('runtime'),
    deprecated: date('deprecated', false) ?? '',
    blockCreate: date('blockCreate', true),
    blockUpdate: date('blockUpdate', true),
    successor: typeof successor === 'string' ? successor : null,
    source: text('source'),
    date: date('date', false) ?? '',
  };
}

/** Reads the runtime schedule once; a malformed catalog is an error, not a silent empty table. */
export function loadNodeRuntimes(): ReadonlyMap<string, NodeRuntimeEntry> {
  if (cached !== undefined) return cached;
  const root = catalogJson('node-runtimes.json');
  const list = typeof root === 'object' && root !== null && 'runtimes' in root ? root.runtimes : undefined;
  if (!Array.isArray(list)) throw new Error('node-runtimes.json: runtimes must be an array');
  cached = new Map(list.map((v: unknown, i) => entryOf(v, i)).map((e) => [e.runtime, e]));
  return cached;
}

/** The newest `date` in the schedule: when it was last checked, the default date the rule compares with. */
export function nodeRuntimesCheckedOn(): string {
  let newest = '';
  for (const entry of loadNodeRuntimes().values()) if (entry.date > newest) newest = entry.date;
  return newest;
}
