import type { Architecture } from '../model/result.js';
import { parseRate, perMillionToPerItem, type Rate } from './money.js';
import type { Confidence, WhatIfData } from './what-if-data.js';

export type { Confidence } from './what-if-data.js';

/**
 * Typed views of rules/catalog/lambda-prices.json and cost-factors.json. The caller reads the files (the boundary);
 * this module only checks their shape, so a malformed entry fails loudly instead of pricing with a hole.
 */

export interface PriceTier {
  /** Upper bound of the tier in GB-seconds per month; null for the last tier. */
  upToGbSeconds: bigint | null;
  perGbSecond: Rate;
  /** The price as written in the data, for display. */
  text: string;
}

/** A rate as an exact integer and as written in the data (for display). */
export interface TextRate {
  rate: Rate;
  text: string;
}

export interface ProvisionedPrices {
  /** Per GB-second of concurrency allocated (memory x time it is configured). */
  concurrency: TextRate;
  /** Per GB-second of invocations that run on provisioned instances (instead of the on-demand duration rate). */
  duration: TextRate;
}

export interface RegionPrices {
  region: string;
  name: string;
  perRequest: Rate;
  requestPer1MText: string;
  /** Tiers as sourced; when the last one is bounded, usage above it is priced at its rate (an upper bound). */
  compute: Record<Architecture, PriceTier[]>;
  tiersNote: string | null;
  /** Per GB-second of ephemeral storage above the free 512 MB; null when not sourced for the region. */
  ephemeral: Record<Architecture, TextRate | null>;
  /** Null for an architecture whose provisioned-concurrency rates are not sourced for the region. */
  provisioned: Record<Architecture, ProvisionedPrices | null>;
  provisionedNote: string | null;
  source: string;
  /** Where the ephemeral-storage and provisioned-concurrency rates come from, when not from `source`. */
  extrasSource: string;
  date: string;
}

export interface PriceCatalog {
  currency: string;
  freeTier: { requests: bigint; gbSeconds: bigint; source: string };
  regions: Map<string, RegionPrices>;
  missing: { regions: string[]; why: string };
}

export interface Sourced<T> {
  value: T;
  source: string;
  date: string;
  confidence: Confidence;
}

export interface CostFactors {
  monthHours: Sourced<number>;
  initBillingFrom: Sourced<string>;
  fullCpuMemoryMB: Sourced<number>;
  memoryStepMB: Sourced<number>;
  minMemoryMB: Sourced<number>;
  defaultHeadroom: Sourced<number>;
  reference: {
    source: string;
    date: string;
    confidence: Confidence;
    initMs: Record<string, number>;
    maxMemoryMB: Record<string, number>;
  };
  estimateToMeasured: { min: number; max: number; source: string; confidence: Confidence };
  cpuShare: { ioBound: number; cpuBound: number; source: string; confidence: Confidence };
  runtimeCpuFactor: { arm64: number; rust: number; llrt: number; source: string; confidence: Confidence };
  effortPoints: { inNodeFixes: number; arm64: number; rightSize: number; llrtBase: number; source: string };
  fixableRules: { rules: string[]; source: string };
  portThreshold: { minMonthlySavingPerEffortPointUsd: number; source: string };
  maxSlowdown: Sourced<number>;
  fixReplacementMs: { values: Record<string, number>; source: string };
  ephemeralStorage: { freeMB: number; note: string; source: string; confidence: Confidence };
  provisionedConcurrency: { note: string; source: string; confidence: Confidence };
  /** Bundling and Lambda Managed Instances data (rules/catalog/cost-what-ifs.json); absent: those what-ifs say so. */
  whatIfs?: WhatIfData;
}

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`cost data: ${where} is not an object`);
  const out: Obj = {};
  for (const [k, val] of Object.entries(v)) out[k] = val;
  return out;
}
function str(o: Obj, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new Error(`cost data: ${where}.${k} is not a string`);
  return v;
}
function num(o: Obj, k: string, where: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`cost data: ${where}.${k} is not a number`);
  return v;
}
function arr(o: Obj, k: string, where: string): unknown[] {
  const v = o[k];
  if (!Array.isArray(v)) throw new Error(`cost data: ${where}.${k} is not an array`);
  return v;
}
function confidence(o: Obj, where: string): Confidence {
  const v = str(o, 'confidence', where);
  if (v !== 'high' && v !== 'medium' && v !== 'low') throw new Error(`cost data: ${where}.confidence is '${v}'`);
  return v;
}
function numbers(o: Obj, where: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(o)) out[k] = num(o, k, where);
  return out;
}
function sourced(o: Obj, k: string): Sourced<number> {
  const e = obj(o[k], k);
  return { value: num(e, 'value', k), source: str(e, 'source', k), date: str(e, 'date', k), confidence: confidence(e, k) };
}

