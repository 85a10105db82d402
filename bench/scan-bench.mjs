#!/usr/bin/env node
// `npm run bench`: the scan against a raw single-thread TypeScript parse of the same files, on two trees, plus a
// cached re-scan after a one-file change and CLI start-up time.
//
//   node bench/scan-bench.mjs [--runs 3] [--help-runs 10] [--trees synthetic,patterns]
//                             [--modules 2000] [--handlers 200] [--lines 300000] [--seed 1] [--dir <path>]
//                             [--services 900] [--patterns-seed 7] [--patterns-dir <path>]
//                             [--regen] [--repo <checkout>] [--profile] [--json]
//
// Trees: `synthetic` (generate-service.mjs: one large service) and `patterns` (generate-patterns.mjs: hundreds
// of small services with their own IaC, like a public patterns repository). Per tree: one untimed census scan
// records the files the scan parses (parse-census.mjs) and fills the fact cache when the build has one; then
// raw parse and full scan run interleaved, each in a fresh child process; then, with a cache, N re-scans each
// after a one-file edit. Writes bench/out/results.json. Exits 0 even when a target is missed (prints MISS);
// exits 2 only on bad arguments or when a tree cannot be generated.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateService, readManifest, GENERATOR_VERSION } from './generate-service.mjs';
import { generatePatterns, readPatternsManifest, PATTERNS_VERSION } from './generate-patterns.mjs';
import { formatSummary, summarize as summarizeProfile } from './profile-summary.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.join(BENCH_DIR, 'out');
const SCAN_CHILD = path.join(BENCH_DIR, 'scan-child.mjs');
const RAW_CHILD = path.join(BENCH_DIR, 'raw-parse-child.mjs');
const CENSUS = pathToFileURL(path.join(BENCH_DIR, 'parse-census.mjs')).href;

const TARGETS = {
  scanOverRaw: 1.3, // scan wall / raw-parse wall, medians, per tree
  rssOverRaw: 1.5, // scan peak RSS / raw-parse peak RSS, medians, per tree
  cachedOverFull: 0.2, // cached re-scan after a one-file change / full scan, medians, per tree
  helpMs: 150, // `lambda-migrate --help`, median wall, whole process
};
const CHILD_TIMEOUT_MS = 10 * 60 * 1000;
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

// ---------------------------------------------------------------- args

let args;
try {
  args = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      'help-runs': { type: 'string', default: '10' },
      trees: { type: 'string', default: 'synthetic,patterns' },
      modules: { type: 'string', default: '2000' },
      handlers: { type: 'string', default: '200' },
      lines: { type: 'string', default: '300000' },
      seed: { type: 'string', default: '1' },
      dir: { type: 'string' },
      services: { type: 'string', default: '900' },
      'patterns-seed': { type: 'string', default: '7' },
      'patterns-dir': { type: 'string' },
      regen: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      repo: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (err) {
  console.error(String(err.message ?? err));
  process.exit(2);
}
if (args.help) {
  console.log(
    'usage: node bench/scan-bench.mjs [--runs 3] [--help-runs 10] [--trees synthetic,patterns] [--modules 2000] [--handlers 200] [--lines 300000] [--seed 1] [--dir <path>] [--services 900] [--patterns-seed 7] [--patterns-dir <path>] [--regen] [--repo <checkout>] [--profile] [--json]',
  );
  process.exit(0);
}
const num = (name, min = 1) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < min) {
    console.error(`--${name} must be an integer >= ${min}`);
    process.exit(2);
  }
  return v;
};
// The checkout whose dist/ and bin/ are measured (default: the one this file is in).
const REPO = path.resolve(args.repo ?? path.join(BENCH_DIR, '..'));
const DIST_INDEX = path.join(REPO, 'dist/src/index.js');
const BIN = path.join(REPO, 'bin/lambda-migrate.js');
const RUNS = num('runs');
const HELP_RUNS = num('help-runs', 0);
const TREE_NAMES = args.trees
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
for (const t of TREE_NAMES) {
  if (t !== 'synthetic' && t !== 'patterns') {
    console.error(`--trees: unknown tree '${t}' (synthetic, patterns)`);
    process.exit(2);
  }
}
const serviceParams = { modules: num('modules'), handlers: num('handlers'), targetLines: num('lines'), seed: num('seed') };
const patternParams = { services: num('services', 20), seed: num('patterns-seed') };

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x, d = 0) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);
const log = (msg) => process.stderr.write(msg + '\n');
const benchStart = performance.now();

