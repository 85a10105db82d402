/**
 * The default terminal report: what a person acts on in ten seconds. The month now and what the plan saves, the
 * functions ranked with their init (estimated and measured), month and saving, and the top findings once each with
 * how many functions they hit. Everything else (packages, every finding, every cost factor) is behind `--detail`,
 * and one function's whole story behind `--function NAME`. Fitted to a width the caller gives (the terminal's, or a
 * fixed default off a terminal, so files and golden tests do not depend on the window).
 */
import { InputError } from '../errors.js';
import type { FunctionResult, ScanResult } from '../model/result.js';
import { costSummaryView, SourceIndex, usd } from './cost-view.js';
import { diffSectionView } from './diff-view.js';
import { sanitizeTerminalText } from './escape.js';
import { formatCount, formatMs, plural } from './format.js';
import { clip, formatFittedTable, type AnsiColor, type Cell } from './table.js';
import { findingWhere, topFindings } from './top-findings.js';
import {
  buildTextView,
  hasServices,
  measuredInitP50,
  NO_HANDLERS_HINT,
  rankedFunctions,
  textDiffLines,
  type TextReportView,
  type TextViewOptions,
} from './view-model.js';

/** Off a terminal (a file, a pipe, CI logs, golden tests) the report is laid out for this many columns. */
export const DEFAULT_TEXT_WIDTH = 100;
/** Narrower than this, tables cannot keep their figures whole; the report is laid out at this width instead. */
export const MIN_TEXT_WIDTH = 60;

/** The summary lists this many functions and distinct findings; the rest are counted, with where to see them. */
export const SUMMARY_FUNCTIONS = 15;
export const SUMMARY_FINDINGS = 5;

export interface TextSummaryView {
  header: string;
  hint: string | null;
  costLines: string[];
  diffLines: string[];
  tableLines: string[];
  tableMore: string | null;
  findingsTitle: string | null;
  /** Each finding: a line with severity, rule, where, cost and reach; then its first sentence, indented. */
  findings: { line: string; summary: string }[];
  findingsMore: string | null;
  /** Skipped files, warnings, not-analysed and unreferenced functions, as the detailed report lists them. */
  notes: { title: string; lines: string[] }[];
  summary: string;
  more: string;
  sources: string[];
}

const SEVERITY_COLORS: Record<string, AnsiColor> = { error: 'red', warn: 'yellow', info: 'cyan' };

function costLines(result: ScanResult, sources: SourceIndex): string[] {
  const c = result.summary.cost;
  const view = costSummaryView(result, sources);
  if (c === undefined || view === null) return [];
  if (c.functionsPriced === 0) return [view.headline];
  const pct = c.monthlyMicroUsd === 0 ? '' : ` (${Math.round((c.planSavingMicroUsd / c.monthlyMicroUsd) * 100)}%)`;
  const after = c.monthlyMicroUsd - c.planSavingMicroUsd;
  const needs = c.functionsNeedingMetrics === 0 ? '' : ` · ${plural(c.functionsNeedingMetrics, 'function')} need metrics`;
  const free = c.freeTierMicroUsd === null ? '' : ` · free tier -${usd(c.freeTierMicroUsd)} -> ${usd(c.monthlyAfterFreeTierMicroUsd)}`;
  return [
    `month now ${usd(c.monthlyMicroUsd)} for ${plural(c.functionsPriced, 'function')} (${c.basis} usage, ${c.region} prices of ${c.pricesDate} [${sources.ref(c.pricesSource)}])${free}${needs}`,
    `the plan saves ${usd(c.planSavingMicroUsd)}/month${pct}: ${usd(c.monthlyMicroUsd)} -> ${usd(after)} · functions below in the order to act on them`,
  ].map(sanitizeTerminalText);
}

function monthNow(fn: FunctionResult): string {
  const micro = fn.plan?.monthlyNowMicroUsd ?? fn.cost?.monthly?.totalMicroUsd ?? null;
  return micro === null ? '?' : usd(micro);
}

function saving(fn: FunctionResult): string {
  const micro = fn.plan?.savingMicroUsd ?? null;
  return micro === null ? '?' : usd(micro);
}

