/**
 * The fact cache: a second store over the same texts parses nothing and answers the same facts; a change to a text,
 * a path or the extractor's version is a miss; a broken file's outcome is cached too; a corrupt or foreign entry is a
 * miss, never a crash; scans writing the same directory at once never leave a half entry; `prune` keeps it bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FactCache } from '../../src/graph/fact-cache.js';
import { FactStore } from '../../src/graph/fact-store.js';
import { extractFacts } from '../../src/graph/facts.js';
import { extractOutcome, type Extract } from '../../src/graph/file-outcome.js';
import { MemorySourceTree } from '../../src/source/tree.js';
import { REPO } from '../helpers/cli.js';
import { handlerFiles, resolverFor, serviceFiles, walkGraph } from './fact-service.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-fact-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => path.join(tmp, `cache-${++dirs}`);

/** extractFacts, counting the files it is called for. */
function counting(): { extract: Extract; calls: string[] } {
  const calls: string[] = [];
  return { calls, extract: (file, text) => (calls.push(file), extractFacts(file, text)) };
}

const FILES = serviceFiles(12);
const ROOTS = handlerFiles(FILES);
const RESOLVER = resolverFor(FILES);
const REACHED = walkGraph(new FactStore(new MemorySourceTree(FILES)), ROOTS, RESOLVER);

function scanWith(files: Record<string, string>, cache: string | FactCache, extract: Extract): FactStore {
  const store = new FactStore(new MemorySourceTree(files), { cache, extract, workers: 0 });
  walkGraph(store, ROOTS, RESOLVER);
  return store;
}

/** Every file under the cache's entry folders. */
function entriesIn(dir: string): string[] {
  const base = path.join(dir, 'facts-v2');
  return readdirSync(base)
    .flatMap((fan) => readdirSync(path.join(base, fan)).map((name) => path.join(base, fan, name)))
    .sort();
}

describe('hits and misses', () => {
  it('a second store over the same texts parses nothing and answers the same facts, skips and order', () => {
    const dir = freshDir();
    const base = counting();
    const first = scanWith(FILES, dir, base.extract);
    // Every reached source is parsed once, except the minified bundle (refused before the parser).
    expect(base.calls.sort()).toEqual(REACHED.filter((f) => f !== 'src/lib/bundle.js').sort());
    expect(first.cacheStats).toMatchObject({ hits: 0, misses: REACHED.length, writes: REACHED.length, refused: 0, writeErrors: 0 });

    const again = counting();
    const second = scanWith(FILES, dir, again.extract);
    expect(again.calls).toEqual([]);
    expect(second.cacheStats).toMatchObject({ hits: REACHED.length, misses: 0, writes: 0 });
    expect(second.stats).toEqual({ parsedHere: 0, parsedInWorkers: 0, cacheHits: REACHED.length });
    expect([...second.entries()]).toEqual([...first.entries()]);
    expect(second.skipped).toEqual(first.skipped);
    expect(second.skipped.map((s) => [s.file, s.reason])).toEqual([
      ['src/lib/broken.ts', 'parse_error'],
      ['src/lib/deep.ts', 'too_deep'],
      ['src/lib/bundle.js', 'minified'],
    ]);
    expect(second.skipped[0]?.detail).toBe('1:23 Expression expected.');
  });

  it('facts read back keep their null-prototype tables: a name like toString finds nothing', () => {
    const dir = freshDir();
    scanWith(FILES, dir, extractFacts);
    const back = scanWith(FILES, dir, extractFacts);
    const facts = back.get('src/handlers/h0.ts');
    expect(back.stats.cacheHits).toBe(REACHED.length);
    expect(facts?.bindings.get0).toEqual({ specifier: '../lib/m0', imported: 'get' });
    expect(Object.getPrototypeOf(facts?.bindings)).toBeNull();
    expect(facts?.bindings.toString).toBeUndefined();
    const withInstances = back.get('src/lib/m0.ts');
    expect(withInstances?.instances.repo).toBe('Repo0');
    expect(Object.getPrototypeOf(withInstances?.instances)).toBeNull();
    expect(withInstances?.instances.constructor).toBeUndefined();
  });

  it('head after base: the one changed file is the only one parsed again', () => {
    const dir = freshDir();
    scanWith(FILES, dir, extractFacts);
    const head = { ...FILES, 'src/lib/m3.mjs': `${FILES['src/lib/m3.mjs']}export const added = 1;\n` };
    const run = counting();
    const store = scanWith(head, dir, run.extract);
    expect(run.calls).toEqual(['src/lib/m3.mjs']);
    expect(store.get('src/lib/m3.mjs')?.exports.map((e) => e.name)).toContain('added');
    // What the head scan made equals a scan with no cache at all.
    const plain = new FactStore(new MemorySourceTree(head), { workers: 0 });
    walkGraph(plain, ROOTS, RESOLVER);
    expect([...store.entries()]).toEqual([...plain.entries()]);
    expect(store.skipped).toEqual(plain.skipped);
  });

  it('a broken file is not parsed again either: its syntax error is the cached outcome', () => {
    const dir = freshDir();
    const only = { 'src/lib/broken.ts': FILES['src/lib/broken.ts'] ?? '' };
    const first = new FactStore(new MemorySourceTree(only), { cache: dir, workers: 0 });
    expect(first.get('src/lib/broken.ts')).toBeUndefined();
    const run = counting();
    const second = new FactStore(new MemorySourceTree(only), { cache: dir, extract: run.extract, workers: 0 });
    expect(second.get('src/lib/broken.ts')).toBeUndefined();
    expect(run.calls).toEqual([]);
    expect(second.skipped).toEqual([{ file: 'src/lib/broken.ts', reason: 'parse_error', detail: '1:23 Expression expected.' }]);
  });
});

