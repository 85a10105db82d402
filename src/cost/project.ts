import type {
  Architecture,
  CostConfidence,
  CostFactor,
  CostScenario,
  FunctionCost,
  FunctionResult,
  FunctionShape,
  MonthlyCost,
  ScenarioId,
} from '../model/result.js';
import type { CostFactors, PriceCatalog, RegionPrices } from './data.js';
import { initIsBilled, priceMonth, type MonthlyUsage } from './model.js';
import { formatUsd, toMicroUsd, type Money } from './money.js';
import { bundleWhatIf, managedInstancesWhatIf } from './what-ifs.js';

/** What the user told us (CLI flags) and the data the model prices with. */
export interface CostContext {
  prices: RegionPrices;
  catalog: PriceCatalog;
  factors: CostFactors;
  region: string;
  /** `--invocations`: assumed monthly invocations for functions without measurements. */
  invocations: number | null;
  /** `--cold-start-rate`: assumed share of invocations that are cold starts (0..1). */
  coldStartRate: number | null;
  /** `--headroom`: fraction above max memory used when right-sizing. */
  headroom: number;
  /** Billing date the INIT rule is judged on when no window says otherwise (YYYY-MM-DD); null = current rules. */
  billingDate: string | null;
}

/** The month of one function as counted (whole requests, whole ms); shapes are priced against it. */
export interface Volume {
  requests: bigint;
  coldStarts: bigint;
  durationKnown: boolean;
}

const CONFIDENCE_ORDER: readonly CostConfidence[] = ['low', 'medium', 'high'];
export function weakest(...c: CostConfidence[]): CostConfidence {
  return c.reduce((a, b) => (CONFIDENCE_ORDER.indexOf(a) <= CONFIDENCE_ORDER.indexOf(b) ? a : b), 'high');
}

const fmt = (n: number, digits = 1): string => String(Math.round(n * 10 ** digits) / 10 ** digits);

/** The month's length in ms (730 h by convention). */
function monthMs(f: CostFactors): bigint {
  return BigInt(Math.round(f.monthHours.value * 3_600_000));
}

/** Ephemeral storage and provisioned concurrency of a shape, as the shape carries them (absent at the defaults). */
export function extrasOf(shape: FunctionShape): Pick<FunctionShape, 'ephemeralStorageMB' | 'provisionedConcurrency'> {
  return {
    ...(shape.ephemeralStorageMB !== undefined ? { ephemeralStorageMB: shape.ephemeralStorageMB } : {}),
    ...(shape.provisionedConcurrency !== undefined ? { provisionedConcurrency: shape.provisionedConcurrency } : {}),
  };
}

/** What a shape bills in a month at a volume: the one place usage is derived, for a function alone or the whole bill. */
export function usageOf(shape: FunctionShape, volume: Volume, initBilled: boolean, f: CostFactors): MonthlyUsage {
  const ephemeralMB = shape.ephemeralStorageMB ?? f.ephemeralStorage.freeMB;
  return {
    architecture: shape.architecture,
    memoryMB: shape.memoryMB,
    requests: volume.requests,
    // Lambda bills each invocation in whole ms: an average rounded up per request bounds that from above by < 1 ms.
    invokeMs: shape.durationMs === null ? 0n : volume.requests * BigInt(Math.ceil(shape.durationMs)),
    initMs: volume.coldStarts * BigInt(Math.ceil(shape.initMs)),
    initBilled,
    ephemeralExtraMB: Math.max(0, ephemeralMB - f.ephemeralStorage.freeMB),
    provisionedUnitMs: BigInt(shape.provisionedConcurrency ?? 0) * monthMs(f),
  };
}

