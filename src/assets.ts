/**
 * The one loader for lambda-migrate's own packaged files: the catalogs (rules/catalog), the rule docs (rules/*.md),
 * the report templates (reports/), the Rust templates (templates/), the JSON schemas (schema/) and the package
 * manifest. Nothing here ever reads the scanned service: that goes through the SourceTree (src/source/tree.ts).
 * Paths are package-relative with forward slashes; one that climbs out of the package is a programming error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareStrings } from './util/compare.js';

let root: { dir: string; version: string } | undefined;

/**
 * The installed lambda-migrate package: its directory and version. Found by walking up from this module, so it
 * works from src/ under vitest and from dist/src/ once compiled.
 */
export function packageRoot(): { dir: string; version: string } {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (isOwnManifest(pkg)) {
        root = { dir, version: pkg.version };
        return root;
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('lambda-migrate: cannot find its own package.json');
    dir = parent;
  }
}

/** lambda-migrate's own version, from its package.json. */
export function packageVersion(): string {
  return packageRoot().version;
}

let build: string | undefined;

/**
 * Which build of the tool this is: the digest scripts/build.mjs writes to dist/build-id.txt over the compiled code
 * and the shipped data (catalogs, rule docs), so a result cache never outlives a code change between releases.
 * Running from src/ (vitest) it is `source`: within one run the code cannot change.
 */
export function buildId(): string {
  if (build !== undefined) return build;
  const fromDist = fileURLToPath(import.meta.url)
    .split(path.sep)
    .includes('dist');
  build = 'source';
  if (fromDist) {
    try {
      build = readFileSync(path.join(packageRoot().dir, 'dist', 'build-id.txt'), 'utf8').trim();
    } catch {
      build = `unknown-${packageVersion()}`;
    }
  }
  return build;
}

/** The absolute path of a packaged file, e.g. `assetPath('reports/html')`: for messages and for worker scripts. */
export function assetPath(rel: string): string {
  const { dir } = packageRoot();
  const abs = path.resolve(dir, ...rel.split('/'));
  if (abs !== dir && !abs.startsWith(dir + path.sep)) throw new Error(`lambda-migrate: asset path '${rel}' leaves the package`);
  return abs;
}

/** A packaged text file, e.g. `readAsset('rules/heavy-init-import.md')`. */
export function readAsset(rel: string): string {
  return readFileSync(assetPath(rel), 'utf8');
}

/** A packaged file's bytes (what the fact cache digests). */
export function readAssetBytes(rel: string): Buffer {
  return readFileSync(assetPath(rel));
}

/** A packaged JSON file, parsed; the caller checks its shape. */
export function readAssetJson(rel: string): unknown {
  return JSON.parse(readAsset(rel));
}

/** A catalog of rules/catalog, parsed: `catalogJson('lambda-prices.json')`. */
export function catalogJson(name: string): unknown {
  return readAssetJson(`rules/catalog/${name}`);
}

/** The names in a packaged folder that end with `ext` (e.g. '.hbs'), sorted, so loading order never varies. */
export function listAssets(dir: string, ext: string): string[] {
  return readdirSync(assetPath(dir))
    .filter((name) => name.endsWith(ext))
    .sort();
}

/** Every file under a packaged folder, as paths relative to it ('a/b.hbs'), sorted (compareStrings). */
export function listAssetTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(assetPath(rel === '' ? dir : `${dir}/${rel}`), { withFileTypes: true })) {
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(relPath);
      else out.push(relPath);
    }
  };
  walk('');
  return out.sort(compareStrings);
}

/**
 * A file inside one of lambda-migrate's own dependencies, resolved the way Node resolves the package (e.g. the HCL
 * parser's WASM in `@cdktf/hcl2json`): still this package's code, never the scanned service's.
 */
export function dependencyPath(pkg: string, rel: string): string {
  const dir = path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  return path.join(dir, ...rel.split('/'));
}

/** The bytes of a dependency's file (see dependencyPath). */
export function readDependencyBytes(pkg: string, rel: string): Buffer {
  return readFileSync(dependencyPath(pkg, rel));
}

function isOwnManifest(value: unknown): value is { name: string; version: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Reflect.get(value, 'name') === 'lambda-migrate' &&
    typeof Reflect.get(value, 'version') === 'string'
  );
}
