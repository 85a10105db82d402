import { ClassIndex, type ClassRef } from './classes.js';
import type { ExportFact, FactSource, FileFacts, FunctionFact } from './facts.js';
import type { ModuleResolver } from './resolve.js';

/** `file#fnId`: a function that runs per request. */
export type FnKey = `${string}#${number}`;

/**
 * Each key built once per process and file: the rules and analyses ask `reachable.has(fnKey(...))` for every call of
 * every closure file of every handler, and a string made anew is flattened and hashed anew each time (and a handler's
 * reachable set would hold its own copies). Bounded: past MAX_KEYED_FILES files the table starts over.
 */
const keysByFile = new Map<string, FnKey[]>();
const MAX_KEYED_FILES = 200_000;

export function fnKey(file: string, id: number): FnKey {
  if (!Number.isInteger(id) || id < 0 || id > 1_000_000) return `${file}#${id}`;
  let keys = keysByFile.get(file);
  if (keys === undefined) {
    if (keysByFile.size >= MAX_KEYED_FILES) keysByFile.clear();
    keys = [];
    keysByFile.set(file, keys);
  }
  return (keys[id] ??= `${file}#${id}`);
}

/**
 * The functions that run per request for one handler export, found without a type checker: start at
 * the export (a function, or the identifiers a wrapper call receives: `middy(base)`, `serverless(app)`),
 * follow identifier references to local functions and to functions imported from the service's own
 * files, and include functions nested in reachable ones (callbacks). A reference to a non-function
 * value (an express `app`) pulls in the callbacks its file registers at init (`app.get('/x', fn)`).
 * A namespace or whole-module import (`import * as db`, `const db = require('./db')`) pulls in all of
 * that module's exported functions: over-approximate rather than miss per-request I/O.
 *
 * Classes: a class is live once reached code names it (`new ImageHandler()`, an imported instance
 * `repo`, a base class). A live class's constructor and accessors are reached, and its methods whose
 * name reached code calls as a method (`.process()`, `this.map()`): member names are matched, not
 * receivers, so two classes with a `find` both count when either is live.
 */
export function reachableFunctions(
  handlerFile: string,
  exportName: string,
  facts: FactSource,
  resolver: ModuleResolver,
  classIndex: ClassIndex = new ClassIndex(facts, resolver),
): Set<FnKey> {
  const walk = new Reach(facts, resolver, classIndex);
  if (!facts.get(handlerFile)) return walk.reached;
  walk.followExport(handlerFile, exportName);
  walk.drain();
  return walk.reached;
}

/** One handler export's reachability walk: the functions reached, and the worklist of those still to follow. */
class Reach {
  readonly reached = new Set<FnKey>();
  private readonly seenExports = new Set<string>();
  private readonly work: { file: string; fn: FunctionFact }[] = [];
  private readonly childrenCache = new Map<string, Map<number, FunctionFact[]>>();
  // Member names called by reached code, and the methods of live classes still waiting for their name.
  private readonly calledMembers = new Set<string>();
  private readonly waiting = new Map<string, { file: string; fn: FunctionFact }[]>();
  private readonly liveClasses = new Set<ClassRef['cls']>();
  private readonly registeredFiles = new Set<string>();

  constructor(
    private readonly facts: FactSource,
    private readonly resolver: ModuleResolver,
    private readonly classIndex: ClassIndex,
  ) {}

  private children(file: string, f: FileFacts): Map<number, FunctionFact[]> {
    let m = this.childrenCache.get(file);
    if (!m) {
      m = new Map();
      for (const fn of f.functions) {
        if (fn.parent === null) continue;
        const list = m.get(fn.parent) ?? [];
        list.push(fn);
        m.set(fn.parent, list);
      }
      this.childrenCache.set(file, m);
    }
    return m;
  }

  private addFn(file: string, fn: FunctionFact): void {
    const key = fnKey(file, fn.id);
    if (this.reached.has(key)) return;
    this.reached.add(key);
    this.work.push({ file, fn });
  }

