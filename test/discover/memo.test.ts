import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { DiscoveryMemo, type StoredSteps } from '../../src/discover/memo.js';
import { MemorySourceTree, scan } from '../../src/index.js';

// Discovery's part of the cached re-scan (src/discover/memo.ts): each step is replayed only when what it read gives
// the same answers. Every test compares a replay with a discovery of the same tree that uses no memo at all.
const SERVICE: Record<string, string> = {
  'serverless.yml': ['service: s', 'provider:', '  name: aws', '  runtime: nodejs20.x', 'functions:', '  a:', '    handler: src/a.handler', ''].join(
    '\n',
  ),
  'src/a.ts': 'export const handler = async () => 1;\n',
  'src/left-over.ts': 'export const handler = async () => 2;\n',
  'src/util.ts': 'export const twice = (n: number) => n * 2;\n',
  'cdk/bin/app.ts': "import { App } from 'aws-cdk-lib';\nimport { Stack } from '../lib/stack';\nnew Stack(new App(), 'S');\n",
  'cdk/lib/stack.ts': [
    "import { Stack as CdkStack } from 'aws-cdk-lib';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    'export class Stack extends CdkStack {',
    '  constructor(scope: any, id: string) {',
    '    super(scope, id);',
    "    new lambda.Function(this, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'fn.handler', code: lambda.Code.fromAsset('src'), memorySize: 256 });",
    '  }',
    '}',
    '',
  ].join('\n'),
  'cdk/src/fn.ts': 'export const handler = async () => 3;\n',
  'cdk/cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
};

function discoverWith(files: Record<string, string>, stored: StoredSteps | null) {
  const tree = new MemorySourceTree(files);
  const memo = new DiscoveryMemo(stored, tree);
  const result = discover({ tree, memo });
  const reused = Object.keys(memo.steps()).filter((s) => stored !== null && memo.steps()[s] === stored[s]);
  return { result, memo, reused: reused.sort() };
}

function fresh(files: Record<string, string>) {
  return discover({ tree: new MemorySourceTree(files) });
}

describe('discovery memo', () => {
  it('replays every step of an unchanged tree, with the same result as a discovery without memo', () => {
    const first = discoverWith(SERVICE, null);
    expect(first.memo.stats).toEqual({ reused: 0, computed: first.memo.stats.computed });
    const second = discoverWith(SERVICE, first.memo.steps());
    expect(second.memo.stats.computed).toBe(0);
    expect(second.memo.stats.reused).toBe(first.memo.stats.computed);
    expect(second.result).toEqual(fresh(SERVICE));
    expect(second.result.functions.map((f) => [f.id, f.handler.file])).toEqual([
      ['cdk/lib/stack.ts#Fn', 'cdk/src/fn.ts'],
      ['serverless.yml#a', 'src/a.ts'],
    ]);
    expect(second.result.unreferenced.map((u) => u.file)).toEqual(['src/left-over.ts']);
  });

  it('replays the CDK and Pulumi scans when a source no app imports changes, and reruns only the search that read it', () => {
    const first = discoverWith(SERVICE, null);
    const edited = {
      ...SERVICE,
      'src/util.ts': 'export const twice = (n: number) => n + n;\n',
      'src/a.ts': 'export const handler = async () => 10;\n',
    };
    const second = discoverWith(edited, first.memo.steps());
    // Both files fail the CDK, Pulumi and SST gates: those steps learnt only that, and it still holds.
    expect(second.reused).toContain('provider:cdk');
    expect(second.reused).toContain('provider:pulumi');
    expect(second.reused).toContain('provider:serverless');
    // util.ts fails the unreferenced search's gates too (and a.ts, declared, is not searched): it replays as well.
    expect(second.reused).toContain('unreferenced');
    expect(second.result).toEqual(fresh(edited));
  });

  it('reruns a step when a file that failed its gates now passes them', () => {
    const first = discoverWith(SERVICE, null);
    const edited = {
      ...SERVICE,
      'src/util.ts':
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\nexport const twice = (n: number) => n * 2;\nexport const handler = async () => 4;\n",
    };
    const second = discoverWith(edited, first.memo.steps());
    expect(second.reused).not.toContain('provider:cdk');
    expect(second.reused).not.toContain('unreferenced');
    expect(second.reused).toContain('provider:serverless');
    expect(second.result).toEqual(fresh(edited));
    expect(second.result.unreferenced.map((u) => u.file)).toEqual(['src/left-over.ts', 'src/util.ts']);
  });

  it('reruns the provider whose IaC changed, and its new output is the one returned', () => {
    const first = discoverWith(SERVICE, null);
    const edited = { ...SERVICE, 'cdk/lib/stack.ts': SERVICE['cdk/lib/stack.ts']!.replace('memorySize: 256', 'memorySize: 1024') };
    const second = discoverWith(edited, first.memo.steps());
    expect(second.reused).not.toContain('provider:cdk');
    expect(second.reused).toContain('provider:serverless');
    expect(second.result.functions.find((f) => f.provider === 'cdk')?.memoryMB).toBe(1024);
    expect(second.result).toEqual(fresh(edited));
  });

  it('reads a memo edited by hand as holding nothing, and discovers all the same', () => {
    const broken = {
      'provider:serverless': { input: '', asked: [[1, 2]], output: '{' },
      'provider:cdk': { input: '', asked: [], output: '{not json' },
      unreferenced: 'nonsense',
    } as unknown as StoredSteps;
    const run = discoverWith(SERVICE, broken);
    expect(run.memo.stats.reused).toBe(0);
    expect(run.result).toEqual(fresh(SERVICE));
  });
});

describe('discovery memo through scan --cache', () => {
  let dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  it('writes one memo per file list, and a cached re-scan is byte-identical to an uncached one after an edit', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'lm-discovery-memo-'));
    dirs.push(cache);
    const run = async (files: Record<string, string>, withCache: boolean) =>
      JSON.stringify(await scan({ root: '/memory/service', tree: new MemorySourceTree(files), cost: false, ...(withCache ? { cache } : {}) }));
    await run(SERVICE, true);
    const memos = readdirSync(path.join(cache, 'discovery-v1'));
    expect(memos).toHaveLength(1);
    const edited = { ...SERVICE, 'cdk/src/fn.ts': "import { twice } from '../../src/util';\nexport const handler = async () => twice(3);\n" };
    expect(await run(edited, true)).toBe(await run(edited, false));
    // A file more is another file list: its own memo, the first one kept.
    await run({ ...SERVICE, 'src/new.ts': 'export {};\n' }, true);
    expect(readdirSync(path.join(cache, 'discovery-v1'))).toHaveLength(2);
    // A memo file that is not JSON is an empty memo, never a failed scan.
    writeFileSync(path.join(cache, 'discovery-v1', memos[0]!), '{"magic":');
    expect(await run(SERVICE, true)).toBe(await run(SERVICE, false));
  });
});
