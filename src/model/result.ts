/**
 * The public data model. `ScanResult` is what `scan --format json` prints and what bots, dashboards and
 * `report`/`diff` read back, so its field names are an interface: extend, never rename without bumping
 * SCHEMA_VERSION (and schema/scan-result.schema.json with it).
 */

export const SCHEMA_VERSION = 1;

/** Paths in the result are always relative to the scanned root and use forward slashes. */
export type RelPath = string;

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, as editors count them). */
  column: number;
}

export type Severity = 'error' | 'warn' | 'info';

export type Architecture = 'x86_64' | 'arm64';

export type DiscoveryProvider = 'serverless' | 'sam' | 'cloudformation' | 'cdk' | 'terraform' | 'sst' | 'architect' | 'pulumi' | 'fallback';

/**
 * How the declared handler was mapped to a source file:
 * - `exact`: the IaC names the source file (or a file with the same stem in the same place exists);
 * - `mapped`: the IaC names build output and a build config (webpack/esbuild entries, ncc, tsconfig `outDir`)
 *   says which source file produced it;
 * - `guessed`: the IaC names build output and a source file was chosen by convention (say so in reports);
 * - `unresolved`: no source file was found; the function is listed without an import graph.
 */
export type HandlerMapping = 'exact' | 'mapped' | 'guessed' | 'unresolved';

/**
 * Why an `unresolved` handler has no source file: the file the IaC names does not exist, the value is not
 * static (a variable or intrinsic), or it points outside the scanned root.
 */
export type UnresolvedReason = 'handler_not_found' | 'not_static' | 'outside_root';

/** An exported handler in the sources that no IaC declaration references (a leftover, a test harness, a new one). */
export interface UnreferencedHandler {
  file: RelPath;
  export: string;
  line: number;
}

/** A function the IaC declares that this tool cannot analyse (another runtime, inline code, a container image). */
export interface NotAnalysedFunction {
  id: string;
  name: string;
  declaredIn: { file: RelPath; line: number };
  reason: 'runtime' | 'inline_code' | 'image' | 'no_handler';
  /** The runtime for `runtime`, or what the declaration holds instead of code. */
  detail: string;
}

/** One Lambda function as discovered from IaC or by the fallback heuristic. Output of src/discover. */
export interface FunctionSpec {
  /** Stable id: `<iac file>#<logical name>`, e.g. `serverless.yml#createOrder`. */
  id: string;
  /** Logical name in the IaC (Serverless function key, CloudFormation logical id, CDK construct id). */
  name: string;
  provider: DiscoveryProvider;
  /** Names the function may have once deployed, best guess first (`${service}-${stage}-${fn}`, `FunctionName`). */
  deployedNames: string[];
  runtime: string | null;
  architecture: Architecture | null;
  memoryMB: number | null;
  timeoutS: number | null;
  /** Ephemeral storage (/tmp) in MB when the IaC declares it; absent means the default 512 MB. */
  ephemeralStorageMB?: number;
  /** Provisioned concurrency the IaC declares (on an alias or version); absent when none. */
  provisionedConcurrency?: number;
  /**
   * What the runtime adds at init beyond the handler's own code, as the IaC declares it: layers (and extensions
   * shipped in them), the NODE_OPTIONS flags and AWS_LAMBDA_EXEC_WRAPPER. Absent when the IaC declares none of them.
   * Only these two environment keys are ever read, and of NODE_OPTIONS only the flag names: never another value.
   */
  runtimeSettings?: RuntimeSettings;
  /** How the code ships (bundled by esbuild/webpack or deployed as files), as the IaC and build scripts imply. */
  packaging?: Packaging;
  /** Region the IaC deploys to when it says so statically (`provider.region`, samconfig `region`, CDK `env.region`). */
  region?: string;
  /**
   * Settings above that the IaC does not declare but its tool fills with a documented default (Serverless 1024 MB,
   * SAM 128 MB / 3 s, ...): the value is the default, not a declaration. Absent when every value is declared or null.
   */
  defaulted?: DefaultedSetting[];
  /** Where the runtime is written (a function's or the provider's/Globals' `runtime`), when it is. */
  runtimeDeclaredIn?: { file: RelPath; line: number };
  declaredIn: { file: RelPath; line: number };
  handler: {
    /** Source file relative to the root, or null when it could not be mapped. */
    file: RelPath | null;
    /** Exported name that Lambda calls (`handler` in `src/a.handler`). */
    export: string;
    /** The handler string as declared (`src/a.handler`, `index.handler`, CDK `entry`). */
    declared: string;
    mapping: HandlerMapping;
    /** Why the mapping is a guess or failed; absent when exact. */
    mappingNote?: string;
    /** Present when `mapping` is `unresolved`. */
    reason?: UnresolvedReason;
  };
}

