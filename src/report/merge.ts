/**
 * `lambda-migrate merge`: many services' results as one review (the quarterly review across repositories). Pure: the
 * CLI reads and validates the files; this turns validated results into one `ScanResult` whose functions carry their
 * service (`service` field, `<service>:` id prefix) and are ranked over all of them.
 */
import { InputError } from '../errors.js';
import {
  SCHEMA_VERSION,
  type CostSummary,
  type FunctionResult,
  type MetricsSource,
  type RuleSummary,
  type ScanResult,
  type Severity,
} from '../model/result.js';
import { rankByPlan } from '../cost/rank.js';
import { compareStrings } from '../util/compare.js';

export interface MergeInput {
  /** The file it was read from, as the user named it: errors and derived names use it. */
  file: string;
  /** An explicit service name (`NAME=FILE` on the command line); null to derive one. */
  name: string | null;
  result: ScanResult;
}

/** How many functions `summary.cost.top` lists, as a single scan does. */
const TOP = 3;

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@/-]*$/;

/**
 * The service a result stands for: the explicit name, else the last segment of the scanned root, else (a scan of `.`)
 * the file name without `.json`.
 */
export function serviceNameOf(input: MergeInput): string {
  if (input.name !== null) return input.name;
  const rootName = lastSegment(input.result.root);
  if (rootName !== '' && rootName !== '.' && rootName !== '..') return rootName;
  return lastSegment(input.file).replace(/\.json$/i, '');
}

function lastSegment(p: string): string {
  const parts = p.split(/[\\/]+/).filter((s) => s !== '');
  return parts[parts.length - 1] ?? '';
}

export function mergeResults(inputs: readonly MergeInput[], toolVersion: string): ScanResult {
  if (inputs.length === 0) throw new InputError('merge needs at least one result file', 'e.g. lambda-migrate merge orders.json reports.json');
  const services = inputs.map((input) => ({ input, name: serviceNameOf(input) }));
  const byName = new Map<string, string>();
  for (const { input, name } of services) {
    if (!SERVICE_NAME.test(name) || name.includes(':')) {
      throw new InputError(`${input.file}: '${name}' is not a usable service name`, 'name it explicitly: lambda-migrate merge orders=orders.json');
    }
    const other = byName.get(name);
    if (other !== undefined) {
      throw new InputError(
        `${input.file}: service name '${name}' is also the name of ${other}`,
        `name them: lambda-migrate merge ${name}-a=${other} ${name}-b=${input.file}`,
      );
    }
    byName.set(name, input.file);
  }

  const functions: FunctionResult[] = services.flatMap(({ input, name }) =>
    input.result.functions.map((f) =>
      // A result that is itself a merge keeps its functions' services: merging is associative.
      f.service !== undefined ? { ...f } : { ...f, id: `${name}:${f.id}`, service: name },
    ),
  );
  const seenIds = new Set<string>();
  for (const f of functions) {
    if (seenIds.has(f.id)) throw new InputError(`function '${f.id}' appears in two inputs`, 'merge each service once');
    seenIds.add(f.id);
  }
  // The scan's order over every service; the larger estimated init breaks ties the cost model leaves.
  rankByPlan(functions, (a, b) => (b.init?.estInitMs ?? -1) - (a.init?.estInitMs ?? -1));

  const findings: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const { input } of services) {
    for (const severity of ['error', 'warn', 'info'] as const) findings[severity] += input.result.summary.findings[severity];
  }
  const sum = (pick: (r: ScanResult) => number): number => services.reduce((s, { input }) => s + pick(input.result), 0);

  const warnings: string[] = [];
  const versions = unique(services.map(({ input }) => input.result.tool.version));
  if (versions.length > 1) {
    warnings.push(
      `merged results come from different lambda-migrate versions (${listPer(services, (r) => r.tool.version)}): rules and estimates may differ between them`,
    );
  }
  const metricsSource = mergedMetricsSource(services.map(({ input }) => input.result.summary.metricsSource));
  if (unique(services.map(({ input }) => input.result.summary.metricsSource)).length > 1) {
    warnings.push(
      `metrics sources differ (${listPer(services, (r) => r.summary.metricsSource)}): each function's metrics say where its figures come from`,
    );
  }
  const withDiff = services.filter(({ input }) => input.result.diff !== undefined).map(({ name }) => name);
  if (withDiff.length > 0) warnings.push(`the diffs of ${withDiff.join(', ')} are not carried into the merge: diff two merged results instead`);
  for (const { input, name } of services) warnings.push(...input.result.warnings.map((w) => `${name}: ${w}`));

  const cost = mergeCost(services, functions);
  const unreferenced = services.some(({ input }) => input.result.unreferenced !== undefined)
    ? services.flatMap(({ input, name }) => (input.result.unreferenced ?? []).map((u) => ({ ...u, file: `${name}:${u.file}` })))
    : undefined;
  const notAnalysed = services.some(({ input }) => input.result.notAnalysed !== undefined)
    ? services.flatMap(({ input, name }) => (input.result.notAnalysed ?? []).map((n) => ({ ...n, id: `${name}:${n.id}` })))
    : undefined;
  const suppressed = mergeSuppressed(services);

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'lambda-migrate', version: toolVersion },
    root: services.map(({ name }) => name).join(' + '),
    complete: services.every(({ input }) => input.result.complete),
    summary: {
      functions: functions.length,
      files: sum((r) => r.summary.files),
      lines: sum((r) => r.summary.lines),
      findings,
      estInitMs: sum((r) => r.summary.estInitMs),
      metricsSource,
      ...(cost !== undefined ? { cost } : {}),
    },
    rules: mergeRules(services.map(({ input }) => input.result.rules)),
    functions,
    skipped: services
      .flatMap(({ input, name }) => input.result.skipped.map((s) => ({ ...s, file: `${name}:${s.file}` })))
      .sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.reason, b.reason)),
    warnings,
    ...(unreferenced !== undefined ? { unreferenced } : {}),
    ...(notAnalysed !== undefined ? { notAnalysed } : {}),
    ...(suppressed !== undefined ? { suppressed } : {}),
  };
}

