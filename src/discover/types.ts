import type { FunctionSpec, NotAnalysedFunction, Skipped } from '../model/result.js';

/** What the user asked for: the stage to resolve variables with, and which IaC kinds to read. */
export interface DiscoverOptions {
  /** Serverless `--stage` / `${opt:stage}`; the config's own default when absent. */
  stage?: string;
  /** IaC kinds to read (provider names); all when absent. */
  iac?: readonly string[];
}

/** What every provider sees: the file list and a reader that records failures instead of throwing. */
export interface DiscoverContext {
  /** Files a provider may read as IaC or handler candidates (after --include/--exclude). */
  readonly files: readonly string[];
  /** Every file in the tree: handler paths map onto this, so an excluded file can still be a handler. */
  readonly fileSet: ReadonlySet<string>;
  /** Contents of a root-relative file, or undefined after recording a `read_error` in `sink.skipped`. */
  read(rel: string): string | undefined;
  /**
   * Contents of a file when every one of `gates` matches it, else undefined: for the scans that open every source to
   * find the few a provider reads (CDK apps, Pulumi programs). Only the answer to the gates is what a file that fails
   * them contributes, so a cached re-scan re-tests the gates instead of requiring the same text. Gates must not be
   * global or sticky (their `test` would keep state).
   */
  readIf(rel: string, gates: readonly RegExp[]): string | undefined;
  /** Names in a root-relative folder the walk pruned (`cdk.out`); empty when it does not exist. */
  listPruned(rel: string): readonly string[];
  readonly options: DiscoverOptions;
  readonly sink: DiscoverySink;
}

/** Accumulates a provider's output; `discover` sorts and de-duplicates it at the end. */
export interface DiscoverySink {
  functions: FunctionSpec[];
  iacFiles: string[];
  skipped: Skipped[];
  warnings: string[];
  notAnalysed: NotAnalysedFunction[];
}

/**
 * One IaC kind. New kinds plug in by adding a module that implements this and listing it in
 * `index.ts`; providers never see each other's output.
 */
export interface DiscoveryProviderModule {
  readonly name: string;
  discover(ctx: DiscoverContext): void;
}
