#!/usr/bin/env node
// Regenerates rules/catalog/packages.json: the measured load cost of the packages Lambda code imports,
// unbundled (require / import from node_modules) and as an esbuild bundle.
//
//   npm run catalog:measure                               # every item of scripts/catalog-packages.json
//   npm run catalog:measure -- --only zod,stripe@8 --runs 9
//
// Resumable: an entry already in the output at the version now installed is skipped (--force measures it
// again), and results are written after every chunk, so a stopped run loses at most one chunk.
// Each timing is one fresh `node -e` process; per chunk, every round runs all of the chunk's tasks and a few
// empty-node baselines in a shuffled order, so machine drift spreads evenly; the figure is the median of the
// runs minus the median baseline of the same chunk, for wall time and for the child's own CPU time.
// Packages are installed with npm into a scratch folder outside the repository (default
// ../catalog-measure beside the worktree); esbuild comes from npm into that folder too.
//
// Plain Node ESM; no dependencies beyond node built-ins (shells out to npm; loads esbuild from the scratch).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_LIST = path.join(ROOT, 'scripts', 'catalog-packages.json');
const DEFAULT_OUT = path.join(ROOT, 'rules', 'catalog', 'packages.json');
const DEFAULT_SCRATCH = path.resolve(ROOT, '..', 'catalog-measure');
// Bundles are loaded from a folder with no node_modules above it: a bundle that still needs a package at run
// time fails there, as it would on Lambda.
const BUNDLE_DIR = path.join(os.tmpdir(), 'lambda-migrate-catalog-bundles');
const BASELINES_PER_ROUND = 2;
const CHUNK = 12;
const CHILD_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------- arguments

function usage(code) {
  process.stderr.write(`usage: node scripts/measure-catalog.mjs [options]
  --runs N          timed runs per task (default 5)
  --only a,b        measure only these items (NAME, NAME@MAJOR or a subpath specifier)
  --limit N         measure at most N entries this run (the rest next time)
  --force           measure again entries already at the installed version
  --no-imports      do not time import(spec) (timed by default: ESM code imports packages through the ESM loader,
                    which loads a package's ESM build, or its CommonJS through a translator, at its own cost)
  --remeasure       measure again entries measured on another machine (their source names another CPU) or with
                    fewer runs than --runs: resumable, like a first run
  --list FILE       item list (default scripts/catalog-packages.json)
  --out FILE        output (default rules/catalog/packages.json)
  --scratch DIR     install folder (default ${path.relative(ROOT, DEFAULT_SCRATCH)}, kept between runs)
  --skip-install    use the scratch folder as it is
  --seed N          shuffle seed (default 1)
  --merge FILE      first take in the entries of another output (a second worker's --out, with the package-loads.json
                    and measure-runs.json beside it): where this output has none, or only one from another machine;
                    may be given more than once
`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = {
    runs: 5,
    imports: true,
    remeasure: false,
    only: null,
    limit: Infinity,
    force: false,
    list: DEFAULT_LIST,
    out: DEFAULT_OUT,
    scratch: DEFAULT_SCRATCH,
    skipInstall: false,
    seed: 1,
    merge: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) usage(2);
      return v;
    };
    if (a === '--runs') o.runs = Number(val());
    else if (a === '--only')
      o.only = val()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === '--limit') o.limit = Number(val());
    else if (a === '--force') o.force = true;
    else if (a === '--imports') o.imports = true;
    else if (a === '--no-imports') o.imports = false;
    else if (a === '--remeasure') o.remeasure = true;
    else if (a === '--list') o.list = path.resolve(val());
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '--scratch') o.scratch = path.resolve(val());
    else if (a === '--skip-install') o.skipInstall = true;
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--merge') o.merge.push(path.resolve(val()));
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
  if (o.scratch.startsWith(ROOT + path.sep)) {
    process.stderr.write('--scratch must be outside the repository\n');
    process.exit(2);
  }
  return o;
}

const log = (msg) => process.stderr.write(`${msg}\n`);

// ---------------------------------------------------------------- helpers

