#!/usr/bin/env node
// Accuracy check of the static init estimate against real init, unbundled and bundled. Not a test: nothing here
// runs in npm test or CI, and a missed target does not fail the run.
//
//   npm run bench:accuracy                  # build, then node bench/accuracy.mjs
//   node bench/accuracy.mjs --runs 7 --scratch DIR --skip-install --json
//
// 1. Services: the repository's examples (examples/*) and the services of bench/accuracy-services.mjs (assembled
//    from public Lambda patterns) are copied into a scratch folder outside the repository, and their dependencies
//    installed there with npm (one install serves all: the ranges agree).
// 2. Estimate: lambda-migrate's own discovery finds the handlers; the init closure is priced twice, as shipped
//    unbundled and as an esbuild bundle (the packaging discovery would report for CDK NodejsFunction,
//    serverless-esbuild or SAM BuildMethod: esbuild).
// 3. Real init: each handler is built with esbuild from npm (unbundled: own code transpiled, packages left in
//    node_modules; bundled: everything in one file, loaded from a folder with no node_modules) and loaded as the
//    runtime would (an ES module bootstrap, as the Lambda runtime is, that requires a CommonJS handler and import()s
//    an ES module one) in a fresh node process, N times, shuffled among baselines that run the same bootstrap with
//    nothing to load; real init = median minus the baseline median, in CPU time (all threads: what one vCPU would
//    run) and in wall time. AWS calls at load, if any, go to a closed loopback port; nothing reaches the network.
//
//    A handler that calls AWS at module scope (orders-service's paymentWebhook awaits a secret at top level) stays:
//    it is a common pattern, and most of what its call costs is CPU that Lambda runs too (the SDK loads its
//    credential, signing and HTTP code at the first send, 20-35 ms here). What the bench cannot show is the round
//    trip, wall time that the refused port replaces with three quick failures; the estimate prices neither (no
//    sourced latency figure for a module-scope call exists to price it with), and the report lists the top-level
//    await beside the estimate.
// 4. Spearman rank correlation and median fold error (max(e/m, m/e), both floored at 1 ms) of the estimate against
//    real init, per form. Targets: Spearman >= 0.9 and median fold error <= 1.15.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, rng } from '../scripts/measure-catalog.mjs';
import { SERVICE_DEPENDENCIES, SERVICES } from './accuracy-services.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist', 'src');
const TARGETS = { spearman: 0.9, medianFoldError: 1.15 };

function parseArgs(argv) {
  const o = { runs: 5, scratch: path.resolve(ROOT, '..', 'catalog-accuracy'), skipInstall: false, json: false, seed: 7 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--scratch') o.scratch = path.resolve(argv[++i]);
    else if (a === '--skip-install') o.skipInstall = true;
    else if (a === '--json') o.json = true;
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else {
      process.stderr.write(`usage: node bench/accuracy.mjs [--runs N] [--scratch DIR] [--skip-install] [--json] [--seed N]\n`);
      process.exit(2);
    }
  }
  if (o.scratch.startsWith(ROOT + path.sep)) {
    process.stderr.write('--scratch must be outside the repository\n');
    process.exit(2);
  }
  return o;
}

const log = (m) => process.stderr.write(`${m}\n`);
const r1 = (x) => (x === null ? null : Math.round(x * 10) / 10);

// ---------------------------------------------------------------- statistics

