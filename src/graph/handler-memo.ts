import { listingDigest, memoPath, readMemo, writeMemo } from '../source/memo-file.js';
import type { Finding, InitClosure, Skipped } from '../model/result.js';
import { answerStands, digestText } from '../source/recording-tree.js';
import type { SourceTree } from '../source/tree.js';
import type { SuppressionFact } from './facts.js';

/**
 * Per-handler results kept beside the fact cache (`scan --cache DIR`), so a re-scan after a small change (the PR
 * bot's head scan after its base scan) redoes only the handlers the change can reach.
 *
 * What a handler's result depends on, and how each part is checked:
 * - the tool (version and build), the settings (config, rule options, catalog) and the service (which IaC files
 *   declare its functions): the name of the memo file, so any change there starts from an empty memo;
 * - the list of the service's files (resolution depends on what exists): one digest, any change and nothing is reused;
 * - everything the graph and the engine read outside the service's own sources (manifests, lockfiles, tsconfigs,
 *   node_modules, folders above the root): each question is asked again and its answer's digest compared;
 * - the function's own declaration (its spec) and the content of every file of its import graph, by any edge: the
 *   graph stage loads those and nothing else for it (see loadImportClosures), so the rules and analyses cannot have
 *   read any other service file for it.
 * A scan whose world reads produced warnings (a tsconfig or lockfile that does not parse) reuses nothing: which
 * handler triggers such a warning is not recorded, and a stale one must not outlive its cause.
 *
 * What is kept per handler: its init closure, its findings before suppressions and the baseline (those run over
 * every function each scan), its analysis values, its warnings, and per file of its graph the line count or why it
 * was skipped (the summary counts them). Hashes and results only, never a file's text or an environment value. A
 * memo that is absent, foreign, from another version or corrupt is empty; no memo problem ends a scan or changes its
 * result. Writes are atomic (a temporary file renamed over it); the folder keeps the 32 most recently written memos.
 */

const FORMAT = 1;
const MAGIC = 'lambda-migrate/handler-memo';
const KEEP_FILES = 32;

/** What one handler's graph and engine run produced, as the next stages read it. */
export interface HandlerOutcome {
  init: InitClosure;
  /** The handler export's line, null when the file does not export it. */
  line: number | null;
  warnings: string[];
  /** Before config severities, suppressions, fingerprints and the baseline. */
  findings: Finding[];
  /** The analyses' values by key (the engine's AnalysisValues: the graph stage does not know their types). */
  values: Readonly<Record<string, unknown>>;
  /** The inline suppression comments of the files the findings are in, for the files that have any. */
  suppressions?: Readonly<Record<string, SuppressionFact[]>>;
}

/** A file of a handler's import graph, as the summary counts it. */
export interface GraphFile {
  file: string;
  /** Its line count; null when it was skipped. */
  lines: number | null;
  skipped: Skipped | null;
}

export interface Reused {
  outcome: HandlerOutcome;
  files: readonly GraphFile[];
}

interface StoredFile {
  /** Path, content digest, lines (null when skipped), the skip record (null when parsed), the file's version token. */
  0: string;
  1: string;
  2: number | null;
  3: Skipped | null;
  /** SourceTree.version when the digest was taken (null: none, or too recent to trust); absent in older memos. */
  4?: string | null;
}

interface Stored {
  magic: typeof MAGIC;
  format: typeof FORMAT;
  listing: string;
  reusable: boolean;
  /** Outside question, digest of its answer, and for a read of a file that was there its version token. */
  world: ([string, string] | [string, string, string])[];
  files: StoredFile[];
  functions: Record<string, { spec: string; deps: number[]; outcome: HandlerOutcome }>;
}

export interface MemoStats {
  reused: number;
  computed: number;
}

export class HandlerMemo {
  readonly stats: MemoStats = { reused: 0, computed: 0 };
  private stored: Stored | null;
  private valid = false;
  private readonly digests = new Map<string, string>();
  private readonly next = new Map<string, { spec: string; files: GraphFile[]; outcome: HandlerOutcome }>();

  private constructor(
    private readonly file: string,
    stored: Stored | null,
  ) {
    this.stored = stored;
  }

  /**
   * The memo for this tool build, these settings and this service in the cache folder `dir` (which the fact cache
   * has already created), empty when there is none yet.
   */
  static open(dir: string, context: { settings: string; service: string }): HandlerMemo {
    const file = memoPath(dir, `results-v${FORMAT}`, MAGIC, FORMAT, [context.settings, context.service]);
    return new HandlerMemo(file, readStored(file));
  }

