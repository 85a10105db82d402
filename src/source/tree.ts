import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { changeToken, walkTree, type WalkOptions } from './walk.js';
import { walkWithMemo } from './walk-memo.js';

/**
 * The one boundary through which the pipeline reads the scanned service. Paths are POSIX and relative to the
 * service root; they may climb above it (`../node_modules/x`, `../package-lock.json`) because Node and package
 * managers look there too (a service inside a monorepo). Nothing outside this module and `src/metrics` touches the
 * file system for the scanned service, so every read is counted, each file is read once, and a test can hand the
 * pipeline an in-memory tree instead of a temp folder.
 */
export interface SourceTree {
  /** The service root: absolute on disk, a made-up absolute path for an in-memory tree. For messages only. */
  readonly root: string;
  /** Every file the walk lists (sorted; pruned folders such as node_modules and dist are not in it). */
  readonly files: readonly string[];
  /** Whether `rel` is one of the listed files. */
  has(rel: string): boolean;
  /** The file's text, listed or not; throws a `SourceReadError` when it cannot be read. Cached until `release`. */
  read(rel: string): string;
  /** The file's text, or null when it is absent or unreadable. */
  tryRead(rel: string): string | null;
  /** The parsed JSON, or null when the file is absent, unreadable or not JSON. Cached. */
  json(rel: string): unknown;
  /** Size and kind, or null when nothing is there. */
  stat(rel: string): FileStat | null;
  /** A folder's entry names (sorted), or null when it is not a folder. */
  list(dir: string): readonly string[] | null;
  /** The path with links resolved, still relative to the root; null when it does not exist. */
  realpath(rel: string): string | null;
  /** Drops a cached text (its facts are extracted): memory stays flat on large trees. */
  release(rel: string): void;
  /**
   * A token that changes whenever the file's content may have changed (device, inode, size, modification and change
   * times), taken before this tree first read the file, so it is never newer than the text the tree gave: a cached
   * re-scan trusts a digest kept with the same token without reading the file. Null when the store keeps no such
   * times (in memory; a tree on disk opened without a cache folder, which stats nothing for them), when nothing is
   * there, or when the file was modified within the last seconds, where the file system's coarse clock could give a
   * second write the same times (git's "racy" files).
   */
  version(rel: string): string | null;
  /** How many times each file's text was read from the backing store (every file once, ideally). */
  readonly readCount: ReadonlyMap<string, number>;
}

export interface FileStat {
  size: number;
  isFile: boolean;
  isDirectory: boolean;
}

export class SourceReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'SourceReadError';
  }
}

/** What `normalizeRel` would change: `.` or `..` segments, doubled or trailing slashes. */
const NOT_NORMAL = /(?:^|\/)\.\.?(?:\/|$)|\/\/|\/$/;

/** `a/./b/../c` -> `a/c`; `''` and `.` are the root. Leading `..` segments are kept. */
export function normalizeRel(rel: string): string {
  // Nearly every path asked for is already normal; this is on every read, stat and lookup of the scan.
  if (!NOT_NORMAL.test(rel) && (path.sep === '/' || !rel.includes(path.sep))) return rel;
  const n = path.posix.normalize(rel.split(path.sep).join('/'));
  return n === '.' || n === './' ? '' : n.replace(/\/$/, '');
}

/** Shared caching for both trees: the backing store only answers raw questions. */
abstract class CachedTree implements SourceTree {
  abstract readonly root: string;
  abstract readonly files: readonly string[];
  private fileSet: Set<string> | null = null;
  private readonly texts = new Map<string, string | null>();
  private readonly parsed = new Map<string, unknown>();
  private readonly counts = new Map<string, number>();
  private readonly versions = new Map<string, string | null>();

  protected abstract load(rel: string): string;
  /** The store's version token for `rel` (see SourceTree.version); null by default. */
  protected versionRaw(_rel: string): string | null {
    return null;
  }
  protected abstract statRaw(rel: string): FileStat | null;
  protected abstract listRaw(dir: string): string[] | null;
  protected abstract realpathRaw(rel: string): string | null;
  /**
   * True only when the backing store knows, without trying to open it, that nothing is at `rel`. Lockfile, manifest
   * and node_modules lookups climb every folder to the file-system root and mostly ask for files that are not there;
   * a failed open costs an exception each, a cached folder listing a set lookup.
   */
  protected absent(_rel: string): boolean {
    return false;
  }

  get readCount(): ReadonlyMap<string, number> {
    return this.counts;
  }

  has(rel: string): boolean {
    this.fileSet ??= new Set(this.files);
    return this.fileSet.has(normalizeRel(rel));
  }

