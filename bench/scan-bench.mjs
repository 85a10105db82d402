#!/usr/bin/env node
// `npm run bench`: scan throughput against a raw-parse reference, plus CLI start-up time.
//
//   node bench/scan-bench.mjs [--runs 3] [--help-runs 10] [--modules 2000] [--handlers 200]
//                             [--lines 300000] [--seed 1] [--dir <path>] [--regen] [--repo <checkout>] [--json]
//
// Everything timed runs in a fresh child process; raw and scan runs are interleaved and medians
// reported. Writes bench/out/results.json. Exits 0 even when a target is missed (prints MISSED);
// exits 2 only on bad arguments or when the synthetic service cannot be generated.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateService, readManifest, GENERATOR_VERSION } from './generate-service.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.join(BENCH_DIR, 'out');

const TARGETS = {
  scanOverRaw: 2.0, // scan wall / raw-parse wall, medians
  helpMs: 150, // `lambda-migrate --help`, median wall, whole process
};
const CHILD_TIMEOUT_MS = 10 * 60 * 1000;

// ---------------------------------------------------------------- args

let args;
try {
  args = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      'help-runs': { type: 'string', default: '10' },
      modules: { type: 'string', default: '2000' },
      handlers: { type: 'string', default: '200' },
      lines: { type: 'string', default: '300000' },
      seed: { type: 'string', default: '1' },
      dir: { type: 'string' },
      regen: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      repo: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(String(err.message ?? err));
  process.exit(2);
}
if (args.help) {
  console.log('usage: node bench/scan-bench.mjs [--runs 3] [--help-runs 10] [--modules 2000] [--handlers 200] [--lines 300000] [--seed 1] [--dir <path>] [--regen] [--repo <checkout>] [--json]');
  process.exit(0);
}
const num = (name) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
  return v;
};
// The checkout whose dist/ and bin/ are measured (default: the one this file is in).
const REPO = path.resolve(args.repo ?? path.join(BENCH_DIR, '..'));
const DIST_INDEX = path.join(REPO, 'dist/src/index.js');
const BIN = path.join(REPO, 'bin/lambda-migrate.js');
const RUNS = num('runs');
const HELP_RUNS = num('help-runs');
const params = { modules: num('modules'), handlers: num('handlers'), targetLines: num('lines'), seed: num('seed') };

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x, d = 0) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (msg) => process.stderr.write(msg + '\n');

/** Runs `node <args>` in a fresh process; resolves with its BENCH_RESULT payload and outer wall time. */
function runChild(nodeArgs, label) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, nodeArgs, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const processMs = performance.now() - t0;
      const line = stdout.split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) {
        const text = (stderr || stdout).trim().split('\n');
        // The thrown error's own line says most; fall back to the tail.
        const first = text.find((l) => /^\s*(\w*Error|Error)\b.*:/.test(l) || /^\s*\[?Error/.test(l));
        const error = first ? first.trim() : text.slice(-3).join(' | ');
        resolve({ ok: false, label, code, signal, processMs, error: error || `exit ${code ?? signal}`, stderrTail: text.slice(-12).join('\n') });
        return;
      }
      resolve({ ok: true, label, processMs, ...JSON.parse(line.slice('BENCH_RESULT '.length)) });
    });
  });
}

/** Wall time of `node <args>` (whole process), synchronous so nothing else runs in this process meanwhile. */
function timeProcess(nodeArgs) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, nodeArgs, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, signal: r.signal, stdoutChars: r.stdout?.length ?? 0, stderr: r.stderr?.toString().trim().split('\n').slice(-3).join('\n') };
}

// ---------------------------------------------------------------- service

const dir = path.resolve(args.dir ?? path.join(os.tmpdir(), `lambda-migrate-bench-v${GENERATOR_VERSION}-m${params.modules}-h${params.handlers}-l${params.targetLines}-s${params.seed}`));
let manifest = args.regen ? null : readManifest(dir, params);
let generated = false;
if (!manifest) {
  log(`generating synthetic service in ${dir} ...`);
  const t0 = performance.now();
  try {
    manifest = generateService(dir, params);
  } catch (err) {
    console.error(`cannot generate the service: ${err.stack ?? err}`);
    process.exit(2);
  }
  generated = true;
  log(`  ${manifest.sourceFiles} source files, ${manifest.lines} lines, ${Math.round(performance.now() - t0)} ms`);
} else {
  log(`reusing synthetic service in ${dir} (${manifest.sourceFiles} source files, ${manifest.lines} lines)`);
}

// ---------------------------------------------------------------- raw vs scan, interleaved

const loadBefore = os.loadavg();
const scanAvailable = existsSync(DIST_INDEX);
const rawArgs = [path.join(BENCH_DIR, 'raw-parse-child.mjs'), dir];
const scanArgs = [path.join(BENCH_DIR, 'scan-child.mjs'), REPO, dir];

log('warm-up (page cache, untimed) ...');
await runChild(rawArgs, 'warmup');

