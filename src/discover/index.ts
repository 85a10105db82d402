import type { DiscoveryResult, FunctionSpec } from '../model/result.js';
import { cdkProvider } from './cdk.js';
import { fallbackProvider } from './fallback.js';
import { samProvider } from './sam.js';
import { serverlessProvider } from './serverless.js';
import type { DiscoverContext, DiscoveryProviderModule, DiscoverySink } from './types.js';

export type { DiscoverContext, DiscoveryProviderModule, DiscoverySink } from './types.js';

export interface DiscoverInput {
  /** Absolute path of the scanned root. */
  root: string;
  /** Relative POSIX paths, as `walkFiles` returns them. */
  files: readonly string[];
  /** Reads a root-relative file; throws on error. */
  readFile(rel: string): string;
}

/** IaC providers, each one module; the fallback runs only when none of them declares a function. */
export const IAC_PROVIDERS: readonly DiscoveryProviderModule[] = [serverlessProvider, samProvider, cdkProvider];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNodeRuntime(runtime: string | null): boolean {
  return runtime === null || runtime.startsWith('nodejs');
}

/**
 * Finds the Lambda functions a tree declares, reading IaC as data (nothing is executed). A file that
 * cannot be read or parsed is listed in `skipped` and discovery goes on with the rest.
 */
export function discover(input: DiscoverInput): DiscoveryResult {
  const sink: DiscoverySink = { functions: [], iacFiles: [], skipped: [], warnings: [] };
  const cache = new Map<string, string | undefined>();
  const ctx: DiscoverContext = {
    files: input.files,
    fileSet: new Set(input.files),
    sink,
    read(rel: string): string | undefined {
      if (cache.has(rel)) return cache.get(rel);
      let text: string | undefined;
      try {
        text = input.readFile(rel);
      } catch (error) {
        sink.skipped.push({ file: rel, reason: 'read_error', detail: error instanceof Error ? error.message : String(error) });
      }
      cache.set(rel, text);
      return text;
    },
  };
  for (const provider of IAC_PROVIDERS) provider.discover(ctx);

  // This tool measures Node.js init; other runtimes in the same IaC are reported, not analysed.
  const declared: FunctionSpec[] = [];
  for (const spec of sink.functions) {
    if (isNodeRuntime(spec.runtime)) declared.push(spec);
    else sink.warnings.push(`${spec.id}: runtime ${spec.runtime ?? ''} is not Node.js; not analysed`);
  }
  sink.functions = declared;

  if (sink.functions.length === 0) {
    fallbackProvider.discover(ctx);
    if (sink.functions.length > 0) {
      sink.warnings.push('no IaC declares a Lambda function; handlers were guessed from files that export `handler`');
    }
  }

  const seen = new Map<string, number>();
  for (const spec of sink.functions) {
    const count = seen.get(spec.id) ?? 0;
    seen.set(spec.id, count + 1);
    if (count > 0) {
      // Two constructs with the same id in one file (different scopes): keep both, told apart by line.
      const original = spec.id;
      spec.id = `${original}@${spec.declaredIn.line}`;
      sink.warnings.push(`${original}: declared more than once; this one is listed as ${spec.id}`);
    }
  }

  return {
    functions: [...sink.functions].sort((a, b) => compare(a.id, b.id)),
    iacFiles: [...new Set(sink.iacFiles)].sort(compare),
    skipped: [...sink.skipped].sort((a, b) => compare(a.file, b.file) || compare(a.reason, b.reason)),
    warnings: sink.warnings,
  };
}
