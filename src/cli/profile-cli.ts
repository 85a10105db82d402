/**
 * `lambda-migrate profile [path]`: opt-in measured init. Unlike `scan`, it EXECUTES the service's handler modules
 * (their top-level code), each in a sandboxed child process, and says so before it starts.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import type { CliIo } from './io.js';
import { isCi } from './env.js';
import { DETAIL_DESCRIBE } from './report-cli.js';

const PROFILE_FORMATS = ['text', 'json', 'markdown'] as const;
const DEFAULT_TIMEOUT_MS = 10_000;

function profileBuilder<T>(y: Argv<T>) {
  return y
    .positional('path', { type: 'string', default: '.', describe: 'Directory of the Lambda service' })
    .option('format', { alias: 'f', choices: PROFILE_FORMATS, default: 'text' as const, describe: 'Output format' })
    .option('out', { alias: 'o', type: 'string', describe: 'Write the report to FILE instead of stdout' })
    .option('timeout', { type: 'number', default: DEFAULT_TIMEOUT_MS, describe: 'Time limit per handler load, in ms' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr (the notice that code runs is always printed)' })
    .option('detail', { alias: 'v', type: 'boolean', default: false, describe: DETAIL_DESCRIBE })
    .option('function', { type: 'string', describe: 'Text report: one function in full, by name or id' })
    .example('$0 profile ./service', 'Measured init beside the estimate, per handler')
    .example('$0 profile ./service -f json -o profile.json', 'The scan result with a profile per function');
}

type ProfileArgs = ReturnType<typeof profileBuilder> extends Argv<infer A> ? A : never;

export function profileCommand<T>(io: CliIo, setExit: (code: number) => void): CommandModule<T, ProfileArgs> {
  return {
    command: 'profile [path]',
    describe: 'Load each handler in a sandboxed child process and measure its init (runs the service code)',
    builder: (y: Argv<T>) => profileBuilder(y),
    handler: async (args) => {
      setExit(
        await runProfile(
          {
            path: args.path,
            format: args.format,
            out: args.out,
            timeoutMs: args.timeout,
            quiet: args.quiet,
            detail: args.detail,
            function: args.function,
          },
          io,
        ),
      );
    },
  };
}

export async function runProfile(
  args: {
    path: string;
    format: (typeof PROFILE_FORMATS)[number];
    out: string | undefined;
    timeoutMs: number;
    quiet: boolean;
    detail?: boolean;
    function?: string | undefined;
  },
  io: CliIo,
): Promise<number> {
  if (!(Number.isFinite(args.timeoutMs) && args.timeoutMs >= 100 && args.timeoutMs <= 600_000)) {
    throw new InputError(`bad --timeout '${args.timeoutMs}'`, 'a time limit per handler in ms, between 100 and 600000 (default 10000)');
  }
  const [{ scan }, { profileResult, sandboxLabel }, { writeReport }] = await Promise.all([
    import('../index.js'),
    import('../profile/profile.js'),
    import('./report-cli.js'),
  ]);
  const rootAbs = path.resolve(io.cwd, args.path);
  const result = await scan({ root: args.path, cwd: io.cwd });
  const runnable = result.functions.filter((f) => f.handler.file !== null).length;
  io.stderr.write(
    `lambda-migrate profile EXECUTES the top-level code of ${runnable} handler module(s) under ${args.path}, one child process each: ` +
      `${sandboxLabel(args.timeoutMs)}. Use scan for a static analysis that runs nothing.\n`,
  );
  const showProgress = !args.quiet && io.stderr.isTTY === true && !isCi(io.env);
  const profiled = await profileResult(result, {
    rootAbs,
    timeoutMs: args.timeoutMs,
    ...(showProgress
      ? { onProgress: (done: number, total: number, name: string) => void io.stderr.write(`\r\x1b[2Kprofile ${done}/${total} ${name}`) }
      : {}),
  });
  if (showProgress) io.stderr.write('\r\x1b[2K');
  const failed = profiled.functions.filter((f) => f.profile !== undefined && f.profile.status !== 'ok' && f.profile.status !== 'skipped').length;
  const notes = failed > 0 ? [`note: ${failed} handler(s) failed to load in the sandbox; see their profile lines`] : [];
  return writeReport(
    profiled,
    { format: args.format, out: args.out, quiet: args.quiet, color: undefined, failOn: [], detail: args.detail ?? false, function: args.function },
    io,
    notes,
  );
}
