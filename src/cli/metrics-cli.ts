/**
 * The metrics side of the CLI: options shared by `scan` and `metrics`, turning them into a metrics source
 * (log files, AWS, a snapshot), Ctrl-C handling for running Insights queries, and the `metrics` command.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import type { MetricsLoader, MetricsSet } from '../metrics/types.js';
import { readUntrustedJson, SMALL_LIMITS } from '../util/untrusted-json.js';
import type { CliIo } from './io.js';
import { isCi } from './env.js';

export interface MetricsArgs {
  logs: string[];
  function: string[];
  functionMap: string | undefined;
  metrics: string | undefined;
  aws: boolean;
  region: string[];
  profile: string | undefined;
  roleArn: string | undefined;
  since: string;
  until: string | undefined;
  requireAws: boolean;
  awsDeadline: number;
  quiet: boolean;
}

export const DEFAULT_SINCE = '14d';

/** An IAM role ARN in any partition (aws, aws-cn, aws-us-gov, ...), with an optional path. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function withMetricsOptions<T>(y: Argv<T>) {
  return y
    .option('logs', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'Exported log file or directory to measure (repeatable; .gz too)',
      group: 'Metrics:',
    })
    .option('function', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'FILE=NAME: lines without a log group in FILE (or under a directory) belong to NAME (repeatable)',
      group: 'Metrics:',
    })
    .option('aws', { type: 'boolean', default: false, describe: 'Measure from AWS (read-only: Lambda + Logs Insights)', group: 'Metrics:' })
    .option('region', { type: 'string', array: true, default: [] as string[], describe: 'AWS region (repeatable)', group: 'Metrics:' })
    .option('profile', { type: 'string', describe: 'AWS profile', group: 'Metrics:' })
    .option('role-arn', { type: 'string', describe: 'Assume this role for the AWS calls', group: 'Metrics:' })
    .option('since', { type: 'string', default: DEFAULT_SINCE, describe: 'Window start: ISO date/time or 14d, 36h, 90m ago', group: 'Metrics:' })
    .option('until', { type: 'string', describe: 'Window end: ISO date/time or a duration ago (default: now)', group: 'Metrics:' })
    .option('require-aws', {
      type: 'boolean',
      default: false,
      describe: 'Exit 2 when AWS cannot be used (no credentials, expired, no region)',
      group: 'Metrics:',
    })
    .option('aws-deadline', {
      type: 'number',
      default: 600,
      describe: 'Seconds the whole AWS collection may take, every request included; what runs then is stopped and flagged',
      group: 'Metrics:',
    });
}

export function withScanMetricsOptions<T>(y: Argv<T>) {
  return withMetricsOptions(y)
    .option('metrics', { type: 'string', describe: 'Reuse a snapshot written by `lambda-migrate metrics`', group: 'Metrics:' })
    .option('function-map', { type: 'string', describe: 'JSON file { "<function id or name>": "<deployed name or log group>" }', group: 'Metrics:' });
}

/** `14d`, `36h`, `90m`, `2w` ago, or an ISO date/time. */
export function parseWhen(value: string, now: Date, flag: string): Date {
  const rel = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/.exec(value.trim());
  if (rel) {
    const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    return new Date(now.getTime() - Number(rel[1]) * (units[rel[2] ?? ''] ?? 0));
  }
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || !Number.isFinite(ms)) {
    throw new InputError(`bad ${flag} '${value}'`, 'use an ISO date/time (2026-11-01, 2026-11-01T12:00Z) or a duration ago (14d, 36h, 90m)');
  }
  return new Date(ms);
}

function parseAttributions(pairs: readonly string[]): { path: string; name: string }[] {
  return pairs.map((pair) => {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new InputError(`bad --function '${pair}'`, 'expected FILE=NAME, e.g. --function logs/health.log=orders-dev-health');
    return { path: pair.slice(0, at), name: pair.slice(at + 1) };
  });
}

async function readFunctionMap(file: string | undefined, cwd: string): Promise<Record<string, string>> {
  if (file === undefined) return {};
  const hint = 'expected { "<function id or name>": "<deployed name or log group>" }';
  // Keys become fields of a plain object below: a "__proto__" key would set its prototype, so it is refused.
  const read = await readUntrustedJson(file, cwd, hint, SMALL_LIMITS);
  if (!read.ok) throw new InputError(`--function-map: cannot read ${file} as JSON`, hint);
  const data = read.value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`--function-map: ${file} is not a JSON object`, 'expected { "<function id or name>": "<deployed name or log group>" }');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string' || v === '')
      throw new InputError(`--function-map: the value of '${k}' is not a name`, 'values are deployed function names or log groups');
    out[k] = v;
  }
  return out;
}

