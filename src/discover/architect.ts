import type { FunctionSpec } from '../model/result.js';
import { HANDLER_EXTENSIONS } from './handler-map.js';
import { baseName, dirOf, joinRel } from './paths.js';
import { recordFunction } from './spec.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';
import { IAC_DEFAULTS, applyDefaults } from './iac-defaults.js';

const MANIFESTS: ReadonlySet<string> = new Set(['app.arc', '.arc']);

/** Pragmas whose entries are Lambda functions, and the folder under `src/` each uses. */
const FUNCTION_PRAGMAS: ReadonlyMap<string, string> = new Map([
  ['http', 'http'],
  ['events', 'events'],
  ['queues', 'queues'],
  ['scheduled', 'scheduled'],
  ['tables-streams', 'tables-streams'],
  ['ws', 'ws'],
  ['customLambdas', 'custom'],
]);
const WS_DEFAULTS = ['connect', 'disconnect', 'default'];

interface ArcEntry {
  pragma: string;
  words: string[];
  line: number;
  /** Indented settings under the entry (`src custom/dir`, `method get`). */
  settings: Map<string, string>;
}

/** Splits an .arc manifest into pragma entries; `#` starts a comment. */
function parseArc(text: string): { entries: ArcEntry[]; settings: Map<string, Map<string, string>> } {
  const entries: ArcEntry[] = [];
  const settings = new Map<string, Map<string, string>>();
  let pragma = '';
  let last: ArcEntry | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '');
    if (line.trim() === '') return;
    const indented = /^\s/.test(line);
    const words = line.trim().split(/\s+/);
    const [first = ''] = words;
    if (!indented && first.startsWith('@')) {
      pragma = first.slice(1);
      last = null;
      return;
    }
    if (indented && last !== null) {
      last.settings.set(first, words.slice(1).join(' '));
      return;
    }
    if (FUNCTION_PRAGMAS.has(pragma)) {
      last = { pragma, words, line: index + 1, settings: new Map() };
      entries.push(last);
    } else {
      const map = settings.get(pragma) ?? new Map<string, string>();
      map.set(first, words.slice(1).join(' '));
      settings.set(pragma, map);
    }
  });
  return { entries, settings };
}

/**
 * Architect's folder name for an HTTP route: `get /docs/:lang/*` -> `get-docs-000lang-catchall`.
 * Dashes and dots in a path become `_` so they do not collide with the `/` -> `-` separator.
 */
