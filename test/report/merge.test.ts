import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { ScanResult } from '../../src/model/result.js';
import { mergeResults, serviceNameOf, type MergeInput } from '../../src/report/merge.js';
import { scan } from '../../src/index.js';

const repo = path.resolve(import.meta.dirname, '../..');
// Assumed usage gives both services a priced month; the SAM service is priced in another region.
const usage = { invocations: 2_000_000, coldStartRate: 0.05 };
// orders-service declares eu-west-1 (provider.region); priced at us-east-1 here so the two services' regions differ.
const orders = await scan({ root: 'examples/orders-service', cwd: repo, cost: { ...usage, region: 'us-east-1' } });
const sam = await scan({ root: 'examples/reports-sam', cwd: repo, cost: { ...usage, region: 'eu-west-1' } });

const schema: unknown = JSON.parse(readFileSync(path.join(repo, 'schema/scan-result.schema.json'), 'utf8'));
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(typeof schema === 'object' && schema !== null ? schema : {});

const input = (result: ScanResult, file: string, name: string | null = null): MergeInput => ({ file, name, result: structuredClone(result) });
const costOf = (r: ScanResult) => {
  if (r.summary.cost === undefined) throw new Error('no cost summary');
  return r.summary.cost;
};

describe('merge: many services as one review', () => {
  const merged = mergeResults([input(orders, 'orders.json'), input(sam, 'sam.json')], '9.9.9');

  it('has every function of both, ids prefixed with the service, each with its service field', () => {
    expect(orders.functions).toHaveLength(9);
    expect(merged.functions).toHaveLength(9 + sam.functions.length);
    expect(merged.summary.functions).toBe(9 + sam.functions.length);
    const expected = [...orders.functions.map((f) => `orders-service:${f.id}`), ...sam.functions.map((f) => `reports-sam:${f.id}`)].sort();
    expect(merged.functions.map((f) => f.id).sort()).toEqual(expected);
    expect(merged.functions.map((f) => f.id)).toContain('orders-service:serverless.yml#createOrder');
    for (const f of merged.functions) expect(f.id.startsWith(`${f.service ?? '?'}:`)).toBe(true);
    expect(merged.root).toBe('orders-service + reports-sam');
    expect(merged.tool).toEqual({ name: 'lambda-migrate', version: '9.9.9' });
  });

  it('sums the counts exactly', () => {
    for (const key of ['files', 'lines', 'estInitMs'] as const) expect(merged.summary[key]).toBe(orders.summary[key] + sam.summary[key]);
    expect(merged.summary.findings).toEqual({
      error: orders.summary.findings.error + sam.summary.findings.error,
      warn: orders.summary.findings.warn + sam.summary.findings.warn,
      info: orders.summary.findings.info + sam.summary.findings.info,
    });
    const findingsListed = merged.functions.reduce((s, f) => s + f.findings.length, 0);
    expect(findingsListed).toBe(
      orders.functions.reduce((s, f) => s + f.findings.length, 0) + sam.functions.reduce((s, f) => s + f.findings.length, 0),
    );
    expect(merged.rules.map((r) => r.id)).toEqual([...new Set([...orders.rules, ...sam.rules].map((r) => r.id))].sort());
  });

  it('re-ranks over all services: ranks 1..n in order, priced functions by saving per effort point first', () => {
    expect(merged.functions.map((f) => f.rank)).toEqual(merged.functions.map((_, i) => i + 1));
    const priorities = merged.functions.filter((f) => f.plan?.monthlyNowMicroUsd != null).map((f) => f.plan?.priority ?? 0);
    expect(priorities.length).toBeGreaterThan(0);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    // Interleaved: the order is not "all of one service, then the other".
    const services = merged.functions.map((f) => f.service);
    const switches = services.filter((s, i) => i > 0 && s !== services[i - 1]).length;
    expect(switches).toBeGreaterThan(1);
  });

  it('sums the cost in integer micro-USD and says the regions differ and tiers are per account', () => {
    const a = costOf(orders);
    const b = costOf(sam);
    const c = costOf(merged);
    expect(a.monthlyMicroUsd).toBeGreaterThan(0);
    expect(b.monthlyMicroUsd).toBeGreaterThan(0);
    expect(c.monthlyMicroUsd).toBe(a.monthlyMicroUsd + b.monthlyMicroUsd);
    expect(c.planSavingMicroUsd).toBe(a.planSavingMicroUsd + b.planSavingMicroUsd);
    expect(c.monthlyAfterFreeTierMicroUsd).toBe(a.monthlyAfterFreeTierMicroUsd + b.monthlyAfterFreeTierMicroUsd);
    expect(c.functionsPriced).toBe(a.functionsPriced + b.functionsPriced);
    for (const s of c.scenarios) {
      const sa = a.scenarios.find((x) => x.id === s.id);
      const sb = b.scenarios.find((x) => x.id === s.id);
      expect(s.savingMicroUsd).toBe((sa?.savingMicroUsd ?? 0) + (sb?.savingMicroUsd ?? 0));
      expect(Number.isInteger(s.savingMicroUsd)).toBe(true);
    }
    expect(Number.isInteger(c.monthlyMicroUsd)).toBe(true);
    expect(c.region).toBe('eu-west-1, us-east-1');
    expect(c.basis).toBe('assumed');
    expect(c.freeTierMicroUsd).toBeNull();
    expect(c.notes).toContain(
      'price regions differ (orders-service us-east-1, reports-sam eu-west-1): the total adds months priced at different regional rates',
    );
    expect(c.notes.some((n) => n.startsWith('AWS applies the compute price tiers per account and region'))).toBe(true);
    expect(c.top.map((t) => t.id)).toEqual(
      merged.functions
        .filter((f) => (f.plan?.savingMicroUsd ?? 0) > 0)
        .slice(0, 3)
        .map((f) => f.id),
    );
  });

  it('says nothing about regions when they agree', () => {
    const same = mergeResults([input(orders, 'a.json', 'a'), input(orders, 'b.json', 'b')], '1.0.0');
    expect(costOf(same).region).toBe('us-east-1');
    expect(costOf(same).monthlyMicroUsd).toBe(2 * costOf(orders).monthlyMicroUsd);
    expect(costOf(same).notes.some((n) => n.startsWith('price regions differ'))).toBe(false);
  });

  it('is schema-valid JSON', () => {
    expect(validate(JSON.parse(JSON.stringify(merged))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('carries warnings and skipped files with the service prefix; complete only when all are', () => {
    const broken = structuredClone(sam);
    broken.complete = false;
    broken.skipped = [{ file: 'src/broken.ts', reason: 'parse_error', detail: 'Unexpected token' }];
    broken.warnings = ['no metrics: static estimate only'];
    const m = mergeResults([input(orders, 'orders.json'), input(broken, 'sam.json')], '1.0.0');
    expect(m.complete).toBe(false);
    expect(merged.complete).toBe(orders.complete && sam.complete);
    expect(m.skipped).toEqual([{ file: 'reports-sam:src/broken.ts', reason: 'parse_error', detail: 'Unexpected token' }]);
    expect(m.warnings).toContain('reports-sam: no metrics: static estimate only');
  });

  it('names services by NAME=, else the scanned root, else the file; refuses two with one name', () => {
    const dot = { ...orders, root: '.' };
    expect(serviceNameOf({ file: 'results/billing.json', name: null, result: dot })).toBe('billing');
    expect(serviceNameOf({ file: 'x.json', name: 'orders', result: orders })).toBe('orders');
    expect(serviceNameOf({ file: 'x.json', name: null, result: orders })).toBe('orders-service');
    expect(() => mergeResults([input(orders, 'a.json'), input(orders, 'b.json')], '1.0.0')).toThrow(InputError);
    expect(() => mergeResults([input(orders, 'a.json'), input(orders, 'b.json')], '1.0.0')).toThrow(
      "b.json: service name 'orders-service' is also the name of a.json",
    );
    expect(() => mergeResults([], '1.0.0')).toThrow('merge needs at least one result file');
  });

  it('merging a merged result keeps its services (no double prefix)', () => {
    const again = mergeResults([input(merged, 'all.json', 'all'), input(orders, 'o.json', 'orders-copy')], '1.0.0');
    expect(again.functions.filter((f) => f.service === 'orders-service')).toHaveLength(9);
    expect(again.functions.filter((f) => f.service === 'orders-copy')).toHaveLength(9);
    expect(again.functions.some((f) => f.id.startsWith('all:'))).toBe(false);
  });
});
