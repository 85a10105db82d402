import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import type { DiscoveryResult, FunctionSpec, UnreferencedHandler } from '../model/result.js';
import { architectProvider } from './architect.js';
import { cdkOutProvider, dropSynthesisedTwins } from './cdk-out.js';
import { cdkProvider } from './cdk.js';
import { cdkPythonProvider } from './cdk-python.js';
import { fallbackProvider, fallbackSpec, findUnreferenced } from './fallback.js';
import { dirOf } from './paths.js';
import { projectDir, pulumiProvider } from './pulumi.js';
import { samProvider } from './sam.js';
import { serverlessProvider } from './serverless.js';
import { StepRecorder, type DiscoveryMemo } from './memo.js';
import { recordNotAnalysed } from './spec.js';
import { sstProvider } from './sst.js';
import { terraformProvider } from './terraform.js';
import type { DiscoverContext, DiscoverOptions, DiscoveryProviderModule, DiscoverySink } from './types.js';
import { guardParse } from '../util/input-guard.js';
import type { SourceTree } from '../source/tree.js';

export type { DiscoverContext, DiscoverOptions, DiscoveryProviderModule, DiscoverySink } from './types.js';

export interface DiscoverInput {
  /** The scanned service: its listed files, and the reads (each file read once, whoever asks). */
  tree: SourceTree;
  /** `--include` globs (root-relative): only IaC and handler candidates that match are read. */
  include?: readonly string[];
  /** `--exclude` globs (root-relative): IaC and handler candidates that match are not read. */
  exclude?: readonly string[];
  options?: DiscoverOptions;
  /**
   * With `--cache`: each step's output from the last scan of this file list with these options, replayed when what the
   * step read is unchanged (src/discover/memo.ts); what this scan produced is left in it for the caller to save.
   */
  memo?: DiscoveryMemo;
}

/** IaC providers, each one module; the fallback runs only when none of them declares a function. */
export const IAC_PROVIDERS: readonly DiscoveryProviderModule[] = [
  serverlessProvider,
  samProvider,
  cdkProvider,
  cdkOutProvider,
  cdkPythonProvider,
  terraformProvider,
  sstProvider,
  architectProvider,
  pulumiProvider,
];

/** Names `--iac` accepts; `cloudformation` is read by the SAM provider, `cdk` includes `cdk.out`. */
export const IAC_KINDS: readonly string[] = ['serverless', 'sam', 'cloudformation', 'cdk', 'terraform', 'sst', 'architect', 'pulumi', 'fallback'];

