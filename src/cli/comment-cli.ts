/**
 * `lambda-migrate comment --github (RESULT.json | --body FILE)`: one comment per pull request, updated in place.
 *
 * Where it posts: `--repo` or `$GITHUB_REPOSITORY`, `--pr` or the `pull_request.number` of `$GITHUB_EVENT_PATH`, the
 * API at `$GITHUB_API_URL` (default https://api.github.com), with `$GITHUB_TOKEN`, which is never printed.
 * When GitHub refuses the write (403: a fork's read-only token; 422: a body it will not take), keeps rate-limiting it
 * after the documented retries, or answers with something not of the documented shape, the report goes to the job
 * summary (`$GITHUB_STEP_SUMMARY`) instead, with a warning, and the exit code is the findings' as for a success: a
 * comment that cannot be posted does not make the result untrustworthy. Any other failure (401, 404, no answer)
 * exits 2.
 */
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import type { ScanResult } from '../model/result.js';
import type { Gate } from '../report/gates.js';
import { EXIT_ERROR, EXIT_OK, type CliIo } from './io.js';
import { FAIL_ON_DESCRIBE, gateExit } from './report-cli.js';
import { readUntrustedJson, SMALL_LIMITS } from '../util/untrusted-json.js';

/** 65,536 characters of at most 4 bytes each: anything bigger cannot be a body GitHub takes. */
const MAX_BODY_BYTES = 4 * 65_536;

function commentBuilder<T>(y: Argv<T>) {
  return y
    .positional('result', { type: 'string', describe: 'Saved result (scan -f json) to render as the comment' })
    .option('github', { type: 'boolean', default: false, describe: 'Post to the GitHub pull request (the only target so far)' })
    .option('body', { type: 'string', describe: 'Post this prepared Markdown file instead of rendering a result' })
    .option('repo', { type: 'string', describe: 'owner/name (default: $GITHUB_REPOSITORY)' })
    .option('pr', { type: 'number', describe: 'Pull request number (default: pull_request.number in $GITHUB_EVENT_PATH)' })
    .option('author', {
      type: 'string',
      describe: "Login whose comment is ours (default: the token's user via GET /user; github-actions[bot] when that is refused)",
    })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Say what would be posted where; write nothing' })
    .option('fail-on', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: FAIL_ON_DESCRIBE })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No notes on stderr (warnings still)' })
    .example('$0 comment --github result.json', 'In a workflow: create or update the PR comment')
    .example('$0 comment --github --body report.md --repo acme/orders --pr 42 --dry-run', 'Show what would be posted');
}

type CommentArgs = ReturnType<typeof commentBuilder> extends Argv<infer A> ? A : never;

export interface CommentOptions {
  result: string | undefined;
  github: boolean;
  body: string | undefined;
  repo: string | undefined;
  pr: number | undefined;
  author: string | undefined;
  dryRun: boolean;
  /** Gates as `scan`, `report` and `diff` take them (src/report/gates.ts); checked before any request. */
  failOn: readonly string[];
  quiet: boolean;
}

/** The `comment` command for main.ts; `setExit` receives the exit code. The GitHub client loads only when it runs. */
export function commentCommand<T>(io: CliIo, setExit: (code: number) => void): CommandModule<T, CommentArgs> {
  return {
    command: 'comment [result]',
    describe: 'Create or update the pull request comment (GitHub)',
    builder: (y: Argv<T>) => commentBuilder(y),
    handler: async (args) => {
      setExit(
        await runComment(
          {
            result: args.result,
            github: args.github,
            body: args.body,
            repo: args.repo,
            pr: args.pr,
            author: args.author,
            dryRun: args['dry-run'],
            failOn: args['fail-on'],
            quiet: args.quiet,
          },
          io,
        ),
      );
    },
  };
}

