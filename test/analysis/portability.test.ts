import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPortabilityCatalogs } from '../../src/analysis/catalogs.js';
import type { FunctionResult, PortabilityIssue } from '../../src/model/result.js';
import { scan } from '../../src/index.js';
import { scanFiles } from '../helpers/rule-tester.js';

const at = (i: PortabilityIssue): string => `${i.kind} ${i.name} ${i.file}:${i.line}:${i.column}`;

describe('portability and effort on a fixture with every kind of obstacle', () => {
  const files = {
    'handler.js': `const vm = require('node:vm');
const { execFile } = require('child_process');
const { Worker } = require('worker_threads');
const sharp = require('sharp');
const left = require('left-pad-2000');
const express = require('express');

exports.handler = async (event) => {
  const plugin = require('./plugins/' + event.name);
  const fn = new Function('a', 'return a + 1');
  const out = eval('1 + 1');
  const { default: pdf } = await import('pdfkit');
  return [vm, execFile, Worker, sharp, left, express, plugin, fn, out, pdf];
};
`,
  };

  it('lists Rust and LLRT blockers and risks with their places', async () => {
    const r = await scanFiles(files, []);
    const p = r.functions[0]?.portability;
    if (!p) throw new Error('no portability');
    expect(p.rust.verdict).toBe('blocked');
    expect(p.rust.blockers.map(at)).toEqual([
      'builtin node:vm handler.js:1:12',
      'dynamic-code new Function handler.js:10:14',
      'dynamic-code eval handler.js:11:15',
    ]);
    expect(p.rust.risks.map(at)).toEqual([
      'builtin node:child_process handler.js:2:22',
      'builtin node:worker_threads handler.js:3:20',
      'native-addon sharp handler.js:4:15',
      'unknown-package left-pad-2000 handler.js:5:14',
      "dynamic-require require('./plugins/' + event.name) handler.js:9:18",
      'no-equivalent pdfkit handler.js:12:1',
    ]);
    expect(p.llrt.verdict).toBe('blocked');
    expect(p.llrt.blockers.map(at)).toEqual([
      'builtin node:vm handler.js:1:12',
      'builtin node:worker_threads handler.js:3:20',
      'native-addon sharp handler.js:4:15',
      'llrt-unsupported express handler.js:6:17',
    ]);
    expect(p.llrt.risks.map(at)).toEqual([
      'builtin node:child_process handler.js:2:22',
      "dynamic-require require('./plugins/' + event.name) handler.js:9:18",
      'dynamic-code new Function handler.js:10:14',
      'dynamic-code eval handler.js:11:15',
    ]);
    expect(p.packages.map((e) => [e.package, e.fit, e.crates.join('+')])).toEqual([
      ['express', 'close', 'axum+lambda_http'],
      ['left-pad-2000', 'unknown', ''],
      ['pdfkit', 'partial', 'printpdf+genpdf'],
      ['sharp', 'close', 'image+fast_image_resize'],
    ]);
  });

  it('computes the effort from inputs a reader can recompute', async () => {
    const r = await scanFiles(files, []);
    const e = r.functions[0]?.effort;
    // 14 lines / 100 = 0.14; 4 packages x 0.25 = 1; 1 without equivalent (left-pad-2000) x 3 = 3;
    // tangle 0 x 6; 3 dynamic features (require(expr), new Function, eval) x 2 = 6; 1 other blocker (vm) x 2 = 2.
    // 0.14 + 1 + 3 + 6 + 2 = 12.14 -> 12.1 (one decimal): L.
    expect(e).toMatchObject({
      size: 'L',
      points: 12.1,
      inputs: {
        ownLines: 14,
        ownFiles: 1,
        packages: 4,
        packagesWithoutEquivalent: ['left-pad-2000'],
        tangleScore: 0,
        dynamicFeatures: 3,
        blockers: 1,
      },
    });
  });

  it('finds a native addon in an installed package by its binding.gyp', async () => {
    const r = await scanFiles(
      {
        'handler.js': `const fast = require('fast-hash');\nexports.handler = async () => fast;\n`,
        'node_modules/fast-hash/package.json': '{"name":"fast-hash","version":"1.0.0","main":"index.js"}',
        'node_modules/fast-hash/index.js': 'module.exports = 1;\n',
        'node_modules/fast-hash/binding.gyp': '{}\n',
      },
      [],
    );
    expect(r.functions[0]?.portability?.llrt.blockers.map(at)).toEqual(['native-addon fast-hash handler.js:1:14']);
  });
});