export interface MetricsPlan {
  /** What scan() gets; undefined for a static-only run. */
  metrics: MetricsSet | MetricsLoader | undefined;
  /** Warnings to add to the result (AWS unusable, static-only). */
  notes: string[];
  /** The AWS window asked for; null for logs and snapshots. */
  window: { since: Date; until: Date } | null;
}

/** Builds the metrics source the options ask for. Throws InputError for bad combinations. */
export async function planMetrics(args: MetricsArgs, io: CliIo, opts: { forSnapshot: boolean }): Promise<MetricsPlan> {
  const chosen = [args.logs.length > 0 ? '--logs' : null, args.aws ? '--aws' : null, args.metrics !== undefined ? '--metrics' : null].filter(
    (x): x is string => x !== null,
  );
  if (chosen.length > 1) throw new InputError(`${chosen.join(' and ')} cannot be combined`, 'measure from one source per run');
  if (args.function.length > 0 && args.logs.length === 0)
    throw new InputError('--function needs --logs', 'it says which function a plain log file belongs to');
  if (opts.forSnapshot && chosen.length === 0) throw new InputError('nothing to measure', 'pass --logs DIR or --aws');
  if (args.roleArn !== undefined) {
    if (!args.aws) throw new InputError('--role-arn needs --aws', 'the role is assumed for the AWS calls only');
    if (!ROLE_ARN.test(args.roleArn)) {
      throw new InputError(`bad --role-arn '${args.roleArn}'`, 'expected an IAM role ARN, e.g. arn:aws:iam::123456789012:role/lambda-migrate-read');
    }
  }
  const functionMap = await readFunctionMap(args.functionMap, io.cwd);
  const notes: string[] = [];

  if (args.logs.length > 0) {
    const { readLogs } = await import('../metrics/read-logs.js');
    const showProgress = !args.quiet && io.stderr.isTTY === true && !isCi(io.env);
    const set = await readLogs({
      paths: args.logs,
      cwd: io.cwd,
      attributions: parseAttributions(args.function),
      functionMap,
      ...(showProgress
        ? { onFile: (file: string, done: number, total: number) => io.stderr.write(`\r\x1b[2Klogs ${done + 1}/${total} ${file}`) }
        : {}),
    });
    if (showProgress) io.stderr.write('\r\x1b[2K');
    return { metrics: set, notes, window: null };
  }
  if (args.metrics !== undefined) {
    const { loadSnapshot } = await import('../metrics/snapshot.js');
    return { metrics: await loadSnapshot(args.metrics, io.cwd, functionMap), notes, window: null };
  }
  if (!args.aws) return { metrics: undefined, notes, window: null };

  // Timers take whole milliseconds up to 2^31-1: NaN, 0, negative or a month would end in a RangeError, not a run.
  if (!Number.isFinite(args.awsDeadline) || args.awsDeadline <= 0 || args.awsDeadline > 86_400) {
    throw new InputError(
      `bad --aws-deadline '${String(args.awsDeadline)}'`,
      'seconds the AWS part may take, more than 0 and at most 86400 (default 600)',
    );
  }
  const now = new Date();
  const since = parseWhen(args.since, now, '--since');
  const until = args.until === undefined ? now : parseWhen(args.until, now, '--until');
  if (since.getTime() >= until.getTime())
    throw new InputError('--since must be before --until', `got ${since.toISOString()} .. ${until.toISOString()}`);
  const loader: MetricsLoader = async (functions) => {
    const names = opts.forSnapshot
      ? undefined
      : [
          ...new Set(
            functions.flatMap((f) => {
              const mapped = functionMap[f.id] ?? functionMap[f.name];
              return mapped !== undefined ? (mapped.startsWith('/aws/lambda/') ? [mapped.slice(12)] : [mapped]) : f.deployedNames;
            }),
          ),
        ];
    const { collectFromAws } = await import('../metrics/aws.js');
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    const showProgress = !args.quiet && io.stderr.isTTY === true && !isCi(io.env);
    try {
      const collected = await collectFromAws({
        regions: args.region,
        ...(args.profile !== undefined ? { profile: args.profile } : {}),
        ...(args.roleArn !== undefined ? { roleArn: args.roleArn } : {}),
        since,
        until,
        env: io.env,
        ...(names !== undefined ? { functionNames: names } : {}),
        signal: controller.signal,
        deadlineMs: Math.round(args.awsDeadline * 1000),
        ...(showProgress
          ? {
              onProgress: (e: { phase: string; done: number; total: number }) =>
                io.stderr.write(`\r\x1b[2Kaws ${e.phase} ${e.done}${e.total > 0 ? `/${e.total}` : ''}`),
            }
          : {}),
      });
      if (showProgress) io.stderr.write('\r\x1b[2K');
      if (controller.signal.aborted) {
        throw new InputError(
          `interrupted: ${collected.stats.stopped} Insights quer${collected.stats.stopped === 1 ? 'y' : 'ies'} stopped`,
          'no report was written',
        );
      }
      if (collected.problem !== null) {
        if (args.requireAws) throw new InputError(`AWS cannot be used: ${collected.problem.message}`, 'drop --require-aws for a static-only report');
        notes.push(`AWS metrics not read: ${collected.problem.message}. This is a static-only report.`);
        if (!args.quiet) io.stderr.write(`note: AWS metrics not read: ${collected.problem.message}; static-only report\n`);
        return null;
      }
      return collected.set === null ? null : { ...collected.set, functionMap };
    } finally {
      process.off('SIGINT', onSigint);
    }
  };
  return { metrics: loader, notes, window: { since, until } };
}

