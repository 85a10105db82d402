import type { SuppressionFact } from './types.js';

/** Suppression comments, read from the text: the one concern of the fact pass outside the walk (which never sees comments). */

export const SUPPRESSION_MARKER = 'lambda-migrate-disable-next-line';
const SUPPRESSION_LINE = /^\s*(?:\/\/|\/\*+)\s*lambda-migrate-disable-next-line\b(.*?)(?:\*\/\s*)?$/;

/**
 * Inline suppressions. Called only when the marker occurs in the text (one indexOf per file), so
 * files without one pay nothing; a marker counts only on a line that is a comment of its own.
 */
export function suppressionsIn(text: string): SuppressionFact[] {
  const out: SuppressionFact[] = [];
  let line = 1;
  let start = 0;
  for (let at = text.indexOf(SUPPRESSION_MARKER); at !== -1; at = text.indexOf(SUPPRESSION_MARKER, at + 1)) {
    for (let nl = text.indexOf('\n', start); nl !== -1 && nl < at; nl = text.indexOf('\n', start)) {
      line++;
      start = nl + 1;
    }
    const end = text.indexOf('\n', at);
    const m = SUPPRESSION_LINE.exec(text.slice(start, end === -1 ? text.length : end));
    if (!m) continue;
    const body = m[1] ?? '';
    const sep = body.indexOf('--');
    const ids = (sep === -1 ? body : body.slice(0, sep)).split(/[\s,]+/).filter(Boolean);
    const reason = sep === -1 ? '' : body.slice(sep + 2).trim();
    out.push({ line, rules: ids, reason: reason === '' ? null : reason });
  }
  return out;
}

/** The file's suppressions: one `indexOf` for the marker, and the line scan only when it occurs. */
export function suppressionsOf(text: string): SuppressionFact[] {
  return text.indexOf(SUPPRESSION_MARKER) === -1 ? [] : suppressionsIn(text);
}
