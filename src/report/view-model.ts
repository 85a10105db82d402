/**
 * View models for the handlebars reports. Everything a template shows is decided here (order, numbers, joins,
 * column widths) so templates stay layout only, and strict-mode templates always find every field they name.
 */
import type {
  Effort,
  Finding,
  FunctionMetrics,
  FunctionResult,
  InitClosure,
  InitPackage,
  NotAnalysedFunction,
  PortabilityIssue,
  PortabilityTarget,
  ScanResult,
  Severity,
  Skipped,
} from '../model/result.js';
import { sanitizeTerminalText } from './escape.js';
import { profileLines, runtimeAdditionLines } from './profile-view.js';
import { formatBytes, formatCount, formatMeasuredMs, formatMs, plural, UNKNOWN } from './format.js';
import { formatFittedTable, formatTable, type AnsiColor, type Cell } from './table.js';
import { costHeadline, costSummaryView, functionCostView, SourceIndex, usd, type FunctionCostView } from './cost-view.js';
import { topFindings } from './top-findings.js';
import { diffSectionView, type DiffSectionView } from './diff-view.js';

export const TEXT_CHAIN_SEPARATOR = ' > ';
export const MARKDOWN_CHAIN_SEPARATOR = ' → ';

export const NO_HANDLERS_HINT =
  'lambda-migrate looks for handlers declared in serverless.yml, SAM/CloudFormation templates and CDK code, then ' +
  'for files that export a Lambda-style handler. Point it at the service directory (the one with the IaC file).';

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warn', 'info'];

const SEVERITY_COLORS: Record<Severity, AnsiColor> = { error: 'red', warn: 'yellow', info: 'cyan' };

/** Rank order; `sort` is stable, so equal ranks keep the result's own (deterministic) order. */
export function rankedFunctions(result: ScanResult): FunctionResult[] {
  return [...result.functions].sort((a, b) => a.rank - b.rank);
}

