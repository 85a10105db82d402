#!/usr/bin/env node
// Fits rules/catalog/load-model.json: the ms per module and per KB that price an installed package the catalog has
// not measured, from the catalog's own measurements.
//
//   npm run build && node scripts/fit-load-model.mjs [--scratch DIR]...   (several: one per measuring worker)
//
// For every catalog entry installed in the measuring scratch folder (scripts/measure-catalog.mjs), the project's
// own node_modules walker (dist/src/graph/node-modules.js) reads the entry's static init graph; the unbundled
// models regress the measured requireMs / importMs on (modules, KB) of that graph, the bundled model regresses
// bundledMs on (modules, KB) of the esbuild bundle (what a metafile says). No intercept, so package figures add
// up; least squares on relative error (each entry weighs by 1/measured^2), entries under 2 ms left out as noise.
// Residuals are reported as fold errors (max(est/measured, measured/est)).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// Every --scratch given (several measuring workers each install their share of the list), the default one otherwise.
const SCRATCHES = args.flatMap((a, i) => (a === '--scratch' && args[i + 1] ? [path.resolve(args[i + 1])] : []));
if (SCRATCHES.length === 0) SCRATCHES.push(path.resolve(ROOT, '..', 'catalog-measure'));
const CATALOG = path.join(ROOT, 'rules', 'catalog', 'packages.json');
const OUT = path.join(ROOT, 'rules', 'catalog', 'load-model.json');
const MIN_MS = 2;

const { NodeModulesWalker } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'graph', 'node-modules.js')).href);
const { median, parseItem } = await import(pathToFileURL(path.join(ROOT, 'scripts', 'measure-catalog.mjs')).href);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const r3 = (x) => Math.round(x * 1000) / 1000;

/** Weighted least squares without intercept, y ~ a*x1 + b*x2, weights 1/y^2; a one-variable fit if a coefficient goes negative. */
function fit(rows) {
  let s11 = 0,
    s12 = 0,
    s22 = 0,
    s1y = 0,
    s2y = 0;
  for (const { x1, x2, y } of rows) {
    const w = 1 / (y * y);
    s11 += w * x1 * x1;
    s12 += w * x1 * x2;
    s22 += w * x2 * x2;
    s1y += w * x1 * y;
    s2y += w * x2 * y;
  }
  const det = s11 * s22 - s12 * s12;
  let a = (s1y * s22 - s2y * s12) / det;
  let b = (s2y * s11 - s1y * s12) / det;
  if (!(a >= 0) || !(b >= 0)) {
    const aOnly = s1y / s11;
    const bOnly = s2y / s22;
    const err = (aa, bb) => rows.reduce((n, r) => n + ((aa * r.x1 + bb * r.x2 - r.y) / r.y) ** 2, 0);
    [a, b] = err(aOnly, 0) <= err(0, bOnly) ? [aOnly, 0] : [0, bOnly];
  }
  const folds = rows.map((r) => {
    const est = Math.max(a * r.x1 + b * r.x2, 0.01);
    return Math.max(est / r.y, r.y / est);
  });
  return {
    perModuleMs: r3(a),
    perKBMs: r3(b),
    residuals: { n: rows.length, medianFoldError: r3(median(folds)), p90FoldError: r3(quantile(folds, 0.9)) },
  };
}

const catalog = JSON.parse(fs.readFileSync(CATALOG, 'utf8'));
const list = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'catalog-packages.json'), 'utf8')).packages;
const specOf = new Map(list.flatMap(parseItem).map((e) => [e.key, e]));
const walker = new NodeModulesWalker();
const req = [];
const imp = [];
const bun = [];
const walkVsRuntime = [];
// Only entries measured on the catalog's own machine (its environment): figures from another CPU differ in scale.
const cpu = catalog.environment?.cpuModel ?? '';
const sameMachine = catalog.packages.filter((p) => !cpu || String(p.source).includes(cpu));
// import() from a CommonJS script first starts the ESM loader: the smallest packages show what that alone costs.
const tiny = sameMachine
  .filter((p) => p.importMs !== null && p.modules !== null && p.modules <= 2 && p.loadedBytes < 20_000)
  .map((p) => p.importCpuMs ?? p.importMs);