  private markLive(ref: ClassRef): void {
    if (this.liveClasses.has(ref.cls)) return;
    this.liveClasses.add(ref.cls);
    const f = this.facts.get(ref.file);
    if (!f) return;
    if (ref.cls.extends !== null) for (const base of this.classIndex.denoted(ref.file, ref.cls.extends)) this.markLive(base);
    for (const id of ref.cls.init) {
      const fn = f.functions[id];
      if (fn) this.addFn(ref.file, fn);
    }
    for (const id of ref.cls.methods) {
      const fn = f.functions[id];
      if (!fn || fn.name === null) continue;
      if (this.calledMembers.has(fn.name)) this.addFn(ref.file, fn);
      else {
        const list = this.waiting.get(fn.name);
        if (list) list.push({ file: ref.file, fn });
        else this.waiting.set(fn.name, [{ file: ref.file, fn }]);
      }
    }
  }

  private callMember(name: string): void {
    if (this.calledMembers.has(name)) return;
    this.calledMembers.add(name);
    const list = this.waiting.get(name);
    if (!list) return;
    this.waiting.delete(name);
    for (const m of list) this.addFn(m.file, m.fn);
  }

  private addRegistered(file: string, f: FileFacts): void {
    if (this.registeredFiles.has(file)) return;
    this.registeredFiles.add(file);
    for (const fn of f.functions) if (fn.registeredAtInit) this.addFn(file, fn);
    // An app mounts routers from other service files (`app.use('/v1', router)` with `router` imported):
    // their routes run per request too. Followed for imported service modules that register routes.
    for (const target of routerModules(file, f, this.facts, this.resolver)) {
      const tf = this.facts.get(target);
      if (tf) this.addRegistered(target, tf);
    }
  }

  followExport(file: string, name: string): void {
    const key = `${file}\0${name}`;
    if (this.seenExports.has(key)) return;
    this.seenExports.add(key);
    const f = this.facts.get(file);
    if (!f) return;
    const matches: ExportFact[] = f.exports.filter((e) => e.name === name || (name === 'default' && e.name === '='));
    for (const e of matches) {
      if (e.fn !== null) {
        const fn = f.functions.find((x) => x.id === e.fn);
        if (fn) this.addFn(file, fn);
      }
      // `export const handler = new Handler().handle`: the method named in the export runs.
      for (const m of e.members ?? []) this.callMember(m);
      for (const ref of e.refs) this.followRef(file, f, ref);
    }
    if (matches.length === 0) {
      // `export * from './x'` chains: look through re-exports.
      for (const imp of f.imports) {
        if (imp.kind !== 're-export') continue;
        const r = this.resolver.resolve(file, imp.specifier);
        if (r.kind === 'file') this.followExport(r.file, name);
      }
    }
  }

  private followRef(file: string, f: FileFacts, ref: string): void {
    const classes = this.classIndex.denoted(file, ref);
    for (const c of classes) this.markLive(c);
    // `useCase` built as `new GetOrder(new OrdersRepo(...))`: the injected repository's methods run through its fields.
    for (const name of f.injected?.[ref] ?? []) for (const c of this.classIndex.denoted(file, name)) this.markLive(c);
    if (classes.length > 0) return;
    let found = false;
    for (const fn of f.functions) {
      if (fn.name === ref && fn.member !== true) {
        this.addFn(file, fn);
        found = true;
      }
    }
    if (found) return;
    const binding = f.bindings[ref];
    if (binding) {
      const r = this.resolver.resolve(file, binding.specifier);
      if (r.kind !== 'file') {
        // A package value (`serverless(app)` with `const app = express()`): the per-request code is
        // the callbacks this file registers at init (routes, middleware).
        this.addRegistered(file, f);
        return;
      }
      // A value computed from a service module's export (`const order = await getOrder(id)`) is
      // data, not the module: the call that made it was followed through its own reference.
      if (binding.derived) return;
      const target = this.facts.get(r.file);
      if (!target) return;
      if (binding.imported === '*') {
        for (const e of target.exports) this.followExport(r.file, e.name);
        this.addRegistered(r.file, target);
      } else {
        this.followExport(r.file, binding.imported);
      }
      return;
    }
    // A local value (an express app, a router): its routes are callbacks registered at init.
    this.addRegistered(file, f);
  }

