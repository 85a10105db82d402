import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../errors.js';
import { isCi } from './env.js';
import type { CliIo } from './io.js';
import { metricsArgsOf, planMetrics, withScanMetricsOptions, type MetricsArgs } from './metrics-cli.js';
import { DETAIL_DESCRIBE, FAIL_ON_DESCRIBE, writeReport } from './report-cli.js';

/** The report formats `scan` and `report` write. */
export const FORMATS = ['text', 'json', 'markdown', 'html', 'sarif', 'csv', 'pr-comment'] as const;

interface ScanArgs {
  path: string;
  format: (typeof FORMATS)[number];
  out: string | undefined;
  quiet: boolean;
  color: boolean | undefined;
  /** `--detail` / `-v` and `--function NAME` (a value without `=`): the text report's full breakdown. */
  detail: boolean;
  function: string | undefined;
  disableRule: string[];
  ruleOption: string[];
  /** `--fail-on` gate specs as given (severities and diff limits; see src/report/gates.ts). */
  failOn: string[];
  metricsArgs: MetricsArgs;
  discovery: DiscoveryArgs;
  /** `--config`, `--baseline`, `--baseline-write`. */
  config: string | undefined;
  baseline: string | undefined;
  baselineWrite: string | undefined;
  cost: CostArgs;
  /** `--cache DIR` and `--workers N` (see ScanOptions). */
  cache: string | undefined;
  workers: number | undefined;
}

/** Cost model flags, checked by costOptions(). */
interface CostArgs {
  priceRegion: string | undefined;
  invocations: number | undefined;
  coldStartRate: number | undefined;
  freeTier: boolean;
  headroom: number | undefined;
  billingDate: string | undefined;
  accountGbSeconds: string | undefined;
}

/** Discovery options: which IaC to read, which files, and the stage variables resolve with. */
interface DiscoveryArgs {
  stage: string | undefined;
  iac: string[];
  include: string[];
  exclude: string[];
  gitignore: boolean;
}

