import { answerOf, answerStands } from '../source/recording-tree.js';
import type { SourceTree } from '../source/tree.js';

/**
 * Discovery's part of the cached re-scan (`scan --cache DIR`). Each step of discovery (one IaC provider, the fallback,
 * the search for unreferenced handlers) reads the tree only through its DiscoverContext and never sees another step's
 * output, so what it produces depends on the file list, the options, its own input and the files and folders it read.
 * The file list and the options name the memo file (the caller's part: a new or removed file starts from an empty
 * memo); here each step is kept with its input and a digest of every answer it was given, and on the next scan it is
 * replayed when every one of those questions gets the same answer. Digests only, never a file's text.
 *
 * A step that stopped on a pathological file (a guarded failure) is not kept: it runs again next time.
 */

export interface StoredStep {
  /** What the step was given beside the tree (a digest of the declared handlers, for the unreferenced search). */
  input: string;
  /**
   * `<op>\0<path>` -> digest of the answer, as a RecordingTree keys them (`r` a read, `l` a listing), or
   * `g\0<n>\0<path>` -> `no` for a file that failed the step's `n`th set of gates. A read's third element is the
   * file's SourceTree.version when it was read: the same token now and the answer stands without reading the file.
   */
  asked: ([string, string] | [string, string, string])[];
  /** The gates of the step's gated reads, each as `[source, flags]` pairs, in the order first used. */
  gates: [string, string][][];
  /** The step's output, as JSON text: parsed afresh on each replay, so later mutation cannot reach the memo. */
  output: string;
}

export type StoredSteps = Record<string, StoredStep>;

export interface DiscoveryMemoStats {
  reused: number;
  computed: number;
}

export class DiscoveryMemo {
  readonly stats: DiscoveryMemoStats = { reused: 0, computed: 0 };
  private readonly next: StoredSteps = {};

  constructor(
    /** The steps the last scan with this file list and these options kept; null when there is no memo. */
    private readonly stored: Readonly<StoredSteps> | null,
    private readonly tree: SourceTree,
  ) {}

  /** The kept output of `step`, when it had this input and every question it asked has the same answer now. */
  recall(step: string, input: string): unknown {
    const kept = this.stored !== null && Object.hasOwn(this.stored, step) ? this.stored[step] : undefined;
    if (!isStep(kept) || kept.input !== input) return undefined;
    const gates = kept.gates.map(compileGates);
    const answer = (tree: SourceTree, key: string): string | null => answerNow(tree, key, gates);
    if (!kept.asked.every((entry) => answerStands(this.tree, entry, answer))) return undefined;
    let output: unknown;
    try {
      output = JSON.parse(kept.output);
    } catch {
      return undefined;
    }
    this.stats.reused++;
    this.next[step] = kept;
    return output;
  }

  /** Records what `step` produced from `input` and the questions it asked, for the next scan. */
  keep(step: string, recorder: StepRecorder, input: string, output: unknown): void {
    this.stats.computed++;
    this.next[step] = { input, asked: recorder.entries(), gates: recorder.gates(), output: JSON.stringify(output) };
  }

  /** What the next scan replays: every step kept or replayed in this one. */
  steps(): StoredSteps {
    return this.next;
  }
}

/** A kept step as this format writes it: a memo file edited or cut short by hand is read as holding nothing. */
function isStep(value: unknown): value is StoredStep {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StoredStep>;
  return (
    typeof v.input === 'string' &&
    typeof v.output === 'string' &&
    Array.isArray(v.gates) &&
    v.gates.every(
      (set: unknown) =>
        Array.isArray(set) && set.every((g: unknown) => Array.isArray(g) && g.length === 2 && typeof g[0] === 'string' && typeof g[1] === 'string'),
    ) &&
    Array.isArray(v.asked) &&
    v.asked.every(
      (a: unknown) =>
        Array.isArray(a) &&
        (a.length === 2 || (a.length === 3 && typeof a[2] === 'string')) &&
        typeof a[0] === 'string' &&
        typeof a[1] === 'string' &&
        (a.length === 2 || a[0].startsWith('r\0') || a[0].startsWith('g\0')),
    )
  );
}

/**
 * The questions one step asks, keyed and digested the way `answerOf` asks them again: the answer is taken from the
 * tree (whose reads are cached) when first asked, so a failed read and a missing file both digest as absent.
 */
export class StepRecorder {
  readonly asked = new Map<string, string>();
  /** The version token of each file read, taken before its first read (reads only; listings have none). */
  private readonly versions = new Map<string, string>();
  /** Each distinct set of gates (as its JSON) -> its number in this step. */
  private readonly gateIds = new Map<string, number>();

  constructor(private readonly tree: SourceTree) {}

  note(op: 'r' | 'l', rel: string): void {
    const key = `${op}\0${rel}`;
    if (this.asked.has(key)) return;
    const version = op === 'r' ? this.tree.version(rel) : null;
    const digest = answerOf(this.tree, key);
    if (digest === null) return;
    this.asked.set(key, digest);
    if (version !== null) this.versions.set(key, version);
  }

  /** A file read through gates it failed: what the step learnt is that, not the text. */
  noteGated(rel: string, gates: readonly RegExp[]): void {
    if (this.asked.has(`r\0${rel}`)) return;
    const spec = JSON.stringify(gates.map((g) => [g.source, g.flags]));
    let id = this.gateIds.get(spec);
    if (id === undefined) {
      id = this.gateIds.size;
      this.gateIds.set(spec, id);
    }
    const key = `g\0${id}\0${rel}`;
    if (this.asked.has(key)) return;
    this.asked.set(key, FAILED_GATES);
    const version = this.tree.version(rel);
    if (version !== null) this.versions.set(key, version);
  }

  /** The questions as a memo keeps them: with the version token, for the reads that have one. */
  entries(): ([string, string] | [string, string, string])[] {
    return [...this.asked].map(([key, digest]) => {
      const version = this.versions.get(key);
      return version === undefined ? [key, digest] : [key, digest, version];
    });
  }

  gates(): [string, string][][] {
    return [...this.gateIds.keys()].map((spec) => JSON.parse(spec) as [string, string][]);
  }
}

const FAILED_GATES = 'no';

/** A kept set of gates as regular expressions (never global or sticky); null when one does not compile. */
function compileGates(set: readonly [string, string][]): RegExp[] | null {
  try {
    return set.map(([source, flags]) => new RegExp(source, flags.replace(/[gy]/g, '')));
  } catch {
    return null;
  }
}

/**
 * The answer the tree gives now to a kept question: a RecordingTree key, or a gated read (`g\0<n>\0<path>`), whose
 * answer is whether the file still fails the gates: the text's digest when it passes them now (never a kept answer).
 */
function answerNow(tree: SourceTree, key: string, gateSets: readonly (RegExp[] | null)[]): string | null {
  if (!key.startsWith('g\0')) return answerOf(tree, key);
  const cut = key.indexOf('\0', 2);
  const gates = cut < 0 ? undefined : gateSets[Number(key.slice(2, cut))];
  if (gates === undefined || gates === null) return null;
  const text = tree.tryRead(key.slice(cut + 1));
  return text !== null && !gates.every((g) => g.test(text)) ? FAILED_GATES : 'passes';
}