const loaderMs = median(tiny) ?? 0;
// The smallest CommonJS packages (one or two files, under 15 KB) cost little more than a first require() does:
// that start-up is in every entry, and a process pays it once.
const smallest = sameMachine.filter((p) => !p.esmOnly && p.modules !== null && p.modules <= 2 && p.loadedBytes < 15_000 && p.requireCpuMs !== null);
const firstLoadMs = median(smallest.map((p) => p.requireCpuMs)) ?? 0;
const bundledFirstLoadMs = median(smallest.map((p) => p.bundledCpuMs).filter((x) => typeof x === 'number')) ?? 0;
for (const p of sameMachine) {
  const e = specOf.get(p.latest === false ? `${p.name}@${p.major}` : p.name);
  if (!e) continue;
  const { name, subpath } = { name: e.pkg.folder, subpath: e.subpath };
  const scratch = SCRATCHES.find((d) => fs.existsSync(path.join(d, 'node_modules', name, 'package.json')));
  const walkR = scratch ? walker.walk(name, subpath, scratch, 'require') : null;
  const walkI = scratch ? walker.walk(name, subpath, scratch, 'import') : null;
  if (walkR && p.modules) walkVsRuntime.push(walkR.modules / p.modules);
  // CPU figures where measured, as the engine prices with them (wall time carries the shared machine's load).
  const rq = p.requireCpuMs ?? p.requireMs;
  const im = p.importCpuMs ?? p.importMs;
  const bu = p.bundledCpuMs ?? p.bundledMs;
  if (walkR && rq !== null && rq >= MIN_MS && !p.esmOnly) req.push({ x1: walkR.modules, x2: walkR.bytes / 1024, y: rq });
  if (walkI && im !== null && im - loaderMs >= MIN_MS) imp.push({ x1: walkI.modules, x2: walkI.bytes / 1024, y: im - loaderMs });
  if (bu !== null && bu >= MIN_MS && p.bundleInputs) bun.push({ x1: p.bundleInputs, x2: p.bundleBytes / 1024, y: bu });
}

const model = {
  description:
    'Load model for installed packages the catalog has not measured and for bundles described by a stats file: ' +
    'estimated ms = perModuleMs * modules + perKBMs * KB. require/import: over the modules and bytes the static ' +
    'init graph in node_modules loads (src/graph/node-modules.ts); bundled: over the modules and bytes in the ' +
    'bundle. Fitted by scripts/fit-load-model.mjs on rules/catalog/packages.json; residuals are fold errors on the ' +
    'fitted entries themselves.',
  fittedAt: new Date().toISOString().slice(0, 10),
  source: `scripts/fit-load-model.mjs over rules/catalog/packages.json measured ${catalog.measuredAt} (${sameMachine.length} of its ${catalog.packages.length} entries, those measured on ${cpu || 'its machine'})`,
  importLoaderMs: Math.round(loaderMs * 10) / 10,
  firstLoadMs: Math.round(firstLoadMs * 10) / 10,
  bundledFirstLoadMs: Math.round(bundledFirstLoadMs * 10) / 10,
  firstLoadFrom: smallest.length,
  require: fit(req),
  // import() is timed only on request (measure-catalog --imports): with few entries, the require fit stands in.
  import: imp.length >= 20 ? fit(imp) : { ...fit(req), note: `require coefficients: only ${imp.length} entries with an import figure` },
  bundled: fit(bun),
  walkerCheck: {
    note: 'modules the static walk finds at init / CommonJS modules require() really loaded, over the catalog entries',
    n: walkVsRuntime.length,
    median: r3(median(walkVsRuntime) ?? 0),
    p10: r3(quantile(walkVsRuntime, 0.1) ?? 0),
    p90: r3(quantile(walkVsRuntime, 0.9) ?? 0),
  },
};
fs.writeFileSync(OUT, JSON.stringify(model, null, 2) + '\n');
process.stderr.write(`${JSON.stringify(model, null, 2)}\n`);