function selected(kinds: readonly string[] | undefined, provider: string): boolean {
  if (kinds === undefined) return true;
  if (provider === 'sam') return kinds.includes('sam') || kinds.includes('cloudformation');
  if (provider === 'cdk-out' || provider === 'cdk-python') return kinds.includes('cdk');
  return kinds.includes(provider);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isNodeRuntime(runtime: string | null): boolean {
  return runtime === null || runtime.startsWith('nodejs');
}

function globFilter(include: readonly string[] | undefined, exclude: readonly string[] | undefined): (rel: string) => boolean {
  const inc = include !== undefined && include.length > 0 ? picomatch([...include], { dot: true }) : null;
  const exc = exclude !== undefined && exclude.length > 0 ? picomatch([...exclude], { dot: true }) : null;
  return (rel) => (inc === null || inc(rel)) && (exc === null || !exc(rel));
}

/**
 * Finds the Lambda functions a tree declares, reading IaC as data (nothing is executed). A file that
 * cannot be read or parsed is listed in `skipped` and discovery goes on with the rest.
 */
export function discover(input: DiscoverInput): DiscoveryResult {
  const sink: DiscoverySink = { functions: [], iacFiles: [], skipped: [], warnings: [], notAnalysed: [] };
  const cache = new Map<string, string | undefined>();
  const keep = globFilter(input.include, input.exclude);
  const options = input.options ?? {};
  const lastRead: { file: string | null } = { file: null };
  const memo = input.memo;
  // The step running now, with the memo: every read and listing it asks for is noted, cache hits included.
  const slot: StepSlot = { recorder: null };
  const ctx: DiscoverContext = {
    files: input.tree.files.filter(keep),
    fileSet: new Set(input.tree.files),
    sink,
    options,
    read(rel: string): string | undefined {
      lastRead.file = rel;
      slot.recorder?.note('r', rel);
      if (cache.has(rel)) return cache.get(rel);
      let text: string | undefined;
      try {
        text = input.tree.read(rel);
      } catch (error) {
        sink.skipped.push({ file: rel, reason: 'read_error', detail: error instanceof Error ? error.message : String(error) });
      }
      cache.set(rel, text);
      return text;
    },
    readIf(rel: string, gates: readonly RegExp[]): string | undefined {
      const recorder = slot.recorder;
      slot.recorder = null;
      let text: string | undefined;
      try {
        text = ctx.read(rel);
      } finally {
        slot.recorder = recorder;
      }
      const pass = text !== undefined && gates.every((g) => g.test(text));
      // A failed read is kept as the read it is (it left a read_error behind): a file that becomes readable reruns.
      if (pass || text === undefined) recorder?.note('r', rel);
      else recorder?.noteGated(rel, gates);
      return pass ? text : undefined;
    },
    listPruned(rel: string): readonly string[] {
      slot.recorder?.note('l', rel);
      return input.tree.list(rel) ?? [];
    },
  };
  const stepper: Stepper = { memo, slot, tree: input.tree };
  for (const provider of IAC_PROVIDERS) {
    if (!selected(options.iac, provider.name)) continue;
    sinkStep(stepper, sink, `provider:${provider.name}`, () => {
      // One pathological IaC file (nested deeper than the stack, a walker's bug) stops that provider, not the scan:
      // the file it was reading is skipped with the reason, what the provider found before stays.
      const guarded = guardParse(() => provider.discover(ctx));
      if (guarded.ok) return true;
      const file = lastRead.file ?? '(unknown)';
      sink.skipped.push({ file, reason: guarded.reason, detail: `${provider.name} discovery stopped here: ${guarded.detail}` });
      return false;
    });
  }
  dropSynthesisedTwins(sink);
  sink.functions = sink.functions.map(withoutSelfGuess);

  // This tool measures Node.js init; other runtimes in the same IaC are reported, not analysed.
  const declared: FunctionSpec[] = [];
  for (const spec of sink.functions) {
    if (isNodeRuntime(spec.runtime)) declared.push(spec);
    else recordNotAnalysed(sink, spec, 'runtime', spec.runtime ?? '', `runtime ${spec.runtime ?? ''} is not Node.js; not analysed`);
  }
  sink.functions = declared;

  let unreferenced: UnreferencedHandler[] = [];
  if (sink.functions.length === 0 && sink.iacFiles.length === 0) {
    if (selected(options.iac, 'fallback')) {
      sinkStep(stepper, sink, 'fallback', () => {
        fallbackProvider.discover(ctx);
        return true;
      });
    }
    if (sink.functions.length > 0) {
      sink.warnings.push('no IaC declares a Lambda function; handlers were guessed from files that export `handler`');
    }
  } else {
    unreferenced = step(stepper, 'unreferenced', handlersDigest(sink.functions), () => findUnreferenced(ctx, sink.functions));
    // Pulumi programs build functions in ways a static read often cannot follow (loops over config, helpers in
    // other packages): handler files no declaration names are more likely deployed than left over, so analyse them.
    // Not a file another IaC project claims: in a repository of many projects side by side, a CDK or SAM project's
    // unreferenced files are that project's leftovers, not Pulumi's.
    const claimed = sink.functions.some((f) => f.provider === 'pulumi') ? claimedByOtherIac(ctx, sink.functions) : null;
    const inPulumi = claimed === null ? [] : unreferenced.filter((u) => !claimed(u.file));
    if (inPulumi.length > 0 && selected(options.iac, 'fallback')) {
      for (const u of inPulumi) sink.functions.push(fallbackSpec(u.file, u.line));
      sink.warnings.push(
        `pulumi: ${inPulumi.length} file(s) export \`handler\` but no Pulumi declaration read here names them; analysed as guessed functions (provider fallback)`,
      );
      unreferenced = unreferenced.filter((u) => !inPulumi.includes(u));
    }
  }

  const seen = new Map<string, number>();
  for (const spec of sink.functions) {
    const count = seen.get(spec.id) ?? 0;
    seen.set(spec.id, count + 1);
    if (count > 0) {
      // Two constructs with the same id in one file (different scopes): keep both, told apart by line.
      const original = spec.id;
      spec.id = `${original}@${spec.declaredIn.line}`;
      sink.warnings.push(`${original}: declared more than once; this one is listed as ${spec.id}`);
    }
  }

  return {
    functions: [...sink.functions].sort((a, b) => compare(a.id, b.id)),
    iacFiles: [...new Set(sink.iacFiles)].sort(compare),
    skipped: [...sink.skipped].sort((a, b) => compare(a.file, b.file) || compare(a.reason, b.reason)),
    warnings: sink.warnings,
    unreferenced,
    notAnalysed: [...sink.notAnalysed].sort((a, b) => compare(a.id, b.id)),
  };
}

interface StepSlot {
  recorder: StepRecorder | null;
}

interface Stepper {
  memo: DiscoveryMemo | undefined;
  slot: StepSlot;
  tree: DiscoverInput['tree'];
}

/**
 * Runs one discovery step, or replays it from the memo when its input and everything it read are unchanged. `run`
 * returns null for an output not to keep (a step that stopped on a guarded failure).
 */
function step<T>(stepper: Stepper, name: string, input: string, run: () => T | null): T {
  const { memo, slot } = stepper;
  if (memo === undefined) return run() as T;
  const kept = memo.recall(name, input);
  if (kept !== undefined) return kept as T;
  const recorder = new StepRecorder(stepper.tree);
  slot.recorder = recorder;
  let out: T | null;
  try {
    out = run();
  } finally {
    slot.recorder = null;
  }
  if (out !== null) memo.keep(name, recorder, input, out);
  return out as T;
}

type SinkPart = Pick<DiscoverySink, 'functions' | 'iacFiles' | 'skipped' | 'warnings' | 'notAnalysed'>;
const SINK_KEYS = ['functions', 'iacFiles', 'skipped', 'warnings', 'notAnalysed'] as const;

/** A step whose output is what it adds to the sink: kept as those additions, replayed by adding them again. */
function sinkStep(stepper: Stepper, sink: DiscoverySink, name: string, run: () => boolean): void {
  const mark = SINK_KEYS.map((k) => sink[k].length);
  let ran = false;
  const part = step<SinkPart>(stepper, name, '', () => {
    ran = true;
    return run() ? (Object.fromEntries(SINK_KEYS.map((k, i) => [k, sink[k].slice(mark[i])])) as SinkPart) : null;
  });
  if (ran) return;
  for (const k of SINK_KEYS) (sink[k] as unknown[]).push(...part[k]);
}

/** The declared handlers the unreferenced search leaves out, as one digest. */
function handlersDigest(functions: readonly FunctionSpec[]): string {
  const keys = functions.map((f) => `${f.handler.file ?? ''}#${f.handler.export}`).sort(compare);
  return createHash('sha1').update(keys.join('\0')).digest('base64');
}

/** The project a declaration belongs to: the nearest folder with a cdk.json or a package.json, else the file's own. */
function projectRootOf(ctx: Pick<DiscoverContext, 'fileSet'>, file: string): string {
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    if (ctx.fileSet.has(dir === '' ? 'cdk.json' : `${dir}/cdk.json`) || ctx.fileSet.has(dir === '' ? 'package.json' : `${dir}/package.json`))
      return dir;
    if (dir === '') return dirOf(file);
  }
}

