import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The nearest directory at or above `dir` that holds `.git` (a folder, or a worktree's `.git` file), or null: where
 * SARIF roots its paths so code scanning finds the files. Null too when `dir` itself does not exist.
 */
export function findGitRoot(dir: string): string | null {
  let current = path.resolve(dir);
  if (!existsSync(current)) return null;
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}