/** `lambda-migrate scan [path]`: the library's scan() with the CLI's flags, then the report. */
export function scanCommand<T>(io: CliIo, setExit: (code: number) => void) {
  const builder = (y: Argv<T>) =>
    withScanMetricsOptions(y)
      .positional('path', { type: 'string', default: '.', describe: 'Directory of the Lambda service' })
      .option('format', { alias: 'f', choices: FORMATS, default: 'text' as const, describe: 'Output format' })
      .option('out', { alias: 'o', type: 'string', describe: 'Write the report to FILE instead of stdout' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress or notes on stderr' })
      .option('color', { type: 'boolean', describe: 'Color the text report (default: when stdout is a terminal)' })
      .option('detail', { alias: 'v', type: 'boolean', default: false, describe: DETAIL_DESCRIBE })
      .option('disable-rule', { type: 'string', array: true, default: [] as string[], describe: 'Turn a rule off (repeatable)' })
      .option('rule-option', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Set a rule option: <rule>.<option>=<value>, e.g. heavy-init-import.thresholdMs=50',
      })
      .option('fail-on', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: FAIL_ON_DESCRIBE })
      .option('stage', { type: 'string', describe: "Serverless stage for ${opt:stage} / ${sls:stage} (default: the config's own)" })
      .option('iac', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Read only these IaC kinds, comma-separated: serverless,sam,cloudformation,cdk,terraform,sst,architect,pulumi,fallback',
      })
      .option('include', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Only read IaC and handler files matching this glob (repeatable)',
      })
      .option('exclude', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'Do not read IaC and handler files matching this glob (repeatable)',
      })
      .option('gitignore', {
        type: 'boolean',
        default: true,
        describe: 'Honour .gitignore files in the scanned tree (--no-gitignore to read ignored files)',
      })
      .option('config', { type: 'string', describe: 'Config file (JSON or YAML; default: .lambda-migrate.json|yaml|yml in the scanned root)' })
      .option('baseline', {
        type: 'string',
        describe:
          'Show only findings that are not in this baseline file (from --baseline-write); or, given a result saved with -f json, compare with it (the diff is attached) and treat its findings as known',
      })
      .option('baseline-write', { type: 'string', describe: 'Write the current findings to this baseline file' })
      .conflicts('baseline', 'baseline-write')
      .option('price-region', {
        type: 'string',
        describe: 'Region whose Lambda prices the cost model uses (default: the measured region, else us-east-1)',
      })
      .option('invocations', { type: 'number', describe: 'Assumed invocations a month for functions without metrics (with --cold-start-rate)' })
      .option('cold-start-rate', { type: 'number', describe: 'Assumed share of invocations that are cold starts, 0..1 (with --invocations)' })
      .option('free-tier', { type: 'boolean', default: false, describe: 'Show what the monthly free tier takes off the total' })
      .option('headroom', { type: 'number', describe: 'Memory right-sizing headroom above max memory used, e.g. 0.3 for 30%' })
      .option('billing-date', {
        type: 'string',
        describe: 'Judge INIT billing as on this date, YYYY-MM-DD (default: the end of the measured window)',
      })
      .option('account-gb-seconds', {
        type: 'string',
        describe:
          'On-demand GB-seconds the rest of the account uses a month in the price region, so the compute tiers start there: N (x86_64) or x86_64=N,arm64=M',
      })
      .option('cache', {
        type: 'string',
        describe: 'Cache directory (created when missing): a re-scan parses only changed files and redoes only the handlers they reach',
      })
      .option('workers', {
        type: 'number',
        describe: 'Parse worker threads beside the main thread (default 0: parse on the main thread); pays only where the scan gets idle cores',
      })
      .example('$0 scan ./service', 'Text report on the terminal')
      .example('$0 scan ./service -f markdown -o report.md', 'Markdown report to a file')
      .example('$0 scan ./service -f json | jq .summary', 'The JSON result for scripts')
      .example('$0 scan ./service --logs ./exported-logs', 'Measured init from exported REPORT lines')
      .example('$0 scan ./service --aws --region eu-west-1', 'Measured init from CloudWatch Logs Insights');
  type ScanCommandArgs = ReturnType<typeof builder> extends Argv<infer A> ? A : never;
  const command: CommandModule<T, ScanCommandArgs> = {
    command: 'scan [path]',
    describe: 'Scan a service: handlers, init import graph, findings',
    builder,
    handler: async (args) => {
      setExit(
        await runScan(
          {
            path: args.path,
            format: args.format,
            out: args.out,
            quiet: args.quiet,
            color: args.color,
            detail: args.detail,
            function: reportedFunction(args.function),
            disableRule: args['disable-rule'],
            ruleOption: args['rule-option'],
            failOn: args['fail-on'],
            metricsArgs: metricsArgsOf({ ...args, function: args.function.filter((v) => v.includes('=')) }),
            discovery: { stage: args.stage, iac: args.iac, include: args.include, exclude: args.exclude, gitignore: args.gitignore },
            config: args.config,
            baseline: args.baseline,
            baselineWrite: args['baseline-write'],
            cost: {
              priceRegion: args['price-region'],
              invocations: args.invocations,
              coldStartRate: args['cold-start-rate'],
              freeTier: args['free-tier'],
              headroom: args.headroom,
              billingDate: args['billing-date'],
              accountGbSeconds: args['account-gb-seconds'],
            },
            cache: args.cache,
            workers: args.workers,
          },
          io,
        ),
      );
    },
  };
  return command;
}