export function monthlyOf(
  shape: FunctionShape,
  volume: Volume,
  initBilled: boolean,
  prices: RegionPrices,
  f: CostFactors,
): { money: Money; cost: MonthlyCost; unpriced: string[] } {
  const usage = usageOf(shape, volume, initBilled, f);
  const bill = priceMonth([usage], prices, null);
  const b = bill.usages[0];
  const money = bill.total;
  const micro = (m: Money | null | undefined): number | null => (m === null || m === undefined ? null : toMicroUsd(m));
  return {
    money,
    cost: {
      requestsMicroUsd: toMicroUsd(b?.requests ?? 0n),
      invokeMicroUsd: shape.durationMs === null ? null : toMicroUsd(b?.invoke ?? 0n),
      initMicroUsd: toMicroUsd(b?.init ?? 0n),
      ...((usage.ephemeralExtraMB ?? 0) > 0 ? { ephemeralMicroUsd: micro(b?.ephemeral) } : {}),
      ...((usage.provisionedUnitMs ?? 0n) > 0n ? { provisionedMicroUsd: micro(b?.provisioned) } : {}),
      totalMicroUsd: toMicroUsd(money),
    },
    unpriced: b?.unpriced ?? [],
  };
}

/** The factors that explain ephemeral storage and provisioned concurrency on the current shape. */
function extraFactors(shape: FunctionShape, prices: RegionPrices, f: CostFactors): CostFactor[] {
  const out: CostFactor[] = [];
  const eph = shape.ephemeralStorageMB;
  if (eph !== undefined && eph > f.ephemeralStorage.freeMB) {
    const rate = prices.ephemeral[shape.architecture];
    out.push({
      name: 'ephemeral storage',
      value:
        rate === null
          ? `${eph} MB: not priced (no ${shape.architecture} ephemeral-storage rate for ${prices.region} in the catalog)`
          : `${eph} MB: ${eph - f.ephemeralStorage.freeMB} MB above the free ${f.ephemeralStorage.freeMB} MB x billed duration (INIT included when billed) at $${rate.text} per GB-s`,
      source: rate === null ? f.ephemeralStorage.source : `${prices.extrasSource}; ${f.ephemeralStorage.source}`,
      confidence: rate === null ? 'low' : f.ephemeralStorage.confidence,
    });
  }
  const units = shape.provisionedConcurrency;
  if (units !== undefined && units > 0) {
    const pc = prices.provisioned[shape.architecture];
    out.push({
      name: 'provisioned concurrency',
      value:
        pc === null
          ? `${units} unit(s): not priced (${prices.provisionedNote ?? `no ${shape.architecture} rate for ${prices.region} in the catalog`}); invocations priced on demand`
          : `${units} unit(s) x ${shape.memoryMB} MB x ${f.monthHours.value} h at $${pc.concurrency.text} per GB-s; invocations at $${pc.duration.text} per GB-s (assumed to fit the provisioned units); INIT at allocation and recycling not priced`,
      source: pc === null ? f.provisionedConcurrency.source : `${prices.extrasSource}; ${f.provisionedConcurrency.source}`,
      confidence: pc === null ? 'low' : f.provisionedConcurrency.confidence,
    });
  }
  return out;
}

/** Relative CPU speed at a memory size: Lambda allocates CPU in proportion to memory up to one vCPU at 1,769 MB. */
function cpuSpeed(memoryMB: number, f: CostFactors): number {
  return Math.min(memoryMB, f.fullCpuMemoryMB.value) / f.fullCpuMemoryMB.value;
}

/**
 * The smallest memory from `fromMB` (in steps) up to `capMB` whose projected duration stays within the slowdown
 * budget; null when none does (or there is no duration to judge by: then `fromMB`).
 */
function memoryWithinBudget(
  fromMB: number,
  capMB: number,
  current: FunctionShape,
  durationAt: (mb: number) => number | null,
  f: CostFactors,
): number | null {
  if (current.durationMs === null) return fromMB;
  for (let mb = fromMB; mb < capMB; mb += f.memoryStepMB.value) {
    const d = durationAt(mb);
    if (d !== null && d <= current.durationMs * f.maxSlowdown.value) return mb;
  }
  return null;
}

export function rightSizedMemory(maxUsedMB: number, headroom: number, f: CostFactors): number {
  const step = f.memoryStepMB.value;
  return Math.max(f.minMemoryMB.value, Math.ceil((maxUsedMB * (1 + headroom)) / step) * step);
}

function isAwsSdkUser(fn: FunctionResult): boolean {
  const names = [...(fn.init?.packages.map((p) => p.name) ?? []), ...(fn.portability?.packages.map((p) => p.package) ?? [])];
  return names.some((n) => n === 'aws-sdk' || n.startsWith('@aws-sdk/'));
}

