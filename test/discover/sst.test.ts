import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../src/model/result.js';
import { discoverFixture } from './helpers.js';

describe('discover: SST', async () => {
  const result = await discoverFixture('discover-sst');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('finds v3 functions, routes, crons and subscribers, and v2 constructs, paths from the app root', () => {
    expect(result.iacFiles).toEqual(['ion/sst.config.ts', 'v2/stacks/api.ts']);
    expect(result.functions.map((f) => [f.id, f.declaredIn.line, f.handler.file, f.handler.export])).toEqual([
      ['ion/sst.config.ts#Alerts.Pager', 23, 'ion/packages/functions/src/pager.ts', 'handler'],
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
      runtimeDeclaredIn: { file: 'ion/sst.config.ts', line: 11 },
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'SST v3 bundles Node.js functions with esbuild',
        declaredIn: { file: 'ion/sst.config.ts', line: 9 },
      },
      declaredIn: { file: 'ion/sst.config.ts', line: 9 },
      handler: { file: 'ion/packages/functions/src/hello.ts', export: 'handler', declared: 'packages/functions/src/hello.handler', mapping: 'exact' },
    });
    expect(byId('ion/sst.config.ts#GET /notes/{id}')?.memoryMB).toBe(2048);
    expect([byId('v2/stacks/api.ts#Worker')?.memoryMB, byId('v2/stacks/api.ts#Worker')?.timeoutS]).toEqual([512, 20]);
    expect(byId('v2/stacks/api.ts#POST /notes')?.timeoutS).toBe(15);
  });

  it('reads v3 topic.subscribe(name, handler, args) with the name as the subscriber, not as a handler', () => {
    expect(byId('ion/sst.config.ts#Alerts.Pager')?.handler).toEqual({
      file: 'ion/packages/functions/src/pager.ts',
      export: 'handler',
      declared: 'packages/functions/src/pager.handler',
      mapping: 'exact',
    });
    expect(result.functions.filter((f) => f.handler.declared === 'Pager')).toEqual([]);
  });

  it('says handler_not_found when the file a route names does not exist', () => {
    expect(byId('ion/sst.config.ts#bucket.subscribe')?.handler).toMatchObject({ mapping: 'unresolved', reason: 'handler_not_found' });
  });
});

describe('discover: SST v2 subscribers, notifications and consumers (props and add* methods)', async () => {
  const result = await discoverFixture('discover-sst-subscribers');

  it('lists each function subscriber once, under <construct id>.<key>, with the construct defaults under its own props', () => {
    expect(result.iacFiles).toEqual(['stacks/events.ts']);
    expect(result.warnings).toEqual([]);
    const fn = (name: string, line: number, file: string, exportName: string, memoryMB: number | null, timeoutS: number | null) => ({
      id: `stacks/events.ts#${name}`,
      name,
      provider: 'sst',
      deployedNames: [],
      runtime: null,
      architecture: null,
      memoryMB,
      timeoutS,
      declaredIn: { file: 'stacks/events.ts', line },
      handler: {
        file: `packages/functions/src/${file}.ts`,
        export: exportName,
        declared: `packages/functions/src/${file}.${exportName}`,
        mapping: 'exact',
      },
    });
    // What the constructs declare: SST v2's defaults, packaging and region are asserted below.
    const declaredOnly = (f: FunctionSpec): Omit<FunctionSpec, 'packaging' | 'runtimeDeclaredIn' | 'defaulted' | 'region'> => {
      const { packaging: _packaging, runtimeDeclaredIn: _line, defaulted, region: _region, ...rest } = f;
      for (const key of defaulted ?? []) rest[key] = null;
      return rest;
    };
    expect(result.functions.find((f) => f.name === 'Worker')).toMatchObject({
      runtime: 'nodejs22.x',
      memoryMB: 1024,
      timeoutS: 10,
      architecture: 'x86_64',
      defaulted: ['runtime', 'architecture', 'memoryMB', 'timeoutS'],
      region: 'eu-west-1',
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'SST v2 bundles Node.js functions with esbuild',
        declaredIn: { file: 'stacks/events.ts', line: 13 },
      },
    });
    expect(result.functions.map(declaredOnly)).toEqual([
      // queue.addConsumer(stack, { function: {...} })
      fn('DeadLetters.consumer', 18, 'drain', 'handler', 512, null),
      // Topic `subscribers` prop: a handler string, with defaults.function (20 s, 256 MB) under it
      fn('Orders.audit', 8, 'audit', 'handler', 256, 20),
      // topic.addSubscribers(stack, ...): the topic's defaults apply to added subscribers too
      fn('Orders.billing', 15, 'billing', 'handler', 256, 20),
      // { function: { handler, timeout } }: its own timeout wins over the default
      fn('Orders.mailer', 9, 'mailer', 'main', 256, 30),
      // Bucket `notifications` prop and bucket.addNotifications(stack, ...)
      fn('Uploads.resize', 21, 'resize', 'handler', null, null),
      fn('Uploads.scan', 24, 'scan', 'handler', null, null),
      // the Function construct passed as a subscriber (`{ worker }`) is listed once, as itself; the queue subscriber is no function
      fn('Worker', 13, 'worker', 'handler', null, null),
    ]);
  });
});
