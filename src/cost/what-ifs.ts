/**
 * Two what-ifs beside the migration scenarios: bundling the function with esbuild, and moving it to Lambda Managed
 * Instances (EC2 instances Lambda manages, priced per instance-hour plus a management fee instead of per GB-second).
 * Both may come out dearer than today; the scenario then shows a negative saving and says why.
 */
import type { CostConfidence, CostFactor, CostScenario, FunctionResult, FunctionShape, MonthlyCost } from '../model/result.js';
import type { CostFactors, RegionPrices } from './data.js';
import { itemCost, toMicroUsd, formatUsd, type Money } from './money.js';
import { bundlingFactorFor } from './what-if-data.js';

export type WhatIfDraft = Omit<CostScenario, 'id' | 'label' | 'monthly' | 'savingMicroUsd'>;

const fmt = (n: number, digits = 1): string => String(Math.round(n * 10 ** digits) / 10 ** digits);
const ORDER: readonly CostConfidence[] = ['low', 'medium', 'high'];
const weakestOf = (cs: readonly CostConfidence[]): CostConfidence =>
  cs.reduce<CostConfidence>((a, b) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b), 'high');

/**
 * Init after bundling: each priced package's estimate times its bundled/unbundled factor (rules/catalog/cost-what-ifs.json),
 * the change scaled to measured init the way the in-Node fixes are (`ratio`), never below the empty-function floor.
 */
export function bundleWhatIf(
  fn: FunctionResult,
  current: FunctionShape,
  ctx: { f: CostFactors; floorMs: number; estimateMs: number; measured: boolean },
  na: (detail: string) => WhatIfDraft,
): WhatIfDraft {
  const data = ctx.f.whatIfs?.bundling;
  if (data === undefined) return na('no bundling data (rules/catalog/cost-what-ifs.json)');
  if (fn.packaging?.form === 'bundled')
    return na(`already bundled${fn.packaging.tool === null ? '' : ` with ${fn.packaging.tool}`} (${fn.packaging.basis})`);
  const priced = (fn.init?.packages ?? []).filter((p) => p.estInitMs !== null && p.estInitMs > 0);
  if (priced.length === 0) return na('no priced package at init: nothing for a bundler to change');
  const lines = priced.map((p) => {
    const factor = bundlingFactorFor(p.name, p.subpaths.length > 0, data.factors);
    const est = p.estInitMs ?? 0;
    return { name: p.name, est, bundled: est * factor.factor, factor };
  });
  const change = lines.reduce((s, l) => s + (l.est - l.bundled), 0);
  let ratio = 1;
  const factors: CostFactor[] = [
    {
      name: 'packaging',
      value:
        fn.packaging === undefined || fn.packaging.form === 'unknown'
          ? 'not detected: assumed to ship unbundled'
          : `unbundled (${fn.packaging.basis})`,
      source: 'lambda-migrate discovery (FunctionResult.packaging)',
      confidence: fn.packaging?.form === 'unbundled' ? 'high' : 'low',
    },
  ];
  for (const l of [...lines].sort((a, b) => Math.abs(b.est - b.bundled) - Math.abs(a.est - a.bundled)).slice(0, 6)) {
    factors.push({
      name: `bundled ${l.name}`,
      value: `${fmt(l.est, 0)} ms x${l.factor.factor} = ${fmt(l.bundled, 0)} ms (${l.factor.established}, rule '${l.factor.match}')`,
      source: `${l.factor.source} (${l.factor.date})`,
      confidence: l.factor.confidence,
    });
  }
  if (ctx.measured && ctx.estimateMs > 0) {
    const e2m = ctx.f.estimateToMeasured;
    ratio = Math.min(e2m.max, Math.max(e2m.min, (current.initMs - ctx.floorMs) / ctx.estimateMs));
    factors.push({ name: 'estimate to measured init', value: `x${fmt(ratio, 2)}`, source: e2m.source, confidence: e2m.confidence });
  }
  const initMs = Math.max(ctx.floorMs, current.initMs - change * ratio);
  const risks: string[] = [];
  if (lines.some((l) => l.factor.factor > 1)) {
    risks.push(
      `bundling makes ${lines
        .filter((l) => l.factor.factor > 1)
        .map((l) => l.name)
        .join(', ')} slower to load: migrate to the v3 clients (left external) before bundling`,
    );
  }
  risks.push('keep --enable-source-maps off (or the maps small): it parses the map of the bundle at init');
  return {
    status: 'projected',
    detail: `init ${fmt(current.initMs, 0)} -> ${fmt(initMs, 0)} ms per cold start (${data.tool})`,
    shape: { ...current, initMs },
    confidence: weakestOf(['medium', ...lines.map((l) => l.factor.confidence)]),
    factors,
    risks,
  };
}

export interface ManagedInstancesPrice {
  draft: WhatIfDraft;
  monthly: MonthlyCost | null;
  money: Money | null;
}

/**
 * Lambda Managed Instances for the same month of requests: the fleet is sized from the measured duration (vCPU busy
 * time at the target utilisation, or the concurrency limit per vCPU, whichever needs more), never below the minimum;
 * priced as instance-hours at the on-demand rate, plus the management fee on them, plus requests. No GB-second and
 * no INIT charge: execution environments are long-lived and serve many requests at once.
 */