/** Share of duration that is CPU, from whether the per-request code does I/O. */
function cpuShareOf(fn: FunctionResult, f: CostFactors): { share: number; factor: CostFactor } {
  const io = fn.ioTangle?.ioCalls ?? null;
  const bound = io === null ? 'ioBound' : io > 0 ? 'ioBound' : 'cpuBound';
  const share = f.cpuShare[bound];
  const why =
    io === null ? 'no I/O analysis: assumed I/O-bound' : io > 0 ? `${io} I/O call(s) per request: I/O-bound` : 'no I/O calls per request: CPU-bound';
  return {
    share,
    factor: {
      name: 'CPU share of duration',
      value: `${fmt(share * 100, 0)}% (${why})`,
      source: f.cpuShare.source,
      confidence: f.cpuShare.confidence,
    },
  };
}

/** Duration after a change of memory size and of CPU speed: only the CPU part moves. */
function scaledDuration(d: number | null, cpuShare: number, runtimeFactor: number, fromMB: number, toMB: number, f: CostFactors): number | null {
  if (d === null) return null;
  const cpu = d * cpuShare * runtimeFactor * (cpuSpeed(fromMB, f) / cpuSpeed(toMB, f));
  return d * (1 - cpuShare) + cpu;
}

/** The static init estimate: the packages of the import graph plus what the runtime adds (a separate line item). */
export function estimatedInit(fn: FunctionResult): number {
  return (fn.init?.estInitMs ?? 0) + (fn.init?.runtimeAdditions?.estInitMs ?? 0);
}

function referenceInit(runtime: string, f: CostFactors): number {
  const ref = f.reference.initMs;
  return ref[runtime] ?? ref['nodejs'] ?? 0;
}

function refFactor(name: string, value: string, f: CostFactors): CostFactor {
  return { name, value, source: f.reference.source, confidence: f.reference.confidence };
}

/**
 * Current figures and every scenario for one function, each scenario a shape priced on the same month of requests
 * and cold starts. Pure: reads only the function's result and the context.
 */
