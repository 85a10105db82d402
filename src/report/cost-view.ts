/**
 * Cost and plan lines for the text and markdown reports. Every amount is shown from integer micro-dollars (the only
 * rounding), and every factor carries a numbered source listed once at the end of the report.
 */
import type { CostFactor, CostScenario, FunctionCost, FunctionResult, MonthlyCost, ScanResult } from '../model/result.js';
import { formatUsd } from '../cost/money.js';
import { formatMs, plural } from './format.js';

/** `$0.0095`: cents from a dollar up, else two significant digits (at most six decimals). */
export function usd(micro: number | null): string {
  return micro === null ? '?' : formatUsd(micro);
}

/** Numbers each distinct source once, in order of first use. */
export class SourceIndex {
  private readonly map = new Map<string, number>();
  ref(source: string): number {
    let n = this.map.get(source);
    if (n === undefined) {
      n = this.map.size + 1;
      this.map.set(source, n);
    }
    return n;
  }
  list(): string[] {
    return [...this.map.keys()].map((s, i) => `[${i + 1}] ${s}`);
  }
}

export function factorLabel(f: CostFactor, sources: SourceIndex): string {
  return `${f.name}: ${f.value} (${f.confidence}) [${sources.ref(f.source)}]`;
}

export interface ScenarioRow {
  id: string;
  saving: string;
  after: string;
  confidence: string;
  detail: string;
  factors: string[];
  risks: string[];
}

/** One part of the month now: requests, invoke, INIT, ephemeral storage, provisioned concurrency, or the total. */
export interface CostComponentView {
  label: string;
  /** `$0.013`, or why there is no figure (`needs metrics`, `not billed`, `not priced`). */
  amount: string;
  /** What the figure is made of (`871 ms x 1024 MB`, `2048 MB`, `1 unit`); empty when nothing to add. */
  detail: string;
}

export interface FunctionCostView {
  /** One line: the month now and what it is made of, or why there is none. */
  headline: string;
  /** The headline without the parts (`cost $11.06/month (us-east-1, ...): 39,629 invocations ...`), for a page that tabulates them. */
  basisLine: string;
  /** The month now by part, the total last; empty when there is no month. */
  components: CostComponentView[];
  factors: string[];
  scenarios: ScenarioRow[];
  /** Each scenario's factors and risks, prefixed with its id, in scenario order. */
  scenarioNotes: string[];
  planHeadline: string | null;
  steps: string[];
  crates: string | null;
  blockers: string | null;
  target: string | null;
  note: string | null;
}

function scenarioRow(s: CostScenario, sources: SourceIndex): ScenarioRow {
  const projected = s.status === 'projected';
  return {
    id: s.id,
    saving: projected ? usd(s.savingMicroUsd) : s.status === 'blocked' ? 'blocked' : 'n/a',
    after: projected ? usd(s.monthly?.totalMicroUsd ?? null) : '',
    confidence: projected ? s.confidence : '',
    detail: s.detail ?? '',
    factors: s.factors.map((f) => factorLabel(f, sources)),
    risks: s.risks,
  };
}

/**
 * The month now by part. Ephemeral storage and provisioned concurrency are listed only when the function configures
 * them (the model leaves them out otherwise), as `not priced` when the region has no rate for them.
 */
