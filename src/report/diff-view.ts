/**
 * Words and numbers for a `ResultDiff`, shared by the markdown, text and PR-comment reports so they say the same
 * thing. Strings from the scanned code stay raw here; each report escapes them its own way.
 */
import type { DiffFigure, DiffFinding, FunctionDiff, ResultDiff } from '../model/result.js';
import { usd } from './cost-view.js';
import { compareStrings } from '../util/compare.js';
import { formatCount, formatMeasuredMs, formatMs, plural, UNKNOWN } from './format.js';

/** `+73`, `-150`, `0`: whole milliseconds with a sign, as estimates have no meaningful decimals. */
export function signedMs(ms: number | null): string {
  if (ms === null) return UNKNOWN;
  const rounded = Math.round(ms);
  return rounded > 0 ? `+${formatCount(rounded)}` : formatCount(rounded);
}

/** Measured deltas keep a decimal, as the measured figures do. */
export function signedMeasuredMs(ms: number): string {
  return ms > 0 ? `+${formatMeasuredMs(ms)}` : ms < 0 ? `-${formatMeasuredMs(-ms)}` : '0.0';
}

export function signedUsd(micro: number | null): string {
  if (micro === null) return UNKNOWN;
  return micro > 0 ? `+${usd(micro)}` : micro < 0 ? `-${usd(-micro)}` : usd(0);
}

export function signedPct(pct: number | null): string | null {
  if (pct === null) return null;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** `199 → 272`, `none → 14` (added), `150 → none` (removed): the figure on both sides. */
export function figureSides(f: DiffFigure, status: FunctionDiff['status'], show: (n: number) => string): string {
  const side = (n: number | null, absent: boolean): string => (absent ? 'none' : n === null ? UNKNOWN : show(n));
  return `${side(f.base, status === 'added')} → ${side(f.head, status === 'removed')}`;
}

function moved(d: FunctionDiff): boolean {
  return (d.estInitMs.delta ?? 0) !== 0 || (d.monthlyMicroUsd.delta ?? 0) !== 0;
}

/**
 * The one sentence a reviewer reads: what the change adds (or removes) in estimated init and money, and to how many
 * functions. Plain text: no names from the scanned code, so every report can show it first.
 */
export function diffHeadline(diff: ResultDiff): string {
  const t = diff.totals;
  const init = Math.round(t.estInitMsAdded);
  const cost = t.monthlyMicroUsdAdded ?? 0;
  const functions = diff.functions.filter(moved).length;
  if (init === 0 && cost === 0) {
    return 'This change makes no change to estimated init or cost';
  }
  const initPart = init === 0 ? null : `${init > 0 ? 'adds' : 'removes'} ${formatCount(Math.abs(init))} ms of estimated init`;
  const costVerb = cost > 0 ? 'adds' : 'saves';
  const money = `~${usd(Math.abs(cost))}/month`;
  let costPart: string | null = null;
  if (cost !== 0) {
    // "adds 180 ms ... and ~$12.00/month": the verb is said once when both go the same way.
    costPart = initPart === null || init > 0 !== cost > 0 ? `${costVerb} ${money}` : money;
  }
  const direction = init >= 0 && cost >= 0 ? 'to' : init <= 0 && cost <= 0 ? 'from' : 'across';
  const what = [initPart, costPart].filter((part): part is string => part !== null).join(' and ');
  return `This change ${what} ${direction} ${plural(functions, 'function')}`;
}

/** The totals behind the headline: percentages, function counts, findings, and whether cost could be compared. */
export function diffTotalsLine(diff: ResultDiff): string {
  const t = diff.totals;
  const initPct = signedPct(t.estInitPct);
  const costPct = signedPct(t.monthlyPct);
  return [
    `est. init ${signedMs(t.estInitMsAdded)} ms${initPct === null ? '' : ` (${initPct})`}`,
    t.monthlyMicroUsdAdded === null
      ? 'cost not compared: neither result has cost figures (metrics or --invocations / --cold-start-rate)'
      : `cost ${signedUsd(t.monthlyMicroUsdAdded)}/month${costPct === null ? '' : ` (${costPct})`}${diff.functions.some((d) => d.initPriced !== undefined) ? ", init priced with the base's cold starts" : ''}`,
    `${formatCount(t.functionsAdded)} added, ${formatCount(t.functionsRemoved)} removed, ${formatCount(t.functionsChanged)} changed`,
    `${plural(t.findingsNew, 'new finding')}, ${formatCount(t.findingsFixed)} fixed`,
  ].join(' · ');
}

/**
 * `createOrder: +116 ms x 251 cold starts/month (the base's) x 1024 MB x $0.0000166667/GB-s = +$0.0049/month`: how
 * the init a head without usage adds was priced, with every figure (raw name; each report escapes the line).
 */
export function initPricingLine(d: FunctionDiff): string | null {
  const p = d.initPriced;
  if (p === undefined) return null;
  const price = p.initBilled ? `$${p.perGbSecond}/GB-s (${p.region} ${p.architecture})` : 'INIT not billed';
  return `${d.name}: ${signedMs(p.initMsAdded)} ms x ${formatCount(p.coldStartsPerMonth)} cold starts/month (the base's) x ${p.memoryMB} MB x ${price} = ${signedUsd(p.microUsd)}/month`;
}

/** `+2 / -1` packages on the init path. */
export function packageChange(d: FunctionDiff): string {
  return `+${formatCount(d.packagesAdded.length)} / -${formatCount(d.packagesRemoved.length)}`;
}

export function findingChange(d: FunctionDiff): string {
  return `${formatCount(d.findingsNew.length)} new / ${formatCount(d.findingsFixed.length)} fixed`;
}

/** `+axios (46 ms), -moment (? ms)`: raw names, for reports that escape the whole line. */
export function packageList(d: FunctionDiff): string {
  return [
    ...d.packagesAdded.map((p) => `+${p.name} (${formatMs(p.estInitMs)} ms)`),
    ...d.packagesRemoved.map((p) => `-${p.name} (${formatMs(p.estInitMs)} ms)`),
  ].join(', ');
}

/** A finding once, with every function it is new (or fixed) in: a shared module's finding is listed once. */
export interface GroupedFinding {
  finding: DiffFinding;
  functions: string[];
}

/** Findings of several functions, each distinct one once with the names of the functions that have it. */
export function groupFindings(entries: readonly { name: string; findings: readonly DiffFinding[] }[]): GroupedFinding[] {
  const groups = new Map<string, GroupedFinding>();
  for (const d of entries) {
    for (const f of d.findings) {
      const key = `${f.ruleId}\0${f.file}\0${f.line}\0${f.message}`;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { finding: f, functions: [d.name] });
      else group.functions.push(d.name);
    }
  }
  const order: Record<DiffFinding['severity'], number> = { error: 0, warn: 1, info: 2 };
  return [...groups.values()].sort(
    (a, b) =>
      order[a.finding.severity] - order[b.finding.severity] ||
      compareStrings(a.finding.file, b.finding.file) ||
      a.finding.line - b.finding.line ||
      compareStrings(a.finding.ruleId, b.finding.ruleId) ||
      compareStrings(a.finding.message, b.finding.message),
  );
}