/** `182.4 ms`, or the profile's status (`failed`, `timeout`) when the load gave no figure, `-` when not profiled. */
function profiledInit(fn: FunctionResult): string {
  const p = fn.profile;
  if (p === undefined) return '-';
  return p.status === 'ok' && p.measuredInitMs !== null ? `${formatMs(p.measuredInitMs)} ms` : p.status;
}

/** The ranked table; the measured, profiled and money columns only when some function has them. */
function tableLines(result: ScanResult, width: number): { lines: string[]; more: string | null } {
  const functions = rankedFunctions(result);
  if (functions.length === 0) return { lines: [], more: null };
  const shown = functions.slice(0, SUMMARY_FUNCTIONS);
  const measured = result.summary.metricsSource !== 'none';
  // `lambda-migrate profile` writes a measured load time per function: it stands beside the estimate it checks.
  const profiled = result.functions.some((fn) => fn.profile !== undefined);
  const priced = (result.summary.cost?.functionsPriced ?? 0) > 0;
  const service = hasServices(result);
  type Column = { title: string; align: 'left' | 'right'; value: (fn: FunctionResult) => string };
  const columns: Column[] = [
    { title: '#', align: 'right', value: (fn) => String(fn.rank) },
    { title: 'function', align: 'left', value: (fn) => fn.name },
    ...(service ? [{ title: 'service', align: 'left' as const, value: (fn: FunctionResult) => fn.service ?? '' }] : []),
    { title: 'est. init', align: 'right', value: (fn) => (fn.init === null ? '?' : `${formatMs(fn.init.estInitMs)} ms`) },
    ...(measured
      ? [
          {
            title: 'measured init',
            align: 'right' as const,
            value: (fn: FunctionResult) => {
              const v = measuredInitP50(fn);
              return /^[\d,.]+$/.test(v) ? `${v} ms` : v;
            },
          },
        ]
      : []),
    ...(profiled ? [{ title: 'profiled init', align: 'right' as const, value: profiledInit }] : []),
    ...(priced
      ? [
          { title: 'month', align: 'right' as const, value: monthNow },
          { title: 'saves', align: 'right' as const, value: saving },
        ]
      : []),
    { title: 'findings', align: 'right', value: (fn) => formatCount(fn.findings.length) },
  ];
  const rows: Cell[][] = [
    columns.map((c) => ({ text: c.title })),
    ...shown.map((fn) => columns.map((c) => ({ text: sanitizeTerminalText(c.value(fn)) }))),
  ];
  const lines = formatFittedTable(
    columns.map((c) => ({ align: c.align })),
    rows,
    width - 2,
    1,
  ).map((line) => `  ${line}`);
  const rest = functions.length - shown.length;
  return { lines, more: rest === 0 ? null : `  …and ${plural(rest, 'more function')}: --detail lists them all` };
}

function findingLines(
  result: ScanResult,
  options: TextViewOptions,
  width: number,
): Pick<TextSummaryView, 'findings' | 'findingsMore' | 'findingsTitle'> {
  const all = topFindings(result);
  if (all.length === 0) return { findingsTitle: null, findings: [], findingsMore: null };
  const shown = all.slice(0, SUMMARY_FINDINGS);
  const rows: Cell[][] = shown.map((f) => [
    { text: f.severity, color: options.color ? (SEVERITY_COLORS[f.severity] ?? null) : null },
    { text: sanitizeTerminalText(f.ruleId) },
    { text: sanitizeTerminalText(findingWhere(f)) },
    { text: f.estInitMs === null ? '' : `~${formatMs(f.estInitMs)} ms` },
    { text: f.functions.length === 1 ? sanitizeTerminalText(f.functions[0] ?? '') : `${formatCount(f.functions.length)} functions` },
  ]);
  const lines = formatFittedTable(
    ['left', 'left', 'left', 'right', 'left'].map((align) => ({ align: align === 'right' ? ('right' as const) : ('left' as const) })),
    rows,
    width - 2,
    2,
  );
  const indent = '      ';
  // Two lines at most: the first sentence says what is wrong and what it costs; the fix is in the detail.
  const room = 2 * (width - indent.length) - 2;
  const total = result.summary.findings.error + result.summary.findings.warn + result.summary.findings.info;
  return {
    findingsTitle: `top findings: ${plural(all.length, 'distinct finding')} (${formatCount(total)} across functions)`,
    findings: shown.map((f, i) => ({ line: `  ${lines[i] ?? ''}`, summary: `${indent}${clip(sanitizeTerminalText(f.summary), room)}` })),
    findingsMore:
      all.length > shown.length ? `  …and ${plural(all.length - shown.length, 'more finding')}: --detail shows every finding with its fix` : null,
  };
}