async function runScan(args: ScanArgs, io: CliIo): Promise<number> {
  const [{ scan }, { checkGatesHaveBase, parseGates }, { attachBase, readBaseResult }] = await Promise.all([
    import('../index.js'),
    import('../report/gates.js'),
    import('./diff-cli.js'),
  ]);
  const gates = parseGates(args.failOn);
  const base = args.baseline === undefined ? null : await readBaseResult(args.baseline, io.cwd);
  checkGatesHaveBase(gates, base !== null);
  const ruleOptions = parseRuleOptions(args.ruleOption);
  const metricsPlan = await planMetrics(args.metricsArgs, io, { forSnapshot: false });
  const showProgress = !args.quiet && io.stderr.isTTY === true && !isCi(io.env);
  let lastLine = '';
  const onProgress = showProgress
    ? (e: { phase: string; done: number; total: number }): void => {
        const line = e.total > 0 ? `${e.phase} ${e.done}/${e.total}` : e.phase;
        if (line !== lastLine) io.stderr.write(`\r\x1b[2K${line}`);
        lastLine = line;
      }
    : undefined;
  let result;
  try {
    result = await scan({
      root: args.path,
      cwd: io.cwd,
      rules: { disabled: args.disableRule, options: ruleOptions },
      ...(onProgress ? { onProgress } : {}),
      ...(metricsPlan.metrics !== undefined ? { metrics: metricsPlan.metrics } : {}),
      ...(await discoveryOptions(args.discovery)),
      ...(args.config !== undefined ? { config: args.config } : {}),
      // A saved result is not a baseline file: its findings are hidden after the diff is taken (attachBase).
      ...(args.baseline !== undefined && base === null ? { baseline: args.baseline } : {}),
      cost: costOptions(args.cost),
      ...(args.cache !== undefined ? { cache: args.cache } : {}),
      ...(args.workers !== undefined ? { workers: args.workers } : {}),
    });
  } finally {
    if (showProgress) io.stderr.write('\r\x1b[2K');
  }
  if (metricsPlan.notes.length > 0) result.warnings = [...result.warnings, ...metricsPlan.notes].sort();
  if (base !== null) result = attachBase(base, result);
  if (args.baselineWrite !== undefined) {
    const { createBaseline, serializeBaseline } = await import('../config/baseline.js');
    const baseline = createBaseline(result);
    await writeFile(path.resolve(io.cwd, args.baselineWrite), serializeBaseline(baseline));
    if (!args.quiet) io.stderr.write(`wrote baseline ${args.baselineWrite} (${baseline.findings.length} findings)\n`);
  }
  const notes =
    result.skipped.length > 0 && args.format !== 'text' ? [`note: ${result.skipped.length} file(s) skipped; see "skipped" in the report`] : [];
  return writeReport(result, args, io, notes);
}

/**
 * `scan --function` says two things by its value: `FILE=NAME` attributes a log file (with --logs), a bare `NAME`
 * picks the function the text report shows in full. One function at a time.
 */
function reportedFunction(values: readonly string[]): string | undefined {
  const names = values.filter((v) => !v.includes('='));
  if (names.length > 1)
    throw new InputError(
      `--function NAME picks one function to show, got ${names.length}: ${names.join(', ')}`,
      'give one --function NAME (FILE=NAME values attribute log files and may repeat)',
    );
  return names[0];
}

/** `--account-gb-seconds 5e9` (x86_64) or `x86_64=5e9,arm64=1e9`. */
function accountGbSeconds(text: string): Partial<Record<'x86_64' | 'arm64', number>> {
  const out: Partial<Record<'x86_64' | 'arm64', number>> = {};
  for (const part of text.split(',')) {
    const m = /^(?:(x86_64|arm64)=)?([0-9.eE+]+)$/.exec(part.trim());
    const n = m === null ? NaN : Number(m[2]);
    if (m === null || !(Number.isFinite(n) && n >= 0)) {
      throw new InputError(`bad --account-gb-seconds '${text}'`, 'GB-seconds a month, e.g. 5000000000 (x86_64) or x86_64=5e9,arm64=1e9');
    }
    out[m[1] === 'arm64' ? 'arm64' : 'x86_64'] = n;
  }
  return out;
}