/** Runs `node <args>` in a fresh process; resolves with its BENCH_RESULT payload and outer wall time. */
function runChild(nodeArgs, label, env = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, nodeArgs, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const processMs = performance.now() - t0;
      const line = stdout
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('BENCH_RESULT '));
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
  return {
    ms,
    status: r.status,
    signal: r.signal,
    stdoutChars: r.stdout?.length ?? 0,
    stderr: r.stderr?.toString().trim().split('\n').slice(-3).join('\n'),
  };
}

// ---------------------------------------------------------------- trees

function synthetic() {
  const dir = path.resolve(
    args.dir ??
      path.join(
        os.tmpdir(),
        `lambda-migrate-bench-v${GENERATOR_VERSION}-m${serviceParams.modules}-h${serviceParams.handlers}-l${serviceParams.targetLines}-s${serviceParams.seed}`,
      ),
  );
  let manifest = args.regen ? null : readManifest(dir, serviceParams);
  let generated = false;
  if (!manifest) {
    log(`generating synthetic service in ${dir} ...`);
    manifest = generateService(dir, serviceParams);
    generated = true;
  }
  const handlers = readdirSync(path.join(dir, 'src/handlers'))
    .filter((f) => f.endsWith('.ts'))
    .sort();
  return {
    name: 'synthetic',
    dir,
    generated,
    manifest,
    changeFile: `src/handlers/${handlers[0]}`,
    describe: `${manifest.sourceFiles.toLocaleString('en-US')} source files, ${manifest.lines.toLocaleString('en-US')} lines, ${manifest.handlers} handlers ${JSON.stringify(manifest.handlerKinds)}, ${manifest.brokenFiles.length} with syntax errors, one serverless.yml`,
    // What the scan must have done, from what was generated; the table says CHECK when it did not.
    expect: (w) => [
      ['functions', w.functions, manifest.handlers],
      ['files with facts + parse errors', w.files + (w.skippedReasons.parse_error ?? 0), manifest.sourceFiles],
      ['parse errors', w.skippedReasons.parse_error ?? 0, manifest.brokenFiles.length],
    ],
  };
}

function patterns() {
  const dir = path.resolve(
    args['patterns-dir'] ?? path.join(OUT_DIR, `patterns-v${PATTERNS_VERSION}-n${patternParams.services}-s${patternParams.seed}`),
  );
  let manifest = args.regen ? null : readPatternsManifest(dir, patternParams);
  let generated = false;
  if (!manifest) {
    log(`generating patterns tree in ${dir} ...`);
    manifest = generatePatterns(dir, patternParams);
    generated = true;
  }
  const iac = Object.entries(manifest.iac)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return {
    name: 'patterns',
    dir,
    generated,
    manifest,
    changeFile: manifest.changeFile,
    describe: `${patternParams.services} services (${iac}), ${manifest.files.toLocaleString('en-US')} files, ${manifest.sourceFiles.toLocaleString('en-US')} sources, ${manifest.iacFiles.toLocaleString('en-US')} IaC files, ${manifest.nodeFunctions} Node functions declared`,
    expect: (w) => [
      ['functions', w.functions, manifest.nodeFunctions],
      ['unresolved handlers', w.unresolved, 0],
    ],
  };
}

// ---------------------------------------------------------------- one tree

/** An edit the cached re-scan bench left behind (interrupted run) is undone before anything reads the tree. */
function restorePending(tree) {
  const pending = path.join(OUT_DIR, `${tree.name}-edit-original.json`);
  if (!existsSync(pending)) return pending;
  const { dir, file, text } = JSON.parse(readFileSync(pending, 'utf8'));
  if (dir === tree.dir) writeFileSync(path.join(dir, file), text);
  rmSync(pending);
  return pending;
}