/** Ranks with ties averaged (1-based). */
function ranks(xs) {
  const idx = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(xs.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rho as the Pearson correlation of the ranks (right with ties too). */
export function spearman(a, b) {
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0,
    da = 0,
    db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da === 0 || db === 0 ? null : num / Math.sqrt(da * db);
}

export function medianFoldError(est, real) {
  return median(
    est.map((e, i) => {
      const x = Math.max(e, 1);
      const y = Math.max(real[i], 1);
      return Math.max(x / y, y / x);
    }),
  );
}

// ---------------------------------------------------------------- services

function writeTree(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

function prepare(opts) {
  const svcRoot = path.join(opts.scratch, 'services');
  fs.rmSync(svcRoot, { recursive: true, force: true });
  fs.mkdirSync(svcRoot, { recursive: true });
  const deps = { esbuild: 'latest', ...SERVICE_DEPENDENCIES };
  for (const ex of fs.readdirSync(path.join(ROOT, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    fs.cpSync(path.join(ROOT, 'examples', ex.name), path.join(svcRoot, ex.name), { recursive: true });
    // The examples' own dependency lists join the install (first range wins; they agree by construction).
    for (const pj of findFiles(path.join(svcRoot, ex.name), 'package.json')) {
      const m = JSON.parse(fs.readFileSync(pj, 'utf8'));
      for (const [k, v] of Object.entries(m.dependencies ?? {})) deps[k] ??= v;
    }
  }
  for (const [name, files] of Object.entries(SERVICES)) writeTree(path.join(svcRoot, name), files);
  fs.writeFileSync(
    path.join(opts.scratch, 'package.json'),
    JSON.stringify({ name: 'lambda-migrate-accuracy', private: true, dependencies: deps }, null, 2),
  );
  if (!opts.skipInstall) {
    log(`npm install (${Object.keys(deps).length} dependencies) in ${opts.scratch} ...`);
    const r = spawnSync('npm', ['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: opts.scratch,
      stdio: ['ignore', 2, 2],
    }); // npm's summary to stderr: stdout is the report (--json)
    if (r.status !== 0) throw new Error('npm install failed');
  }
  return svcRoot;
}

function findFiles(dir, base) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(p, base));
    else if (e.name === base) out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------- estimates (lambda-migrate's own code)

async function estimates(svcRoot) {
  const { scan } = await import(pathToFileURL(path.join(DIST, 'index.js')).href);
  const { initClosure } = await import(pathToFileURL(path.join(DIST, 'graph', 'closure.js')).href);
  const { extractFacts } = await import(pathToFileURL(path.join(DIST, 'graph', 'facts.js')).href);
  const { loadDefaultCatalog, PackageCostModel } = await import(pathToFileURL(path.join(DIST, 'graph', 'packages.js')).href);
  const { ModuleResolver } = await import(pathToFileURL(path.join(DIST, 'graph', 'resolve.js')).href);
  const { walkFiles } = await import(pathToFileURL(path.join(DIST, 'source', 'walk.js')).href);
  const catalog = loadDefaultCatalog();
  const out = [];
  for (const svc of fs.readdirSync(svcRoot).sort()) {
    const root = path.join(svcRoot, svc);
    const result = await scan({ root, cost: false, rules: { disabled: [], options: {} } });
    const files = await walkFiles(root);
    const read = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');
    const facts = new Map();
    const inputs = {
      facts: {
        get: (f) => {
          if (!facts.has(f)) {
            try {
              const o = extractFacts(f, read(f));
              facts.set(f, o.ok ? o.facts : undefined);
            } catch {
              facts.set(f, undefined);
            }
          }
          return facts.get(f);
        },
      },
      resolver: new ModuleResolver(files, read),
      costs: new PackageCostModel(catalog, root),
      formatOf: (f) => (f.endsWith('.mjs') || f.endsWith('.mts') ? 'esm' : 'cjs'),
    };
    for (const fn of result.functions) {
      if (!fn.handler.file || !fn.init) continue;
      // Both forms are priced as the bench builds them, whatever the service's IaC says it ships as (scan's own
      // estimate follows the discovered packaging: orders-service declares serverless-esbuild).
      const priced = (packaging) => initClosure(fn.handler.file, inputs, packaging).closure.estInitMs;
      const unbundled = priced({ form: 'unbundled', tool: null, basis: 'accuracy bench: files in node_modules' });
      const bundled = priced({ form: 'bundled', tool: 'esbuild', basis: 'accuracy bench: esbuild bundle' });
      out.push({ id: `${svc}:${fn.name}`, root, file: fn.handler.file, unbundled, bundled, unpriced: fn.init.unpriced ?? [] });
    }
  }
  return out;
}

// ---------------------------------------------------------------- real init

async function build(opts, handlers) {
  const esbuild = await import(pathToFileURL(path.join(opts.scratch, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
  const bundleDir = path.join(os.tmpdir(), 'lambda-migrate-accuracy-bundles');
  const unbundledDir = path.join(opts.scratch, 'out-unbundled');
  fs.rmSync(bundleDir, { recursive: true, force: true });
  fs.rmSync(unbundledDir, { recursive: true, force: true });
  for (const h of handlers) {
    const esm = /\.m[jt]s$/.test(h.file);
    const ext = esm ? 'mjs' : 'cjs';
    const safe = h.id.replace(/[^A-Za-z0-9._-]+/g, '_');
    const common = {
      entryPoints: [path.join(h.root, h.file)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: esm ? 'esm' : 'cjs',
      logLevel: 'silent',
      absWorkingDir: h.root,
    };
    try {
      h.unbundledFile = path.join(unbundledDir, `${safe}.${ext}`);
      await esbuild.build({ ...common, packages: 'external', outfile: h.unbundledFile });
      h.bundledFile = path.join(bundleDir, `${safe}.${ext}`);
      // ESM bundles of CommonJS packages need a require for Node built-ins, as CDK's banner gives them.
      await esbuild.build({
        ...common,
        outfile: h.bundledFile,
        ...(esm ? { banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" } } : {}),
      });
    } catch (e) {
      h.buildError = (e.errors?.[0]?.text ?? String(e.message)).split('\n')[0];
    }
  }
}

const CPU_HOOK =
  'process.on("exit",()=>{const u=process.cpuUsage();process.stdout.write("\\n@@cpu "+(u.user+u.system)+"\\n")});process.on("unhandledRejection",()=>{});';

// The child is an ES module, as the Lambda Node.js runtime is (aws-lambda-nodejs-runtime-interface-client: bin/index.mjs
// starts it, src/UserFunction.js loads a CommonJS handler with require and an ES module one with import()), so the
// ESM loader is up before any handler loads; the baselines run the same bootstrap with nothing to load.
const BOOT = "import { createRequire } from 'node:module';";

function loadCode(file) {
  if (!file) return '';
  return file.endsWith('.mjs')
    ? // A module-scope AWS call ends at the closed loopback port: init ran up to that call, and CPU time does not
      // count the SDK's retry waits.
      `await import(${JSON.stringify(pathToFileURL(file).href)}).then(()=>process.exit(0),(e)=>{if(e&&(e.code==='ECONNREFUSED'||/ECONNREFUSED/.test(String(e.message))))process.exit(0);console.error(e&&e.stack||e);process.exit(1)});`
    : `createRequire(${JSON.stringify(file)})(${JSON.stringify(file)});process.exit(0);`;
}

function runOnce(code, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', BOOT + CPU_HOOK + code], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      NODE_ENV: 'production',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /@@cpu (\d+)/.exec(r.stdout?.toString('latin1') ?? '');
  if (r.status !== 0 || !m) return { error: (r.stderr?.toString() ?? '').split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}` };
  return { ms, cpu: Number(m[1]) / 1000 };
}

function measure(opts, handlers) {
  const tasks = [{ id: 'baseline' }, { id: 'baseline' }];
  for (const h of handlers) {
    if (h.buildError) continue;
    tasks.push({ id: `${h.id}\0unbundled`, code: loadCode(h.unbundledFile), cwd: opts.scratch });
    tasks.push({ id: `${h.id}\0bundled`, code: loadCode(h.bundledFile), cwd: os.tmpdir() });
  }
  const wall = new Map();
  const cpu = new Map();
  const errors = new Map();
  const rand = rng(opts.seed);
  // One untimed round first warms the disk cache.
  for (let round = 0; round <= opts.runs; round++) {
    const order = [...tasks];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const t of order) {
      const r = runOnce(t.code ?? '', t.cwd ?? os.tmpdir());
      if (round === 0) continue;
      if (r.error) {
        errors.set(t.id, r.error);
        continue;
      }
      if (!wall.has(t.id)) {
        wall.set(t.id, []);
        cpu.set(t.id, []);
      }
      wall.get(t.id).push(r.ms);
      cpu.get(t.id).push(r.cpu);
    }
    log(`round ${round}/${opts.runs}${round === 0 ? ' (warm-up)' : ''}, load ${os.loadavg()[0].toFixed(1)}`);
  }
  const bw = median(wall.get('baseline'));
  const bc = median(cpu.get('baseline'));
  for (const h of handlers) {
    for (const form of ['unbundled', 'bundled']) {
      const id = `${h.id}\0${form}`;
      if (errors.has(id) || !cpu.has(id)) {
        h[`${form}Error`] = errors.get(id) ?? h.buildError ?? 'not measured';
        continue;
      }
      h[`${form}RealCpu`] = r1(Math.max(0, median(cpu.get(id)) - bc));
      h[`${form}RealWall`] = r1(Math.max(0, median(wall.get(id)) - bw));
    }
  }
  return { baselineWallMs: r1(bw), baselineCpuMs: r1(bc) };
}

// ---------------------------------------------------------------- main

const opts = parseArgs(process.argv.slice(2));
fs.mkdirSync(opts.scratch, { recursive: true });
const svcRoot = prepare(opts);
const handlers = await estimates(svcRoot);
log(`${handlers.length} handlers; building with esbuild ...`);
await build(opts, handlers);
const base = measure(opts, handlers);

const summary = {};
for (const form of ['unbundled', 'bundled']) {
  const ok = handlers.filter((h) => typeof h[`${form}RealCpu`] === 'number');
  const est = ok.map((h) => h[form]);
  const cpuReal = ok.map((h) => h[`${form}RealCpu`]);
  const wallReal = ok.map((h) => h[`${form}RealWall`]);
  summary[form] = {
    handlers: ok.length,
    spearmanCpu: Math.round(spearman(est, cpuReal) * 100) / 100,
    medianFoldErrorCpu: Math.round(medianFoldError(est, cpuReal) * 100) / 100,
    spearmanWall: Math.round(spearman(est, wallReal) * 100) / 100,
    medianFoldErrorWall: Math.round(medianFoldError(est, wallReal) * 100) / 100,
  };
}
// The catalog's figures are of the machine that measured them: compared with another CPU, the fold error measures the
// two machines as much as the estimate. Said beside the figures, with the share of catalog entries from this CPU.
const catalogFile = JSON.parse(fs.readFileSync(path.join(ROOT, 'rules', 'catalog', 'packages.json'), 'utf8'));
const cpuHere = (os.cpus()[0]?.model ?? 'unknown').trim();
const machine = {
  here: cpuHere,
  catalog: catalogFile.environment?.cpuModel ?? null,
  catalogEntriesFromThisCpu: `${catalogFile.packages.filter((p) => String(p.source).includes(cpuHere)).length}/${catalogFile.packages.length}`,
  // CPU time is not free of load either: on a shared VM, contention inflates it (1.6x between load 10-20 and load 2).
  catalogLoadAvg1: catalogFile.noise?.loadAvg1 ?? null,
};
const report = {
  date: new Date().toISOString(),
  node: process.version,
  loadAvg: os.loadavg().map((x) => r1(x)),
  runs: opts.runs,
  machine,
  ...base,
  targets: TARGETS,
  summary,
  handlers: handlers.map(({ root: _r, unbundledFile: _u, bundledFile: _b, ...h }) => h),
};
if (opts.json) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  const pad = (s, n) => String(s ?? '-').padEnd(n);
  // Fold of the estimate against CPU time, signed: + when the estimate is above real init, - when below.
  const fold = (e, m) =>
    typeof m !== 'number'
      ? ''
      : Math.max(e, 1) >= Math.max(m, 1)
        ? `+${(Math.max(e, 1) / Math.max(m, 1)).toFixed(2)}`
        : `-${(Math.max(m, 1) / Math.max(e, 1)).toFixed(2)}`;
  const lines = [
    `${pad('handler', 36)}${pad('est unb', 9)}${pad('cpu unb', 9)}${pad('fold', 7)}${pad('wall unb', 10)}${pad('est bun', 9)}${pad('cpu bun', 9)}${pad('fold', 7)}${pad('wall bun', 10)}unpriced`,
  ];
  for (const h of handlers) {
    lines.push(
      `${pad(h.id, 36)}${pad(h.unbundled, 9)}${pad(h.unbundledRealCpu ?? 'ERR', 9)}${pad(fold(h.unbundled, h.unbundledRealCpu), 7)}${pad(h.unbundledRealWall, 10)}${pad(h.bundled, 9)}${pad(h.bundledRealCpu ?? 'ERR', 9)}${pad(fold(h.bundled, h.bundledRealCpu), 7)}${pad(h.bundledRealWall, 10)}${h.unpriced.join(', ')}`,
    );
  }
  lines.push('');
  for (const [form, s] of Object.entries(summary)) {
    const hit = s.spearmanCpu >= TARGETS.spearman && s.medianFoldErrorCpu <= TARGETS.medianFoldError ? 'met' : 'MISSED';
    lines.push(
      `${pad(form, 10)} n=${s.handlers}  vs CPU: Spearman ${s.spearmanCpu}, median fold error ${s.medianFoldErrorCpu} (${hit})  |  vs wall: Spearman ${s.spearmanWall}, median fold error ${s.medianFoldErrorWall}`,
    );
  }
  lines.push(
    `targets: Spearman >= ${TARGETS.spearman}, median fold error <= ${TARGETS.medianFoldError}; baseline ${base.baselineWallMs} ms wall, ${base.baselineCpuMs} ms CPU; load ${report.loadAvg.join(' ')}`,
  );
  lines.push(
    `machine: ${machine.here}; catalog measured on ${machine.catalog ?? '?'} (${machine.catalogEntriesFromThisCpu} entries from this CPU, load min/median/max ${(machine.catalogLoadAvg1 ?? []).join('/')})`,
  );
  for (const h of handlers) for (const k of ['unbundledError', 'bundledError']) if (h[k]) lines.push(`  ${h.id} ${k}: ${h[k]}`);
  process.stdout.write(lines.join('\n') + '\n');
}
