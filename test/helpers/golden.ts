import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Golden files are the expected output, byte for byte. To change them on purpose, run
 *   UPDATE_GOLDEN=1 npm test
 * then read the diff of test/golden/ before committing: the diff is the review.
 */
const UPDATE_GOLDEN = process.env['UPDATE_GOLDEN'] === '1';

/** Returns the golden content for `name` (writing `actual` first when updating on purpose). */
export function golden(name: string, actual: string): string {
  const path = fileURLToPath(new URL(`../golden/${name}`, import.meta.url));
  if (UPDATE_GOLDEN || !existsSync(path)) {
    if (!UPDATE_GOLDEN) {
      throw new Error(`missing golden file ${path}; run with UPDATE_GOLDEN=1 to create it`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  return readFileSync(path, 'utf8');
}
