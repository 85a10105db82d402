import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { runCli, type CliRun } from '../helpers/cli.js';

const repo = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-scan-metrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (argv: string[]): Promise<CliRun> => runCli(argv);

function parse(text: string): ScanResult {
  return JSON.parse(text) as ScanResult;
}

function fn(result: ScanResult, name: string): FunctionResult {
  const f = result.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

/** Independent count: REPORT messages in the text export and platform.report records in the JSON one, per group. */
function countByGroup(): Map<string, { invocations: number; cold: number }> {
  const counts = new Map<string, { invocations: number; cold: number }>();
  const bump = (group: string, cold: boolean): void => {
    const c = counts.get(group) ?? { invocations: 0, cold: 0 };
    c.invocations++;
    if (cold) c.cold++;
    counts.set(group, c);
  };
  const text = readFileSync(path.join(repo, 'examples/orders-service/logs/text-report.log'), 'utf8');
  for (const m of text.matchAll(/^(\S+)\t\S+\tREPORT RequestId:[^\n]*/gm)) bump(m[1] ?? '', m[0].includes('Init Duration: '));
  const jsonl = readFileSync(path.join(repo, 'examples/orders-service/logs/platform-report.jsonl'), 'utf8');
  for (const m of jsonl.matchAll(/^\{"logGroup":"([^"]+)"[^\n]*"type":"platform\.report"[^\n]*$/gm))
    bump(m[1] ?? '', m[0].includes('"initDurationMs"'));
  return counts;
}

describe('scan --logs on the bundled example (the README quickstart)', async () => {
  const json = await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '-f', 'json']);
  const result = parse(json.out);
  // A wide terminal: these tests read whole lines of the detailed report.
  const text = await runCli(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '--detail'], { columns: 1000 });

  it("exits 0 and fills every function's metrics from the logs, matched through the deployed names", () => {
    expect(json.code).toBe(0);
    expect(result.summary.metricsSource).toBe('logs');
    expect(result.functions).toHaveLength(9);
    const counts = countByGroup();
    expect(counts.size).toBe(9);
    for (const f of result.functions) {
      const group = `/aws/lambda/${f.deployedNames[0] ?? ''}`;
      const c = counts.get(group);
      expect(f.metrics?.status, f.name).toBe('ok');
      expect(f.metrics?.source).toBe('logs');
      expect(f.metrics?.logGroups).toEqual([group]);
      expect([f.metrics?.invocations, f.metrics?.coldStarts], f.name).toEqual([c?.invocations, c?.cold]);
    }
    expect(result.warnings.filter((w) => w.includes('metrics'))).toEqual([]);
  });

  it('states literal figures checked by hand', () => {
    expect(fn(result, 'health').metrics?.initMs).toEqual({ p50: 177.93, p90: 201.92, p99: 201.92, avg: 175.28, max: 201.92 });
    expect([fn(result, 'processOrders').metrics?.invocations, fn(result, 'processOrders').metrics?.coldStarts]).toEqual([91, 26]);
    expect([fn(result, 'createOrder').metrics?.invocations, fn(result, 'createOrder').metrics?.coldStarts]).toEqual([64, 16]);
  });

  it('shows the measured init next to the estimate in the text report', () => {
    expect(text.code).toBe(0);
    const lines = text.out.split('\n');
    const at = lines.findIndex((l) => /^#\d+ health /.test(l));
    expect(lines[at + 2]).toMatch(/^ {3}est\. init \d+ ms · /);
    // The provider's NODE_OPTIONS --enable-source-maps is the runtime addition every function carries.
    expect(lines[at + 3]).toBe('   runtime adds ~15 ms at init: NODE_OPTIONS --enable-source-maps 15 ms (serverless.yml:54)');
    expect(lines[at + 4]).toBe('   measured init p50 177.9 ms · p90 201.9 · p99 201.9 · max 201.9 ms · 7 cold starts in 80 invocations');
    expect(lines[at + 5]).toMatch(
      /^ {3}measured duration avg [\d.,]+ ms · p99 [\d.,]+ ms · billed avg [\d.,]+ ms · max memory \d+ of 128 MB · logs 2026-11-18 \.\. 2026-11-18$/,
    );
  });

  it('and in the markdown report, with a measured column in the summary', async () => {
    const md = await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '-f', 'markdown']);
    expect(md.out).toContain('| # | Function | Est. init (ms) | Measured p50 (ms) | Now / month | Saves / month | Findings |');
    expect(md.out).toMatch(/\| \d+ \| `health` \| \d+ \| 177\.9 \| \$[\d.]+ \| \$[\d.]+ \| \d+ \|/);
    expect(md.out).toContain('- Measured init p50 177.9 ms · p90 201.9 · p99 201.9 · max 201.9 ms · 7 cold starts in 80 invocations');
  });

  it('never echoes log text', () => {
    for (const out of [json.out, text.out]) {
      expect(out).not.toContain('@example.');
      expect(out).not.toContain('RequestId');
    }
  });
});

