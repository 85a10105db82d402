/**
 * Where a Terraform-declared function's code is and how it ships: `archive_file` sources, prebuilt zips
 * written by the repository's own npm scripts, `terraform-aws-modules/lambda` `source_path` forms; then the
 * handler mapped inside that code, and the packaging (bundled by a mapped bundler, or the files as they are).
 */
import type { Packaging } from '../model/result.js';
import { explainBuildOutput, mapArchive, mapBuildOutput, mapDeclaredStem } from './build-map.js';
import { someFileStartsWith } from './file-index.js';
import { mapHandlerStem, splitHandler } from './handler-map.js';
import type { MappedHandler } from './handler-map.js';
import { baseName, dirOf, extensionOf, joinRel, stripExtension } from './paths.js';
import type { DiscoverContext } from './types.js';

/** One place the code may be: a folder at the zip's root, or the single file the zip holds. */
export interface CodeLocation {
  dir?: string;
  file?: string;
  /** Prefix the archive puts before the folder's files (`prefix_in_zip`). */
  prefix?: string;
  /** Why the handler is looked up there when it is a convention rather than a fact. */
  note?: string;
  /** What packs it: `archive_file orders`, `terraform-aws-modules/lambda source_path`, an npm zip step. */
  packer: string;
  /** Where the packer is declared. */
  declaredIn?: { file: string; line: number };
  /** The packer runs a build first (module `commands`), so its output may be bundled. */
  builds?: boolean;
}

export interface MappedCode {
  mapped: MappedHandler;
  packaging: Packaging;
}

/** The handler in a code location, and the packaging that location implies. */
export function mapInCode(ctx: DiscoverContext, code: CodeLocation, handler: string): MappedCode {
  const mapped = mapHandler(ctx, code, handler);
  return { mapped: mapped.mapped, packaging: packagingOf(ctx, code, mapped) };
}

function mapHandler(ctx: DiscoverContext, code: CodeLocation, handler: string): { mapped: MappedHandler; stem: string } {
  let { stem } = splitHandler(handler);
  if (code.prefix !== undefined && code.prefix !== '') {
    const prefix = code.prefix.replace(/\/+$/, '');
    if (stem.startsWith(`${prefix}/`)) stem = stem.slice(prefix.length + 1);
  }
  if (code.file !== undefined) {
    // A zip of one file holds it at its root: the handler's module must be that file's name.
    const outStem = stripExtension(code.file);
    if (stripExtension(baseName(code.file)) !== stem) {
      return {
        stem: outStem,
        mapped: { file: null, mapping: 'unresolved', mappingNote: `handler ${handler} does not name the packaged file ${code.file}` },
      };
    }
    if (ctx.fileSet.has(code.file) && extensionOf(code.file) !== '') {
      const direct = mapHandlerStem(ctx.fileSet, outStem, handler);
      if (direct.mapping === 'exact') return { stem: outStem, mapped: direct };
    }
    return { stem: outStem, mapped: mapBuildOutput(ctx, outStem, handler) ?? mapDeclaredStem(ctx, outStem, handler) };
  }
  const full = joinRel(code.dir ?? '', stem);
  const mapped = mapDeclaredStem(ctx, full, handler);
  if (mapped.mapping === 'exact' && code.note !== undefined) return { stem: full, mapped: { ...mapped, mapping: 'guessed', mappingNote: code.note } };
  return { stem: full, mapped };
}

function packagingOf(ctx: DiscoverContext, code: CodeLocation, got: { mapped: MappedHandler; stem: string }): Packaging {
  const where = code.declaredIn === undefined ? {} : { declaredIn: code.declaredIn };
  const { mapped, stem } = got;
  if (mapped.mapping === 'mapped') {
    const how = explainBuildOutput(ctx, stem);
    if (how !== null && how.tool !== null && how.tool !== 'tsc') {
      return { form: 'bundled', tool: how.tool, basis: `${code.packer} packs ${how.tool} output of ${how.source} (${how.via})`, ...where };
    }
    if (how?.tool === 'tsc')
      return { form: 'unbundled', tool: null, basis: `${code.packer} packs tsc output (${how.via}), which is not bundled`, ...where };
  }
  if (mapped.mapping === 'exact' && code.builds !== true) {
    return { form: 'unbundled', tool: null, basis: `${code.packer} packs ${code.dir === '' ? '.' : (code.dir ?? code.file ?? '')} as is`, ...where };
  }
  return { form: 'unknown', tool: null, basis: `${code.packer}: what builds the packaged code is not known`, ...where };
}

/**
 * A prebuilt zip's contents: what an npm zip step packs into it, else by convention the folder of the same
 * name beside it, else its own folder.
 */
export function zipLocation(ctx: DiscoverContext, zip: string, packer: string): CodeLocation {
  const fromScript = mapArchive(ctx, zip);
  if (fromScript !== null) return { dir: fromScript.dir, packer: `${fromScript.via} zip step` };
  const twin = stripExtension(zip);
  const hasTwin = someFileStartsWith(ctx.fileSet, `${twin}/`);
  const dir = hasTwin ? twin : dirOf(zip);
  return { dir, packer, note: `code is the prebuilt archive ${zip}; handler looked up in ${dir || '.'} by convention` };
}

/**
 * terraform-aws-modules/lambda `commands` run in the source_path folder: `cd x` moves, `:zip` packs the
 * working folder, `:zip src prefix` packs `src` under `prefix`. Returns the packed folder and prefix.
 */
export function moduleCommands(base: string, commands: readonly string[]): { dir: string; prefix?: string; builds: boolean } {
  let cwd = base;
  let dir = base;
  let prefix: string | undefined;
  let builds = false;
  for (const command of commands) {
    const w = command.trim().split(/\s+/);
    if (w[0] === 'cd' && w[1] !== undefined) cwd = joinRel(cwd, w[1]);
    else if (w[0] === ':zip') {
      dir = w[1] === undefined ? cwd : joinRel(cwd, w[1]);
      if (w[2] !== undefined) prefix = w[2];
    } else if (/\b(run|build|esbuild|webpack|ncc|tsc|rollup)\b/.test(command)) builds = true;
  }
  return prefix === undefined ? { dir, builds } : { dir, prefix, builds };
}