/** The root-relative source files the census saw parsed (names as the scanner passed them). */
function censusFiles(tree, censusFile) {
  if (!existsSync(censusFile)) return [];
  const out = new Set();
  for (const name of readFileSync(censusFile, 'utf8').split('\n')) {
    if (name === '') continue;
    const rel = (path.isAbsolute(name) ? path.relative(tree.dir, name) : name).split(path.sep).join('/');
    if (rel.startsWith('../') || rel.split('/').includes('node_modules') || !SOURCE.test(rel)) continue;
    if (existsSync(path.join(tree.dir, rel))) out.add(rel);
  }
  return [...out].sort();
}

async function benchTree(tree) {
  const pending = restorePending(tree);
  const cacheDir = path.join(OUT_DIR, `cache-${tree.name}`);
  const censusFile = path.join(OUT_DIR, `${tree.name}-census.txt`);
  const listFile = path.join(OUT_DIR, `${tree.name}-parsed.json`);
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(censusFile, { force: true });

  // The census scan also warms the page cache, and fills the fact cache when the build has one.
  log(
    `${tree.name}: census scan (untimed; records the files the scan parses${existsSync(DIST_INDEX) ? ', fills the cache if the build has one' : ''}) ...`,
  );
  const census = await runChild(['--import', CENSUS, SCAN_CHILD, REPO, tree.dir, cacheDir], `${tree.name} census`, { LM_BENCH_CENSUS: censusFile });
  const parsed = censusFiles(tree, censusFile);
  // Without a census (a failed scan, or a build that reaches the compiler another way) the raw child walks the
  // tree and parses every source file instead; the table says so.
  const rawSet = parsed.length > 0 ? 'census' : 'all-sources';
  writeFileSync(listFile, JSON.stringify(parsed) + '\n');
  const cacheSupported = census.ok && existsSync(cacheDir) && readdirSync(cacheDir).length > 0;

  const rawArgs = [RAW_CHILD, tree.dir, parsed.length > 0 ? listFile : '-'];
  const scanArgs = [SCAN_CHILD, REPO, tree.dir];
  const raw = [];
  const scans = [];
  for (let i = 0; i < RUNS; i++) {
    log(`${tree.name} run ${i + 1}/${RUNS}: raw parse ...`);
    raw.push(await runChild(rawArgs, `${tree.name} raw#${i + 1}`));
    log(`${tree.name} run ${i + 1}/${RUNS}: scan ...`);
    scans.push(await runChild(scanArgs, `${tree.name} scan#${i + 1}`));
  }

  const cached = [];
  if (cacheSupported) {
    const file = path.join(tree.dir, tree.changeFile);
    const original = readFileSync(file, 'utf8');
    writeFileSync(pending, JSON.stringify({ dir: tree.dir, file: tree.changeFile, text: original }));
    try {
      for (let i = 0; i < RUNS; i++) {
        // A different edit each time, so every re-scan finds exactly one file the cache has not seen.
        writeFileSync(file, `${original}\n// lambda-migrate bench edit ${i + 1}\n`);
        log(`${tree.name} run ${i + 1}/${RUNS}: cached re-scan after editing ${tree.changeFile} ...`);
        cached.push(await runChild([...scanArgs, cacheDir], `${tree.name} cached#${i + 1}`));
      }
    } finally {
      writeFileSync(file, original);
      rmSync(pending, { force: true });
    }
  }
  return { tree, census, rawSet, parsed: parsed.length, cacheSupported, raw, scans, cached };
}

