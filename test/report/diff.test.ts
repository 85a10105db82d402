import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/result.js';
import { diffResults, withDiff } from '../../src/report/diff.js';
import { diffHeadline } from '../../src/report/diff-view.js';
import { diff as libraryDiff } from '../../src/index.js';
import { finding, fn, pkg, result } from '../helpers/results.js';

const shared = finding('aws-sdk-v2-whole', 'src/lib/db.ts', 1, 'whole aws-sdk', 'fp-db');

const base = result([
  fn(
    'create',
    [pkg('aws-sdk', 150), pkg('moment', 27)],
    [shared, finding('barrel-import', 'src/h.ts', 4, 'whole moment', 'fp-moment')],
    10_000_000,
    300,
  ),
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

describe('a head without usage of its own: the init it adds is priced with the base cold starts', () => {
  /** A base function measured at 100,000 cold starts a month, INIT billed, $2.00 a month, us-east-1. */
  const measuredBase = (memoryMB: number, architecture: 'x86_64' | 'arm64', initBilled = true) => {
    const f = fn('create', [pkg('aws-sdk', 200)], [], 2_000_000);
    return result([
      {
        ...f,
        memoryMB,
        architecture,
        cost: {
          status: 'measured',
          detail: null,
          region: 'us-east-1',
          usage: { invocationsPerMonth: 1_000_000, coldStartsPerMonth: 100_000, windowDays: 14, scaleToMonth: 2.173, initBilled },
          current: { runtime: 'nodejs20.x', architecture, memoryMB, initMs: 400, durationMs: 120, maxMemoryMB: 180 },
          monthly: { requestsMicroUsd: 200_000, invokeMicroUsd: 1_000_000, initMicroUsd: 800_000, totalMicroUsd: 2_000_000 },
          scenarios: [],
          factors: [],
        },
      },
    ]);
  };
  /** The PR: axios (116 ms) joins the init path; scanned without metrics, so it has no month of its own. */
  const unpricedHead = (memoryMB: number, architecture: 'x86_64' | 'arm64') =>
    result([{ ...fn('create', [pkg('aws-sdk', 200), pkg('axios', 116)], [], null), memoryMB, architecture }]);

  it('x86_64, 1024 MB: 100,000 x 1 GB x 0.116 s x $0.0000166667 = $0.19333372 -> 193,334 micro-USD', () => {
    const d = diffResults(measuredBase(1024, 'x86_64'), unpricedHead(1024, 'x86_64'));
    const create = d.functions[0];
    expect(create?.monthlyMicroUsd).toEqual({ base: 2_000_000, head: 2_193_334, delta: 193_334 });
    expect(create?.initPriced).toEqual({
      basis: 'base-usage',
      initMsAdded: 116,
      coldStartsPerMonth: 100_000,
      memoryMB: 1024,
      architecture: 'x86_64',
      region: 'us-east-1',
      perGbSecond: '0.0000166667',
      initBilled: true,
      microUsd: 193_334,
    });
    // 193,334 / 2,000,000 = 9.6667% -> 9.7
    expect(d.totals).toMatchObject({ monthlyMicroUsdAdded: 193_334, monthlyPct: 9.7 });
    expect(diffHeadline(d)).toBe('This change adds 116 ms of estimated init and ~$0.19/month to 1 function');
  });

  it('arm64, 512 MB: 100,000 x 0.5 GB x 0.116 s x $0.0000133334 = $0.07733372 -> 77,334 micro-USD', () => {
    const d = diffResults(measuredBase(1024, 'x86_64'), unpricedHead(512, 'arm64'));
    expect(d.functions[0]?.initPriced).toMatchObject({ memoryMB: 512, architecture: 'arm64', perGbSecond: '0.0000133334', microUsd: 77_334 });
  });

  it('a function the change does not touch keeps the base month, and is not listed as changed', () => {
    const base = measuredBase(1024, 'x86_64');
    const other = { ...base.functions[0]!, id: 'serverless.yml#list', name: 'list' };
    const head = unpricedHead(1024, 'x86_64');
    const untouched = { ...fn('list', [pkg('aws-sdk', 200)], [], null), memoryMB: 1024, architecture: 'x86_64' as const };
    const d = diffResults(result([...base.functions, other]), result([...head.functions, untouched]));
    expect(d.functions.map((f) => f.name)).toEqual(['create']);
    expect(d.totals).toMatchObject({ monthlyMicroUsdAdded: 193_334, functionsChanged: 1 });
  });

  it('INIT not billed: the added init costs nothing, and says so', () => {
    const d = diffResults(measuredBase(1024, 'x86_64', false), unpricedHead(1024, 'x86_64'));
    expect(d.functions[0]?.initPriced).toMatchObject({ initBilled: false, perGbSecond: '0', microUsd: 0 });
    expect(d.totals.monthlyMicroUsdAdded).toBe(0);
  });

  it('a head with a month of its own is compared month to month, not re-priced', () => {
    const head = result([
      { ...fn('create', [pkg('aws-sdk', 200), pkg('axios', 116)], [], 2_100_000), memoryMB: 1024, architecture: 'x86_64' as const },
    ]);
    const d = diffResults(measuredBase(1024, 'x86_64'), head);
    expect(d.functions[0]?.initPriced).toBeUndefined();
    expect(d.functions[0]?.monthlyMicroUsd).toEqual({ base: 2_000_000, head: 2_100_000, delta: 100_000 });
  });

  it('the monthly-usd and cost-pct gates see the priced change', async () => {
    const { evaluateGates, parseGates } = await import('../../src/report/gates.js');
    const compared = withDiff(measuredBase(1024, 'x86_64'), unpricedHead(1024, 'x86_64'));
    expect(evaluateGates(compared, parseGates(['monthly-usd=0.10', 'cost-pct=5', 'monthly-usd=0.20', 'cost-pct=10'])).map((h) => h.message)).toEqual([
      'fail-on monthly-usd=0.10: monthly cost grew by $0.19, $0.093 over the limit of $0.10',
      'fail-on cost-pct=5: monthly cost grew by 9.7%, 4.7 points over the limit of 5.0%',
    ]);
  });

  it('the reports show how it was priced', async () => {
    const { render } = await import('../../src/report/index.js');
    const compared = withDiff(measuredBase(1024, 'x86_64'), unpricedHead(1024, 'x86_64'));
    const line = "create: +116 ms x 100,000 cold starts/month (the base's) x 1024 MB x $0.0000166667/GB-s (us-east-1 x86_64) = +$0.19/month";
    expect(render(compared, 'text', { width: 200 })).toContain(`  ${line}\n`);
    expect(render(compared, 'text', { width: 200 })).toContain("cost +$0.19/month (+9.7%), init priced with the base's cold starts");
    expect(render(compared, 'pr-comment')).toContain('+$0.19');
  });
});
