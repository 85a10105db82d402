import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildId, packageVersion } from '../assets.js';

/**
 * The files of the cached re-scan's memos (`scan --cache DIR`): per-handler results (src/graph/handler-memo.ts),
 * discovery's per-step outputs (src/discover/memo.ts) and the walk (walk-memo.ts), each in its own folder under the cache. A memo file is named by what
 * it is valid for (tool version and build, plus the caller's own parts), holds one JSON value with a magic and a
 * format, is written atomically and read as absent when it is missing, foreign or corrupt. No memo problem ends a scan.
 */

/** Where the memo for `parts` lives in `<dir>/<folder>/`: a sha256 of the kind, format, tool build and parts. */
export function memoPath(dir: string, folder: string, magic: string, format: number, parts: readonly string[]): string {
  const name = createHash('sha256')
    .update([magic, String(format), packageVersion(), buildId(), ...parts].join('\0'))
    .digest('hex');
  return path.join(dir, folder, `${name}.json`);
}

/** The memo's value when the file holds one of this magic and format; null otherwise (absent, foreign, corrupt). */
export function readMemo(file: string, magic: string, format: number): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  return v['magic'] === magic && v['format'] === format ? v : null;
}

/**
 * Atomic: a temporary file renamed over the memo; then only the `keep` most recently written memos of its folder stay.
 * Never throws: a memo that cannot be written is a slower next scan, not a failed one.
 */
export function writeMemo(file: string, value: object, keep: number): void {
  const dir = path.dirname(file);
  const temp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify(value), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    return;
  }
  pruneMemos(dir, file, keep);
}

function pruneMemos(dir: string, current: string, keep: number): void {
  try {
    const memos = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => path.join(dir, n))
      .map((p) => ({ p, t: statSync(p).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { p } of memos.slice(keep)) if (p !== current) unlinkSync(p);
  } catch {
    // another scan pruned at the same time: nothing to do
  }
}

/** One digest of a tree's file list: resolution and discovery depend on what exists. */
export function listingDigest(files: readonly string[]): string {
  return createHash('sha1').update(files.join('\0')).digest('base64');
}