export function projectFunction(fn: FunctionResult, ctx: CostContext): { cost: FunctionCost; volume: Volume | null; initBilled: boolean } {
  const f = ctx.factors;
  const m = fn.metrics;
  const priceFactor = (arch: Architecture): CostFactor => ({
    name: `price ${ctx.prices.region} ${arch}`,
    value: `$${ctx.prices.compute[arch][0]?.text ?? '?'} per GB-s (first tier), $${ctx.prices.requestPer1MText} per 1M requests`,
    source: ctx.prices.source,
    confidence: 'high',
  });
  const empty = (status: FunctionCost['status'], detail: string): { cost: FunctionCost; volume: null; initBilled: boolean } => ({
    cost: { status, detail, region: ctx.region, usage: null, current: null, monthly: null, scenarios: [], factors: [] },
    volume: null,
    initBilled: true,
  });

  const memoryMB = m?.memorySizeMB ?? m?.config?.memoryMB ?? fn.memoryMB;
  const declaredArch = m?.config?.architecture ?? fn.architecture;
  const architecture: Architecture = declaredArch ?? 'x86_64';
  const runtime = m?.config?.runtime ?? fn.runtime ?? 'nodejs20.x';
  const factors: CostFactor[] = [priceFactor(architecture)];
  const ephemeralMB = m?.config?.ephemeralStorageMB ?? fn.ephemeralStorageMB;
  const units = fn.provisionedConcurrency;
  const extras: Pick<FunctionShape, 'ephemeralStorageMB' | 'provisionedConcurrency'> = {
    ...(ephemeralMB !== undefined && ephemeralMB > f.ephemeralStorage.freeMB ? { ephemeralStorageMB: ephemeralMB } : {}),
    ...(units !== undefined && units > 0 ? { provisionedConcurrency: units } : {}),
  };
  if (declaredArch === null)
    factors.push({
      name: 'architecture',
      value: 'x86_64 (not declared: the Lambda default)',
      source: 'https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html',
      confidence: 'high',
    });

  const month = monthlyUsageOf(fn, ctx, { runtime, architecture, memoryMB, extras });
  if ('empty' in month) return empty('needs_metrics', month.empty);
  const { volume, current, usage, status, billingDate } = month;
  factors.push(...month.factors);

  const initBilled = initIsBilled(runtime, m?.config?.packageType ?? null, billingDate ?? '9999-12-31', f.initBillingFrom.value);
  usage.initBilled = initBilled;
  factors.push({
    name: 'INIT billed',
    value: initBilled
      ? `yes (on ${billingDate ?? 'current rules'}; INIT from Init Duration)`
      : `no (${runtime} ZIP before ${f.initBillingFrom.value})`,
    source: f.initBillingFrom.source,
    confidence: 'high',
  });
  factors.push(...extraFactors(current, ctx.prices, f));
  const now = monthlyOf(current, volume, initBilled, ctx.prices, f);
  const base: CostConfidence = status === 'measured' ? 'high' : 'low';
  const cpu = cpuShareOf(fn, f);

  const scenario = (
    id: ScenarioId,
    label: string,
    make: () => Omit<CostScenario, 'id' | 'label' | 'monthly' | 'savingMicroUsd'> & { billed?: boolean },
  ): CostScenario => {
    const s = make();
    if (s.status !== 'projected' || s.shape === null) return { id, label, ...s, monthly: null, savingMicroUsd: null };
    const after = monthlyOf(s.shape, volume, s.billed ?? initBilled, ctx.prices, f);
    const newlyUnpriced = after.unpriced.filter((u) => !now.unpriced.includes(u));
    // Comparing a priced month with one that leaves a component out would show a saving that is only a gap in the data.
    if (newlyUnpriced.length > 0)
      return {
        id,
        label,
        status: 'not_applicable',
        detail: `not comparable: ${newlyUnpriced.join(', ')} not priced`,
        shape: null,
        confidence: s.confidence,
        factors: s.factors,
        risks: s.risks,
        monthly: null,
        savingMicroUsd: null,
      };
    const { billed: _billed, ...rest } = s;
    return { id, label, ...rest, confidence: weakest(base, s.confidence), monthly: after.cost, savingMicroUsd: toMicroUsd(now.money - after.money) };
  };
  const na = (detail: string): Omit<CostScenario, 'id' | 'label' | 'monthly' | 'savingMicroUsd'> => ({
    status: 'not_applicable',
    detail,
    shape: null,
    confidence: base,
    factors: [],
    risks: [],
  });

  const scenarios: CostScenario[] = [
    scenario('in-node-fixes', 'In-Node fixes (lazy import, SDK v3, move module-scope I/O)', () => inNodeFixes(fn, current, status, f, na)),
    scenario('arm64', 'arm64 (Graviton)', () => {
      if (architecture === 'arm64') return na('already arm64');
      const natives = [...new Set((fn.portability?.rust.risks ?? []).filter((r) => r.kind === 'native-addon').map((r) => r.name))];
      return {
        status: 'projected',
        detail: null,
        shape: {
          ...current,
          architecture: 'arm64',
          durationMs: scaledDuration(current.durationMs, cpu.share, f.runtimeCpuFactor.arm64, current.memoryMB, current.memoryMB, f),
        },
        confidence: 'medium',
        factors: [
          priceFactor('arm64'),
          cpu.factor,
          {
            name: 'arm64 CPU time vs x86_64',
            value: `x${f.runtimeCpuFactor.arm64}`,
            source: f.runtimeCpuFactor.source,
            confidence: f.runtimeCpuFactor.confidence,
          },
        ],
        risks: natives.map((n) => `${n} ships a native addon: it needs an arm64 build`),
      };
    }),
    scenario('right-size', 'Memory right-sizing', () => rightSize(current, cpu, ctx, na)),
    scenario('llrt', 'LLRT (provided.al2023, arm64)', () => port('llrt', fn, current, cpu, ctx, na)),
    scenario('rust', 'Rust (provided.al2023, arm64, axum + lambda_http)', () => port('rust', fn, current, cpu, ctx, na)),
    scenario('bundle', 'Bundle with esbuild (tree-shaking)', () =>
      bundleWhatIf(
        fn,
        current,
        { f, floorMs: referenceInit(current.runtime, f), estimateMs: estimatedInit(fn), measured: status === 'measured' },
        na,
      ),
    ),
    managedInstancesScenario(current, volume, now.money, base, { f, prices: ctx.prices, region: ctx.region, cpuShare: cpu.share, runtime }),
  ];

  return {
    cost: {
      status,
      detail: status === 'assumed' ? 'assumed usage (--invocations, --cold-start-rate): INIT and requests only; duration needs metrics' : null,
      region: ctx.region,
      usage,
      current,
      monthly: now.cost,
      scenarios,
      factors,
    },
    volume,
    initBilled,
  };
}

