import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';

/**
 * Writes scaffold files under `outDir`. An existing non-empty directory is left alone unless `force` (then the
 * scaffold's files are overwritten; other files in it stay).
 */
export async function writeScaffold(outDir: string, files: ReadonlyMap<string, string>, force: boolean): Promise<string[]> {
  let existing: string[] = [];
  try {
    existing = await readdir(outDir);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? err.code : undefined;
    if (code === 'ENOTDIR') throw new InputError(`${outDir} is a file, not a directory`, 'pass a directory for --out');
    if (code !== 'ENOENT') throw err;
  }
  if (existing.length > 0 && !force) {
    throw new InputError(
      `${outDir} exists and is not empty`,
      'choose another --out directory, or pass --force to overwrite the scaffold files in it',
    );
  }
  const written: string[] = [];
  for (const [rel, content] of files) {
    const target = path.join(outDir, ...rel.split('/'));
    // Paths come from the scaffold itself, never from user input; the check keeps it that way.
    if (path.relative(outDir, target).startsWith('..')) throw new Error(`lambda-migrate: scaffold path escapes the output directory: ${rel}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    written.push(rel);
  }
  return written;
}
