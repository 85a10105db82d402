import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DiskSourceTree } from '../../src/source/tree.js';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initClosure, type GraphInputs } from '../../src/graph/closure.js';
import { extractFacts, type FileFacts } from '../../src/graph/facts.js';
import { PackageCostModel, type Catalog } from '../../src/graph/packages.js';
import { ModuleResolver } from '../../src/graph/resolve.js';
import type { Packaging } from '../../src/model/result.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The closure of `handler.js` in a throwaway tree, priced with `catalog`, as `packaging` says it ships. */
function closureOf(files: Record<string, string>, catalog: Catalog, packaging?: Packaging) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'lm-bundled-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  const facts = new Map<string, FileFacts>();
  for (const [rel, text] of Object.entries(files)) {
    const out = /\.[cm]?[jt]s$/.test(rel) ? extractFacts(rel, text) : null;
    if (out?.ok) facts.set(rel, out.facts);
  }
  const inputs: GraphInputs = {
    facts: { get: (f) => facts.get(f) },
    resolver: new ModuleResolver(Object.keys(files), (rel) => files[rel] ?? ''),
    costs: new PackageCostModel(catalog, DiskSourceTree.at(root)),
    formatOf: () => 'cjs',
  };
  return initClosure('handler.js', inputs, packaging).closure;
}

const MODEL = {
  fittedAt: '2026-12-02',
  source: 'test',
  importLoaderMs: 0,
  require: { perModuleMs: 0.5, perKBMs: 0.1 },
  import: { perModuleMs: 0.6, perKBMs: 0.1 },
  bundled: { perModuleMs: 0.2, perKBMs: 0.05 },
};

const CATALOG: Catalog = {
  measuredAt: '2026-12-02',
  baselineMs: 40,
  packages: [
    {
      name: '@aws-sdk/client-dynamodb',
      version: '3.900.0',
      major: 3,
      requireMs: 60,
      importMs: 70,
      bundledMs: 24,
      bundleBytes: 1_500_000,
      sizeBytes: 9_000_000,
      source: 'test',
      date: '2026-12-02',
    },
    {
      name: '@aws-sdk/lib-dynamodb',
      version: '3.900.0',
      major: 3,
      requireMs: 64,
      importMs: 74,
      bundledMs: 26,
      bundleBytes: 1_600_000,
      sizeBytes: 9_500_000,
      source: 'test',
      date: '2026-12-02',
    },
    {
      name: 'zod',
      version: '3.23.8',
      major: 3,
      requireMs: 18,
      importMs: 20,
      bundledMs: null,
      bundleBytes: null,
      sizeBytes: 2_000_000,
      source: 'test',
      date: '2026-12-02',
    },
  ],
  families: [],
  // lib-dynamodb loads client-dynamodb (and the core under it) and 4 modules of its own.
  loads: new Map([
    [
      '@aws-sdk/client-dynamodb',
      new Map<string, readonly [number, number]>([
        ['@aws-sdk/client-dynamodb@3.900.0', [40, 400 * 1024]],
        ['@smithy/core@3.1.0', [60, 600 * 1024]],
      ]),
    ],
    [
      '@aws-sdk/lib-dynamodb',
      new Map<string, readonly [number, number]>([
        ['@aws-sdk/lib-dynamodb@3.900.0', [4, 20 * 1024]],
        ['@aws-sdk/client-dynamodb@3.900.0', [40, 400 * 1024]],
        ['@smithy/core@3.1.0', [60, 600 * 1024]],
      ]),
    ],
  ]),
  model: MODEL,
};

const HANDLER = `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');
const { z } = require('zod');
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
exports.handler = async (e) => doc.send(z.object({}).parse(e));
`;

