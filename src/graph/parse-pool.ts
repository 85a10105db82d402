import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { assetPath } from '../assets.js';
import { extractorFingerprint } from './fact-cache.js';
import { isPortableOutcome, type PortableOutcome } from './file-outcome.js';
import type { ParseRequest } from './parse-worker.js';

/**
 * A few worker threads that parse source files beside the main thread. Workers run the compiled module
 * (dist/src/graph/parse-worker.js): next to this file when it runs from dist, the package's dist/ when it runs from
 * src/ (vitest). When there is none (a build without it, a bundled copy), `start` returns null and parsing stays on
 * the main thread; that is a slower scan, never an error. A worker that fails (crashes, runs out of memory, or is
 * from another build) hands its files back, and the caller parses them itself.
 *
 * Measured (bench/generate-service.mjs, 1,000 sources, 150k lines; `nice`, medians of 5, on a 2-core machine shared
 * with other jobs, load 4-6): the parse phase took 2.5 s serially and 4.1 s with one worker; whole scans 6.0 s and
 * 7.4 s. A worker loads its own compiler (0.6 s of CPU) and warms its own JIT, about 1.7 s of CPU per 1,000 files in
 * all, and the scheduler (one share per session) gave the scan no second core to spend it on. Hence off by default
 * (`workers: 0`); with idle cores, `--workers N` may pay on large trees.
 */
export interface ParseJob {
  file: string;
  text: string;
}

/** Files per message: small enough to balance the load, big enough that messages cost nothing. */
const BATCH_FILES = 8;
/** Batches a worker holds at once, so it never waits on the main thread for its next one. */
const MAX_IN_FLIGHT = 2;
/**
 * The worker's stack (Node keeps 192 KB of it in reserve): about 830 KB usable, below the main thread's 984 KB, so a
 * file a worker parses would parse on the main thread too; one it finds too deep is parsed again on the main thread
 * (see FactStore), which decides as a serial scan would.
 */
const WORKER_STACK_MB = 1;

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  inFlight: Map<number, { jobs: readonly ParseJob[]; resolve: (results: (PortableOutcome | null)[] | null) => void }>;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private waiters: (() => void)[] = [];

  private constructor(script: string, size: number) {
    const fingerprint = extractorFingerprint();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
      const slot: Slot = { worker, ready: false, dead: false, inFlight: new Map() };
      worker.on('message', (message: unknown) => this.onMessage(slot, message, fingerprint));
      worker.on('error', () => this.fail(slot));
      worker.on('exit', () => this.fail(slot));
      this.slots.push(slot);
    }
  }

  /** A pool of `size` workers running `script` (default: the compiled worker), or null when there is none. */
  static start(size: number, script: string | null = workerScript()): ParsePool | null {
    if (script === null || size < 1) return null;
    return new ParsePool(script, size);
  }

  /** Whether some worker can take a batch now. */
  hasCapacity(): boolean {
    return this.slots.some((s) => s.ready && !s.dead && s.inFlight.size < MAX_IN_FLIGHT);
  }

  /** Whether a worker may still answer: one is starting or working. */
  get pending(): boolean {
    return this.slots.some((s) => !s.dead && (!s.ready || s.inFlight.size > 0));
  }

  /** Whether any batch is out. */
  get busy(): boolean {
    return this.slots.some((s) => s.inFlight.size > 0);
  }

  /** The batch size `submit` takes. */
  readonly batchSize = BATCH_FILES;

  /**
   * Sends a batch to a worker with capacity (call `hasCapacity` first). Resolves with each job's outcome, null for
   * one that came back malformed, or null for the whole batch when the worker failed: the caller parses those itself.
   */
  submit(jobs: readonly ParseJob[]): Promise<(PortableOutcome | null)[] | null> {
    const slot = this.slots.find((s) => s.ready && !s.dead && s.inFlight.size < MAX_IN_FLIGHT);
    if (slot === undefined) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.inFlight.set(id, { jobs, resolve });
      const request: ParseRequest = { id, jobs: jobs.map((j) => ({ file: j.file, text: j.text })) };
      slot.worker.postMessage(request);
    });
  }

  /** Resolves at the next thing a worker does: ready, a batch answered, or failed. */
  nextEvent(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map((s) => {
        s.dead = true;
        return s.worker.terminate();
      }),
    );
    this.notify();
  }

  private onMessage(slot: Slot, message: unknown, fingerprint: string): void {
    if (typeof message !== 'object' || message === null) return;
    const ready: unknown = Reflect.get(message, 'ready');
    if (typeof ready === 'string') {
      if (ready === fingerprint) slot.ready = true;
      else void this.retire(slot); // another build's extractor: its facts could differ
      this.notify();
      return;
    }
    const id: unknown = Reflect.get(message, 'id');
    const batch = typeof id === 'number' ? slot.inFlight.get(id) : undefined;
    if (batch === undefined || typeof id !== 'number') return;
    slot.inFlight.delete(id);
    const results: unknown = Reflect.get(message, 'results');
    const list = Array.isArray(results) && results.length === batch.jobs.length ? (results as unknown[]) : null;
    batch.resolve(batch.jobs.map((job, i) => (list !== null && isPortableOutcome(list[i], job.file) ? list[i] : null)));
    this.notify();
  }

  private fail(slot: Slot): void {
    if (slot.dead && slot.inFlight.size === 0) return;
    slot.dead = true;
    for (const batch of slot.inFlight.values()) batch.resolve(null);
    slot.inFlight.clear();
    this.notify();
  }

  private async retire(slot: Slot): Promise<void> {
    this.fail(slot);
    await slot.worker.terminate();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Where the compiled worker is, or null. */
export function workerScript(): string | null {
  const here = fileURLToPath(import.meta.url);
  const script = runsFromBuild() ? path.join(path.dirname(here), 'parse-worker.js') : assetPath('dist/src/graph/parse-worker.js');
  return existsSync(script) ? script : null;
}

/** Whether this module is the compiled one (the CLI, the library) rather than the source under vitest. */
export function runsFromBuild(): boolean {
  return import.meta.url.endsWith('.js');
}
