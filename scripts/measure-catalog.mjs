#!/usr/bin/env node
// Regenerates rules/catalog/packages.json: the measured load cost of popular packages.
//
//   npm run catalog:measure                       # every package in scripts/catalog-packages.json
//   npm run catalog:measure -- --only zod,lodash/get --runs 15
//
// For each package (and each listed subpath) it times, in a fresh `node -e` process per run,
// (a) require(spec) and (b) await import(spec): the wall time of the whole process minus the median
// wall time of an empty `node -e ""` measured in the same run. Median of N runs; every round runs
// all tasks (baselines included) in a shuffled order so that machine drift spreads evenly.
// Packages are installed with npm into a scratch directory under os.tmpdir(), never into the project.
//
// Plain Node ESM; no dependencies beyond node built-ins (shells out to npm).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_LIST = path.join(ROOT, 'scripts', 'catalog-packages.json');
const DEFAULT_OUT = path.join(ROOT, 'rules', 'catalog', 'packages.json');
const BASELINES_PER_ROUND = 3;
const CHILD_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------- arguments

function usage(code) {
  process.stderr.write(`usage: node scripts/measure-catalog.mjs [options]
  --runs N          timed runs per task (default 9; one extra warm-up round is not counted)
  --only a,b        measure only these names/specifiers and merge them into the existing output
  --list FILE       package list (default scripts/catalog-packages.json)
  --out FILE        output (default rules/catalog/packages.json)
  --scratch DIR     install into DIR instead of a new temp dir (kept afterwards)
  --keep            keep the temp install dir
  --skip-install    reuse --scratch DIR as it is
  --seed N          shuffle seed (default 1)
`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = { runs: 9, only: null, list: DEFAULT_LIST, out: DEFAULT_OUT, scratch: null, keep: false, skipInstall: false, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) usage(2);
      return v;
    };
    if (a === '--runs') o.runs = Number(val());
    else if (a === '--only') o.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--list') o.list = path.resolve(val());
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '--scratch') o.scratch = path.resolve(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--skip-install') o.skipInstall = true;
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '-h' || a === '--help') usage(0);
    else {
      process.stderr.write(`unknown argument: ${a}\n`);
      usage(2);
    }
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) {
    process.stderr.write('--runs must be a positive integer\n');
    process.exit(2);
  }
  if (o.skipInstall && !o.scratch) {
    process.stderr.write('--skip-install needs --scratch DIR\n');
    process.exit(2);
  }
  return o;
}

const log = (msg) => process.stderr.write(`${msg}\n`);

// ---------------------------------------------------------------- helpers

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const round1 = (x) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
const clamp0 = (x) => (x === null ? null : Math.max(0, x));

/** Deterministic PRNG (mulberry32) so a run's task order is reproducible from --seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(arr, rand) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

/** A small, fixed environment for the children: no NODE_OPTIONS, no inherited loaders. */
function childEnv() {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: os.tmpdir(),
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
  };
}

// ---------------------------------------------------------------- install

