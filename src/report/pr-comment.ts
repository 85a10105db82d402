/**
 * The PR comment: what this change adds to cold start and cost, headline first, one comment per PR that the bot
 * updates in place (found by the hidden marker on its first line). GitHub rejects a comment body over 65,536
 * characters, so a long one is cut at a section boundary (whole rows and blocks, never inside a string) and ends with
 * a pointer to the full report.
 */
import type { FunctionDiff, FunctionResult, ResultDiff, ScanResult } from '../model/result.js';
import { usd } from './cost-view.js';
import { diffHeadline, diffRow, groupFindings, initPricingLine, signedMs, signedPct, signedUsd, type GroupedFinding } from './diff-view.js';
import { formatCount, formatMeasuredMs, formatMs, plural, UNKNOWN } from './format.js';
import { PR_COMMENT_MARKER } from './marker.js';
import { topFindings } from './top-findings.js';

/**
 * GitHub's limit on a comment body, as its error says: "Body is too long (maximum is 65536 characters)". Measured
 * against the API, the comment endpoints refuse a body over 262,144 bytes of UTF-8 (2^18: 262,144 ASCII characters
 * store, as do 65,536 four-byte emoji, and one byte more is a 422), while issue and PR bodies refuse more than 65,536
 * code points. A body within 65,536 code points is within both (a code point is at most 4 bytes), so that is the
 * budget here: characters as GitHub's message counts them, an astral character (an emoji, U+1F680) being one, not
 * the two UTF-16 units JavaScript's `length` counts. See githubLength.
 */
export const PR_COMMENT_MAX_CHARS = 65_536;

/** The byte limit the comment endpoints enforce (UTF-8); implied by the code-point budget, checked all the same. */
export const PR_COMMENT_MAX_BYTES = 262_144;

/** Characters as GitHub counts them: Unicode code points (a surrogate pair is one). */
export function githubLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Whether GitHub accepts `text` as a comment body under a budget of `max` characters (and 4 bytes each). */
export function fitsGithubComment(text: string, max = PR_COMMENT_MAX_CHARS): boolean {
  return githubLength(text) <= max && Buffer.byteLength(text, 'utf8') <= Math.min(PR_COMMENT_MAX_BYTES, max * 4);
}

/** The last line of every comment: where the whole report is when the comment is cut (or just too terse). */
export const PR_COMMENT_POINTER =
  "Full report: the workflow's report artifact, or `lambda-migrate report result.json -f markdown` on the saved result.";

/** A comment without a base lists this many functions and findings: the current state, short. */
export const STATE_ROWS = 10;
export const STATE_FINDINGS = 10;

export interface PrCommentOptions {
  /** Limit in characters (code points); GitHub's (65,536) unless a test or a smaller host needs less. */
  maxChars?: number;
}

interface ChangedRowView {
  name: string;
  /** `(added)`, `(removed)`, or '' for a changed function. */
  status: string;
  estInit: string;
  estInitDelta: string;
  measuredDelta: string;
  costDelta: string;
  packages: string;
}

interface StateRowView {
  rank: string;
  name: string;
  estInitMs: string;
  measuredInitP50: string;
  monthly: string;
  saving: string;
}

interface FindingItemView {
  severity: string;
  ruleId: string;
  location: string;
  /** `and 4 more files` when one entry stands for the same finding in several files. */
  others: string | null;
  /** Up to three function names; more are counted in `reachCount`. */
  functions: string[];
  reachCount: string | null;
  message: string;
}

interface PackageRowView {
  name: string;
  change: string;
  package: string;
  estInitMs: string;
}

interface Kept<T> {
  items: T[];
  omitted: string | null;
}

interface PrCommentView {
  marker: string;
  headline: string;
  summary: string[];
  hasDiff: boolean;
  hasMeasured: boolean;
  hasCost: boolean;
  changedRows: Kept<ChangedRowView>;
  stateRows: Kept<StateRowView>;
  newFindings: Kept<FindingItemView>;
  folded: { title: string; findings: Kept<FindingItemView> } | null;
  packages: Kept<PackageRowView> | null;
  pricing: Kept<string> | null;
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
  hasCost: boolean;
  changedRows: ChangedRowView[];
  stateRows: StateRowView[];
  /** Items beyond the comment's own short lists (no base: STATE_ROWS, STATE_FINDINGS), counted as omitted. */
  stateRowsTotal: number;
  newFindings: FindingItemView[];
  foldedTitle: string;
  folded: FindingItemView[];
  foldedTotal: number;
  packages: PackageRowView[];
  pricing: string[];
}

