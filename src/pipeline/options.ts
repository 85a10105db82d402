import type { RuleSettings } from '../engine/index.js';
import type { Catalog } from '../graph/packages.js';
import type { MetricsLoader, MetricsSet } from '../metrics/types.js';
import type { CostOptions } from '../cost/index.js';
import type { SourceTree } from '../source/tree.js';

export interface ScanProgress {
  /** `reuse`: with `--cache`, `done` of the `total` functions keep their results from the last scan (sent once). */
  phase: 'walk' | 'discover' | 'reuse' | 'graph' | 'rules';
  done: number;
  total: number;
}

export interface ScanOptions {
  /** Directory of the service, as the user gave it (shown in the result as given). */
  root: string;
  /** Resolve `root` against this directory; defaults to the process's current directory. */
  cwd?: string;
  /**
   * The service's files, already open: an in-memory tree (tests, an editor's unsaved buffers) or a tree another
   * command shares. When absent the root is walked from disk.
   */
  tree?: SourceTree;
  rules?: RuleSettings;
  /** Overrides rules/catalog/packages.json (tests, or a catalog re-measured for your own fleet). */
  catalog?: Catalog;
  onProgress?: (event: ScanProgress) => void;
  /**
   * Measured figures to match to the functions: a set (`readLogs`, `loadSnapshot` in src/metrics), or a loader that
   * is given the discovered functions first (`collectFromAws` queries only their deployed names).
   */
  metrics?: MetricsSet | MetricsLoader;
  /** Config file (`--config`); `false` skips looking for `.lambda-migrate.json|yaml|yml` in the root. */
  config?: string | false;
  /** Baseline file (`--baseline`): findings it lists are left out of the result. */
  baseline?: string;
  /** Serverless stage for `${opt:stage}` / `${sls:stage}` (`--stage`). */
  stage?: string;
  /** IaC kinds to read (`--iac serverless,sam`; see IAC_KINDS in src/discover). All when absent. */
  iac?: readonly string[];
  /** Root-relative globs limiting which IaC and handler files discovery reads (`--include` / `--exclude`). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Fact cache directory (`--cache`, resolved against `cwd`, created when missing): unchanged files are not reparsed. */
  cache?: string;
  /** Parse worker threads beside the main thread (`--workers`); 0, the default, parses on the main thread as files are reached. */
  workers?: number;
  /** Honour .gitignore files inside the root (default true). */
  gitignore?: boolean;
  /**
   * Cost model options (`--price-region`, `--invocations`, ...); `false` leaves `cost` and `plan` null. The price
   * region defaults to the measured functions' region, else the region the IaC declares, else us-east-1.
   */
  cost?: Partial<CostOptions> | false;
}
