/**
 * The HTML report for a cost review: summary cards, a chart of the month now against each scenario, a chart of init
 * by package per function, a sortable table and the plan of each function. The view model decides every string and
 * every coordinate; the template (reports/html/) is layout only and puts all of it through handlebars' `{{ }}`.
 *
 * The page loads nothing: its one style sheet and one script are inline, and the Content-Security-Policy names them
 * by hash, so neither an injected tag nor a later edit of the template can fetch or run anything else.
 */
import { createHash } from 'node:crypto';
import type { FunctionResult, ScanResult } from '../model/result.js';
import { readAsset } from '../assets.js';
import { costSummaryView, functionCostView, SourceIndex, usd, type FunctionCostView } from './cost-view.js';
import { stripHtmlUnsafeChars } from './escape.js';
import { formatCount, formatMeasuredMs, formatMs, plural, UNKNOWN } from './format.js';
import {
  buildMarkdownView,
  effortPointsOf,
  hasServices,
  MARKDOWN_CHAIN_SEPARATOR,
  rankedFunctions,
  type MarkdownFindingView,
  type MarkdownFunctionView,
  type NotAnalysedView,
  type PortTargetView,
} from './view-model.js';

export interface HtmlAssets {
  style: string;
  script: string;
  /** The page's Content-Security-Policy: nothing from the network, only the inline style and script by hash. */
  csp: string;
}

let cachedAssets: HtmlAssets | undefined;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The inline CSS and JS, read from the package like the templates (never from the scanned tree). */
export function htmlAssets(): HtmlAssets {
  if (cachedAssets !== undefined) return cachedAssets;
  const style = readAsset('reports/html/report.css');
  const script = readAsset('reports/html/report.js');
  for (const [name, text] of [
    ['report.css', style],
    ['report.js', script],
  ] as const) {
    // Inlined raw: a `</` could close the element early and turn the rest into markup.
    if (text.includes('</')) throw new Error(`lambda-migrate: reports/html/${name} must not contain '</'`);
    // renderHtml strips these from the page; in an asset that would change it and break its CSP hash.
    if (stripHtmlUnsafeChars(text) !== text) throw new Error(`lambda-migrate: reports/html/${name} contains control characters`);
  }
  const csp = [
    "default-src 'none'",
    `style-src ${cspHash(style)}`,
    `script-src ${cspHash(script)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  // The template writes it raw into a double-quoted attribute.
  if (/["<>&]/.test(csp)) throw new Error(`lambda-migrate: unexpected character in the CSP: ${csp}`);
  cachedAssets = { style, script, csp };
  return cachedAssets;
}

// ---------------------------------------------------------------------------------------------------------------
// charts: horizontal bars, one row each. A row is HTML (label, bar, value) so it reflows on a narrow screen; the bar
// is a small SVG stretched to the width it gets, its geometry rounded to 0.1 so the page is the same on every machine.

/** One coloured part of a bar: a scenario's bar is the month after it, then what it saves. */
export interface HtmlSegment {
  kind: 'now' | 'after' | 'saving' | 'more' | 'package' | 'unknown';
  /** In the bar's own units: 0..BAR_UNITS is the full scale. */
  x: number;
  width: number;
}

export interface HtmlBar {
  /** The whole label: HTML text that wraps, never cut. */
  label: string;
  tooltip: string;
  value: string;
  segments: HtmlSegment[];
}

export interface HtmlChart {
  title: string;
  description: string;
  /** The bar's viewBox width: a segment of this width is the chart's full scale. */
  units: number;
  bars: HtmlBar[];
  /** What the colours mean, shown under the chart; empty when one colour says it all. */
  legend: { kind: HtmlSegment['kind']; text: string }[];
}

interface ChartRow {
  label: string;
  tooltip: string;
  /** The parts of the bar in order, in the chart's unit; a null value (unknown) draws nothing. */
  parts: { kind: HtmlSegment['kind']; value: number | null }[];
  valueText: string;
}

/** The units of a full-scale bar (its drawn width on a wide screen, in CSS px). */
export const BAR_UNITS = 320;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** `scale` is the value of a full-width bar; charts that share it can be compared by eye. */
function barChart(title: string, description: string, rows: readonly ChartRow[], scale: number, legend: HtmlChart['legend'] = []): HtmlChart {
  const units = (value: number): number => (scale <= 0 || value <= 0 ? 0 : Math.max(1, round1((value / scale) * BAR_UNITS)));
  const bars = rows.map((row): HtmlBar => {
    let x = 0;
    const segments = row.parts.flatMap((part): HtmlSegment[] => {
      // A non-zero value never disappears: at least one unit.
      const width = units(Math.max(0, part.value ?? 0));
      if (width === 0) return [];
      const segment = { kind: part.kind, x: round1(x), width };
      x += width;
      return [segment];
    });
    return { label: row.label, tooltip: row.tooltip, value: row.valueText, segments };
  });
  return { title, description, units: BAR_UNITS, bars, legend };
}

/**
 * Now, then each scenario by what it saves: a scenario's bar is the month after it with the saving drawn on the end
 * in green, so the longest green part is the biggest saving and every bar ends where the month is now.
 */
function costChart(result: ScanResult): HtmlChart | null {
  const c = result.summary.cost;
  if (c === undefined || c.functionsPriced === 0) return null;
  const now = c.monthlyMicroUsd;
  const scenarios = [...c.scenarios].sort((a, b) => b.savingMicroUsd - a.savingMicroUsd);
  const rows: ChartRow[] = [
    { label: 'Now', tooltip: `Now: ${usd(now)}/month`, parts: [{ kind: 'now', value: now }], valueText: `${usd(now)}/month` },
    ...scenarios.map((s): ChartRow => {
      const after = now - s.savingMicroUsd;
      const fns = plural(s.functions, 'function');
      const text =
        s.savingMicroUsd >= 0
          ? `saves ${usd(s.savingMicroUsd)} · ${usd(after)}/month after (${fns})`
          : `costs ${usd(-s.savingMicroUsd)} more · ${usd(after)}/month (${fns})`;
      const parts: ChartRow['parts'] =
        s.savingMicroUsd >= 0
          ? [
              { kind: 'after', value: after },
              { kind: 'saving', value: s.savingMicroUsd },
            ]
          : [
              { kind: 'after', value: now },
              { kind: 'more', value: -s.savingMicroUsd },
            ];
      return { label: s.label, tooltip: `${s.label}: ${text}`, parts, valueText: text };
    }),
  ];
  const scale = Math.max(now, ...scenarios.map((s) => now - Math.min(0, s.savingMicroUsd)));
  return barChart(
    'Monthly cost now and what each scenario saves',
    `Monthly cost of ${plural(c.functionsPriced, 'function')} now (${usd(now)}); each scenario's bar is the month after it, with what it saves in green. Each scenario is on its own: savings do not add up.`,
    rows,
    scale,
    [
      { kind: 'now', text: 'the month now' },
      { kind: 'after', text: 'the month after the scenario' },
      { kind: 'saving', text: 'what it saves' },
    ],
  );
}

