import type {
  CostConfidence,
  CostScenario,
  FunctionCost,
  FunctionResult,
  FunctionShape,
  MigrationPlan,
  PlanStep,
  ScenarioId,
} from '../model/result.js';
import type { RegionPrices, CostFactors } from './data.js';
import { formatUsd, toMicroUsd } from './money.js';
import { monthlyOf, weakest, type Volume } from './project.js';

const ACTIONS: Record<ScenarioId, (fn: FunctionResult, s: CostScenario) => string> = {
  'in-node-fixes': (fn) => {
    const rules = [...new Set(fn.findings.filter((x) => x.estInitMs !== null).map((x) => x.ruleId))];
    return `Fix the init findings (${rules.join(', ')}): lazy-load or drop heavy packages, use modular SDK v3 clients, bundle with esbuild`;
  },
  arm64: (_fn, s) => `Switch to arm64 (Architectures: [arm64])${s.risks.length > 0 ? `; ${s.risks.join('; ')}` : ''}`,
  'right-size': (_fn, s) => `Right-size memory: ${s.detail ?? ''}`,
  llrt: () => 'Run on LLRT (provided.al2023 + the LLRT bootstrap, arm64), after checking the handler under LLRT',
  rust: () => 'Port to Rust: axum + lambda_http, provided.al2023 on arm64',
  // What-ifs: shown beside the plan, not taken as steps (bundling overlaps the in-Node fixes; Managed Instances is a different compute model).
  bundle: () => 'Bundle with esbuild (tree-shaking on, @aws-sdk/* external)',
  'managed-instances': (_fn, s) => `Run on Lambda Managed Instances: ${s.detail ?? ''}`,
};

const TARGET_SHAPE =
  'Rust: one axum Router served by lambda_http::run in Lambda and by a plain tokio listener locally (dual mode), ' +
  'provided.al2023 on arm64, built and deployed with cargo-lambda or the CDK RustFunction construct (cargo-lambda-cdk)';
const LLRT_SHAPE = 'LLRT: the same JavaScript bundled with esbuild, provided.al2023 on arm64 with the LLRT bootstrap as a layer or in the zip';

/**
 * The plan for one function: cheap in-Node steps first (each applied on top of the previous), then a port to LLRT or
 * Rust when it saves more on top of them; priced on the same month as the current figure.
 */