function itemCount(full: FullComment): number {
  return full.changedRows.length + full.stateRows.length + full.newFindings.length + full.folded.length + full.packages.length + full.pricing.length;
}

function omittedNote(kept: number, total: number, what: string): string | null {
  return kept >= total ? null : `…and ${formatCount(total - kept)} more ${what} (see the full report).`;
}

/** The view with the first `keep` items (rows, new findings, other findings, packages, pricing); the rest counted. */
function cut(full: FullComment, keep: number, max: number): PrCommentView {
  let budget = keep;
  const take = <T>(items: readonly T[], total: number, what: string): Kept<T> => {
    const kept = items.slice(0, Math.max(0, budget));
    budget -= kept.length;
    return { items: kept, omitted: omittedNote(kept.length, total, what) };
  };
  const changedRows = take(full.changedRows, full.changedRows.length, 'functions');
  const stateRows = take(full.stateRows, full.stateRowsTotal, 'functions');
  const newFindings = take(full.newFindings, full.newFindings.length, 'findings');
  const folded = take(full.folded, full.hasDiff ? full.folded.length : full.foldedTotal, 'findings');
  const packages = take(full.packages, full.packages.length, 'package changes');
  const pricing = take(full.pricing, full.pricing.length, 'functions');
  const total = itemCount(full);
  return {
    marker: full.marker,
    headline: full.headline,
    summary: full.summary,
    hasDiff: full.hasDiff,
    hasMeasured: full.hasMeasured,
    hasCost: full.hasCost,
    changedRows,
    stateRows,
    newFindings,
    folded: full.foldedTotal === 0 ? null : { title: full.foldedTitle, findings: folded },
    packages: full.packages.length === 0 ? null : packages,
    pricing: full.pricing.length === 0 ? null : pricing,
    truncated:
      keep >= total
        ? null
        : `This comment was cut to fit the limit of ${formatCount(max)} characters: ${formatCount(keep)} of ${formatCount(total)} rows and items are shown.`,
    pointer: PR_COMMENT_POINTER,
  };
}

function findingItem(
  finding: { severity: string; ruleId: string; file: string; line: number; message: string; sites?: number },
  functions: readonly string[],
): FindingItemView {
  const sites = finding.sites ?? 1;
  return {
    severity: finding.severity,
    ruleId: finding.ruleId,
    location: `${finding.file}:${finding.line}`,
    others: sites <= 1 ? null : `and ${sites - 1} more ${sites === 2 ? 'file' : 'files'}`,
    functions: functions.length <= 3 ? [...functions] : [],
    reachCount: functions.length <= 3 ? null : plural(functions.length, 'function'),
    message: finding.message,
  };
}

function groupedItems(groups: readonly GroupedFinding[]): FindingItemView[] {
  return groups.map((g) => findingItem(g.finding, g.functions));
}

function changedRow(d: FunctionDiff): ChangedRowView {
  const row = diffRow(d);
  return {
    name: d.name,
    status: d.status === 'changed' ? '' : `(${d.status})`,
    estInit: row.estInit,
    estInitDelta: row.estInitDelta,
    measuredDelta: row.measuredDelta,
    costDelta: row.costDelta,
    packages: row.packages,
  };
}

/** `$41.25 → $42.05/month (+$0.80, +1.9%)`, or why the cost was not compared. */
function costChange(diff: ResultDiff): string {
  const t = diff.totals;
  const base = diff.base.monthlyMicroUsd;
  if (t.monthlyMicroUsdAdded === null || base === null)
    return 'Cost not compared: neither result has cost figures (metrics, or --invocations with --cold-start-rate)';
  const pct = signedPct(t.monthlyPct);
  const priced = diff.functions.some((d) => d.initPriced !== undefined) ? "; added init priced with the base's cold starts" : '';
  return `Monthly cost ${usd(base)} → ${usd(base + t.monthlyMicroUsdAdded)} (${signedUsd(t.monthlyMicroUsdAdded)}${pct === null ? '' : `, ${pct}`}${priced})`;
}

