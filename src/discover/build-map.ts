import picomatch from 'picomatch';
import ts from '../compiler/typescript.cjs';
import { isRecord } from './cfn-yaml.js';
import { HANDLER_EXTENSIONS, mapHandlerStem, type MappedHandler } from './handler-map.js';
import { baseName, dirOf, extensionOf, joinRel, stripExtension } from './paths.js';
import { AnchoredPath, CallValue, StaticEvaluator, isStaticObject, parseSource } from './ts-static.js';
import type { StaticValue } from './ts-static.js';
import { tsconfigJson } from './tsconfig-text.js';
import type { DiscoverContext } from './types.js';

/** One output module a build config produces, with the source it comes from. */
export interface BuildOutput {
  /** Root-relative output path without extension (`dist/create`). */
  outStem: string;
  /** Root-relative source file. */
  source: string;
  /** The config that says so (`webpack.config.js`, `package.json` script `build`). */
  via: string;
  /** The bundler that writes it. */
  tool?: 'esbuild' | 'webpack' | 'ncc';
}

/** What a zip step in an npm script packs: the folder whose contents are at the archive's root. */
export interface ArchiveSource {
  /** Root-relative archive path (`infra/lambda.zip`). */
  zip: string;
  /** Root-relative folder that is the archive's root (`services/api/dist`). */
  dir: string;
  /** `services/api/package.json script "package"`. */
  via: string;
}

/** A tsc `outDir` -> `rootDir` mapping: output mirrors the source tree. */
interface TscMapping {
  outDir: string;
  rootDir: string;
  via: string;
}

interface BuildIndex {
  outputs: BuildOutput[];
  tsc: TscMapping[];
  archives: ArchiveSource[];
}

const WEBPACK_CONFIG = /(^|\/)webpack\.config\.(c|m)?[jt]s$/;
const ESBUILD_SCRIPT = /(^|\/)(esbuild|build)\.(c|m)?[jt]s$/;
const cache = new WeakMap<DiscoverContext, BuildIndex>();

/**
 * Maps a handler that names build output (`dist/main`, root-relative, no extension) back to its source
 * through the build configs in the tree, read as data: webpack entries (object, array, string, or
 * computed from a glob), esbuild `entryPoints`/CLI entries, `ncc build`, tsc `outDir`/`rootDir`.
 * Returns null when no build config explains it, so the caller can fall back to a name convention.
 */
export function mapBuildOutput(ctx: DiscoverContext, outStem: string, declared: string): MappedHandler | null {
  const index = buildIndex(ctx);
  const hit = index.outputs.find((o) => o.outStem === outStem) ?? index.outputs.find((o) => o.outStem === `${outStem}/index`);
  if (hit !== undefined) return { file: hit.source, mapping: 'mapped', mappingNote: `${declared} is build output of ${hit.source} (${hit.via})` };
  for (const tsc of index.tsc) {
    if (!outStem.startsWith(`${tsc.outDir}/`)) continue;
    const stem = joinRel(tsc.rootDir, outStem.slice(tsc.outDir.length + 1));
    const file = findSource(ctx.fileSet, stem);
    if (file !== null)
      return { file, mapping: 'mapped', mappingNote: `${declared} is tsc output in ${tsc.outDir}; source ${file} (${tsc.via} outDir -> rootDir)` };
  }
  return null;
}

/**
 * The mapping every provider uses for a root-relative handler stem: the source itself, else a build
 * config that produced it (`mapped`), else a name convention (`guessed`), else unresolved.
 */
export function mapDeclaredStem(ctx: DiscoverContext, stem: string, declared: string): MappedHandler {
  const direct = mapHandlerStem(ctx.fileSet, stem, declared);
  if (direct.mapping === 'exact' || direct.reason === 'outside_root') return direct;
  return mapBuildOutput(ctx, stem, declared) ?? direct;
}

/**
 * How a build-output stem came to be: the bundler output (with its tool) or the tsc mapping (tool `tsc`,
 * which does not bundle); null when no config in the tree explains it.
 */