/** A FunctionSpec setting that can come from the IaC tool's default rather than the declaration. */
export type DefaultedSetting = 'runtime' | 'architecture' | 'memoryMB' | 'timeoutS';

/** A Lambda layer a function attaches, as the IaC declares it. */
export interface LayerRef {
  /** The ARN or the IaC reference as written (`arn:aws:lambda:...:layer:Datadog-Node20-x:112`, `CommonLayer`). */
  ref: string;
  /** Root-relative folder the layer is built from when it is in this repository (`layers/common`). */
  localDir?: RelPath;
  /** 1-based line in the function's `declaredIn.file` (or the layer's own declaration) where it is attached. */
  line: number;
}

export interface RuntimeSettings {
  layers: LayerRef[];
  /** NODE_OPTIONS as flag names only (`--enable-source-maps`, `--require`), with the line that sets it. */
  nodeOptions?: { flags: string[]; line: number };
  /** AWS_LAMBDA_EXEC_WRAPPER's value (a path such as `/opt/otel-handler`), with the line that sets it. */
  execWrapper?: { value: string; line: number };
}

/** How a function's code reaches Lambda, which decides whether bundled or unbundled load costs apply. */
export interface Packaging {
  form: 'bundled' | 'unbundled' | 'unknown';
  /** The bundler when `form` is bundled. */
  tool: 'esbuild' | 'webpack' | 'ncc' | 'rollup' | 'parcel' | null;
  /** Why: `CDK NodejsFunction bundles with esbuild by default`, `serverless-esbuild plugin`, `BuildMethod: esbuild`. */
  basis: string;
  /** Where that is declared, when one place says it. */
  declaredIn?: { file: RelPath; line: number };
  /** An esbuild metafile or webpack stats file in the repository that describes this function's bundle. */
  statsFile?: RelPath;
  /**
   * Packages the bundler leaves out of the bundle (names or globs: `@aws-sdk/*`, `pdfkit`), declared or the tool's
   * documented default: they load from node_modules, or the runtime's own SDK, at their unbundled cost.
   */
  externals?: string[];
}

/** `bundle`: priced from the modules a bundler's stats file (esbuild metafile, webpack stats) puts in the bundle. */
export type PackageSource = 'installed' | 'catalog' | 'unknown' | 'bundle';

export interface InitPackage {
  /** npm package name (`@aws-sdk/client-s3`, `lodash`). Node built-ins are not listed. */
  name: string;
  /** Subpaths imported (`lodash/get` -> `get`); empty when the package root is imported. */
  subpaths: string[];
  /** Import chain from the handler file to the module that imports the package (first importer found, BFS). */
  chain: RelPath[];
  /** Estimated load cost on Node 20, in ms; null when unknown. */
  estInitMs: number | null;
  /** Size on disk of the installed package, or the catalog's figure; null when unknown. */
  sizeBytes: number | null;
  version: string | null;
  source: PackageSource;
  /** How the estimate was made: the catalog entry and its date, a size-based estimate, or why there is none. */
  basis: string;
  /** Where `version` was read: the installed package.json, or the lockfile that governs the importing file. */
  versionSource?: 'installed' | 'lockfile';
}