/** `warn heavy-init-import src/lib/http.ts:1 'axios' loads at init (est. 46 ms) · in createOrder`: raw text. */
export function findingLine(g: GroupedFinding): string {
  const f = g.finding;
  const estimate = f.estInitMs === null ? '' : ` (est. ${formatMs(f.estInitMs)} ms)`;
  return `${f.severity} ${f.ruleId} ${f.file}:${f.line} ${f.message}${estimate} · in ${g.functions.join(', ')}`;
}

export interface DiffRowView {
  name: string;
  status: FunctionDiff['status'];
  estInit: string;
  estInitDelta: string;
  measuredDelta: string;
  costDelta: string;
  packages: string;
  packageList: string;
  findings: string;
}

export function diffRow(d: FunctionDiff): DiffRowView {
  return {
    name: d.name,
    status: d.status,
    estInit: figureSides(d.estInitMs, d.status, (n) => formatMs(n)),
    estInitDelta: signedMs(d.estInitMs.delta),
    measuredDelta: d.measuredInitMs === null || d.measuredInitMs.delta === null ? '' : signedMeasuredMs(d.measuredInitMs.delta),
    costDelta:
      d.monthlyMicroUsd.delta === null
        ? d.monthlyMicroUsd.base === null && d.monthlyMicroUsd.head === null
          ? ''
          : UNKNOWN
        : signedUsd(d.monthlyMicroUsd.delta),
    packages: packageChange(d),
    packageList: packageList(d),
    findings: findingChange(d),
  };
}

/** The "Changes since base" section of the markdown and text reports. */
export interface DiffSectionView {
  headline: string;
  totals: string;
  base: string;
  /** True when any function has measured init on both sides: the table gets that column. */
  hasMeasured: boolean;
  rows: DiffRowView[];
  /** How each head-without-usage function's added init was priced (initPricingLine); empty when none was. */
  pricing: string[];
  /** `createOrder: +axios (46 ms), -moment (? ms)` for each function whose init packages changed. */
  packageLines: string[];
  newFindings: string[];
  fixedFindings: string[];
}

export function diffSectionView(diff: ResultDiff | undefined): DiffSectionView | null {
  if (diff === undefined) return null;
  return {
    headline: diffHeadline(diff),
    totals: diffTotalsLine(diff),
    base: `base: ${plural(diff.base.functions, 'function')}, est. init ${formatMs(diff.base.estInitMs)} ms${diff.base.monthlyMicroUsd === null ? '' : `, ${usd(diff.base.monthlyMicroUsd)}/month`} (root ${diff.base.root}, lambda-migrate ${diff.base.toolVersion})`,
    hasMeasured: diff.functions.some((d) => d.measuredInitMs !== null),
    rows: diff.functions.map(diffRow),
    pricing: diff.functions.map(initPricingLine).filter((line): line is string => line !== null),
    packageLines: diff.functions.filter((d) => d.packagesAdded.length + d.packagesRemoved.length > 0).map((d) => `${d.name}: ${packageList(d)}`),
    newFindings: groupFindings(diff.functions.map((d) => ({ name: d.name, findings: d.findingsNew }))).map(findingLine),
    fixedFindings: groupFindings(diff.functions.map((d) => ({ name: d.name, findings: d.findingsFixed }))).map(findingLine),
  };
}
