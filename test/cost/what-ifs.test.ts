import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCostFactors, parsePriceCatalog } from '../../src/cost/index.js';
import { projectFunction, type CostContext } from '../../src/cost/project.js';
import { bundlingFactorFor, parseWhatIfData } from '../../src/cost/what-if-data.js';
import type { CostScenario, FunctionResult, InitPackage } from '../../src/model/result.js';
import { sampleResult } from '../report/sample-result.js';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../rules/catalog/${file}`, import.meta.url), 'utf8'));
const catalog = parsePriceCatalog(read('lambda-prices.json'));
const whatIfs = parseWhatIfData(read('cost-what-ifs.json'));
const factors = { ...parseCostFactors(read('cost-factors.json')), whatIfs };
const prices = catalog.regions.get('us-east-1');
if (prices === undefined) throw new Error('us-east-1 missing from the price catalog');
const ctx: CostContext = { prices, catalog, factors, region: 'us-east-1', invocations: null, coldStartRate: null, headroom: 0.3, billingDate: null };

const pkg = (name: string, estInitMs: number, subpaths: string[] = []): InitPackage => ({
  name,
  subpaths,
  chain: ['src/h.js'],
  estInitMs,
  sizeBytes: null,
  version: null,
  source: 'catalog',
  basis: 'test',
});

/** The sample's createOrder with exactly these packages at init, x86_64 at 1,024 MB, nodejs20.x, no extras. */
function fnWith(packages: InitPackage[], metrics: Partial<NonNullable<FunctionResult['metrics']>> | null): FunctionResult {
  const first = sampleResult.functions.find((f) => f.name === 'createOrder');
  if (first === undefined || first.metrics === null || first.init === null) throw new Error('sample has no measured function');
  const fn: FunctionResult = structuredClone(first);
  fn.architecture = 'x86_64';
  fn.memoryMB = 1024;
  fn.runtime = 'nodejs20.x';
  delete fn.ephemeralStorageMB;
  delete fn.provisionedConcurrency;
  delete fn.packaging;
  fn.ioTangle = { score: 0.5, ioCalls: 3, verdict: 'mixed' };
  fn.init = { ...first.init, packages, estInitMs: packages.reduce((s, p) => s + (p.estInitMs ?? 0), 0) };
  delete fn.init.runtimeAdditions;
  fn.metrics = metrics === null ? null : { ...first.metrics, config: null, memorySizeMB: 1024, region: 'us-east-1', ...metrics };
  return fn;
}

const scenarioOf = (fn: FunctionResult, id: CostScenario['id'], c: CostContext = ctx): CostScenario => {
  const s = projectFunction(fn, c).cost.scenarios.find((x) => x.id === id);
  if (s === undefined) throw new Error(`no ${id} scenario`);
  return s;
};

const assumed: CostContext = { ...ctx, invocations: 1_000_000, coldStartRate: 0.01 };

describe('bundling what-if', () => {
  it('picks the factor per package: exact, v2 subpaths, prefix, then the default', () => {
    expect(bundlingFactorFor('date-fns', false, whatIfs.bundling.factors).factor).toBe(0.25);
    expect(bundlingFactorFor('aws-sdk', false, whatIfs.bundling.factors).factor).toBe(2.5);
    expect(bundlingFactorFor('aws-sdk', true, whatIfs.bundling.factors).factor).toBe(1.5);
    expect(bundlingFactorFor('@aws-sdk/client-s3', false, whatIfs.bundling.factors).factor).toBe(1);
    expect(bundlingFactorFor('axios', false, whatIfs.bundling.factors).match).toBe('*');
  });

  it('lowers init by each package times its factor (assumed usage, hand-computed)', () => {
    // Init now 127 (runtime) + 120 + 100 + 50 = 397 ms. Bundled: date-fns 120 x 0.25 = 30, axios 100 x 0.7 = 70,
    // client-s3 50 x 1.0 = 50: 120 ms less -> 277 ms. 10,000 cold starts x 120 ms x 1 GB = 1,200 GB-s x $0.0000166667
    // = $0.02000004 a month saved.
    const fn = fnWith([pkg('date-fns', 120), pkg('axios', 100), pkg('@aws-sdk/client-s3', 50)], null);
    const s = scenarioOf(fn, 'bundle', assumed);
    expect(s.status).toBe('projected');
    expect(s.shape?.initMs).toBe(277);
    expect(s.savingMicroUsd).toBe(20_000);
    expect(s.detail).toBe(
      'init 397 -> 277 ms per cold start (esbuild --bundle --minify --platform=node (tree-shaking on; @aws-sdk/* left external for the runtime, as CDK NodejsFunction and SAM do for nodejs18.x and later))',
    );
    expect(s.factors.find((f) => f.name === 'bundled date-fns')?.value).toBe("120 ms x0.25 = 30 ms (measured, rule 'date-fns')");
    expect(s.factors[0]?.value).toBe('not detected: assumed to ship unbundled');
  });

  it('says when bundling costs more: the whole aws-sdk v2 gets 2.5x slower', () => {
    // 71 ms x 2.5 = 177.5: +106.5 ms -> init 127 + 71 + 106.5 = 304.5 ms (billed 305 vs 198 ms per cold start);
    // 10,000 x 107 ms x 1 GB = 1,070 GB-s x $0.0000166667 = $0.017833369 more.
    const s = scenarioOf(fnWith([pkg('aws-sdk', 71)], null), 'bundle', assumed);
    expect(s.shape?.initMs).toBe(304.5);
    expect(s.savingMicroUsd).toBe(-17_833);
    expect(s.risks[0]).toContain('bundling makes aws-sdk slower to load');
  });

  it('is not applicable to a function that is already bundled', () => {
    const fn = fnWith([pkg('axios', 100)], null);
    fn.packaging = { form: 'bundled', tool: 'esbuild', basis: 'CDK NodejsFunction bundles with esbuild by default' };
    const s = scenarioOf(fn, 'bundle', assumed);
    expect(s.status).toBe('not_applicable');
    expect(s.detail).toBe('already bundled with esbuild (CDK NodejsFunction bundles with esbuild by default)');
  });
});

describe('Lambda Managed Instances what-if', () => {
  it('is not cheaper for a quiet function: the 3-instance floor bills every hour (hand-computed)', () => {
    // 14 days scaled to 730 h: 30,417 requests x 100 ms -> 0.00116 average concurrency -> 3 x m7i.large (the minimum):
    // 3 x 730 h x $0.1008 = $220.752, fee 15% = $33.1128, requests 30,417 x $0.0000002 = $0.0060834 -> $253.8708834.
    // Today (on-demand Lambda, see model.test.ts): $0.0593118. Saving = -$253.8115716.
    const fn = fnWith([pkg('axios', 100)], {
      window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-15T00:00:00.000Z' },
      invocations: 14_000,
      coldStarts: 140,
      durationMs: { p50: 100, p90: 100, p99: 100, avg: 100, max: 100 },
      initMs: { p50: 500, p90: 500, p99: 500, avg: 500, max: 500 },
    });
    const s = scenarioOf(fn, 'managed-instances');
    expect(s.status).toBe('projected');
    expect(s.monthly).toEqual({
      requestsMicroUsd: 6_083,
      invokeMicroUsd: 0,
      initMicroUsd: 0,
      instancesMicroUsd: 220_752_000,
      managementFeeMicroUsd: 33_112_800,
      totalMicroUsd: 253_870_883,
    });
    expect(s.savingMicroUsd).toBe(-253_811_572);
    expect(s.detail).toBe(
      'not cheaper: $253.81 a month more than today; 3 x m7i.large (0 vCPU needed; the 3-instance minimum sets the floor): $220.75 instances + $33.11 management fee + $0.0061 requests',
    );
  });

  it('is cheaper for a busy steady function on arm64 (hand-computed)', () => {
    // A 730 h window (scale 1): 100M requests x 200 ms = 7.6104 average concurrency. CPU: 7.6104 x 0.3 (I/O-bound share)
    // x 1024/1769 vCPU / 0.5 utilisation = 2.643 vCPU; concurrency 7.6104 / 64 = 0.119 -> ceil(2.643 / 2) = 2 -> 3 (minimum)
    // x m7g.large: 2,190 h x $0.0816 = $178.704, fee $26.8056, requests $20 -> $225.5096.
    // Today: requests $20 + 20,000,000 GB-s x $0.0000133334 = $266.668 + INIT 500 GB-s = $0.0066667 -> $286.6746667.
    // Saving $61.1650667.
    const fn = fnWith([pkg('axios', 100)], {
      window: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T10:00:00.000Z' },
      invocations: 100_000_000,
      coldStarts: 1_000,
      durationMs: { p50: 200, p90: 200, p99: 200, avg: 200, max: 200 },
      initMs: { p50: 500, p90: 500, p99: 500, avg: 500, max: 500 },
    });
    fn.architecture = 'arm64';
    const s = scenarioOf(fn, 'managed-instances');
    expect(s.monthly?.instancesMicroUsd).toBe(178_704_000);
    expect(s.monthly?.managementFeeMicroUsd).toBe(26_805_600);
    expect(s.monthly?.totalMicroUsd).toBe(225_509_600);
    expect(s.savingMicroUsd).toBe(61_165_067);
    expect(s.factors.find((f) => f.name === 'vCPU for CPU work')?.value).toBe(
      '7.61 x CPU share 0.3 x 0.579 vCPU at 1024 MB / 0.5 target utilisation = 2.643',
    );
  });

  it('needs a measured duration to size the fleet', () => {
    const s = scenarioOf(fnWith([pkg('axios', 100)], null), 'managed-instances', assumed);
    expect(s.status).toBe('not_applicable');
    expect(s.detail).toBe('needs measured duration to size the fleet (pass --logs, --aws or --metrics)');
  });
});

describe('runtime additions in the cost model', () => {
  it('prices what layers and NODE_OPTIONS add as its own line of the init estimate (hand-computed)', () => {
    // 127 ms runtime + 100 ms packages + 215 ms runtime additions = 442 ms per cold start; 10,000 cold starts x 442 ms
    // x 1 GB = 4,420 GB-s x $0.0000166667 = $0.07366681 of INIT a month.
    const fn = fnWith([pkg('axios', 100)], null);
    if (fn.init === null) throw new Error('no init');
    fn.init.runtimeAdditions = {
      estInitMs: 215,
      items: [
        {
          kind: 'layer',
          what: 'Datadog Lambda Extension',
          ref: 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:65',
          file: 'serverless.yml',
          line: 10,
          estInitMs: 215,
          basis: 'test',
        },
      ],
    };
    const { cost } = projectFunction(fn, assumed);
    expect(cost.current?.initMs).toBe(442);
    expect(cost.monthly?.initMicroUsd).toBe(73_667);
    expect(cost.factors.find((f) => f.name === 'init per cold start')?.value).toBe(
      '442 ms = runtime 127 ms + estimated package load 100 ms + runtime additions 215 ms (layers, NODE_OPTIONS, exec wrapper) (full-vCPU figures: a lower bound)',
    );
  });
});