export function managedInstancesWhatIf(
  current: FunctionShape,
  volume: { requests: bigint },
  ctx: { f: CostFactors; prices: RegionPrices; region: string; cpuShare: number; runtime: string },
): ManagedInstancesPrice {
  const f = ctx.f;
  const na = (detail: string): ManagedInstancesPrice => ({
    draft: { status: 'not_applicable', detail, shape: null, confidence: 'low', factors: [], risks: [] },
    monthly: null,
    money: null,
  });
  const data = f.whatIfs?.managedInstances;
  if (data === undefined) return na('no Lambda Managed Instances data (rules/catalog/cost-what-ifs.json)');
  const region = data.instances.get(ctx.region);
  if (region === undefined) return na(`no instance prices for ${ctx.region} in rules/catalog/cost-what-ifs.json`);
  if (current.durationMs === null) return na('needs measured duration to size the fleet (pass --logs, --aws or --metrics)');
  const inst = region.byArch[current.architecture];
  const monthMs = f.monthHours.value * 3_600_000;
  const requests = Number(volume.requests);
  const avgConcurrency = (requests * current.durationMs) / monthMs;
  // Lambda gives the function memory/1,769 MB of a vCPU; on an instance the same CPU work takes that share of a full vCPU.
  const lambdaVcpu = Math.min(current.memoryMB, f.fullCpuMemoryMB.value) / f.fullCpuMemoryMB.value;
  const cpuVcpus = (avgConcurrency * ctx.cpuShare * lambdaVcpu) / data.targetCpuUtilization;
  const perVcpu = data.maxConcurrencyPerVcpu[ctx.runtime.startsWith('nodejs') ? 'nodejs' : 'default'] ?? data.maxConcurrencyPerVcpu['default'] ?? 16;
  const concurrencyVcpus = avgConcurrency / perVcpu;
  const vcpus = Math.max(cpuVcpus, concurrencyVcpus);
  const instances = Math.max(data.minInstances, Math.ceil(vcpus / inst.vcpu));
  const hours = BigInt(instances * f.monthHours.value);
  const instanceMoney = itemCost(hours, inst.perHour);
  const feePercent = BigInt(Math.round(data.managementFeeRate * 100));
  const fee = (instanceMoney * feePercent) / 100n;
  const requestMoney = itemCost(volume.requests, ctx.prices.perRequest);
  const money = instanceMoney + fee + requestMoney;
  const floorBound = instances === data.minInstances && Math.ceil(vcpus / inst.vcpu) < data.minInstances;
  const factors: CostFactor[] = [
    {
      name: 'average concurrency',
      value: `${requests} requests x ${fmt(current.durationMs, 0)} ms / ${f.monthHours.value} h = ${fmt(avgConcurrency, 3)}`,
      source: f.monthHours.source,
      confidence: 'medium',
    },
    {
      name: 'vCPU for CPU work',
      value: `${fmt(avgConcurrency, 3)} x CPU share ${ctx.cpuShare} x ${fmt(lambdaVcpu, 3)} vCPU at ${current.memoryMB} MB / ${data.targetCpuUtilization} target utilisation = ${fmt(cpuVcpus, 3)}`,
      source: data.assumptionsSource,
      confidence: 'low',
    },
    {
      name: 'vCPU for concurrency',
      value: `${fmt(avgConcurrency, 3)} / ${perVcpu} concurrent invocations per vCPU = ${fmt(concurrencyVcpus, 3)}`,
      source: data.concurrencySource,
      confidence: 'medium',
    },
    {
      name: 'instances',
      value: `max(${data.minInstances} minimum, ceil(${fmt(vcpus, 3)} / ${inst.vcpu} vCPU)) = ${instances} x ${inst.type}`,
      source: data.assumptionsSource,
      confidence: 'low',
    },
    {
      name: `instance price ${ctx.region} ${inst.type}`,
      value: `$${inst.perHourText} per hour x ${instances} x ${f.monthHours.value} h`,
      source: `${region.source} (${region.date})`,
      confidence: region.confidence,
    },
    {
      name: 'management fee',
      value: `${fmt(data.managementFeeRate * 100, 0)}% of the instance price`,
      source: data.managementFeeSource,
      confidence: 'high',
    },
    { name: 'requests', value: `$${ctx.prices.requestPer1MText} per 1M, as on demand`, source: data.requestsSource, confidence: 'high' },
  ];
  const monthly: MonthlyCost = {
    requestsMicroUsd: toMicroUsd(requestMoney),
    invokeMicroUsd: 0,
    initMicroUsd: 0,
    instancesMicroUsd: toMicroUsd(instanceMoney),
    managementFeeMicroUsd: toMicroUsd(fee),
    totalMicroUsd: toMicroUsd(money),
  };
  const risks = [
    'no scale to zero: the instances bill every hour, busy or idle',
    'many invocations share one execution environment: module-scope state must be safe under concurrency',
    'Savings Plans and Reserved Instances lower the instance price; on-demand is assumed here',
  ];
  const detail = `${instances} x ${inst.type} (${fmt(vcpus, 2)} vCPU needed${floorBound ? `; the ${data.minInstances}-instance minimum sets the floor` : ''}): ${formatUsd(toMicroUsd(instanceMoney))} instances + ${formatUsd(toMicroUsd(fee))} management fee + ${formatUsd(toMicroUsd(requestMoney))} requests`;
  return {
    draft: {
      status: 'projected',
      detail,
      shape: { ...current, runtime: `${current.runtime} (Managed Instances)` },
      confidence: weakestOf([data.confidence, region.confidence]),
      factors,
      risks,
    },
    monthly,
    money,
  };
}
