import { ruleRegistry, type RuleLoaders, type RuleRegistry } from '../src/engine/registry.js';

/**
 * Every rule, loaded on demand (ESLint's lazy rule map): `--help` and `report` never pay for them.
 * Adding a rule: write rules/<id>.ts and rules/<id>.md, then add one line here.
 */
export const RULE_LOADERS: RuleLoaders = {
  'heavy-init-import': () => import('./heavy-init-import.js'),
  'aws-sdk-v2-whole': () => import('./aws-sdk-v2-whole.js'),
  'module-scope-io': () => import('./module-scope-io.js'),
  'client-in-handler': () => import('./client-in-handler.js'),
  'await-in-loop': () => import('./await-in-loop.js'),
  'sync-fs-in-handler': () => import('./sync-fs-in-handler.js'),
  'serverless-http-monolith': () => import('./serverless-http-monolith.js'),
  'runtime-addition': () => import('./runtime-addition.js'),
  'aws-sdk-v2-client': () => import('./aws-sdk-v2-client.js'),
  'rare-path-import': () => import('./rare-path-import.js'),
  'deprecated-runtime': () => import('./deprecated-runtime.js'),
  'duplicate-package-copies': () => import('./duplicate-package-copies.js'),
};

/** The shipped rules, as the engine takes them (`loadEngine({ rules: RULES, ... })`, `loadRules(RULES)`). */
export const RULES: RuleRegistry = ruleRegistry(RULE_LOADERS);

export const RULE_IDS: readonly string[] = RULES.ids;
