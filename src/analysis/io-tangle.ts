import { ClassIndex } from '../graph/classes.js';
import type { CallFact, FactSource, FileFacts, FunctionFact } from '../graph/facts.js';
import { fnKey, type FnKey } from '../graph/reachability.js';
import type { ModuleResolver } from '../graph/resolve.js';
import type { Evidence, IoTangle, IoTangleInputs } from '../model/result.js';
import { compareStrings } from '../util/compare.js';

/**
 * How I/O interleaves with computation in the code that runs per request (functional core /
 * imperative shell). Works on the facts of the single pass: per function, the I/O calls, the calls of
 * service functions that do I/O, the branches, loops and computations, in source order.
 *
 * A function is read as a sequence of steps. Runs of I/O split by a computation or a branch are
 * "phases"; a clean function has at most two (read, then write) with a pure core between them. What
 * makes code hard to split is counted and weighted into points (WEIGHTS), and the score is
 * min(1, points / SCALE), so one sequential I/O loop with logic in it, or a handful of milder
 * patterns, is already "tangled".
 */

export const WEIGHTS = {
  extraPhase: 1,
  branchBetweenIo: 0.25,
  conditionalIo: 0.5,
  ioInLoop: 2,
  interleavedLoop: 1,
  fanOut: 0.5,
  recursion: 1.5,
  stream: 1,
  /** Per level beyond handler -> helper -> I/O. */
  deepIo: 0.5,
} as const;
export const SCALE = 6;

export interface TangleThresholds {
  /** Score from which the verdict is `mixed` (default 0.2). */
  mixedFrom: number;
  /** Score from which the verdict is `tangled` (default 0.5). */
  tangledFrom: number;
}

export const DEFAULT_THRESHOLDS: TangleThresholds = { mixedFrom: 0.2, tangledFrom: 0.5 };

/** Calls through which a callback or a function reference runs once per item. */
const PER_ITEM = new Set(['map', 'flatMap', 'forEach', 'filter', 'reduce', 'some', 'every', 'find', 'all', 'allSettled']);
/** Methods that stream bytes through I/O as they arrive. */
const STREAM_METHODS = new Set([
  'pipe',
  'pipeline',
  'createReadStream',
  'createWriteStream',
  'transformToString',
  'transformToByteArray',
  'transformToWebStream',
]);
const MAX_EVIDENCE = 60;
/** Collecting results (`pending.push(send(...))`) is plumbing, not computation between I/O. */
const COLLECTORS = new Set(['push', 'unshift', 'add', 'set', 'concat']);

export interface TangleInputs {
  reachable: ReadonlySet<FnKey>;
  facts: FactSource;
  resolver: ModuleResolver;
  /** Functions that do I/O, directly or through what they call (reachability's ioFunctions). */
  ioFns: ReadonlySet<FnKey>;
  thresholds?: TangleThresholds;
}

type StepKind = 'io' | 'branch' | 'loop' | 'compute';

interface Step {
  kind: StepKind;
  line: number;
  column: number;
  loop: number | null;
  inBranch: boolean;
  /** Loop steps: the loop id. */
  id?: number;
  what: string;
  form?: 'direct' | 'helper' | 'fan-out' | 'stream' | 'callback';
  awaited?: boolean;
}

type Counts = Omit<IoTangleInputs, 'points'>;

/** What one function contributes to a handler's tangle; independent of the handler, so cached per scan. */
interface FunctionTangle {
  counts: Counts;
  evidence: Evidence[];
}

const zero = (): Counts => ({
  ioCalls: 0,
  ioFunctions: 0,
  maxPhases: 0,
  extraPhases: 0,
  branchesBetweenIo: 0,
  conditionalIo: 0,
  ioInLoops: 0,
  interleavedLoops: 0,
  fanOut: 0,
  recursion: 0,
  streams: 0,
  maxIoDepth: 0,
  routesWithIo: 0,
});

/** Per-file groupings the analysis needs, built once per file. */
interface FileIndex {
  fnById: Map<number, FunctionFact>;
  callsByFn: Map<number | null, CallFact[]>;
  flowByFn: Map<number, FileFacts['flow']>;
  childrenByFn: Map<number | null, FunctionFact[]>;
  insideIo(within: number | null | undefined): boolean;
}

