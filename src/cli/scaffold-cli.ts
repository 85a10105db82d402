/**
 * `lambda-migrate scaffold <function> [path] --out DIR [--force]`: the skeleton of a Rust port (axum + lambda_http,
 * or lambda_runtime for event handlers) of one function of a scanned service.
 */
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXIT_OK, type CliIo } from './io.js';

function scaffoldBuilder<T>(y: Argv<T>) {
  return y
    .positional('function', { type: 'string', demandOption: true, describe: 'Function id (serverless.yml#ordersApi) or name (ordersApi)' })
    .positional('path', { type: 'string', default: '.', describe: 'Directory of the Lambda service' })
    .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Directory to write the Rust crate to' })
    .option('force', { type: 'boolean', default: false, describe: 'Write into a non-empty --out directory (overwrites the scaffold files)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No summary on stderr' })
    .example('$0 scaffold ordersApi ./service --out ./rust/orders-api', 'Rust port skeleton of one function');
}

type ScaffoldArgs = ReturnType<typeof scaffoldBuilder> extends Argv<infer A> ? A : never;

/** The `scaffold` command for main.ts; `setExit` receives the exit code. The scan and the templates load only when it runs. */
export function scaffoldCommand<T>(io: CliIo, setExit: (code: number) => void): CommandModule<T, ScaffoldArgs> {
  return {
    command: 'scaffold <function> [path]',
    describe: 'Write the skeleton of a Rust port of one function (axum + lambda_http, or lambda_runtime)',
    builder: (y: Argv<T>) => scaffoldBuilder(y),
    handler: async (args) => {
      setExit(await runScaffold({ function: args.function, path: args.path, out: args.out, force: args.force, quiet: args.quiet }, io));
    },
  };
}

/**
 * Scans the service, writes the skeleton under --out, and lists the files written on stdout (one per line,
 * relative to --out). User errors (unknown function, non-empty --out) are InputErrors: main prints them, exit 2.
 */
export async function runScaffold(args: { function: string; path: string; out: string; force: boolean; quiet: boolean }, io: CliIo): Promise<number> {
  const { prepareScaffold, scaffoldFiles, writeScaffold } = await import('../index.js');
  const input = await prepareScaffold({ root: args.path, cwd: io.cwd, function: args.function });
  const files = scaffoldFiles(input);
  const written = await writeScaffold(path.resolve(io.cwd, args.out), files, args.force);
  for (const rel of written) io.stdout.write(`${rel}\n`);
  if (!args.quiet) {
    io.stderr.write(`wrote ${written.length} files to ${args.out}: the Rust port of ${input.fn.name} (${input.fn.id}); see its README.md\n`);
  }
  return EXIT_OK;
}
