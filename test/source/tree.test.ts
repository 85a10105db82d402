import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { MemorySourceTree, openSourceTree, SourceReadError, normalizeRel } from '../../src/source/tree.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('SourceTree', () => {
  it('normalizes paths and keeps leading .. segments (a service inside a monorepo reads its parent lockfile)', () => {
    expect(normalizeRel('./a/b/../c/')).toBe('a/c');
    expect(normalizeRel('.')).toBe('');
    expect(normalizeRel('../../package-lock.json')).toBe('../../package-lock.json');
  });

  it('in memory: lists files inside the root only, answers stat/list/json, and throws SourceReadError for a missing file', () => {
    const tree = new MemorySourceTree({
      'serverless.yml': 'service: s\n',
      'src/h.ts': 'export const handler = async () => 1;\n',
      'package.json': '{"type":"module"}',
      'node_modules/x/package.json': '{"name":"x","version":"1.0.0"}',
      '../package-lock.json': '{"lockfileVersion":3}',
    });
    expect(tree.files).toEqual(['package.json', 'serverless.yml', 'src/h.ts']);
    expect(tree.has('./src/h.ts')).toBe(true);
    expect(tree.has('node_modules/x/package.json')).toBe(false);
    expect(tree.stat('src')).toEqual({ size: 0, isFile: false, isDirectory: true });
    expect(tree.stat('serverless.yml')).toEqual({ size: 11, isFile: true, isDirectory: false });
    expect(tree.list('')).toEqual(['node_modules', 'package.json', 'serverless.yml', 'src']);
    expect(tree.json('node_modules/x/package.json')).toEqual({ name: 'x', version: '1.0.0' });
    expect(tree.json('../package-lock.json')).toEqual({ lockfileVersion: 3 });
    expect(tree.json('serverless.yml')).toBeNull();
    expect(() => tree.read('nope.ts')).toThrow(SourceReadError);
    expect(tree.tryRead('nope.ts')).toBeNull();
  });

  it('reads each file once however many times it is asked, until released', () => {
    const tree = new MemorySourceTree({ 'a.ts': 'export {};' });
    tree.read('a.ts');
    tree.read('./a.ts');
    tree.json('a.ts');
    expect(tree.readCount.get('a.ts')).toBe(1);
    tree.release('a.ts');
    tree.read('a.ts');
    expect(tree.readCount.get('a.ts')).toBe(2);
  });
});

describe('DiskSourceTree negative lookups', () => {
  it('answers "not there" from folder listings, and still reads what the walk pruned or ignored', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lm-tree-'));
    try {
      mkdirSync(path.join(root, 'src'), { recursive: true });
      mkdirSync(path.join(root, 'node_modules/x'), { recursive: true });
      writeFileSync(path.join(root, '.gitignore'), 'secret.txt\n');
      writeFileSync(path.join(root, 'secret.txt'), 'hidden');
      writeFileSync(path.join(root, 'src/h.ts'), 'export {};');
      writeFileSync(path.join(root, 'node_modules/x/package.json'), '{"name":"x"}');
      const tree = await openSourceTree(root);
      expect(tree.files).toEqual(['.gitignore', 'src/h.ts']);
      expect(tree.tryRead('secret.txt')).toBe('hidden');
      expect(tree.json('node_modules/x/package.json')).toEqual({ name: 'x' });
      expect(tree.json('src/node_modules/x/package.json')).toBeNull();
      expect(tree.tryRead('src/h.ts/inner')).toBeNull();
      expect(tree.stat('nope/deeper/file')).toBeNull();
      expect(tree.realpath('nope')).toBeNull();
      expect(tree.stat('src')?.isDirectory).toBe(true);
      expect(() => tree.read('nope.ts')).toThrow(SourceReadError);
      // Above the root too: the parent folder holds the root itself and nothing called package-lock.json.
      expect(tree.tryRead(`../${path.basename(root)}/src/h.ts`)).toBe('export {};');
      expect(tree.tryRead('../lm-no-such-lockfile.json')).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the pipeline over a SourceTree', () => {
  it('scans a service held in memory: no temp folder, same stages as on disk', async () => {
    const tree = new MemorySourceTree({
      'serverless.yml': 'service: mem\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  api:\n    handler: src/api.handler\n',
      'src/api.js': "const AWS = require('aws-sdk');\nexports.handler = async () => ({ statusCode: 200 });\n",
    });
    const result = await scan({ root: 'mem', tree, config: false, cost: false });
    expect(result.functions.map((f) => [f.id, f.handler.file, f.handler.line, f.rank])).toEqual([['serverless.yml#api', 'src/api.js', 2, 1]]);
    expect(result.functions[0]?.init?.packages.map((p) => p.name)).toEqual(['aws-sdk']);
    expect(result.functions[0]?.findings.map((f) => [f.ruleId, f.line, f.column])).toContainEqual(['aws-sdk-v2-whole', 1, 13]);
    expect(result.summary.files).toBe(1);
  });

  it('reads every file of the example service from disk at most once in a whole scan', async () => {
    const tree = await openSourceTree(path.join(REPO, 'examples/orders-service'));
    const result = await scan({ root: 'examples/orders-service', cwd: REPO, tree });
    expect(result.functions.length).toBeGreaterThan(0);
    const twice = [...tree.readCount].filter(([, n]) => n > 1).map(([f]) => f);
    expect(twice).toEqual([]);
    // The scan read the IaC and every parsed source.
    expect(tree.readCount.get('serverless.yml')).toBe(1);
    for (const f of result.functions) if (f.handler.file !== null) expect(tree.readCount.get(f.handler.file)).toBe(1);
  });
});
