import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: a Pulumi component in its own module, instantiated from other files', async () => {
  const result = await discoverFixture('discover-pulumi-components');

  it('lists one function per instantiation, declared where it is instantiated, with its parameters applied', () => {
    expect(result.functions.map((f) => [f.id, f.declaredIn.line, f.handler.file, f.handler.export, f.memoryMB])).toEqual([
      ['infra/index.ts#orders', 5, 'services/orders/src/consumer.ts', 'handler', 128],
      ['infra/index.ts#users', 4, 'services/users/src/api.ts', 'handler', 512],
      // a namespace import and a codeDir built with path.join(__dirname) in the instantiating file
      ['infra/stacks/billing.ts#billing', 4, 'services/billing/src/invoice.ts', 'run', 128],
    ]);
    expect(result.functions.every((f) => f.provider === 'pulumi' && f.runtime === 'nodejs20.x')).toBe(true);
    expect(result.iacFiles).toEqual(['infra/components/node-lambda.ts', 'infra/index.ts', 'infra/stacks/billing.ts']);
    expect(result.unreferenced).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});
