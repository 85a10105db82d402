import type { HandlerGraph } from '../graph/closure.js';
import type { FactSource } from '../graph/facts.js';
import type { FnKey } from '../graph/reachability.js';
import type { ModuleResolver } from '../graph/resolve.js';
import type { Effort, FunctionSpec, IoTangle, Portability } from '../model/result.js';
import type { OptionsSchema, OptionValues } from './options.js';

/**
 * An analysis is registered with the engine as a rule is: a unit with metadata (id, description, options schema)
 * that the engine runs over every handler. Where a rule reports findings, an analysis produces one typed value per
 * function, the field of the same name on `FunctionResult`. Like rules/, src/analysis imports this file and its
 * caller hands the units to the engine, so the engine imports neither.
 */

/** Each analysis's value, by the `FunctionResult` field it fills. */
export interface AnalysisValues {
  ioTangle: IoTangle;
  portability: Portability;
  effort: Effort;
}

export type AnalysisKey = keyof AnalysisValues;

export interface AnalysisMeta<K extends AnalysisKey = AnalysisKey, O extends OptionsSchema = OptionsSchema, R extends AnalysisKey = never> {
  /** kebab-case, like a rule id. */
  id: string;
  /** What it measures, in one line. */
  description: string;
  /** The `FunctionResult` field (and `AnalysisValues` key) it produces. */
  produces: K;
  /** The values of other analyses it reads: the engine runs those first, for the same function. */
  requires: readonly R[];
  options: O;
  /** The config file's top-level key holding this analysis's options (`ioTangle: { mixedFrom, tangledFrom }`). */
  configKey?: 'ioTangle';
}

/** What the whole scan hands every analysis once, before any function. */
export interface AnalysisScan {
  /** Facts of every parsed file of the service. */
  facts: FactSource;
  resolver: ModuleResolver;
  /** Functions that do I/O, directly or through what they call (graph/reachability's ioFunctions). */
  ioFns: ReadonlySet<FnKey>;
  /** Whether an installed package ships a native addon; null when it is not installed. */
  isNativeInstalled?: (pkg: string) => boolean | null;
}

/** What an analysis sees of one handler. */
export interface AnalysisContext<O extends OptionsSchema = OptionsSchema, R extends AnalysisKey = never> {
  fn: FunctionSpec;
  graph: HandlerGraph;
  facts: FactSource;
  /** Functions that run per request for this handler. */
  reachable: ReadonlySet<FnKey>;
  options: OptionValues<O>;
  /** The values of the analyses in `meta.requires`, for this function. */
  values: Readonly<Pick<AnalysisValues, R>> & Readonly<Partial<AnalysisValues>>;
}

/** One scan's run of an analysis: per-scan state (caches shared by handlers) lives in it and dies with the scan. */
export interface AnalysisRun<K extends AnalysisKey = AnalysisKey, O extends OptionsSchema = OptionsSchema, R extends AnalysisKey = never> {
  analyse(ctx: AnalysisContext<O, R>): AnalysisValues[K];
}

export interface Analysis<K extends AnalysisKey = AnalysisKey, O extends OptionsSchema = OptionsSchema, R extends AnalysisKey = never> {
  meta: AnalysisMeta<K, O, R>;
  start(scan: AnalysisScan): AnalysisRun<K, O, R>;
}

/**
 * An analysis as the engine holds it, whatever its options and requirements: what `defineAnalysis` returns and what a
 * registry lists.
 */
export interface RegisteredAnalysis<K extends AnalysisKey = AnalysisKey> {
  meta: AnalysisMeta<K, OptionsSchema, AnalysisKey>;
  start(scan: AnalysisScan): AnalysisRun<K, OptionsSchema>;
}

/** Identity helper that types an analysis's options and required values from its metadata, without a cast. */
export function defineAnalysis<K extends AnalysisKey, const O extends OptionsSchema, R extends AnalysisKey = never>(
  analysis: Analysis<K, O, R>,
): RegisteredAnalysis<K> {
  return analysis;
}