/** The month a function's cost is priced on: measured usage scaled to a month, else assumed usage, else why neither. */
function monthlyUsageOf(
  fn: FunctionResult,
  ctx: CostContext,
  shape: {
    runtime: string;
    architecture: Architecture;
    memoryMB: number | null;
    extras: Pick<FunctionShape, 'ephemeralStorageMB' | 'provisionedConcurrency'>;
  },
):
  | { empty: string }
  | {
      volume: Volume;
      current: FunctionShape;
      usage: NonNullable<FunctionCost['usage']>;
      status: FunctionCost['status'];
      billingDate: string | null;
      factors: CostFactor[];
    } {
  const f = ctx.factors;
  const m = fn.metrics;
  const { runtime, architecture, memoryMB, extras } = shape;
  const factors: CostFactor[] = [];
  const measured = m !== null && m.status === 'ok' && (m.invocations ?? 0) > 0 && m.durationMs !== null && m.window !== null;
  if (measured && m.window !== null && m.durationMs !== null) {
    if (memoryMB === null) return { empty: 'memory size unknown: declare it in the IaC or read it from AWS (--aws)' };
    const windowMs = Date.parse(m.window.to) - Date.parse(m.window.from);
    if (!(windowMs >= 3_600_000)) return { empty: 'measured window shorter than an hour: too short to scale to a month' };
    const monthMs = f.monthHours.value * 3_600_000;
    const scale = monthMs / windowMs;
    const invocations = m.invocations ?? 0;
    const coldStarts = m.coldStarts ?? 0;
    const volume: Volume = {
      requests: BigInt(Math.round(invocations * scale)),
      coldStarts: BigInt(Math.round(coldStarts * scale)),
      durationKnown: true,
    };
    const current: FunctionShape = {
      runtime,
      architecture,
      memoryMB,
      initMs: m.initMs?.avg ?? referenceInit(runtime, f) + estimatedInit(fn),
      durationMs: m.durationMs.avg,
      maxMemoryMB: m.maxMemoryUsedMB,
      ...extras,
    };
    const days = windowMs / 86_400_000;
    const usage = {
      invocationsPerMonth: Number(volume.requests),
      coldStartsPerMonth: Number(volume.coldStarts),
      windowDays: Math.round(days * 100) / 100,
      scaleToMonth: Math.round(scale * 1000) / 1000,
      initBilled: true,
    };
    factors.push({
      name: 'window scaled to a month',
      value: `${fmt(days, 2)} days x ${fmt(scale, 3)} = ${f.monthHours.value} h (${invocations} invocations, ${coldStarts} cold starts measured)`,
      source: f.monthHours.source,
      confidence: days < 7 ? 'medium' : 'high',
    });
    return { volume, current, usage, status: 'measured', billingDate: ctx.billingDate ?? m.window.to.slice(0, 10), factors };
  }
  if (ctx.invocations !== null && ctx.coldStartRate !== null) {
    if (memoryMB === null) return { empty: 'memory size unknown: declare it in the IaC' };
    const estimate = estimatedInit(fn);
    const added = fn.init?.runtimeAdditions?.estInitMs ?? 0;
    const volume: Volume = {
      requests: BigInt(Math.round(ctx.invocations)),
      coldStarts: BigInt(Math.round(ctx.invocations * ctx.coldStartRate)),
      durationKnown: false,
    };
    const current: FunctionShape = {
      runtime,
      architecture,
      memoryMB,
      initMs: referenceInit(runtime, f) + estimate,
      durationMs: null,
      maxMemoryMB: null,
      ...extras,
    };
    const usage = {
      invocationsPerMonth: Number(volume.requests),
      coldStartsPerMonth: Number(volume.coldStarts),
      windowDays: null,
      scaleToMonth: null,
      initBilled: true,
    };
    factors.push(
      { name: 'invocations per month', value: `${ctx.invocations} (assumed: --invocations)`, source: 'user assumption', confidence: 'low' },
      { name: 'cold-start rate', value: `${ctx.coldStartRate} (assumed: --cold-start-rate)`, source: 'user assumption', confidence: 'low' },
      refFactor(
        'init per cold start',
        `${fmt(current.initMs, 0)} ms = runtime ${referenceInit(runtime, f)} ms + estimated package load ${fmt(estimate - added, 0)} ms${added > 0 ? ` + runtime additions ${fmt(added, 0)} ms (layers, NODE_OPTIONS, exec wrapper)` : ''} (full-vCPU figures: a lower bound)`,
        f,
      ),
    );
    return { volume, current, usage, status: 'assumed', billingDate: ctx.billingDate, factors };
  }
  return {
    empty:
      m === null
        ? 'needs metrics: pass --logs, --aws or --metrics, or assume usage with --invocations and --cold-start-rate'
        : `needs metrics: ${m.status === 'ok' ? 'no invocations or duration measured' : m.status.replace('_', ' ')}; or assume usage with --invocations and --cold-start-rate`,
  };
}

