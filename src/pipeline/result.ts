import path from 'node:path';
import { byEstimatedInit, rankByPlan } from '../cost/rank.js';
import { SCHEMA_VERSION, type ScanResult, type Severity, type Skipped } from '../model/result.js';
import { packageVersion } from '../assets.js';
import { compareStrings } from '../util/compare.js';
import type { Analysed } from './analyse.js';
import type { Discovered } from './discover.js';
import { parsedFiles, type Graphed } from './graph.js';
import type { Measured } from './metrics.js';
import type { Priced } from './cost.js';
import type { Settings } from './settings.js';

export interface Stages {
  found: Discovered;
  graphed: Graphed;
  analysed: Analysed;
  measured: Measured;
  priced: Priced;
}

/**
 * The last stage: the functions ranked (once: by the plan's saving per effort point where a month is priced, by
 * estimated init otherwise), the summary counted, and every stage's warnings and skipped files in one sorted list.
 */
export function assembleResult(root: string, settings: Settings, stages: Stages): ScanResult {
  const { found, graphed, analysed, measured, priced } = stages;
  const functions = priced.functions.map((fn) => ({ ...fn }));
  rankByPlan(functions, byEstimatedInit);

  const parsed = parsedFiles(graphed);
  const skipped: Skipped[] = [...found.discovery.skipped, ...parsed.skipped];
  skipped.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.reason, b.reason));
  const warnings = [
    ...found.discovery.warnings,
    ...graphed.warnings,
    ...analysed.warnings,
    ...settings.config.notes,
    ...measured.warnings,
    ...priced.warnings,
    ...graphed.resolver.warnings,
  ];
  if (functions.length === 0) warnings.push('0 handlers found: no IaC function declarations and no exported handler functions');

  const findingCounts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const r of functions) for (const f of r.findings) findingCounts[f.severity]++;

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'lambda-migrate', version: packageVersion() },
    root: root.split(path.sep).join('/'),
    complete: skipped.length === 0 && functions.every((r) => r.handler.mapping !== 'unresolved' && r.init !== null),
    summary: {
      functions: functions.length,
      files: parsed.files,
      lines: parsed.lines,
      findings: findingCounts,
      estInitMs: Math.round(functions.reduce((s, r) => s + (r.init?.estInitMs ?? 0), 0) * 10) / 10,
      metricsSource: measured.metrics?.source ?? 'none',
      ...(priced.summary !== undefined ? { cost: priced.summary } : {}),
    },
    rules: [...settings.engine.summaries],
    functions,
    skipped,
    warnings: [...new Set(warnings)].sort(compareStrings),
    suppressed: {
      inline: analysed.suppressed.inline,
      baseline: analysed.suppressed.baseline,
      allowedFiles: analysed.suppressed.config,
      configFile: settings.config.file,
    },
    unreferenced: found.discovery.unreferenced,
    notAnalysed: found.discovery.notAnalysed,
  };
}
