import type { LayerRef, Packaging, RuntimeSettings } from '../model/result.js';
import { isRecord } from './cfn-yaml.js';
import { dirOf, joinRel } from './paths.js';
import type { DiscoverContext } from './types.js';

/** The two environment keys discovery reads; every other environment value is never looked at. */
export const NODE_OPTIONS = 'NODE_OPTIONS';
export const EXEC_WRAPPER = 'AWS_LAMBDA_EXEC_WRAPPER';

/**
 * Flag names of a NODE_OPTIONS value (`--enable-source-maps --max-old-space-size=512 -r ./x` ->
 * `--enable-source-maps`, `--max-old-space-size`, `-r`): only the names, so a value after `=` or a required
 * module path never reaches the output.
 */
export function nodeOptionFlags(value: string): string[] {
  const flags: string[] = [];
  for (const token of value.trim().split(/\s+/)) {
    if (!token.startsWith('-')) continue;
    const name = token.split('=')[0] ?? token;
    if (/^--?[A-Za-z][\w-]*$/.test(name) && !flags.includes(name)) flags.push(name);
  }
  return flags;
}

/** What one environment block says about the runtime: the two keys, each with the line that sets it. */
export interface EnvSettings {
  nodeOptions?: { flags: string[]; line: number };
  execWrapper?: { value: string; line: number };
}

/**
 * Reads NODE_OPTIONS and AWS_LAMBDA_EXEC_WRAPPER from an environment mapping; a value that is not a static
 * string is skipped. `lineOf` gives the line of a key. Nothing else in `env` is read.
 */
export function envSettings(env: unknown, lineOf: (key: string) => number): EnvSettings {
  const out: EnvSettings = {};
  if (!isRecord(env)) return out;
  const options = env[NODE_OPTIONS];
  if (typeof options === 'string') {
    const flags = nodeOptionFlags(options);
    if (flags.length > 0) out.nodeOptions = { flags, line: lineOf(NODE_OPTIONS) };
  }
  const wrapper = env[EXEC_WRAPPER];
  // A wrapper is a path inside the function or a layer (`/opt/otel-handler`), not a secret; anything else is dropped.
  if (typeof wrapper === 'string' && /^\/[\w./-]+$/.test(wrapper)) out.execWrapper = { value: wrapper, line: lineOf(EXEC_WRAPPER) };
  return out;
}

/** Function-level environment keys override provider/Globals ones, key by key, as Lambda's merged environment does. */
export function mergeEnv(outer: EnvSettings, inner: EnvSettings): EnvSettings {
  const out: EnvSettings = { ...outer };
  if (inner.nodeOptions !== undefined) out.nodeOptions = inner.nodeOptions;
  if (inner.execWrapper !== undefined) out.execWrapper = inner.execWrapper;
  return out;
}

/** The RuntimeSettings for a spec, or undefined when the IaC declares none of its parts. */
export function runtimeSettings(layers: LayerRef[], env: EnvSettings): RuntimeSettings | undefined {
  if (layers.length === 0 && env.nodeOptions === undefined && env.execWrapper === undefined) return undefined;
  return {
    layers,
    ...(env.nodeOptions !== undefined ? { nodeOptions: env.nodeOptions } : {}),
    ...(env.execWrapper !== undefined ? { execWrapper: env.execWrapper } : {}),
  };
}

const STATS_NAME = /(^|\/)[\w.-]*(meta|metafile|stats)[\w.-]*\.json$/i;
const statsCache = new WeakMap<DiscoverContext, StatsFile[]>();

interface StatsFile {
  rel: string;
  /** Root-relative source files the bundle's inputs name. */
  inputs: Set<string>;
}

/** Input paths of an esbuild metafile (`inputs` keys) or webpack stats (`modules[].name`), as written. */
function bundleInputs(data: unknown): string[] {
  if (!isRecord(data)) return [];
  if (isRecord(data['inputs']) && isRecord(data['outputs'])) return Object.keys(data['inputs']);
  const modules = data['modules'];
  if (!Array.isArray(modules)) return [];
  return modules.map((m) => (isRecord(m) && typeof m['name'] === 'string' ? m['name'] : '')).filter((n) => n !== '');
}

/** esbuild metafiles and webpack stats committed in the tree, with the inputs they name (resolved from each ancestor folder). */
function statsFiles(ctx: DiscoverContext): StatsFile[] {
  const cached = statsCache.get(ctx);
  if (cached !== undefined) return cached;
  const out: StatsFile[] = [];
  for (const rel of ctx.fileSet) {
    if (!STATS_NAME.test(rel) || rel.includes('node_modules/') || rel.endsWith('package.json') || rel.includes('tsconfig')) continue;
    const text = ctx.read(rel);
    if (text === undefined || !/"(inputs|modules)"/.test(text)) continue;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      continue;
    }
    const inputs = new Set<string>();
    for (const input of bundleInputs(data)) {
      // Paths are relative to the bundler's working directory: any folder from the stats file up to the root.
      const clean = input.replace(/^\.\//, '').replace(/^.*!/, '');
      for (let dir = dirOf(rel); ; dir = dirOf(dir)) {
        inputs.add(joinRel(dir, clean));
        if (dir === '') break;
      }
    }
    out.push({ rel, inputs });
  }
  statsCache.set(ctx, out);
  return out;
}

/** The committed metafile/stats whose bundle includes `handlerFile`, when exactly one does. */
export function statsFileFor(ctx: DiscoverContext, handlerFile: string | null): string | undefined {
  if (handlerFile === null) return undefined;
  const hits = statsFiles(ctx).filter((s) => s.inputs.has(handlerFile));
  return hits.length === 1 ? hits[0]?.rel : undefined;
}

/** A Packaging with the stats file tied to the handler, when there is one. */
export function packagingFor(ctx: DiscoverContext, packaging: Packaging, handlerFile: string | null): Packaging {
  if (packaging.form !== 'bundled') return packaging;
  const stats = statsFileFor(ctx, handlerFile);
  return stats === undefined ? packaging : { ...packaging, statsFile: stats };
}

/**
 * The bundler behind a `mapped` handler, from what the build mapping cites: a webpack config, an esbuild script
 * file, or a package.json script whose command names the tool. Null when the mapping is not a bundle (tsc output).
 */
export function bundlerOf(ctx: DiscoverContext, mapped: { mapping: string; mappingNote?: string }): Packaging['tool'] {
  if (mapped.mapping !== 'mapped' || mapped.mappingNote === undefined) return null;
  const note = mapped.mappingNote;
  if (/tsc output/.test(note)) return null;
  const script = /\(([^()]*package\.json) script "([^"]+)"\)$/.exec(note);
  let text = note;
  if (script !== null) {
    const pkg = ctx.read(script[1] ?? '');
    let scripts: unknown;
    try {
      scripts = pkg === undefined ? undefined : (JSON.parse(pkg) as unknown);
    } catch {
      scripts = undefined;
    }
    const body = isRecord(scripts) && isRecord(scripts['scripts']) ? scripts['scripts'][script[2] ?? ''] : undefined;
    text = typeof body === 'string' ? body : '';
  }
  for (const tool of ['esbuild', 'webpack', 'ncc', 'rollup', 'parcel'] as const) if (new RegExp(`\\b${tool}\\b`).test(text)) return tool;
  return null;
}
