import path from 'node:path';
import { realpathSync } from 'node:fs';
import { memoPath, readMemo, writeMemo } from './memo-file.js';
import { changeToken, relistFolder, walkTree, type WalkedTree, type WalkOptions } from './walk.js';

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
  const changed = stored !== null ? changedFolders(root, stored) : null;
  if (stored !== null && changed !== null && changed.length === 0) {
    return { files: stored.files, listings: new Map(stored.listings), tokens: { dirs: stored.dirs, ignores: stored.ignores } };
  }
  const patched = stored !== null && changed !== null ? relisted(root, options, stored, changed) : null;
  const walked = patched ?? walkTree(root, { ...options, tokens: true });
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

/** The folders whose token changed; null when a `.gitignore` changed (its rules reach every folder below). */
function changedFolders(root: string, stored: StoredWalk): string[] | null {
  for (const [rel, token] of stored.ignores) if (changeToken(path.join(root, rel, '.gitignore'), 'file') !== token) return null;
  const changed: string[] = [];
  for (const [rel, token] of stored.dirs) if (changeToken(path.join(root, rel), 'dir') !== token) changed.push(rel);
  return changed;
}

/** At most this many changed folders are listed again one by one; beyond, the whole tree is walked. */
const MAX_RELISTED = 64;

/**
 * The kept walk with the changed folders listed again (a file added, removed or renamed in them: a `git checkout` of
 * a few files, an editor saving by rename). Null, and the tree is walked, when a changed folder gained or lost a
 * subfolder the walk enters or a `.gitignore`, holds a link, or cannot be listed. The patched walk is kept for the
 * next scan only when every changed folder has a token again (none changed in the last seconds).
 */
function relisted(root: string, options: WalkOptions, stored: StoredWalk, changed: readonly string[]): WalkedTree | null {
  if (changed.length > MAX_RELISTED) return null;
  const walkedDirs = new Set(stored.dirs.map(([rel]) => rel));
  const ignoreFolders = stored.ignores.map(([rel]) => rel);
  const listings = new Map(stored.listings);
  const gone = new Set<string>();
  const added: string[] = [];
  const tokens = new Map(stored.dirs);
  let replayable = true;
  for (const rel of changed) {
    const token = changeToken(path.join(root, rel), 'dir');
    const above = ignoreFolders.filter((base) => base === '' || base === rel || rel.startsWith(`${base}/`));
    const now = relistFolder(root, rel, above, options);
    if (now === null || now.names.includes('.gitignore') !== ignoreFolders.includes(rel)) return null;
    const before = (listings.get(rel) ?? []).map((name) => (rel === '' ? name : `${rel}/${name}`));
    const dirsBefore = before.filter((p) => walkedDirs.has(p)).sort();
    const dirsNow = now.dirs.map((name) => (rel === '' ? name : `${rel}/${name}`)).sort();
    if (dirsBefore.join('\0') !== dirsNow.join('\0')) return null;
    for (const p of before) gone.add(p);
    added.push(...now.files);
    listings.set(rel, now.names);
    if (token === null) replayable = false;
    else tokens.set(rel, token);
  }
  const files = [...stored.files.filter((f) => !gone.has(f)), ...added].sort();
  return { files, listings, tokens: replayable ? { dirs: [...tokens], ignores: stored.ignores } : null };
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
