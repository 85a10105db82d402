import path from 'node:path';

const posix = path.posix;

/** What normalising changes: `.` or `..` segments, doubled or trailing slashes. */
const NOT_NORMAL = /(?:^|\/)\.\.?(?:\/|$)|\/\/|\/$/;

/** Directory of a root-relative path; `''` for a file at the root. */
export function dirOf(rel: string): string {
  const dir = posix.dirname(rel);
  return dir === '.' ? '' : dir;
}

/**
 * Joins and normalises root-relative parts. The result may start with `..` when it leaves the root;
 * callers treat that as "outside the scanned tree" rather than guessing.
 */
export function joinRel(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  // Most joins are of plain segments: the joined string is already what normalising would give.
  const plain = kept.join('/');
  if (!NOT_NORMAL.test(plain)) return plain;
  const joined = posix.normalize(posix.join(...kept));
  if (joined === '.' || joined === './') return '';
  return joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

export function isOutsideRoot(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || rel.startsWith('/');
}

/** Path of `rel` as seen from the directory `fromDir` (both root-relative). */
export function relativeTo(fromDir: string, rel: string): string {
  const out = posix.relative(fromDir === '' ? '.' : fromDir, rel === '' ? '.' : rel);
  return out;
}

export function baseName(rel: string): string {
  return posix.basename(rel);
}

/** File name without its last extension (`lib/stack.ts` -> `lib/stack`). */
export function stripExtension(rel: string): string {
  const ext = posix.extname(rel);
  return ext === '' ? rel : rel.slice(0, -ext.length);
}

export function extensionOf(rel: string): string {
  return posix.extname(rel);
}
