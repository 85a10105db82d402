import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { runCli, type CliRun } from '../helpers/cli.js';

const run = (argv: string[]): Promise<CliRun> => runCli(argv);

function parse(text: string): ScanResult {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || !('functions' in value)) throw new Error('not a result');
  return value as ScanResult; // checked against the schema elsewhere; here only the cost fields are read
}

describe('scan cost flags', () => {
  it('prices assumed usage without metrics, labelled as assumed', async () => {
    const r = await run(['scan', 'examples/orders-service', '--invocations', '1000000', '--cold-start-rate', '0.05', '-f', 'json']);
    expect(r.code).toBe(0);
    const result = parse(r.out);
    expect(result.summary.cost?.basis).toBe('assumed');
    const health = result.functions.find((f) => f.name === 'health');
    // health: 128 MB, no package loaded at init, so a cold start is the nodejs20.x reference 127 ms plus the 15 ms
    // the provider-wide NODE_OPTIONS --enable-source-maps adds (runtime-additions.json) = 142 ms, priced at the
    // serverless.yml region eu-west-1, whose first-tier rate is us-east-1's.
    // 1,000,000 x 5% = 50,000 cold starts x 142 ms x 0.125 GB = 887.5 GB-s x $0.0000166667 = $0.01479169625
    // + 1M requests x $0.20/1M = $0.20 -> $0.21479169625; duration is unknown, so no invoke line.
    expect(health?.cost?.status).toBe('assumed');
    expect(health?.cost?.monthly).toEqual({ requestsMicroUsd: 200_000, invokeMicroUsd: null, initMicroUsd: 14_792, totalMicroUsd: 214_792 });
    const text = await run(['scan', 'examples/orders-service', '--invocations', '1000000', '--cold-start-rate', '0.05', '--detail']);
    expect(text.out).toContain('ASSUMED usage (--invocations, --cold-start-rate)');
    expect(text.out).toContain('invoke needs metrics');
  });

  it('refuses half an assumption, a bad rate and an unpriced region, with exit 2', async () => {
    const half = await run(['scan', 'examples/orders-service', '--invocations', '5']);
    expect(half.code).toBe(2);
    expect(half.err).toContain('--invocations and --cold-start-rate go together');
    const rate = await run(['scan', 'examples/orders-service', '--invocations', '5', '--cold-start-rate', '2']);
    expect(rate.code).toBe(2);
    expect(rate.err).toContain("bad --cold-start-rate '2'");
    const region = await run(['scan', 'examples/orders-service', '--price-region', 'il-central-1']);
    expect(region.code).toBe(2);
    expect(region.err).toContain("no Lambda prices for region 'il-central-1' (no sourced figures for it yet)");
    expect(region.err).toMatch(/priced regions: af-south-1, ap-east-1, .*eu-central-1, .*us-west-2/);
    const tiers = await run(['scan', 'examples/orders-service', '--account-gb-seconds', 'x86_64=lots']);
    expect(tiers.code).toBe(2);
    expect(tiers.err).toContain("bad --account-gb-seconds 'x86_64=lots'");
  });

  it('prices every catalogued region: --price-region eu-central-2 uses its own rates', async () => {
    const r = await run([
      'scan',
      'examples/orders-service',
      '--invocations',
      '1000000',
      '--cold-start-rate',
      '0.05',
      '--price-region',
      'eu-central-2',
      '-f',
      'json',
    ]);
    expect(r.code).toBe(0);
    const result = parse(r.out);
    expect(result.summary.cost?.region).toBe('eu-central-2');
    const health = result.functions.find((f) => f.name === 'health');
    // As the case above at Zurich's rates: 887.5 GB-s x $0.0000183334 = $0.0162708925 INIT;
    // 1M requests x $0.22/1M = $0.22 -> $0.2362708925.
    expect(health?.cost?.monthly).toEqual({ requestsMicroUsd: 220_000, invokeMicroUsd: null, initMicroUsd: 16_271, totalMicroUsd: 236_271 });
  });

  it('ranks the example by monthly saving per effort point, and shows the free tier only when asked', async () => {
    const r = await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '--free-tier', '-f', 'json']);
    const result = parse(r.out);
    const cost = result.summary.cost;
    expect(cost?.basis).toBe('measured');
    expect(cost?.functionsPriced).toBe(9);
    // A few cents a month sit wholly inside the free tier (1M requests, 400,000 GB-s).
    expect(cost?.freeTierMicroUsd).toBe(cost?.monthlyMicroUsd);
    expect(cost?.monthlyAfterFreeTierMicroUsd).toBe(0);
    const ranked = [...result.functions].sort((a, b) => a.rank - b.rank);
    const priorities = ranked.map((f) => f.plan?.priority ?? 0);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    // Equal effort (in-Node fixes, arm64, right-size = 2.5 points) for the x86 functions: the biggest saving leads.
    expect(ranked.slice(0, 3).map((f) => f.name)).toEqual(['adminPurgeOrders', 'ordersApi', 'createOrder']);
    // LLRT is blocked where aws-sdk v2 or express sit on the init path.
    const api = ranked.find((f) => f.name === 'ordersApi');
    expect(api?.cost?.scenarios.find((s) => s.id === 'llrt')?.detail).toMatch(/^blocked by .*express/);
    const plain = await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '-f', 'json']);
    expect(parse(plain.out).summary.cost?.freeTierMicroUsd).toBeNull();
  });
});