function summarizeTree(r) {
  const rawOk = r.raw.filter((x) => x.ok);
  const scanOk = r.scans.filter((x) => x.ok);
  const cachedOk = r.cached.filter((x) => x.ok);
  const rawMs = median(rawOk.map((x) => x.ms));
  const scanMs = median(scanOk.map((x) => x.ms));
  const cachedMs = median(cachedOk.map((x) => x.ms));
  const rawCpu = median(rawOk.map((x) => x.cpuMs));
  const scanCpu = median(scanOk.map((x) => x.cpuMs));
  const cachedCpu = median(cachedOk.map((x) => x.cpuMs));
  const rawRss = median(rawOk.map((x) => x.maxRSSKB));
  const scanRss = median(scanOk.map((x) => x.maxRSSKB));
  const ratio = rawMs && scanMs ? scanMs / rawMs : null;
  const rssRatio = rawRss && scanRss ? scanRss / rawRss : null;
  const cachedRatio = cachedMs !== null && scanMs ? cachedMs / scanMs : null;
  const pairRatios = r.scans.map((s, i) => (s.ok && r.raw[i]?.ok ? s.ms / r.raw[i].ms : null)).filter((x) => x !== null);
  const last = scanOk.at(-1) ?? null;
  const judge = (value, target) => ({ target: `<= ${target.toFixed(1)}x`, value: round(value, 2), met: value === null ? null : value <= target });
  return {
    tree: r.tree.name,
    dir: r.tree.dir,
    generated: r.tree.generated,
    describe: r.tree.describe,
    rawSet: r.rawSet,
    parsedFiles: r.parsed > 0 ? r.parsed : (rawOk[0]?.files ?? null),
    cpuRatios: {
      scanOverRaw: rawCpu && scanCpu ? round(scanCpu / rawCpu, 2) : null,
      cachedOverFull: cachedCpu !== null && scanCpu ? round(cachedCpu / scanCpu, 2) : null,
    },
    raw: {
      wallMs: round(rawMs, 1),
      cpuMs: round(rawCpu, 1),
      peakRssMB: round(rawRss / 1024, 1),
      files: rawOk[0]?.files ?? null,
      lines: rawOk[0]?.lines ?? null,
      parseErrorFiles: rawOk[0]?.parseErrorFiles ?? null,
      runs: r.raw,
    },
    scan: {
      wallMs: round(scanMs, 1),
      cpuMs: round(scanCpu, 1),
      peakRssMB: round(scanRss / 1024, 1),
      importMs: round(median(scanOk.map((x) => x.importMs)), 1),
      pairRatios: pairRatios.map((x) => round(x, 3)),
      sameResult: scanOk.length > 0 && scanOk.every((x) => x.resultSha256 === scanOk[0].resultSha256),
      work: last && {
        functions: last.functions,
        providers: last.providers,
        unresolved: last.unresolved,
        notAnalysed: last.notAnalysed,
        files: last.files,
        lines: last.lines,
        skippedReasons: last.skippedReasons,
        warnings: last.warnings,
        findings: last.findings,
        initModulesMedian: last.initModulesMedian,
        resultSha256: last.resultSha256,
      },
      runs: r.scans,
    },
    cached: {
      supported: r.cacheSupported,
      coldMs: r.cacheSupported && r.census.ok ? round(r.census.ms, 1) : null,
      wallMs: round(cachedMs, 1),
      cpuMs: round(cachedCpu, 1),
      changeFile: r.tree.changeFile,
      runs: r.cached,
    },
    census: { ok: r.census.ok, error: r.census.ok ? null : r.census.error, ms: round(r.census.ms, 1) },
    checks: last ? r.tree.expect(last) : [],
    targets: {
      scanOverRaw: judge(ratio, TARGETS.scanOverRaw),
      rssOverRaw: judge(rssRatio, TARGETS.rssOverRaw),
      cachedOverFull: judge(cachedRatio, TARGETS.cachedOverFull),
    },
  };
}

// ---------------------------------------------------------------- run

const scanAvailable = existsSync(DIST_INDEX);
if (!scanAvailable) {
  console.error(`scan: NOT AVAILABLE (${path.relative(REPO, DIST_INDEX)} missing; run \`npm run build\`)`);
  process.exit(2);
}
mkdirSync(OUT_DIR, { recursive: true });
const loadBefore = os.loadavg();
let trees;
try {
  trees = TREE_NAMES.map((t) => (t === 'synthetic' ? synthetic() : patterns()));
} catch (err) {
  console.error(`cannot generate a tree: ${err.stack ?? err}`);
  process.exit(2);
}
const perTree = [];
for (const tree of trees) perTree.push(summarizeTree(await benchTree(tree)));

