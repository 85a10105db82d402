import { readFileSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import ignore, { type Ignore } from 'ignore';
import path from 'node:path';

/**
 * Directories never read as sources: installed packages, VCS data and build output. Build output is
 * pruned because it duplicates the sources (and would double every finding); the scanner maps IaC
 * handlers that point into it back to their sources instead.
 */
export const PRUNED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  '.aws-sam',
  '.serverless',
  'cdk.out',
  'coverage',
  '.build',
  '.webpack',
  '.esbuild',
  '.next',
  '.turbo',
  '.cache',
  '.terraform',
  '.sst',
]);

export interface WalkOptions {
  /** Extra directory names to prune. */
  prune?: Iterable<string>;
  /** Honour `.gitignore` files inside the root (each applies to its own folder and below). Default true. */
  gitignore?: boolean;
  /** Take the change tokens a walk memo keeps (`WalkedTree.tokens`): one stat per folder more. Default false. */
  tokens?: boolean;
}

interface IgnoreScope {
  /** Root-relative folder the `.gitignore` sits in (`''` for the root). */
  base: string;
  rules: IgnoreRules;
}

/**
 * One `.gitignore` text, compiled once however many folders hold the same text (a patterns repository has hundreds
 * of identical ones): the matcher answers by the path relative to the file's folder, so identical rules give
 * identical answers wherever they sit, and its cache is shared too.
 */
interface IgnoreRules {
  matcher: Ignore;
  /**
   * Every rule is a bare name pattern (`node_modules/`, `*.js`, `!keep.log`: no slash but a trailing one, no
   * escapes). Git matches such a pattern against the last path segment only, and the walk never enters an ignored
   * folder, so the entry's own name decides: matching by name hits the cache for every `index.ts` and `package.json`.
   */
  byName: boolean;
}

function compileRules(text: string, cache: Map<string, IgnoreRules>): IgnoreRules {
  let rules = cache.get(text);
  if (rules === undefined) {
    rules = { matcher: ignore().add(text), byName: text.split(/\r?\n/).every(isNamePattern) };
    cache.set(text, rules);
  }
  return rules;
}

function isNamePattern(rawLine: string): boolean {
  const line = rawLine.trimEnd();
  if (line === '' || line.startsWith('#')) return true;
  if (line.includes('\\')) return false;
  const body = line.endsWith('/') ? line.slice(0, -1) : line;
  return body !== '' && body !== '!' && !body.includes('/');
}

interface QueueItem {
  rel: string;
  /** The folder's real path: links are resolved once, when followed. */
  real: string;
  scopes: readonly IgnoreScope[];
}

/** A name made of dots only is not a path `ignore` accepts on its own (`...`); it is asked with its folder. */
const DOTS_ONLY = /^\.+$/;

function ignoredBy(scopes: readonly IgnoreScope[], rel: string, name: string, isDir: boolean): boolean {
  for (const { base, rules } of scopes) {
    const local = rules.byName && !DOTS_ONLY.test(name) ? name : base === '' ? rel : rel.slice(base.length + 1);
    if (rules.matcher.ignores(isDir ? `${local}/` : local)) return true;
  }
  return false;
}

function isInside(rootReal: string, target: string): boolean {
  return target === rootReal || target.startsWith(rootReal + path.sep);
}

/**
 * Lists every file under `root`, as sorted relative POSIX paths. An own walk rather than a glob: it
 * prunes whole subtrees by name before reading them (cheaper than matching every path), and it
 * resolves nothing relative to the process's current directory. Symbolic links are followed only
 * while they stay inside the root, and a folder reached twice (a link loop) is read once.
 */
export function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  return Promise.resolve(walkTree(root, options).files);
}

export interface WalkedTree {
  /** Every file, sorted root-relative POSIX paths. */
  files: string[];
  /** Each folder the walk read (root-relative, `''` for the root) and all its entry names, ignored ones too. */
  listings: Map<string, string[]>;
  /**
   * What a later walk can check instead of walking (see walk-memo.ts): each folder read and each `.gitignore` read, with
   * its change token taken before the read. Null when the walk cannot be replayed that way: it followed a symbolic
   * link (whose target's changes no token here shows), or a folder or `.gitignore` changed within the last seconds,
   * or the walk was not asked for tokens.
   */
  tokens: { dirs: [string, string][]; ignores: [string, string][] } | null;
}

