import path from 'node:path';
import { realpathSync } from 'node:fs';
import { memoPath, readMemo, writeMemo } from './memo-file.js';
import { changeToken, walkTree, type WalkedTree, type WalkOptions } from './walk.js';

/**
 * The walk's part of the cached re-scan (`scan --cache DIR`): the file list and folder listings of the last walk of
 * this root with these options, kept with the change token of every folder it listed and every `.gitignore` it read.
 * A folder's token changes when an entry is added, removed or renamed in it, and a file's when it is written, so when
 * every token is the same the walk would list the same files: one stat per folder instead of reading it and matching
 * every entry against the ignore rules. A walk that followed a symbolic link, or met a folder or `.gitignore` changed
 * in the last seconds, is not kept (walkTree says so); any token that differs and the tree is walked again.
 */

const MAGIC = 'lambda-migrate/walk-memo';
const FORMAT = 1;
const KEEP_FILES = 32;

interface StoredWalk {
  dirs: [string, string][];
  ignores: [string, string][];
  files: string[];
  listings: [string, string[]][];
}

export function walkWithMemo(root: string, options: WalkOptions, cacheDir: string): WalkedTree {
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    return walkTree(root, options);
  }
  const asked = JSON.stringify({ prune: [...(options.prune ?? [])], gitignore: options.gitignore ?? true });
  const file = memoPath(cacheDir, `walk-v${FORMAT}`, MAGIC, FORMAT, [rootReal, asked]);
  const stored = storedWalk(readMemo(file, MAGIC, FORMAT));
  if (stored !== null && unchanged(root, stored)) {
    return { files: stored.files, listings: new Map(stored.listings), tokens: { dirs: stored.dirs, ignores: stored.ignores } };
  }
  const walked = walkTree(root, options);
  if (walked.tokens !== null) {
    const value: StoredWalk & { magic: string; format: number } = {
      magic: MAGIC,
      format: FORMAT,
      ...walked.tokens,
      files: walked.files,
      listings: [...walked.listings],
    };
    writeMemo(file, value, KEEP_FILES);
  }
  return walked;
}

function unchanged(root: string, stored: StoredWalk): boolean {
  for (const [rel, token] of stored.dirs) if (changeToken(path.join(root, rel), 'dir') !== token) return false;
  for (const [rel, token] of stored.ignores) if (changeToken(path.join(root, rel, '.gitignore'), 'file') !== token) return false;
  return true;
}

const isPair = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** The kept walk when the memo holds one in this format (a file edited or cut short by hand holds none). */
function storedWalk(value: Record<string, unknown> | null): StoredWalk | null {
  if (value === null) return null;
  const { dirs, ignores, files, listings } = value;
  const ok =
    Array.isArray(dirs) &&
    dirs.length > 0 &&
    dirs.every(isPair) &&
    Array.isArray(ignores) &&
    ignores.every(isPair) &&
    isStrings(files) &&
    Array.isArray(listings) &&
    listings.every((l: unknown) => Array.isArray(l) && l.length === 2 && typeof l[0] === 'string' && isStrings(l[1]));
  return ok ? ({ dirs, ignores, files, listings } as StoredWalk) : null;
}
