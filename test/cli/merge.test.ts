import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
import { scan } from '../../src/index.js';
import { REPO, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'h7c-merge-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const orders = await scan({ root: 'examples/orders-service', cwd: REPO });
const sam = await scan({ root: 'examples/reports-sam', cwd: REPO });
// Each repository's CI scans `.`: the file name then names the service.
writeFileSync(path.join(tmp, 'orders.json'), render({ ...orders, root: '.' }, 'json'));
writeFileSync(path.join(tmp, 'sam.json'), render(sam, 'json'));

const schema: unknown = JSON.parse(readFileSync(path.join(REPO, 'schema/scan-result.schema.json'), 'utf8'));
const isResult = new Ajv2020({ strict: false }).compile<ScanResult>(typeof schema === 'object' && schema !== null ? schema : {});

/** stdout as a result: it must pass the published schema. */
function parse(text: string): ScanResult {
  const data: unknown = JSON.parse(text);
  if (!isResult(data)) throw new Error(`not a valid result: ${JSON.stringify(isResult.errors)}`);
  return data;
}

describe('lambda-migrate merge', () => {
  it('merges saved results into one JSON result on stdout', async () => {
    const run = await runCli(['merge', 'orders.json', 'sam.json', '-f', 'json'], { cwd: tmp });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const merged = parse(run.out);
    expect(merged.root).toBe('orders + reports-sam');
    expect(merged.summary.functions).toBe(orders.functions.length + sam.functions.length);
    expect(merged.functions.filter((f) => f.service === 'orders')).toHaveLength(9);
    expect(merged.functions.map((f) => f.id)).toContain('orders:serverless.yml#createOrder');
  });

  it('NAME=FILE names a service; -o writes the report and says so on stderr', async () => {
    const run = await runCli(['merge', 'orders-service=orders.json', 'sam.json', '-f', 'markdown', '-o', 'review.md'], { cwd: tmp });
    expect(run.code).toBe(0);
    expect(run.out).toBe('');
    expect(run.err).toBe(`wrote review.md (markdown, 2 services, ${9 + sam.functions.length} handlers)\n`);
    expect(readFileSync(path.join(tmp, 'review.md'), 'utf8')).toContain('orders-service + reports-sam');
  });

  it('a bad input exits 2 with one line naming the file', async () => {
    writeFileSync(path.join(tmp, 'notjson.json'), '{ nope');
    writeFileSync(path.join(tmp, 'wrong.json'), JSON.stringify({ hello: 'world' }));
    writeFileSync(path.join(tmp, 'future.json'), JSON.stringify({ ...sam, schemaVersion: 2 }));
    const cases: [string, RegExp][] = [
      ['missing.json', /^lambda-migrate: result file not found: missing\.json$/],
      ['notjson.json', /^lambda-migrate: notjson\.json is not JSON: /],
      ['wrong.json', /^lambda-migrate: wrong\.json is not a lambda-migrate result /],
      ['future.json', /^lambda-migrate: future\.json was written by a newer lambda-migrate \(result schema 2; /],
    ];
    for (const [file, line] of cases) {
      const run = await runCli(['merge', 'sam.json', file], { cwd: tmp });
      expect(run.code, file).toBe(2);
      expect(run.err.split('\n')[0]).toMatch(line);
      expect(run.err.split('\n')).toHaveLength(3);
      expect(run.err.split('\n')[1]).toMatch(/^hint: /);
      expect(run.out).toBe('');
    }
    const twice = await runCli(['merge', 'sam.json', 'sam.json'], { cwd: tmp });
    expect(twice.code).toBe(2);
    expect(twice.err.split('\n')[0]).toBe("lambda-migrate: sam.json: service name 'reports-sam' is also the name of sam.json");
  });

  it('needs at least one file', async () => {
    const run = await runCli(['merge'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.err).toContain('Not enough non-option arguments');
  });
});
