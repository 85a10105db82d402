import { createHash } from 'node:crypto';
import type { FileStat, SourceTree } from './tree.js';

/**
 * A SourceTree that remembers what the stages asked of it outside the service's own source files: manifests,
 * lockfiles, tsconfigs, node_modules, folders above the root. Each question is kept with a digest of its answer, so
 * a later scan can ask them again (`answerOf`) and know whether that part of the world is as it was. The service's
 * own sources are left out: a result cache keys those by their content, file by file.
 *
 * Keys are `<op>\0<path>`: `r` a read (text or absent), `s` a stat, `l` a folder listing, `p` a real path.
 */
export class RecordingTree implements SourceTree {
  /** Question -> digest of the answer, in the order first asked. */
  readonly asked = new Map<string, string>();
  /** Read questions whose file was there -> its version token (SourceTree.version), when it has one. */
  readonly versions = new Map<string, string>();

  constructor(
    private readonly inner: SourceTree,
    /** True for the files whose content the caller keys itself (the service's own sources). */
    private readonly ownSource: (rel: string) => boolean,
  ) {}

  get root(): string {
    return this.inner.root;
  }

  get files(): readonly string[] {
    return this.inner.files;
  }

  get readCount(): ReadonlyMap<string, number> {
    return this.inner.readCount;
  }

  has(rel: string): boolean {
    return this.inner.has(rel);
  }

  read(rel: string): string {
    let text: string | null = null;
    try {
      text = this.inner.read(rel);
      return text;
    } finally {
      this.noteRead(rel, text);
    }
  }

  tryRead(rel: string): string | null {
    const text = this.inner.tryRead(rel);
    this.noteRead(rel, text);
    return text;
  }

  json(rel: string): unknown {
    const value = this.inner.json(rel);
    // The same text parses to the same value: the text is the answer to keep.
    this.note('r', rel, () => digestText(this.inner.tryRead(rel)));
    return value;
  }

  stat(rel: string): FileStat | null {
    const s = this.inner.stat(rel);
    this.note('s', rel, () => digestStat(s));
    return s;
  }

  list(dir: string): readonly string[] | null {
    const names = this.inner.list(dir);
    this.note('l', dir, () => digestList(names));
    return names;
  }

  realpath(rel: string): string | null {
    const real = this.inner.realpath(rel);
    this.note('p', rel, () => real ?? '\0');
    return real;
  }

  release(rel: string): void {
    this.inner.release(rel);
  }

  /** Not a question about the world: the token only lets a cache skip reading a file it keys by content anyway. */
  version(rel: string): string | null {
    return this.inner.version(rel);
  }

  /** A read, with the file's version token when it was there (taken before the read, so it never vouches for more). */
  private noteRead(rel: string, text: string | null): void {
    const key = `r\0${rel}`;
    if (this.asked.has(key) || this.ownSource(rel)) return;
    this.asked.set(key, digestText(text));
    const version = text === null ? null : this.inner.version(rel);
    if (version !== null) this.versions.set(key, version);
  }

  private note(op: string, rel: string, digest: () => string): void {
    if (this.ownSource(rel)) return;
    const key = `${op}\0${rel}`;
    if (!this.asked.has(key)) this.asked.set(key, digest());
  }
}

/** The digest of the answer `tree` gives now to a question a RecordingTree kept; null for a key it cannot have made. */
export function answerOf(tree: SourceTree, key: string): string | null {
  const cut = key.indexOf('\0');
  const op = key.slice(0, cut);
  const rel = key.slice(cut + 1);
  switch (op) {
    case 'r':
      return digestText(tree.tryRead(rel));
    case 's':
      return digestStat(tree.stat(rel));
    case 'l':
      return digestList(tree.list(rel));
    case 'p':
      return tree.realpath(rel) ?? '\0';
    default:
      return null;
  }
}

/**
 * Whether a kept answer stands: the file's version token is the kept one (a read of a file that has not been written
 * since: nothing is read), or the tree's answer now (`answer`, by default `answerOf`) has the kept digest. The path is
 * what follows the key's last NUL.
 */
export function answerStands(
  tree: SourceTree,
  [key, digest, version]: readonly [string, string, string?],
  answer: (tree: SourceTree, key: string) => string | null = answerOf,
): boolean {
  if (version !== undefined && tree.version(key.slice(key.lastIndexOf('\0') + 1)) === version) return true;
  return answer(tree, key) === digest;
}

/** sha1 of a file's text (or of its absence): what a result cache compares, never the text itself. */
export function digestText(text: string | null): string {
  return text === null ? '\0' : createHash('sha1').update(text).digest('base64');
}

function digestStat(s: FileStat | null): string {
  return s === null ? '\0' : `${s.size}|${s.isFile ? 'f' : ''}${s.isDirectory ? 'd' : ''}`;
}

function digestList(names: readonly string[] | null): string {
  return names === null ? '\0' : createHash('sha1').update(names.join('\0')).digest('base64');
}
