/**
 * What changed between two results: a base (the main branch, last quarter) and a head (this PR, this quarter). Pure:
 * two `ScanResult`s in, a `ResultDiff` out. Functions match by `id`; findings by rule + file + fingerprint (the
 * baseline's key), else rule + file + message, so a finding that only moved lines is neither new nor fixed.
 */
import { fingerprintKey } from '../config/baseline.js';
import { loadCostData } from '../cost-data.js';
import { toMicroUsd } from '../cost/money.js';
import type {
  Architecture,
  InitPricing,
  DiffFigure,
  DiffFinding,
  DiffPackage,
  Finding,
  FunctionDiff,
  FunctionResult,
  InitPackage,
  ResultDiff,
  ScanResult,
} from '../model/result.js';
import { compareStrings } from '../util/compare.js';

/** The identity `diff` matches findings on; exported so views that group findings use the same one. */
export function findingIdentity(f: Pick<Finding, 'ruleId' | 'file' | 'message'> & { fingerprint?: string }): string {
  return fingerprintKey(f) ?? `${f.ruleId}\0${f.file}\0message\0${f.message}`;
}

/** The first-tier compute price per GB-second of a region and architecture, as an exact rate and as written. */
export type InitRate = (region: string, architecture: Architecture) => { rate: bigint; text: string } | null;

/** The price catalog's rate (rules/catalog/lambda-prices.json), the one each function's own month is priced at. */
export const catalogInitRate: InitRate = (region, architecture) => {
  const tier = loadCostData().catalog.regions.get(region)?.compute[architecture][0];
  return tier === undefined ? null : { rate: tier.perGbSecond, text: tier.text };
};

/**
 * A head scanned without usage (the PR's own scan has no metrics: it is not deployed yet) still changes the bill:
 * the init it adds runs on every cold start the base measured. Priced like INIT is billed, cold starts x memory x
 * init x the GB-second rate, exact up to the half-up rounding to micro-dollars.
 */
function priceInitChange(base: FunctionResult, head: FunctionResult, initDeltaMs: number, rateOf: InitRate): InitPricing | null {
  const c = base.cost;
  if (c === null || c.monthly === null || c.usage === null || c.current === null) return null;
  const memoryMB = head.memoryMB ?? c.current.memoryMB;
  const architecture = head.architecture ?? c.current.architecture;
  const rate = rateOf(c.region, architecture);
  if (rate === null) return null;
  const initMsAdded = Math.round(initDeltaMs);
  const coldStarts = Math.round(c.usage.coldStartsPerMonth);
  const billed = c.usage.initBilled;
  // MB-ms x (10^-10 USD per GB-s) is the Money unit of src/cost/money.ts: exact integers until the last rounding.
  const money = billed ? BigInt(coldStarts) * BigInt(memoryMB) * BigInt(initMsAdded) * rate.rate : 0n;
  return {
    basis: 'base-usage',
    initMsAdded,
    coldStartsPerMonth: coldStarts,
    memoryMB,
    architecture,
    region: c.region,
    perGbSecond: billed ? rate.text : '0',
    initBilled: billed,
    microUsd: toMicroUsd(money),
  };
}

/** Estimates carry one decimal (as `summary.estInitMs` does); float sums must not show 0.30000000000000004. */
function tenths(n: number): number {
  return Math.round(n * 10) / 10;
}

function percent(added: number, base: number | null): number | null {
  return base === null || base === 0 ? null : tenths((added / base) * 100);
}

function figure(base: number | null, head: number | null, status: FunctionDiff['status']): DiffFigure {
  // An added function brings its whole figure, a removed one takes its whole figure away.
  const delta =
    status === 'added' ? head : status === 'removed' ? (base === null ? null : -base) : base === null || head === null ? null : head - base;
  return { base, head, delta: delta === null ? null : tenths(delta) };
}

function monthly(fn: FunctionResult | undefined): number | null {
  return fn?.cost?.monthly?.totalMicroUsd ?? null;
}