function notes(view: TextReportView): { title: string; lines: string[] }[] {
  return [
    { title: view.notAnalysedTitle, lines: view.notAnalysedLines },
    { title: view.unreferencedTitle, lines: view.unreferencedLines },
    { title: view.skippedTitle, lines: view.skippedLines },
    { title: view.warningsTitle, lines: view.warnings },
  ]
    .filter((n) => n.lines.length > 0)
    .map((n) => ({ title: n.title, lines: n.lines.map((l) => `  ${l}`) }));
}

/** One short line: what ran on what; the detail's header also names every count. */
function summaryHeader(result: ScanResult): string {
  const s = result.summary;
  const skipped = result.skipped.length === 0 ? '' : ` · ${formatCount(result.skipped.length)} skipped`;
  return sanitizeTerminalText(
    `${result.tool.name} ${result.tool.version} · ${result.root} · ${plural(s.functions, 'handler')} · ${plural(s.files, 'file')}, ${plural(s.lines, 'line')} parsed${skipped}`,
  );
}

export function buildTextSummaryView(result: ScanResult, options: TextViewOptions, width: number): TextSummaryView {
  const detail = buildTextView(result, options);
  const sources = new SourceIndex();
  const table = tableLines(result, width);
  const findings = findingLines(result, options, width);
  return {
    header: summaryHeader(result),
    hint: result.functions.length === 0 ? NO_HANDLERS_HINT : null,
    costLines: costLines(result, sources),
    diffLines: textDiffLines(diffSectionView(result.diff), width),
    tableLines: table.lines,
    tableMore: table.more,
    ...findings,
    notes: notes(detail),
    summary: detail.summary,
    more: result.functions.length === 0 ? '' : 'more: --detail (-v) for every package, finding and cost factor · --function NAME for one function',
    sources: sources.list().map(sanitizeTerminalText),
  };
}

/** `--function NAME`: by logical name, id, or `service:name` in a merged result; unknown or ambiguous is exit 2. */
export function selectFunction(result: ScanResult, name: string): FunctionResult {
  const matches = result.functions.filter(
    (fn) => fn.name === name || fn.id === name || (fn.service !== undefined && `${fn.service}:${fn.name}` === name),
  );
  const names = rankedFunctions(result).map((fn) => (fn.service === undefined ? fn.name : `${fn.service}:${fn.name}`));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length > 1) {
    throw new InputError(
      `--function ${name} matches ${formatCount(matches.length)} functions`,
      `name one by id: ${matches.map((fn) => fn.id).join(', ')}`,
    );
  }
  throw new InputError(
    `no function named '${sanitizeTerminalText(name)}' in this result`,
    names.length === 0 ? 'the result has no functions' : `the functions are: ${names.map(sanitizeTerminalText).join(', ')}`,
  );
}

/** One function's whole detail, with the sources it cites numbered from 1 and the service header for context. */
export function buildFunctionDetailView(result: ScanResult, fn: FunctionResult, options: TextViewOptions): TextReportView {
  const own = buildTextView({ ...result, functions: [fn], skipped: [], warnings: [], notAnalysed: [], unreferenced: [] }, options);
  return {
    ...own,
    costSummaryLines: [],
    diffLines: [],
    hint: null,
    summary: `function ${fn.rank} of ${formatCount(result.functions.length)} · the whole service: lambda-migrate report without --function`,
  };
}
