import path from 'node:path';

/**
 * What a bundler's own record says is in a function's bundle: an esbuild metafile (`--metafile`, `outputs[].inputs`
 * with bytesInOutput) or webpack stats (`--json`, `modules[]` with name and size). Only the npm packages matter:
 * their modules and bytes, grouped by package name (the path after the last `node_modules/`).
 */
export interface BundleStats {
  packages: Map<string, { modules: number; bytes: number }>;
  /** Which output of the file was read (esbuild), for the basis. */
  output: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `node_modules/@scope/name/lib/x.js` -> `@scope/name`; null for the project's own files. */
export function packageOfPath(p: string): string | null {
  const norm = p.replace(/\\/g, '/').replace(/^\.\//, '');
  const i = norm.lastIndexOf('node_modules/');
  if (i < 0) return null;
  const parts = norm.slice(i + 'node_modules/'.length).split('/');
  const first = parts[0] ?? '';
  if (first.startsWith('@')) return parts[1] ? `${first}/${parts[1]}` : null;
  return first || null;
}

function add(into: BundleStats['packages'], file: string, bytes: number): void {
  // esbuild names concatenated or namespaced inputs `ns:path`; webpack `./node_modules/x/y.js + 3 modules`.
  const clean = file.replace(/^[a-z-]+:/, '').replace(/ \+ \d+ modules$/, '');
  const name = packageOfPath(clean);
  if (!name) return;
  const cur = into.get(name) ?? { modules: 0, bytes: 0 };
  cur.modules++;
  cur.bytes += bytes;
  into.set(name, cur);
}

/** The esbuild output whose entry point is the handler (by path suffix), else the only JS output. */
function pickEsbuildOutput(outputs: Record<string, unknown>, handlerFile: string): [string, Record<string, unknown>] | null {
  const js = Object.entries(outputs).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]) && /\.(c|m)?js$/.test(e[0]));
  const stem = handlerFile.replace(/\.[cm]?[jt]sx?$/, '');
  const byEntry = js.find(([, o]) => {
    const ep = typeof o.entryPoint === 'string' ? o.entryPoint.replace(/\\/g, '/').replace(/\.[cm]?[jt]sx?$/, '') : null;
    return ep !== null && (stem.endsWith(ep.replace(/^\.\//, '')) || ep.endsWith(stem));
  });
  if (byEntry) return byEntry;
  const withEntry = js.filter(([, o]) => typeof o.entryPoint === 'string');
  return withEntry.length === 1 ? (withEntry[0] ?? null) : js.length === 1 ? (js[0] ?? null) : null;
}

function webpackModules(stats: Record<string, unknown>, into: BundleStats['packages']): void {
  const visit = (mods: unknown): void => {
    if (!Array.isArray(mods)) return;
    for (const m of mods) {
      if (!isRecord(m)) continue;
      // A concatenated module lists its parts; count those, not the wrapper.
      if (Array.isArray(m.modules) && m.modules.length > 0) visit(m.modules);
      else if (typeof m.name === 'string' && typeof m.size === 'number') add(into, m.name, m.size);
    }
  };
  visit(stats.modules);
  if (!Array.isArray(stats.modules) && Array.isArray(stats.children)) for (const c of stats.children) if (isRecord(c)) visit(c.modules);
}

/** Parses a stats file's text; throws with a reader's message when it is neither format. */
export function parseBundleStats(text: string, handlerFile: string): BundleStats {
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw)) throw new Error('not a JSON object');
  const packages: BundleStats['packages'] = new Map();
  if (isRecord(raw.outputs) && isRecord(raw.inputs)) {
    const picked = pickEsbuildOutput(raw.outputs, handlerFile);
    if (!picked) throw new Error(`no output of the metafile has ${path.posix.basename(handlerFile)} as its entry point`);
    const [name, out] = picked;
    const inputs = isRecord(out.inputs) ? out.inputs : {};
    for (const [file, info] of Object.entries(inputs)) {
      if (isRecord(info) && typeof info.bytesInOutput === 'number' && info.bytesInOutput > 0) add(packages, file, info.bytesInOutput);
    }
    return { packages, output: name };
  }
  if (Array.isArray(raw.modules) || Array.isArray(raw.children)) {
    webpackModules(raw, packages);
    return { packages, output: null };
  }
  throw new Error('neither an esbuild metafile (inputs, outputs) nor webpack stats (modules)');
}
