import type { FunctionSpec, Severity } from '../model/result.js';
import type { HandlerGraph, PackageImportSite } from '../graph/closure.js';
import type { PackageCost } from '../graph/packages.js';
import type { CallFact, FactSource, FileFacts } from '../graph/facts.js';
import { fnKey, type FnKey } from '../graph/reachability.js';
import type { OptionsSchema, OptionValues } from './options.js';

/*
 * What a rule module imports. The dependency runs one way: rules/ imports this file, and the engine is handed the
 * registry (rules/index.ts) by its caller, so nothing under src/engine imports rules/.
 */

export type RuleCategory = 'init-cost' | 'io' | 'portability';

export interface RuleMeta<O extends OptionsSchema = OptionsSchema> {
  /** kebab-case, never renamed once released. */
  id: string;
  /** "Disallow/Require/Enforce ...", no period. */
  description: string;
  /** Why it costs, in one or two sentences. */
  rationale: string;
  severity: Severity;
  category: RuleCategory;
  /**
   * The options the rule reads, each with its type, default, allowed values and description. The config file and
   * `--rule-option` may set them; the engine checks every value against this schema before any rule runs.
   */
  options: O;
}

export interface RuleReport {
  file: string;
  line: number;
  column: number;
  message: string;
  estInitMs?: number | null;
  chain?: string[];
  severity?: Severity;
}

/** What a rule sees of one handler. Pure data: rules never touch the file system or the AST. */
export interface RuleContext<O extends OptionsSchema = OptionsSchema> {
  fn: FunctionSpec;
  graph: HandlerGraph;
  /** Facts of every parsed file of the service (not only the closure). */
  facts: FactSource;
  /** Functions that run per request for this handler. */
  reachable: ReadonlySet<FnKey>;
  /** Whether calling `name` from `file` runs I/O: a local or imported service function that does. */
  callsIo(file: string, name: string): boolean;
  /** Every declared option: the default, or the checked value the config file or the flag set. */
  options: OptionValues<O>;
  /**
   * The catalog's (or the installed package's) load cost of one init import site, priced as the init estimate prices
   * it; absent where a rule runs without a cost model.
   */
  packageCost?: (site: PackageImportSite) => PackageCost;
  report(finding: RuleReport): void;
}

export interface Rule<O extends OptionsSchema = OptionsSchema> {
  meta: RuleMeta<O>;
  check(ctx: RuleContext<O>): void;
}

/**
 * Identity helper that gives rule modules their type without a cast: `ctx.options` is typed from `meta.options`
 * (`ctx.options.thresholdMs` is a number when the schema says so).
 */
export function defineRule<const O extends OptionsSchema>(rule: Rule<O>): Rule {
  return rule;
}

/**
 * Memoises a per-file computation across handlers: a shared lib module is in hundreds of closures,
 * and its facts never change during a scan. Keyed on the facts object, so it dies with the scan.
 */
export function perFile<T>(compute: (facts: FileFacts) => T): (facts: FileFacts) => T {
  const cache = new WeakMap<FileFacts, T>();
  return (facts) => {
    let value = cache.get(facts);
    if (value === undefined) {
      value = compute(facts);
      cache.set(facts, value);
    }
    return value;
  };
}

const sitesByGraph = new WeakMap<HandlerGraph, ReadonlyMap<string, PackageImportSite>>();

/**
 * The package import site at a position of the handler's closure, or undefined when the import there is not an init
 * import of a package. Indexed once per graph: several rules ask it for every import of every closure file.
 */
export function siteAt(graph: HandlerGraph, file: string, at: { line: number; column: number }): PackageImportSite | undefined {
  let sites = sitesByGraph.get(graph);
  if (sites === undefined) {
    const index = new Map<string, PackageImportSite>();
    for (const s of graph.packageSites) index.set(`${s.file}:${s.line}:${s.column}`, s);
    sitesByGraph.set(graph, index);
    sites = index;
  }
  return sites.get(`${file}:${at.line}:${at.column}`);
}

/** A file of a handler's init closure that has facts. */
export interface ClosureFile {
  file: string;
  facts: FileFacts;
}

const closureFactsByGraph = new WeakMap<HandlerGraph, { source: FactSource; list: readonly ClosureFile[] }>();

/**
 * The files of the handler's init closure that have facts, with them, in closure order: looked up once per handler,
 * not once per rule (every rule walks the closure, and a closure holds hundreds of files).
 */
export function closureFacts(ctx: Pick<RuleContext, 'graph' | 'facts'>): readonly ClosureFile[] {
  const hit = closureFactsByGraph.get(ctx.graph);
  if (hit !== undefined && hit.source === ctx.facts) return hit.list;
  const list: ClosureFile[] = [];
  for (const file of ctx.graph.closure.files) {
    const facts = ctx.facts.get(file);
    if (facts) list.push({ file, facts });
  }
  closureFactsByGraph.set(ctx.graph, { source: ctx.facts, list });
  return list;
}

/** A call site in a handler's init closure, with the file it is in. */
export interface ClosureCall {
  file: string;
  facts: FileFacts;
  call: CallFact;
}

/**
 * The calls `select` picks (wrap it in perFile) in every file of the handler's init closure, in
 * closure order; with `perRequest`, only those inside functions that run per request.
 */
export function* closureCalls(ctx: RuleContext, select: (facts: FileFacts) => readonly CallFact[], perRequest: boolean): Generator<ClosureCall> {
  for (const { file, facts } of closureFacts(ctx)) {
    for (const call of select(facts)) {
      if (perRequest && (call.fn === null || !ctx.reachable.has(fnKey(file, call.fn)))) continue;
      yield { file, facts, call };
    }
  }
}

/** Reports a finding at a call site in the closure, with the import chain that brings its file in. */
export function reportCall(ctx: RuleContext, at: { file: string; call: CallFact }, message: string): void {
  ctx.report({ file: at.file, line: at.call.line, column: at.call.column, chain: ctx.graph.chainOf(at.file), message });
}