export interface UnresolvedImport {
  file: RelPath;
  line: number;
  column: number;
  /** The specifier text, or the source text of the expression for a dynamic `require(expr)`. */
  specifier: string;
  reason: 'dynamic' | 'not_found';
}

export interface InitClosure {
  /** Sum of the package estimates (an upper bound: packages that share a core cost less together). */
  estInitMs: number;
  /** Source modules loaded at init, the handler file included. */
  modules: number;
  /** Lines of source in those modules. */
  lines: number;
  /** Files loaded at init, handler first, then in BFS order. */
  files: RelPath[];
  /** Packages on the init path, most expensive first. */
  packages: InitPackage[];
  /** Lazy edges (`await import()`, `require()` in a function): not init, listed so a reader sees them. */
  lazy: { file: RelPath; line: number; specifier: string }[];
  unresolved: UnresolvedImport[];
  /** Top-level `await` in an init module: init work that blocks the first request. */
  topLevelAwait: { file: RelPath; line: number; column: number }[];
  /**
   * What the runtime adds to INIT beyond this graph (layers, extensions, NODE_OPTIONS flags, an exec wrapper), a
   * separate line item: `estInitMs` above does not include it; the cost model adds it. Absent when the IaC declares none.
   */
  runtimeAdditions?: RuntimeAdditions;
  /** Which load costs the estimate assumes: bundled (esbuild/webpack output) or unbundled (node_modules). */
  form?: 'bundled' | 'unbundled';
  /** Why that form: the packaging discovery found, or that none was found and unbundled is assumed. */
  formBasis?: string;
  /** Packages on the init path with no estimate (neither in the catalog nor installed): not in `estInitMs`. */
  unpriced?: string[];
}

/** One thing the runtime adds at init, priced from rules/catalog/runtime-additions.json. */
export interface RuntimeAddition {
  kind: 'layer' | 'node-option' | 'exec-wrapper';
  /** The catalog's label (`Datadog Lambda Extension`), or what was written when the catalog does not know it. */
  what: string;
  /** The layer ARN or reference, the flag, or the wrapper path, as the IaC declares it. */
  ref: string;
  /** The IaC file and line that declare it. */
  file: RelPath;
  line: number;
  /** Added INIT per cold start, in ms; null when not priced (unknown layer, a preload whose module is not known). */
  estInitMs: number | null;
  /** The catalog entry, how its figure was established and its date; or why it is not priced. */
  basis: string;
  /** Catalog id (`datadog-extension`) when matched. */
  catalogId?: string;
}

export interface RuntimeAdditions {
  /** Sum of the priced items, in ms. */
  estInitMs: number;
  items: RuntimeAddition[];
}

export interface FindingEstimate {
  initMs?: number;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  file: RelPath;
  line: number;
  column: number;
  message: string;
  /** Estimated init cost this finding accounts for, in ms, where there is one. */
  estInitMs: number | null;
  /** Import chain from the handler to the finding's file, when that explains why it is on the init path. */
  chain?: RelPath[];
  /**
   * Stable across edits elsewhere in the file: a hash of the rule, the file, the finding's source line
   * (trimmed) and its occurrence among identical lines. Baselines match on it.
   */
  fingerprint?: string;
}

/** A place in the source and what it shows. */
export interface Evidence {
  file: RelPath;
  line: number;
  column: number;
  what: string;
}

