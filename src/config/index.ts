import path from 'node:path';
import { readUserFile } from '../source/user-file.js';
import type { RuleSettings } from '../engine/run-rules.js';
import { InputError } from '../errors.js';
import type { FactSource } from '../graph/facts.js';
import type { Catalog } from '../graph/packages.js';
import type { FunctionResult } from '../model/result.js';
import { applyBaseline, parseBaseline } from './baseline.js';
import type { ProjectConfig } from './config.js';
import { applyConfigAndInline, fingerprint } from './suppress.js';

export { loadConfig, checkRuleOptions, type ProjectConfig } from './config.js';
export { createBaseline, serializeBaseline, parseBaseline, applyBaseline, type Baseline } from './baseline.js';

/** Line `n` (1-based) of `text` without splitting the whole file; null past the end. */
function lineOf(text: string, n: number): string | null {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return null;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/** Config first, then the caller's settings (CLI flags win over the file). */
export function mergeRuleSettings(config: ProjectConfig, cli: RuleSettings = {}): RuleSettings {
  const options: Record<string, Record<string, number | string | boolean>> = {};
  for (const [id, o] of Object.entries(config.options)) options[id] = { ...o };
  for (const [id, o] of Object.entries(cli.options ?? {})) options[id] = { ...(options[id] ?? {}), ...o };
  if (config.allowPackages.length > 0) {
    // Allow-listed packages join the rule's own ignore list (which keeps aws-sdk: it has its own rule).
    const own = options['heavy-init-import']?.ignorePackages;
    const base = typeof own === 'string' ? own : 'aws-sdk';
    options['heavy-init-import'] = { ...(options['heavy-init-import'] ?? {}), ignorePackages: [base, ...config.allowPackages].join(',') };
  }
  const disabled = [...new Set([...config.disabled, ...(cli.disabled ?? [])])];
  // Options of a disabled rule are moot; the engine rejects options for rules it does not load.
  for (const id of disabled) delete options[id];
  return { disabled, options };
}

/** The shipped catalog plus the config's own measurements (config entries win on a name clash). */
export function withHeavyPackages(catalog: Catalog, extra: ProjectConfig['heavyPackages']): Catalog {
  if (extra.length === 0) return catalog;
  const names = new Set(extra.map((p) => p.name));
  return { ...catalog, packages: [...catalog.packages.filter((p) => !names.has(p.name)), ...extra] };
}

export interface FinishInputs {
  rootAbs: string;
  cwd: string;
  facts: FactSource;
  config: ProjectConfig;
  knownRules: readonly string[];
  /** The text of a scanned file (for fingerprints): the SourceTree's cached read, so nothing is read twice. */
  lineSource(file: string): string;
  /** `--baseline FILE` (relative to cwd), else the config's `baseline` (relative to the root). */
  baseline?: string;
}

/**
 * After the rules: config severities and allow-listed files, inline suppressions, fingerprints,
 * then the baseline. Returns what was suppressed and notes for the result's warnings.
 */
export function finishFindings(functions: FunctionResult[], inputs: FinishInputs): { inline: number; baseline: number; config: number; notes: string[] } {
  const outcome = applyConfigAndInline(functions, inputs.facts, inputs.config, inputs.knownRules);
  const texts = new Map<string, string | null>();
  fingerprint(functions, (file, line) => {
    let text = texts.get(file);
    if (text === undefined) {
      try {
        text = inputs.lineSource(file);
      } catch {
        text = null;
      }
      texts.set(file, text);
    }
    return text === null ? null : lineOf(text, line);
  });
  let baseline = 0;
  const file = inputs.baseline !== undefined ? path.resolve(inputs.cwd, inputs.baseline) : inputs.config.baseline !== null ? path.resolve(inputs.rootAbs, inputs.config.baseline) : null;
  if (file !== null) {
    let text: string;
    try {
      text = readUserFile(file);
    } catch {
      throw new InputError(`baseline file not found: ${inputs.baseline ?? inputs.config.baseline ?? file}`, 'write one first with --baseline-write FILE');
    }
    baseline = applyBaseline(functions, parseBaseline(text, inputs.baseline ?? inputs.config.baseline ?? file));
  }
  return { inline: outcome.inline, config: outcome.config, baseline, notes: outcome.notes };
}
