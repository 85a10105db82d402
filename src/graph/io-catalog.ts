import { catalogJson } from '../assets.js';

/**
 * Which packages do I/O, and what a client constructor looks like. Used by the single-pass fact
 * extractor to classify calls without a type checker: a call is I/O when its receiver is bound
 * (through imports, simple assignments, class fields and SDK callback parameters) to one of these
 * packages. The facts themselves (which package, which methods only build, which create a client,
 * which pass a transaction to a callback) are data: rules/catalog/io-packages.json, with a source
 * and a date per entry.
 */

export type IoKind = 'aws-sdk-v3' | 'aws-sdk-v2' | 'http' | 'database' | 'fs' | 'child_process' | 'sdk';

const KINDS: readonly IoKind[] = ['aws-sdk-v3', 'aws-sdk-v2', 'http', 'database', 'fs', 'child_process', 'sdk'];

export interface IoPackageEntry {
  name: string;
  kind: IoKind;
  /** `name` is a prefix of package names (`@aws-sdk/client-`). */
  prefix: boolean;
  /** Over the callee as written, `new ` prefixed for constructors: the call creates a client. */
  factory: RegExp | null;
  /** Methods that build a query or a reference, or configure, on top of the generic ones. */
  builders: ReadonlySet<string>;
  /** When set, only these methods are I/O (query builders that run on `execute()`). */
  terminal: ReadonlySet<string> | null;
  /** Methods whose callback receives a client or transaction (`driver.executeLambda(async (txn) => ...)`). */
  callbackClients: ReadonlySet<string>;
  source: string;
  date: string;
}

interface IoCatalog {
  exact: Map<string, IoPackageEntry>;
  prefixes: IoPackageEntry[];
  nonIo: ReadonlySet<string>;
  /** Every method name some package passes a client to the callback of. */
  callbackMethods: ReadonlySet<string>;
  /** Lookups by specifier, hit tens of thousands of times per scan. */
  memo: Map<string, IoPackageEntry | null>;
}

let loaded: IoCatalog | undefined;

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? Reflect.get(obj, key) : undefined;
}

function strings(obj: unknown, key: string, where: string): string[] {
  const v = field(obj, key);
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new Error(`rules/catalog/io-packages.json: ${where}: '${key}' must be a list of strings`);
  return v.filter((x): x is string => typeof x === 'string');
}

function text(obj: unknown, key: string, where: string): string {
  const v = field(obj, key);
  if (typeof v !== 'string' || v === '') throw new Error(`rules/catalog/io-packages.json: ${where}: '${key}' must be a non-empty string`);
  return v;
}

function kindOf(v: string, where: string): IoKind {
  const k = KINDS.find((x) => x === v);
  if (k === undefined) throw new Error(`rules/catalog/io-packages.json: ${where}: unknown kind '${v}'`);
  return k;
}

/** Validates the shipped catalog by shape; a malformed entry is an error in the package, not in the user's input. */
export function parseIoCatalog(raw: unknown): { entries: IoPackageEntry[]; nonIo: string[] } {
  const list = field(raw, 'packages');
  if (!Array.isArray(list)) throw new Error("rules/catalog/io-packages.json: 'packages' must be an array");
  const entries = list.map((e: unknown, i): IoPackageEntry => {
    const where = `packages[${i}]`;
    const factory = field(e, 'factory');
    const terminal = strings(e, 'terminal', where);
    return {
      name: text(e, 'name', where),
      kind: kindOf(text(e, 'kind', where), where),
      prefix: field(e, 'prefix') === true,
      factory: typeof factory === 'string' ? new RegExp(factory) : null,
      builders: new Set(strings(e, 'builders', where)),
      terminal: terminal.length > 0 ? new Set(terminal) : null,
      callbackClients: new Set(strings(e, 'callbackClients', where)),
      source: text(e, 'source', where),
      date: text(e, 'date', where),
    };
  });
  return { entries, nonIo: strings(field(raw, 'nonIoMethods'), 'methods', 'nonIoMethods') };
}

function catalog(): IoCatalog {
  if (loaded) return loaded;
  const raw: unknown = catalogJson('io-packages.json');
  const { entries, nonIo } = parseIoCatalog(raw);
  const exact = new Map<string, IoPackageEntry>();
  const prefixes: IoPackageEntry[] = [];
  for (const e of entries) {
    if (e.prefix) prefixes.push(e);
    else exact.set(e.name, e);
  }
  // Longest prefix first (`aws-sdk/` before a shorter one).
  prefixes.sort((a, b) => b.name.length - a.name.length);
  loaded = { exact, prefixes, nonIo: new Set(nonIo), callbackMethods: new Set(entries.flatMap((e) => [...e.callbackClients])), memo: new Map() };
  return loaded;
}

/** Strips the `node:` scheme so `node:fs` and `fs` are one thing. */
export function normalizeBuiltin(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** The catalog entry for a specifier (`@aws-sdk/client-s3`, `node:fs`, `stripe`), or null when it does no I/O. */
export function ioPackageOf(specifier: string): IoPackageEntry | null {
  const c = catalog();
  const hit = c.memo.get(specifier);
  if (hit !== undefined) return hit;
  const s = normalizeBuiltin(specifier);
  let entry = c.exact.get(s) ?? c.prefixes.find((p) => s.startsWith(p.name)) ?? null;
  if (entry === null && !s.startsWith('.') && !s.startsWith('/')) {
    // A subpath of a listed package (`@google-cloud/firestore/build/src`), unless the subpath has its own entry.
    const parts = s.split('/');
    const name = s.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? s);
    if (name !== s) entry = c.exact.get(name) ?? null;
  }
  c.memo.set(specifier, entry);
  return entry;
}

export function ioKindOfModule(specifier: string): IoKind | null {
  return ioPackageOf(specifier)?.kind ?? null;
}

/**
 * Whether calling `method` on a receiver bound to `specifier` performs I/O: not a builder,
 * configuration or promise-chaining method (generic or the package's own), and one of the
 * package's terminal methods when it lists them.
 */
export function isIoMethod(method: string, specifier?: string | null): boolean {
  return isIoMethodOf(specifier !== undefined && specifier !== null ? ioPackageOf(specifier) : null, method);
}

/** isIoMethod for an entry already looked up (the fact pass's hot path). */
export function isIoMethodOf(entry: IoPackageEntry | null, method: string): boolean {
  if (catalog().nonIo.has(method)) return false;
  if (!entry) return true;
  if (entry.terminal) return entry.terminal.has(method);
  return !entry.builders.has(method);
}

/** Whether any package passes a client to the callback of a method of this name (a cheap first test). */
export function isCallbackClientMethod(method: string): boolean {
  return catalog().callbackMethods.has(method);
}

/** Whether `method` of a client bound to `specifier` passes a client or transaction to its callback. */
export function passesClientToCallback(specifier: string, method: string): boolean {
  return ioPackageOf(specifier)?.callbackClients.has(method) ?? false;
}

/**
 * Constructors and factories that create a network/database client. Creating one per request
 * repeats the TLS handshake, credential resolution and connection setup on every invocation.
 */
export function isClientFactory(packageName: string, calleeName: string, isNew: boolean): boolean {
  const factory = ioPackageOf(packageName)?.factory ?? null;
  return factory !== null && factory.test(isNew ? `new ${calleeName}` : calleeName);
}