/** What the tangle score is computed from (counts over the functions that run per request). */
export interface IoTangleInputs {
  /** I/O call sites (SDK send, .promise(), fetch/axios, database, fs, child_process, SDK clients). */
  ioCalls: number;
  /** Functions that perform I/O themselves or through helpers. */
  ioFunctions: number;
  /** Most separate I/O phases (runs of I/O split by computation or branches) in one function. */
  maxPhases: number;
  /** I/O phases beyond a read phase and a write phase, summed over functions. */
  extraPhases: number;
  /** Branches between the first and the last I/O of a function. */
  branchesBetweenIo: number;
  /** I/O calls inside an `if`/`switch` arm. */
  conditionalIo: number;
  /** I/O one item at a time inside a loop (awaited or not). */
  ioInLoops: number;
  /** Loops that do I/O and also branch or compute. */
  interleavedLoops: number;
  /** I/O fanned out per item (`items.map(fn)` + `Promise.all`, promises pushed in a loop). */
  fanOut: number;
  /** Functions that call themselves and do I/O (pagination by recursion). */
  recursion: number;
  /** Streamed I/O (`pipe`, `pipeline`, read/write streams, `Body.transformToString`). */
  streams: number;
  /** Deepest chain of service functions from a per-request function down to an I/O call. */
  maxIoDepth: number;
  /** Routes of a framework app (express/koa/fastify) that do I/O. */
  routesWithIo: number;
  /** The weighted sum the score is made from (score = min(1, points / 6)). */
  points: number;
}

export interface IoTangle {
  score: number;
  ioCalls: number;
  verdict: 'clean' | 'mixed' | 'tangled';
  inputs?: IoTangleInputs;
  /** The lines that make the verdict: I/O sites, and what interleaves them. */
  evidence?: Evidence[];
}

/** An npm package and what replaces it in a Rust port (rules/catalog/rust-equivalents.json). */
export interface PackageEquivalent {
  package: string;
  /** Crates that replace it; empty when the standard library does, or when nothing does. */
  crates: string[];
  /** `direct`: same model; `close`: small API differences; `partial`: part of it; `std`: the standard library; `none`: no equivalent. */
  fit: 'direct' | 'close' | 'partial' | 'std' | 'none' | 'unknown';
  note: string;
}

export interface PortabilityIssue {
  kind: 'no-equivalent' | 'unknown-package' | 'native-addon' | 'builtin' | 'dynamic-code' | 'dynamic-require' | 'llrt-unsupported';
  /** What it is: a package, a builtin module, `eval`. */
  name: string;
  file: RelPath;
  line: number;
  column: number;
  note: string;
}

export interface PortabilityTarget {
  /** `blocked`: something has no equivalent; `risky`: it ports with work; `ready`: nothing found in the way. */
  verdict: 'ready' | 'risky' | 'blocked';
  blockers: PortabilityIssue[];
  risks: PortabilityIssue[];
}

export interface Portability {
  rust: PortabilityTarget;
  llrt: PortabilityTarget;
  /** Every package the handler loads (init and lazy), with its Rust equivalent. */
  packages: PackageEquivalent[];
}

/** How much work a port of this handler is, with what the figure is made of. */
export interface Effort {
  /** `S` < 4 points <= `M` < 10 <= `L` < 20 <= `XL`. */
  size: 'S' | 'M' | 'L' | 'XL';
  points: number;
  inputs: {
    /** Lines of the service's own code the handler loads (init and lazy files, not node_modules). */
    ownLines: number;
    ownFiles: number;
    packages: number;
    packagesWithoutEquivalent: string[];
    tangleScore: number;
    dynamicFeatures: number;
    blockers: number;
  };
  /** The formula, so a reader can recompute it. */
  basis: string;
}

export type MetricsSource = 'none' | 'logs' | 'aws' | 'snapshot';

/**
 * Why a function has (or lacks) measured figures. Missing data is never shown as 0:
 * - `ok`: REPORT records were found and aggregated;
 * - `no_invocations`: the function is deployed (or its log group exists) but no REPORT record is in the window;
 * - `access_denied`: the caller may not read the logs (the configuration may still be there);
 * - `unmatched`: no log group or deployed function matched this function (see `--function-map`);
 * - `error`: the query failed, timed out or was cancelled (see `detail`).
 */
export type MetricsStatus = 'ok' | 'no_invocations' | 'access_denied' | 'unmatched' | 'error';

/** Percentiles are exact (nearest rank) for modest counts, else read from a bounded histogram (see `resolutionMs`). */
export interface MeasuredDistribution {
  p50: number;
  p90: number;
  p99: number;
  avg: number;
  max: number;
}

