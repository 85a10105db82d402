/**
 * The Logs Insights query over REPORT records, text and JSON log formats alike, aggregated server-side (one row per
 * log group), and the reading of its rows. Pure: no SDK here, so the query and the row parsing are unit-tested.
 *
 * Text-format REPORT lines get the discovered fields `@duration`, `@initDuration`, … (memory fields in bytes: 1 MB
 * is 1,000,000 there); JSON-format `platform.report` records carry `record.metrics.*Ms` / `*MB`. `coalesce` takes
 * whichever the record has.
 */
import type { DeployedConfig, MeasuredDistribution } from '../model/result.js';
import { normalizeLogGroup, parseTimestamp } from './report-record.js';
import type { MeasuredFigures } from './types.js';

export const REPORT_STATS_QUERY = [
  'filter @type = "REPORT" or type = "platform.report"',
  '| fields coalesce(@initDuration, record.metrics.initDurationMs) as initMs,',
  '    coalesce(@duration, record.metrics.durationMs) as durationMs,',
  '    coalesce(@billedDuration, record.metrics.billedDurationMs) as billedMs,',
  '    coalesce(@memorySize / 1000000, record.metrics.memorySizeMB) as memoryMB,',
  '    coalesce(@maxMemoryUsed / 1000000, record.metrics.maxMemoryUsedMB) as maxMemoryMB',
  '| stats count(*) as invocations, count(initMs) as coldStarts,',
  '    pct(initMs, 50) as initP50, pct(initMs, 90) as initP90, pct(initMs, 99) as initP99,',
  '    avg(initMs) as initAvg, max(initMs) as initMax,',
  '    pct(durationMs, 50) as durationP50, pct(durationMs, 90) as durationP90, pct(durationMs, 99) as durationP99,',
  '    avg(durationMs) as durationAvg, max(durationMs) as durationMax,',
  '    avg(billedMs) as billedAvg, max(billedMs) as billedMax,',
  '    max(memoryMB) as memorySizeMB, max(maxMemoryMB) as maxMemoryUsedMB,',
  '    min(@timestamp) as firstSeen, max(@timestamp) as lastSeen',
  '  by @log',
].join('\n');

/** StartQuery accepts at most 50 log groups per query. */
export const MAX_GROUPS_PER_QUERY = 50;

export type InsightsRow = Record<string, string>;

function num(row: InsightsRow, key: string): number | null {
  const raw = row[key];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  // Counts, durations and memory are never negative: a row that says so is not trusted for that figure.
  return Number.isFinite(n) && n >= 0 ? n : null;
}

const r2 = (n: number): number => Math.round(n * 100) / 100;

function distribution(row: InsightsRow, prefix: string): MeasuredDistribution | null {
  const p50 = num(row, `${prefix}P50`);
  const p90 = num(row, `${prefix}P90`);
  const p99 = num(row, `${prefix}P99`);
  const avg = num(row, `${prefix}Avg`);
  const max = num(row, `${prefix}Max`);
  if (p50 === null || p90 === null || p99 === null || avg === null || max === null) return null;
  return { p50: r2(p50), p90: r2(p90), p99: r2(p99), avg: r2(avg), max: r2(max) };
}

/** The log group a stats row belongs to (`@log` is `<account id>:<log group>`). */
export function rowLogGroup(row: InsightsRow): string | null {
  return normalizeLogGroup(row['@log']);
}

export interface QueryContext {
  deployedName: string;
  logGroup: string;
  region: string;
  window: { from: string; to: string };
  config: DeployedConfig;
  truncated: boolean;
}

export function figuresFromRow(row: InsightsRow | undefined, ctx: QueryContext): MeasuredFigures {
  const invocations = row === undefined ? 0 : (num(row, 'invocations') ?? 0);
  const first = row === undefined ? null : parseTimestamp(row['firstSeen']);
  const last = row === undefined ? null : parseTimestamp(row['lastSeen']);
  const billedAvg = row === undefined ? null : num(row, 'billedAvg');
  const billedMax = row === undefined ? null : num(row, 'billedMax');
  const memory = row === undefined ? null : num(row, 'memorySizeMB');
  const used = row === undefined ? null : num(row, 'maxMemoryUsedMB');
  return {
    status: invocations > 0 ? 'ok' : 'no_invocations',
    deployedName: ctx.deployedName,
    logGroups: [ctx.logGroup],
    region: ctx.region,
    window: first !== null && last !== null ? { from: new Date(first).toISOString(), to: new Date(last).toISOString() } : ctx.window,
    invocations,
    coldStarts: row === undefined ? 0 : (num(row, 'coldStarts') ?? 0),
    initMs: row === undefined ? null : distribution(row, 'init'),
    durationMs: row === undefined ? null : distribution(row, 'duration'),
    billedDurationMs: billedAvg === null || billedMax === null ? null : { avg: r2(billedAvg), max: r2(billedMax) },
    memorySizeMB: memory === null ? ctx.config.memoryMB : Math.round(memory),
    maxMemoryUsedMB: used === null ? null : Math.round(used),
    percentiles: 'server',
    truncated: ctx.truncated,
    config: ctx.config,
    detail: invocations > 0 ? null : `no REPORT record in ${ctx.logGroup} in the window`,
  };
}
