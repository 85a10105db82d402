/**
 * Parse workers: a worker's outcome for a file is the main thread's, value for value (null-prototype tables
 * included); a store that prefetches with workers answers exactly as the serial store does, in the same order,
 * whoever parsed what; a worker that fails or comes from another build hands its files back to the main thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FactStore } from '../../src/graph/fact-store.js';
import { extractFacts } from '../../src/graph/facts.js';
import { extractOutcome, revive, type Extract } from '../../src/graph/file-outcome.js';
import { ParsePool, workerScript } from '../../src/graph/parse-pool.js';
import { scan } from '../../src/index.js';
import { MemorySourceTree } from '../../src/source/tree.js';
import { isSourceFile } from '../../src/source/walk.js';
import { REPO } from '../helpers/cli.js';
import { handlerFiles, resolverFor, serviceFiles, walkGraph } from './fact-service.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-parse-pool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The real parser, made slow on the main thread (a sleep, not a spin) so the workers get a share of any tree. */
const sleepy: Extract = (file, text) => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15);
  return extractFacts(file, text);
};

function requireBuild(): string {
  const script = workerScript();
  expect(script, 'dist/ is missing or stale: run npm run build').not.toBeNull();
  return script ?? '';
}

/** Null-prototype objects anywhere in a value, by path: what structured clone alone would lose. */
function nullProtoPaths(value: unknown, at = '$', out: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return out;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) === null) out.push(at);
  for (const [k, v] of Object.entries(value)) nullProtoPaths(v, `${at}.${k}`, out);
  return out;
}

describe('a worker parses as the main thread does', () => {
  it('every file of the service, skipped ones included: equal outcomes and the same null-prototype tables', async () => {
    requireBuild();
    const files = serviceFiles(40);
    const jobs = Object.keys(files)
      .filter(isSourceFile)
      .sort()
      .map((file) => ({ file, text: files[file] ?? '' }));
    const pool = ParsePool.start(1);
    expect(pool).not.toBeNull();
    try {
      while (pool !== null && !pool.hasCapacity()) {
        expect(pool.pending).toBe(true);
        await pool.nextEvent();
      }
      const results = (await pool?.submit(jobs)) ?? [];
      expect(results).toHaveLength(jobs.length);
      results.forEach((result, i) => {
        const job = jobs[i];
        expect(result, job?.file).not.toBeNull();
        if (result === null || job === undefined) return;
        const fromWorker = revive(result);
        const here = extractOutcome(job.file, job.text);
        expect(fromWorker, job.file).toEqual(here);
        expect(nullProtoPaths(fromWorker), job.file).toEqual(nullProtoPaths(here));
      });
      const kinds = results.map((r) => (r?.outcome.kind === 'skipped' ? r.outcome.reason : r?.outcome.kind));
      expect(kinds.filter((k) => k !== 'facts').sort()).toEqual(['minified', 'parse_error', 'too_deep']);
      const m0 = results[jobs.findIndex((j) => j.file === 'src/lib/m0.ts')];
      expect(m0 ? nullProtoPaths(revive(m0)) : null).toEqual(['$.facts.bindings', '$.facts.instances']);
    } finally {
      await pool?.close();
    }
  });
});

describe('FactStore with workers answers as the serial store', () => {
  const files = serviceFiles(150);
  const roots = handlerFiles(files);
  const resolver = resolverFor(files);
  const serial = new FactStore(new MemorySourceTree(files), { workers: 0 });
  const serialAsked = walkGraph(serial, roots, resolver);

  it('same facts in the same order, same skips, whichever thread parsed which file', async () => {
    requireBuild();
    const store = new FactStore(new MemorySourceTree(files), { workers: 2, extract: sleepy });
    await store.prefetch(roots, resolver);
    // Prefetched, not yet asked: nothing is in the result before the graph asks for it.
    expect(store.entries().size).toBe(0);
    expect(store.skipped).toEqual([]);
    expect(walkGraph(store, roots, resolver)).toEqual(serialAsked);
    expect([...store.entries()]).toEqual([...serial.entries()]);
    expect(store.skipped).toEqual(serial.skipped);
    expect(store.skipped.map((s) => s.reason)).toEqual(['parse_error', 'too_deep', 'minified']);
    for (const [file, facts] of store.entries()) expect(Object.getPrototypeOf(facts.bindings), file).toBeNull();
    // The workers did part of it; a file a worker found too deep was decided again here.
    expect(store.stats.parsedInWorkers).toBeGreaterThan(0);
    expect(store.stats.parsedHere).toBeGreaterThan(0);
    expect(store.stats.parsedHere + store.stats.parsedInWorkers).toBeGreaterThanOrEqual(serial.stats.parsedHere);
    // src/unused.ts is imported by nothing: never listed.
    expect(store.entries().has('src/unused.ts')).toBe(false);
  });

  it('a worker that dies on start-up, or answers from another build, leaves the main thread to parse everything', async () => {
    const crashing = path.join(tmp, 'crash.mjs');
    writeFileSync(crashing, 'throw new Error("no compiler here");\n');
    const foreign = path.join(tmp, 'foreign.mjs');
    writeFileSync(
      foreign,
      'import { parentPort } from "node:worker_threads";\nparentPort.postMessage({ ready: "another build" });\nparentPort.on("message", () => {});\n',
    );
    const missing = path.join(tmp, 'missing.mjs');
    for (const script of [crashing, foreign, missing]) {
      const store = new FactStore(new MemorySourceTree(files), { workers: 1, workerScript: script });
      await store.prefetch(roots, resolver);
      walkGraph(store, roots, resolver);
      expect([...store.entries()], script).toEqual([...serial.entries()]);
      expect(store.skipped).toEqual(serial.skipped);
      expect(store.stats.parsedInWorkers).toBe(0);
    }
  });

  it('workers: 0 prefetches nothing: files are parsed as the graph reaches them', async () => {
    const calls: string[] = [];
    const store = new FactStore(new MemorySourceTree(files), { workers: 0, extract: (f, t) => (calls.push(f), extractFacts(f, t)) });
    await store.prefetch(roots, resolver);
    expect(calls).toEqual([]);
    walkGraph(store, roots, resolver);
    expect(calls).toEqual(serialAsked.filter((f) => f !== 'src/lib/bundle.js'));
  });

  it("a bad worker count is the user's error", () => {
    expect(() => new FactStore(new MemorySourceTree({}), { workers: -1 })).toThrow('workers must be a whole number of threads, 0 or more (got -1)');
    expect(() => new FactStore(new MemorySourceTree({}), { workers: 1.5 })).toThrow(/got 1.5/);
  });
});

describe('scan() with workers and a cache', () => {
  it('the example service: the same result serially, with workers, with a cold cache and with a warm one', async () => {
    requireBuild();
    const root = path.join(REPO, 'examples/orders-service');
    const cache = path.join(tmp, 'scan-cache');
    const serial = JSON.stringify(await scan({ root, workers: 0 }));
    expect(JSON.stringify(await scan({ root, workers: 2 }))).toBe(serial);
    expect(JSON.stringify(await scan({ root, workers: 0, cache }))).toBe(serial);
    expect(JSON.stringify(await scan({ root, workers: 2, cache }))).toBe(serial);
  });
});
