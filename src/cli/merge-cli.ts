/**
 * `lambda-migrate merge a.json b.json ...`: many services' saved results as one review (the quarterly review across
 * repositories), in any report format.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { packageVersion } from '../assets.js';
import { EXIT_OK, type CliIo } from './io.js';

/** Every format the reporters may offer; checked against what this build renders when the command runs. */
const MERGE_FORMATS = ['text', 'markdown', 'json', 'html', 'csv'] as const;

function mergeBuilder<T>(y: Argv<T>) {
  return y
    .positional('files', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'Saved results (scan -f json); NAME=FILE names the service, else the scanned root or file name does',
    })
    .option('format', { alias: 'f', choices: MERGE_FORMATS, default: 'text' as const, describe: 'Output format' })
    .option('out', { alias: 'o', type: 'string', describe: 'Write the report to FILE instead of stdout' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No notes on stderr' })
    .example('$0 merge orders.json reports.json -f html -o review.html', 'One review across two services')
    .example('$0 merge orders=results/a.json billing=results/b.json -f csv', 'Name the services explicitly');
}

type MergeArgs = ReturnType<typeof mergeBuilder> extends Argv<infer A> ? A : never;

/** The `merge` command for main.ts; `setExit` receives the exit code. Heavy modules load only when it runs. */
export function mergeCommand<T>(io: CliIo, setExit: (code: number) => void): CommandModule<T, MergeArgs> {
  return {
    command: 'merge <files..>',
    describe: 'Merge saved results of many services into one review',
    builder: (y: Argv<T>) => mergeBuilder(y),
    handler: async (args) => {
      setExit(await runMerge({ files: args.files, format: args.format, out: args.out, quiet: args.quiet }, io));
    },
  };
}

export async function runMerge(
  args: { files: readonly string[]; format: (typeof MERGE_FORMATS)[number]; out: string | undefined; quiet: boolean },
  io: CliIo,
): Promise<number> {
  const [{ mergeResults }, { render, isFormat }, { loadResult }] = await Promise.all([
    import('../report/merge.js'),
    import('../report/index.js'),
    import('./report-cli.js'),
  ]);
  const format: string = args.format;
  if (!isFormat(format)) throw new InputError(`format '${format}' is not available in this build`, 'use text, markdown or json');
  const inputs = [];
  for (const arg of args.files) {
    const named = /^([^=/\\]+)=(.+)$/.exec(arg);
    const file = named?.[2] ?? arg;
    inputs.push({ file, name: named?.[1] ?? null, result: await loadResult(file, io.cwd) });
  }
  const merged = mergeResults(inputs, packageVersion());
  const report = render(merged, format);
  if (args.out !== undefined) {
    await writeFile(path.resolve(io.cwd, args.out), report);
    if (!args.quiet) io.stderr.write(`wrote ${args.out} (${format}, ${inputs.length} services, ${merged.functions.length} handlers)\n`);
  } else {
    io.stdout.write(report);
  }
  return EXIT_OK;
}
