/**
 * The library API and the pipeline. `scan` runs the stages in order, each a function that takes the previous stages'
 * values and returns new ones (src/pipeline):
 *
 *   SourceTree (src/source) -> settle (config, rules, catalog) -> discover -> graph (facts, closures, costs)
 *   -> analyse (rules and analyses, suppressions, baseline) -> metrics -> cost -> result (ranked once)
 *
 * The CLI (src/cli) is a thin layer over these exports; nothing below this file imports it or the CLI.
 */
import path from 'node:path';
import { InputError } from './errors.js';
import type { RuleMeta } from './engine/rule.js';
import type { ScanResult } from './model/result.js';
import { analyseStage } from './pipeline/analyse.js';
import { costStage } from './pipeline/cost.js';
import { discoverStage } from './pipeline/discover.js';
import { graphStage } from './pipeline/graph.js';
import { metricsStage } from './pipeline/metrics.js';
import type { ScanOptions } from './pipeline/options.js';
import { assembleResult } from './pipeline/result.js';
import { settle } from './pipeline/settings.js';
import { scaffoldInput, type PrepareOptions } from './scaffold/prepare.js';
import type { ScaffoldInput } from './scaffold/view.js';
import { openSourceTree, type SourceTree } from './source/tree.js';
import { userFileKind } from './source/user-file.js';

export type { ScanOptions, ScanProgress } from './pipeline/options.js';
export { MemorySourceTree, openSourceTree, type SourceTree } from './source/tree.js';
export { findGitRoot } from './source/git-root.js';
export { IAC_KINDS } from './discover/index.js';

/**
 * Reads a service and returns its `ScanResult`. Reads files only; never executes or imports any of them. Files are
 * parsed on demand, as handlers' import graphs reach them, and each once.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: 'walk', done: 0, total: 0 });
  const tree = options.tree ?? (await openService(options));
  const settings = await settle(tree, options);
  progress({ phase: 'discover', done: 0, total: tree.files.length });
  const found = discoverStage(tree, options);
  const graphed = await graphStage(tree, found, settings, options, progress);
  const analysed = analyseStage(tree, found, graphed, settings, progress);
  const measured = await metricsStage(analysed.functions, options.metrics);
  const priced = costStage(measured.functions, options.cost);
  return assembleResult(options.root, settings, { found, graphed, analysed, measured, priced });
}

/** The service directory, walked once; a path that is missing or not a folder is the user's to fix (exit 2). */
async function openService(options: Pick<ScanOptions, 'root' | 'cwd' | 'gitignore' | 'cache'>): Promise<SourceTree> {
  const rootAbs = path.resolve(options.cwd ?? '.', options.root);
  const kind = userFileKind(rootAbs);
  if (kind === null) {
    throw new InputError(`path not found: ${options.root}`, 'pass the directory of a Lambda service, e.g. lambda-migrate scan ./service');
  }
  if (kind !== 'dir') throw new InputError(`not a directory: ${options.root}`, 'pass the directory that holds the IaC file and the sources');
  return openSourceTree(rootAbs, {
    gitignore: options.gitignore ?? true,
    ...(options.cache !== undefined ? { cache: path.resolve(options.cwd ?? '.', options.cache) } : {}),
  });
}

/**
 * What the Rust scaffold needs of one function: the scan, then what only the scaffold reads (declared events, the
 * app's route table, event types, aws-sdk v2 clients), from the same tree, so no file is read twice.
 */
export async function prepareScaffold(options: PrepareOptions): Promise<ScaffoldInput> {
  const tree = await openService({ root: options.root, cwd: options.cwd });
  const result = await scan({ root: options.root, cwd: options.cwd, tree, cost: false });
  return scaffoldInput(result, tree, options.function);
}
export { InputError } from './errors.js';
export { render, FORMATS, type Format } from './report/index.js';
// diff(base, head): what changed between two results (the `diff` command; `withDiff` attaches it as result.diff).
export { diffResults as diff, diffResults, withDiff } from './report/diff.js';
export { parseGates, evaluateGates, type Gate, type GateHit } from './report/gates.js';
// merge: many services' results as one review (the `merge` command).
export { mergeResults, serviceNameOf, type MergeInput } from './report/merge.js';
// Metrics: the SDK loads only when collectFromAws runs (the module imports it lazily).
export { readLogs, type ReadLogsOptions } from './metrics/read-logs.js';
export { collectFromAws, type AwsOptions, type AwsCollection, type AwsProblem } from './metrics/aws.js';
export { loadSnapshot, toSnapshot, renderSnapshot, type MetricsSnapshot } from './metrics/snapshot.js';
export { attachMetrics } from './metrics/match.js';
export type { MeasuredEntry, MeasuredFigures, MetricsLoader, MetricsSet } from './metrics/types.js';
export * from './model/result.js';
export type { Rule, RuleContext, RuleMeta, RuleReport } from './engine/rule.js';
// Baselines: `scan({ baseline: file })` applies one; these write and read them.
export { createBaseline, serializeBaseline, parseBaseline, type Baseline, type BaselineEntry } from './config/baseline.js';
// The Rust scaffold: prepareScaffold (above: scan + what only the scaffold reads), scaffoldFiles (pure), writeScaffold.
export { scaffoldFiles, writeScaffold, type ScaffoldInput } from './scaffold/index.js';

/** Every rule this version ships, in id order: what `lambda-migrate rules` lists. */
export async function listRules(): Promise<RuleMeta[]> {
  const [{ loadRules }, { RULES }] = await Promise.all([import('./engine/registry.js'), import('../rules/index.js')]);
  return (await loadRules(RULES)).map((r) => r.meta);
}

/** The shipped doc of one rule (rules/<id>.md); an unknown id is an InputError that lists the known ones. */
export async function ruleDocOf(id: string): Promise<string> {
  const [{ ruleDoc }, { RULES }] = await Promise.all([import('./engine/rule-docs.js'), import('../rules/index.js')]);
  return ruleDoc(id, RULES);
}
