import type { FactSource, FileFacts } from './facts.js';
import { ioKindOfModule, isIoMethod, type IoKind } from './io-catalog.js';
import type { ModuleResolver } from './resolve.js';

/**
 * A client created in one of the service's own modules and imported elsewhere (`export const pool =
 * new Pool()` in lib/pool.js, `const { pool } = require('./lib/pool')`): the single-file pass sees
 * `pool.query(...)` on a binding to './lib/pool', not to 'pg'. This follows such bindings one module
 * deep (re-exports of re-exports are rare for clients) and marks the calls as I/O, so the rules and
 * the tangle analysis see them. Runs once per file, after the graphs are built.
 */
export function resolveCrossFileIo(files: Iterable<string>, facts: FactSource, resolver: ModuleResolver): number {
  let marked = 0;
  for (const file of files) {
    const f = facts.get(file);
    if (!f) continue;
    for (const c of f.calls) {
      if (c.io !== null || c.isNew || c.module === null || c.root === null || !c.callee.includes('.')) continue;
      if (!c.module.startsWith('.') && !c.module.startsWith('/') && resolver.resolve(file, c.module).kind !== 'file') continue;
      const kind = importedClientKind(file, f, c.root, facts, resolver);
      if (kind === null) continue;
      const method = c.name;
      // Only a method called directly on the client (`pool.query`), not on what it returns.
      if (c.callee !== `${c.root}.${method}`) continue;
      if (!isIoMethod(method)) continue;
      if (kind === 'aws-sdk-v3' && method !== 'send' && !/^[a-z]/.test(method)) continue;
      if (kind === 'aws-sdk-v2') continue; // v2 needs `.promise()` or a callback: handled in the file pass
      c.io = kind;
      marked++;
    }
  }
  return marked;
}

function importedClientKind(file: string, f: FileFacts, local: string, facts: FactSource, resolver: ModuleResolver): IoKind | null {
  const b = f.bindings[local];
  if (!b || b.imported === '*' || b.imported === 'default') return null;
  const r = resolver.resolve(file, b.specifier);
  if (r.kind !== 'file') return null;
  const target = facts.get(r.file);
  if (!target) return null;
  // The exported name is a local of the target file bound (directly or derived) to an I/O package.
  const exported = target.exports.find((e) => e.name === b.imported);
  const localName = exported && exported.refs.length === 1 ? (exported.refs[0] ?? b.imported) : b.imported;
  const tb = target.bindings[localName];
  if (!tb) return null;
  return ioKindOfModule(tb.specifier);
}