describe('invalidation: anything that could change the facts changes the key', () => {
  const text = FILES['src/lib/m0.ts'] ?? '';

  it('the same text under another path is a miss (facts name their file)', () => {
    const dir = freshDir();
    new FactStore(new MemorySourceTree({ 'a/m.ts': text }), { cache: dir }).get('a/m.ts');
    const run = counting();
    const store = new FactStore(new MemorySourceTree({ 'b/m.ts': text }), { cache: dir, extract: run.extract });
    expect(store.get('b/m.ts')?.file).toBe('b/m.ts');
    expect(run.calls).toEqual(['b/m.ts']);
  });

  it('another tool version or facts version misses every entry', () => {
    const dir = freshDir();
    const at = (toolVersion: string, factsVersion: number): FactCache => FactCache.open(dir, { toolVersion, factsVersion });
    scanWith(FILES, at('1.0.0', 1), extractFacts);
    const upgraded = counting();
    scanWith(FILES, at('1.1.0', 1), upgraded.extract);
    expect(upgraded.calls.length).toBe(REACHED.length - 1);
    const newFacts = counting();
    scanWith(FILES, at('1.0.0', 2), newFacts.extract);
    expect(newFacts.calls.length).toBe(REACHED.length - 1);
    const back = counting();
    scanWith(FILES, at('1.0.0', 1), back.extract);
    expect(back.calls).toEqual([]);
  });

  it('keys differ by a single character of text, and entries never hold the text', () => {
    const dir = freshDir();
    const cache = FactCache.open(dir);
    expect(cache.keyOf('a.ts', 'const a = 1;')).not.toBe(cache.keyOf('a.ts', 'const a = 2;'));
    expect(cache.keyOf('a.ts', 'x')).toMatch(/^[0-9a-f]{64}$/);
    const secret = 'AKIAIOSFODNN7EXAMPLE-not-in-facts';
    new FactStore(new MemorySourceTree({ 'a.ts': `const key = '${secret}';\nexport const f = () => key;\n` }), { cache }).get('a.ts');
    const [entry] = entriesIn(dir);
    expect(entry).toBeDefined();
    expect(readFileSync(entry ?? '').includes(secret)).toBe(false);
  });
});