const raw = [];
const scans = [];
for (let i = 0; i < RUNS; i++) {
  log(`run ${i + 1}/${RUNS}: raw parse ...`);
  raw.push(await runChild(rawArgs, `raw#${i + 1}`));
  if (scanAvailable) {
    log(`run ${i + 1}/${RUNS}: scan ...`);
    scans.push(await runChild(scanArgs, `scan#${i + 1}`));
  }
}
const rawOk = raw.filter((r) => r.ok);
const scanOk = scans.filter((r) => r.ok);

// ---------------------------------------------------------------- --help

const help = { available: existsSync(BIN), runs: [], baseline: [] };
if (help.available) {
  log(`--help x${HELP_RUNS} (and node -e "" baseline) ...`);
  timeProcess(['-e', '']); // warm the binary in the page cache
  timeProcess([BIN, '--help']);
  for (let i = 0; i < HELP_RUNS; i++) {
    help.baseline.push(timeProcess(['-e', '']));
    help.runs.push(timeProcess([BIN, '--help']));
  }
}
const loadAfter = os.loadavg();

// ---------------------------------------------------------------- summary

const summarize = (runs, { filesKey = 'files', linesKey = 'lines' } = {}) => {
  if (runs.length === 0) return null;
  const ms = median(runs.map((r) => r.ms));
  const files = median(runs.map((r) => r[filesKey]));
  const lines = median(runs.map((r) => r[linesKey]));
  return {
    runs: runs.length,
    wallMs: round(ms, 1),
    processMs: round(median(runs.map((r) => r.processMs)), 1),
    filesPerSec: files && ms ? round(files / (ms / 1000)) : null,
    linesPerSec: lines && ms ? round(lines / (ms / 1000)) : null,
    peakRssMB: round(median(runs.map((r) => r.maxRSSKB)) / 1024, 1),
    files,
    lines,
  };
};

const rawSummary = summarize(rawOk);
const scanSummary = summarize(scanOk);
const ratio = rawSummary && scanSummary ? scanSummary.wallMs / rawSummary.wallMs : null;
// Per-pair ratios are less sensitive to load drifting during the bench.
const pairRatios = scans.map((s, i) => (s.ok && raw[i]?.ok ? s.ms / raw[i].ms : null)).filter((x) => x !== null);
const helpMs = help.runs.length ? median(help.runs.map((r) => r.ms)) : null;
const baselineMs = help.baseline.length ? median(help.baseline.map((r) => r.ms)) : null;
const helpFailures = help.runs.filter((r) => r.status !== 0 || r.stdoutChars === 0).length;

const scanWork = scanOk.length
  ? {
      functions: median(scanOk.map((r) => r.functions)),
      files: median(scanOk.map((r) => r.files)),
      lines: median(scanOk.map((r) => r.lines)),
      skipped: median(scanOk.map((r) => r.skipped)),
      skippedReasons: scanOk.at(-1).skippedReasons,
      warnings: scanOk.at(-1).warnings,
      findings: scanOk.at(-1).findings,
      complete: scanOk.at(-1).complete,
      initModulesMedian: scanOk.at(-1).initModulesMedian,
      importMs: round(median(scanOk.map((r) => r.importMs)), 1),
    }
  : null;

const targets = {
  scanOverRaw: { target: `<= ${TARGETS.scanOverRaw.toFixed(1)}x`, value: ratio === null ? null : round(ratio, 2), met: ratio === null ? null : ratio <= TARGETS.scanOverRaw },
  helpMs: { target: `< ${TARGETS.helpMs} ms`, value: helpMs === null ? null : round(helpMs, 1), met: helpMs === null ? null : helpMs < TARGETS.helpMs && helpFailures === 0 },
};

const results = {
  benchVersion: 1,
  generatedAt: new Date().toISOString(),
  machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMB: Math.round(os.totalmem() / 2 ** 20), loadavgBefore: loadBefore.map((x) => round(x, 2)), loadavgAfter: loadAfter.map((x) => round(x, 2)) },
  service: { dir, generated, generatorVersion: GENERATOR_VERSION, params, sourceFiles: manifest.sourceFiles, lines: manifest.lines, handlers: manifest.handlers, handlerKinds: manifest.handlerKinds, brokenFiles: manifest.brokenFiles.length },
  raw: { summary: rawSummary, tsVersion: rawOk[0]?.tsVersion ?? null, parseErrorFiles: rawOk[0]?.parseErrorFiles ?? null, runs: raw },
  scan: { available: scanAvailable, summary: scanSummary, work: scanWork, ratio: round(ratio, 3), pairRatios: pairRatios.map((x) => round(x, 3)), pairRatioMedian: round(median(pairRatios), 3), runs: scans },
  help: { available: help.available, medianMs: round(helpMs, 1), baselineMedianMs: round(baselineMs, 1), overBaselineMs: helpMs !== null && baselineMs !== null ? round(helpMs - baselineMs, 1) : null, failures: helpFailures, runs: help.runs.map((r) => round(r.ms, 1)), baselineRuns: help.baseline.map((r) => round(r.ms, 1)), lastError: help.runs.find((r) => r.status !== 0)?.stderr ?? null },
  targets,
};

