import type { ClassFact, FactSource, FileFacts, FunctionFact } from './facts.js';
import type { ModuleResolver } from './resolve.js';

/** A class as found in one file. */
export interface ClassRef {
  file: string;
  cls: ClassFact;
}

const MAX_DEPTH = 6;

/**
 * Which classes a name denotes from one file, without a type checker: a class declared there, a
 * module-scope instance of one (`const repo = new OrdersRepo()`), or an import that leads (through
 * exports, `export const repo = new OrdersRepo()`, and re-exports) to one in the service's own files;
 * with their base classes (`extends BaseRepo`), local or imported. `this` denotes every class of the
 * file (a method's `this.helper()`). Memoised per scan: the graph, reachability and I/O passes ask
 * for the same names from the same files many times.
 */
export class ClassIndex {
  /** By file, then name: no key string to build per lookup (the I/O pass asks for every reference of every function). */
  private readonly memo = new Map<string, Map<string, ClassRef[]>>();
  private methodNames: Set<string> | undefined;

  constructor(
    private readonly facts: FactSource,
    private readonly resolver: ModuleResolver,
  ) {}

  denoted(file: string, name: string): ClassRef[] {
    const f = this.facts.get(file);
    if (!f || (f.classes.length === 0 && !(name in f.bindings) && !(name in f.instances))) return [];
    return this.lookup(file, f, name, 0);
  }

  /** Methods named `method` of the classes `name` denotes from `file`, base classes included. */
  methods(file: string, name: string, method: string): { file: string; fn: FunctionFact }[] {
    const out: { file: string; fn: FunctionFact }[] = [];
    for (const ref of this.denoted(file, name)) {
      const f = this.facts.get(ref.file);
      if (!f) continue;
      for (const id of ref.cls.methods) {
        const fn = f.functions[id];
        if (fn && fn.id === id && fn.name === method) out.push({ file: ref.file, fn });
      }
    }
    return out;
  }

  /**
   * Every method name of every class in `files` (parsed facts only): a function calling none of them
   * cannot run a class method, which spares the lookups for most functions.
   */
  anyMethodNamed(files: Iterable<FileFacts>, names: readonly string[]): boolean {
    if (!this.methodNames) {
      this.methodNames = new Set();
      for (const f of files)
        for (const c of f.classes)
          for (const id of c.methods) {
            const n = f.functions[id]?.name;
            if (n) this.methodNames.add(n);
          }
    }
    const known = this.methodNames;
    return names.some((n) => known.has(n));
  }

  private lookup(file: string, f: FileFacts, name: string, depth: number): ClassRef[] {
    let byName = this.memo.get(file);
    if (!byName) {
      byName = new Map();
      this.memo.set(file, byName);
    }
    const hit = byName.get(name);
    if (hit) return hit;
    // Guards a cycle (`a.ts` re-exporting from `b.ts` and back) while this entry is computed.
    byName.set(name, []);
    const out: ClassRef[] = [];
    const seen = new Set<ClassFact>();
    const add = (refs: readonly ClassRef[]): void => {
      for (const r of refs) {
        if (seen.has(r.cls)) continue;
        seen.add(r.cls);
        out.push(r);
      }
    };
    if (depth <= MAX_DEPTH) {
      const local = name === 'this' ? f.classes : f.classes.filter((c) => c.name === name);
      for (const cls of local) {
        add([{ file, cls }]);
        if (cls.extends !== null && cls.extends !== name) add(this.lookup(file, f, cls.extends, depth + 1));
      }
      const made = f.instances[name];
      if (local.length === 0 && made !== undefined && made !== name) add(this.lookup(file, f, made, depth + 1));
      const b = f.bindings[name];
      if (local.length === 0 && made === undefined && b && !b.derived) add(this.imported(file, b.specifier, b.imported, depth + 1));
    }
    byName.set(name, out);
    return out;
  }

  private imported(file: string, specifier: string, imported: string, depth: number): ClassRef[] {
    const r = this.resolver.resolve(file, specifier);
    if (r.kind !== 'file') return [];
    const tf = this.facts.get(r.file);
    if (!tf) return [];
    const names = imported === '*' || imported === 'default' ? ['=', 'default'] : [imported];
    const out: ClassRef[] = [];
    let matched = false;
    for (const e of tf.exports) {
      if (!names.includes(e.name)) continue;
      matched = true;
      for (const ref of e.refs) out.push(...this.lookup(r.file, tf, ref, depth));
      const made = tf.instances[e.name];
      if (made !== undefined) out.push(...this.lookup(r.file, tf, made, depth));
    }
    if (!matched && imported !== '*') {
      for (const imp of tf.imports) if (imp.kind === 're-export') out.push(...this.imported(r.file, imp.specifier, imported, depth + 1));
    }
    return out;
  }
}