/** Allow-listed deployed configuration (never the environment). */
export interface DeployedConfig {
  runtime: string | null;
  architecture: Architecture | null;
  memoryMB: number | null;
  packageType: 'Zip' | 'Image' | null;
  codeSizeBytes: number | null;
  logFormat: 'Text' | 'JSON' | null;
  /** Ephemeral storage (/tmp) in MB, from `EphemeralStorage.Size`; absent when not read. */
  ephemeralStorageMB?: number;
}

/** Measured figures of one function. All times in ms, memory in MB, timestamps ISO-8601 UTC. */
export interface FunctionMetrics {
  source: Exclude<MetricsSource, 'none'>;
  /** How a snapshot was measured; equals `source` otherwise. */
  measuredBy: 'logs' | 'aws';
  status: MetricsStatus;
  /** Deployed function name the figures belong to, when known. */
  deployedName: string | null;
  logGroups: string[];
  region: string | null;
  /** First and last REPORT timestamp seen (logs), or the queried window (AWS); null when unknown. */
  window: { from: string; to: string } | null;
  /** REPORT records: one per invocation. Null when not measured (see `status`). */
  invocations: number | null;
  /** REPORT records that carry an Init Duration. */
  coldStarts: number | null;
  initMs: MeasuredDistribution | null;
  durationMs: MeasuredDistribution | null;
  billedDurationMs: { avg: number; max: number } | null;
  memorySizeMB: number | null;
  maxMemoryUsedMB: number | null;
  /** `exact`, or the bucket width in ms of the histogram the percentiles were read from; `server` for Insights. */
  percentiles: 'exact' | 'server' | { resolutionMs: number };
  /** True when the source said the figures may be partial (query cancelled or timed out, rows cut). */
  truncated: boolean;
  config: DeployedConfig | null;
  /** Why the status is not `ok`, in one line (never log text). */
  detail: string | null;
}

/** A discovered function with what the analysis found: the spec's fields, the handler's line, and the results. */
export interface FunctionResult extends Omit<FunctionSpec, 'handler'> {
  handler: FunctionSpec['handler'] & {
    /** Line of the exported handler in its file; null when not found. */
    line: number | null;
  };
  /** Null when the handler file could not be mapped or parsed. */
  init: InitClosure | null;
  findings: Finding[];
  /** Filled by the I/O analysis; null until it runs. */
  ioTangle: IoTangle | null;
  /** What blocks a port to Rust or LLRT; null when the handler has no import graph. */
  portability?: Portability | null;
  /** Port effort estimate with its inputs; null when the handler has no import graph. */
  effort?: Effort | null;
  /** Measured figures (log files, AWS or a snapshot); null when no metrics were asked for. */
  metrics: FunctionMetrics | null;
  /** Monthly cost now and per scenario; null when the cost model did not run (`cost: false` in the API). */
  cost: FunctionCost | null;
  /** Ordered steps, savings against effort; null when the cost model did not run. */
  plan: MigrationPlan | null;
  /** 1 = act first: best monthly saving per effort point when the cost model ran, else most expensive estimated init. */
  rank: number;
  /**
   * Measured init from `lambda-migrate profile` (the handler module loaded in a sandboxed child process), next to
   * the static estimate; absent from `scan`, which never executes anything.
   */
  profile?: FunctionProfile;
  /**
   * The service the function belongs to in a merged result (`lambda-migrate merge`), whose `id` is then prefixed
   * with it (`orders-service:serverless.yml#createOrder`); absent in a single-service scan.
   */
  service?: string;
}

/** `too_deep`: nested deeper than the parser's stack (generated code); `minified`: a minified bundle, not a source. */
export type SkipReason = 'parse_error' | 'read_error' | 'too_large' | 'unsupported' | 'too_deep' | 'minified';

export interface Skipped {
  file: RelPath;
  reason: SkipReason;
  detail: string;
}

export interface RuleSummary {
  id: string;
  description: string;
  severity: Severity;
  category: string;
  docs: string;
}

