import { readUserFile } from '../source/user-file.js';
import path from 'node:path';
import { InputError } from '../errors.js';
import type { Finding, FunctionResult, ScanResult } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { refuseUntrusted } from '../util/untrusted-json.js';

/**
 * A baseline records the findings a team has accepted, so a scan shows only new ones. Entries match
 * on rule + file + fingerprint (see suppress.ts), never on line numbers, so edits above a finding do
 * not bring it back. The file is JSON, sorted, and small enough to commit.
 */

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** For readers of the file only; not used to match. */
  line: number;
  message: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool: 'lambda-migrate';
  findings: BaselineEntry[];
}

/**
 * The line-independent identity of a finding: rule + file + fingerprint. Null without a fingerprint (nothing stable
 * to match on). Baselines and `diff` both match findings with it.
 */
export function fingerprintKey(f: { ruleId: string; file: string; fingerprint?: string }): string | null {
  return f.fingerprint === undefined ? null : `${f.ruleId}\0${f.file}\0${f.fingerprint}`;
}

export function createBaseline(result: ScanResult): Baseline {
  const seen = new Map<string, BaselineEntry>();
  for (const fn of result.functions) {
    for (const f of fn.findings) {
      const key = fingerprintKey(f);
      if (key === null || f.fingerprint === undefined) continue;
      if (!seen.has(key)) seen.set(key, { ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint, line: f.line, message: f.message });
    }
  }
  const findings = [...seen.values()].sort(
    (a, b) => compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.fingerprint, b.fingerprint),
  );
  return { version: BASELINE_VERSION, tool: 'lambda-migrate', findings };
}

export function serializeBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

export function parseBaseline(text: string, where: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(
      `${where}: not a baseline file: ${err instanceof Error ? err.message : String(err)}`,
      'write one with --baseline-write FILE',
    );
  }
  refuseUntrusted(data, where, 'write one with --baseline-write FILE');
  const findings = typeof data === 'object' && data !== null ? Reflect.get(data, 'findings') : undefined;
  const version = typeof data === 'object' && data !== null ? Reflect.get(data, 'version') : undefined;
  if (version !== BASELINE_VERSION || !Array.isArray(findings)) {
    throw new InputError(
      `${where}: not a lambda-migrate baseline (expected version ${BASELINE_VERSION} and a findings array)`,
      'write one with --baseline-write FILE',
    );
  }
  const entries: BaselineEntry[] = [];
  findings.forEach((raw: unknown, i) => {
    const get = (k: string): unknown => (typeof raw === 'object' && raw !== null ? Reflect.get(raw, k) : undefined);
    const ruleId = get('ruleId');
    const file = get('file');
    const fp = get('fingerprint');
    if (typeof ruleId !== 'string' || typeof file !== 'string' || typeof fp !== 'string') {
      throw new InputError(`${where}: findings[${i}]: expected ruleId, file and fingerprint strings`);
    }
    const line = get('line');
    const message = get('message');
    entries.push({ ruleId, file, fingerprint: fp, line: typeof line === 'number' ? line : 0, message: typeof message === 'string' ? message : '' });
  });
  return { version: BASELINE_VERSION, tool: 'lambda-migrate', findings: entries };
}

/**
 * The findings of each function the baseline does not know, and how many distinct findings it dropped. Returns new
 * lists; the input stays as it was.
 */
export function filterBaseline(perFunction: readonly (readonly Finding[])[], baseline: Baseline): { findings: Finding[][]; dropped: number } {
  const known = new Set(baseline.findings.map((e) => fingerprintKey(e)));
  const dropped = new Set<string>();
  const findings = perFunction.map((list) =>
    list.filter((f) => {
      const key = fingerprintKey(f);
      if (key !== null && known.has(key)) {
        dropped.add(key);
        return false;
      }
      return true;
    }),
  );
  return { findings, dropped: dropped.size };
}

/** Drops the findings the baseline knows from each function, in place; returns how many distinct findings were dropped. */
export function applyBaseline(functions: FunctionResult[], baseline: Baseline): number {
  const { findings, dropped } = filterBaseline(
    functions.map((fn) => fn.findings),
    baseline,
  );
  functions.forEach((fn, i) => {
    fn.findings = findings[i] ?? [];
  });
  return dropped;
}

export interface BaselineFileOptions {
  rootAbs: string;
  cwd: string;
  /** `--baseline FILE`, relative to cwd. */
  explicit?: string;
  /** The config file's `baseline`, relative to the root. */
  fromConfig: string | null;
}

/**
 * Reads the baseline the user named (`--baseline`, else the config's `baseline`); null when neither names one. The
 * one place a baseline file is read: it is the user's file, not part of the scanned service.
 */
export function readBaselineFile(options: BaselineFileOptions): Baseline | null {
  const named = options.explicit ?? options.fromConfig;
  if (named === null) return null;
  const file = options.explicit !== undefined ? path.resolve(options.cwd, options.explicit) : path.resolve(options.rootAbs, named);
  let text: string;
  try {
    text = readUserFile(file);
  } catch {
    throw new InputError(`baseline file not found: ${named}`, 'write one first with --baseline-write FILE');
  }
  return parseBaseline(text, named);
}