describe('a corrupt or foreign entry is a miss, reparsed and rewritten', () => {
  it("garbage, truncated, empty, foreign and another key's entry: no crash, exactly those files parsed again", () => {
    const dir = freshDir();
    scanWith(FILES, dir, extractFacts);
    const cache = FactCache.open(dir);
    const entryOf = (file: string): string => {
      const key = cache.keyOf(file, FILES[file] ?? '');
      return path.join(dir, 'facts-v2', key.slice(0, 2), key);
    };
    const victims = ['src/lib/m0.ts', 'src/lib/m1.js', 'src/lib/m2.tsx', 'src/lib/m3.mjs', 'src/lib/m4.ts', 'src/handlers/h0.ts'];
    const [garbage, truncated, empty, foreign, swapped, shape] = victims.map(entryOf) as [string, string, string, string, string, string];
    writeFileSync(garbage, Buffer.from('not a JSON payload at all'));
    writeFileSync(truncated, readFileSync(truncated).subarray(0, 40));
    writeFileSync(empty, '');
    writeFileSync(foreign, JSON.stringify({ hello: 'world' }));
    // A whole, valid entry, but of another file and key.
    writeFileSync(swapped, readFileSync(entryOf('src/lib/m5.js')));
    // Our envelope and key, but facts of the wrong shape.
    const key = path.basename(shape);
    writeFileSync(
      shape,
      JSON.stringify({
        magic: 'lambda-migrate/fact-cache',
        format: 2,
        key,
        file: 'src/handlers/h0.ts',
        value: { outcome: { kind: 'facts', facts: { file: 'src/handlers/h0.ts' } }, nullProto: [] },
      }),
    );

    const run = counting();
    const store = scanWith(FILES, cache, run.extract);
    expect(run.calls.sort()).toEqual([...victims].sort());
    expect(store.cacheStats).toMatchObject({ refused: victims.length, writes: victims.length, hits: REACHED.length - victims.length });
    const plain = new FactStore(new MemorySourceTree(FILES), { workers: 0 });
    walkGraph(plain, ROOTS, RESOLVER);
    expect([...store.entries()]).toEqual([...plain.entries()]);

    const healed = counting();
    scanWith(FILES, dir, healed.extract);
    expect(healed.calls).toEqual([]);
  });

  it("a cache directory that cannot be created is the user's error; a read-only one only stops the writes", () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, '');
    expect(() => new FactStore(new MemorySourceTree({}), { cache: file })).toThrow(/cannot use the cache directory .*a-file/);
    const dir = freshDir();
    const cache = FactCache.open(dir);
    mkdirSync(path.join(dir, 'facts-v2'), { mode: 0o500 });
    const store = new FactStore(new MemorySourceTree({ 'a.ts': 'export const a = 1;\n' }), { cache });
    expect(store.get('a.ts')?.exports.map((e) => e.name)).toEqual(['a']);
    // root ignores permission bits: then the write simply succeeds
    expect(cache.stats.writes + cache.stats.writeErrors).toBe(1);
  });
});

