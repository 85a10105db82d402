/**
 * CSV for spreadsheets: one row per function, in rank order. Numbers are plain (no thousands separators, no units,
 * `.` decimals) so a sheet reads them as numbers; an unknown figure is an empty cell, never 0. Text from the scanned
 * code goes through `csvTextCell`, which keeps a spreadsheet from evaluating it as a formula.
 */
import { stringify } from 'csv-stringify/sync';
import type { FunctionResult, ScanResult, ScenarioId } from '../model/result.js';
import { csvTextCell } from './escape.js';
import { rankedFunctions } from './view-model.js';

const SCENARIOS: readonly ScenarioId[] = ['in-node-fixes', 'arm64', 'right-size', 'llrt', 'rust'];

export const CSV_COLUMNS: readonly string[] = [
  'rank',
  'id',
  'name',
  'service_root',
  'runtime',
  'architecture',
  'memory_mb',
  'ephemeral_storage_mb',
  'provisioned_concurrency',
  'est_init_ms',
  'measured_init_p50_ms',
  'measured_init_p90_ms',
  'measured_init_p99_ms',
  'cold_starts',
  'invocations',
  'monthly_now_usd',
  'ephemeral_storage_usd',
  'provisioned_concurrency_usd',
  ...SCENARIOS.map((id) => `saving_${id.replace(/-/g, '_')}_usd`),
  'plan_saving_usd',
  'effort_points',
  'findings_error',
  'findings_warn',
  'findings_info',
  'io_tangle_verdict',
  'io_tangle_score',
];

/**
 * Integer micro-dollars as a plain decimal with 2 to 6 decimals (`0.044057`, `1.50`, `-0.0123`): exact, no float
 * rounding, and only the zeros a cent needs.
 */
export function csvUsd(micro: number | null): string {
  if (micro === null || !Number.isFinite(micro)) return '';
  const rounded = Math.round(micro);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  const whole = Math.trunc(abs / 1_000_000);
  let fraction = String(abs % 1_000_000).padStart(6, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${sign}${whole}.${fraction}`;
}

/** Plain number, at most 3 decimals, no exponent for the sizes that occur here. */
function csvNumber(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '' : String(Math.round(n * 1000) / 1000);
}

/**
 * A merged result names each function's service; a single scan is one service, named by its root. An optional cost
 * part (ephemeral storage, provisioned concurrency) is empty when the function does not configure it or the region
 * has no rate for it.
 */
function row(fn: FunctionResult, root: string): string[] {
  const monthly = fn.cost?.monthly ?? null;
  const m = fn.metrics?.status === 'ok' ? fn.metrics : null;
  const counts = { error: 0, warn: 0, info: 0 };
  for (const f of fn.findings) counts[f.severity]++;
  const scenario = (id: ScenarioId): string => {
    const s = fn.cost?.scenarios.find((x) => x.id === id);
    return s === undefined || s.status !== 'projected' ? '' : csvUsd(s.savingMicroUsd);
  };
  return [
    csvNumber(fn.rank),
    csvTextCell(fn.id),
    csvTextCell(fn.name),
    csvTextCell(fn.service ?? root),
    csvTextCell(fn.runtime ?? ''),
    fn.architecture ?? '',
    csvNumber(fn.memoryMB),
    csvNumber(fn.ephemeralStorageMB),
    csvNumber(fn.provisionedConcurrency),
    csvNumber(fn.init?.estInitMs),
    csvNumber(m?.initMs?.p50),
    csvNumber(m?.initMs?.p90),
    csvNumber(m?.initMs?.p99),
    csvNumber(m?.coldStarts),
    csvNumber(m?.invocations),
    csvUsd(fn.plan?.monthlyNowMicroUsd ?? monthly?.totalMicroUsd ?? null),
    csvUsd(monthly?.ephemeralMicroUsd ?? null),
    csvUsd(monthly?.provisionedMicroUsd ?? null),
    ...SCENARIOS.map(scenario),
    csvUsd(fn.plan?.savingMicroUsd ?? null),
    csvNumber(fn.plan?.effortPoints ?? fn.effort?.points),
    csvNumber(counts.error),
    csvNumber(counts.warn),
    csvNumber(counts.info),
    fn.ioTangle?.verdict ?? '',
    csvNumber(fn.ioTangle?.score),
  ];
}

export function renderCsv(result: ScanResult): string {
  const rows = rankedFunctions(result).map((fn) => row(fn, result.root));
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'unix' });
}