  /** Follows reached functions until none is left: their nested functions, the members they call, what they reference. */
  drain(): void {
    while (this.work.length > 0) {
      const { file, fn } = this.work.pop() as { file: string; fn: FunctionFact };
      const f = this.facts.get(file);
      if (!f) continue;
      for (const child of this.children(file, f).get(fn.id) ?? []) this.addFn(file, child);
      for (const m of fn.members ?? []) this.callMember(m);
      // A method's `this.x()` runs its own class's (and base classes') methods.
      if (fn.member === true)
        for (const c of this.classIndex.denoted(file, 'this')) if (c.cls.methods.includes(fn.id) || c.cls.init.includes(fn.id)) this.markLive(c);
      for (const ref of fn.refs) {
        if (ref === fn.name) continue;
        const local =
          f.functions.some((x) => x.name === ref && x.member !== true) ||
          ref in f.bindings ||
          ref in f.instances ||
          f.classes.some((c) => c.name === ref);
        if (local) this.followRef(file, f, ref);
      }
    }
  }
}

/** Per scan (facts objects die with it): the service modules a file imports that register routes. */
const routerCache = new WeakMap<FileFacts, string[]>();

function routerModules(file: string, f: FileFacts, facts: FactSource, resolver: ModuleResolver): string[] {
  let out = routerCache.get(f);
  if (out) return out;
  out = [];
  const seen = new Set<string>();
  for (const b of Object.values(f.bindings)) {
    if (b.derived || seen.has(b.specifier)) continue;
    seen.add(b.specifier);
    const r = resolver.resolve(file, b.specifier);
    if (r.kind !== 'file') continue;
    if (facts.get(r.file)?.functions.some((fn) => fn.registeredAtInit && fn.route !== null)) out.push(r.file);
  }
  routerCache.set(f, out);
  return out;
}

/**
 * Functions that perform I/O, directly or through functions they reference in the same file or in
 * imported service files. Fixpoint over references; used to see that `await save(item)` in a loop
 * is I/O when `save` calls `ddb.send`.
 */
export interface IoIndex {
  /** Functions that perform I/O, directly or through what they reference. */
  functions: Set<FnKey>;
  /**
   * Whether calling `name` from `file` runs I/O: a local function, or one imported from a service file, that
   * does; with `method`, whether `name.method()` does (a method of the class or instance `name` denotes).
   */
  callsIo(file: string, name: string, method?: string): boolean;
}

