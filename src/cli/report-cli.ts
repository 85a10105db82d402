/**
 * `lambda-migrate report RESULT.json`: re-render a saved result in any format, and the pieces `diff` and `scan`
 * share with it: reading a saved result, writing the report, and the `--fail-on` gates.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { SCHEMA_VERSION, type ScanResult } from '../model/result.js';
import { packageVersion, readAssetJson } from '../assets.js';
import { readUntrustedJson, refuseUntrusted } from '../util/untrusted-json.js';
import type { Argv, CommandModule } from 'yargs';
import type { Format } from '../report/index.js';
import type { GateHit } from '../report/gates.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './io.js';

const SAVE_HINT = 'save one with: lambda-migrate scan ./service -f json -o result.json';

/** What `scan --baseline FILE` tells a saved result from a findings baseline by: a result has both of these. */
export function looksLikeResult(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'schemaVersion' in data && 'tool' in data;
}

/**
 * Checks a parsed file is a result this version can read: ours (tool name and schemaVersion), not from a newer
 * schema, and valid against schema/scan-result.schema.json. Every failure is one line naming the file.
 */
export async function toResult(data: unknown, file: string, checked = false): Promise<ScanResult> {
  // A result may come from a fork's workflow: hostile keys, depth and size are refused before anything reads it.
  if (!checked) refuseUntrusted(data, file, SAVE_HINT);
  const tool = typeof data === 'object' && data !== null ? Reflect.get(data, 'tool') : undefined;
  const toolName = typeof tool === 'object' && tool !== null ? Reflect.get(tool, 'name') : undefined;
  const version = typeof data === 'object' && data !== null ? Reflect.get(data, 'schemaVersion') : undefined;
  if (toolName !== 'lambda-migrate' || typeof version !== 'number') {
    throw new InputError(`${file} is not a lambda-migrate result (it has no schemaVersion and tool.name "lambda-migrate")`, SAVE_HINT);
  }
  if (version > SCHEMA_VERSION) {
    throw new InputError(
      `${file} was written by a newer lambda-migrate (result schema ${version}; this version ${packageVersion()} reads schema ${SCHEMA_VERSION})`,
      'upgrade lambda-migrate, or re-render it with the version that wrote it',
    );
  }
  const validate = await resultValidator();
  if (!isResult(data, validate)) {
    const problems = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw new InputError(`${file} is not a valid lambda-migrate result (${problems.join('; ')})`, SAVE_HINT);
  }
  return data;
}

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let cachedValidator: Validator | undefined;

/** Compiled once per process: `diff` reads two results, and ajv compiling the schema is the slow part. */
async function resultValidator(): Promise<Validator> {
  if (cachedValidator !== undefined) return cachedValidator;
  const schema: unknown = readAssetJson('schema/scan-result.schema.json');
  if (typeof schema !== 'object' || schema === null) throw new Error('schema/scan-result.schema.json is not a JSON object');
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  cachedValidator = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return cachedValidator;
}

function isResult(data: unknown, validate: (d: unknown) => boolean): data is ScanResult {
  return validate(data);
}

/** Reads a result saved with `scan -f json` (relative to the CLI's cwd). */
export async function loadResult(file: string, cwd: string): Promise<ScanResult> {
  const read = await readUntrustedJson(file, cwd, SAVE_HINT);
  if (!read.ok) throw new InputError(read.why === 'missing' ? `result file not found: ${file}` : read.message, SAVE_HINT);
  return toResult(read.value, file, true);
}

export interface OutputArgs {
  format: Format;
  out: string | undefined;
  quiet: boolean;
  color: boolean | undefined;
  failOn: readonly string[];
  /** `--detail` / `-v`: the text report's full breakdown instead of the summary. */
  detail?: boolean;
  /** `--function NAME`: the text report of one function in full. */
  function?: string | undefined;
}

/**
 * The width the text report is fitted to: the terminal's when the report goes to one, else the renderer's fixed
 * default (a file, a pipe or CI logs must not depend on the window the command ran in).
 */
export function reportWidth(args: OutputArgs, io: CliIo): number | undefined {
  return args.out === undefined && io.stdout.isTTY === true && typeof io.stdout.columns === 'number' && io.stdout.columns > 0
    ? io.stdout.columns
    : undefined;
}

/** `--detail` and `--function` shape the text report only; with another format they would silently do nothing. */
function checkTextOnly(args: OutputArgs): void {
  const flag = args.function !== undefined ? '--function' : args.detail === true ? '--detail' : null;
  if (flag !== null && args.format !== 'text') {
    throw new InputError(
      `${flag} applies to the text report, not -f ${args.format}`,
      'drop it, or use -f text (the markdown and HTML reports always hold every function in full)',
    );
  }
}

/** The text report is colored only on a terminal that wants it, never in a file. */
export function wantsColor(args: OutputArgs, io: CliIo): boolean {
  return args.color ?? (args.format === 'text' && args.out === undefined && io.stdout.isTTY === true && !io.env['NO_COLOR']);
}