/**
 * Whether a handler file lies in the project of a non-Pulumi declaration (a CDK app's, a template's folder) that is
 * not also above a Pulumi project: there it belongs to that project, not to a Pulumi program elsewhere in the tree.
 */
function claimedByOtherIac(ctx: DiscoverContext, functions: readonly FunctionSpec[]): (file: string) => boolean {
  const under = (dir: string, rel: string): boolean => dir === '' || rel === dir || rel.startsWith(`${dir}/`);
  const pulumiDirs = [...new Set(functions.filter((f) => f.provider === 'pulumi').map((f) => projectDir(ctx, f.declaredIn.file)))];
  const otherDirs = [
    ...new Set(functions.filter((f) => f.provider !== 'pulumi' && f.provider !== 'fallback').map((f) => projectRootOf(ctx, f.declaredIn.file))),
  ].filter((dir) => !pulumiDirs.some((p) => under(dir, p)));
  return (file) => otherDirs.some((dir) => under(dir, file));
}

/**
 * A by-name guess from build output back to a source that lands on the very file declaring the function (a CDK stack
 * at src/api/index.ts whose asset is src/api/dist with handler index.X) is the IaC program, never its handler:
 * unresolved, saying so, rather than an init closure built from the CDK code.
 */
function withoutSelfGuess(spec: FunctionSpec): FunctionSpec {
  const { handler } = spec;
  if (handler.mapping !== 'guessed' || handler.file !== spec.declaredIn.file) return spec;
  return {
    ...spec,
    handler: {
      file: null,
      export: handler.export,
      declared: handler.declared,
      mapping: 'unresolved',
      reason: 'handler_not_found',
      mappingNote: `${handler.declared} names build output whose only same-named source is ${handler.file}, the IaC program that declares it; the source it is built from was not found`,
    },
  };
}
