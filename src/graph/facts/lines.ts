/** Line starts and line numbers of a source text, computed once per file. */

/**
 * Start offsets of the lines, as TypeScript's `getLineStarts` computes them, for text whose only line
 * break is \n (null otherwise: TypeScript also breaks at \r, U+2028 and U+2029). TypeScript walks the
 * text a character at a time; `indexOf` is native and several times faster, and a scan needs the
 * starts of every file it parses.
 */
export function lineStartsOf(text: string): number[] | null {
  if (text.indexOf('\r') !== -1 || text.indexOf('\u2028') !== -1 || text.indexOf('\u2029') !== -1) return null;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the line holding offset `at` (binary search, as TypeScript's computeLineOfPosition). */
export function lineIndexOf(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