mkdirSync(OUT_DIR, { recursive: true });
const outFile = path.join(OUT_DIR, 'results.json');
writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');

// ---------------------------------------------------------------- table

const fmt = (x, unit = '') => (x === null || x === undefined ? '-' : `${typeof x === 'number' ? x.toLocaleString('en-US') : x}${unit}`);
const mark = (t) => (t.met === null ? 'n/a' : t.met ? 'ok' : 'MISSED');
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const out = [];
out.push(`lambda-migrate bench  (node ${process.version}, ${os.cpus().length} cpus, load ${loadBefore.map((x) => x.toFixed(2)).join(' ')} -> ${loadAfter.map((x) => x.toFixed(2)).join(' ')})`);
out.push(`service: ${manifest.sourceFiles} source files, ${manifest.lines.toLocaleString('en-US')} lines, ${manifest.handlers} handlers ${JSON.stringify(manifest.handlerKinds)}, ${manifest.brokenFiles.length} with syntax errors`);
out.push(`         ${dir}${generated ? ' (generated now)' : ' (reused)'}`);
out.push('');
out.push(`${pad('median of ' + RUNS, 22)}${lpad('wall ms', 10)}${lpad('process ms', 12)}${lpad('files/s', 10)}${lpad('lines/s', 11)}${lpad('peak RSS MB', 13)}`);
for (const [name, s] of [['raw ts.createSourceFile', rawSummary], ['scan()', scanSummary]]) {
  out.push(s ? `${pad(name, 22)}${lpad(fmt(s.wallMs), 10)}${lpad(fmt(s.processMs), 12)}${lpad(fmt(s.filesPerSec), 10)}${lpad(fmt(s.linesPerSec), 11)}${lpad(fmt(s.peakRssMB), 13)}` : `${pad(name, 22)}  not run`);
}
out.push('');
if (!scanAvailable) out.push(`scan: NOT AVAILABLE (${path.relative(REPO, DIST_INDEX)} missing; run \`npm run build\`)`);
for (const [kind, list] of [['scan', scans], ['raw', raw]]) {
  const failed = list.filter((r) => !r.ok);
  const distinct = [...new Set(failed.map((f) => `exit ${f.code ?? f.signal}: ${f.error}`))];
  for (const d of distinct) out.push(`${kind} FAILED in ${failed.filter((f) => `exit ${f.code ?? f.signal}: ${f.error}` === d).length}/${list.length} runs (${d})`);
}
if (scanWork) {
  const exp = (got, want) => (got === want ? `${got}` : `${got} (expected ${want}) CHECK`);
  // summary.files counts files parsed; files skipped for a parse error are not in it.
  const parseErrors = scanWork.skippedReasons?.parse_error ?? 0;
  const filesCell = scanWork.files === manifest.sourceFiles ? `${scanWork.files}` : scanWork.files + parseErrors === manifest.sourceFiles ? `${scanWork.files} (+${parseErrors} parse errors = ${manifest.sourceFiles})` : `${scanWork.files} (generated ${manifest.sourceFiles}) CHECK`;
  out.push(`scan did: functions ${exp(scanWork.functions, manifest.handlers)}, files ${filesCell}, lines ${fmt(scanWork.lines)}, skipped ${scanWork.skipped} ${JSON.stringify(scanWork.skippedReasons)}${(scanWork.skippedReasons?.parse_error ?? 0) === manifest.brokenFiles.length ? '' : ` (generated ${manifest.brokenFiles.length} files with syntax errors) CHECK`}, findings ${fmt(scanWork.findings)}, median init modules ${fmt(scanWork.initModulesMedian)}, import of dist ${fmt(scanWork.importMs)} ms`);
}
out.push(`scan / raw ratio:       ${ratio === null ? '-' : ratio.toFixed(2) + 'x'}  (per pair: ${pairRatios.map((x) => x.toFixed(2)).join(', ') || '-'}${pairRatios.length > 1 ? `; median ${median(pairRatios).toFixed(2)}x` : ''})   target ${targets.scanOverRaw.target}   ${mark(targets.scanOverRaw)}`);
if (help.available) {
  out.push(`lambda-migrate --help:  ${helpMs.toFixed(1)} ms median of ${HELP_RUNS}   (node -e "" ${baselineMs.toFixed(1)} ms, +${(helpMs - baselineMs).toFixed(1)} ms)   target ${targets.helpMs.target}   ${mark(targets.helpMs)}${helpFailures ? `   (${helpFailures} runs failed: ${results.help.lastError ?? 'empty output'})` : ''}`);
} else {
  out.push(`lambda-migrate --help:  NOT AVAILABLE (${path.relative(REPO, BIN)} missing)   target ${targets.helpMs.target}   n/a`);
}
if (Math.max(loadBefore[0], loadAfter[0]) > os.cpus().length) out.push(`note: load average above the CPU count; absolute times are noisy, the interleaved ratio less so.`);
out.push(`results: ${path.relative(process.cwd(), outFile) || outFile}`);

console.log(args.json ? JSON.stringify(results, null, 2) : out.join('\n'));
process.exitCode = 0;
