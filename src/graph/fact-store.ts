import path from 'node:path';
import { InputError } from '../errors.js';
import type { Skipped } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';
import { isSourceFile } from '../source/walk.js';
import { FactCache } from './fact-cache.js';
import type { FactSource, FileFacts } from './facts.js';
import { extractOutcome, revive, type Extract, type FileOutcome, type PortableOutcome } from './file-outcome.js';
import { ParsePool, type ParseJob } from './parse-pool.js';

/** Files bigger than this are generated bundles or data, not sources worth parsing. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

export interface FactStoreOptions {
  /** A fact cache directory (`--cache DIR`, created when missing), or an open cache. */
  cache?: string | FactCache;
  /**
   * Parse workers beside the main thread for `prefetch` (`--workers N`); 0, the default, parses on the main thread
   * only, as the graph reaches each file. The result is the same whichever runs: only the time differs. Off by
   * default: it did not pay where it was measured (see parse-pool.ts).
   */
  workers?: number;
  /** The parser (tests count or fake it); workers always run the real one. */
  extract?: Extract;
  /** The worker module, when not the compiled parse-worker.js beside this one (a bundled copy of the tool, tests). */
  workerScript?: string;
}

/** How each file's outcome was obtained, for tests and benchmarks. */
export interface FactStoreStats {
  /** Parsed on the main thread. */
  parsedHere: number;
  /** Parsed by a worker. */
  parsedInWorkers: number;
  /** Read from the fact cache. */
  cacheHits: number;
}

/** An outcome, or a guard that stopped the file before its text could be used. */
type Outcome = FileOutcome | { kind: 'skipped'; reason: 'too_large' | 'read_error'; detail: string };

/** Resolves a root-relative path without extension to a listed file (ModuleResolver.resolveAsFile). */
export interface RelativeResolver {
  resolveAsFile(base: string): string | null;
}

/**
 * The facts of every source file, extracted on demand (as handlers' import graphs reach them) and each once. A file
 * that cannot be used (too large, unreadable, minified, too deep, a syntax error) is recorded in `skipped` with its
 * reason and answers `undefined` from then on: one bad file never ends the run.
 *
 * With a cache, a file whose path and text were seen before is not parsed again. `prefetch` parses, ahead of the
 * graph, the files the handlers will likely reach, in parallel when workers are on. Either way `get` answers exactly
 * as the plain on-demand path does: files enter `entries()` and `skipped` in the order they are first asked for.
 */
export class FactStore implements FactSource {
  private readonly facts = new Map<string, FileFacts>();
  private readonly failed = new Set<string>();
  /** Outcomes `prefetch` obtained, waiting for their first `get`. */
  private readonly ready = new Map<string, Outcome>();
  private readonly cache: FactCache | null;
  private readonly extract: Extract | undefined;
  private readonly workers: number;
  private readonly workerScript: string | undefined;
  readonly skipped: Skipped[] = [];
  readonly stats: FactStoreStats = { parsedHere: 0, parsedInWorkers: 0, cacheHits: 0 };

