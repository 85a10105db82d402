/**
 * Guards at the boundary where a file someone else wrote is parsed or walked: the checks that let one pathological
 * file go to `skipped` with its reason while the rest of the service is analysed.
 *
 * - Depth: TypeScript's parser, YAML and every recursive walk over a tree use the call stack, one or more frames per
 *   nesting level; generated code (parser tables, emscripten output, a JSON blob as a literal) can nest deeper than
 *   the stack. V8 reports that as a RangeError, which is caught here for the one file, never for the run.
 * - Minified bundles: a 500 KB file on one line is a build output (esbuild, webpack, terser), not a source: its
 *   imports are inlined, its line numbers are meaningless for findings, and parsing it is most of a scan's time.
 */

/** V8's "Maximum call stack size exceeded" (and other engines' "too much recursion"). */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack|too much recursion/i.test(err.message);
}

export type Guarded<T> = { ok: true; value: T } | { ok: false; reason: 'too_deep' | 'parse_error'; detail: string };

/**
 * Runs one parse or walk of one input. A stack overflow is `too_deep`; any other exception of the parser is a
 * `parse_error` naming the error's class (never the input's text, which may hold secrets).
 */
export function guardParse<T>(run: () => T): Guarded<T> {
  try {
    return { ok: true, value: run() };
  } catch (err) {
    if (isStackOverflow(err)) {
      return { ok: false, reason: 'too_deep', detail: 'nested too deeply to parse (generated code?): the parser ran out of stack' };
    }
    const name = err instanceof Error ? err.name : typeof err;
    return { ok: false, reason: 'parse_error', detail: `the parser failed on this file (${name})` };
  }
}

/** A file at least this big with an average line at least this long is a minified bundle. */
const MINIFIED_MIN_CHARS = 64 * 1024;
const MINIFIED_MEAN_LINE = 1_000;
/** One line this long is never hand-written, whatever the rest of the file is. */
const MINIFIED_LONGEST_LINE = 100_000;

/**
 * Why `text` looks minified, or null. Cheap (one pass over the newlines, no parse), so it runs before the parser.
 * A source map comment alone is not enough: unminified bundles carry one too.
 */
export function minifiedReason(text: string): string | null {
  if (text.length < MINIFIED_MIN_CHARS) return null;
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    longest = Math.max(longest, nl - start);
    start = nl + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  const mean = text.length / lines;
  if (mean < MINIFIED_MEAN_LINE && longest < MINIFIED_LONGEST_LINE) return null;
  const kb = Math.round(text.length / 1024);
  return `minified bundle: ${kb} KB in ${lines} line${lines === 1 ? '' : 's'} (longest ${longest} characters); not parsed as a source (scan the sources it was built from)`;
}