describe('portability on the example services', () => {
  const byName = (fns: FunctionResult[], name: string): FunctionResult => {
    const f = fns.find((x) => x.name === name);
    if (!f) throw new Error(name);
    return f;
  };

  it('orders-service: aws-sdk v2 and the express app block LLRT; Rust is ready except for pdfkit', async () => {
    const r = await scan({ root: 'examples/orders-service', config: false });
    const v = Object.fromEntries(
      r.functions.map((f) => [f.name, [f.portability?.rust.verdict, f.portability?.llrt.verdict, f.effort?.size, f.effort?.points]]),
    );
    expect(v).toEqual({
      createOrder: ['ready', 'blocked', 'M', 4.2],
      getOrder: ['ready', 'blocked', 'S', 2],
      ordersApi: ['ready', 'blocked', 'M', 4.1],
      processOrders: ['ready', 'ready', 'M', 5.3],
      paymentWebhook: ['ready', 'risky', 'S', 1.3],
      generateInvoice: ['risky', 'ready', 'S', 3.8],
      health: ['ready', 'ready', 'S', 0.6],
      adminListOrders: ['ready', 'blocked', 'S', 2.4],
      adminPurgeOrders: ['ready', 'blocked', 'S', 2.8],
    });
    expect(byName(r.functions, 'ordersApi').portability?.llrt.blockers.map(at)).toEqual([
      'llrt-unsupported express src/handlers/orders-api.js:4:17',
      'llrt-unsupported serverless-http src/handlers/orders-api.js:5:20',
      'llrt-unsupported aws-sdk src/lib/db.ts:1:1',
    ]);
    // createOrder: 297 own lines / 100 = 2.97 + 5 packages x 0.25 = 4.22 -> 4.2.
    expect(byName(r.functions, 'createOrder').effort?.inputs).toMatchObject({ ownLines: 297, packages: 5, tangleScore: 0 });
    expect(byName(r.functions, 'generateInvoice').portability?.rust.risks.map(at)).toEqual([
      'no-equivalent pdfkit src/handlers/generate-invoice.ts:38:1',
    ]);
  });
});

describe('rules/catalog portability data', () => {
  const dir = new URL('../../rules/catalog/', import.meta.url);
  const rust = JSON.parse(readFileSync(new URL('rust-equivalents.json', dir), 'utf8')) as {
    packages: { package: string; source: string; date: string; fit: string; note: string }[];
  };
  const heavy = JSON.parse(readFileSync(new URL('packages.json', dir), 'utf8')) as { packages: { name: string }[] };
  // The load-cost catalog grew to several hundred packages (issue 13); the Rust mapping keeps covering the core
  // that the catalog held before, which is what Lambda handlers import most.
  const CORE = [
    '@aws-lambda-powertools/logger',
    '@aws-lambda-powertools/metrics',
    '@aws-lambda-powertools/parameters',
    '@aws-lambda-powertools/parameters/ssm',
    '@aws-lambda-powertools/tracer',
    '@aws-sdk/client-cloudwatch',
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-kinesis',
    '@aws-sdk/client-lambda',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-sns',
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-ssm',
    '@aws-sdk/lib-dynamodb',
    '@aws-sdk/util-dynamodb',
    '@middy/core',
    '@middy/http-error-handler',
    '@middy/http-json-body-parser',
    '@octokit/rest',
    '@vendia/serverless-express',
    'ajv',
    'aws-sdk',
    'aws-sdk/clients/dynamodb',
    'aws-sdk/clients/s3',
    'aws-xray-sdk-core',
    'axios',
    'bcryptjs',
    'class-validator',
    'date-fns',
    'date-fns/format',
    'dayjs',
    'exceljs',
    'express',
    'fastify',
    'got',
    'graphql',
    'ioredis',
    'joi',
    'jsonwebtoken',
    'knex',
    'koa',
    'lodash',
    'lodash/fp',
    'lodash/get',
    'luxon',
    'moment',
    'moment-timezone',
    'mongoose',
    'mysql2',
    'nanoid',
    'node-fetch',
    'pdfkit',
    'pg',
    'pino',
    'redis',
    'serverless-http',
    'sharp',
    'stripe',
    'uuid',
    'winston',
    'yup',
    'zod',
  ];

  it('maps the core packages of the load-cost catalog, plus well over a hundred common ones', () => {
    const catalogs = loadPortabilityCatalogs();
    const names = new Set(heavy.packages.map((p) => p.name));
    expect(CORE.filter((n) => names.has(n) && catalogs.equivalentOf(n).fit === 'unknown')).toEqual([]);
    expect(rust.packages.length).toBeGreaterThanOrEqual(160);
    expect(catalogs.equivalentOf('@aws-sdk/client-secrets-manager')).toMatchObject({ crates: ['aws-sdk-secretsmanager'], fit: 'direct' });
    expect(catalogs.equivalentOf('lodash/chunk')).toMatchObject({ fit: 'std' });
  });

  it('gives every entry a source and an ISO date, and a fit the code knows', () => {
    const bad = rust.packages.filter(
      (p) => !p.source || !/^\d{4}-\d{2}-\d{2}$/.test(p.date) || !['direct', 'close', 'partial', 'std', 'none'].includes(p.fit) || !p.note,
    );
    expect(bad).toEqual([]);
    for (const file of ['native-packages.json', 'llrt-modules.json']) {
      const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, { source: string; date: string }[] | string>;
      for (const list of Object.values(data)) {
        if (typeof list === 'string') continue;
        expect(
          list.filter((e) => !e.source || !/^\d{4}-\d{2}-\d{2}$/.test(e.date)),
          file,
        ).toEqual([]);
      }
    }
  });

  it('reads LLRT support from its published matrix', () => {
    const c = loadPortabilityCatalogs();
    expect([c.llrtBuiltin('path'), c.llrtBuiltin('fs'), c.llrtBuiltin('vm'), c.llrtBuiltin('worker_threads')]).toEqual([
      'full',
      'partial',
      'none',
      'none',
    ]);
  });
});
