import { readFile, readdir, realpath, stat } from 'node:fs/promises';
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
}

interface IgnoreScope {
  /** Root-relative folder the `.gitignore` sits in (`''` for the root). */
  base: string;
  matcher: Ignore;
}

interface QueueItem {
  rel: string;
  /** The folder's real path: links are resolved once, when followed. */
  real: string;
  scopes: readonly IgnoreScope[];
}

function ignoredBy(scopes: readonly IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.base === '' ? rel : rel.slice(scope.base.length + 1);
    if (scope.matcher.ignores(isDir ? `${local}/` : local)) return true;
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
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  return (await walkTree(root, options)).files;
}

export interface WalkedTree {
  /** Every file, sorted root-relative POSIX paths. */
  files: string[];
  /** Each folder the walk read (root-relative, `''` for the root) and all its entry names, ignored ones too. */
  listings: Map<string, string[]>;
}

/** The walk, plus the folder listings it read on the way: the SourceTree answers "not there" from them. */
export async function walkTree(root: string, options: WalkOptions = {}): Promise<WalkedTree> {
  const pruned = new Set([...PRUNED_DIRS, ...(options.prune ?? [])]);
  const useGitignore = options.gitignore ?? true;
  const rootReal = await realpath(root);
  const visited = new Set<string>();
  const out: string[] = [];
  const listings = new Map<string, string[]>();
  const queue: QueueItem[] = [{ rel: '', real: rootReal, scopes: [] }];
  // Folders reached through a link wait until every real folder is read, so a folder is listed
  // under its own path rather than under a link to it.
  const linked: QueueItem[] = [];
  for (let item = queue.pop() ?? linked.shift(); item !== undefined; item = queue.pop() ?? linked.shift()) {
    const { rel } = item;
    // A link loop, or a second way to the same folder: read each folder once.
    if (visited.has(item.real)) continue;
    visited.add(item.real);
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      // An unreadable directory is skipped; the caller sees only what could be read.
      continue;
    }
    listings.set(rel, entries.map((e) => e.name));
    let scopes = item.scopes;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = await readFile(path.join(root, rel, '.gitignore'), 'utf8');
        scopes = [...scopes, { base: rel, matcher: ignore().add(text) }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real = path.join(item.real, entry.name);
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        let target: string;
        try {
          target = await realpath(path.join(root, childRel));
        } catch {
          continue; // a dangling link
        }
        // A link that leaves the root would scan someone else's tree.
        if (!isInside(rootReal, target)) continue;
        const targetStat = await stat(target).catch(() => null);
        if (targetStat === null) continue;
        isDir = targetStat.isDirectory();
        isFile = targetStat.isFile();
        real = target;
      }
      if (isDir) {
        if (pruned.has(entry.name) || ignoredBy(scopes, childRel, true)) continue;
        (isLink ? linked : queue).push({ rel: childRel, real, scopes });
      } else if (isFile && !ignoredBy(scopes, childRel, false)) {
        out.push(childRel);
      }
    }
  }
  return { files: out.sort(), listings };
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isSourceFile(rel: string): boolean {
  if (rel.endsWith('.d.ts') || rel.endsWith('.d.mts') || rel.endsWith('.d.cts')) return false;
  return SOURCE_EXTENSIONS.some((ext) => rel.endsWith(ext));
}