/**
 * One per scan: per-function results are cached, because a shared helper is reached from hundreds
 * of handlers and its steps do not depend on which handler reached it.
 */
export class TangleAnalyzer {
  private readonly fileIndex = new WeakMap<FileFacts, FileIndex>();
  private readonly perFn = new Map<FnKey, FunctionTangle | null>();
  private readonly depth: IoDepth;
  private readonly classes: ClassIndex;

  constructor(
    private readonly facts: FactSource,
    private readonly resolver: ModuleResolver,
    private readonly ioFns: ReadonlySet<FnKey>,
  ) {
    this.depth = new IoDepth(facts, resolver, ioFns);
    this.classes = new ClassIndex(facts, resolver);
  }

  analyse(reachable: ReadonlySet<FnKey>, thresholds: TangleThresholds = DEFAULT_THRESHOLDS): IoTangle {
    const total = zero();
    // Evidence by file: only the first files in path order are needed to fill MAX_EVIDENCE, so
    // sorting is per file, not over every I/O site of every helper the handler reaches.
    const byFile = new Map<string, Evidence[]>();
    const addAll = (list: readonly Evidence[]): void => {
      for (const e of list) {
        const l = byFile.get(e.file);
        if (l) l.push(e);
        else byFile.set(e.file, [e]);
      }
    };
    for (const key of reachable) {
      const t = this.functionTangle(key);
      if (!t) continue;
      const c = t.counts;
      total.ioCalls += c.ioCalls;
      total.ioFunctions += c.ioFunctions;
      total.maxPhases = Math.max(total.maxPhases, c.maxPhases);
      total.extraPhases += c.extraPhases;
      total.branchesBetweenIo += c.branchesBetweenIo;
      total.conditionalIo += c.conditionalIo;
      total.ioInLoops += c.ioInLoops;
      total.interleavedLoops += c.interleavedLoops;
      total.fanOut += c.fanOut;
      total.recursion += c.recursion;
      total.streams += c.streams;
      total.maxIoDepth = Math.max(total.maxIoDepth, c.maxIoDepth);
      total.routesWithIo += c.routesWithIo;
      if (t.evidence.length > 0) addAll(t.evidence);
    }
    if (total.maxIoDepth > 2) {
      // The chain of helpers down to the deepest I/O, from a function this handler reaches.
      addAll(this.depth.deepest(total.maxIoDepth, reachable));
    }
    const points = round2(
      total.extraPhases * WEIGHTS.extraPhase +
        total.branchesBetweenIo * WEIGHTS.branchBetweenIo +
        total.conditionalIo * WEIGHTS.conditionalIo +
        total.ioInLoops * WEIGHTS.ioInLoop +
        total.interleavedLoops * WEIGHTS.interleavedLoop +
        total.fanOut * WEIGHTS.fanOut +
        total.recursion * WEIGHTS.recursion +
        total.streams * WEIGHTS.stream +
        Math.max(0, total.maxIoDepth - 2) * WEIGHTS.deepIo,
    );
    const score = round2(Math.min(1, points / SCALE));
    const verdict = score >= thresholds.tangledFrom ? 'tangled' : score >= thresholds.mixedFrom ? 'mixed' : 'clean';
    const evidence: Evidence[] = [];
    for (const file of [...byFile.keys()].sort(compareStrings)) {
      const list = dedupe((byFile.get(file) ?? []).sort((a, b) => a.line - b.line || a.column - b.column || compareStrings(a.what, b.what)));
      for (const e of list) {
        if (evidence.length >= MAX_EVIDENCE) break;
        evidence.push(e);
      }
      if (evidence.length >= MAX_EVIDENCE) break;
    }
    return { score, ioCalls: total.ioCalls, verdict, inputs: { ...total, points }, evidence };
  }