type ScenarioDraft = Omit<CostScenario, 'id' | 'label' | 'monthly' | 'savingMicroUsd'> & { billed?: boolean };

/** Lambda Managed Instances is priced by instance-hour, not by the GB-second model the other scenarios share. */
function managedInstancesScenario(
  current: FunctionShape,
  volume: Volume,
  nowMoney: Money,
  base: CostConfidence,
  ctx: Parameters<typeof managedInstancesWhatIf>[2],
): CostScenario {
  const id: ScenarioId = 'managed-instances';
  const label = 'Lambda Managed Instances (EC2, on-demand)';
  const priced = managedInstancesWhatIf(current, volume, ctx);
  if (priced.money === null || priced.monthly === null) return { id, label, ...priced.draft, monthly: null, savingMicroUsd: null };
  const saving = toMicroUsd(nowMoney - priced.money);
  const detail = saving < 0 ? `not cheaper: ${formatUsd(-saving)} a month more than today; ${priced.draft.detail ?? ''}` : priced.draft.detail;
  return { id, label, ...priced.draft, detail, confidence: weakest(base, priced.draft.confidence), monthly: priced.monthly, savingMicroUsd: saving };
}

function inNodeFixes(
  fn: FunctionResult,
  current: FunctionShape,
  status: FunctionCost['status'],
  f: CostFactors,
  na: (d: string) => ScenarioDraft,
): ScenarioDraft {
  const fixable = fn.findings.filter((x) => f.fixableRules.rules.includes(x.ruleId) && x.estInitMs !== null && x.estInitMs > 0);
  const replacement = (ruleId: string): number => f.fixReplacementMs.values[ruleId] ?? 0;
  const removable = fixable.reduce((s, x) => s + Math.max(0, (x.estInitMs ?? 0) - replacement(x.ruleId)), 0);
  if (removable === 0) return na('no init finding with an estimate to fix');
  const floor = referenceInit(current.runtime, f);
  const est = fn.init ? estimatedInit(fn) : removable;
  let ratio = 1;
  const factors: CostFactor[] = [
    {
      name: 'fixable init (estimates)',
      value: `${fmt(removable, 0)} ms from ${fixable.length} finding(s): ${[...new Set(fixable.map((x) => x.ruleId))].join(', ')}`,
      source: f.fixableRules.source,
      confidence: 'medium',
    },
  ];
  const replaced = fixable.filter((x) => replacement(x.ruleId) > 0);
  if (replaced.length > 0) {
    factors.push({
      name: 'what the fix still loads',
      value: replaced.map((x) => `${x.ruleId}: ${replacement(x.ruleId)} ms`).join(', '),
      source: f.fixReplacementMs.source,
      confidence: 'medium',
    });
  }
  if (status === 'measured' && est > 0) {
    ratio = Math.min(f.estimateToMeasured.max, Math.max(f.estimateToMeasured.min, (current.initMs - floor) / est));
    factors.push({
      name: 'estimate to measured init',
      value: `x${fmt(ratio, 2)} ((measured ${fmt(current.initMs, 0)} - runtime ${floor} ms) / estimated ${fmt(est, 0)} ms, clamped ${f.estimateToMeasured.min}..${f.estimateToMeasured.max})`,
      source: f.estimateToMeasured.source,
      confidence: f.estimateToMeasured.confidence,
    });
  }
  const initMs = Math.max(floor, current.initMs - removable * ratio);
  factors.push(refFactor('init floor (empty function)', `${floor} ms (${current.runtime})`, f));
  return {
    status: 'projected',
    detail: `init ${fmt(current.initMs, 0)} -> ${fmt(initMs, 0)} ms per cold start`,
    shape: { ...current, initMs },
    confidence: 'medium',
    factors,
    risks: [],
  };
}

