import type { FunctionSpec, Skipped } from '../model/result.js';

/** What every provider sees: the file list and a reader that records failures instead of throwing. */
export interface DiscoverContext {
  readonly files: readonly string[];
  readonly fileSet: ReadonlySet<string>;
  /** Contents of a root-relative file, or undefined after recording a `read_error` in `sink.skipped`. */
  read(rel: string): string | undefined;
  readonly sink: DiscoverySink;
}

/** Accumulates a provider's output; `discover` sorts and de-duplicates it at the end. */
export interface DiscoverySink {
  functions: FunctionSpec[];
  iacFiles: string[];
  skipped: Skipped[];
  warnings: string[];
}

/**
 * One IaC kind. New kinds (Terraform, SST, Architect) plug in by adding a module that implements this
 * and listing it in `index.ts`; providers never see each other's output.
 */
export interface DiscoveryProviderModule {
  readonly name: string;
  discover(ctx: DiscoverContext): void;
}
