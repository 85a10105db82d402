import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entryKey, loadDefaultCatalog, type Catalog as EngineCatalog, type CatalogEntry } from '../src/graph/packages.js';
// The measuring script's own reading of the item list, so the test and the script agree on what an item means.
import { parseItem } from '../scripts/measure-catalog.mjs';

// The catalog is data shipped in the package; read it as a file, the way the engine does.
const here = path.dirname(fileURLToPath(import.meta.url));
const catalogPath = path.join(here, '..', 'rules', 'catalog', 'packages.json');
const listPath = path.join(here, '..', 'scripts', 'catalog-packages.json');
const loadsPath = path.join(here, '..', 'rules', 'catalog', 'package-loads.json');
const modelPath = path.join(here, '..', 'rules', 'catalog', 'load-model.json');

/** The file as the measuring script writes it: the engine's view of it, plus what only the script and this test read. */
interface Entry extends CatalogEntry {
  sizeBytes: number;
  esmOnly: boolean;
  runs: number;
  modules: number | null;
  bundleInputs: number | null;
}
interface Catalog extends EngineCatalog {
  description: string;
  method: string;
  environment: { node: string; platform: string; cpus: number; cpuModel: string };
  noise: { note: string; chunks: number; baselineMs: number[]; loadAvg1: number[] };
  packages: Entry[];
}

const text = readFileSync(catalogPath, 'utf8');
const catalog = JSON.parse(text) as Catalog;
const items = (JSON.parse(readFileSync(listPath, 'utf8')) as { packages: string[] }).packages;

// Packages the engine and the other rules lean on: they must stay measured.
const REQUIRED = [
  'aws-sdk',
  'aws-sdk/global',
  'aws-sdk/clients/s3',
  'aws-sdk/clients/dynamodb',
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-sqs',
  '@aws-sdk/client-sns',
  '@aws-sdk/lib-dynamodb',
  'lodash',
  'lodash/get',
  'moment',
  'axios',
  'express',
  '@middy/core',
  'zod',
  'joi',
  'pg',
  'mongoose',
  'uuid',
  'stripe',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/tracer',
  'algoliasearch',
  'graphql-tag',
  'chance',
];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (s: unknown): boolean => typeof s === 'string' && ISO_DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const isMs = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