  read(rel: string): string {
    const key = normalizeRel(rel);
    const cached = this.texts.get(key);
    if (typeof cached === 'string') return cached;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    // Before the read: a write after this stat changes the token, so a kept token never vouches for newer text.
    if (!this.versions.has(key)) this.versions.set(key, this.versionRaw(key));
    try {
      const text = this.load(key);
      this.texts.set(key, text);
      return text;
    } catch (err) {
      if (err instanceof SourceReadError) throw err;
      throw new SourceReadError(key, err instanceof Error ? err.message : String(err));
    }
  }

  tryRead(rel: string): string | null {
    const key = normalizeRel(rel);
    if (typeof this.texts.get(key) !== 'string' && this.absent(key)) return null;
    try {
      return this.read(key);
    } catch {
      return null;
    }
  }

  json(rel: string): unknown {
    const key = normalizeRel(rel);
    if (this.parsed.has(key)) return this.parsed.get(key);
    let value: unknown = null;
    const text = this.tryRead(key);
    if (text !== null) {
      try {
        value = JSON.parse(text);
      } catch {
        value = null;
      }
    }
    this.parsed.set(key, value);
    return value;
  }

  stat(rel: string): FileStat | null {
    const key = normalizeRel(rel);
    return this.absent(key) ? null : this.statRaw(key);
  }

  list(dir: string): readonly string[] | null {
    return this.listRaw(normalizeRel(dir));
  }

  realpath(rel: string): string | null {
    const key = normalizeRel(rel);
    return this.absent(key) ? null : this.realpathRaw(key);
  }

  release(rel: string): void {
    this.texts.delete(normalizeRel(rel));
  }

  version(rel: string): string | null {
    const key = normalizeRel(rel);
    let v = this.versions.get(key);
    if (v === undefined) {
      v = this.versionRaw(key);
      this.versions.set(key, v);
    }
    return v;
  }
}

/** A folder's entry names, for answering "nothing there" without an open that fails. */
class Listing {
  private readonly names: ReadonlySet<string>;
  private folded: ReadonlySet<string> | null = null;

  constructor(names: Iterable<string>) {
    this.names = new Set(names);
  }

  /**
   * False only when no entry can be `name`. A case-insensitive file system (macOS, Windows) opens `Package.json` as
   * `package.json`, so a name that matches an entry but for case or Unicode form is treated as maybe there.
   */
  mayHave(name: string): boolean {
    if (this.names.has(name)) return true;
    this.folded ??= new Set([...this.names].map(foldName));
    return this.folded.has(foldName(name));
  }
}

function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** A folder that exists but cannot be listed (no read permission): its files may still open. */
const UNLISTABLE = Symbol('unlistable');

/** The service on disk. Build it with `openSourceTree`, which walks it once. */
export class DiskSourceTree extends CachedTree {
  /** Absolute folder -> its entries; null when it is not a folder (nothing can be below it). */
  private readonly listings = new Map<string, Listing | null | typeof UNLISTABLE>();
  private readonly rootPrefix: string;

  private constructor(
    readonly root: string,
    readonly files: readonly string[],
    walked: ReadonlyMap<string, readonly string[]> = new Map(),
    /** Whether `version` stats files: only for a cached scan, which keeps the tokens. */
    private readonly versioned = false,
  ) {
    super();
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
    // The walk has listed every folder it read: lookups inside the tree start from those listings.
    for (const [rel, names] of walked) this.listings.set(this.abs(rel), new Listing(names));
  }

  static async open(root: string, options: OpenOptions = {}): Promise<DiskSourceTree> {
    const abs = path.resolve(root);
    const { cache, ...walkOptions } = options;
    const walked = cache !== undefined ? walkWithMemo(abs, walkOptions, cache) : walkTree(abs, walkOptions);
    return new DiskSourceTree(abs, walked.files, walked.listings, cache !== undefined);
  }

  /** A tree at `root` with no walk (nothing listed): for readers that go by path only, such as lockfile lookups. */
  static at(root: string, files: readonly string[] = []): DiskSourceTree {
    return new DiskSourceTree(path.resolve(root), files);
  }

  private abs(rel: string): string {
    // Paths arrive normalised (normalizeRel): one below the root needs no second normalisation, only the root put in front.
    if (path.sep === '/' && rel !== '' && !rel.startsWith('..') && !rel.startsWith('/')) return this.rootPrefix + rel;
    return path.join(this.root, rel);
  }

  protected override absent(rel: string): boolean {
    return this.absentAbs(this.abs(rel));
  }

  private absentAbs(abs: string): boolean {
    const dir = path.dirname(abs);
    if (dir === abs) return false;
    const listing = this.listingOf(dir);
    return listing === null || (listing !== UNLISTABLE && !listing.mayHave(path.basename(abs)));
  }