export function planFunction(
  fn: FunctionResult,
  cost: FunctionCost,
  volume: Volume | null,
  initBilled: boolean,
  prices: RegionPrices,
  f: CostFactors,
): MigrationPlan {
  const crates = (fn.portability?.packages ?? []).map((p) => ({ package: p.package, crates: p.crates, fit: p.fit }));
  const blockers = {
    rust: [...new Set((fn.portability?.rust.blockers ?? []).map((b) => b.name))],
    llrt: [...new Set((fn.portability?.llrt.blockers ?? []).map((b) => b.name))],
  };
  const base: MigrationPlan = {
    monthlyNowMicroUsd: cost.monthly?.totalMicroUsd ?? null,
    monthlyAfterMicroUsd: null,
    savingMicroUsd: null,
    effortPoints: 0,
    priority: 0,
    confidence: 'low',
    steps: [],
    crates,
    blockers,
    target: null,
    note: cost.status === 'needs_metrics' ? cost.detail : null,
  };
  const current = cost.current;
  if (current === null || volume === null || cost.monthly === null) return base;

  const by = new Map(cost.scenarios.map((s) => [s.id, s]));
  const steps: PlanStep[] = [];
  let shape: FunctionShape = current;
  let billed = initBilled;
  let monthly = monthlyOf(shape, volume, billed, prices, f).money;
  let confidence: CostConfidence = cost.status === 'measured' ? 'high' : 'low';
  const take = (id: ScenarioId, next: FunctionShape, effort: number, nextBilled = billed): void => {
    const s = by.get(id);
    if (s === undefined || s.status !== 'projected') return;
    const after = monthlyOf(next, volume, nextBilled, prices, f).money;
    if (after >= monthly) return;
    steps.push({
      order: steps.length + 1,
      scenario: id,
      action: ACTIONS[id](fn, s),
      savingMicroUsd: toMicroUsd(monthly - after),
      monthlyAfterMicroUsd: toMicroUsd(after),
      effortPoints: effort,
      confidence: s.confidence,
    });
    confidence = weakest(confidence, s.confidence);
    shape = next;
    billed = nextBilled;
    monthly = after;
  };

  const fix = by.get('in-node-fixes')?.shape;
  if (fix) take('in-node-fixes', { ...shape, initMs: fix.initMs }, f.effortPoints.inNodeFixes);
  const arm = by.get('arm64')?.shape;
  if (arm)
    take('arm64', { ...shape, architecture: 'arm64', durationMs: ratio(shape.durationMs, arm.durationMs, current.durationMs) }, f.effortPoints.arm64);
  const rs = by.get('right-size')?.shape;
  if (rs) {
    take(
      'right-size',
      {
        ...shape,
        memoryMB: rs.memoryMB,
        durationMs: ratio(shape.durationMs, rs.durationMs, current.durationMs),
        initMs: shape.initMs * (rs.initMs / current.initMs),
      },
      f.effortPoints.rightSize,
    );
  }

  // A port replaces the runtime: its shape is absolute, compared with what the in-Node steps leave.
  const portEffort = fn.effort?.points ?? 0;
  const ports = (['rust', 'llrt'] as const)
    .map((id) => {
      const s = by.get(id);
      if (s?.status !== 'projected' || s.shape === null) return null;
      const effort = id === 'rust' ? portEffort : f.effortPoints.llrtBase + portEffort / 4;
      const after = monthlyOf(s.shape, volume, true, prices, f).money;
      const gain = monthly - after;
      return gain > 0n ? { id, shape: s.shape, effort, gain, perPoint: toMicroUsd(gain) / Math.max(effort, 0.5) } : null;
    })
    .filter((p): p is NonNullable<typeof p> => p !== null)
    .sort((a, b) => b.perPoint - a.perPoint);
  const best = ports[0];
  const threshold = f.portThreshold.minMonthlySavingPerEffortPointUsd * 1_000_000;
  let portNote: string | null = null;
  if (best && best.perPoint >= threshold) take(best.id, best.shape, best.effort, true);
  else if (best) {
    portNote =
      `${best.id === 'rust' ? 'Rust' : 'LLRT'} would save ${formatUsd(toMicroUsd(best.gain))}/month more for ${best.effort} effort points: ` +
      `below the ${formatUsd(threshold)}/month per point a port needs (rules/catalog/cost-factors.json portThreshold)`;
  }

  const effortPoints = steps.reduce((s, x) => s + x.effortPoints, 0);
  const saving = cost.monthly.totalMicroUsd - toMicroUsd(monthly);
  const portInPlan = steps.find((s) => s.scenario === 'rust' || s.scenario === 'llrt')?.scenario;
  return {
    ...base,
    monthlyAfterMicroUsd: toMicroUsd(monthly),
    savingMicroUsd: saving,
    effortPoints,
    priority: effortPoints === 0 ? 0 : Math.round(saving / Math.max(effortPoints, 0.5)),
    confidence: steps.length === 0 ? (cost.status === 'measured' ? 'high' : 'low') : confidence,
    steps,
    target: portInPlan === 'llrt' ? LLRT_SHAPE : blockers.rust.length === 0 ? TARGET_SHAPE : null,
    note:
      [steps.length === 0 ? 'no step saves money on these figures' : null, portNote, cost.status === 'assumed' ? cost.detail : null]
        .filter((n): n is string => n !== null)
        .join('; ') || null,
  };
}

/** Applies a scenario's relative change of duration to a shape that earlier steps already changed. */
function ratio(now: number | null, scenario: number | null, original: number | null): number | null {
  if (now === null || scenario === null || original === null || original === 0) return now;
  return now * (scenario / original);
}