describe('scans sharing a directory', () => {
  it('four processes writing the same entries while this one reads: every read is a whole entry or none', async () => {
    const dist = path.join(REPO, 'dist/src/graph/fact-cache.js');
    expect(existsSync(dist), 'dist/ is missing or stale: run npm run build').toBe(true);
    const dir = freshDir();
    const files = Object.keys(FILES).filter((f) => f.startsWith('src/lib/m'));
    // Each writer stores, for every file, its own (valid) outcome, 10 rounds over: the same keys, racing.
    const writer = (n: number): string => `
      const { FactCache } = await import(${JSON.stringify(pathToFileURL(dist).href)});
      const cache = FactCache.open(${JSON.stringify(dir)});
      const files = ${JSON.stringify(files)};
      for (let round = 0; round < 10; round++) {
        for (const file of files) cache.put(cache.keyOf(file, 'same text'), file, { kind: 'skipped', reason: 'parse_error', detail: 'writer ${n} round ' + round + ' ' + 'x'.repeat(2000 * (round % 5)) });
      }
      if (cache.stats.writeErrors > 0) process.exit(3);`;
    const children = [0, 1, 2, 3].map((n) => spawn(process.execPath, ['--input-type=module', '-e', writer(n)], { stdio: 'ignore' }));
    const exits = children.map((c) => new Promise<number | null>((resolve) => c.on('exit', resolve)));
    let running = children.length;
    void Promise.all(exits).then(() => (running = 0));
    const reader = FactCache.open(dir);
    let whole = 0;
    while (running > 0) {
      for (const file of files) {
        const got = reader.get(reader.keyOf(file, 'same text'), file);
        if (got !== undefined) {
          expect(got).toMatchObject({ kind: 'skipped', reason: 'parse_error' });
          whole++;
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(exits)).toEqual([0, 0, 0, 0]);
    expect(reader.stats.refused).toBe(0);
    expect(whole).toBeGreaterThan(0);
    // Every entry is whole at the end, and no temporary file is left behind.
    const names = entriesIn(dir).map((f) => path.basename(f));
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(names.length).toBe(files.length);
    for (const file of files) expect(reader.get(reader.keyOf(file, 'same text'), file)?.kind).toBe('skipped');
  });
});

describe('prune keeps the directory bounded', () => {
  const DAY = 24 * 60 * 60 * 1000;
  // Whole seconds a minute ahead: every file written now is younger than NOW, by less than an hour.
  const NOW = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
  const age = (file: string, ms: number): void => utimesSync(file, (NOW - ms) / 1000, (NOW - ms) / 1000);

  function filled(count: number): { dir: string; keys: string[]; entry: (key: string) => string } {
    const dir = freshDir();
    const cache = FactCache.open(dir, { now: () => NOW });
    const keys = Array.from({ length: count }, (_, i) => cache.keyOf(`f${i}.ts`, 'x'));
    keys.forEach((k, i) => cache.put(k, `f${i}.ts`, extractOutcome(`f${i}.ts`, `export const v${i} = ${i};\n`)));
    return { dir, keys, entry: (key) => path.join(dir, 'facts-v2', key.slice(0, 2), key) };
  }

  it('removes entries unused for 14 days and stale temporary files; keeps recent ones, fresh temporaries and what this scan used', () => {
    const { dir, keys, entry } = filled(4);
    const [old, used, recent, fresh] = keys as [string, string, string, string];
    age(entry(old), 15 * DAY);
    age(entry(used), 30 * DAY);
    age(entry(recent), 13 * DAY);
    const staleTemp = `${entry(fresh)}.tmp-0123456789ab`;
    const freshTemp = `${entry(fresh)}.tmp-ba9876543210`;
    writeFileSync(staleTemp, 'partial');
    writeFileSync(freshTemp, 'partial');
    age(staleTemp, 2 * 60 * 60 * 1000);
    // An older format's folder ages out the same way.
    mkdirSync(path.join(dir, 'facts-v0', 'ab'), { recursive: true });
    const older = path.join(dir, 'facts-v0', 'ab', 'ab12');
    writeFileSync(older, 'old format');
    age(older, 20 * DAY);

    const cache = FactCache.open(dir, { now: () => NOW });
    expect(cache.get(used, 'f1.ts')?.kind).toBe('facts');
    // The hit refreshed its last use.
    expect(statSync(entry(used)).mtimeMs).toBe(NOW);
    expect(cache.prune(true)).toEqual({ removed: 3, kept: 4, keptBytes: expect.any(Number) as number });
    expect(existsSync(entry(old))).toBe(false);
    expect(existsSync(staleTemp)).toBe(false);
    expect(existsSync(older)).toBe(false);
    for (const kept of [entry(used), entry(recent), entry(fresh), freshTemp]) expect(existsSync(kept), kept).toBe(true);
  });

  it('over the size cap, the least recently used go first, never one this scan used', () => {
    const { dir, keys, entry } = filled(6);
    const size = statSync(entry(keys[0] ?? '')).size;
    keys.forEach((k, i) => age(entry(k), (10 - i) * 60 * 60 * 1000)); // keys[0] oldest
    const cache = FactCache.open(dir, { now: () => NOW, maxBytes: size * 3 });
    expect(cache.get(keys[0] ?? '', 'f0.ts')?.kind).toBe('facts');
    const report = cache.prune(true);
    expect(report?.removed).toBe(3);
    expect(keys.map((k) => existsSync(entry(k)))).toEqual([true, false, false, false, true, true]);
  });

  it('runs at most once a day per directory', () => {
    const { dir } = filled(1);
    const cache = FactCache.open(dir, { now: () => NOW });
    expect(cache.prune()).not.toBeNull();
    expect(cache.prune()).toBeNull();
    expect(FactCache.open(dir, { now: () => NOW + DAY / 2 }).prune()).toBeNull();
    expect(FactCache.open(dir, { now: () => NOW + DAY + 1 }).prune()).not.toBeNull();
  });

  it('FactStore.prefetch prunes', async () => {
    const { dir, keys, entry } = filled(2);
    age(entry(keys[0] ?? ''), 20 * DAY);
    const store = new FactStore(new MemorySourceTree({}), { cache: FactCache.open(dir, { now: () => NOW }), workers: 0 });
    await store.prefetch([], RESOLVER);
    expect(keys.map((k) => existsSync(entry(k)))).toEqual([false, true]);
  });
});
