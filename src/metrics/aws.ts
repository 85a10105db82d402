/**
 * Live metrics, read-only: Lambda `ListFunctions` (+ `GetFunctionConfiguration` when the list lacks the logging
 * configuration) for what is deployed, and CloudWatch Logs Insights for REPORT statistics computed server-side.
 * The SDK is loaded here lazily, so a static-only scan never pays for it.
 *
 * With a role (`--role-arn`), STS AssumeRole is called once, before anything else, and its session is shared by every
 * client of every region.
 *
 * Secrets: Lambda returns `Environment.Variables` from both calls. `pickConfig` copies allow-listed fields one by one
 * at the boundary; nothing else of a response object is kept, logged or returned. The role's secret key and session
 * token live only inside the credential provider; messages carry error names, never AWS's error text.
 *
 * Time: every request has a timeout (`requestTimeoutMs`, through the SDK's request handler) and carries the run's
 * abort signal, which fires at the deadline (`deadlineMs`) as well as on Ctrl-C: an endpoint that accepts the
 * connection and never answers cannot hold the run past the deadline. What the deadline cut off is said (a static-only
 * problem when nothing was read, warnings naming the regions and queries otherwise).
 *
 * Trust: a response is data from another party. Its fields are read through `Reflect.get` and checked one by one
 * (`Functions` must be an array, a name a non-empty string, a size a finite number...); an answer of the wrong shape
 * is a clear note, never a TypeError.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import pLimit from 'p-limit';
import type { Architecture, DeployedConfig } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { isGeneratedName } from './match.js';
import { isLogGroupName } from './report-record.js';
import { figuresFromRow, MAX_GROUPS_PER_QUERY, REPORT_STATS_QUERY, rowLogGroup, type InsightsRow } from './insights-query.js';
import type { MeasuredEntry, MeasuredFigures, MetricsSet } from './types.js';

export interface AwsOptions {
  /** Regions to read; empty: the region of the environment or profile. */
  regions: readonly string[];
  profile?: string;
  /** Assume this role (with the resolved credentials) once, before any other call; STS is reached at `AWS_ENDPOINT_URL_STS`. */
  roleArn?: string;
  since: Date;
  until: Date;
  /** The environment as the CLI sees it: credentials, region and `AWS_ENDPOINT_URL*` are read from it. */
  env: Readonly<Record<string, string | undefined>>;
  /** Explicit credentials (tests, embedding); otherwise the environment, then the SDK's default chain. */
  credentials?: AwsCredentialIdentity;
  /** Only these deployed names (discovery's candidates); all functions of the region when absent. */
  functionNames?: readonly string[];
  signal?: AbortSignal;
  /** Overall deadline for all queries; queries still running then are stopped and flagged. Default 10 min. */
  deadlineMs?: number;
  /** Insights queries in flight at once; well under the account's 30 concurrent queries. Default 5. */
  concurrency?: number;
  pollIntervalMs?: number;
  /** How long the credential chain may take to find something (instance metadata probes are slow). Default 3 s. */
  credentialProbeMs?: number;
  /** Per HTTP request: how long connecting, and then the whole request, may take. Default 5 s and 30 s. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  onProgress?: (event: { phase: 'list' | 'query'; done: number; total: number }) => void;
}

/** `role`: `--role-arn` could not be assumed with the credentials found; `deadline`: the deadline passed before anything was read. */
export type AwsProblemKind = 'no_credentials' | 'auth' | 'no_region' | 'role' | 'unusable' | 'deadline';

export interface AwsProblem {
  kind: AwsProblemKind;
  message: string;
}

export interface AwsCollection {
  /** Null when AWS could not be used at all (see `problem`). */
  set: MetricsSet | null;
  problem: AwsProblem | null;
  stats: { regions: number; functions: number; queries: number; stopped: number };
}

const DEFAULT_DEADLINE_MS = 10 * 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_CONCURRENCY = 20;
const AUTH_ERRORS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'AuthFailure',
  'TokenRefreshRequired',
]);
const DENIED_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException']);

/** An error that ends the AWS part at once: retrying bad credentials only multiplies the failures. */
class AwsAuthError extends Error {}

/** AWS answered in a way that cannot be trusted (a page marker that loops, a field of the wrong type). */
class AwsProtocolError extends Error {}

