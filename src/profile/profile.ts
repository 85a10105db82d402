/**
 * `lambda-migrate profile`: measured init for each handler of a scanned service, written into the same result beside
 * the static estimate. Each handler module is loaded in its own fresh child process (src/profile/run.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FunctionProfile, FunctionResult, ProfileGroup, ScanResult } from '../model/result.js';
import { estimatedInit } from '../cost/project.js';
import { permissionFlag, runChild, type RawModule, type RawProfile, type RunOutcome } from './run.js';

export interface ProfileOptions {
  rootAbs: string;
  /** Per handler, in ms. */
  timeoutMs: number;
  /** Runs the child (tests may wrap it); defaults to the real one. */
  run?: typeof runChild;
  onProgress?: (done: number, total: number, name: string) => void;
}

const TS_SOURCE = /\.(ts|tsx|mts|cts)$/;
const JS_EXTS = ['.js', '.mjs', '.cjs'];

/**
 * The JavaScript file to load: the handler file itself, or for a TypeScript source the built file the IaC names
 * (`dist/handlers/create.handler` -> dist/handlers/create.js), when it exists.
 */
export function loadableFile(fn: FunctionResult, rootAbs: string): { file: string } | { skip: string } {
  const source = fn.handler.file;
  if (source === null) return { skip: 'the handler has no source file (see the scan)' };
  if (!TS_SOURCE.test(source)) return { file: source };
  const declared = fn.handler.declared.replace(/\.[A-Za-z_$][\w$]*$/, '');
  // Where builds put it: the path the IaC declares, `sam build`'s output, or tsc's output beside the source.
  const stems = [declared, `.aws-sam/build/${fn.name}/${declared}`, source.replace(TS_SOURCE, '')];
  const tried: string[] = [];
  for (const stem of stems) {
    for (const ext of JS_EXTS) {
      const candidate = path.posix.normalize(`${stem}${ext}`);
      if (candidate.startsWith('..')) continue;
      if (ext === '.js') tried.push(candidate);
      if (existsSync(path.join(rootAbs, candidate))) return { file: candidate };
    }
  }
  return { skip: `the handler is TypeScript (${source}) and no built JavaScript was found (${tried.join(', ')}): build the service first` };
}

/**
 * node_modules folders from the handler source's directory up to the root. A built file outside them (a `sam build`
 * output whose `@aws-sdk/*` was left external for the runtime to provide) finds the SDK through NODE_PATH there, as
 * Lambda's own /var/runtime/node_modules would provide it.
 */
function sourceNodePaths(fn: FunctionResult, rootAbs: string): string[] {
  const out: string[] = [];
  if (fn.handler.file === null) return out;
  let dir = path.posix.dirname(fn.handler.file);
  for (;;) {
    const candidate = path.join(rootAbs, dir, 'node_modules');
    if (existsSync(candidate)) out.push(candidate);
    if (dir === '.' || dir === '') return out;
    dir = path.posix.dirname(dir);
  }
}

function layerDirs(fn: FunctionResult, rootAbs: string): string[] {
  const dirs = (fn.runtimeSettings?.layers ?? []).flatMap((l) => (l.localDir === undefined ? [] : [path.join(rootAbs, l.localDir)]));
  return [...new Set(dirs)];
}

/** `.../node_modules/@scope/name/lib/x.js` -> `@scope/name` (the innermost node_modules). */
export function packageOf(file: string): string | null {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return null;
  const first = parts[at + 1];
  if (first === undefined) return null;
  return first.startsWith('@') ? `${first}/${parts[at + 2] ?? ''}` : first;
}

