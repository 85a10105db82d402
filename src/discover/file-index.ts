import { dirOf } from './paths.js';

/**
 * Questions about the tree's file set that a provider asks once per declaration (which files sit in this folder, is
 * anything under that one): answered from an index built once per file set, not by a pass over every file each time.
 */
interface FileIndex {
  byDir: ReadonlyMap<string, readonly string[]>;
  /** Every file, sorted by code unit, for prefix searches. */
  sorted: readonly string[];
}

const indexes = new WeakMap<ReadonlySet<string>, FileIndex>();

function indexOf(files: ReadonlySet<string>): FileIndex {
  let index = indexes.get(files);
  if (index === undefined) {
    const byDir = new Map<string, string[]>();
    for (const rel of files) {
      const dir = dirOf(rel);
      const list = byDir.get(dir);
      if (list === undefined) byDir.set(dir, [rel]);
      else list.push(rel);
    }
    const sorted = [...files];
    // The tree lists its files sorted already; sort only a set that is not.
    if (sorted.some((f, i) => i > 0 && (sorted[i - 1] ?? '') > f)) sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    index = { byDir, sorted };
    indexes.set(files, index);
  }
  return index;
}

/** The files directly in `dir` (root-relative, `''` for the root), in the set's order. */
export function filesIn(files: ReadonlySet<string>, dir: string): readonly string[] {
  return indexOf(files).byDir.get(dir) ?? [];
}

/** Whether any file's path starts with `prefix`. */
export function someFileStartsWith(files: ReadonlySet<string>, prefix: string): boolean {
  const { sorted } = indexOf(files);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < prefix) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo]?.startsWith(prefix) === true;
}
