// Raw-parse reference for scan-bench.mjs, run in a fresh process: read every file of a list and parse it with
// ts.createSourceFile, single-threaded, keeping nothing. The list is the files the scan parsed (recorded by
// parse-census.mjs in an untimed scan of the same tree), so both sides parse the same files; `-` instead of a
// list walks the tree the way the scanner does and takes every source file. Only reading and parsing are timed.
// This is the floor a static scan is compared against.
//
//   node bench/raw-parse-child.mjs <root> <list.json | ->   -> prints one line `BENCH_RESULT {json}` on stdout
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import tsMorph from 'ts-morph';

const { ts } = tsMorph;

// Same list as src/source/walk.ts PRUNED_DIRS (kept in sync by hand; the bench does not import src/).
const PRUNED = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  '.aws-sam',
  '.serverless',
  'cdk.out',
  'coverage',
  '.build',
  '.webpack',
  '.esbuild',
  '.next',
  '.turbo',
  '.cache',
  '.terraform',
  '.sst',
]);
const EXT_KIND = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

/** Every source file under root (pruned folders skipped); .gitignore files are not read. */
function walk(root) {
  const out = [];
  const queue = [''];
  while (queue.length > 0) {
    const rel = queue.pop();
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!PRUNED.has(e.name)) queue.push(childRel);
      } else if (e.isFile() && !/\.d\.[cm]?ts$/.test(e.name) && EXT_KIND[path.extname(e.name)] !== undefined) {
        out.push(childRel);
      }
    }
  }
  return out.sort();
}

const root = path.resolve(process.argv[2] ?? '.');
const listArg = process.argv[3] ?? '-';
const files = listArg === '-' ? walk(root) : JSON.parse(readFileSync(listArg, 'utf8'));
const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let lines = 0;
let bytes = 0;
let parseErrorFiles = 0;
for (const rel of files) {
  const abs = path.join(root, rel);
  const text = readFileSync(abs, 'utf8');
  bytes += text.length;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  lines += n + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
  const sf = ts.createSourceFile(abs, text, options, false, EXT_KIND[path.extname(rel)] ?? ts.ScriptKind.TS);
  if (sf.parseDiagnostics && sf.parseDiagnostics.length > 0) parseErrorFiles++;
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);

process.stdout.write(
  'BENCH_RESULT ' +
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      files: files.length,
      lines,
      chars: bytes,
      parseErrorFiles,
      maxRSSKB: process.resourceUsage().maxRSS,
      tsVersion: ts.version,
    }) +
    '\n',
);
