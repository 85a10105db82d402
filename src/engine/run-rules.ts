import { InputError } from '../errors.js';
import type { Finding, RuleSummary, Severity } from '../model/result.js';
import { RULE_IDS, RULE_LOADERS } from '../../rules/index.js';
import { compareStrings } from '../util/compare.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

export interface RuleSettings {
  /** Rule ids to turn off. */
  disabled?: readonly string[];
  /** Per-rule option overrides, e.g. `{ 'heavy-init-import': { thresholdMs: 50 } }`. */
  options?: Readonly<Record<string, Readonly<Record<string, number | string | boolean>>>>;
}

export class UnknownRuleError extends InputError {
  constructor(readonly ruleId: string) {
    super(`unknown rule '${ruleId}'`, `known rules: ${RULE_IDS.join(', ')} (lambda-migrate rules)`);
  }
}

export async function loadRules(settings: RuleSettings = {}): Promise<Rule[]> {
  const known = new Set(RULE_IDS);
  for (const id of [...(settings.disabled ?? []), ...Object.keys(settings.options ?? {})]) {
    if (!known.has(id)) throw new UnknownRuleError(id);
  }
  const disabled = new Set(settings.disabled ?? []);
  const ids = RULE_IDS.filter((id) => !disabled.has(id));
  const modules = await Promise.all(ids.map((id) => (RULE_LOADERS[id] as () => Promise<{ default: Rule }>)()));
  return modules.map((m) => m.default);
}

export function ruleSummaries(rules: readonly Rule[]): RuleSummary[] {
  return rules.map((r) => ({
    id: r.meta.id,
    description: r.meta.description,
    severity: r.meta.severity,
    category: r.meta.category,
    docs: `rules/${r.meta.id}.md`,
  }));
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** Runs every rule over one handler; findings come back ranked: estimated init cost first, then position. */
export function runRules(
  rules: readonly Rule[],
  base: Omit<RuleContext, 'report' | 'options'>,
  settings: RuleSettings = {},
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const options = { ...rule.meta.defaultOptions, ...(settings.options?.[rule.meta.id] ?? {}) };
    const report = (r: RuleReport): void => {
      const key = `${rule.meta.id}\0${r.file}\0${r.line}\0${r.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({
        ruleId: rule.meta.id,
        severity: r.severity ?? rule.meta.severity,
        file: r.file,
        line: r.line,
        column: r.column,
        message: r.message,
        estInitMs: r.estInitMs ?? null,
        ...(r.chain && r.chain.length > 1 ? { chain: r.chain } : {}),
      });
    };
    rule.check({ ...base, options, report });
  }
  return findings.sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (b.estInitMs ?? -1) - (a.estInitMs ?? -1) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.ruleId, b.ruleId)
  );
}
