import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { ModuleResolver } from '../../src/graph/resolve.js';
import type { ScanResult } from '../../src/model/result.js';
import { fixtures } from './helpers.js';

const schema: unknown = JSON.parse(readFileSync(new URL('../../schema/scan-result.schema.json', import.meta.url), 'utf8'));
if (typeof schema !== 'object' || schema === null) throw new Error('schema is not an object');
/** The published schema, as the guard that makes the parsed output a ScanResult. */
const isScanResult = new Ajv2020({ strict: true, allErrors: true }).compile<ScanResult>(schema);

async function cliJson(args: string[]): Promise<{ code: number; result: ScanResult }> {
  let out = '';
  const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined }, cwd: fixtures, env: { CI: '1' } };
  const code = await main(['scan', ...args, '-f', 'json', '-q'], io);
  const parsed: unknown = JSON.parse(out);
  if (!isScanResult(parsed)) throw new Error(`output does not match the schema: ${JSON.stringify(isScanResult.errors)}`);
  return { code, result: parsed };
}

describe('lambda-migrate scan on a monorepo with Serverless, SAM and Terraform services', async () => {
  const { code, result } = await cliJson(['discover-monorepo']);

  it('lists every function once, with its source file and init files across per-package paths, workspaces and layers', () => {
    expect(code).toBe(0);
    expect(result.functions.map((f) => [f.id, f.provider, f.handler.file, f.handler.line]).sort()).toEqual([
      ['services/billing/infra/main.tf#aws_lambda_function.charge', 'terraform', 'services/billing/src/charge.ts', 3],
      ['services/orders/serverless.yml#createOrder', 'serverless', 'services/orders/src/handlers/create.ts', 4],
      ['services/orders/serverless.yml#listOrders', 'serverless', 'services/orders/src/handlers/list.ts', 3],
      ['services/reports/template.yaml#ReportFunction', 'sam', 'services/reports/src/report.ts', 3],
    ]);
    const files = Object.fromEntries(result.functions.map((f) => [f.name, f.init?.files]));
    // `~/*` means src/* in orders and lib/* in reports; @acme/shared/log goes through an `exports` wildcard.
    expect(files).toEqual({
      charge: ['services/billing/src/charge.ts', 'services/billing/layer/nodejs/money.ts'],
      createOrder: ['services/orders/src/handlers/create.ts', 'packages/shared/src/log.ts', 'services/orders/src/lib/db.ts'],
      listOrders: ['services/orders/src/handlers/list.ts', 'services/orders/src/lib/db.ts'],
      ReportFunction: ['services/reports/src/report.ts', 'services/reports/lib/format.ts'],
    });
    expect(result.unreferenced).toEqual([]);
    expect(result.complete).toBe(true);
  });

  it('--iac and --exclude narrow the scan; an unknown --iac kind is a usage error', async () => {
    const onlyTf = await cliJson(['discover-monorepo', '--iac', 'terraform']);
    expect(onlyTf.result.functions.map((f) => f.name)).toEqual(['charge']);
    const noOrders = await cliJson(['discover-monorepo', '--exclude', 'services/orders/**']);
    expect(noOrders.result.functions.map((f) => f.name).sort()).toEqual(['ReportFunction', 'charge']);
    let err = '';
    const io: CliIo = { stdout: { write: () => undefined }, stderr: { write: (s: string) => (err += s) }, cwd: fixtures, env: {} };
    expect(await main(['scan', 'discover-monorepo', '--iac', 'chef'], io)).toBe(2);
    expect(err).toContain("unknown --iac kind 'chef'");
  });
});

describe('Lambda layer imports (/opt/nodejs)', () => {
  const files = ['svc/src/a.ts', 'svc/layers/common/nodejs/util.ts', 'other/layer/nodejs/util.ts', 'svc/layers/common/nodejs/deep/index.ts'];
  const resolver = new ModuleResolver(files, () => '{}');

  it('resolves through the nearest layer folder when no tsconfig path names it', () => {
    expect(resolver.resolve('svc/src/a.ts', '/opt/nodejs/util')).toEqual({ kind: 'file', file: 'svc/layers/common/nodejs/util.ts' });
    expect(resolver.resolve('svc/src/a.ts', '/opt/nodejs/deep')).toEqual({ kind: 'file', file: 'svc/layers/common/nodejs/deep/index.ts' });
    expect(resolver.resolve('svc/src/a.ts', '/opt/nodejs/missing')).toEqual({ kind: 'not_found' });
  });

  it('treats /opt/nodejs/node_modules/<pkg> as the package', () => {
    expect(resolver.resolve('svc/src/a.ts', '/opt/nodejs/node_modules/@aws-sdk/client-s3')).toEqual({
      kind: 'package',
      name: '@aws-sdk/client-s3',
      subpath: '',
    });
  });

  it('leaves other absolute paths not found', () => {
    expect(resolver.resolve('svc/src/a.ts', '/etc/passwd')).toEqual({ kind: 'not_found' });
  });
});