export interface ScanResult {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'lambda-migrate'; version: string };
  /** The scanned root as given, relative to where the tool ran when possible. */
  root: string;
  /** False when something kept the result from covering the whole service (skipped files, unmapped handlers). */
  complete: boolean;
  summary: {
    functions: number;
    files: number;
    lines: number;
    findings: Record<Severity, number>;
    /** Sum of the functions' estimated init, in ms. */
    estInitMs: number;
    /** Where the metrics came from; 'none' in a static-only run. */
    metricsSource: MetricsSource;
    /** Monthly cost and savings over all functions; absent when the cost model did not run. */
    cost?: CostSummary;
  };
  rules: RuleSummary[];
  functions: FunctionResult[];
  skipped: Skipped[];
  warnings: string[];
  /** Exported handlers no IaC references; listed, not analysed. Absent in results written before it existed. */
  unreferenced?: UnreferencedHandler[];
  /** Declared functions that are not Node.js ZIP code with a source (other runtimes, inline code, images). */
  notAnalysed?: NotAnalysedFunction[];
  /**
   * Findings left out: by inline `lambda-migrate-disable-next-line` comments, by a baseline file, and
   * by the config's `allow.files`; and the config file that was read (null when none).
   */
  suppressed?: { inline: number; baseline: number; allowedFiles: number; configFile: string | null };
  /** What changed since a base result (`lambda-migrate diff`, `scan --baseline RESULT.json`); absent otherwise. */
  diff?: ResultDiff;
}

/** A package that joined or left a function's init path. */
export interface DiffPackage {
  name: string;
  /** The package's estimated load cost on the side it is on; null when unknown. */
  estInitMs: number | null;
}

/** A finding that is new in the head or gone from it, matched on rule + file + fingerprint (else message), not line. */
export interface DiffFinding {
  ruleId: string;
  severity: Severity;
  file: RelPath;
  /** Line on the side the finding is on (head for new, base for fixed). */
  line: number;
  message: string;
  estInitMs: number | null;
}

/** A figure on both sides and head minus base; a side is null when it has no such figure. */
export interface DiffFigure {
  base: number | null;
  head: number | null;
  /** Head minus base; null when a matched function lacks the figure on either side. */
  delta: number | null;
}

/** One function that was added, removed or changed (functions match by `id`). */
export interface FunctionDiff {
  id: string;
  name: string;
  status: 'added' | 'removed' | 'changed';
  /** Estimated init (ms); a missing side counts as 0 in the delta for added and removed functions. */
  estInitMs: DiffFigure;
  /** Measured init p50 (ms); null unless both sides have measured cold starts. */
  measuredInitMs: DiffFigure | null;
  /** Monthly cost (micro-USD) from `cost.monthly.totalMicroUsd`. */
  monthlyMicroUsd: DiffFigure;
  /**
   * Present when the head has no cost of its own (a PR scanned without metrics) and the base has: the head's month
   * is the base's plus the init the change adds, priced with the base's cold starts. Absent otherwise.
   */
  initPriced?: InitPricing;
  packagesAdded: DiffPackage[];
  packagesRemoved: DiffPackage[];
  findingsNew: DiffFinding[];
  findingsFixed: DiffFinding[];
}

/** How `diff` priced the init a change adds, for a head without usage of its own: every figure, to recompute it. */
export interface InitPricing {
  basis: 'base-usage';
  /** Estimated init added (ms, whole; negative when removed). */
  initMsAdded: number;
  /** The base's cold starts a month. */
  coldStartsPerMonth: number;
  /** The head's memory size (the base's when the head has none). */
  memoryMB: number;
  architecture: Architecture;
  region: string;
  /** USD per GB-second, first tier, as written in rules/catalog/lambda-prices.json; '0' when INIT is not billed. */
  perGbSecond: string;
  initBilled: boolean;
  /** coldStartsPerMonth x memoryMB / 1024 x initMsAdded / 1000 x perGbSecond, in micro-USD (half-up). */
  microUsd: number;
}