interface Service {
  input: MergeInput;
  name: string;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

function listPer(services: readonly Service[], pick: (r: ScanResult) => string): string {
  return services.map(({ input, name }) => `${name} ${pick(input.result)}`).join(', ');
}

/** One source when they agree; else the most common measured source (each function's metrics name their own). */
function mergedMetricsSource(sources: readonly MetricsSource[]): MetricsSource {
  const measured = sources.filter((s) => s !== 'none');
  if (measured.length === 0) return 'none';
  const counts = new Map<MetricsSource, number>();
  for (const s of measured) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))[0]?.[0] ?? 'none';
}

function mergeRules(lists: readonly RuleSummary[][]): RuleSummary[] {
  const byId = new Map<string, RuleSummary>();
  for (const rule of lists.flat()) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}

function mergeSuppressed(services: readonly Service[]): ScanResult['suppressed'] {
  const present = services.filter(({ input }) => input.result.suppressed !== undefined);
  if (present.length === 0) return undefined;
  const configs = present.flatMap(({ input, name }) => {
    const file = input.result.suppressed?.configFile ?? null;
    return file === null ? [] : [`${name}:${file}`];
  });
  return {
    inline: present.reduce((s, { input }) => s + (input.result.suppressed?.inline ?? 0), 0),
    baseline: present.reduce((s, { input }) => s + (input.result.suppressed?.baseline ?? 0), 0),
    allowedFiles: present.reduce((s, { input }) => s + (input.result.suppressed?.allowedFiles ?? 0), 0),
    configFile: configs.length === 0 ? null : configs.join(', '),
  };
}

/**
 * Sums the services' months. Each service was priced on its own, so the sum is what they cost as separate accounts:
 * AWS applies the compute tiers (and the free tier) once per account and region, which the notes say.
 */