export function arcHttpName(method: string, route: string): string {
  if (route === '/') return `${method.toLowerCase()}-index`;
  const trimmed = route.replace(/\/$/, '');
  const name = trimmed.replace(/-/g, '_').replace(/\./g, '_').replace(/\//g, '-').replace(/:/g, '000').replace(/\*/g, 'catchall');
  return `${method.toLowerCase()}${name}`;
}

function findIndex(files: ReadonlySet<string>, dir: string): string | null {
  for (const ext of ['.mjs', ...HANDLER_EXTENSIONS.filter((e) => e !== '.mjs')]) {
    const file = joinRel(dir, `index${ext}`);
    if (files.has(file)) return file;
  }
  return null;
}

function discoverArc(ctx: DiscoverContext, rel: string): void {
  const text = ctx.read(rel);
  if (text === undefined) return;
  const { entries, settings } = parseArc(text);
  const appDir = dirOf(rel);
  const runtime = settings.get('aws')?.get('runtime') ?? null;
  const architecture = settings.get('aws')?.get('architecture');
  const memory = settings.get('aws')?.get('memory');
  const timeout = settings.get('aws')?.get('timeout');
  const wsEntries = entries.filter((e) => e.pragma === 'ws');
  const functions: Array<{ name: string; dir: string; line: number; src: string | undefined }> = [];
  for (const entry of entries) {
    const folder = FUNCTION_PRAGMAS.get(entry.pragma) ?? entry.pragma;
    const [a = '', b] = entry.words;
    let name: string;
    if (entry.pragma === 'http') {
      // `get /path`, or `/path` with `method get` below it; `any` and catch-alls are names too.
      const method = b === undefined ? (entry.settings.get('method') ?? 'get') : a;
      const route = b ?? a;
      name = arcHttpName(method, route);
    } else {
      name = a;
    }
    functions.push({ name, dir: joinRel(appDir, 'src', folder, name), line: entry.line, src: entry.settings.get('src') });
  }
  // @ws with no entries still deploys the three default routes.
  if (text.includes('@ws') && wsEntries.length === 0) {
    const line = text.split(/\r?\n/).findIndex((l) => l.trim() === '@ws') + 1;
    for (const n of WS_DEFAULTS) functions.push({ name: n, dir: joinRel(appDir, 'src', 'ws', n), line, src: undefined });
  }
  if (functions.length === 0) return;
  ctx.sink.iacFiles.push(rel);
  for (const fn of functions) {
    const dir = fn.src === undefined ? fn.dir : joinRel(appDir, fn.src);
    // A per-function config.arc overrides the app's @aws settings.
    const local = ctx.fileSet.has(joinRel(dir, 'config.arc')) ? parseArc(ctx.read(joinRel(dir, 'config.arc')) ?? '').settings.get('aws') : undefined;
    const fnRuntime = local?.get('runtime') ?? runtime;
    const fnArch = local?.get('architecture') ?? architecture;
    const fnMemory = local?.get('memory') ?? memory;
    const fnTimeout = local?.get('timeout') ?? timeout;
    const file = findIndex(ctx.fileSet, dir);
    const spec: FunctionSpec = {
      id: `${rel}#${fn.name}`,
      name: fn.name,
      provider: 'architect',
      deployedNames: [],
      runtime: fnRuntime ?? null,
      architecture: fnArch === 'arm64' || fnArch === 'x86_64' ? fnArch : null,
      memoryMB: fnMemory === undefined ? null : Number(fnMemory),
      timeoutS: fnTimeout === undefined ? null : Number(fnTimeout),
      declaredIn: { file: rel, line: fn.line },
      handler: { file: null, export: 'handler', declared: `${dir}/index.handler`, mapping: 'unresolved' },
      packaging: { form: 'unbundled', tool: null, basis: 'Architect deploys each function folder as files, with its own node_modules (no bundler)' },
    };
    const region = local?.get('region') ?? settings.get('aws')?.get('region');
    if (region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) spec.region = region;
    const layers = (local?.get('layers') ?? settings.get('aws')?.get('layers'))?.split(/\s+/).filter((l) => l.startsWith('arn:')) ?? [];
    if (layers.length > 0) spec.runtimeSettings = { layers: layers.map((ref) => ({ ref, line: awsLine(text, 'layers') ?? fn.line })) };
    if (fnRuntime !== undefined && fnRuntime !== null) {
      const line = local?.get('runtime') === undefined ? awsLine(text, 'runtime') : null;
      if (line !== null) spec.runtimeDeclaredIn = { file: rel, line };
    }
    // Architect's defaults (@architect/inventory): 1152 MB, 6 s, x86_64.
    applyDefaults(spec, IAC_DEFAULTS.architect);
    recordFunction(
      ctx.sink,
      spec,
      file === null
        ? {
            file: null,
            mapping: 'unresolved',
            reason: 'handler_not_found',
            mappingNote: `no index file in ${dir} (Architect's folder for ${fn.name})`,
          }
        : { file, mapping: 'exact' },
    );
  }
}

/** Line of a setting under the manifest's @aws pragma, or null. */
function awsLine(text: string, key: string): number | null {
  let inAws = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/#.*$/, '');
    if (/^@/.test(line)) inAws = line.trim() === '@aws';
    else if (inAws && line.trim().split(/\s+/)[0] === key) return i + 1;
  }
  return null;
}

/** Architect: `app.arc` (and `.arc`) manifests; each function lives in its own folder by Architect's naming rule. */
export const architectProvider: DiscoveryProviderModule = {
  name: 'architect',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) if (MANIFESTS.has(baseName(rel))) discoverArc(ctx, rel);
  },
};
