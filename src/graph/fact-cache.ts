import { createHash, randomBytes } from 'node:crypto';
import { FACTS_VERSION } from './facts.js';
import {
  closeSync,
  fstatSync,
  futimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { packageVersion, readAssetBytes } from '../assets.js';
import { isPortableOutcome, portable, revive, type FileOutcome } from './file-outcome.js';

/**
 * A content-hash cache of per-file fact extraction outcomes, in a directory the user names (`scan --cache DIR`), so
 * a second scan of nearly the same tree (the PR bot's head scan after its base scan) parses only the files that
 * changed.
 *
 * - Key: sha256 over the entry format, the tool's version, the facts' version, the extraction's data inputs
 *   (rules/catalog/io-packages.json, which decides which calls are I/O), the file's path and its text. Anything that
 *   could change a file's facts changes its key; nothing is ever invalidated in place.
 * - Value: the outcome (the facts, or why the file is skipped: a syntax error, too deep, minified), so a broken file
 *   is not reparsed either. Never the file's text: only what `FileFacts` already holds. Written as JSON, not with
 *   `v8.serialize`: facts are plain data with no undefined values (test/graph/facts-data.test.ts holds them to it),
 *   and `JSON.parse` reads them back in about 60% of the time `v8.deserialize` takes, which on a re-scan of an
 *   unchanged tree is most of what the cache costs.
 * - Writes go to a unique temporary file renamed over the entry, atomic on POSIX file systems: two scans sharing the
 *   directory see a whole entry or none, and the last writer of an identical value wins.
 * - A foreign, truncated or corrupt entry (not ours, another version's, not deserialisable, the wrong shape) is a
 *   miss: the file is reparsed and the entry rewritten. No cache problem ever ends a scan or changes its result; a
 *   directory that cannot be created at all is the user's error (exit 2).
 * - Bounded (see `prune`): an entry's modification time is its last use; entries unused for `maxAgeDays` (14) go, and
 *   when the directory still holds more than `maxBytes` (256 MiB) the least recently used go until it fits. Entries
 *   this scan used are never removed. Pruning runs at most once a day per directory (a `.last-prune` marker).
 */

/** The layout and envelope of an entry; a new format gets a new folder, and the old one ages out (1: v8.serialize). */
const CACHE_FORMAT = 2;
const MAGIC = 'lambda-migrate/fact-cache';
/** Data files the extraction reads, relative to the package: their contents are part of the key. */
const EXTRACTION_INPUTS = ['rules/catalog/io-packages.json'];

const DAY_MS = 24 * 60 * 60 * 1000;
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;
const TOUCH_AFTER_MS = 60 * 60 * 1000;
const TEMP_MARK = '.tmp-';
const PRUNE_MARKER = '.last-prune';

export interface FactCacheOptions {
  /** Entries unused this long are removed by `prune` (default 14 days). */
  maxAgeDays?: number;
  /** Beyond this many bytes of entries, `prune` removes the least recently used (default 256 MiB). */
  maxBytes?: number;
  /** Part of every key; tests change them to show an upgrade invalidates every entry. */
  toolVersion?: string;
  factsVersion?: string | number;
  /** The clock (ms since the epoch), for tests of the age policy. */
  now?: () => number;
}

export interface FactCacheStats {
  hits: number;
  misses: number;
  /** Entries read but refused (foreign, truncated, corrupt): counted as misses too. */
  refused: number;
  writes: number;
  writeErrors: number;
}

export interface PruneReport {
  removed: number;
  kept: number;
  keptBytes: number;
}

export class FactCache {
  readonly stats: FactCacheStats = { hits: 0, misses: 0, refused: 0, writes: 0, writeErrors: 0 };
  private readonly entriesDir: string;
  private readonly keyPrefix: string;
  private readonly maxAgeMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  /** Entries this process read or wrote: never pruned. */
  private readonly used = new Set<string>();
  private readonly madeDirs = new Set<string>();

  private constructor(
    readonly dir: string,
    options: FactCacheOptions,
  ) {
    this.entriesDir = path.join(dir, `facts-v${CACHE_FORMAT}`);
    const version = options.toolVersion ?? packageVersion();
    const factsVersion = String(options.factsVersion ?? FACTS_VERSION);
    this.keyPrefix = `${MAGIC}\0${CACHE_FORMAT}\0${version}\0${factsVersion}\0${extractionInputsDigest()}\0`;
    this.maxAgeMs = (options.maxAgeDays ?? 14) * DAY_MS;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Opens (creating it when missing) the cache in `dir`; an unusable directory is an `InputError`. */
  static open(dir: string, options: FactCacheOptions = {}): FactCache {
    const abs = path.resolve(dir);
    try {
      mkdirSync(abs, { recursive: true, mode: 0o700 });
      if (!statSync(abs).isDirectory()) throw new Error('not a directory');
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new InputError(
        `cannot use the cache directory ${dir}: ${why}`,
        'pass a directory lambda-migrate may create and write (or leave out --cache)',
      );
    }
    return new FactCache(abs, options);
  }

  /** The entry key of `file` with this text (hex sha256). */
  keyOf(file: string, text: string): string {
    return createHash('sha256').update(this.keyPrefix).update(file).update('\0').update(text).digest('hex');
  }

  /** The cached outcome, or undefined on a miss (absent, unreadable, foreign or corrupt: never an exception). */
  get(key: string, file: string): FileOutcome | undefined {
    const buf = this.readEntry(key);
    if (buf === null) {
      this.stats.misses++;
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8'));
    } catch {
      value = undefined;
    }
    const inner = isEnvelope(value, key, file) ? Reflect.get(value, 'value') : undefined;
    if (!isPortableOutcome(inner, file)) {
      this.stats.refused++;
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.used.add(key);
    return revive(inner);
  }

  /**
   * The entry's bytes, or null. Its modification time is its last use, which the age policy of `prune` reads: a hit
   * refreshes it when it is over an hour old (one write per entry and hour, not per scan of a large tree).
   */
  private readEntry(key: string): Buffer | null {
    let fd: number;
    try {
      fd = openSync(this.entryPath(key), 'r');
    } catch {
      return null;
    }
    try {
      const s = fstatSync(fd);
      const buf = Buffer.allocUnsafe(s.size);
      let at = 0;
      while (at < s.size) {
        const n = readSync(fd, buf, at, s.size - at, at);
        if (n === 0) break;
        at += n;
      }
      const now = this.now();
      if (now - s.mtimeMs > TOUCH_AFTER_MS) {
        try {
          futimesSync(fd, now / 1000, now / 1000);
        } catch {
          // not ours to touch (a shared read-only cache): it ages out sooner, nothing worse
        }
      }
      return at === s.size ? buf : buf.subarray(0, at);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** Stores an outcome; a failure (disk full, read-only) is counted and otherwise ignored. */
  put(key: string, file: string, outcome: FileOutcome): void {
    const entry = this.entryPath(key);
    const temp = `${entry}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
    this.used.add(key);
    try {
      const buf = JSON.stringify({ magic: MAGIC, format: CACHE_FORMAT, key, file, value: portable(outcome) });
      const fan = path.dirname(entry);
      if (!this.madeDirs.has(fan)) {
        mkdirSync(fan, { recursive: true, mode: 0o700 });
        this.madeDirs.add(fan);
      }
      writeFileSync(temp, buf, { flag: 'wx', mode: 0o600 });
      renameSync(temp, entry);
      this.stats.writes++;
    } catch {
      this.stats.writeErrors++;
      try {
        unlinkSync(temp);
      } catch {
        // never written
      }
    }
  }

  /**
   * Removes what the policy says is stale (see the module comment), at most once a day unless `force`. Returns what
   * it did, or null when it did not run. Never throws: a file another scan removed first is simply gone.
   */
  prune(force = false): PruneReport | null {
    const now = this.now();
    const marker = path.join(this.dir, PRUNE_MARKER);
    if (!force) {
      try {
        if (now - statSync(marker).mtimeMs < DAY_MS) return null;
      } catch {
        // never pruned
      }
    }
    try {
      writeFileSync(marker, '');
      const t = now / 1000;
      utimesSync(marker, t, t);
    } catch {
      // a read-only cache is still read; it is not pruned
    }
    const report: PruneReport = { removed: 0, kept: 0, keptBytes: 0 };
    const candidates: { file: string; mtimeMs: number; size: number }[] = [];
    for (const file of entryFiles(this.dir)) {
      let s;
      try {
        s = statSync(file);
      } catch {
        continue;
      }
      const name = path.basename(file);
      const ours = file.startsWith(this.entriesDir + path.sep) && !name.includes(TEMP_MARK);
      const stale = name.includes(TEMP_MARK) ? now - s.mtimeMs > TEMP_MAX_AGE_MS : now - s.mtimeMs > this.maxAgeMs;
      if (ours && this.used.has(name)) {
        report.kept++;
        report.keptBytes += s.size;
      } else if (stale) {
        if (remove(file)) report.removed++;
      } else {
        candidates.push({ file, mtimeMs: s.mtimeMs, size: s.size });
      }
    }
    let total = report.keptBytes + candidates.reduce((sum, c) => sum + c.size, 0);
    // Least recently used first; ties by path so two runs agree.
    candidates.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const c of candidates) {
      if (total > this.maxBytes && remove(c.file)) {
        report.removed++;
        total -= c.size;
        continue;
      }
      report.kept++;
      report.keptBytes += c.size;
    }
    return report;
  }

  private entryPath(key: string): string {
    return path.join(this.entriesDir, key.slice(0, 2), key);
  }
}

/** Every file under `<dir>/facts-v*` two levels down (this and older formats), sorted. */
function entryFiles(dir: string): string[] {
  const out: string[] = [];
  for (const top of listDir(dir)) {
    if (!/^facts-v\d+$/.test(top)) continue;
    for (const fan of listDir(path.join(dir, top))) {
      for (const name of listDir(path.join(dir, top, fan))) out.push(path.join(dir, top, fan, name));
    }
  }
  return out;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function remove(file: string): boolean {
  try {
    rmSync(file, { force: true, recursive: true });
    return true;
  } catch {
    return false;
  }
}

function isEnvelope(value: unknown, key: string, file: string): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    Reflect.get(value, 'magic') === MAGIC &&
    Reflect.get(value, 'format') === CACHE_FORMAT &&
    Reflect.get(value, 'key') === key &&
    Reflect.get(value, 'file') === file
  );
}

let inputsDigest: string | undefined;

/** sha256 over the extraction's data files, once per process ('' when one cannot be read: the scan fails on it anyway). */
function extractionInputsDigest(): string {
  if (inputsDigest !== undefined) return inputsDigest;
  const hash = createHash('sha256');
  for (const rel of EXTRACTION_INPUTS) {
    hash.update(rel).update('\0');
    try {
      hash.update(readAssetBytes(rel));
    } catch {
      hash.update('unreadable');
    }
    hash.update('\0');
  }
  inputsDigest = hash.digest('hex');
  return inputsDigest;
}

/**
 * What the extraction depends on besides the file (tool version, facts' version, data inputs): a parse worker loaded
 * from another build reports a different one and is not used.
 */
export function extractorFingerprint(): string {
  return `${packageVersion()}\0${FACTS_VERSION}\0${extractionInputsDigest()}`;
}
