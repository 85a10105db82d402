import { filterBaseline, type Baseline } from '../config/baseline.js';
import type { ProjectConfig } from '../config/config.js';
import { applyConfigAndInline, fingerprint, lineOf } from '../config/suppress.js';
import type { HandlerGraph, PackageImportSite } from '../graph/closure.js';
import type { PackageCost } from '../graph/packages.js';
import type { SuppressionFact } from '../graph/facts.js';
import type { FnKey } from '../graph/reachability.js';
import type { Finding, FunctionSpec, RuleSummary } from '../model/result.js';
import type { AnalysisKey, AnalysisRun, AnalysisScan, AnalysisValues, RegisteredAnalysis } from './analysis.js';
import type { OptionValue } from './options.js';
import type { RuleRegistry } from './registry.js';
import type { Rule } from './rule.js';
import { ruleSummaries, runRules } from './run-rules.js';
import { resolveAnalyses, resolveRules, type ResolvedAnalysis, type RuleSettings } from './settings.js';

/**
 * The one engine for every finding and analysis. Rules (rules/, through a RuleRegistry) and analyses (src/analysis)
 * are units with metadata and an options schema, handed in by the caller; the engine checks their options once
 * (`loadEngine`), then runs them over every function and applies config severities, allow-listed files, inline
 * suppressions, fingerprints and the baseline (`runEngine`). It takes values and returns new ones.
 */

export interface EngineUnits {
  rules: RuleRegistry;
  /** In the order they run: each one's `requires` are produced by analyses before it. */
  analyses: readonly RegisteredAnalysis[];
}

export interface EngineSettings {
  /** The project config (`loadConfig`; its defaults when there is no file). */
  config: ProjectConfig;
  /** `--disable-rule` and `--rule-option`, applied over the config. */
  cli?: RuleSettings;
}

/** Rules loaded and every option checked: what `runEngine` runs. Build it with `loadEngine`. */
export interface Engine {
  /** The rules that run, in registry order (for the result's `rules`, see `summaries`). */
  readonly rules: readonly Rule[];
  readonly summaries: readonly RuleSummary[];
  readonly ruleOptions: ReadonlyMap<string, Readonly<Record<string, OptionValue>>>;
  readonly analyses: readonly ResolvedAnalysis[];
  /** Every id in the registry (inline suppressions naming others get a note). */
  readonly knownRules: readonly string[];
  readonly config: Pick<ProjectConfig, 'severity' | 'allowFiles'>;
}

/**
 * Loads the rules that run and checks every rule id and option value of the config file and the flags against the
 * registry and each unit's schema. A bad one is an InputError (exit 2) naming the rule, option, value and what is
 * allowed. Call it before reading the service, so a typo fails fast.
 */
export async function loadEngine(units: EngineUnits, settings: EngineSettings): Promise<Engine> {
  const { rules, options } = await resolveRules(units.rules, settings.config, settings.cli);
  return {
    rules,
    summaries: ruleSummaries(rules),
    ruleOptions: options,
    analyses: resolveAnalyses(units.analyses, settings.config),
    knownRules: units.rules.ids,
    config: { severity: settings.config.severity, allowFiles: settings.config.allowFiles },
  };
}

/** One function to run the units over. */
export interface EngineFunction {
  spec: FunctionSpec;
  /** Null when the handler did not resolve to a file: no findings, no analyses. */
  graph: HandlerGraph | null;
  /** Functions that run per request for this handler. */
  reachable: ReadonlySet<FnKey>;
  /** Prices one init import site as the closure does (absent: rules run without a cost model). */
  packageCost?: (site: PackageImportSite) => PackageCost;
  /** What an earlier scan's units produced for this function (a result cache): used as is, nothing runs. */
  reused?: UnitResults;
  /**
   * With `reused`: the inline suppression comments of the files its findings are in, as the cache kept them (files
   * with none left out), so those files' facts need not be loaded. Absent: the facts are asked.
   */
  reusedSuppressions?: Readonly<Record<string, readonly SuppressionFact[]>>;
}

/** What the rules and analyses produce for one function, before config severities, suppressions and the baseline. */
export interface UnitResults {
  findings: Finding[];
  values: Partial<AnalysisValues>;
}

export interface EngineInput extends AnalysisScan {
  functions: readonly EngineFunction[];
  /** Whether calling `name` from `file` runs I/O (graph/reachability's ioFunctions). */
  callsIo(file: string, name: string): boolean;
  /**
   * The text of a file of the service, or null when it cannot be read: fingerprints hash a finding's source line.
   * The scan passes its SourceTree's cached read, so the engine reads nothing itself.
   */
  readText(rel: string): string | null;
  /** The baseline to apply (`readBaselineFile`), or null. */
  baseline: Baseline | null;
}