function install(dir, packages) {
  fs.mkdirSync(dir, { recursive: true });
  const pj = path.join(dir, 'package.json');
  if (!fs.existsSync(pj)) {
    fs.writeFileSync(pj, JSON.stringify({ name: 'lambda-migrate-catalog-scratch', private: true }, null, 2));
  }
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error',
    ...packages.map((p) => `${p.name}@${p.version}`)];
  log(`installing ${packages.length} packages into ${dir} ...`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('npm', args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (r.status !== 0) {
    log(`npm install failed (exit ${r.status ?? r.signal})`);
    process.exit(2);
  }
  log(`installed in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
}

// ---------------------------------------------------------------- size on disk

/** Apparent size in bytes of every file under dir (symlinks counted as links), skipping its node_modules. */
function dirSize(dir) {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    let ents;
    try {
      ents = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        // Nested node_modules hold dependencies: counted through resolution in closureSize.
        if (e.name === 'node_modules') continue;
        stack.push(p);
      } else {
        try {
          total += fs.lstatSync(p).size;
        } catch {
          /* vanished */
        }
      }
    }
  }
  return total;
}

/** Node-style lookup of a dependency directory from a package directory, up to the scratch root. */
function resolveDepDir(fromDir, dep, root) {
  let d = fromDir;
  for (;;) {
    const cand = path.join(d, 'node_modules', dep);
    if (fs.existsSync(path.join(cand, 'package.json'))) return cand;
    if (d === root || d === path.dirname(d)) return null;
    d = path.dirname(d);
  }
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Size of a package plus its transitive dependencies: dependencies, optionalDependencies that are
 * installed, and non-optional peerDependencies (npm installs those and they load at runtime).
 * Each directory counted once.
 */
function closureSize(pkgDir, root) {
  const seen = new Set();
  const queue = [pkgDir];
  let total = 0;
  let count = 0;
  while (queue.length) {
    const dir = queue.shift();
    const real = fs.realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    total += dirSize(real);
    count++;
    let pj;
    try {
      pj = readJson(path.join(real, 'package.json'));
    } catch {
      continue;
    }
    const peerOptional = pj.peerDependenciesMeta ?? {};
    const deps = new Set([
      ...Object.keys(pj.dependencies ?? {}),
      ...Object.keys(pj.optionalDependencies ?? {}),
      ...Object.keys(pj.peerDependencies ?? {}).filter((n) => !peerOptional[n]?.optional),
    ]);
    for (const dep of deps) {
      const depDir = resolveDepDir(dir, dep, root);
      if (depDir) queue.push(depDir);
    }
  }
  return { bytes: total, packages: count };
}

// ---------------------------------------------------------------- probing and timing

const PROBE = `
const fs = require('fs'), path = require('path');
const spec = process.argv[1];
const out = { resolved: null, format: null, resolveError: null };
try {
  const f = require.resolve(spec);
  out.resolved = f;
  if (f.endsWith('.mjs')) out.format = 'esm';
  else if (f.endsWith('.cjs')) out.format = 'cjs';
  else {
    let d = path.dirname(f), type = 'commonjs';
    for (;;) {
      const pj = path.join(d, 'package.json');
      if (fs.existsSync(pj)) { try { type = JSON.parse(fs.readFileSync(pj, 'utf8')).type || 'commonjs'; } catch {} break; }
      if (d === path.dirname(d)) break;
      d = path.dirname(d);
    }
    out.format = type === 'module' ? 'esm' : 'cjs';
  }
} catch (e) { out.resolveError = e.code || String(e.message).split('\\n')[0]; out.format = 'esm'; }
process.stdout.write(JSON.stringify(out));
`;

function taskCode(kind, spec) {
  const s = JSON.stringify(spec);
  switch (kind) {
    case 'baseline':
      return '';
    case 'importBuiltin':
      return `import("node:path").catch((e)=>{console.error(e);process.exitCode=1})`;
    case 'require':
      return `require(${s})`;
    case 'import':
      return `import(${s}).catch((e)=>{console.error(e&&e.stack||e);process.exitCode=1})`;
    default:
      throw new Error(kind);
  }
}

// Every child (the empty baseline too) starts with this exit hook, which reports the process's own CPU time
// (user + system, all threads). Wall time is the catalog's figure; CPU time is a second one that other load on
// the machine inflates much less.
const CPU_HOOK = 'process.on("exit",()=>{const u=process.cpuUsage();process.stdout.write("\\n@@cpu "+(u.user+u.system)+"\\n")});';

/** One fresh node process; returns wall ms and CPU ms, or an error string. */
function runOnce(code, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', CPU_HOOK + code], {
    cwd,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /@@cpu (\d+)/.exec((r.stdout ?? Buffer.alloc(0)).toString('latin1'));
  const cpuMs = m ? Number(m[1]) / 1000 : null;
  if (r.error || r.status !== 0) {
    const stderr = (r.stderr ?? Buffer.alloc(0)).toString('utf8');
    const line = stderr.split('\n').find((l) => /Error|error:|Cannot|ERR_/.test(l)) ?? stderr.split('\n')[0] ?? '';
    const why = r.error ? String(r.error.code ?? r.error.message) : `exit ${r.status ?? r.signal}`;
    return { ms, error: `${why}: ${line.trim().slice(0, 300)}` };
  }
  return { ms, cpuMs, error: null };
}

// ---------------------------------------------------------------- main

function cpuModel() {
  const c = os.cpus();
  return c.length ? c[0].model.trim() : 'unknown';
}

function familyPattern(pattern) {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')}$`);
  return (name) => re.test(name);
}

const FAMILIES = ['@aws-sdk/client-*', '@aws-lambda-powertools/*', '@middy/*'];

function computeFamilies(packages, date) {
  return FAMILIES.map((pattern) => {
    const match = familyPattern(pattern);
    const members = packages.filter((p) => match(p.name));
    const med = (key) => {
      const xs = members.map((m) => m[key]).filter((x) => typeof x === 'number');
      return xs.length ? round1(median(xs)) : null;
    };
    const fam = {
      pattern,
      requireMs: med('requireMs'),
      importMs: med('importMs'),
      sizeBytes: (() => {
        const xs = members.map((m) => m.sizeBytes).filter((x) => typeof x === 'number');
        return xs.length ? Math.round(median(xs)) : null;
      })(),
      members: members.map((m) => m.name),
      source: `median of the measured ${pattern} entries in this file`,
      date,
    };
    const esm = med('requireEsmMs');
    if (esm !== null) fam.requireEsmMs = esm;
    return fam;
  });
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const list = readJson(opts.list).packages;

  // Every measured specifier: the package itself, then its subpaths.
  let entries = [];
  for (const p of list) {
    entries.push({ spec: p.name, pkg: p, subpath: false });
    for (const sp of p.subpaths ?? []) entries.push({ spec: sp, pkg: p, subpath: true });
  }
  if (opts.only) {
    const wanted = new Set(opts.only);
    const unknown = opts.only.filter((n) => !entries.some((e) => e.spec === n));
    if (unknown.length) {
      log(`not in ${path.relative(ROOT, opts.list)}: ${unknown.join(', ')}`);
      process.exit(2);
    }
    entries = entries.filter((e) => wanted.has(e.spec));
  }
  const toInstall = [...new Map(entries.map((e) => [e.pkg.name, e.pkg])).values()];

  const scratch = opts.scratch ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-migrate-catalog-'));
  const keep = opts.keep || Boolean(opts.scratch);
  try {
    if (!opts.skipInstall) install(scratch, toInstall);
    measure(opts, entries, scratch);
  } finally {
    if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
    else log(`scratch install kept at ${scratch}`);
  }
}

function measure(opts, entries, scratch) {
  const root = fs.realpathSync(scratch);
  const date = new Date().toISOString().slice(0, 10);
  const env = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: cpuModel(),
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
  };
  const source = `measured: scripts/measure-catalog.mjs, Node ${env.node}, ${env.platform}, ${env.cpus} vCPU`;

  // Probe: installed version, format, size.
  const info = new Map();
  for (const e of entries) {
    const pkgDir = resolveDepDir(root, e.pkg.name, root);
    const version = pkgDir ? readJson(path.join(pkgDir, 'package.json')).version : null;
    const size = pkgDir ? closureSize(pkgDir, root) : { bytes: null, packages: 0 };
    const pr = spawnSync(process.execPath, ['-e', PROBE, e.spec], { cwd: root, env: childEnv(), encoding: 'utf8' });
    let probe = { format: 'cjs', resolveError: null };
    try {
      probe = JSON.parse(pr.stdout);
    } catch {
      /* keep default */
    }
    const esmOnly = typeof e.pkg.esmOnly === 'boolean' && !e.subpath ? e.pkg.esmOnly : probe.format === 'esm';
    // Smoke test both loaders once (this run also warms the file cache).
    const req = runOnce(taskCode('require', e.spec), root);
    let imp = runOnce(taskCode('import', e.spec), root);
    let importSpec = e.spec;
    // Native ESM does not add extensions: `import 'lodash/get'` fails where `import 'lodash/get.js'` works.
    if (imp.error && e.subpath && /ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED_DIR_IMPORT/.test(imp.error)) {
      const withExt = runOnce(taskCode('import', `${e.spec}.js`), root);
      if (!withExt.error) {
        importSpec = `${e.spec}.js`;
        imp = withExt;
      }
    }
    info.set(e.spec, { version, size, esmOnly, importSpec, requireError: req.error, importError: imp.error });
    log(`probe ${e.spec}@${version ?? '?'}: ${esmOnly ? 'ESM-only' : 'CommonJS'}, ` +
      `${size.bytes === null ? '?' : (size.bytes / 1e6).toFixed(2)} MB in ${size.packages} package dirs` +
      `${req.error ? `, require fails (${req.error.slice(0, 80)})` : ''}${imp.error ? `, import fails (${imp.error.slice(0, 80)})` : ''}`);
  }

  // Tasks. For ESM-only packages the require task measures Node's require(esm) (Node >= 20.19 / 22.12).
  const tasks = [];
  for (let i = 0; i < BASELINES_PER_ROUND; i++) tasks.push({ id: 'baseline', kind: 'baseline' });
  tasks.push({ id: 'importBuiltin', kind: 'importBuiltin' });
  for (const e of entries) {
    const inf = info.get(e.spec);
    if (!inf.requireError) tasks.push({ id: `${e.spec}\0require`, kind: 'require', spec: e.spec });
    if (!inf.importError) tasks.push({ id: `${e.spec}\0import`, kind: 'import', spec: inf.importSpec });
  }
  const samples = new Map();
  const cpuSamples = new Map();
  const errors = new Map();
  const rand = rng(opts.seed);
  const totalRounds = opts.runs + 1;
  const t0 = Date.now();
  for (let round = 0; round < totalRounds; round++) {
    const order = shuffle([...tasks], rand);
    for (const t of order) {
      const r = runOnce(taskCode(t.kind, t.spec), root);
      if (round === 0) continue; // warm-up round
      if (r.error) {
        errors.set(t.id, r.error);
        continue;
      }
      if (!samples.has(t.id)) samples.set(t.id, []);
      samples.get(t.id).push(r.ms);
      if (r.cpuMs !== null) {
        if (!cpuSamples.has(t.id)) cpuSamples.set(t.id, []);
        cpuSamples.get(t.id).push(r.cpuMs);
      }
    }
    const elapsed = (Date.now() - t0) / 1000;
    const eta = (elapsed / (round + 1)) * (totalRounds - round - 1);
    log(`round ${round + 1}/${totalRounds}${round === 0 ? ' (warm-up)' : ''}: ${tasks.length} processes, ` +
      `${elapsed.toFixed(0)} s elapsed, ~${eta.toFixed(0)} s left, baseline so far ${
        samples.has('baseline') ? median(samples.get('baseline')).toFixed(1) : '-'} ms`);
  }

  const baseline = median(samples.get('baseline'));
  const cpuBaseline = median(cpuSamples.get('baseline') ?? []);
  const netCpu = (id) => {
    const xs = cpuSamples.get(id);
    return xs && xs.length && cpuBaseline !== null ? round1(clamp0(median(xs) - cpuBaseline)) : null;
  };
  const importBuiltin = median(samples.get('importBuiltin') ?? []);
  const net = (id) => {
    const xs = samples.get(id);
    if (!xs || xs.length === 0) return { ms: null, spread: null };
    return {
      ms: round1(clamp0(median(xs) - baseline)),
      spread: round1(quantile(xs, 0.75) - quantile(xs, 0.25)),
    };
  };

  const measured = [];
  for (const e of entries) {
    const inf = info.get(e.spec);
    const req = net(`${e.spec}\0require`);
    const imp = net(`${e.spec}\0import`);
    const notes = [];
    const out = { name: e.spec, version: inf.version };
    if (inf.esmOnly) {
      out.requireMs = null;
      if (req.ms !== null) out.requireEsmMs = req.ms;
      notes.push('ESM-only: requireMs is null; ' + (req.ms !== null
        ? `requireEsmMs is require() through Node's require(esm) (Node >= 20.19 / 22.12)`
        : `require() fails: ${inf.requireError ?? errors.get(`${e.spec}\0require`)}`));
    } else {
      out.requireMs = req.ms;
      if (req.ms === null) notes.push(`require() fails: ${inf.requireError ?? errors.get(`${e.spec}\0require`)}`);
    }
    out.importMs = imp.ms;
    if (inf.importSpec !== e.spec && imp.ms !== null) {
      out.importSpecifier = inf.importSpec;
      notes.push(`import('${e.spec}') fails in native ESM (no exports map, no extension search); importMs is import('${inf.importSpec}')`);
    }
    if (imp.ms === null) notes.push(`import() fails: ${inf.importError ?? errors.get(`${e.spec}\0import`)}`);
    out.requireCpuMs = netCpu(`${e.spec}\0require`);
    out.importCpuMs = netCpu(`${e.spec}\0import`);
    out.requireSpreadMs = req.spread;
    out.importSpreadMs = imp.spread;
    out.sizeBytes = inf.size.bytes;
    out.sizePackages = inf.size.packages;
    out.esmOnly = inf.esmOnly;
    out.source = source;
    out.date = date;
    if (e.subpath) notes.push(`subpath of ${e.pkg.name}; sizeBytes is the whole ${e.pkg.name} install`);
    if (!e.subpath && e.pkg.note) notes.push(e.pkg.note);
    if (notes.length) out.note = notes.join('; ');
    measured.push(out);
    log(`${e.spec}@${inf.version}: require ${fmt(out.requireMs ?? out.requireEsmMs)} ms (cpu ${fmt(out.requireCpuMs)}), ` +
      `import ${fmt(out.importMs)} ms (cpu ${fmt(out.importCpuMs)}), ` +
      `${inf.size.bytes === null ? '?' : (inf.size.bytes / 1e6).toFixed(2)} MB${inf.esmOnly ? ' (ESM-only)' : ''}`);
  }

  // Merge (with --only) or replace.
  let previous = null;
  if (opts.only && fs.existsSync(opts.out)) previous = readJson(opts.out);
  const byName = new Map((previous?.packages ?? []).map((p) => [p.name, p]));
  for (const m of measured) byName.set(m.name, m);
  const packages = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const run = {
    measuredAt: date,
    baselineMs: round1(baseline),
    baselineCpuMs: round1(cpuBaseline),
    importBuiltinMs: round1(clamp0(importBuiltin - baseline)),
    runs: opts.runs,
    loadAvg: os.loadavg().map((x) => round1(x)),
  };
  const doc = {
    description:
      'Measured load cost of popular npm packages on Node: the time a fresh process spends in require(name) / ' +
      'await import(name) at module scope, and the on-disk size of the package with its dependencies. ' +
      'Used by lambda-migrate when a package is not installed in the scanned tree. Regenerate with npm run catalog:measure.',
    method:
      'fresh `node -e` process per run; median of N runs minus the median empty-node baseline (`node -e ""`) measured ' +
      'in the same run; every round runs all tasks, baselines included, in a shuffled order after one uncounted ' +
      'warm-up round; import is `import(spec)` from a CommonJS `-e` script, so importMs includes starting the ESM ' +
      'loader (importBuiltinMs: the same for import("node:path")); requireEsmMs (ESM-only packages) is require() ' +
      'through Node\'s require(esm); *CpuMs is the same median-minus-baseline over the child\'s own CPU time ' +
      '(user + system, all threads, from process.cpuUsage() in an exit hook that every child, the baseline too, ' +
      'starts with): less inflated than wall time when other work shares the cores; *SpreadMs is the interquartile range of the raw process times; sizeBytes is the ' +
      'apparent size of the package directory plus every transitive dependency directory (dependencies, installed ' +
      'optionalDependencies, non-optional peerDependencies; each directory once); values rounded to 0.1 ms, ' +
      'negative medians clamped to 0',
    environment: previous?.environment ?? env,
    measuredAt: previous?.measuredAt ?? run.measuredAt,
    baselineMs: previous?.baselineMs ?? run.baselineMs,
    baselineCpuMs: previous?.baselineCpuMs ?? run.baselineCpuMs,
    importBuiltinMs: previous?.importBuiltinMs ?? run.importBuiltinMs,
    runs: previous?.runs ?? run.runs,
    loadAvg: previous?.loadAvg ?? run.loadAvg,
    packages,
    families: computeFamilies(packages, date),
  };
  if (previous) {
    doc.updates = [...(previous.updates ?? []), { ...run, environment: env, only: measured.map((m) => m.name) }];
  }
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(doc, null, 2) + '\n');
  log(`baseline ${run.baselineMs} ms wall, ${run.baselineCpuMs} ms cpu (node -e ""), import("node:path") +${run.importBuiltinMs} ms; ` +
    `wrote ${packages.length} entries to ${path.relative(process.cwd(), opts.out) || opts.out}`);
}

const fmt = (x) => (x === null || x === undefined ? '-' : x.toFixed(1));

main();
