import type { Finding, RuleSummary, Severity } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { defaultsOf, type OptionValue } from './options.js';
import type { Rule, RuleContext, RuleReport } from './rule.js';

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

/**
 * Runs every rule over one handler; findings come back ranked: estimated init cost first, then position. `options`
 * holds each rule's checked option values (the engine resolves them once); a rule missing from it runs on its
 * defaults.
 */
export function runRules(
  rules: readonly Rule[],
  base: Omit<RuleContext, 'report' | 'options'>,
  options: ReadonlyMap<string, Readonly<Record<string, OptionValue>>> = new Map(),
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
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
    rule.check({ ...base, options: options.get(rule.meta.id) ?? defaultsOf(rule.meta.options), report });
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