  /** Each folder is listed once per scan, and only when its parent's listing says it may be there. */
  private listingOf(dirAbs: string): Listing | null | typeof UNLISTABLE {
    const cached = this.listings.get(dirAbs);
    if (cached !== undefined) return cached;
    let listing: Listing | null | typeof UNLISTABLE;
    if (this.absentAbs(dirAbs)) listing = null;
    else {
      try {
        listing = new Listing(readdirSync(dirAbs));
      } catch (err) {
        const code = err instanceof Error && 'code' in err ? err.code : undefined;
        listing = code === 'ENOENT' || code === 'ENOTDIR' ? null : UNLISTABLE;
      }
    }
    this.listings.set(dirAbs, listing);
    return listing;
  }

  protected load(rel: string): string {
    return readFileSync(this.abs(rel), 'utf8');
  }

  protected statRaw(rel: string): FileStat | null {
    try {
      const s = statSync(this.abs(rel));
      return { size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory() };
    } catch {
      return null;
    }
  }

  protected override versionRaw(rel: string): string | null {
    return this.versioned ? changeToken(this.abs(rel), 'file') : null;
  }

  protected listRaw(dir: string): string[] | null {
    try {
      return readdirSync(this.abs(dir)).sort();
    } catch {
      return null;
    }
  }

  protected realpathRaw(rel: string): string | null {
    try {
      return normalizeRel(path.relative(this.root, realpathSync(this.abs(rel))));
    } catch {
      return null;
    }
  }
}

export interface OpenOptions extends WalkOptions {
  /**
   * The `--cache` folder (absolute): a walk whose folders and `.gitignore` files are unchanged is not done again, and
   * files get version tokens (SourceTree.version).
   */
  cache?: string;
}

export function openSourceTree(root: string, options: OpenOptions = {}): Promise<DiskSourceTree> {
  return DiskSourceTree.open(root, options);
}

/**
 * A service held in memory: `{ 'serverless.yml': '...', 'src/handler.ts': '...' }`. Paths above the root
 * (`../node_modules/...`) may be given too; only paths inside the root are listed in `files`.
 */
export class MemorySourceTree extends CachedTree {
  readonly files: readonly string[];
  private readonly contents: ReadonlyMap<string, string>;
  private readonly dirs = new Map<string, Set<string>>();

  constructor(
    contents: Readonly<Record<string, string>>,
    readonly root: string = '/memory/service',
  ) {
    super();
    const map = new Map<string, string>();
    for (const [rel, text] of Object.entries(contents)) map.set(normalizeRel(rel), text);
    this.contents = map;
    this.files = [...map.keys()].filter((f) => !f.startsWith('../') && !f.split('/').some((s) => s === 'node_modules')).sort();
    for (const file of map.keys()) {
      let child = file;
      for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
        const key = dir === '.' ? '' : dir;
        const set = this.dirs.get(key) ?? new Set<string>();
        set.add(path.posix.basename(child));
        this.dirs.set(key, set);
        if (key === '' || key === '..' || key.endsWith('/..')) break;
        child = dir;
      }
    }
  }

  protected load(rel: string): string {
    const text = this.contents.get(rel);
    if (text === undefined) throw new SourceReadError(rel, `ENOENT: no such file '${rel}'`);
    return text;
  }

  protected statRaw(rel: string): FileStat | null {
    const text = this.contents.get(rel);
    if (text !== undefined) return { size: Buffer.byteLength(text), isFile: true, isDirectory: false };
    return this.dirs.has(rel) ? { size: 0, isFile: false, isDirectory: true } : null;
  }

  protected listRaw(dir: string): string[] | null {
    const set = this.dirs.get(dir);
    return set ? [...set].sort() : null;
  }

  protected realpathRaw(rel: string): string | null {
    return this.statRaw(rel) !== null ? rel : null;
  }

  protected override absent(rel: string): boolean {
    return !this.contents.has(rel) && !this.dirs.has(rel);
  }
}

/** A view by absolute path, for code that follows Node's own resolution (node_modules walks); it still reads through the tree. */
export interface AbsoluteReader {
  read(abs: string): string;
  stat(abs: string): FileStat | null;
  realpath(abs: string): string | null;
  json(abs: string): unknown;
  release(abs: string): void;
}

export function absoluteReader(tree: SourceTree): AbsoluteReader {
  const prefix = tree.root.endsWith(path.sep) ? tree.root : tree.root + path.sep;
  // Most paths asked for are below the root: slicing the prefix off gives what path.relative would, much cheaper.
  const rel = (abs: string): string => normalizeRel(abs.startsWith(prefix) ? abs.slice(prefix.length) : path.relative(tree.root, abs));
  return {
    read: (abs) => tree.read(rel(abs)),
    stat: (abs) => tree.stat(rel(abs)),
    realpath: (abs) => {
      const real = tree.realpath(rel(abs));
      return real === null ? null : path.join(tree.root, real);
    },
    json: (abs) => tree.json(rel(abs)),
    release: (abs) => tree.release(rel(abs)),
  };
}
