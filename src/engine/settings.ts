import type { ProjectConfig } from '../config/config.js';
import { InputError } from '../errors.js';
import type { RegisteredAnalysis } from './analysis.js';
import { defaultsOf, validateOption, type OptionOrigin, type OptionValue } from './options.js';
import { UnknownRuleError, type RuleRegistry } from './registry.js';
import type { Rule } from './rule.js';

/** What the caller sets beside the config file: `--disable-rule` and `--rule-option`. */
export interface RuleSettings {
  /** Rule ids to turn off. */
  disabled?: readonly string[];
  /**
   * Per-rule option overrides, e.g. `{ 'heavy-init-import': { thresholdMs: 50 } }`. Text is read as the type the
   * option declares (`'50'` is the number 50), as the command line gives it.
   */
  options?: Readonly<Record<string, Readonly<Record<string, OptionValue>>>>;
}

export interface ResolvedRules {
  /** The rules that run, in registry order. */
  rules: Rule[];
  /** Each running rule's option values: its defaults, then the config file's, then the caller's; all checked. */
  options: Map<string, Record<string, OptionValue>>;
}

/**
 * Checks every rule id and option value the config file and the caller give, against the registry and each rule's
 * options schema, and loads the rules that run. Config errors come first (in file order), then the caller's.
 */
export async function resolveRules(registry: RuleRegistry, config: ProjectConfig, cli: RuleSettings = {}): Promise<ResolvedRules> {
  const known = new Set(registry.ids);
  for (const id of config.ruleIds) {
    if (!known.has(id)) {
      throw new InputError(
        `${config.file ?? 'config'}: rules.${id}: unknown rule, expected one of: ${registry.ids.join(', ')}`,
        'lambda-migrate rules lists them',
      );
    }
  }
  for (const id of cli.disabled ?? []) if (!known.has(id)) throw new UnknownRuleError(id, registry.ids);
  for (const [id, values] of Object.entries(cli.options ?? {})) {
    const first = Object.keys(values)[0];
    if (!known.has(id)) throw new UnknownRuleError(id, registry.ids, first !== undefined ? `--rule-option ${id}.${first}` : undefined);
  }

  const disabled = new Set([...config.disabled, ...(cli.disabled ?? [])]);
  // A disabled rule's options are still checked: a typo there is a typo all the same.
  const wanted = registry.ids.filter((id) => !disabled.has(id) || Object.hasOwn(config.options, id) || Object.hasOwn(cli.options ?? {}, id));
  const loaded = new Map((await Promise.all(wanted.map((id) => registry.load(id)))).map((r) => [r.meta.id, r]));

  const configOrigin: OptionOrigin = { kind: 'config', at: (id) => `${config.file ?? 'config'}: rules.${id}.options` };
  const fromConfig = checkLayer(loaded, config.options, configOrigin);
  const fromCli = checkLayer(loaded, cli.options ?? {}, { kind: 'flag' });

  const rules = wanted.flatMap((id) => {
    const rule = loaded.get(id);
    return rule !== undefined && !disabled.has(id) ? [rule] : [];
  });
  const options = new Map<string, Record<string, OptionValue>>();
  for (const rule of rules) {
    const id = rule.meta.id;
    options.set(id, { ...defaultsOf(rule.meta.options), ...fromConfig.get(id), ...fromCli.get(id) });
  }
  // Allow-listed packages join heavy-init-import's own ignore list (which keeps aws-sdk: it has its own rule).
  const heavy = options.get('heavy-init-import');
  if (heavy !== undefined && config.allowPackages.length > 0) {
    heavy.ignorePackages = [String(heavy.ignorePackages), ...config.allowPackages].join(',');
  }
  return { rules, options };
}

function checkLayer(
  rules: ReadonlyMap<string, Rule>,
  layer: Readonly<Record<string, Readonly<Record<string, OptionValue>>>>,
  origin: OptionOrigin,
): Map<string, Record<string, OptionValue>> {
  const out = new Map<string, Record<string, OptionValue>>();
  for (const [id, values] of Object.entries(layer)) {
    const rule = rules.get(id);
    if (rule === undefined) continue;
    const checked: Record<string, OptionValue> = {};
    for (const [name, value] of Object.entries(values)) checked[name] = validateOption(id, rule.meta.options, name, value, origin);
    out.set(id, checked);
  }
  return out;
}

export interface ResolvedAnalysis {
  analysis: RegisteredAnalysis;
  options: Record<string, OptionValue>;
}

/**
 * The analyses in the order they run, each with its checked options (from its config file section). Each one's
 * requirements must be produced by an analysis before it: a registry that breaks this is a programming error.
 */
export function resolveAnalyses(analyses: readonly RegisteredAnalysis[], config: ProjectConfig): ResolvedAnalysis[] {
  const produced = new Set<string>();
  return analyses.map((analysis) => {
    const { meta } = analysis;
    const missing = meta.requires.filter((key) => !produced.has(key));
    if (missing.length > 0) throw new Error(`analysis ${meta.id} requires ${missing.join(', ')}, which no analysis before it produces`);
    if (produced.has(meta.produces)) throw new Error(`analysis ${meta.id} produces ${meta.produces}, which an analysis before it produces already`);
    produced.add(meta.produces);
    const options = defaultsOf(meta.options);
    if (meta.configKey !== undefined) {
      const section = config[meta.configKey];
      const origin: OptionOrigin = { kind: 'config', at: () => `${config.file ?? 'config'}: ${meta.configKey}` };
      for (const [name, value] of Object.entries(section)) options[name] = validateOption(meta.id, meta.options, name, value, origin);
    }
    return { analysis, options };
  });
}
