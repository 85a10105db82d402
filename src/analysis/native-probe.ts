import type { SourceTree } from '../source/tree.js';

/**
 * Whether an installed package ships a native addon: a binding.gyp, or a .node file in its
 * build/Release or prebuilds folders. Looks only at the package's own directory listing (never
 * loads it); null when the package is not installed under the service.
 */
export function nativeAddonProbe(tree: SourceTree): (pkg: string) => boolean | null {
  const cache = new Map<string, boolean | null>();
  return (pkg) => {
    const hit = cache.get(pkg);
    if (hit !== undefined) return hit;
    const dir = `node_modules/${pkg}`;
    let result: boolean | null = null;
    if (tree.stat(`${dir}/package.json`)?.isFile === true) {
      result = tree.stat(`${dir}/binding.gyp`) !== null || hasNodeFile(tree, `${dir}/build/Release`) || hasNodeFile(tree, `${dir}/prebuilds`, 2);
    }
    cache.set(pkg, result);
    return result;
  };
}

function hasNodeFile(tree: SourceTree, dir: string, depth = 1): boolean {
  for (const name of tree.list(dir) ?? []) {
    const kind = tree.stat(`${dir}/${name}`);
    if (kind?.isFile === true && name.endsWith('.node')) return true;
    if (kind?.isDirectory === true && depth > 1 && hasNodeFile(tree, `${dir}/${name}`, depth - 1)) return true;
  }
  return false;
}
