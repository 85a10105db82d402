import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/result.js';
import { diffResults, withDiff } from '../../src/report/diff.js';
import { diffHeadline } from '../../src/report/diff-view.js';
import { diff as libraryDiff } from '../../src/index.js';
import { finding, fn, pkg, result } from '../helpers/results.js';

const shared = finding('aws-sdk-v2-whole', 'src/lib/db.ts', 1, 'whole aws-sdk', 'fp-db');

const base = result([
  fn('create', [pkg('aws-sdk', 150), pkg('moment', 27)], [shared, finding('barrel-import', 'src/h.ts', 4, 'whole moment', 'fp-moment')], 10_000_000, 300),
  fn('get', [pkg('aws-sdk', 150)], [shared], 4_000_000),
  fn('legacy', [pkg('pg', 28)], [], 1_000_000),
  fn('health', [], [], 500_000),
]);

const head = result([
  // moment out, axios and lodash/get in; the db finding moved 3 lines down (same fingerprint); a new finding.
  fn(
    'create',
    [pkg('aws-sdk', 150), pkg('axios', 46), pkg('lodash', 10.4, ['get'])],
    [{ ...shared, line: 4 }, finding('heavy-init-import', 'src/lib/http.ts', 2, 'axios at init', 'fp-axios')],
    11_250_000,
    341.5,
  ),
  fn('get', [pkg('aws-sdk', 150)], [shared], 4_000_000),
  fn('health', [], [], 500_000),
  fn('report', [pkg('pdfkit', 90)], [], 2_000_000),
]);

describe('diffResults', () => {
  const d = diffResults(base, head);
  const byName = (name: string) => d.functions.find((f) => f.name === name);

  it('matches functions by id: added, removed and changed ones are listed, unchanged ones are not', () => {
    expect(d.functions.map((f) => [f.name, f.status])).toEqual([
      ['report', 'added'],
      ['create', 'changed'],
      ['legacy', 'removed'],
    ]);
    expect(d.totals).toMatchObject({ functionsAdded: 1, functionsRemoved: 1, functionsChanged: 1 });
  });

  it('lists the exact init packages added and removed with their estimates, subpaths named', () => {
    expect(byName('create')?.packagesAdded).toEqual([
      { name: 'axios', estInitMs: 46 },
      { name: 'lodash/get', estInitMs: 10.4 },
    ]);
    expect(byName('create')?.packagesRemoved).toEqual([{ name: 'moment', estInitMs: 27 }]);
    expect(byName('report')?.packagesAdded).toEqual([{ name: 'pdfkit', estInitMs: 90 }]);
    expect(byName('legacy')?.packagesRemoved).toEqual([{ name: 'pg', estInitMs: 28 }]);
  });

  it('gives ms and micro-USD deltas per function, a whole figure for added and removed functions', () => {
    expect(byName('create')?.estInitMs).toEqual({ base: 177, head: 206.4, delta: 29.4 });
    expect(byName('create')?.monthlyMicroUsd).toEqual({ base: 10_000_000, head: 11_250_000, delta: 1_250_000 });
    expect(byName('create')?.measuredInitMs).toEqual({ base: 300, head: 341.5, delta: 41.5 });
    expect(byName('report')?.estInitMs).toEqual({ base: null, head: 90, delta: 90 });
    expect(byName('report')?.measuredInitMs).toBeNull();
    expect(byName('legacy')?.estInitMs).toEqual({ base: 28, head: null, delta: -28 });
    expect(byName('legacy')?.monthlyMicroUsd).toEqual({ base: 1_000_000, head: null, delta: -1_000_000 });
  });

  it('totals init ms, dollars and percentages against the base', () => {
    // +29.4 + 90 - 28 over a base of 177 + 150 + 28 + 0 = 355 ms; +1.25 + 2 - 1 over $15.50.
    expect(d.base).toEqual({ root: '.', toolVersion: '0.1.0', functions: 4, estInitMs: 355, monthlyMicroUsd: 15_500_000 });
    expect(d.totals).toMatchObject({ estInitMsAdded: 91.4, estInitPct: 25.7, monthlyMicroUsdAdded: 2_250_000, monthlyPct: 14.5 });
  });

  it('matches findings on rule + file + fingerprint, not line: a moved finding is neither new nor fixed', () => {
    expect(byName('create')?.findingsNew).toEqual([
      { ruleId: 'heavy-init-import', severity: 'warn', file: 'src/lib/http.ts', line: 2, message: 'axios at init', estInitMs: null },
    ]);
    expect(byName('create')?.findingsFixed).toEqual([
      { ruleId: 'barrel-import', severity: 'warn', file: 'src/h.ts', line: 4, message: 'whole moment', estInitMs: null },
    ]);
    expect(d.totals).toMatchObject({ findingsNew: 1, findingsFixed: 1 });
  });

  it('without fingerprints falls back to rule + file + message', () => {
    const noFp = (line: number, message: string): Finding => finding('await-in-loop', 'src/h.ts', line, message);
    const a = result([fn('x', [], [noFp(10, 'await in a loop')], null)]);
    const b = result([fn('x', [], [noFp(12, 'await in a loop'), noFp(20, 'another loop')], null)]);
    const x = diffResults(a, b);
    expect(x.functions[0]?.findingsNew.map((f) => [f.line, f.message])).toEqual([[20, 'another loop']]);
    expect(x.functions[0]?.findingsFixed).toEqual([]);
  });

  it('counts a shared finding once in the totals, and only when the whole service gained it', () => {
    // `get` starts to load db.ts in the head: new for `get`, not for the service (create had it already).
    const a = result([fn('create', [], [shared], null), fn('get', [], [], null)]);
    const b = result([fn('create', [], [shared], null), fn('get', [], [shared], null)]);
    const x = diffResults(a, b);
    expect(x.functions.map((f) => [f.name, f.findingsNew.length])).toEqual([['get', 1]]);
    expect(x.totals.findingsNew).toBe(0);
  });

  it('without cost figures on either side the money totals are null, not 0', () => {
    const a = result([fn('x', [pkg('a', 5)], [], null)]);
    const b = result([fn('x', [pkg('a', 5), pkg('b', 7)], [], null)]);
    expect(diffResults(a, b).totals).toMatchObject({ estInitMsAdded: 7, estInitPct: 140, monthlyMicroUsdAdded: null, monthlyPct: null });
  });

  it('a result against itself has no changes; the library exports it as diff()', () => {
    expect(libraryDiff(head, head).functions).toEqual([]);
    expect(diffHeadline(libraryDiff(head, head))).toBe('This change makes no change to estimated init or cost');
    expect(withDiff(base, head).diff).toEqual(d);
  });

  it('headlines say what the change adds or removes, and to how many functions', () => {
    expect(diffHeadline(d)).toBe('This change adds 91 ms of estimated init and ~$2.25/month to 3 functions');
    expect(diffHeadline(diffResults(head, base))).toBe('This change removes 91 ms of estimated init and ~$2.25/month from 3 functions');
  });
});