export function ioFunctions(
  facts: ReadonlyMap<string, FileFacts>,
  resolver: ModuleResolver,
  classIndex: ClassIndex = new ClassIndex(facts, resolver),
): IoIndex {
  // One key string per function, built (and hashed by the maps) once rather than at every reference.
  const keyArrays = new Map<string, FnKey[]>();
  const keysOf = (file: string): ((id: number) => FnKey) => {
    let keys = keyArrays.get(file);
    if (!keys) {
      keys = [];
      keyArrays.set(file, keys);
    }
    const list = keys;
    return (id) => (list[id] ??= fnKey(file, id));
  };
  const io = new Set<FnKey>();
  for (const [file, f] of facts) {
    const keyOf = keysOf(file);
    for (const c of f.calls) if (c.io !== null && c.fn !== null) io.add(keyOf(c.fn));
  }
  const byName = new Map<string, Map<string, number[]>>();
  const idsNamed = (file: string, f: FileFacts, name: string): number[] => {
    let m = byName.get(file);
    if (!m) {
      m = new Map();
      for (const fn of f.functions) {
        if (fn.name === null || fn.member === true) continue;
        const list = m.get(fn.name) ?? [];
        list.push(fn.id);
        m.set(fn.name, list);
      }
      byName.set(file, m);
    }
    return m.get(name) ?? [];
  };
  // A module's export is referenced from many files: its targets are worked out once (parsed files only,
  // as `facts` is the scan's live map).
  const targetsMemo = new Map<string, Map<string, FnKey[]>>();
  const exportTargets = (file: string, name: string): readonly FnKey[] => {
    const f = facts.get(file);
    if (!f) return [];
    let byExport = targetsMemo.get(file);
    if (!byExport) {
      byExport = new Map();
      targetsMemo.set(file, byExport);
    }
    const hit = byExport.get(name);
    if (hit) return hit;
    const keyOf = keysOf(file);
    const out: FnKey[] = [];
    for (const e of f.exports) {
      if (e.name !== name) continue;
      if (e.fn !== null) out.push(keyOf(e.fn));
      for (const ref of e.refs) for (const id of idsNamed(file, f, ref)) out.push(keyOf(id));
    }
    byExport.set(name, out);
    return out;
  };
  // "Does I/O" flows backwards along references: from a function to the functions that reference
  // it (locally or through an import of the service's own files) and from a callback to the
  // function it is nested in (items.map(async i => send(i))). One pass builds the reverse edges,
  // then a worklist spreads the flag: linear in the references, however deep the call chains.
  const dependents = new Map<FnKey, FnKey[]>();
  const addEdge = (target: FnKey, dependent: FnKey): void => {
    const list = dependents.get(target);
    if (list) list.push(dependent);
    else dependents.set(target, [dependent]);
  };
  for (const [file, f] of facts) {
    const keyOf = keysOf(file);
    for (const fn of f.functions) {
      const key = keyOf(fn.id);
      if (fn.parent !== null) addEdge(key, keyOf(fn.parent));
      for (const ref of fn.refs) {
        if (ref === fn.name) continue;
        for (const id of idsNamed(file, f, ref)) addEdge(keyOf(id), key);
        const b = f.bindings[ref];
        if (!b || b.imported === '*') continue;
        const r = resolver.resolve(file, b.specifier);
        if (r.kind === 'file') for (const target of exportTargets(r.file, b.imported)) addEdge(target, key);
      }
      if (fn.members !== undefined && classIndex.anyMethodNamed(facts.values(), fn.members)) addMethodEdges(file, f, fn, key);
    }
  }
  const work = [...io];
  function addMethodEdges(file: string, f: FileFacts, fn: FunctionFact, key: FnKey): void {
    // `repo.find()`, `this.map()`: the methods of that name of the classes the function names (and its own).
    const members = new Set(fn.members);
    const names = fn.member === true ? ['this', ...fn.refs] : fn.refs;
    for (const name of names) {
      if (name !== 'this' && !(name in f.bindings) && !(name in f.instances) && !f.classes.some((c) => c.name === name)) continue;
      for (const ref of classIndex.denoted(file, name)) {
        const tf = facts.get(ref.file);
        if (!tf) continue;
        const keyOf = keysOf(ref.file);
        for (const id of ref.cls.methods) {
          const m = tf.functions[id];
          if (m && m.name !== null && members.has(m.name)) addEdge(keyOf(id), key);
        }
      }
    }
  }
  while (work.length > 0) {
    const key = work.pop() as FnKey;
    for (const dependent of dependents.get(key) ?? []) {
      if (io.has(dependent)) continue;
      io.add(dependent);
      work.push(dependent);
    }
  }
  const callsIo = (file: string, name: string, method?: string): boolean => {
    const f = facts.get(file);
    if (!f) return false;
    if (method !== undefined) return classIndex.methods(file, name, method).some((m) => io.has(keysOf(m.file)(m.fn.id)));
    const keyOf = keysOf(file);
    if (idsNamed(file, f, name).some((id) => io.has(keyOf(id)))) return true;
    const b = f.bindings[name];
    if (!b || b.imported === '*') return false;
    const r = resolver.resolve(file, b.specifier);
    return r.kind === 'file' && exportTargets(r.file, b.imported).some((k) => io.has(k));
  };
  return { functions: io, callsIo };
}