/** Median of the numbers, or null for none (shared with bench/accuracy.mjs and scripts/fit-load-model.mjs). */
export function median(xs) {
  if (!xs || xs.length === 0) return null;
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

/** Deterministic PRNG (mulberry32) so a run's task order is reproducible from --seed (bench/accuracy.mjs too). */
export function rng(seed) {
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

/** A small, fixed environment for the children: no NODE_OPTIONS, no inherited loaders, no credentials. */
function childEnv() {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: os.tmpdir(),
    LANG: 'C.UTF-8',
    NODE_ENV: 'production',
    AWS_REGION: 'us-east-1',
  };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---------------------------------------------------------------- the item list

/** `NAME`, `NAME@MAJOR`, either followed by `|SUB,SUB`: one entry for the package and one per subpath. */
export function parseItem(item) {
  const [head, subs] = item.split('|');
  const at = head.lastIndexOf('@');
  const hasMajor = at > 0;
  const name = hasMajor ? head.slice(0, at) : head;
  const major = hasMajor ? head.slice(at + 1) : null;
  // An older major is installed under an alias so that it sits beside the latest one.
  const folder = major === null ? name : `lm-${name.replace(/^@/, '').replace('/', '__')}-v${major}`;
  const pkg = { item: head, name, major, folder, range: major === null ? 'latest' : `npm:${name}@^${major}` };
  const entries = [{ key: head, spec: folder, name, subpath: '', pkg }];
  for (const sub of (subs ?? '').split(',').filter(Boolean)) {
    const rest = sub.slice(name.length + 1);
    entries.push({ key: major === null ? sub : `${sub}@${major}`, spec: `${folder}/${rest}`, name: sub, subpath: rest, pkg });
  }
  return entries;
}

// ---------------------------------------------------------------- install

/**
 * Installs in chunks: npm stops at the first package it cannot fetch, and each retry re-resolves what is pending,
 * so a bad name costs one small chunk, not the whole list. Names npm cannot fetch are recorded and skipped.
 */
function install(dir, pkgs) {
  fs.mkdirSync(dir, { recursive: true });
  const pjFile = path.join(dir, 'package.json');
  const pj = fs.existsSync(pjFile) ? readJson(pjFile) : { name: 'lambda-migrate-catalog-scratch', private: true, dependencies: {} };
  pj.dependencies ??= {};
  const failedFile = path.join(dir, 'install-failures.json');
  const failed = fs.existsSync(failedFile) ? readJson(failedFile) : {};
  const installed = (folder) => fs.existsSync(path.join(dir, 'node_modules', folder, 'package.json'));
  pj.dependencies.esbuild ??= 'latest';
  const pending = pkgs.filter((p) => !failed[p.item] && !installed(p.folder));
  for (let i = 0; i < pending.length || (i === 0 && !installed('esbuild')); i += 40) {
    const chunk = pending.slice(i, i + 40);
    for (const p of chunk) pj.dependencies[p.folder] ??= p.range;
    for (let attempt = 0; attempt < 20; attempt++) {
      fs.writeFileSync(pjFile, JSON.stringify(pj, null, 2));
      log(
        `npm install: ${Math.min(i + 40, pending.length)}/${pending.length} new (${Object.keys(pj.dependencies).length} dependencies) in ${dir} ...`,
      );
      const r = spawnSync('npm', ['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
        cwd: dir,
        encoding: 'utf8',
        env: process.env,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status === 0) break;
      const err = `${r.stderr}\n${r.stdout}`;
      const m =
        /404 Not Found - GET \S+?\/((?:@[^/%]+(?:\/|%2[fF]))?[^/\s]+)(?:\s|$)/.exec(err) ??
        /No matching version found for ((?:@[^@/]+\/)?[^@\s]+)@/.exec(err);
      const bad = m ? decodeURIComponent(m[1]) : null;
      const dep = bad ? Object.keys(pj.dependencies).find((k) => k === bad || pj.dependencies[k].startsWith(`npm:${bad}@`)) : undefined;
      // A transitive dependency npm cannot fetch (@google-cloud/pubsub-api@^0.7.0 under a Google client): the list
      // item that pulls it in is found by halving the chunk's new items until one install fails alone.
      const culprit =
        dep ??
        (bad
          ? bisectInstall(
              dir,
              pj,
              chunk.filter((p) => !installed(p.folder) && pj.dependencies[p.folder]),
            )
          : undefined);
      if (!culprit) {
        log(err.split('\n').slice(0, 30).join('\n'));
        throw new Error('npm install failed and no single package could be blamed');
      }
      const p = pkgs.find((x) => x.folder === culprit);
      const failedDep = culprit;
      failed[p ? p.item : failedDep] =
        err
          .split('\n')
          .find((l) => /404|No matching/.test(l))
          ?.trim()
          .slice(0, 200) ?? 'install failed';
      log(`dropping ${failedDep}: ${failed[p ? p.item : failedDep]}`);
      delete pj.dependencies[failedDep];
      fs.writeFileSync(failedFile, JSON.stringify(failed, null, 2));
    }
  }
  return failed;
}

/** npm install in dir with the given dependencies; true when it succeeds. */
function npmInstall(dir, pj) {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pj, null, 2));
  const r = spawnSync('npm', ['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return r.status === 0;
}

/**
 * The one package of `candidates` (folders in pj.dependencies, not installed yet) whose install fails: installs half
 * without the other half; a half that installs stays, the failing half is halved again. Leaves pj with every
 * candidate but the culprit's siblings that were not reached (the caller's next attempt installs them).
 */
function bisectInstall(dir, pj, candidates) {
  let rest = candidates.map((p) => p.folder);
  const ranges = Object.fromEntries(rest.map((f) => [f, pj.dependencies[f]]));
  for (const f of rest) delete pj.dependencies[f];
  while (rest.length > 1) {
    const half = rest.slice(0, rest.length >> 1);
    for (const f of half) pj.dependencies[f] = ranges[f];
    log(`npm install: looking for the package that fails among ${rest.length} ...`);
    if (npmInstall(dir, pj)) rest = rest.slice(half.length);
    else {
      for (const f of half) delete pj.dependencies[f];
      rest = half;
    }
  }
  for (const f of candidates.map((p) => p.folder)) if (f !== rest[0]) pj.dependencies[f] ??= ranges[f];
  if (rest[0]) pj.dependencies[rest[0]] = ranges[rest[0]];
  return rest[0];
}

// ---------------------------------------------------------------- size on disk

/** Apparent size in bytes of every file under dir, skipping its node_modules (counted through resolution). */
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
        if (e.name !== 'node_modules') stack.push(p);
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

function resolveDepDir(fromDir, dep, root) {
  let d = fromDir;
  for (;;) {
    const cand = path.join(d, 'node_modules', dep);
    if (fs.existsSync(path.join(cand, 'package.json'))) return cand;
    if (d === root || d === path.dirname(d)) return null;
    d = path.dirname(d);
  }
}

const closureSizes = new Map();

/** Size of a package plus its transitive dependencies (installed optional and non-optional peer ones too); once per folder. */
function closureSize(pkgDir, root) {
  if (!closureSizes.has(pkgDir)) closureSizes.set(pkgDir, closureSizeUncached(pkgDir, root));
  return closureSizes.get(pkgDir);
}

function closureSizeUncached(pkgDir, root) {
  const seen = new Set();
  const queue = [pkgDir];
  let total = 0;
  while (queue.length) {
    const dir = queue.shift();
    const real = fs.realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    total += dirSize(real);
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
  return total;
}

// ---------------------------------------------------------------- probing, bundling and timing

// Loads the specifier once (this also warms the disk cache for the timed runs) and reports its format and the
// CommonJS modules it loaded.
const PROBE = `
const fs = require('fs'), path = require('path');
const spec = process.argv[1];
const out = { format: null, requireError: null, modules: null, bytes: null, loads: null };
try {
  const f = require.resolve(spec);
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
} catch (e) { out.format = 'esm'; }
try {
  const before = new Set(Object.keys(require.cache));
  require(spec);
  const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
  out.modules = loaded.length;
  out.bytes = 0;
  // Which packages those modules belong to: the part of the path after the last node_modules/.
  const per = {};
  for (const k of loaded) {
    let size = 0;
    try { size = fs.statSync(k).size; } catch {}
    out.bytes += size;
    const i = k.lastIndexOf('/node_modules/');
    if (i < 0) continue;
    const rest = k.slice(i + 14).split('/');
    const name = rest[0].startsWith('@') ? rest[0] + '/' + rest[1] : rest[0];
    const dir = k.slice(0, i + 14) + name;
    let version = '', real = name;
    try { const pj = JSON.parse(fs.readFileSync(dir + '/package.json', 'utf8')); version = pj.version || ''; real = pj.name || name; } catch {}
    const key = real + '@' + version;
    per[key] ??= [0, 0];
    per[key][0]++;
    per[key][1] += size;
  }
  out.loads = per;
} catch (e) { out.requireError = (e && (e.code || String(e.message).split('\\n')[0])) || String(e); }
process.stdout.write('\\n@@probe ' + JSON.stringify(out) + '\\n');
process.exit(0);
`;

function probe(spec, cwd) {
  const r = spawnSync(process.execPath, ['-e', PROBE, spec], {
    cwd,
    env: childEnv(),
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const m = /@@probe (.*)/.exec(r.stdout ?? '');
  if (!m)
    return {
      format: null,
      requireError: `probe failed: ${String(r.error?.code ?? r.status)} ${(r.stderr ?? '').split('\n')[0].slice(0, 200)}`,
      modules: null,
      bytes: null,
    };
  return JSON.parse(m[1]);
}

function safeName(key) {
  return key.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * A deep import of a package without an `exports` map needs its file extension in native ESM (`lodash/get.js`):
 * that is what ESM code writes, so that is what is timed.
 */
function importSpecifier(e, scratch) {
  if (!e.subpath) return e.spec;
  try {
    const pj = readJson(path.join(scratch, 'node_modules', e.pkg.folder, 'package.json'));
    if (pj.exports !== undefined) return e.spec;
    const file = createRequire(path.join(scratch, 'package.json')).resolve(e.spec);
    const ext = path.extname(file);
    return path.extname(e.spec) === '' && ext ? `${e.spec}${ext}` : e.spec;
  } catch {
    return e.spec;
  }
}

/** The package as CDK NodejsFunction / serverless-esbuild build it by default: one CJS file for Node, not minified. */
async function bundle(esbuild, entry, scratch, esmEntry) {
  // A package whose exports map has no `require` condition is bundled from an ESM entry, as ESM code imports it.
  const src = path.join(scratch, 'bundle-src', `${safeName(entry.key)}.${esmEntry ? 'mjs' : 'cjs'}`);
  const out = path.join(BUNDLE_DIR, `${safeName(entry.key)}.cjs`);
  fs.mkdirSync(path.dirname(src), { recursive: true });
  fs.mkdirSync(BUNDLE_DIR, { recursive: true });
  fs.writeFileSync(
    src,
    esmEntry
      ? `import * as m from ${JSON.stringify(entry.spec)};\nglobalThis.__catalogModule = m;\n`
      : `module.exports = require(${JSON.stringify(entry.spec)});\n`,
  );
  try {
    const r = await esbuild.build({
      entryPoints: [src],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: false,
      sourcemap: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: scratch,
    });
    const inputs = Object.keys(r.metafile.inputs).length;
    return { file: out, bytes: fs.statSync(out).size, inputs, error: null };
  } catch (e) {
    const first = e.errors?.[0];
    return { file: null, bytes: null, inputs: null, error: `esbuild: ${(first ? first.text : String(e.message)).slice(0, 200)}` };
  }
}

// Every child (the baseline too) starts with this exit hook, which reports the process's own CPU time.
const CPU_HOOK = 'process.on("exit",()=>{const u=process.cpuUsage();process.stdout.write("\\n@@cpu "+(u.user+u.system)+"\\n")});';

function taskCode(t) {
  const s = JSON.stringify(t.spec);
  switch (t.kind) {
    case 'baseline':
      return '';
    case 'require':
      return `require(${s})`;
    case 'import':
      return `import(${s}).catch((e)=>{console.error(e&&e.stack||e);process.exitCode=1})`;
    case 'bundled':
      return `require(${s})`;
    default:
      throw new Error(t.kind);
  }
}

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
    return { ms, error: `${r.error ? String(r.error.code ?? r.error.message) : `exit ${r.status ?? r.signal}`}: ${line.trim().slice(0, 200)}` };
  }
  return { ms, cpuMs, error: null };
}

// ---------------------------------------------------------------- output

const HEADER = {
  description:
    'Measured load cost of the npm packages Lambda code imports, on Node: the time a fresh process spends in ' +
    'require(name) / import(name) at module scope with the package installed in node_modules, and in require() of ' +
    'the package bundled by esbuild. One entry per package (or subpath) and major version. Used by lambda-migrate ' +
    'to price init; regenerate with npm run catalog:measure.',
  method:
    'fresh `node -e` process per run; median of N runs minus the median empty-node baseline (`node -e ""`) of the ' +
    'same chunk of ~12 entries, whose rounds run all tasks and baselines in a shuffled order; one untimed probe ' +
    'load per entry first (warms the disk cache, counts the CommonJS modules it loads: modules, loadedBytes). ' +
    "requireMs: require(spec) (for ESM-only packages, through Node's require(esm)); importMs (timed by default; null " +
    'when measured with --no-imports): import(spec) from a CommonJS -e script, so it includes starting the ESM loader; bundledMs: require() of `module.exports = ' +
    'require(spec)` bundled by esbuild (bundle, platform node, format cjs, target node20, not minified: the CDK ' +
    'NodejsFunction and serverless-esbuild defaults), loaded from a folder with no node_modules; bundleBytes: that ' +
    "bundle's size. *CpuMs: the same over the child's own CPU time (user + system, all threads, from an exit " +
    'hook every child starts with), much less inflated than wall time when other work shares the cores; lambda-migrate ' +
    'prices with the CPU figures (all threads on one vCPU, as Lambda gives up to 1769 MB), the wall ones beside them. spreadMs: ' +
    'interquartile range of the raw require times. sizeBytes: the package plus every transitive dependency on disk. ' +
    'latest: the newest major measured for that name. Values rounded to 0.1 ms, negative medians clamped to 0.',
};

const LOADS_HEADER = {
  description:
    'The CommonJS modules each catalog entry loads, grouped by the package they belong to (from require.cache after ' +
    'one require() of the entry, in scripts/measure-catalog.mjs): [modules, bytes] per name@version. lambda-migrate ' +
    'uses it to see what two entries load in common (the AWS SDK core under every v3 client) so that a handler ' +
    'importing both pays for it once. ESM-only entries have none.',
};

/** One line per entry: the file stays small enough to read and diff. The per-package loads go to a file of their own. */
function writeCatalog(file, doc) {
  // Keyed as the engine keys entries (entryKey): an older major as name@major, the newest measured one by its name.
  const { packages: withLoads, families, ...head } = doc;
  const packages = withLoads.map(({ loads: _loads, ...p }) => p);
  const loadsLines = withLoads
    .filter((p) => p.loads && hasFigure(p))
    .map((p) => `    ${JSON.stringify(p.latest === false ? `${p.name}@${p.major}` : p.name)}: ${JSON.stringify(p.loads)}`);
  const loadsFile = path.join(path.dirname(file), 'package-loads.json');
  fs.writeFileSync(
    `${loadsFile}.tmp`,
    `{\n  "description": ${JSON.stringify(LOADS_HEADER.description)},\n  "date": ${JSON.stringify(doc.measuredAt)},\n  "entries": {\n${loadsLines.join(',\n')}\n  }\n}\n`,
  );
  fs.renameSync(`${loadsFile}.tmp`, loadsFile);
  const lines = ['{'];
  for (const [k, v] of Object.entries(head)) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  lines.push('  "packages": [');
  lines.push(packages.map((p) => `    ${JSON.stringify(p)}`).join(',\n'));
  lines.push('  ],');
  lines.push('  "families": [');
  lines.push(families.map((f) => `    ${JSON.stringify(f)}`).join(',\n'));
  lines.push('  ]');
  lines.push('}');
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, lines.join('\n') + '\n');
  fs.renameSync(tmp, file);
}

const FAMILIES = ['@aws-sdk/client-*', 'aws-sdk/clients/*', '@aws-lambda-powertools/*', '@middy/*'];

function familyMatcher(pattern) {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/@]+')}$`);
  return (name) => re.test(name);
}

function computeFamilies(packages, date) {
  return FAMILIES.map((pattern) => {
    const match = familyMatcher(pattern);
    const members = packages.filter((p) => match(p.name) && p.latest !== false);
    const med = (key) => round1(median(members.map((m) => m[key]).filter((x) => typeof x === 'number')));
    return {
      pattern,
      requireMs: med('requireMs'),
      importMs: med('importMs'),
      bundledMs: med('bundledMs'),
      requireCpuMs: med('requireCpuMs'),
      bundledCpuMs: med('bundledCpuMs'),
      members: members.length,
      source: `median of the measured ${pattern} entries in this file`,
      date,
    };
  });
}

function sortKey(p) {
  return `${p.name}\0${String(1000 + (p.major ?? 0)).padStart(6, '0')}`;
}

const hasFigure = (p) => [p.requireMs, p.importMs, p.bundledMs].some((x) => typeof x === 'number');

function finish(byKey, runLog) {
  // An entry that loads neither way carries no figure: it is listed apart, with why, instead of as a price.
  const unmeasured = [...byKey.values()]
    .filter((p) => !hasFigure(p))
    .map((p) => ({ name: p.name, version: p.version, note: p.note ?? '', date: p.date }));
  const packages = [...byKey.values()].filter(hasFigure).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const newest = new Map();
  for (const p of packages) if ((newest.get(p.name)?.major ?? -1) < p.major) newest.set(p.name, p);
  for (const p of packages) p.latest = newest.get(p.name) === p;
  const base = runLog.map((r) => r.baselineMs);
  const load = runLog.map((r) => r.loadAvg1);
  const iqr = packages
    .map((p) => (p.requireMs && p.spreadMs !== null ? p.spreadMs / (p.requireMs + (p.baselineMs ?? 40)) : null))
    .filter((x) => x !== null);
  const date =
    packages
      .map((p) => p.date)
      .sort()
      .at(-1) ?? null;
  return {
    ...HEADER,
    environment: runLog.at(-1)?.environment ?? null,
    measuredAt: date,
    noise: {
      note: 'the machine was shared with other work while measuring (loadAvg1): wall figures carry that load, CPU figures some of it (contention inflated them 1.4-1.6x at load 10-20 against load 2 here)',
      chunks: runLog.length,
      baselineMs: [round1(Math.min(...base)), round1(median(base)), round1(Math.max(...base))],
      loadAvg1: [round1(Math.min(...load)), round1(median(load)), round1(Math.max(...load))],
      medianRelativeSpread: round1(median(iqr) * 100) / 100,
    },
    unmeasured,
    packages,
    families: computeFamilies(packages, date),
  };
}

// ---------------------------------------------------------------- measuring

/** Who measured an entry and on what: Node, platform and CPU, since figures compare only on one kind of machine. */
function sourceOf(env) {
  return `measured: scripts/measure-catalog.mjs, Node ${env.node}, ${env.platform}, ${env.cpuModel}, ${env.cpus} vCPU (shared)`;
}

function envInfo() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    cpuModel: (os.cpus()[0]?.model ?? 'unknown').trim(),
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
  };
}

async function measureChunk(chunk, opts, scratch, esbuild, rand) {
  const date = new Date().toISOString().slice(0, 10);
  const env = envInfo();
  const info = new Map();
  for (const e of chunk) {
    const pr = probe(e.spec, scratch);
    const b = await bundle(esbuild, e, scratch, pr.requireError !== null);
    info.set(e.key, { pr, b });
  }
  const tasks = [];
  for (let i = 0; i < BASELINES_PER_ROUND; i++) tasks.push({ id: 'baseline', kind: 'baseline' });
  for (const e of chunk) {
    const { pr, b } = info.get(e.key);
    if (!pr.requireError) tasks.push({ id: `${e.key}\0require`, kind: 'require', spec: e.spec });
    // When require() fails (an ESM-only exports map), import() is the figure there is.
    if (opts.imports || pr.requireError) tasks.push({ id: `${e.key}\0import`, kind: 'import', spec: importSpecifier(e, scratch) });
    if (b.file) tasks.push({ id: `${e.key}\0bundled`, kind: 'bundled', spec: b.file });
  }
  const wall = new Map();
  const cpu = new Map();
  const errors = new Map();
  for (let round = 0; round < opts.runs; round++) {
    for (const t of shuffle([...tasks], rand)) {
      const r = runOnce(taskCode(t), scratch);
      if (r.error) {
        errors.set(t.id, r.error);
        continue;
      }
      if (!wall.has(t.id)) wall.set(t.id, []);
      wall.get(t.id).push(r.ms);
      if (r.cpuMs !== null) {
        if (!cpu.has(t.id)) cpu.set(t.id, []);
        cpu.get(t.id).push(r.cpuMs);
      }
    }
  }
  const baseline = median(wall.get('baseline'));
  const cpuBaseline = median(cpu.get('baseline'));
  // A task that failed in some runs is not trusted: its figure is left out with the error.
  const net = (id, series, base) => (errors.has(id) || !series.get(id) ? null : round1(clamp0(median(series.get(id)) - base)));
  const out = [];
  for (const e of chunk) {
    const { pr, b } = info.get(e.key);
    const id = (k) => `${e.key}\0${k}`;
    const version = readJson(path.join(scratch, 'node_modules', e.pkg.folder, 'package.json')).version;
    const notes = [];
    const esmOnly = pr.format === 'esm';
    const requireMs = pr.requireError ? null : net(id('require'), wall, baseline);
    if (pr.requireError || errors.has(id('require'))) notes.push(`require() fails: ${pr.requireError ?? errors.get(id('require'))}`);
    const timedImport = opts.imports || pr.requireError !== null;
    const importMs = timedImport ? net(id('import'), wall, baseline) : null;
    if (errors.has(id('import'))) notes.push(`import() fails: ${errors.get(id('import'))}`);
    const bundledMs = b.file ? net(id('bundled'), wall, baseline) : null;
    if (b.error) notes.push(b.error);
    else if (errors.has(id('bundled'))) notes.push(`bundle fails to load: ${errors.get(id('bundled'))}`);
    const req = wall.get(id('require'));
    const entry = {
      name: e.name,
      version,
      major: Number(version.split('.')[0]),
      requireMs,
      requireCpuMs: pr.requireError ? null : net(id('require'), cpu, cpuBaseline),
      importMs,
      importCpuMs: timedImport ? net(id('import'), cpu, cpuBaseline) : null,
      bundledMs,
      bundledCpuMs: b.file ? net(id('bundled'), cpu, cpuBaseline) : null,
      bundleBytes: b.bytes,
      bundleInputs: b.inputs,
      modules: pr.modules,
      loadedBytes: pr.bytes,
      loads: pr.loads,
      sizeBytes: closureSize(path.join(scratch, 'node_modules', e.pkg.folder), scratch),
      spreadMs: req && !errors.has(id('require')) ? round1(quantile(req, 0.75) - quantile(req, 0.25)) : null,
      baselineMs: round1(baseline),
      esmOnly,
      runs: opts.runs,
      source: sourceOf(env),
      date,
    };
    if (e.subpath) notes.push(`subpath of ${e.pkg.name}; sizeBytes is the whole package`);
    if (notes.length) entry.note = notes.join('; ');
    out.push(entry);
    log(
      `  ${e.key}@${version}: require ${fmt(requireMs)} (cpu ${fmt(entry.requireCpuMs)}) import ${fmt(importMs)} bundled ${fmt(bundledMs)} (cpu ${fmt(entry.bundledCpuMs)}) ms${notes.length ? ` [${notes.join('; ').slice(0, 120)}]` : ''}`,
    );
  }
  return {
    out,
    run: { date, environment: env, baselineMs: round1(baseline), baselineCpuMs: round1(cpuBaseline), loadAvg1: round1(os.loadavg()[0]) },
  };
}

const fmt = (x) => (x === null || x === undefined ? '-' : x.toFixed(1));

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const items = readJson(opts.list).packages;
  let entries = items.flatMap(parseItem);
  if (opts.only) {
    const wanted = new Set(opts.only);
    entries = entries.filter((e) => wanted.has(e.key) || wanted.has(e.pkg.item));
  }
  const pkgs = [...new Map(entries.map((e) => [e.pkg.folder, e.pkg])).values()];
  const prev = fs.existsSync(opts.out) ? readJson(opts.out) : { packages: [] };
  const keyOf = (p) => (p.latest === false || p.keyMajor ? `${p.name}@${p.major}` : p.name);
  const byKey = new Map();
  const loadsFile = path.join(path.dirname(opts.out), 'package-loads.json');
  const prevLoads = fs.existsSync(loadsFile) ? (readJson(loadsFile).entries ?? {}) : {};
  for (const p of prev.packages ?? [])
    if (typeof p.major === 'number')
      byKey.set(keyOf(p), { ...p, loads: prevLoads[keyOf(p)] ?? prevLoads[p.latest === false ? `${p.name}@${p.major}` : p.name] ?? null });
  // Entries that could not be measured are tried again on the next run.
  const logFile = path.join(opts.scratch, 'measure-runs.json');
  const runLog = fs.existsSync(logFile) ? readJson(logFile) : [];
  // Another worker's output (its package-loads.json and measure-runs.json beside it, as --out inside its --scratch
  // leaves them): its entries join where this output has none, or has one from another machine only.
  const here = sourceOf(envInfo());
  for (const file of opts.merge) {
    const other = readJson(file);
    const otherLoadsFile = path.join(path.dirname(file), 'package-loads.json');
    const otherLoads = fs.existsSync(otherLoadsFile) ? (readJson(otherLoadsFile).entries ?? {}) : {};
    for (const p of other.packages ?? []) {
      if (typeof p.major !== 'number') continue;
      const mine = byKey.get(keyOf(p));
      if (!mine || (mine.source !== here && p.source === here)) byKey.set(keyOf(p), { ...p, loads: otherLoads[keyOf(p)] ?? null });
    }
    const otherRuns = path.join(path.dirname(file), 'measure-runs.json');
    if (fs.existsSync(otherRuns)) runLog.push(...readJson(otherRuns));
  }
  const rand = rng(opts.seed);
  const t0 = Date.now();
  let measuredCount = 0;
  const keyOfEntry = (e) => (e.pkg.major === null ? e.name : `${e.name}@${e.pkg.major}`);
  const measureAll = async (todo, esbuild) => {
    for (let i = 0; i < todo.length; i += CHUNK) {
      const chunk = todo.slice(i, i + CHUNK);
      const { out, run } = await measureChunk(chunk, opts, opts.scratch, esbuild, rand);
      for (const [j, m] of out.entries()) {
        const e = chunk[j];
        // An older major keeps its major in the key, so both majors of one name sit side by side.
        byKey.set(keyOfEntry(e), { ...m, ...(e.pkg.major === null ? {} : { keyMajor: true }) });
      }
      measuredCount += chunk.length;
      runLog.push(run);
      fs.writeFileSync(logFile, JSON.stringify(runLog));
      writeCatalog(opts.out, finish(byKey, runLog));
      const el = (Date.now() - t0) / 1000;
      log(`${measuredCount} entries measured, ${el.toFixed(0)} s, baseline ${run.baselineMs} ms, load ${run.loadAvg1}`);
    }
  };
  // Entries that could not load a package a later group installs (a peer dependency such as lib-dynamodb's
  // client-dynamodb: the install runs with --legacy-peer-deps) are measured once more after the last group.
  const missingPeer = [];
  let esbuild = null;
  // Install a group, measure it, go on: measuring starts after the first group instead of after the whole list.
  for (let g = 0; g < pkgs.length; g += 40) {
    const group = pkgs.slice(g, g + 40);
    const folders = new Set(group.map((p) => p.folder));
    const failed = opts.skipInstall ? {} : install(opts.scratch, group);
    esbuild = await import(pathToFileURL(path.join(opts.scratch, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
    const todo = entries
      .filter((e) => {
        if (!folders.has(e.pkg.folder) || failed[e.pkg.item]) return false;
        const pjFile = path.join(opts.scratch, 'node_modules', e.pkg.folder, 'package.json');
        if (!fs.existsSync(pjFile)) return false;
        const v = readJson(pjFile).version;
        const have = byKey.get(keyOfEntry(e));
        // --remeasure: an entry from another machine or with fewer runs is not comparable with this run's.
        const stale = opts.remeasure && have && (have.source !== sourceOf(envInfo()) || (have.runs ?? 0) < opts.runs);
        return opts.force || !have || have.version !== v || stale;
      })
      .slice(0, Math.max(0, opts.limit - measuredCount));
    log(
      `group ${g / 40 + 1}/${Math.ceil(pkgs.length / 40)}: ${todo.length} entries to measure (${Object.keys(failed).length} names not installable so far)`,
    );
    await measureAll(todo, esbuild);
    if (g + 40 < pkgs.length)
      missingPeer.push(
        ...todo.filter(
          (e) =>
            !hasFigure(byKey.get(keyOfEntry(e))) &&
            /MODULE_NOT_FOUND|Cannot find module|Could not resolve/.test(byKey.get(keyOfEntry(e))?.note ?? ''),
        ),
      );
  }
  if (missingPeer.length > 0 && esbuild) {
    log(`again, now that every group is installed: ${missingPeer.map(keyOfEntry).join(', ')}`);
    await measureAll(missingPeer, esbuild);
  }
  if (measuredCount === 0 && byKey.size > 0) writeCatalog(opts.out, finish(byKey, runLog));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    log(e.stack ?? String(e));
    process.exit(1);
  });
}