describe('matching and unmatched data', () => {
  it('--function-map sends a function to another deployed name; unmatched sides are listed, never shown as 0', async () => {
    const map = path.join(tmp, 'map.json');
    writeFileSync(map, JSON.stringify({ 'serverless.yml#createOrder': 'orders-prod-createOrder', health: '/aws/lambda/orders-dev-health' }));
    const r = await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '--function-map', map, '-f', 'json']);
    const result = parse(r.out);
    const create = fn(result, 'createOrder').metrics;
    expect(create?.status).toBe('unmatched');
    expect(create?.invocations).toBeNull();
    expect(create?.detail).toBe('nothing measured for /aws/lambda/orders-prod-createOrder');
    expect(fn(result, 'health').metrics?.invocations).toBe(80);
    expect(result.warnings).toContain('metrics: no log group matched 1 function(s): createOrder (map them with --function-map)');
    expect(result.warnings).toContain('metrics: 1 measured entry matches no discovered function: /aws/lambda/orders-dev-createOrder');
    const text = await runCli(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '--function-map', map, '--detail'], {
      columns: 1000,
    });
    expect(text.out).toContain('   measured: no measurements matched (nothing measured for /aws/lambda/orders-prod-createOrder) · logs\n');
  });

  it('a plain export is matched by --function to a logical name', async () => {
    const lines = readFileSync(path.join(repo, 'examples/orders-service/logs/text-report.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('/aws/lambda/orders-dev-getOrder\t'))
      .map((l) => l.split('\t').slice(2).join('\t'));
    const file = path.join(tmp, 'export-1.txt');
    writeFileSync(file, lines.join('\n'));
    const r = await run(['scan', 'examples/orders-service', '--logs', file, '--function', `${file}=getOrder`, '-f', 'json']);
    const result = parse(r.out);
    expect(fn(result, 'getOrder').metrics?.invocations).toBe(56);
    expect(fn(result, 'getOrder').metrics?.coldStarts).toBe(9);
    expect(fn(result, 'health').metrics?.status).toBe('unmatched');
  });

  it("--since/--until take ISO dates or durations ago; anything else is the user's error", async () => {
    const { parseWhen } = await import('../../src/cli/metrics-cli.js');
    const now = new Date('2026-11-27T12:00:00.000Z');
    expect(parseWhen('14d', now, '--since').toISOString()).toBe('2026-11-13T12:00:00.000Z');
    expect(parseWhen('36h', now, '--since').toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(parseWhen('2026-11-01', now, '--since').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    const r = await run(['scan', 'examples/orders-service', '--aws', '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "lambda-migrate: bad --since 'yesterday'\nhint: use an ISO date/time (2026-11-01, 2026-11-01T12:00Z) or a duration ago (14d, 36h, 90m)\n",
    );
    const m = await run(['metrics']);
    expect(m.code).toBe(2);
    expect(m.err).toContain('lambda-migrate: nothing to measure');
  });

  it("bad combinations are the user's error (exit 2)", async () => {
    const r = await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '--aws']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--logs and --aws cannot be combined');
    const f = await run(['scan', 'examples/orders-service', '--function', 'a=b']);
    expect(f.code).toBe(2);
    expect(f.err).toContain('--function needs --logs');
  });
});

describe('lambda-migrate metrics -> scan --metrics', () => {
  it('writes a versioned snapshot that validates against its schema, and scan reuses it with the same figures', async () => {
    const snap = path.join(tmp, 'snap.json');
    const w = await run(['metrics', '--logs', 'examples/orders-service/logs', '-o', snap]);
    expect(w.code).toBe(0);
    expect(w.err).toContain('(9 measured, logs)');
    const data: unknown = JSON.parse(readFileSync(snap, 'utf8'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(JSON.parse(readFileSync(path.join(repo, 'schema/scan-result.schema.json'), 'utf8')));
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(repo, 'schema/metrics-snapshot.schema.json'), 'utf8')));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(readFileSync(snap, 'utf8')).not.toContain('@example.');

    const fromLogs = parse((await run(['scan', 'examples/orders-service', '--logs', 'examples/orders-service/logs', '-f', 'json'])).out);
    const fromSnap = parse((await run(['scan', 'examples/orders-service', '--metrics', snap, '-f', 'json'])).out);
    expect(fromSnap.summary.metricsSource).toBe('snapshot');
    for (const f of fromLogs.functions) {
      const s = fn(fromSnap, f.name).metrics;
      expect(s?.source).toBe('snapshot');
      expect(s?.measuredBy).toBe('logs');
      expect({ ...s, source: 'logs' }).toEqual(f.metrics);
    }
  });

  it('rejects a file that is not a snapshot (exit 2, one line and a hint)', async () => {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'something-else' }));
    const r = await run(['scan', 'examples/orders-service', '--metrics', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^lambda-migrate: --metrics: .*bad\.json is not a lambda-migrate metrics snapshot \(/);
    expect(r.err).toContain('hint: write one with: lambda-migrate metrics');
  });
});