function rightSize(
  current: FunctionShape,
  cpu: { share: number; factor: CostFactor },
  ctx: CostContext,
  na: (d: string) => ScenarioDraft,
): ScenarioDraft {
  const f = ctx.factors;
  if (current.maxMemoryMB === null || current.durationMs === null) return na('needs measured max memory used and duration');
  const fit = rightSizedMemory(current.maxMemoryMB, ctx.headroom, f);
  if (fit >= current.memoryMB)
    return na(`already at ${current.memoryMB} MB for ${current.maxMemoryMB} MB used + ${fmt(ctx.headroom * 100, 0)}% headroom`);
  const target = memoryWithinBudget(
    fit,
    current.memoryMB,
    current,
    (mb) => scaledDuration(current.durationMs, cpu.share, 1, current.memoryMB, mb, f),
    f,
  );
  if (target === null)
    return na(`${fit} MB would fit the memory, but every size below ${current.memoryMB} MB slows the CPU-bound part past x${f.maxSlowdown.value}`);
  const speedRatio = cpuSpeed(current.memoryMB, f) / cpuSpeed(target, f);
  const durationMs = scaledDuration(current.durationMs, cpu.share, 1, current.memoryMB, target, f);
  // INIT is module loading: CPU work, so it stretches with the whole CPU ratio.
  const initMs = current.initMs * speedRatio;
  const risks: string[] = [];
  if (speedRatio > 1) {
    risks.push(
      `CPU share drops from ${fmt(cpuSpeed(current.memoryMB, f), 2)} to ${fmt(cpuSpeed(target, f), 2)} vCPU: duration ${fmt(current.durationMs, 0)} -> ~${fmt(durationMs ?? 0, 0)} ms, init ${fmt(current.initMs, 0)} -> ~${fmt(initMs, 0)} ms (latency grows; measure before keeping it)`,
    );
  }
  return {
    status: 'projected',
    detail: `${current.memoryMB} -> ${target} MB (max used ${current.maxMemoryMB} MB + ${fmt(ctx.headroom * 100, 0)}% headroom${target > fit ? `; not ${fit} MB: duration would grow past x${f.maxSlowdown.value}` : ''})`,
    shape: { ...current, memoryMB: target, durationMs, initMs },
    confidence: speedRatio > 1 ? 'low' : 'medium',
    factors: [
      { name: 'headroom', value: `${fmt(ctx.headroom * 100, 0)}%`, source: f.defaultHeadroom.source, confidence: f.defaultHeadroom.confidence },
      {
        name: 'slowdown budget',
        value: `duration at most x${f.maxSlowdown.value}`,
        source: f.maxSlowdown.source,
        confidence: f.maxSlowdown.confidence,
      },
      {
        name: 'CPU in proportion to memory',
        value: `x${fmt(speedRatio, 2)} CPU time (${f.fullCpuMemoryMB.value} MB = 1 vCPU)`,
        source: f.fullCpuMemoryMB.source,
        confidence: 'high',
      },
      cpu.factor,
    ],
    risks,
  };
}