  private index(f: FileFacts): FileIndex {
    let idx = this.fileIndex.get(f);
    if (idx) return idx;
    // Calls and steps inside an I/O call's arguments belong to that call (`send(new PutCommand(...))`).
    const partOfIo: boolean[] = [];
    f.calls.forEach((c, i) => {
      const parent = c.within === null ? undefined : f.calls[c.within];
      partOfIo[i] = c.inIo || (parent !== undefined && c.within !== null && (parent.io !== null || partOfIo[c.within] === true));
    });
    idx = {
      fnById: new Map(f.functions.map((fn) => [fn.id, fn])),
      callsByFn: groupBy(f.calls, (c) => c.fn),
      flowByFn: groupBy(f.flow, (s) => s.fn),
      childrenByFn: groupBy(f.functions, (fn) => fn.parent),
      insideIo: (within) => within !== null && within !== undefined && (f.calls[within]?.io != null || partOfIo[within] === true),
    };
    this.fileIndex.set(f, idx);
    return idx;
  }

  private functionTangle(key: FnKey): FunctionTangle | null {
    if (this.perFn.has(key)) return this.perFn.get(key) ?? null;
    const hash = key.lastIndexOf('#');
    const file = key.slice(0, hash);
    const id = Number(key.slice(hash + 1));
    const f = this.facts.get(file);
    const fn = f ? this.index(f).fnById.get(id) : undefined;
    const result = f && fn ? this.compute(file, f, fn, key) : null;
    this.perFn.set(key, result);
    return result;
  }

  private compute(file: string, f: FileFacts, fn: FunctionFact, key: FnKey): FunctionTangle {
    const { ioFns } = this;
    const idx = this.index(f);
    const counts = zero();
    const evidence: Evidence[] = [];
    const add = (at: { line: number; column: number }, what: string): void => {
      evidence.push({ file, line: at.line, column: at.column, what });
    };
    const id = fn.id;
    const calls = idx.callsByFn.get(id) ?? [];
    const steps = stepsOf(
      file,
      f,
      fn,
      calls.filter((c) => !c.inIo && !idx.insideIo(c.within)),
      (idx.flowByFn.get(id) ?? []).filter((s) => !idx.insideIo(s.within)),
      idx.childrenByFn.get(id) ?? [],
      { facts: this.facts, resolver: this.resolver, ioFns, classes: this.classes },
    );
    const ioSteps = steps.filter((s) => s.kind === 'io');
    if (ioFns.has(key) || ioSteps.length > 0) counts.ioFunctions++;
    if (fn.route !== null && fn.route !== '' && ioFns.has(key)) {
      counts.routesWithIo++;
      add(fn, `route ${fn.route} does I/O`);
    }
    if (ioSteps.length === 0) return { counts, evidence };
    counts.maxIoDepth = this.depth.of(file, id);

    // Phases: runs of I/O separated by computation or branches.
    let phases = 0;
    let inIo = false;
    const firstIo = steps.findIndex((s) => s.kind === 'io');
    const lastIo = steps.findLastIndex((s) => s.kind === 'io');
    steps.forEach((s, i) => {
      if (s.kind === 'io') {
        if (!inIo) phases++;
        inIo = true;
      } else if (s.kind !== 'loop') {
        inIo = false;
        if (s.kind === 'branch' && i > firstIo && i < lastIo) {
          counts.branchesBetweenIo++;
          add(s, 'branch between I/O calls');
        }
      }
    });
    counts.maxPhases = phases;
    if (phases > 2) {
      counts.extraPhases += phases - 2;
      add(fn, `${phases} separate I/O phases in ${fn.name ?? 'an anonymous function'} (read, compute, I/O again)`);
    }

    const loopsWithIo = new Set<number>();
    for (const s of ioSteps) {
      if (s.form === 'direct') counts.ioCalls++;
      if (s.form === 'stream') {
        counts.streams++;
        add(s, `streamed I/O: ${s.what}`);
      } else if (s.form === 'fan-out') {
        counts.fanOut++;
        add(s, `I/O fanned out per item: ${s.what}`);
      } else if (s.loop !== null && s.awaited === false && s.form === 'direct') {
        counts.fanOut++;
        loopsWithIo.add(s.loop);
        add(s, `I/O started per item in a loop (not awaited): ${s.what}`);
      } else if (s.loop !== null) {
        counts.ioInLoops++;
        loopsWithIo.add(s.loop);
        add(s, `I/O inside a loop, one item at a time: ${s.what}`);
      } else if (s.inBranch) {
        counts.conditionalIo++;
        add(s, `I/O on one branch only: ${s.what}`);
      } else {
        add(s, `I/O: ${s.what}`);
      }
    }
    for (const loop of loopsWithIo) {
      const inside = steps.filter((s) => s.loop === loop && (s.kind === 'branch' || s.kind === 'compute'));
      if (inside.length > 0) {
        counts.interleavedLoops++;
        const header = steps.find((s) => s.kind === 'loop' && s.id === loop);
        if (header) add(header, `loop mixes I/O with ${inside.some((s) => s.kind === 'branch') ? 'branches' : 'computation'}`);
      }
    }
    const selfCall = calls.find((c) => fn.name !== null && c.callee === fn.name && c.root === fn.name);
    if (selfCall) {
      counts.recursion++;
      add(selfCall, `${fn.name} calls itself and does I/O (pagination by recursion)`);
    }
    return { counts, evidence };
  }
}