export function explainBuildOutput(
  ctx: DiscoverContext,
  outStem: string,
): { source: string; via: string; tool: 'esbuild' | 'webpack' | 'ncc' | 'tsc' | null } | null {
  const index = buildIndex(ctx);
  const hit = index.outputs.find((o) => o.outStem === outStem) ?? index.outputs.find((o) => o.outStem === `${outStem}/index`);
  if (hit !== undefined) return { source: hit.source, via: hit.via, tool: hit.tool ?? null };
  for (const tsc of index.tsc) {
    if (!outStem.startsWith(`${tsc.outDir}/`)) continue;
    const file = findSource(ctx.fileSet, joinRel(tsc.rootDir, outStem.slice(tsc.outDir.length + 1)));
    if (file !== null) return { source: file, via: tsc.via, tool: 'tsc' };
  }
  return null;
}

/** The folder an npm script's zip step packs into this archive (`cd dist && zip -r ../fn.zip .`), if one does. */
export function mapArchive(ctx: DiscoverContext, zipRel: string): ArchiveSource | null {
  return buildIndex(ctx).archives.find((a) => a.zip === zipRel) ?? null;
}

function findSource(files: ReadonlySet<string>, stem: string): string | null {
  for (const base of [stem, `${stem}/index`]) for (const ext of HANDLER_EXTENSIONS) if (files.has(base + ext)) return base + ext;
  return null;
}

function buildIndex(ctx: DiscoverContext): BuildIndex {
  const cached = cache.get(ctx);
  if (cached !== undefined) return cached;
  const index: BuildIndex = { outputs: [], tsc: [], archives: [] };
  for (const rel of ctx.fileSet) {
    const name = baseName(rel);
    if (rel.includes('node_modules/')) continue;
    if (WEBPACK_CONFIG.test(rel)) index.outputs.push(...webpackOutputs(ctx, rel));
    else if (ESBUILD_SCRIPT.test(rel)) index.outputs.push(...esbuildScriptOutputs(ctx, rel));
    else if (name === 'package.json') {
      index.outputs.push(...scriptOutputs(ctx, rel));
      index.archives.push(...scriptArchives(ctx, rel));
    } else if (/^tsconfig(\.[\w-]+)?\.json$/.test(name)) {
      const m = tscMapping(ctx, rel);
      if (m !== null) index.tsc.push(m);
    }
  }
  cache.set(ctx, index);
  return index;
}

/** Root-relative path of a value from a config in `dir` (webpack and esbuild resolve against the process cwd: the config's folder). */
function pathOf(value: StaticValue, dir: string): string | null {
  if (value instanceof AnchoredPath) return value.rel;
  if (typeof value === 'string' && !value.startsWith('/')) return joinRel(dir, value);
  return null;
}

function globFiles(ctx: DiscoverContext, dir: string, pattern: string): string[] {
  const full = joinRel(dir, pattern);
  const match = picomatch(full);
  return [...ctx.fileSet].filter((f) => match(f)).sort();
}