/** What changed between a base result and this one (the head). */
export interface ResultDiff {
  base: {
    root: string;
    toolVersion: string;
    functions: number;
    estInitMs: number;
    /** Sum of the base functions' known monthly cost (micro-USD); null when none has one. */
    monthlyMicroUsd: number | null;
  };
  /** Functions that were added, removed or changed, biggest init change first; unchanged ones are not listed. */
  functions: FunctionDiff[];
  totals: {
    functionsAdded: number;
    functionsRemoved: number;
    functionsChanged: number;
    /** Estimated init added over all functions (ms, negative when removed). */
    estInitMsAdded: number;
    /** `estInitMsAdded` as a percentage of the base total; null when the base total is 0. */
    estInitPct: number | null;
    /** Monthly cost added (micro-USD, negative when saved); null when neither side has cost figures. */
    monthlyMicroUsdAdded: number | null;
    /** `monthlyMicroUsdAdded` as a percentage of the base's monthly cost; null when that is unknown or 0. */
    monthlyPct: number | null;
    /**
     * Distinct findings (several functions can share one) the service gained or lost; a shared finding that only
     * reached another function is listed under that function, not counted here.
     */
    findingsNew: number;
    findingsFixed: number;
  };
}

export interface DiscoveryResult {
  functions: FunctionSpec[];
  /** IaC files that were read, relative to the root. */
  iacFiles: RelPath[];
  skipped: Skipped[];
  warnings: string[];
  unreferenced: UnreferencedHandler[];
  notAnalysed: NotAnalysedFunction[];
}

export type CostConfidence = 'high' | 'medium' | 'low';

/** A number a projection uses, named, with where it comes from. */
export interface CostFactor {
  name: string;
  value: string;
  source: string;
  confidence: CostConfidence;
}

export type ScenarioId = 'in-node-fixes' | 'arm64' | 'right-size' | 'llrt' | 'rust' | 'bundle' | 'managed-instances';

/** What a function is (or would be) as far as the bill is concerned. Times are averages per invocation / cold start. */
export interface FunctionShape {
  runtime: string;
  architecture: Architecture;
  memoryMB: number;
  initMs: number;
  /** Null when no duration was measured (static-only estimate: INIT and requests only). */
  durationMs: number | null;
  maxMemoryMB: number | null;
  /** Ephemeral storage in MB; present only above the free 512 MB. */
  ephemeralStorageMB?: number;
  /** Provisioned-concurrency units; present only when some are configured. */
  provisionedConcurrency?: number;
}

/** Money as integer micro-dollars (USD), rounded half-up from the exact figure; components may not add by 1. */
export interface MonthlyCost {
  requestsMicroUsd: number;
  /** Null when the duration is unknown (static-only estimate). */
  invokeMicroUsd: number | null;
  initMicroUsd: number;
  /** Ephemeral storage above the free 512 MB; present only when configured, null when the region has no rate. */
  ephemeralMicroUsd?: number | null;
  /** Provisioned concurrency allocated for the month; present only when configured, null when not priced. */
  provisionedMicroUsd?: number | null;
  /** Lambda Managed Instances what-if only: the EC2 instance-hours, and the management fee on them. */
  instancesMicroUsd?: number;
  managementFeeMicroUsd?: number;
  totalMicroUsd: number;
}

export interface CostScenario {
  id: ScenarioId;
  label: string;
  /** `blocked`: the portability check found something in the way; `not_applicable`: nothing to gain or no data. */
  status: 'projected' | 'blocked' | 'not_applicable';
  detail: string | null;
  shape: FunctionShape | null;
  monthly: MonthlyCost | null;
  /** Now minus projected, per month; negative when the scenario costs more. */
  savingMicroUsd: number | null;
  confidence: CostConfidence;
  factors: CostFactor[];
  risks: string[];
}

