import type { ExportFact, FactSource, FileFacts, FunctionFact } from './facts.js';
import type { ModuleResolver } from './resolve.js';

/** `file#fnId`: a function that runs per request. */
export type FnKey = `${string}#${number}`;

export function fnKey(file: string, id: number): FnKey {
  return `${file}#${id}`;
}

/**
 * The functions that run per request for one handler export, found without a type checker: start at
 * the export (a function, or the identifiers a wrapper call receives: `middy(base)`, `serverless(app)`),
 * follow identifier references to local functions and to functions imported from the service's own
 * files, and include functions nested in reachable ones (callbacks). A reference to a non-function
 * value (an express `app`) pulls in the callbacks its file registers at init (`app.get('/x', fn)`).
 * A namespace or whole-module import (`import * as db`, `const db = require('./db')`) pulls in all of
 * that module's exported functions: over-approximate rather than miss per-request I/O.
 */
export function reachableFunctions(
  handlerFile: string,
  exportName: string,
  facts: FactSource,
  resolver: ModuleResolver,
): Set<FnKey> {
  const reached = new Set<FnKey>();
  const seenExports = new Set<string>();
  const work: { file: string; fn: FunctionFact }[] = [];
  const childrenCache = new Map<string, Map<number, FunctionFact[]>>();

  const children = (file: string, f: FileFacts): Map<number, FunctionFact[]> => {
    let m = childrenCache.get(file);
    if (!m) {
      m = new Map();
      for (const fn of f.functions) {
        if (fn.parent === null) continue;
        const list = m.get(fn.parent) ?? [];
        list.push(fn);
        m.set(fn.parent, list);
      }
      childrenCache.set(file, m);
    }
    return m;
  };

  const addFn = (file: string, fn: FunctionFact): void => {
    const key = fnKey(file, fn.id);
    if (reached.has(key)) return;
    reached.add(key);
    work.push({ file, fn });
  };

  const addRegistered = (file: string, f: FileFacts): void => {
    for (const fn of f.functions) if (fn.registeredAtInit) addFn(file, fn);
  };

  const followExport = (file: string, name: string): void => {
    const key = `${file}\0${name}`;
    if (seenExports.has(key)) return;
    seenExports.add(key);
    const f = facts.get(file);
    if (!f) return;
    const matches: ExportFact[] = f.exports.filter((e) => e.name === name || (name === 'default' && e.name === '='));
    for (const e of matches) {
      if (e.fn !== null) {
        const fn = f.functions.find((x) => x.id === e.fn);
        if (fn) addFn(file, fn);
      }
      for (const ref of e.refs) followRef(file, f, ref);
    }
    if (matches.length === 0) {
      // `export * from './x'` chains: look through re-exports.
      for (const imp of f.imports) {
        if (imp.kind !== 're-export') continue;
        const r = resolver.resolve(file, imp.specifier);
        if (r.kind === 'file') followExport(r.file, name);
      }
    }
  };

  const followRef = (file: string, f: FileFacts, ref: string): void => {
    let found = false;
    for (const fn of f.functions) {
      if (fn.name === ref) {
        addFn(file, fn);
        found = true;
      }
    }
    if (found) return;
    const binding = f.bindings[ref];
    if (binding) {
      const r = resolver.resolve(file, binding.specifier);
      if (r.kind !== 'file') {
        // A package value (`serverless(app)` with `const app = express()`): the per-request code is
        // the callbacks this file registers at init (routes, middleware).
        addRegistered(file, f);
        return;
      }
      const target = facts.get(r.file);
      if (!target) return;
      if (binding.imported === '*') {
        for (const e of target.exports) followExport(r.file, e.name);
        addRegistered(r.file, target);
      } else {
        followExport(r.file, binding.imported);
      }
      return;
    }
    // A local value (an express app, a router): its routes are callbacks registered at init.
    addRegistered(file, f);
  };

  const entry = facts.get(handlerFile);
  if (!entry) return reached;
  followExport(handlerFile, exportName);

  while (work.length > 0) {
    const { file, fn } = work.pop() as { file: string; fn: FunctionFact };
    const f = facts.get(file);
    if (!f) continue;
    for (const child of children(file, f).get(fn.id) ?? []) addFn(file, child);
    for (const ref of fn.refs) {
      if (ref === fn.name) continue;
      const local = f.functions.some((x) => x.name === ref) || ref in f.bindings;
      if (local) followRef(file, f, ref);
    }
  }
  return reached;
}

/**
 * Functions that perform I/O, directly or through functions they reference in the same file or in
 * imported service files. Fixpoint over references; used to see that `await save(item)` in a loop
 * is I/O when `save` calls `ddb.send`.
 */
export function ioFunctions(facts: ReadonlyMap<string, FileFacts>, resolver: ModuleResolver): Set<FnKey> {
  const io = new Set<FnKey>();
  for (const [file, f] of facts) {
    for (const c of f.calls) if (c.io !== null && c.fn !== null) io.add(fnKey(file, c.fn));
  }
  const exportTargets = (file: string, name: string): FnKey[] => {
    const f = facts.get(file);
    if (!f) return [];
    const out: FnKey[] = [];
    for (const e of f.exports) {
      if (e.name !== name) continue;
      if (e.fn !== null) out.push(fnKey(file, e.fn));
      for (const ref of e.refs) for (const fn of f.functions) if (fn.name === ref) out.push(fnKey(file, fn.id));
    }
    return out;
  };
  let changed = true;
  for (let round = 0; changed && round < 20; round++) {
    changed = false;
    for (const [file, f] of facts) {
      for (const fn of f.functions) {
        const key = fnKey(file, fn.id);
        if (io.has(key)) continue;
        const doesIo = fn.refs.some((ref) => {
          if (ref === fn.name) return false;
          if (f.functions.some((x) => x.name === ref && io.has(fnKey(file, x.id)))) return true;
          const b = f.bindings[ref];
          if (!b || b.imported === '*') return false;
          const r = resolver.resolve(file, b.specifier);
          return r.kind === 'file' && exportTargets(r.file, b.imported).some((k) => io.has(k));
        });
        // A nested callback that does I/O makes its parent do I/O (e.g. items.map(async i => send(i))).
        const childIo = f.functions.some((x) => x.parent === fn.id && io.has(fnKey(file, x.id)));
        if (doesIo || childIo) {
          io.add(key);
          changed = true;
        }
      }
    }
  }
  return io;
}
