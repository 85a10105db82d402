import type { FunctionSpec, Severity } from '../model/result.js';
import type { HandlerGraph, PackageImportSite } from '../graph/closure.js';
import type { PackageCost } from '../graph/packages.js';
import type { CallFact, FactSource, FileFacts } from '../graph/facts.js';
import { fnKey, type FnKey } from '../graph/reachability.js';

export type RuleCategory = 'init-cost' | 'io' | 'portability';

export interface RuleMeta {
  /** kebab-case, never renamed once released. */
  id: string;
  /** "Disallow/Require/Enforce ...", no period. */
  description: string;
  /** Why it costs, in one or two sentences. */
  rationale: string;
  severity: Severity;
  category: RuleCategory;
  /** Options with their defaults; the CLI/config may override them. */
  defaultOptions: Readonly<Record<string, number | string | boolean>>;
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
export interface RuleContext {
  fn: FunctionSpec;
  graph: HandlerGraph;
  /** Facts of every parsed file of the service (not only the closure). */
  facts: FactSource;
  /** Functions that run per request for this handler. */
  reachable: ReadonlySet<FnKey>;
  /** Whether calling `name` from `file` runs I/O: a local or imported service function that does. */
  callsIo(file: string, name: string): boolean;
  options: Readonly<Record<string, number | string | boolean>>;
  /**
   * The catalog's (or the installed package's) load cost of one init import site, priced as the init estimate prices
   * it; absent where a rule runs without a cost model.
   */
  packageCost?: (site: PackageImportSite) => PackageCost;
  report(finding: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Identity helper that gives rule modules their type without a cast. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

export function numberOption(ctx: RuleContext, name: string): number {
  const value = ctx.options[name];
  if (typeof value !== 'number') throw new Error(`rule option ${name} must be a number`);
  return value;
}

export function stringOption(ctx: RuleContext, name: string): string {
  const value = ctx.options[name];
  if (typeof value !== 'string') throw new Error(`rule option ${name} must be a string`);
  return value;
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
  for (const file of ctx.graph.closure.files) {
    const facts = ctx.facts.get(file);
    if (!facts) continue;
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