export interface FunctionCost {
  /** `measured`: from metrics; `assumed`: from --invocations / --cold-start-rate; `needs_metrics`: no basis. */
  status: 'measured' | 'assumed' | 'needs_metrics';
  detail: string | null;
  region: string;
  usage: {
    invocationsPerMonth: number;
    coldStartsPerMonth: number;
    /** Length of the measured window in days; null for assumed usage. */
    windowDays: number | null;
    /** Month / window; null for assumed usage. */
    scaleToMonth: number | null;
    initBilled: boolean;
  } | null;
  current: FunctionShape | null;
  monthly: MonthlyCost | null;
  scenarios: CostScenario[];
  /** Prices and factors behind `monthly`. */
  factors: CostFactor[];
}

export interface PlanStep {
  order: number;
  scenario: ScenarioId;
  action: string;
  /** Saving of this step on top of the previous ones, per month. */
  savingMicroUsd: number;
  monthlyAfterMicroUsd: number;
  effortPoints: number;
  confidence: CostConfidence;
}

export interface MigrationPlan {
  monthlyNowMicroUsd: number | null;
  monthlyAfterMicroUsd: number | null;
  savingMicroUsd: number | null;
  effortPoints: number;
  /** Monthly saving per effort point (micro-USD): what the rank sorts by. */
  priority: number;
  confidence: CostConfidence;
  steps: PlanStep[];
  /** What a Rust port would use for each package (from the portability analysis). */
  crates: { package: string; crates: string[]; fit: PackageEquivalent['fit'] }[];
  blockers: { rust: string[]; llrt: string[] };
  /** The shape of the port, when one is in the plan or worth considering. */
  target: string | null;
  note: string | null;
}

export interface CostSummary {
  region: string;
  currency: 'USD';
  pricesSource: string;
  pricesDate: string;
  basis: 'measured' | 'assumed' | 'mixed' | 'none';
  monthlyMicroUsd: number;
  /** What the free tier would take off the whole month; null unless asked for (--free-tier). */
  freeTierMicroUsd: number | null;
  monthlyAfterFreeTierMicroUsd: number;
  functionsPriced: number;
  functionsNeedingMetrics: number;
  /** Each scenario on its own, summed over the functions it applies to (not additive across scenarios). */
  scenarios: { id: ScenarioId; label: string; savingMicroUsd: number; functions: number }[];
  /** Every function's plan applied. */
  planSavingMicroUsd: number;
  top: { id: string; name: string; savingMicroUsd: number; effortPoints: number }[];
  notes: string[];
}

export type ProfileGroup = 'own' | 'packages' | 'layers' | 'core';

/** What `lambda-migrate profile` measured for one handler: the load of its module in a fresh, sandboxed process. */
export interface FunctionProfile {
  /**
   * `ok`: the module loaded and exports the handler; `failed`: loading threw, or the module tried to reach the network,
   * write a file or start a process (blocked, see `blocked`); `timeout`: killed at the time limit; `skipped`: not run.
   */
  status: 'ok' | 'failed' | 'timeout' | 'skipped';
  /** Why it failed or was skipped, in one line; null when ok. */
  detail: string | null;
  /** The JavaScript file loaded, relative to the root (a built file when the handler source is TypeScript). */
  loaded: RelPath | null;
  /** Node version of the child process. */
  node: string | null;
  /** Wall time of loading the handler module, in ms: measured init without the runtime's own start. */
  measuredInitMs: number | null;
  /** The static estimate the measurement sits next to: packages plus runtime additions, in ms. */
  estInitMs: number | null;
  /** Self time (children excluded) and module count per group. CommonJS modules are timed one by one; ES modules only in total. */
  groups: Record<ProfileGroup, { ms: number; modules: number }>;
  /** Per package (node_modules or a layer), self time of its modules, most expensive first. */
  packages: { name: string; group: 'packages' | 'layers'; ms: number; modules: number }[];
  /** The slowest modules by self time (at most 20). */
  slowest: { file: string; group: ProfileGroup; selfMs: number }[];
  /** Attempts to leave the sandbox at load (network, file writes, child processes, workers), in order. */
  blocked: { kind: string; what: string }[];
  /** How the child was isolated, for the reader (permission model flag, guards, environment, time limit). */
  sandbox: string;
}