export function location(file: string, line: number, column?: number): string {
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

function packageLabel(pkg: InitPackage): string {
  return pkg.subpaths.length === 0 ? pkg.name : `${pkg.name} (${pkg.subpaths.join(', ')})`;
}

function handlerLabel(fn: FunctionResult): string {
  if (fn.handler.file === null) {
    return fn.handler.declared;
  }
  return `${fn.handler.file}#${fn.handler.export}:${fn.handler.line ?? UNKNOWN}`;
}

/** Reports must say when a handler file is a guess or missing; `exact` needs no note. */
function handlerNote(fn: FunctionResult): string | null {
  if (fn.handler.mapping === 'exact') {
    return null;
  }
  const note = fn.handler.mappingNote;
  return note === undefined || note === '' ? fn.handler.mapping : `${fn.handler.mapping}: ${note}`;
}

function initMissingReason(fn: FunctionResult): string {
  return fn.handler.file === null
    ? 'init not analysed: the handler is not mapped to a source file'
    : 'init not analysed: the handler file could not be parsed';
}

export function findingCounts(counts: Record<Severity, number>): string {
  return SEVERITY_ORDER.map((severity) => `${formatCount(counts[severity])} ${severity}`).join(', ');
}

function ioTangleLabel(fn: FunctionResult): string | null {
  const tangle = fn.ioTangle;
  if (tangle === null) {
    return null;
  }
  return `${tangle.verdict} (score ${tangle.score.toFixed(2)}, ${plural(tangle.ioCalls, 'I/O call')})`;
}

export function incompleteNote(result: ScanResult): string | null {
  if (result.complete) {
    return null;
  }
  const unmapped = result.functions.filter((fn) => fn.init === null).length;
  const reasons = [
    result.skipped.length > 0 ? `${plural(result.skipped.length, 'file')} skipped` : null,
    unmapped > 0 ? `${plural(unmapped, 'handler')} not analysed` : null,
  ].filter((reason): reason is string => reason !== null);
  return reasons.length === 0 ? 'incomplete result' : `incomplete result: ${reasons.join(', ')}`;
}

const METRICS_STATUS_LABELS: Record<Exclude<FunctionMetrics['status'], 'ok'>, string> = {
  no_invocations: 'no invocations in the window',
  access_denied: 'access denied',
  unmatched: 'no measurements matched',
  error: 'not measured',
};

function measuredWindow(m: FunctionMetrics): string {
  const source = m.source === 'snapshot' ? `snapshot (${m.measuredBy})` : m.source;
  const window = m.window === null ? '' : ` ${m.window.from.slice(0, 10)} .. ${m.window.to.slice(0, 10)}`;
  return `${source}${window}${m.truncated ? ', partial' : ''}`;
}

/**
 * Measured figures next to the estimate, in up to two lines: init first (what INIT billing charges), then duration
 * and memory. A function without data says why; it is never shown as 0.
 */
function measuredLines(fn: FunctionResult): string[] {
  const m = fn.metrics;
  if (m === null) {
    return [];
  }
  if (m.status !== 'ok') {
    return [`measured: ${METRICS_STATUS_LABELS[m.status]}${m.detail === null ? '' : ` (${m.detail})`} · ${measuredWindow(m)}`];
  }
  const invocations = plural(m.invocations ?? 0, 'invocation');
  const init =
    m.initMs === null
      ? `measured init: no cold start in ${invocations}`
      : `measured init p50 ${formatMeasuredMs(m.initMs.p50)} ms · p90 ${formatMeasuredMs(m.initMs.p90)} · p99 ${formatMeasuredMs(m.initMs.p99)} · max ${formatMeasuredMs(m.initMs.max)} ms · ${plural(m.coldStarts ?? 0, 'cold start')} in ${invocations}`;
  const parts = [
    m.durationMs === null ? null : `duration avg ${formatMeasuredMs(m.durationMs.avg)} ms · p99 ${formatMeasuredMs(m.durationMs.p99)} ms`,
    m.billedDurationMs === null ? null : `billed avg ${formatMeasuredMs(m.billedDurationMs.avg)} ms`,
    m.maxMemoryUsedMB === null
      ? null
      : `max memory ${formatCount(m.maxMemoryUsedMB)}${m.memorySizeMB === null ? '' : ` of ${formatCount(m.memorySizeMB)}`} MB`,
    measuredWindow(m),
  ].filter((part): part is string => part !== null);
  return [init, `measured ${parts.join(' · ')}`];
}

/** `measured (logs): 8 of 9 handlers`: how much of the service the measurements cover. */
export function measuredSummary(result: ScanResult): string {
  const measured = result.functions.filter((fn) => fn.metrics?.status === 'ok' || fn.metrics?.status === 'no_invocations').length;
  return `measured (${result.summary.metricsSource}): ${formatCount(measured)} of ${plural(result.functions.length, 'handler')}`;
}

export function measuredInitP50(fn: FunctionResult): string {
  const m = fn.metrics;
  if (m === null || m.status !== 'ok') {
    return m === null ? UNKNOWN : m.status.replace('_', ' ');
  }
  return m.initMs === null ? 'no cold start' : formatMeasuredMs(m.initMs.p50);
}

function runtimeLabel(fn: FunctionResult): string {
  // No thousands separator: `1024 MB` is how IaC files and the Lambda console write memory sizes.
  const memory = fn.memoryMB === null ? UNKNOWN : String(fn.memoryMB);
  return `${fn.runtime ?? UNKNOWN} ${fn.architecture ?? UNKNOWN} ${memory} MB`;
}

// ---------------------------------------------------------------------------------------------------------------
// shared by text, markdown and html: services, portability, effort, and what the scan listed without analysing

/** A merged result names each function's service; a single-service scan (none set) shows no service anywhere. */
export function hasServices(result: ScanResult): boolean {
  return result.functions.some((fn) => fn.service !== undefined);
}

export interface PortIssueView {
  /** What is in the way: a package, a builtin module, `eval`. */
  name: string;
  /** `file:line` of the site. */
  location: string;
  note: string;
}

export interface PortTargetView {
  target: 'Rust' | 'LLRT';
  verdict: PortabilityTarget['verdict'];
  blockers: PortIssueView[];
  risks: PortIssueView[];
  /** `blocked by express (src/api.js:4), risky with node:crypto (src/a.ts:2)`, `risky with ...`, or `ready`. */
  summary: string;
}

export interface EffortView {
  size: Effort['size'];
  /** One decimal at most: `6.6`. */
  points: string;
  /** The figures the points are made of, in one clause. */
  inputs: string;
  /** The formula, so a reader can recompute the points. */
  basis: string;
}

function portIssue(issue: PortabilityIssue): PortIssueView {
  return { name: issue.name, location: location(issue.file, issue.line), note: issue.note };
}

function issueList(issues: readonly PortIssueView[]): string {
  return issues.map((issue) => `${issue.name} (${issue.location})`).join(', ');
}

function portTarget(target: PortTargetView['target'], t: PortabilityTarget): PortTargetView {
  const blockers = t.blockers.map(portIssue);
  const risks = t.risks.map(portIssue);
  // The verdict leads; what makes it follows: `blocked by` the blockers, `risky with` the risks.
  const parts = [
    blockers.length === 0 ? null : `${t.verdict} by ${issueList(blockers)}`,
    risks.length === 0 ? null : `${blockers.length === 0 ? t.verdict : 'risky'} with ${issueList(risks)}`,
  ].filter((part): part is string => part !== null);
  return { target, verdict: t.verdict, blockers, risks, summary: parts.length === 0 ? t.verdict : parts.join(', ') };
}

/** Rust and LLRT verdicts with what is in the way; empty when the handler has no import graph. */
export function portTargets(fn: FunctionResult): PortTargetView[] {
  const p = fn.portability;
  return p === undefined || p === null ? [] : [portTarget('Rust', p.rust), portTarget('LLRT', p.llrt)];
}

const formatPoints = (n: number): string => String(Math.round(n * 10) / 10);

export function effortView(fn: FunctionResult): EffortView | null {
  const e = fn.effort;
  if (e === undefined || e === null) return null;
  const i = e.inputs;
  const missing = i.packagesWithoutEquivalent;
  const without = `${formatCount(missing.length)} without a Rust equivalent${missing.length === 0 ? '' : `: ${missing.join(', ')}`}`;
  return {
    size: e.size,
    points: formatPoints(e.points),
    inputs: [
      `${plural(i.ownLines, 'own line')} in ${plural(i.ownFiles, 'file')}`,
      `${plural(i.packages, 'package')} (${without})`,
      `tangle score ${i.tangleScore.toFixed(2)}`,
      plural(i.dynamicFeatures, 'dynamic feature'),
      plural(i.blockers, 'other blocker'),
    ].join(', '),
    basis: e.basis,
  };
}

/**
 * The effort a function's table row shows: the plan's points when the plan has steps (what its saving costs), else the
 * port estimate's. A plan without steps (no metrics, or nothing pays) has 0 points, which would read as "free".
 */
export function effortPointsOf(fn: FunctionResult): { points: number; source: 'plan' | 'port' } | null {
  if (fn.plan !== null && fn.plan.steps.length > 0) return { points: fn.plan.effortPoints, source: 'plan' };
  const e = fn.effort;
  return e === undefined || e === null ? null : { points: Math.round(e.points * 10) / 10, source: 'port' };
}

/** `port effort M: 6.6 points from ...`: the text and markdown line. */
function effortLine(view: EffortView): string {
  return `port effort ${view.size}: ${view.points} points from ${view.inputs}`;
}

const NOT_ANALYSED_REASONS: Record<NotAnalysedFunction['reason'], string> = {
  runtime: 'other runtime',
  inline_code: 'inline code',
  image: 'container image',
  no_handler: 'no handler',
};

export interface NotAnalysedView {
  name: string;
  declaredIn: string;
  reason: string;
  detail: string;
}

const NOT_ANALYSED_NOTE = 'Declared, but not Node.js ZIP code with a source (another runtime, inline code, a container image): listed, not analysed.';
const UNREFERENCED_NOTE = 'Exported handlers that no IaC declaration references (a leftover, a test harness, a new one): listed, not analysed.';

export function notAnalysedViews(result: ScanResult): NotAnalysedView[] {
  return (result.notAnalysed ?? []).map((n) => ({
    name: n.name,
    declaredIn: location(n.declaredIn.file, n.declaredIn.line),
    reason: NOT_ANALYSED_REASONS[n.reason],
    detail: n.detail,
  }));
}

/** `file#export:line`, as handlers are shown everywhere else. */
export function unreferencedLabels(result: ScanResult): string[] {
  return (result.unreferenced ?? []).map((u) => `${u.file}#${u.export}:${u.line}`);
}

// ---------------------------------------------------------------------------------------------------------------
// text

export interface TextFindingView {
  line: string;
  /** The message, indented to sit under the rule column. */
  message: string;
  /** The import chain that puts the finding on the init path, already indented to sit under the rule column. */
  via: string | null;
}

export interface TextFunctionView {
  rank: string;
  name: string;
  /** The function's service in a merged result; null otherwise. */
  service: string | null;
  declaredIn: string;
  runtime: string;
  handler: string;
  handlerNote: string | null;
  /** `est. init 310 ms · 134 modules · 4,210 lines`, or why there is no init closure. */
  initLine: string;
  /** Measured init (and duration, memory) next to the estimate; empty without metrics. */
  measuredLines: string[];
  ioTangle: string | null;
  /** `port to Rust: ready`, `port to LLRT: blocked by ...` and the effort; empty without an import graph. */
  portLines: string[];
  /** False when there is no init closure: then no package list is shown rather than an empty one. */
  analysed: boolean;
  packageLines: string[];
  findings: TextFindingView[];
  /** Lazy imports, unresolved imports and top-level awaits: aligned together, they read as one list. */
  noteLines: string[];
  /** The month now, the scenarios and the plan; empty when the cost model did not run. */
  costLines: string[];
}

export interface TextReportView {
  header: string;
  hint: string | null;
  functions: TextFunctionView[];
  skippedTitle: string;
  skippedLines: string[];
  warningsTitle: string;
  warnings: string[];
  notAnalysedTitle: string;
  notAnalysedLines: string[];
  unreferencedTitle: string;
  unreferencedLines: string[];
  summary: string;
  /** The service's month and savings, under the header; empty when the cost model did not run. */
  costSummaryLines: string[];
  /** Numbered sources of every price and factor shown. */
  sources: string[];
  /** "Changes since base", when the result carries a diff; empty otherwise. */
  diffLines: string[];
}

export interface TextViewOptions {
  color: boolean;
}

function textPackageLines(init: InitClosure): string[] {
  if (init.packages.length === 0) {
    return [];
  }
  const header: Cell[] = ['package', 'version', 'est ms', 'size', 'source', 'chain'].map((text) => ({ text }));
  const rows = init.packages.map((pkg): Cell[] =>
    [
      packageLabel(pkg),
      pkg.version ?? UNKNOWN,
      formatMs(pkg.estInitMs),
      formatBytes(pkg.sizeBytes),
      pkg.source,
      pkg.chain.join(TEXT_CHAIN_SEPARATOR),
    ].map((text) => ({ text: sanitizeTerminalText(text) })),
  );
  return formatTable(
    [{ align: 'left' }, { align: 'left' }, { align: 'right' }, { align: 'right' }, { align: 'left' }, { align: 'left' }],
    [header, ...rows],
  );
}

function textFindings(findings: readonly Finding[], options: TextViewOptions): TextFindingView[] {
  const rows = findings.map((finding): Cell[] => {
    const estimate = finding.estInitMs === null ? '' : `  (est. ${formatMs(finding.estInitMs)} ms)`;
    return [
      { text: finding.severity, color: options.color ? SEVERITY_COLORS[finding.severity] : null },
      { text: sanitizeTerminalText(finding.ruleId) },
      { text: sanitizeTerminalText(location(finding.file, finding.line, finding.column)) },
      { text: estimate.trim() },
    ];
  });
  const lines = formatTable([{ align: 'left' }, { align: 'left' }, { align: 'left' }, { align: 'left' }], rows);
  // The chain goes on its own line under the rule column, where it reads as a continuation of the finding.
  const severityWidth = Math.max(0, ...findings.map((finding) => finding.severity.length));
  const viaIndent = ' '.repeat(severityWidth + 2);
  return findings.map((finding, index) => ({
    line: lines[index] ?? '',
    // On its own line under the rule column: a message is a paragraph, and the report wraps it to the width.
    message: `${viaIndent}${sanitizeTerminalText(finding.message)}`,
    via:
      finding.chain === undefined || finding.chain.length === 0
        ? null
        : `${viaIndent}via ${sanitizeTerminalText(finding.chain.join(TEXT_CHAIN_SEPARATOR))}`,
  }));
}

function textNoteLines(init: InitClosure): string[] {
  const rows: Cell[][] = [
    ...init.lazy.map((edge) => ['lazy (not init)', location(edge.file, edge.line), edge.specifier]),
    ...init.unresolved.map((edge) => [
      edge.reason === 'dynamic' ? 'unresolved (dynamic)' : 'unresolved (not found)',
      location(edge.file, edge.line, edge.column),
      edge.specifier,
    ]),
    ...init.topLevelAwait.map((site) => ['top-level await', location(site.file, site.line, site.column), '']),
  ].map((cells) => cells.map((text) => ({ text: sanitizeTerminalText(text) })));
  return formatTable([{ align: 'left' }, { align: 'left' }, { align: 'left' }], rows);
}

function textCostLines(view: FunctionCostView | null): string[] {
  if (view === null) return [];
  const lines = [view.headline, ...view.factors.map((f) => `  ${f}`)];
  if (view.scenarios.length > 0) {
    const header: Cell[] = ['scenario', 'saves/month', 'after', 'confidence', 'what changes'].map((text) => ({ text }));
    const rows = view.scenarios.map((r): Cell[] =>
      [r.id, r.saving, r.after, r.confidence, r.detail].map((text) => ({ text: sanitizeTerminalText(text) })),
    );
    lines.push(
      ...formatTable([{ align: 'left' }, { align: 'right' }, { align: 'right' }, { align: 'left' }, { align: 'left' }], [header, ...rows]).map(
        (l) => `  ${l}`,
      ),
    );
    lines.push(...view.scenarioNotes.map((n) => `    ${n}`));
  }
  if (view.planHeadline !== null) lines.push(view.planHeadline);
  lines.push(...view.steps.map((s) => `  ${s}`));
  for (const extra of [view.note, view.crates, view.blockers, view.target === null ? null : `target: ${view.target}`]) {
    if (extra !== null) lines.push(`  ${extra}`);
  }
  return lines.map(sanitizeTerminalText);
}

function textFunction(fn: FunctionResult, options: TextViewOptions, sources: SourceIndex = new SourceIndex()): TextFunctionView {
  const init = fn.init;
  const note = handlerNote(fn);
  return {
    rank: String(fn.rank),
    name: sanitizeTerminalText(fn.name),
    service: fn.service === undefined ? null : sanitizeTerminalText(fn.service),
    declaredIn: sanitizeTerminalText(location(fn.declaredIn.file, fn.declaredIn.line)),
    runtime: sanitizeTerminalText(runtimeLabel(fn)),
    handler: sanitizeTerminalText(handlerLabel(fn)),
    handlerNote: note === null ? null : sanitizeTerminalText(note),
    initLine:
      init === null
        ? initMissingReason(fn)
        : `est. init ${formatMs(init.estInitMs)} ms · ${plural(init.modules, 'module')} · ${plural(init.lines, 'line')}`,
    measuredLines: [...runtimeAdditionLines(fn), ...measuredLines(fn), ...profileLines(fn)].map(sanitizeTerminalText),
    ioTangle: ioTangleLabel(fn),
    portLines: textPortLines(fn),
    analysed: init !== null,
    packageLines: init === null ? [] : textPackageLines(init),
    findings: textFindings(fn.findings, options),
    noteLines: init === null ? [] : textNoteLines(init),
    costLines: textCostLines(functionCostView(fn, sources)),
  };
}

function textPortLines(fn: FunctionResult): string[] {
  const effort = effortView(fn);
  return [...portTargets(fn).map((t) => `port to ${t.target}: ${t.summary}`), ...(effort === null ? [] : [effortLine(effort)])].map(
    sanitizeTerminalText,
  );
}

export function textNotAnalysedLines(result: ScanResult): string[] {
  return formatTable(
    [{ align: 'left' }, { align: 'left' }, { align: 'left' }, { align: 'left' }],
    notAnalysedViews(result).map((n) => [n.name, n.declaredIn, n.reason, n.detail].map((text) => ({ text: sanitizeTerminalText(text) }))),
  );
}

export function textSkippedLines(skipped: readonly Skipped[]): string[] {
  return formatTable(
    [{ align: 'left' }, { align: 'left' }, { align: 'left' }],
    skipped.map((entry) => [entry.file, entry.reason, entry.detail].map((text) => ({ text: sanitizeTerminalText(text) }))),
  );
}

export function buildTextView(result: ScanResult, options: TextViewOptions): TextReportView {
  const { summary } = result;
  const header = [
    `${sanitizeTerminalText(result.tool.name)} ${sanitizeTerminalText(result.tool.version)}`,
    `root ${sanitizeTerminalText(result.root)}`,
    `${plural(summary.functions, 'handler')} found`,
    `${plural(summary.files, 'file')}, ${plural(summary.lines, 'line')} parsed`,
    `${formatCount(result.skipped.length)} skipped`,
  ].join(' · ');
  const note = incompleteNote(result);
  const summaryLine = [
    plural(summary.functions, 'handler'),
    `est. init ${formatMs(summary.estInitMs)} ms total`,
    `findings: ${findingCounts(summary.findings)}`,
    ...(summary.metricsSource === 'none' ? [] : [measuredSummary(result)]),
    ...(note === null ? [] : [note]),
  ].join(' · ');
  const sources = new SourceIndex();
  const costSummary = costSummaryView(result, sources);
  const functions = rankedFunctions(result).map((fn) => textFunction(fn, options, sources));
  return {
    header,
    costSummaryLines:
      costSummary === null
        ? []
        : [
            costSummary.headline,
            ...(costSummary.scenarios === null ? [] : [`  ${costSummary.scenarios}`]),
            ...(costSummary.top === null ? [] : [`  ${costSummary.top}`]),
            ...costSummary.notes.map((n) => `  note: ${n}`),
          ].map(sanitizeTerminalText),
    sources: sources.list().map(sanitizeTerminalText),
    hint: result.functions.length === 0 ? NO_HANDLERS_HINT : null,
    diffLines: textDiffLines(diffSectionView(result.diff)),
    functions,
    skippedTitle: `skipped (${formatCount(result.skipped.length)})`,
    skippedLines: textSkippedLines(result.skipped),
    warningsTitle: `warnings (${formatCount(result.warnings.length)})`,
    warnings: result.warnings.map(sanitizeTerminalText),
    notAnalysedTitle: `not analysed (${formatCount(result.notAnalysed?.length ?? 0)}): declared, but not Node.js ZIP code with a source`,
    notAnalysedLines: textNotAnalysedLines(result),
    unreferencedTitle: `unreferenced handlers (${formatCount(result.unreferenced?.length ?? 0)}): exported, but no IaC declaration references them`,
    unreferencedLines: unreferencedLabels(result).map(sanitizeTerminalText),
    summary: summaryLine,
  };
}

export function textDiffLines(view: DiffSectionView | null, width = 100): string[] {
  if (view === null) return [];
  // No findings column: the new and fixed findings are listed under the table, each once.
  const header: Cell[] = ['function', 'change', 'est. init ms', 'delta', ...(view.hasMeasured ? ['measured p50'] : []), '$/month', 'packages'].map(
    (text) => ({ text }),
  );
  const rows = view.rows.map((r): Cell[] =>
    [r.name, r.status, r.estInit, r.estInitDelta, ...(view.hasMeasured ? [r.measuredDelta] : []), r.costDelta, r.packages].map((text) => ({
      text: sanitizeTerminalText(text),
    })),
  );
  const aligns: ('left' | 'right')[] = ['left', 'left', 'right', 'right', ...(view.hasMeasured ? ['right' as const] : []), 'right', 'right'];
  const packageLines = view.rows
    .filter((r) => r.packageList !== '')
    .map((r) => `  ${sanitizeTerminalText(r.name)}: ${sanitizeTerminalText(r.packageList)}`);
  return [
    view.headline,
    `  ${view.totals}`,
    `  ${sanitizeTerminalText(view.base)}`,
    ...(rows.length === 0
      ? []
      : [
          '',
          ...formatFittedTable(
            aligns.map((align) => ({ align })),
            [header, ...rows],
            width - 2,
            0,
          ).map((line) => `  ${line}`),
        ]),
    ...(view.pricing.length === 0
      ? []
      : ['', "priced with the base's usage (this head has none of its own)", ...view.pricing.map((line) => `  ${sanitizeTerminalText(line)}`)]),
    ...(packageLines.length === 0 ? [] : ['', 'init packages', ...packageLines]),
    ...(view.newFindings.length === 0 ? [] : ['', 'new findings', ...view.newFindings.map((line) => `  ${sanitizeTerminalText(line)}`)]),
    ...(view.fixedFindings.length === 0 ? [] : ['', 'fixed findings', ...view.fixedFindings.map((line) => `  ${sanitizeTerminalText(line)}`)]),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// markdown: strings from the result stay raw here; the template escapes them with the `md`/`code` helpers, and
// only numbers and fixed words built here go through plain `{{ }}`.

export interface MarkdownPackageView {
  name: string;
  version: string;
  estInitMs: string;
  size: string;
  source: string;
  chain: string;
}

export interface MarkdownFindingView {
  severity: string;
  ruleId: string;
  location: string;
  message: string;
  estInitMs: string;
  /** False when the finding has no estimate: the list then says nothing rather than `?`. */
  hasEstimate: boolean;
  chain: string;
}

export interface MarkdownFunctionView {
  rank: string;
  name: string;
  /** The function's service in a merged result; '' otherwise (the report then has no service column). */
  service: string;
  provider: string;
  declaredIn: string;
  deployedNames: string[];
  runtime: string;
  architecture: string;
  memory: string;
  timeout: string;
  handler: string;
  handlerNote: string | null;
  /** Estimated init for the summary table; `?` when there is no init closure. */
  estInitMs: string;
  init: { estInitMs: string; modules: string; lines: string } | null;
  initMissing: string;
  /** Measured figures, one bullet each; empty without metrics. */
  measured: string[];
  /** Measured init p50 for the summary table (or why there is none); shown only when the run has metrics. */
  measuredInitP50: string;
  ioTangle: string | null;
  /** Rust and LLRT verdicts with what is in the way; empty without an import graph. */
  port: PortTargetView[];
  effort: EffortView | null;
  /** `port effort M: 6.6 points from ...`, capitalised; null without an estimate. */
  effortLine: string | null;
  packageCount: string;
  findingCount: string;
  packages: MarkdownPackageView[];
  findings: MarkdownFindingView[];
  lazy: { location: string; specifier: string }[];
  unresolved: { location: string; specifier: string; reason: string }[];
  topLevelAwait: { location: string }[];
  cost: FunctionCostView | null;
  monthlyNow: string;
  planSaving: string;
}

export interface MarkdownReportView {
  toolName: string;
  version: string;
  root: string;
  handlersFound: string;
  parsed: string;
  skippedCount: string;
  estInitMs: string;
  findingCounts: string;
  incomplete: string | null;
  hint: string | null;
  /** True when the run has metrics: the summary table gets a measured-init column. */
  hasMetrics: boolean;
  /** True for a merged result: the summary table gets a service column and headings name the service. */
  hasService: boolean;
  notAnalysed: NotAnalysedView[];
  notAnalysedNote: string;
  unreferenced: string[];
  unreferencedNote: string;
  functions: MarkdownFunctionView[];
  skipped: { file: string; reason: string; detail: string }[];
  warnings: string[];
  cost: { headline: string; scenarios: string | null; top: string | null; notes: string[] } | null;
  /** Saving of each function's plan for the summary table; shown when the cost model ran. */
  hasCost: boolean;
  sources: string[];
  /** "Changes since base", when the result carries a diff. */
  diff: DiffSectionView | null;
  /** The month now and what the plan saves, in one sentence; null when nothing is priced. */
  headline: string | null;
  /** Distinct findings over all functions, most urgent first, each once with its reach. */
  topFindings: MarkdownTopFindingView[];
  topFindingsMore: string | null;
}

export interface MarkdownTopFindingView {
  severity: string;
  ruleId: string;
  location: string;
  /** `and 4 more files` when the same finding is in several files; null for one place. */
  others: string | null;
  /** `~228 ms · 5 functions` or `~121 ms · ordersApi`: raw, escaped by the template. */
  meta: string;
  summary: string;
}

/** How many distinct findings the markdown report lists up front (the rest are in each function's section). */
export const MARKDOWN_TOP_FINDINGS = 10;

export function markdownTopFindings(result: ScanResult, limit = MARKDOWN_TOP_FINDINGS): { items: MarkdownTopFindingView[]; more: string | null } {
  const all = topFindings(result);
  const items = all.slice(0, limit).map((f) => ({
    severity: f.severity,
    ruleId: f.ruleId,
    location: `${f.file}:${f.line}`,
    others: f.sites <= 1 ? null : `and ${f.sites - 1} more ${f.sites === 2 ? 'file' : 'files'}`,
    meta: [
      f.estInitMs === null ? null : `~${formatMs(f.estInitMs)} ms`,
      f.functions.length === 1 ? (f.functions[0] ?? '') : `${formatCount(f.functions.length)} functions`,
    ]
      .filter((x): x is string => x !== null)
      .join(' · '),
    summary: f.summary,
  }));
  return { items, more: all.length > items.length ? `…and ${plural(all.length - items.length, 'more finding')}, in the sections below.` : null };
}

function markdownFunction(fn: FunctionResult, sources: SourceIndex = new SourceIndex()): MarkdownFunctionView {
  const init = fn.init;
  const effort = effortView(fn);
  const effortText = effort === null ? null : effortLine(effort);
  return {
    rank: String(fn.rank),
    name: fn.name,
    service: fn.service ?? '',
    provider: fn.provider,
    declaredIn: location(fn.declaredIn.file, fn.declaredIn.line),
    deployedNames: fn.deployedNames,
    runtime: fn.runtime ?? UNKNOWN,
    architecture: fn.architecture ?? UNKNOWN,
    memory: `${fn.memoryMB ?? UNKNOWN} MB`,
    timeout: fn.timeoutS === null ? `${UNKNOWN} s` : `${formatCount(fn.timeoutS)} s`,
    handler: handlerLabel(fn),
    handlerNote: handlerNote(fn),
    estInitMs: formatMs(init?.estInitMs ?? null),
    init:
      init === null
        ? null
        : {
            estInitMs: formatMs(init.estInitMs),
            modules: plural(init.modules, 'module'),
            lines: plural(init.lines, 'line'),
          },
    initMissing: initMissingReason(fn),
    measured: measuredLines(fn).map((line) => line.charAt(0).toUpperCase() + line.slice(1)),
    measuredInitP50: measuredInitP50(fn),
    ioTangle: ioTangleLabel(fn),
    port: portTargets(fn),
    effort,
    effortLine: effortText === null ? null : effortText.charAt(0).toUpperCase() + effortText.slice(1),
    packageCount: init === null ? UNKNOWN : formatCount(init.packages.length),
    findingCount: formatCount(fn.findings.length),
    packages: (init?.packages ?? []).map((pkg) => ({
      name: packageLabel(pkg),
      version: pkg.version ?? UNKNOWN,
      estInitMs: formatMs(pkg.estInitMs),
      size: formatBytes(pkg.sizeBytes),
      source: pkg.source,
      chain: pkg.chain.join(MARKDOWN_CHAIN_SEPARATOR),
    })),
    findings: fn.findings.map((finding) => ({
      severity: finding.severity,
      ruleId: finding.ruleId,
      location: location(finding.file, finding.line, finding.column),
      message: finding.message,
      estInitMs: formatMs(finding.estInitMs),
      hasEstimate: finding.estInitMs !== null,
      chain: (finding.chain ?? []).join(MARKDOWN_CHAIN_SEPARATOR),
    })),
    lazy: (init?.lazy ?? []).map((edge) => ({ location: location(edge.file, edge.line), specifier: edge.specifier })),
    unresolved: (init?.unresolved ?? []).map((edge) => ({
      location: location(edge.file, edge.line, edge.column),
      specifier: edge.specifier,
      reason: edge.reason === 'dynamic' ? 'dynamic' : 'not found',
    })),
    topLevelAwait: (init?.topLevelAwait ?? []).map((site) => ({ location: location(site.file, site.line, site.column) })),
    cost: functionCostView(fn, sources),
    monthlyNow: fn.plan?.monthlyNowMicroUsd == null ? 'needs metrics' : usd(fn.plan.monthlyNowMicroUsd),
    planSaving: fn.plan?.savingMicroUsd == null ? UNKNOWN : usd(fn.plan.savingMicroUsd),
  };
}

export function buildMarkdownView(result: ScanResult): MarkdownReportView {
  const { summary } = result;
  const sources = new SourceIndex();
  const cost = costSummaryView(result, sources);
  const functions = rankedFunctions(result).map((fn) => markdownFunction(fn, sources));
  const top = markdownTopFindings(result);
  return {
    cost,
    headline: costHeadline(result),
    topFindings: top.items,
    topFindingsMore: top.more,
    diff: diffSectionView(result.diff),
    hasCost: (summary.cost?.functionsPriced ?? 0) > 0,
    sources: sources.list(),
    toolName: result.tool.name,
    version: result.tool.version,
    root: result.root,
    handlersFound: `${plural(summary.functions, 'handler')} found`,
    parsed: `${plural(summary.files, 'file')}, ${plural(summary.lines, 'line')} parsed`,
    skippedCount: `${formatCount(result.skipped.length)} skipped`,
    estInitMs: formatMs(summary.estInitMs),
    findingCounts: findingCounts(summary.findings),
    incomplete: incompleteNote(result),
    hint: result.functions.length === 0 ? NO_HANDLERS_HINT : null,
    hasMetrics: summary.metricsSource !== 'none',
    hasService: hasServices(result),
    notAnalysed: notAnalysedViews(result),
    notAnalysedNote: NOT_ANALYSED_NOTE,
    unreferenced: unreferencedLabels(result),
    unreferencedNote: UNREFERENCED_NOTE,
    functions,
    skipped: result.skipped.map((entry) => ({ file: entry.file, reason: entry.reason, detail: entry.detail })),
    warnings: result.warnings,
  };
}
