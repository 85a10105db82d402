import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { packageVersion } from '../assets.js';
import { commentCommand } from './comment-cli.js';
import { diffCommand } from './diff-cli.js';
import { defaultIo, EXIT_ERROR, EXIT_OK, type CliIo } from './io.js';
import { mergeCommand } from './merge-cli.js';
import { metricsCommand } from './metrics-cli.js';
import { profileCommand } from './profile-cli.js';
import { reportCommand } from './report-cli.js';
import { rulesCommand } from './rules-cli.js';
import { scaffoldCommand } from './scaffold-cli.js';
import { FORMATS, scanCommand } from './scan-cli.js';

export type { CliIo } from './io.js';

/** Top-level help as yargs renders it at HELP_WIDTH, written next to main.js by the build. */
const PREBUILT_HELP = new URL('./help.txt', import.meta.url);
const HELP_WIDTH = 100;

export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const version = packageVersion();
  // `--help` and `--version` are answered without loading yargs, which alone takes longer than
  // Node's own start-up here; the prebuilt text is exactly what yargs prints (a test checks it).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h') && (io.stdout.columns ?? HELP_WIDTH) >= HELP_WIDTH) {
    const help = readPrebuiltHelp();
    if (help !== null) {
      io.stdout.write(help);
      return EXIT_OK;
    }
  }
  return runParser(argv, io, version);
}

function readPrebuiltHelp(): string | null {
  try {
    return readFileSync(PREBUILT_HELP, 'utf8');
  } catch {
    return null; // running from sources (tests) or a build without it: yargs renders it
  }
}

/** The top-level help as yargs renders it; the build writes it to help.txt. */
export async function renderHelp(): Promise<string> {
  let out = '';
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined }, cwd: '.', env: {} };
  await runParser(['--help'], io, packageVersion());
  return out;
}

async function runParser(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  let exitCode = EXIT_OK;
  let failure: string | null = null;
  let thrown: unknown = null;
  const { default: yargs } = await import('yargs');

  const parser = yargs([...argv])
    .scriptName('lambda-migrate')
    .usage('$0 <command> [options]\n\nFind what your Node.js Lambda handlers load at init and what it costs.')
    .version(version)
    .strict()
    .exitProcess(false)
    .wrap(Math.min(HELP_WIDTH, io.stdout.columns ?? HELP_WIDTH))
    .fail((msg, err) => {
      // yargs routes both bad arguments (msg) and errors thrown by a command (err) here. A fail handler that returns
      // lets yargs go on and run the command anyway, so `scan --bogus` would scan and write before the usage error:
      // throwing stops it before any work.
      // The rethrown error comes back here once more: the first report is the one kept.
      if (thrown === null && failure === null) {
        if (err) thrown = err;
        else failure = msg ?? 'invalid arguments';
      }
      throw err ?? new Error(msg ?? 'invalid arguments');
    })
    .command(scanCommand(io, (code) => (exitCode = code)))
    .command(reportCommand(io, (code) => (exitCode = code), FORMATS))
    .command(diffCommand(io, (code) => (exitCode = code)))
    .command(metricsCommand(io, (code) => (exitCode = code)))
    .command(rulesCommand(io))
    .command(mergeCommand(io, (code) => (exitCode = code)))
    .command(commentCommand(io, (code) => (exitCode = code)))
    .command(scaffoldCommand(io, (code) => (exitCode = code)))
    .command(profileCommand(io, (code) => (exitCode = code)))
    .demandCommand(1, 'Say what to do: lambda-migrate scan ./service')
    .help()
    .alias('h', 'help');

  try {
    const output = await new Promise<string>((resolve, reject) => {
      parser
        .parseAsync([...argv], {}, (err, _parsed, out) => {
          if (err && thrown === null && failure === null) thrown = err;
          resolve(out);
        })
        .catch(reject);
    });
    if (failure !== null) return usageError(failure, io);
    if (thrown !== null) return reportError(thrown, io, version);
    if (output) io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return exitCode;
  } catch (err) {
    if (failure !== null) return usageError(failure, io);
    return reportError(thrown ?? err, io, version);
  }
}

function usageError(message: string, io: CliIo): number {
  io.stderr.write(`lambda-migrate: ${withoutCamelTwins(message)}\nRun 'lambda-migrate --help' for usage.\n`);
  return EXIT_ERROR;
}

/**
 * yargs names an unknown `--bogus-flag` twice, as `bogus-flag, bogusFlag` (its camel-case alias): the list keeps the
 * spelling the user typed.
 */
function withoutCamelTwins(message: string): string {
  const m = /^(Unknown arguments?): (.*)$/s.exec(message);
  if (m === null) return message;
  const names = (m[2] ?? '').split(', ');
  const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const kept = names.filter((name) => !names.some((other) => other !== name && other.includes('-') && camel(other) === name));
  return `${kept.length === 1 ? 'Unknown argument' : 'Unknown arguments'}: ${kept.join(', ')}`;
}

function reportError(err: unknown, io: CliIo, version: string): number {
  if (err instanceof InputError) {
    io.stderr.write(`lambda-migrate: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
    return EXIT_ERROR;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr.write(`lambda-migrate ${version}: internal error, please report it with this output\n${stack}\n`);
  return EXIT_ERROR;
}
