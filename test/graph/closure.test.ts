import { describe, expect, it } from 'vitest';
import { scanFiles } from '../helpers/rule-tester.js';
import type { FunctionResult } from '../../src/model/result.js';

const only = (fns: FunctionResult[]): FunctionResult => {
  expect(fns).toHaveLength(1);
  return fns[0] as FunctionResult;
};

describe('init closure', () => {
  it('follows static imports, requires, import-equals, re-exports and side-effect imports; not types, not lazy edges', async () => {
    const result = await scanFiles({
      'handler.ts': `import type { Context } from 'aws-lambda';
import { type Order, total } from './domain/order';
import { Config } from './config';
import './telemetry';
import fs = require('fs');
export * from './reexported';
const uuid = require('uuid');
export async function handler(event: Order, ctx: Context, cfg: Config) {
  const { default: pdf } = await import('pdfkit');
  const moment = require('moment');
  return [total(event), uuid.v4(), pdf, moment, fs, ctx, cfg];
}
`,
      'domain/order.ts': `export interface Order { items: number[] }
export const total = (o: Order) => o.items.reduce((a, b) => a + b, 0);
`,
      'config.ts': `import { S3Client } from '@aws-sdk/client-s3';
export interface Config { client: S3Client }
`,
      'telemetry.js': `require('lodash');
`,
      'reexported/index.ts': `export const x = 1;
`,
    });
    const fn = only(result.functions);
    const init = fn.init;
    // `Config` is used only in a type position: TypeScript erases that import, so config.ts (and
    // the S3 client it imports) never loads.
    expect(init?.files).toEqual(['handler.ts', 'domain/order.ts', 'telemetry.js', 'reexported/index.ts']);
    expect(init?.packages.map((p) => [p.name, p.chain])).toEqual([
      ['uuid', ['handler.ts']],
      ['lodash', ['handler.ts', 'telemetry.js']],
    ]);
    expect(init?.estInitMs).toBe(24);
    expect(init?.lazy).toEqual([
      { file: 'handler.ts', line: 9, specifier: 'pdfkit' },
      { file: 'handler.ts', line: 10, specifier: 'moment' },
    ]);
    expect(fn.handler.line).toBe(8);
  });

  it('resolves tsconfig paths with extends, .js specifiers of .ts sources, index files, and terminates on cycles', async () => {
    const result = await scanFiles({
      'tsconfig.base.json': `{ "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"], "#config": ["src/config/index.ts"] } } }`,
      'tsconfig.json': `{
  // comments are allowed here
  "extends": "./tsconfig.base.json",
  "compilerOptions": { "strict": true, },
}`,
      'src/handler.mts': `import { a } from '@lib/a.js';
import cfg from '#config';
export const handler = async () => [a, cfg];
`,
      'src/lib/a.ts': `import { b } from './b.js';
export const a = () => b();
`,
      'src/lib/b.ts': `import { a } from './a.js';
import moment from 'moment';
export const b = () => [a, moment()];
`,
      'src/config/index.ts': `export default { region: 'eu-west-1' };
`,
    });
    const fn = only(result.functions);
    expect(fn.init?.files).toEqual(['src/handler.mts', 'src/lib/a.ts', 'src/config/index.ts', 'src/lib/b.ts']);
    expect(fn.init?.packages.map((p) => [p.name, p.chain, p.estInitMs])).toEqual([
      // imported from a .ts file in a CommonJS package: the require figure
      ['moment', ['src/handler.mts', 'src/lib/a.ts', 'src/lib/b.ts'], 4],
    ]);
    expect(fn.init?.unresolved).toEqual([]);
  });

  it('records dynamic requires and missing files as unresolved, never drops them', async () => {
    const result = await scanFiles({
      'handler.js': `const name = process.env.PLUGIN;
const plugin = require(name);
const missing = require('./does-not-exist');
exports.handler = async () => {
  const mod = await import(\`./plugins/\${name}.js\`);
  return [plugin, missing, mod];
};
`,
    });
    const fn = only(result.functions);
    expect(fn.init?.unresolved).toEqual([
      { file: 'handler.js', line: 2, column: 16, specifier: 'name', reason: 'dynamic' },
      { file: 'handler.js', line: 5, column: 21, specifier: '`./plugins/${name}.js`', reason: 'dynamic' },
      { file: 'handler.js', line: 3, column: 17, specifier: './does-not-exist', reason: 'not_found' },
    ]);
  });

  it('counts an IIFE and top-level await at module scope as init work', async () => {
    const result = await scanFiles({
      'handler.mjs': `const cfg = await (async () => {
  const { default: yaml } = await import('yaml');
  return yaml;
})();
export const handler = async () => cfg;
`,
    });
    const fn = only(result.functions);
    expect(fn.init?.topLevelAwait).toEqual([
      { file: 'handler.mjs', line: 1, column: 13 },
      { file: 'handler.mjs', line: 2, column: 29 },
    ]);
    expect(fn.init?.packages.map((p) => p.name)).toEqual(['yaml']);
    expect(fn.init?.lazy).toEqual([]);
  });

  it('sends a file that fails to parse to skipped and analyses the rest', async () => {
    const result = await scanFiles({
      'handler.ts': `import { ok } from './ok';
import { broken } from './broken';
export const handler = async () => [ok, broken];
`,
      'ok.ts': `import _ from 'lodash';
export const ok = _.noop;
`,
      'broken.ts': `export const broken = (a: number => a;
`,
    });
    const fn = only(result.functions);
    expect(result.skipped).toEqual([{ file: 'broken.ts', reason: 'parse_error', detail: "1:34 ',' expected." }]);
    expect(result.complete).toBe(false);
    expect(fn.init?.files).toEqual(['handler.ts', 'ok.ts', 'broken.ts']);
    expect(fn.init?.packages.map((p) => p.name)).toEqual(['lodash']);
  });

  it('never parses node_modules or build output as sources', async () => {
    const manifest = `{ "name": "dep", "version": "1.2.3", "main": "index.js" }`;
    const depIndex = `exports.handler = async () => 'not a function of this service';
`;
    const result = await scanFiles({
      'handler.js': `const dep = require('dep');
exports.handler = async () => dep;
`,
      'node_modules/dep/package.json': manifest,
      'node_modules/dep/index.js': depIndex,
      'dist/handler.js': `exports.handler = async () => 'build output';
`,
      '.aws-sam/build/x/handler.js': `exports.handler = async () => 'build output';
`,
    });
    const fn = only(result.functions);
    expect(fn.handler.file).toBe('handler.js');
    expect(result.summary.files).toBe(1);
    // installed: version from node_modules; not in the catalog, so its static graph (index.js only) is what counts
    expect(fn.init?.packages[0]).toMatchObject({ name: 'dep', version: '1.2.3', source: 'installed' });
    expect(fn.init?.packages[0]?.sizeBytes).toBe(depIndex.length);
  });
});
