/**
 * The PR comment: what this change adds to cold start and cost, headline first, one comment per PR that the bot
 * updates in place (found by the hidden marker on its first line). GitHub rejects a comment body over 65,536
 * characters, so a long one is cut at a section boundary (whole rows and blocks, never inside a string) and ends with
 * a pointer to the full report.
 */
import type { FunctionResult, ScanResult } from '../model/result.js';
import { usd } from './cost-view.js';
import { diffHeadline, diffRow, diffTotalsLine, findingLine, groupFindings, type DiffRowView, type GroupedFinding } from './diff-view.js';
import { formatCount, formatMeasuredMs, formatMs, plural, UNKNOWN } from './format.js';
import { PR_COMMENT_MARKER } from './marker.js';

/**
 * GitHub's limit on a comment body. It is counted in UTF-16 code units, which is what JavaScript's `string.length`
 * counts, so every length here is `.length` (an emoji is 2, an accented letter 1 or 2 depending on composition).
 */
export const PR_COMMENT_MAX_CHARS = 65_536;

/** The last line of every comment: where the whole report is when the comment is cut (or just too terse). */
export const PR_COMMENT_POINTER =
  "Full report: the workflow's report artifact, or `lambda-migrate report result.json -f markdown` on the saved result.";

export interface PrCommentOptions {
  /** Limit in UTF-16 code units; GitHub's (65,536) unless a test or a smaller host needs less. */
  maxChars?: number;
}

interface StateRowView {
  rank: string;
  name: string;
  estInitMs: string;
  measuredInitP50: string;
  monthly: string;
  packages: string;
  findings: string;
}

interface DetailBlockView {
  name: string;
  packages: { change: string; name: string; estInitMs: string; chain: string }[];
}

interface ListSectionView {
  title: string;
  items: string[];
  omitted: string | null;
}

interface PrCommentView {
  marker: string;
  headline: string;
  summary: string[];
  hasDiff: boolean;
  hasMeasured: boolean;
  tableTitle: string | null;
  changedRows: DiffRowView[];
  stateRows: StateRowView[];
  rowsOmitted: string | null;
  findingSections: ListSectionView[];
  details: { title: string; blocks: DetailBlockView[]; omitted: string | null } | null;
  truncated: string | null;
  pointer: string;
}

/** Everything the comment could show; `cut` keeps a prefix of it, in this order of importance. */
interface FullComment {
  marker: string;
  headline: string;
  summary: string[];
  hasDiff: boolean;
  hasMeasured: boolean;
  tableTitle: string;
  changedRows: DiffRowView[];
  stateRows: StateRowView[];
  findingSections: { title: string; items: string[] }[];
  detailsTitle: string;
  details: DetailBlockView[];
}

function rowCount(full: FullComment): number {
  return full.hasDiff ? full.changedRows.length : full.stateRows.length;
}

function itemCount(full: FullComment): number {
  return rowCount(full) + full.findingSections.reduce((sum, s) => sum + s.items.length, 0) + full.details.length;
}

function omittedNote(kept: number, total: number, what: string): string | null {
  return kept === total ? null : `…and ${formatCount(total - kept)} more ${what} (see the full report).`;
}

/** The view with the first `keep` items (rows, then findings, then package details); the rest is counted, not shown. */
function cut(full: FullComment, keep: number, max: number): PrCommentView {
  let budget = keep;
  const take = <T>(items: readonly T[]): T[] => {
    const kept = items.slice(0, Math.max(0, budget));
    budget -= kept.length;
    return kept;
  };
  const changedRows = full.hasDiff ? take(full.changedRows) : [];
  const stateRows = full.hasDiff ? [] : take(full.stateRows);
  const rowsKept = changedRows.length + stateRows.length;
  const findingSections = full.findingSections.map((section) => {
    const items = take(section.items);
    return { title: section.title, items, omitted: omittedNote(items.length, section.items.length, 'findings') };
  });
  const blocks = take(full.details);
  const total = itemCount(full);
  return {
    marker: full.marker,
    headline: full.headline,
    summary: full.summary,
    hasDiff: full.hasDiff,
    hasMeasured: full.hasMeasured,
    tableTitle: rowCount(full) === 0 ? null : full.tableTitle,
    changedRows,
    stateRows,
    rowsOmitted: omittedNote(rowsKept, rowCount(full), 'functions'),
    findingSections,
    details: full.details.length === 0 ? null : { title: full.detailsTitle, blocks, omitted: omittedNote(blocks.length, full.details.length, 'functions') },
    truncated:
      keep >= total
        ? null
        : `This comment was cut to fit the limit of ${formatCount(max)} characters: ${formatCount(keep)} of ${formatCount(total)} rows and sections are shown.`,
    pointer: PR_COMMENT_POINTER,
  };
}

function findingSection(title: string, groups: readonly GroupedFinding[]): { title: string; items: string[] } {
  return { title, items: groups.map(findingLine) };
}

