import { discover } from '../discover/index.js';
import type { DiscoveryResult, FunctionSpec } from '../model/result.js';
import type { SourceTree } from '../source/tree.js';
import { compareStrings } from '../util/compare.js';
import type { ScanOptions } from './options.js';

export interface Discovered {
  discovery: DiscoveryResult;
  /** The functions in id order: every later stage keeps this order until the result is ranked. */
  specs: readonly FunctionSpec[];
}

/** Stage 1: the functions the IaC declares (or the fallback finds), read as data from the tree. */
export function discoverStage(tree: SourceTree, options: ScanOptions): Discovered {
  const discovery = discover({
    tree,
    ...(options.include !== undefined ? { include: options.include } : {}),
    ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
    options: { ...(options.stage !== undefined ? { stage: options.stage } : {}), ...(options.iac !== undefined ? { iac: options.iac } : {}) },
  });
  return { discovery, specs: [...discovery.functions].sort((a, b) => compareStrings(a.id, b.id)) };
}
