import { readdir } from 'node:fs/promises';
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
}

/**
 * Lists every file under `root`, as sorted relative POSIX paths. An own walk rather than a glob: it
 * prunes whole subtrees by name before reading them (cheaper than matching every path), and it
 * resolves nothing relative to the process's current directory.
 */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<string[]> {
  const pruned = new Set([...PRUNED_DIRS, ...(options.prune ?? [])]);
  const out: string[] = [];
  const queue: string[] = [''];
  while (queue.length > 0) {
    const rel = queue.pop() as string;
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      // An unreadable directory is skipped; the caller sees only what could be read.
      continue;
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!pruned.has(entry.name)) queue.push(childRel);
      } else if (entry.isFile()) {
        out.push(childRel);
      }
    }
  }
  return out.sort();
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isSourceFile(rel: string): boolean {
  if (rel.endsWith('.d.ts') || rel.endsWith('.d.mts') || rel.endsWith('.d.cts')) return false;
  return SOURCE_EXTENSIONS.some((ext) => rel.endsWith(ext));
}
