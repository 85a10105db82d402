import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { dir: string; version: string } | undefined;

/**
 * The installed lambda-migrate package: its directory (where rules/, reports/ and schema/ live) and
 * version. Found by walking up from this module, so it works from src/ under vitest and from
 * dist/src/ once compiled.
 */
export function packageRoot(): { dir: string; version: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (isOwnManifest(pkg)) {
        cached = { dir, version: pkg.version };
        return cached;
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('lambda-migrate: cannot find its own package.json');
    dir = parent;
  }
}

function isOwnManifest(value: unknown): value is { name: string; version: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Reflect.get(value, 'name') === 'lambda-migrate' &&
    typeof Reflect.get(value, 'version') === 'string'
  );
}
