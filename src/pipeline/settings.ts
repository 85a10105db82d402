import { loadRules, type RuleSettings } from '../engine/run-rules.js';
import type { Rule } from '../engine/rule.js';
import { checkRuleOptions, loadConfig, mergeRuleSettings, withHeavyPackages, type ProjectConfig } from '../config/index.js';
import { loadDefaultCatalog, type Catalog } from '../graph/packages.js';
import type { SourceTree } from '../source/tree.js';
import type { ScanOptions } from './options.js';

/** What the run is configured to do, settled once before any stage runs: a bad option fails here, not midway. */
export interface Settings {
  config: ProjectConfig;
  ruleSettings: RuleSettings;
  rules: readonly Rule[];
  catalog: Catalog;
}

export async function settle(tree: SourceTree, options: ScanOptions): Promise<Settings> {
  const config = loadConfig({
    rootAbs: tree.root,
    cwd: options.cwd ?? '.',
    discover: options.config !== false,
    ...(typeof options.config === 'string' ? { explicit: options.config } : {}),
  });
  const ruleSettings = mergeRuleSettings(config, options.rules);
  const rules = await loadRules(ruleSettings);
  checkRuleOptions(config, new Map(rules.map((r) => [r.meta.id, r.meta.defaultOptions])));
  const catalog = withHeavyPackages(options.catalog ?? loadDefaultCatalog(), config.heavyPackages);
  return { config, ruleSettings, rules, catalog };
}
