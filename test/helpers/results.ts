/** Small hand-built results for diff, gate and CLI tests: only what those read is filled in, the rest is empty. */
import type { Finding, FunctionMetrics, FunctionResult, InitPackage, ScanResult } from '../../src/model/result.js';

export function pkg(name: string, estInitMs: number | null, subpaths: string[] = []): InitPackage {
  return { name, subpaths, chain: ['src/h.ts'], estInitMs, sizeBytes: null, version: null, source: 'catalog', basis: 'test' };
}

export function finding(ruleId: string, file: string, line: number, message: string, fingerprint?: string): Finding {
  return { ruleId, severity: 'warn', file, line, column: 1, message, estInitMs: null, ...(fingerprint === undefined ? {} : { fingerprint }) };
}

export function metrics(p50: number): FunctionMetrics {
  const dist = { p50, p90: p50, p99: p50, avg: p50, max: p50 };
  return {
    source: 'logs',
    measuredBy: 'logs',
    status: 'ok',
    deployedName: null,
    logGroups: [],
    region: null,
    window: null,
    invocations: 10,
    coldStarts: 2,
    initMs: dist,
    durationMs: null,
    billedDurationMs: null,
    memorySizeMB: null,
    maxMemoryUsedMB: null,
    percentiles: 'exact',
    truncated: false,
    config: null,
    detail: null,
  };
}

/** A function with only what the diff reads; everything else empty. */
export function fn(
  name: string,
  packages: InitPackage[],
  findings: Finding[],
  monthlyMicroUsd: number | null,
  measuredP50: number | null = null,
): FunctionResult {
  const estInitMs = Math.round(packages.reduce((s, p) => s + (p.estInitMs ?? 0), 0) * 10) / 10;
  return {
    id: `serverless.yml#${name}`,
    name,
    provider: 'serverless',
    deployedNames: [],
    runtime: 'nodejs20.x',
    architecture: 'arm64',
    memoryMB: 512,
    timeoutS: 6,
    declaredIn: { file: 'serverless.yml', line: 1 },
    handler: { file: 'src/h.ts', export: 'handler', declared: 'src/h.handler', mapping: 'exact', line: 1 },
    init: { estInitMs, modules: 1, lines: 10, files: ['src/h.ts'], packages, lazy: [], unresolved: [], topLevelAwait: [] },
    findings,
    ioTangle: null,
    metrics: measuredP50 === null ? null : metrics(measuredP50),
    cost:
      monthlyMicroUsd === null
        ? null
        : {
            status: 'assumed',
            detail: null,
            region: 'us-east-1',
            usage: null,
            current: null,
            scenarios: [],
            factors: [],
            monthly: { requestsMicroUsd: 0, invokeMicroUsd: null, initMicroUsd: monthlyMicroUsd, totalMicroUsd: monthlyMicroUsd },
          },
    plan: null,
    rank: 1,
  };
}

export function result(functions: FunctionResult[]): ScanResult {
  return {
    schemaVersion: 1,
    tool: { name: 'lambda-migrate', version: '0.1.0' },
    root: '.',
    complete: true,
    summary: { functions: functions.length, files: 1, lines: 10, findings: { error: 0, warn: 0, info: 0 }, estInitMs: 0, metricsSource: 'none' },
    rules: [],
    functions,
    skipped: [],
    warnings: [],
  };
}