function tiers(v: unknown, where: string): PriceTier[] {
  if (!Array.isArray(v) || v.length === 0) throw new Error(`cost data: ${where} has no tiers`);
  return v.map((t, i) => {
    const o = obj(t, `${where}[${i}]`);
    const up = o['upToGbSeconds'];
    if (up !== null && (typeof up !== 'number' || !Number.isSafeInteger(up))) throw new Error(`cost data: ${where}[${i}].upToGbSeconds`);
    const text = str(o, 'perGbSecond', `${where}[${i}]`);
    return { upToGbSeconds: up === null ? null : BigInt(up), perGbSecond: parseRate(text), text };
  });
}

function textRate(v: unknown, where: string): TextRate | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new Error(`cost data: ${where} is not a decimal string`);
  return { rate: parseRate(v), text: v };
}

function perArch<T>(v: unknown, where: string, each: (x: unknown, w: string) => T | null): Record<Architecture, T | null> {
  if (v === null || v === undefined) return { x86_64: null, arm64: null };
  const o = obj(v, where);
  return { x86_64: each(o['x86_64'], `${where}.x86_64`), arm64: each(o['arm64'], `${where}.arm64`) };
}

function provisioned(v: unknown, where: string): ProvisionedPrices | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, where);
  const concurrency = textRate(o['perGbSecond'], `${where}.perGbSecond`);
  const duration = textRate(o['durationPerGbSecond'], `${where}.durationPerGbSecond`);
  if (concurrency === null || duration === null) throw new Error(`cost data: ${where} needs perGbSecond and durationPerGbSecond`);
  return { concurrency, duration };
}

function optionalStr(o: Obj, k: string, where: string): string | null {
  return o[k] === undefined || o[k] === null ? null : str(o, k, where);
}

export function parsePriceCatalog(json: unknown): PriceCatalog {
  const root = obj(json, 'lambda-prices');
  const free = obj(root['freeTier'], 'freeTier');
  const regions = new Map<string, RegionPrices>();
  for (const [i, r] of arr(root, 'regions', 'lambda-prices').entries()) {
    const o = obj(r, `regions[${i}]`);
    const compute = obj(o['compute'], `regions[${i}].compute`);
    const region = str(o, 'region', `regions[${i}]`);
    const requestPer1MText = str(o, 'requestPer1M', region);
    regions.set(region, {
      region,
      name: str(o, 'name', region),
      perRequest: perMillionToPerItem(parseRate(requestPer1MText)),
      requestPer1MText,
      compute: { x86_64: tiers(compute['x86_64'], `${region}.x86_64`), arm64: tiers(compute['arm64'], `${region}.arm64`) },
      tiersNote: optionalStr(o, 'tiersNote', region),
      ephemeral: perArch(o['ephemeralStoragePerGbSecond'], `${region}.ephemeralStoragePerGbSecond`, textRate),
      provisioned: perArch(o['provisionedConcurrency'], `${region}.provisionedConcurrency`, provisioned),
      provisionedNote: optionalStr(o, 'provisionedNote', region),
      source: str(o, 'source', region),
      extrasSource: optionalStr(o, 'extrasSource', region) ?? str(o, 'source', region),
      date: str(o, 'date', region),
    });
  }
  const missing = obj(root['missingRegions'], 'missingRegions');
  return {
    currency: str(root, 'currency', 'lambda-prices'),
    freeTier: {
      requests: BigInt(num(free, 'requests', 'freeTier')),
      gbSeconds: BigInt(num(free, 'gbSeconds', 'freeTier')),
      source: str(free, 'source', 'freeTier'),
    },
    regions,
    missing: {
      regions: arr(missing, 'regions', 'missingRegions').filter((x): x is string => typeof x === 'string'),
      why: str(missing, 'why', 'missingRegions'),
    },
  };
}

