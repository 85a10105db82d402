// Full scan for scan-bench.mjs, run in a fresh process: import the built library and time one `scan()` call;
// report the process's peak RSS at the end (process.resourceUsage().maxRSS: the whole process, worker threads
// included).
//
//   node bench/scan-child.mjs <repoRoot> <root> [<cacheDir>]   -> prints one line `BENCH_RESULT {json}` on stdout
//
// With a cache folder the scan is given `cache: <cacheDir>` (the fact cache's ScanOptions field); a build that
// does not know the option ignores it, and scan-bench.mjs sees that no cache was written.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(process.argv[2]);
const root = path.resolve(process.argv[3]);
const cache = process.argv[4];

const t0 = performance.now();
const { scan } = await import(pathToFileURL(path.join(repo, 'dist/src/index.js')).href);
const importMs = performance.now() - t0;
if (typeof scan !== 'function') throw new Error('dist/src/index.js does not export scan()');

const cpu0 = process.cpuUsage();
const t1 = performance.now();
const result = await scan({ root, ...(cache !== undefined ? { cache: path.resolve(cache) } : {}) });
const ms = performance.now() - t1;
const cpu = process.cpuUsage(cpu0);
const maxRSSKB = process.resourceUsage().maxRSS;

const initModules = (result.functions ?? [])
  .map((f) => f?.init?.modules)
  .filter((n) => typeof n === 'number')
  .sort((a, b) => a - b);
const skippedReasons = {};
for (const s of result.skipped ?? []) skippedReasons[s.reason] = (skippedReasons[s.reason] ?? 0) + 1;
const providers = {};
for (const f of result.functions ?? []) providers[f.provider] = (providers[f.provider] ?? 0) + 1;

process.stdout.write(
  'BENCH_RESULT ' +
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      importMs,
      maxRSSKB,
      // The whole result, hashed: equal across runs of one build, and across builds whose outputs are byte-identical.
      resultSha256: createHash('sha256').update(JSON.stringify(result)).digest('hex'),
      functions: result.functions?.length ?? null,
      providers,
      unresolved: (result.functions ?? []).filter((f) => f?.handler?.mapping === 'unresolved').length,
      notAnalysed: result.notAnalysed?.length ?? null,
      files: result.summary?.files ?? null,
      lines: result.summary?.lines ?? null,
      skipped: result.skipped?.length ?? null,
      skippedReasons,
      warnings: result.warnings?.length ?? null,
      complete: result.complete ?? null,
      findings: (result.functions ?? []).reduce((n, f) => n + (f?.findings?.length ?? 0), 0),
      initModulesMedian: initModules.length > 0 ? initModules[initModules.length >> 1] : null,
    }) +
    '\n',
);
