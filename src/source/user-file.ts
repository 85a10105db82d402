import { readFileSync, statSync } from 'node:fs';

/**
 * Files the user names on the command line or in the config (`--config`, `--baseline`, a config found in the root):
 * inputs to the tool, not part of the scanned service, so they are read here and not through the SourceTree.
 */
export function userFileKind(abs: string): 'file' | 'dir' | null {
  try {
    const s = statSync(abs);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** The file's text; throws the system error (its `code` says why) when it cannot be read. */
export function readUserFile(abs: string): string {
  return readFileSync(abs, 'utf8');
}