  /**
   * Checks the memo against the tree as it is now: the file list and every outside question asked before. `tree` must
   * be the one the stages read (a RecordingTree), so asking again counts as asking in this scan too.
   */
  begin(tree: SourceTree): void {
    const s = this.stored;
    this.valid = s !== null && s.reusable && s.listing === listingDigest(tree.files) && s.world.every((entry) => answerStands(tree, entry));
    if (!this.valid) this.stored = null;
  }

  /** The kept result of function `id`, when its spec and every file of its graph are as they were. */
  reuse(id: string, spec: string, tree: SourceTree): Reused | null {
    const entry = this.stored?.functions[id];
    const s = this.stored;
    if (!s || !entry || entry.spec !== spec) return null;
    const files: GraphFile[] = [];
    for (const i of entry.deps) {
      const f = s.files[i];
      if (!f || this.digestOf(tree, f[0], f) !== f[1]) return null;
      files.push({ file: f[0], lines: f[2], skipped: f[3] });
    }
    this.stats.reused++;
    this.next.set(id, { spec, files, outcome: entry.outcome });
    return { outcome: entry.outcome, files };
  }

  /** Records what function `id` produced in this scan, with the files of its graph. */
  computed(id: string, spec: string, files: GraphFile[], outcome: HandlerOutcome): void {
    this.stats.computed++;
    this.next.set(id, { spec, files, outcome });
  }

  /**
   * Writes the memo for the next scan: every function's result (reused or computed), and the outside questions this
   * scan asked (`world`, from the RecordingTree). `reusable` false when the scan's reads of the world warned.
   */
  save(tree: SourceTree, world: ReadonlyMap<string, string>, versions: ReadonlyMap<string, string>, reusable: boolean): void {
    const files: StoredFile[] = [];
    const index = new Map<string, number>();
    const functions: Stored['functions'] = {};
    for (const [id, entry] of [...this.next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const deps: number[] = [];
      for (const f of entry.files) {
        let i = index.get(f.file);
        if (i === undefined) {
          i = files.length;
          index.set(f.file, i);
          files.push([f.file, this.digestOf(tree, f.file), f.lines, f.skipped, tree.version(f.file)]);
        }
        deps.push(i);
      }
      functions[id] = { spec: entry.spec, deps, outcome: entry.outcome };
    }
    const stored: Stored = {
      magic: MAGIC,
      format: FORMAT,
      listing: listingDigest(tree.files),
      reusable,
      world: [...world].map(([key, digest]) => {
        const version = versions.get(key);
        return version === undefined ? [key, digest] : [key, digest, version];
      }),
      files,
      functions,
    };
    writeMemo(this.file, stored, KEEP_FILES);
  }

  /**
   * The content digest of a service file now; read once per scan, and its text released (memory stays flat) unless it
   * changed since the memo was written (the graph stage reads it next). Not read at all when its version token is the
   * one kept with the digest (`kept`): the file has not been written since.
   */
  private digestOf(tree: SourceTree, rel: string, kept?: StoredFile): string {
    let d = this.digests.get(rel);
    if (d === undefined) {
      // The token first: taken before any read of this scan, it never vouches for text newer than the digest.
      const version = tree.version(rel);
      if (kept !== undefined && typeof kept[4] === 'string' && kept[4] === version) {
        this.digests.set(rel, kept[1]);
        return kept[1];
      }
      d = digestText(tree.tryRead(rel));
      // A changed file is about to be parsed for the handler that holds it: its text stays for that read.
      if (kept === undefined || kept[1] === d) tree.release(rel);
      this.digests.set(rel, d);
    }
    return d;
  }
}

function readStored(file: string): Stored | null {
  const v = readMemo(file, MAGIC, FORMAT) as Partial<Stored> | null;
  if (v === null) return null;
  const ok =
    typeof v.listing === 'string' &&
    typeof v.reusable === 'boolean' &&
    Array.isArray(v.world) &&
    v.world.every(
      (w: unknown) =>
        Array.isArray(w) &&
        w.every((x: unknown) => typeof x === 'string') &&
        (w.length === 2 || (w.length === 3 && (w[0] as string).startsWith('r\0'))),
    ) &&
    Array.isArray(v.files) &&
    typeof v.functions === 'object' &&
    v.functions !== null;
  return ok ? (v as Stored) : null;
}
