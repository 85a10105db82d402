import { InputError } from '../errors.js';
import type { Rule } from './rule.js';

/**
 * The rules the engine can run, by id, loaded on demand (ESLint's lazy rule map): `--help` and `report` never pay
 * for them. rules/index.ts builds the shipped one; the caller hands it to the engine, which never imports rules/.
 */
export interface RuleRegistry {
  /** Every rule id, sorted. */
  readonly ids: readonly string[];
  /** Loads one rule module. */
  load(id: string): Promise<Rule>;
}

export type RuleLoaders = Readonly<Record<string, () => Promise<{ default: Rule }>>>;

export function ruleRegistry(loaders: RuleLoaders): RuleRegistry {
  const ids = Object.keys(loaders).sort();
  return {
    ids,
    async load(id) {
      const loader = Object.hasOwn(loaders, id) ? loaders[id] : undefined;
      if (loader === undefined) throw new UnknownRuleError(id, ids);
      const { default: rule } = await loader();
      // A registry line pointing at the wrong module would run a rule under another rule's name.
      if (rule.meta.id !== id) throw new Error(`rule registry: '${id}' loads a rule whose id is '${rule.meta.id}'`);
      return rule;
    },
  };
}

export class UnknownRuleError extends InputError {
  /** `where` names the flag or key that named the rule (`--rule-option x.y`), when there is one. */
  constructor(
    readonly ruleId: string,
    known: readonly string[],
    where?: string,
  ) {
    super(`${where !== undefined ? `${where}: ` : ''}unknown rule '${ruleId}'`, `known rules: ${known.join(', ')} (lambda-migrate rules)`);
  }
}

/** The rules with these ids (all of them by default), in registry order. */
export async function loadRules(registry: RuleRegistry, ids: readonly string[] = registry.ids): Promise<Rule[]> {
  const wanted = new Set(ids);
  for (const id of wanted) if (!registry.ids.includes(id)) throw new UnknownRuleError(id, registry.ids);
  return Promise.all(registry.ids.filter((id) => wanted.has(id)).map((id) => registry.load(id)));
}