function diffComment(result: ScanResult, diff: ResultDiff): FullComment {
  const t = diff.totals;
  const initPct = signedPct(t.estInitPct);
  return {
    marker: PR_COMMENT_MARKER,
    hasDiff: true,
    hasCost: t.monthlyMicroUsdAdded !== null,
    headline: diffHeadline(diff),
    summary: [
      `${costChange(diff)} · estimated init ${formatMs(diff.base.estInitMs)} → ${formatMs(result.summary.estInitMs)} ms (${signedMs(t.estInitMsAdded)} ms${initPct === null ? '' : `, ${initPct}`})`,
      `${formatCount(t.functionsAdded)} added, ${formatCount(t.functionsRemoved)} removed, ${formatCount(t.functionsChanged)} changed · ${plural(t.findingsNew, 'new finding')}, ${formatCount(t.findingsFixed)} fixed`,
    ],
    hasMeasured: diff.functions.some((d) => d.measuredInitMs !== null),
    changedRows: diff.functions.map(changedRow),
    stateRows: [],
    stateRowsTotal: 0,
    newFindings: groupedItems(groupFindings(diff.functions.map((d) => ({ name: d.name, findings: d.findingsNew })))),
    foldedTitle: 'Fixed findings',
    folded: groupedItems(groupFindings(diff.functions.map((d) => ({ name: d.name, findings: d.findingsFixed })))),
    foldedTotal: diff.functions.reduce((n, d) => n + d.findingsFixed.length, 0),
    packages: diff.functions.flatMap((d) => [
      ...d.packagesAdded.map((p) => ({ name: d.name, change: 'added', package: p.name, estInitMs: formatMs(p.estInitMs) })),
      ...d.packagesRemoved.map((p) => ({ name: d.name, change: 'removed', package: p.name, estInitMs: formatMs(p.estInitMs) })),
    ]),
    pricing: diff.functions.map(initPricingLine).filter((line): line is string => line !== null),
  };
}

function stateRow(fn: FunctionResult): StateRowView {
  const m = fn.metrics;
  return {
    rank: String(fn.rank),
    name: fn.name,
    estInitMs: formatMs(fn.init?.estInitMs ?? null),
    measuredInitP50:
      m === null ? '' : m.status !== 'ok' ? m.status.replace('_', ' ') : m.initMs === null ? 'no cold start' : formatMeasuredMs(m.initMs.p50),
    monthly: fn.cost?.monthly == null ? UNKNOWN : usd(fn.cost.monthly.totalMicroUsd),
    saving: fn.plan?.savingMicroUsd == null ? UNKNOWN : usd(fn.plan.savingMicroUsd),
  };
}

/** No base: the current state in a few lines, the first functions to act on, the top findings folded. */
function stateComment(result: ScanResult): FullComment {
  const functions = [...result.functions].sort((a, b) => a.rank - b.rank);
  const cost = result.summary.cost;
  const priced = cost !== undefined && cost.functionsPriced > 0;
  const top = topFindings(result);
  const month = priced ? `${usd(cost.monthlyMicroUsd)}/month now` : 'cost needs metrics';
  const plan = priced
    ? `The plan saves ${usd(cost.planSavingMicroUsd)}/month${cost.monthlyMicroUsd === 0 ? '' : ` (${Math.round((cost.planSavingMicroUsd / cost.monthlyMicroUsd) * 100)}%)`}, to ${usd(cost.monthlyMicroUsd - cost.planSavingMicroUsd)}/month; the functions are in the order to act on them.`
    : null;
  return {
    marker: PR_COMMENT_MARKER,
    hasDiff: false,
    hasCost: priced,
    headline: `Current state: ${plural(result.functions.length, 'function')}, ${formatMs(result.summary.estInitMs)} ms of estimated init, ${month}`,
    summary: [
      ...(plan === null ? [] : [plan]),
      `Findings: ${formatCount(result.summary.findings.error)} error, ${formatCount(result.summary.findings.warn)} warn, ${formatCount(result.summary.findings.info)} info (${plural(top.length, 'distinct one')}).`,
    ],
    hasMeasured: result.summary.metricsSource !== 'none',
    changedRows: [],
    stateRows: functions.slice(0, STATE_ROWS).map(stateRow),
    stateRowsTotal: functions.length,
    newFindings: [],
    foldedTitle: `Top findings: ${plural(top.length, 'distinct finding')}`,
    folded: top.slice(0, STATE_FINDINGS).map((f) => findingItem(f, f.functions)),
    foldedTotal: top.length,
    packages: [],
    pricing: [],
  };
}

function fullComment(result: ScanResult): FullComment {
  return result.diff === undefined ? stateComment(result) : diffComment(result, result.diff);
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
    return fitsGithubComment(text, max) ? text : null;
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