function port(
  kind: 'llrt' | 'rust',
  fn: FunctionResult,
  current: FunctionShape,
  cpu: { share: number; factor: CostFactor },
  ctx: CostContext,
  na: (d: string) => ScenarioDraft,
): ScenarioDraft {
  const f = ctx.factors;
  const target = kind === 'llrt' ? fn.portability?.llrt : fn.portability?.rust;
  if (target === undefined) return na('no portability analysis (handler not analysed)');
  if (target.verdict === 'blocked') {
    const names = [...new Set(target.blockers.map((b) => b.name))];
    return {
      status: 'blocked',
      detail: `blocked by ${names.join(', ')}`,
      shape: null,
      confidence: 'high',
      factors: [],
      risks: target.blockers.map((b) => `${b.name} (${b.file}:${b.line}): ${b.note}`),
    };
  }
  const ref = f.reference;
  const nodeRef = referenceInit(current.runtime, f);
  const factors: CostFactor[] = [];
  let initMs: number;
  if (kind === 'rust') {
    const sdk = isAwsSdkUser(fn);
    initMs = sdk ? (ref.initMs['rustWithSdk'] ?? 112) : (ref.initMs['rust'] ?? 15);
    factors.push(refFactor('Rust init', `${initMs} ms (${sdk ? 'with aws-sdk-rust clients' : 'hello world'})`, f));
  } else {
    const llrt = ref.initMs['llrt'] ?? 59;
    initMs = Math.max(llrt, current.initMs * (llrt / nodeRef));
    factors.push(
      refFactor(
        'LLRT init',
        `max(${llrt} ms, measured ${fmt(current.initMs, 0)} ms x ${llrt}/${nodeRef} (LLRT/Node hello-world ratio)) = ${fmt(initMs, 0)} ms`,
        f,
      ),
    );
  }
  let memoryMB = current.memoryMB;
  let maxMemoryMB = current.maxMemoryMB;
  const refMem = ref.maxMemoryMB[kind] ?? 0;
  const nodeMem = ref.maxMemoryMB['nodejs'] ?? 0;
  if (current.maxMemoryMB !== null) {
    // The runtime's own footprint is swapped; what the handler holds for its data stays.
    maxMemoryMB = Math.max(refMem, current.maxMemoryMB - nodeMem + refMem);
    const fit = Math.min(current.memoryMB, rightSizedMemory(maxMemoryMB, ctx.headroom, f));
    const rf = kind === 'rust' ? f.runtimeCpuFactor.rust : f.runtimeCpuFactor.llrt;
    memoryMB =
      memoryWithinBudget(fit, current.memoryMB, current, (mb) => scaledDuration(current.durationMs, cpu.share, rf, current.memoryMB, mb, f), f) ??
      current.memoryMB;
    factors.push(
      refFactor(
        'max memory used',
        `${current.maxMemoryMB} - ${nodeMem} (Node) + ${refMem} (${kind}) = ${fmt(maxMemoryMB, 0)} MB -> ${memoryMB} MB with ${fmt(ctx.headroom * 100, 0)}% headroom and duration at most x${f.maxSlowdown.value}`,
        f,
      ),
    );
  }
  const runtimeFactor = kind === 'rust' ? f.runtimeCpuFactor.rust : f.runtimeCpuFactor.llrt;
  const durationMs = scaledDuration(current.durationMs, cpu.share, runtimeFactor, current.memoryMB, memoryMB, f);
  factors.push(cpu.factor, {
    name: `${kind} CPU time vs Node`,
    value: `x${runtimeFactor}`,
    source: f.runtimeCpuFactor.source,
    confidence: f.runtimeCpuFactor.confidence,
  });
  const risks = target.risks.map((r) => `${r.name}: ${r.note}`);
  if (memoryMB < current.memoryMB)
    risks.push(`less memory means less CPU (${memoryMB} MB = ${fmt(cpuSpeed(memoryMB, f), 2)} vCPU), priced in the duration`);
  return {
    status: 'projected',
    detail: `init ${fmt(current.initMs, 0)} -> ${fmt(initMs, 0)} ms, ${current.memoryMB} -> ${memoryMB} MB${durationMs !== null && current.durationMs !== null ? `, duration ${fmt(current.durationMs, 0)} -> ${fmt(durationMs, 0)} ms` : ''}`,
    shape: {
      runtime: kind === 'rust' ? 'provided.al2023 (Rust)' : 'provided.al2023 (LLRT)',
      architecture: 'arm64',
      memoryMB,
      initMs,
      durationMs,
      maxMemoryMB,
      ...extrasOf(current),
    },
    confidence: 'low',
    factors,
    risks,
    // Custom runtimes have always paid for INIT.
    billed: true,
  };
}