function measuredInitP50(fn: FunctionResult | undefined): number | null {
  const m = fn?.metrics;
  return m?.status === 'ok' ? (m.initMs?.p50 ?? null) : null;
}

/** Package identity on the init path: name plus subpaths (`lodash` and `lodash/get` are different loads). */
function packageKey(pkg: InitPackage): string {
  return `${pkg.name}\0${[...pkg.subpaths].sort(compareStrings).join('\0')}`;
}

function packageLabel(pkg: InitPackage): string {
  return pkg.subpaths.length === 0 ? pkg.name : pkg.subpaths.map((sub) => `${pkg.name}/${sub}`).join(', ');
}

function packagesOnlyIn(side: FunctionResult | undefined, other: FunctionResult | undefined): DiffPackage[] {
  const otherKeys = new Set((other?.init?.packages ?? []).map(packageKey));
  return (side?.init?.packages ?? [])
    .filter((pkg) => !otherKeys.has(packageKey(pkg)))
    .map((pkg) => ({ name: packageLabel(pkg), estInitMs: pkg.estInitMs }))
    .sort((a, b) => (b.estInitMs ?? 0) - (a.estInitMs ?? 0) || compareStrings(a.name, b.name));
}

function diffFinding(f: Finding): DiffFinding {
  return { ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, message: f.message, estInitMs: f.estInitMs };
}