export async function runComment(args: CommentOptions, io: CliIo): Promise<number> {
  if (!args.github) throw new InputError('say where to comment: --github', 'lambda-migrate comment --github result.json');
  if ((args.result === undefined) === (args.body === undefined)) {
    throw new InputError('give a result file or --body FILE (one of them)', 'lambda-migrate comment --github result.json');
  }
  const [github, { checkGatesHaveBase, parseGates }] = await Promise.all([import('../github/pr-comment.js'), import('../report/gates.js')]);
  const gates = parseGates(args.failOn);
  if (gates.length > 0 && args.body !== undefined) {
    throw new InputError(
      '--fail-on needs a result file: a prepared --body carries no findings',
      'lambda-migrate comment --github result.json --fail-on warn',
    );
  }
  const { result, body } = await commentBody(args, io);
  if (result !== null) checkGatesHaveBase(gates, result.diff !== undefined);
  const chars = [...body].length;
  if (chars > github.MAX_COMMENT_CHARS) {
    throw new InputError(
      `${args.body ?? 'the comment'} is ${chars} characters; GitHub takes at most ${github.MAX_COMMENT_CHARS}`,
      'render it with the pr-comment format, which cuts at a section boundary and links the full report',
    );
  }
  const target = { ...repoOf(args, io), pr: await prOf(args, io) };
  const where = `${target.owner}/${target.repo}#${target.pr}`;
  const token = io.env.GITHUB_TOKEN ?? '';
  const apiUrl = io.env.GITHUB_API_URL || github.DEFAULT_API_URL;
  if (!/^https?:\/\/[^/]/i.test(apiUrl) || !URL.canParse(apiUrl)) {
    throw new InputError(`bad $GITHUB_API_URL '${apiUrl}'`, 'an http(s) URL such as https://api.github.com or https://ghe.example.com/api/v3');
  }

  if (token === '') {
    if (!args.dryRun)
      throw new InputError(
        'no GitHub token: set GITHUB_TOKEN',
        'in a workflow: env: { GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} } with permissions: pull-requests: write',
      );
    io.stdout.write(`would create or update the lambda-migrate comment on ${where} (no GITHUB_TOKEN: GitHub not asked)\n\n${body}`);
    return exitByGates(result, gates, args, io);
  }

  try {
    const outcome = await github.upsertPrComment({
      apiUrl,
      token,
      target,
      body,
      dryRun: args.dryRun,
      ...(args.author !== undefined ? { author: args.author } : {}),
    });
    const whose =
      outcome.authorSource === 'actions-fallback'
        ? `${outcome.author} (GET /user is not allowed for this token; --author sets another login)`
        : outcome.author;
    const older =
      outcome.olderOurs.length > 0 ? `; ${outcome.olderOurs.length} older comment(s) of ours left as they are: ${outcome.olderOurs.join(', ')}` : '';
    const raced =
      (outcome.adopted ? '; another run had just created it (adopted)' : '') +
      (outcome.removedDuplicates.length > 0 ? `; duplicate(s) from a concurrent run removed: ${outcome.removedDuplicates.join(', ')}` : '');
    const read = `${outcome.commentsRead} comment(s) read in ${outcome.pages} page(s)`;
    if (outcome.action === 'would-create' || outcome.action === 'would-update') {
      const what =
        outcome.action === 'would-update' ? `would update comment ${outcome.commentId ?? ''} (${outcome.url ?? ''})` : 'would create a comment';
      io.stdout.write(`${what} on ${where} as ${whose}; ${read}${older}\n\n${body}`);
    } else if (!args.quiet) {
      io.stderr.write(`${outcome.action} comment ${outcome.url ?? outcome.commentId ?? ''} on ${where} as ${whose}; ${read}${older}${raced}\n`);
    }
  } catch (err) {
    if (!(err instanceof github.GitHubApiError)) throw err;
    if (!err.fallsBack) {
      io.stderr.write(`lambda-migrate: GitHub: ${github.redact(err.message, token)}\n${hintFor(err.status)}`);
      return EXIT_ERROR;
    }
    const why =
      err.kind === 'rate-limited'
        ? 'GitHub rate-limited the comment'
        : err.kind === 'malformed'
          ? 'GitHub answered oddly'
          : 'GitHub refused the comment';
    io.stderr.write(`warning: ${why}: ${github.redact(err.message, token)}\n`);
    if (err.refused && err.status === 403) {
      io.stderr.write(
        'warning: a pull request from a fork gets a read-only token: comment from a second job with pull-requests: write (docs/github-actions.md)\n',
      );
    }
    await toStepSummary(body, io);
  }
  return exitByGates(result, gates, args, io);
}

function hintFor(status: number | null): string {
  if (status === 401) return 'hint: GITHUB_TOKEN is not valid (expired or revoked)\n';
  if (status === 404) return 'hint: check --repo / $GITHUB_REPOSITORY and --pr, and that the token can see the repository\n';
  if (status === null) return 'hint: check $GITHUB_API_URL and the network\n';
  return '';
}

