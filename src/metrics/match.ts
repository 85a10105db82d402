/**
 * Matches measured entries (keyed by log group, deployed name or file name) to the functions discovery found, and
 * fills each FunctionResult's `metrics`. Pure: data in, data out (warnings returned, not printed).
 */
import type { FunctionMetrics, FunctionResult } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import type { MeasuredEntry, MetricsSet } from './types.js';

const LAMBDA_GROUP_PREFIX = '/aws/lambda/';
const MAX_LISTED = 10;

/** Every name an entry may be known by: its key, the deployed name, its log groups, and `/aws/lambda/<name>` forms. */
function entryNames(entry: MeasuredEntry): string[] {
  const names = new Set<string>([entry.key, ...entry.figures.logGroups]);
  if (entry.figures.deployedName !== null) names.add(entry.figures.deployedName);
  for (const n of [...names]) {
    if (n.startsWith(LAMBDA_GROUP_PREFIX)) names.add(n.slice(LAMBDA_GROUP_PREFIX.length));
    else if (!n.includes('/')) names.add(LAMBDA_GROUP_PREFIX + n);
    // File names such as aws-lambda-orders-dev-health.log, as some export scripts write them.
    const stripped = /^aws[-_]lambda[-_](.+)$/.exec(n)?.[1];
    if (stripped !== undefined) names.add(stripped);
  }
  return [...names];
}

/** The names a function answers to, strongest first: its mapped name, deployed-name candidates, then id and name. */
function functionNames(fn: FunctionResult, functionMap: Record<string, string>): { strong: string[]; weak: string[] } {
  const mapped = functionMap[fn.id] ?? functionMap[fn.name];
  const deployed = mapped !== undefined ? [mapped] : fn.deployedNames;
  const strong = deployed.flatMap((n) => (n.includes('/') ? [n] : [n, LAMBDA_GROUP_PREFIX + n]));
  return { strong, weak: [fn.id, fn.name] };
}

/**
 * CloudFormation names a function without FunctionName `<stack>-<LogicalId>-<random suffix>`; discovery knows
 * `<stack>-<LogicalId>` (from samconfig.toml) or only the logical id. True when `deployed` is such a name.
 */
export function isGeneratedName(candidate: string, deployed: string): boolean {
  if (candidate === '' || candidate.includes('/') || deployed.length <= candidate.length + 1) return false;
  const at = deployed.lastIndexOf(`${candidate}-`);
  if (at < 0 || (at > 0 && deployed[at - 1] !== '-')) return false;
  return /^[A-Za-z0-9]{6,16}$/.test(deployed.slice(at + candidate.length + 1));
}

export function attachMetrics(functions: FunctionResult[], set: MetricsSet): string[] {
  const warnings = [...set.warnings];
  const knownIds = new Set(functions.flatMap((f) => [f.id, f.name]));
  for (const key of Object.keys(set.functionMap).sort(compareStrings)) {
    if (!knownIds.has(key)) warnings.push(`--function-map: '${key}' is not a discovered function id or name`);
  }

  // name -> functions answering to it; a strong name wins over a weak one (a logical name that happens to match).
  const strongIndex = new Map<string, Set<FunctionResult>>();
  const weakIndex = new Map<string, Set<FunctionResult>>();
  for (const fn of functions) {
    const { strong, weak } = functionNames(fn, set.functionMap);
    for (const n of strong) (strongIndex.get(n) ?? strongIndex.set(n, new Set()).get(n))?.add(fn);
    for (const n of weak) (weakIndex.get(n) ?? weakIndex.set(n, new Set()).get(n))?.add(fn);
  }

  const byFunction = new Map<FunctionResult, MeasuredEntry[]>();
  const unmatched: string[] = [];
  for (const entry of set.entries) {
    const names = entryNames(entry);
    let hits = new Set<FunctionResult>();
    for (const n of names) for (const f of strongIndex.get(n) ?? []) hits.add(f);
    if (hits.size === 0) for (const n of names) for (const f of weakIndex.get(n) ?? []) hits.add(f);
    if (hits.size === 0) {
      const deployed = names.filter((n) => !n.includes('/'));
      for (const fn of functions) {
        const { strong, weak } = functionNames(fn, set.functionMap);
        if ([...strong, weak[1] ?? ''].some((c) => deployed.some((d) => isGeneratedName(c, d)))) hits.add(fn);
      }
    }
    if (hits.size > 1) {
      const ids = [...hits].map((f) => f.id).sort(compareStrings);
      warnings.push(`metrics for '${entry.key}' match ${hits.size} functions (${ids.join(', ')}): not used; pick one with --function-map`);
      hits = new Set();
    }
    const [fn] = [...hits];
    if (fn === undefined) {
      unmatched.push(entry.key);
      continue;
    }
    byFunction.set(fn, [...(byFunction.get(fn) ?? []), entry]);
  }

  const source = set.source;
  for (const fn of functions) {
    const entries = byFunction.get(fn) ?? [];
    // Several entries for one function (a text export and a file-named one): the one with the most records wins.
    const ranked = [...entries].sort((a, b) => (b.figures.invocations ?? -1) - (a.figures.invocations ?? -1) || compareStrings(a.key, b.key));
    const chosen = ranked[0];
    if (ranked.length > 1) {
      warnings.push(
        `${fn.id}: metrics from ${ranked.map((e) => `'${e.key}'`).join(', ')}; using '${chosen?.key ?? ''}' (figures from different sources are not added)`,
      );
    }
    fn.metrics = chosen === undefined ? unmatchedMetrics(fn, set) : { source, measuredBy: set.measuredBy, ...chosen.figures };
  }

  const missing = functions
    .filter((f) => f.metrics?.status === 'unmatched')
    .map((f) => f.name)
    .sort(compareStrings);
  if (missing.length > 0) {
    warnings.push(
      `metrics: no ${set.measuredBy === 'aws' ? 'deployed function' : 'log group'} matched ${missing.length} function(s): ${listed(missing)} (map them with --function-map)`,
    );
  }
  if (unmatched.length > 0) {
    warnings.push(
      `metrics: ${unmatched.length} measured ${unmatched.length === 1 ? 'entry matches' : 'entries match'} no discovered function: ${listed(unmatched.sort(compareStrings))}`,
    );
  }
  return warnings;
}

function listed(names: string[]): string {
  return names.length <= MAX_LISTED ? names.join(', ') : `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more`;
}

function unmatchedMetrics(fn: FunctionResult, set: MetricsSet): FunctionMetrics {
  const tried = functionNames(fn, set.functionMap).strong.filter((n) => n.startsWith('/') || set.measuredBy === 'aws');
  return {
    source: set.source,
    measuredBy: set.measuredBy,
    status: 'unmatched',
    deployedName: null,
    logGroups: [],
    region: null,
    window: null,
    invocations: null,
    coldStarts: null,
    initMs: null,
    durationMs: null,
    billedDurationMs: null,
    memorySizeMB: null,
    maxMemoryUsedMB: null,
    percentiles: 'exact',
    truncated: false,
    config: null,
    detail: tried.length === 0 ? 'no deployed-name candidate' : `nothing measured for ${tried.join(', ')}`,
  };
}