describe('bundled and unbundled estimates', () => {
  it('unbundled: catalog require figures, lib-dynamodb less what client-dynamodb already loaded', () => {
    const c = closureOf({ 'handler.js': HANDLER }, CATALOG);
    // lib-dynamodb's loads modelled with require (0.5/module, 0.1/KB): own 4*0.5 + 20*0.1 = 4; client 40*0.5 + 400*0.1
    // = 60; core 60*0.5 + 600*0.1 = 90; total 154, shared 150: 64 * 4/154 = 1.66 -> 1.7 ms.
    expect(c.form).toBe('unbundled');
    expect(c.packages.map((p) => [p.name, p.estInitMs])).toEqual([
      ['@aws-sdk/client-dynamodb', 60],
      ['zod', 18],
      ['@aws-sdk/lib-dynamodb', 1.7],
    ]);
    expect(c.packages.find((p) => p.name === '@aws-sdk/lib-dynamodb')?.basis).toBe(
      'catalog @aws-sdk/lib-dynamodb@3.900.0 require (2026-12-02); minus 62.3 ms for modules that packages listed before it already loaded',
    );
    expect(c.estInitMs).toBe(79.7);
  });

  it('bundled (packaging from discovery): bundled figures, the same sharing with the bundled model, require where none', () => {
    const packaging: Packaging = { form: 'bundled', tool: 'esbuild', basis: 'CDK NodejsFunction bundles with esbuild by default' };
    const c = closureOf({ 'handler.js': HANDLER }, CATALOG, packaging);
    // Bundled model (0.2/module, 0.05/KB): own 0.8 + 1 = 1.8; client 8 + 20 = 28; core 12 + 30 = 42; total 71.8,
    // shared 70: 26 * 1.8/71.8 = 0.65 -> 0.7 ms. zod has no bundled figure: its require figure (18) stands.
    expect(c.form).toBe('bundled');
    expect(c.formBasis).toBe('bundled by esbuild: CDK NodejsFunction bundles with esbuild by default');
    expect(c.packages.map((p) => [p.name, p.estInitMs])).toEqual([
      ['@aws-sdk/client-dynamodb', 24],
      ['zod', 18],
      ['@aws-sdk/lib-dynamodb', 0.7],
    ]);
    expect(c.packages.find((p) => p.name === 'zod')?.basis).toBe('catalog zod@3.23.8 require, unbundled (no bundled figure) (2026-12-02)');
    expect(c.estInitMs).toBe(42.7);
  });

  it('a package the bundler leaves external is priced unbundled and says so; the others keep their bundled figures', () => {
    const one: Packaging = {
      form: 'bundled',
      tool: 'esbuild',
      basis: 'serverless-esbuild plugin',
      externals: ['@aws-sdk/client-dynamodb', 'pdfkit'],
    };
    const c = closureOf({ 'handler.js': HANDLER }, CATALOG, one);
    // client-dynamodb is external: its require figure, 60. lib-dynamodb stays in the bundle: bundled 26, less what
    // client-dynamodb already loaded in the bundled model (71.8 of which 70 shared: 26 * 1.8/71.8 = 0.65 -> 0.7).
    // zod has no bundled figure: 18. Total 60 + 0.7 + 18 = 78.7.
    expect(c.packages.map((p) => [p.name, p.estInitMs])).toEqual([
      ['@aws-sdk/client-dynamodb', 60],
      ['zod', 18],
      ['@aws-sdk/lib-dynamodb', 0.7],
    ]);
    expect(c.packages.find((p) => p.name === '@aws-sdk/client-dynamodb')?.basis).toBe(
      'left external by the bundler: @aws-sdk/client-dynamodb; catalog @aws-sdk/client-dynamodb@3.900.0 require (2026-12-02)',
    );
    expect(c.packages.find((p) => p.name === '@aws-sdk/lib-dynamodb')?.basis).toBe(
      'catalog @aws-sdk/lib-dynamodb@3.900.0 bundled (2026-12-02); minus 25.3 ms for modules that packages listed before it already loaded',
    );
    expect(c.estInitMs).toBe(78.7);
    // A glob leaves the whole v3 SDK out: both priced as the unbundled case (60 and 1.7), zod 18: 79.7.
    const glob = closureOf({ 'handler.js': HANDLER }, CATALOG, { ...one, externals: ['@aws-sdk/*'] });
    expect(glob.packages.map((p) => [p.name, p.estInitMs])).toEqual([
      ['@aws-sdk/client-dynamodb', 60],
      ['zod', 18],
      ['@aws-sdk/lib-dynamodb', 1.7],
    ]);
    expect(glob.packages.find((p) => p.name === '@aws-sdk/lib-dynamodb')?.basis).toMatch(
      /^left external by the bundler: @aws-sdk\/\*; catalog @aws-sdk\/lib-dynamodb@3\.900\.0 require /,
    );
    expect(glob.estInitMs).toBe(79.7);
    expect(glob.form).toBe('bundled');
  });

  it('an esbuild metafile prices what is really in the bundle; a package left out is external and loads unbundled', () => {
    const metafile = {
      inputs: { 'src/handler.ts': { bytes: 300 }, 'node_modules/zod/lib/index.js': { bytes: 90_000 } },
      outputs: {
        'cdk.out/asset.1/index.js': {
          entryPoint: 'handler.js',
          inputs: {
            'handler.js': { bytesInOutput: 280 },
            'node_modules/zod/lib/index.js': { bytesInOutput: 40 * 1024 },
            'node_modules/zod/lib/types.js': { bytesInOutput: 60 * 1024 },
            'node_modules/tslib/tslib.es6.mjs': { bytesInOutput: 10 * 1024 },
          },
        },
        'cdk.out/asset.2/index.js': { entryPoint: 'other.js', inputs: { 'node_modules/moment/moment.js': { bytesInOutput: 170_000 } } },
      },
    };
    const packaging: Packaging = { form: 'bundled', tool: 'esbuild', basis: 'esbuild script in package.json', statsFile: 'meta.json' };
    const c = closureOf({ 'handler.js': HANDLER, 'meta.json': JSON.stringify(metafile) }, CATALOG, packaging);
    // zod: 2 modules, 100 KB: 0.2*2 + 0.05*100 = 5.4. tslib (a dependency in the bundle): 0.2 + 0.5 = 0.7.
    // The AWS SDK is not in the bundle (external): unbundled require figures, lib-dynamodb shared as before.
    expect(c.formBasis).toBe('bundled by esbuild: esbuild script in package.json; modules from meta.json');
    expect(c.packages.map((p) => [p.name, p.estInitMs, p.source])).toEqual([
      ['@aws-sdk/client-dynamodb', 60, 'catalog'],
      ['zod', 5.4, 'bundle'],
      ['@aws-sdk/lib-dynamodb', 1.7, 'catalog'],
      ['tslib', 0.7, 'bundle'],
    ]);
    expect(c.packages.find((p) => p.name === '@aws-sdk/client-dynamodb')?.basis).toBe(
      'not in the bundle (external, loaded from node_modules at init): catalog @aws-sdk/client-dynamodb@3.900.0 require (2026-12-02)',
    );
    expect(c.packages.find((p) => p.name === 'zod')?.basis).toBe(
      'in the bundle (output cdk.out/asset.1/index.js): 2 modules, 100 KB, bundled load model fitted 2026-12-02',
    );
  });

  it('webpack stats (concatenated modules counted by their parts); an unreadable stats file falls back, and says so', () => {
    const stats = {
      modules: [
        { name: './handler.js', size: 300 },
        {
          name: './node_modules/zod/lib/index.js + 2 modules',
          size: 0,
          modules: [
            { name: './node_modules/zod/lib/index.js', size: 20 * 1024 },
            { name: './node_modules/zod/lib/types.js', size: 20 * 1024 },
          ],
        },
      ],
    };
    const packaging: Packaging = { form: 'bundled', tool: 'webpack', basis: 'serverless-webpack plugin', statsFile: 'stats.json' };
    const c = closureOf(
      { 'handler.js': `const { z } = require('zod');\nexports.handler = async (e) => z.string().parse(e);\n`, 'stats.json': JSON.stringify(stats) },
      CATALOG,
      packaging,
    );
    // 2 modules, 40 KB: 0.4 + 2 = 2.4 ms.
    expect(c.packages.map((p) => [p.name, p.estInitMs])).toEqual([['zod', 2.4]]);
    const broken = closureOf(
      { 'handler.js': `const { z } = require('zod');\nexports.handler = async (e) => z.string().parse(e);\n`, 'stats.json': '{"oops": 1}' },
      CATALOG,
      packaging,
    );
    expect(broken.formBasis).toBe(
      'bundled by webpack: serverless-webpack plugin; stats.json not read (neither an esbuild metafile (inputs, outputs) nor webpack stats (modules)): catalog bundled figures used',
    );
    expect(broken.packages.map((p) => [p.name, p.estInitMs])).toEqual([['zod', 18]]);
  });

  it('prices with the CPU figures where the catalog has them, in both forms; an ESM-only entry by its import figure', () => {
    const cpu: Catalog = {
      ...CATALOG,
      loads: new Map(),
      packages: [
        {
          name: 'zod',
          version: '3.23.8',
          major: 3,
          requireMs: 18,
          requireCpuMs: 15.5,
          importMs: null,
          bundledMs: 9,
          bundledCpuMs: 7.5,
          bundleBytes: 600_000,
          sizeBytes: 1,
          source: 'test',
          date: '2026-12-02',
        },
        {
          name: '@middy/core',
          version: '7.9.2',
          major: 7,
          requireMs: null,
          importMs: 12,
          importCpuMs: 10.5,
          bundledMs: 3,
          bundledCpuMs: 2.5,
          bundleBytes: 9_000,
          sizeBytes: 1,
          source: 'test',
          date: '2026-12-02',
        },
      ],
    };
    const files = {
      'handler.js': `const { z } = require('zod');\nconst middy = require('@middy/core');\nexports.handler = middy(async (e) => z.string().parse(e));\n`,
    };
    const unb = closureOf(files, cpu);
    expect(unb.packages.map((p) => [p.name, p.estInitMs, p.basis])).toEqual([
      ['zod', 15.5, 'catalog zod@3.23.8 require cpu (2026-12-02)'],
      ['@middy/core', 10.5, 'catalog @middy/core@7.9.2 import cpu (2026-12-02)'],
    ]);
    const bun = closureOf(files, cpu, { form: 'bundled', tool: 'esbuild', basis: 'SAM BuildMethod: esbuild' });
    expect(bun.packages.map((p) => [p.name, p.estInitMs])).toEqual([
      ['zod', 7.5],
      ['@middy/core', 2.5],
    ]);
    expect(bun.estInitMs).toBe(10);
  });

  it('two deep imports of one package share its core; every entry after the first is priced without the first-require start-up', () => {
    const v2: Catalog = {
      measuredAt: '2026-12-02',
      baselineMs: 40,
      families: [],
      packages: [
        {
          name: 'aws-sdk/clients/s3',
          version: '2.1693.0',
          major: 2,
          requireMs: 90,
          requireCpuMs: 80,
          importMs: null,
          sizeBytes: 1,
          source: 'test',
          date: '2026-12-02',
        },
        {
          name: 'aws-sdk/clients/sqs',
          version: '2.1693.0',
          major: 2,
          requireMs: 70,
          requireCpuMs: 60,
          importMs: null,
          sizeBytes: 1,
          source: 'test',
          date: '2026-12-02',
        },
        {
          name: 'moment',
          version: '2.30.1',
          major: 2,
          requireMs: 8,
          requireCpuMs: 7,
          importMs: null,
          sizeBytes: 1,
          source: 'test',
          date: '2026-12-02',
        },
      ],
      // s3: 120 modules, 1000 KB of aws-sdk; sqs: 100 modules, 600 KB of it (its core, all shared with s3's).
      loads: new Map([
        ['aws-sdk/clients/s3', new Map<string, readonly [number, number]>([['aws-sdk@2.1693.0', [120, 1000 * 1024]]])],
        ['aws-sdk/clients/sqs', new Map<string, readonly [number, number]>([['aws-sdk@2.1693.0', [100, 600 * 1024]]])],
      ]),
      model: { ...MODEL, firstLoadMs: 2.5, bundledFirstLoadMs: 0.5 },
    };
    const files = {
      'handler.js': `const S3 = require('aws-sdk/clients/s3');\nconst SQS = require('aws-sdk/clients/sqs');\nconst moment = require('moment');\nexports.handler = async () => [new S3(), new SQS(), moment()];\n`,
    };
    const c = closureOf(files, v2);
    // aws-sdk: s3 80 (the first entry keeps its start-up) + sqs 60 * (1 - 100%) = 80; moment 7 - 2.5 = 4.5.
    expect(c.packages.map((p) => [p.name, p.subpaths, p.estInitMs])).toEqual([
      ['aws-sdk', ['clients/s3', 'clients/sqs'], 80],
      ['moment', [], 4.5],
    ]);
    expect(c.packages[1]?.basis).toBe('catalog moment@2.30.1 require cpu (2026-12-02); minus 2.5 ms of first-require start-up already paid');
  });

  it('a package neither in the catalog nor installed is listed as unpriced', () => {
    const c = closureOf({ 'handler.js': `const x = require('left-pad-pro');\nexports.handler = async () => x;\n` }, CATALOG);
    expect(c.unpriced).toEqual(['left-pad-pro']);
    expect(c.packages[0]?.basis).toBe('unpriced: not in the catalog and not installed');
    expect(c.estInitMs).toBe(0);
  });
});
