import { createHash } from 'node:crypto';
import type { FactStore } from '../graph/fact-store.js';
import type { FileFacts } from '../graph/facts.js';
import { HandlerMemo, type GraphFile } from '../graph/handler-memo.js';
import type { ModuleResolver } from '../graph/resolve.js';
import type { FunctionSpec, Skipped } from '../model/result.js';
import { RecordingTree } from '../source/recording-tree.js';
import type { SourceTree } from '../source/tree.js';
import { isSourceFile } from '../source/walk.js';
import type { Discovered } from './discover.js';
import { compareStrings } from '../util/compare.js';
import type { Settings } from './settings.js';

/**
 * The cached re-scan (`--cache`): a memo of per-handler results (src/graph/handler-memo.ts) and the recording tree
 * that notes what the graph and the engine ask of the world, so the memo can tell which handlers a change reaches.
 */
export interface Reuse {
  memo: HandlerMemo;
  /** The tree the graph and analyse stages read through. */
  tree: RecordingTree;
  /** The spec digest of each function, in `Discovered.specs` order; null when its result is not kept (no handler file, a shared id). */
  specs: readonly (string | null)[];
}

export function openReuse(cacheDir: string, tree: SourceTree, found: Discovered, settings: Settings): Reuse {
  const recording = new RecordingTree(tree, (rel) => isSourceFile(rel) && tree.has(rel));
  const memo = HandlerMemo.open(cacheDir, { settings: settingsDigest(settings), service: serviceDigest(found.specs) });
  memo.begin(recording);
  const counts = new Map<string, number>();
  for (const s of found.specs) counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
  const specs = found.specs.map((s) => (s.handler.file !== null && counts.get(s.id) === 1 ? sha1(JSON.stringify(s)) : null));
  return { memo, tree: recording, specs };
}

/**
 * The files of a handler's import graph by every edge (what the graph stage loads for it): each with its line count,
 * or why it was skipped. Files the resolver finds that are not sources (JSON) are listed too: their content is part
 * of what the handler's result depends on. `alsoRead` are the other source files the scan loaded for this handler
 * (those its findings are in, for their suppression comments: a CDK stack a finding points at): listed the same way,
 * and not followed.
 */
export function graphFiles(handlerFile: string, facts: FactStore, resolver: ModuleResolver, alsoRead: Iterable<string> = []): GraphFile[] {
  const skippedBy = new Map<string, Skipped>();
  for (const s of facts.skipped) if (!skippedBy.has(s.file)) skippedBy.set(s.file, s);
  const seen = new Set([handlerFile]);
  const queue = [handlerFile];
  const out: GraphFile[] = [];
  const list = (file: string): FileFacts | undefined => {
    const f = facts.entries().get(file);
    out.push({ file, lines: f?.lines ?? null, skipped: f ? null : (skippedBy.get(file) ?? null) });
    return f;
  };
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] as string;
    const f = list(file);
    for (const imp of f?.imports ?? []) {
      const r = resolver.resolveImport(file, imp);
      if (r.kind !== 'file' || seen.has(r.file)) continue;
      seen.add(r.file);
      queue.push(r.file);
    }
  }
  for (const file of alsoRead) {
    if (seen.has(file) || !isSourceFile(file)) continue;
    seen.add(file);
    list(file);
  }
  return out;
}

/** Everything of the settings a handler's result can depend on (the baseline is applied afterwards, to all). */
function settingsDigest(settings: Settings): string {
  const { engine } = settings;
  return sha1(
    JSON.stringify({
      config: settings.config,
      rules: engine.rules.map((r) => r.meta.id),
      options: [...engine.ruleOptions],
      analyses: engine.analyses.map((a) => [a.analysis.meta.id, a.options]),
      catalog: settings.catalog,
    }),
  );
}

/** Which service this is, independent of where it is checked out: the IaC files that declare its functions. */
function serviceDigest(specs: readonly FunctionSpec[]): string {
  return sha1([...new Set(specs.map((s) => s.declaredIn.file))].sort(compareStrings).join('\0'));
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
