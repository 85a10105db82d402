import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether an installed package ships a native addon: a binding.gyp, or a .node file in its
 * build/Release or prebuilds folders. Looks only at the package's own directory listing (never
 * loads it); null when the package is not installed under the service.
 */
export function nativeAddonProbe(rootAbs: string): (pkg: string) => boolean | null {
  const cache = new Map<string, boolean | null>();
  return (pkg) => {
    const hit = cache.get(pkg);
    if (hit !== undefined) return hit;
    const dir = path.join(rootAbs, 'node_modules', ...pkg.split('/'));
    let result: boolean | null = null;
    if (existsSync(path.join(dir, 'package.json'))) {
      result =
        existsSync(path.join(dir, 'binding.gyp')) ||
        hasNodeFile(path.join(dir, 'build', 'Release')) ||
        hasNodeFile(path.join(dir, 'prebuilds'), 2);
    }
    cache.set(pkg, result);
    return result;
  };
}

function hasNodeFile(dir: string, depth = 1): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.node')) return true;
    if (e.isDirectory() && depth > 1 && hasNodeFile(path.join(dir, e.name), depth - 1)) return true;
  }
  return false;
}
