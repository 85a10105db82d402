/**
 * The library API: scan a service, render a result. The CLI is a thin layer over these.
 */
export { scan, type ScanOptions, type ScanProgress } from './scan.js';
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
// The Rust scaffold: prepareScaffold (scan + what only the scaffold reads), scaffoldFiles (pure), writeScaffold.
export { prepareScaffold, scaffoldFiles, writeScaffold, type ScaffoldInput } from './scaffold/index.js';