export function parseCostFactors(json: unknown): CostFactors {
  const root = obj(json, 'cost-factors');
  const init = obj(root['initBilling'], 'initBilling');
  const ref = obj(root['coldStartReference'], 'coldStartReference');
  const e2m = obj(root['estimateToMeasured'], 'estimateToMeasured');
  const cpu = obj(root['cpuShare'], 'cpuShare');
  const rcf = obj(root['runtimeCpuFactor'], 'runtimeCpuFactor');
  const eff = obj(root['effortPoints'], 'effortPoints');
  const fix = obj(root['fixableRules'], 'fixableRules');
  const thr = obj(root['portThreshold'], 'portThreshold');
  const repl = obj(root['fixReplacementMs'], 'fixReplacementMs');
  const eph = obj(root['ephemeralStorage'], 'ephemeralStorage');
  const pc = obj(root['provisionedConcurrency'], 'provisionedConcurrency');
  return {
    monthHours: sourced(root, 'monthHours'),
    initBillingFrom: {
      value: str(init, 'managedZipFrom', 'initBilling'),
      source: str(init, 'source', 'initBilling'),
      date: str(init, 'date', 'initBilling'),
      confidence: confidence(init, 'initBilling'),
    },
    fullCpuMemoryMB: sourced(root, 'fullCpuMemoryMB'),
    memoryStepMB: sourced(root, 'memoryStepMB'),
    minMemoryMB: sourced(root, 'minMemoryMB'),
    defaultHeadroom: sourced(root, 'defaultHeadroom'),
    reference: {
      source: str(ref, 'source', 'coldStartReference'),
      date: str(ref, 'date', 'coldStartReference'),
      confidence: confidence(ref, 'coldStartReference'),
      initMs: numbers(obj(ref['initMs'], 'coldStartReference.initMs'), 'coldStartReference.initMs'),
      maxMemoryMB: numbers(obj(ref['maxMemoryMB'], 'coldStartReference.maxMemoryMB'), 'coldStartReference.maxMemoryMB'),
    },
    estimateToMeasured: {
      min: num(e2m, 'min', 'estimateToMeasured'),
      max: num(e2m, 'max', 'estimateToMeasured'),
      source: str(e2m, 'source', 'estimateToMeasured'),
      confidence: confidence(e2m, 'estimateToMeasured'),
    },
    cpuShare: {
      ioBound: num(cpu, 'ioBound', 'cpuShare'),
      cpuBound: num(cpu, 'cpuBound', 'cpuShare'),
      source: str(cpu, 'source', 'cpuShare'),
      confidence: confidence(cpu, 'cpuShare'),
    },
    runtimeCpuFactor: {
      arm64: num(rcf, 'arm64', 'runtimeCpuFactor'),
      rust: num(rcf, 'rust', 'runtimeCpuFactor'),
      llrt: num(rcf, 'llrt', 'runtimeCpuFactor'),
      source: str(rcf, 'source', 'runtimeCpuFactor'),
      confidence: confidence(rcf, 'runtimeCpuFactor'),
    },
    effortPoints: {
      inNodeFixes: num(eff, 'in-node-fixes', 'effortPoints'),
      arm64: num(eff, 'arm64', 'effortPoints'),
      rightSize: num(eff, 'right-size', 'effortPoints'),
      llrtBase: num(eff, 'llrtBase', 'effortPoints'),
      source: str(eff, 'source', 'effortPoints'),
    },
    maxSlowdown: sourced(root, 'maxSlowdown'),
    fixReplacementMs: {
      values: numbers(obj(repl['values'], 'fixReplacementMs.values'), 'fixReplacementMs.values'),
      source: str(repl, 'source', 'fixReplacementMs'),
    },
    portThreshold: {
      minMonthlySavingPerEffortPointUsd: num(thr, 'minMonthlySavingPerEffortPointUsd', 'portThreshold'),
      source: str(thr, 'source', 'portThreshold'),
    },
    ephemeralStorage: {
      freeMB: num(eph, 'freeMB', 'ephemeralStorage'),
      note: str(eph, 'note', 'ephemeralStorage'),
      source: str(eph, 'source', 'ephemeralStorage'),
      confidence: confidence(eph, 'ephemeralStorage'),
    },
    provisionedConcurrency: {
      note: str(pc, 'note', 'provisionedConcurrency'),
      source: str(pc, 'source', 'provisionedConcurrency'),
      confidence: confidence(pc, 'provisionedConcurrency'),
    },
    fixableRules: {
      rules: arr(fix, 'rules', 'fixableRules').filter((x): x is string => typeof x === 'string'),
      source: str(fix, 'source', 'fixableRules'),
    },
  };
}