function stateRow(fn: FunctionResult): StateRowView {
  const m = fn.metrics;
  return {
    rank: String(fn.rank),
    name: fn.name,
    estInitMs: formatMs(fn.init?.estInitMs ?? null),
    measuredInitP50: m === null ? '' : m.status !== 'ok' ? m.status.replace('_', ' ') : m.initMs === null ? 'no cold start' : formatMeasuredMs(m.initMs.p50),
    monthly: fn.cost?.monthly == null ? '' : usd(fn.cost.monthly.totalMicroUsd),
    packages: fn.init === null ? UNKNOWN : formatCount(fn.init.packages.length),
    findings: formatCount(fn.findings.length),
  };
}

function fullComment(result: ScanResult): FullComment {
  const diff = result.diff;
  const base = {
    marker: PR_COMMENT_MARKER,
    hasDiff: diff !== undefined,
  };
  if (diff !== undefined) {
    return {
      ...base,
      headline: diffHeadline(diff),
      summary: [
        diffTotalsLine(diff),
        `base ${plural(diff.base.functions, 'function')} (est. init ${formatMs(diff.base.estInitMs)} ms) → head ${plural(result.functions.length, 'function')} (est. init ${formatMs(result.summary.estInitMs)} ms)`,
      ],
      hasMeasured: diff.functions.some((d) => d.measuredInitMs !== null),
      tableTitle: 'Functions that changed',
      changedRows: diff.functions.map(diffRow),
      stateRows: [],
      findingSections: [
        findingSection('New findings', groupFindings(diff.functions.map((d) => ({ name: d.name, findings: d.findingsNew })))),
        findingSection('Fixed findings', groupFindings(diff.functions.map((d) => ({ name: d.name, findings: d.findingsFixed })))),
      ],
      detailsTitle: 'Init packages added and removed, per function',
      details: diff.functions
        .filter((d) => d.packagesAdded.length + d.packagesRemoved.length > 0)
        .map((d) => ({
          name: d.name,
          packages: [
            ...d.packagesAdded.map((p) => ({ change: 'added', name: p.name, estInitMs: formatMs(p.estInitMs), chain: '' })),
            ...d.packagesRemoved.map((p) => ({ change: 'removed', name: p.name, estInitMs: formatMs(p.estInitMs), chain: '' })),
          ],
        })),
    };
  }
  const functions = [...result.functions].sort((a, b) => a.rank - b.rank);
  const cost = result.summary.cost;
  const { findings } = result.summary;
  return {
    ...base,
    headline: 'No base result was given, so this is the current state, not what this change adds',
    summary: [
      [
        plural(result.functions.length, 'function'),
        `est. init ${formatMs(result.summary.estInitMs)} ms in total`,
        cost === undefined || cost.functionsPriced === 0 ? 'cost needs metrics' : `~${usd(cost.monthlyMicroUsd)}/month`,
        `findings: ${formatCount(findings.error)} error, ${formatCount(findings.warn)} warn, ${formatCount(findings.info)} info`,
      ].join(' · '),
      'To see what a change adds, compare with the base branch: lambda-migrate diff base.json head.json -f pr-comment, or scan --baseline base.json.',
    ],
    hasMeasured: result.summary.metricsSource !== 'none',
    tableTitle: 'Functions, act first at the top',
    changedRows: [],
    stateRows: functions.map(stateRow),
    findingSections: [findingSection('Findings', groupFindings(functions.map((fn) => ({ name: fn.name, findings: fn.findings }))))],
    detailsTitle: 'Init packages per function',
    details: functions
      .filter((fn) => (fn.init?.packages.length ?? 0) > 0)
      .map((fn) => ({
        name: fn.name,
        packages: (fn.init?.packages ?? []).map((p) => ({
          change: '',
          name: p.subpaths.length === 0 ? p.name : `${p.name} (${p.subpaths.join(', ')})`,
          estInitMs: formatMs(p.estInitMs),
          chain: p.chain.join(' → '),
        })),
      })),
  };
}

/** The compiled `reports/pr-comment` template (the report engine's own handlebars instance, strict). */
export type CompiledComment = (view: object) => string;

/**
 * Renders the comment; when it is longer than the limit, keeps the most items (rows, then findings, then package
 * details) that fit. With nothing kept it holds only fixed words and numbers, so it always fits the real limit. Rendering whole templates with fewer items, rather than cutting text, is what keeps tables,
 * `<details>` blocks and code spans balanced and surrogate pairs whole.
 */
export function renderPrComment(result: ScanResult, render: CompiledComment, options: PrCommentOptions = {}): string {
  const max = options.maxChars ?? PR_COMMENT_MAX_CHARS;
  const full = fullComment(result);
  const total = itemCount(full);
  const attempt = (keep: number): string | null => {
    const text = render(cut(full, keep, max));
    return text.length <= max ? text : null;
  };
  // Gallop up from a small prefix, then bisect: every render stays near the limit in size, instead of starting with
  // the whole (possibly megabytes long) comment. Length grows with the items kept, so the bisection is sound.
  let lo = 0;
  let best = attempt(0) ?? render(cut(full, 0, max));
  let hi = Math.min(total, 32);
  for (;;) {
    const text = attempt(hi);
    if (text === null) break;
    best = text;
    lo = hi;
    if (hi === total) return best;
    hi = Math.min(total, hi * 2);
  }
  // Here `lo` items fit and `hi` do not.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const text = attempt(mid);
    if (text === null) {
      hi = mid;
    } else {
      best = text;
      lo = mid;
    }
  }
  return best;
}