function findingsOnlyIn(side: FunctionResult | undefined, other: FunctionResult | undefined): Finding[] {
  const otherKeys = new Set((other?.findings ?? []).map(findingIdentity));
  const seen = new Set<string>();
  return (side?.findings ?? []).filter((f) => {
    const key = findingIdentity(f);
    if (otherKeys.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function byLocation(a: DiffFinding, b: DiffFinding): number {
  return compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.message, b.message);
}

function functionDiff(id: string, base: FunctionResult | undefined, head: FunctionResult | undefined, rateOf: InitRate): FunctionDiff | null {
  const status: FunctionDiff['status'] = base === undefined ? 'added' : head === undefined ? 'removed' : 'changed';
  const name = (head ?? base)?.name ?? id;
  const estInitMs = figure(base?.init?.estInitMs ?? null, head?.init?.estInitMs ?? null, status);
  const measuredBase = measuredInitP50(base);
  const measuredHead = measuredInitP50(head);
  const initPriced =
    base !== undefined && head !== undefined && monthly(head) === null && estInitMs.delta !== null && estInitMs.delta !== 0
      ? priceInitChange(base, head, estInitMs.delta, rateOf)
      : null;
  const baseMonthly = monthly(base);
  // A head without usage whose init did not move costs what the base costs: the same month, not an unknown one.
  const sameMonth = status === 'changed' && baseMonthly !== null && monthly(head) === null && estInitMs.delta === 0 && base?.cost?.usage != null;
  const cost =
    initPriced !== null && baseMonthly !== null
      ? { base: baseMonthly, head: baseMonthly + initPriced.microUsd, delta: initPriced.microUsd }
      : sameMonth
        ? { base: baseMonthly, head: baseMonthly, delta: 0 }
        : figure(baseMonthly, monthly(head), status);
  const packagesAdded = packagesOnlyIn(head, base);
  const packagesRemoved = packagesOnlyIn(base, head);
  const findingsNew = findingsOnlyIn(head, base);
  const findingsFixed = findingsOnlyIn(base, head);
  const changed =
    status !== 'changed' ||
    (estInitMs.delta ?? 0) !== 0 ||
    (cost.delta ?? 0) !== 0 ||
    // A figure that appears or disappears (a handler that became unparseable) is a change even without a delta.
    (estInitMs.base === null) !== (estInitMs.head === null) ||
    (cost.base === null) !== (cost.head === null) ||
    packagesAdded.length + packagesRemoved.length + findingsNew.length + findingsFixed.length > 0;
  if (!changed) return null;
  return {
    id,
    name,
    status,
    estInitMs,
    // Measured figures move from run to run, so they never make a function "changed" on their own.
    measuredInitMs:
      measuredBase === null || measuredHead === null ? null : { base: measuredBase, head: measuredHead, delta: tenths(measuredHead - measuredBase) },
    monthlyMicroUsd: cost,
    ...(initPriced === null ? {} : { initPriced }),
    packagesAdded,
    packagesRemoved,
    findingsNew: findingsNew.map(diffFinding).sort(byLocation),
    findingsFixed: findingsFixed.map(diffFinding).sort(byLocation),
  };
}

function knownSum(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((sum, v) => sum + v, 0);
}

export function diffResults(base: ScanResult, head: ScanResult, rateOf: InitRate = catalogInitRate): ResultDiff {
  const baseById = new Map(base.functions.map((fn) => [fn.id, fn]));
  const headById = new Map(head.functions.map((fn) => [fn.id, fn]));
  const ids = [...new Set([...baseById.keys(), ...headById.keys()])].sort(compareStrings);
  const functions = ids
    .map((id) => functionDiff(id, baseById.get(id), headById.get(id), rateOf))
    .filter((d): d is FunctionDiff => d !== null)
    .sort(
      (a, b) =>
        Math.abs(b.estInitMs.delta ?? 0) - Math.abs(a.estInitMs.delta ?? 0) ||
        Math.abs(b.monthlyMicroUsd.delta ?? 0) - Math.abs(a.monthlyMicroUsd.delta ?? 0) ||
        compareStrings(a.id, b.id),
    );

  // Totals count a finding once however many functions share it, and only when the whole service gained or lost it.
  const baseKeys = new Set(base.functions.flatMap((fn) => fn.findings.map(findingIdentity)));
  const headKeys = new Set(head.functions.flatMap((fn) => fn.findings.map(findingIdentity)));
  const baseEstInit = tenths(base.functions.reduce((sum, fn) => sum + (fn.init?.estInitMs ?? 0), 0));
  const estInitMsAdded = tenths(functions.reduce((sum, d) => sum + (d.estInitMs.delta ?? 0), 0));
  const baseMonthly = knownSum(base.functions.map((fn) => monthly(fn)));
  // A head priced from the base's usage has a month too, for the totals' "neither side has cost" test.
  const headMonthly = knownSum([
    ...head.functions.map((fn) => monthly(fn)),
    ...functions.map((d) => (d.initPriced === undefined ? null : d.monthlyMicroUsd.head)),
  ]);
  const monthlyAdded = baseMonthly === null && headMonthly === null ? null : functions.reduce((sum, d) => sum + (d.monthlyMicroUsd.delta ?? 0), 0);
  return {
    base: { root: base.root, toolVersion: base.tool.version, functions: base.functions.length, estInitMs: baseEstInit, monthlyMicroUsd: baseMonthly },
    functions,
    totals: {
      functionsAdded: functions.filter((d) => d.status === 'added').length,
      functionsRemoved: functions.filter((d) => d.status === 'removed').length,
      functionsChanged: functions.filter((d) => d.status === 'changed').length,
      estInitMsAdded,
      estInitPct: percent(estInitMsAdded, baseEstInit),
      monthlyMicroUsdAdded: monthlyAdded === null ? null : Math.round(monthlyAdded),
      monthlyPct: monthlyAdded === null ? null : percent(monthlyAdded, baseMonthly),
      findingsNew: [...headKeys].filter((key) => !baseKeys.has(key)).length,
      findingsFixed: [...baseKeys].filter((key) => !headKeys.has(key)).length,
    },
  };
}

/** The head with the diff attached: what `lambda-migrate diff` prints and `scan --baseline RESULT.json` returns. */
export function withDiff(base: ScanResult, head: ScanResult): ScanResult {
  return { ...head, diff: diffResults(base, head) };
}
