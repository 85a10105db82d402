import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Catalog as EngineCatalog, CatalogEntry } from '../src/graph/packages.js';

// The catalog is data shipped in the package; read it as a file, the way the engine does.
const here = path.dirname(fileURLToPath(import.meta.url));
const catalogPath = path.join(here, '..', 'rules', 'catalog', 'packages.json');
const listPath = path.join(here, '..', 'scripts', 'catalog-packages.json');

/** The file as the measuring script writes it: the engine's view of it, plus what only the script and this test read. */
interface Entry extends CatalogEntry {
  requireEsmMs?: number;
  sizeBytes: number;
  esmOnly?: boolean;
}
interface Catalog extends EngineCatalog {
  description: string;
  method: string;
  environment: { node: string; platform: string; cpus: number; cpuModel: string };
  runs: number;
  packages: Entry[];
}

const catalog = JSON.parse(readFileSync(catalogPath, 'utf8')) as Catalog;
const list = JSON.parse(readFileSync(listPath, 'utf8')) as {
  packages: { name: string; version: string; subpaths?: string[] }[];
};

const REQUIRED = [
  'aws-sdk', '@aws-sdk/client-dynamodb', '@aws-sdk/client-s3', '@aws-sdk/client-sqs', '@aws-sdk/client-sns',
  '@aws-sdk/client-ssm', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-lambda', '@aws-sdk/client-eventbridge',
  '@aws-sdk/client-kinesis', '@aws-sdk/client-cloudwatch', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb',
  'lodash', 'lodash/get', 'moment', 'moment-timezone', 'axios', 'got', 'node-fetch', 'express', 'koa', 'fastify',
  'serverless-http', '@vendia/serverless-express', '@middy/core', '@middy/http-json-body-parser',
  '@middy/http-error-handler', 'joi', 'zod', 'yup', 'ajv', 'pg', 'mysql2', 'mongoose', 'ioredis', 'redis', 'knex',
  'jsonwebtoken', 'date-fns', 'dayjs', 'luxon', 'winston', 'pino', 'uuid', 'aws-xray-sdk-core',
  '@aws-lambda-powertools/logger', '@aws-lambda-powertools/tracer', '@aws-lambda-powertools/metrics',
  '@aws-lambda-powertools/parameters', 'pdfkit', 'exceljs', 'sharp', 'stripe', '@octokit/rest', 'graphql',
  'class-validator', 'bcryptjs', 'nanoid',
];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (s: unknown): boolean =>
  typeof s === 'string' && ISO_DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const isMs = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

describe('rules/catalog/packages.json', () => {
  const names = catalog.packages.map((p) => p.name);

  it('describes how it was measured', () => {
    expect(catalog.description.length).toBeGreaterThan(0);
    expect(catalog.method).toMatch(/node -e/);
    expect(catalog.environment.node).toMatch(/^v\d+\./);
    expect(catalog.environment.platform).toMatch(/^\w+-\w+$/);
    expect(catalog.environment.cpus).toBeGreaterThan(0);
    expect(isIsoDate(catalog.measuredAt)).toBe(true);
    expect(isMs(catalog.baselineMs)).toBe(true);
    expect(Number.isInteger(catalog.runs) && catalog.runs > 0).toBe(true);
  });

  it('covers every required package', () => {
    const missing = REQUIRED.filter((n) => !names.includes(n));
    expect(missing).toEqual([]);
  });

  it('covers every package and subpath in scripts/catalog-packages.json', () => {
    const listed = list.packages.flatMap((p) => [p.name, ...(p.subpaths ?? [])]);
    expect(listed.filter((n) => !names.includes(n))).toEqual([]);
  });

  it('has unique names, sorted', () => {
    expect(new Set(names).size).toBe(names.length);
    const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(names).toEqual(sorted);
  });

  it.each(catalog.packages.map((p) => [p.name, p] as const))('%s is a complete entry', (_name, p) => {
    // At least one load figure, and every figure present is a non-negative number or null.
    expect(isMs(p.requireMs) || isMs(p.importMs)).toBe(true);
    for (const key of ['requireMs', 'importMs'] as const) {
      expect(p[key] === null || isMs(p[key])).toBe(true);
    }
    if (p.requireEsmMs !== undefined) expect(isMs(p.requireEsmMs)).toBe(true);
    // A missing figure must say why.
    if (p.requireMs === null || p.importMs === null) expect(p.note ?? '').not.toBe('');
    expect(p.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Number.isInteger(p.sizeBytes) && p.sizeBytes > 0).toBe(true);
    expect(p.source).toMatch(/\S/);
    expect(isIsoDate(p.date)).toBe(true);
  });

  it('records the pinned version for each listed package', () => {
    for (const p of list.packages) {
      const entry = catalog.packages.find((e) => e.name === p.name);
      expect(entry?.version, p.name).toBe(p.version);
    }
  });

  it('has families with sources', () => {
    const patterns = catalog.families.map((f) => f.pattern);
    expect(patterns).toEqual(expect.arrayContaining(['@aws-sdk/client-*', '@aws-lambda-powertools/*', '@middy/*']));
    for (const f of catalog.families) {
      expect(f.source, f.pattern).toMatch(/\S/);
      expect(isIsoDate(f.date), f.pattern).toBe(true);
      expect(isMs(f.requireMs) || isMs(f.importMs), f.pattern).toBe(true);
    }
  });

  it('gives the @aws-sdk/client-* family the median of the measured clients', () => {
    const fam = catalog.families.find((f) => f.pattern === '@aws-sdk/client-*');
    const xs = catalog.packages
      .filter((p) => /^@aws-sdk\/client-[^/]+$/.test(p.name))
      .map((p) => p.importMs)
      .filter(isMs)
      .sort((a, b) => a - b);
    const m = xs.length >> 1;
    const median = xs.length % 2 ? xs[m] : ((xs[m - 1] ?? 0) + (xs[m] ?? 0)) / 2;
    // The file rounds every figure to 0.1 ms, the family median included.
    expect(fam?.importMs).toBe(Math.round((median ?? NaN) * 10) / 10);
  });
});
