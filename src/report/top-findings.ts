/**
 * The findings of a whole result, each distinct one once with the functions it hits: a shared module's finding
 * (`src/lib/db.ts` loading the whole aws-sdk into five handlers) is one thing to fix, not five. Shared by the text
 * summary, the markdown report and the PR comment. Strings stay raw; each report escapes them its own way.
 */
import type { Finding, FunctionResult, ScanResult, Severity } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { findingIdentity } from './diff.js';

export interface TopFinding {
  severity: Severity;
  ruleId: string;
  file: string;
  line: number;
  /** The whole message of the first function's finding (rank order). */
  message: string;
  /** The message's first sentence: what is wrong and what it costs; the fix follows in the full report. */
  summary: string;
  /** The largest estimate among the functions it hits (they usually agree); null when none has one. */
  estInitMs: number | null;
  /** Names of the functions it hits, in rank order, each once. */
  functions: string[];
  /**
   * Places with the same rule and message (the same whole-SDK import copied into five handler files): one thing to
   * fix the same way, so one entry; `file:line` is the first of them. 1 for a single place.
   */
  sites: number;
}

/** `src/lib/db.ts:1`, or `todos/create.js:4 and 4 more files` for an entry that stands for several places. */
export function findingWhere(f: Pick<TopFinding, 'file' | 'line' | 'sites'>): string {
  return f.sites <= 1 ? `${f.file}:${f.line}` : `${f.file}:${f.line} and ${f.sites - 1} more ${f.sites === 2 ? 'file' : 'files'}`;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** Up to the first `. ` that starts a new sentence; the whole message when it is one sentence. */
export function firstSentence(message: string): string {
  const m = /\.\s+(?=[A-Z'"(])/.exec(message);
  return m === null ? message : message.slice(0, m.index + 1);
}

/**
 * Distinct findings, most urgent first: severity, then the init they cost, then how many functions they hit, then
 * where they are (so equal findings keep one stable order).
 */
export function topFindings(result: Pick<ScanResult, 'functions'>): TopFinding[] {
  const ranked: FunctionResult[] = [...result.functions].sort((a, b) => a.rank - b.rank);
  const groups = new Map<string, { finding: Finding; est: number | null; functions: string[] }>();
  for (const fn of ranked) {
    for (const finding of fn.findings) {
      const key = findingIdentity(finding);
      const group = groups.get(key);
      if (group === undefined) {
        groups.set(key, { finding, est: finding.estInitMs, functions: [fn.name] });
        continue;
      }
      if (finding.estInitMs !== null) group.est = Math.max(group.est ?? 0, finding.estInitMs);
      if (!group.functions.includes(fn.name)) group.functions.push(fn.name);
    }
  }
  // Then one entry per rule and message: the same finding in several files reads once, with how many places.
  const merged = new Map<string, { finding: Finding; est: number | null; functions: string[]; sites: number }>();
  for (const group of groups.values()) {
    const key = `${group.finding.ruleId}\0${group.finding.message}`;
    const into = merged.get(key);
    if (into === undefined) {
      merged.set(key, { ...group, functions: [...group.functions], sites: 1 });
      continue;
    }
    into.sites++;
    if (group.est !== null) into.est = Math.max(into.est ?? 0, group.est);
    for (const name of group.functions) if (!into.functions.includes(name)) into.functions.push(name);
  }
  return [...merged.values()]
    .map(({ finding, est, functions, sites }) => ({
      severity: finding.severity,
      ruleId: finding.ruleId,
      file: finding.file,
      line: finding.line,
      message: finding.message,
      summary: firstSentence(finding.message),
      estInitMs: est,
      functions,
      sites,
    }))
    .sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        (b.estInitMs ?? -1) - (a.estInitMs ?? -1) ||
        b.functions.length - a.functions.length ||
        compareStrings(a.file, b.file) ||
        a.line - b.line ||
        compareStrings(a.ruleId, b.ruleId),
    );
}
