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

export type DiscoveryProvider = 'serverless' | 'sam' | 'cloudformation' | 'cdk' | 'fallback';

/**
 * How the declared handler was mapped to a source file:
 * - `exact`: the IaC names the source file (or a file with the same stem in the same place exists);
 * - `guessed`: the IaC names build output and a source file was chosen by convention (say so in reports);
 * - `unresolved`: no source file was found; the function is listed without an import graph.
 */
export type HandlerMapping = 'exact' | 'guessed' | 'unresolved';

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
  };
}

export type PackageSource = 'installed' | 'catalog' | 'unknown';

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
}

export interface IoTangle {
  score: number;
  ioCalls: number;
  verdict: 'clean' | 'mixed' | 'tangled';
}

export interface FunctionResult {
  id: string;
  name: string;
  provider: DiscoveryProvider;
  deployedNames: string[];
  runtime: string | null;
  architecture: Architecture | null;
  memoryMB: number | null;
  timeoutS: number | null;
  declaredIn: { file: RelPath; line: number };
  handler: {
    file: RelPath | null;
    export: string;
    /** Line of the exported handler in its file; null when not found. */
    line: number | null;
    declared: string;
    mapping: HandlerMapping;
    mappingNote?: string;
  };
  /** Null when the handler file could not be mapped or parsed. */
  init: InitClosure | null;
  findings: Finding[];
  /** Filled by the I/O analysis; null until it runs. */
  ioTangle: IoTangle | null;
  /** Filled by the metrics stage; null in a static-only run. */
  metrics: null;
  /** Filled by the cost model; null until it runs. */
  cost: null;
  plan: null;
  /** 1 = most expensive estimated init. */
  rank: number;
}

export type SkipReason = 'parse_error' | 'read_error' | 'too_large' | 'unsupported';

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
    metricsSource: 'none';
  };
  rules: RuleSummary[];
  functions: FunctionResult[];
  skipped: Skipped[];
  warnings: string[];
}

export interface DiscoveryResult {
  functions: FunctionSpec[];
  /** IaC files that were read, relative to the root. */
  iacFiles: RelPath[];
  skipped: Skipped[];
  warnings: string[];
}