/** The function's findings (suppressions, severities, fingerprints and the baseline applied) and analysis values. */
export type EngineFunctionOutput = { spec: FunctionSpec; findings: Finding[] } & { [K in AnalysisKey]: AnalysisValues[K] | null };

export interface EngineOutput {
  /** One per input function, in the same order. */
  functions: EngineFunctionOutput[];
  /** What the units produced per function (reused or run), in the same order: what a result cache keeps. */
  units: UnitResults[];
  /** Distinct findings left out: by an inline comment, by the config's allow.files, by the baseline. */
  suppressed: { inline: number; config: number; baseline: number };
  /** For the result's warnings: inline suppressions without a reason or naming unknown rules. */
  notes: string[];
}

export function runEngine(engine: Engine, input: EngineInput): EngineOutput {
  const scan: AnalysisScan = {
    facts: input.facts,
    resolver: input.resolver,
    ioFns: input.ioFns,
    ...(input.isNativeInstalled !== undefined ? { isNativeInstalled: input.isNativeInstalled } : {}),
  };
  const runs = engine.analyses.map(({ analysis, options }) => ({ analysis, options, run: analysis.start(scan) }));
  const raw: Finding[][] = [];
  const values: Partial<AnalysisValues>[] = [];
  const keptSuppressions = new Map<string, readonly SuppressionFact[]>();
  for (const fn of input.functions) {
    if (fn.reused !== undefined) {
      raw.push(fn.reused.findings);
      values.push(fn.reused.values);
      const kept = fn.reusedSuppressions;
      if (kept !== undefined)
        for (const f of fn.reused.findings) keptSuppressions.set(f.file, Object.hasOwn(kept, f.file) ? (kept[f.file] ?? []) : []);
      continue;
    }
    const computed: Partial<AnalysisValues> = {};
    if (fn.graph !== null) {
      const graph = fn.graph;
      raw.push(
        runRules(
          engine.rules,
          {
            fn: fn.spec,
            graph,
            facts: input.facts,
            reachable: fn.reachable,
            callsIo: input.callsIo,
            ...(fn.packageCost !== undefined ? { packageCost: fn.packageCost } : {}),
          },
          engine.ruleOptions,
        ),
      );
      for (const { analysis, options, run } of runs) {
        produce(analysis, run, computed, { fn: fn.spec, graph, facts: input.facts, reachable: fn.reachable, options, values: computed });
      }
    } else {
      raw.push([]);
    }
    values.push(computed);
  }

  const suppressionsIn = (file: string): readonly SuppressionFact[] => keptSuppressions.get(file) ?? input.facts.get(file)?.suppressions ?? [];
  const suppressed = applyConfigAndInline(raw, suppressionsIn, engine.config, engine.knownRules);
  const printed = fingerprint(suppressed.findings, lineReader(input.readText));
  const { findings, dropped } = input.baseline !== null ? filterBaseline(printed, input.baseline) : { findings: printed, dropped: 0 };
  return {
    functions: input.functions.map((fn, i) => ({
      spec: fn.spec,
      findings: findings[i] ?? [],
      ioTangle: values[i]?.ioTangle ?? null,
      portability: values[i]?.portability ?? null,
      effort: values[i]?.effort ?? null,
    })),
    units: raw.map((findings, i) => ({ findings, values: values[i] ?? {} })),
    suppressed: { inline: suppressed.inline, config: suppressed.config, baseline: dropped },
    notes: suppressed.notes,
  };
}

/** Runs one analysis for one function and stores its value under the key it produces. */
function produce<K extends AnalysisKey>(
  analysis: RegisteredAnalysis<K>,
  run: AnalysisRun<K>,
  into: Partial<AnalysisValues>,
  ctx: Parameters<AnalysisRun<K>['analyse']>[0],
): void {
  into[analysis.meta.produces] = run.analyse(ctx);
}

/** Line text for fingerprints, each file's text asked for once. */
function lineReader(readText: (rel: string) => string | null): (file: string, line: number) => string | null {
  const texts = new Map<string, string | null>();
  return (file, line) => {
    let text = texts.get(file);
    if (text === undefined) {
      text = readText(file);
      texts.set(file, text);
    }
    return text === null ? null : lineOf(text, line);
  };
}

export { loadRules, ruleRegistry, UnknownRuleError, type RuleLoaders, type RuleRegistry } from './registry.js';
export { compareFindings, ruleSummaries, runRules } from './run-rules.js';
export type { RuleSettings } from './settings.js';
export type { Rule, RuleContext, RuleMeta, RuleReport } from './rule.js';
export type { Analysis, AnalysisContext, AnalysisKey, AnalysisMeta, AnalysisScan, AnalysisValues, RegisteredAnalysis } from './analysis.js';
export type { OptionSpec, OptionsSchema, OptionValue, OptionValues } from './options.js';