describe('rules/catalog/packages.json', () => {
  const keys = catalog.packages.map((p) => entryKey(p));

  it('describes how it was measured and how noisy the machine was', () => {
    expect(catalog.description.length).toBeGreaterThan(0);
    expect(catalog.method).toMatch(/node -e/);
    expect(catalog.method).toMatch(/esbuild/);
    expect(catalog.environment.node).toMatch(/^v\d+\./);
    expect(catalog.environment.cpus).toBeGreaterThan(0);
    expect(isIsoDate(catalog.measuredAt)).toBe(true);
    expect(catalog.noise.chunks).toBeGreaterThan(0);
    expect(catalog.noise.loadAvg1).toHaveLength(3);
  });

  it('is compact: one line per entry', () => {
    const lines = text.split('\n').filter((l) => l.trimStart().startsWith('{"name":'));
    expect(lines).toHaveLength(catalog.packages.length);
  });

  it('has at least 500 entries, the required ones among them', () => {
    expect(catalog.packages.length).toBeGreaterThanOrEqual(500);
    expect(REQUIRED.filter((n) => !keys.includes(n))).toEqual([]);
  });

  it('every entry is an item (or a subpath of one) of scripts/catalog-packages.json', () => {
    const listed = new Set(items.flatMap((i) => parseItem(i).map((e) => e.key)));
    expect(keys.filter((k) => !listed.has(k))).toEqual([]);
  });

  it('has unique keys; one newest major per name', () => {
    expect(new Set(keys).size).toBe(keys.length);
    const latest = catalog.packages.filter((p) => p.latest !== false).map((p) => p.name);
    expect(new Set(latest).size).toBe(latest.length);
  });

  it('keeps two majors where their load differs: stripe 8 and the newest stripe', () => {
    const stripe = catalog.packages.filter((p) => p.name === 'stripe');
    expect(stripe.map((p) => p.major)).toContain(8);
    expect(stripe.length).toBeGreaterThanOrEqual(2);
  });

  it.each(catalog.packages.map((p) => [entryKey(p), p] as const))('%s is a complete entry', (_key, p) => {
    expect(p.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(p.major).toBe(Number(p.version.split('.')[0]));
    expect(isIsoDate(p.date)).toBe(true);
    expect(p.source).toMatch(/^measured: scripts\/measure-catalog\.mjs/);
    expect(Number.isInteger(p.runs) && p.runs > 0).toBe(true);
    // A load figure, unbundled or bundled, with CPU beside wall; a missing one says why.
    expect(isMs(p.requireMs) || isMs(p.bundledMs)).toBe(true);
    for (const [wall, cpu] of [
      ['requireMs', 'requireCpuMs'],
      ['bundledMs', 'bundledCpuMs'],
    ] as const) {
      if (isMs(p[wall])) expect(isMs(p[cpu])).toBe(true);
    }
    if (p.requireMs === null || p.bundledMs === null) expect(p.note ?? '').not.toBe('');
    if (isMs(p.bundledMs)) expect(Number.isInteger(p.bundleBytes) && (p.bundleBytes ?? 0) > 0).toBe(true);
  });

  it("times import() by default: an entry measured on the catalog's machine has an import figure or says why", () => {
    const here = catalog.packages.filter((p) => p.source.includes(catalog.environment.cpuModel));
    expect(here.length).toBeGreaterThan(0);
    const missing = here.filter((p) => !isMs(p.importCpuMs) && !/import\(\) fails/.test(p.note ?? ''));
    expect(missing.map((p) => entryKey(p))).toEqual([]);
  });

  it('has families with sources', () => {
    expect(catalog.families.map((f) => f.pattern)).toEqual(expect.arrayContaining(['@aws-sdk/client-*', 'aws-sdk/clients/*']));
    for (const f of catalog.families) {
      expect(f.source, f.pattern).toMatch(/\S/);
      expect(isIsoDate(f.date), f.pattern).toBe(true);
    }
  });
});

describe('catalog side files', () => {
  it('package-loads.json: per-package [modules, bytes] keyed like the entries', () => {
    const loads = JSON.parse(readFileSync(loadsPath, 'utf8')) as { entries: Record<string, Record<string, [number, number]>> };
    const keys = new Set(catalog.packages.map((p) => entryKey(p)));
    for (const [key, per] of Object.entries(loads.entries)) {
      expect(keys.has(key), key).toBe(true);
      for (const [dep, [m, b]] of Object.entries(per)) {
        expect(dep).toMatch(/^(@[^/]+\/)?[^@/]+@\d/);
        expect(Number.isInteger(m) && m > 0 && Number.isInteger(b) && b >= 0).toBe(true);
      }
    }
  });

  it('load-model.json: fitted coefficients with the fit date and residuals', () => {
    const model = JSON.parse(readFileSync(modelPath, 'utf8')) as Record<
      string,
      { perModuleMs: number; perKBMs: number; residuals: { n: number; medianFoldError: number } }
    > & { fittedAt: string };
    expect(isIsoDate(model.fittedAt)).toBe(true);
    for (const k of ['require', 'bundled'] as const) {
      expect(isMs(model[k]?.perModuleMs) && isMs(model[k]?.perKBMs)).toBe(true);
      expect(model[k]?.residuals.n).toBeGreaterThan(100);
      expect(model[k]?.residuals.medianFoldError).toBeGreaterThanOrEqual(1);
    }
    // The engine reads the same files.
    const engine = loadDefaultCatalog();
    expect(engine.model?.require.perKBMs).toBe(model.require?.perKBMs);
    expect(engine.loads?.size).toBeGreaterThan(0);
  });
});