function costComponents(c: FunctionCost, m: MonthlyCost, initBilled: boolean): CostComponentView[] {
  const shape = c.current;
  const parts: (CostComponentView | null)[] = [
    { label: 'Requests', amount: usd(m.requestsMicroUsd), detail: c.usage === null ? '' : plural(c.usage.invocationsPerMonth, 'invocation') },
    {
      label: 'Invoke',
      amount: m.invokeMicroUsd === null ? 'needs metrics' : usd(m.invokeMicroUsd),
      detail: shape?.durationMs == null ? '' : `${formatMs(shape.durationMs)} ms x ${shape.memoryMB} MB`,
    },
    {
      label: 'INIT',
      amount: initBilled ? usd(m.initMicroUsd) : 'not billed',
      detail: shape === null ? '' : `${formatMs(shape.initMs)} ms x ${shape.memoryMB} MB`,
    },
    m.ephemeralMicroUsd === undefined
      ? null
      : {
          label: 'Ephemeral storage',
          amount: m.ephemeralMicroUsd === null ? 'not priced' : usd(m.ephemeralMicroUsd),
          detail: shape?.ephemeralStorageMB === undefined ? '' : `${shape.ephemeralStorageMB} MB`,
        },
    m.provisionedMicroUsd === undefined
      ? null
      : {
          label: 'Provisioned concurrency',
          amount: m.provisionedMicroUsd === null ? 'not priced' : usd(m.provisionedMicroUsd),
          detail: shape?.provisionedConcurrency === undefined ? '' : plural(shape.provisionedConcurrency, 'unit'),
        },
    { label: 'Total', amount: usd(m.totalMicroUsd), detail: 'per month' },
  ];
  return parts.filter((p): p is CostComponentView => p !== null);
}

export function functionCostView(fn: FunctionResult, sources: SourceIndex): FunctionCostView | null {
  const c = fn.cost;
  if (c === null) return null;
  const plan = fn.plan;
  const crates = (plan?.crates ?? []).filter((p) => p.fit !== 'unknown');
  // The port lines of the report list the same blockers with where they are; the plan repeats them only for a result
  // without a portability analysis.
  const blockers =
    plan === null || (fn.portability !== undefined && fn.portability !== null)
      ? null
      : [
          plan.blockers.rust.length > 0 ? `Rust blocked by ${plan.blockers.rust.join(', ')}` : null,
          plan.blockers.llrt.length > 0 ? `LLRT blocked by ${plan.blockers.llrt.join(', ')}` : null,
        ]
          .filter((x): x is string => x !== null)
          .join(' · ');
  if (c.monthly === null || c.usage === null) {
    // Without any metrics every function says the same: the summary says it once.
    if (fn.metrics === null) return null;
    const headline = `cost: ${c.detail ?? c.status}`;
    return {
      headline,
      basisLine: headline,
      components: [],
      factors: [],
      scenarios: [],
      scenarioNotes: [],
      planHeadline: null,
      steps: [],
      crates: null,
      blockers: blockers || null,
      target: null,
      note: null,
    };
  }
  const u = c.usage;
  const m = c.monthly;
  const basis =
    c.status === 'measured'
      ? `measured, ${u.windowDays ?? '?'}-day window x ${u.scaleToMonth ?? '?'}`
      : 'ASSUMED usage (--invocations, --cold-start-rate)';
  const basisLine = `cost ${usd(m.totalMicroUsd)}/month (${c.region}, ${basis}): ${plural(u.invocationsPerMonth, 'invocation')} and ${plural(u.coldStartsPerMonth, 'cold start')} a month`;
  const headline =
    `${basisLine} · ` +
    `requests ${usd(m.requestsMicroUsd)} · invoke ${m.invokeMicroUsd === null ? 'needs metrics' : usd(m.invokeMicroUsd)} · INIT ${u.initBilled ? usd(m.initMicroUsd) : 'not billed'}` +
    (c.current ? ` (${formatMs(c.current.initMs)} ms x ${c.current.memoryMB} MB)` : '') +
    (m.ephemeralMicroUsd !== undefined
      ? ` · ephemeral storage ${m.ephemeralMicroUsd === null ? 'not priced' : usd(m.ephemeralMicroUsd)}${c.current?.ephemeralStorageMB !== undefined ? ` (${c.current.ephemeralStorageMB} MB)` : ''}`
      : '') +
    (m.provisionedMicroUsd !== undefined
      ? ` · provisioned concurrency ${m.provisionedMicroUsd === null ? 'not priced' : usd(m.provisionedMicroUsd)}${c.current?.provisionedConcurrency !== undefined ? ` (${plural(c.current.provisionedConcurrency, 'unit')})` : ''}`
      : '');
  const factors = c.factors.map((f) => factorLabel(f, sources));
  const rows = c.scenarios.map((s) => scenarioRow(s, sources));
  const planHeadline =
    plan === null || plan.savingMicroUsd === null
      ? null
      : plan.steps.length === 0
        ? `plan: nothing to do for money${plan.note ? ` (${plan.note})` : ''}`
        : `plan: saves ${usd(plan.savingMicroUsd)}/month (${usd(plan.monthlyNowMicroUsd)} -> ${usd(plan.monthlyAfterMicroUsd)}) for ${plan.effortPoints} effort point${plan.effortPoints === 1 ? '' : 's'} · confidence ${plan.confidence}`;
  return {
    headline,
    basisLine,
    components: costComponents(c, m, u.initBilled),
    factors,
    scenarios: rows,
    scenarioNotes: rows.flatMap((r) => [...r.factors.map((f) => `${r.id} · ${f}`), ...r.risks.map((risk) => `${r.id} · risk: ${risk}`)]),
    planHeadline,
    steps: (plan?.steps ?? []).map(
      (s) =>
        `${s.order}. ${s.action} · saves ${usd(s.savingMicroUsd)} -> ${usd(s.monthlyAfterMicroUsd)}/month (${s.effortPoints} pts, ${s.confidence})`,
    ),
    crates:
      crates.length === 0
        ? null
        : `Rust crates: ${crates.map((p) => `${p.package} -> ${p.crates.length === 0 ? 'std' : p.crates.join(' + ')} (${p.fit})`).join(' · ')}`,
    blockers: blockers || null,
    target: plan?.target ?? null,
    note: plan !== null && plan.steps.length > 0 ? plan.note : null,
  };
}

