#!/usr/bin/env node
// Streams a synthetic log export through readLogs() and reports throughput and peak RSS: the evidence that a
// multi-GB export is read in bounded memory. Needs a build (npm run build).
//
//   node bench/logs-bench.mjs [--mb 1024] [--groups 50] [--gzip] [--keep]
//
// The file is written to the OS temp dir (deterministic content, removed afterwards unless --keep). The read runs in
// a fresh child process so its peak RSS is the reader's alone. Writes bench/out/logs-results.json.

import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    groups: { type: 'string', default: '50' },
    gzip: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

if (values.child) {
  // Child: read the file, print figures as JSON.
  const { readLogs } = await import(new URL('../dist/src/metrics/read-logs.js', import.meta.url).href);
  const started = process.hrtime.bigint();
  const result = await readLogs({ paths: [values.child], cwd: process.cwd() });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const first = result.entries[0]?.figures;
  process.stdout.write(
    JSON.stringify({
      ms,
      reports: result.stats.reports,
      groups: result.entries.length,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      percentiles: first?.percentiles,
      initP99: first?.initMs?.p99,
    }),
  );
  process.exit(0);
}

const targetBytes = Number(values.mb) * 1024 * 1024;
const groups = Number(values.groups);
const file = path.join(os.tmpdir(), `lm-logs-bench-${values.mb}mb${values.gzip ? '.log.gz' : '.log'}`);

// Deterministic PRNG (mulberry32) so every run reads the same bytes.
let seed = 42;
const rand = () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

async function generate() {
  const out = createWriteStream(values.gzip ? `${file}.tmp` : file);
  const sink = values.gzip ? createGzip() : out;
  if (values.gzip) sink.pipe(out);
  let written = 0;
  let t = Date.parse('2026-11-01T00:00:00Z');
  let batch = [];
  while (written < targetBytes) {
    const g = Math.floor(rand() * groups);
    t += 37;
    const ts = new Date(t).toISOString();
    const id = `${Math.floor(rand() * 1e9).toString(16)}-4d2c-4c1e-9a8b-${Math.floor(rand() * 1e12).toString(16)}`;
    const duration = (20 + rand() * 900).toFixed(2);
    const cold = rand() < 0.05;
    const init = cold ? `Init Duration: ${(150 + rand() * 1200).toFixed(2)} ms\t` : '';
    const line =
      rand() < 0.5
        ? `/aws/lambda/bench-fn-${g}\t${ts}\t${ts}\t${id}\tINFO\torder processed for customer someone${g}@example.com\n`
        : `/aws/lambda/bench-fn-${g}\t${ts}\tREPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: ${Math.ceil(Number(duration))} ms\tMemory Size: 1024 MB\tMax Memory Used: ${100 + Math.floor(rand() * 90)} MB\t${init}\n`;
    batch.push(line);
    written += line.length;
    if (batch.length === 5000) {
      if (!sink.write(batch.join(''))) await new Promise((r) => sink.once('drain', r));
      batch = [];
    }
  }
  sink.write(batch.join(''));
  await new Promise((r) => {
    out.on('finish', r);
    sink.end();
  });
  if (values.gzip) {
    rmSync(file, { force: true });
    (await import('node:fs')).renameSync(`${file}.tmp`, file);
  }
  return written;
}

const genStart = Date.now();
const uncompressed = await generate();
const genMs = Date.now() - genStart;
const onDisk = statSync(file).size;
const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
if (!values.keep) rmSync(file, { force: true });
if (child.status !== 0) {
  process.stderr.write(child.stderr);
  process.exit(2);
}
const r = JSON.parse(child.stdout);
const result = {
  node: process.version,
  cpus: os.cpus().length,
  uncompressedMB: Math.round(uncompressed / 1048576),
  onDiskMB: Math.round(onDisk / 1048576),
  gzip: values.gzip,
  generateMs: genMs,
  readMs: Math.round(r.ms),
  mbPerSecond: Math.round((uncompressed / 1048576 / (r.ms / 1000)) * 10) / 10,
  reports: r.reports,
  groups: r.groups,
  peakRssMB: Math.round(r.maxRssMB),
  percentiles: r.percentiles,
};
mkdirSync(path.join(BENCH_DIR, 'out'), { recursive: true });
writeFileSync(path.join(BENCH_DIR, 'out', 'logs-results.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
