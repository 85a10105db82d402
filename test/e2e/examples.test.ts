import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FunctionResult, ScanResult } from '../../src/model/result.js';
import { render } from '../../src/report/index.js';
import { scan } from '../../src/index.js';
import { golden } from '../helpers/golden.js';

const repo = path.resolve(import.meta.dirname, '../..');

const orders = await scan({ root: 'examples/orders-service', cwd: repo });
const sam = await scan({ root: 'examples/reports-sam', cwd: repo });

function fn(result: ScanResult, name: string): FunctionResult {
  const f = result.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name}`);
  return f;
}

/** Findings of the rules whose verdict does not depend on catalog figures, as `rule file:line:col`. */
/** Findings about the code; deprecated-runtime is about the IaC and is asserted on its own. */
function structuralFindings(f: FunctionResult): string[] {
  return f.findings
    .filter((x) => x.ruleId !== 'heavy-init-import' && x.ruleId !== 'deprecated-runtime' && x.ruleId !== 'runtime-addition')
    .map((x) => `${x.ruleId} ${x.file}:${x.line}:${x.column}`)
    .sort();
}

const chains = (f: FunctionResult): Record<string, string> =>
  Object.fromEntries((f.init?.packages ?? []).map((p) => [p.name + (p.subpaths.length ? `/${p.subpaths.join('|')}` : ''), p.chain.join(' > ')]));

describe('the bundled example: orders-service (Serverless Framework)', () => {
  it('finds all nine handlers, declared where serverless.yml says, with deployed names', () => {
    expect(orders.complete).toBe(true);
    expect(orders.skipped).toEqual([]);
    expect(
      orders.functions.map((f) => [f.name, f.declaredIn.line, f.handler.file, f.handler.export, f.handler.line, f.deployedNames[0]]).sort(),
    ).toEqual([
      ['adminListOrders', 170, 'src/handlers/admin.ts', 'list', 24, 'orders-dev-adminListOrders'],
      ['adminPurgeOrders', 178, 'src/handlers/admin.ts', 'purge', 35, 'orders-dev-adminPurgeOrders'],
      ['createOrder', 90, 'src/handlers/create-order.ts', 'handler', 40, 'orders-dev-createOrder'],
      ['generateInvoice', 150, 'src/handlers/generate-invoice.ts', 'handler', 23, 'orders-dev-generateInvoice'],
      ['getOrder', 99, 'src/handlers/get-order.ts', 'handler', 15, 'orders-dev-getOrder'],
      ['health', 161, 'src/handlers/health.ts', 'handler', 18, 'orders-dev-health'],
      ['ordersApi', 108, 'src/handlers/orders-api.js', 'handler', 86, 'orders-dev-ordersApi'],
      ['paymentWebhook', 131, 'src/handlers/payment-webhook.mjs', 'handler', 23, 'orders-dev-paymentWebhook'],
      ['processOrders', 118, 'src/handlers/process-orders.ts', 'handler', 61, 'orders-dev-processOrders'],
    ]);
  });

  it('the shared lib module drags the whole aws-sdk v2 into five handlers, through the @lib alias and a CommonJS require', () => {
    const withV2 = orders.functions.filter((f) => f.init?.packages.some((p) => p.name === 'aws-sdk')).map((f) => [f.name, chains(f)['aws-sdk']]);
    expect(withV2.sort()).toEqual([
      ['adminListOrders', 'src/handlers/admin.ts > src/lib/db.ts'],
      ['adminPurgeOrders', 'src/handlers/admin.ts > src/lib/db.ts'],
      ['createOrder', 'src/handlers/create-order.ts > src/lib/db.ts'],
      ['getOrder', 'src/handlers/get-order.ts > src/lib/db.ts'],
      ['ordersApi', 'src/handlers/orders-api.js > src/lib/db.ts'],
    ]);
  });

  it("lists each handler's init packages with their chains", () => {
    expect(chains(fn(orders, 'createOrder'))).toEqual({
      'aws-sdk': 'src/handlers/create-order.ts > src/lib/db.ts',
      '@aws-sdk/client-sqs': 'src/handlers/create-order.ts',
      lodash: 'src/handlers/create-order.ts',
      moment: 'src/handlers/create-order.ts',
      uuid: 'src/handlers/create-order.ts',
    });
    expect(chains(fn(orders, 'ordersApi'))).toEqual({
      'aws-sdk': 'src/handlers/orders-api.js > src/lib/db.ts',
      express: 'src/handlers/orders-api.js',
      joi: 'src/handlers/orders-api.js',
      'serverless-http': 'src/handlers/orders-api.js',
      uuid: 'src/handlers/orders-api.js',
    });
    expect(chains(fn(orders, 'processOrders'))).toEqual({
      '@aws-sdk/client-dynamodb': 'src/handlers/process-orders.ts > src/lib/ddb.ts',
      '@aws-sdk/lib-dynamodb': 'src/handlers/process-orders.ts',
      '@middy/core': 'src/handlers/process-orders.ts',
      '@middy/sqs-partial-batch-failure': 'src/handlers/process-orders.ts',
    });
    expect(chains(fn(orders, 'adminListOrders'))).toEqual({
      'aws-sdk': 'src/handlers/admin.ts > src/lib/db.ts',
      'lodash/chunk': 'src/handlers/admin.ts',
    });
  });

  it('does not count type-only imports or the lazy pdfkit import as init', () => {
    const invoice = fn(orders, 'generateInvoice');
    // generate-invoice.ts imports a type from lib/db.ts: erased, so no aws-sdk for this function.
    expect(invoice.init?.files).not.toContain('src/lib/db.ts');
    expect(invoice.init?.packages.map((p) => p.name)).not.toContain('aws-sdk');
    expect(invoice.init?.packages.map((p) => p.name)).not.toContain('pdfkit');
    expect(invoice.init?.lazy).toEqual([{ file: 'src/handlers/generate-invoice.ts', line: 38, specifier: 'pdfkit' }]);
  });

  it('reports the structural findings exactly, and nothing for the clean health check', () => {
    const v2 = 'aws-sdk-v2-whole src/lib/db.ts:1:1';
    expect(structuralFindings(fn(orders, 'createOrder'))).toEqual([v2]);
    expect(structuralFindings(fn(orders, 'getOrder'))).toEqual([v2]);
    expect(structuralFindings(fn(orders, 'ordersApi'))).toEqual([v2, 'serverless-http-monolith src/handlers/orders-api.js:86:1']);
    expect(structuralFindings(fn(orders, 'adminListOrders'))).toEqual([v2]);
    expect(structuralFindings(fn(orders, 'processOrders'))).toEqual(['await-in-loop src/handlers/process-orders.ts:27:11']);
    expect(structuralFindings(fn(orders, 'paymentWebhook'))).toEqual(['module-scope-io src/handlers/payment-webhook.mjs:10:22']);
    expect(structuralFindings(fn(orders, 'generateInvoice'))).toEqual(['client-in-handler src/handlers/generate-invoice.ts:24:14']);
    expect(fn(orders, 'paymentWebhook').init?.topLevelAwait).toEqual([{ file: 'src/handlers/payment-webhook.mjs', line: 10, column: 16 }]);
    const health = fn(orders, 'health');
    expect(structuralFindings(health)).toEqual([]);
    // provider.runtime nodejs20.x (line 29) passed its deprecation date (2026-04-30) by the schedule's date.
    for (const f of orders.functions) {
      expect(
        f.findings.filter((x) => x.ruleId === 'deprecated-runtime').map((x) => `${x.severity} ${x.file}:${x.line}:${x.column}`),
        f.name,
      ).toEqual(['warn serverless.yml:29:1']);
      // provider.environment NODE_OPTIONS: --enable-source-maps (line 54) reaches every function: 15 ms each.
      expect(
        f.findings.filter((x) => x.ruleId === 'runtime-addition').map((x) => `${x.severity} ${x.file}:${x.line}:${x.column} ${x.estInitMs ?? '?'}`),
        f.name,
      ).toEqual(['info serverless.yml:54:1 15']);
    }
    expect(health.init?.packages).toEqual([]);
    expect(health.rank).toBe(orders.functions.length);
  });

  it('express behind serverless-http is flagged as a heavy init import at its require', () => {
    const api = fn(orders, 'ordersApi');
    const express = api.findings.find((f) => f.ruleId === 'heavy-init-import' && f.message.startsWith("'express'"));
    expect(express && `${express.file}:${express.line}:${express.column}`).toBe('src/handlers/orders-api.js:4:17');
  });

  it('ranks functions by estimated init, most expensive first', () => {
    const ms = orders.functions.map((f) => f.init?.estInitMs ?? 0);
    expect(ms).toEqual([...ms].sort((a, b) => b - a));
    expect(orders.functions.map((f) => f.rank)).toEqual(orders.functions.map((_, i) => i + 1));
  });

  it('matches the golden reports', () => {
    expect(render(orders, 'text')).toBe(golden('examples-orders-service.txt', render(orders, 'text')));
    expect(render(orders, 'markdown')).toBe(golden('examples-orders-service.md', render(orders, 'markdown')));
    expect(render(orders, 'json')).toBe(golden('examples-orders-service.json', render(orders, 'json')));
  });
});

describe('the bundled example: reports-sam (SAM)', () => {
  it('finds the three functions with Globals applied and the esbuild entry point mapped to its source', () => {
    expect(sam.functions.map((f) => [f.name, f.handler.file, f.handler.mapping, f.runtime, f.architecture, f.memoryMB]).sort()).toEqual([
      ['DailyReportFunction', 'src/daily-report.js', 'exact', 'nodejs20.x', 'arm64', 512],
      ['ExportFunction', 'src/handlers/export.ts', 'mapped', 'nodejs20.x', 'arm64', 1024],
      ['ReportScheduleFunction', 'functions/report-schedule/index.mjs', 'exact', 'nodejs20.x', 'arm64', 128],
    ]);
  });

  it('finds the N+1 axios loop, not a module-scope pg pool, and nothing in the clean function', () => {
    expect(structuralFindings(fn(sam, 'DailyReportFunction'))).toEqual(['await-in-loop src/daily-report.js:56:11']);
    expect(chains(fn(sam, 'DailyReportFunction'))).toMatchObject({
      pg: 'src/daily-report.js > src/lib/pool.js',
      winston: 'src/daily-report.js > src/lib/logger.js',
    });
    expect(structuralFindings(fn(sam, 'ReportScheduleFunction'))).toEqual([]);
  });

  it('never lets an environment variable value from the template reach any output', () => {
    const secret = 'Rp0rt5-r3ad0nly-7Qz!x9vK2m';
    for (const format of ['text', 'json', 'markdown'] as const) expect(render(sam, format)).not.toContain(secret);
  });

  it('matches the golden JSON', () => {
    expect(render(sam, 'json')).toBe(golden('examples-reports-sam.json', render(sam, 'json')));
  });
});