/** How recent a change is too recent to trust a path's times (the kernel's file clock ticks coarsely: git's racy files). */
const RACY_MS = 2000;

/**
 * A token that changes whenever the file or folder at `abs` may have changed (device, inode, size, modification and
 * change times; a folder's times change when an entry is added, removed or renamed). Null when nothing is there or
 * when it changed too recently for its times to tell a second change apart.
 */
export function changeToken(abs: string, kind: 'file' | 'dir'): string | null {
  try {
    const s = statSync(abs);
    if (kind === 'file' ? !s.isFile() : !s.isDirectory()) return null;
    if (Date.now() - Math.max(s.mtimeMs, s.ctimeMs) < RACY_MS) return null;
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return null;
  }
}

/**
 * The walk, plus the folder listings it read on the way: the SourceTree answers "not there" from them. Synchronous
 * on purpose: thousands of small folders read one after the other cost 3-4x as much through the promise API (a
 * thread-pool round trip each), and nothing else can run while the pipeline waits for its file list anyway.
 */
export function walkTree(root: string, options: WalkOptions = {}): WalkedTree {
  const pruned = new Set([...PRUNED_DIRS, ...(options.prune ?? [])]);
  const useGitignore = options.gitignore ?? true;
  const recording = options.tokens === true;
  const rootReal = realpathSync(root);
  const visited = new Set<string>();
  const out: string[] = [];
  const listings = new Map<string, string[]>();
  const compiled = new Map<string, IgnoreRules>();
  const queue: QueueItem[] = [{ rel: '', real: rootReal, scopes: [] }];
  // Folders reached through a link wait until every real folder is read, so a folder is listed
  // under its own path rather than under a link to it.
  const linked: QueueItem[] = [];
  const dirTokens: [string, string][] = [];
  // Filled by withGitignore only while recording.
  const ignoreTokens: [string, string][] | null = recording ? [] : null;
  let replayable = recording;
  for (let item = queue.pop() ?? linked.shift(); item !== undefined; item = queue.pop() ?? linked.shift()) {
    const { rel } = item;
    // A link loop, or a second way to the same folder: read each folder once.
    if (visited.has(item.real)) continue;
    visited.add(item.real);
    let entries: Dirent[];
    // The token before the listing: an entry added after it changes the token, so a kept token never vouches for more.
    if (replayable) {
      const token = changeToken(path.join(root, rel), 'dir');
      if (token === null) replayable = false;
      else dirTokens.push([rel, token]);
    }
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      // An unreadable directory is skipped; the caller sees only what could be read.
      continue;
    }
    listings.set(
      rel,
      entries.map((e) => e.name),
    );
    const scopes = useGitignore ? withGitignore(item.scopes, root, rel, entries, compiled, ignoreTokens) : item.scopes;
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isSymbolicLink()) replayable = false;
      const kind = entryKind(entry, root, childRel, rootReal, item.real);
      if (kind === null) continue;
      const kept = keptAs(kind, entry.name, childRel, scopes, pruned);
      if (kept === 'dir') (kind.isLink ? linked : queue).push({ rel: childRel, real: kind.real, scopes });
      else if (kept === 'file') out.push(childRel);
    }
  }
  const ignores = ignoreTokens ?? [];
  replayable &&= ignores.every(([, token]) => token !== '');
  return { files: out.sort(), listings, tokens: replayable ? { dirs: dirTokens, ignores } : null };
}

/** What the walk keeps of an entry: a folder it enters (not pruned, not ignored), a file it lists, or nothing. */
function keptAs(
  kind: { isDir: boolean; isFile: boolean },
  name: string,
  childRel: string,
  scopes: readonly IgnoreScope[],
  pruned: ReadonlySet<string>,
): 'dir' | 'file' | null {
  if (kind.isDir) return pruned.has(name) || ignoredBy(scopes, childRel, name, true) ? null : 'dir';
  return kind.isFile && !ignoredBy(scopes, childRel, name, false) ? 'file' : null;
}

