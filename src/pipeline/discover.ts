import path from 'node:path';
import { discover } from '../discover/index.js';
import { DiscoveryMemo, type StoredSteps } from '../discover/memo.js';
import { listingDigest, memoPath, readMemo, writeMemo } from '../source/memo-file.js';
import type { DiscoveryResult, FunctionSpec } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';
import { compareStrings } from '../util/compare.js';
import type { ScanOptions } from './options.js';

export interface Discovered {
  discovery: DiscoveryResult;
  /** The functions in id order: every later stage keeps this order until the result is ranked. */
  specs: readonly FunctionSpec[];
}

type DiscoverStageOptions = Pick<ScanOptions, 'include' | 'exclude' | 'stage' | 'iac' | 'cache' | 'cwd'>;

/**
 * Stage 1: the functions the IaC declares (or the fallback finds), read as data from the tree. With `--cache`, the
 * steps whose reads are unchanged since the last scan of the same file list are replayed (src/discover/memo.ts).
 */
export function discoverStage(tree: SourceTree, options: DiscoverStageOptions): Discovered {
  const discoverOptions = {
    ...(options.stage !== undefined ? { stage: options.stage } : {}),
    ...(options.iac !== undefined ? { iac: options.iac } : {}),
  };
  const file = options.cache !== undefined ? discoveryMemoFile(path.resolve(options.cwd ?? '.', options.cache), tree, options) : null;
  const memo = file !== null ? new DiscoveryMemo(readSteps(file), tree) : undefined;
  const discovery = discover({
    tree,
    ...(options.include !== undefined ? { include: options.include } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    options: discoverOptions,
    ...(memo !== undefined ? { memo } : {}),
  });
  if (file !== null && memo !== undefined && memo.stats.computed > 0)
    writeMemo(file, { magic: MAGIC, format: FORMAT, steps: memo.steps() }, KEEP_FILES);
  return { discovery, specs: [...discovery.functions].sort((a, b) => compareStrings(a.id, b.id)) };
}

const MAGIC = 'lambda-migrate/discovery-memo';
const FORMAT = 1;
const KEEP_FILES = 32;

/** The memo for this tool build, these discovery options and this exact file list. */
function discoveryMemoFile(cacheDir: string, tree: SourceTree, options: DiscoverStageOptions): string {
  const asked = JSON.stringify([options.include ?? null, options.exclude ?? null, options.stage ?? null, options.iac ?? null]);
  return memoPath(cacheDir, `discovery-v${FORMAT}`, MAGIC, FORMAT, [asked, listingDigest(tree.files)]);
}

function readSteps(file: string): StoredSteps | null {
  const value = readMemo(file, MAGIC, FORMAT);
  const steps = value?.['steps'];
  return typeof steps === 'object' && steps !== null && !Array.isArray(steps) ? (steps as StoredSteps) : null;
}
