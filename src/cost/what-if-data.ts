import type { Architecture } from '../model/result.js';
import { parseRate, type Rate } from './money.js';

/** How far a figure can be trusted, as each data file entry says. */
export type Confidence = 'high' | 'medium' | 'low';

/** Typed view of rules/catalog/cost-what-ifs.json (read at the boundary, src/cost-data.ts). */
export interface BundlingFactor {
  /** A package name, a prefix pattern (`@aws-sdk/*`, `aws-sdk/*` for subpaths), or `*`. */
  match: string;
  factor: number;
  established: string;
  source: string;
  date: string;
  confidence: Confidence;
}

export interface InstanceType {
  type: string;
  vcpu: number;
  memoryGiB: number;
  perHour: Rate;
  perHourText: string;
}

export interface ManagedInstancesData {
  managementFeeRate: number;
  managementFeeSource: string;
  requestsSource: string;
  maxConcurrencyPerVcpu: Record<string, number>;
  concurrencySource: string;
  targetCpuUtilization: number;
  minInstances: number;
  assumptionsSource: string;
  confidence: Confidence;
  instances: Map<string, { byArch: Record<Architecture, InstanceType>; source: string; date: string; confidence: Confidence }>;
}

export interface WhatIfData {
  bundling: { tool: string; factors: BundlingFactor[] };
  managedInstances: ManagedInstancesData;
}

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`cost what-ifs: ${where} is not an object`);
  return Object.fromEntries(Object.entries(v));
}
function str(o: Obj, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v === '') throw new Error(`cost what-ifs: ${where}.${k} is not a string`);
  return v;
}
function num(o: Obj, k: string, where: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`cost what-ifs: ${where}.${k} is not a number >= 0`);
  return v;
}
function conf(o: Obj, where: string): Confidence {
  const v = o['confidence'];
  if (v !== 'high' && v !== 'medium' && v !== 'low') throw new Error(`cost what-ifs: ${where}.confidence must be high, medium or low`);
  return v;
}

function instance(v: unknown, where: string): InstanceType {
  const o = obj(v, where);
  const perHourText = str(o, 'perHour', where);
  return {
    type: str(o, 'type', where),
    vcpu: num(o, 'vcpu', where),
    memoryGiB: num(o, 'memoryGiB', where),
    perHour: parseRate(perHourText),
    perHourText,
  };
}

export function parseWhatIfData(json: unknown): WhatIfData {
  const root = obj(json, 'cost-what-ifs');
  const b = obj(root['bundling'], 'bundling');
  const list = b['factors'];
  if (!Array.isArray(list) || list.length === 0) throw new Error('cost what-ifs: bundling.factors must be a non-empty array');
  const factors = list.map((v, i): BundlingFactor => {
    const where = `bundling.factors[${i}]`;
    const o = obj(v, where);
    return {
      match: str(o, 'match', where),
      factor: num(o, 'factor', where),
      established: str(o, 'established', where),
      source: str(o, 'source', where),
      date: str(o, 'date', where),
      confidence: conf(o, where),
    };
  });
  if (!factors.some((f) => f.match === '*')) throw new Error("cost what-ifs: bundling.factors needs a '*' entry for packages not listed");
  const m = obj(root['managedInstances'], 'managedInstances');
  const instances = new Map<string, { byArch: Record<Architecture, InstanceType>; source: string; date: string; confidence: Confidence }>();
  for (const [region, v] of Object.entries(obj(m['instances'], 'managedInstances.instances'))) {
    const where = `managedInstances.instances.${region}`;
    const o = obj(v, where);
    instances.set(region, {
      byArch: { arm64: instance(o['arm64'], `${where}.arm64`), x86_64: instance(o['x86_64'], `${where}.x86_64`) },
      source: str(o, 'source', where),
      date: str(o, 'date', where),
      confidence: conf(o, where),
    });
  }
  const perVcpu: Record<string, number> = {};
  for (const [k, v] of Object.entries(obj(m['maxConcurrencyPerVcpu'], 'managedInstances.maxConcurrencyPerVcpu'))) {
    if (typeof v === 'number' && v > 0) perVcpu[k] = v;
  }
  return {
    bundling: { tool: str(b, 'tool', 'bundling'), factors },
    managedInstances: {
      managementFeeRate: num(m, 'managementFeeRate', 'managedInstances'),
      managementFeeSource: str(m, 'managementFeeSource', 'managedInstances'),
      requestsSource: str(m, 'requestsSource', 'managedInstances'),
      maxConcurrencyPerVcpu: perVcpu,
      concurrencySource: str(m, 'concurrencySource', 'managedInstances'),
      targetCpuUtilization: num(m, 'targetCpuUtilization', 'managedInstances'),
      minInstances: num(m, 'minInstances', 'managedInstances'),
      assumptionsSource: str(m, 'assumptionsSource', 'managedInstances'),
      confidence: conf(m, 'managedInstances'),
      instances,
    },
  };
}

/** The factor for a package (`aws-sdk` with subpaths matches `aws-sdk/*` first): exact name, then prefix, then `*`. */
export function bundlingFactorFor(name: string, hasSubpaths: boolean, factors: readonly BundlingFactor[]): BundlingFactor {
  const key = hasSubpaths ? `${name}/*` : name;
  const exact = factors.find((f) => f.match === key) ?? factors.find((f) => f.match === name);
  if (exact) return exact;
  const prefix = factors.find((f) => f.match.endsWith('/*') && name.startsWith(f.match.slice(0, -1)));
  if (prefix) return prefix;
  const rest = factors.find((f) => f.match === '*');
  if (!rest) throw new Error("cost what-ifs: bundling.factors has no '*' entry");
  return rest;
}
