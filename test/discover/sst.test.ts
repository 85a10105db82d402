import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: SST', async () => {
  const result = await discoverFixture('discover-sst');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('finds v3 functions, routes, crons and subscribers, and v2 constructs, paths from the app root', () => {
    expect(result.iacFiles).toEqual(['ion/sst.config.ts', 'v2/stacks/api.ts']);
    expect(result.functions.map((f) => [f.id, f.declaredIn.line, f.handler.file, f.handler.export])).toEqual([
      ['ion/sst.config.ts#GET /notes/{id}', 18, 'ion/packages/functions/src/get.ts', 'main'],
      ['ion/sst.config.ts#Hello', 9, 'ion/packages/functions/src/hello.ts', 'handler'],
      ['ion/sst.config.ts#Nightly.job', 19, 'ion/packages/functions/src/cron.ts', 'handler'],
      ['ion/sst.config.ts#POST /notes', 17, 'ion/packages/functions/src/create.ts', 'main'],
      ['ion/sst.config.ts#bucket.subscribe', 21, null, 'handler'],
      ['v2/stacks/api.ts#DELETE /notes/{id}', 12, 'v2/packages/functions/src/delete.ts', 'main'],
      ['v2/stacks/api.ts#GET /', 8, 'v2/packages/functions/src/list.ts', 'main'],
      ['v2/stacks/api.ts#Jobs.consumer', 5, 'v2/packages/functions/src/consume.ts', 'handler'],
      ['v2/stacks/api.ts#POST /notes', 9, 'v2/packages/functions/src/create.ts', 'main'],
      ['v2/stacks/api.ts#Worker', 4, 'v2/packages/functions/src/worker.ts', 'handler'],
    ]);
  });

  it('reads v3 sizes written as text, and a handler built from a template literal', () => {
    expect(byId('ion/sst.config.ts#Hello')).toEqual({
      id: 'ion/sst.config.ts#Hello',
      name: 'Hello',
      provider: 'sst',
      deployedNames: [],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 1024,
      timeoutS: 10,
      declaredIn: { file: 'ion/sst.config.ts', line: 9 },
      handler: { file: 'ion/packages/functions/src/hello.ts', export: 'handler', declared: 'packages/functions/src/hello.handler', mapping: 'exact' },
    });
    expect(byId('ion/sst.config.ts#GET /notes/{id}')?.memoryMB).toBe(2048);
    expect([byId('v2/stacks/api.ts#Worker')?.memoryMB, byId('v2/stacks/api.ts#Worker')?.timeoutS]).toEqual([512, 20]);
    expect(byId('v2/stacks/api.ts#POST /notes')?.timeoutS).toBe(15);
  });

  it('says handler_not_found when the file a route names does not exist', () => {
    expect(byId('ion/sst.config.ts#bucket.subscribe')?.handler).toMatchObject({ mapping: 'unresolved', reason: 'handler_not_found' });
  });
});