function initChart(fn: FunctionResult, scale: number): HtmlChart | null {
  const packages = fn.init?.packages ?? [];
  if (packages.length === 0) return null;
  const rows = packages.map((pkg): ChartRow => {
    const label = pkg.subpaths.length === 0 ? pkg.name : `${pkg.name} (${pkg.subpaths.join(', ')})`;
    const ms = pkg.estInitMs;
    const valueText = ms === null ? `${UNKNOWN} ms (${pkg.source})` : `${formatMs(ms)} ms`;
    return {
      label,
      tooltip: `${label}: est. ${valueText} · ${pkg.chain.join(MARKDOWN_CHAIN_SEPARATOR)} · ${pkg.basis}`,
      parts: [{ kind: ms === null ? 'unknown' : 'package', value: ms }],
      valueText,
    };
  });
  return barChart(
    `Estimated init by package: ${fn.name}`,
    `Estimated init of each package ${fn.name} loads at init, in ms; every function's chart has the same scale.`,
    rows,
    scale,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// the sortable table

export interface HtmlColumn {
  label: string;
  type: 'number' | 'text';
}

export interface HtmlCell {
  text: string;
  /** The key the script sorts by: a plain number for numeric columns, '' when unknown (sorted last). */
  sort: string;
  numeric: boolean;
  /** In-page link to the function's section, for the name cell. */
  href: string | null;
}

export interface HtmlRow {
  rank: number;
  cells: HtmlCell[];
}

/** The Service column comes right after Function, and only in a merged result. */
const SERVICE_COLUMN: HtmlColumn = { label: 'Service', type: 'text' };

const COLUMNS: readonly HtmlColumn[] = [
  { label: 'Rank', type: 'number' },
  { label: 'Function', type: 'text' },
  { label: 'Runtime', type: 'text' },
  { label: 'Memory (MB)', type: 'number' },
  { label: 'Est. init (ms)', type: 'number' },
  { label: 'Measured init p50 (ms)', type: 'number' },
  { label: 'Findings', type: 'number' },
  { label: 'Now / month', type: 'number' },
  { label: 'Plan saves / month', type: 'number' },
  { label: 'Effort (pts)', type: 'number' },
  { label: 'Rust / LLRT', type: 'text' },
  { label: 'I/O tangle', type: 'text' },
];

function columns(withService: boolean): HtmlColumn[] {
  return withService ? [...COLUMNS.slice(0, 2), SERVICE_COLUMN, ...COLUMNS.slice(2)] : [...COLUMNS];
}

function num(text: string, value: number | null): HtmlCell {
  return { text, sort: value === null || !Number.isFinite(value) ? '' : String(value), numeric: true, href: null };
}

function txt(text: string, href: string | null = null): HtmlCell {
  return { text, sort: text, numeric: false, href };
}

function tableRow(fn: FunctionResult, anchor: string, withService: boolean): HtmlRow {
  const m = fn.metrics;
  const p50 = m !== null && m.status === 'ok' && m.initMs !== null ? m.initMs.p50 : null;
  const p50Text = m === null ? UNKNOWN : m.status !== 'ok' ? m.status.replace('_', ' ') : p50 === null ? 'no cold start' : formatMeasuredMs(p50);
  const now = fn.plan?.monthlyNowMicroUsd ?? null;
  const saving = fn.plan?.savingMicroUsd ?? null;
  const effort = effortPointsOf(fn);
  const tangle = fn.ioTangle;
  const port = fn.portability;
  return {
    rank: fn.rank,
    cells: [
      num(String(fn.rank), fn.rank),
      txt(fn.name, `#${anchor}`),
      ...(withService ? [txt(fn.service ?? '')] : []),
      txt(`${fn.runtime ?? UNKNOWN} ${fn.architecture ?? UNKNOWN}`),
      num(fn.memoryMB === null ? UNKNOWN : String(fn.memoryMB), fn.memoryMB),
      num(formatMs(fn.init?.estInitMs ?? null), fn.init === null ? null : round1(fn.init.estInitMs)),
      num(p50Text, p50),
      num(formatCount(fn.findings.length), fn.findings.length),
      num(now === null ? 'needs metrics' : usd(now), now),
      num(saving === null ? UNKNOWN : usd(saving), saving),
      // The plan's points, or (no step in the plan) the port estimate's, marked as such.
      num(effort === null ? UNKNOWN : effort.source === 'plan' ? String(effort.points) : `${effort.points} (port)`, effort?.points ?? null),
      txt(port === undefined || port === null ? UNKNOWN : `${port.rust.verdict} / ${port.llrt.verdict}`),
      txt(tangle === null ? UNKNOWN : `${tangle.verdict} (${tangle.score.toFixed(2)})`),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// the page

export interface HtmlCard {
  label: string;
  value: string;
  sub: string;
  good: boolean;
}

export interface HtmlFunctionView {
  anchor: string;
  /** `3. createOrder · orders · est. init 180 ms · $4.10/month`: the folded section's one line. */
  summaryLine: string;
  rank: string;
  name: string;
  /** The function's service in a merged result; null otherwise. */
  service: string | null;
  facts: string[];
  handlerNote: string | null;
  chart: HtmlChart | null;
  /** Why there is no chart. */
  chartNote: string | null;
  cost: FunctionCostView | null;
  /** Rust and LLRT verdicts with each obstacle and its site; empty without an import graph. */
  port: PortTargetView[];
  /** `Effort M: 6.6 points from ...` and its formula (shown on hover); null without an estimate. */
  effort: { line: string; basis: string } | null;
  findings: MarkdownFindingView[];
}

/** One service of a merged result: its functions' figures summed. */
export interface HtmlServiceRow {
  name: string;
  functions: string;
  estInit: string;
  findings: string;
  monthly: string;
  saves: string;
  /** Sort keys, as in the functions table. */
  keys: { functions: string; estInit: string; findings: string; monthly: string; saves: string };
}

export interface HtmlReportView {
  title: string;
  csp: string;
  style: string;
  script: string;
  toolName: string;
  version: string;
  root: string;
  meta: string;
  incomplete: string | null;
  hint: string | null;
  cards: HtmlCard[];
  costHeadline: string | null;
  costNotes: string[];
  costChart: HtmlChart | null;
  columns: readonly HtmlColumn[];
  rows: HtmlRow[];
  /** Per-service totals of a merged result; empty for one service. */
  services: HtmlServiceRow[];
  /** A merged result folds each function's section (a review of many services stays a page one can scroll). */
  compact: boolean;
  functions: HtmlFunctionView[];
  notAnalysed: NotAnalysedView[];
  notAnalysedNote: string;
  unreferenced: string[];
  unreferencedNote: string;
  skipped: { file: string; reason: string; detail: string }[];
  warnings: string[];
  sources: string[];
}

/** A saving as the change to the monthly bill: `-$0.014`, `$0.00`, or `+$0.0030` when the change costs more. */
function monthlyChange(savingMicroUsd: number): string {
  if (savingMicroUsd === 0) return usd(0);
  return savingMicroUsd > 0 ? `-${usd(savingMicroUsd)}` : `+${usd(-savingMicroUsd)}`;
}

function cards(result: ScanResult): HtmlCard[] {
  const { summary } = result;
  const c = summary.cost;
  const base: HtmlCard[] = [
    {
      label: 'Functions',
      value: formatCount(summary.functions),
      sub: `${plural(summary.files, 'file')}, ${plural(summary.lines, 'line')}`,
      good: false,
    },
    { label: 'Est. init, all functions', value: `${formatMs(summary.estInitMs)} ms`, sub: 'sum of package estimates', good: false },
  ];
  if (c === undefined) return base;
  if (c.functionsPriced === 0) {
    return [
      ...base,
      { label: 'Monthly cost now', value: 'needs metrics', sub: `${plural(c.functionsNeedingMetrics, 'function')} without usage`, good: false },
    ];
  }
  return [
    ...base,
    {
      label: 'Monthly cost now',
      value: usd(c.monthlyMicroUsd),
      sub: `${c.region}, ${c.basis}, ${plural(c.functionsPriced, 'function')}`,
      good: false,
    },
    { label: 'Every plan applied', value: monthlyChange(c.planSavingMicroUsd), sub: 'per month, steps in order', good: c.planSavingMicroUsd > 0 },
    ...c.scenarios.map((s): HtmlCard => ({
      label: s.label,
      value: monthlyChange(s.savingMicroUsd),
      sub: `per month, ${plural(s.functions, 'function')}`,
      good: s.savingMicroUsd > 0,
    })),
  ];
}

function functionView(fn: FunctionResult, md: MarkdownFunctionView, anchor: string, scale: number, sources: SourceIndex): HtmlFunctionView {
  const chart = initChart(fn, scale);
  const facts = [
    `Declared in ${md.declaredIn} (${md.provider})${md.deployedNames.length === 0 ? '' : `, deployed as ${md.deployedNames.join(', ')}`}`,
    `Handler ${md.handler}`,
    `${md.runtime} · ${md.architecture} · ${md.memory} · timeout ${md.timeout}`,
    md.init === null ? md.initMissing : `Estimated init ${md.init.estInitMs} ms · ${md.init.modules} · ${md.init.lines}`,
    ...md.measured,
    ...(md.ioTangle === null ? [] : [`I/O tangle: ${md.ioTangle}`]),
  ];
  const month = fn.plan?.monthlyNowMicroUsd ?? null;
  const summaryLine = [
    `${md.rank}. ${fn.name}`,
    ...(fn.service === undefined ? [] : [fn.service]),
    fn.init === null ? md.initMissing : `est. init ${formatMs(fn.init.estInitMs)} ms`,
    ...(month === null ? [] : [`${usd(month)}/month`]),
    plural(fn.findings.length, 'finding'),
  ].join(' · ');
  return {
    anchor,
    summaryLine,
    rank: md.rank,
    name: fn.name,
    service: fn.service ?? null,
    facts,
    handlerNote: md.handlerNote,
    chart,
    chartNote: chart !== null ? null : fn.init === null ? md.initMissing : 'No packages load at init.',
    cost: functionCostView(fn, sources),
    port: md.port,
    effort:
      md.effort === null
        ? null
        : { line: `Effort ${md.effort.size}: ${md.effort.points} points from ${md.effort.inputs}`, basis: `points = ${md.effort.basis}` },
    findings: md.findings,
  };
}

/** Sums each service's functions (a merged result); the order is the one of the services' best-ranked function. */
function serviceRows(ranked: readonly FunctionResult[]): HtmlServiceRow[] {
  const by = new Map<string, FunctionResult[]>();
  for (const fn of ranked) {
    if (fn.service === undefined) continue;
    by.set(fn.service, [...(by.get(fn.service) ?? []), fn]);
  }
  return [...by.entries()].map(([name, fns]): HtmlServiceRow => {
    const init = fns.reduce((sum, fn) => sum + (fn.init?.estInitMs ?? 0), 0);
    const findings = fns.reduce((sum, fn) => sum + fn.findings.length, 0);
    const priced = fns.filter((fn) => fn.plan !== null && fn.plan.monthlyNowMicroUsd !== null);
    const monthly = priced.reduce((sum, fn) => sum + (fn.plan?.monthlyNowMicroUsd ?? 0), 0);
    const saves = priced.reduce((sum, fn) => sum + (fn.plan?.savingMicroUsd ?? 0), 0);
    const unpriced = fns.length - priced.length;
    return {
      name,
      functions: formatCount(fns.length),
      estInit: `${formatMs(init)} ms`,
      findings: formatCount(findings),
      monthly: priced.length === 0 ? 'needs metrics' : `${usd(monthly)}${unpriced === 0 ? '' : ` (${formatCount(unpriced)} unpriced)`}`,
      saves: priced.length === 0 ? UNKNOWN : usd(saves),
      keys: {
        functions: String(fns.length),
        estInit: String(round1(init)),
        findings: String(findings),
        monthly: priced.length === 0 ? '' : String(monthly),
        saves: priced.length === 0 ? '' : String(saves),
      },
    };
  });
}

export function buildHtmlView(result: ScanResult, assets: HtmlAssets): HtmlReportView {
  const md = buildMarkdownView(result);
  const ranked = rankedFunctions(result);
  const sources = new SourceIndex();
  const costSummary = costSummaryView(result, sources);
  const scale = Math.max(0, ...ranked.flatMap((fn) => (fn.init?.packages ?? []).map((p) => p.estInitMs ?? 0)));
  const anchors = ranked.map((_, i) => `fn-${i + 1}`);
  const withService = hasServices(result);
  return {
    title: `${result.tool.name} report: ${result.root}`,
    csp: assets.csp,
    style: assets.style,
    script: assets.script,
    toolName: result.tool.name,
    version: result.tool.version,
    root: result.root,
    meta: [md.handlersFound, md.parsed, md.skippedCount, `findings: ${md.findingCounts}`].join(' · '),
    incomplete: md.incomplete,
    hint: md.hint,
    cards: cards(result),
    costHeadline: costSummary?.headline ?? null,
    costNotes: costSummary === null ? [] : [...(costSummary.top === null ? [] : [costSummary.top]), ...costSummary.notes],
    costChart: costChart(result),
    columns: columns(withService),
    rows: ranked.map((fn, i) => tableRow(fn, anchors[i] ?? '', withService)),
    services: withService ? serviceRows(ranked) : [],
    compact: withService,
    functions: ranked.map((fn, i) => {
      const view = md.functions[i];
      if (view === undefined) throw new Error('html report: markdown view lost a function');
      return functionView(fn, view, anchors[i] ?? '', scale, sources);
    }),
    notAnalysed: md.notAnalysed,
    notAnalysedNote: md.notAnalysedNote,
    unreferenced: md.unreferenced,
    unreferencedNote: md.unreferencedNote,
    skipped: md.skipped,
    warnings: md.warnings,
    sources: sources.list(),
  };
}

/**
 * Renders the page and drops bidi and control characters from all of it: the template and assets have none, so
 * whatever is left came from the scanned code, and removing it over the whole document covers every field, including
 * attribute values, without relying on each one being remembered.
 */
export function renderHtml(result: ScanResult, template: (view: object) => string): string {
  return stripHtmlUnsafeChars(template(buildHtmlView(result, htmlAssets())));
}