const help = { available: existsSync(BIN), runs: [], baseline: [] };
if (help.available && HELP_RUNS > 0) {
  log(`--help x${HELP_RUNS} (and node -e "" baseline) ...`);
  timeProcess(['-e', '']); // warm the binary in the page cache
  timeProcess([BIN, '--help']);
  for (let i = 0; i < HELP_RUNS; i++) {
    help.baseline.push(timeProcess(['-e', '']));
    help.runs.push(timeProcess([BIN, '--help']));
  }
}
const helpMs = help.runs.length ? median(help.runs.map((r) => r.ms)) : null;
const baselineMs = help.baseline.length ? median(help.baseline.map((r) => r.ms)) : null;
const helpFailures = help.runs.filter((r) => r.status !== 0 || r.stdoutChars === 0).length;

let profile = null;
const patternsTree = trees.find((t) => t.name === 'patterns');
if (args.profile && patternsTree) {
  const profDir = path.join(OUT_DIR, 'profiles');
  rmSync(profDir, { recursive: true, force: true });
  log('patterns: one profiled scan (--cpu-prof) ...');
  const run = await runChild(['--cpu-prof', '--cpu-prof-dir', profDir, SCAN_CHILD, REPO, patternsTree.dir], 'patterns profile');
  const file = existsSync(profDir) ? readdirSync(profDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  profile = {
    ok: run.ok,
    file: file ? path.join(profDir, file) : null,
    lines: file
      ? formatSummary(summarizeProfile(JSON.parse(readFileSync(path.join(profDir, file), 'utf8'))), { top: 30 })
      : [`profile failed: ${run.error ?? 'no .cpuprofile written'}`],
  };
}
const loadAfter = os.loadavg();
const benchMs = performance.now() - benchStart;

const results = {
  benchVersion: 2,
  generatedAt: new Date().toISOString(),
  machine: {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    loadavgBefore: loadBefore.map((x) => round(x, 2)),
    loadavgAfter: loadAfter.map((x) => round(x, 2)),
  },
  runs: RUNS,
  benchMs: round(benchMs),
  trees: perTree,
  help: {
    available: help.available,
    medianMs: round(helpMs, 1),
    baselineMedianMs: round(baselineMs, 1),
    failures: helpFailures,
    runs: help.runs.map((r) => round(r.ms, 1)),
    baselineRuns: help.baseline.map((r) => round(r.ms, 1)),
    lastError: help.runs.find((r) => r.status !== 0)?.stderr ?? null,
    target: `< ${TARGETS.helpMs} ms`,
    met: helpMs === null ? null : helpMs < TARGETS.helpMs && helpFailures === 0,
  },
  profile: profile && { file: profile.file, summary: profile.lines },
};
const outFile = path.join(OUT_DIR, 'results.json');
writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');

// ---------------------------------------------------------------- table

const fmt = (x, unit = '') => (x === null || x === undefined ? '-' : `${typeof x === 'number' ? x.toLocaleString('en-US') : x}${unit}`);
const mark = (t) => (t.met === null ? 'n/a' : t.met ? 'PASS' : 'MISS');
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const x = (v) => (v === null ? '-' : `${v.toFixed(2)}x`);

const out = [];
out.push(
  `lambda-migrate bench  (node ${process.version}, ${os.cpus().length} cpus, load ${loadBefore.map((v) => v.toFixed(2)).join(' ')} -> ${loadAfter.map((v) => v.toFixed(2)).join(' ')}, ${RUNS} runs, bench took ${(benchMs / 1000).toFixed(0)} s)`,
);
for (const t of perTree) {
  out.push('');
  out.push(`== ${t.tree}: ${t.describe}`);
  out.push(`   ${t.dir}${t.generated ? ' (generated now)' : ' (reused)'}`);
  out.push(
    `   raw parse = read + ts.createSourceFile of ${t.rawSet === 'census' ? `the ${fmt(t.parsedFiles)} source files the scan parsed (census)` : `all ${fmt(t.parsedFiles)} source files (no census: ${t.census.error ?? 'the hook saw no parse'})`}, single thread`,
  );
  out.push(`   ${pad('median of ' + RUNS, 26)}${lpad('wall ms', 10)}${lpad('cpu ms', 10)}${lpad('peak RSS MB', 13)}`);
  out.push(`   ${pad('raw parse', 26)}${lpad(fmt(t.raw.wallMs), 10)}${lpad(fmt(t.raw.cpuMs), 10)}${lpad(fmt(t.raw.peakRssMB), 13)}`);
  out.push(`   ${pad('scan()', 26)}${lpad(fmt(t.scan.wallMs), 10)}${lpad(fmt(t.scan.cpuMs), 10)}${lpad(fmt(t.scan.peakRssMB), 13)}`);
  const tg = t.targets;
  out.push(
    `   scan / raw      ${lpad(x(tg.scanOverRaw.value), 7)}   target ${tg.scanOverRaw.target}  ${mark(tg.scanOverRaw)}   (per pair: ${t.scan.pairRatios.map((v) => v.toFixed(2)).join(', ') || '-'}; cpu time ${x(t.cpuRatios.scanOverRaw)})`,
  );
  out.push(`   RSS scan / raw  ${lpad(x(tg.rssOverRaw.value), 7)}   target ${tg.rssOverRaw.target}  ${mark(tg.rssOverRaw)}`);
  if (t.cached.supported) {
    out.push(`   cached re-scan after editing ${t.cached.changeFile}: ${fmt(t.cached.wallMs)} ms (cold-cache scan ${fmt(t.cached.coldMs)} ms)`);
    out.push(
      `   cached / full   ${lpad(x(tg.cachedOverFull.value), 7)}   target ${tg.cachedOverFull.target}  ${mark(tg.cachedOverFull)}   (cpu time ${x(t.cpuRatios.cachedOverFull)})`,
    );
  } else {
    out.push('   cached re-scan: n/a (no --cache yet)');
  }
  const w = t.scan.work;
  if (w) {
    out.push(
      `   scan did: ${w.functions} functions ${JSON.stringify(w.providers)}, ${w.unresolved} unresolved, ${w.notAnalysed} not analysed; ${fmt(w.files)} files with facts, ${fmt(w.lines)} lines; skipped ${JSON.stringify(w.skippedReasons)}; ${fmt(w.findings)} findings; import of dist ${fmt(t.scan.importMs)} ms`,
    );
    const checks = t.checks.map(([what, got, want]) => (got === want ? `${what} ${got} ok` : `${what} ${got} (generated: ${want}) CHECK`));
    out.push(
      `   checks: ${checks.join(', ')}; result sha256 ${w.resultSha256.slice(0, 16)}${t.scan.sameResult ? ' (same in every run)' : ' DIFFERS BETWEEN RUNS'}`,
    );
  }
  for (const [kind, list] of [
    ['census', [t.census.ok ? null : t.census].filter(Boolean)],
    ['scan', t.scan.runs],
    ['raw', t.raw.runs],
    ['cached', t.cached.runs],
  ]) {
    const failed = list.filter((r) => !r.ok);
    const distinct = [...new Set(failed.map((f) => f.error))];
    for (const d of distinct) out.push(`   ${kind} FAILED in ${failed.filter((f) => f.error === d).length}/${list.length} runs (${d})`);
  }
}
out.push('');
if (help.available && helpMs !== null) {
  out.push(
    `lambda-migrate --help:  ${helpMs.toFixed(1)} ms median of ${HELP_RUNS}   (node -e "" ${baselineMs.toFixed(1)} ms, +${(helpMs - baselineMs).toFixed(1)} ms)   target < ${TARGETS.helpMs} ms   ${mark(results.help)}${helpFailures ? `   (${helpFailures} runs failed: ${results.help.lastError ?? 'empty output'})` : ''}`,
  );
} else if (!help.available) {
  out.push(`lambda-migrate --help:  NOT AVAILABLE (${path.relative(REPO, BIN)} missing)   target < ${TARGETS.helpMs} ms   n/a`);
}
if (Math.max(loadBefore[0], loadAfter[0]) > os.cpus().length)
  out.push('note: load average above the CPU count; absolute times are noisy, the interleaved ratios less so.');
if (profile) out.push('', ...profile.lines, `profile: ${profile.file ?? '-'}`);
out.push(`results: ${path.relative(process.cwd(), outFile) || outFile}`);

console.log(args.json ? JSON.stringify(results, null, 2) : out.join('\n'));
process.exitCode = 0;
