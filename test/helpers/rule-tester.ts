import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../rules/index.js';
import type { Catalog } from '../../src/graph/packages.js';
import type { Finding, ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/index.js';

/**
 * A fixed catalog for rule tests, so their expectations do not move when the real catalog is
 * re-measured.
 */
export const TEST_CATALOG: Catalog = {
  measuredAt: '2026-11-27',
  baselineMs: 48,
  packages: [
    { name: 'aws-sdk', version: '2.1692.0', requireMs: 71, importMs: 80, sizeBytes: 96_000_000, source: 'test', date: '2026-11-27' },
    { name: '@aws-sdk/client-s3', version: '3.700.0', requireMs: 48, importMs: 74, sizeBytes: 9_000_000, source: 'test', date: '2026-11-27' },
    { name: '@aws-sdk/client-dynamodb', version: '3.700.0', requireMs: 40, importMs: 55, sizeBytes: 8_000_000, source: 'test', date: '2026-11-27' },
    { name: '@aws-sdk/lib-dynamodb', version: '3.700.0', requireMs: 41, importMs: 50, sizeBytes: 8_500_000, source: 'test', date: '2026-11-27' },
    { name: 'lodash', version: '4.17.21', requireMs: 10, importMs: 35, sizeBytes: 1_400_000, source: 'test', date: '2026-11-27' },
    { name: 'lodash/get', version: '4.17.21', requireMs: 1, importMs: 2, sizeBytes: 30_000, source: 'test', date: '2026-11-27' },
    { name: 'moment', version: '2.30.1', requireMs: 4, importMs: 27, sizeBytes: 4_300_000, source: 'test', date: '2026-11-27' },
    { name: 'express', version: '4.21.2', requireMs: 46, importMs: 50, sizeBytes: 2_000_000, source: 'test', date: '2026-11-27' },
    { name: 'pg', version: '8.13.0', requireMs: 28, importMs: 30, sizeBytes: 800_000, source: 'test', date: '2026-11-27' },
    { name: 'uuid', version: '11.0.0', requireMs: 14, importMs: 15, sizeBytes: 200_000, source: 'test', date: '2026-11-27' },
  ],
  families: [{ pattern: '@aws-sdk/client-*', requireMs: 45, importMs: 60, sizeBytes: 8_000_000, source: 'test', date: '2026-11-27' }],
};

export type Files = Record<string, string>;

/** Writes a throwaway service to a temp dir and scans it. */
export async function scanFiles(
  files: Files,
  ruleIds?: readonly string[],
  ruleOptions?: Record<string, Record<string, number | string>>,
): Promise<ScanResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lm-rule-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    const disabled = ruleIds ? RULE_IDS.filter((id) => !ruleIds.includes(id)) : [];
    return await scan({ root: dir, catalog: TEST_CATALOG, rules: { disabled, options: ruleOptions ?? {} } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ExpectedFinding {
  file: string;
  line: number;
  column: number;
  /** Substrings the message must contain. */
  message?: string[];
  estInitMs?: number | null;
  severity?: 'error' | 'warn' | 'info';
}

export interface RuleCase {
  name: string;
  files: Files;
  options?: Record<string, number | string>;
}

export interface InvalidCase extends RuleCase {
  /** Empty: the case is valid under these options (kept beside its invalid twin for reading). */
  errors: ExpectedFinding[];
  /** Which function's findings to check (by name); defaults to every function, de-duplicated. */
  fn?: string;
}

function findingsOf(result: ScanResult, ruleId: string, fn?: string): Finding[] {
  const fns = fn ? result.functions.filter((f) => f.name === fn) : result.functions;
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of fns) {
    for (const finding of f.findings) {
      if (finding.ruleId !== ruleId) continue;
      const key = `${finding.file}:${finding.line}:${finding.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding);
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** typescript-eslint's RuleTester, for whole-service rules: valid cases report nothing, invalid ones exactly these. */
export function ruleTester(ruleId: string, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const result = await scanFiles(c.files, [ruleId], c.options ? { [ruleId]: c.options } : undefined);
        expect(result.functions.length).toBeGreaterThan(0);
        expect(findingsOf(result, ruleId)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const result = await scanFiles(c.files, [ruleId], c.options ? { [ruleId]: c.options } : undefined);
        expect(result.functions.length).toBeGreaterThan(0);
        const got = findingsOf(result, ruleId, c.fn);
        expect(got.map((g) => ({ file: g.file, line: g.line, column: g.column }))).toEqual(
          c.errors.map((e) => ({ file: e.file, line: e.line, column: e.column })),
        );
        c.errors.forEach((e, i) => {
          const g = got[i] as Finding;
          for (const part of e.message ?? []) expect(g.message).toContain(part);
          if (e.estInitMs !== undefined) expect(g.estInitMs).toBe(e.estInitMs);
          if (e.severity !== undefined) expect(g.severity).toBe(e.severity);
        });
      });
    }
  });
}
