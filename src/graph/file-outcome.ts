import { extractFacts, type FactsOutcome, type FileFacts } from './facts.js';
import { guardParse, minifiedReason } from '../util/input-guard.js';

/**
 * What extracting one source file's facts came to, as a pure function of its path and text: the facts, or why the
 * file is skipped. The same value whether it was computed on the main thread, in a parse worker or read back from the
 * fact cache, so a scan's result never depends on where a file was parsed.
 */
export type FileOutcome = { kind: 'facts'; facts: FileFacts } | { kind: 'skipped'; reason: 'minified' | 'too_deep' | 'parse_error'; detail: string };

/** The parser step itself; injectable so tests can count or fake the extraction. */
export type Extract = (file: string, text: string) => FactsOutcome;

/** Minified check, then the guarded parse and fact walk: everything after a file's text has been read. */
export function extractOutcome(file: string, text: string, extract: Extract = extractFacts): FileOutcome {
  const minified = minifiedReason(text);
  if (minified !== null) return { kind: 'skipped', reason: 'minified', detail: minified };
  // One pathological file (nested deeper than the parser's stack) is skipped, never the end of the run.
  const guarded = guardParse(() => extract(file, text));
  if (!guarded.ok) return { kind: 'skipped', reason: guarded.reason, detail: guarded.detail };
  const outcome = guarded.value;
  if (!outcome.ok) {
    return { kind: 'skipped', reason: 'parse_error', detail: `${outcome.error.line}:${outcome.error.column} ${outcome.error.message}` };
  }
  return { kind: 'facts', facts: outcome.facts };
}

/**
 * An outcome as it crosses a thread or goes to disk. Structured clone and `v8.serialize` keep every value but not
 * an object's prototype, and the facts' lookup tables (`bindings`, `instances`, ...) are `Object.create(null)` so
 * that a name such as `constructor` or `toString` finds nothing in them. `nullProto` lists where those objects are,
 * as key paths, so `revive` restores them and a cached or worker-made outcome behaves exactly as a fresh one.
 */
export interface PortableOutcome {
  outcome: FileOutcome;
  nullProto: (string | number)[][];
}

export function portable(outcome: FileOutcome): PortableOutcome {
  const nullProto: (string | number)[][] = [];
  if (outcome.kind === 'facts') nullPrototypePaths(outcome.facts, [], nullProto);
  return { outcome, nullProto };
}

/** Restores the null prototypes `portable` recorded; the outcome is changed in place and returned. */
export function revive(value: PortableOutcome): FileOutcome {
  const { outcome } = value;
  if (outcome.kind !== 'facts') return outcome;
  for (const keys of value.nullProto) {
    let at: unknown = outcome.facts;
    for (const key of keys) at = typeof at === 'object' && at !== null ? Reflect.get(at, key) : undefined;
    if (typeof at === 'object' && at !== null && !Array.isArray(at)) Object.setPrototypeOf(at, null);
  }
  return outcome;
}

function nullPrototypePaths(value: object, at: (string | number)[], out: (string | number)[][]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) {
        at.push(i);
        nullPrototypePaths(item, at, out);
        at.pop();
      }
    }
    return;
  }
  if (Object.getPrototypeOf(value) === null) out.push([...at]);
  for (const key of Object.keys(value)) {
    const item: unknown = Reflect.get(value, key);
    if (typeof item === 'object' && item !== null) {
      at.push(key);
      nullPrototypePaths(item, at, out);
      at.pop();
    }
  }
}

/** Whether a value read back from a worker or the cache has the shape of an outcome for `file` (never trusted blindly). */
export function isPortableOutcome(value: unknown, file: string): value is PortableOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome: unknown = Reflect.get(value, 'outcome');
  const paths: unknown = Reflect.get(value, 'nullProto');
  if (!Array.isArray(paths) || !paths.every((p) => Array.isArray(p) && p.every((k) => typeof k === 'string' || typeof k === 'number'))) return false;
  if (typeof outcome !== 'object' || outcome === null) return false;
  const kind: unknown = Reflect.get(outcome, 'kind');
  if (kind === 'skipped') {
    const reason: unknown = Reflect.get(outcome, 'reason');
    return (reason === 'minified' || reason === 'too_deep' || reason === 'parse_error') && typeof Reflect.get(outcome, 'detail') === 'string';
  }
  if (kind !== 'facts') return false;
  const facts: unknown = Reflect.get(outcome, 'facts');
  if (typeof facts !== 'object' || facts === null) return false;
  return (
    Reflect.get(facts, 'file') === file &&
    typeof Reflect.get(facts, 'lines') === 'number' &&
    ARRAY_FIELDS.every((k) => Array.isArray(Reflect.get(facts, k))) &&
    RECORD_FIELDS.every((k) => isRecord(Reflect.get(facts, k)))
  );
}

/** The fields every `FileFacts` has (checked on what comes back, so a foreign or truncated entry is refused). */
const ARRAY_FIELDS = [
  'imports',
  'dynamicRequires',
  'calls',
  'functions',
  'exports',
  'topLevelAwaits',
  'classes',
  'flow',
  'dynamicCode',
  'suppressions',
] as const satisfies readonly (keyof FileFacts)[];
const RECORD_FIELDS = ['bindings', 'instances'] as const satisfies readonly (keyof FileFacts)[];

function isRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