export interface CostSummaryView {
  headline: string;
  scenarios: string | null;
  top: string | null;
  notes: string[];
}

export function costSummaryView(result: ScanResult, sources: SourceIndex): CostSummaryView | null {
  const c = result.summary.cost;
  if (c === undefined) return null;
  if (c.functionsPriced === 0) {
    return {
      headline: `cost: ${plural(c.functionsNeedingMetrics, 'function')} need metrics: pass --logs, --aws or --metrics, or assume usage with --invocations and --cold-start-rate (${c.region} prices [${sources.ref(c.pricesSource)}])`,
      scenarios: null,
      top: null,
      notes: [],
    };
  }
  const free = c.freeTierMicroUsd === null ? '' : ` · free tier -${usd(c.freeTierMicroUsd)} -> ${usd(c.monthlyAfterFreeTierMicroUsd)}`;
  const needs = c.functionsNeedingMetrics === 0 ? '' : ` · ${plural(c.functionsNeedingMetrics, 'function')} need metrics`;
  return {
    headline:
      `cost (${c.region} prices of ${c.pricesDate} [${sources.ref(c.pricesSource)}], ${c.basis}): ${usd(c.monthlyMicroUsd)}/month now for ${plural(c.functionsPriced, 'function')}${free}${needs} · ` +
      `all plans save ${usd(c.planSavingMicroUsd)}/month`,
    scenarios: `each scenario alone: ${c.scenarios.map((s) => `${s.id} ${usd(s.savingMicroUsd)} (${s.functions})`).join(' · ')}`,
    top:
      c.top.length === 0
        ? null
        : `act first: ${c.top.map((t) => `${t.name} saves ${usd(t.savingMicroUsd)}/month for ${t.effortPoints} pts`).join(' · ')}`,
    notes: c.notes,
  };
}

/**
 * The two figures a reader acts on, as one sentence without names from the scanned code (so every report can show
 * it first): the month now and what the plan saves. Null when no function is priced.
 */
export function costHeadline(result: ScanResult): string | null {
  const c = result.summary.cost;
  if (c === undefined || c.functionsPriced === 0) return null;
  const pct = c.monthlyMicroUsd === 0 ? '' : ` (${Math.round((c.planSavingMicroUsd / c.monthlyMicroUsd) * 100)}%)`;
  return `${usd(c.monthlyMicroUsd)}/month now for ${plural(c.functionsPriced, 'function')}; the plan saves ${usd(c.planSavingMicroUsd)}/month${pct}, to ${usd(c.monthlyMicroUsd - c.planSavingMicroUsd)}`;
}