/** The first object literal in the file with an `entry` (or `entryPoints`) property: the config. */
function findConfigObject(sourceFile: ts.SourceFile, key: string): ts.ObjectLiteralExpression | null {
  let found: ts.ObjectLiteralExpression | null = null;
  const visit = (node: ts.Node): void => {
    if (found !== null) return;
    if (ts.isObjectLiteralExpression(node) && node.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === key)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function propInit(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key) return p.initializer;
  return undefined;
}

/** `glob.sync('./src/handlers/*.ts')`, `globSync(...)`, `fg.sync(...)` anywhere inside an expression. */
function globPatterns(node: ts.Node, sourceFile: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression.getText(sourceFile);
      const arg = n.arguments[0];
      if (/glob|\bfg\b|fast-?glob/i.test(callee) && arg !== undefined && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)))
        out.push(arg.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

function webpackOutputs(ctx: DiscoverContext, rel: string): BuildOutput[] {
  const text = ctx.read(rel);
  if (text === undefined) return [];
  const sourceFile = parseSource(rel, text);
  const config = findConfigObject(sourceFile, 'entry');
  if (config === null) return [];
  const evaluator = new StaticEvaluator(sourceFile, { fileRel: rel });
  const dir = dirOf(rel);
  const output = propInit(config, 'output');
  const outputValue = output === undefined ? {} : evaluator.evaluate(output);
  const outObj = isStaticObject(outputValue) ? outputValue : {};
  const outDir = pathOf(outObj['path'] ?? 'dist', dir) ?? joinRel(dir, 'dist');
  const filename = typeof outObj['filename'] === 'string' ? outObj['filename'] : '[name].js';
  const entryNode = propInit(config, 'entry');
  if (entryNode === undefined) return [];
  const entries = new Map<string, string>();
  const entry = evaluator.evaluate(entryNode);
  const addEntry = (name: string, value: StaticValue): void => {
    // An array entry bundles all its modules; the last one's exports are the bundle's exports.
    const v = Array.isArray(value) ? value[value.length - 1] : isStaticObject(value) ? value['import'] : value;
    const file = v === undefined ? null : pathOf(Array.isArray(v) ? v[v.length - 1] : v, dir);
    if (file !== null) entries.set(name, file);
  };
  if (typeof entry === 'string' || entry instanceof AnchoredPath || Array.isArray(entry)) addEntry('main', entry);
  else if (isStaticObject(entry)) for (const [name, value] of Object.entries(entry)) addEntry(name, value);
  if (entries.size === 0 || entry instanceof CallValue) {
    // Entries computed from a glob: each match is an entry named after its file (the common reduce()).
    for (const pattern of globPatterns(entryNode, sourceFile)) {
      for (const file of globFiles(ctx, dir, pattern)) entries.set(stripExtension(baseName(file)), file);
    }
  }
  const out: BuildOutput[] = [];
  for (const [name, source] of entries) {
    const resolved = findSource(ctx.fileSet, stripExtension(source)) ?? (ctx.fileSet.has(source) ? source : null);
    if (resolved === null) continue;
    const outFile = filename.replace(/\[name\]/g, name);
    out.push({ outStem: stripExtension(joinRel(outDir, outFile)), source: resolved, via: rel, tool: 'webpack' });
  }
  return out;
}

/** An esbuild build script (`esbuild.mjs`, `build.js`) calling `build({ entryPoints, outdir | outfile })`. */
function esbuildScriptOutputs(ctx: DiscoverContext, rel: string): BuildOutput[] {
  const text = ctx.read(rel);
  if (text === undefined || !text.includes('entryPoints')) return [];
  const sourceFile = parseSource(rel, text);
  const config = findConfigObject(sourceFile, 'entryPoints');
  if (config === null) return [];
  const value = new StaticEvaluator(sourceFile, { fileRel: rel }).evaluate(config);
  if (!isStaticObject(value)) return [];
  const dir = dirOf(rel);
  const raw = value['entryPoints'];
  const entries: Array<[string | null, string]> = [];
  if (Array.isArray(raw))
    for (const e of raw) {
      const p = pathOf(e, dir);
      if (p !== null) entries.push([null, p]);
    }
  else if (isStaticObject(raw))
    for (const [name, e] of Object.entries(raw)) {
      const p = pathOf(e, dir);
      if (p !== null) entries.push([name, p]);
    }
  const outdir = value['outdir'] === undefined ? null : pathOf(value['outdir'], dir);
  const outfile = value['outfile'] === undefined ? null : pathOf(value['outfile'], dir);
  return esbuildEntries(ctx, entries, outdir, outfile, `${rel} entryPoints`);
}

/** esbuild names outputs after the entry's path below the entries' lowest common folder (its `outbase`). */
function esbuildEntries(
  ctx: DiscoverContext,
  entries: Array<[string | null, string]>,
  outdir: string | null,
  outfile: string | null,
  via: string,
): BuildOutput[] {
  const out: BuildOutput[] = [];
  const files = entries.map(([, f]) => f);
  const outbase = commonDir(files.map((f) => dirOf(f)));
  for (const [name, file] of entries) {
    const source = findSource(ctx.fileSet, stripExtension(file)) ?? (ctx.fileSet.has(file) ? file : null);
    if (source === null) continue;
    if (outfile !== null && entries.length === 1) out.push({ outStem: stripExtension(outfile), source, via, tool: 'esbuild' });
    else if (outdir !== null) {
      const relName = name ?? stripExtension(outbase === '' ? file : file.slice(outbase.length + 1));
      out.push({ outStem: joinRel(outdir, relName), source, via, tool: 'esbuild' });
    }
  }
  return out;
}

function commonDir(dirs: readonly string[]): string {
  const [first, ...rest] = dirs;
  if (first === undefined) return '';
  let parts = first === '' ? [] : first.split('/');
  for (const d of rest) {
    const other = d === '' ? [] : d.split('/');
    let i = 0;
    while (i < parts.length && parts[i] === other[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/');
}

/** Splits a shell command line into words (quotes kept together); enough for npm scripts. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** `ncc build src/lambda.ts -o dist/lambda` and `esbuild src/a.ts --bundle --outdir=dist` in npm scripts. */
function scriptOutputs(ctx: DiscoverContext, rel: string): BuildOutput[] {
  const text = ctx.read(rel);
  if (text === undefined || !/\b(ncc|esbuild)\b/.test(text)) return [];
  const out: BuildOutput[] = [];
  for (const [scriptName, script] of Object.entries(packageScripts(ctx, rel))) {
    if (typeof script === 'string') out.push(...commandOutputs(ctx, script, dirOf(rel), `${rel} script "${scriptName}"`));
  }
  return out;
}

/** Shell steps of a script: `&&`, `||`, `;`, newlines and `\` continuations. */
function shellSteps(script: string): string[] {
  return script
    .replace(/\\\r?\n/g, ' ')
    .split(/&&|\|\||;|\r?\n/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** `ncc build src/lambda.ts -o dist/lambda` and `esbuild src/a.ts --bundle --outdir=dist` run in `dir`. */
function commandOutputs(ctx: DiscoverContext, script: string, dir: string, via: string): BuildOutput[] {
  const out: BuildOutput[] = [];
  for (const command of shellSteps(script)) {
    const w = words(command);
    const tool = w.findIndex((x) => x === 'ncc' || x === 'esbuild' || x.endsWith('/ncc') || x.endsWith('/esbuild'));
    if (tool < 0) continue;
    const args = w.slice(tool + 1);
    if (w[tool]?.endsWith('ncc') === true) {
      if (args[0] !== 'build' || args[1] === undefined) continue;
      const o = args.findIndex((a) => a === '-o' || a === '--out');
      const outDir = o >= 0 && args[o + 1] !== undefined ? joinRel(dir, args[o + 1] ?? '') : joinRel(dir, 'dist');
      const source = findSource(ctx.fileSet, stripExtension(joinRel(dir, args[1])));
      // ncc always writes `<out>/index.js`.
      if (source !== null) out.push({ outStem: joinRel(outDir, 'index'), source, via, tool: 'ncc' });
      continue;
    }
    const entries: Array<[string | null, string]> = [];
    let outdir: string | null = null;
    let outfile: string | null = null;
    for (const a of args) {
      if (a.startsWith('--outdir=')) outdir = joinRel(dir, a.slice('--outdir='.length));
      else if (a.startsWith('--outfile=')) outfile = joinRel(dir, a.slice('--outfile='.length));
      else if (!a.startsWith('-') && HANDLER_EXTENSIONS.includes(extensionOf(a))) {
        if (a.includes('*')) for (const f of globFiles(ctx, dir, a)) entries.push([null, f]);
        else entries.push([null, joinRel(dir, a)]);
      }
    }
    out.push(...esbuildEntries(ctx, entries, outdir, outfile, via));
  }
  return out;
}

/**
 * A build script that lives outside package.json (a Terraform `local-exec` command, run in `cwd`): its
 * bundler outputs and zip steps join the ones read from the tree, for every later mapping in this discovery.
 */
export function registerBuildScript(ctx: DiscoverContext, script: string, cwd: string, via: string): void {
  const index = buildIndex(ctx);
  index.outputs.push(...commandOutputs(ctx, script, cwd, via));
  index.archives.push(...shellArchives(script, cwd, via));
}

function packageScripts(ctx: DiscoverContext, rel: string): Record<string, unknown> {
  const text = ctx.read(rel);
  if (text === undefined) return {};
  try {
    const pkg: unknown = JSON.parse(text);
    return isRecord(pkg) && isRecord(pkg['scripts']) ? pkg['scripts'] : {};
  } catch {
    return {};
  }
}

const ZIP_FLAGS_WITH_VALUE = new Set(['-x', '--exclude', '-i', '--include', '-b', '-n', '-P', '--password', '-t', '-tt']);

/**
 * Zip steps in npm scripts, with the folder each archive's root is: the script's `cd` steps decide the
 * working folder; `zip -r out.zip .` (or `*`) packs that folder at the root, `zip -r out.zip dist` packs it
 * under `dist/` (the root is the working folder), `zip -j` drops folders (the root is the input's folder).
 * `bestzip out.zip <inputs>` reads the same way.
 */
function scriptArchives(ctx: DiscoverContext, rel: string): ArchiveSource[] {
  const out: ArchiveSource[] = [];
  for (const [scriptName, script] of Object.entries(packageScripts(ctx, rel))) {
    if (typeof script === 'string' && /\b(zip|bestzip)\b/.test(script))
      out.push(...shellArchives(script, dirOf(rel), `${rel} script "${scriptName}"`));
  }
  return out;
}

function shellArchives(script: string, dir: string, via: string): ArchiveSource[] {
  const out: ArchiveSource[] = [];
  let cwd = dir;
  for (const command of shellSteps(script)) {
    const w = words(command);
    if (w[0] === 'cd' && w[1] !== undefined) {
      cwd = joinRel(cwd, w[1]);
      continue;
    }
    const tool = w.findIndex((x) => x === 'zip' || x === 'bestzip' || x.endsWith('/bestzip'));
    if (tool < 0) continue;
    const args = w.slice(tool + 1);
    const junk = args.some((a) => /^-[a-zA-Z]*j/.test(a) && !a.startsWith('--'));
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      if (ZIP_FLAGS_WITH_VALUE.has(a)) {
        // `-x pattern...` takes the rest of the line as patterns.
        if (a === '-x' || a === '--exclude' || a === '-i' || a === '--include') break;
        i++;
      } else if (!a.startsWith('-')) positional.push(a);
    }
    const [zip, ...inputs] = positional;
    if (zip === undefined || !zip.endsWith('.zip') || zip.startsWith('/')) continue;
    const first = inputs[0] ?? '.';
    const whole = first === '.' || first === '*' || first === './*' || first === './';
    const inputRel = joinRel(cwd, first);
    const root = whole ? cwd : junk ? (extensionOf(inputRel) !== '' ? dirOf(inputRel) : inputRel) : cwd;
    out.push({ zip: joinRel(cwd, zip), dir: root, via });
  }
  return out;
}

function tscMapping(ctx: DiscoverContext, rel: string): TscMapping | null {
  const text = ctx.read(rel);
  if (text === undefined || !text.includes('outDir')) return null;
  const parsed: unknown = tsconfigJson(rel, text);
  const options = isRecord(parsed) && isRecord(parsed['compilerOptions']) ? parsed['compilerOptions'] : null;
  if (options === null || typeof options['outDir'] !== 'string') return null;
  const dir = dirOf(rel);
  let rootDir = typeof options['rootDir'] === 'string' ? joinRel(dir, options['rootDir']) : null;
  if (rootDir === null) {
    // Without rootDir tsc uses the common folder of the inputs; `include: ["src"]` makes that src/.
    const include = isRecord(parsed) && Array.isArray(parsed['include']) ? parsed['include'].filter((i): i is string => typeof i === 'string') : [];
    const roots = [...new Set(include.map((i) => i.split('/').filter((s) => s !== '.' && !s.includes('*'))[0] ?? ''))];
    rootDir = roots.length === 1 && roots[0] !== undefined && extensionOf(roots[0]) === '' ? joinRel(dir, roots[0]) : dir;
  }
  return { outDir: joinRel(dir, options['outDir']), rootDir, via: rel };
}
