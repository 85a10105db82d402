import type { HandlerMapping, UnresolvedReason } from '../model/result.js';
import { isOutsideRoot, joinRel, stripExtension, extensionOf } from './paths.js';

/** TypeScript first: when a stem exists as both, the `.js` is usually the compiled twin of the `.ts`. */
export const HANDLER_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
const TS_EXTENSIONS: ReadonlySet<string> = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Directory names that hold build output rather than sources. `lib` only counts when a `src/` twin exists. */
const BUILD_DIRS: ReadonlySet<string> = new Set(['dist', 'build', '.build', '.webpack', '.esbuild', '.aws-sam', 'lib']);

export interface MappedHandler {
  file: string | null;
  mapping: HandlerMapping;
  mappingNote?: string;
  reason?: UnresolvedReason;
  /** Something the reader should know even though the mapping is exact. */
  warning?: string;
}

export interface SplitHandler {
  /** Module path as written, relative to the handler's base directory. */
  stem: string;
  /** Function name Lambda calls; may be dotted (`handlers.create`) as the Node runtime allows. */
  exportName: string;
}

/**
 * Splits `src/handlers/create.handler` the way the Node.js runtime does: the module is the part of
 * the last path segment before its first dot, everything after that dot is the function.
 */
export function splitHandler(declared: string): SplitHandler {
  const slash = declared.lastIndexOf('/');
  const dot = declared.indexOf('.', slash + 1);
  if (dot < 0) return { stem: declared, exportName: '' };
  return { stem: declared.slice(0, dot), exportName: declared.slice(dot + 1) };
}

interface StemHit {
  file: string;
  /** A compiled `.js` twin that was passed over in favour of the `.ts` source. */
  shadowed?: string;
}

function findByStem(files: ReadonlySet<string>, stem: string): StemHit | null {
  for (const base of [stem, `${stem}/index`]) {
    // Asked for every declared handler and every candidate path: a loop, not a mapped and filtered copy.
    let first: string | undefined;
    let firstIsTs = false;
    let shadowed: string | undefined;
    for (const ext of HANDLER_EXTENSIONS) {
      const f = base + ext;
      if (!files.has(f)) continue;
      const isTs = TS_EXTENSIONS.has(ext);
      if (first === undefined) {
        first = f;
        firstIsTs = isTs;
      }
      if (shadowed === undefined && !isTs) shadowed = f;
    }
    if (first === undefined) continue;
    if (firstIsTs && shadowed !== undefined) return { file: first, shadowed };
    return { file: first };
  }
  return null;
}

/** Source candidates for a path that runs through a build directory, most likely first. */
function buildOutputCandidates(stem: string): string[] {
  const segments = stem.split('/');
  const out: string[] = [];
  segments.forEach((segment, i) => {
    if (!BUILD_DIRS.has(segment) || i === segments.length - 1) return;
    const prefix = segments.slice(0, i).join('/');
    for (let j = i + 1; j < segments.length; j++) {
      const rest = segments.slice(j).join('/');
      out.push(joinRel(prefix, 'src', rest));
      // `lib/` is a source folder in many projects; only a `src/` twin makes it look like output.
      if (segment !== 'lib') out.push(joinRel(prefix, rest));
    }
  });
  return out.filter((c, i) => out.indexOf(c) === i && c !== stem);
}

function shadowWarning(hit: StemHit, declared: string): string | undefined {
  if (hit.shadowed === undefined) return undefined;
  return `both ${hit.file} and ${hit.shadowed} exist for ${declared}; using ${hit.file} (a .js beside a .ts is usually compiled output)`;
}

/**
 * Maps a root-relative module stem (no extension) to a source file in `files`: the stem itself with a
 * source extension, then `<stem>/index.*`, then, when the stem runs through build output, the same
 * path under `src/` or with the build directory removed.
 */
export function mapHandlerStem(files: ReadonlySet<string>, stem: string, declared: string): MappedHandler {
  if (isOutsideRoot(stem)) {
    return { file: null, mapping: 'unresolved', reason: 'outside_root', mappingNote: `${declared} points outside the scanned root (${stem})` };
  }
  const direct = findByStem(files, stem);
  if (direct !== null) {
    const warning = shadowWarning(direct, declared);
    return { file: direct.file, mapping: 'exact', ...(warning === undefined ? {} : { warning }) };
  }
  for (const candidate of buildOutputCandidates(stem)) {
    const hit = findByStem(files, candidate);
    if (hit === null) continue;
    const warning = shadowWarning(hit, declared);
    return {
      file: hit.file,
      mapping: 'guessed',
      mappingNote: `IaC points at build output ${stem}; mapped to ${hit.file} by name`,
      ...(warning === undefined ? {} : { warning }),
    };
  }
  return { file: null, mapping: 'unresolved', mappingNote: `no source file for ${declared}` };
}

/** Maps a root-relative file path (as a CDK `entry` names it) to a source file. */
export function mapSourceFile(files: ReadonlySet<string>, rel: string, declared: string): MappedHandler {
  if (isOutsideRoot(rel)) {
    return { file: null, mapping: 'unresolved', reason: 'outside_root', mappingNote: `${declared} points outside the scanned root (${rel})` };
  }
  if (files.has(rel)) return { file: rel, mapping: 'exact' };
  const ext = extensionOf(rel);
  if (HANDLER_EXTENSIONS.includes(ext)) return mapHandlerStem(files, stripExtension(rel), declared);
  return mapHandlerStem(files, rel, declared);
}
