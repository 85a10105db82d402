/**
 * `lambda-migrate diff BASE.json HEAD.json`: the head result with what changed since the base attached; and
 * `scan --baseline RESULT.json`, which does the same with the scan as the head.
 */
import type { Argv, CommandModule } from 'yargs';
import { applyBaseline, createBaseline } from '../config/baseline.js';
import type { ScanResult, Severity } from '../model/result.js';
import { withDiff } from '../report/diff.js';
import { readUntrustedJson } from '../util/untrusted-json.js';
import type { CliIo } from './io.js';
import { loadResult, looksLikeResult, toResult, withOutputOptions, writeReport, type OutputArgs } from './report-cli.js';

export const DIFF_FORMATS = ['text', 'markdown', 'json', 'pr-comment'] as const;

export async function runDiffCommand(args: OutputArgs & { base: string; head: string }, io: CliIo): Promise<number> {
  const { parseGates } = await import('../report/gates.js');
  // A bad gate spec is reported before any file is read.
  parseGates(args.failOn);
  // Both are read at once, but a failure is reported in argument order (base first), not whichever read ends first.
  const [base, head] = await Promise.allSettled([loadResult(args.base, io.cwd), loadResult(args.head, io.cwd)]);
  if (base.status === 'rejected') throw base.reason;
  if (head.status === 'rejected') throw head.reason;
  return writeReport(withDiff(base.value, head.value), args, io);
}

/** The `diff` command for main.ts; `setExit` receives the exit code. */
export function diffCommand<T>(io: CliIo, setExit: (code: number) => void) {
  const builder = (y: Argv<T>) =>
    withOutputOptions(y, DIFF_FORMATS)
      .positional('base', { type: 'string', demandOption: true, describe: 'The base result (e.g. the main branch), saved with scan -f json' })
      .positional('head', { type: 'string', demandOption: true, describe: 'The head result (e.g. this PR), saved with scan -f json' })
      .example('$0 diff base.json head.json -f pr-comment -o comment.md', 'What this change adds, as a PR comment')
      .example(
        '$0 diff base.json head.json -f json --fail-on init-ms=100 --fail-on monthly-usd=5',
        'Fail the build on a cold-start or cost regression',
      );
  type DiffArgs = ReturnType<typeof builder> extends Argv<infer A> ? A : never;
  const command: CommandModule<T, DiffArgs> = {
    command: 'diff <base> <head>',
    describe: 'Compare two saved results: init packages, ms and $ added or removed, findings new and fixed',
    builder,
    handler: async (args) => {
      setExit(
        await runDiffCommand(
          { base: args.base, head: args.head, format: args.format, out: args.out, quiet: args.quiet, color: args.color, failOn: args['fail-on'] },
          io,
        ),
      );
    },
  };
  return command;
}

/**
 * `scan --baseline FILE`: the saved result FILE holds, or null when FILE is something else (a findings baseline, or
 * missing or broken, which the scan's own baseline handling reports as before).
 */
export async function readBaseResult(file: string, cwd: string): Promise<ScanResult | null> {
  // Too big, too deep or with hostile keys is refused here, whichever kind of file it is.
  const read = await readUntrustedJson(file, cwd, 'a saved result (scan -f json) or a findings baseline (--baseline-write)');
  if (!read.ok) return null;
  return looksLikeResult(read.value) ? toResult(read.value, file, true) : null;
}

/**
 * The scan (head) compared with a saved base: the diff is taken on everything the scan found, then the base's
 * findings are hidden as a baseline would hide them, so the report and a severity gate show only what is new.
 */
export function attachBase(base: ScanResult, head: ScanResult): ScanResult {
  const compared = withDiff(base, head);
  // applyBaseline filters in place; the copies keep `head` as the caller passed it.
  const functions = compared.functions.map((fn) => ({ ...fn, findings: [...fn.findings] }));
  const dropped = applyBaseline(functions, createBaseline(base));
  const findings: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const fn of functions) for (const f of fn.findings) findings[f.severity]++;
  const suppressed = compared.suppressed ?? { inline: 0, baseline: 0, allowedFiles: 0, configFile: null };
  return {
    ...compared,
    summary: { ...compared.summary, findings },
    functions,
    suppressed: { ...suppressed, baseline: suppressed.baseline + dropped },
  };
}
