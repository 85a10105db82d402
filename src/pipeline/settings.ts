import { ANALYSES } from '../analysis/index.js';
import { loadConfig, readBaselineFile, withHeavyPackages, type Baseline, type ProjectConfig } from '../config/index.js';
import { loadEngine, type Engine } from '../engine/index.js';
import { loadDefaultCatalog, type Catalog } from '../graph/packages.js';
import type { SourceTree } from '../source/tree.js';
import { RULES } from '../../rules/index.js';
import type { ScanOptions } from './options.js';

/** What the run is configured to do, settled once before any stage runs: a bad option fails here, not midway. */
export interface Settings {
  config: ProjectConfig;
  /** The rules and analyses that run, every rule id and option already checked (config file, then flags). */
  engine: Engine;
  catalog: Catalog;
  baseline: Baseline | null;
}

export async function settle(tree: SourceTree, options: ScanOptions): Promise<Settings> {
  const cwd = options.cwd ?? '.';
  const config = loadConfig({
    rootAbs: tree.root,
    tree,
    cwd,
    discover: options.config !== false,
    ...(typeof options.config === 'string' ? { explicit: options.config } : {}),
  });
  const engine = await loadEngine({ rules: RULES, analyses: ANALYSES }, { config, ...(options.rules !== undefined ? { cli: options.rules } : {}) });
  const catalog = withHeavyPackages(options.catalog ?? loadDefaultCatalog(), config.heavyPackages);
  const baseline = readBaselineFile({
    rootAbs: tree.root,
    cwd,
    fromConfig: config.baseline,
    ...(options.baseline !== undefined ? { explicit: options.baseline } : {}),
  });
  return { config, engine, catalog, baseline };
}