/** Cost flags -> scan options; an assumption needs both its halves. */
function costOptions(c: CostArgs): {
  region?: string;
  invocations?: number;
  coldStartRate?: number;
  freeTier: boolean;
  headroom?: number;
  billingDate?: string;
  accountMonthlyGbSeconds?: Partial<Record<'x86_64' | 'arm64', number>>;
} {
  if ((c.invocations === undefined) !== (c.coldStartRate === undefined)) {
    throw new InputError(
      '--invocations and --cold-start-rate go together',
      'e.g. --invocations 2000000 --cold-start-rate 0.05 (assumed usage for functions without metrics)',
    );
  }
  if (c.invocations !== undefined && !(Number.isFinite(c.invocations) && c.invocations >= 0)) {
    throw new InputError(`bad --invocations '${c.invocations}'`, 'a number of invocations a month, e.g. 2000000');
  }
  if (c.coldStartRate !== undefined && !(c.coldStartRate >= 0 && c.coldStartRate <= 1)) {
    throw new InputError(`bad --cold-start-rate '${c.coldStartRate}'`, 'a share between 0 and 1, e.g. 0.05 for 5%');
  }
  if (c.headroom !== undefined && !(c.headroom >= 0 && c.headroom <= 10)) {
    throw new InputError(`bad --headroom '${c.headroom}'`, 'a fraction above max memory used, e.g. 0.3 for 30%');
  }
  if (c.billingDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(c.billingDate)) {
    throw new InputError(`bad --billing-date '${c.billingDate}'`, 'a date as YYYY-MM-DD, e.g. 2025-07-15');
  }
  return {
    freeTier: c.freeTier,
    ...(c.priceRegion !== undefined ? { region: c.priceRegion } : {}),
    ...(c.invocations !== undefined ? { invocations: c.invocations } : {}),
    ...(c.coldStartRate !== undefined ? { coldStartRate: c.coldStartRate } : {}),
    ...(c.headroom !== undefined ? { headroom: c.headroom } : {}),
    ...(c.billingDate !== undefined ? { billingDate: c.billingDate } : {}),
    ...(c.accountGbSeconds !== undefined ? { accountMonthlyGbSeconds: accountGbSeconds(c.accountGbSeconds) } : {}),
  };
}

/**
 * `heavy-init-import.thresholdMs=50` -> `{ 'heavy-init-import': { thresholdMs: '50' } }`. Values stay text: the engine
 * reads each as the type its rule declares for the option, and says what is allowed when it is not.
 */
export function parseRuleOptions(pairs: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const pair of pairs) {
    const m = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(pair);
    if (!m) throw new InputError(`bad --rule-option '${pair}'`, 'expected <rule>.<option>=<value>, e.g. heavy-init-import.thresholdMs=50');
    const [, rule = '', key = '', raw = ''] = m;
    (out[rule] ??= {})[key] = raw;
  }
  return out;
}

/** `--iac a,b --iac c` -> checked kinds; the other discovery flags pass through. */
async function discoveryOptions(
  d: DiscoveryArgs,
): Promise<{ stage?: string; iac?: string[]; include?: string[]; exclude?: string[]; gitignore: boolean }> {
  const { IAC_KINDS } = await import('../index.js');
  const iac = d.iac
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const unknown = iac.filter((k) => !IAC_KINDS.includes(k));
  if (unknown.length > 0) throw new InputError(`unknown --iac kind '${unknown.join(', ')}'`, `use one or more of ${IAC_KINDS.join(',')}`);
  return {
    gitignore: d.gitignore,
    ...(d.stage !== undefined ? { stage: d.stage } : {}),
    ...(iac.length > 0 ? { iac } : {}),
    ...(d.include.length > 0 ? { include: d.include } : {}),
    ...(d.exclude.length > 0 ? { exclude: d.exclude } : {}),
  };
}