/** `lambda-migrate metrics`: measure and write the snapshot; no code is read. */
export async function runMetricsCommand(args: MetricsArgs & { out: string | undefined }, io: CliIo): Promise<number> {
  const plan = await planMetrics(args, io, { forSnapshot: true });
  const source = plan.metrics;
  const set = typeof source === 'function' ? await source([]) : (source ?? null);
  if (set === null) {
    io.stderr.write(`lambda-migrate: nothing measured${plan.notes.length > 0 ? `: ${plan.notes.join(' ')}` : ''}\n`);
    return 2;
  }
  const { renderSnapshot, toSnapshot } = await import('../metrics/snapshot.js');
  const snapshot = toSnapshot(set, {
    since: plan.window?.since.toISOString() ?? null,
    until: plan.window?.until.toISOString() ?? null,
    regions: args.aws ? [...new Set(set.entries.map((e) => e.figures.region).filter((r): r is string => r !== null))].sort() : [],
    logs: args.logs,
  });
  const text = renderSnapshot(snapshot);
  if (args.out !== undefined) {
    await writeFile(path.resolve(io.cwd, args.out), text);
    if (!args.quiet) io.stderr.write(`wrote ${args.out} (${snapshot.entries.length} measured, ${set.measuredBy})\n`);
  } else {
    io.stdout.write(text);
  }
  if (!args.quiet) for (const w of set.warnings) io.stderr.write(`warning: ${w}\n`);
  return 0;
}

/** yargs' parsed metrics flags -> MetricsArgs (scan and metrics share them). */
export function metricsArgsOf(args: {
  logs: string[];
  function: string[];
  'function-map': string | undefined;
  metrics: string | undefined;
  aws: boolean;
  region: string[];
  profile: string | undefined;
  'role-arn': string | undefined;
  since: string;
  until: string | undefined;
  'require-aws': boolean;
  'aws-deadline': number;
  quiet: boolean;
}): MetricsArgs {
  return {
    logs: args.logs,
    function: args.function,
    functionMap: args['function-map'],
    metrics: args.metrics,
    aws: args.aws,
    region: args.region,
    profile: args.profile,
    roleArn: args['role-arn'],
    since: args.since,
    until: args.until,
    requireAws: args['require-aws'],
    awsDeadline: args['aws-deadline'],
    quiet: args.quiet,
  };
}

/** `lambda-migrate metrics`: a measured-init snapshot for `scan --metrics`. */
export function metricsCommand<T>(io: CliIo, setExit: (code: number) => void) {
  const builder = (y: Argv<T>) =>
    withMetricsOptions(y)
      .option('out', { alias: 'o', type: 'string', describe: 'Write the snapshot to FILE instead of stdout' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress or notes on stderr' })
      .example('$0 metrics --logs ./exported-logs -o metrics.json', 'Snapshot from exported logs')
      .example('$0 metrics --aws --region eu-west-1 -o metrics.json', 'Snapshot from CloudWatch Logs Insights');
  type MetricsCommandArgs = ReturnType<typeof builder> extends Argv<infer A> ? A : never;
  const command: CommandModule<T, MetricsCommandArgs> = {
    command: 'metrics',
    describe: 'Measure init from logs or AWS and write a JSON snapshot for scan --metrics',
    builder,
    handler: async (args) => {
      setExit(await runMetricsCommand({ ...metricsArgsOf({ ...args, metrics: undefined, 'function-map': undefined }), out: args.out }, io));
    },
  };
  return command;
}
