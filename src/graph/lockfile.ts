import path from 'node:path';
import yarnV1Default from '@yarnpkg/lockfile';
import * as yarnV1Namespace from '@yarnpkg/lockfile';
import { parse as parseYaml } from 'yaml';
import type { SourceTree } from '../source/tree.js';

/**
 * The version of a package that a file really gets, read from the lockfile that governs it: package-lock.json
 * (v1, v2, v3), npm-shrinkwrap.json, yarn.lock (v1 and berry) or pnpm-lock.yaml. The lockfile is the nearest one
 * above the importing file; the workspace is the nearest package.json between the two, which decides both the
 * range asked for (yarn) and where Node's lookup starts (npm's node_modules paths, pnpm's importers).
 */
export type LockfileKind = 'npm' | 'yarn-v1' | 'yarn-berry' | 'pnpm';

export interface LockedVersion {
  version: string;
  /** Root-relative path of the lockfile. */
  lockfile: string;
  kind: LockfileKind;
}

// Node hands a CommonJS module's exports over as the default import; vitest's interop as named exports.
const parseYarnV1 = typeof yarnV1Namespace.parse === 'function' ? yarnV1Namespace.parse : yarnV1Default.parse;

/** Lockfile names in the order a folder's own is taken when it has several (npm's shrinkwrap wins over its lock). */
const LOCKFILES: readonly string[] = ['npm-shrinkwrap.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];

/** A parsed lockfile: a lookup from (workspace dir relative to the lockfile, package, range) to a version. */
interface ParsedLock {
  kind: LockfileKind;
  lookup(workspace: string, name: string, range: string | null): string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strField(o: unknown, key: string): string | null {
  if (!isRecord(o)) return null;
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

/** npm v2/v3 keep a flat `packages` map keyed by install path; v1 only a nested `dependencies` tree. */
export function parseNpmLock(text: string): ParsedLock {
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw)) throw new Error('not a JSON object');
  const packages = isRecord(raw.packages) ? raw.packages : null;
  const deps = isRecord(raw.dependencies) ? raw.dependencies : null;
  return {
    kind: 'npm',
    lookup(workspace, name) {
      if (packages) {
        // Node's lookup from the workspace folder upwards, as npm laid the tree out.
        let dir = workspace === '.' ? '' : workspace;
        for (;;) {
          const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
          const entry = packages[key];
          const version = strField(entry, 'version');
          if (version) return version;
          if (isRecord(entry) && typeof entry.resolved === 'string' && entry.link === true) {
            return strField(packages[entry.resolved], 'version');
          }
          if (!dir) break;
          const up = path.posix.dirname(dir);
          dir = up === '.' ? '' : up;
        }
        return null;
      }
      return deps ? strField(deps[name], 'version') : null;
    },
  };
}

/** `lodash@^4.17.0, lodash@^4.17.21` (v1) or `"lodash@npm:^4.17.21"` (berry): the name and the ranges a key covers. */
function keyRanges(key: string): { name: string; range: string }[] {
  return key.split(',').map((part) => {
    const p = part.trim().replace(/^"|"$/g, '');
    const at = p.indexOf('@', 1);
    return at < 0 ? { name: p, range: '' } : { name: p.slice(0, at), range: p.slice(at + 1) };
  });
}

/** Both yarn formats: entries keyed by `name@range`; the range comes from the workspace's package.json. */
function yarnLookup(entries: Record<string, unknown>, kind: LockfileKind): ParsedLock {
  const byName = new Map<string, { ranges: string[]; version: string }[]>();
  for (const [key, value] of Object.entries(entries)) {
    const version = strField(value, 'version');
    if (!version || key === '__metadata') continue;
    for (const { name, range } of keyRanges(key)) {
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      const last = list.at(-1);
      if (last && last.version === version && last.ranges.includes(range)) continue;
      list.push({ ranges: [range], version });
    }
  }
  return {
    kind,
    lookup(_workspace, name, range) {
      const list = byName.get(name);
      if (!list || list.length === 0) return null;
      if (range !== null) {
        const hit = list.find((e) => e.ranges.some((r) => r === range || r === `npm:${range}`));
        if (hit) return hit.version;
      }
      // One version in the whole lockfile: whatever asked for it got it.
      const versions = new Set(list.map((e) => e.version));
      return versions.size === 1 ? (list[0]?.version ?? null) : null;
    },
  };
}

export function parseYarnLock(text: string): ParsedLock {
  // Berry writes YAML with a __metadata block; v1 its own format, which the yarn v1 parser reads.
  if (/^__metadata:/m.test(text)) {
    const raw: unknown = parseYaml(text);
    if (!isRecord(raw)) throw new Error('not a YAML mapping');
    return yarnLookup(raw, 'yarn-berry');
  }
  const result = parseYarnV1(text);
  if (result.type !== 'success') throw new Error(`yarn.lock has merge conflicts (${result.type})`);
  return yarnLookup(result.object, 'yarn-v1');
}

/** `1.2.3(react@18.2.0)` (v6+) and `1.2.3_react@18.2.0` (v5) carry peer suffixes; `link:../x` is a workspace. */
function pnpmVersion(v: string): string | null {
  if (v.startsWith('link:') || v.startsWith('file:')) return null;
  const bare = (v.split('(')[0] ?? '').split('_')[0] ?? '';
  const m = /(\d+\.\d+\.\d+[^\s]*)$/.exec(bare.replace(/^\//, ''));
  return m?.[1] ?? null;
}

export function parsePnpmLock(text: string): ParsedLock {
  const raw: unknown = parseYaml(text);
  if (!isRecord(raw)) throw new Error('not a YAML mapping');
  const importers = isRecord(raw.importers) ? raw.importers : { '.': raw };
  return {
    kind: 'pnpm',
    lookup(workspace, name) {
      const imp = importers[workspace];
      if (!isRecord(imp)) return null;
      for (const group of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        const deps = imp[group];
        if (!isRecord(deps)) continue;
        const d = deps[name];
        const v = typeof d === 'string' ? d : strField(d, 'version');
        if (v) return pnpmVersion(v);
      }
      return null;
    },
  };
}

/**
 * Finds and parses lockfiles on demand, once each. Lookups never throw: a lockfile that cannot be read or
 * parsed is reported once through `warn` and treated as absent.
 */
export class LockfileIndex {
  private readonly parsed = new Map<string, ParsedLock | null>();
  private readonly lockOfDir = new Map<string, { rel: string; lock: ParsedLock } | null>();
  private readonly manifestOfDir = new Map<string, Record<string, unknown> | null>();

  private readonly rootAbs: string;

  constructor(
    private readonly tree: SourceTree,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.rootAbs = tree.root;
  }

  /** The locked version of `name` for a file (root-relative), or null when no lockfile says. */
  versionFor(name: string, fromFileRel: string): LockedVersion | null {
    const start = path.posix.dirname(fromFileRel);
    const lock = this.nearestLock(start);
    if (!lock) return null;
    const lockDir = path.posix.dirname(lock.rel);
    const wsDir = this.nearestManifestDir(start, lockDir);
    const range = wsDir === null ? null : this.rangeIn(wsDir, name);
    const workspace =
      wsDir === null ? '.' : path.relative(path.resolve(this.rootAbs, lockDir), path.resolve(this.rootAbs, wsDir)).split(path.sep).join('/') || '.';
    const version = lock.lock.lookup(workspace, name, range);
    return version ? { version, lockfile: lock.rel, kind: lock.lock.kind } : null;
  }

  private nearestLock(dir: string): { rel: string; lock: ParsedLock } | null {
    const cached = this.lockOfDir.get(dir);
    if (cached !== undefined) return cached;
    let found: { rel: string; lock: ParsedLock } | null = null;
    for (const file of LOCKFILES) {
      const rel = dir === '.' || dir === '' ? file : path.posix.join(dir, file);
      const lock = this.parse(rel);
      if (lock) {
        found = { rel, lock };
        break;
      }
    }
    // A service scanned inside a monorepo is governed by the workspace's lockfile above it: keep going up.
    if (!found && !this.atFilesystemRoot(dir)) found = this.nearestLock(parentOf(dir));
    this.lockOfDir.set(dir, found);
    return found;
  }

  private parse(rel: string): ParsedLock | null {
    const cached = this.parsed.get(rel);
    if (cached !== undefined) return cached;
    let lock: ParsedLock | null = null;
    // Absent is the usual case.
    const text = this.tree.tryRead(rel);
    if (text !== null) {
      try {
        const base = path.posix.basename(rel);
        lock = base === 'pnpm-lock.yaml' ? parsePnpmLock(text) : base === 'yarn.lock' ? parseYarnLock(text) : parseNpmLock(text);
      } catch (err) {
        this.warn(
          `${rel}: not read as a lockfile (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); package versions from it are unknown`,
        );
      }
    }
    this.parsed.set(rel, lock);
    return lock;
  }

  /** The nearest folder with a package.json from `dir` up to the lockfile's folder; null when none. */
  private nearestManifestDir(dir: string, stopDir: string): string | null {
    for (let d = dir; ; d = parentOf(d)) {
      if (this.manifest(d)) return d;
      if (d === stopDir || this.atFilesystemRoot(d)) return null;
    }
  }

  private atFilesystemRoot(dir: string): boolean {
    const abs = path.resolve(this.rootAbs, dir);
    return abs === path.dirname(abs);
  }

  private manifest(dir: string): Record<string, unknown> | null {
    const cached = this.manifestOfDir.get(dir);
    if (cached !== undefined) return cached;
    const raw: unknown = this.tree.json(dir === '.' ? 'package.json' : `${dir}/package.json`);
    const m = isRecord(raw) ? raw : null;
    this.manifestOfDir.set(dir, m);
    return m;
  }

  private rangeIn(dir: string, name: string): string | null {
    const m = this.manifest(dir);
    if (!m) return null;
    for (const group of ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies']) {
      const r = strField(m[group], name);
      if (r) return r;
    }
    return null;
  }
}

/** `a/b` -> `a`, `a` -> `.`, `.` -> `..`, `..` -> `../..`: root-relative folders, above the root too. */
function parentOf(dir: string): string {
  return path.posix.normalize(path.posix.join(dir === '' ? '.' : dir, '..'));
}

/** The major of a semver string (`8.222.0` -> 8), null when it is not one. */
export function majorOf(version: string | null): number | null {
  if (version === null) return null;
  const m = /^v?(\d+)\./.exec(version.trim());
  return m ? Number(m[1]) : null;
}