function mergeCost(services: readonly Service[], functions: readonly FunctionResult[]): CostSummary | undefined {
  const priced = services.flatMap(({ input, name }) => (input.result.summary.cost !== undefined ? [{ name, cost: input.result.summary.cost }] : []));
  const first = priced[0];
  if (first === undefined) return undefined;
  const total = (pick: (c: CostSummary) => number): number => priced.reduce((s, { cost }) => s + pick(cost), 0);
  const joinUnique = (pick: (c: CostSummary) => string, sep: string): string => unique(priced.map(({ cost }) => pick(cost))).join(sep);

  const scenarios: CostSummary['scenarios'] = [];
  for (const { cost } of priced) {
    for (const s of cost.scenarios) {
      const into = scenarios.find((x) => x.id === s.id);
      if (into === undefined) scenarios.push({ ...s });
      else {
        into.savingMicroUsd += s.savingMicroUsd;
        into.functions += s.functions;
      }
    }
  }
  const bases = unique(priced.map(({ cost }) => cost.basis).filter((b) => b !== 'none'));
  const basis: CostSummary['basis'] =
    bases.length === 0 ? 'none' : bases.length > 1 ? 'mixed' : (priced.find(({ cost }) => cost.basis !== 'none')?.cost.basis ?? 'none');
  const freeTiers = priced.flatMap(({ cost }) => (cost.freeTierMicroUsd === null ? [] : [cost.freeTierMicroUsd]));

  const notes = [
    `merged from ${services.length} services (${services.map(({ name }) => name).join(', ')}); each service's month was priced on its own and the months are summed`,
    'AWS applies the compute price tiers per account and region: services that share an account reach the cheaper tiers sooner together, so the summed tier figures are upper bounds',
  ];
  if (freeTiers.length > 0)
    notes.push('the free tier applies once per account: with services in one account, the summed free tier overstates what it takes off');
  if (unique(priced.map(({ cost }) => cost.region)).length > 1) {
    notes.push(
      `price regions differ (${priced.map(({ name, cost }) => `${name} ${cost.region}`).join(', ')}): the total adds months priced at different regional rates`,
    );
  }
  if (unique(priced.map(({ cost }) => cost.pricesDate)).length > 1) {
    notes.push(
      `price tables differ in date (${priced.map(({ name, cost }) => `${name} ${cost.pricesDate}`).join(', ')}): re-scan with one lambda-migrate version to compare like with like`,
    );
  }
  const unpriced = services.filter(({ input }) => input.result.summary.cost === undefined).map(({ name }) => name);
  if (unpriced.length > 0) notes.push(`no cost model ran for ${unpriced.join(', ')}: their functions are not in the totals`);
  for (const note of priced.flatMap(({ cost }) => cost.notes)) if (!notes.includes(note)) notes.push(note);

  return {
    region: joinUnique((c) => c.region, ', '),
    currency: 'USD',
    pricesSource: joinUnique((c) => c.pricesSource, '; '),
    pricesDate: joinUnique((c) => c.pricesDate, ', '),
    basis,
    monthlyMicroUsd: total((c) => c.monthlyMicroUsd),
    freeTierMicroUsd: freeTiers.length === 0 ? null : freeTiers.reduce((s, v) => s + v, 0),
    monthlyAfterFreeTierMicroUsd: total((c) => c.monthlyAfterFreeTierMicroUsd),
    functionsPriced: total((c) => c.functionsPriced),
    functionsNeedingMetrics: total((c) => c.functionsNeedingMetrics),
    scenarios,
    planSavingMicroUsd: total((c) => c.planSavingMicroUsd),
    top: functions
      .filter((f) => (f.plan?.savingMicroUsd ?? 0) > 0)
      .slice(0, TOP)
      .map((f) => ({ id: f.id, name: f.name, savingMicroUsd: f.plan?.savingMicroUsd ?? 0, effortPoints: f.plan?.effortPoints ?? 0 })),
    notes,
  };
}