/** One-shot form of TangleAnalyzer, for callers with a single handler. */
export function ioTangle(inputs: TangleInputs): IoTangle {
  return new TangleAnalyzer(inputs.facts, inputs.resolver, inputs.ioFns).analyse(inputs.reachable, inputs.thresholds);
}

function stepsOf(
  file: string,
  f: FileFacts,
  fn: FunctionFact,
  calls: readonly CallFact[],
  flow: FileFacts['flow'],
  children: readonly FunctionFact[],
  inputs: Pick<TangleInputs, 'facts' | 'resolver' | 'ioFns'> & { classes: ClassIndex },
): Step[] {
  const steps: Step[] = [];
  const doesIo = (name: string): boolean => helperDoesIo(file, f, name, inputs);
  // `repo.find()`, `this.load()`: a method of the service's own classes that does I/O.
  const methodDoesIo = (c: CallFact): boolean => {
    const owner = c.root !== null && c.callee === `${c.root}.${c.name}` ? c.root : c.root === null && c.callee === `this.${c.name}` ? 'this' : null;
    return owner !== null && inputs.classes.methods(file, owner, c.name).some((m) => inputs.ioFns.has(fnKey(m.file, m.fn.id)));
  };
  for (const c of calls) {
    const base = { line: c.line, column: c.column, loop: c.loop, inBranch: c.inBranch };
    const what = c.argNew ? `${c.callee}(new ${c.argNew}(...))` : `${c.callee}(...)`;
    if (c.io !== null) {
      steps.push({ ...base, kind: 'io', what, form: STREAM_METHODS.has(c.name) ? 'stream' : 'direct', awaited: c.awaited });
    } else if ((c.root !== null && c.root === c.callee && c.callee !== fn.name && doesIo(c.root)) || (!c.isNew && methodDoesIo(c))) {
      steps.push({ ...base, kind: 'io', what: `${what}, which does I/O`, form: 'helper', awaited: c.awaited });
    } else {
      steps.push({ ...base, kind: 'compute', what });
    }
  }
  for (const s of flow) {
    const base = { line: s.line, column: s.column, loop: s.loop, inBranch: s.inBranch };
    if (s.kind === 'compute' && s.name !== undefined && COLLECTORS.has(s.name)) continue;
    if (s.kind === 'loop') steps.push({ ...base, kind: 'loop', id: s.id ?? -1, what: 'loop' });
    else if (s.kind === 'branch') steps.push({ ...base, kind: 'branch', what: 'branch' });
    else if (s.name !== undefined && STREAM_METHODS.has(s.name)) steps.push({ ...base, kind: 'io', what: `.${s.name}(...)`, form: 'stream' });
    else if (s.fnArg !== undefined && s.name !== undefined && PER_ITEM.has(s.name) && doesIo(s.fnArg)) {
      steps.push({ ...base, kind: 'io', what: `.${s.name}(${s.fnArg}), ${s.fnArg} does I/O`, form: 'fan-out' });
    } else steps.push({ ...base, kind: 'compute', what: s.name ?? 'computation' });
  }
  // A callback that does I/O runs where it is passed: per item for map/forEach, later for then/on.
  for (const child of children) {
    if (!inputs.ioFns.has(fnKey(file, child.id))) continue;
    const perItem = child.argOf !== null && PER_ITEM.has(child.argOf);
    steps.push({
      kind: 'io',
      line: child.line,
      column: child.column,
      loop: child.loop,
      inBranch: false,
      what: child.argOf !== null ? `callback of ${child.argOf}(...) does I/O` : 'nested function does I/O',
      form: perItem ? 'fan-out' : 'callback',
    });
  }
  return steps.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Whether a plain call `name(...)` from `file` runs a service function that does I/O. */
function helperDoesIo(file: string, f: FileFacts, name: string, inputs: Pick<TangleInputs, 'facts' | 'resolver' | 'ioFns'>): boolean {
  return helperTargets(file, f, name, inputs.facts, inputs.resolver).some((k) => inputs.ioFns.has(k));
}

function helperTargets(file: string, f: FileFacts, name: string, facts: FactSource, resolver: ModuleResolver): FnKey[] {
  const local = f.functions.filter((x) => x.name === name).map((x) => fnKey(file, x.id));
  if (local.length > 0) return local;
  const b = f.bindings[name];
  if (!b || b.imported === '*') return [];
  const r = resolver.resolve(file, b.specifier);
  if (r.kind !== 'file') return [];
  const target = facts.get(r.file);
  if (!target) return [];
  const out: FnKey[] = [];
  for (const e of target.exports) {
    if (e.name !== b.imported && !(b.imported === 'default' && e.name === '=')) continue;
    if (e.fn !== null) out.push(fnKey(r.file, e.fn));
    for (const ref of e.refs) for (const fn of target.functions) if (fn.name === ref) out.push(fnKey(r.file, fn.id));
  }
  return out;
}

/**
 * How many service functions deep the I/O goes below a function: 1 when it calls I/O itself,
 * 1 + the callee's depth when it reaches I/O only through a helper.
 */
class IoDepth {
  private readonly memo = new Map<FnKey, number>();
  private readonly via = new Map<FnKey, { file: string; line: number; column: number; name: string; next: FnKey } | null>();

  constructor(
    private readonly facts: FactSource,
    private readonly resolver: ModuleResolver,
    private readonly ioFns: ReadonlySet<FnKey>,
  ) {}

  of(file: string, id: number, seen: Set<FnKey> = new Set()): number {
    const key = fnKey(file, id);
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    if (seen.has(key)) return 0;
    seen.add(key);
    const f = this.facts.get(file);
    if (!f) return 0;
    let best = 0;
    let via: { file: string; line: number; column: number; name: string; next: FnKey } | null = null;
    for (const c of f.calls) {
      if (c.fn !== id) continue;
      if (c.io !== null) {
        if (best < 1) {
          best = 1;
          via = null;
        }
        continue;
      }
      if (c.root === null || c.root !== c.callee) continue;
      for (const target of helperTargets(file, f, c.root, this.facts, this.resolver)) {
        if (!this.ioFns.has(target) || target === key) continue;
        const hash = target.lastIndexOf('#');
        const d = 1 + this.of(target.slice(0, hash), Number(target.slice(hash + 1)), seen);
        if (d > best) {
          best = d;
          via = { file, line: c.line, column: c.column, name: c.callee, next: target };
        }
      }
    }
    this.memo.set(key, best);
    this.via.set(key, via);
    return best;
  }

  /** The call chain of a reached function whose I/O is `depth` levels down, as evidence. */
  deepest(depth: number, reachable: ReadonlySet<FnKey>): Evidence[] {
    for (const key of [...reachable].sort(compareStrings)) {
      if (this.memo.get(key) !== depth) continue;
      const out: Evidence[] = [];
      for (let step = this.via.get(key); step; step = this.via.get(step.next)) {
        out.push({ file: step.file, line: step.line, column: step.column, what: `I/O ${depth} calls deep: through ${step.name}(...)` });
      }
      return out;
    }
    return [];
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

function dedupe(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.file}\0${e.line}\0${e.column}\0${e.what}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