async function toStepSummary(body: string, io: CliIo): Promise<void> {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === '') {
    io.stderr.write('warning: $GITHUB_STEP_SUMMARY is not set: the report was not written anywhere else\n');
    return;
  }
  try {
    await appendFile(path.resolve(io.cwd, file), body.endsWith('\n') ? body : `${body}\n`);
    io.stderr.write('warning: the report is in the job summary instead\n');
  } catch (err) {
    io.stderr.write(`warning: cannot write the job summary: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

/** The comment body: a rendered result, or a prepared file with the marker put first when it lacks it. */
async function commentBody(args: CommentOptions, io: CliIo): Promise<{ result: ScanResult | null; body: string }> {
  const { PR_COMMENT_MARKER } = await import('../report/marker.js');
  if (args.body !== undefined) {
    let text: string;
    try {
      // GitHub takes 65,536 characters (at most 256 KB of UTF-8): a file far past that is not read whole to say so.
      const info = await stat(path.resolve(io.cwd, args.body));
      if (!info.isFile())
        throw new InputError(`--body: ${args.body} is not a file`, 'a Markdown file, e.g. from lambda-migrate report result.json -f pr-comment');
      const size = info.size;
      if (size > MAX_BODY_BYTES)
        throw new InputError(
          `--body: ${args.body} is ${Math.round(size / 1024)} KB; GitHub takes at most 65536 characters`,
          'render it with the pr-comment format, which cuts at a section boundary and links the full report',
        );
      text = await readFile(path.resolve(io.cwd, args.body), 'utf8');
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`--body: cannot read ${args.body}`, 'a Markdown file, e.g. from lambda-migrate report result.json -f pr-comment');
    }
    return { result: null, body: text.includes(PR_COMMENT_MARKER) ? text : `${PR_COMMENT_MARKER}\n${text}` };
  }
  const [{ loadResult }, { render, isFormat }] = await Promise.all([import('./report-cli.js'), import('../report/index.js')]);
  const result = await loadResult(args.result ?? '', io.cwd);
  const format: string = 'pr-comment';
  if (!isFormat(format)) throw new InputError('this build cannot render the pr-comment format', 'pass a prepared body: --body FILE');
  return { result, body: render(result, format) };
}

function repoOf(args: CommentOptions, io: CliIo): { owner: string; repo: string } {
  const value = args.repo ?? io.env.GITHUB_REPOSITORY;
  if (value === undefined || value === '')
    throw new InputError('which repository? pass --repo owner/name', 'in GitHub Actions $GITHUB_REPOSITORY is set');
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(value);
  if (m === null || m[1] === undefined || m[2] === undefined)
    throw new InputError(`bad repository '${value}'`, 'expected owner/name, e.g. acme/orders-service');
  return { owner: m[1], repo: m[2] };
}

async function prOf(args: CommentOptions, io: CliIo): Promise<number> {
  if (args.pr !== undefined) {
    if (!Number.isInteger(args.pr) || args.pr < 1) throw new InputError(`bad --pr '${args.pr}'`, 'a pull request number, e.g. --pr 42');
    return args.pr;
  }
  const eventPath = io.env.GITHUB_EVENT_PATH;
  if (eventPath === undefined || eventPath === '')
    throw new InputError('which pull request? pass --pr N', 'in a pull_request workflow it is read from $GITHUB_EVENT_PATH');
  const read = await readUntrustedJson(eventPath, io.cwd, 'pass --pr N', SMALL_LIMITS);
  if (!read.ok) throw new InputError(`cannot read the event payload $GITHUB_EVENT_PATH (${eventPath})`, 'pass --pr N');
  const event = read.value;
  const pullRequest: unknown = typeof event === 'object' && event !== null ? Reflect.get(event, 'pull_request') : undefined;
  const number: unknown = typeof pullRequest === 'object' && pullRequest !== null ? Reflect.get(pullRequest, 'number') : undefined;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new InputError('the workflow event has no pull_request.number', 'run on pull_request (or workflow_run with --pr N), or pass --pr N');
  }
  return number;
}

/** The comment's exit code is the result's under the same gates `scan` / `diff` apply (1 when one is crossed). */
async function exitByGates(result: ScanResult | null, gates: readonly Gate[], args: CommentOptions, io: CliIo): Promise<number> {
  if (result === null || gates.length === 0) return EXIT_OK;
  const { evaluateGates } = await import('../report/gates.js');
  return gateExit(evaluateGates(result, gates), io);
}
