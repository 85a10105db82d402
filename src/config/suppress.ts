import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type picomatchFn from 'picomatch';
import type { SuppressionFact } from '../graph/facts.js';
import type { Finding, Severity } from '../model/result.js';
import type { ProjectConfig } from './config.js';

/**
 * What happens to findings after the rules ran: config severities and allow-listed files, inline
 * `// lambda-migrate-disable-next-line <rule-id> -- reason` comments, fingerprints, and a baseline.
 * Pure functions over findings and suppression comments (collected in the fact pass): each takes the findings of
 * every function and returns new lists, leaving its input as it was.
 */

export interface SuppressionOutcome {
  /** The findings of each function (in the order given) that remain, with the config's severities. */
  findings: Finding[][];
  inline: number;
  config: number;
  /** Notes for the result's warnings: suppressions without a reason, or naming unknown rules. */
  notes: string[];
}

export function applyConfigAndInline(
  perFunction: readonly (readonly Finding[])[],
  /** A file's inline suppression comments (its facts', or what a result cache kept of them). */
  suppressionsIn: (file: string) => readonly SuppressionFact[],
  config: Pick<ProjectConfig, 'allowFiles' | 'severity'>,
  knownRules: readonly string[],
): SuppressionOutcome {
  // picomatch loads only when the config has allow.files.
  let allowFile: ((file: string) => boolean) | null = null;
  if (config.allowFiles.length > 0) {
    const picomatch: typeof picomatchFn = createRequire(import.meta.url)('picomatch');
    allowFile = picomatch(config.allowFiles, { dot: true });
  }
  const outcome: SuppressionOutcome = { findings: [], inline: 0, config: 0, notes: [] };
  const noted = new Set<string>();
  // Suppressions by file: next line -> rule ids.
  const byFile = new Map<string, Map<number, ReadonlySet<string>>>();
  const suppressionsOf = (file: string): Map<number, ReadonlySet<string>> => {
    let m = byFile.get(file);
    if (m) return m;
    m = new Map();
    for (const s of suppressionsIn(file)) {
      m.set(s.line + 1, new Set(s.rules));
      if (noted.has(`${file}:${s.line}`)) continue;
      noted.add(`${file}:${s.line}`);
      if (s.rules.length === 0) outcome.notes.push(`${file}:${s.line}: lambda-migrate-disable-next-line names no rule: it suppresses nothing`);
      for (const id of s.rules)
        if (!knownRules.includes(id)) outcome.notes.push(`${file}:${s.line}: lambda-migrate-disable-next-line names unknown rule '${id}'`);
      if (s.reason === null) outcome.notes.push(`${file}:${s.line}: lambda-migrate-disable-next-line without a reason (add '-- why')`);
    }
    byFile.set(file, m);
    return m;
  };
  const counted = new Set<string>();
  for (const findings of perFunction) {
    const kept = findings.filter((f) => {
      const key = `${f.ruleId}\0${f.file}\0${f.line}\0${f.column}`;
      if (allowFile?.(f.file)) {
        if (!counted.has(key)) outcome.config++;
        counted.add(key);
        return false;
      }
      if (suppressionsOf(f.file).get(f.line)?.has(f.ruleId)) {
        if (!counted.has(key)) outcome.inline++;
        counted.add(key);
        return false;
      }
      return true;
    });
    outcome.findings.push(
      kept.map((f) => {
        const level: Severity | undefined = config.severity[f.ruleId];
        return level === undefined ? f : { ...f, severity: level };
      }),
    );
  }
  outcome.notes.sort();
  return outcome;
}

/**
 * Gives every finding a fingerprint that survives edits elsewhere in the file: rule + file + the
 * finding's source line with whitespace collapsed + which occurrence of that line it is (so two
 * identical lines in one file keep two fingerprints). `lineText(file, line)` gives the source line; the caller
 * decides where text comes from (the scan's SourceTree), so nothing here reads the scanned service.
 */
export function fingerprint(perFunction: readonly (readonly Finding[])[], lineText: (file: string, line: number) => string | null): Finding[][] {
  const byFile = new Map<string, Finding[]>();
  for (const findings of perFunction) for (const f of findings) (byFile.get(f.file) ?? byFile.set(f.file, []).get(f.file))?.push(f);
  const prints = new Map<Finding, string>();
  for (const [file, findings] of byFile) {
    const ordered = [...findings].sort((a, b) => a.line - b.line || a.column - b.column);
    const occurrence = new Map<string, number>();
    const assigned = new Map<string, string>();
    for (const f of ordered) {
      const place = `${f.ruleId}\0${f.line}\0${f.column}`;
      const known = assigned.get(place);
      if (known !== undefined) {
        prints.set(f, known);
        continue;
      }
      const text = (lineText(file, f.line) ?? '').trim().replace(/\s+/g, ' ');
      const base = `${f.ruleId}\0${file}\0${text}`;
      const n = occurrence.get(base) ?? 0;
      occurrence.set(base, n + 1);
      const fp = createHash('sha256').update(`${base}\0${n}`).digest('hex').slice(0, 16);
      assigned.set(place, fp);
      prints.set(f, fp);
    }
  }
  return perFunction.map((findings) =>
    findings.map((f) => {
      const fp = prints.get(f);
      return fp === undefined ? f : { ...f, fingerprint: fp };
    }),
  );
}

/** Line `n` (1-based) of `text` without splitting the whole file; null past the end. */
export function lineOf(text: string, n: number): string | null {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return null;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}
