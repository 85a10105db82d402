import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: noise is counted, not analysed', async () => {
  const result = await discoverFixture('discover-noise');

  it('lists the declared Node functions; a missing handler file is handler_not_found', () => {
    expect(result.functions.map((f) => [f.id, f.handler.file, f.handler.reason ?? null])).toEqual([
      ['svc/serverless.yml#api', 'svc/src/api.ts', null],
      ['svc/serverless.yml#gone', null, 'handler_not_found'],
    ]);
  });

  it('counts other runtimes and images as not analysed', () => {
    expect(result.notAnalysed).toEqual([
      { id: 'svc/serverless.yml#image', name: 'image', declaredIn: { file: 'svc/serverless.yml', line: 13 }, reason: 'image', detail: 'image' },
      {
        id: 'svc/serverless.yml#python',
        name: 'python',
        declaredIn: { file: 'svc/serverless.yml', line: 10 },
        reason: 'runtime',
        detail: 'python3.11',
      },
    ]);
  });

  it('reports an exported handler no IaC references as unreferenced, never test files', () => {
    expect(result.unreferenced).toEqual([{ file: 'svc/src/tools/replay.ts', export: 'handler', line: 2 }]);
    expect(result.iacFiles).toEqual(['svc/serverless.yml']);
  });
});