  constructor(
    private readonly tree: SourceTree,
    options: FactStoreOptions = {},
  ) {
    this.cache = typeof options.cache === 'string' ? FactCache.open(options.cache) : (options.cache ?? null);
    this.extract = options.extract;
    if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 0)) {
      throw new InputError(`workers must be a whole number of threads, 0 or more (got ${options.workers})`, 'use 0 to parse on the main thread only');
    }
    this.workers = options.workers ?? 0;
    this.workerScript = options.workerScript;
  }

  get(file: string): FileFacts | undefined {
    const hit = this.facts.get(file);
    if (hit || this.failed.has(file) || !isSourceFile(file)) return hit;
    const early = this.ready.get(file);
    if (early !== undefined) {
      this.ready.delete(file);
      return this.apply(file, early);
    }
    const job = this.prepare(file);
    return this.apply(file, 'kind' in job ? job : this.outcomeHere(job));
  }

  /** Files whose facts were extracted, in the order they were first reached. */
  files(): IterableIterator<string> {
    return this.facts.keys();
  }

  /** The extracted facts, by file. */
  entries(): ReadonlyMap<string, FileFacts> {
    return this.facts;
  }

  /**
   * Obtains ahead of time the outcomes of `roots` (the handler files) and of the files they import by relative
   * specifiers, transitively: from the cache, else parsed by the workers and the main thread together. With no
   * workers it only prunes the cache: on demand, nothing is parsed that the graph does not reach. Files it obtains
   * and the graph never asks for are not in the result.
   */
  async prefetch(roots: readonly string[], resolver: RelativeResolver): Promise<void> {
    if (this.workers > 0) await this.prefetchWith(this.workers, roots, resolver);
    this.cache?.prune();
  }

  /** The cache's counters (null without a cache). */
  get cacheStats(): FactCache['stats'] | null {
    return this.cache?.stats ?? null;
  }

  /**
   * A breadth-first walk from the roots over relative imports. Cache hits settle at once; misses wait for the
   * workers (batches from the front) and the main thread (one at a time from the back). The main thread never waits
   * for a worker: with nothing left of its own it parses a file a worker holds (the newest batch first, the one least
   * likely started) and drops the worker's answer when it comes. Every outcome is a function of the file's path and
   * text, so who parsed it changes nothing.
   */
  private async prefetchWith(size: number, roots: readonly string[], resolver: RelativeResolver): Promise<void> {
    const frontier: string[] = [];
    const seen = new Set<string>();
    const enqueue = (file: string): void => {
      if (seen.has(file) || !isSourceFile(file) || this.facts.has(file) || this.failed.has(file)) return;
      seen.add(file);
      frontier.push(file);
    };
    const done = new Set<string>();
    const settle = (file: string, outcome: Outcome): void => {
      if (done.has(file)) return;
      done.add(file);
      this.ready.set(file, outcome);
      if (outcome.kind !== 'facts') return;
      const dir = path.posix.dirname(file);
      for (const imp of outcome.facts.imports) {
        if (!isRelativeSpecifier(imp.specifier)) continue;
        const target = resolver.resolveAsFile(path.posix.join(dir === '.' ? '' : dir, imp.specifier));
        if (target !== null) enqueue(target);
      }
    };
    for (const root of roots) enqueue(root);

    const waiting: ParseJob[] = [];
    // Files a worker found too deep: the main thread decides them, as its stack is the larger.
    const hereOnly: ParseJob[] = [];
    const outstanding: ParseJob[][] = [];
    const steal = (): ParseJob | undefined => {
      for (let b = outstanding.length - 1; b >= 0; b--) {
        const batch = outstanding[b] ?? [];
        for (let j = batch.length - 1; j >= 0; j--) {
          const job = batch[j];
          if (job !== undefined && !done.has(job.file)) return job;
        }
      }
      return undefined;
    };
    const answered = (batch: ParseJob[], results: readonly (PortableOutcome | null)[] | null): void => {
      outstanding.splice(outstanding.indexOf(batch), 1);
      batch.forEach((job, i) => {
        const result = results?.[i] ?? null;
        if (done.has(job.file)) return;
        if (result === null) waiting.push(job);
        else if (result.outcome.kind === 'skipped' && result.outcome.reason === 'too_deep') hereOnly.push(job);
        else {
          this.stats.parsedInWorkers++;
          const outcome = revive(result);
          this.toCache(job, outcome);
          settle(job.file, outcome);
        }
      });
    };

    let pool: ParsePool | null = null;
    let poolTried = false;
    try {
      for (;;) {
        for (let file = frontier.shift(); file !== undefined; file = frontier.shift()) {
          const job = this.prepare(file);
          if ('kind' in job) {
            settle(file, job);
            continue;
          }
          const cached = this.fromCache(job);
          if (cached !== undefined) settle(file, cached.outcome);
          else waiting.push(job);
        }
        if (!poolTried && waiting.length > 0) {
          poolTried = true;
          pool = this.workerScript !== undefined ? ParsePool.start(size, this.workerScript) : ParsePool.start(size);
        }
        while (pool !== null && waiting.length > 1 && pool.hasCapacity()) {
          const batch = waiting.splice(0, Math.min(pool.batchSize, waiting.length - 1));
          outstanding.push(batch);
          void pool.submit(batch).then((results) => answered(batch, results));
        }
        const mine = hereOnly.pop() ?? waiting.pop() ?? steal();
        if (mine === undefined) {
          if (frontier.length > 0) continue;
          break;
        }
        if (!done.has(mine.file)) settle(mine.file, this.parseHere(mine));
        // Let the workers' answers in between two files of the main thread's own.
        if (pool !== null) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await pool?.close();
    }
  }

  /** The guards before a file's text is used: its size, then its read. */
  private prepare(file: string): ParseJob | Outcome {
    const size = this.tree.stat(file)?.size;
    if (size !== undefined && size > MAX_SOURCE_BYTES) {
      return { kind: 'skipped', reason: 'too_large', detail: `over ${MAX_SOURCE_BYTES / 1024 / 1024} MB: not parsed as a source` };
    }
    try {
      return { file, text: this.tree.read(file) };
    } catch (err) {
      return { kind: 'skipped', reason: 'read_error', detail: err instanceof Error ? err.message : String(err) };
    }
  }

  /** From the cache, else parsed here (and cached). */
  private outcomeHere(job: ParseJob): FileOutcome {
    return this.fromCache(job)?.outcome ?? this.parseHere(job);
  }

  private parseHere(job: ParseJob): FileOutcome {
    this.stats.parsedHere++;
    const outcome = extractOutcome(job.file, job.text, this.extract);
    this.toCache(job, outcome);
    return outcome;
  }

  private readonly keys = new Map<string, string>();

  private fromCache(job: ParseJob): { outcome: FileOutcome } | undefined {
    if (this.cache === null) return undefined;
    let key = this.keys.get(job.file);
    if (key === undefined) {
      key = this.cache.keyOf(job.file, job.text);
      this.keys.set(job.file, key);
    }
    const outcome = this.cache.get(key, job.file);
    if (outcome === undefined) return undefined;
    this.stats.cacheHits++;
    return { outcome };
  }

  private toCache(job: ParseJob, outcome: FileOutcome): void {
    if (this.cache === null) return;
    const key = this.keys.get(job.file) ?? this.cache.keyOf(job.file, job.text);
    this.cache.put(key, job.file, outcome);
  }

  private apply(file: string, outcome: Outcome): FileFacts | undefined {
    if (outcome.kind === 'facts') {
      this.facts.set(file, outcome.facts);
      return outcome.facts;
    }
    if (outcome.reason === 'minified') this.tree.release(file);
    this.failed.add(file);
    this.skipped.push({ file, reason: outcome.reason, detail: outcome.detail });
    return undefined;
  }
}

function isRelativeSpecifier(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}