/**
 * Renders to stdout or `--out`, prints `notes` (unless quiet), then applies the gates: exit 1 and one stderr line per
 * gate crossed. `scan`, `report` and `diff` all end here.
 */
export async function writeReport(result: ScanResult, args: OutputArgs, io: CliIo, notes: readonly string[] = []): Promise<number> {
  const [{ render }, { evaluateGates, parseGates }] = await Promise.all([import('../report/index.js'), import('../report/gates.js')]);
  const gates = parseGates(args.failOn);
  checkTextOnly(args);
  const width = reportWidth(args, io);
  const report = render(result, args.format, {
    color: wantsColor(args, io),
    cwd: io.cwd,
    ...(args.format === 'sarif' ? { gitRootOf: (await import('../index.js')).findGitRoot } : {}),
    ...(width === undefined ? {} : { width }),
    ...(args.detail === true ? { detail: true } : {}),
    ...(args.function === undefined ? {} : { function: args.function }),
  });
  const hits = evaluateGates(result, gates);
  if (args.out !== undefined) {
    await writeFile(path.resolve(io.cwd, args.out), report);
    if (!args.quiet) io.stderr.write(`wrote ${args.out} (${args.format}, ${result.functions.length} handlers)\n`);
  } else {
    io.stdout.write(report);
  }
  if (!args.quiet) for (const note of notes) io.stderr.write(`${note}\n`);
  return gateExit(hits, io);
}

/**
 * Exit 1 with one stderr line per gate crossed, else 0. The lines are written even with `--quiet`: quiet drops the
 * notes, never the reason a run failed (a red CI step with an empty log is the worst report there is).
 */
export function gateExit(hits: readonly GateHit[], io: CliIo): number {
  if (hits.length === 0) return EXIT_OK;
  for (const hit of hits) io.stderr.write(`${hit.message}\n`);
  return EXIT_FINDINGS;
}

export async function runReportCommand(args: OutputArgs & { result: string }, io: CliIo): Promise<number> {
  const { checkGatesHaveBase, parseGates } = await import('../report/gates.js');
  const gates = parseGates(args.failOn);
  const result = await loadResult(args.result, io.cwd);
  checkGatesHaveBase(gates, result.diff !== undefined);
  return writeReport(result, args, io);
}

/** The options `report` and `diff` share with `scan`'s output: where the report goes and what fails the run. */
export function withOutputOptions<T, F extends string>(y: Argv<T>, formats: readonly F[]) {
  return y
    .option('format', { alias: 'f', choices: formats, default: 'text' as F, describe: 'Output format' })
    .option('out', { alias: 'o', type: 'string', describe: 'Write the report to FILE instead of stdout' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No notes on stderr' })
    .option('color', { type: 'boolean', describe: 'Color the text report (default: when stdout is a terminal)' })
    .option('fail-on', {
      type: 'string',
      array: true,
      nargs: 1,
      default: [] as string[],
      describe: FAIL_ON_DESCRIBE,
    });
}

export const DETAIL_DESCRIBE = 'Text report: every function with its packages, findings and cost factors (default: a summary)';
export const FUNCTION_DESCRIBE = 'Text report: one function in full, by name or id (scan: FILE=NAME still attributes a log file, with --logs)';

/** Shared with `scan`, so the three commands document their gates the same way. */
export const FAIL_ON_DESCRIBE =
  'Exit 1 when a gate is crossed (repeatable): a severity none|info|warn|error (a finding at or above it; only new ones when there is a base), or a limit on what the change adds vs the base: init-ms=<ms>, monthly-usd=<dollars>, init-pct=<percent>, cost-pct=<percent>';

/** The `report` command for main.ts; `setExit` receives the exit code. Renderers load only when it runs. */
export function reportCommand<T, F extends Format>(io: CliIo, setExit: (code: number) => void, formats: readonly F[]) {
  const builder = (y: Argv<T>) =>
    withOutputOptions(y, formats)
      .positional('result', { type: 'string', demandOption: true, describe: 'A result saved with scan -f json (or diff -f json)' })
      .option('detail', { alias: 'v', type: 'boolean', default: false, describe: DETAIL_DESCRIBE })
      .option('function', { type: 'string', describe: 'Text report: one function in full, by name or id' })
      .example('$0 report result.json -f markdown -o report.md', 'The full report of a saved result')
      .example('$0 report result.json -f pr-comment --fail-on init-ms=100', 'The PR comment of a result that carries a diff');
  type ReportArgs = ReturnType<typeof builder> extends Argv<infer A> ? A : never;
  const command: CommandModule<T, ReportArgs> = {
    command: 'report <result>',
    describe: 'Re-render a saved result in any format',
    builder,
    handler: async (args) => {
      setExit(
        await runReportCommand(
          {
            result: args.result,
            format: args.format,
            out: args.out,
            quiet: args.quiet,
            color: args.color,
            failOn: args['fail-on'],
            detail: args.detail,
            function: args.function,
          },
          io,
        ),
      );
    },
  };
  return command;
}