/**
 * Errors a `send` threw: whatever the SDK or the network raised (a ServiceException, ECONNRESET, a TimeoutError, an
 * AbortError, a SyntaxError or TypeError from deserializing a malformed answer) is about AWS, not a bug of this tool.
 */
const fromSend = new WeakSet<object>();

/** Errors from AWS or the network, as opposed to bugs: these make AWS unusable for this run, not the tool. */
function isAwsOrNetworkError(err: unknown): boolean {
  if (err instanceof AwsProtocolError) return true;
  if (typeof err !== 'object' || err === null) return false;
  if (fromSend.has(err)) return true;
  const code = Reflect.get(err, 'code');
  return Reflect.get(err, '$metadata') !== undefined || (typeof code === 'string' && /^E[A-Z]+$/.test(code));
}

/** The error's name, and its network code (ECONNREFUSED) when it has one. */
function errorCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined;
  return `${errorName(err)}${typeof code === 'string' ? ` ${code}` : ''}`;
}

export function errorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'Error';
  const name = Reflect.get(err, 'name');
  const code = Reflect.get(err, 'Code') ?? Reflect.get(err, '__type');
  return typeof name === 'string' && name !== 'Error' ? name : typeof code === 'string' ? code : 'Error';
}

/** A Lambda function name as ListFunctions returns it (not an ARN): what AWS itself accepts. */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,140}$/;
/** Lambda runtime identifiers (nodejs22.x, provided.al2023, python3.13): anything else is not one. */
const RUNTIME = /^[a-z][a-z0-9.]{1,40}$/;

