import type { Skipped } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';
import { isSourceFile } from '../source/walk.js';
import { extractFacts, type FactSource, type FileFacts } from './facts.js';
import { guardParse, minifiedReason } from './input-guard.js';

/** Files bigger than this are generated bundles or data, not sources worth parsing. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

/**
 * The facts of every source file, extracted on demand (as handlers' import graphs reach them) and each once. A file
 * that cannot be used (too large, unreadable, minified, too deep, a syntax error) is recorded in `skipped` with its
 * reason and answers `undefined` from then on: one bad file never ends the run.
 */
export class FactStore implements FactSource {
  private readonly facts = new Map<string, FileFacts>();
  private readonly failed = new Set<string>();
  readonly skipped: Skipped[] = [];

  constructor(private readonly tree: SourceTree) {}

  get(file: string): FileFacts | undefined {
    const hit = this.facts.get(file);
    if (hit || this.failed.has(file) || !isSourceFile(file)) return hit;
    const size = this.tree.stat(file)?.size;
    if (size !== undefined && size > MAX_SOURCE_BYTES) {
      return this.fail(file, 'too_large', `over ${MAX_SOURCE_BYTES / 1024 / 1024} MB: not parsed as a source`);
    }
    let text: string;
    try {
      text = this.tree.read(file);
    } catch (err) {
      return this.fail(file, 'read_error', err instanceof Error ? err.message : String(err));
    }
    const minified = minifiedReason(text);
    if (minified !== null) {
      this.tree.release(file);
      return this.fail(file, 'minified', minified);
    }
    // One pathological file (nested deeper than the parser's stack) is skipped, never the end of the run.
    const guarded = guardParse(() => extractFacts(file, text));
    if (!guarded.ok) return this.fail(file, guarded.reason, guarded.detail);
    const outcome = guarded.value;
    if (!outcome.ok) {
      return this.fail(file, 'parse_error', `${outcome.error.line}:${outcome.error.column} ${outcome.error.message}`);
    }
    this.facts.set(file, outcome.facts);
    return outcome.facts;
  }

  /** Files whose facts were extracted, in the order they were first reached. */
  files(): IterableIterator<string> {
    return this.facts.keys();
  }

  /** The extracted facts, by file. */
  entries(): ReadonlyMap<string, FileFacts> {
    return this.facts;
  }

  private fail(file: string, reason: Skipped['reason'], detail: string): undefined {
    this.failed.add(file);
    this.skipped.push({ file, reason, detail });
    return undefined;
  }
}