export function groupOf(m: RawModule, layers: readonly string[]): ProfileGroup {
  if (m.builtin) return 'core';
  if (layers.some((d) => m.file === d || m.file.startsWith(`${d}${path.sep}`))) return 'layers';
  return packageOf(m.file) !== null ? 'packages' : 'own';
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function display(file: string, rootAbs: string, builtin: boolean): string {
  if (builtin) return file.startsWith('node:') ? file : `node:${file}`;
  const rel = path.relative(rootAbs, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/** The child's raw report as the result's profile: grouped, summed, rounded. */
export function summarise(
  report: RawProfile,
  ctx: { rootAbs: string; layers: string[]; loaded: string; estInitMs: number | null; sandbox: string },
): FunctionProfile {
  const groups: FunctionProfile['groups'] = {
    own: { ms: 0, modules: 0 },
    packages: { ms: 0, modules: 0 },
    layers: { ms: 0, modules: 0 },
    core: { ms: 0, modules: 0 },
  };
  const byPackage = new Map<string, { name: string; group: 'packages' | 'layers'; ms: number; modules: number }>();
  const timed: { file: string; group: ProfileGroup; selfMs: number }[] = [];
  for (const m of report.modules) {
    const group = groupOf(m, ctx.layers);
    groups[group].ms += m.selfMs;
    groups[group].modules += 1;
    timed.push({ file: display(m.file, ctx.rootAbs, m.builtin), group, selfMs: m.selfMs });
    const name = group === 'packages' || group === 'layers' ? (packageOf(m.file) ?? 'layer code') : null;
    if (name !== null && (group === 'packages' || group === 'layers')) {
      const entry = byPackage.get(name) ?? { name, group, ms: 0, modules: 0 };
      entry.ms += m.selfMs;
      entry.modules += 1;
      byPackage.set(name, entry);
    }
  }
  for (const g of Object.values(groups)) g.ms = round1(g.ms);
  const packages = [...byPackage.values()].map((p) => ({ ...p, ms: round1(p.ms) })).sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : 1));
  const slowest = timed
    .sort((a, b) => b.selfMs - a.selfMs || (a.file < b.file ? -1 : 1))
    .slice(0, 20)
    .map((t) => ({ ...t, selfMs: round1(t.selfMs) }));
  const esmNote = report.moduleFormat === 'esm' ? ' (an ES module: loaded modules are timed in total only, not one by one)' : '';
  return {
    status: report.status,
    detail: report.detail === null ? (esmNote === '' ? null : esmNote.trim().replace(/^\(|\)$/g, '')) : report.detail,
    loaded: ctx.loaded,
    node: report.node || null,
    measuredInitMs: round1(report.totalMs),
    estInitMs: ctx.estInitMs,
    groups,
    packages,
    slowest,
    blocked: report.blocked,
    sandbox: ctx.sandbox,
  };
}

export function sandboxLabel(timeoutMs: number): string {
  const flag = permissionFlag();
  return [
    flag === null
      ? 'no Node permission model on this Node version (JavaScript guards only)'
      : `Node permission model (${flag}: reads limited to the service, no writes, no child processes, no workers)`,
    'network, file-write and process entry points replaced by failures',
    'scrubbed environment (no inherited variables, no AWS credentials, NODE_OPTIONS cleared)',
    `${timeoutMs} ms limit`,
  ].join('; ');
}

function fromOutcome(
  outcome: RunOutcome,
  base: Omit<FunctionProfile, 'status' | 'detail' | 'node' | 'measuredInitMs'>,
  timeoutMs: number,
  summariseCtx: Parameters<typeof summarise>[1],
): FunctionProfile {
  if (outcome.kind === 'report') return summarise(outcome.report, summariseCtx);
  const detail = outcome.kind === 'timeout' ? `loading did not finish within ${timeoutMs} ms: killed` : outcome.detail;
  return { ...base, status: outcome.kind === 'timeout' ? 'timeout' : 'failed', detail, node: null, measuredInitMs: null };
}

/** Profiles every handler of the result in turn (one child at a time: timings of parallel loads would mix). */
export async function profileResult(result: ScanResult, opts: ProfileOptions): Promise<ScanResult> {
  const run = opts.run ?? runChild;
  const sandbox = sandboxLabel(opts.timeoutMs);
  const functions: FunctionResult[] = [];
  let done = 0;
  for (const fn of result.functions) {
    opts.onProgress?.(done++, result.functions.length, fn.name);
    const estInitMs = fn.init === null ? null : round1(estimatedInit(fn));
    const empty = { ms: 0, modules: 0 };
    const base = {
      loaded: null,
      estInitMs,
      groups: { own: empty, packages: empty, layers: empty, core: empty },
      packages: [],
      slowest: [],
      blocked: [],
      sandbox,
    };
    const target = loadableFile(fn, opts.rootAbs);
    if ('skip' in target) {
      functions.push({ ...fn, profile: { ...base, status: 'skipped', detail: target.skip, node: null, measuredInitMs: null } });
      continue;
    }
    const layers = layerDirs(fn, opts.rootAbs);
    const outcome = await run({
      rootAbs: opts.rootAbs,
      file: path.join(opts.rootAbs, target.file),
      exportName: fn.handler.export,
      timeoutMs: opts.timeoutMs,
      layerNodePaths: [...layers.map((d) => path.join(d, 'nodejs', 'node_modules')), ...sourceNodePaths(fn, opts.rootAbs)],
      lambdaEnv: { functionName: fn.deployedNames[0] ?? fn.name, memoryMB: fn.memoryMB, runtime: fn.runtime },
    });
    const profile = fromOutcome(outcome, { ...base, loaded: target.file }, opts.timeoutMs, {
      rootAbs: opts.rootAbs,
      layers,
      loaded: target.file,
      estInitMs,
      sandbox,
    });
    functions.push({ ...fn, profile });
  }
  return { ...result, functions };
}