/** `obj[key]` of an untrusted value: undefined unless `obj` is an object. */
function get(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? Reflect.get(obj, key) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite, non-negative number (sizes, memory), else null. */
function size(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Copies the allow-listed configuration fields, one by one, each checked for its type: the input is a response
 * (untrusted). Never spread a Lambda response. `name` is '' when the entry has no valid function name.
 */
export function pickConfig(f: FunctionConfiguration | unknown): { name: string; logGroup: string | null; config: DeployedConfig } {
  const architectures = get(f, 'Architectures');
  const arch: unknown = Array.isArray(architectures) ? architectures[0] : undefined;
  const architecture: Architecture | null = arch === 'arm64' || arch === 'x86_64' ? arch : null;
  const pkg = get(f, 'PackageType');
  const packageType = pkg === 'Zip' || pkg === 'Image' ? pkg : null;
  const logging = get(f, 'LoggingConfig');
  const format = get(logging, 'LogFormat');
  const logFormat = format === 'JSON' || format === 'Text' ? format : null;
  const name = str(get(f, 'FunctionName')) ?? '';
  const logGroup = str(get(logging, 'LogGroup'));
  const runtime = str(get(f, 'Runtime'));
  const ephemeral = size(get(get(f, 'EphemeralStorage'), 'Size'));
  return {
    name: FUNCTION_NAME.test(name) ? name : '',
    logGroup: logGroup !== undefined && isLogGroupName(logGroup) ? logGroup : null,
    config: {
      runtime: runtime !== undefined && RUNTIME.test(runtime) ? runtime : null,
      architecture,
      memoryMB: size(get(f, 'MemorySize')),
      packageType,
      codeSizeBytes: size(get(f, 'CodeSize')),
      logFormat,
      ...(ephemeral !== null ? { ephemeralStorageMB: ephemeral } : {}),
    },
  };
}

interface Deployed {
  name: string;
  region: string;
  logGroup: string;
  config: DeployedConfig;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function credentialsFor(options: AwsOptions): Promise<AwsCredentialIdentity | AwsCredentialIdentityProvider | AwsProblem> {
  const env = options.env;
  if (options.credentials) return options.credentials;
  if (options.profile === undefined && env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) {
    return {
      accessKeyId: env['AWS_ACCESS_KEY_ID'],
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY'],
      ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
    };
  }
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  // Instance metadata is probed once, briefly: on a laptop without credentials that probe is what makes tools slow.
  const chain = fromNodeProviderChain({
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    timeout: 1000,
    maxRetries: 0,
  });
  try {
    await withTimeout(chain(), options.credentialProbeMs ?? 3000, 'timed out');
  } catch (err) {
    const why = err instanceof Error && err.message === 'timed out' ? 'the credential chain did not answer in time' : errorName(err);
    return {
      kind: 'no_credentials',
      message: `no usable AWS credentials (${why}${options.profile !== undefined ? `, profile ${options.profile}` : ''})`,
    };
  }
  return chain;
}

/** Temporary credentials are renewed this long before they expire: more than the SDK clients' own 5-minute margin. */
const RENEW_BEFORE_MS = 10 * 60_000;

/**
 * One provider for every client of the run. Each SDK client memoizes its credentials for itself, so a bare
 * `fromTemporaryCredentials` would call AssumeRole once per client and region; this calls it once, and again only
 * when the session nears its end. Concurrent callers share the call in flight; a failed call is not kept.
 */
function shared(fetch: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let held: AwsCredentialIdentity | null = null;
  let inFlight: Promise<AwsCredentialIdentity> | null = null;
  return () => {
    if (held !== null && (held.expiration === undefined || held.expiration.getTime() - Date.now() > RENEW_BEFORE_MS)) {
      return Promise.resolve(held);
    }
    inFlight ??= fetch()
      .then((identity) => (held = identity))
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

/**
 * Assumes `roleArn` with the base credentials, once and before any other call: a role that cannot be assumed is then
 * one clear problem naming the role, instead of every Lambda and Logs call failing with an AccessDenied that reads
 * like missing Lambda or Logs permissions.
 */
async function assumeRole(
  base: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  roleArn: string,
  region: string,
  env: AwsOptions['env'],
  clock: Clock,
): Promise<AwsCredentialIdentityProvider | AwsProblem> {
  const { fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
  const endpoint = endpointFor(env, 'STS');
  const provider = shared(
    fromTemporaryCredentials({
      masterCredentials: base,
      params: { RoleArn: roleArn, RoleSessionName: 'lambda-migrate', DurationSeconds: 3600 },
      clientConfig: { region, requestHandler: clock.requestHandler, maxAttempts: 2, ...(endpoint !== undefined ? { endpoint } : {}) },
    }),
  );
  try {
    // The STS client has the request timeouts; the deadline bounds the retries too.
    await withTimeout(provider(), Math.max(1, clock.deadline - Date.now()), 'deadline');
  } catch (err) {
    if (err instanceof Error && err.message === 'deadline' && !fromSend.has(err)) {
      return {
        kind: 'deadline',
        message: `the AWS deadline (${seconds(clock.deadlineMs)}, --aws-deadline) passed before STS answered AssumeRole for ${roleArn}`,
      };
    }
    if (errorName(err) === 'TimeoutError')
      return { kind: 'role', message: `cannot assume role ${roleArn}: STS did not answer within ${seconds(clock.requestTimeoutMs)}` };
    const auth = authError(err, 'sts:AssumeRole');
    if (auth) return { kind: 'auth', message: auth.message };
    const name = errorName(err);
    if (DENIED_ERRORS.has(name)) {
      return {
        kind: 'role',
        message: `cannot assume role ${roleArn} (${name}): its trust policy must allow your identity, and your identity needs sts:AssumeRole on it`,
      };
    }
    if (isAwsOrNetworkError(err)) return { kind: 'role', message: `cannot assume role ${roleArn} (${errorCode(err)})` };
    throw err;
  }
  return provider;
}

/** `AWS_ENDPOINT_URL_<SERVICE>` then `AWS_ENDPOINT_URL`, as the SDKs read them. */
function endpointFor(env: Readonly<Record<string, string | undefined>>, service: 'LAMBDA' | 'CLOUDWATCH_LOGS' | 'STS'): string | undefined {
  const value = env[`AWS_ENDPOINT_URL_${service}`] ?? env['AWS_ENDPOINT_URL'];
  return value === undefined || value === '' ? undefined : value;
}

async function resolveRegions(options: AwsOptions): Promise<[string, ...string[]] | AwsProblem> {
  const [first, ...more] = new Set(options.regions);
  if (first !== undefined) return [first, ...more];
  const fromEnv = options.env['AWS_REGION'] ?? options.env['AWS_DEFAULT_REGION'];
  if (fromEnv) return [fromEnv];
  try {
    const { LambdaClient } = await import('@aws-sdk/client-lambda');
    const probe = new LambdaClient(options.profile !== undefined ? { profile: options.profile } : {});
    const region = await probe.config.region();
    probe.destroy();
    return [region];
  } catch {
    return { kind: 'no_region', message: 'no AWS region: pass --region, or set AWS_REGION or a region in the profile' };
  }
}

/** The run's clock: one signal that fires at the deadline or on the caller's abort, for every request. */
interface Clock {
  signal: AbortSignal;
  deadline: number;
  deadlineMs: number;
  /** Connect and request timeouts for the SDK's request handler. */
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
  requestTimeoutMs: number;
  /** Why requests are being cut off now, or null while the run may go on. */
  stopped(): 'cancelled' | 'deadline reached' | null;
}

function startClock(options: AwsOptions): Clock {
  // Whole milliseconds within what a timer takes (a library caller may pass anything).
  const asked = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadlineMs = Number.isFinite(asked) ? Math.min(2 ** 31 - 1, Math.max(0, Math.round(asked))) : DEFAULT_DEADLINE_MS;
  const deadline = Date.now() + deadlineMs;
  const timer = AbortSignal.timeout(Math.max(1, deadlineMs));
  const signal = options.signal ? AbortSignal.any([options.signal, timer]) : timer;
  const askedTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const requestTimeoutMs = Number.isFinite(askedTimeout) ? Math.min(2 ** 31 - 1, Math.max(1, Math.round(askedTimeout))) : DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    signal,
    deadline,
    deadlineMs,
    requestTimeoutMs,
    requestHandler: {
      connectionTimeout: Math.max(1, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS),
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    stopped: () => (options.signal?.aborted ? 'cancelled' : Date.now() >= deadline || timer.aborted ? 'deadline reached' : null),
  };
}

/** What each failed `send` was, for the message: `lambda:ListFunctions in eu-west-1`. */
const sendLabels = new WeakMap<object, string>();

/** Runs one SDK `send`; whatever it throws is marked as coming from AWS or the network (see `fromSend`). */
async function guarded<T>(label: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (typeof err === 'object' && err !== null) {
      fromSend.add(err);
      sendLabels.set(err, label);
    }
    throw err;
  }
}

/** One line for an error that made AWS unusable: the call, and the error's name or code, never AWS's text. */
function unusableMessage(err: unknown, clock: Clock): string {
  if (err instanceof AwsProtocolError) return err.message;
  const label = typeof err === 'object' && err !== null ? sendLabels.get(err) : undefined;
  const name = errorName(err);
  const what = label ?? 'a call';
  if (name === 'TimeoutError') return `${what} did not answer within ${seconds(clock.requestTimeoutMs)} (TimeoutError)`;
  if (name === 'SyntaxError' || name === 'TypeError') return `${what} answered with something that is not a readable AWS response (${name})`;
  return label === undefined ? errorCode(err) : `${what} failed (${errorCode(err)})`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export async function collectFromAws(options: AwsOptions): Promise<AwsCollection> {
  const stats = { regions: 0, functions: 0, queries: 0, stopped: 0 };
  const clock = startClock(options);
  const regions = await resolveRegions(options);
  if (!Array.isArray(regions)) return { set: null, problem: regions, stats };
  const base = await credentialsFor(options);
  if ('kind' in base) return { set: null, problem: base, stats };
  const credentials = options.roleArn === undefined ? base : await assumeRole(base, options.roleArn, regions[0], options.env, clock);
  if ('kind' in credentials) return { set: null, problem: credentials, stats };
  stats.regions = regions.length;

  const [{ LambdaClient: Lambda }, { CloudWatchLogsClient: Logs }] = await Promise.all([
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-cloudwatch-logs'),
  ]);
  const warnings: string[] = [];
  const entries: MeasuredEntry[] = [];
  const limit = pLimit(Math.max(1, Math.min(options.concurrency ?? 5, MAX_CONCURRENCY)));
  const clients: { destroy(): void }[] = [];
  /** Regions the deadline (or Ctrl-C) left unread. */
  const missed: string[] = [];
  try {
    for (const region of regions) {
      if (clock.stopped() !== null) {
        missed.push(region);
        continue;
      }
      const common = { region, credentials, retryMode: 'standard', maxAttempts: 4, requestHandler: clock.requestHandler };
      const lambdaEndpoint = endpointFor(options.env, 'LAMBDA');
      const logsEndpoint = endpointFor(options.env, 'CLOUDWATCH_LOGS');
      const lambda = new Lambda({ ...common, ...(lambdaEndpoint !== undefined ? { endpoint: lambdaEndpoint } : {}) });
      const logs = new Logs({ ...common, ...(logsEndpoint !== undefined ? { endpoint: logsEndpoint } : {}) });
      clients.push(lambda, logs);
      let deployed: Deployed[];
      try {
        deployed = await listDeployed(lambda, region, options, warnings, limit, clock);
      } catch (err) {
        // The deadline cut the listing off: this region is missing, the regions read before it stand.
        if (!(err instanceof AwsAuthError) && clock.stopped() !== null) {
          missed.push(region);
          continue;
        }
        throw err;
      }
      stats.functions += deployed.length;
      const regionEntries = await queryReportStats(logs, deployed, options, clock, limit, stats, warnings);
      entries.push(...regionEntries);
    }
  } catch (err) {
    if (err instanceof AwsAuthError) return { set: null, problem: { kind: 'auth', message: err.message }, stats };
    if (isAwsOrNetworkError(err)) {
      return { set: null, problem: { kind: 'unusable', message: `AWS could not be read: ${unusableMessage(err, clock)}` }, stats };
    }
    throw err;
  } finally {
    for (const c of clients) c.destroy();
  }
  const why = clock.stopped() === 'cancelled' ? 'the run was cancelled' : `the AWS deadline (${seconds(clock.deadlineMs)}, --aws-deadline) passed`;
  if (missed.length > 0 && entries.length === 0) {
    return { set: null, problem: { kind: 'deadline', message: `${why} before Lambda listed the functions of ${missed.join(', ')}` }, stats };
  }
  for (const region of missed) warnings.push(`${region}: not measured: ${why} before its functions were listed`);
  const multiRegion = regions.length > 1;
  return {
    set: {
      source: 'aws',
      measuredBy: 'aws',
      entries: entries
        .map((e) => (multiRegion ? { ...e, key: `${e.figures.region ?? ''}:${e.key}` } : e))
        .sort((a, b) => compareStrings(a.key, b.key)),
      warnings,
      functionMap: {},
    },
    problem: null,
    stats,
  };
}

function authError(err: unknown, call: string): AwsAuthError | null {
  const name = errorName(err);
  if (!AUTH_ERRORS.has(name) && name !== 'CredentialsProviderError') return null;
  return new AwsAuthError(
    `AWS rejected the credentials on ${call} (${name}): they are expired or invalid. Refresh them (e.g. aws sso login) and run again`,
  );
}

/** One ListFunctions page, checked: its entries (the ones with a valid name), how many were not, and the next marker. */
function readListPage(page: unknown, region: string): { functions: ReturnType<typeof pickConfig>[]; malformed: number; next: string | undefined } {
  const raw = get(page, 'Functions');
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw new AwsProtocolError(`ListFunctions in ${region} answered with a Functions field that is not a list: the answer cannot be read`);
  }
  const next = get(page, 'NextMarker');
  if (next !== undefined && next !== null && typeof next !== 'string') {
    throw new AwsProtocolError(`ListFunctions in ${region} answered with a NextMarker that is not a string: the listing cannot go on`);
  }
  const functions: ReturnType<typeof pickConfig>[] = [];
  let malformed = 0;
  for (const f of Array.isArray(raw) ? (raw as unknown[]) : []) {
    const picked = pickConfig(f);
    if (picked.name === '') malformed++;
    else functions.push(picked);
  }
  return { functions, malformed, next: typeof next === 'string' && next !== '' ? next : undefined };
}

async function listDeployed(
  lambda: LambdaClient,
  region: string,
  options: AwsOptions,
  warnings: string[],
  limit: ReturnType<typeof pLimit>,
  clock: Clock,
): Promise<Deployed[]> {
  const { ListFunctionsCommand, GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  const wanted = options.functionNames === undefined ? null : new Set(options.functionNames);
  const listed: ReturnType<typeof pickConfig>[] = [];
  const seenMarkers = new Set<string>();
  let marker: string | undefined;
  let pages = 0;
  let malformed = 0;
  try {
    do {
      const command = new ListFunctionsCommand({ ...(marker !== undefined ? { Marker: marker } : {}), MaxItems: 50 });
      const page: unknown = await guarded(`lambda:ListFunctions in ${region}`, () => lambda.send(command, { abortSignal: clock.signal }));
      pages++;
      const read = readListPage(page, region);
      listed.push(...read.functions);
      malformed += read.malformed;
      if (read.next !== undefined && seenMarkers.has(read.next)) {
        throw new AwsProtocolError(
          `ListFunctions in ${region} returned the same page marker twice (after ${pages} pages): the listing would never end`,
        );
      }
      if (read.next !== undefined) seenMarkers.add(read.next);
      marker = read.next;
      options.onProgress?.({ phase: 'list', done: listed.length, total: 0 });
    } while (marker !== undefined && clock.stopped() === null);
  } catch (err) {
    const auth = authError(err, 'lambda:ListFunctions');
    if (auth) throw auth;
    if (!DENIED_ERRORS.has(errorName(err)) || wanted === null) throw err;
    // Without lambda:ListFunctions the logs may still be readable under the default log group names.
    warnings.push(`${region}: lambda:ListFunctions denied; querying /aws/lambda/<name> for the discovered names, without deployed configuration`);
    return [...wanted].sort(compareStrings).map((name) => ({
      name,
      region,
      logGroup: `/aws/lambda/${name}`,
      config: { runtime: null, architecture: null, memoryMB: null, packageType: null, codeSizeBytes: null, logFormat: null },
    }));
  }
  if (marker !== undefined) throw new AwsProtocolError(`ListFunctions in ${region} stopped after ${pages} pages: ${clock.stopped() ?? 'stopped'}`);
  if (malformed > 0)
    warnings.push(`${region}: ${malformed} ListFunctions entr${malformed === 1 ? 'y' : 'ies'} without a valid function name ignored`);

  const chosen = wanted === null ? listed : listed.filter((f) => wanted.has(f.name) || [...wanted].some((w) => isGeneratedName(w, f.name)));
  if (wanted !== null) {
    const other = listed.length - chosen.length;
    if (other > 0) warnings.push(`${region}: ${other} deployed function(s) are not among the discovered names (not queried)`);
  }
  // ListFunctions normally carries LoggingConfig; when it does not, ask for the one function's configuration.
  return Promise.all(
    chosen.map((f) =>
      limit(async (): Promise<Deployed> => {
        let picked = f;
        if (f.config.logFormat === null && f.logGroup === null && clock.stopped() === null) {
          try {
            const command = new GetFunctionConfigurationCommand({ FunctionName: f.name });
            const answer = pickConfig(
              await guarded(`lambda:GetFunctionConfiguration ${f.name}`, () => lambda.send(command, { abortSignal: clock.signal })),
            );
            if (answer.name === f.name) picked = answer;
            else
              warnings.push(`${region}: GetFunctionConfiguration ${f.name} answered for another or no function name; assuming /aws/lambda/${f.name}`);
          } catch (err) {
            const auth = authError(err, 'lambda:GetFunctionConfiguration');
            if (auth) throw auth;
            warnings.push(`${region}: GetFunctionConfiguration ${f.name} failed (${errorName(err)}); assuming /aws/lambda/${f.name}`);
          }
        }
        return { name: f.name, region, logGroup: picked.logGroup ?? `/aws/lambda/${f.name}`, config: picked.config };
      }),
    ),
  );
}

type GroupOutcome =
  | { kind: 'rows'; row: InsightsRow | undefined; truncated: boolean }
  | { kind: 'missing' }
  | { kind: 'denied'; detail: string }
  | { kind: 'error'; detail: string; truncated: boolean };

/**
 * A GetQueryResults answer, checked: its status, and its rows as field -> value maps; `malformed` says what was not
 * of the documented shape (the answer is then not used).
 */
export function readQueryResults(res: unknown): { status: string | undefined; rows: InsightsRow[]; malformed: string | null } {
  const status = get(res, 'status');
  if (status !== undefined && status !== null && typeof status !== 'string')
    return { status: undefined, rows: [], malformed: 'status is not a string' };
  const results = get(res, 'results');
  if (results !== undefined && results !== null && !Array.isArray(results))
    return { status: str(status), rows: [], malformed: 'results is not a list' };
  const rows: InsightsRow[] = [];
  for (const cells of Array.isArray(results) ? (results as unknown[]) : []) {
    if (!Array.isArray(cells)) return { status: str(status), rows: [], malformed: 'a result row is not a list of cells' };
    const row: InsightsRow = {};
    for (const cell of cells as unknown[]) {
      const field = get(cell, 'field');
      const value = get(cell, 'value');
      if (field === undefined && value === undefined) continue;
      if (typeof field !== 'string' || (value !== undefined && value !== null && typeof value !== 'string')) {
        return { status: str(status), rows: [], malformed: 'a result cell is not a { field, value } pair of strings' };
      }
      // A field named __proto__ would set the row's prototype, not a key: such a field is not one of ours anyway.
      if (typeof value === 'string' && Object.hasOwn(Object.prototype, field) === false && field !== '__proto__') row[field] = value;
    }
    rows.push(row);
  }
  return { status: str(status), rows, malformed: null };
}

async function queryReportStats(
  logs: CloudWatchLogsClient,
  deployed: Deployed[],
  options: AwsOptions,
  clock: Clock,
  limit: ReturnType<typeof pLimit>,
  stats: AwsCollection['stats'],
  warnings: string[],
): Promise<MeasuredEntry[]> {
  const { StartQueryCommand, GetQueryResultsCommand, StopQueryCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const groups = [...new Set(deployed.map((d) => d.logGroup))].sort(compareStrings);
  const sharing = new Map<string, number>();
  for (const d of deployed) sharing.set(d.logGroup, (sharing.get(d.logGroup) ?? 0) + 1);
  for (const [group, n] of sharing) {
    if (n > 1) warnings.push(`${group} is the log group of ${n} functions: each gets the figures of the whole group`);
  }
  // Insights takes epoch seconds for the window.
  const startTime = Math.floor(options.since.getTime() / 1000);
  const endTime = Math.ceil(options.until.getTime() / 1000);
  const poll = options.pollIntervalMs ?? 1000;
  const outcomes = new Map<string, GroupOutcome>();
  const signal = { abortSignal: clock.signal };
  let done = 0;

  const start = async (batch: string[]): Promise<string | null> => {
    for (;;) {
      const why = clock.stopped();
      if (why !== null) {
        for (const g of batch) outcomes.set(g, { kind: 'error', detail: `query not started: ${why}`, truncated: true });
        return null;
      }
      try {
        stats.queries++;
        const command = new StartQueryCommand({ logGroupNames: batch, startTime, endTime, queryString: REPORT_STATS_QUERY, limit: 10_000 });
        const started: unknown = await guarded('logs:StartQuery', () => logs.send(command, signal));
        const id = get(started, 'queryId');
        if (typeof id === 'string' && id !== '') return id;
        for (const g of batch) outcomes.set(g, { kind: 'error', detail: 'StartQuery returned no query id', truncated: false });
        return null;
      } catch (err) {
        const auth = authError(err, 'logs:StartQuery');
        if (auth) throw auth;
        if (clock.stopped() !== null) continue;
        const name = errorName(err);
        // One missing or forbidden group fails the whole query: halve the batch until the culprits stand alone.
        if ((name === 'ResourceNotFoundException' || DENIED_ERRORS.has(name)) && batch.length > 1) {
          const mid = Math.ceil(batch.length / 2);
          await Promise.all([runBatch(batch.slice(0, mid)), runBatch(batch.slice(mid))]);
          return null;
        }
        if (name === 'ResourceNotFoundException') {
          for (const g of batch) outcomes.set(g, { kind: 'missing' });
          return null;
        }
        if (DENIED_ERRORS.has(name)) {
          for (const g of batch) outcomes.set(g, { kind: 'denied', detail: `logs:StartQuery denied on ${g}` });
          return null;
        }
        // Someone else's queries fill the account's concurrent-query limit: wait for a slot, within the deadline.
        if (name === 'LimitExceededException' && Date.now() + poll < clock.deadline) {
          await sleep(poll, clock.signal);
          continue;
        }
        for (const g of batch) outcomes.set(g, { kind: 'error', detail: `logs:StartQuery failed (${name})`, truncated: false });
        return null;
      }
    }
  };

  const runBatch = async (batch: string[]): Promise<void> => {
    const queryId = await start(batch);
    if (queryId === null) return;
    let wait = Math.min(poll, 100);
    for (;;) {
      const why = clock.stopped();
      if (why !== null) {
        stats.stopped++;
        // Not under the run's signal, which has fired: a short budget of its own, so a hung endpoint cannot hold the run.
        const stopSignal = AbortSignal.timeout(Math.min(clock.requestTimeoutMs, 2000));
        await guarded('logs:StopQuery', () => logs.send(new StopQueryCommand({ queryId }), { abortSignal: stopSignal })).catch(() => undefined);
        for (const g of batch) outcomes.set(g, { kind: 'error', detail: `query stopped: ${why}`, truncated: true });
        return;
      }
      // Short queries answer in well under a second; long ones are polled at `poll`, the first polls come sooner.
      wait = Math.min(poll, wait * 2);
      await sleep(Math.min(wait, Math.max(0, clock.deadline - Date.now())), clock.signal);
      if (clock.stopped() !== null) continue;
      let res: unknown;
      try {
        res = await guarded('logs:GetQueryResults', () => logs.send(new GetQueryResultsCommand({ queryId }), signal));
      } catch (err) {
        const auth = authError(err, 'logs:GetQueryResults');
        if (auth) throw auth;
        if (clock.stopped() !== null) continue;
        for (const g of batch) outcomes.set(g, { kind: 'error', detail: `logs:GetQueryResults failed (${errorName(err)})`, truncated: false });
        return;
      }
      const read = readQueryResults(res);
      if (read.malformed !== null) {
        for (const g of batch)
          outcomes.set(g, { kind: 'error', detail: `logs:GetQueryResults answer not readable (${read.malformed})`, truncated: false });
        return;
      }
      const status = read.status;
      // Scheduled and Running results are partial: only Complete is final.
      if (status === 'Running' || status === 'Scheduled' || status === undefined) continue;
      if (status !== 'Complete') {
        const shown = /^[A-Za-z]{1,20}$/.test(status) ? status : 'in an unknown state';
        for (const g of batch) outcomes.set(g, { kind: 'error', detail: `query ${shown}`, truncated: status === 'Timeout' });
        return;
      }
      const rows = new Map<string, InsightsRow>();
      for (const row of read.rows) {
        const group = rowLogGroup(row);
        if (group !== null) rows.set(group, row);
      }
      const cut = read.rows.length >= 10_000;
      for (const g of batch) outcomes.set(g, { kind: 'rows', row: rows.get(g), truncated: cut });
      return;
    }
  };

  const batches: string[][] = [];
  for (let i = 0; i < groups.length; i += MAX_GROUPS_PER_QUERY) batches.push(groups.slice(i, i + MAX_GROUPS_PER_QUERY));
  options.onProgress?.({ phase: 'query', done: 0, total: batches.length });
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        await runBatch(batch);
        options.onProgress?.({ phase: 'query', done: ++done, total: batches.length });
      }),
    ),
  );

  return toEntries(deployed, outcomes, options);
}

/** Each deployed function's figures from its log group's outcome: measured, missing (not an error), or why not. */
function toEntries(deployed: Deployed[], outcomes: ReadonlyMap<string, GroupOutcome>, options: AwsOptions): MeasuredEntry[] {
  const window = { from: options.since.toISOString(), to: options.until.toISOString() };
  return deployed.map((d): MeasuredEntry => {
    const outcome = outcomes.get(d.logGroup) ?? { kind: 'error', detail: 'not queried', truncated: true };
    const ctx = { deployedName: d.name, logGroup: d.logGroup, region: d.region, window, config: d.config, truncated: false };
    let figures: MeasuredFigures;
    if (outcome.kind === 'rows') {
      figures = figuresFromRow(outcome.row, { ...ctx, truncated: outcome.truncated });
    } else if (outcome.kind === 'missing') {
      // No log group: the function has not logged anything yet (or logs elsewhere); not an error.
      figures = { ...figuresFromRow(undefined, ctx), detail: `log group ${d.logGroup} does not exist` };
    } else {
      figures = {
        ...figuresFromRow(undefined, ctx),
        status: outcome.kind === 'denied' ? 'access_denied' : 'error',
        invocations: null,
        coldStarts: null,
        truncated: outcome.kind === 'error' && outcome.truncated,
        detail: outcome.detail,
      };
    }
    return { key: d.name, figures };
  });
}