/** The folder's scopes plus its own `.gitignore`, when it has a readable one. */
function withGitignore(
  scopes: readonly IgnoreScope[],
  root: string,
  rel: string,
  entries: readonly Dirent[],
  compiled: Map<string, IgnoreRules>,
  tokens: [string, string][] | null,
): readonly IgnoreScope[] {
  if (!entries.some((e) => e.name === '.gitignore' && e.isFile())) return scopes;
  try {
    const file = path.join(root, rel, '.gitignore');
    // Kept whether or not it reads: an empty token (too recent, or not a file) makes the walk not replayable.
    tokens?.push([rel, changeToken(file, 'file') ?? '']);
    const text = readFileSync(file, 'utf8');
    return [...scopes, { base: rel, rules: compileRules(text, compiled) }];
  } catch {
    // An unreadable .gitignore ignores nothing.
    return scopes;
  }
}

/** What an entry is, links followed while they stay inside the root; null for a dangling or escaping link. */
function entryKind(
  entry: Dirent,
  root: string,
  childRel: string,
  rootReal: string,
  parentReal: string,
): { isDir: boolean; isFile: boolean; isLink: boolean; real: string } | null {
  if (!entry.isSymbolicLink()) return { isDir: entry.isDirectory(), isFile: entry.isFile(), isLink: false, real: path.join(parentReal, entry.name) };
  let target: string;
  try {
    target = realpathSync(path.join(root, childRel));
  } catch {
    return null; // a dangling link
  }
  // A link that leaves the root would scan someone else's tree.
  if (!isInside(rootReal, target)) return null;
  try {
    const targetStat = statSync(target);
    return { isDir: targetStat.isDirectory(), isFile: targetStat.isFile(), isLink: true, real: target };
  } catch {
    return null;
  }
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isSourceFile(rel: string): boolean {
  if (rel.endsWith('.d.ts') || rel.endsWith('.d.mts') || rel.endsWith('.d.cts')) return false;
  return SOURCE_EXTENSIONS.some((ext) => rel.endsWith(ext));
}

/** One folder listed again, as the walk would have seen it: its entry names and the files it holds directly. */
export interface Relisted {
  names: string[];
  /** Root-relative paths of the folder's own files the walk keeps (ignore rules applied). */
  files: string[];
  /** Names of the subfolders the walk would enter (not pruned, not ignored). */
  dirs: string[];
}

/**
 * Lists folder `rel` again with the ignore rules of the `.gitignore` files in `ignoreFolders` (its ancestors' and its
 * own, as the walk read them): for a walk that changed in a few folders only. Null when the folder holds a link
 * (the walk would follow it), cannot be read, or does not exist: the caller walks the whole tree instead.
 */
export function relistFolder(root: string, rel: string, ignoreFolders: readonly string[], options: WalkOptions = {}): Relisted | null {
  const pruned = new Set([...PRUNED_DIRS, ...(options.prune ?? [])]);
  let entries: Dirent[];
  try {
    entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return null;
  }
  const compiled = new Map<string, IgnoreRules>();
  const scopes: IgnoreScope[] = [];
  if (options.gitignore ?? true) {
    for (const base of ignoreFolders) {
      try {
        scopes.push({ base, rules: compileRules(readFileSync(path.join(root, base, '.gitignore'), 'utf8'), compiled) });
      } catch {
        return null;
      }
    }
  }
  const out: Relisted = { names: entries.map((e) => e.name), files: [], dirs: [] };
  for (const entry of entries) {
    if (entry.isSymbolicLink()) return null;
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const kept = keptAs({ isDir: entry.isDirectory(), isFile: entry.isFile() }, entry.name, childRel, scopes, pruned);
    if (kept === 'dir') out.dirs.push(entry.name);
    else if (kept === 'file') out.files.push(childRel);
  }
  return out;
}
